"""Graph analytics for authors, what `kb graph report` shows (report.py writes it out).

What the link graph (generator/graph/links.py) says about the vault as a whole: notes nobody links
and that link nowhere, MOC coverage per topic, hubs, components, `related` lists that are not
mutual, and links that are missing. Everything is computed from the KnowledgeGraph and the
notes' front matter, in a few tenths of a second on the real vault; nothing here needs numpy.

Suggested links are suggest.py's; the report's text and JSON and the command are report.py's.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import networkx as nx

from ..model import Note, NoteKey
from .links import KnowledgeGraph
from .suggest import Suggestion, suggest_links

# --- results ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MocCoverage:
    """A MOC, the topic it maps, and how much of that topic it lists."""

    moc: NoteKey
    title: str
    topic: str | None  # `topic` of the MOC, else its file name (moc-android), else its members'
    members: int  # notes that name it in `moc` or that it links to
    topic_notes: int  # notes of its topic (MOCs not counted)
    covered: int  # of those, how many it lists

    @property
    def coverage(self) -> float:
        return self.covered / self.topic_notes if self.topic_notes else 0.0


@dataclass(frozen=True)
class TopicCoverage:
    topic: str
    notes: int
    in_moc: int  # notes of the topic that some MOC lists
    mocs: tuple[NoteKey, ...]  # MOCs that list at least one of them


@dataclass(frozen=True)
class Hub:
    key: NoteKey
    in_degree: int  # notes linking here, any kind of link
    pagerank: float


@dataclass(frozen=True)
class OneWayRelated:
    """`source` lists `target` in `related`, `target` does not list `source`."""

    source: NoteKey
    target: NoteKey
    back: tuple[str, ...]  # kinds of the link from target to source, if there is one


@dataclass
class GraphReport:
    notes: int
    edges: int
    edge_kinds: dict[str, int]
    orphans: list[NoteKey]
    dead_ends: list[NoteKey]
    no_moc: list[NoteKey]
    mocs: list[MocCoverage]
    topics: list[TopicCoverage]
    hubs_by_in_degree: list[Hub]
    hubs_by_pagerank: list[Hub]
    components: list[list[NoteKey]]  # weakly connected, largest first
    one_way_related: list[OneWayRelated]
    suggestions: list[Suggestion]
    seconds: dict[str, float] = field(default_factory=dict)


# --- analysis ---------------------------------------------------------------------------------

def analyse(kg: KnowledgeGraph, *, hubs: int = 10, suggestions: int = 20) -> GraphReport:
    """Every finding of the report, computed once."""
    timings: dict[str, float] = {}
    started = time.perf_counter()
    graph = kg.graph
    notes = kg.notes
    mocs = {key for key, note in notes.items() if note.kind == "moc"}
    kinds: Counter[str] = Counter()
    for _, _, data in graph.edges(data=True):
        kinds.update(data["kinds"])

    orphans = sorted(key for key in graph if graph.degree(key) == 0)
    dead_ends = sorted(key for key in graph if graph.out_degree(key) == 0 and graph.in_degree(key))
    listed = _moc_listings(kg, mocs)
    no_moc = sorted(key for key in graph if key not in mocs and not listed.get(key))
    moc_rows, topic_rows = _coverage(kg, mocs, listed)
    timings["structure"] = time.perf_counter() - started

    mark = time.perf_counter()
    rank = pagerank(graph)
    in_degree = {key: graph.in_degree(key) for key in graph}
    ordinary = [key for key in graph if key not in mocs]
    by_in = sorted(ordinary, key=lambda key: (-in_degree[key], -rank[key], key))[:hubs]
    by_rank = sorted(ordinary, key=lambda key: (-rank[key], key))[:hubs]
    components = sorted((sorted(component) for component in nx.weakly_connected_components(graph)),
                        key=lambda component: (-len(component), component[0]))
    one_way = _one_way_related(kg)
    timings["ranks"] = time.perf_counter() - mark

    mark = time.perf_counter()
    suggested = suggest_links(kg, limit=suggestions)
    timings["suggestions"] = time.perf_counter() - mark
    timings["total"] = time.perf_counter() - started

    return GraphReport(
        notes=graph.number_of_nodes(), edges=graph.number_of_edges(),
        edge_kinds=dict(sorted(kinds.items())), orphans=orphans, dead_ends=dead_ends,
        no_moc=no_moc, mocs=moc_rows, topics=topic_rows,
        hubs_by_in_degree=[Hub(key, in_degree[key], rank[key]) for key in by_in],
        hubs_by_pagerank=[Hub(key, in_degree[key], rank[key]) for key in by_rank],
        components=components, one_way_related=one_way, suggestions=suggested,
        seconds=timings,
    )


def _moc_listings(kg: KnowledgeGraph, mocs: set[NoteKey]) -> dict[NoteKey, set[NoteKey]]:
    """note -> the MOCs that list it: through the note's `moc` field or a link from the MOC."""
    listed: dict[NoteKey, set[NoteKey]] = defaultdict(set)
    for source, target, data in kg.graph.edges(data=True):
        if target in mocs and "moc" in data["kinds"] and source not in mocs:
            listed[source].add(target)
        elif source in mocs and target not in mocs:
            listed[target].add(source)
    return listed


