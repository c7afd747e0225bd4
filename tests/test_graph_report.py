"""The link graph for authors and tools: `kb graph report|export`, and the site's graph.json.

One small vault shaped like the real one (Kotlin questions, concepts, a MOC, an Android note
nobody links) has every kind of edge and every finding the report makes.
"""

from __future__ import annotations

import json

import networkx as nx
import pytest
from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

from generator.cli import main
from generator.graph.analysis import analyse, pagerank
from generator.graph.links import build_graph
from generator.graph.report import as_data
from generator.graph.suggest import suggest_links
from generator.notes.load import load_vault
from generator.paths import GRAPH_JSON
from generator.site.project import navigation
from generator.site.render import Renderer

from .conftest import note_text

LAUNCH = "70-Kotlin/q-launch-vs-async--kotlin--easy.md"
SCOPE = "70-Kotlin/q-coroutine-scope--kotlin--medium.md"
CANCEL = "70-Kotlin/q-coroutine-cancellation--kotlin--hard.md"
FLOW = "70-Kotlin/q-flow-operators--kotlin--medium.md"
COROUTINES = "10-Concepts/c-coroutines.md"
KFLOW = "10-Concepts/c-kotlin-flow.md"
MOC = "90-MOCs/moc-kotlin.md"
ORPHAN = "40-Android/q-intent-flags--android--medium.md"
ISLAND_A = "40-Android/q-room-basics--android--easy.md"
ISLAND_B = "40-Android/q-room-migrations--android--medium.md"


def kotlin(id: str, title: str, body: str, subtopics: str, **fields: str) -> str:
    return note_text(id=id, title=title, topic="kotlin", subtopics=subtopics, moc="moc-kotlin",
                     body=body, **fields)


@pytest.fixture
def vault(make_vault):
    return make_vault({
        COROUTINES: note_text(
            id="c-1", title="Coroutines / Корутины", kind="concept", topic="kotlin",
            subtopics="[coroutines]", related=f"[{LAUNCH.rsplit('/', 1)[1][:-3]}]",
            body="# Summary (EN)\nLight threads. See [[c-kotlin-flow]].\n"
                 "# Сводка (RU)\nЛёгкие потоки.\n"),
        KFLOW: note_text(
            id="c-2", title="Kotlin Flow / Kotlin Flow", kind="concept", topic="kotlin",
            subtopics="[flow]", body="# Summary (EN)\nCold streams.\n# Сводка (RU)\nПотоки.\n"),
        LAUNCH: kotlin(
            "kotlin-1", "launch vs async / launch и async",
            "# Question (EN)\nUses [[c-coroutines]] and [[c-kotlin-flow|Flow]].\n"
            "# Вопрос (RU)\nСм. [[c-coroutines]].\n",
            "[coroutines, coroutine-builders]",
            related="[c-coroutines, q-coroutine-scope--kotlin--medium]"),
        SCOPE: kotlin(
            "kotlin-2", "Coroutine scope / Область корутин",
            "# Question (EN)\nScope and [[c-coroutines]].\n# Вопрос (RU)\nОбласть.\n",
            "[coroutines, structured-concurrency]", related="[c-coroutines]"),
        CANCEL: kotlin(
            "kotlin-3", "Cancellation / Отмена корутин",
            "# Question (EN)\nCancel a [[q-coroutine-scope--kotlin--medium|scope]].\n"
            "# Вопрос (RU)\nОтмена.\n",
            "[coroutines, structured-concurrency, cancellation]", related="[c-coroutines]"),
        FLOW: kotlin(
            "kotlin-4", "Flow operators / Операторы Flow",
            "# Question (EN)\n![[c-kotlin-flow]]\n# Вопрос (RU)\nОператоры.\n", "[flow]"),
        MOC: note_text(id="moc-1", title="Kotlin — MOC", kind="moc",
                       body="# Kotlin\n- [[c-coroutines]]\n- [[c-kotlin-flow]]\n"),
        ORPHAN: note_text(id="android-1", title="Intent flags / Флаги Intent", topic="android",
                          body="# Question (EN)\nFlags.\n# Вопрос (RU)\nФлаги.\n"),
        ISLAND_A: note_text(id="android-2", title="Room basics / Основы Room", topic="android",
                            related="[q-room-migrations--android--medium]",
                            body="# Question (EN)\nRoom.\n# Вопрос (RU)\nRoom.\n"),
        ISLAND_B: note_text(id="android-3", title="Room migrations / Миграции Room",
                            topic="android", body="# Question (EN)\nMigrate.\n"),
    })


@pytest.fixture
def kg(vault):
    return build_graph(load_vault(vault))


def test_edges_of_every_type_and_backlinks(kg):
    edges = kg.graph.edges
    assert edges[LAUNCH, COROUTINES]["kinds"] == {"related", "wikilink"}
    assert edges[LAUNCH, SCOPE]["kinds"] == {"related"}
    assert edges[LAUNCH, MOC]["kinds"] == {"moc"}
    assert edges[CANCEL, SCOPE]["kinds"] == {"wikilink"}
    assert edges[FLOW, KFLOW]["kinds"] == {"embed"}
    assert edges[MOC, COROUTINES]["kinds"] == {"wikilink"}
    assert analyse(kg).edge_kinds == {"embed": 1, "moc": 4, "related": 6, "wikilink": 7}
    assert kg.backlinks(KFLOW) == [COROUTINES, FLOW, LAUNCH, MOC]
    assert kg.backlinks(MOC) == []  # `moc` fields make members, not backlinks
    assert kg.moc_members(MOC) == [CANCEL, SCOPE, FLOW, LAUNCH]


