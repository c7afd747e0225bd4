"""Plain data passed between the pipeline's stages.

Every stage takes these values and returns new ones; none of them holds a file handle, a YAML
node or a networkx object, so each can be built by hand in a test.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NewType

if TYPE_CHECKING:  # paths.py reads NoteKey from here: imported for the type only
    from .paths import DocsPath

Language = Literal["en", "ru"]
LANGUAGES: tuple[Language, ...] = ("en", "ru")

# The key of a note everywhere in the pipeline: its path relative to the notes folder, with
# forward slashes ("70-Kotlin/q-flow--kotlin--easy.md"). Unique by construction, unlike ids.
NoteKey = NewType("NoteKey", str)

Severity = Literal["error", "warning"]


# --- repairs as values ------------------------------------------------------------------------
# A rule that finds a problem with one right answer says what to write as one of these values
# (Diagnostic.repair); `kb fix` (generator/authoring/fix.py) turns each into an edit of the lines
# concerned. Which code may carry which value is declared in generator/checks/codes.py.
# `field` is a front-matter key; `index` an item's position in its list as YAML reads it.

@dataclass(frozen=True)
class MergeBlocks:
    """The file's lines `first`..`last` (1-based, inclusive: a damaged front matter, fences
    included) become one front-matter block holding `lines` between two `---` fences; the lines
    after `last` (the body) are not touched. Applied alone, before any other repair."""

    first: int
    last: int
    lines: tuple[str, ...]


@dataclass(frozen=True)
class StripByteOrderMark:
    """The byte-order mark at the start of the file goes. Applied before any line is edited."""


@dataclass(frozen=True)
class UnixLineEnds:
    """CR and CRLF line ends become LF. Applied before any line is edited."""


@dataclass(frozen=True)
class ReplaceLine:
    """The file's line `line` (1-based) becomes `text` (`--- x` read as a fence becomes `---`)."""

    line: int
    text: str


@dataclass(frozen=True)
class SetValue:
    """`field`'s whole value becomes `value`: text in the quotes the value had, a date as
    YYYY-MM-DD in the quotes it had, a tuple as a flow list (`[a, b]`)."""

    field: str
    value: str | dt.date | tuple[str, ...]


@dataclass(frozen=True)
class QuoteValue:
    """`field`'s value, a number or yes/no where text is meant, is quoted as written
    (`title: 2025` -> `title: '2025'`), so that YAML reads it as text."""

    field: str


@dataclass(frozen=True)
class ReplaceItem:
    """Item `index` of the list `field` becomes `value`, in the quotes it had."""

    field: str
    index: int
    value: str


@dataclass(frozen=True)
class RemoveItem:
    """Item `index` of the list `field` goes (with its comma, or its line in a block list)."""

    field: str
    index: int


@dataclass(frozen=True)
class AddItems:
    """`items` are added to the list `field`, in its layout: where alphabetical order puts
    them when the list is in that order, else at the end."""

    field: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class Reorder:
    """The items of the list `field` are written in a new order: item `order[i]` where item
    `i` is, each keeping its own quotes."""

    field: str
    order: tuple[int, ...]


Repair = (MergeBlocks | StripByteOrderMark | UnixLineEnds | ReplaceLine | SetValue | QuoteValue
          | ReplaceItem | RemoveItem | AddItems | Reorder)


@dataclass(frozen=True)
class Diagnostic:
    """One problem in one file, found by any stage."""

    path: str  # relative to the notes folder, forward slashes
    line: int | None  # 1-based line in the file
    column: int | None  # 1-based column
    severity: Severity
    code: str  # stable, documented in generator/checks/codes.py
    message: str
    field: str | None = None  # front-matter key, when the problem is in one
    fix: str | None = None  # for people: what to do about it, when the rule can say
    fields: tuple[str, ...] = ()  # every key concerned, when there are several (FM101, FM102)
    repair: Repair | None = None  # for `kb fix`: the edit as a value, when there is one answer

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line or 0, self.column or 0, self.code)


@dataclass(frozen=True)
class FrontMatter:
    """A note's YAML front matter, with the line of every key and of every list item."""

    data: dict[str, Any]
    key_lines: dict[str, int]  # key -> 1-based line of the key in the file
    item_lines: dict[str, tuple[int, ...]]  # key -> line of each item of a list value
    start_line: int  # line of the opening fence (1), or 0 when the note has none
    end_line: int  # line of the closing fence


