"""The pages that list notes, and the breadcrumbs that lead to them; any edit may change them.

- The home page: the vault's figures, its maps of content, topics, difficulties and newest notes.
- A page per topic, per difficulty and per tag on at least MIN_TAG_NOTES notes (its notes by
  difficulty), the lists of topics and tags (rarer tags listed there with their notes), and the
  list of maps of content (none when the vault has no map).
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
from functools import cached_property
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

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
           "questions_by_level": "Questions by difficulty"},
    "ru": {"folders": "Папки", "in_folder": "Заметки в этой папке", "breadcrumbs": "Вы здесь",
           "questions_by_level": "Вопросы по сложности"},
}
_ORDER_PREFIX = re.compile(r"^\d+[-_. ]+(?=\S)")


def folder_title(name: str) -> str:
    """A folder's name made readable: without a Johnny-Decimal number (`70-`), hyphens and
    underscores as spaces, the first letter capital (the rest as written: `System-Design`
    stays "System Design", `ui` reads "Ui" only at its start)."""
    text = _ORDER_PREFIX.sub("", name).replace("-", " ").replace("_", " ").strip() or name
    return text[:1].upper() + text[1:]


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
        levels = [(self.strings[level], relative_link(path, difficulty_page(level)), count)
                  for level, count in counts.items()]
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
    by_topic: dict[str, list[NoteKey]] = defaultdict(list)
    for note in r.vault.notes:
        topic = r.facts[note.key].topic
        if topic and note.kind != "moc":
            by_topic[topic].append(note.key)
    pages = []
    for topic, keys in sorted(by_topic.items()):
        path = topic_page(topic)
        groups = r.by_difficulty(path, keys)
        label = r.topic_label(topic)
        markdown = r.env.get_template("topic.md.j2").render(
            s=r.strings, topic=label, count=len(keys), groups=groups)
        pages.append(Page(r.language, path, with_front_matter({"title": label}, markdown)))
    index = r.env.get_template("topics.md.j2").render(
        s=r.strings,
        topics=[(r.topic_label(topic), relative_link(TOPICS_INDEX, topic_page(topic)), len(keys))
                for topic, keys in sorted(by_topic.items())])
    pages.append(Page(r.language, TOPICS_INDEX,
                      with_front_matter({"title": r.strings["topics"]}, index)))
    return pages


def difficulty_pages(r: Renderer) -> list[Page]:
    """One page per difficulty: its questions, grouped by topic."""
    pages = []
    for level in DIFFICULTIES:
        keys = [n.key for n in r.vault.notes
                if n.kind == "question" and r.facts[n.key].difficulty == level]
        path = difficulty_page(level)
        by_topic: dict[str, list[NoteKey]] = defaultdict(list)
        for key in keys:
            topic = r.facts[key].topic
            by_topic[r.topic_label(topic) if topic else r.strings["other"]].append(key)
        groups = [(topic, r.links(path, sorted(members, key=lambda k: r.facts[k].title.lower())))
                  for topic, members in sorted(by_topic.items())]
        markdown = r.env.get_template("topic.md.j2").render(
            s=r.strings, topic=r.strings[level], count=len(keys), groups=groups)
        pages.append(Page(r.language, path,
                          with_front_matter({"title": r.strings[level]}, markdown)))
    return pages


def tag_pages(r: Renderer) -> list[Page]:
    """One page per tag (its notes by difficulty, as topic pages) and the list of tags."""
    by_tag: dict[str, list[NoteKey]] = defaultdict(list)
    for note in r.vault.notes:
        for tag in r.facts[note.key].tags:
            by_tag[tag].append(note.key)
    pages = []
    for tag, keys in sorted(by_tag.items()):
        if tag not in r.tag_paths:
            continue
        path = r.tag_paths[tag]
        groups = r.by_difficulty(path, keys)
        hints = r.folders.hints(path, keys)  # notes of the same title told apart
        for _, links in groups:
            for link in links:
                link["hint"] = hints.get(link["href"])
        markdown = r.env.get_template("topic.md.j2").render(
            s=r.strings, topic=f"#{tag}", count=len(keys), groups=groups)
        pages.append(Page(r.language, path, with_front_matter({"title": f"#{tag}"}, markdown)))
    index = r.env.get_template("tags.md.j2").render(
        s=r.strings,
        tags=[(f"#{tag}", relative_link(TAGS_INDEX, r.tag_paths[tag]), len(keys))
              for tag, keys in sorted(by_tag.items()) if tag in r.tag_paths],
        rare=[(f"#{tag}", r.links(TAGS_INDEX, sorted(keys)))
              for tag, keys in sorted(by_tag.items()) if tag not in r.tag_paths])
    pages.append(Page(r.language, TAGS_INDEX,
                      with_front_matter({"title": r.strings["tags"]}, index)))
    return pages


def home_page(r: Renderer) -> Page:
    """The home page: the vault in figures, its maps of content, topics, difficulties, tags,
    study mode and the ten notes updated last."""
    notes = r.vault.notes
    kinds = Counter(note.kind for note in notes)
    difficulties = Counter(r.facts[n.key].difficulty for n in notes if n.kind == "question")
    topics = Counter(topic for n in notes if (topic := r.facts[n.key].topic) and n.kind != "moc")
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
        topics=[(r.topic_label(topic), relative_link(HOME, topic_page(topic)), count)
                for topic, count in sorted(topics.items())],
        newest=r.links(HOME, [n.key for n in newest]),
        difficulties=[(r.strings[level], relative_link(HOME, difficulty_page(level)),
                       difficulties[level]) for level in DIFFICULTIES],
        tags_href=relative_link(HOME, TAGS_INDEX),
        study_href=relative_link(HOME, STUDY_PAGE),
        tag_count=r.tag_count,
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

