"""Link stage: resolve every link target and build one networkx DiGraph of notes.

Resolution follows Obsidian, then widens to what front matter refers to: a target is looked up
as a path (`70-Kotlin/q-flow`), then a file name (`q-flow--kotlin--easy`), then an id, an alias,
and a title or either half of a bilingual title. Matching ignores case and a trailing `.md`.
When two notes share a file name, the one in the linking note's folder wins, then the shortest
path, as in Obsidian. Edges are typed: `related` and `moc` from front matter, `wikilink` and
`embed` from the body; one edge can carry several types.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx

from .language import split_title
from .model import Diagnostic, Note, NoteKey, Vault


def _norm(text: str) -> str:
    text = text.strip().replace("\\", "/")
    if text.lower().endswith(".md"):
        text = text[:-3]
    return " ".join(text.split()).casefold()


@dataclass
class Resolver:
    """Lookup tables from every name a note can be called by to the note's key."""

    by_path: dict[str, NoteKey] = field(default_factory=dict)
    by_stem: dict[str, list[NoteKey]] = field(default_factory=dict)
    by_name: dict[str, NoteKey] = field(default_factory=dict)  # ids, aliases, titles

    @classmethod
    def for_notes(cls, notes: Iterable[Note]) -> Resolver:
        resolver = cls()
        names: dict[str, NoteKey] = {}
        weak: dict[str, NoteKey] = {}
        for note in notes:
            resolver.by_path[_norm(note.key)] = note.key
            resolver.by_stem.setdefault(_norm(note.stem), []).append(note.key)
            meta = note.meta
            if isinstance(meta.get("id"), (str, int)):
                names.setdefault(_norm(str(meta["id"])), note.key)
            aliases = meta.get("aliases")
            if isinstance(aliases, str):
                aliases = [aliases]
            if isinstance(aliases, list):
                for alias in aliases:
                    if isinstance(alias, (str, int)):
                        weak.setdefault(_norm(str(alias)), note.key)
            title = meta.get("title")
            if isinstance(title, str) and title.strip():
                weak.setdefault(_norm(title), note.key)
                for half in split_title(title).values():
                    weak.setdefault(_norm(half), note.key)
        for stems in resolver.by_stem.values():
            stems.sort(key=lambda key: (key.count("/"), len(key), key))
        resolver.by_name = {**weak, **names}  # an id beats an alias or title of the same text
        return resolver

    def resolve(self, target: str, source: NoteKey | None = None) -> NoteKey | None:
        name = _norm(target)
        if not name:
            return None
        if name in self.by_path:
            return self.by_path[name]
        stem = name.rsplit("/", 1)[-1]
        candidates = self.by_stem.get(stem)
        if candidates:
            if "/" in name:
                candidates = [key for key in candidates if _norm(key).endswith(name)] or candidates
            if source is not None and len(candidates) > 1:
                folder = source.rpartition("/")[0]
                same = [key for key in candidates if key.rpartition("/")[0] == folder]
                if same:
                    return same[0]
            return candidates[0]
        return self.by_name.get(name)


@dataclass
class KnowledgeGraph:
    graph: nx.DiGraph
    resolver: Resolver
    notes: dict[NoteKey, Note]
    diagnostics: list[Diagnostic]

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


def as_list(value: object) -> list[str]:
    """A front-matter value that should be a list of names, as a list of strings."""
    if value is None or value == "":
        return []
    if isinstance(value, (str, int, float)):
        return [str(value)]
    if isinstance(value, list):
        return [str(item) for item in value if isinstance(item, (str, int, float)) and str(item).strip()]
    return []


def strip_brackets(target: str) -> str:
    """Front matter often holds `[[c-flow]]` or `"[[c-flow|Flow]]"`; the name is `c-flow`."""
    target = target.strip()
    if target.startswith("[[") and target.endswith("]]"):
        target = target[2:-2]
    return target.split("|", 1)[0].split("#", 1)[0].strip()


def build_graph(vault: Vault) -> KnowledgeGraph:
    notes = vault.by_key()
    resolver = Resolver.for_notes(vault.notes)
    graph = nx.DiGraph()
    diagnostics: list[Diagnostic] = []
    for note in vault.notes:
        graph.add_node(note.key, kind=note.kind, related=[])
    asset_names = {_norm(rel).rsplit("/", 1)[-1] for rel in vault.assets}

    def link(source: Note, target: NoteKey, kind: str) -> None:
        if graph.has_edge(source.key, target):
            graph.edges[source.key, target]["kinds"].add(kind)
        else:
            graph.add_edge(source.key, target, kinds={kind})

    for note in vault.notes:
        lines = note.front.item_lines
        for field_name in ("related", "moc"):
            raw = note.meta.get(field_name)
            for position, name in enumerate(as_list(raw)):
                target_name = strip_brackets(name)
                target = resolver.resolve(target_name, note.key)
                item_lines = lines.get(field_name, ())
                line = item_lines[position] if position < len(item_lines) \
                    else note.front.key_lines.get(field_name)
                if target is None:
                    diagnostics.append(Diagnostic(
                        path=note.key, line=line, column=None, severity="error",
                        code="LINK001", field=field_name,
                        message=f"`{field_name}` entry '{target_name}' matches no note "
                                "(by file name, id, title or alias)",
                    ))
                    continue
                if target == note.key:
                    continue
                link(note, target, field_name)
                if field_name == "related" and target not in graph.nodes[note.key]["related"]:
                    graph.nodes[note.key]["related"].append(target)
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
                    if _norm(wikilink.target).rsplit("/", 1)[-1] not in asset_names:
                        diagnostics.append(Diagnostic(
                            path=note.key, line=wikilink.line, column=wikilink.column,
                            severity="error", code="LINK004",
                            message=f"{wikilink.raw} names a file that is not in the notes "
                                    "folder",
                        ))
                    continue
                diagnostics.append(Diagnostic(
                    path=note.key, line=wikilink.line, column=wikilink.column, severity="error",
                    code="LINK002",
                    message=f"wikilink {wikilink.raw} matches no note "
                            "(by file name, id, title or alias)",
                ))
                continue
            if target != note.key:
                link(note, target, "embed" if wikilink.embed else "wikilink")
    return KnowledgeGraph(graph=graph, resolver=resolver, notes=notes, diagnostics=diagnostics)


def _looks_like_file(target: str) -> bool:
    name = target.rsplit("/", 1)[-1]
    return "." in name and not name.lower().endswith(".md")
