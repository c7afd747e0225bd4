"""The fidelity rules over the whole real vault, on the bodies `Renderer.body` makes (no site
is built): text in the other language is marked as such (shared sections written in one
language), and the notes' own structure survives (every `<div>` opened is closed)."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from generator.graph.links import build_published_graph
from generator.model import Language
from generator.notes.language import PLAIN_MIN_LETTERS, prose, prose_script
from generator.notes.load import load_vault
from generator.notes.wikilinks import code_free_lines
from generator.site.index_pages import without_repeated_title
from generator.site.publish import exclude_patterns, publish
from generator.site.render import Renderer

pytestmark = pytest.mark.real_vault

_OPEN = re.compile(r'^<div(?: lang="(en|ru)")?[^>]*>')


@pytest.fixture(scope="module")
def bodies(corpus):
    """{(language, key): (body, translated)} for every published note of the real vault."""
    publication = publish(load_vault(corpus), exclude_patterns(corpus))
    vault = publication.vault
    graph = build_published_graph(vault, publication.withheld)
    result = {}
    for language in ("en", "ru"):
        renderer = Renderer(vault, graph, language)
        for note in vault.notes:
            result[(language, note.key)] = renderer.body(note)
    return vault, result


def regions(body: str) -> list[Language | None]:
    """For each line of a body, the language of the innermost `<div lang>` it is in."""
    stack: list[Language | None] = []
    languages = []
    for _, line, in_code in code_free_lines(body):
        opened = None if in_code else _OPEN.match(line)
        if opened:
            stack.append(opened.group(1) or (stack[-1] if stack else None))  # type: ignore[arg-type]
        elif not in_code and line.strip() == "</div>" and stack:
            stack.pop()
        languages.append(stack[-1] if stack else None)
    return languages


def test_every_div_a_body_opens_is_closed(bodies):
    """Counted in and out of code alike: a note's unclosed fence takes in what follows it, the
    page's `<div>` lines too, as Markdown does."""
    _, pages = bodies
    for (language, key), (body, _) in pages.items():
        lines = [line.strip() for line in body.split("\n")]
        opened = sum(1 for line in lines if _OPEN.match(line) and line.endswith(" markdown>"))
        assert opened <= lines.count("</div>"), (language, key)


def test_shared_text_in_the_other_language_is_marked_so(bodies):
    """A shared section whose every line of prose (`PLAIN_MIN_LETTERS` letters or more) is
    plainly in the other language: on a page with text of its own, it is read in its
    language. (Sections with wikilinks are left out here: a wikilink shows the linked note's
    title in the page's language, which can make a line of both.)"""
    vault, pages = bodies
    marked: Counter[Language] = Counter()
    unmarked = []
    for note in vault.notes:
        for language, other in (("en", "ru"), ("ru", "en")):
            body, translated = pages[(language, note.key)]
            if not translated:
                continue
            lines = body.split("\n")
            where = regions(body)
            place = {line.strip(): at for at, line in enumerate(lines) if line.strip()}
            for section in note.sections:
                if section.language is not None or "[[" in section.text:
                    continue
                text = section.text.partition("\n")[2] if section.heading else section.text
                plain = [(line, prose_script(line)) for _, line, code in code_free_lines(text)
                         if not code and "[" not in line and not line.lstrip().startswith("#")]
                if any(script != other for line, script in plain
                       if len(re.findall(r"[^\W\d_]", prose(line))) >= PLAIN_MIN_LETTERS):
                    continue
                for line, script in plain:
                    at = place.get(line.strip())
                    if script == other and at is not None:
                        if where[at] == other:
                            marked[language] += 1
                        else:
                            unmarked.append((language, note.key, line.strip()[:80]))
    print(f"lines marked: {dict(marked)}; unmarked: {len(unmarked)}")
    assert not unmarked, unmarked[:10]
    assert marked["ru"] > 1000  # the real vault's English tails on the Russian pages


def test_no_page_repeats_its_title_under_it(bodies):
    """The note's first heading, when it says the title again, is the page's title (once), and
    the note's headings start at level 2 under it."""
    vault, pages = bodies
    repeated = []
    for note in vault.notes:
        for language in ("en", "ru"):
            body = pages[(language, note.key)][0]
            first = next((line for line in body.split("\n") if line.strip()), "")
            title = note.info.titles[language]
            if first.startswith("#") and not without_repeated_title(first, title).strip():
                repeated.append((language, note.key, first))
            levels = [len(line) - len(line.lstrip("#")) for _, line, code in code_free_lines(body)
                      if not code and re.match(r"#{1,6} +\S", line)]
            assert not levels or min(levels) == 2, (language, note.key)
    assert not repeated, repeated[:10]
