"""Writing notes safely: a reader (an editor, `serve`'s watcher, a build) sees the old file or
the new one, never half of either, and `new` never replaces a file that is there.

`write_note` (what `kb fix` writes with) gives up that atomicity where a rename would do harm:
a rename replaces the file with a new one, which a note's other hard links do not follow, which
a read-only file does not stop (renaming needs only the folder's permission), and which belongs
to whoever runs the command (`sudo kb fix` would hand the notes to root).
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data`: written to a temporary file in the same folder (so the
    rename stays on one file system), flushed, then renamed over it. The file keeps its
    permissions; a symbolic link inside the vault keeps pointing where it did."""
    target = path.resolve()
    mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else 0o644
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                         suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def write_note(path: Path, data: bytes) -> None:
    """Write `data` into the note at `path`, which exists. Atomically (`write_atomic`) when a
    rename keeps everything about the file: the folder is writable and the file is writable
    (not read-only), ours and has one link. Otherwise in place, the same file truncated and
    rewritten, so that hard links, owner and permissions stay (root, whom permission bits do
    not stop, thus rewrites a read-only note in place rather than replacing it). A file this
    user cannot write raises PermissionError and is left as it was, never replaced."""
    target = path.resolve()
    if not os.access(target, os.W_OK):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
    status = target.stat()
    ours = getattr(os, "geteuid", lambda: status.st_uid)() == status.st_uid
    if status.st_nlink == 1 and status.st_mode & stat.S_IWUSR and ours and \
            os.access(target.parent, os.W_OK | os.X_OK):
        try:
            write_atomic(target, data)
            return
        except PermissionError:
            pass  # the folder refused after all (an ACL, a sticky bit): nothing was replaced
    descriptor = os.open(target, os.O_WRONLY)
    with os.fdopen(descriptor, "wb") as stream:
        # Written, then cut to length: the file is never empty, and a crash leaves the new
        # text's beginning rather than nothing.
        stream.write(data)
        stream.truncate()
        stream.flush()
        os.fsync(stream.fileno())


def create_new(path: Path, data: bytes) -> None:
    """Create `path` with `data`, complete or not at all; FileExistsError when the name is
    taken, even by a file created a moment ago by someone else (a hard link fails on an
    existing name, where a rename would replace it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o666 & ~_umask())
        os.link(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
