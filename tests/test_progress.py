"""A build that talks (generator/progress.py): stages and pages as lines in CI, bars on a
terminal, nothing with --quiet; MkDocs' own records pass as they did."""

from __future__ import annotations

import io
import re

from generator.cli import main
from generator.progress import PageCounter, counting_pages, progress_mode

from .conftest import REPO_ROOT


def test_the_mode_follows_the_terminal_ci_and_quiet(monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("CI", raising=False)
    assert progress_mode(False, Terminal()) == "bars"
    assert progress_mode(False, io.StringIO()) == "lines"
    assert progress_mode(True, Terminal()) == "quiet"
    monkeypatch.setenv("CI", "true")
    assert progress_mode(False, Terminal()) == "lines"


def test_a_build_in_ci_says_each_stage_and_its_pages(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("CI", "true")
    assert main(["build", "--notes", str(REPO_ROOT / "notes"), "--site", str(tmp_path / "site"),
                 "--no-cache", "--serial"]) == 0
    err = capsys.readouterr().err
    for stage in ("load", "validate", "graph", "engine"):
        assert re.search(rf"^kb: {stage}: \d+\.\ds$", err, re.M), stage
    assert re.search(r"^kb: en: \d+ of \d+ pages converted$", err, re.M)
    assert "Building documentation" not in err and "Reading:" not in err  # MkDocs' own, unchanged
    assert main(["build", "--notes", str(REPO_ROOT / "notes"), "--site", str(tmp_path / "site"),
                 "--no-cache", "--serial", "--quiet"]) == 0
    assert "kb: load" not in capsys.readouterr().err


def test_a_terminal_gets_a_bar_per_phase_with_the_time_left():
    stream = io.StringIO()
    with counting_pages("lines", "xx", 0, 0) as on_page:  # nothing to count: nothing said
        assert on_page is None
    counter = PageCounter("bars", "ru", 3, 0, stream)
    try:
        for phase in ("converting", "converting", "converting", "writing"):
            counter.page(phase)
    finally:
        counter.close()
    shown = stream.getvalue()
    assert "kb: ru: converting" in shown and "kb: ru: writing" in shown and "pages/s" in shown
