"""Front matter that a sync tool damaged, read as the author meant it (FM008).

Obsidian reads one YAML block between the first two fences; tools that rewrite notes (flashcard
sync, bulk editors) sometimes leave the front matter in a shape Obsidian and MkDocs read as
something else. Three shapes, each recognised by a rule about the file's layout, never by the
names of a tool's fields:

- **A fence glued to a key.** A key that is three or more dashes followed by a name
  (`---id: x`, `'---id': x`) is a fence that lost its line end: it is the key `id`.
- **More blocks after the first.** After the first block's closing fence, a run of fence
  lines (`---`, `---\\`, `...`) and then a run of YAML lines that ends at a fence is another
  front-matter block the tool wrote next to the note's own (in front of it, usually).
- **A block closed early.** After the closing fence, a run of YAML lines that ends at a fence,
  with no fence before it, is the rest of the same block (a tool closed it in the middle).

A run counts as front matter only when every line of it is blank, a YAML comment (`# …`), a
top-level `key: value` line, a list item or an indented continuation line, when it holds at
least one key, starts right after the fence (a body that begins with a blank line is never
read as front matter), ends at a fence line, and parses as a YAML mapping. A body that starts
with a horizontal rule and prose, or with a heading and ordinary text, is therefore body.

How the blocks are merged: a *block* is a run opened by its own fence, together with the runs
that continue it. The note's own block is the one holding the most keys (a tool adds a few keys
of its own; ties go to the later block): its keys come first and its values are read; the other
blocks' keys follow in file order. A key written in two blocks with the same value is read
once; with different values the note's own block's value is read and the key is reported
(FM006), for the author to choose: `kb fix` then leaves the note alone. Otherwise the
diagnostic carries a `MergeBlocks` value: the one block `kb fix` writes in place of the
damaged ones (lines kept as written, comments included; the body untouched).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from ..checks.codes import make
from ..model import Diagnostic, MergeBlocks

# `---`, `...`, or `---` with stray characters that do not make it a glued key (`---\`, `--- x`).
_FENCE = re.compile(r"^(?:\.\.\.[ \t]*|---(?!-)(?![A-Za-z0-9_][^:]*:(?:[ \t]|$)).*)$")
_GLUED_KEY = re.compile(r"^-{3,}(?=[^-\s])(.+)$", re.DOTALL)
# A top-level key line: a plain key (letters, digits, spaces inside, no ':' or '#'), or a quoted
# one, optionally glued to a fence, then ':' and a space or the line's end.
_KEY_LINE = re.compile(
    r"""^(?P<key>-{0,}(?:'(?:[^']|'')*'|"(?:[^"\\]|\\.)*"|[A-Za-z0-9_][^:#]*?))[ \t]*:(?:[ \t]|$)""")
_YAML_LINE = re.compile(r"^(?:[ \t]*(?:#.*)?|[ \t]*-(?:[ \t].*)?|[ \t]+\S.*)$")
_PLAIN_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_ .-]*$")


def is_fence(line: str) -> bool:
    """A line that opens or closes a block: `---` (stray characters after it allowed, unless
    they make it a key glued to the fence) or `...`; `----` is a horizontal rule."""
    return bool(_FENCE.match(line))


def may_continue(line: str) -> bool:
    """Whether the line after the first block's closing fence could start more front matter
    (a cheap test, so that reading front matter alone need not split the whole file)."""
    return is_fence(line) or bool(_KEY_LINE.match(line)) or line.lstrip().startswith("#")


def candidate_runs(lines: list[str], close: int) -> list[tuple[int, int, tuple[int, ...]]]:
    """The runs after the closing fence at index `close` that the layout rule accepts, each as
    (first YAML line, index of its closing fence, indices of the fences opening it): 0-based.
    Whether each parses as a mapping is the caller's to check (it stops at the first that
    does not)."""
    runs: list[tuple[int, int, tuple[int, ...]]] = []
    index = close + 1
    while index < len(lines):
        start = index
        while start < len(lines) and is_fence(lines[start]):
            start += 1
        if start >= len(lines) or not lines[start].strip():
            break
        end, keys = start, 0
        while end < len(lines) and not is_fence(lines[end]):
            line = lines[end]
            if _KEY_LINE.match(line):
                keys += 1
            elif not _YAML_LINE.match(line):
                break
            end += 1
        if keys == 0 or end >= len(lines) or not is_fence(lines[end]):
            break
        runs.append((start, end, tuple(range(index, start))))
        index = end + 1
    return runs


@dataclass
class Segment:
    """One run of YAML lines between fences, as parsed (lines are 1-based file lines)."""

    start: int  # 0-based index of its first line
    end: int  # 0-based index of the fence that closes it
    opened: bool  # opened by a fence of its own: a block, not the rest of the one before
    data: dict[str, Any]
    key_lines: dict[str, int]
    item_lines: dict[str, tuple[int, ...]]
    glued: dict[int, str] = field(default_factory=dict)  # line of a `---key` -> the key meant


@dataclass
class Merged:
    data: dict[str, Any]
    key_lines: dict[str, int]
    item_lines: dict[str, tuple[int, ...]]
    problems: list[Diagnostic]
    repair: MergeBlocks | None


