"""Link stage: resolve every link target and build one networkx DiGraph of notes.

Resolution follows Obsidian, then widens to what front matter refers to: a target is looked up
as a path (`70-Kotlin/q-flow`), then a file name (`q-flow--kotlin--easy`), then an id, an alias,
and a title or either half of a bilingual title. Matching ignores a trailing `.md`, letter case
and Unicode normalisation (`café` typed on Linux, NFC, finds `café.md` saved on macOS, NFD), but
a file spelt exactly as the link is written wins over its case or normalisation variants (a
vault can hold `c-Flow.md` and `c-flow.md`, FILE008). When two notes share a file name, the one
in the linking note's folder wins, then the shortest path, as in Obsidian. Edges are typed:
`related` and `moc` from front matter, `wikilink` and `embed` from the body; one edge can carry
several types.

A front-matter entry is meant to be a file name: one that finds its note only by an alias or
title is reported (LINK005, the note was probably renamed), and one that finds nothing but
names a question whose topic or difficulty changed says which note it now is (LINK001's fix).
`note_links` resolves one note's links alone, for `validate PATH…` and `fix`; networkx is
imported only when a graph is built.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..checks.codes import make
from ..model import Diagnostic, Note, NoteKey, Repair, ReplaceItem, SetValue, Vault
from ..notes.load import name_fold
from ..notes.placeholders import is_placeholder

if TYPE_CHECKING:
    import networkx as nx

# `q-<slug>--<topic>--<difficulty>`: the slug stays when a question is renamed for another
# topic or difficulty (`--backend--` became `--databases--`).
_QUESTION_NAME = re.compile(r"^(q-.+?)--[^/]+--[^/]+$")


def _exact(text: str) -> str:
    """A name as written, less what never tells two files apart: spaces around and repeated,
    `\\` for `/`, a trailing `.md`."""
    text = text.strip().replace("\\", "/")
    if text.lower().endswith(".md"):
        text = text[:-3]
    return " ".join(text.split())


def _norm(text: str) -> str:
    """A name as a lookup matches it: also without letter case and Unicode normalisation."""
    return name_fold(_exact(text))


def _stem(name: str) -> str:
    return name.rsplit("/", 1)[-1]


@dataclass
class Resolver:
    """Lookup tables from every name a note can be called by to the note's key."""

    by_path: dict[str, NoteKey] = field(default_factory=dict)
    exact_path: dict[str, NoteKey] = field(default_factory=dict)  # spelt as the file is
    by_stem: dict[str, list[NoteKey]] = field(default_factory=dict)
    by_name: dict[str, NoteKey] = field(default_factory=dict)  # ids, aliases, titles
    ids: set[str] = field(default_factory=set)  # the names in by_name that are ids
    # question slug -> notes, built on the first dead link that needs it
    _slugs: dict[str, list[NoteKey]] | None = field(default=None, repr=False, compare=False)
    # for "did you mean": the slug of every file name, and every id, alias and title -> the
    # notes, built likewise
    _stem_names: dict[str, set[NoteKey]] = field(default_factory=dict, repr=False,
                                                 compare=False)
    _names: dict[str, set[NoteKey]] | None = field(default=None, repr=False, compare=False)
    # a dead link's target -> the notes close to it (`_near`), worked out once per target
    _near_memo: dict[str, list[tuple[NoteKey, float]]] | None = field(default=None, repr=False,
                                                                      compare=False)

    @classmethod
    def for_notes(cls, notes: Iterable[Note]) -> Resolver:
        resolver = cls()
        names: dict[str, NoteKey] = {}
        weak: dict[str, NoteKey] = {}
        for note in notes:
            resolver.by_path[_norm(note.key)] = note.key
            resolver.exact_path[_exact(note.key)] = note.key
            resolver.by_stem.setdefault(_norm(note.stem), []).append(note.key)
            info = note.info
            if info.id is not None:
                names.setdefault(_norm(info.id), note.key)
                resolver.ids.add(_norm(info.id))
            for alias in info.aliases:
                weak.setdefault(_norm(alias), note.key)
            if info.title_field is not None:  # the title as written, and either half of it
                weak.setdefault(_norm(info.title_field), note.key)
                for half in info.titles.values():
                    weak.setdefault(_norm(half), note.key)
        for stems in resolver.by_stem.values():
            stems.sort(key=lambda key: (key.count("/"), len(key), key))
        resolver.by_name = {**weak, **names}  # an id beats an alias or title of the same text
        return resolver

    def resolve(self, target: str, source: NoteKey | None = None) -> NoteKey | None:
        written = _exact(target)
        name = name_fold(written)
        if not name:
            return None
        # The file spelt as written first, by path then by file name; only then a variant in
        # letter case or normalisation, so that a link never lands on the wrong one of two
        # files a case-sensitive file system keeps apart.
        return self._by_file(written, name, source, exact=True) or \
            self._by_file(written, name, source, exact=False) or self.by_name.get(name)

    def _by_file(self, written: str, name: str, source: NoteKey | None, *,
                 exact: bool) -> NoteKey | None:
        key = self.exact_path.get(written) if exact else self.by_path.get(name)
        if key is not None:
            return key
        candidates = self.by_stem.get(_stem(name), [])
        if "/" in name:
            candidates = [key for key in candidates if _norm(key).endswith(name)] or candidates
        if exact:
            candidates = [key for key in candidates if _stem(_exact(key)) == _stem(written)]
        if source is not None and len(candidates) > 1:
            folder = source.rpartition("/")[0]
            same = [key for key in candidates if key.rpartition("/")[0] == folder]
            if same:
                return same[0]
        return candidates[0] if candidates else None

    def by_other_name(self, target: str) -> bool:
        """Whether `target` finds its note only by an alias or a title, not by a path, a file
        name or an id."""
        name = _norm(target)
        return bool(name) and name not in self.by_path and name not in self.ids \
            and name.rsplit("/", 1)[-1] not in self.by_stem and name in self.by_name

    def renamed(self, target: str) -> NoteKey | None:
        """The one question a dead `q-<slug>--<topic>--<difficulty>` name now is: the note
        whose file name has the same slug and another topic or difficulty."""
        match = _QUESTION_NAME.match(_stem(_norm(target)))
        if match is None:
            return None
        if self._slugs is None:
            self._slugs = {}
            for stem, keys in self.by_stem.items():
                found = _QUESTION_NAME.match(stem)
                if found:
                    self._slugs.setdefault(found.group(1), []).extend(keys)
        candidates = self._slugs.get(match.group(1), [])
        return candidates[0] if len(candidates) == 1 else None


    def closest(self, target: str, allowed: Callable[[NoteKey], bool] = lambda key: True
                ) -> tuple[NoteKey, float] | None:
        """The note a dead link most likely meant, for "did you mean …?", and how close it is:
        the note whose file name, id, alias or title is closest to `target` by the rule of
        taxonomy.suggest (difflib ratio at least SUGGEST_RATIO, ahead of every other note by
        SUGGEST_LEAD); None when nothing is that close or two notes are about as close. File
        names are compared by their slug: `c-`, `q-`, `moc-` and `--topic--difficulty` are
        shared by too many notes to tell one from another (c-caching-strategies is not
        c-testing-strategies)."""
        if self._names is None:
            self._names, self._stem_names = {}, {}
            for stem, keys in self.by_stem.items():
                self._stem_names.setdefault(_slug(stem), set()).update(keys)
            for name, key in self.by_name.items():
                self._names.setdefault(name, set()).add(key)
        wanted = _stem(_norm(target))
        if not wanted:
            return None
        best: dict[NoteKey, float] = {}
        for key, ratio in self._near(wanted):
            if ratio > best.get(key, 0.0) and allowed(key):
                best[key] = ratio
        ranked = sorted(best.items(), key=lambda item: (-item[1], item[0]))[:2]
        if not ranked or ranked[0][1] < SUGGEST_RATIO:
            return None
        if len(ranked) > 1 and ranked[0][1] - ranked[1][1] < SUGGEST_LEAD:
            return None
        return ranked[0]

    def _near(self, wanted: str) -> list[tuple[NoteKey, float]]:
        """Every note a name of which is close enough to `wanted` to contest the best match,
        with that name's difflib ratio; worked out once per target (a dead link is often
        repeated: a note linking one missing note 50 times asks 50 times)."""
        if self._near_memo is None:
            self._near_memo = {}
        found = self._near_memo.get(wanted)
        if found is not None:
            return found
        assert self._names is not None
        # A target written as a file name (`c-…`, `q-…`, `moc-…`) meant a file name; any other
        # may be an id, an alias or a title too.
        tables = (self._stem_names,) if _KIND_PREFIX.match(wanted) \
            else (self._stem_names, self._names)
        import rapidfuzz  # only a dead link needs it (a commit hook's run mostly has none)

        slug = _slug(wanted)
        floor = SUGGEST_RATIO - SUGGEST_LEAD  # a note below it cannot contest the best one
        found = []
        matcher = difflib.SequenceMatcher(None, b=slug)
        for table in tables:
            # rapidfuzz's ratio (2·LCS / total length, in C) is never below difflib's (whose
            # matches are one common subsequence), so it keeps every name that can reach the
            # floor; difflib then scores the few left, as taxonomy.suggest does.
            near = rapidfuzz.process.extract(slug, table.keys(), scorer=rapidfuzz.fuzz.ratio,
                                             score_cutoff=floor * 100 - 1e-6, limit=None)
            for name, _, _ in near:
                matcher.set_seq1(name)
                ratio = matcher.ratio()
                if ratio >= floor:
                    found += [(key, ratio) for key in table[name]]
        self._near_memo[wanted] = found
        return found


