"""A note's body as blocks, and which blocks each language's page shows.

A block is a section (language.split_sections) with the deeper sections that follow it in the
same language: `## Answer (EN)` with its `### Example`. A part (question, answer, summary, key
points) runs further, to the next section that ends it (`continues_part`), whatever the levels.
A block whose heading names a known section (labels.py: question, answer, summary,
references…) has that section's key; such a heading with a language marker starts a block of
its own even when it is deeper (`## Answer (EN)` under `# Question (EN)`), an unmarked one
inside a block is part of it (`### Summary` inside an answer).

A page in language L shows, in file order:

1. L's blocks and the shared ones (no language);
2. a block of the other language whose key is one of a note's parts (question, answer,
   summary, key points) when L has no block of that key: the part is shown in the language it
   has, under a "not translated yet" notice, rather than missing (per-section fallback);
3. a block of the other language that the note places inside one of L's parts (its prose
   moved it there, language.py rule 3: English `## Use Cases` under `# Сводка (RU)`): the
   reader of L's page finds it where the author sees it, in the language it is written in;
4. not a shared (or placed) block whose key L has a block of too: a section present in both
   languages is shown once, in the page's language.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..checks.labels import Labels
from ..model import Language, Section
from ..notes.language import (
    dominant_script,
    languages_present,
    marker_language,
    reassigned_sections,
)

# The parts of a note that a reader must find on either page.
PARTS = ("question", "answer", "summary", "key-points")


@dataclass(frozen=True)
class Block:
    language: Language | None
    key: str | None  # the known section its heading names (labels.SectionName.key)
    sections: tuple[Section, ...]

    @property
    def line(self) -> int:
        return self.sections[0].line


@dataclass(frozen=True)
class Shown:
    """A block as one page shows it; `fallback`: in the other language, for a missing part;
    `placed`: in the other language, where the note puts it among this language's text."""

    block: Block
    fallback: bool = False
    placed: bool = False


def blocks(sections: tuple[Section, ...], labels: Labels) -> list[Block]:
    result: list[Block] = []
    current: list[Section] = []
    key = None  # the known section the current block's head names
    for section in sections:
        if current and (continues_part(section, current[0], labels) if key in PARTS else
                        section.heading is not None and section.level > current[0].level
                        and section.language == current[0].language
                        and current[0].heading is not None
                        and not _marked_part(section.heading, labels)):
            current.append(section)
            continue
        if current:
            result.append(_block(current, labels))
        current = [section]
        known = labels.section(section.heading) if section.heading else None
        key = known.key if known else None
    if current:
        result.append(_block(current, labels))
    return result


def continues_part(section: Section, head: Section, labels: Labels) -> bool:
    """Whether `section` is still the part that `head` (a question, an answer…) starts. A part
    runs to the next section in another language, with a language marker, or naming a known
    section (summary, follow-ups, references…) at the part's level or above, whatever the
    levels in between: notes put an answer's subsections at the answer's own level (`## Answer
    (EN)`, `## Hilt Components`), and they are the answer still."""
    if section.heading is None or section.language != head.language:
        return False
    if marker_language(section.heading) is not None:
        return False
    known = labels.section(section.heading)
    if known is None:
        return True
    # `## Answer` under `# Question` starts the answer; `### Summary` inside an answer is its own.
    return known.key not in ("question", "answer") and section.level > head.level


def _marked_part(heading: str, labels: Labels) -> bool:
    """`## Answer (EN)` under `# Question (EN)` starts a block; `### Summary` inside an answer
    does not (unmarked, it is the answer's own summary)."""
    return marker_language(heading) is not None and labels.section(heading) is not None


def _block(sections: list[Section], labels: Labels) -> Block:
    head = sections[0]
    known = labels.section(head.heading) if head.heading else None
    return Block(head.language, known.key if known else None, tuple(sections))


def shown(note_blocks: list[Block], language: Language,
          placed: Mapping[int, Language] | None = None) -> list[Shown]:
    """The blocks page `language` shows, by the rules in the module docstring. `placed`: the
    line of each section the note puts inside a part of another language than its own (the
    section above it's), and that part's language."""
    own = {block.key for block in note_blocks if block.language == language and block.key}
    result = []
    for block in note_blocks:
        if block.language == language:
            result.append(Shown(block))
        elif block.language is None:
            if block.key is None or block.key not in own:
                result.append(Shown(block))
        elif block.key in PARTS and block.key not in own:
            result.append(Shown(block, fallback=True))
        elif placed and block.key not in own and any(
                placed.get(section.line) == language for section in block.sections):
            # Any of its sections: an empty heading over them (`## How It Works`) takes their
            # language after the split (language.py) and heads their block.
            result.append(Shown(block, placed=True))
    return result


@dataclass(frozen=True)
class PageSections:
    """The sections a note's page in one language shows, in file order."""

    sections: tuple[Section, ...]
    # Sections shown for a part the language lacks: line of each -> line of its part's head.
    fallback: dict[int, int] = field(default_factory=dict)
    translated: bool = True  # False: the page has no text in its language at all
    # Sections of the other language the note puts among this language's text (`shown`).
    placed: frozenset[int] = frozenset()


def page_sections(sections: tuple[Section, ...], labels: Labels, language: Language,
                  placed: Mapping[int, Language] | None = None) -> PageSections:
    """What page `language` shows of a note's `sections`: by `shown` when the note has text
    in the language; every section of a note without language headings (untranslated when
    its text is in the other script); the other language's when it has none. `placed`: as
    `shown`'s (`placed_sections`)."""
    present = languages_present(sections)
    if not present:
        text = "\n".join(section.text for section in sections)
        script = dominant_script(re.sub(r"```.*?```", "", text, flags=re.S))
        return PageSections(sections, translated=script is None or script == language)
    if language not in present:
        source = next(iter(present))
        return PageSections(tuple(s for s in sections if s.language in (source, None)),
                            translated=False)
    chosen: list[Section] = []
    fallback: dict[int, int] = {}
    others: set[int] = set()
    for part in shown(blocks(sections, labels), language, placed):
        chosen.extend(part.block.sections)
        if part.fallback:
            fallback.update((section.line, part.block.line) for section in part.block.sections)
        if part.placed:
            others.update(section.line for section in part.block.sections)
    return PageSections(tuple(chosen), fallback, placed=frozenset(others))


def placed_sections(body: str, body_line: int) -> dict[int, Language]:
    """The sections of a note (by line) whose prose took them to another language than that
    of the part they sit in (language.reassigned_sections), and that part's language."""
    return {moved.section.line: moved.parent.language for moved in
            reassigned_sections(body, body_line)
            if moved.parent.language and moved.section.language
            and moved.section.language != moved.parent.language}


def missing_parts(note_blocks: list[Block], languages: set[Language]
                  ) -> list[tuple[Language, Block]]:
    """(language, the other language's block) for each part a language lacks."""
    missing = []
    for language in sorted(languages):
        own = {block.key for block in note_blocks if block.language == language}
        seen: set[str] = set()
        for block in note_blocks:
            if block.language not in (None, language) and block.key in PARTS \
                    and block.key not in own and block.key not in seen:
                seen.add(block.key)
                missing.append((language, block))
    return missing
