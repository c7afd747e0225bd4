"""Surgical edits of a note's front matter: change one value or one list item in the file's
text and leave every other character as it was (comments, key order, quoting, blank lines,
the body). YAML is never dumped again.

Where things are comes from the parser: `split_front_matter` finds the fences and the line of
every key (FrontMatter.key_lines / item_lines, the lines diagnostics point at), and composing
the same YAML to nodes gives the exact character span of each value and item on those lines.
Edits are (start, end, text) replacements in the file's text, applied together from the end.

`fix` (repairs) and `new` (filling a template's fields) both write through here.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import yaml

from ..model import FrontMatter
from ..notes.frontmatter import split_front_matter

Style = Literal["plain", "'", '"']
ValueKind = Literal["empty", "scalar", "flow", "block", "other"]


@dataclass(frozen=True)
class Edit:
    start: int  # character offsets in the file's text
    end: int
    text: str
    field: str | None = None  # the key it changes, so that two repairs of one key can wait

    def overlaps(self, other: Edit) -> bool:
        if self.start == self.end or other.start == other.end:  # an insertion
            return self.start <= other.end and other.start <= self.end
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class Scalar:
    """A scalar value or list item as written: its span, its source text, its value."""

    start: int
    end: int
    source: str
    value: str  # the text YAML reads (a date or number still as text)
    style: Style
    line: int  # 1-based file line


@dataclass(frozen=True)
class Field:
    key: str
    line: int  # 1-based line of the key
    colon: int  # offset just after the key's ':'
    kind: ValueKind
    start: int  # span of the value (start == end == colon for an empty value)
    end: int
    scalar: Scalar | None  # the value, when it is one scalar
    items: tuple[Scalar, ...]  # the items, when it is a list of scalars (() otherwise)
    items_are_scalars: bool


@dataclass(frozen=True)
class FrontMatterText:
    text: str
    front: FrontMatter
    fields: dict[str, Field]

    @classmethod
    def parse(cls, text: str) -> FrontMatterText | None:
        """The front matter's layout, or None when there is no front matter to edit or its
        YAML does not parse (then there is nothing a mechanical edit can be sure of)."""
        lines = text.split("\n")
        front, _, problems = split_front_matter("", lines)
        if front.start_line == 0 or any(p.code in ("FM004", "FM005", "FM007") for p in problems):
            return None
        base = len(lines[0]) + 1  # offset of the front matter's first YAML line
        yaml_text = "\n".join(lines[1:front.end_line - 1])
        try:
            # The pure-Python loader: its marks count characters, libyaml's may not.
            node = yaml.compose(yaml_text, Loader=yaml.SafeLoader)
        except yaml.YAMLError:
            return None
        fields: dict[str, Field] = {}
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode):
                    fields[str(key_node.value)] = _field(text, base, key_node, value_node)
        return cls(text=text, front=front, fields=fields)

    def line_span(self, line: int) -> tuple[int, int]:
        """Offsets of the start and end (before its newline) of a 1-based line."""
        return line_span(self.text, line)


def line_span(text: str, line: int) -> tuple[int, int]:
    """Offsets of the start and end (before its newline) of a 1-based line of `text`."""
    start = 0
    for _ in range(line - 1):
        start = text.index("\n", start) + 1
    end = text.find("\n", start)
    return start, len(text) if end < 0 else end


def replace_lines(text: str, first: int, last: int, lines: list[str]) -> Edit:
    """Lines `first`..`last` (1-based, inclusive) become `lines`; the line end after `last`
    and everything after it stay as they are."""
    start, _ = line_span(text, first)
    _, end = line_span(text, last)
    return Edit(start, end, "\n".join(lines))


def _field(text: str, base: int, key_node: yaml.Node, value: yaml.Node) -> Field:
    key = str(key_node.value)
    line = key_node.start_mark.line + 2
    colon = text.index(":", base + key_node.end_mark.index) + 1
    start, end = base + value.start_mark.index, base + value.end_mark.index
    if isinstance(value, yaml.ScalarNode):
        if start == end or value.end_mark.index <= key_node.end_mark.index:
            return Field(key, line, colon, "empty", colon, colon, None, (), False)
        if value.style in ("|", ">"):
            return Field(key, line, colon, "other", start, end, None, (), False)
        scalar = _scalar(text, base, value)
        return Field(key, line, colon, "scalar", start, end, scalar, (), False)
    if isinstance(value, yaml.SequenceNode):
        items = tuple(_scalar(text, base, item) for item in value.value
                      if isinstance(item, yaml.ScalarNode) and item.style not in ("|", ">"))
        scalars = len(items) == len(value.value)
        if value.flow_style:
            return Field(key, line, colon, "flow", start, end, None, items, scalars)
        if not scalars or not items:
            return Field(key, line, colon, "other", start, end, None, items, False)
        # A block list's node runs on to the next key, over comments: its value is taken to
        # be from the colon to the end of its last item.
        return Field(key, line, colon, "block", colon, items[-1].end, None, items, True)
    return Field(key, line, colon, "other", start, end, None, (), False)


def _scalar(text: str, base: int, node: yaml.ScalarNode) -> Scalar:
    start, end = base + node.start_mark.index, base + node.end_mark.index
    style: Style = "'" if node.style == "'" else '"' if node.style == '"' else "plain"
    return Scalar(start, end, text[start:end], node.value, style, node.start_mark.line + 2)


# --- writing values ----------------------------------------------------------------------------

def render(value: str, style: Style = "plain", flow: bool = False) -> str:
    """A string as a YAML scalar: in `style` when that reads back as the same string, else
    plain, single- or double-quoted, the first that does. `flow`: inside [ ]."""
    styles: tuple[Style, ...] = ("plain", "'", '"')
    order = [style] + [s for s in styles if s != style]
    for candidate in order:
        written = _write(value, candidate)
        if written is not None and _reads_back(written, value, flow):
            return written
    return json.dumps(value, ensure_ascii=False)


def render_date(value: dt.date, style: Style) -> str:
    """A date as written by the vault: plain (a YAML date) or in the quotes it had."""
    text = value.isoformat()
    return text if style == "plain" else f"{style}{text}{style}"


def render_list(values: list[str]) -> str:
    return "[" + ", ".join(render(value, flow=True) for value in values) + "]"


def _write(value: str, style: Style) -> str | None:
    if style == "'":
        return None if "\n" in value else "'" + value.replace("'", "''") + "'"
    if style == '"':
        return json.dumps(value, ensure_ascii=False)
    return value if value.strip() == value and value else None


def _reads_back(written: str, value: str, flow: bool) -> bool:
    try:
        loaded = yaml.safe_load(f"k: [{written}]" if flow else f"k: {written}")
    except yaml.YAMLError:
        return False
    got = loaded.get("k") if isinstance(loaded, dict) else None
    return got == [value] if flow else got == value


# --- edits ------------------------------------------------------------------------------------

def set_value(field: Field, text: str) -> Edit:
    """Replace a key's whole value (or give an empty key one), comment after it kept."""
    if field.kind in ("empty", "block"):
        return Edit(field.colon, field.end, " " + text, field.key)
    return Edit(field.start, field.end, text, field.key)