# "Did you mean": the thresholds taxonomy.suggest uses for controlled values. A dead `related`
# or `moc` entry is rewritten by `kb fix` only when its note is closer still (SURE_RATIO): on
# the real vault (2025-11) each of the 12 suggestions that close was the note meant; below it
# some were not (c-scaling-strategies -> q-caching-strategies…, 0.89).
SUGGEST_RATIO = 0.8
SUGGEST_LEAD = 0.05
SURE_RATIO = 0.9

_KIND_PREFIX = re.compile(r"^(?:q|c|moc)-(?=.)")
_TOPIC_DIFFICULTY = re.compile(r"(?<=.)--[^/]+--[^/]+$")


def _slug(stem: str) -> str:
    """`q-flow-basics--kotlin--easy` -> `flow-basics`, `c-flow` -> `flow`."""
    return _TOPIC_DIFFICULTY.sub("", _KIND_PREFIX.sub("", stem))


@dataclass
class KnowledgeGraph:
    graph: nx.DiGraph
    resolver: Resolver
    notes: dict[NoteKey, Note]
    diagnostics: list[Diagnostic]
    # The notes left off the site (publish.py), by every name a link may call them: a link to
    # one is no dead link; render shows it as plain text (build_published_graph).
    withheld: Resolver = field(default_factory=Resolver)

    def backlinks(self, key: NoteKey) -> list[NoteKey]:
        """Notes that link here in any way, except through a `moc` field (MOCs list those)."""
        return sorted(
            source for source in self.graph.predecessors(key)
            if self.graph.edges[source, key]["kinds"] - {"moc"}
        )

    def related(self, key: NoteKey) -> list[NoteKey]:
        """Front-matter `related` targets, in the author's order."""
        return list(self.graph.nodes[key]["related"])

    def moc_members(self, moc: NoteKey) -> list[NoteKey]:
        return sorted(
            source for source in self.graph.predecessors(moc)
            if "moc" in self.graph.edges[source, moc]["kinds"]
        )

    def mocs_of(self, key: NoteKey) -> list[NoteKey]:
        return [
            target for target in self.graph.successors(key)
            if "moc" in self.graph.edges[key, target]["kinds"]
        ]


