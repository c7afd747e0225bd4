"""The pages that list notes, and the breadcrumbs that lead to them; any edit may change them.

- The home page: the vault's figures, its maps of content, topics, difficulties and newest notes.
- A page per topic, per difficulty and per tag on at least MIN_TAG_NOTES notes (its notes by
  difficulty), the lists of topics and tags (rarer tags listed there with their notes), and the
  list of maps of content (none when the vault has no map).
- Topics and tags that are the same word written differently (`Kotlin`, `kotlin`;
  `sealed-class`, `sealed-classes`; `data_structures`, `data-structures`: the taxonomy report's
  near-duplicate rule, checks/taxonomy_report.py) are one entry (`Entry`) with one page, listing
  the notes of every spelling and saying which spellings it gathers; it is named by the
  spelling the taxonomy allows, else by the one most notes use.
- A page for every folder that holds published notes, directly or below (`70-Kotlin/`,
  `40-Android/ui/`): its subfolders, then its notes by title, titled by the folder's name made
  readable (`70-Kotlin` reads "Kotlin", `system-design` "System design"); so that a folder's
  address, which readers type or cut a note's address back to, is never a 404. Its path,
  `<folder>/index.md`, is reserved (paths.py): a note called `index.md` moves to `_notes/`.
- `difficulty/index.md`: the three levels with the number of questions in each.
- Breadcrumbs for a note's page: home › folder › … › note, in the page's language, with
  schema.org `BreadcrumbList` microdata (templates/breadcrumbs.md.j2).

Called from render.Renderer, whose facts (titles, paths) and templates they use.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

from .. import paths
from ..checks.taxonomy_report import fold, near_duplicate_groups
from ..model import NoteKey, Page
from ..notes.note_meta import DIFFICULTIES
from ..paths import (
    DIFFICULTY_INDEX,
    HOME,
    MOC_INDEX,
    MOVED_TO,
    STUDY_PAGE,
    TAGS_INDEX,
    TOPICS_INDEX,
    DocsPath,
    difficulty_page,
    folder_page,
    is_reserved,
    page_url,
    relative_link,
    to_root,
    topic_page,
)
from .templates import with_front_matter

if TYPE_CHECKING:
    from .render import Renderer

STRINGS = {
    "en": {"folders": "Folders", "in_folder": "Notes in this folder", "breadcrumbs": "You are here",
           "questions_by_level": "Questions by difficulty",
           "gathers": "Gathers the spellings", "also": "also"},
    "ru": {"folders": "Папки", "in_folder": "Заметки в этой папке", "breadcrumbs": "Вы здесь",
           "questions_by_level": "Вопросы по сложности",
           "gathers": "Объединяет написания", "also": "также"},
}
_ORDER_PREFIX = re.compile(r"^\d+[-_. ]+(?=\S)")


def folder_title(name: str) -> str:
    """A folder's name made readable: without a Johnny-Decimal number (`70-`), hyphens and
    underscores as spaces, the first letter capital (the rest as written: `System-Design`
    stays "System Design", `ui` reads "Ui" only at its start)."""
    text = _ORDER_PREFIX.sub("", name).replace("-", " ").replace("_", " ").strip() or name
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class Entry:
    """A topic or tag as the index pages list it: the values notes write for one word."""

    name: str  # the value it is listed and linked by
    spellings: tuple[str, ...]  # every value it gathers, `name` first, then by use
    keys: tuple[NoteKey, ...]  # its notes, each once, in the vault's order

    @property
    def others(self) -> tuple[str, ...]:
        """The spellings besides its name."""
        return self.spellings[1:]


def gather(values: Iterable[tuple[NoteKey, Iterable[str]]], allowed: Iterable[str] = ()
           ) -> list[Entry]:
    """The entries of (note, its values) pairs, by name: values that are near-duplicates
    (checks/taxonomy_report.py: the same after folding case, `_`, ` ` and `-`, or a plural of
    the other) are one entry, named by the first of `allowed` among them, else by the one most
    notes use (a tie: the one written as the taxonomy writes values, `data-structures`, then
    the first in sort order)."""
    notes: dict[str, list[NoteKey]] = defaultdict(list)
    place: dict[NoteKey, int] = {}
    for key, note_values in values:
        place.setdefault(key, len(place))
        for value in dict.fromkeys(note_values):
            notes[value].append(key)
    order = {value: at for at, value in enumerate(allowed)}
    entries = []
    for group in near_duplicate_groups(sorted(notes)):
        ranked = sorted(group, key=lambda value: (order.get(value, len(order)),
                                                  -len(notes[value]), value != fold(value),
                                                  value))
        keys = sorted({key for value in group for key in notes[value]}, key=place.__getitem__)
        entries.append(Entry(ranked[0], tuple(ranked), tuple(keys)))
    return sorted(entries, key=lambda entry: (entry.name.casefold(), entry.name))


def folders_of(paths: list[DocsPath]) -> dict[str, list[DocsPath]]:
    """Every folder of the page paths (and their ancestors), mapped to its pages; a folder
    whose page would be reserved or moved (`topics/`, `_notes/…`) has none."""
    folders: dict[str, list[DocsPath]] = defaultdict(list)
    for path in paths:
        parts = path.split("/")[:-1]
        for depth in range(1, len(parts) + 1):
            folders.setdefault("/".join(parts[:depth]), [])
        if parts:
            folders["/".join(parts)].append(path)
    return {folder: pages for folder, pages in folders.items()
            if not folder.startswith(MOVED_TO.rstrip("/"))
            and not is_reserved(folder + "/x.md") and not is_reserved(folder + ".md")}


class FolderPages:
    """The folder pages, the difficulty index and breadcrumbs of one language."""

    def __init__(self, renderer: Renderer):
        self.r = renderer
        self.strings = {**renderer.strings, **STRINGS[renderer.language]}
        self.key_of = {facts.path: key for key, facts in renderer.facts.items()}
        self.folders = folders_of(sorted(self.key_of))

    @cached_property
    def usual_status(self) -> str | None:
        """The status most notes have: a badge saying it would be on nearly every page and
        tell nothing, so note pages show a status only where it differs from this one."""
        counts = Counter(facts.status for facts in self.r.facts.values() if facts.status)
        return counts.most_common(1)[0][0] if counts else None

    @cached_property
    def topics(self) -> list[Entry]:
        """The topics that have a page, near-duplicates as one: those of notes other than
        MOCs, each listing those notes (a MOC's spelling of the word is gathered too)."""
        topic = self.r.taxonomy.fields.get("topic")
        every = gather(((key, [facts.topic]) for key, facts in self.r.facts.items() if facts.topic),
                       (topic.values or ()) if topic else ())
        entries = (Entry(entry.name, entry.spellings,
                         tuple(key for key in entry.keys if self.r.facts[key].note.kind != "moc"))
                   for entry in every)
        return [entry for entry in entries if entry.keys]

    @cached_property
    def topic_entries(self) -> dict[str, Entry]:
        """The entry, with a page, of each topic value notes write."""
        return {value: entry for entry in self.topics for value in entry.spellings}

    @cached_property
    def tags(self) -> list[Entry]:
        """Every tag, near-duplicates as one (tags without `#`, not `difficulty/…`)."""
        tags = self.r.taxonomy.fields.get("tags")
        return gather(((key, facts.tags) for key, facts in self.r.facts.items()),
                      tags.values or () if tags else ())

    @cached_property
    def tag_paths(self) -> dict[str, DocsPath]:
        """The page of each tag entry on at least MIN_TAG_NOTES notes, by its name."""
        return paths.tag_pages(entry.name for entry in self.tags
                               if len(entry.keys) >= MIN_TAG_NOTES)

    def pages(self) -> list[Page]:
        return [*self.folder_pages(), self.difficulty_index()]

    def folder_pages(self) -> list[Page]:
        pages = []
        for folder, members in sorted(self.folders.items()):
            path = folder_page(folder)
            subfolders = [(folder_title(sub.rsplit("/", 1)[-1]),
                           relative_link(path, folder_page(sub)))
                          for sub in sorted(self.folders)
                          if sub.rpartition("/")[0] == folder]
            keys: list[NoteKey] = sorted((self.key_of[member] for member in members),
                                         key=lambda key: self.r.facts[key].title.lower())
            title = folder_title(folder.rsplit("/", 1)[-1])
            markdown = self.r.env.get_template("folder.md.j2").render(
                s=self.strings, title=title, subfolders=subfolders,
                notes=self.r.links(path, keys), crumbs=self.breadcrumbs(path, title))
            pages.append(Page(self.r.language, path, with_front_matter({"title": title}, markdown),
                              title=title))
        return pages

    def difficulty_index(self) -> Page:
        path = DIFFICULTY_INDEX
        counts = {level: 0 for level in DIFFICULTIES}
        for note in self.r.vault.notes:
            level = self.r.facts[note.key].difficulty
            if note.kind == "question" and level in counts:
                counts[level] += 1
        no_spellings: list[str] = []
        levels = [(self.strings[level], relative_link(path, difficulty_page(level)), count,
                   no_spellings) for level, count in counts.items()]
        title = self.strings["difficulty"]
        markdown = self.r.env.get_template("topics.md.j2").render(
            s={**self.strings, "topics": title}, topics=levels)
        return Page(self.r.language, path, with_front_matter({"title": title}, markdown),
                    title=title)

    def hints(self, source: DocsPath, keys: list[NoteKey]) -> dict[str, str]:
        """For notes of `keys` whose titles repeat among them, what tells each apart on the
        page `source` (by href): its topic when no other of them has it, else its folder when
        none shares it, else its file name. Tag pages show it after the title."""
        same: dict[str, list[NoteKey]] = defaultdict(list)
        for key in keys:
            same[self.r.facts[key].title.casefold()].append(key)
        hints: dict[str, str] = {}
        for group in (group for group in same.values() if len(group) > 1):
            topics = Counter(self.r.facts[key].topic for key in group)
            folders = Counter(key.rpartition("/")[0] for key in group)
            for key in group:
                facts = self.r.facts[key]
                folder = key.rpartition("/")[0]
                if facts.topic and topics[facts.topic] == 1:
                    hint = self.r.topic_label(facts.topic)
                elif folder and folders[folder] == 1:
                    hint = folder_title(folder.rsplit("/", 1)[-1])
                else:
                    hint = facts.note.stem
                hints[relative_link(source, facts.path)] = hint
        return hints

    def breadcrumbs(self, path: DocsPath, title: str) -> dict[str, Any]:
        """Home, each folder above `path` that has a page, then the page itself (no link), and
        the navigation's label (templates/breadcrumbs.md.j2)."""
        root = to_root(path)  # raw HTML, which MkDocs does not rewrite: hrefs are URLs

        def href(target: DocsPath) -> str:
            return root + page_url(target) if page_url(target) else root

        crumbs: list[dict[str, str | None]] = [{"title": _html_text(self.strings["home"]), "href": href(HOME)}]
        parts = path.split("/")[:-1]
        if path.endswith("/index.md"):
            parts = parts[:-1]  # a folder's own page: its folder is the last crumb
        for depth in range(1, len(parts) + 1):
            folder = "/".join(parts[:depth])
            if folder in self.folders:
                crumbs.append({"title": _html_text(folder_title(parts[depth - 1])),
                               "href": href(folder_page(folder))})
        crumbs.append({"title": _html_text(title), "href": None})
        return {"label": self.strings["breadcrumbs"], "items": crumbs}


# A tag on fewer notes gets no page of its own: tags/index.md lists it with its notes. Real
# vaults carry a thousand one-off tags, and a page for each would double the site's pages.
MIN_TAG_NOTES = 3


def topic_pages(r: Renderer) -> list[Page]:
    """A page per topic (its notes by difficulty; MOCs are not counted) and the list of topics."""
    strings = {**r.strings, **STRINGS[r.language]}
    pages = []
    for entry in r.folders.topics:
        path = topic_page(entry.name)
        label = r.topic_label(entry.name)
        markdown = r.env.get_template("topic.md.j2").render(
            s=strings, topic=label, count=len(entry.keys), gathers=_spellings(entry),
            groups=r.by_difficulty(path, list(entry.keys)))
        pages.append(Page(r.language, path, with_front_matter({"title": label}, markdown)))
    index = r.env.get_template("topics.md.j2").render(
        s=strings,
        topics=[(r.topic_label(entry.name), relative_link(TOPICS_INDEX, topic_page(entry.name)),
                 len(entry.keys), list(entry.others)) for entry in r.folders.topics])
    pages.append(Page(r.language, TOPICS_INDEX,
                      with_front_matter({"title": r.strings["topics"]}, index)))
    return pages


def topic_link(r: Renderer, source: DocsPath, topic: str) -> tuple[str, str] | None:
    """(label, link) of the page of `topic`'s entry from the page `source`, or None when the
    topic has no page (only MOCs have it)."""
    entry = r.folders.topic_entries.get(topic)
    if entry is None:
        return None
    return r.topic_label(entry.name), relative_link(source, topic_page(entry.name))


def _spellings(entry: Entry, prefix: str = "") -> list[str]:
    """An entry's spellings when it gathers more than one (so that the page says so), else []."""
    return [prefix + value for value in entry.spellings] if entry.others else []


def difficulty_pages(r: Renderer) -> list[Page]:
    """One page per difficulty: its questions, grouped by topic (near-duplicates as one)."""
    pages = []
    for level in DIFFICULTIES:
        keys = [n.key for n in r.vault.notes
                if n.kind == "question" and r.facts[n.key].difficulty == level]
        path = difficulty_page(level)
        by_topic: dict[str, list[NoteKey]] = defaultdict(list)
        for key in keys:
            topic = r.facts[key].topic
            entry = r.folders.topic_entries.get(topic) if topic else None
            by_topic[r.topic_label(entry.name if entry else topic) if topic
                     else r.strings["other"]].append(key)
        groups = [(topic, r.links(path, sorted(members, key=lambda k: r.facts[k].title.lower())))
                  for topic, members in sorted(by_topic.items())]
        markdown = r.env.get_template("topic.md.j2").render(
            s=r.strings, topic=r.strings[level], count=len(keys), groups=groups, gathers=[])
        pages.append(Page(r.language, path,
                          with_front_matter({"title": r.strings[level]}, markdown)))
    return pages


def tag_pages(r: Renderer) -> list[Page]:
    """One page per tag on at least MIN_TAG_NOTES notes (its notes by difficulty, as topic
    pages; near-duplicates as one) and the list of tags."""
    strings = {**r.strings, **STRINGS[r.language]}
    paths = r.folders.tag_paths
    pages = []
    for entry in r.folders.tags:
        if entry.name not in paths:
            continue
        path = paths[entry.name]
        keys = list(entry.keys)
        groups = r.by_difficulty(path, keys)
        hints = r.folders.hints(path, keys)  # notes of the same title told apart
        for _, links in groups:
            for link in links:
                link["hint"] = hints.get(link["href"])
        markdown = r.env.get_template("topic.md.j2").render(
            s=strings, topic=f"#{entry.name}", count=len(keys), groups=groups,
            gathers=_spellings(entry, "#"))
        pages.append(Page(r.language, path,
                          with_front_matter({"title": f"#{entry.name}"}, markdown)))
    index = r.env.get_template("tags.md.j2").render(
        s=strings,
        tags=[(f"#{entry.name}", relative_link(TAGS_INDEX, paths[entry.name]), len(entry.keys),
               [f"#{value}" for value in entry.others])
              for entry in r.folders.tags if entry.name in paths],
        rare=[(f"#{entry.name}", r.links(TAGS_INDEX, sorted(entry.keys)),
               [f"#{value}" for value in entry.others])
              for entry in r.folders.tags if entry.name not in paths])
    pages.append(Page(r.language, TAGS_INDEX,
                      with_front_matter({"title": r.strings["tags"]}, index)))
    return pages


def home_page(r: Renderer) -> Page:
    """The home page: the vault in figures, its maps of content, topics, difficulties, tags,
    study mode and the ten notes updated last."""
    notes = r.vault.notes
    kinds = Counter(note.kind for note in notes)
    difficulties = Counter(r.facts[n.key].difficulty for n in notes if n.kind == "question")
    topics = r.folders.topics
    figures = r.strings["figures"].format(
        notes=len(notes), questions=kinds["question"], concepts=kinds["concept"],
        easy=difficulties["easy"], medium=difficulties["medium"], hard=difficulties["hard"],
        topics=len(topics))
    mocs = r.links(HOME, sorted((n.key for n in notes if n.kind == "moc"),
                                key=lambda k: r.facts[k].title.lower()))
    newest = sorted((n for n in notes if n.kind != "moc"),
                    key=lambda n: (r.facts[n.key].updated or "", n.key), reverse=True)[:10]
    markdown = r.env.get_template("home.md.j2").render(
        s=r.strings, figures=figures, mocs=mocs,
        topics=[(r.topic_label(entry.name), relative_link(HOME, topic_page(entry.name)),
                 len(entry.keys)) for entry in topics],
        newest=r.links(HOME, [n.key for n in newest]),
        difficulties=[(r.strings[level], relative_link(HOME, difficulty_page(level)),
                       difficulties[level]) for level in DIFFICULTIES],
        tags_href=relative_link(HOME, TAGS_INDEX),
        study_href=relative_link(HOME, STUDY_PAGE),
        tag_count=len(r.folders.tags),
    )
    return Page(r.language, HOME, with_front_matter({"title": r.strings["site_name"]}, markdown))


def moc_index_pages(r: Renderer) -> list[Page]:
    """The maps of content with the number of notes in each and their summaries; none when
    the vault has no map."""
    mocs = sorted((n.key for n in r.vault.notes if n.kind == "moc"),
                  key=lambda k: r.facts[k].title.lower())
    if not mocs:
        return []
    entries = [{**link, "count": len(r.graph.moc_members(key)), "summary": r.facts[key].summary}
               for key, link in zip(mocs, r.links(MOC_INDEX, mocs), strict=True)]
    markdown = r.env.get_template("mocs.md.j2").render(s=r.strings, mocs=entries)
    return [Page(r.language, MOC_INDEX, with_front_matter({"title": r.strings["mocs"]}, markdown))]


def _html_text(text: str) -> Markup:
    """Text for raw HTML that Markdown never reads as a link or emphasis either: escaped, with
    Markdown's link and emphasis characters as character references."""
    escaped = str(escape(" ".join(text.split())))
    for char in "[]()*_`!\\":
        escaped = escaped.replace(char, f"&#{ord(char)};")
    return Markup(escaped)


_MOC_WORDS = re.compile(r"\b(?:moc|maps? of content|карта темы|карта)\b", re.IGNORECASE)


def _title_words(text: str) -> str:
    return " ".join(re.findall(r"\w+", _MOC_WORDS.sub(" ", text.casefold())))


def without_repeated_title(body: str, title: str) -> str:
    """The body without its first heading when that heading says the page's title again (a
    MOC's `# Kotlin — Map of Content` under the title `Kotlin — MOC`): the template writes the
    title once. "MOC" and "Map of Content" count alike; only a heading before any text goes."""
    lines = body.split("\n")
    first = next((at for at, line in enumerate(lines) if line.strip()), None)
    if first is None or not lines[first].startswith("#"):
        return body
    heading = lines[first].lstrip("#").strip()
    if not _title_words(heading) or _title_words(heading) != _title_words(title):
        return body
    return "\n".join(lines[:first] + lines[first + 1:])

