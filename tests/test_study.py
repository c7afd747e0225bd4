"""Study mode's part of the pages: the answer's mark, the study bar of a question page, the
study page and its JSON, and link previews on wikilinks (the browser side is in
tests/browser/test_study.py)."""

from __future__ import annotations

import json
import re

import pytest

from generator.graph.links import build_graph
from generator.notes.load import load_vault
from generator.paths import STUDY_JSON, STUDY_PAGE
from generator.site import study
from generator.site.project import navigation
from generator.site.render import Renderer

from .conftest import note_text

EVIL = "<script>x</script>"


@pytest.fixture
def pages(make_vault):
    vault = load_vault(make_vault({
        "70-Kotlin/q-flow--kotlin--easy.md": note_text(
            id="k-1", title="Flow / Поток", topic="kotlin", difficulty="easy",
            body="""
                # Question (EN)
                What is a [[c-flow|flow]]?
                ## Answer (EN)
                A cold stream.
                ### Details
                More.
                ## Follow-ups
                - Hot flows?
                # Вопрос (RU)
                Что такое поток?
                ## Ответ (RU)
                Холодный поток.
            """),
        "70-Kotlin/q-odd--kotlin--hard.md": note_text(
            id="k-2", title="Odd / Странный", topic=f"'{EVIL}'", difficulty="impossible",
            body="# Question (EN)\nWhy?\n## Answer\nBecause.\n## Answer\nTwice.\n"),
        "70-Kotlin/q-bare.md": note_text(id="k-3", title="Bare", body="No headings at all.\n"),
        "10-Concepts/c-flow.md": note_text(
            id="c-1", title="Flow / Поток", kind="concept",
            body="# Summary (EN)\nFlow.\n## Answer\nNot a question.\n# Сводка (RU)\nПоток.\n"),
    }))
    graph = build_graph(vault)
    return {language: {page.path: page for page in Renderer(vault, graph, language).pages()}
            for language in ("en", "ru")}


@pytest.mark.parametrize("heading, expected", [
    ("Answer (EN)", True), ("Ответ (RU)", True), ("Answer", True), ("  ответ ", True),
    ("Short Answer", False), ("Ответ: Ссылки (RU)", False), ("Question (EN)", False),
], ids=["en", "ru", "unmarked", "spaces", "short", "ru-compound", "question"])
def test_answer_headings(heading, expected):
    assert study.is_answer(heading) is expected


def test_the_answer_heading_of_a_question_is_marked_once(pages):
    en = pages["en"]["70-Kotlin/q-flow--kotlin--easy.md"].markdown
    ru = pages["ru"]["70-Kotlin/q-flow--kotlin--easy.md"].markdown
    assert "## Answer { .kb-answer }\n" in en
    assert "### Details\n" in en  # the answer's subheadings are hidden with it, unmarked
    assert "## Ответ { .kb-answer }\n" in ru
    odd = pages["en"]["70-Kotlin/q-odd--kotlin--hard.md"].markdown
    assert odd.count("{ .kb-answer }") == 1
    assert "kb-answer" not in pages["en"]["10-Concepts/c-flow.md"].markdown


def test_question_pages_have_the_study_bar_with_one_key_for_both_languages(pages):
    bars = {}
    for language in ("en", "ru"):
        markdown = pages[language]["70-Kotlin/q-flow--kotlin--easy.md"].markdown
        bar = re.search(r'<div class="kb-study".*</div>', markdown).group(0)
        bars[language] = bar
        assert 'data-kb-study="70-Kotlin/q-flow--kotlin--easy/"' in bar
        assert 'data-kb-study-src="../../study.json"' in bar
        assert 'href="../../study/"' in bar  # an HTML href: Markdown leaves raw HTML alone
        assert " hidden>" in bar  # until study.js runs
        # A few hundred bytes a question page, in either language.
        assert len(bar.encode("utf-8")) < 700, len(bar.encode("utf-8"))
    assert "Show answer" in bars["en"] and "Показать ответ" in bars["ru"]
    assert "kb-study" not in pages["en"]["10-Concepts/c-flow.md"].markdown


def test_study_json_lists_the_questions_of_each_language(pages):
    en = json.loads(pages["en"][STUDY_JSON].markdown)
    ru = json.loads(pages["ru"][STUDY_JSON].markdown)
    assert en["format"] == "kb-study/1" and en["difficulties"] == ["easy", "medium", "hard"]
    rows = {row[0]: row for row in en["questions"]}
    assert set(rows) == {"70-Kotlin/q-flow--kotlin--easy/", "70-Kotlin/q-odd--kotlin--hard/",
                         "70-Kotlin/q-bare/"}
    flow = rows["70-Kotlin/q-flow--kotlin--easy/"]
    assert flow[1] == "Flow" and en["topics"][flow[2]] == "kotlin" and flow[3] == 0
    assert rows["70-Kotlin/q-odd--kotlin--hard/"][3] == -1  # not one of the three
    assert rows["70-Kotlin/q-bare/"][2] == -1  # no topic
    assert en["questions"][-1][0] == "70-Kotlin/q-bare/"  # without a topic: last
    assert [row[0] for row in ru["questions"]] == [row[0] for row in en["questions"]]
    assert "Поток" in [row[1] for row in ru["questions"]]


def test_study_page_offers_the_topics_and_difficulties_of_the_questions(pages):
    en = pages["en"][STUDY_PAGE].markdown
    assert "# Study" in en
    assert 'data-kb-study-src="../study.json"' in en
    assert '<option value="kotlin">Kotlin (1)</option>' in en
    assert EVIL not in en and "&lt;script&gt;" in en  # a topic is text
    assert 'value="easy"' in en and 'value="medium"' not in en  # no medium question
    assert 'value="other"' in en  # the question whose difficulty is not one of the three
    assert '<a href="../difficulty/easy/">Easy</a>' in en  # without JavaScript
    assert "# Тренировка" in pages["ru"][STUDY_PAGE].markdown
    assert "study/index.md" in pages["en"]["index.md"].markdown  # the home page links it


def test_navigation_links_the_study_page(pages):
    nav = navigation(list(pages["ru"].values()), "ru")
    assert {"Тренировка": STUDY_PAGE} in nav


def test_a_note_at_the_study_page_path_keeps_it(make_vault):
    vault = load_vault(make_vault({"study/index.md": note_text(id="s", title="Mine", body="x\n")}))
    pages = {page.path: page for page in Renderer(vault, build_graph(vault), "en").pages()}
    assert pages["_notes/study/index.md"].note == "study/index.md"  # moved (paths.py)
    assert "# Study" in pages["study/index.md"].markdown
    assert {"Study": "study/index.md"} in navigation(list(pages.values()), "en")


def test_wikilinks_to_notes_ask_for_a_preview(pages):
    markdown = pages["en"]["70-Kotlin/q-flow--kotlin--easy.md"].markdown
    assert '[flow](../10-Concepts/c-flow.md){ data-preview="" }' in markdown
    # Lists the generator adds (related notes, backlinks) have none.
    assert markdown.count("data-preview") == 1