@dataclass(frozen=True)
class Section:
    """A run of body lines under one heading, assigned to a language or to both (None)."""

    language: Language | None
    heading: str | None  # heading text as written (None for text before the first heading)
    level: int  # heading level 1-6, 0 for the text before the first heading
    line: int  # 1-based file line of the heading (or of the first body line)
    text: str  # Markdown, the heading line included


@dataclass(frozen=True)
class WikiLink:
    """An Obsidian link in a note's body: [[target#heading|label]] or ![[embed]]."""

    raw: str  # as written, brackets included
    target: str  # file name, path, id, title or alias; "" for a link to a heading of the same note
    heading: str | None
    label: str | None
    embed: bool
    line: int  # 1-based file line
    column: int  # 1-based column


@dataclass(frozen=True)
class NoteMeta:
    """What a note's pages show of it, read once (generator/notes/note_meta.py has the rules): render,
    the graph, search and study read this, never the raw front matter."""

    titles: dict[Language, str]  # never empty: front matter, question, heading or file name
    kind: str = "note"  # question, concept, moc: from `kind`, else from the file-name prefix
    id: str | None = None  # `id` as written (text or a number)
    title_field: str | None = None  # `title` as written, when it is text: a name links find
    topic: str | None = None
    difficulty: str | None = None  # lower case
    status: str | None = None
    summary: str | None = None
    created: str | None = None  # as written, or ISO for a YAML date
    updated: str | None = None
    tags: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    subtopics: tuple[str, ...] = ()
    # The names in `related` and `moc`, as written, in order (note_meta.as_list).
    related: tuple[str, ...] = ()
    moc: tuple[str, ...] = ()
    publish: bool | None = None  # `publish: false` keeps the note off the site (publish.py)
    draft: bool | None = None  # so does `draft: true`


@dataclass(frozen=True)
class Note:
    key: NoteKey
    path: Path  # absolute path of the file
    front: FrontMatter
    body: str  # Markdown after the front matter, line ends normalised to \n
    body_line: int  # file line of the body's first line
    sections: tuple[Section, ...]
    links: tuple[WikiLink, ...]
    problems: tuple[Diagnostic, ...] = ()  # what loading found (YAML errors, BOM, stray fences…)

    @property
    def stem(self) -> str:
        return self.path.stem

    @property
    def meta(self) -> dict[str, Any]:
        return self.front.data

    @cached_property
    def info(self) -> NoteMeta:
        """The note's metadata, built on first use and kept (a frozen dataclass's cached
        property is stored in the instance's __dict__, past the frozen __setattr__)."""
        from .notes.note_meta import build  # note_meta reads Note: imported here, not at the top

        return build(self)

    @property
    def kind(self) -> str:
        """question, concept or moc: from `kind`, else from the file-name prefix."""
        return self.info.kind

    @property
    def folder(self) -> str:
        return self.key.rpartition("/")[0]


@dataclass(frozen=True)
class Vault:
    root: Path
    notes: tuple[Note, ...]
    skipped: tuple[str, ...]  # files under root that the documented rule says are not notes
    assets: tuple[str, ...] = ()  # non-Markdown files (images…), relative paths
    # Problems with files that are no note: links to folders or images outside the vault,
    # names that differ only in case (a note's own problems are in Note.problems).
    problems: tuple[Diagnostic, ...] = ()

    def by_key(self) -> dict[NoteKey, Note]:
        return {note.key: note for note in self.notes}


@dataclass(frozen=True)
class Page:
    """One generated Markdown file of one language's MkDocs project."""

    language: Language
    path: DocsPath  # relative to the language's docs folder, e.g. "70-Kotlin/q-flow.md"
    markdown: str
    note: NoteKey | None = None  # the note it renders, None for generated index pages
    title: str | None = None  # the page's title, plain text (None: a data file)


@dataclass
class BuildReport:
    """What a build did, for the command line and the benchmark."""

    notes: int = 0  # published: the notes the site is built from
    checked: int = 0  # validated: every note, published or not
    pages: dict[str, int] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    engine_warnings: dict[str, list[str]] = field(default_factory=dict)
    cache: dict[str, tuple[int, int]] = field(default_factory=dict)  # pages from the cache, afresh
    kept: dict[str, int] = field(default_factory=dict)  # pages whose HTML is the last build's
    # files and notes not published, by the rule that left each out (publish.left_out)
    left_out: dict[str, int] = field(default_factory=dict)
    not_notes: dict[str, int] = field(default_factory=dict)  # of those, the files no note
    built: bool = False  # the site was written

    @property
    def errors(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity == "error")
