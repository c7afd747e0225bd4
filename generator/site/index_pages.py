"""Index pages that follow the vault's folders, and the breadcrumbs that lead to them.

- A page for every folder that holds published notes, directly or below (`70-Kotlin/`,
  `40-Android/ui/`): its subfolders, then its notes by title, titled by the folder's name made
  readable (`70-Kotlin` reads "Kotlin", `system-design` "System design"); so that a folder's
  address, which readers type or cut a note's address back to, is never a 404. Its path,
  `<folder>/index.md`, is reserved (paths.py): a note called `index.md` moves to `_notes/`.
- `difficulty/index.md`: the three levels with the number of questions in each.
- Breadcrumbs for a note's page: home › folder › … › note, in the page's language, with
  schema.org `BreadcrumbList` microdata (templates/breadcrumbs.md.j2).

Called from render.Renderer, whose facts (titles, paths) and templates it uses.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from functools import cached_property
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

from ..paths import MOVED_TO, folder_page, is_reserved

if TYPE_CHECKING:
    from ..model import NoteKey, Page
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


def folders_of(paths: list[str]) -> dict[str, list[str]]:
    """Every folder of the page paths (and their ancestors), mapped to its pages; a folder
    whose page would be reserved or moved (`topics/`, `_notes/…`) has none."""
    folders: dict[str, list[str]] = defaultdict(list)
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
        from ..model import Page
        from .render import _with_meta, relative_link

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
                notes=self.r._links(path, keys), crumbs=self.breadcrumbs(path, title))
            pages.append(Page(self.r.language, path, _with_meta({"title": title}, markdown),
                              title=title))
        return pages

    def difficulty_index(self) -> Page:
        from ..model import Page
        from .render import DIFFICULTIES, _with_meta, difficulty_path, relative_link

        path = "difficulty/index.md"
        counts = {level: 0 for level in DIFFICULTIES}
        for note in self.r.vault.notes:
            level = self.r.facts[note.key].difficulty
            if note.kind == "question" and level in counts:
                counts[level] += 1
        levels = [(self.strings[level], relative_link(path, difficulty_path(level)), count)
                  for level, count in counts.items()]
        title = self.strings["difficulty"]
        markdown = self.r.env.get_template("topics.md.j2").render(
            s={**self.strings, "topics": title}, topics=levels)
        return Page(self.r.language, path, _with_meta({"title": title}, markdown), title=title)

    def hints(self, source: str, keys: list[NoteKey]) -> dict[str, str]:
        """For notes of `keys` whose titles repeat among them, what tells each apart on the
        page `source` (by href): its topic when no other of them has it, else its folder when
        none shares it, else its file name. Tag pages show it after the title."""
        from .render import relative_link

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

    def breadcrumbs(self, path: str, title: str) -> dict[str, Any]:
        """Home, each folder above `path` that has a page, then the page itself (no link), and
        the navigation's label (templates/breadcrumbs.md.j2)."""
        from ..graph.data import page_url, to_root

        root = to_root(path)  # raw HTML, which MkDocs does not rewrite: hrefs are URLs

        def href(target: str) -> str:
            return root + page_url(target) if page_url(target) else root

        crumbs = [{"title": _html_text(self.strings["home"]), "href": href("index.md")}]
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