def _rename(note: Note, field_name: str, position: int, name: str, stem: str) -> Repair | None:
    """The repair of entry `position` of `field_name` (as NoteMeta lists it), which names a
    note otherwise than by its file name: the name becomes the file name `stem`, the rest of
    the entry (brackets, label) as written."""
    written = (note.info.related if field_name == "related" else note.info.moc)[position]
    new = written.replace(name, stem, 1)
    raw = note.meta.get(field_name)
    if not isinstance(raw, list):
        return SetValue(field_name, new)
    # NoteMeta leaves blank and nested items out: the entry's index in the YAML list counts them.
    kept = [index for index, item in enumerate(raw)
            if isinstance(item, (str, int, float)) and str(item).strip()]
    index = kept[position] if position < len(kept) else None
    return ReplaceItem(field_name, index, new) if index is not None and \
        str(raw[index]) == written else None


def strip_brackets(target: str) -> str:
    """Front matter often holds `[[c-flow]]` or `"[[c-flow|Flow]]"`; the name is `c-flow`."""
    target = target.strip()
    if target.startswith("[[") and target.endswith("]]"):
        target = target[2:-2]
    return target.split("|", 1)[0].split("#", 1)[0].strip()


def asset_names(vault: Vault) -> set[str]:
    """The file names of the vault's images and PDFs, as embeds name them."""
    return {_norm(rel).rsplit("/", 1)[-1] for rel in vault.assets}


