"""A shared section (no language marker, on both pages) written in one language only: on the
other language's page it is marked as that language (`<div lang>`, a heading's `lang`) under
the notice a part the language lacks gets, once for a run of such sections; sections with no
prose (code, links) or with both languages stay as they are (site/note_body.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.graph.links import build_graph
from generator.notes.load import load_vault
from generator.site.i18n import STRINGS
from generator.site.render import Renderer

from .conftest import note_text
from .fidelity import article, build_small_vault

KEY = "10-Concepts/c-unit-testing.md"
FILES = {
    KEY: note_text(id="c-1", title="Unit Testing / Модульное тестирование", kind="concept", body="""
        ## Summary (EN)
        Unit testing checks small pieces of code in isolation from the rest of the program.

        ## Краткое описание (RU)
        Модульное тестирование проверяет небольшие части кода изолированно от остальной программы.

        ## Testing in Kotlin

        ### Basic structure

        ```kotlin
        class CalculatorTest
        ```

        ### Best practices
        - Tests should run quickly and never depend on each other.
        - Name each test after the behaviour it checks.

        ## References
        - [JUnit 5 User Guide](https://junit.org/junit5/docs/current/user-guide/)
        - [MockK Documentation](https://mockk.io/)

        ## Notes / Заметки
        Тесты пишут до кода, this is called test-driven development, и это работает хорошо.
        Second line in English: write the failing test first, then make it pass.

        ## Deployment
        Run the whole suite on every pull request before it is merged into main.

        ## Gradle DSL
        Настройте задачу test так, чтобы она запускалась параллельно на всех ядрах машины.

        ## Related
        - [[c-mocking]] - how fakes and mocks replace the real dependencies of a unit
        """),
    "10-Concepts/c-mocking.md": note_text(id="c-2", title="Mocking / Моки", kind="concept", body="""
        ## Summary (EN)
        Mocks stand in for real objects in tests; see [[c-unit-testing]] for the whole picture.
        ## Краткое описание (RU)
        Моки заменяют настоящие объекты в тестах.
        ## Key points (EN)
        - A mock records its calls, as [[c-unit-testing]] explains in detail for the reader.
        """),
    # English text below the last part's heading, `# Сводка (RU)`: the split publishes it on
    # the English page (language.py rule 3); the Russian page shows it where the note has it.
    "10-Concepts/c-background.md": note_text(
        id="c-3", title="Background work / Фоновая работа", kind="concept", body="""
        # Summary (EN)
        Background work runs off the main thread of the application.
        # Сводка (RU)
        Фоновая работа выполняется вне главного потока приложения.
        ## Options for Background Work
        ### WorkManager
        WorkManager runs deferrable work that must survive a restart of the app.
        ### Example
        ```kotlin
        WorkManager.getInstance(context)
        ```
        """),
    "70-Kotlin/q-english--kotlin--easy.md": note_text(
        id="q-1", title="What is a fake?", kind="question", body="""
        # Question (EN)
        What is a fake, and when is it better than a mock in a unit test?
        ## Answer (EN)
        A fake is a working implementation with a shortcut, such as an in-memory database.
        ### Fakes in Kotlin
        Write the fake next to the interface it implements, in the test source set.
        ```kotlin
        class FakeRepository : Repository
        ```
        """),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_small_vault(tmp_path_factory.mktemp("shared-language"), FILES)


def test_english_sections_on_the_russian_page_are_marked_english(site):
    ru = article(site, "ru", KEY)
    # The English text is read as English, its headings too.
    assert ru.language_of("Tests should run quickly") == "en"
    assert ru.language_of("Run the whole suite") == "en"
    assert ru.heading("Testing in Kotlin")[1].get("lang") == "en"
    assert ru.heading("Basic structure")[1].get("lang") == "en"  # a heading over code
    assert ru.heading("Best practices")[1].get("lang") == "en"
    # Under the notice the page gives a part it lacks: once per run of English sections.
    assert ru.count(STRINGS["ru"]["not_translated"]) == 3  # Russian text ends the second
    # The page's own text, links, both-language prose and the Russian section: as they were.
    assert ru.language_of("Модульное тестирование проверяет") == "ru"
    assert ru.language_of("JUnit 5 User Guide") == "ru"
    assert ru.language_of("Тесты пишут до кода") == "ru"
    assert ru.language_of("Настройте задачу test") == "ru"
    assert ru.heading("Ссылки")[1].get("lang") is None  # the page's name for References
    # A wikilink shows the linked note's title in the page's language, and says so.
    assert ru.language_of("how fakes and mocks replace") == "en"
    assert ru.language_of("Моки") == "ru"


def test_a_link_in_a_part_shown_in_the_other_language_keeps_the_pages_language(site):
    """The part the Russian page lacks, shown in English: the title a wikilink shows in it is
    the Russian one, read as Russian."""
    ru = article(site, "ru", "10-Concepts/c-mocking.md")
    assert ru.language_of("A mock records its calls") == "en"
    assert ru.language_of("Модульное тестирование") == "ru"


def test_russian_shared_section_on_the_english_page_is_marked_russian(site):
    en = article(site, "en", KEY)
    assert en.language_of("Настройте задачу test") == "ru"
    assert en.count(STRINGS["en"]["not_translated"]) == 1
    for text in ("Tests should run quickly", "Run the whole suite", "Unit testing checks",
                 "Тесты пишут до кода"):
        assert en.language_of(text) == "en", text
    assert en.heading("Testing in Kotlin")[1].get("lang") is None


def test_a_note_without_language_headings_marks_its_other_language_sections(make_vault):
    """No marker anywhere: a Russian note whose last section is English gets the same marks on
    the Russian page; the English page says the whole note is untranslated instead."""
    vault = load_vault(make_vault({"c-a.md": note_text(id="a", title="A", body="""
        ## Обзор
        Здесь подробно описано, как устроены корутины и зачем они нужны в Kotlin.
        Ещё одна строка русского текста, чтобы заметка была русской целиком.

        ## Pitfalls
        Never block the main thread inside a coroutine that runs on the main dispatcher.
        """)}))
    graph = build_graph(vault)
    ru, translated = Renderer(vault, graph, "ru").body(graph.notes["c-a.md"])
    assert translated
    assert '## Pitfalls { lang="en" }' in ru
    assert '<div lang="en" markdown>\nNever block' in ru
    assert ru.count(STRINGS["ru"]["not_translated"]) == 1
    en, translated = Renderer(vault, graph, "en").body(graph.notes["c-a.md"])
    assert not translated and STRINGS["en"]["not_translated"] not in en


def test_a_heading_keeps_its_own_attributes(make_vault):
    vault = load_vault(make_vault({"c-a.md": note_text(id="a", title="A / А", body="""
        ## Summary (EN)
        Short English summary of the concept for the reader.
        ## Краткое описание (RU)
        Короткое описание понятия по-русски для читателя.
        ## Extra {#extra-notes}
        Some more English text that nobody translated into Russian yet.
        """)}))
    graph = build_graph(vault)
    ru = Renderer(vault, graph, "ru").body(graph.notes["c-a.md"])[0]
    assert '## Extra {#extra-notes lang="en"}' in ru


def test_a_page_without_text_of_its_language_marks_all_of_it(site):
    """A note in English only: its Russian page says so (the template's notice) and reads the
    English as English, under headings the page names in Russian or marks as English."""
    ru = article(site, "ru", "70-Kotlin/q-english--kotlin--easy.md")
    assert ru.count(STRINGS["ru"]["not_translated"]) == 1
    for text in ("when is it better than a mock", "A fake is a working implementation", "Write the fake next"):
        assert ru.language_of(text) == "en", text
    assert ru.heading("Вопрос")[1].get("lang") is None
    assert ru.heading("Fakes in Kotlin")[1].get("lang") == "en"
    en = article(site, "en", "70-Kotlin/q-english--kotlin--easy.md")
    assert en.language_of("Write the fake next") == "en" and en.page_language == "en"


def test_english_text_under_a_russian_heading_is_on_both_pages(site):
    ru = article(site, "ru", "10-Concepts/c-background.md")
    assert ru.language_of("WorkManager runs deferrable work") == "en"
    assert ru.heading("Options for Background Work")[1].get("lang") == "en"  # empty, over it
    assert ru.heading("WorkManager")[1].get("lang") == "en"
    assert ru.count(STRINGS["ru"]["not_translated"]) == 1
    assert ru.count("getInstance") == 1  # the code under it too
    en = article(site, "en", "10-Concepts/c-background.md")
    assert en.count("WorkManager runs deferrable work") == 1
    assert en.language_of("WorkManager runs deferrable work") == "en"
    assert en.count(STRINGS["en"]["not_translated"]) == 0


@pytest.mark.parametrize("hostile", [
    "## x" + " " * 1_000_000 + "y {#id}\nEnglish text that nobody translated into Russian yet.\n",
    "## Links\n" + "[" * 300_000 + "\n",
    "## Open\n" + "[[a" * 100_000 + "\n",
    "## Paths\n" + "a/" * 300_000 + "\n",
], ids=["spaced-heading", "brackets", "open-wikilinks", "slashes"])
def test_hostile_text_is_marked_in_one_pass(make_vault, hostile):
    """What the marking reads of a section (its prose, links, heading's attribute list) takes
    time linear in its size: a megabyte of a hostile line is not minutes."""
    import time

    body = ("## Summary (EN)\nShort English summary here.\n## Краткое описание (RU)\n"
            "Краткое описание по-русски.\n" + hostile)
    vault = load_vault(make_vault({"c-a.md": note_text(id="a", title="A / А", body=body)}))
    graph = build_graph(vault)
    started = time.perf_counter()
    for language in ("en", "ru"):
        Renderer(vault, graph, language).body(graph.notes["c-a.md"])
    assert time.perf_counter() - started < 10
