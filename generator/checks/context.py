"""What a rule is given besides the note (`Context`), and the small readers every family of
rules shares: the line a key or a list item is on, a list's text items, a value as a message
shows it.

Lines: a field's problem points at the key's line, a list item's at the item's own line, a
missing field at the front matter's first line, a section's at its heading.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ..model import Diagnostic, Language, Note
from ..notes.placeholders import is_placeholder
from .taxonomy import KindSpec, Taxonomy

LANGUAGE_NAMES: dict[Language, str] = {"en": "English", "ru": "Russian"}
LANGUAGE_CODES: dict[str, Language] = {"en": "en", "ru": "ru"}


@dataclass(frozen=True)
class Context:
    """What a rule may read besides the note."""

    taxonomy: Taxonomy
    today: dt.date

    def kind(self, note: Note) -> KindSpec | None:
        """The taxonomy's spec of the note's kind; None for a kind it does not describe."""
        return self.taxonomy.kinds.get(note.kind)


# A rule: every problem of one family in one note, as Diagnostics.
Rule = Callable[[Note, Context], Iterator[Diagnostic]]


def key_line(note: Note, key: str) -> int:
    """The line of a front-matter key; the front matter's first line when the key is missing."""
    return note.front.key_lines.get(key) or note.front.start_line or 1


def item_line(note: Note, key: str, index: int) -> int:
    """The line of a list's item `index`; the key's line when the list is written on one."""
    lines = note.front.item_lines.get(key, ())
    return lines[index] if index < len(lines) else key_line(note, key)


def is_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, dict)):
        return not value
    return False


def text_items(value: Any) -> list[tuple[int, str]]:
    """(index, text) of a list's scalar items; anything else is FM103's business, and a
    template's placeholder item ('...') is TODO001's."""
    if not isinstance(value, list):
        return []
    return [(index, str(item)) for index, item in enumerate(value)
            if isinstance(item, (str, int, float)) and not isinstance(item, bool)
            and not is_placeholder(item)]


def shown(value: Any) -> str:
    """A value as a message names it: text quoted, anything else by what it is."""
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value)"
    if isinstance(value, (int, float)):
        return f"{value} (a number)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def choices(values: tuple[str, ...]) -> str:
    """The allowed values as a message lists them: all of a few, the first ten of many."""
    if len(values) <= 12:
        return ", ".join(values)
    return ", ".join(values[:10]) + f", … ({len(values)} in all, see the taxonomy)"