def replace_item(field: Field, item: Scalar, text: str) -> Edit:
    return Edit(item.start, item.end, text, field.key)


def add_items(fm: FrontMatterText, field: Field, values: list[str],
              order: Callable[[str], Any] | None = None) -> list[Edit]:
    """Add items to a list, in the list's own layout: where `order` puts them when the list
    is already in that order, else at the end. [] when the layout is not one a line edit can
    extend safely."""
    if not values:
        return []
    if field.kind == "empty":
        return [set_value(field, render_list(values))]
    if field.kind == "flow" and not field.items:
        return [Edit(field.start, field.end, render_list(values), field.key)]
    if not field.items or not field.items_are_scalars or field.kind not in ("flow", "block"):
        return []
    items = field.items
    existing = [item.value for item in items]
    keep_order = order is not None and len(items) > 1 and existing == sorted(existing, key=order)
    at: dict[int, list[str]] = {}
    for value in values:
        position = len(items)
        if keep_order:
            assert order is not None
            position = next((i for i, item in enumerate(existing) if order(item) > order(value)),
                            len(items))
        at.setdefault(position, []).append(value)
    edits = []
    for position, group in at.items():
        edit = _insert(fm, field, position, group)
        if edit is None:
            return []
        edits.append(edit)
    return edits


