"""What a build leaves behind: the same bytes for the same notes, and nothing half-done.

- Deterministic: notes/ built twice, in two processes with different hash seeds, time zones
  and build dates (SOURCE_DATE_EPOCH: a build on another day), into folders of different
  names, gives byte-identical sites: no time stamp, random id or set order in any file
  (MkDocs' sitemap stamps every page with the build date; engine.py and sitemap.py drop it).
- Atomic: a build that fails (an exception while rendering, or in a language's worker
  process) or is interrupted (SIGTERM to the build, as CI cancels a job; SIGINT to its whole
  process group, as Ctrl-C does) leaves the previous site exactly as it was, every file's
  hash compared, and no staging folder, temporary project or process behind; an interrupted
  build stops at once (CI kills a job that does not stop within seconds).
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from bench.synthetic import generate
from generator.cli import main

from .conftest import REPO_ROOT

NOTES = REPO_ROOT / "notes"


def tree_hashes(folder: Path) -> dict[str, str]:
    """Every file under `folder` (relative path -> SHA-256 of its bytes)."""
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file() or path.is_symlink()}


def build_in_process(notes: Path, site: Path, options: list[str], **env: str
                     ) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", "build", "--notes", str(notes), "--site", str(site),
         *options], cwd=REPO_ROOT, env={**os.environ, **env}, capture_output=True, text=True,
        timeout=600)


# --- deterministic -----------------------------------------------------------------------------

@pytest.mark.parametrize("options", [[], ["--site-url", "https://kb.example.org/docs/"]],
                         ids=["without-site-url", "with-site-url"])
def test_two_builds_of_the_same_notes_are_byte_identical(tmp_path, options):
    first = build_in_process(NOTES, tmp_path / "one" / "site", options, PYTHONHASHSEED="1",
                             TZ="UTC")
    assert first.returncode == 0, first.stderr
    second = build_in_process(NOTES, tmp_path / "two" / "public", options, PYTHONHASHSEED="2",
                              TZ="Asia/Tokyo", SOURCE_DATE_EPOCH="2000000000")  # 2033-05-18
    assert second.returncode == 0, second.stderr
    one, two = tree_hashes(tmp_path / "one" / "site"), tree_hashes(tmp_path / "two" / "public")
    assert sorted(one) == sorted(two), set(one) ^ set(two)
    assert len(one) > 200
    differ = sorted(path for path in one if one[path] != two[path])
    assert not differ, f"{len(differ)} files differ: {differ[:10]}"


# --- atomic: failures --------------------------------------------------------------------------

@pytest.fixture
def previous_site(tmp_path: Path) -> Path:
    """A site that a build must leave exactly as it was when it fails."""
    site = tmp_path / "out" / "site"
    for rel, text in {"index.html": "previous root", "en/index.html": "previous en",
                      "ru/a/index.html": "previous ru", "en/pagefind/pagefind.js": "//"}.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(text, encoding="utf-8")
    return site


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The folder `tempfile` uses, here and in forked workers: it must be empty afterwards."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def assert_nothing_left(site: Path, before: dict[str, str], temporary: Path) -> None:
    assert tree_hashes(site) == before, "the previous site changed"
    assert sorted(path.name for path in site.parent.iterdir()) == [site.name], \
        "a staging or old folder was left beside the site"
    assert list(temporary.iterdir()) == [], "a temporary MkDocs project was left"


def test_an_exception_while_rendering_leaves_the_previous_site(make_vault, previous_site,
                                                               private_tmp, monkeypatch):
    notes = make_vault({f"q-{index}.md": f"---\ntitle: Q{index}\n---\ntext\n"
                        for index in range(5)})
    before = tree_hashes(previous_site)
    from generator.site.render import Renderer

    original = Renderer.note_page
    calls = []

    def fail_on_the_third(self, note):  # type: ignore[no-untyped-def]
        calls.append(note.key)
        if len(calls) == 3:
            raise RuntimeError("boom in the middle of rendering")
        return original(self, note)

    monkeypatch.setattr(Renderer, "note_page", fail_on_the_third)
    with pytest.raises(RuntimeError, match="boom"):
        main(["build", "--notes", str(notes), "--site", str(previous_site), "--allow-errors"])
    assert_nothing_left(previous_site, before, private_tmp)


def test_a_failure_in_one_language_worker_leaves_the_previous_site(make_vault, previous_site,
                                                                   private_tmp, monkeypatch):
    notes = make_vault({"q.md": "---\ntitle: Q / В\n---\n# Question (EN)\nx\n# Вопрос (RU)\nы\n"})
    before = tree_hashes(previous_site)
    from generator.site import search_index

    original = search_index.index_site

    def fail_for_russian(site_dir, language):  # type: ignore[no-untyped-def]
        if language == "ru":
            raise RuntimeError("pagefind crashed")
        original(site_dir, language)

    # The worker processes are forked after this: they run the patched function too.
    monkeypatch.setattr(search_index, "index_site", fail_for_russian)
    with pytest.raises(RuntimeError, match="pagefind crashed"):
        main(["build", "--notes", str(notes), "--site", str(previous_site)])
    assert_nothing_left(previous_site, before, private_tmp)


# --- atomic: interruptions ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def synthetic_notes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 notes: a build of a few seconds, long enough to interrupt in the middle."""
    return generate(tmp_path_factory.mktemp("synthetic") / "notes", 300)


def _staging(site: Path) -> Path | None:
    return next(site.parent.glob(f".{site.name}.building-*"), None)


@pytest.mark.parametrize(("sig", "whole_group", "stage"), [
    (signal.SIGTERM, False, "en"),  # CI cancelling: the build process is told to stop
    (signal.SIGINT, True, "en/assets"),  # Ctrl-C: the build and its workers get it
], ids=["SIGTERM-to-the-build", "SIGINT-to-the-process-group"])
def test_an_interrupted_build_leaves_the_previous_site(synthetic_notes, previous_site, tmp_path,
                                                       sig, whole_group, stage):
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    before = tree_hashes(previous_site)
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "build", "--notes", str(synthetic_notes),
         "--site", str(previous_site), "--allow-errors"],
        cwd=REPO_ROOT, env={**os.environ, "TMPDIR": str(temporary)}, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            staging = _staging(previous_site)
            if staging is not None and (staging / stage).exists():
                break  # MkDocs is writing the new site
            time.sleep(0.02)
        assert process.poll() is None, f"the build ended before it was interrupted: " \
                                       f"{process.stderr.read() if process.stderr else ''}"
        signalled = time.monotonic()
        if whole_group:
            os.killpg(process.pid, sig)
        else:
            process.send_signal(sig)
        _, err = process.communicate(timeout=120)
        stopped = time.monotonic() - signalled
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert process.returncode == 130, err
    assert "interrupted; the previous site was left as it was" in err
    # Workers are stopped too, not waited for (each would build its whole language first).
    assert stopped < 4, f"the build took {stopped:.1f}s to stop"
    assert_nothing_left(previous_site, before, temporary)
    time.sleep(0.2)
    with pytest.raises(ProcessLookupError):  # no worker or Pagefind left running
        os.killpg(process.pid, 0)