def test_orphans_dead_ends_moc_coverage_and_components(kg):
    report = analyse(kg)
    assert report.orphans == [ORPHAN]
    assert report.dead_ends == [KFLOW, ISLAND_B]  # linked to, linking nowhere
    assert report.no_moc == [ORPHAN, ISLAND_A, ISLAND_B]
    (moc,) = report.mocs
    assert (moc.moc, moc.topic, moc.members, moc.covered, moc.topic_notes) == \
        (MOC, "kotlin", 6, 6, 6)  # four by their `moc` field, two linked from its body
    assert [(t.topic, t.notes, t.in_moc, t.mocs) for t in report.topics] == [
        ("kotlin", 6, 6, (MOC,)), ("android", 3, 0, ())]
    assert [len(component) for component in report.components] == [7, 2, 1]
    assert report.components[1:] == [[ISLAND_A, ISLAND_B], [ORPHAN]]


def test_hubs_by_in_degree_and_pagerank(kg):
    report = analyse(kg, hubs=2)
    assert {hub.key: hub.in_degree for hub in report.hubs_by_in_degree} == {COROUTINES: 4, KFLOW: 4}
    assert MOC not in [hub.key for hub in report.hubs_by_pagerank]  # MOCs are reported apart
    ours = pagerank(kg.graph)
    reference = _pagerank_python(kg.graph)  # networkx's own, pure-Python power iteration
    assert sum(ours.values()) == pytest.approx(1.0)
    for key in kg.graph:
        assert ours[key] == pytest.approx(reference[key], abs=1e-6)


def test_one_way_related_links(kg):
    one_way = [(row.source, row.target, row.back) for row in analyse(kg).one_way_related]
    assert one_way == [
        (ISLAND_A, ISLAND_B, ()),
        (CANCEL, COROUTINES, ()),
        (SCOPE, COROUTINES, ()),
        (LAUNCH, SCOPE, ()),
    ]  # LAUNCH <-> COROUTINES is mutual, so it is not listed


def test_suggestions_are_unlinked_pairs_with_their_reasons(kg):
    suggestions = {(s.a, s.b): s for s in suggest_links(kg, limit=50)}
    for a, b in suggestions:
        assert not kg.graph.has_edge(a, b) and not kg.graph.has_edge(b, a)
        assert MOC not in (a, b)
    best = suggest_links(kg, limit=1)[0]
    assert (best.a, best.b) == (CANCEL, LAUNCH)
    assert best.common_neighbours == (SCOPE, COROUTINES)  # least connected first
    assert best.shared_subtopics == ("coroutines",)
    assert best.reason == ("2 common neighbours: q-coroutine-scope--kotlin--medium, "
                           "c-coroutines; shared subtopics: coroutines")
    # One shared thing is not enough: the Flow question and launch-vs-async share only the
    # Flow concept. Two common neighbours without a subtopic in common count half.
    assert (FLOW, LAUNCH) not in suggestions
    weaker = suggestions[KFLOW, SCOPE]
    assert weaker.common_neighbours == (LAUNCH, COROUTINES) and not weaker.shared_subtopics
    assert weaker.score < best.score / 2
    assert not any(ORPHAN in pair for pair in suggestions)


