"""Helpers for the fidelity tests (test_fidelity_*.py): a small vault built once per module,
and the built pages read as a reader's browser and screen reader do (which language each
passage is in, which headings and ids a page has)."""

from __future__ import annotations

import textwrap
from html.parser import HTMLParser
from pathlib import Path

from generator.cli import main

from .sitecheck import note_url, page_file

_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "source", "track", "wbr"})


def build_small_vault(root: Path, files: dict[str, str]) -> Path:
    """`files` ({path: text}, dedented) written into root/notes and built into root/site."""
    notes = root / "notes"
    for name, text in files.items():
        target = notes / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    site = root / "site"
    assert main(["build", "--notes", str(notes), "--site", str(site), "--allow-errors",
                 "--quiet", "--cache-dir", str(root / "cache")]) == 0
    return site


class Article(HTMLParser):
    """A page's article: its text runs, each with the language a screen reader reads it in
    (the nearest `lang` above it, the page's own when none), its headings and its ids. Hidden
    elements (`hidden`: text for link previews and search only) are not read."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.page_language = ""
        self.runs: list[tuple[str, str]] = []  # (text, language)
        self.headings: list[tuple[str, str, dict[str, str | None]]] = []  # (tag, text, attributes)
        self.ids: set[str] = set()
        self._stack: list[tuple[str, str | None, bool]] = []  # (tag, lang, hidden)
        self._article = 0
        self._heading: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "html":
            self.page_language = attributes.get("lang") or ""
        if tag == "article":
            self._article += 1
        if self._article and attributes.get("id"):
            self.ids.add(attributes["id"] or "")
        if self._article and tag in _HEADINGS:
            self.headings.append((tag, "", attributes))
            self._heading = []
        if tag not in _VOID:
            self._stack.append((tag, attributes.get("lang"), "hidden" in attributes))

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self._article -= 1
        if tag in _HEADINGS and self._heading is not None:
            level, _, attributes = self.headings[-1]
            self.headings[-1] = (level, "".join(self._heading).strip(" ¶\n"), attributes)
            self._heading = None
        for at in range(len(self._stack) - 1, -1, -1):
            if self._stack[at][0] == tag:
                del self._stack[at:]
                break

    def handle_data(self, data: str) -> None:
        if self._heading is not None:
            self._heading.append(data)
        if self._article and data.strip() and not any(hidden for *_, hidden in self._stack):
            language = next((lang for _, lang, _ in reversed(self._stack) if lang),
                            self.page_language)
            self.runs.append((data, language))

    def language_of(self, text: str) -> str:
        """The language the text run holding `text` is read in."""
        found = [language for run, language in self.runs if text in run]
        assert found, f"{text!r} is not on the page"
        return found[0]

    def count(self, text: str) -> int:
        """How many times `text` is in the article's text."""
        return sum(run.count(text) for run, _ in self.runs)

    def heading(self, text: str) -> tuple[str, dict[str, str | None]]:
        """(tag, attributes) of the first heading that reads `text`."""
        found = [(tag, attributes) for tag, shown, attributes in self.headings if shown == text]
        assert found, f"no heading {text!r} among {[shown for _, shown, _ in self.headings]}"
        return found[0]


def article(site: Path, language: str, key: str) -> Article:
    found = page_file(site / language, note_url(key))
    assert found is not None, f"no {language} page for {key}"
    return Article(found.read_text(encoding="utf-8"))
