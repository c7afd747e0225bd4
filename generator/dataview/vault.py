"""The vault as Dataview sees it: each note's fields (front matter read the way Dataview reads
it: date and link strings become dates and links), its `file.*` fields, tags and links.

A query may name any field, as the author wrote it, so this is the one place past validation
and fix that reads the raw front matter (`Note.meta`) rather than NoteMeta."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from ..model import Note, NoteKey, Vault
from ..notes.wikilinks import code_free_lines, parse_inner
from .query import WIKILINK
from .values import LazyObject, Link, Value, canonical, day_of, parse_date

if TYPE_CHECKING:  # networkx stays unimported for `validate`
    from ..graph.links import KnowledgeGraph, Resolver


class VaultData:
    """The vault as Dataview sees it: one data object per note, built when first asked for,
    with its tags and links."""

    def __init__(self, vault: Vault, graph: KnowledgeGraph | None = None):
        self.vault = vault
        self._graph = graph  # only for its resolver, when the caller has one
        self.notes = vault.by_key()
        self.keys: tuple[NoteKey, ...] = tuple(sorted(self.notes))
        self._pages: dict[NoteKey, dict[str, Value]] = {}
        self._tags: dict[NoteKey, tuple[tuple[str, ...], tuple[str, ...]]] = {}
        self._resolver: Resolver | None = None
        self._links: dict[NoteKey, Link] = {}
        self._outlinks: dict[NoteKey, tuple[NoteKey, ...]] | None = None
        self._inlinks: dict[NoteKey, tuple[NoteKey, ...]] = {}

    @property
    def resolver(self) -> Resolver:
        if self._resolver is None:
            if self._graph is not None:
                self._resolver = self._graph.resolver
            else:
                from ..graph.links import Resolver  # here: the module imports networkx

                self._resolver = Resolver.for_notes(self.vault.notes)
        return self._resolver

    # --- data of one note ----------------------------------------------------------------------
    def page(self, key: NoteKey) -> dict[str, Value]:
        page = self._pages.get(key)
        if page is None:
            note = self.notes[key]
            page = {str(name): self.convert(value, key) for name, value in note.meta.items()}
            for name in list(page):
                page.setdefault(canonical(name), page[name])
            page["file"] = FileFields(self, note)
            self._pages[key] = page
        return page

    def link(self, key: NoteKey) -> Link:
        link = self._links.get(key)
        if link is None:
            link = self._links[key] = Link(path=key, key=key)
        return link

    def link_to(self, target: str, source: NoteKey | None, display: str | None = None,
                subpath: str | None = None) -> Link:
        key = self.resolver.resolve(target, source) if target else source
        return Link(path=key or target, key=key, display=display, subpath=subpath)

    def convert(self, value: object, source: NoteKey) -> Value:
        """A front-matter value as Dataview reads it: date and link strings become values."""
        if isinstance(value, str):
            text = value.strip()
            if text[:1].isdigit():
                date = parse_date(text)
                if date is not None:
                    return date
            if text.startswith(("[[", "![[")) and text.endswith("]]"):
                link = WIKILINK.fullmatch(text)
                if link:
                    target, heading, label = parse_inner(link.group(2))
                    return self.link_to(target, source, label, heading)
            return value
        if isinstance(value, list):
            return [self.convert(item, source) for item in value]
        if isinstance(value, dict):
            return {str(name): self.convert(item, source) for name, item in value.items()}
        if value is None or isinstance(value, (bool, int, float, dt.date)):
            return value
        return str(value)

    def outlinks(self, key: NoteKey) -> tuple[NoteKey, ...]:
        """The notes `key` links to, as Dataview counts links: [[wikilinks]] and embeds in
        the body, and front-matter values written as [[links]] (a bare name such as
        `moc: moc-kotlin` is text to Dataview, not a link)."""
        if self._outlinks is None:
            self._outlinks = {}
            for note in self.vault.notes:
                found: dict[NoteKey, None] = {}
                for link in note.links:
                    target = self.resolver.resolve(link.target, note.key) if link.target else None
                    if target is not None and target != note.key:
                        found.setdefault(target)
                for value in _leaves(self.page(note.key)):
                    if isinstance(value, Link) and value.key and value.key != note.key:
                        found.setdefault(value.key)
                self._outlinks[note.key] = tuple(sorted(found))
            sources: dict[NoteKey, list[NoteKey]] = {}
            for source, targets in self._outlinks.items():
                for target in targets:
                    sources.setdefault(target, []).append(source)
            self._inlinks = {target: tuple(sorted(found)) for target, found in sources.items()}
        return self._outlinks[key]

    def inlinks(self, key: NoteKey) -> tuple[NoteKey, ...]:
        self.outlinks(key)
        return self._inlinks.get(key, ())

    def tags(self, key: NoteKey) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(explicit tags, explicit tags with their parents), "#"-prefixed, in file order."""
        if key not in self._tags:
            note = self.notes[key]
            explicit: dict[str, None] = {}
            for name, value in note.meta.items():
                if str(name).lower() in ("tags", "tag"):
                    for tag in _split_tags(value):
                        explicit.setdefault(tag if tag.startswith("#") else "#" + tag)
            for tag in _body_tags(note.body):
                explicit.setdefault(tag)
            expanded: dict[str, None] = {}
            for tag in explicit:
                parts = tag.split("/")
                for depth in range(1, len(parts) + 1):
                    expanded.setdefault("/".join(parts[:depth]))
            self._tags[key] = (tuple(explicit), tuple(expanded))
        return self._tags[key]