def build_graph(vault: Vault) -> KnowledgeGraph:
    import networkx as nx  # here, so that `validate PATH…` and `fix` do not pay for it

    notes = vault.by_key()
    resolver = Resolver.for_notes(vault.notes)
    graph: nx.DiGraph[NoteKey] = nx.DiGraph()
    diagnostics: list[Diagnostic] = []
    for note in vault.notes:
        graph.add_node(note.key, kind=note.kind, related=[])
    assets = asset_names(vault)
    for note in vault.notes:
        edges, found = note_links(note, resolver, notes, assets)
        diagnostics.extend(found)
        for target, kind in edges:
            if graph.has_edge(note.key, target):
                graph.edges[note.key, target]["kinds"].add(kind)
            else:
                graph.add_edge(note.key, target, kinds={kind})
            if kind == "related" and target not in graph.nodes[note.key]["related"]:
                graph.nodes[note.key]["related"].append(target)
    return KnowledgeGraph(graph=graph, resolver=resolver, notes=notes, diagnostics=diagnostics)


def build_published_graph(vault: Vault, withheld: Sequence[Note]) -> KnowledgeGraph:
    """The graph of a vault's published notes when others are left off the site (publish.py).
    Links are resolved against every note, so that a link to a withheld note is no dead link,
    and the withheld notes' own links are checked too; the graph, its notes and its resolver
    then hold the published notes only, and `withheld` resolves the others' names."""
    if not withheld:
        return build_graph(vault)
    whole = build_graph(dataclasses.replace(vault, notes=vault.notes + tuple(withheld)))
    hidden = {note.key for note in withheld}
    whole.graph.remove_nodes_from(hidden)
    for _, data in whole.graph.nodes(data=True):
        data["related"] = [key for key in data["related"] if key not in hidden]
    return dataclasses.replace(whole, resolver=Resolver.for_notes(vault.notes),
                               notes=vault.by_key(), withheld=Resolver.for_notes(withheld))


