"""Rules on the body's text: a paragraph too large for Markdown (FILE010), and what the template
left for the author to write (TODO001): sections holding only '...', unexpanded `<% … %>`
expressions. Placeholders in front-matter fields are checked with the fields (fields.py).
"""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Diagnostic, Note
from ..notes import paragraphs
from ..notes.placeholders import first_placeholder_line, is_placeholder_section, templater_expressions
from .codes import make
from .context import Context


def check_paragraphs(note: Note, context: Context) -> Iterator[Diagnostic]:
    """A paragraph too large for Markdown, published as plain text (FILE010, paragraphs.py)."""
    for start, _, reason in paragraphs.oversized(note.body):
        yield make("FILE010", note.key, note.body_line + note.body.count("\n", 0, start),
                   f"paragraph {reason}; it is published as plain text, without formatting "
                   "or links")


def check_placeholder_text(note: Note, context: Context) -> Iterator[Diagnostic]:
    """Body sections that hold nothing but the template's '...', and unexpanded template
    expressions in the body (TODO001)."""
    for section in note.sections:
        if not is_placeholder_section(section.text):
            continue
        if section.heading is not None:
            yield make("TODO001", note.key, section.line,
                       f"section '{section.heading}' still holds the template's placeholder "
                       "'...'; write it (or delete the section)")
        else:
            offset = first_placeholder_line(section.text) or 0
            yield make("TODO001", note.key, section.line + offset,
                       "the template's placeholder '...' is still here; write the text")
    for index, expression in templater_expressions(note.body):
        yield make("TODO001", note.key, note.body_line + index,
                   f"template expression {expression} was never expanded; replace it "
                   "with the text it stands for")
