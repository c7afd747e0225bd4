"""Per-language sitemaps that pair each page with its translation.

MkDocs writes a `sitemap.xml` per language (only when the site has a `site_url`) that knows
nothing of the other language, and stamps every page with the build date. After both languages
are built, `engine.build_site` replaces it with ours: every page of the language once, with an
`xhtml:link rel="alternate" hreflang` to each language that has the same page (the pages of a
note sit at the same path in both trees), as search engines read translations from a sitemap.
No `<lastmod>`: a build date is no modification date. The output depends on the pages only, so
two builds of the same notes write the same bytes (the .gz too: no time stamp in its header).

Material's instant navigation reads this file too (the `<loc>` of every page it may load
without a full reload), so every page of the language must stay listed.
"""

from __future__ import annotations

import gzip
from collections.abc import Collection, Mapping
from pathlib import Path
from urllib.parse import quote
from xml.sax.saxutils import quoteattr

from .model import LANGUAGES, Language

HEADER = ('<?xml version="1.0" encoding="UTF-8"?>\n'
          '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
          ' xmlns:xhtml="http://www.w3.org/1999/xhtml">\n')


def page_url(path: str) -> str:
    """A page's URL relative to its language's root, as MkDocs makes it with
    `use_directory_urls`: `index.md` -> ``, `a/index.md` -> `a/`, `a/b.md` -> `a/b/`."""
    stem = path[:-3] if path.endswith(".md") else path
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        stem = stem[:-6]
    return quote(stem) + "/"


def sitemap_xml(language: Language, urls: Mapping[str, Collection[Language]],
                site_url: str) -> str:
    """The sitemap of `language`: `urls` maps a page URL (relative to a language root, as
    `page_url` makes it) to the languages that have that page; `site_url` is the site's root
    (the folder holding en/ and ru/)."""
    root = site_url.rstrip("/") + "/"
    parts = [HEADER]
    for url in sorted(url for url, languages in urls.items() if language in languages):
        parts.append(f"  <url>\n    <loc>{_text(root + language + '/' + url)}</loc>\n")
        languages = [other for other in LANGUAGES if other in urls[url]]
        if len(languages) > 1:
            for other in languages:
                href = quoteattr(root + other + "/" + url)
                parts.append(f'    <xhtml:link rel="alternate" hreflang="{other}" href={href}/>\n')
        parts.append("  </url>\n")
    parts.append("</urlset>\n")
    return "".join(parts)


def write_sitemap(site_dir: Path, language: Language, urls: Mapping[str, Collection[Language]],
                  site_url: str) -> None:
    """Write `sitemap.xml` and `sitemap.xml.gz` into a language's built site (`site_dir`),
    replacing MkDocs' own. Replaced, not written into: the file MkDocs wrote is also the one
    the build keeps for the next (generator/previous_build.py), which must stay as it was."""
    text = sitemap_xml(language, urls, site_url).encode("utf-8")
    for name in ("sitemap.xml", "sitemap.xml.gz"):
        (site_dir / name).unlink(missing_ok=True)
    (site_dir / "sitemap.xml").write_bytes(text)
    with open(site_dir / "sitemap.xml.gz", "wb") as raw, \
            gzip.GzipFile(filename="sitemap.xml", mode="wb", fileobj=raw, mtime=0) as packed:
        packed.write(text)


def _text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
