"""Where a build writes, made safe: which output folders it refuses, the staging folder it
builds into, the one-step swap that publishes it, the lock on the cache folder, and the removal
of what interrupted builds left behind.

A build replaces its output folders whole (`--site`, `--keep-project`) and writes generated
Markdown into the cache folder. The rules, checked before anything is written or deleted:

1. No output folder may be the notes folder or hold it (the build would delete the notes).
2. No output folder may be the repository's root or hold it (the root of the git work tree
   around the notes folder, and around the current folder).
3. No output folder may sit inside the notes folder, unless the notes loader skips that path
   (a folder whose name starts with `.` or `_`, such as `.cache/kb` or `_site`, the rule in
   load.py): otherwise its generated Markdown and images would be read as notes and assets.
4. `--site` and `--keep-project` are replaced whole, so an existing folder there must be empty or
   be what a build left (a site: `index.html` and one folder per language; kept projects: one
   folder per language holding its `mkdocs.yml`): `--site ~/Documents` is refused, not emptied.

Leftovers: each staging folder and temporary project folder carries the process id of the
build that made it (`.site.building-<pid>-…`, `kb-projects-<pid>-…`). A build removes those
whose process is no longer running: a killed build's, never a running one's. The cache folder's
half-committed `.next` output is removed under the cache lock, when no other build can be using
it.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import logging
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import filelock

from ..model import LANGUAGES

log = logging.getLogger(__name__)


class OutputError(Exception):
    """An output folder the build must not write: exit status 2, before anything is written."""


# What to suggest instead, per option.
_EXAMPLES = {"--site": " (e.g. --site _site)", "--keep-project": " (e.g. --keep-project _project)",
             "--cache-dir": " (e.g. --cache-dir .cache/kb)"}


def _is_within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def repository_roots(*starts: Path) -> set[Path]:
    """The roots of the git work trees around `starts` (a `.git` folder or file marks one)."""
    roots = set()
    for start in starts:
        for folder in (start, *start.parents):
            if (folder / ".git").exists():
                roots.add(folder)
                break
    return roots


def _skipped_by_loader(rel: Path) -> bool:
    return any(part.startswith((".", "_")) for part in rel.parts)


def check_outputs(notes_dir: Path, outputs: dict[str, Path | None],
                  replaced: frozenset[str] = frozenset({"--site", "--keep-project"})) -> None:
    """Refuse, with an OutputError naming the option, any output folder that breaks the rules
    in this module's docstring. `outputs`: option name -> folder (None: not given)."""
    notes = notes_dir.resolve()
    roots = repository_roots(notes, Path.cwd().resolve())
    for option, given in outputs.items():
        if given is None:
            continue
        path = given.resolve()
        example = _EXAMPLES.get(option, "")
        if notes == path or path in notes.parents:
            relation = "is" if notes == path else "holds"
            raise OutputError(f"{option} {given} {relation} the notes folder {notes_dir}: the "
                              f"build would delete the notes. Choose a folder outside the notes"
                              f"{example}.")
        for root in roots:
            if _is_within(root, path):
                raise OutputError(f"{option} {given} is the repository root {root} or holds it: "
                                  "the build would delete the repository. Choose a folder "
                                  f"inside it{example}.")
        if notes in path.parents and not _skipped_by_loader(path.relative_to(notes)):
            raise OutputError(f"{option} {given} is inside the notes folder {notes_dir}: its "
                              "files would be read as notes. Choose a folder outside the notes, "
                              "or one whose name starts with '_' or '.', which the notes loader "
                              f"skips{example}.")
        if option in replaced and not _replaceable(path, option):
            raise OutputError(f"{option} {given} exists and is not what a kb build writes there: "
                              "the build replaces the folder whole. Empty it, or choose another "
                              "folder.")


def _replaceable(path: Path, option: str) -> bool:
    """An absent or empty folder, or the output of an earlier build (rule 4)."""
    if not path.exists():
        return True
    if not path.is_dir():
        return False
    names = {child.name for child in path.iterdir()}
    if not names:
        return True
    if option == "--site":
        return "index.html" in names and all(language in names for language in LANGUAGES)
    return names <= set(LANGUAGES) and all((path / name / "mkdocs.yml").is_file()
                                           for name in names)


# --- staging, publishing and leftovers -------------------------------------------------------

def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def new_staging(site_dir: Path) -> Path:
    """A fresh folder beside `site_dir` to build into, readable as the umask says (mkdtemp's
    0700 would publish a site that a web server running as another user cannot read)."""
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.building-{os.getpid()}-",
                                    dir=site_dir.parent))
    staging.chmod(0o777 & ~_umask())
    return staging


@contextlib.contextmanager
def temporary_projects() -> Iterator[Path]:
    """A temporary folder for projects not kept in the cache, named for leftover removal."""
    with tempfile.TemporaryDirectory(prefix=f"kb-projects-{os.getpid()}-") as folder:
        yield Path(folder)


_OWNED = re.compile(r"-(\d+)-[^/]*$")


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: running
        return True
    return True


def remove_leftovers(site_dir: Path) -> list[Path]:
    """Remove the staging folders beside `site_dir`, the old sites of the two-rename swap, and
    the temporary project folders that builds no longer running left. Returns what it removed."""
    candidates = [*site_dir.parent.glob(f".{site_dir.name}.building-*"),
                  *site_dir.parent.glob(f".{site_dir.name}.old-*"),
                  *Path(tempfile.gettempdir()).glob("kb-projects-*")]
    removed = []
    for path in candidates:
        match = _OWNED.search(path.name) or re.search(r"\.old-(\d+)$", path.name)
        if match is None or _running(int(match.group(1))) or path.is_symlink():
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    if removed:
        log.info("removed what interrupted builds left: %s", ", ".join(map(str, removed)))
    return removed


_RENAME_EXCHANGE = 2  # linux/fs.h


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step with renameat2(RENAME_EXCHANGE) (Linux 3.15+, glibc 2.28+).
    False where the platform or the file system has no such call."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd = -100
    if renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second),
                 _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(first))


def swap_into_place(staging: Path, site_dir: Path) -> None:
    """Publish `staging` as `site_dir`. Where `site_dir` exists, the two are exchanged in one
    step (so a reader, or a kill, never finds no site), and the old site, now at the staging
    path, is removed; where the platform cannot exchange, two renames, the old site kept beside
    as `.<name>.old-<pid>` until the new one is in place."""
    if site_dir.exists() and _exchange(staging, site_dir):
        shutil.rmtree(staging, ignore_errors=True)
        return
    old = None
    if site_dir.exists():
        old = site_dir.with_name(f".{site_dir.name}.old-{os.getpid()}")
        os.replace(site_dir, old)
    try:
        os.replace(staging, site_dir)
    except BaseException:
        if old is not None:
            os.replace(old, site_dir)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


@contextlib.contextmanager
def locked(cache_dir: Path) -> Iterator[None]:
    """One build at a time over a cache folder: two would write the same kept projects. The
    lock is the operating system's (flock, or Windows' byte-range lock, through filelock), so
    it goes with the process that holds it: a killed build cannot keep it. Build workers die
    with their parent (workers.py), so none of them keeps it either."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    lock = filelock.FileLock(cache_dir / "build.lock")
    try:
        lock.acquire(timeout=2)
    except filelock.Timeout:
        print(f"kb: waiting for another build that uses the cache folder {cache_dir}",
              file=sys.stderr)
        lock.acquire()
    try:
        yield
    finally:
        lock.release()