def unglue(segment: Segment) -> Segment:
    """Rename `---id` to `id` in a parsed segment (its lines stay where they are)."""
    if not any(_GLUED_KEY.match(key) for key in segment.data):
        return segment
    renamed: dict[str, str] = {}
    for key in segment.data:
        match = _GLUED_KEY.match(key)
        renamed[key] = match.group(1) if match else key
    data: dict[str, Any] = {}
    key_lines: dict[str, int] = {}
    item_lines: dict[str, tuple[int, ...]] = {}
    for key, value in segment.data.items():
        name = renamed[key]
        if name in data:  # `---id` and `id` in one block: the later line is read, as YAML does
            if segment.key_lines.get(key, 0) < key_lines.get(name, 0):
                continue
        data[name] = value
        if key in segment.key_lines:
            key_lines[name] = segment.key_lines[key]
        if key in segment.item_lines:
            item_lines[name] = segment.item_lines[key]
    glued = {segment.key_lines[key]: name for key, name in renamed.items()
             if key != name and key in segment.key_lines}
    return Segment(segment.start, segment.end, segment.opened, data, key_lines, item_lines,
                   glued)


def merge(rel_path: str, lines: list[str], segments: list[Segment]) -> Merged:
    """One front matter from the segments (the module's rule), the FM008 diagnostic that
    names the damage, and FM006 for a key two blocks give different values."""
    blocks: list[list[Segment]] = []
    for segment in segments:
        if segment.opened or not blocks:
            blocks.append([segment])
        else:
            blocks[-1].append(segment)
    sizes = [sum(len(s.data) for s in block) for block in blocks]
    own = max(range(len(blocks)), key=lambda i: (sizes[i], i))
    order = [own] + [i for i in range(len(blocks)) if i != own]

    data: dict[str, Any] = {}
    key_lines: dict[str, int] = {}
    item_lines: dict[str, tuple[int, ...]] = {}
    dropped: set[int] = set()  # file lines (1-based) of keys read once already, same value
    problems: list[Diagnostic] = []
    conflicts: list[str] = []
    for index in order:
        for segment in blocks[index]:
            for key, value in segment.data.items():
                line = segment.key_lines.get(key, segment.start + 1)
                if key not in data:
                    data[key] = value
                    key_lines[key] = line
                    if key in segment.item_lines:
                        item_lines[key] = segment.item_lines[key]
                elif data[key] == value:
                    dropped.add(line)
                else:
                    conflicts.append(key)
                    problems.append(make(
                        "FM006", rel_path, line,
                        f"key '{key}' is in two front-matter blocks with different values "
                        f"(lines {key_lines[key]} and {line}); the value at line "
                        f"{key_lines[key]} (the note's own block) is read; keep one of them",
                        field=key))

    repair = None if conflicts else MergeBlocks(
        first=1, last=segments[-1].end + 1,
        lines=tuple(_merged_lines(lines, [s for i in order for s in blocks[i]], dropped)))
    problems.insert(0, _damage(rel_path, segments, blocks, own, conflicts))
    return Merged(data, key_lines, item_lines, problems, repair)


def _merged_lines(lines: list[str], segments: list[Segment], dropped: set[int]) -> list[str]:
    out: list[str] = []
    for segment in segments:
        skipping = False
        for index in range(segment.start, segment.end):
            line = lines[index]
            if index + 1 in dropped:
                skipping = True  # the key line and its continuation lines
                continue
            if skipping and (line[:1] in (" ", "\t") or re.match(r"-(?:[ \t]|$)", line)):
                continue
            skipping = False
            name = segment.glued.get(index + 1)
            out.append(_unglued_line(line, name) if name else line)
    return out


def _unglued_line(line: str, name: str) -> str:
    """The key line `'---id': x` written as `id: x` (the value and comment as they were)."""
    match = _KEY_LINE.match(line)
    if match is None:
        return line
    key = name if _PLAIN_NAME.match(name) else json.dumps(name, ensure_ascii=False)
    return key + line[match.end("key"):]


def _damage(rel_path: str, segments: list[Segment], blocks: list[list[Segment]], own: int,
            conflicts: list[str]) -> Diagnostic:
    """FM008: what was damaged, where, and what `kb fix` does about it."""
    parts: list[str] = []
    glued = sorted((line, name) for s in segments for line, name in s.glued.items())
    for line, name in glued:
        parts.append(f"a fence is glued to the key `{name}` at line {line} "
                     f"(written `---{name}`)")
    if len(blocks) > 1:
        spans = ", ".join(f"{b[0].start + 1}-{b[-1].end}" for b in blocks)
        parts.append(f"it is written in {len(blocks)} blocks (lines {spans}; the note's own "
                     f"is lines {blocks[own][0].start + 1}-{blocks[own][-1].end}, the others' "
                     "keys are read after it)")
    early = [s for s in segments[1:] if not s.opened]
    if early:
        parts.append("a block is closed early: " + ", ".join(
            f"lines {s.start + 1}-{s.end} continue it" for s in early))
    # The first damaged line: a glued key, or the fence that closed the first block too soon.
    first = min([line for line, _ in glued] + ([segments[0].end + 1] if len(segments) > 1
                                                else []))
    message = "front matter damaged by a tool: " + "; ".join(parts) + "; read as one block"
    if conflicts:
        message += ("; `kb fix` merges the blocks once the keys given different values ("
                    + ", ".join(f"`{key}`" for key in conflicts) + ") are resolved")
        return make("FM008", rel_path, first, message)
    how = ["the note's own keys first, then the other blocks'"] if len(blocks) > 1 else []
    how += ["the fences inside it removed"] if early and len(blocks) == 1 else []
    how += [f"`---{name}` written `{name}`" for _, name in glued]
    return make("FM008", rel_path, first, message,
                fix="`kb fix` writes one block: " + ", ".join(how))
