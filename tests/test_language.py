"""The bilingual split, on the heading shapes real notes use."""

from __future__ import annotations

import html
import re

import pytest

from generator import pipeline
from generator.model import BuildReport
from generator.notes.language import languages_present, prose_script, reassigned_sections, split_sections, split_title

from .conftest import build_vault, note_text
from .fidelity import article


def languages(body: str) -> list[tuple[str | None, str | None]]:
    return [(s.language, s.heading) for s in split_sections(body, 1)]


def test_question_note_ru_first_with_shared_tail():
    body = """# Вопрос (RU)
> Что?

# Question (EN)
> What?

## Ответ (RU)
Текст.

### Подробности
Ещё.

## Answer (EN)
Text.

### Details
More.

---

## References
- x

## Related Questions
- [[a]]
"""
    assert languages(body) == [
        ("ru", "Вопрос (RU)"), ("en", "Question (EN)"), ("ru", "Ответ (RU)"),
        ("ru", "Подробности"), ("en", "Answer (EN)"), ("en", "Details"),
        (None, "References"), (None, "Related Questions"),
    ]


def test_english_shared_sections_become_english_when_russian_twins_exist():
    body = """## Answer (EN)
a
## Ответ (RU)
b
## Дополнительные вопросы (RU)
- c
## Ссылки (RU)
- d
## Follow-ups
- e
## References
- f
## Related Questions
### Prerequisites
- g
"""
    assert languages(body) == [
        ("en", "Answer (EN)"), ("ru", "Ответ (RU)"), ("ru", "Дополнительные вопросы (RU)"),
        ("ru", "Ссылки (RU)"), ("en", "Follow-ups"), ("en", "References"),
        (None, "Related Questions"), (None, "Prerequisites"),
    ]


@pytest.mark.parametrize(("heading", "language"), [
    ("# Vopros (RU)", "ru"), ("## Otvet (ru)", "ru"), ("# Summary (EN)", "en"),
    ("## Краткое Описание (RU)", "ru"), ("## Key Points (Eng)", "en"),
    ("## Ответ: Ссылки (RU)", "ru"), ("## Жизненный цикл Activity", "ru"),
    ("## Use Cases / Trade-offs", None),
    ("## English", "en"), ("## Русский", "ru"),
    ("# Channel Strategies / Стратегии каналов", None),
], ids=lambda value: str(value))
def test_heading_variants(heading, language):
    assert split_sections(f"{heading}\ntext\n", 1)[0].language == language


def test_headings_inside_code_are_not_sections():
    body = "## Answer (EN)\n```bash\n# Ответ (RU)\necho\n```\n## Ответ (RU)\nx\n"
    assert languages(body) == [("en", "Answer (EN)"), ("ru", "Ответ (RU)")]


def test_section_lines_are_file_lines():
    sections = split_sections("intro\n# Question (EN)\nq\n# Вопрос (RU)\nв\n", 10)
    assert [(s.heading, s.line) for s in sections] == [
        (None, 10), ("Question (EN)", 11), ("Вопрос (RU)", 13)]


def test_languages_present_ignores_placeholder_sections():
    sections = split_sections("# Question (EN)\nReal text\n# Вопрос (RU)\n> ...\n", 1)
    assert languages_present(sections) == {"en"}


@pytest.mark.parametrize(("title", "en", "ru"), [
    ("Access Modifiers / Модификаторы доступа", "Access Modifiers", "Модификаторы доступа"),
    ("TCP/IP vs UDP / TCP/IP и UDP", "TCP/IP vs UDP", "TCP/IP и UDP"),
    ("A / B / Русский / заголовок", "A / B", "Русский / заголовок"),
    ("Activity / Activity", "Activity", "Activity"),
    ("Big-O of Common Collections", "Big-O of Common Collections", "Big-O of Common Collections"),
], ids=["simple", "slash-inside", "many-slashes", "latin-both", "one-language"])
def test_split_title(title, en, ru):
    assert split_title(title) == {"en": en, "ru": ru}


# --- prose decides where a marker's inheritance would misplace it (rule 3) -------------------

CONCEPT = """# Summary (EN)
Coroutines are light threads.

# Краткое Описание (RU)
Корутины — лёгкие потоки.

## What Are Coroutines
Coroutines are suspendable computations that run on a small pool of threads.

### Example
```kotlin
launch { delay(1000) }
```

## Core Components
Suspend functions, builders, scopes and contexts work together.

## Пример на русском
Корутины Kotlin используют suspend функции для асинхронного кода без колбэков.

### Код
```kotlin
runBlocking { }
```
"""


