"""Graph analytics for authors: `python -m generator graph report`.

What the link graph (generator/graph/links.py) says about the vault as a whole: notes nobody links
and that link nowhere, MOC coverage per topic, hubs, components, `related` lists that are not
mutual, and links that are missing. Everything is computed from the KnowledgeGraph and the
notes' front matter, in a few tenths of a second on the real vault; nothing here needs numpy.

Suggested links are link prediction over the undirected graph without MOCs (every member of a
MOC shares the MOC, so that is no evidence that two notes belong together). A pair is a
candidate when the two notes share a neighbour, or two subtopics or tags that few notes carry;
pairs already linked either way are left out. The evidence adds up what they share:

- each common neighbour counts 1/its degree (networkx's resource allocation index). Adamic-Adar's
  1/log(degree) was tried first: in a small dense cluster (the 17 system-design notes link to
  one another) it made every unlinked pair of the cluster a top suggestion;
- each shared subtopic counts 1/log(1 + the notes carrying it), a shared tag half that
  (Adamic-Adar over labels: a subtopic of four notes says more than `coroutines`); tags that
  repeat a subtopic or name a topic are not counted twice;
- notes, subtopics and tags shared by a tenth of the vault count for nothing.

A pair needs two pieces of evidence, and one without a subtopic or tag in common has its score
halved. The score divides the evidence by the geometric mean of the two notes' degrees
(cosine-like), so that hubs, which share neighbours with everything, do not fill the list, and
a note takes part in two suggestions at most. Tuned by reading the top 20 on the real vault.
"""

from __future__ import annotations

import json
import math
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any, TextIO

import networkx as nx

from ..model import Note, NoteKey
from .links import KnowledgeGraph

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


@dataclass(frozen=True)
class Suggestion:
    """Two notes that are not linked but probably should be."""

    a: NoteKey
    b: NoteKey
    score: float
    common_neighbours: tuple[NoteKey, ...]
    shared_subtopics: tuple[str, ...]
    shared_tags: tuple[str, ...]

    @property
    def reason(self) -> str:
        parts = []
        if self.common_neighbours:
            count = len(self.common_neighbours)
            names = ", ".join(_name(key) for key in self.common_neighbours[:4])
            more = f", +{count - 4} more" if count > 4 else ""
            parts.append(f"{count} common neighbour{'s' if count > 1 else ''}: {names}{more}")
        if self.shared_subtopics:
            parts.append("shared subtopics: " + ", ".join(self.shared_subtopics))
        if self.shared_tags:
            parts.append("shared tags: " + ", ".join(self.shared_tags))
        return "; ".join(parts)


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

# Suggestion scoring (tuned on the real vault; see suggest_links). A note, subtopic or tag
# shared by more than BROAD_SHARE of the notes (and more than MIN_BROAD) is no evidence; labels
# carried by at most RARE_LABEL notes make candidates without a common neighbour.
BROAD_SHARE = 0.1
MIN_BROAD = 30
RARE_LABEL = 40
TAG_WEIGHT = 0.5  # tags are looser than subtopics
UNLABELLED_FACTOR = 0.5  # a pair with common neighbours but no subtopic or tag in common
DEGREE_PRIOR = 3  # keeps a note with one or two links from topping the list on one coincidence
# Tags that say nothing about content.
_NOISE_TAGS = ("difficulty/", "status/", "lang/", "moc")
_NOISE_TAG_NAMES = frozenset({"concept", "question", "auto-generated", "moc", "en", "ru"})


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


def _labels(note: Note, topics: frozenset[str] = frozenset()) -> tuple[set[str], set[str]]:
    """A note's subtopics, and its tags that say something its subtopics and the vault's
    topics do not."""
    topic = (note.info.topic or "").lower()
    subtopics = {name.strip().lower() for name in note.info.subtopics}
    tags = set()
    for raw in note.info.tags:
        tag = raw.strip().lower().lstrip("#")
        if not tag or tag.startswith(_NOISE_TAGS) or tag in _NOISE_TAG_NAMES or tag == topic \
                or tag in topics:
            continue
        leaf = tag.rsplit("/", 1)[-1]
        if leaf in subtopics or leaf == topic:
            continue  # android/lifecycle beside subtopic lifecycle: the same fact twice
        tags.add(tag)
    return subtopics, tags


