"""Graph data out: the compact JSON the site's graph views draw, and exports for tools.

The site gets one `graph.json` per language, at the root of that language's docs (paths.GRAPH_JSON,
drawn by the page paths.GRAPH_PAGE); its URLs are relative to that root (paths.page_url), so the
same file serves every page (graph.js resolves them against the file's own address). The format, "kb-graph/1":

    {"format": "kb-graph/1", "language": "en",
     "topics": ["android", ...],                       # most notes first
     "kinds": ["question", "concept", "moc", ...],
     "edge_kinds": ["related", "moc", "wikilink", "embed"],
     "nodes": [{"id": "70-Kotlin/q-flow--kotlin--easy.md", "title": "Flow basics",
                "url": "70-Kotlin/q-flow--kotlin--easy/", "topic": 3, "kind": 0}, ...],
     "edges": [[source, target, kinds], ...]}           # node indexes, a bit per edge kind

`topic` and `kind` index the lists above (`topic` is -1 for a note without one). The id is
the note's key (its path in the vault), which a note page names in its graph container.

`graph export` writes the whole graph, both languages' titles, as node-link JSON (readable by
networkx.node_link_graph), GraphML or GEXF (Gephi). GraphML and GEXF take scalar attributes
only, so there an edge's kinds are one comma-joined string; empty values are "".
"""

from __future__ import annotations

import io
import json
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any, Protocol

import networkx as nx

from ..model import Language, NoteKey
from ..paths import DocsPath, page_url
from .links import KnowledgeGraph

FORMAT = "kb-graph/1"
EDGE_KINDS = ("related", "moc", "wikilink", "embed")
KINDS = ("question", "concept", "moc")

# The graph views' own words. (Kept here, beside the only templates that use them.)
STRINGS: dict[Language, dict[str, str]] = {
    "en": {
        "graph": "Graph",
        "local_graph": "Graph",
        "open_graph": "Open the whole graph",
        "loading": "Loading the graph…",
        "failed": "The graph could not be loaded.",
        "intro": "Every note and the links between them. Hover a note to see its neighbours, "
                 "click it to open it; drag to pan, scroll to zoom.",
        "related": "related",
        "moc": "map of content",
        "wikilink": "link in the text",
        "no_topic": "no topic",
        "notes": "notes",
        "links": "links",
    },
    "ru": {
        "graph": "Граф",
        "local_graph": "Граф",
        "open_graph": "Открыть весь граф",
        "loading": "Граф загружается…",
        "failed": "Не удалось загрузить граф.",
        "intro": "Все заметки и связи между ними. Наведите на заметку, чтобы увидеть соседей, "
                 "щёлкните, чтобы открыть; перетаскивайте, чтобы сдвинуть, колесо — масштаб.",
        "related": "связанные",
        "moc": "карта темы",
        "wikilink": "ссылка в тексте",
        "no_topic": "без темы",
        "notes": "заметок",
        "links": "связей",
    },
}


class Facts(Protocol):
    """What the site JSON needs of a note in one language (render.NoteFacts has it)."""

    @property
    def title(self) -> str: ...

    @property
    def path(self) -> DocsPath: ...

    @property
    def topic(self) -> str | None: ...


