"""Split a note's body into English, Russian and shared sections, and split bilingual titles.

The algorithm, applied to the ATX headings outside code blocks, in order:

1. A heading with a language marker, `(EN)` or `(RU)` (also `(Eng)`, `(Rus)`, `(English)`,
   `(Русский)`, any case), starts a section of that language at its level. Real notes write
   `# Question (EN)`, `## Ответ (RU)`, `# Vopros (RU)`, `### Summary (EN)`.
2. An unmarked heading deeper than the current language section belongs to it
   (`### Best Practices` under `## Answer (EN)`).
3. Any other unmarked heading starts a new section whose language comes from its own text:
   Cyrillic letters make it Russian (`## Дополнительные вопросы`); a known section name with a
   Russian counterpart present in the same note makes it English (`## References` when the note
   also has `## Ссылки (RU)`); anything else is shared and goes to both pages
   (`## References` in a note with no Russian references).
4. Text before the first heading is shared.

A page in one language is its language's sections plus the shared ones, in file order.
"""

from __future__ import annotations

import re

from .fences import Positions
from .model import Language, Section

# The look-behind starts a match only where a run of spaces starts, so that a heading of a
# million spaces is one pass, not a million.
_MARKER = re.compile(
    r"(?<![ \t])[ \t]*\((en|eng|english|ru|rus|russian|рус|русский)\)", re.IGNORECASE
)
_CYRILLIC = re.compile(r"[А-Яа-яЁё]")
_LATIN = re.compile(r"[A-Za-z]")

# Sections that real notes keep once per language under different names. An unmarked English
# heading from the left column is English-only when the note also has one from the right.
_COUNTERPARTS: dict[str, frozenset[str]] = {
    "follow-ups": frozenset({"дополнительные вопросы", "последующие вопросы", "follow-ups"}),
    "follow ups": frozenset({"дополнительные вопросы", "последующие вопросы", "follow-ups"}),
    "references": frozenset({"ссылки", "источники", "references"}),
    "related questions": frozenset({"связанные вопросы", "похожие вопросы", "related questions"}),
    "related concepts": frozenset({"связанные концепции", "связанные понятия"}),
    "related": frozenset({"связанные", "связанные вопросы"}),
    "see also": frozenset({"см. также", "смотрите также"}),
}

# Section names that say their language without a marker (transliterations included).
_NAMED: dict[str, Language] = {
    "question": "en", "answer": "en", "summary": "en", "key points": "en",
    "vopros": "ru", "otvet": "ru", "svodka": "ru",
}


# Headings that are nothing but a language's name (`## English`, `## Русский`) mark it too.
_LANGUAGE_HEADINGS: dict[str, Language] = {
    "english": "en", "in english": "en", "английский": "en", "на английском": "en",
    "russian": "ru", "in russian": "ru", "русский": "ru", "на русском": "ru",
}


def marker_language(heading: str) -> Language | None:
    match = _MARKER.search(heading) if "(" in heading else None
    if not match:
        return _LANGUAGE_HEADINGS.get(_name(heading)) if len(heading) < 24 else None
    return "ru" if match.group(1).lower() in ("ru", "rus", "russian", "рус", "русский") else "en"


def strip_marker(heading: str) -> str:
    """`Answer (EN)` -> `Answer`; the page says its language once, in the site."""
    stripped = _MARKER.sub("", heading).strip()
    return stripped or heading.strip()


def _name(heading: str) -> str:
    return re.sub(r"\s+", " ", strip_marker(heading).strip(" :*_")).lower()


# Linear in the length of a line: trailing spaces and closing hashes are removed by
# `_heading_text`, not by the pattern (a lazy text followed by `[ \t]*#*[ \t]*$` is cubic on a
# heading followed by a long run of tabs).
_HEADING_LINE = re.compile(r"^(#{1,6})[ \t]+(.*\S)[ \t]*$", re.M)


def _heading_text(text: str) -> str:
    """`Answer (EN) ##` -> `Answer (EN)`: without the closing sequence (at least one
    character is kept, so `# #` is a heading `#`)."""
    return text.rstrip("#").rstrip(" \t") or text[:1]


