"""Obsidian's Markdown, shown on the site as Obsidian shows it: one Python-Markdown extension,
`generator.site.obsidian:ObsidianMarkdown` in mkdocs.yml, so any engine that reads mkdocs.yml gets
it. Each rule follows Obsidian's help ("Basic formatting syntax", "Advanced formatting syntax",
"Obsidian Flavored Markdown"); none rewrites code.

- Lists start under a paragraph line without a blank line and nest by the width of their
  parent's marker (2, 3 or 4 spaces, or a tab): `obsidian_lists.normalize`.
- `%%comment%%`, inline or over several lines, is not shown (an unclosed `%%` hides the rest of
  the page, as in Obsidian). Code keeps its `%%`.
- `#tag` in text (after a space or at the start of a line, letters, digits, `_`, `-`, `/`, not
  only digits) is shown as a tag. `#` starts a heading only when a space or the end of the line
  follows it, so a line that starts with a tag stays a paragraph.
- `^block-id` at the end of a paragraph or list item, or alone on the line after a block, is not
  shown: it becomes the block's HTML id (`^block-id`), which `[[note#^block-id]]` links to.
- `![alt|300](url)` and `![alt|300x200](url)` give the image a width (and height).

`==highlight==` is pymdownx.mark's and single line breaks are nl2br's, both in mkdocs.yml.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element

from markdown import Extension, Markdown
from markdown.blockprocessors import HashHeaderProcessor
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from . import obsidian_lists

# After Python-Markdown's whitespace normalisation (30: tabs expanded) and fenced code (25,
# stashed as one-line placeholders, so neither sees code); before raw HTML is stashed (20), so
# that both read the Markdown inside `<div markdown>` (which md_in_html parses without running
# preprocessors again).
_COMMENTS_PRIORITY = 22
_LISTS_PRIORITY = 21

_COMMENT_OR_CODE = re.compile(r"(`+)[^\n]*?(?<!`)\1(?!`)|%%")


def strip_comments(text: str) -> str:
    """`text` without its `%%…%%` comments; inline code spans keep theirs."""
    if "%%" not in text:
        return text
    pieces, last, position = [], 0, 0
    while True:
        match = _COMMENT_OR_CODE.search(text, position)
        if match is None:
            break
        if match.group(0) != "%%":  # a code span: skipped whole
            position = match.end()
            continue
        end = text.find("%%", match.end())
        pieces.append(text[last:match.start()])
        if end < 0:  # unclosed: Obsidian hides the rest of the note
            return "".join(pieces)
        last = position = end + 2
    pieces.append(text[last:])
    return "".join(pieces)


class _Comments(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        return strip_comments(text).split("\n") if "%%" in text else lines


class _Lists(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        return obsidian_lists.normalize(lines)


class _StrictHashHeader(HashHeaderProcessor):
    """A heading needs a space (or the end of the line) after its `#`s, as in CommonMark and
    Obsidian: `#kotlin` at the start of a line is a tag, not a heading."""

    RE = re.compile(r"(?:^|\n)(?P<level>#{1,6})(?=[ \t]|\n|$)"
                    r"(?P<header>(?:\\.|[^\\#]|#+(?=[^#\n]))*?)#*(?:\n|$)")


# Obsidian's tag: after a space or at the start, word characters, `-` and `/`; not only digits.
TAG = re.compile(r"(?<!\S)#([\w/-]+)")


class _Tags(InlineProcessor):
    # types-Markdown gives InlineProcessor the older Pattern's one-argument signature; this one is
    # Python-Markdown's own for inline processors.
    def handleMatch(self, match: re.Match[str],  # type: ignore[override]
                    data: str) -> tuple[Element | None, int | None, int | None]:
        if match.group(1).isdigit():  # `#1`: an issue number, not a tag
            return None, None, None
        element = Element("span", {"class": "md-tag kb-tag"})
        element.text = match.group(0)
        return element, match.start(0), match.end(0)


_BLOCK_ID = re.compile(r"(?:^|\s)\^([A-Za-z0-9-]+)\s*$")
_SIZE = re.compile(r"^(.*?)\|\s*(\d+)(?:\s*x\s*(\d+))?\s*$")


class _BlockIdsAndSizes(Treeprocessor):
    def run(self, root: Element) -> None:
        for parent in list(root.iter()):
            previous: Element | None = None
            for child in list(parent):
                if child.tag == "p" and len(child) == 0 and child.text:
                    alone = _BLOCK_ID.fullmatch(child.text.strip())
                    if alone and previous is not None:  # `^id` on the line after a block
                        previous.set("id", previous.get("id") or "^" + alone.group(1))
                        parent.remove(child)
                        continue
                if child.tag in ("p", "li"):
                    self._trailing_id(child)
                elif child.tag == "img":
                    self._size(child)
                previous = child

    @staticmethod
    def _trailing_id(element: Element) -> None:
        # The id ends the block's own text: before a nested list in a tight item, else after
        # the last inline element (its tail), else the element's text.
        nested = next((at for at, child in enumerate(element) if child.tag in ("ul", "ol")), None)
        end = len(element) if nested is None else nested
        holder = element[end - 1] if end else None
        text = (holder.tail if holder is not None else element.text) or ""
        match = _BLOCK_ID.search(text)
        if not match or element.get("id"):
            return
        text = text[:match.start()].rstrip()
        if holder is not None:
            holder.tail = text
        else:
            element.text = text
        element.set("id", "^" + match.group(1))

    @staticmethod
    def _size(image: Element) -> None:
        match = _SIZE.match(image.get("alt", ""))
        if match:
            image.set("alt", match.group(1).strip())
            image.set("width", match.group(2))
            if match.group(3):
                image.set("height", match.group(3))


class ObsidianMarkdown(Extension):
    """mkdocs.yml: `generator.site.obsidian:ObsidianMarkdown` (module docstring: what it does)."""

    def extendMarkdown(self, md: Markdown) -> None:
        md.preprocessors.register(_Comments(md), "kb_obsidian_comments", _COMMENTS_PRIORITY)
        md.preprocessors.register(_Lists(md), "kb_obsidian_lists", _LISTS_PRIORITY)
        md.parser.blockprocessors.register(_StrictHashHeader(md.parser), "hashheader", 70)
        # After links (160) and autolinks (120), whose `#` is theirs; before emphasis (60),
        # so that `_` inside a tag is the tag's.
        md.inlinePatterns.register(_Tags(TAG.pattern, md), "kb_obsidian_tags", 75)
        # After inline parsing (the `inline` tree processor, 20), before the table of
        # contents (toc, 5) and the check of links (SafeLinks, last).
        md.treeprocessors.register(_BlockIdsAndSizes(md), "kb_obsidian_blocks", 15)