def note_links(note: Note, resolver: Resolver, notes: dict[NoteKey, Note],
               assets: set[str]) -> tuple[list[tuple[NoteKey, str]], list[Diagnostic]]:
    """One note's links, resolved against the vault: the (target, edge type) pairs in the
    author's order, and the diagnostics of the links that resolve badly or not at all."""
    edges: list[tuple[NoteKey, str]] = []
    diagnostics: list[Diagnostic] = []
    lines = note.front.item_lines
    for field_name, names in (("related", note.info.related), ("moc", note.info.moc)):
        for position, name in enumerate(names):
            if is_placeholder(name):
                continue  # a template's '...': TODO001 says so
            target_name = strip_brackets(name)
            target = resolver.resolve(target_name, note.key)
            item_lines = lines.get(field_name, ())
            line = item_lines[position] if position < len(item_lines) \
                else note.front.key_lines.get(field_name)
            if target is None:
                meant = dead_link_meant(resolver, notes, note.key, target_name, field_name)
                sure = meant is not None and meant[1] != "close"
                diagnostics.append(Diagnostic(
                    path=note.key, line=line, column=None, severity="error",
                    code="LINK001", field=field_name,
                    message=f"`{field_name}` entry '{target_name}' matches no note "
                            "(by file name, id, title or alias)" + _meant(meant, notes),
                    fix=f"write '{notes[meant[0]].stem}'" if meant and sure else None,
                    repair=_rename(note, field_name, position, target_name,
                                   notes[meant[0]].stem) if meant and sure else None,
                ))
                continue
            if target == note.key:
                continue
            if resolver.by_other_name(target_name):
                diagnostics.append(make(
                    "LINK005", note.key, line,
                    f"`{field_name}` entry '{target_name}' finds '{notes[target].stem}' only "
                    "by its alias or title; entries are file names (was the note renamed?)",
                    field=field_name, fix=f"write '{notes[target].stem}'",
                    repair=_rename(note, field_name, position, target_name,
                                   notes[target].stem)))
            edges.append((target, field_name))
            if field_name == "moc" and notes[target].kind != "moc":
                diagnostics.append(Diagnostic(
                    path=note.key, line=line, column=None, severity="error",
                    code="LINK003", field="moc",
                    message=f"`moc` points to '{target_name}', which is a "
                            f"{notes[target].kind}, not a MOC",
                ))
    for wikilink in note.links:
        if not wikilink.target:
            continue  # [[#Heading]]: a link inside the same note
        target = resolver.resolve(wikilink.target, note.key)
        if target is None:
            if _looks_like_file(wikilink.target):
                if _norm(wikilink.target).rsplit("/", 1)[-1] not in assets:
                    diagnostics.append(Diagnostic(
                        path=note.key, line=wikilink.line, column=wikilink.column,
                        severity="error", code="LINK004",
                        message=f"{wikilink.raw} names a file that is not in the notes "
                                "folder",
                    ))
                continue
            meant = dead_link_meant(resolver, notes, note.key, wikilink.target, None)
            diagnostics.append(Diagnostic(
                path=note.key, line=wikilink.line, column=wikilink.column, severity="error",
                code="LINK002",
                # Only a hint: which note a sentence links to is the author's call.
                message=f"wikilink {wikilink.raw} matches no note "
                        "(by file name, id, title or alias)" + _meant(meant, notes, "[[{}]]"),
            ))
            continue
        if target != note.key:
            edges.append((target, "embed" if wikilink.embed else "wikilink"))
    return edges, diagnostics


def dead_link_meant(resolver: Resolver, notes: dict[NoteKey, Note], source: NoteKey,
                    target: str, field_name: str | None) -> tuple[NoteKey, str] | None:
    """The note a link that matches none most likely meant, and why: "renamed" (the same
    question under another topic or difficulty), "sure" (closest by name, at SURE_RATIO or
    more, and of the kind the name says: `kb fix` writes it), "close" (closest by name: a
    hint). Never the linking note itself; for a `moc` entry only a MOC."""
    renamed = resolver.renamed(target)
    if renamed is not None and renamed != source:
        return renamed, "renamed"
    if field_name == "moc":
        found = resolver.closest(target, lambda key: key != source and notes[key].kind == "moc")
    else:
        found = resolver.closest(target, lambda key: key != source)
    if found is None:
        return None
    # A note of another kind (c-kotlin -> moc-kotlin, c-mvi-pattern -> q-mvi-pattern--…) may
    # be what was meant, or a note still to write: a hint only.
    same_kind = _kind_prefix(target) == _kind_prefix(notes[found[0]].stem)
    return found[0], "sure" if found[1] >= SURE_RATIO and same_kind else "close"


def _kind_prefix(name: str) -> str:
    prefix = _KIND_PREFIX.match(_stem(_norm(name)))
    return prefix.group() if prefix else ""


def _meant(meant: tuple[NoteKey, str] | None, notes: dict[NoteKey, Note],
           shown: str = "'{}'") -> str:
    if meant is None:
        return ""
    name = shown.format(notes[meant[0]].stem)
    return f"; the note was renamed to {name}" if meant[1] == "renamed" \
        else f"; did you mean {name}?"


def _looks_like_file(target: str) -> bool:
    name = target.rsplit("/", 1)[-1]
    return "." in name and not name.lower().endswith(".md")