def test_report_text_and_json_from_the_command_line(vault, capsys):
    assert main(["graph", "--notes", str(vault), "report"]) == 0
    text = capsys.readouterr().out
    assert "Orphans (no links in or out): 1" in text
    assert "q-coroutine-cancellation--kotlin--hard <-> q-launch-vs-async--kotlin--easy" in text
    assert "2 common neighbours: q-coroutine-scope--kotlin--medium, c-coroutines" in text

    assert main(["graph", "report", "--notes", str(vault), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"notes", "edges", "edge_kinds", "orphans", "dead_ends", "no_moc", "mocs",
                         "topics", "hubs", "components", "one_way_related", "suggestions",
                         "seconds"}
    assert data["notes"] == 10 and data["orphans"] == [ORPHAN]
    assert data["components"][0] == {"size": 7, "notes": sorted(data["components"][0]["notes"])}
    assert data["mocs"][0]["coverage"] == 1.0
    first = data["suggestions"][0]
    assert set(first) == {"a", "b", "score", "reason", "common_neighbours", "shared_subtopics",
                          "shared_tags"}
    assert as_data(analyse(build_graph(load_vault(vault))))["suggestions"][0]["reason"] == \
        first["reason"]


def test_wrong_format_for_the_action_is_a_usage_error(vault, capsys):
    assert main(["graph", "--notes", str(vault), "report", "--format", "gexf"]) == 2
    assert "graph report writes text or json" in capsys.readouterr().err
    assert main(["graph", "--notes", str(vault / "missing"), "export"]) == 2


def test_export_json_schema(vault, capsys):
    assert main(["graph", "--notes", str(vault), "export"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["directed"] is True and data["multigraph"] is False
    nodes = {node["id"]: node for node in data["nodes"]}
    assert len(nodes) == 10
    assert nodes[LAUNCH] == {"id": LAUNCH, "note_id": "kotlin-1", "label": "launch vs async",
                             "title_en": "launch vs async",
                             "title_ru": "launch и async", "topic": "kotlin", "kind": "question",
                             "path": LAUNCH}
    assert nodes[MOC]["topic"] == "" and nodes[MOC]["kind"] == "moc"
    edges = {(edge["source"], edge["target"]): edge["kinds"] for edge in data["edges"]}
    assert edges[LAUNCH, COROUTINES] == ["related", "wikilink"]
    assert edges[FLOW, KFLOW] == ["embed"]
    graph = nx.node_link_graph(data, directed=True, multigraph=False, edges="edges")
    assert graph.number_of_edges() == 16


@pytest.mark.parametrize("fmt, read", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)],
                         ids=["graphml", "gexf"])
def test_export_graphml_and_gexf_read_back_with_networkx(vault, tmp_path, fmt, read, capsys):
    out = tmp_path / f"kb.{fmt}"
    assert main(["graph", "export", "--notes", str(vault), "--format", fmt, "--output", str(out)]) == 0
    assert "wrote" in capsys.readouterr().err
    graph = read(out)
    assert graph.is_directed()
    assert graph.number_of_nodes() == 10 and graph.number_of_edges() == 16
    node = graph.nodes[LAUNCH]
    assert (node["title_en"], node["title_ru"], node["topic"], node["kind"], node["path"],
            node["note_id"]) == ("launch vs async", "launch и async", "kotlin", "question", LAUNCH,
                                 "kotlin-1")
    assert graph.edges[LAUNCH, COROUTINES]["kinds"] == "related,wikilink"
    assert graph.edges[LAUNCH, MOC]["kinds"] == "moc"


def test_site_json_per_language(vault, kg):
    vault_data = load_vault(vault)
    by_language = {}
    for language in ("en", "ru"):
        pages = {page.path: page for page in Renderer(vault_data, kg, language).pages()}
        by_language[language] = json.loads(pages[GRAPH_JSON].markdown)
    en, ru = by_language["en"], by_language["ru"]
    assert en["format"] == "kb-graph/1" and en["language"] == "en"
    assert en["edge_kinds"] == ["related", "moc", "wikilink", "embed"]
    assert en["topics"] == ["Kotlin", "Android"]  # most notes first, as the pages name them
    nodes = {node["id"]: node for node in en["nodes"]}
    assert nodes[LAUNCH] == {"id": LAUNCH, "title": "launch vs async",
                             "url": "70-Kotlin/q-launch-vs-async--kotlin--easy/", "topic": 0,
                             "kind": en["kinds"].index("question")}
    assert nodes[MOC]["topic"] == -1
    assert {node["id"]: node["title"] for node in ru["nodes"]}[LAUNCH] == "launch и async"
    index = {node["id"]: position for position, node in enumerate(en["nodes"])}
    edges = {(en["nodes"][s]["id"], en["nodes"][t]["id"]): bits for s, t, bits in en["edges"]}
    assert len(edges) == 16
    assert edges[LAUNCH, COROUTINES] == 1 | 4  # related + wikilink
    assert edges[FLOW, KFLOW] == 8  # embed
    assert edges[LAUNCH, MOC] == 2
    assert index[LAUNCH] == sorted(index).index(LAUNCH)  # nodes sorted by id


def test_graph_page_is_in_the_nav_and_note_pages_hold_a_local_graph(vault, kg):
    pages = Renderer(load_vault(vault), kg, "ru").pages()
    by_path = {page.path: page for page in pages}
    assert "# Граф" in by_path["graph.md"].markdown
    assert 'data-kb-graph-src="../graph.json"' in by_path["graph.md"].markdown
    assert {"Граф": "graph.md"} in navigation(pages, "ru")
    note = by_path[LAUNCH].markdown
    assert 'data-kb-graph="local"' in note
    assert 'data-kb-graph-src="../../graph.json"' in note
    assert f'data-kb-graph-node="{LAUNCH}"' in note
    assert 'href="../../graph/"' in note


def test_a_note_called_graph_keeps_its_page(make_vault):
    """graph.md is the generator's (generator/paths.py): the note is published under _notes/."""
    root = make_vault({"graph.md": note_text(id="g", title="Graphs / Графы", body="Graphs.\n")})
    vault_data = load_vault(root)
    pages = Renderer(vault_data, build_graph(vault_data), "en").pages()
    paths = [page.path for page in pages]
    assert paths.count("graph.md") == 1 and "_notes/graph.md" in paths
    assert {"Graph": "graph.md"} in navigation(pages, "en")
    note = next(page for page in pages if page.path == "_notes/graph.md")
    assert "Graphs." in note.markdown and 'href="../../graph/"' in note.markdown
