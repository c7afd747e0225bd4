"""Words the pages show for a vault's own vocabulary, in each language: the labels of field
values (a topic `data-structures` reads "Data structures" on the English pages and "Структуры
данных" on the Russian ones; a status `draft` reads "Draft" / "Черновик"), and the names of the
sections notes share between languages (`## References` on the English page is `## Ссылки` on
the Russian one).

Both come from the taxonomy file (taxonomy_default.yml documents the format), so a vault whose
vocabulary grows adds its words there:

    labels:
      topic:
        data-structures: {en: Data structures, ru: Структуры данных}
    sections:
      references: {en: References, ru: Ссылки, also: [Sources, Источники, Ssylki]}

A vault's entries replace the built-in entries of the same name (one value's label, one
section); the others stay. A value without a label is shown made readable (`data-structures`:
"Data structures") on both pages. A section is recognised by any of its names, in either
language or transliterated, in any case, with or without a language marker and a trailing colon.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Protocol

from ..model import LANGUAGES, Language

if TYPE_CHECKING:
    import yaml


class Reader(Protocol):
    """What reading these entries needs of the taxonomy file's reader (taxonomy.py), which
    knows the line of every node for its error messages."""

    def mapping(self, node: yaml.Node, where: str, keys: tuple[str, ...] | None = None
                ) -> dict[str, tuple[yaml.Node, yaml.Node]] | None: ...

    def string(self, node: yaml.Node, where: str, allow_none: bool = False) -> str | None: ...

    def strings(self, node: yaml.Node, where: str, allow_empty: bool = True
                ) -> tuple[str, ...] | None: ...

    def problem(self, node: yaml.Node | None, message: str) -> None: ...


@dataclass(frozen=True)
class SectionName:
    """A section notes keep once per language, or once for both: its name in each language,
    and the other names authors give it."""

    key: str
    names: Mapping[Language, str]
    also: tuple[str, ...] = ()


@dataclass(frozen=True)
class Labels:
    values: Mapping[str, Mapping[str, Mapping[Language, str]]] = field(default_factory=dict)
    sections: Mapping[str, SectionName] = field(default_factory=dict)

    def label(self, field_name: str, value: str, language: Language) -> str:
        """How `value` of `field_name` reads on `language`'s pages."""
        known = self.values.get(field_name, {}).get(value)
        if known and known.get(language):
            return known[language]
        return readable(value)

    def section(self, heading: str) -> SectionName | None:
        """The known section a heading names, if any: by one of its names, or by one followed
        by a known qualifier in parentheses (`Related (Hard)`, `Prerequisites (Easier)`)."""
        found = self._qualified(heading)
        return found[0] if found else None

    def section_heading(self, heading: str, language: Language) -> str | None:
        """A known section's heading as `language`'s pages show it, its qualifier translated
        too (`Related (Hard)` -> `Связанные (сложные)`); None for a heading no section has."""
        found = self._qualified(heading)
        if found is None:
            return None
        section, qualifier = found
        if qualifier is None:
            return section.names[language]
        return f"{section.names[language]} ({self.values[QUALIFIER][qualifier][language]})"

    def _qualified(self, heading: str) -> tuple[SectionName, str | None] | None:
        if len(heading) > _LONGEST_NAME:  # no section is named so long; and the patterns below
            return None                   # would take quadratic time on a heading of spaces
        name = section_name(heading)
        if name in self._by_name:
            return self._by_name[name], None
        match = _QUALIFIED.match(name)
        if match is None or match.group(1) not in self._by_name:
            return None
        qualifier = next((key for key, words in self.values.get(QUALIFIER, {}).items()
                          if match.group(2) in {key, *map(section_name, words.values())}), None)
        return (self._by_name[match.group(1)], qualifier) if qualifier else None

    @cached_property
    def _by_name(self) -> dict[str, SectionName]:
        return {section_name(name): section for section in self.sections.values()
                for name in (*section.names.values(), *section.also)}


_LONGEST_NAME = 120

# `labels.qualifier`: the words in parentheses after a section's name (`Related (Hard)`).
QUALIFIER = "qualifier"
_QUALIFIED = re.compile(r"^(.*?\S)\s*\(\s*[\"'«]?([^()\"'»]+?)[\"'»]?\s*\)$")

_MARKER = re.compile(r"\s*\((?:en|eng|english|ru|rus|russian|рус|русский)\)\s*", re.IGNORECASE)


# A heading's trailing attribute list (`{#id}`), which is no part of its name.
ATTRIBUTES = re.compile(r"\s*\{[^{}]*\}\s*$")


def section_name(heading: str) -> str:
    """A heading as a section's name is compared: without its language marker, attribute list,
    emphasis and trailing colon, spaces folded, lower case (`**Follow-ups (EN):**` ->
    `follow-ups`)."""
    text = ATTRIBUTES.sub("", heading)  # `## Ссылки {#ссылки-ru}`: an id, not the name
    text = _MARKER.sub(" ", text)
    text = re.sub(r"\s+", " ", text).strip(" :*_").lower()
    return text.replace("ё", "е")


def readable(value: str) -> str:
    """`data-structures` -> `Data structures`; text with spaces or capitals is left as it is."""
    if value != value.lower() or " " in value:
        return value
    words = re.sub(r"[-_]+", " ", value).strip()
    return words[:1].upper() + words[1:] if words else value


# --- reading the taxonomy file ----------------------------------------------------------------

def read_labels(reader: Reader, node: yaml.Node, base: Labels) -> Labels:
    """`labels:` {field: {value: {en: …, ru: …}}}, merged over `base` value by value."""
    values = {name: dict(entries) for name, entries in base.values.items()}
    for name, (_, field_node) in (reader.mapping(node, "labels") or {}).items():
        for value, (_, label_node) in (reader.mapping(field_node, f"labels.{name}") or {}).items():
            words = _words(reader, label_node, f"labels.{name}.{value}", ())
            if words is not None:
                values.setdefault(name, {})[value] = words[0]
    return Labels(values=values, sections=base.sections)


def read_sections(reader: Reader, node: yaml.Node, base: Labels) -> Labels:
    """`sections:` {key: {en: …, ru: …, also: […]}}, each replacing `base`'s of that key."""
    sections = dict(base.sections)
    for key, (_, section_node) in (reader.mapping(node, "sections") or {}).items():
        words = _words(reader, section_node, f"sections.{key}", ("also",))
        if words is not None:
            sections[key] = SectionName(key, words[0], words[1])
    return Labels(values=base.values, sections=sections)


def _words(reader: Reader, node: yaml.Node, where: str, extra: tuple[str, ...]
           ) -> tuple[dict[Language, str], tuple[str, ...]] | None:
    entries = reader.mapping(node, where, (*LANGUAGES, *extra))
    if entries is None:
        return None
    names: dict[Language, str] = {}
    for language in LANGUAGES:
        if language not in entries:
            reader.problem(node, f"{where} needs a name in each language ({', '.join(LANGUAGES)})")
            return None
        text = reader.string(entries[language][1], f"{where}.{language}")
        if text is None:
            return None
        names[language] = text
    also = reader.strings(entries["also"][1], f"{where}.also") if "also" in entries else ()
    return names, also or ()
