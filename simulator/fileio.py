"""Files on disk: writing them so that a crash or a full disk never leaves a half-written one behind,
refusing what is no file to read, and the SHA-256 that checks a bundled model."""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Literal


class ModelFileError(Exception):
    """A bundled model file that is not the one the app was tested with: `reason` says how
    ("missing", "unreadable" with the system's `detail`, or "differs" in its SHA-256); each caller
    words it for its own model and reinstall command."""

    def __init__(self, path: Path, reason: Literal["missing", "unreadable", "differs"], detail: str = ""):
        super().__init__(f"{path}: {reason}" + (f" ({detail})" if detail else ""))
        self.path = path
        self.reason = reason
        self.detail = detail


def verify_files(folder: Path, expected: Mapping[str, str]) -> None:
    """Check every file `expected` names (name -> SHA-256 in hex) in `folder`; ModelFileError for
    the first that is missing or differs."""
    for name, sha256 in expected.items():
        path = folder / name
        if not path.is_file():
            raise ModelFileError(path, "missing")
        if sha256_of(path) != sha256:
            raise ModelFileError(path, "differs")


def verified_bytes(path: Path, sha256: str) -> bytes:
    """The file's bytes, read once, when their SHA-256 is `sha256`; else ModelFileError."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ModelFileError(path, "unreadable", exc.strerror or str(exc)) from None
    if hashlib.sha256(data).hexdigest() != sha256:
        raise ModelFileError(path, "differs")
    return data


def sha256_of(path: Path) -> str:
    """The file's SHA-256 in hex, read a megabyte at a time (models are tens of megabytes)."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def not_regular(path: Path) -> str | None:
    """Why `path` is no file to read (a named pipe, a device, a socket), or None for a regular file,
    a folder or a missing path (their callers say those their own way). Reading a pipe nobody writes
    to, or /dev/zero, would wait or fill memory for ever; stat() answers without opening it."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    kind = ("a named pipe" if stat.S_ISFIFO(mode) else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else "a socket" if stat.S_ISSOCK(mode) else "a special file")
    return f"not a regular file ({kind}): give the path of a file saved on disk"


class StorageError(OSError):
    """Something could not be saved; the message says where and what to do."""


def _explain(path: Path, exc: OSError) -> str:
    import errno

    if exc.errno == errno.ENOSPC:
        return f"the disk is full: {path} could not be saved. Free some space and try again"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"{path.parent} cannot be written to (read-only or no permission): choose another data folder in Settings"
    return f"{path} could not be saved: {exc.strerror or exc}"


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, flush it to disk, then rename it into place."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise StorageError(exc.errno, _explain(path, exc)) from exc


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))
