"""Suggested links for the graph report: pairs of notes that are not linked but probably should be.

They are link prediction over the undirected graph without MOCs (every member of a
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

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import combinations

from ..model import Note, NoteKey
from .links import KnowledgeGraph


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
            names = ", ".join(file_name(key) for key in self.common_neighbours[:4])
            more = f", +{count - 4} more" if count > 4 else ""
            parts.append(f"{count} common neighbour{'s' if count > 1 else ''}: {names}{more}")
        if self.shared_subtopics:
            parts.append("shared subtopics: " + ", ".join(self.shared_subtopics))
        if self.shared_tags:
            parts.append("shared tags: " + ", ".join(self.shared_tags))
        return "; ".join(parts)


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


def file_name(key: str) -> str:
    """How an author links a note: its file name."""
    return key.rsplit("/", 1)[-1].removesuffix(".md")