def suggest_links(kg: KnowledgeGraph, limit: int = 20, per_note: int = 2) -> list[Suggestion]:
    """The `limit` best pairs of notes that are not linked either way (see the module doc);
    a note takes part in at most `per_note` of them, so that one busy note does not fill the
    list."""
    graph = kg.graph
    notes = kg.notes
    mocs = {key for key, note in notes.items() if note.kind == "moc"}
    neighbours: dict[NoteKey, set[NoteKey]] = {key: set() for key in graph if key not in mocs}
    for source, target in graph.edges():
        if source in neighbours and target in neighbours:
            neighbours[source].add(target)
            neighbours[target].add(source)
    broad = max(MIN_BROAD, int(BROAD_SHARE * len(neighbours)))

    # Common neighbours: every pair of a note's neighbours. A hub linked with a tenth of the
    # vault says little about any two of its neighbours, and would make most pairs candidates.
    middles: Counter[tuple[NoteKey, NoteKey]] = Counter()
    shared_weight: dict[tuple[NoteKey, NoteKey], float] = defaultdict(float)
    for around in neighbours.values():
        if 2 <= len(around) <= broad:
            weight = 1 / len(around)  # resource allocation; see the module doc
            for pair in combinations(sorted(around), 2):
                middles[pair] += 1
                shared_weight[pair] += weight

    # Shared labels: subtopics and tags that are not broad; the rare ones also make candidates
    # by themselves.
    topics = frozenset(topic.lower() for note in notes.values() if (topic := note.info.topic))
    labels = {key: _labels(notes[key], topics) for key in neighbours}
    carriers: dict[tuple[str, str], list[NoteKey]] = defaultdict(list)
    for key, (subtopics, tags) in labels.items():
        for name in subtopics:
            carriers["subtopic", name].append(key)
        for name in tags:
            carriers["tag", name].append(key)
    frequency = {label: len(keys) for label, keys in carriers.items()}
    specific = {key: ({name for name in subtopics if frequency["subtopic", name] <= broad},
                      {name for name in tags if frequency["tag", name] <= broad})
                for key, (subtopics, tags) in labels.items()}
    weights = {label: (TAG_WEIGHT if label[0] == "tag" else 1.0) / math.log(1 + count)
               for label, count in frequency.items()}
    shared_rare: Counter[tuple[NoteKey, NoteKey]] = Counter()
    for keys in carriers.values():
        if 2 <= len(keys) <= RARE_LABEL:
            shared_rare.update(combinations(sorted(keys), 2))
    candidates = set(middles) | {pair for pair, count in shared_rare.items() if count >= 2}

    scored = []
    for pair in candidates:
        a, b = pair
        if b in neighbours[a]:
            continue  # already linked, one way or both
        shared_subtopics = specific[a][0] & specific[b][0]
        shared_tags = specific[a][1] & specific[b][1]
        if middles[pair] + len(shared_subtopics) + len(shared_tags) < 2:
            continue  # one shared thing is a coincidence more often than not
        evidence = shared_weight.get(pair, 0.0)
        evidence += sum(weights["subtopic", name] for name in shared_subtopics)
        evidence += sum(weights["tag", name] for name in shared_tags)
        # Cosine-like: evidence relative to how connected the two notes are, so that hubs,
        # which share neighbours with everything, do not top the list.
        score = evidence / math.sqrt((len(neighbours[a]) + DEGREE_PRIOR)
                                     * (len(neighbours[b]) + DEGREE_PRIOR))
        if not shared_subtopics and not shared_tags:
            # Links alone: in a small, dense cluster every unlinked pair shares most of its
            # neighbours; without a subtopic or tag in common that is mostly coincidence.
            score *= UNLABELLED_FACTOR
        scored.append((-round(score, 4), a, b))
    scored.sort()

    chosen: list[Suggestion] = []
    uses: Counter[NoteKey] = Counter()
    for negative, a, b in scored:
        if uses[a] >= per_note or uses[b] >= per_note:
            continue
        uses.update((a, b))
        common = sorted((key for key in neighbours[a] & neighbours[b]
                         if len(neighbours[key]) <= broad),
                        key=lambda key: (len(neighbours[key]), key))
        chosen.append(Suggestion(
            a, b, -negative, tuple(common),
            tuple(sorted(specific[a][0] & specific[b][0],
                         key=lambda name: (frequency["subtopic", name], name))),
            tuple(sorted(specific[a][1] & specific[b][1],
                         key=lambda name: (frequency["tag", name], name)))))
        if len(chosen) == limit:
            break
    return chosen


