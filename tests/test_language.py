"""The bilingual split, on the heading shapes real notes use."""

from __future__ import annotations

import pytest

from generator.language import languages_present, split_sections, split_title


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
