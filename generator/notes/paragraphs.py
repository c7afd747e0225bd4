"""Paragraphs too large for the Markdown engine: found in one pass, published as plain text.

Python-Markdown parses a paragraph's inline syntax in time quadratic in its length, and its
link parser scans from every `[` to the matching `]`, or to the paragraph's end when there is
none: 20 KB of `[[[[` take it two minutes, a megabyte of `*a` many minutes. One hostile note
would stall the build. So a paragraph (a run of lines Markdown parses inline as one; list
items, table rows and headings start their own) is published as escaped plain text when it is
longer than MAX_CHARS, or when it has more than MAX_BRACKETS brackets and the link parser
would scan more than a few times its length in it (unbalanced or deeply nested brackets).
Validation reports each one (FILE010, checks/body.py); site/note_body.py publishes them so.

No author's paragraph comes near: the real vault's longest has 2,036 characters and 30
brackets. The decision is local to a paragraph, so that validation (on a note) and render (on
a page: some of the note's sections) agree. What Markdown is left with stays linear in the
size of a page, at worst some 20 scans of each character.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from .fences import fence_spans

MAX_CHARS = 10_000
MAX_BRACKETS = 20  # below this many `[` and `](`, a paragraph's link scans cost little
# Characters the link parser may scan per character of a paragraph, plus a constant:
# ordinary text stays below 1, since each `[` scans to its own `]` only.
MAX_SCANS_PER_CHAR = 4
MAX_SCANS_EXTRA = 2_000

# A line that ends a paragraph (blank) or starts one of its own (list item, heading, table row).
_BOUNDARY = re.compile(r"^[ \t]*(?:$|[-*+][ \t]|\d{1,9}[.)][ \t]|#|\|)", re.M)
_BRACKET = re.compile(r"\\[][()]|\[|\]\(|\]|\(|\)")
_SQUARE = re.compile(r"\\[][]|\[|\]")  # when there is no `](`, parentheses do not matter


def link_scan_work(text: str) -> int:
    """About how many characters Python-Markdown's link parser scans in `text`: from each `[`
    to its `]`, from each `](` to its `)`, to the end of the text when the other is missing."""
    if "[" not in text:
        return 0
    work = 0
    brackets: list[int] = []
    parens: list[tuple[int, bool]] = []  # (position, opens a link target)
    for match in (_BRACKET if "](" in text else _SQUARE).finditer(text):
        token, position = match.group(), match.start()
        if token == "[":
            brackets.append(position)
        elif token[0] == "]":
            if brackets:
                work += position - brackets.pop()
            if token == "](":
                parens.append((position, True))
        elif token == "(":
            parens.append((position, False))
        elif token == ")" and parens:
            opened, link = parens.pop()
            work += position - opened if link else 0
    work += sum(len(text) - position for position in brackets)
    work += sum(len(text) - position for position, link in parens if link)
    return work


def _brackets(text: str) -> int:
    return text.count("[") + text.count("](")


def _limit(paragraph: str) -> str | None:
    """Why a paragraph is too much for Markdown, or None."""
    if len(paragraph) > MAX_CHARS:
        return f"is {len(paragraph):,} characters long (limit {MAX_CHARS:,})"
    if _brackets(paragraph) > MAX_BRACKETS and link_scan_work(paragraph) > \
            MAX_SCANS_PER_CHAR * len(paragraph) + MAX_SCANS_EXTRA:
        return "has too many unbalanced or nested brackets"
    return None


def _prose(low: int, high: int, code: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """The stretches between `low` and `high` that are outside the `code` spans (sorted)."""
    position = low
    for code_start, code_end in code:
        if code_end <= position:
            continue
        if code_start >= high:
            break
        if code_start > position:
            yield position, code_start
        position = code_end
        if position >= high:
            return
    yield position, high


def _units(text: str, low: int, high: int, code: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """(start, end) offsets of each paragraph between `low` and `high`, outside `code`."""
    for prose_start, prose_end in _prose(low, high, code):
        edges = [prose_start]
        for match in _BOUNDARY.finditer(text, prose_start, prose_end):
            edges.append(match.start())
            if match.group().lstrip(" \t")[:1] in ("#", "|"):  # one line each: a heading, a row
                after = text.find("\n", match.start(), prose_end)
                if after >= 0:
                    edges.append(after + 1)
        edges.append(prose_end)
        for first, end in zip(edges, edges[1:], strict=False):
            while first < end and text[first] == "\n":
                first += 1
            while end > first and text[end - 1] == "\n":
                end -= 1
            if text[first:end].strip():
                yield first, end


def oversized(text: str) -> list[tuple[int, int, str]]:
    """(start, end) offsets of each paragraph of `text` to publish as plain text, and why."""
    found: list[tuple[int, int, str]] = []
    code: list[tuple[int, int]] | None = None
    offset = 0
    for block in text.split("\n\n"):  # a paragraph lies within one of these
        start, offset = offset, offset + len(block) + 2
        if len(block) <= MAX_CHARS and _brackets(block) <= MAX_BRACKETS:
            continue  # nothing in it can be beyond a limit: nearly every block of a vault
        if code is None:
            code = fence_spans(text)
        for first, end in _units(text, start, start + len(block), code):
            paragraph = text[first:end]
            if paragraph.lstrip(" \t").startswith("#"):
                # A heading reaches Markdown as its text only (render.py rewrites the line).
                paragraph = paragraph.strip(" \t#")
            reason = _limit(paragraph)
            if reason:
                found.append((first, end, reason))
    return found


def as_plain_text(text: str) -> str:
    """`text` with each oversized paragraph replaced by escaped HTML, which Markdown passes
    through without parsing it."""
    found = oversized(text)
    if not found:
        return text
    out: list[str] = []
    last = 0
    for start, end, _ in found:
        out.append(text[last:start])
        plain = html.escape(text[start:end]).replace("\n", "<br>\n")
        for char, entity in (("[", "&#91;"), ("]", "&#93;"), ("{", "&#123;")):
            plain = plain.replace(char, entity)  # no wikilink or attribute list in it either
        # A blank line before: Markdown reads raw HTML as a block only at a block's start.
        out.append(f'\n<p class="kb-plain">{plain}</p>\n')
        last = end
    out.append(text[last:])
    return "".join(out)