def test_english_prose_under_a_russian_marker_is_english():
    assert languages(CONCEPT) == [
        ("en", "Summary (EN)"), ("ru", "Краткое Описание (RU)"),
        ("en", "What Are Coroutines"), ("en", "Example"), ("en", "Core Components"),
        ("ru", "Пример на русском"), ("ru", "Код"),
    ]


def test_russian_prose_under_an_english_marker_is_russian():
    body = """## Answer (EN)
Coroutines are light threads.

### Details
Корутины приостанавливаются, не блокируя поток, на котором они выполняются.

#### Пример
```kotlin
launch { }
```

### More
Structured concurrency ties every coroutine to a scope.
"""
    assert languages(body) == [
        ("en", "Answer (EN)"), ("ru", "Details"), ("ru", "Пример"), ("en", "More")]


@pytest.mark.parametrize("text", [
    # Russian prose with English terms: not plainly English.
    "Корутины Kotlin используют `suspend` функции и Dispatchers.IO для работы.",
    # Code, addresses, link and wikilink targets, LaTeX and HTML are not prose.
    "```kotlin\nval coroutineScopeForBackgroundWork = CoroutineScope(Dispatchers.IO)\n```\n"
    "См. [[q-what-are-coroutines-and-how-do-they-work--kotlin--medium]] "
    "и <https://kotlinlang.org/docs/coroutines-overview.html> $O(n \\log n)$ "
    '<span class="highlight">а</span> ![[diagram-of-coroutine-states.png]]',
    # Too short to say.
    "Output:",
], ids=["terms", "not-prose", "short"])
def test_sections_that_are_not_plainly_english_keep_their_marker(text):
    body = f"## Ответ (RU)\nТекст.\n### Раздел\n{text}\n"
    assert languages(body)[1] == ("ru", "Раздел")


def test_a_wikilink_label_is_prose():
    body = "## Ответ (RU)\nТекст.\n### See\n- [[c-x|Coroutine basics and their builders]]\n"
    assert languages(body)[1] == ("en", "See")


def test_a_bilingual_heading_over_both_languages_is_shared():
    body = """# Сводка (RU)
Сводка.

## Responsibilities / Ответственность
The repository fetches data.
Репозиторий получает данные.
"""
    assert languages(body)[1] == (None, "Responsibilities / Ответственность")


def test_a_shared_section_stays_shared_whatever_its_prose():
    body = "## Related\n- x\n### Подробнее\nКорутины приостанавливаются, не блокируя поток.\n"
    assert languages(body) == [(None, "Related"), (None, "Подробнее")]


def test_reassigned_sections_name_the_section_above_them():
    found = [(r.section.heading, r.section.line, r.parent.heading, r.written)
             for r in reassigned_sections(CONCEPT, 10)]
    assert found == [
        ("What Are Coroutines", 16, "Краткое Описание (RU)", True),
        ("Core Components", 24, "Краткое Описание (RU)", True),
    ]


@pytest.mark.parametrize(("text", "script"), [
    ("Coroutines are suspendable computations.", "en"),
    ("Корутины — приостанавливаемые вычисления.", "ru"),
    ("Корутины Kotlin используют suspend", None),
    ("Short one", None),
    ("`aVeryLongIdentifierWrittenInCode` [Документация](https://example.org/long/english/path)",
     None),
], ids=["english", "russian", "mixed", "short", "markup"])
def test_prose_script(text, script):
    assert prose_script(text) == script


# --- what an author and a reader see ---------------------------------------------------------

def concept_vault(make_vault):
    return make_vault({"10-Concepts/c-coroutines.md": note_text(
        id="c-1", title="Coroutines / Корутины", kind="concept", tags="[kotlin]",
        language_tags="[en, ru]", body=CONCEPT)})


def test_validate_names_each_moved_section_at_its_heading(make_vault):
    notes = concept_vault(make_vault)
    found = [d for d in pipeline.check(notes, BuildReport()).diagnostics if d.code == "LANG007"]
    body_line = 8  # the front matter is 7 lines
    assert [(d.line, d.severity) for d in found] == [
        (body_line + 6, "warning"), (body_line + 14, "warning")]
    assert found[0].message == (
        "section '## What Are Coroutines' is under '# Краткое Описание (RU)' but written in "
        "English; it is published on the English page. Add '(EN)' to its heading (or move it)")


