"""What a build says while it runs. A cold build of a real vault takes a minute or more, and
saying nothing until the end reads as a hang.

Three modes, chosen by the command line (`progress_mode`):

- `bars` (standard error is a terminal, not CI, no `--quiet`): each stage as it starts and
  ends, and one progress bar per language for MkDocs' pages (done / total, rate and the time
  left, by tqdm), the languages' bars side by side as their processes build them;
- `lines` (CI, a pipe, a log file): a line per stage when it ends, and a language's pages at a
  quarter, a half and three quarters done — plain lines that a log keeps readable;
- `quiet` (`--quiet`): nothing but the diagnostics and the closing summary.

MkDocs says nothing per page at its default level: its debug records `Reading: <page>` (the
conversion, most of the time) and `Building page <page>` (the theme) are counted by a filter on
its build logger, which drops them (no handler sees them) and passes everything else on.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Literal, TextIO

Mode = Literal["bars", "lines", "quiet"]
MODES: tuple[Mode, ...] = ("bars", "lines", "quiet")


def progress_mode(quiet: bool, stream: TextIO | None = None) -> Mode:
    stream = stream or sys.stderr
    if quiet:
        return "quiet"
    if stream.isatty() and not os.environ.get("CI"):
        return "bars"
    return "lines"


@contextmanager
def stage(mode: Mode, name: str, stream: TextIO | None = None) -> Iterator[None]:
    """Say that a stage runs (bars) and how long it took (bars, lines)."""
    stream = stream or sys.stderr
    if mode == "quiet":
        yield
        return
    if mode == "bars":
        print(f"kb: {name}…", file=stream, flush=True)
    started = time.perf_counter()
    yield
    print(f"kb: {name}: {time.perf_counter() - started:.1f}s", file=stream, flush=True)


class PageCounter(logging.Filter):
    """Counts MkDocs' per-page debug records into a bar or into lines; see the module doc. Its
    pages are converted first (`Reading:`, most of the time), then written through the theme
    (`Building page`): a bar for each phase in turn."""

    _PHASES = {"Reading: ": "converting", "Building page ": "writing"}

    def __init__(self, mode: Mode, language: str, pages: int, position: int,
                 stream: TextIO | None = None):
        super().__init__()
        self.mode, self.language, self.pages = mode, language, pages
        self.stream = stream or sys.stderr
        self.phase = ""
        self.done = 0
        self.passes = logging.WARNING  # set by counting_pages to the logger's own level
        self.bar = None
        if mode == "bars" and pages:
            from tqdm import tqdm

            # Measured once: a terminal of no known width would get no bar at all.
            self.bar = tqdm(total=pages, desc=f"kb: {language}", unit=" pages",
                            position=position, leave=False, file=self.stream)

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno != logging.DEBUG:
            return record.levelno >= self.passes  # what the logger let through before
        message = record.getMessage()
        phase = next((name for prefix, name in self._PHASES.items()
                      if message.startswith(prefix)), None)
        if phase is None:
            return False
        if phase != self.phase:
            self.phase, self.done = phase, 0
            if self.bar is not None:
                self.bar.reset(total=self.pages)
                self.bar.set_description(f"kb: {self.language}: {phase}")
        self.done += 1
        if self.bar is not None:
            self.bar.update(1)
        elif self.mode == "lines" and phase == "converting" and self.pages >= 4 \
                and self.done % (self.pages // 4) == 0 and self.done < self.pages:
            print(f"kb: {self.language}: {self.done} of {self.pages} pages converted",
                  file=self.stream, flush=True)
        return False  # no handler is meant to see MkDocs' debug records

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


@contextmanager
def counting_pages(mode: Mode, language: str, pages: int, position: int) -> Iterator[None]:
    """Count the pages MkDocs converts and builds in this process while the block runs."""
    if mode == "quiet" or not pages:
        yield
        return
    counter = PageCounter(mode, language, pages, position)
    build_log = logging.getLogger("mkdocs.commands.build")
    level = build_log.level
    counter.passes = build_log.getEffectiveLevel()
    build_log.setLevel(logging.DEBUG)
    build_log.addFilter(counter)
    try:
        yield
    finally:
        build_log.removeFilter(counter)
        build_log.setLevel(level)
        counter.close()
