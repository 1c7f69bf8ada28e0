"""A real Label Studio for the tests in this folder, and documents that stress offsets.

The server is installed by ``bash tools/install-labelstudio.sh`` (or the nox test session) into
``.nox/labelstudio-server``; ``SAYSO_LABEL_STUDIO`` may point at another ``label-studio``
executable. This fixture installs nothing: it starts the server headless on a free loopback
port with a temporary data dir and stops it at the end of the session. Without a server the
tests skip, except under ``CI=true``, where a missing server is a failure.
"""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import pytest
from ls_documents import unicode_document  # this folder is on sys.path (pytest rootdir-less conftest)

from sayso.labelstudio.server import ENV_EXECUTABLE, find_executable, start

ROOT = Path(__file__).resolve().parents[2]
API_KEY = "5a7e0c1d9b3f4e2a8c6d0b1f3e5a7c9d1b3f5e7a"  # a throwaway key for the throwaway server


@pytest.fixture(scope="session")
def label_studio(tmp_path_factory):
    """The running server (:class:`sayso.labelstudio.server.LocalServer`)."""
    executable = find_executable(ROOT)
    if executable is None:
        reason = (
            "Label Studio is not installed: run `bash tools/install-labelstudio.sh` "
            f"(or set {ENV_EXECUTABLE} "
            "to a label-studio executable)"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI must run the Label Studio tests", pytrace=False)
        pytest.skip(reason)
    server = start(executable, tmp_path_factory.mktemp("label-studio-data"), token=API_KEY)
    yield server
    server.stop()


_names = (f"sayso test {n}" for n in itertools.count(1))


@pytest.fixture
def project_name() -> str:
    """A project title no other test uses (the server lives for the whole session)."""
    return next(_names)


@pytest.fixture
def unicode_doc() -> dict:
    return unicode_document()
