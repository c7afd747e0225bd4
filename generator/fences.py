"""Where fenced code blocks are in a Markdown text, found with one regex pass.

Headings, wikilinks, callouts and raw HTML inside fenced code are text, not structure; every
scanner asks this module instead of walking lines itself.
"""

from __future__ import annotations

import re
from bisect import bisect_right

_FENCE_LINE = re.compile(r"^[ \t]*(`{3,}|~{3,})(.*)$", re.M)


def fence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) character offsets of each fenced block, fences included. An unclosed
    fence runs to the end of the text, as in CommonMark."""
    if "``" not in text and "~~" not in text:
        return []
    spans = []
    opened: tuple[int, str] | None = None
    for match in _FENCE_LINE.finditer(text):
        fence = match.group(1)
        if opened is None:
            opened = (match.start(), fence)
        elif fence[0] == opened[1][0] and len(fence) >= len(opened[1]) and not match.group(2).strip():
            spans.append((opened[0], match.end()))
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
        self._line_starts: list[int] | None = None

    def in_code(self, offset: int) -> bool:
        index = bisect_right(self._starts, offset) - 1
        return index >= 0 and offset < self.spans[index][1]

    def line(self, offset: int) -> int:
        """0-based line index of `offset`."""
        if self._line_starts is None:
            self._line_starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        return bisect_right(self._line_starts, offset) - 1

    def line_start(self, offset: int) -> int:
        return self.text.rfind("\n", 0, offset) + 1
