"""Search index per language, built by Pagefind after MkDocs has written the HTML.

Why Pagefind and not Material's built-in search: Material's lunr index does not stem Russian
(«корутины» does not find «корутина»), every reader downloads the whole index (tens of MB on a
real vault), and building it costs about half of MkDocs' time on a real vault. Pagefind ships as
a binary inside its PyPI wheel, stems both languages (it reads `<html lang>`), and splits the
index into chunks that a query fetches on demand.

Only elements marked `data-pagefind-body` are indexed (the article of each page; see
theme_overrides/main.html), so navigation and the other language never enter the index. Within
it, code blocks are left out (inline code stays): a query for a concept should find the notes
that explain it, not every note whose Kotlin says `val`; they were a third of the index's size
and of its build time on a real vault. The related and backlink lists are marked
`data-pagefind-ignore` in the note template, so that a page is not found for the titles of the
pages it links to.

Ranking is set by weights in the note template (templates/note.md.j2), not here: the title at
`data-pagefind-weight="10"`, and a hidden `.kb-search-terms` paragraph with the note's aliases
(weight 5), or a concept's title and aliases (weight 10), so that a topic's concept note outranks
the many questions that use the topic's word (bench/search_rank.py measures it).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from ..model import Language

BUNDLE_DIR = "pagefind"


class SearchIndexError(Exception):
    pass


def exists(site_dir: Path) -> bool:
    """Whether `site_dir` holds a search index (one kept from the last build)."""
    return (site_dir / BUNDLE_DIR).is_dir()


def index_site(site_dir: Path, language: Language) -> None:
    """Write `site_dir/pagefind/` for the HTML under `site_dir`, in place of any there (an index
    kept from the last build is of its pages). The new index is written beside the old one and
    put in its place when complete, so that a reader of a served site (the preview re-indexes
    while it serves) never fetches half an index."""
    bundle = site_dir / BUNDLE_DIR
    fresh = site_dir / f".{BUNDLE_DIR}-next"
    shutil.rmtree(fresh, ignore_errors=True)
    command = [
        sys.executable, "-m", "pagefind", "--site", str(site_dir),
        "--output-path", str(fresh), "--force-language", language,
        "--exclude-selectors", ".headerlink", "--exclude-selectors", "div.highlight",
        "--silent",
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        shutil.rmtree(fresh, ignore_errors=True)
        raise SearchIndexError(
            f"pagefind failed for {site_dir} ({result.returncode}): "
            f"{(result.stderr or result.stdout).strip()[:2000]}")
    stale = site_dir / f".{BUNDLE_DIR}-stale"
    shutil.rmtree(stale, ignore_errors=True)
    if bundle.exists():
        bundle.rename(stale)
    fresh.rename(bundle)
    shutil.rmtree(stale, ignore_errors=True)
