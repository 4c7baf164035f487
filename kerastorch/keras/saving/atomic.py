"""Atomic file writes: a crash mid-save never leaves a truncated file where a good one was.

The content is written to a temporary file in the target's directory (same filesystem),
flushed to disk, then renamed over the target in one step (`os.replace`). On any
error the temporary file is removed and the old file is untouched.
"""

from __future__ import annotations

import contextlib
import os
import tempfile


@contextlib.contextmanager
def atomic_path(filepath):
    """Yields a temporary path to write; on success it replaces `filepath`.

    Example:
        >>> with atomic_path("model.keras") as tmp:
        ...     write_everything_to(tmp)
    """
    target = os.fspath(filepath)
    directory = os.path.dirname(os.path.abspath(target))
    if not os.path.isdir(directory):
        raise ValueError(f"Cannot save to {target}: the directory {directory} does not exist.")
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{os.path.basename(target)}.", suffix=".tmp")
    os.close(fd)
    try:
        yield tmp
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        _keep_mode(target, tmp)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(tmp)
        raise


def _keep_mode(target: str, tmp: str) -> None:
    """The new file gets the old one's permissions, or the usual ones for a new file (mkstemp's are 0600)."""
    try:
        mode = os.stat(target).st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.chmod(tmp, mode)
