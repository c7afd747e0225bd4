"""Rules on the `tags` list: the tag the difficulty implies (FM205) and the ones that contradict
it (FM206), subtopics mirrored as tags (FM207), tags written as no tag can be (FM208), a tag
listed twice (FM209), and alphabetical order when the taxonomy asks for it (FM210).

Each problem with one right answer carries it as a repair value (model.py) for `kb fix`: the
tag to add, the item to replace or remove, the order to write the list in.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..model import AddItems, Diagnostic, Note, RemoveItem, Reorder, Repair, ReplaceItem
from .codes import make
from .context import Context, item_line, key_line, text_items

_CYRILLIC = re.compile(r"[А-Яа-яЁё]")


def tag_order(tag: str) -> tuple[str, str]:
    """Alphabetical, ignoring case (`Android` beside `android/ui`), then as written."""
    return tag.casefold(), tag


def check_tags(note: Note, context: Context) -> Iterator[Diagnostic]:
    """The difficulty tag (FM205, FM206), subtopic mirrors (FM207), duplicates (FM209), order
    (FM210) and spelling (FM208)."""
    value = note.meta.get("tags")
    if not isinstance(value, list):
        return
    tags = text_items(value)
    yield from _difficulty(note, context, tags)
    yield from _mirrors(note, context, tags)
    yield from _duplicates(note, tags)
    if context.taxonomy.tags.sorted:
        yield from _order(note, tags, every_item_is_text=len(tags) == len(value))
    yield from _spelling(note, context, tags)


def _difficulty(note: Note, context: Context, tags: list[tuple[int, str]]
                ) -> Iterator[Diagnostic]:
    """FM206 for each `difficulty/<other>` tag: the first becomes the tag the field implies
    when that one is missing, the others go; FM205 when there is no difficulty tag at all."""
    pattern = context.taxonomy.tags.difficulty
    difficulty = note.meta.get("difficulty")
    spec = context.taxonomy.fields.get("difficulty")
    if not pattern or not isinstance(difficulty, str) or not difficulty.strip() or \
            (spec is not None and spec.values and difficulty not in spec.values):
        return
    expected = pattern.replace("{difficulty}", difficulty)
    prefix = pattern.split("{", 1)[0]
    names = {tag for _, tag in tags}
    others = [(index, tag) for index, tag in tags
              if prefix and tag.startswith(prefix) and tag != expected]
    # Whether the repair still needs to write `expected`: a copy with spaces around it counts
    # as there (and is left alone).
    present = any(tag.strip() == expected for _, tag in tags)
    for index, tag in others:
        repair: Repair | None = None
        if tag.strip() != expected:
            repair = RemoveItem("tags", index) if present else \
                ReplaceItem("tags", index, expected)
            present = True
        yield make("FM206", note.key, item_line(note, "tags", index),
                   f"tag '{tag}' contradicts `difficulty: {difficulty}`", field="tags",
                   fix=f"replace it with '{expected}'" if isinstance(repair, ReplaceItem)
                   else "remove the tag", repair=repair)
    if expected not in names and not others:
        yield make("FM205", note.key, key_line(note, "tags"),
                   f"tags lack '{expected}' (from `difficulty: {difficulty}`)",
                   field="tags", fix=f"add the tag '{expected}'",
                   repair=AddItems("tags", (expected,)))


def _mirrors(note: Note, context: Context, tags: list[tuple[int, str]]
             ) -> Iterator[Diagnostic]:
    """FM207: the subtopics of a topic whose taxonomy mirrors them (`android/<subtopic>`)."""
    topic = note.meta.get("topic")
    pattern = context.taxonomy.tags.mirror_subtopics.get(topic) if isinstance(topic, str) \
        else None
    subtopics = note.meta.get("subtopics")
    if not pattern or not isinstance(subtopics, list):
        return
    spec = context.taxonomy.fields.get("subtopics")
    allowed = spec.values_by_topic.get(topic) if spec and isinstance(topic, str) else None
    names = {tag for _, tag in tags}
    missing: list[str] = []
    for _, item in text_items(subtopics):
        tag = pattern.replace("{subtopic}", item)
        if (not allowed or item in allowed) and tag not in names and tag not in missing:
            missing.append(tag)
    if missing:
        listed = ", ".join(f"'{tag}'" for tag in missing)
        yield make("FM207", note.key, key_line(note, "tags"),
                   f"{topic} subtopics must be mirrored as tags; missing {listed}",
                   field="tags", fix=f"add the tag{'s' if len(missing) > 1 else ''} {listed}",
                   repair=AddItems("tags", tuple(missing)))


def _duplicates(note: Note, tags: list[tuple[int, str]]) -> Iterator[Diagnostic]:
    """FM209 for the second and later copies of a tag."""
    seen: dict[str, int] = {}
    for index, tag in tags:
        key = tag.strip()
        if key in seen:
            yield make("FM209", note.key, item_line(note, "tags", index),
                       f"tag '{key}' is listed twice (first at line "
                       f"{item_line(note, 'tags', seen[key])})", field="tags",
                       fix="remove the second one", repair=RemoveItem("tags", index))
        else:
            seen[key] = index


def _order(note: Note, tags: list[tuple[int, str]], every_item_is_text: bool
           ) -> Iterator[Diagnostic]:
    """FM210: tags out of alphabetical order. They are put in order only when every item is a
    tag: an item of another kind (a template's '...') has no place in the order."""
    written = [tag.strip() for _, tag in tags]
    ordered = sorted(written, key=tag_order)
    if written == ordered:
        return
    order = tuple(sorted(range(len(written)), key=lambda i: tag_order(written[i])))
    yield make("FM210", note.key, key_line(note, "tags"),
               "tags are not in alphabetical order (the taxonomy asks for it)",
               field="tags", fix=f"write them as [{', '.join(ordered)}]",
               repair=Reorder("tags", order) if every_item_is_text else None)


def _spelling(note: Note, context: Context, tags: list[tuple[int, str]]
              ) -> Iterator[Diagnostic]:
    """FM208: `#kotlin` is `kotlin`, `data structures` is `data-structures`; a Cyrillic tag
    needs a translation, which only the author can give."""
    for index, tag in tags:
        line = item_line(note, "tags", index)
        if tag.startswith("#"):
            fixed = tag.lstrip("#")
            yield make("FM208", note.key, line, f"tag '{tag}' starts with '#'; in front matter "
                       "tags are written without it", field="tags", fix=f"write '{fixed}'",
                       repair=ReplaceItem("tags", index, fixed) if fixed else None)
        elif re.search(r"\s", tag.strip()):
            fixed = re.sub(r"\s+", "-", tag.strip())
            yield make("FM208", note.key, line, f"tag '{tag}' contains spaces, which end a tag",
                       field="tags", fix=f"write '{fixed}'",
                       repair=ReplaceItem("tags", index, fixed))
        elif context.taxonomy.tags.english_only and _CYRILLIC.search(tag):
            yield make("FM208", note.key, line, f"tag '{tag}' is not in English; tags are "
                       "English-only (Russian names belong in `aliases`)", field="tags")
