"""A directory of immutable, read-only files: the development store and the upload spool.

Each put writes a temporary file next to its target and publishes it with ``os.link``, which fails if the
target already exists, so a key is never replaced, not even by a concurrent writer. On filesystems without
hard links it falls back to ``os.replace``. Durability: with ``fsync_each`` a put is on disk when it returns;
otherwise ``flush()`` makes every put since the previous flush durable in one pass. Until then a crash may
lose recent puts or leave them truncated. Retention dates are not enforced locally (a past one is accepted):
files are made read-only (0o444), nothing more.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import tempfile
import threading
from datetime import datetime
from pathlib import Path
from typing import NoReturn

from .base import (
    BackendError,
    MissingObject,
    check_key,
    check_prefix,
    check_retain_until,
    conflict,
    sha256_hex,
)

READ_ONLY = 0o444
BULK_FLUSH = 32  # above this many files to make durable, sync the whole filesystem once
# errno values meaning "this filesystem cannot make hard links"
_NO_HARD_LINKS = frozenset({errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP})


class LocalBackend:
    def __init__(self, root: Path, *, fsync_each: bool = False) -> None:
        self.root = Path(root).absolute()
        self._prefix = str(self.root) + os.sep  # get() joins strings: verification reads every object
        self.url = self.root.as_uri()
        self._fsync_each = fsync_each
        self._lock = threading.Lock()
        self._unsynced_files: set[Path] = set()  # written since the last flush
        self._unsynced_dirs: set[Path] = set()  # gained entries since the last flush

    def put(self, key: str, data: bytes, *, retain_until: datetime | None = None) -> bool:
        check_retain_until(retain_until)
        path = self._path(key)
        if path.exists():
            return self._matches_stored(key, data)
        try:
            new_dirs = _make_dirs(path.parent)
            published = self._publish(path, data)
        except OSError as exc:
            raise BackendError(f"{self._where(key)}: could not write ({_cause(exc)})") from exc
        if not published:
            return self._matches_stored(key, data)
        self._note_written(path, {path.parent, *(d.parent for d in new_dirs)})
        return True

    def get(self, key: str) -> bytes:
        try:
            with open(self._prefix + check_key(key), "rb") as handle:
                return handle.read()
        except FileNotFoundError as exc:
            raise MissingObject(f"{self._where(key)}: no such object") from exc
        except OSError as exc:
            raise BackendError(f"{self._where(key)}: could not read ({_cause(exc)})") from exc

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def list(self, prefix: str) -> list[str]:
        check_prefix(prefix)
        base = self.root / prefix.rpartition("/")[0]
        if not base.is_dir():
            return []
        root = str(self.root) + os.sep
        keys: list[str] = []
        try:
            for dirpath, dirnames, filenames in os.walk(base, onerror=_reraise):
                dirnames[:] = [d for d in dirnames if not d.startswith(".")]
                relative = dirpath[len(root) :].replace(os.sep, "/") if dirpath != str(self.root) else ""
                keys.extend(
                    key
                    for name in filenames
                    if not name.startswith(".")
                    and (key := f"{relative}/{name}" if relative else name).startswith(prefix)
                )
        except OSError as exc:
            raise BackendError(f"{self.url}: could not list {prefix!r} ({_cause(exc)})") from exc
        return sorted(keys)

    def flush(self) -> None:
        """fsync every file written since the last flush, then the directories that gained entries."""
        with self._lock:
            files, self._unsynced_files = self._unsynced_files, set()
            dirs, self._unsynced_dirs = self._unsynced_dirs, set()
        if len(files) + len(dirs) > BULK_FLUSH:
            _sync_filesystem(self.root, where=self.url)  # one call instead of thousands of fsyncs
            return
        # files first, so no directory entry becomes durable ahead of the data it names
        _fsync_all(sorted(files), where=self.url)
        _fsync_all(sorted(dirs), where=self.url)

    def delete(self, key: str) -> None:
        path = self._path(key)
        try:
            path.unlink()
        except FileNotFoundError as exc:
            raise MissingObject(f"{self._where(key)}: no such object") from exc
        except OSError as exc:
            raise BackendError(f"{self._where(key)}: could not delete ({_cause(exc)})") from exc

    def _path(self, key: str) -> Path:
        return self.root / check_key(key)

    def _where(self, key: str) -> str:
        return f"{self.url}/{key}"

    def _matches_stored(self, key: str, data: bytes) -> bool:
        stored = self.get(key)
        if stored != data:
            raise conflict(self._where(key), sha256_hex(stored), data)
        return False

    def _publish(self, path: Path, data: bytes) -> bool:
        """Write ``data`` to a temporary sibling and give it its final name; False if the name was taken."""
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fchmod(handle.fileno(), READ_ONLY)
                if self._fsync_each:
                    os.fsync(handle.fileno())
            return _link_or_replace(tmp, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)

    def _note_written(self, path: Path, dirs: set[Path]) -> None:
        if self._fsync_each:
            # the file's data was synced before it was published; the new directory entries were not
            _fsync_all(sorted(dirs), where=self.url)
            return
        with self._lock:
            self._unsynced_files.add(path)
            self._unsynced_dirs.update(dirs)


def _link_or_replace(tmp: str, path: Path) -> bool:
    try:
        os.link(tmp, path)
    except FileExistsError:
        return False
    except OSError as exc:
        if exc.errno not in _NO_HARD_LINKS:
            raise
        if path.exists():
            return False
        os.replace(tmp, path)
    return True


def _make_dirs(directory: Path) -> list[Path]:
    """Create ``directory`` and its missing ancestors; return the ones this call created."""
    missing: list[Path] = []
    while not directory.is_dir():
        missing.append(directory)
        directory = directory.parent
    created: list[Path] = []
    for path in reversed(missing):
        with contextlib.suppress(FileExistsError):
            path.mkdir()
            created.append(path)
    return created


def _sync_filesystem(root: Path, *, where: str) -> None:
    """syncfs(2) on the filesystem holding `root` (everything written to it is durable after it returns);
    os.sync() where the C library has no syncfs."""
    syncfs = getattr(ctypes.CDLL(None, use_errno=True), "syncfs", None)
    if syncfs is None:
        os.sync()
        return
    fd = os.open(root, os.O_RDONLY)
    try:
        if syncfs(fd) != 0:
            code = ctypes.get_errno()
            raise BackendError(f"{where}: syncfs failed ({os.strerror(code)})")
    finally:
        os.close(fd)


def _fsync_all(paths: list[Path], *, where: str) -> None:
    for path in paths:
        try:
            fd = os.open(path, os.O_RDONLY)
        except FileNotFoundError:
            continue  # deleted since it was written: nothing left to make durable
        except OSError as exc:
            raise BackendError(f"{where}: could not open {path} to fsync it ({_cause(exc)})") from exc
        try:
            os.fsync(fd)
        except OSError as exc:
            raise BackendError(f"{where}: fsync of {path} failed ({_cause(exc)})") from exc
        finally:
            os.close(fd)


def _reraise(exc: OSError) -> NoReturn:
    raise exc


def _cause(exc: OSError) -> str:
    name = errno.errorcode.get(exc.errno, "") if exc.errno is not None else ""
    text = exc.strerror or str(exc)
    return f"{text}, {name}" if name else text
