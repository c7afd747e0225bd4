"""Sections under a language's heading that say nothing in words (code, identifiers, file
names, links) stay with the language of the part they are in; the split (notes/language.py)
moves a section to the other language only for its prose."""

from __future__ import annotations

import pytest

from generator.notes.language import prose, split_sections

RUSSIAN_ANSWER = "## Ответ (RU)\nОператоры Flow преобразуют поток значений по одному.\n"
CODE = "```kotlin\nflow { emit(1) }.onEach { println(it) }\n```\n"


def languages(body: str) -> dict[str, str | None]:
    return {section.heading or "": section.language for section in split_sections(body, 1)}


@pytest.mark.parametrize(("body", "heading", "language"), [
    # A heading of function names over code is no English prose.
    (RUSSIAN_ANSWER + "#### onEach / onStart / onCompletion\n" + CODE,
     "onEach / onStart / onCompletion", "ru"),
    # File names are no English prose either.
    (RUSSIAN_ANSWER + "### 3. FileProvider Setup\n**AndroidManifest.xml:**\n" + CODE
     + "**res/xml/file_paths.xml:**\n" + CODE, "3. FileProvider Setup", "ru"),
    # After a section of both languages, code goes with the part it is in.
    (RUSSIAN_ANSWER + "#### take / drop / debounce (кратко)\n" + CODE
     + "### 3. Операторы комбинирования\n#### zip\n" + CODE, "zip", "ru"),
    # A Cyrillic heading over code after English text stays Russian.
    (RUSSIAN_ANSWER + "#### Platform Drivers\nThe Android driver needs a context to open the "
     "database file.\n" + CODE + "#### Использование API\n" + CODE, "Использование API", "ru"),
    # English prose under a Russian heading still goes to English (rule 3).
    (RUSSIAN_ANSWER + "### Example\nThis example shows how the operator transforms values.\n",
     "Example", "en"),
    # Links under a section notes share, below the last part's heading: shared.
    ("# Summary (EN)\nShort.\n# Сводка (RU)\nКоротко о главном для читателя заметки.\n"
     "## Details\nCoroutines are suspendable computations on a thread pool.\n"
     "## Related Questions\n- [[q-a]]\n- [[q-b]]\n", "Related Questions", None),
], ids=["identifier-heading", "file-names", "after-bilingual", "cyrillic-heading",
        "english-prose", "related-links"])
def test_a_section_without_prose_stays_in_its_part(body, heading, language):
    assert languages(body)[heading] == language


@pytest.mark.parametrize(("text", "kept"), [
    ("**AndroidManifest.xml:**", "**\0\0:**"),
    ("Use androidx.core.content.FileProvider here", "Use \0\0 here"),
    ("See res/xml/file_paths.xml", "See \0\0"),
    ("The end. Next sentence", "The end. Next sentence"),
], ids=["file", "package", "path", "sentence"])
def test_file_names_are_not_prose(text, kept):
    assert prose(text) == kept


def test_a_chain_of_slashes_is_one_pass():
    import time

    start = time.perf_counter()
    prose("a/" * 200_000 + "x.y " + "b." * 200_000)
    assert time.perf_counter() - start < 2


@pytest.mark.parametrize("line", [
    "<!--" * 250_000, "[[" * 500_000, "![[" * 300_000, "![a](" * 200_000, "](" * 500_000,
    "\\(" * 500_000, "a." * 500_000, "[[a|" * 250_000,
], ids=["comments", "wikilinks", "embeds", "images", "targets", "latex", "dotted", "labels"])
def test_prose_of_a_hostile_megabyte_line_is_one_pass(line):
    """Each construct `prose` removes stops at the next opening of its kind: a megabyte of
    unclosed ones is read whole (no line is cut short) in about a second, not minutes."""
    import time

    start = time.perf_counter()
    prose(line + " and then some words")
    assert time.perf_counter() - start < 5