# --- output -----------------------------------------------------------------------------------

def _name(key: str) -> str:
    """How an author links a note: its file name."""
    return key.rsplit("/", 1)[-1].removesuffix(".md")


def as_data(report: GraphReport) -> dict[str, Any]:
    """The report as JSON-ready data (`--format json`)."""
    return {
        "notes": report.notes,
        "edges": report.edges,
        "edge_kinds": report.edge_kinds,
        "orphans": report.orphans,
        "dead_ends": report.dead_ends,
        "no_moc": report.no_moc,
        "mocs": [{**asdict(row), "coverage": round(row.coverage, 4)} for row in report.mocs],
        "topics": [{**asdict(row), "mocs": list(row.mocs)} for row in report.topics],
        "hubs": {
            "in_degree": [_hub(hub) for hub in report.hubs_by_in_degree],
            "pagerank": [_hub(hub) for hub in report.hubs_by_pagerank],
        },
        "components": [{"size": len(c), "notes": c} for c in report.components],
        "one_way_related": [{"source": row.source, "target": row.target, "back": list(row.back)}
                            for row in report.one_way_related],
        "suggestions": [
            {"a": s.a, "b": s.b, "score": s.score, "reason": s.reason,
             "common_neighbours": list(s.common_neighbours),
             "shared_subtopics": list(s.shared_subtopics), "shared_tags": list(s.shared_tags)}
            for s in report.suggestions
        ],
        "seconds": {stage: round(value, 3) for stage, value in report.seconds.items()},
    }


def _hub(hub: Hub) -> dict[str, Any]:
    return {"key": hub.key, "in_degree": hub.in_degree, "pagerank": round(hub.pagerank, 6)}


