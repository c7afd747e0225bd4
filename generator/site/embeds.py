"""Obsidian's embeds of notes, sections and blocks, shown inline on the embedding page.

`![[note]]` shows the note's text, `![[note#Heading]]` the heading with what follows it up to
the next heading of the same or a higher level, `![[note#^block-id]]` the paragraph or list
item that ends with `^block-id` (or the block above a line holding only `^block-id`), as
Obsidian's "Embed files" help describes. On each language's page an embed shows that
language's text: a note's sections of that language (and those of none), and for a heading
marked for the other language (`Answer (EN)` on the Russian page) the section at the same place
among this language's sections.

An embed alone on its line becomes a block (`<div class="kb-embed">`); a block embed inside a
line becomes its text; anything else (an embed of a missing note, a heading that is not there,
a note's embed inside a line) stays a link (`Renderer._wikilink`). Embeds inside embedded text
are expanded to a depth of 2; an embed of a note already being embedded (a cycle) is a link.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from ..model import Language, Note, NoteKey, Section
from ..notes.language import strip_marker
from ..notes.wikilinks import code_free_lines, parse_inner

MAX_DEPTH = 2
_ALONE = re.compile(r"^([ \t]*)!\[\[([^\[\]\n]{1,500}?)\]\][ \t]*$")
_INLINE = re.compile(r"!\[\[([^\[\]\n]{1,500}?#\^[A-Za-z0-9-]+)\]\]")
_BLOCK_ID = re.compile(r"(?:^|\s)\^([A-Za-z0-9-]+)[ \t]*$")
_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+")
_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)")

Resolve = Callable[[str, NoteKey], NoteKey | None]


def _anchor(text: str) -> str:
    return re.sub(r"[^\w]+", "-", strip_marker(text).lower()).strip("-")


def _sections(note: Note, language: Language) -> list[Section]:
    present = {section.language for section in note.sections if section.language is not None}
    if language not in present and present:
        language = next(iter(sorted(present)))
    return [s for s in note.sections if s.language in (language, None)]


def section_text(note: Note, heading: str, language: Language) -> str | None:
    """The section under `heading` in `language`, with its subsections; None if missing."""
    sections = list(note.sections)
    wanted = _anchor(heading)
    at = next((i for i, s in enumerate(sections) if s.heading and _anchor(s.heading) == wanted), None)
    if at is None:
        return None
    found = sections[at]
    if found.language not in (None, language):  # the same place among this language's sections
        own = [s for s in sections if s.language == found.language]
        other = [s for s in sections if s.language == language]
        place = own.index(found)
        if place < len(other):
            at = sections.index(other[place])
    level = sections[at].level
    end = at + 1
    while end < len(sections) and sections[end].level > level:
        end += 1
    return "\n".join(_unmarked(s).rstrip("\n") for s in sections[at:end])


def _unmarked(section: Section) -> str:
    """A section's text with its heading shown as on its own page, without `(EN)`/`(RU)`."""
    if section.heading is None:
        return section.text
    rest = section.text.partition("\n")[2]
    return f"{'#' * section.level} {strip_marker(section.heading)}\n{rest}"


def block_text(note: Note, block: str) -> str | None:
    """The paragraph or list item that ends with `^block`, without it; None if missing."""
    lines = "\n".join(section.text for section in note.sections).split("\n")
    for index, line in enumerate(lines):
        match = _BLOCK_ID.search(line)
        if not match or match.group(1) != block:
            continue
        if not line[:match.start()].strip():  # `^id` alone: the block above it
            end = index - 1
            while end >= 0 and not lines[end].strip():
                end -= 1
            line, index = (lines[end], end) if end >= 0 else ("", index)
        else:
            line = line[:match.start()].rstrip()
        if _ITEM.match(line):
            return _ITEM.sub("", line)
        start = index
        while (start > 0 and lines[start - 1].strip() and not _ITEM.match(lines[start])
               and not _HEADING.match(lines[start - 1])):
            start -= 1
        return "\n".join([*lines[start:index], line]).strip()
    return None


def expand(text: str, note: Note, notes: Mapping[NoteKey, Note], resolve: Resolve,
           language: Language, depth: int = 0, seen: frozenset[NoteKey] = frozenset()) -> str:
    """`text` of `note` with its embeds of notes, sections and blocks shown inline."""
    if "![[" not in text or depth >= MAX_DEPTH:
        return text
    seen = seen | {note.key}

    def embedded(inner: str) -> str | None:
        target, heading, _ = parse_inner(inner)
        key = resolve(target, note.key) if target else note.key
        if key is None or key not in notes or (key in seen and target):
            return None
        source = notes[key]
        if heading and heading.startswith("^"):
            found = block_text(source, heading[1:])
        elif heading:
            found = section_text(source, heading, language)
        else:
            found = "\n".join(s.text for s in _sections(source, language)).strip()
        if found is None:
            return None
        return expand(found, source, notes, resolve, language, depth + 1, seen)

    out = []
    for _, line, in_code in code_free_lines(text):
        alone = _ALONE.match(line) if not in_code and "![[" in line else None
        found = embedded(alone.group(2)) if alone else None
        if alone and found is not None:
            indent = alone.group(1)
            body = "\n".join(indent + part if part else "" for part in found.split("\n"))
            out.append(f'\n{indent}<div class="kb-embed" markdown="1">\n\n{body}\n\n{indent}</div>\n')
        elif not in_code and "#^" in line:
            out.append(_INLINE.sub(lambda m: " ".join((embedded(m.group(1)) or m.group(0)).split("\n")),
                                   line))
        else:
            out.append(line)
    return "\n".join(out)
