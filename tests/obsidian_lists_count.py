"""How many list-shaped lines of a vault's notes a built site shows as list items.

A line is list-shaped when Obsidian reads it as a list item: a bullet or a number with `.` or
`)`, then a space and text, outside fenced code (quoted lines count, without their `>`). It is
shown as a list item when the first words of its text start an `<li>` of its note's page in
either language. Lines whose text the site rewrites (wikilinks shown as titles, say) count as
not shown either way, so the figure is a floor, and comparable between builds.
"""

from __future__ import annotations

import re
import sys
from html.parser import HTMLParser
from pathlib import Path

_ITEM = re.compile(r"^[ \t]*(?:>[ \t]?)*[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+(\S.*)$")
_FENCE = re.compile(r"^[ \t>]*(`{3,}|~{3,})")
_WORD = re.compile(r"\w+")
_WORDS = 4


def probe(text: str) -> str | None:
    words = _WORD.findall(re.sub(r"\[\[[^\]]*\]\]|\]\([^)]*\)|<[^>]+>", " ", text).lower())
    return " ".join(words[:_WORDS]) if len(words) >= 2 else None


def list_lines(body: str) -> list[str]:
    """The probes of the list-shaped lines of a note body."""
    probes, fence = [], None
    for line in body.split("\n"):
        opened = _FENCE.match(line)
        if fence:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = None
            continue
        if opened:
            fence = opened.group(1)
            continue
        item = _ITEM.match(line)
        if item and not re.match(r"^[ \t]*([-*_])([ \t]*\1){2,}[ \t]*$", line):
            found = probe(item.group(1))
            if found:
                probes.append(found)
    return probes


class _Items(HTMLParser):
    """The first words of every `<li>` of a page's article."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: set[str] = set()
        self.current: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "p" and self.current is not None and not "".join(self.current).strip():
            # a loose item: its text is in its paragraph
            return
        if tag in ("li", "ul", "ol", "p", "div", "details") and self.current is not None:
            self._close()
        if tag == "li":
            self.current = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("li", "p") and self.current is not None:
            self._close()

    def handle_data(self, data: str) -> None:
        if self.current is not None:
            self.current.append(data)

    def _close(self) -> None:
        found = probe(" ".join(self.current or []))
        if found:
            self.items.add(found)
        self.current = None


def page_items(html: str) -> set[str]:
    parser = _Items()
    parser.feed(html)
    return parser.items


def count(notes: Path, site: Path) -> tuple[int, int]:
    """(list-shaped lines shown as list items, list-shaped lines) over the vault."""
    from generator.notes.load import load_vault
    from generator.paths import page_path

    shown = total = 0
    for note in load_vault(notes).notes:
        probes = list_lines("\n".join(section.text for section in note.sections))
        if not probes:
            continue
        url = page_path(note.key)[:-3]
        items: set[str] = set()
        for language in ("en", "ru"):
            page = site / language / (url[:-5] if url.endswith("index") else url) / "index.html"
            if page.is_file():
                items |= page_items(page.read_text(encoding="utf-8"))
        total += len(probes)
        shown += sum(1 for found in probes if found in items)
    return shown, total


if __name__ == "__main__":
    shown, total = count(Path(sys.argv[1]), Path(sys.argv[2]))
    print(f"{shown} of {total} list-shaped lines shown as list items ({shown / total:.1%})")
