"""The site's sitemaps: one per language, an index of them at the root, and robots.txt.

MkDocs writes a `sitemap.xml` per language (only when the site has a `site_url`) and stamps
every page with the build date. After both languages are built, `assembly.write_sitemaps`
replaces it with ours: every page of the language once, by its absolute URL. No `<lastmod>`: a
build date is no modification date. The output depends on the pages only, so two builds of the
same notes write the same bytes (the .gz too: no time stamp in its header).

No `xhtml:link` hreflang pairs: every page declares its translations and `x-default` in its head
(theme_overrides/main.html), which search engines read as they read a sitemap's pairs, and
Material's instant navigation fetches this file on a reader's first visit (the `<loc>` of every
page it may load without a full reload), so every page of the language stays listed but
nothing else: on the real vault (1,694 pages a language) the pairs made it 3.7 times larger
(598 KB, 31 KB compressed; 160 KB, 15 KB without).

At the site's root, `sitemap.xml` is a sitemap index naming the per-language sitemaps, and
`robots.txt` names it (crawlers read robots.txt only at a host's root: for a site under a path
it is there for the host's own robots.txt to copy the `Sitemap:` line from).
"""

from __future__ import annotations

import gzip
from collections.abc import Collection, Mapping
from pathlib import Path

from ..model import LANGUAGES, Language

XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
HEADER = f'{XML_DECLARATION}<urlset xmlns="{NAMESPACE}">\n'
INDEX_HEADER = f'{XML_DECLARATION}<sitemapindex xmlns="{NAMESPACE}">\n'


def sitemap_xml(language: Language, urls: Mapping[str, Collection[Language]],
                site_url: str) -> str:
    """The sitemap of `language`: `urls` maps a page's URL (relative to a language root, as
    paths.page_url makes it) to the languages that have that page; `site_url` is the site's root
    (the folder holding en/ and ru/)."""
    root = _root(site_url)
    parts = [HEADER]
    for url in sorted(url for url, languages in urls.items() if language in languages):
        parts.append(f"  <url><loc>{_text(root + language + '/' + url)}</loc></url>\n")
    parts.append("</urlset>\n")
    return "".join(parts)


def sitemap_index_xml(languages: Collection[Language], site_url: str) -> str:
    """The root's sitemap index: the sitemap of each of `languages`, in the site's order."""
    root = _root(site_url)
    entries = [f"  <sitemap><loc>{_text(root + language + '/sitemap.xml')}</loc></sitemap>\n"
               for language in LANGUAGES if language in languages]
    return INDEX_HEADER + "".join(entries) + "</sitemapindex>\n"


def robots_txt(site_url: str) -> str:
    """Every page may be crawled; the sitemap index is at the site's root."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {_root(site_url)}sitemap.xml\n"


def write_root_sitemap(site_dir: Path, languages: Collection[Language], site_url: str) -> None:
    """Write the sitemap index and robots.txt at the root of the built site (`site_dir`)."""
    (site_dir / "sitemap.xml").write_text(sitemap_index_xml(languages, site_url),
                                          encoding="utf-8")
    (site_dir / "robots.txt").write_text(robots_txt(site_url), encoding="utf-8")


def write_sitemap(site_dir: Path, language: Language, urls: Mapping[str, Collection[Language]],
                  site_url: str) -> None:
    """Write `sitemap.xml` and `sitemap.xml.gz` into a language's built site (`site_dir`),
    replacing MkDocs' own. Replaced, not written into: the file MkDocs wrote is also the one
    the build keeps for the next (generator/site/previous_build.py), which must stay as it was."""
    text = sitemap_xml(language, urls, site_url).encode("utf-8")
    for name in ("sitemap.xml", "sitemap.xml.gz"):
        (site_dir / name).unlink(missing_ok=True)
    (site_dir / "sitemap.xml").write_bytes(text)
    with open(site_dir / "sitemap.xml.gz", "wb") as raw, \
            gzip.GzipFile(filename="sitemap.xml", mode="wb", fileobj=raw, mtime=0) as packed:
        packed.write(text)


def _root(site_url: str) -> str:
    return site_url.rstrip("/") + "/"


def _text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
