"""Over the whole real vault: no prose line of a note is lost, and none is misplaced.

A prose line is a body line outside fenced code, not a heading, that has letters once code,
addresses, link targets and markup are removed (`language.prose`). Every one must be in the
body of at least one of the note's two pages. A section whose heading leaves its language to
its prose (no marker, no Cyrillic letters) and whose prose is plainly in one script
(`prose_script`, the rule `split_sections` uses) must have all its lines on that language's
page. A line plainly in one script inside a section of the other ("- Git flow with release
branches" in a Russian list) is counted and printed, not failed: it is where its author put it.

Bodies come from `Renderer.body`, the part of a page that holds the note's text, without
building a site. Headings are left out: a page shows a known section's heading in its own
language ("## Key Points" is "Ключевые моменты" on the Russian page) and one half of "Topic /
Тема"; the lines under a heading say where its section went.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from generator import pipeline
from generator.model import BuildReport, Language
from generator.notes.language import _CUT, marker_language, prose, prose_script
from generator.site.render import Renderer

LIMIT = 40
_WORD = re.compile(r"[^\W_]+")
_HEADING = re.compile(r"^#{1,6}[ \t]+")


def words(text: str) -> str:
    return " ".join(_WORD.findall(text))


def fragments(line: str) -> list[str]:
    """The runs of words of a prose line between the parts `prose` removed."""
    return [found for part in line.split(_CUT) if (found := words(part))
            and re.search(r"[^\W\d_]", found)]


def page_words(body: str) -> str:
    return f" {words(prose(html.unescape(body)).replace(_CUT, ' '))} "


@pytest.mark.real_vault
def test_every_prose_line_is_on_a_page_of_its_language(corpus: Path) -> None:
    checked = pipeline.check(corpus, BuildReport(), run_queries=True)
    renderers = {language: Renderer(checked.vault, checked.graph, language)
                 for language in ("en", "ru")}
    checked_lines = 0
    stray: list[str] = []  # a line plainly in one script, in a section of the other
    misplaced: list[str] = []
    missing: list[str] = []
    for note in checked.vault.notes:
        pages = {language: page_words(renderer.body(note)[0])
                 for language, renderer in renderers.items()}
        for section in note.sections:
            # A marker decides a marked section, and Cyrillic letters in a heading make it
            # Russian ("## Ссылки" over English titles); prose decides the other sections.
            judged = (section.heading is not None and marker_language(section.heading) is None
                      and not re.search("[А-Яа-яЁё]", section.heading))
            # What is under the heading, as the split judges it (language.py, rule 3).
            written = prose_script(section.text.partition("\n")[2]) if judged else None
            for number, line in enumerate(prose(section.text).split("\n"), section.line):
                chunks = fragments(line)
                if not chunks or _HEADING.match(line):
                    continue
                checked_lines += 1
                found_on: set[Language] = {
                    language for language, page in pages.items()
                    if all(f" {chunk} " in page for chunk in chunks)}
                where = f"{note.key}:{number}: {line.replace(_CUT, ' ').strip()[:80]}"
                script = prose_script(line)
                if not found_on:
                    missing.append(where)
                elif written and written not in found_on:
                    misplaced.append(f"[{written}] {where}")
                elif script and script not in found_on:
                    stray.append(f"[{script}] {where}")
    print(f"\nprose lines checked: {checked_lines}; in a section plainly in one language but "
          f"not on its page: {len(misplaced)}; on no page: {len(missing)}; plainly in one "
          f"language but in a section of the other: {len(stray)}")
    for where in (misplaced + missing + stray)[:LIMIT]:
        print("  ", where)
    assert not missing
    assert not misplaced
