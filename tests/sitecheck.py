"""Helpers that read a built site the way a reader's browser would."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, dict[str, str | None]]] = []
        self._article = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self._article += 1
        if tag == "a":
            attributes = dict(attrs)
            if attributes.get("href"):
                attributes["_in_article"] = "1" if self._article else None
                self.links.append((attributes["href"] or "", attributes))

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self._article -= 1


def page_file(site: Path, url_path: str) -> Path | None:
    """The file a path on the site serves, or None (a 404)."""
    path = site / unquote(url_path.split("#")[0].split("?")[0]).lstrip("/")
    if path.is_dir():
        path = path / "index.html"
    return path if path.is_file() else None


def links_of(html_file: Path, in_article: bool = False) -> list[str]:
    parser = _Links()
    parser.feed(html_file.read_text(encoding="utf-8"))
    return [href for href, attrs in parser.links
            if not in_article or attrs.get("_in_article")]


def resolve(site: Path, html_file: Path, href: str) -> str | None:
    """The site path `href` on `html_file` points to, or None for external/anchor links."""
    if href.startswith(("#", "mailto:", "javascript:")) or urlparse(href).scheme:
        return None
    base = "/" + html_file.relative_to(site).as_posix()
    return urlparse(urljoin(base, href)).path


def note_url(key: str) -> str:
    """The URL path of a note's page within a language tree."""
    return re.sub(r"\.md$", "/", key)


def tree(site: Path) -> dict[str, bytes]:
    """Every file of a built site by its site-relative path: two builds compared byte for byte."""
    return {path.relative_to(site).as_posix(): path.read_bytes()
            for path in sorted(site.rglob("*")) if path.is_file()}
