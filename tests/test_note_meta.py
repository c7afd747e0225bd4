"""NoteMeta (generator/notes/note_meta.py): a note's metadata read once, and the title fallback chain,
so that no page, link, search result or graph label shows a raw file name."""

from __future__ import annotations

import pytest

from generator.cli import main
from generator.graph.data import attributed_graph
from generator.graph.links import build_graph
from generator.notes.load import load_text, load_vault
from generator.notes.note_meta import readable_name
from generator.site.render import Renderer

from .conftest import note_text

NAMES = [
    ("q-what-is-a-coroutine--kotlin--easy", "What is a coroutine"),
    ("c-kotlin-flow", "Kotlin flow"),
    ("moc-android", "Android"),
    ("My Note", "My Note"),
    ("snake_case_name", "Snake case name"),
    ("ab", "Ab"),
    ("q--kotlin--easy", "Q"),
]


@pytest.mark.parametrize(("stem", "readable"), NAMES, ids=[stem for stem, _ in NAMES])
def test_a_file_name_made_readable(stem, readable):
    assert readable_name(stem) == readable


BODY = ("# Question (EN)\n\n**What is a coroutine** in Kotlin?\n\n## Answer (EN)\nA light thread.\n\n"
        "# Вопрос (RU)\n\n> Что такое корутина в Kotlin?\n\n## Ответ (RU)\nЛёгкий поток.\n")

TITLES = [
    ("---\ntitle: Coroutines / Корутины\n---\n" + BODY, "Coroutines", "Корутины"),
    ("---\ntitle: Activity\n---\n" + BODY, "Activity", "Activity"),
    ("---\nid: x\n---\n" + BODY, "What is a coroutine in Kotlin?", "Что такое корутина в Kotlin?"),
    ("---\nid: x\n---\n" + BODY.split("# Вопрос")[0], "What is a coroutine in Kotlin?",
     "What is a coroutine in Kotlin?"),
    ("---\nid: x\n---\n# Kotlin Flow\n\nText.\n", "Kotlin Flow", "Kotlin Flow"),
    ("---\nid: x\n---\n# Summary (EN)\nText.\n", "What is a coroutine", "What is a coroutine"),
    ("---\ntitle: [broken\n---\n" + BODY, "What is a coroutine in Kotlin?",
     "Что такое корутина в Kotlin?"),
]


@pytest.mark.parametrize(("text", "english", "russian"), TITLES,
                         ids=["front-matter", "one-language", "question", "question-en-only",
                              "heading", "file-name", "broken-yaml"])
def test_the_title_fallback_chain(text, english, russian):
    note = load_text("70-Kotlin/q-what-is-a-coroutine--kotlin--easy.md", text)
    assert note.info.titles == {"en": english, "ru": russian}


def test_metadata_is_read_once_with_types_settled():
    note = load_text("c-x.md", "---\ntitle: X\ntopic: [kotlin, android]\ndifficulty: Hard\n"
                               "tags: [a, 2, null]\ncreated: 2025-01-02\nrelated: c-y\n---\nX.\n")
    info = note.info
    assert info is note.info  # built once
    assert (info.topic, info.difficulty, info.tags, info.created, info.related) == \
        ("kotlin, android", "hard", ("a", "2"), "2025-01-02", ("c-y",))


def test_no_page_or_graph_label_shows_the_file_name(make_vault, tmp_path):
    notes = make_vault({
        "70-Kotlin/q-what-is-a-coroutine--kotlin--easy.md": "---\nid: k1\ntopic: kotlin\n---\n" + BODY,
        "70-Kotlin/q-other--kotlin--easy.md": note_text(
            id="k2", title="Other / Другой", topic="kotlin",
            body="# Question (EN)\nSee [[q-what-is-a-coroutine--kotlin--easy]].\n"
                 "# Вопрос (RU)\nСм. [[q-what-is-a-coroutine--kotlin--easy]].\n"),
    })
    vault = load_vault(notes)
    graph = build_graph(vault)
    labels = attributed_graph(graph).nodes["70-Kotlin/q-what-is-a-coroutine--kotlin--easy.md"]
    assert labels["title_ru"] == "Что такое корутина в Kotlin?"
    site = tmp_path / "site"
    assert main(["build", "--notes", str(notes), "--site", str(site), "--allow-errors",
                 "--no-cache"]) == 0
    for language, title in (("en", "What is a coroutine in Kotlin?"),
                            ("ru", "Что такое корутина в Kotlin?")):
        page = (site / language / "70-Kotlin" / "q-what-is-a-coroutine--kotlin--easy" /
                "index.html").read_text(encoding="utf-8")
        assert "<h1" in page and title in page
        other = (site / language / "70-Kotlin" / "q-other--kotlin--easy" / "index.html"
                 ).read_text(encoding="utf-8")
        assert title in other and ">q-what-is-a-coroutine--kotlin--easy<" not in other
        assert title in (site / language / "graph.json").read_text(encoding="utf-8")


@pytest.mark.real_vault
def test_no_title_on_the_real_vault_is_a_file_name(corpus):
    vault = load_vault(corpus)
    renderers = {language: Renderer(vault, build_graph(vault), language) for language in ("en", "ru")}
    named = [(note.key, language) for note in vault.notes for language, renderer in renderers.items()
             if renderer.facts[note.key].title.strip() in (note.stem, "")]
    print(f"\n{len(vault.notes)} notes, {len(named)} page titles that are a file name")
    assert named == []
