"""`kb fix`'s repairs of the `tags` list (fix.py applies them): each turns its diagnostics
into text edits where the list is written."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..checks.validate import _tag_order
from ..model import Diagnostic
from ..notes.placeholders import is_placeholder
from .yaml_edit import Edit, Field, Scalar, add_items, remove_item, render, reorder_items, replace_item

if TYPE_CHECKING:
    from .fix import Context


def _tags(ctx: Context) -> tuple[Field | None, list[Scalar]]:
    tags = ctx.field("tags")
    if tags is None or tags.kind not in ("flow", "block", "empty"):
        return None, []
    return tags, [item for item in tags.items if not is_placeholder(item.value)]


def difficulty_tag(ctx: Context, found: list[Diagnostic]) -> list[Edit]:
    """FM205: add `difficulty/<level>` from the `difficulty` field."""
    pattern = ctx.taxonomy.tags.difficulty
    difficulty = ctx.note.meta.get("difficulty")
    tags, _ = _tags(ctx)
    if not pattern or not isinstance(difficulty, str) or tags is None:
        return []
    return add_items(ctx.fm, tags, [pattern.replace("{difficulty}", difficulty)], _tag_order)


def mirror_tags(ctx: Context, found: list[Diagnostic]) -> list[Edit]:
    """FM207: add the `android/<subtopic>` tags of the note's subtopics."""
    topic = ctx.note.meta.get("topic")
    pattern = ctx.taxonomy.tags.mirror_subtopics.get(topic) if isinstance(topic, str) else None
    subtopics = ctx.note.meta.get("subtopics")
    tags, items = _tags(ctx)
    if not pattern or tags is None or not isinstance(subtopics, list):
        return []
    spec = ctx.taxonomy.fields.get("subtopics")
    allowed = spec.values_by_topic.get(topic) if spec and isinstance(topic, str) else None
    names = {item.value.strip() for item in items}
    missing: list[str] = []
    for subtopic in subtopics:
        if not isinstance(subtopic, str) or is_placeholder(subtopic) or \
                (allowed and subtopic not in allowed):
            continue
        tag = pattern.replace("{subtopic}", subtopic)
        if tag not in names and tag not in missing:
            missing.append(tag)
    return add_items(ctx.fm, tags, missing, _tag_order)


def duplicate_tags(ctx: Context, found: list[Diagnostic]) -> list[Edit]:
    """FM209: remove the second and later copies of a tag."""
    tags, items = _tags(ctx)
    if tags is None:
        return []
    seen: set[str] = set()
    edits = []
    for index, item in enumerate(tags.items):
        if item not in items:
            continue
        if item.value.strip() in seen:
            edit = remove_item(ctx.fm, tags, index)
            if edit is None:
                return []  # all of them or none: a half-done dedupe is no repair
            edits.append(edit)
        seen.add(item.value.strip())
    return edits


def sort_tags(ctx: Context, found: list[Diagnostic]) -> list[Edit]:
    """FM210: tags in alphabetical order, each keeping its own quoting."""
    tags, items = _tags(ctx)
    if tags is None or len(items) != len(tags.items):
        return []
    order = sorted(range(len(items)), key=lambda i: _tag_order(items[i].value.strip()))
    return reorder_items(tags, order)


def contradicting_difficulty(ctx: Context, found: list[Diagnostic]) -> list[Edit]:
    """FM206: a `difficulty/<other>` tag becomes the one the field implies (or goes, when
    that one is there already)."""
    pattern = ctx.taxonomy.tags.difficulty
    difficulty = ctx.note.meta.get("difficulty")
    tags, items = _tags(ctx)
    if not pattern or not isinstance(difficulty, str) or tags is None:
        return []
    expected = pattern.replace("{difficulty}", difficulty)
    prefix = pattern.split("{", 1)[0]
    present = any(item.value.strip() == expected for item in items)
    edits: list[Edit] = []
    for index, item in enumerate(tags.items):
        if item not in items or not prefix or not item.value.startswith(prefix) or \
                item.value.strip() == expected:
            continue
        if not present:
            edits.append(replace_item(tags, item, render(expected, item.style,
                                                         flow=tags.kind == "flow")))
            present = True
            continue
        edit = remove_item(ctx.fm, tags, index)
        if edit is None:
            return []
        edits.append(edit)
    return edits


def tag_spelling(ctx: Context, found: list[Diagnostic]) -> list[Edit]:
    """FM208: `#kotlin` becomes `kotlin`, `data structures` becomes `data-structures` (a
    Cyrillic tag needs a translation: left alone)."""
    tags, items = _tags(ctx)
    if tags is None:
        return []
    edits = []
    for item in items:
        tag = item.value
        fixed = tag.lstrip("#") if tag.startswith("#") else re.sub(r"\s+", "-", tag.strip())
        if fixed != tag and fixed:
            edits.append(replace_item(tags, item, render(fixed, item.style,
                                                         flow=tags.kind == "flow")))
    return edits