def site_data(kg: KnowledgeGraph, facts: Mapping[NoteKey, Facts], language: Language,
              topic_label: Callable[[str], str] = str) -> dict[str, Any]:
    """The graph of one language's site, as data (see the module doc); `topics` are named as
    the language's pages name them (`topic_label`)."""
    keys = sorted(kg.graph.nodes)
    topic_counts = Counter(topic for key in keys if (topic := facts[key].topic))
    topics = sorted(topic_counts, key=lambda topic: (-topic_counts[topic], topic))
    topic_index = {topic: position for position, topic in enumerate(topics)}
    kinds = list(KINDS) + sorted({kg.notes[key].kind for key in keys} - set(KINDS))
    kind_index = {kind: position for position, kind in enumerate(kinds)}
    index = {key: position for position, key in enumerate(keys)}
    nodes = []
    for key in keys:
        fact = facts[key]
        topic = fact.topic
        nodes.append({"id": key, "title": fact.title, "url": page_url(fact.path),
                      "topic": topic_index[topic] if topic else -1,
                      "kind": kind_index[kg.notes[key].kind]})
    bits = {kind: 1 << position for position, kind in enumerate(EDGE_KINDS)}
    edges = [[index[source], index[target], sum(bits[kind] for kind in data["kinds"])]
             for source, target, data in sorted(kg.graph.edges(data=True),
                                                key=lambda edge: (edge[0], edge[1]))]
    return {"format": FORMAT, "language": language,
            "topics": [topic_label(topic) for topic in topics], "kinds": kinds,
            "edge_kinds": list(EDGE_KINDS), "nodes": nodes, "edges": edges}


def site_json(kg: KnowledgeGraph, facts: Mapping[NoteKey, Facts], language: Language,
              topic_label: Callable[[str], str] = str) -> str:
    """`site_data` as compact JSON text, the content of the `graph.json` Page."""
    return json.dumps(site_data(kg, facts, language, topic_label), ensure_ascii=False,
                      separators=(",", ":")) + "\n"


# --- export for tools ---------------------------------------------------------------------------

def attributed_graph(kg: KnowledgeGraph, scalar: bool = True) -> nx.DiGraph:
    """A copy of the graph with what tools show. Nodes are keyed by the note's path and carry
    `note_id` (front-matter id; not `id`, which node-link JSON and GEXF use for the key),
    `label` (the English title, which Gephi shows), `title_en`, `title_ru`, `topic`, `kind`
    and `path`; edges carry `kinds` (a comma-joined string when `scalar`, else a list)."""
    out: nx.DiGraph[str] = nx.DiGraph()
    for key in sorted(kg.graph.nodes):
        note = kg.notes[key]
        titles = note.info.titles
        out.add_node(key, note_id=note.info.id or "",
                     label=titles["en"], title_en=titles["en"], title_ru=titles["ru"],
                     topic=note.info.topic or "", kind=note.kind, path=key)
    for source, target, data in sorted(kg.graph.edges(data=True), key=lambda e: (e[0], e[1])):
        kinds = [kind for kind in EDGE_KINDS if kind in data["kinds"]]
        kinds += sorted(set(data["kinds"]) - set(EDGE_KINDS))
        out.add_edge(source, target, kinds=",".join(kinds) if scalar else kinds)
    return out


def _node_link(graph: nx.DiGraph) -> str:
    data = {
        "directed": True, "multigraph": False, "graph": {"format": "kb-graph-export/1"},
        "nodes": [{"id": key, **attributes} for key, attributes in graph.nodes(data=True)],
        "edges": [{"source": source, "target": target, **attributes}
                  for source, target, attributes in graph.edges(data=True)],
    }
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def _xml(writer: Callable[[nx.DiGraph, io.BytesIO], None]) -> Callable[[nx.DiGraph], str]:
    def write(graph: nx.DiGraph) -> str:
        buffer = io.BytesIO()
        writer(graph, buffer)
        return buffer.getvalue().decode("utf-8")
    return write


EXPORTERS: dict[str, Callable[[nx.DiGraph], str]] = {
    "graphml": _xml(lambda graph, stream: nx.write_graphml(graph, stream, encoding="utf-8")),
    "gexf": _xml(lambda graph, stream: nx.write_gexf(graph, stream, encoding="utf-8")),
}


def export(kg: KnowledgeGraph, fmt: str) -> str:
    """The whole graph as `json` (node-link), `graphml` or `gexf` text."""
    if fmt == "json":
        return _node_link(attributed_graph(kg, scalar=False))
    return EXPORTERS[fmt](attributed_graph(kg))
