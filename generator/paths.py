"""Where every page of the site goes and what its address is: the one module that knows.

Three kinds of string name a page, each with a type of its own (a `str` at run time):

- `NoteKey` (model.py): a note's path in the vault, `70-Kotlin/q-x.md`;
- `DocsPath`: a page's file relative to a language's docs folder, `70-Kotlin/q-x.md`,
  `topics/kotlin.md`, `graph.json`. Every page sits at the same DocsPath in both language
  trees, so the language switcher and hreflang links only swap the language folder;
- `PageUrl`: a page's address relative to its language's root, as MkDocs makes it with
  `use_directory_urls` (mkdocs.yml): `70-Kotlin/q-x/`, `topics/`, and `` for the home page.

A link from one page to another is an href built from them: `relative_link` in Markdown (MkDocs
turns it into the target's URL), `to_root(page) + page_url(target)` in raw HTML, which MkDocs
does not rewrite.

A note's page has the note's own path (`page_path`), except where the generator writes a page
of its own. These DocsPaths are reserved:

- `index.md` (the home page), `graph.md` (the graph), `mocs/index.md` (the maps of content),
  `study/index.md` (study mode);
- every page in `topics/`, `tags/` and `difficulty/` (one per topic, tag and level, whose
  names come from the notes and grow with the vault);
- `index.md` in every folder (`70-Kotlin/index.md`): the folder's page, which lists its notes
  and subfolders (generator/site/index_pages.py), so that a folder's address is never a 404.

A note at a reserved path (`topics/kotlin.md`, say) is published under `_notes/` with the rest
of its path (`_notes/topics/kotlin.md`): no note can be there, since the loader reads no folder
whose name starts with `_`. `validate` reports it (ID004), so that the author can move it.
The data files (`graph.json`, `study.json`, `search-names.json`) are not `.md`, so no note's
page can take their place.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NewType
from urllib.parse import quote

from .model import Language, NoteKey

DocsPath = NewType("DocsPath", str)  # a page's file, relative to a language's docs folder
PageUrl = NewType("PageUrl", str)  # a page's address, relative to its language's root

# The generator's own pages and data files.
HOME = DocsPath("index.md")
GRAPH_PAGE = DocsPath("graph.md")
GRAPH_JSON = DocsPath("graph.json")  # generator/graph/data.py
MOC_INDEX = DocsPath("mocs/index.md")  # the navigation links it instead of every map
STUDY_PAGE = DocsPath("study/index.md")
STUDY_JSON = DocsPath("study.json")  # generator/site/study.py
SEARCH_NAMES_JSON = DocsPath("search-names.json")  # generator/site/data_files.py
TOPICS_INDEX = DocsPath("topics/index.md")
TAGS_INDEX = DocsPath("tags/index.md")
DIFFICULTY_INDEX = DocsPath("difficulty/index.md")

RESERVED_PAGES = frozenset({HOME, GRAPH_PAGE, MOC_INDEX, STUDY_PAGE})
RESERVED_FOLDERS = ("topics/", "tags/", "difficulty/")
MOVED_TO = "_notes/"


def is_reserved(path: str) -> bool:
    """Whether the generator writes a page of its own at this docs-relative path."""
    return path in RESERVED_PAGES or (path.startswith(RESERVED_FOLDERS) and path.endswith(".md")) \
        or path.lower().endswith("/index.md")


def page_path(key: NoteKey) -> DocsPath:
    """The DocsPath of a note's page: the note's key, or under `_notes/` when it is reserved."""
    return DocsPath(MOVED_TO + key if is_reserved(key) else key)


def folder_page(folder: str) -> DocsPath:
    """The DocsPath of a folder's page (`70-Kotlin` -> `70-Kotlin/index.md`)."""
    return DocsPath(f"{folder}/index.md")


def slug(text: str) -> str:
    """A name as a file name of the site: lower case, runs of other characters as `-`."""
    return re.sub(r"[^\w]+", "-", text.strip().lower()).strip("-") or "untitled"


def topic_page(topic: str) -> DocsPath:
    """The DocsPath of a topic's page (`Kotlin` -> `topics/kotlin.md`)."""
    return DocsPath(f"topics/{slug(topic)}.md")


def difficulty_page(level: str) -> DocsPath:
    """The DocsPath of a difficulty's page (`easy` -> `difficulty/easy.md`)."""
    return DocsPath(f"difficulty/{level}.md")


def tag_pages(tags: Iterable[str]) -> dict[str, DocsPath]:
    """The DocsPath of every tag's page, `tags/<slug>.md`; tags whose slugs clash (`C++`, `c`)
    get a number in the order of their sorted names, so every tag has a page of its own."""
    paths: dict[str, DocsPath] = {}
    taken: set[str] = set()
    for tag in sorted(set(tags)):
        base = slug(tag)
        name, number = base, 2
        while name in taken or name == "index":
            name, number = f"{base}-{number}", number + 1
        taken.add(name)
        paths[tag] = DocsPath(f"tags/{name}.md")
    return paths


def page_url(path: DocsPath) -> PageUrl:
    """The PageUrl of a DocsPath: `a/b.md` -> `a/b/`, `a/index.md` -> `a/`, `index.md` -> ``."""
    stem = path[:-3] if path.endswith(".md") else path
    if stem == "index" or stem.endswith("/index"):
        stem = stem[:-5]
    else:
        stem += "/"
    return PageUrl(quote(stem))


def to_root(path: DocsPath) -> str:
    """An href from the page at DocsPath `path` to its language's root (`../../`, or `./`)."""
    return "../" * page_url(path).count("/") or "./"


def relative_link(source: DocsPath, target: DocsPath, anchor: str | None = None) -> str:
    """A Markdown link target from the page at DocsPath `source` to the one at `target`."""
    # Plain string work: posixpath.relpath consults the working directory on every call.
    folders = source.split("/")[:-1]
    parts = target.split("/")
    common = 0
    while common < len(folders) and common < len(parts) - 1 and folders[common] == parts[common]:
        common += 1
    link = quote("../" * (len(folders) - common) + "/".join(parts[common:]))
    return f"{link}#{quote(anchor)}" if anchor else link


def other_language_href(path: DocsPath, language: Language) -> str:
    """An href from the page at DocsPath `path` to the same page in `language`'s tree."""
    url = page_url(path)
    return "../" * (url.count("/") + 1) + f"{language}/" + url
