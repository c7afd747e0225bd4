"""What the engine does to a language's HTML after MkDocs has written it, before the search
index is built from it: the same pages, reproducible and lighter.

- MkDocs' sitemap loses its build-date stamps, so that two builds of the same notes are the
  same bytes.
- Theme files that a site without Material's own search never loads are removed.
- The bundled libraries (Mermaid, KaTeX, the graph's), the same in every language, are kept
  once at the site root, so that a reader's browser fetches and caches them once.
- In the theme's part of a page (all but the `<article>`, which holds the note and has
  little whitespace), runs of whitespace that hold a line break become one line break, outside
  `<pre>`, `<textarea>`, `<script>` and `<style>`: Material's templates indent every tag,
  about a tenth of each page, and HTML renders a run of whitespace as one space whatever it
  holds.
"""

from __future__ import annotations

import gzip
import re
import shutil
from pathlib import Path

from .engine import MATERIAL_SOURCE_MAPS, MATERIAL_UNUSED_FOLDERS

_LASTMOD = re.compile(r"\s*<lastmod>[^<]*</lastmod>")
VENDOR = "assets/vendor"  # theme_overrides/assets/vendor, as MkDocs copies it
_VERBATIM = re.compile(r"<(pre|textarea|script|style)\b.*?</\1>", re.S | re.I)
_BLANKS = re.compile(r"\n[ \t\n]*")


def finish(site_dir: Path, pages: list[Path] | None = None) -> None:
    """`pages`: the HTML files to compact, if not all of the site's (a build that kept the
    others from the last build, finished then)."""
    reproducible_sitemap(site_dir)
    slim_theme_assets(site_dir)
    for page in site_dir.rglob("*.html") if pages is None else pages:
        text = page.read_text(encoding="utf-8")
        compact = compact_html(text)
        if compact != text:
            page.write_text(compact, encoding="utf-8")


def reproducible_sitemap(site_dir: Path) -> None:
    """Make MkDocs' sitemap depend on the notes only. MkDocs gives every page the build date
    as `<lastmod>` and puts it in the .gz header too (also in the empty sitemap of a site
    without a `site_url`), so two builds of the same notes differ from one day to the next. A
    build date is no modification date: the stamp is dropped, the .gz written without one.
    With a `site_url`, `assembly.write_sitemaps` replaces the file after both languages are
    built."""
    sitemap = site_dir / "sitemap.xml"
    if not sitemap.is_file():
        return
    text = _LASTMOD.sub("", sitemap.read_text(encoding="utf-8"))
    sitemap.write_text(text, encoding="utf-8")
    with open(site_dir / "sitemap.xml.gz", "wb") as raw, \
            gzip.GzipFile(filename="sitemap.xml", mode="wb", fileobj=raw, mtime=0) as packed:
        packed.write(text.encode("utf-8"))


def slim_theme_assets(site_dir: Path) -> None:
    for folder in MATERIAL_UNUSED_FOLDERS:
        shutil.rmtree(site_dir / folder, ignore_errors=True)
    for source_map in site_dir.glob(MATERIAL_SOURCE_MAPS):
        source_map.unlink()


def share_vendor(site_dir: Path, languages: tuple[str, ...]) -> None:
    """Move the first language's bundled libraries to the site root and drop the others'
    copies (the pages were built to look there: project.project_config)."""
    copies = [site_dir / language / VENDOR for language in languages
              if (site_dir / language / VENDOR).is_dir()]
    if not copies:
        return
    shared = site_dir / VENDOR
    shared.parent.mkdir(parents=True, exist_ok=True)
    copies[0].rename(shared)
    for copy in copies[1:]:
        shutil.rmtree(copy)


def compact_html(text: str) -> str:
    """The page with its theme's whitespace compacted (module docstring); the article as
    MkDocs wrote it."""
    start = text.find("<article")
    end = text.rfind("</article>")
    if start < 0 or end < start:
        return _compact(text)
    return _compact(text[:start]) + text[start:end] + _compact(text[end:])


def _compact(text: str) -> str:
    """`text` with every whitespace run that holds a line break made one line break, except
    inside elements whose whitespace shows (or, in scripts, could matter)."""
    parts = []
    position = 0
    for verbatim in _VERBATIM.finditer(text):
        parts.append(_BLANKS.sub("\n", text[position:verbatim.start()]))
        parts.append(verbatim.group(0))
        position = verbatim.end()
    parts.append(_BLANKS.sub("\n", text[position:]))
    return "".join(parts)
