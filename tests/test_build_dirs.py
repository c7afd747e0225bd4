"""Where a build writes (generator/site/build_dirs.py): output folders that would delete the notes or
the repository are refused before anything is written; a killed build leaves no process behind
and does not hang the next one; its leftovers are removed by the next build; the published site
is readable by others; the swap is one step."""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest

from generator.cli import main
from generator.site import build_dirs

from .conftest import REPO_ROOT, note_text

NOTES = REPO_ROOT / "notes"


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository holding a small vault at `notes/`, as the current folder."""
    (tmp_path / ".git").mkdir()
    notes = tmp_path / "notes"
    (notes / "topic").mkdir(parents=True)
    (notes / "topic" / "c-one.md").write_text(
        note_text(id="one", title="One / Один", body="# Summary (EN)\nText.\n# Сводка (RU)\nТекст."),
        encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


# (option, value relative to the workspace) that must be refused; `notes` is `notes/`.
REFUSED = [
    ("--site", "notes"), ("--site", "."), ("--site", ".."), ("--site", "notes/topic"),
    ("--site", "notes/site"),
    ("--keep-project", "notes"), ("--keep-project", "."), ("--keep-project", "notes/project"),
    ("--cache-dir", "notes"), ("--cache-dir", "."), ("--cache-dir", "notes/cache"),
]


@pytest.mark.parametrize(("option", "value"), REFUSED, ids=[f"{o}={v}" for o, v in REFUSED])
def test_an_output_that_is_holds_or_sits_in_the_notes_or_repository_is_refused(
        workspace, option, value, capsys):
    before = _files(workspace)
    argv = ["build", "--notes", "notes", "--site", "site", option, value]
    assert main(argv) == 2
    message = capsys.readouterr().err
    assert option in message and "kb: error:" in message
    assert _files(workspace) == before  # nothing written, nothing deleted


def test_notes_inside_the_site_folder_are_refused_too(tmp_path, monkeypatch):
    """`--notes v/notes --site v` once deleted v/notes."""
    vault = tmp_path / "v"
    shutil.copytree(NOTES, vault / "notes")
    monkeypatch.chdir(tmp_path)
    assert main(["build", "--notes", "v/notes", "--site", "v"]) == 2
    assert _files(vault / "notes") == _files(NOTES)


def test_an_existing_folder_that_is_no_site_is_not_replaced(workspace, capsys):
    (workspace / "docs").mkdir()
    (workspace / "docs" / "thesis.txt").write_text("years of work", encoding="utf-8")
    assert main(["build", "--notes", "notes", "--site", "docs", "--no-cache"]) == 2
    assert "exists and is not what a kb build writes" in capsys.readouterr().err
    assert (workspace / "docs" / "thesis.txt").read_text(encoding="utf-8") == "years of work"


def test_folders_the_loader_skips_and_an_earlier_site_are_accepted(workspace):
    """Inside the notes folder, a folder starting with `_` or `.` is no note (load.py): a vault
    kept at the repository's root builds into `_site` with its cache in `.cache/kb`."""
    argv = ["build", "--notes", "notes", "--site", "notes/_site", "--cache-dir", "notes/.cache/kb",
            "--allow-errors"]
    assert main(argv) == 0
    assert (workspace / "notes" / "_site" / "en" / "index.html").is_file()
    assert main(argv) == 0  # replacing its own earlier site


def test_the_published_site_is_readable_by_others(workspace):
    """Folders 0755 and files 0644 under umask 022, as any build tool's output (the staging
    folder came from mkdtemp, 0700: a web server running as another user was refused)."""
    old = os.umask(0o022)
    try:
        assert main(["build", "--notes", "notes", "--site", "site", "--no-cache", "--allow-errors"]) == 0
    finally:
        os.umask(old)
    site = workspace / "site"
    modes = {stat.S_IMODE(p.stat().st_mode) for p in [site, *site.rglob("*")] if p.is_dir()}
    assert modes == {0o755}
    modes = {stat.S_IMODE(p.stat().st_mode) for p in site.rglob("*") if p.is_file()}
    assert modes <= {0o644, 0o755}
    assert 0o644 in modes


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_a_build_removes_what_killed_builds_left_and_nothing_in_use(workspace, monkeypatch):
    temporary = workspace / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    dead = _dead_pid()
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        left = [workspace / f".site.building-{dead}-abc", workspace / f".site.old-{dead}",
                temporary / f"kb-projects-{dead}-xyz"]
        in_use = [workspace / f".site.building-{alive.pid}-abc",
                  temporary / f"kb-projects-{alive.pid}-xyz"]
        for folder in left + in_use:
            (folder / "en").mkdir(parents=True)
        cache = workspace / ".cache" / "kb"
        cache.mkdir(parents=True)
        half = [cache / "site-en.next", cache / "site-en.json.next"]
        half[0].mkdir()
        half[1].write_text("{}", encoding="utf-8")
        assert main(["build", "--notes", "notes", "--site", "site", "--cache-dir", str(cache),
                     "--allow-errors"]) == 0
        assert [p for p in left + half if p.exists()] == []
        assert all(p.exists() for p in in_use)
        assert [p.name for p in workspace.glob(".site.*")] == [in_use[0].name]
    finally:
        alive.kill()
        alive.wait()


