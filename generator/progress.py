"""What a build says while it runs. A cold build of a real vault takes a minute or more, and
saying nothing until the end reads as a hang.

Three modes, chosen by the command line (`progress_mode`):

- `bars` (standard error is a terminal, not CI, no `--quiet`): each stage as it starts and
  ends, and one progress bar per language for MkDocs' pages (done / total, rate and the time
  left, by tqdm), the languages' bars side by side as their processes build them;
- `lines` (CI, a pipe, a log file): a line per stage when it ends, and a language's pages at a
  quarter, a half and three quarters done — plain lines that a log keeps readable;
- `quiet` (`--quiet`): nothing but the diagnostics and the closing summary.

The engine (site/engine.py, which reads MkDocs' records) reports each page as it is converted
(most of the time) and then written through the theme; this module only counts and shows them.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Literal, TextIO

Mode = Literal["bars", "lines", "quiet"]
PagePhase = Literal["converting", "writing"]
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


class PageCounter:
    """Counts a language's pages into a bar or into lines; see the module doc. Its pages are
    converted first (most of the time), then written through the theme: a bar for each phase
    in turn."""

    def __init__(self, mode: Mode, language: str, pages: int, position: int,
                 stream: TextIO | None = None):
        self.mode, self.language, self.pages = mode, language, pages
        self.stream = stream or sys.stderr
        self.phase = ""
        self.done = 0
        self.bar = None
        if mode == "bars" and pages:
            from tqdm import tqdm

            # Measured once: a terminal of no known width would get no bar at all.
            self.bar = tqdm(total=pages, desc=f"kb: {language}", unit=" pages",
                            position=position, leave=False, file=self.stream)

    def page(self, phase: PagePhase) -> None:
        """One more page through `phase`."""
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

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


@contextmanager
def counting_pages(mode: Mode, language: str, pages: int, position: int
                   ) -> Iterator[Callable[[PagePhase], None] | None]:
    """What to call for each page the engine converts or writes while the block runs (None:
    nothing is shown, and the engine need not report pages)."""
    if mode == "quiet" or not pages:
        yield None
        return
    counter = PageCounter(mode, language, pages, position)
    try:
        yield counter.page
    finally:
        counter.close()
