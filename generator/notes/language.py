"""Split a note's body into English, Russian and shared sections, and split bilingual titles.

A section is a heading and its text up to the next heading. The algorithm, applied to the ATX
headings outside code blocks, in order:

1. A heading with a language marker, `(EN)` or `(RU)` (also `(Eng)`, `(Rus)`, `(English)`,
   `(Русский)`, any case, and headings that are only a language's name, `## English`), starts
   a section of that language at its level. Real notes write `# Question (EN)`,
   `## Ответ (RU)`, `# Vopros (RU)`, `### Summary (EN)`. The marker decides, whatever the text.
   A heading that names a note's part in Russian, written or transliterated (`## Ответ`,
   `# Вопрос`, `## Otvet`, `# Краткое описание`), is a marker too, at any level: `## Ответ`
   under `# Question` starts the Russian answer.
2. An unmarked heading deeper than the current language section belongs to it
   (`### Best Practices` under `## Answer (EN)`), unless rule 3 says otherwise.
3. Prose decides where a marker would misplace it. An unmarked section under rule 2 whose prose
   (under its heading: `#### onEach / onStart` names functions) is plainly in one script
   (`prose_script`: at least 20 letters of prose, 80% of them in one script, no line plainly
   in the other; code, inline code, addresses, file names and paths, link and wikilink
   targets, HTML, comments and LaTeX are not prose) goes to that language: `## What Are
   Coroutines` in English under `# Краткое описание (RU)` is English. The sections after it
   follow it until prose plainly switches back. A section that says nothing (code, a table of
   identifiers, images, a list of bare links, a few words) goes with the text before it, since
   that is the text it illustrates (code under `### Example` under `## Answer (EN)` is
   English), or after a shared section with the part it is in; one that notes share
   (`## Related Questions`, links) is shared, as rule 4 has it. A section whose prose mixes
   both scripts without either being plain keeps the language of the section above it (rule
   2): Russian technical prose is full of English terms (`корутины Kotlin используют
   suspend`). Two exceptions say what the heading says: a heading with Cyrillic letters is
   never moved to English (`### Частые ошибки` over a list of English titles), and a
   bilingual heading (`## Responsibilities / Ответственность`) whose prose is not plainly in
   one script is shared. A shared section's subsections stay shared: they are on both pages
   already. `reassigned_sections` lists the sections rule 3 moved, for validate (LANG007) to
   suggest the marker that says so (and site/note_parts.py to show them, in their language,
   where the note puts them too).
4. Any other unmarked heading starts a new section whose language comes from its own text:
   Cyrillic letters make it Russian (`## Дополнительные вопросы`); a known section name with a
   Russian counterpart present in the same note makes it English (`## References` when the note
   also has `## Ссылки (RU)`); a section whose prose is plainly in the language of the section
   before it continues that language (notes put an answer's subsections at the answer's own
   level: `## Answer (EN)`, then `## Freshness with Cache-Control` in English), except the
   sections notes share (`## References`, `## Follow-ups`: both pages); anything else
   is shared and goes to both pages (`## References` in a note with no Russian references, a
   top-level section of code, a list of links after a Russian overview).
5. Text before the first heading is shared.

A page in one language is its language's sections plus the shared ones, in file order, so every
line is on at least one page: a section only ever changes which page it is on.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace

from ..model import Language, Section
from .fences import Positions, fence_spans

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


# The names of a note's parts in Russian (rule 1): a heading that is one of them says its
# language as plainly as a marker.
_RUSSIAN_PARTS: dict[str, Language] = {
    name: "ru" for name in ("вопрос", "ответ", "краткое описание", "ключевые моменты", "сводка",
                            "vopros", "otvet", "svodka")}


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
    return _assign(body, body_line)[0]


@dataclass(frozen=True)
class Reassigned:
    """A section whose language differs from that of the section above it (rule 3)."""

    section: Section
    parent: Section  # the section it sits under: a marked heading, or one reassigned before
    written: bool  # its own prose says its language; False: it continues the text before it


def reassigned_sections(body: str, body_line: int) -> list[Reassigned]:
    """The sections that rule 3 moved away from the language of the section above them."""
    return list(_assign(body, body_line)[1])


@dataclass
class _Scope:
    """The open language section (rules 1 and 4) and the language of its latest section."""

    language: Language | None
    level: int
    run: Language | None
    parents: list[Section]  # the sections above the current one, shallowest first


@functools.lru_cache(maxsize=4096)
def _assign(body: str, body_line: int) -> tuple[tuple[Section, ...], tuple[Reassigned, ...]]:
    """Load splits every body and validate asks which sections moved: one pass for both
    (kept per body; a vault's bodies fit, and a changed note is another key)."""
    sections, reassigned = _assign_uncached(body, body_line)
    return sections, tuple(reassigned)


def _assign_uncached(body: str, body_line: int) -> tuple[tuple[Section, ...], list[Reassigned]]:
    lines = body.split("\n")
    headings = find_headings(body)
    russian_names = {
        _name(text) for _, _, text in headings
        if marker_language(text) == "ru" or (_CYRILLIC.search(text) and not marker_language(text))
    }

    sections: list[Section] = []
    reassigned: list[Reassigned] = []
    starts = [index for index, _, _ in headings]
    if not starts or starts[0] > 0:
        end = starts[0] if starts else len(lines)
        text = "\n".join(lines[:end])
        if text.strip():
            sections.append(Section(None, None, 0, body_line, text))

    scope: _Scope | None = None
    for position, (index, level, text) in enumerate(headings):
        end = starts[position + 1] if position + 1 < len(starts) else len(lines)
        section_text = "\n".join(lines[index:end])
        marked = marker_language(text) or _RUSSIAN_PARTS.get(_name(text))
        language: Language | None
        if marked or scope is None or level <= scope.level:
            language = marked or _unmarked_language(text, russian_names)
            if language is None and scope is not None and scope.run is not None \
                    and _name(text) not in _COUNTERPARTS \
                    and prose_script(section_text) == scope.run:
                language = scope.run  # rule 4: `## Freshness` after `## Answer (EN)`, in English
            section = Section(language, text, level, body_line + index, section_text)
            scope = _Scope(language, level, language, [section])
        else:
            while scope.parents[-1].level >= level:
                scope.parents.pop()
            parent = scope.parents[-1]
            # A shared scope stays shared: its text is on both pages already. What is under
            # the heading decides, not the heading's own words: `#### onEach / onStart` over
            # code in a Russian answer names functions, and the code goes with the text before.
            under = section_text.partition("\n")[2]
            script = prose_script(under) if scope.language else None
            shared_by_name = False
            if script == "en" and _CYRILLIC.search(text):
                script = None  # a Russian heading ("### Частые ошибки") over English titles
            if script:
                language = script
            elif scope.language and _bilingual(text):
                language = None  # "## Responsibilities / Ответственность" over both languages
            elif scope.language and has_prose(under):
                language = parent.language  # prose in both scripts: rule 2, as the author wrote
            elif scope.language and _name(text) in _COUNTERPARTS:
                # Links under a section notes share (`## Related Questions` below the last
                # part's heading): shared, as rule 4 has them, unless the twin is there;
                # where it stands says nothing about its language (no LANG007).
                language = _unmarked_language(text, russian_names)
                shared_by_name = True
            else:
                # Code, a table, links: with the text before it; after a section of both
                # languages (`## Topic / Тема`), with the part it is in. A Cyrillic heading
                # is never moved to English (`#### Использование API` over code).
                language = scope.run or parent.language
                if language == "en" and _CYRILLIC.search(text):
                    language = parent.language
            section = Section(language, text, level, body_line + index, section_text)
            if language != parent.language and not shared_by_name:
                reassigned.append(Reassigned(section, parent, written=script is not None))
            scope.run = language
            scope.parents.append(section)
        sections.append(section)
    return _headings_with_their_subsections(sections), reassigned


def _headings_with_their_subsections(sections: list[Section]) -> tuple[Section, ...]:
    """An unmarked heading with nothing under it but deeper headings (`## What Are Coroutines`,
    then `### Definition` …) introduces them: it goes to their page, not to the one its place
    would give it, where it would stand empty."""
    result = list(sections)
    for index in range(len(result) - 2, -1, -1):
        section = result[index]
        if (section.heading is None or has_content(section.text)
                or marker_language(section.heading) is not None
                or _name(section.heading) in _RUSSIAN_PARTS):  # a marker decides (rule 1)
            continue
        under = []
        for following in result[index + 1:]:
            if following.heading is None or following.level <= section.level:
                break
            under.append(following.language)
        # Only when what it introduces is in one language (`# Channels / Каналы` over
        # `## English` and `## Русский` stays on both pages).
        if under and len(set(under)) == 1 and under[0] != section.language:
            result[index] = replace(section, language=under[0])
    return tuple(result)


def _bilingual(heading: str) -> bool:
    """"Channel Strategies / Стратегии каналов": a heading in both languages."""
    halves = split_title(heading) if " / " in heading else None
    return (halves is not None and halves["en"] != halves["ru"]
            and not _CYRILLIC.search(halves["en"]) and bool(_CYRILLIC.search(halves["ru"])))


def _unmarked_language(heading: str, russian_names: set[str]) -> Language | None:
    if " / " in heading:
        halves = split_title(heading)
        if halves["en"] != halves["ru"] and not _CYRILLIC.search(halves["en"]):
            return None  # a heading for both ("Use Cases / Trade-offs" too)
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


# --- the script of prose ---------------------------------------------------------------------
# What a reader reads as words, and only that: code, addresses and markup are the same in both
# languages (an English identifier in Russian prose says nothing about the prose). Each removed
# construct becomes `_CUT`, so that the words on either side of it are not run together.
# Every alternative stops at the next opening of its own kind (no `[` inside a link, no `<!--`
# inside a comment…), so that a megabyte line of unclosed `[[` or `<!--` is one pass, not one
# per opening.
_CUT = "\x00"
_NOT_PROSE = re.compile(
    r"(?-s:(`+)(?:(?!\1).)+?\1)"  # inline code on one line (a stray ` stops there)
    r"|\$\$.*?\$\$|(?<![\\$])\$(?=\S)[^$\n]+?(?<=\S)\$(?!\d)"  # LaTeX: $$…$$ and $…$
    r"|\\\((?:(?!\\\().)*?\\\)|\\\[(?:(?!\\\[).)*?\\\]"  # LaTeX: \(…\) and \[…\]
    r"|<!--(?:(?!<!--).)*?-->|%%.*?%%"  # HTML and Obsidian comments: never shown
    r"|!\[\[[^\[\]\n]*\]\]|!\[[^\[\]\n]*\]\((?:(?!\]\()[^)\n])*\)"  # embeds and images
    r"|\[\[[^\[\]|\n]*(?:\|(?P<label>[^\[\]\n]*))?\]\]"  # wikilink: its label is prose
    r"|\]\((?:(?!\]\()[^)\n])*\)"  # a Markdown link's target (its text stays)
    r"|^[ \t]*\[[^\]\n]+\]:[ \t]*\S+.*$"  # a link reference definition
    r"|<[A-Za-z/!][^<>\n]*>"  # HTML tags and autolinks
    r"|\b(?:https?|ftp)://\S+|\bwww\.\S+"  # bare addresses
    r"|(?<![\w.+-])[\w.+-]+@[\w-]+\.[\w.]+"  # e-mail addresses
    # File names, paths and dotted names: `AndroidManifest.xml`, `res/xml/file_paths.xml`,
    # `androidx.core.content` (only where a chain starts: a line of `a/a/a…` is one pass).
    r"|(?<![\w./-])\w[\w-]*(?:[./][\w-]+)*\.\w+",
    re.S | re.M,
)


@functools.lru_cache(maxsize=256)  # a section's script and whether it has prose ask twice
def prose(text: str) -> str:
    """`text` without fenced code, inline code, LaTeX, comments, images, link and wikilink
    targets, HTML tags, addresses and language markers. A removed part leaves a NUL (and its
    newlines) behind, so that the result has the lines of `text` and no words run together."""
    if "```" in text or "~~~" in text:
        parts, last = [], 0
        for start, end in fence_spans(text):
            parts.append(text[last:start])
            parts.append(_CUT + "\n" * text.count("\n", start, end))
            last = end
        text = "".join(parts) + text[last:]
    if "(" in text:
        text = _MARKER.sub(_CUT, text)
    return _NOT_PROSE.sub(_cut, text)


def _cut(match: re.Match[str]) -> str:
    # The newlines of a removed part stay, so that the prose has the lines of the text.
    label = match.group("label")
    if label:  # a wikilink's label is prose, with markup of its own ("App `Bundle`")
        label = _NOT_PROSE.sub(_cut, label)
    return _CUT + (label or "") + _CUT + "\n" * match.group(0).count("\n")


# A section is plainly in a script when its prose has at least this many letters and this
# share of them is in one script: short labels ("## Пример", "Output:") and Russian sentences
# with English terms ("корутины Kotlin используют suspend") decide nothing, or stay Russian.
PLAIN_MIN_LETTERS = 20
PLAIN_SHARE = 0.8


def prose_script(text: str) -> Language | None:
    """The language `text`'s prose is plainly written in, or None when it is too short or
    mixed to say (code, tables of identifiers, lists of links, a few words).

    Plainly: at least `PLAIN_MIN_LETTERS` letters, `PLAIN_SHARE` of them in one script, and no
    line plainly in the other script: Russian technical prose is full of English terms, and a
    Russian list whose items are mostly identifiers ("Rate limits на количество источников")
    must not carry its Russian lines away from the Russian page."""
    words = prose(text)
    script = _script(words)
    if script is None or "\n" not in words.strip():
        return script
    other = "en" if script == "ru" else "ru"
    # A line shorter than PLAIN_MIN_LETTERS characters cannot have that many letters: skipped
    # unread, which is most lines of a list or a table.
    return None if any(_script(line) == other for line in words.split("\n")
                       if len(line) >= PLAIN_MIN_LETTERS) else script


# A Markdown link or a wikilink, label included: the name of another page or work, in the
# language that page has, not the author's prose (a target may hold one pair of parentheses).
# No `[` inside either: a match attempt stops at the next one, so a line of `[[[[` is one pass.
_LINK = re.compile(r"!?\[\[[^\[\]\n]*\]\]|!?\[[^\[\]\n]*\]\((?:[^()\n]|\([^()\n]*\))*\)")


def written_language(text: str) -> Language | None:
    """The language the prose of `text` is plainly written in (`prose_script`), not counting
    what its links say: a list of links to English pages is not English prose, and what a
    section says in words around its links is."""
    return prose_script(_LINK.sub(_CUT, text) if "[" in text else text)


def has_written_prose(text: str) -> bool:
    """Whether `text` has enough prose to be read (`has_prose`) besides what its links say."""
    return has_prose(_LINK.sub(_CUT, text) if "[" in text else text)


def has_prose(text: str) -> bool:
    """Whether `text` has enough prose to be read at all (`PLAIN_MIN_LETTERS` letters)."""
    words = prose(text)
    return len(_CYRILLIC.findall(words)) + len(_LATIN.findall(words)) >= PLAIN_MIN_LETTERS


def _script(words: str) -> Language | None:
    cyrillic = len(_CYRILLIC.findall(words))
    latin = len(_LATIN.findall(words))
    total = cyrillic + latin
    if total < PLAIN_MIN_LETTERS:
        return None
    if cyrillic >= total * PLAIN_SHARE:
        return "ru"
    if latin >= total * PLAIN_SHARE:
        return "en"
    return None
