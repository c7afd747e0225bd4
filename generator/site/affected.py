"""Which pages an edit to some notes makes stale: what `serve` re-renders after a save.

A note's page shows its neighbours (related notes, backlinks, maps of content, links in the
text, with their titles), so an edit to a note affects

- the note's own page;
- the pages of every note it links to or is linked from, before the edit and after it: a title
  or a link that changed shows there (a backlink gone, a backlink new);
- for each of those that is a map of content, the pages of all its members: each member links
  the previous and next note in the map's order (by difficulty, then title), which a changed
  title or difficulty moves;
- every page that lists notes (index_pages.py, data_files.py: home, topics, tags, folders,
  graph.json, study.json…): any edit may change a title, a count or a list on them.

When a note comes or goes, every page is affected: a link elsewhere may now find it, or no
longer find it, and the pages of a topic or tag left without notes go.

Pages are at the same DocsPath in every language, so one answer serves both. Writing only the
pages whose text changed is the caller's (project.write_pages with `only_changed`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..graph.links import KnowledgeGraph
from ..model import NoteKey
from ..paths import DocsPath, page_path


@dataclass(frozen=True)
class Affected:
    """The pages an edit makes stale: the pages of `notes` and every index page, or every page
    of the site."""

    notes: frozenset[NoteKey]  # notes of the vault after the edit whose pages are stale
    every_page: bool = False  # a note came or went

    @property
    def note_pages(self) -> frozenset[DocsPath]:
        """The DocsPaths of the stale note pages (the same in every language)."""
        return frozenset(page_path(key) for key in self.notes)


def by_edit(before: KnowledgeGraph, after: KnowledgeGraph, changed: Iterable[NoteKey]) -> Affected:
    """The pages that an edit to the notes `changed` (saved, created or deleted) makes stale,
    given the vault's graph before the edit and after it, by the rules of the module doc."""
    keys = set()
    every_page = False
    for key in changed:
        every_page |= (key in before.notes) != (key in after.notes)
        keys |= {key} | _neighbours(before, key) | _neighbours(after, key)
    for moc in [key for key in keys if key in after.notes and after.notes[key].kind == "moc"]:
        keys |= set(after.moc_members(moc))
    return Affected(frozenset(key for key in keys if key in after.notes), every_page)


def _neighbours(graph: KnowledgeGraph, key: NoteKey) -> set[NoteKey]:
    if key not in graph.graph:
        return set()
    return set(graph.graph.predecessors(key)) | set(graph.graph.successors(key))