def test_each_page_shows_the_sections_written_in_its_language(make_vault, tmp_path):
    site = tmp_path / "site"
    build_vault(concept_vault(make_vault), site)
    pages = {language: html.unescape(re.sub(r"<[^>]+>", "", (
                 site / language / "10-Concepts" / "c-coroutines" / "index.html")
                 .read_text(encoding="utf-8"))) for language in ("en", "ru")}
    english = ["Coroutines are suspendable computations", "launch { delay(1000) }",
               "Suspend functions, builders, scopes"]
    russian = ["Корутины Kotlin используют suspend функции", "runBlocking"]
    for text in english:
        assert text in pages["en"]
    # On the Russian page too, where the note puts it (under its Russian heading), read as
    # English under a "not translated yet" notice (site/note_body.py).
    ru = article(site, "ru", "10-Concepts/c-coroutines.md")
    assert ru.language_of("Coroutines are suspendable computations") == "en"
    assert ru.language_of("Suspend functions, builders, scopes") == "en"
    for text in russian:
        assert text in pages["ru"] and text not in pages["en"]


def test_a_russian_part_name_marks_russian_at_any_level():
    """`## Ответ` under `# Question` (no markers anywhere) is the Russian answer, not an English
    subsection: a part's Russian name says its language as a marker does."""
    body = ("# Вопрос\nЧто такое NonCancellable?\n# Question\nWhat is NonCancellable?\n"
            "## Ответ\nТак:\n```kotlin\nwithContext(NonCancellable) { close() }\n```\n"
            "#### Когда использовать\nВ finally.\n"
            "## Answer\nA context that cannot be cancelled.\n")
    sections = split_sections(body, 1)
    by_heading = {section.heading: section.language for section in sections}
    assert by_heading == {"Вопрос": "ru", "Question": "en", "Ответ": "ru",
                          "Когда использовать": "ru", "Answer": "en"}


def test_a_same_level_section_in_the_language_of_the_one_before_continues_it():
    """Answers put their subsections at the answer's own level: `## Freshness` in English after
    `## Answer (EN)` is English, `## Свежесть` after `## Ответ (RU)` Russian; a section in the
    other language than the one before it, or with no prose, stays shared."""
    body = ("# Question (EN)\nWhat is HTTP caching?\n# Вопрос (RU)\nЧто такое HTTP-кеширование?\n"
            "## Answer (EN)\nTwo mechanisms work together.\n"
            "## Freshness with Cache-Control\nThe server sends a lifetime and the copy is fresh for it.\n"
            "## Ответ (RU)\nРаботают два механизма.\n"
            "## Свежесть\nСервер отправляет срок жизни, и копия свежа в течение него.\n"
            "## Start Here\nThe list below names the notes to read first in this topic.\n"
            "## Code\n```kotlin\nval x = 1\n```\n")
    assert languages(body) == [
        ("en", "Question (EN)"), ("ru", "Вопрос (RU)"), ("en", "Answer (EN)"),
        ("en", "Freshness with Cache-Control"), ("ru", "Ответ (RU)"), ("ru", "Свежесть"),
        (None, "Start Here"), (None, "Code")]


def test_an_empty_heading_goes_with_the_subsections_it_introduces():
    """`## What Are Coroutines` with only English subsections under a Russian summary is on the
    English page with them, not left empty on the Russian one; a marked heading keeps its mark."""
    body = ("# Summary (EN)\nCoroutines are light.\n# Краткое описание (RU)\nКорутины лёгкие.\n"
            "## What Are Coroutines\n### Definition\nA coroutine is an instance of suspendable "
            "computation, similar to a thread but not bound to one.\n"
            "# Question (EN)\n## Ответ (RU)\nЭто лёгкие потоки исполнения, не привязанные к потоку.\n")
    assert languages(body) == [
        ("en", "Summary (EN)"), ("ru", "Краткое описание (RU)"), ("en", "What Are Coroutines"),
        ("en", "Definition"), ("en", "Question (EN)"), ("ru", "Ответ (RU)")]


def test_shared_sections_after_an_english_answer_stay_on_both_pages():
    body = ("# Question (EN)\nWhat?\n# Вопрос (RU)\nЧто?\n## Ответ (RU)\nОтвет по-русски.\n"
            "## Answer (EN)\nAn answer in English.\n"
            "## References\n- The official documentation of the Kotlin language and its library.\n")
    assert languages(body)[-1] == (None, "References")