def find_headings(body: str) -> list[tuple[int, int, str]]:
    """(0-based line index, level, text) of every ATX heading outside fenced code."""
    if "#" not in body:
        return []
    positions = Positions(body)
    return [
        (positions.line(match.start()), len(match.group(1)), _heading_text(match.group(2)))
        for match in _HEADING_LINE.finditer(body)
        if not positions.in_code(match.start())
    ]


def split_sections(body: str, body_line: int) -> tuple[Section, ...]:
    """Split `body` (whose first line is file line `body_line`) into language sections."""
    lines = body.split("\n")
    headings = find_headings(body)
    russian_names = {
        _name(text) for _, _, text in headings
        if marker_language(text) == "ru" or (_CYRILLIC.search(text) and not marker_language(text))
    }

    sections: list[Section] = []
    starts = [index for index, _, _ in headings]
    if not starts or starts[0] > 0:
        end = starts[0] if starts else len(lines)
        text = "\n".join(lines[:end])
        if text.strip():
            sections.append(Section(None, None, 0, body_line, text))

    current: tuple[Language | None, int] | None = None  # (language, level) of the open section
    for position, (index, level, text) in enumerate(headings):
        end = starts[position + 1] if position + 1 < len(starts) else len(lines)
        marked = marker_language(text)
        if marked:
            language: Language | None = marked
            current = (marked, level)
        elif current is not None and level > current[1]:
            language = current[0]
        else:
            language = _unmarked_language(text, russian_names)
            current = (language, level)
        sections.append(
            Section(language, text, level, body_line + index, "\n".join(lines[index:end]))
        )
    return tuple(sections)


def _unmarked_language(heading: str, russian_names: set[str]) -> Language | None:
    if " / " in heading:
        halves = split_title(heading)
        if halves["en"] != halves["ru"] and not _CYRILLIC.search(halves["en"]):
            return None  # "Channel Strategies / Стратегии каналов": a heading for both
    if _CYRILLIC.search(heading):  # mixed script ("Жизненный цикл Activity") is Russian too
        return "ru"
    name = _name(heading)
    counterparts = _COUNTERPARTS.get(name)
    if counterparts and counterparts & russian_names:
        return "en"
    return _NAMED.get(name)


def languages_present(sections: tuple[Section, ...]) -> set[Language]:
    """Languages that have at least one non-empty section of their own."""
    present: set[Language] = set()
    for section in sections:
        if section.language and section.language not in present and has_content(section.text):
            present.add(section.language)
    return present


# Anything besides spaces, quote marks, rules and placeholder dots ("> ...") is content; a
# search stops at the first such character instead of rewriting the whole text.
_CONTENT = re.compile(r"[^\s>\-.…*_]")


def has_content(text: str) -> bool:
    """Whether a section (heading line included) has text besides its heading."""
    body = text.partition("\n")[2] if text.startswith("#") else text
    return _CONTENT.search(body) is not None


def dominant_script(text: str) -> Language | None:
    """The language whose letters dominate `text` (for notes with no language headings)."""
    cyrillic = len(_CYRILLIC.findall(text))
    latin = len(_LATIN.findall(text))
    if not cyrillic and not latin:
        return None
    return "ru" if cyrillic > latin * 0.5 else "en"


def split_title(title: str) -> dict[Language, str]:
    """`"English / Русский"` -> {"en": "English", "ru": "Русский"}.

    The split is at the last " / " whose right side has Cyrillic letters and whose left side
    has none, so titles like "TCP/IP vs UDP / TCP/IP и UDP" split correctly. A title with one
    language only gives the same text for both.
    """
    title = title.strip()
    parts = title.split(" / ")
    for cut in range(len(parts) - 1, 0, -1):
        left = " / ".join(parts[:cut]).strip()
        right = " / ".join(parts[cut:]).strip()
        if left and right and _CYRILLIC.search(right) and not _CYRILLIC.search(left):
            return {"en": left, "ru": right}
    if len(parts) == 2 and all(part.strip() for part in parts):
        # Both sides Latin ("Activity / Activity"): still two titles.
        return {"en": parts[0].strip(), "ru": parts[1].strip()}
    return {"en": title, "ru": title}


def has_both_title_languages(title: str) -> bool:
    parts = split_title(title)
    return parts["en"] != parts["ru"] or " / " in title
