"""Placeholders: the text a template leaves for the author to write.

The vault's templates (`_templates/_tpl-*.md`) and the built-in ones (`templates/new/`) mark
what the author must still write with `...` (or `…`), alone on a line or after a list or quote
marker (`> ...`, `- ...`), and as the value of a front-matter field (`summary: ...`,
`related: [...]`). A Templater expression (`<% tp.file.title %>`) that was never expanded is a
placeholder too. `validate` reports each one as TODO001, and the rules that would otherwise
call the same spot empty or wrong (LANG001, LANG005, FM102, FM203, LINK001…) stay quiet there:
one diagnostic that says "write this", not three that say "this is broken".
"""

from __future__ import annotations

import re
from typing import Any

from .fences import Positions
from .language import has_content

# `...`, `…`, `> ...`, `- ...`, `1. …`: a line that is nothing but the placeholder.
_PLACEHOLDER_LINE = re.compile(r"^[ \t]*(?:(?:>|[-*+]|\d+[.)])[ \t]*)*(?:\.\.\.|…)[ \t]*$", re.M)
# Templater's own syntax only (`tp.` calls, `<%* … %>` blocks), so that ERB or JSP in a code
# example (`<%= user %>`) is not taken for one.
TEMPLATER = re.compile(r"<%[-_]?[ \t]*tp\.[^\n]*?%>|<%\*.*?%>", re.S)

MARKERS = ("...", "…")


def is_placeholder(value: Any) -> bool:
    """A front-matter value (or list item) that is a template's placeholder."""
    if not isinstance(value, str):
        return False
    text = value.strip()
    return text in MARKERS or TEMPLATER.search(text) is not None


def placeholder_in(value: Any) -> str | None:
    """The placeholder a field's value holds (itself, or one of its items), or None."""
    if is_placeholder(value):
        return str(value).strip()
    if isinstance(value, list):
        for item in value:
            if is_placeholder(item):
                return str(item).strip()
    return None


def is_placeholder_section(text: str) -> bool:
    """A section (heading line included) with no content but a template's placeholder."""
    return not has_content(text) and _PLACEHOLDER_LINE.search(_without_heading(text)) is not None


def first_placeholder_line(text: str) -> int | None:
    """0-based index of the first placeholder line in `text`, or None."""
    match = _PLACEHOLDER_LINE.search(text)
    return text.count("\n", 0, match.start()) if match else None


def templater_expressions(text: str) -> list[tuple[int, str]]:
    """(0-based line index, expression) of every unexpanded `<% … %>` in `text` outside
    fenced code."""
    if "<%" not in text:
        return []
    positions = Positions(text)
    return [(text.count("\n", 0, match.start()), match.group(0))
            for match in TEMPLATER.finditer(text) if not positions.in_code(match.start())]


def _without_heading(text: str) -> str:
    return text.partition("\n")[2] if text.startswith("#") else text
