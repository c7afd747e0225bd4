"""Where a note's page goes, and the paths the generator keeps for its own pages.

A note's page has the note's own path in each language's docs (`70-Kotlin/q-x.md`, URL
`70-Kotlin/q-x/`), except where the generator writes a page of its own. These docs-relative
paths are reserved:

- `index.md` (the home page), `graph.md` (the graph), `mocs/index.md` (the maps of content),
  `study/index.md` (study mode);
- every page in `topics/`, `tags/` and `difficulty/` (one per topic, tag and level, whose
  names come from the notes and grow with the vault);
- `index.md` in every folder (`70-Kotlin/index.md`): the folder's page, which lists its notes
  and subfolders (generator/site/index_pages.py), so that a folder's address is never a 404.

A note at a reserved path (`topics/kotlin.md`, say) is published under `_notes/` with the rest
of its path (`_notes/topics/kotlin.md`): no note can be there, since the loader reads no folder
whose name starts with `_`. `validate` reports it (ID004), so that the author can move it.
"""

from __future__ import annotations

from .model import NoteKey

RESERVED_PAGES = frozenset({"index.md", "graph.md", "mocs/index.md", "study/index.md"})
RESERVED_FOLDERS = ("topics/", "tags/", "difficulty/")
MOVED_TO = "_notes/"


def is_reserved(path: str) -> bool:
    """A docs-relative path the generator writes a page of its own at."""
    return path in RESERVED_PAGES or (path.startswith(RESERVED_FOLDERS) and path.endswith(".md")) \
        or path.lower().endswith("/index.md")


def folder_page(folder: str) -> str:
    """The page of a folder of notes (`70-Kotlin` -> `70-Kotlin/index.md`)."""
    return f"{folder}/index.md"


def page_path(key: NoteKey) -> str:
    """The page of a note, relative to a language's docs folder."""
    return MOVED_TO + key if is_reserved(key) else key
