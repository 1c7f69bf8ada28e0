"""Start and stop a local, headless Label Studio (for tests and ``nox -s annotate``).

The server lives in its own virtual environment (``label-studio==1.23.2`` pins
``label-studio-sdk==2.1.2`` exactly, so it is kept out of the project's environment); this
module only runs its ``label-studio`` executable. Facts it relies on (measured, issue 5):

- a preset user and API key come from ``LABEL_STUDIO_USERNAME`` / ``LABEL_STUDIO_PASSWORD`` /
  ``LABEL_STUDIO_USER_TOKEN``, and the key is only accepted with
  ``LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN=true``;
- readiness is ``GET /health``; a fresh data dir takes 15-45 s (migrations);
- a busy port makes the server silently move to the next one, so the port is checked free
  before the start and the answering server is checked to be ours (it accepts our fresh key).
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from .client import Client, LabelStudioError

__all__ = ["LocalServer", "ServerError", "DEFAULT_EXECUTABLE", "find_executable", "free_port", "start"]

DEFAULT_EXECUTABLE = Path(".nox") / "labelstudio-server" / "bin" / "label-studio"
ENV_EXECUTABLE = "SAYSO_LABEL_STUDIO"


class ServerError(RuntimeError):
    """The server could not be started (missing, port busy, not ready in time)."""


@dataclass
class LocalServer:
    """A running Label Studio process and how to talk to it."""

    process: subprocess.Popen
    url: str
    port: int
    token: str = field(repr=False)
    username: str
    password: str = field(repr=False)
    data_dir: Path
    log_path: Path

    def client(self) -> Client:
        return Client(self.url, self.token)

    def stop(self, timeout: float = 20.0) -> None:
        """Stop the server (SIGTERM, then SIGKILL after ``timeout`` seconds)."""
        if self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout)

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(
                self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]
            )
        except OSError:
            return ""


def find_executable(root: str | os.PathLike | None = None) -> Path | None:
    """``$SAYSO_LABEL_STUDIO`` if set, else ``<root>/.nox/labelstudio-server/bin/label-studio``."""
    configured = os.environ.get(ENV_EXECUTABLE)
    candidate = Path(configured) if configured else Path(root or ".") / DEFAULT_EXECUTABLE
    return candidate if candidate.is_file() and os.access(candidate, os.X_OK) else None


def free_port(host: str = "127.0.0.1") -> int:
    """A port that is free on ``host`` right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def _port_busy(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def start(
    executable: str | os.PathLike,
    data_dir: str | os.PathLike,
    *,
    port: int | None = None,
    username: str = "annotator@sayso.invalid",
    password: str | None = None,
    token: str | None = None,
    timeout: float = 240.0,
    host: str = "127.0.0.1",
) -> LocalServer:
    """Start Label Studio headless on ``host:port`` with ``data_dir`` and wait until it is ready.

    The user ``username`` is created with ``password`` and the API key ``token`` (random when not
    given). Raises :class:`ServerError` with the end of the server's log when it fails.
    """
    port = port or free_port(host)
    if _port_busy(host, port):
        raise ServerError(
            f"port {port} on {host} is already in use; Label Studio would silently move to another"
        )
    data = Path(data_dir)
    data.mkdir(parents=True, exist_ok=True)
    token = token or secrets.token_hex(20)
    password = password or secrets.token_urlsafe(16)
    env = {
        **os.environ,
        "LABEL_STUDIO_USERNAME": username,
        "LABEL_STUDIO_PASSWORD": password,
        "LABEL_STUDIO_USER_TOKEN": token,
        "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true",
        "LABEL_STUDIO_LATEST_VERSION_CHECK": "false",
        "LATEST_VERSION_CHECK": "false",
        "COLLECT_ANALYTICS": "false",
        "SENTRY_DSN": "",
        "FRONTEND_SENTRY_DSN": "",
        "LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "true",
        "PYTHONUNBUFFERED": "1",
    }
    log_path = data / "label-studio.log"
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            [
                str(executable),
                "start",
                "--no-browser",
                "--internal-host",
                host,
                "--port",
                str(port),
                "--data-dir",
                str(data),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=True,  # Ctrl-C in a terminal reaches us, and we stop it cleanly
        )
    server = LocalServer(process, f"http://{host}:{port}", port, token, username, password, data, log_path)
    deadline = time.monotonic() + timeout
    client = server.client()
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerError(f"label-studio exited with code {process.returncode}:\n{server.log_tail()}")
        if client.health():
            try:
                me = client.whoami()
            except LabelStudioError as exc:
                server.stop()
                raise ServerError(
                    f"the server on port {port} does not accept our API key ({exc}); "
                    f"is another server on that port?\n{server.log_tail()}"
                ) from None
            if me.get("email") != username and me.get("username") != username:
                server.stop()
                raise ServerError(
                    f"the server on port {port} answers as {me.get('email')!r}, not {username!r}"
                )
            return server
        time.sleep(0.5)
    server.stop()
    raise ServerError(f"label-studio was not ready after {timeout:.0f} s:\n{server.log_tail()}")
