"""A note's first heading that says its title again is not shown twice: the page writes the
title once, as its only level-1 heading, and the note's sections follow at level 2. One rule
for every kind of note (site/note_body.py, by index_pages.without_repeated_title's rule)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import note_text
from .fidelity import article, build_small_vault

FILES = {
    # The title, both halves, as the note's first heading.
    "10-Concepts/c-unit-testing.md": note_text(
        id="c-1", title="Unit Testing / Модульное тестирование", kind="concept", body="""
        # Unit Testing / Модульное тестирование

        ## Summary (EN)
        Unit testing checks small pieces of code in isolation.

        ## Краткое описание (RU)
        Модульное тестирование проверяет небольшие части кода.
        """),
    # Each language's part starts with the title in its language.
    "10-Concepts/c-coroutines.md": note_text(
        id="c-2", title="Coroutines / Корутины", kind="concept", body="""
        # Coroutines (EN)
        Coroutines are light threads.
        ## How they work (EN)
        They suspend.

        # КОРУТИНЫ (RU)
        Корутины — лёгкие потоки.
        ## Как они работают (RU)
        Они приостанавливаются.
        """),
    # A question whose note repeats its title in another case.
    "70-Kotlin/q-what-is-flow--kotlin--easy.md": note_text(
        id="q-1", title="What is Flow? / Что такое Flow?", kind="question", body="""
        # what is   flow?
        # Question (EN)
        What is Flow?
        ## Answer (EN)
        A cold stream.
        # Вопрос (RU)
        Что такое Flow?
        ## Ответ (RU)
        Холодный поток.
        """),
    # Text before the heading: the heading is the note's, and stays.
    "10-Concepts/c-channels.md": note_text(
        id="c-3", title="Channels / Каналы", kind="concept", body="""
        Intro line shared by both pages.

        # Channels / Каналы
        ## Summary (EN)
        Hot.
        ## Краткое описание (RU)
        Горячие.
        """),
    "90-MOCs/moc-kotlin.md": note_text(id="m-1", title="Kotlin — MOC", kind="moc", body="""
        # Kotlin — Map of Content
        ## Overview
        Everything about Kotlin.
        """),
}

TITLES = {
    "10-Concepts/c-unit-testing.md": {"en": "Unit Testing", "ru": "Модульное тестирование"},
    "10-Concepts/c-coroutines.md": {"en": "Coroutines", "ru": "Корутины"},
    "70-Kotlin/q-what-is-flow--kotlin--easy.md": {"en": "What is Flow?", "ru": "Что такое Flow?"},
    "90-MOCs/moc-kotlin.md": {"en": "Kotlin — MOC", "ru": "Kotlin — MOC"},
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_small_vault(tmp_path_factory.mktemp("title"), FILES)


@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize("key", sorted(TITLES), ids=lambda key: key.split("/")[-1][:-3])
def test_the_title_is_one_heading_and_the_sections_follow_it(site, key, language):
    page = article(site, language, key)
    title = TITLES[key][language]
    words = title.casefold().replace("—", "").replace("moc", "").split()
    repeats = [shown for _, shown, _ in page.headings
               if shown.casefold().replace("—", "").replace("moc", "").replace(
                   "map of content", "").split() == words]
    assert len(repeats) == 1, page.headings
    levels = [tag for tag, _, _ in page.headings]
    assert levels[0] == "h1" and levels.count("h1") == 1
    assert levels[1] == "h2", page.headings  # no level skipped below the title


def test_a_heading_after_text_is_the_notes_own_and_stays(site):
    page = article(site, "en", "10-Concepts/c-channels.md")
    assert [shown for _, shown, _ in page.headings].count("Channels") == 2
