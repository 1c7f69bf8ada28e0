"""Every write the commands make: single files and sets of files, never lost, never half-done.

Three rules hold for every output:

* **No silent overwrite.** A target that exists with other bytes is refused (:class:`Refused`)
  unless the caller passes ``force``; writing the same bytes again is a no-op, not an overwrite.
* **Atomic.** A single file is written to a temporary file in its own folder, fsynced and renamed
  over the target, and the folder is fsynced. A *set* of files (a build, a leaderboard, a batch of
  gold documents) is written by :func:`file_set` into a staging copy of its folder (unchanged files
  are hard links, so staging costs one link per file, not a copy of the bytes) and the staging
  folder is then exchanged with the real one in one ``renameat2(RENAME_EXCHANGE)``. A process
  killed at any moment leaves the whole old set or the whole new set, never a mix.
* **Clean failures.** Any ``OSError`` becomes :class:`Failed` naming the path and the reason in
  words ("a parent of it is a file", "permission denied"); temporary files and staging folders
  are removed on failure. Leftovers of a killed run are named ``.NAME.sayso-*.tmp`` (matched by
  ``.gitignore``) and removed by the next set written to the same folder.

Writers of one set exclude each other with an advisory lock (``fcntl.flock``) on
``.NAME.sayso.lock`` beside the folder, so two processes compiling gold at once cannot swap away
each other's files. Library code raises; the command line turns :class:`WriteError` into one line
on stderr and exit code 1.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

__all__ = ["WriteError", "Refused", "Failed", "write_file", "file_set", "FileSet", "recover", "TEMP_GLOB"]

#: Temporary names: ``.NAME.sayso-XXXX.tmp`` (files and staging folders); ``.gitignore`` matches it.
TEMP_GLOB = ".*.sayso-*.tmp"

# Fault injection for tests/faults/: SAYSO_FAULT names points where the process kills itself
# (SIGKILL, as a power cut would stop it): "file" (a temporary file written, not yet renamed),
# "staged" (the first file of a set staged), "swap" (a set staged, not swapped), "swapped" (swapped,
# old set not yet removed), "fallback" (between the two renames of the fallback swap); and
# "no-exchange" makes the swap take the fallback path. Unset, these checks cost one set lookup.
_FAULTS = frozenset(filter(None, os.environ.get("SAYSO_FAULT", "").split(",")))


def _fault(point: str) -> None:
    if point in _FAULTS:
        import signal

        os.kill(os.getpid(), signal.SIGKILL)


class WriteError(Exception):
    """A write that did not happen; ``str()`` is ``"PATH: reason"``."""

    def __init__(self, path: str | os.PathLike, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


class Refused(WriteError, FileExistsError):
    """The target exists with other content and ``force`` was not given."""

    def __init__(self, path: str | os.PathLike) -> None:
        super().__init__(path, "exists; pass --force to overwrite it")


class Failed(WriteError):
    """The target cannot be written (permissions, a file where a folder is needed, a full disk)."""


def _reason(exc: OSError) -> str:
    """The cause of a failed write in words a user can act on."""
    if isinstance(exc, NotADirectoryError) or exc.errno == errno.ENOTDIR:
        return "cannot be written: a parent of it is a file, not a folder"
    if isinstance(exc, IsADirectoryError) or exc.errno == errno.EISDIR:
        return "cannot be written: it is a folder"
    if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM):
        return "cannot be written: permission denied"
    if exc.errno == errno.EROFS:
        return "cannot be written: read-only file system"
    if exc.errno == errno.ENOSPC:
        return "cannot be written: no space left on the device"
    if isinstance(exc, FileExistsError):
        return "cannot be written: a parent of it is a file, not a folder"
    return f"cannot be written: {exc.strerror or exc}"


def _mode(is_dir: bool) -> int:
    # mkstemp and mkdtemp create private (0600/0700) entries; outputs get an ordinary write's mode.
    umask = os.umask(0)
    os.umask(umask)
    return (0o777 if is_dir else 0o666) & ~umask


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return  # directories cannot be opened for fsync on Windows
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _as_bytes(data: str | bytes) -> bytes:
    return data.encode("utf-8") if isinstance(data, str) else data


def _same(target: Path, data: bytes) -> bool:
    try:
        if not target.is_file() or target.stat().st_size != len(data):
            return False
        return target.read_bytes() == data
    except OSError:
        return False


def _check_target(target: Path) -> None:
    if target.is_dir():
        raise Failed(target, "cannot be written: it is a folder")
    for parent in target.parents:
        if parent.exists() and not parent.is_dir():
            raise Failed(target, "cannot be written: a parent of it is a file, not a folder")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


def _clean_dead_temps(target: Path) -> None:
    """Remove temporary files beside ``target`` that killed writers left (their process is gone;
    a live writer's file is kept, so two processes writing at once do not break each other)."""
    for leftover in target.parent.glob(f".{target.name}.sayso-*.tmp"):
        pid = leftover.name[len(target.name) + len(".sayso-") + 1 :].split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)) and leftover.is_file():
            leftover.unlink(missing_ok=True)