def _insert(fm: FrontMatterText, field: Field, position: int, values: list[str]) -> Edit | None:
    items = field.items
    anchor = items[min(position, len(items) - 1)]
    style = anchor.style
    if field.kind == "flow":
        multi_line = len({item.line for item in items}) > 1
        written = [render(value, style, flow=True) for value in values]
        if not multi_line:
            if position < len(items):
                return Edit(anchor.start, anchor.start, "".join(w + ", " for w in written),
                            field.key)
            return Edit(anchor.end, anchor.end, "".join(", " + w for w in written), field.key)
        start, _ = fm.line_span(anchor.line)
        indent = fm.text[start:anchor.start]
        if not re.fullmatch(r"[ \t]*", indent):
            return None
        if position < len(items):
            return Edit(start, start, "".join(f"{indent}{w},\n" for w in written), field.key)
        return Edit(anchor.end, anchor.end, "".join(f",\n{indent}{w}" for w in written),
                    field.key)
    start, end = fm.line_span(anchor.line)
    prefix = fm.text[start:anchor.start]
    if not re.fullmatch(r"[ \t]*-[ \t]+", prefix):
        return None
    written = [render(value, style) for value in values]
    if position < len(items):
        return Edit(start, start, "".join(f"{prefix}{w}\n" for w in written), field.key)
    return Edit(end, end, "".join(f"\n{prefix}{w}" for w in written), field.key)


def remove_item(fm: FrontMatterText, field: Field, index: int) -> Edit | None:
    """Remove one item (with its comma, or its line in a block list)."""
    items = field.items
    if not field.items_are_scalars or index >= len(items):
        return None
    item = items[index]
    if field.kind == "flow":
        if index > 0:
            if items[index - 1].line != item.line:  # multi-line flow list: keep it simple
                return _remove_line(fm, field, item)
            return Edit(items[index - 1].end, item.end, "", field.key)
        if len(items) > 1 and items[1].line == item.line:
            return Edit(item.start, items[1].start, "", field.key)
        return _remove_line(fm, field, item) if len(items) > 1 else None
    if field.kind == "block":
        return _remove_line(fm, field, item)
    return None


def _remove_line(fm: FrontMatterText, field: Field, item: Scalar) -> Edit | None:
    """Remove the line an item stands on alone (`  - x`, `  x,` in a multi-line flow list)."""
    start, end = fm.line_span(item.line)
    before, after = fm.text[start:item.start], fm.text[item.end:end]
    if not re.fullmatch(r"[ \t]*(?:-[ \t]+)?", before) or \
            not re.fullmatch(r"[ \t]*,?[ \t]*(?:#.*)?", after):
        return None
    if field.kind == "flow" and "," not in after:
        return None  # the last item of a multi-line flow list: its comma is on the line above
    return Edit(start, end + 1, "", field.key)


def reorder_items(field: Field, order: list[int]) -> list[Edit]:
    """Put item order[i] where item i is, each keeping its own quoting."""
    if not field.items_are_scalars:
        return []
    return [Edit(item.start, item.end, field.items[source].source, field.key)
            for index, (item, source) in enumerate(zip(field.items, order, strict=True))
            if source != index]


def apply(text: str, edits: list[Edit]) -> str:
    """Apply non-overlapping edits (callers drop or defer the ones that overlap)."""
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        text = text[:edit.start] + edit.text + text[edit.end:]
    return text


def without_overlaps(edits: list[Edit]) -> tuple[list[Edit], list[Edit]]:
    """(edits to apply now, edits that overlap one of them and must wait)."""
    kept: list[Edit] = []
    waiting: list[Edit] = []
    for edit in edits:
        (waiting if any(edit.overlaps(other) for other in kept) else kept).append(edit)
    return kept, waiting
