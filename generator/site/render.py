"""Render stage: notes and their graph neighbourhood -> the Markdown pages of one language.

`render_language` is the stage; a `Renderer` holds what every page of the language shares (each
note's facts in the language, the taxonomy's labels, the Jinja environment, the vault's Dataview
results) and the pages are made in one module per kind:

- note_page.py: a note's page, and note_body.py the note's text on it;
- index_pages.py: the pages that list notes (home, topics, difficulties, tags, maps of content,
  folders) and the breadcrumbs;
- data_files.py: graph.json, study.json and search-names.json, and the graph and study pages.

Templates live in `generator/templates/` (templates.py). Every page sits at the same path in both
language trees (paths.py), so the language switcher and hreflang links only swap the language
folder.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from .. import dataview
from ..checks.taxonomy import Taxonomy, default_taxonomy
from ..graph.links import KnowledgeGraph
from ..model import LANGUAGES, Language, Note, NoteKey, Page, Vault
from ..notes.note_meta import DIFFICULTIES
from ..paths import DocsPath, page_path, relative_link
from . import data_files, index_pages, note_body, note_page
from .affected import Affected
from .i18n import STRINGS
from .templates import environment


@dataclass
class NoteFacts:
    """What pages show about a note, in one language."""

    note: Note
    language: Language

    @property
    def title(self) -> str:
        return self.note.info.titles[self.language]

    @property
    def path(self) -> DocsPath:
        return page_path(self.note.key)

    @property
    def topic(self) -> str | None:
        return self.note.info.topic

    @property
    def difficulty(self) -> str | None:
        return self.note.info.difficulty

    @property
    def status(self) -> str | None:
        return self.note.info.status

    @property
    def updated(self) -> str | None:
        return self.note.info.updated

    @property
    def summary(self) -> str | None:
        return self.note.info.summary

    @cached_property
    def tags(self) -> list[str]:
        """The note's tags, without `difficulty/…` (the difficulty pages list those)."""
        tags = (tag.lstrip("#") for tag in self.note.info.tags)
        return sorted({tag for tag in tags if tag and not tag.lower().startswith("difficulty/")})


class Renderer:
    """Renders every page of one language. Built once per language, then used per page.

    `queries` are the vault's Dataview results, made with the checked vault
    (pipeline.Checked.queries); without them, the queries a page holds are run here."""

    def __init__(self, vault: Vault, graph: KnowledgeGraph, language: Language,
                 taxonomy: Taxonomy | None = None, queries: dataview.DataviewIndex | None = None):
        self.vault = vault
        self.graph = graph
        self.language = language
        self.taxonomy = taxonomy or default_taxonomy()
        self.labels = self.taxonomy.labels
        self.strings = STRINGS[language]
        self.env = environment()
        self.given_queries = queries
        self.facts = {note.key: NoteFacts(note, language) for note in vault.notes}
        # Images and PDFs by vault path and by file name, as Obsidian finds them; each is
        # copied to the same path in the docs.
        self.assets = {name.lower(): DocsPath(rel) for rel in vault.assets
                       for name in (rel, rel.rsplit("/", 1)[-1])}
        self._moc_orders: dict[NoteKey, tuple[list[NoteKey], dict[NoteKey, int]]] = {}

    @cached_property
    def queries(self) -> dataview.DataviewIndex:
        """The vault's Dataview queries: the checked vault's, else made here on first use."""
        if self.given_queries is not None:
            return self.given_queries
        return dataview.DataviewIndex(self.vault, self.graph)

    @cached_property
    def folders(self) -> index_pages.FolderPages:
        """Folder pages, the difficulty index, breadcrumbs (index_pages.py)."""
        return index_pages.FolderPages(self)

    # --- pages -------------------------------------------------------------------------
    def pages(self) -> list[Page]:
        """Every page of the language."""
        return [self.note_page(note) for note in self.vault.notes] + self.index_pages()

    def index_pages(self) -> list[Page]:
        """Every page that is not a note's: they list notes, so any edit may change them."""
        return [*index_pages.topic_pages(self), *index_pages.difficulty_pages(self),
                *index_pages.tag_pages(self), index_pages.home_page(self),
                *index_pages.moc_index_pages(self), *data_files.graph_pages(self),
                *data_files.study_pages(self), *self.folders.pages(),
                *data_files.search_names_pages(self)]

    def affected_pages(self, affected: Affected) -> list[Page]:
        """The pages an edit makes stale (affected.py): every page, or the pages of the
        affected notes and every index page."""
        if affected.every_page:
            return self.pages()
        notes = self.vault.by_key()
        return [self.note_page(notes[key]) for key in sorted(affected.notes) if key in notes] \
            + self.index_pages()

    def note_page(self, note: Note) -> Page:
        """The page of `note` (note_page.py)."""
        return note_page.page(self, note)

    def body(self, note: Note) -> tuple[str, bool]:
        """The note's body in this language, and whether it is in this language at all."""
        return note_body.body(self, note)

    # --- what the pages share ------------------------------------------------------------
    def topic_label(self, topic: str) -> str:
        """A topic as this language's pages name it (the taxonomy's labels, labels.py)."""
        return self.labels.label("topic", topic, self.language)

    def other_language(self) -> Language:
        return next(language for language in LANGUAGES if language != self.language)

    def links(self, source: DocsPath, keys: list[NoteKey]) -> list[dict[str, Any]]:
        """Links from the page `source` to the notes `keys`, as the templates list them."""
        return [
            {"title": self.facts[key].title, "href": relative_link(source, self.facts[key].path),
             "difficulty": self.facts[key].difficulty, "kind": self.graph.notes[key].kind}
            for key in keys
        ]

    def by_difficulty(self, source: DocsPath, keys: list[NoteKey]
                      ) -> list[tuple[str, list[dict[str, Any]]]]:
        """Links from `source` to `keys`, grouped by difficulty (`by_difficulty_keys`)."""
        return [(self.strings[name], self.links(source, members))
                for name, members in self.by_difficulty_keys(keys)]

    def by_difficulty_keys(self, keys: list[NoteKey]) -> list[tuple[str, list[NoteKey]]]:
        """Keys grouped by difficulty (easy, medium, hard, other), each group by title."""
        groups: dict[str, list[NoteKey]] = defaultdict(list)
        for key in keys:
            difficulty = self.facts[key].difficulty
            groups[difficulty if difficulty in DIFFICULTIES else "other"].append(key)
        return [(name, sorted(groups[name], key=lambda k: self.facts[k].title.lower()))
                for name in (*DIFFICULTIES, "other") if groups.get(name)]

    def moc_order(self, moc: NoteKey) -> tuple[list[NoteKey], dict[NoteKey, int]]:
        """A MOC's members in the order its page lists them, and each one's place in it;
        computed once per MOC (a place found by `list.index` would make a vault of big MOCs
        quadratic)."""
        order = self._moc_orders.get(moc)
        if order is None:
            members = [key for _, group in self.by_difficulty_keys(self.graph.moc_members(moc))
                       for key in group]
            order = (members, {key: at for at, key in enumerate(members)})
            self._moc_orders[moc] = order
        return order


def render_language(vault: Vault, graph: KnowledgeGraph, language: Language,
                    taxonomy: Taxonomy | None = None,
                    queries: dataview.DataviewIndex | None = None) -> list[Page]:
    """Every page of `language`: the render stage, once per language."""
    return Renderer(vault, graph, language, taxonomy, queries).pages()
