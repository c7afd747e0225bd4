"""Topics and tags written in several ways (`Kotlin`/`kotlin`, `sealed-class`/`sealed-classes`,
`data_structures`/`data-structures`) are listed as one, with one page that gathers the notes of
every spelling and says which spellings it gathers (generator/site/index_pages.py, by the
taxonomy report's near-duplicate rule, generator/checks/taxonomy_report.py)."""

from __future__ import annotations

import re

import pytest

from generator.checks.taxonomy_report import near_duplicate_groups, near_duplicates
from generator.site.index_pages import gather

from .conftest import note_text


@pytest.mark.parametrize(("values", "groups"), [
    (["list", "Lists", "LIST", "map"], [["list", "Lists", "LIST"], ["map"]]),
    (["data_structures", "Data Structures", "data-structure"],
     [["data_structures", "Data Structures", "data-structure"]]),
    (["process", "processes", "proces"], [["process", "processes", "proces"]]),
    (["io", "ios", "ui", "uis"], [["io"], ["ios"], ["ui"], ["uis"]]),  # abbreviations
    (["kotlin", "kotln", "kmp"], [["kotlin"], ["kotln"], ["kmp"]]),  # no spelling distance
], ids=["plural-and-case", "separators", "es-plural", "short-words", "misspelling"])
def test_near_duplicate_groups(values, groups):
    assert near_duplicate_groups(values) == groups
    for group in groups:  # each value is a near-duplicate of another of its group
        assert len(group) == 1 or all(any(near_duplicates(a, b) for b in group if b != a)
                                      for a in group)


def test_an_entry_is_named_by_the_allowed_spelling_else_the_most_used():
    notes = [("a", ["Kotlin"]), ("b", ["Kotlin"]), ("c", ["kotlin"]),
             ("d", ["Lists", "list"]), ("e", ["lists"]), ("f", ["LISTS"])]
    entries = {entry.name: entry for entry in gather(notes, allowed=["kotlin"])}
    assert entries["kotlin"].spellings == ("kotlin", "Kotlin")  # allowed, though less used
    assert entries["kotlin"].keys == ("a", "b", "c")
    # Not allowed: one use each of three spellings; the one written as the taxonomy writes
    # values wins the tie. A note with two spellings counts once.
    assert entries["list"].spellings == ("list", "lists", "LISTS", "Lists")
    assert entries["list"].keys == ("d", "e", "f")
    assert list(entries) == ["kotlin", "list"]


def _question(n: int, topic: str, tags: str) -> str:
    return note_text(id=f"q-{n}", title=f"Question {n} / Вопрос {n}", topic=topic,
                     difficulty="easy", tags=tags,
                     body="# Question (EN)\nWhy?\n## Answer (EN)\nBecause.\n"
                          "# Вопрос (RU)\nПочему?\n## Ответ (RU)\nПотому.\n")


VAULT = {
    "20-Algorithms/q-1--data-structures--easy.md": _question(
        1, "data-structures", "[sealed-classes, io, pipeline]"),
    "20-Algorithms/q-2--data-structures--easy.md": _question(
        2, "data-structures", "[sealed-classes, io]"),
    "20-Algorithms/q-3--data-structures--easy.md": _question(
        3, "Data_Structures", "[Sealed-Classes, io, ios, pipelines]"),
    "70-Kotlin/q-4--kotlin--easy.md": _question(4, "kotlin", "[sealed-class, ios]"),
    "70-Kotlin/q-5--kotlin--easy.md": _question(5, "kotlin", "[ios]"),
}


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, dict[str, str]]:
    from generator.graph.links import build_graph
    from generator.notes.load import load_vault
    from generator.site.render import render_language

    root = tmp_path_factory.mktemp("spellings")
    for rel, text in VAULT.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    vault = load_vault(root)
    graph = build_graph(vault)
    return {language: {page.path: page.markdown for page in render_language(vault, graph, language)}
            for language in ("en", "ru")}


def _links(markdown: str) -> list[str]:
    return re.findall(r"\]\(([^)]+)\)", markdown)


def _join(source: str, href: str) -> str:
    parts = source.split("/")[:-1]
    for part in href.split("/"):
        if part == "..":
            parts.pop()
        elif part != ".":
            parts.append(part)
    return "/".join(parts)


def test_one_topic_page_gathers_every_spelling(pages):
    en = pages["en"]
    topic = en["topics/data-structures.md"]
    assert "topics/data_structures.md" not in en  # no second page for the other spelling
    assert "3 notes" in topic
    for n in (1, 2, 3):
        assert f"[Question {n}]" in topic
    gathers = re.search(r'<p class="kb-spellings">(.*?)</p>', topic)
    assert gathers is not None
    assert re.findall(r"<code>([^<]+)</code>", gathers.group(1)) == ["data-structures",
                                                                    "Data_Structures"]
    index = en["topics/index.md"]
    assert len(re.findall(r"^- \[Data structures\]", index, re.M)) == 1
    assert re.search(r"^- \[Data structures\]\(data-structures\.md\) \(3\) · also "
                     r"Data\\_Structures$", index, re.M), index
    assert "in 2 topics." in en["index.md"]  # the home page's figures: words, not spellings
    assert len(re.findall(r"^- \[Data structures\]", en["index.md"], re.M)) == 1
    # The Russian page says so in Russian.
    assert "Объединяет написания" in pages["ru"]["topics/data-structures.md"]


def test_a_notes_topic_badge_leads_to_its_words_page(pages):
    source = "20-Algorithms/q-3--data-structures--easy.md"
    page = pages["en"][source]
    badge = re.search(r"\[([^\]]+)\]\(([^)]+)\)\{ \.kb-badge \.kb-topic \}", page)
    assert badge is not None, page
    assert badge.group(1) == "Data structures"
    assert _join(source, badge.group(2)) == "topics/data-structures.md"


def test_tags_that_are_one_word_are_one_entry_and_abbreviations_stay_apart(pages):
    en = pages["en"]
    tag = en["tags/sealed-classes.md"]
    assert "tags/sealed-class.md" not in en
    assert "4 notes" in tag
    assert all(f"[Question {n}]" in tag for n in (1, 2, 3, 4))
    gathers = re.search(r'<p class="kb-spellings">(.*?)</p>', tag)
    assert gathers is not None
    assert re.findall(r"<code>([^<]+)</code>", gathers.group(1)) == [
        "#sealed-classes", "#sealed-class", "#Sealed-Classes"]
    # `io` and `ios` are not one word: a page each, of three notes.
    assert "3 notes" in en["tags/io.md"] and "3 notes" in en["tags/ios.md"]
    index = en["tags/index.md"]
    assert re.search(r"^- \[\\#sealed-classes\]\(sealed-classes\.md\) \(4\) · also "
                     r"\\#sealed-class, \\#Sealed-Classes$", index, re.M), index
    assert len(re.findall(r"sealed", index)) == 3  # one entry, not three
    # Rare spellings of one word are one rare tag, with the notes of both.
    rare = [line for line in index.splitlines() if line.startswith("- \\#pipeline")]
    assert len(rare) == 1 and "also \\#pipelines" in rare[0]
    assert "[Question 1]" in rare[0] and "[Question 3]" in rare[0]
    # The home page counts entries, not spellings: sealed-classes, io, ios, pipeline.
    assert re.search(r"\(4\)</span>", en["index.md"].split("## Tags")[1].split("##")[0])
