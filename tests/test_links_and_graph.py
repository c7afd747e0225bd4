"""Wikilinks, resolution the way Obsidian does it, and the typed graph."""

from __future__ import annotations

import pytest

from generator.graph.links import build_graph
from generator.notes.load import load_vault
from generator.notes.wikilinks import find_wikilinks, parse_inner

from .conftest import note_text


@pytest.mark.parametrize(("inner", "expected"), [
    ("c-flow", ("c-flow", None, None)),
    ("c-flow|Flow", ("c-flow", None, "Flow")),
    ("c-flow#Answer (EN)", ("c-flow", "Answer (EN)", None)),
    ("c-flow#Answer (EN)|see", ("c-flow", "Answer (EN)", "see")),
    ("c-flow\\|Flow", ("c-flow", None, "Flow")),
    ("#Local heading", ("", "Local heading", None)),
], ids=["plain", "label", "heading", "heading-label", "table-pipe", "same-note"])
def test_parse_inner(inner, expected):
    assert parse_inner(inner) == expected


def test_links_in_code_are_text():
    text = "See [[a]] and `[[b]]`.\n```kotlin\nval x = list[[0]]\n```\n![[c.png]]\n"
    links = find_wikilinks(text, 5)
    assert [(link.target, link.line, link.column, link.embed) for link in links] == [
        ("a", 5, 5, False), ("c.png", 9, 1, True)]


@pytest.fixture
def vault(make_vault):
    return make_vault({
        "10-Concepts/c-flow.md": note_text(
            id="ivc-1", title="Flow / Поток", aliases="[Kotlin Flow, Холодный поток]",
            kind="concept", body="# Summary (EN)\nFlow.\n# Сводка (RU)\nПоток.\n"),
        "70-Kotlin/q-flow-basics--kotlin--easy.md": note_text(
            id="kotlin-001", title="Flow basics / Основы Flow", moc="moc-kotlin",
            related="[c-flow, '[[q-missing]]']",
            body="# Question (EN)\nSee [[Kotlin Flow]] and [[kotlin-002|by id]].\n"
                 "# Вопрос (RU)\nСм. [[Холодный поток]] и [[nowhere]].\n"),
        "70-Kotlin/q-channels--kotlin--medium.md": note_text(
            id="kotlin-002", title="Channels / Каналы", moc="c-flow",
            body="# Question (EN)\n[[Flow basics]]\n# Вопрос (RU)\n[[Основы Flow]]\n"),
        "90-MOCs/moc-kotlin.md": note_text(id="ivm-1", title="Kotlin — MOC", kind="moc",
                                           body="# Kotlin\n"),
        "10-Concepts/orphan.md": note_text(id="x-1", title="Orphan / Сирота", body="text\n"),
    })


def test_resolution_by_alias_id_and_title_halves(vault):
    graph = build_graph(load_vault(vault))
    q = "70-Kotlin/q-flow-basics--kotlin--easy.md"
    edges = graph.graph.edges
    assert edges[q, "10-Concepts/c-flow.md"]["kinds"] == {"related", "wikilink"}
    assert edges[q, "70-Kotlin/q-channels--kotlin--medium.md"]["kinds"] == {"wikilink"}
    assert edges[q, "90-MOCs/moc-kotlin.md"]["kinds"] == {"moc"}
    assert edges["70-Kotlin/q-channels--kotlin--medium.md", q]["kinds"] == {"wikilink"}


def test_backlinks_and_moc_members(vault):
    graph = build_graph(load_vault(vault))
    q = "70-Kotlin/q-flow-basics--kotlin--easy.md"
    assert graph.backlinks("10-Concepts/c-flow.md") == [q]
    assert graph.moc_members("90-MOCs/moc-kotlin.md") == [q]
    assert graph.backlinks("90-MOCs/moc-kotlin.md") == []  # membership is not a backlink
    assert graph.related(q) == ["10-Concepts/c-flow.md"]


def test_unresolved_targets_are_diagnostics_at_their_lines(vault):
    graph = build_graph(load_vault(vault))
    found = sorted((d.code, d.path, d.line, d.field) for d in graph.diagnostics)
    assert found == [
        ("LINK001", "70-Kotlin/q-flow-basics--kotlin--easy.md", 5, "related"),
        ("LINK002", "70-Kotlin/q-flow-basics--kotlin--easy.md", 10, None),
        ("LINK003", "70-Kotlin/q-channels--kotlin--medium.md", 4, "moc"),
    ]


def test_same_folder_wins_for_duplicate_file_names(make_vault):
    root = make_vault({
        "a/x.md": note_text(id="1", title="A", body="[[y]]\n"),
        "a/y.md": note_text(id="2", title="Y in a", body=""),
        "b/y.md": note_text(id="3", title="Y in b", body=""),
        "b/z.md": note_text(id="4", title="Z", body="[[y]] [[a/y]]\n"),
    })
    graph = build_graph(load_vault(root))
    assert set(graph.graph.successors("a/x.md")) == {"a/y.md"}
    assert set(graph.graph.successors("b/z.md")) == {"b/y.md", "a/y.md"}


def test_embedded_file_must_exist(make_vault):
    root = make_vault({"a/x.md": note_text(id="1", title="A", body="![[there.png]]\n![[gone.png]]\n")})
    (root / "a" / "there.png").write_bytes(b"png")
    graph = build_graph(load_vault(root))
    assert [(d.code, d.line) for d in graph.diagnostics] == [("LINK004", 6)]
