"""A note's lead: the first lines of its text as plain text, for Material's link previews.

A link with `data-preview` (note_body.py) shows, in a tooltip, the linked page's title and what
follows it up to the next heading (Material's instant previews). On a note page that is the
badges and, without a lead, nothing else: the text starts under a heading. Obsidian's page
preview shows the note's first lines; the lead gives the same, between the badges and the first
heading, hidden on the page itself (templates/note.md.j2, kb.css shows it in the tooltip).

The rule, on the sections the page shows in its language (note_parts.page_sections, as for
the page's body):
- a question: the question's text (its first paragraph, and the paragraphs, quotes and list
  items after it that are prose: not a label such as "Kotlin:" over code);
- any other note: the first paragraph of prose (at least `language.PLAIN_MIN_LETTERS` letters:
  not a label such as "Example:" before code);
- no lead when the page has text before its first heading: the preview shows that already.
Never headings, fenced code, tables or math blocks; links and wikilinks as their text (a
wikilink as the linked note's title in the page's language), embeds and images left out,
Markdown and HTML as the text they show. Then cut at a word boundary near `LIMIT` characters,
with an ellipsis.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator
from html.parser import HTMLParser

from markdown import Markdown

from ..checks.labels import Labels
from ..model import Language, Section
from ..notes.language import has_prose, strip_marker
from ..notes.wikilinks import code_free_lines, replace_wikilinks
from . import note_parts
from .obsidian import ObsidianMarkdown

LIMIT = 300  # characters: a few lines in a preview, as Obsidian's page preview starts
# What is read of a paragraph's Markdown: four times the lead, so that links and markup still
# leave enough text, and no hostile paragraph reaches the Markdown engine (or the prose test,
# whose patterns are slow on a megabyte of unclosed `<!--` or `[`) whole.
_SOURCE_LIMIT = 4 * LIMIT

# The text a wikilink shows: (target, heading, label) -> text (`wikilink_text`).
LinkText = Callable[[str, str | None, str | None], str]

# Lines that are not prose, or that end a paragraph.
_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)")
_TABLE_ROW = re.compile(r"^[ \t]*\|")
_THEMATIC_BREAK = re.compile(r"^[ \t]*(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$")
_REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:")
_ADMONITION = re.compile(r"^[ \t]*(?:!!!|\?\?\?)")
_MATH_FENCE = re.compile(r"^[ \t]*\$\$")
# Line prefixes whose text is prose: quotes (a question is often one) and list items.
_QUOTE = re.compile(r"^[ \t]*(?:>[ \t]?)+")
_LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?")
_CALLOUT = re.compile(r"^\[![\w-]+\][+-]?")  # `> [!note] Title`: a label, not the text


def lead(sections: tuple[Section, ...], kind: str, language: Language, labels: Labels,
         link_text: LinkText) -> str | None:
    """The lead of a note's page in `language` (module docstring), or None."""
    chosen = note_parts.page_sections(sections, labels, language).sections
    if chosen and chosen[0].heading is None and has_prose(chosen[0].text[:_SOURCE_LIMIT]):
        return None  # the preview shows the text before the first heading
    question = next((block for block in note_parts.blocks(tuple(chosen), labels)
                     if block.key == "question"), None) if kind == "question" else None
    if question is not None:
        # Its first paragraph, and those after it that are prose: not "Kotlin:" over code.
        paragraphs = list(_paragraphs(question.sections))
        text = plain_text("\n".join(paragraphs[:1] + [paragraph for paragraph in paragraphs[1:]
                                                      if has_prose(paragraph[:_SOURCE_LIMIT])]),
                          link_text)
    else:
        text = next((text for paragraph in _paragraphs(chosen)
                     if has_prose(paragraph[:_SOURCE_LIMIT])
                     for text in [plain_text(paragraph, link_text)] if text), "")
    return shorten(text) or None


def shorten(text: str, limit: int = LIMIT) -> str:
    """`text` on one line, cut at the last word boundary before `limit` characters with an
    ellipsis; inside a word only when one word fills the last 40 % of the lead (an address)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    if cut < limit * 0.6:
        cut = limit - 1
    return text[:cut].rstrip(" ,;:.-–—") + "…"


def plain_text(markdown: str, link_text: LinkText) -> str:
    """The text a reader sees of a piece of Markdown, on one line: wikilinks as
    `link_text` says, embeds and images left out, markup and HTML tags as their text."""
    markdown = markdown[:_SOURCE_LIMIT]
    if "[[" in markdown:
        markdown = replace_wikilinks(markdown, lambda target, heading, label, embed:
                                     "" if embed else _escaped(link_text(target, heading, label)))
    if not markdown.strip():
        return ""
    parser = _TextOf()
    parser.feed(_markdown().reset().convert(markdown))
    parser.close()
    return " ".join("".join(parser.text).split())


def wikilink_text(title: Callable[[str], str | None]) -> LinkText:
    """Link text as a note page shows it (note_body.py): the label, else the linked note's
    title (`title(target)`, None when the target is no published note: the target as
    written), with ` › heading` for a link to a section."""
    def text(target: str, heading: str | None, label: str | None) -> str:
        if label:
            return label
        if not target:  # [[#Heading]]
            return strip_marker(heading or "")
        name = title(target) or target
        return f"{name} › {strip_marker(heading)}" if heading else name
    return text


def _text_lines(section: Section) -> Iterator[str]:
    """The lines of prose of a section, their quote and list markers off, "" where a
    paragraph ends: outside fenced code and math blocks, no headings, tables or breaks."""
    text = section.text.partition("\n")[2] if section.heading is not None else section.text
    math = False
    for _, line, in_code in code_free_lines(text):
        if math:  # a math block runs to the line that ends with `$$`
            math = not line.rstrip().endswith("$$")
            yield ""
            continue
        if in_code or _MATH_FENCE.match(line):
            stripped = line.strip()
            math = not in_code and not (len(stripped) > 2 and stripped.endswith("$$"))
            yield ""
            continue
        line = _QUOTE.sub("", line, count=1)
        if _CALLOUT.match(line) or _HEADING.match(line) or _TABLE_ROW.match(line) \
                or _THEMATIC_BREAK.match(line) or _REFERENCE.match(line) \
                or _ADMONITION.match(line) or not line.strip():
            yield ""
            continue
        item = _LIST_ITEM.match(line)
        if item:  # an item starts a paragraph of its own
            yield ""
            line = line[item.end():]
        yield line.strip()


def _paragraphs(sections: Iterable[Section]) -> Iterator[str]:
    """The paragraphs of `sections` (`_text_lines`), in order."""
    lines: list[str] = []
    for section in sections:
        for line in (*_text_lines(section), ""):
            if line:
                lines.append(line)
            elif lines:
                yield "\n".join(lines)
                lines = []


def _escaped(text: str) -> str:
    """A wikilink's text as Markdown that shows it as written."""
    return re.sub(r"([\\`*_\[\]<>])", r"\\\1", text)


@functools.lru_cache(maxsize=1)
def _markdown() -> Markdown:
    """One converter per process: Obsidian's Markdown as the pages have it (obsidian.py),
    with ==highlight== and ~~strike~~."""
    return Markdown(extensions=[ObsidianMarkdown(), "pymdownx.mark", "pymdownx.tilde"])


class _TextOf(HTMLParser):
    """The text of an HTML fragment: what a browser shows of it, without scripts and styles."""

    _SKIPPED = frozenset({"script", "style", "template"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIPPED:
            self._skipping += 1
        elif tag in ("br", "p", "li", "div"):
            self.text.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIPPED and self._skipping:
            self._skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.text.append(data)