def _write_new(target: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``target``, fsync it and rename it into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    _clean_dead_temps(target)
    prefix = f".{target.name}.sayso-{os.getpid()}-"
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=prefix, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, _mode(False))
        _fault("file")
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_file(path: str | os.PathLike, data: str | bytes, *, force: bool = False) -> str:
    """Write one file atomically: ``"written"``, or ``"unchanged"`` when it already holds ``data``.

    Raises :class:`Refused` when the file exists with other bytes and not ``force``, and
    :class:`Failed` when it cannot be written.
    """
    target = Path(path)
    payload = _as_bytes(data)
    try:
        _check_target(target)
        if _same(target, payload):
            return "unchanged"
        if target.exists() and not force:
            raise Refused(target)
        _write_new(target, payload)
        _fsync_dir(target.parent)
    except OSError as exc:
        if isinstance(exc, WriteError):
            raise
        raise Failed(target, _reason(exc)) from exc
    return "written"


# -- sets of files ------------------------------------------------------------------------------

_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux ``renameat2``); False where unsupported."""
    if not sys.platform.startswith("linux") or "no-exchange" in _FAULTS:
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False  # the file system cannot exchange: the caller falls back to two renames
    raise OSError(code, os.strerror(code), str(b))


def _is_temp(name: str) -> bool:
    return name.startswith(".") and ".sayso-" in name and name.endswith(".tmp")


def _link_tree(source: Path, stage: Path) -> None:
    """Fill ``stage`` with hard links to every file under ``source`` (copies where links fail)."""
    for root, dirs, files in os.walk(source):
        rel = Path(root).relative_to(source)
        dirs[:] = [d for d in dirs if not _is_temp(d)]
        for d in dirs:
            src = Path(root) / d
            (stage / rel / d).mkdir()
            shutil.copymode(src, stage / rel / d)
        for f in files:
            src, dst = Path(root) / f, stage / rel / f
            if _is_temp(f):
                continue  # a killed writer's temporary file: not part of any set
            if src.is_symlink():
                os.symlink(os.readlink(src), dst)
                continue
            try:
                os.link(src, dst)
            except OSError:
                shutil.copy2(src, dst)


class FileSet:
    """A staging copy of a folder: write and remove files in it; :func:`file_set` swaps it in."""

    def __init__(self, folder: Path, stage: Path, force: bool) -> None:
        self.folder = folder  # as the caller named it: messages show this path
        self.stage = stage
        self.force = force
        self.status: dict[str, str] = {}

    def exists(self, name: str) -> bool:
        """Whether ``name`` (relative to the folder) exists in the set as it now stands."""
        return (self.stage / name).exists()

    def write(self, name: str, data: str | bytes, *, force: bool | None = None) -> str:
        """Put ``data`` at ``name``: ``"written"`` or ``"unchanged"``; :class:`Refused` when the
        file exists with other bytes and neither this call nor the set was given ``force``."""
        payload = _as_bytes(data)
        staged = self.stage / name
        shown = self.folder / name
        try:
            if staged.is_dir():
                raise Failed(shown, "cannot be written: it is a folder")
            for parent in staged.parents:
                if parent == self.stage:
                    break
                if parent.exists() and not parent.is_dir():
                    raise Failed(shown, "cannot be written: a parent of it is a file, not a folder")
            if _same(staged, payload):
                self.status.setdefault(name, "unchanged")
                return "unchanged"
            if staged.exists() and not (self.force if force is None else force):
                raise Refused(shown)
            staged.unlink(missing_ok=True)  # a hard link to the old file: never write through it
            _write_new(staged, payload)
            _fault("staged")
        except OSError as exc:
            if isinstance(exc, WriteError):
                raise
            raise Failed(shown, _reason(exc)) from exc
        self.status[name] = "written"
        return "written"

    def remove(self, name: str) -> None:
        """Leave ``name`` out of the new set."""
        staged = self.stage / name
        if staged.is_file() or staged.is_symlink():
            staged.unlink()
            self.status[name] = "removed"

    @property
    def changed(self) -> bool:
        return any(s != "unchanged" for s in self.status.values())


def _clean_stale(folder: Path) -> None:
    """Remove what killed writers of this folder left (only called while holding its lock)."""
    parent = folder.parent
    if not folder.exists():
        # A fallback swap (two renames) killed between them: the old set waits under -old-.
        olds = sorted(parent.glob(f".{folder.name}.sayso-old-*.tmp"))
        if olds:
            os.rename(olds[-1], folder)
    for leftover in parent.glob(f".{folder.name}.sayso-*.tmp"):
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    lock_path = folder.parent / f".{folder.name}.sayso.lock"
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks; one writer at a time is the user's job
        yield
        return
    handle = open(lock_path, "a")  # noqa: SIM115 (held for the whole block)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        handle.close()


def recover(folder: str | os.PathLike) -> None:
    """Put back a set that a writer killed mid-swap left aside, and remove its leftovers.

    :func:`file_set` does this itself; a command whose inputs live inside its output folder
    (``sayso build`` reads ``corpus/gold`` and writes ``corpus``) calls it before reading."""
    folder = Path(folder).absolute()
    if not folder.parent.is_dir():
        return
    try:
        with _locked(folder):
            _clean_stale(folder)
    except OSError as exc:
        raise Failed(folder, _reason(exc)) from exc


@contextlib.contextmanager
def file_set(folder: str | os.PathLike, *, force: bool = False) -> Iterator[FileSet]:
    """Write a set of files into ``folder`` as one step.

    Inside the block, ``FileSet.write`` and ``FileSet.remove`` change a staging copy; when the
    block ends without an exception and something changed, the copy replaces ``folder`` in one
    atomic exchange. An exception (a :class:`Refused` file included) discards the staging copy
    and leaves ``folder`` exactly as it was. Files the block does not touch are kept.
    """
    shown = Path(folder)
    folder = shown.absolute()
    try:
        if folder.exists() and not folder.is_dir():
            raise Failed(shown, "cannot be written: it is a file, not a folder")
        cwd = Path.cwd().resolve()
        real = folder.resolve()
        if real == cwd or real in cwd.parents:
            raise Failed(shown, "is the current folder or contains it; name a folder below it")
        folder.parent.mkdir(parents=True, exist_ok=True)
        with _locked(folder):
            _clean_stale(folder)
            stage = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}.sayso-", suffix=".tmp"))
            try:
                if folder.is_dir():
                    _link_tree(folder, stage)
                    shutil.copymode(folder, stage)
                else:
                    os.chmod(stage, _mode(True))
                files = FileSet(shown, stage, force)
                yield files
                if files.changed or not folder.exists():
                    _commit(folder, stage)
            finally:
                shutil.rmtree(stage, ignore_errors=True)
    except OSError as exc:
        if isinstance(exc, WriteError):
            raise
        raise Failed(shown, _reason(exc)) from exc


def _commit(folder: Path, stage: Path) -> None:
    """Swap the staged set in; afterwards ``stage`` holds the old set (or nothing)."""
    for root, _, _ in os.walk(stage):
        _fsync_dir(Path(root))
    _fault("swap")
    if not folder.exists():
        os.rename(stage, folder)
    elif not _exchange(stage, folder):
        old = folder.parent / f".{folder.name}.sayso-old-{os.getpid()}.tmp"
        os.rename(folder, old)
        _fault("fallback")
        os.rename(stage, folder)
        os.rename(old, stage)
    _fsync_dir(folder.parent)
    _fault("swapped")