def _coverage(kg: KnowledgeGraph, mocs: set[NoteKey], listed: dict[NoteKey, set[NoteKey]]
              ) -> tuple[list[MocCoverage], list[TopicCoverage]]:
    by_topic: dict[str, list[NoteKey]] = defaultdict(list)
    for key, note in kg.notes.items():
        topic = note.info.topic
        if topic and key not in mocs:
            by_topic[topic].append(key)
    members: dict[NoteKey, list[NoteKey]] = defaultdict(list)
    for key, found in listed.items():
        for moc in found:
            members[moc].append(key)
    moc_rows = []
    for moc in sorted(mocs):
        note = kg.notes[moc]
        own = members.get(moc, [])
        topic = note.info.topic
        if topic is None:
            named = note.stem.lower().removeprefix("moc-")
            if named in by_topic:
                topic = named
            else:
                counts = Counter(kg.notes[key].info.topic for key in own)
                counts.pop(None, None)
                topic = counts.most_common(1)[0][0] if counts else None
        topic_notes = set(by_topic.get(topic, ())) if topic else set()
        moc_rows.append(MocCoverage(moc, _title(note), topic, len(own), len(topic_notes),
                                    len(topic_notes.intersection(own))))
    topic_rows = []
    for topic, keys in sorted(by_topic.items(), key=lambda item: (-len(item[1]), item[0])):
        covering = sorted({moc for key in keys for moc in listed.get(key, ())})
        topic_rows.append(TopicCoverage(topic, len(keys), sum(1 for key in keys if listed.get(key)),
                                        tuple(covering)))
    return moc_rows, topic_rows


def _title(note: Note) -> str:
    """The title as the author wrote it ("English / Русский"), for a report read by authors."""
    titles = note.info.titles
    return titles["en"] if titles["en"] == titles["ru"] else f"{titles['en']} / {titles['ru']}"


def pagerank(graph: nx.DiGraph, damping: float = 0.85, tolerance: float = 1e-10,
             iterations: int = 200) -> dict[NoteKey, float]:
    """PageRank by power iteration, as networkx computes it (dangling notes spread their rank
    evenly), without the scipy that nx.pagerank needs."""
    nodes = list(graph)
    count = len(nodes)
    if not count:
        return {}
    index = {key: position for position, key in enumerate(nodes)}
    out = [[index[target] for target in graph.successors(key)] for key in nodes]
    rank = [1.0 / count] * count
    for _ in range(iterations):
        dangling = sum(rank[i] for i in range(count) if not out[i])
        base = (1.0 - damping) / count + damping * dangling / count
        new = [base] * count
        for i, targets in enumerate(out):
            if targets:
                share = damping * rank[i] / len(targets)
                for j in targets:
                    new[j] += share
        change = sum(abs(new[i] - rank[i]) for i in range(count))
        rank = new
        if change < count * tolerance:
            break
    return {key: rank[index[key]] for key in nodes}


def _one_way_related(kg: KnowledgeGraph) -> list[OneWayRelated]:
    graph = kg.graph
    found = []
    for source, target, data in graph.edges(data=True):
        if "related" not in data["kinds"] or kg.notes[target].kind == "moc":
            continue
        back = graph.get_edge_data(target, source)
        if back is None or "related" not in back["kinds"]:
            found.append(OneWayRelated(source, target, tuple(sorted(back["kinds"])) if back else ()))
    return sorted(found, key=lambda row: (row.source, row.target))
