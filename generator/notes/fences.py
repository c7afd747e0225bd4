"""Where fenced code blocks are in a Markdown text, found with one regex pass.

Headings, wikilinks, callouts and raw HTML inside fenced code are text, not structure; every
scanner asks this module instead of walking lines itself.
"""

from __future__ import annotations

import re
from bisect import bisect_right

_FENCE_RUN = re.compile(r"```+|~~~+")  # literal prefixes: the fastest scan


def fence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) character offsets of each fenced block, fences included. An unclosed
    fence runs to the end of the text, as in CommonMark."""
    if "```" not in text and "~~~" not in text:
        return []
    spans = []
    opened: tuple[int, str] | None = None
    # Find runs of fence characters (a literal scan, far faster than a multi-line `^` pattern
    # tried at every offset), then keep those that only white space precedes on their line.
    for match in _FENCE_RUN.finditer(text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        if text[line_start:match.start()].strip(" \t"):
            continue
        line_end = text.find("\n", match.end())
        rest = text[match.end():line_end if line_end >= 0 else len(text)]
        fence = match.group(0)
        if opened is None:
            opened = (line_start, fence)
        elif fence[0] == opened[1][0] and len(fence) >= len(opened[1]) and not rest.strip():
            spans.append((opened[0], line_end if line_end >= 0 else len(text)))
            opened = None
    if opened is not None:
        spans.append((opened[0], len(text)))
    return spans


class Positions:
    """Answers "which line is offset N on" and "is offset N inside fenced code" quickly."""

    def __init__(self, text: str):
        self.text = text
        self.spans = fence_spans(text)
        self._starts = [span[0] for span in self.spans]
        self._last_offset = 0
        self._last_line = 0

    def in_code(self, offset: int) -> bool:
        index = bisect_right(self._starts, offset) - 1
        return index >= 0 and offset < self.spans[index][1]

    def line(self, offset: int) -> int:
        """0-based line index of `offset`. Callers ask in increasing order, so newlines are
        counted from the previous answer, once over the whole text."""
        if offset < self._last_offset:
            self._last_offset, self._last_line = 0, 0
        self._last_line += self.text.count("\n", self._last_offset, offset)
        self._last_offset = offset
        return self._last_line

    def line_start(self, offset: int) -> int:
        return self.text.rfind("\n", 0, offset) + 1
