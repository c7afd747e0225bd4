"""Find Obsidian wikilinks in Markdown, outside code, and rewrite them.

`[[target]]`, `[[target|label]]`, `[[target#Heading]]`, `[[#Heading]]`, `![[embed]]`; inside a
table a label's pipe is written `\\|`. Links inside fenced or inline code are text, not links.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator

from ..model import WikiLink
from .fences import Positions

_WIKILINK = re.compile(r"(!?)\[\[([^\[\]\n]{1,500}?)\]\]")
_FENCE_OPEN = re.compile(r"^[ \t]*(`{3,}|~{3,})")
_INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1")


def parse_inner(inner: str) -> tuple[str, str | None, str | None]:
    """`target#heading|label` -> (target, heading, label)."""
    label = None
    if "|" in inner:
        inner, label = inner.split("|", 1)
        inner = inner.rstrip("\\")  # `[[a\|b]]` inside a table
        label = label.strip() or None
    heading = None
    if "#" in inner:
        inner, heading = inner.split("#", 1)
        heading = heading.strip() or None
    return inner.strip(), heading, label


def code_free_lines(text: str) -> Iterator[tuple[int, str, bool]]:
    """(0-based index, line, inside fenced code) for each line of `text`."""
    fence: str | None = None
    for index, line in enumerate(text.split("\n")):
        opened = _FENCE_OPEN.match(line) if "``" in line or "~~" in line else None
        if fence is not None:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = None
            yield index, line, True
            continue
        if opened:
            fence = opened.group(1)
            yield index, line, True
            continue
        yield index, line, False


def _inline_code_spans(line: str) -> list[tuple[int, int]]:
    return [match.span() for match in _INLINE_CODE.finditer(line)] if "`" in line else []


class _CodeSpans:
    """Is a column of a line inside inline code: spans found once per line, looked up by
    bisection, so that a line of thousands of links and code spans is not quadratic."""

    def __init__(self, line: str):
        self.spans = _inline_code_spans(line)
        self.starts = [start for start, _ in self.spans]

    def __contains__(self, column: int) -> bool:
        index = bisect_right(self.starts, column) - 1
        return index >= 0 and column < self.spans[index][1]


def find_wikilinks(text: str, first_line: int) -> tuple[WikiLink, ...]:
    """Every wikilink in `text` outside code; `first_line` is the file line of its first line."""
    if "[[" not in text:
        return ()
    positions = Positions(text)
    links = []
    line_index, line_start, code = -1, 0, _CodeSpans("")
    for match in _WIKILINK.finditer(text):
        if positions.in_code(match.start()):
            continue
        if positions.line(match.start()) != line_index:  # the first link of a line
            line_index = positions.line(match.start())
            line_start = positions.line_start(match.start())
            line_end = text.find("\n", match.start())
            code = _CodeSpans(text[line_start:line_end if line_end >= 0 else len(text)])
        column = match.start() - line_start
        if column in code:
            continue
        target, heading, label = parse_inner(match.group(2))
        links.append(
            WikiLink(
                raw=match.group(0), target=target, heading=heading, label=label,
                embed=bool(match.group(1)), line=first_line + line_index,
                column=column + 1,
            )
        )
    return tuple(links)


def replace_wikilinks(text: str, replace: Callable[[str, str | None, str | None, bool], str]) -> str:
    """Return `text` with each wikilink outside code replaced by `replace(target, heading,
    label, embed)`."""
    out = []
    for _, line, in_code in code_free_lines(text):
        if in_code or "[[" not in line:
            out.append(line)
            continue
        code = _CodeSpans(line)

        def substitute(match: re.Match[str], code: _CodeSpans = code) -> str:
            if match.start() in code:
                return match.group(0)
            target, heading, label = parse_inner(match.group(2))
            return replace(target, heading, label, bool(match.group(1)))

        out.append(_WIKILINK.sub(substitute, line))
    return "\n".join(out)