def test_the_swap_is_one_step(tmp_path):
    """renameat2(RENAME_EXCHANGE): the new site takes the old one's place and the old one goes
    with the staging folder; at no moment is there no site."""
    site, staging = tmp_path / "site", tmp_path / ".site.building-1-x"
    site.mkdir()
    (site / "old.html").write_text("old", encoding="utf-8")
    staging.mkdir()
    (staging / "new.html").write_text("new", encoding="utf-8")
    inode = staging.stat().st_ino
    if not build_dirs._exchange(staging, site):
        pytest.skip("no renameat2 on this platform: two renames are used")
    assert site.stat().st_ino == inode and (staging / "old.html").is_file()
    build_dirs._exchange(staging, site)  # back again
    build_dirs.swap_into_place(staging, site)
    assert [p.name for p in tmp_path.iterdir()] == ["site"]
    assert (site / "new.html").read_text(encoding="utf-8") == "new"


# --- killed builds ---------------------------------------------------------------------------

def _processes_with(token: str) -> list[int]:
    """Processes whose environment carries `token`: a build and everything it started."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if token.encode() in (entry / "environ").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def _pagefind_running(token: str) -> bool:
    for pid in _processes_with(token):
        try:
            if b"pagefind" in Path(f"/proc/{pid}/cmdline").read_bytes():
                return True
        except OSError:
            continue
    return False


def _kill_and_rebuild(notes: Path, tmp_path: Path, kill_points: list[str],
                      converted: Path | None = None) -> None:
    """Kill a build at each point (seconds after its start, or once Pagefind runs), then build
    again. `converted`: a cache folder whose converted pages (pages-<language>/) seed this one."""
    site, cache = tmp_path / "site", tmp_path / "cache"
    if converted is not None:
        for language in ("en", "ru"):
            shutil.copytree(converted / f"pages-{language}", cache / f"pages-{language}")
    command = [sys.executable, "-m", "generator", "build", "--notes", str(notes), "--site",
               str(site), "--cache-dir", str(cache), "--allow-errors"]
    for point in kill_points:
        token = f"KB_KILL_TEST={uuid.uuid4().hex}"
        env = {**os.environ, "KB_KILL_TEST": token.partition("=")[2]}
        build = subprocess.Popen(command, env=env, cwd=REPO_ROOT, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 240
        if point == "pagefind":
            while not _pagefind_running(token) and build.poll() is None:
                assert time.monotonic() < deadline
                time.sleep(0.05)
        else:
            time.sleep(float(point))
        build.send_signal(signal.SIGKILL)
        build.wait()
        # Nothing it started may outlive it for long: the workers die with it.
        stop = time.monotonic() + 3
        while _processes_with(token) and time.monotonic() < stop:
            time.sleep(0.1)
        left = _processes_with(token)
        for pid in left:
            os.kill(pid, signal.SIGKILL)
        assert left == [], f"killed at {point}: processes left behind"
    # The next build takes the cache lock and finishes, and cleans up after the killed ones.
    finished = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True,
                              timeout=300)
    assert finished.returncode == 0, finished.stderr[-2000:]
    assert (site / "en" / "index.html").is_file()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site.")] == []
    assert [p.name for p in cache.iterdir() if p.name.endswith(".next")] == []


def test_a_killed_build_leaves_no_process_and_the_next_build_finishes(tmp_path):
    _kill_and_rebuild(NOTES, tmp_path, ["1.5", "pagefind"])


@pytest.mark.real_vault
def test_a_killed_build_of_the_real_vault_leaves_no_process(corpus, real_vault_site, tmp_path):
    # The session's converted pages (not its kept output, with which nothing would be built
    # again and Pagefind would not run): each build still renders and writes every page
    # through MkDocs and indexes it, without converting 1,300 notes from nothing three times.
    _kill_and_rebuild(corpus, tmp_path, ["3", "8", "pagefind"], converted=real_vault_site.cache)