def as_text(report: GraphReport, limit: int = 20) -> str:
    """The report for a terminal: a headline per finding, then up to `limit` items of each."""
    lines: list[str] = []
    add = lines.append
    kinds = ", ".join(f"{count} {kind}" for kind, count in report.edge_kinds.items())
    components = len(report.components)
    add(f"{report.notes} notes, {report.edges} links ({kinds}); {components} weakly connected "
        f"component{'s' if components != 1 else ''}")
    add("")

    def listing(title: str, keys: Iterable[str], hint: str = "") -> None:
        keys = list(keys)
        add(f"{title}: {len(keys)}{hint}")
        for key in keys[:limit]:
            add(f"  {key}")
        if len(keys) > limit:
            add(f"  … and {len(keys) - limit} more (--format json lists all)")
        add("")

    listing("Orphans (no links in or out)", report.orphans)
    listing("Dead ends (linked to, but link nowhere)", report.dead_ends)
    listing("In no MOC (no `moc` field to a MOC, no MOC links to them)", report.no_moc)

    add("MOCs: members, and how much of their topic they list")
    for row in sorted(report.mocs, key=lambda row: (-row.members, row.moc)):
        topic = row.topic or "no topic"
        share = f"{row.covered}/{row.topic_notes} of {topic} ({row.coverage:.0%})" \
            if row.topic_notes else f"{topic}: no notes of this topic"
        add(f"  {row.moc}: {row.members} members; {share}")
    add("")
    add("Topics: notes listed by some MOC")
    for topic in report.topics:
        mocs = ", ".join(_name(moc) for moc in topic.mocs) or "none"
        add(f"  {topic.topic}: {topic.in_moc}/{topic.notes} ({topic.in_moc / topic.notes:.0%}); "
            f"MOCs: {mocs}")
    add("")

    add(f"Hubs by in-degree (top {len(report.hubs_by_in_degree)}, MOCs left out)")
    for hub in report.hubs_by_in_degree:
        add(f"  {hub.in_degree:5d}  {hub.key}")
    add("")
    add(f"Hubs by PageRank (top {len(report.hubs_by_pagerank)}, MOCs left out)")
    for hub in report.hubs_by_pagerank:
        add(f"  {hub.pagerank:.4f}  {hub.key}")
    add("")

    sizes = Counter(len(component) for component in report.components)
    add("Weakly connected components: " + ", ".join(
        f"{count} of {size} note{'s' if size > 1 else ''}" if count > 1 else
        f"1 of {size} note{'s' if size > 1 else ''}"
        for size, count in sorted(sizes.items(), reverse=True)))
    for component in report.components[1:limit + 1]:
        shown = ", ".join(component[:5]) + (f", … ({len(component)})" if len(component) > 5 else "")
        add(f"  {shown}")
    add("")

    one_way = report.one_way_related
    add(f"One-way `related` (A lists B, B does not list A): {len(one_way)}")
    for row in one_way[:limit]:
        back = f" (B links back by {', '.join(row.back)})" if row.back else ""
        add(f"  {row.source} -> {_name(row.target)}{back}")
    if len(one_way) > limit:
        add(f"  … and {len(one_way) - limit} more (--format json lists all)")
    add("")

    add(f"Suggested links (top {len(report.suggestions)}; pairs not linked either way)")
    for suggestion in report.suggestions:
        add(f"  {suggestion.score:5.2f}  {_name(suggestion.a)} <-> {_name(suggestion.b)}")
        add(f"         {suggestion.reason}")
    add("")
    timing = ", ".join(f"{stage} {value:.2f}s" for stage, value in report.seconds.items())
    add(f"({timing})")
    return "\n".join(lines) + "\n"


# --- command line -----------------------------------------------------------------------------

REPORT_FORMATS = ("text", "json")
EXPORT_FORMATS = ("json", "graphml", "gexf")


def command(notes_dir: Path, action: str, fmt: str | None, output: str | None,
            limit: int, stream: TextIO | None = None) -> int:
    """`graph report` and `graph export`; returns the exit status (2 for a wrong format)."""
    from ..notes.load import load_vault
    from .data import export
    from .links import build_graph

    stream = stream or sys.stdout
    allowed = REPORT_FORMATS if action == "report" else EXPORT_FORMATS
    fmt = fmt or allowed[0]
    if fmt not in allowed:
        print(f"kb: error: graph {action} writes {' or '.join(allowed)}, not {fmt}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    vault = load_vault(notes_dir)
    loaded = time.perf_counter()
    kg = build_graph(vault)
    linked = time.perf_counter()
    if action == "report":
        report = analyse(kg, suggestions=limit)
        report.seconds = {"load": loaded - started, "link": linked - loaded, **report.seconds}
        text = (json.dumps(as_data(report), ensure_ascii=False, indent=2) + "\n"
                if fmt == "json" else as_text(report, limit))
    else:
        text = export(kg, fmt)
    if output:
        Path(output).write_text(text, encoding="utf-8")
        print(f"kb: wrote {output} ({len(text.encode('utf-8'))} bytes)", file=sys.stderr)
    else:
        stream.write(text)
    return 0
