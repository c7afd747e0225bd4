"""A note's metadata, read once from its front matter and body: what render, the graph views,
search and study show of a note. Only validation and fix look at the raw YAML.

Titles, per language, by this fallback chain (the first that gives text wins):

1. `title` in the front matter, as the page's language's half of `English / Русский`
   (language.split_title); a title in one language only is that title on both pages.
2. The note's question in the page's language, then in the other: the first line of text under a
   `Question` / `Вопрос` heading (transliterated `Vopros` too), cut at a word near 100 characters.
3. The note's first level-1 heading that is not a section name (`# Kotlin Flow`, not
   `# Summary (EN)`).
4. The file name made readable: the part before the first `--` (which file-name conventions
   use for qualifiers such as topic and difficulty), without a kind prefix of one to three
   letters (`q-`, `c-`, `moc-`), hyphens and underscores as spaces, the first letter capital:
   `q-what-is-a-coroutine--kotlin--easy` reads "What is a coroutine".

So no page, link, search result or graph label shows a raw file name.

The other fields are the front matter's, their types settled: text fields are stripped text or
None (a list is joined), dates ISO text, list fields tuples of strings. A note's kind comes from
`kind`, else from its file name's prefix (`q-`, `c-`, `moc-`).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ..model import LANGUAGES, Language, Note, NoteMeta
from .language import marker_language, split_title, strip_marker

QUESTION_HEADINGS = frozenset({"question", "вопрос", "vopros"})
# Headings that name a section rather than the note (they are never a title).
_SECTION_NAMES = QUESTION_HEADINGS | frozenset({
    "answer", "ответ", "otvet", "summary", "краткое описание", "сводка", "svodka", "key points",
    "ключевые моменты", "references", "ссылки", "follow-ups", "дополнительные вопросы",
    "related questions", "связанные вопросы", "english", "русский", "russian",
})
_TITLE_LENGTH = 100
_KIND_PREFIX = re.compile(r"^[a-z]{1,3}-(?=\w)")
_MARKUP = re.compile(r"^[\s>#*_`~\-+]*(?:\d+[.)]\s+)?|[*_`~]+|\[\[|\]\]|\s+$")


# The difficulty levels pages group questions by, easiest first.
DIFFICULTIES = ("easy", "medium", "hard")


def build(note: Note) -> NoteMeta:
    """The note's NoteMeta, by the rules of the module docstring and of each field's comment."""
    meta = note.meta
    title = meta.get("title")
    title_field = title if isinstance(title, str) and title.strip() else None
    note_id = meta.get("id")
    return NoteMeta(
        titles=split_title(title_field) if title_field else _titles(note),
        kind=_kind(note),
        id=str(note_id) if isinstance(note_id, (str, int)) else None,
        title_field=title_field,
        topic=_text(meta.get("topic")),
        difficulty=(_text(meta.get("difficulty")) or "").lower() or None,
        status=_text(meta.get("status")),
        summary=_text(meta.get("summary")),
        created=_date(meta.get("created")),
        updated=_date(meta.get("updated")),
        tags=_strings(meta.get("tags")),
        aliases=_strings(meta.get("aliases")),
        subtopics=tuple(as_list(meta.get("subtopics"))),
        related=tuple(as_list(meta.get("related"))),
        moc=tuple(as_list(meta.get("moc"))),
        publish=_flag(meta.get("publish")),
        draft=_flag(meta.get("draft")),
    )


def as_list(value: object) -> list[str]:
    """A front-matter value that should be a list of names, as a list of strings: a scalar is
    a list of one, blank and nested items are left out (they are validation's to report)."""
    if value is None or value == "":
        return []
    if isinstance(value, (str, int, float)):
        return [str(value)]
    if isinstance(value, list):
        return [str(item) for item in value if isinstance(item, (str, int, float)) and str(item).strip()]
    return []


def _kind(note: Note) -> str:
    declared = note.meta.get("kind")
    if isinstance(declared, str) and declared.strip():
        return declared.strip().lower()
    stem = note.stem.lower()
    if stem.startswith("moc-"):
        return "moc"
    if stem.startswith("c-"):
        return "concept"
    if stem.startswith("q-") or "question_kind" in note.meta:
        return "question"
    return "note"


def _flag(value: object) -> bool | None:
    """A yes/no field: a YAML boolean, or `true`/`false`/`yes`/`no` written as text."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return {"true": True, "yes": True, "false": False, "no": False}.get(value.strip().lower())
    return None


def _text(value: Any) -> str | None:
    if isinstance(value, list):
        value = ", ".join(str(item) for item in value)
    return str(value).strip() or None if value not in (None, "") else None


def _date(value: Any) -> str | None:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    return _text(value)


def _strings(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value] if isinstance(value, (str, int)) else []
    return tuple(str(item).strip() for item in items
                 if isinstance(item, (str, int)) and str(item).strip())


def _titles(note: Note) -> dict[Language, str]:
    """Titles by the fallbacks 2-4 of the module docstring (a note without a `title`)."""
    questions = {language: _question_line(note, language) for language in LANGUAGES}
    heading = _first_title_heading(note)
    readable = readable_name(note.stem)
    titles: dict[Language, str] = {}
    for language in LANGUAGES:
        other = LANGUAGES[1 - LANGUAGES.index(language)]
        titles[language] = questions[language] or questions[other] or heading or readable
    return titles


def _question_line(note: Note, language: Language) -> str | None:
    for section in note.sections:
        if section.heading is None or section.language != language:
            continue
        if strip_marker(section.heading).strip(" :*_").lower() not in QUESTION_HEADINGS:
            continue
        for line in section.text.split("\n")[1:]:
            if line.lstrip().startswith(("```", "~~~", "<", "|", "![")):
                continue
            text = _MARKUP.sub("", line).strip()
            if sum(char.isalpha() for char in text) >= 3:
                return _shortened(text)
    return None


def _first_title_heading(note: Note) -> str | None:
    for section in note.sections:
        if section.level != 1 or section.heading is None or marker_language(section.heading):
            continue
        name = strip_marker(section.heading).strip(" :*_")
        if name and name.lower() not in _SECTION_NAMES:
            return _shortened(name)
    return None


def _shortened(text: str) -> str:
    if len(text) <= _TITLE_LENGTH:
        return text
    cut = text.rfind(" ", 0, _TITLE_LENGTH)
    return text[: cut if cut > _TITLE_LENGTH // 2 else _TITLE_LENGTH].rstrip(" ,;:") + "…"


def readable_name(stem: str) -> str:
    """`q-what-is-a-coroutine--kotlin--easy` -> `What is a coroutine` (rule 4 above)."""
    words = _KIND_PREFIX.sub("", stem.split("--", 1)[0] or stem)
    words = re.sub(r"[-_]+", " ", words).strip() or stem
    return words[:1].upper() + words[1:]