def _leaves(value: Value) -> Iterator[Value]:
    """Every value inside a page's front-matter data (its `file` fields excluded)."""
    if isinstance(value, list):
        for item in value:
            yield from _leaves(item)
    elif isinstance(value, dict):
        for item in value.values():
            if not isinstance(item, FileFields):
                yield from _leaves(item)
    else:
        yield value


def _split_tags(value: object) -> list[str]:
    if isinstance(value, list):
        return [tag for item in value for tag in _split_tags(item)]
    if value is None or isinstance(value, (dict, bool)):
        return []
    return [part for part in re.split(r"[,\s]+", str(value)) if part]


# A tag in the body: after a space or at the start of a line, with at least one non-digit.
_BODY_TAG = re.compile(r"(?:^|(?<=\s))#([\w/-]*[^\W\d][\w/-]*)")
_INLINE_CODE = re.compile(r"(`+).+?\1")


def _body_tags(body: str) -> list[str]:
    if "#" not in body:
        return []
    found = []
    for _, line, in_code in code_free_lines(body):
        if in_code or "#" not in line:
            continue
        for match in _BODY_TAG.finditer(_INLINE_CODE.sub(" ", line)):
            found.append("#" + match.group(1))
    return found


def _file_time(note: Note, field: str, stat_field: str) -> Value:
    declared = note.meta.get(field)
    if isinstance(declared, str):
        declared = parse_date(declared)
    if isinstance(declared, dt.date):
        return declared
    try:
        return dt.datetime.fromtimestamp(getattr(os.stat(note.path), stat_field))
    except OSError:
        return None


def _file_size(note: Note) -> Value:
    try:
        return os.stat(note.path).st_size
    except OSError:
        return None


def _file_day(vault: VaultData, note: Note) -> Value:
    page = vault.page(note.key)
    for name in ("date", "day"):
        if isinstance(page.get(name), dt.date):
            return page[name]
    match = re.search(r"\d{4}-\d{2}-\d{2}", note.stem)
    return parse_date(match.group(0)) if match else None


_FILE_FIELDS: dict[str, Callable[[VaultData, Note], Value]] = {
    "name": lambda vault, note: note.stem,
    "path": lambda vault, note: note.key,
    "folder": lambda vault, note: note.folder,
    "ext": lambda vault, note: note.path.suffix.lstrip(".") or "md",
    "link": lambda vault, note: vault.link(note.key),
    "size": lambda vault, note: _file_size(note),
    "ctime": lambda vault, note: _file_time(note, "created", "st_ctime"),
    "cday": lambda vault, note: day_of(_file_time(note, "created", "st_ctime")),
    "mtime": lambda vault, note: _file_time(note, "updated", "st_mtime"),
    "mday": lambda vault, note: day_of(_file_time(note, "updated", "st_mtime")),
    "tags": lambda vault, note: list(vault.tags(note.key)[1]),
    "etags": lambda vault, note: list(vault.tags(note.key)[0]),
    "inlinks": lambda vault, note: [vault.link(key) for key in vault.inlinks(note.key)],
    "outlinks": lambda vault, note: [vault.link(key) for key in vault.outlinks(note.key)],
    "aliases": lambda vault, note: [str(a) for a in _split_aliases(note.meta)],
    "frontmatter": lambda vault, note: {
        str(name): vault.convert(value, note.key) for name, value in note.meta.items()},
    "day": _file_day,
    "starred": lambda vault, note: False,
}


# Dataview fields this build cannot provide: reported as unsupported, never silently null.
UNSUPPORTED_FILE_FIELDS = frozenset({"tasks", "lists"})


def _split_aliases(meta: dict[str, Any]) -> list[object]:
    found: list[object] = []
    for name, value in meta.items():
        if str(name).lower() in ("alias", "aliases"):
            found.extend(value if isinstance(value, list) else
                         ([] if value is None else str(value).split(",")))
    return [alias for alias in found if str(alias).strip()]


class FileFields(LazyObject):
    """`file.*` of one note; each field is computed when first read (the file system is read
    only when a query asks for a time or size the front matter does not give)."""

    __slots__ = ("_vault", "_note", "_values")

    def __init__(self, vault: VaultData, note: Note):
        self._vault = vault
        self._note = note
        self._values: dict[str, Value] = {}

    def __getitem__(self, name: str) -> Value:
        if name not in self._values:
            getter = _FILE_FIELDS[name]  # KeyError for an unknown field, as for a dict
            self._values[name] = getter(self._vault, self._note)
        return self._values[name]

    def __contains__(self, name: object) -> bool:
        return name in _FILE_FIELDS

    def __iter__(self) -> Iterator[str]:
        return iter(_FILE_FIELDS)

    def __len__(self) -> int:
        return len(_FILE_FIELDS)
