"""`kb taxonomy --write`: add accepted values to the vault's taxonomy file, editing its text.

The file is never dumped again: new items are appended to the list they belong in, in that
list's own layout (a `- item` line after the last item of a block list, `, item` after the
last item of a flow list), so every comment, blank line and key order stays. A vault's entry
under `fields:` replaces the built-in entry of that name as a whole; so when the file has no
entry for the field, the built-in entry is copied in first (with its comments), and the new
values are appended to the copy: the field keeps its built-in values, type, min and max. A file
that does not exist is created with only those entries.

Before anything is written the new text is read back as a taxonomy: it must parse, allow
everything the old one allowed, and allow the added values; otherwise nothing is written.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import TextIO

import yaml

from ..checks.taxonomy import DEFAULT_PATH, Taxonomy, TaxonomyError, default_taxonomy, parse_taxonomy
from ..checks.taxonomy_report import DriftReport, Scope, UsedValue, fix_hint, notes_count, scopes
from .yaml_edit import Edit, apply, line_span, render

HEADER = """\
# This vault's changes to kb's built-in taxonomy (generator/checks/taxonomy_default.yml documents the
# format). Each entry under `fields:` replaces the built-in entry of that name as a whole.
# Started by `kb taxonomy --write`; edit it freely: later runs keep comments and order.
"""


class WriteError(Exception):
    """The file's layout is not one a line edit can extend safely; nothing was written."""


# --- which values ---------------------------------------------------------------------------------

Choice = tuple[Scope, UsedValue]


def choose(report: DriftReport, accept: list[str], accept_all: bool
           ) -> tuple[list[Choice], list[str], list[str]]:
    """(the values to add, the --accept arguments already allowed, those that name nothing).
    An argument is VALUE, or FIELD=VALUE to take it for one field only; an explicit one is
    taken even when it is a near-duplicate (the author has decided)."""
    chosen: list[Choice] = []
    already: list[str] = []
    unmatched: list[str] = []
    for argument in accept:
        name, _, value = argument.rpartition("=")
        found = [(part.scope, used) for part in report.scopes for used in part.unknown
                 if used.value == value and name in ("", part.scope.field)]
        if not found:
            allowed = any(value in part.scope.allowed and name in ("", part.scope.field)
                          for part in report.scopes)
            (already if allowed else unmatched).append(argument)
        chosen += [choice for choice in found if choice not in chosen]
    if accept_all:
        chosen += [(part.scope, used) for part in report.scopes for used in part.new_values
                   if (part.scope, used) not in chosen]
    return chosen, already, unmatched


def write_accepted(report: DriftReport, taxonomy: Taxonomy, target: Path, accept: list[str],
                   accept_all: bool, stream: TextIO) -> int:
    chosen, already, unmatched = choose(report, accept, accept_all)
    if unmatched:
        listed = ", ".join(f"'{value}'" for value in unmatched)
        print(f"kb: error: --accept {listed}: no note uses such a value that the taxonomy "
              "lacks (`kb taxonomy` lists them); nothing written", file=sys.stderr)
        return 2
    taken = {(scope, used.value) for scope, used in chosen}
    misspelt = [(part.scope, used) for part in report.scopes for used in part.misspellings
                if (part.scope, used.value) not in taken]
    waiting = [(part.scope, used) for part in report.scopes for used in part.new_values
               if (part.scope, used.value) not in taken]
    out: list[str] = []
    if chosen:
        try:
            old = target.read_text(encoding="utf-8") if target.is_file() else None
            text = add_values(old, [(scope, used.value) for scope, used in chosen])
            check(text, taxonomy, chosen, str(target))
            target.write_text(text, encoding="utf-8")
        except (OSError, UnicodeDecodeError, WriteError) as error:
            print(f"kb: error: {target}: {error}; nothing written", file=sys.stderr)
            return 1
        out.append(f"kb taxonomy: {'updated' if old is not None else 'created'} {target}, added:")
        out += [f"  {scope.label}: {used.value} ({notes_count(len(used.notes))})"
                for scope, used in chosen]
    elif accept or accept_all:
        out.append(f"kb taxonomy: nothing to add to {target}")
    else:
        out.append("kb taxonomy: nothing written (pass --accept VALUE or --accept-all)")
    if already:
        out.append(f"already allowed: {', '.join(already)}")
    if waiting:
        out.append("not added" + (", would add with --accept-all:" if not accept_all else ":"))
        out += [f"  {scope.label}: {used.value} ({notes_count(len(used.notes))})"
                for scope, used in waiting]
    if misspelt:
        out.append("not added, near-duplicates to fix in the notes:")
        out += [f"  {scope.label}: {used.value} ({notes_count(len(used.notes))}): "
                f"{fix_hint(used, scope)}" for scope, used in misspelt]
    stream.write("\n".join(out) + "\n")
    return 0


def check(text: str, before: Taxonomy, chosen: list[Choice], path: str) -> None:
    """The new text must parse, allow what `before` allowed, and the chosen values."""
    try:
        after = parse_taxonomy(text, path, base=default_taxonomy())
    except TaxonomyError as error:  # pragma: no cover - a bug in the editing below
        raise WriteError(f"the edited file would not parse ({error})") from None
    allowed_after = {(s.field, s.topic): set(s.allowed) for s in scopes(after)}
    for scope in scopes(before):
        lost = set(scope.allowed) - allowed_after.get((scope.field, scope.topic), set())
        if lost:  # pragma: no cover - a bug in the editing below
            raise WriteError(f"the edit would drop {scope.label} values {sorted(lost)}")
    for scope, used in chosen:
        if used.value not in allowed_after.get((scope.field, scope.topic), set()):
            raise WriteError(f"could not add '{used.value}' to {scope.label} in this layout; "
                             "add it by hand")


# --- editing the text -----------------------------------------------------------------------------

def add_values(text: str | None, additions: list[tuple[Scope, str]]) -> str:
    """The file's text with each (scope, value) appended to its list; `text` None: a new file."""
    text = HEADER if text is None else text
    grouped: dict[tuple[str, str | None], list[str]] = defaultdict(list)
    for scope, value in additions:
        if value not in grouped[(scope.field, scope.topic)]:
            grouped[(scope.field, scope.topic)].append(value)
    for (name, topic), values in grouped.items():
        if _entry(_compose(text), ("fields", name)) is None:
            text = _insert_default_entry(text, name)
        path = ("fields", name, "values") if topic is None else \
            ("fields", name, "values_by_topic", topic)
        sequence = _entry(_compose(text), path)
        if not isinstance(sequence, yaml.SequenceNode):
            raise WriteError(f"{'.'.join(path)} is not a list")
        text = apply(text, [_append(text, sequence, values)])
    return text


def _compose(text: str) -> yaml.Node | None:
    try:
        # The pure-Python loader: its marks count characters, libyaml's may not.
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        raise WriteError(f"YAML syntax error: {error}") from None


def _entry(node: yaml.Node | None, path: tuple[str, ...]) -> yaml.Node | None:
    """The value node at `path` of nested mappings, or None."""
    for key in path:
        if not isinstance(node, yaml.MappingNode):
            return None
        node = next((value for name, value in node.value
                     if isinstance(name, yaml.ScalarNode) and name.value == key), None)
    return node


def _key_node(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    return next((name for name, _ in node.value
                 if isinstance(name, yaml.ScalarNode) and name.value == key), None)


def _line_end(text: str, line: int) -> int:
    """Offset of the end of a 1-based line, before its line break (\\n or \\r\\n)."""
    _, end = line_span(text, line)
    return end - 1 if end > 0 and text[end - 1] == "\r" else end


def _newline(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def _append(text: str, sequence: yaml.SequenceNode, values: list[str]) -> Edit:
    """An edit that appends `values` to a list in its own layout."""
    items = sequence.value
    if sequence.flow_style:
        written = [render(value, flow=True) for value in values]
        if not items:
            at = sequence.start_mark.index + 1
            return Edit(at, at, ", ".join(written))
        at = items[-1].end_mark.index
        return Edit(at, at, "".join(", " + w for w in written))
    last = items[-1]
    if not isinstance(last, yaml.ScalarNode) or last.style in ("|", ">"):
        raise WriteError("its list's last item is not a single value")
    start, _ = line_span(text, last.start_mark.line + 1)
    prefix = text[start:start + last.start_mark.column]
    if not re.fullmatch(r"[ ]*-[ ]+", prefix):
        raise WriteError(f"its list is written in a layout this edit does not know ({prefix!r})")
    at = _line_end(text, last.end_mark.line + 1)
    newline = _newline(text)
    return Edit(at, at, "".join(newline + prefix + render(value) for value in values))


def _content_lines(text: str, key_line: int, key_indent: int) -> int:
    """The last line (1-based) of the block under a key: the lines after it that are more
    indented, blank lines and comment lines kept out of its end."""
    lines = text.splitlines()
    last = key_line
    for number in range(key_line + 1, len(lines) + 1):
        line = lines[number - 1]
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if len(line) - len(line.lstrip(" ")) <= key_indent:
            break
        last = number
    return last


def _default_entry(name: str) -> tuple[list[str], int]:
    """The lines of the built-in `fields.<name>` entry (comments included) and their indent."""
    text = DEFAULT_PATH.read_text(encoding="utf-8")
    key = _key_node(_entry(_compose(text), ("fields",)), name)
    assert key is not None, name  # the caller found it in the effective taxonomy
    first = key.start_mark.line + 1
    last = _content_lines(text, first, key.start_mark.column)
    return text.splitlines()[first - 1:last], key.start_mark.column


def _insert_default_entry(text: str, name: str) -> str:
    """The text with the built-in `fields.<name>` entry added under `fields:`."""
    lines, indent = _default_entry(name)
    root = _compose(text)
    fields_key = _key_node(root, "fields")
    fields = _entry(root, ("fields",))
    newline = _newline(text)
    if fields_key is None:
        if root is not None and not isinstance(root, yaml.MappingNode):
            raise WriteError("the file is not a mapping of keys to values")
        block = _reindent(lines, indent, 2)
        tail = "" if not text or text.endswith("\n") else newline
        return text + tail + newline.join(["fields:", *block]) + newline
    if isinstance(fields, yaml.MappingNode) and fields.flow_style:
        raise WriteError("`fields:` is written as a flow mapping ({…}); write it as a block "
                         "to let kb add to it")
    if isinstance(fields, yaml.MappingNode) and fields.value:
        target_indent = fields.value[0][0].start_mark.column
    elif isinstance(fields, yaml.ScalarNode) and fields.value in ("", "~", "null"):
        target_indent = fields_key.start_mark.column + 2
    else:
        raise WriteError("`fields:` is not a mapping")
    last = _content_lines(text, fields_key.start_mark.line + 1, fields_key.start_mark.column)
    at = _line_end(text, last)
    step = max(target_indent - fields_key.start_mark.column, 1)
    block = _reindent(lines, indent, target_indent, step)
    return apply(text, [Edit(at, at, "".join(newline + line for line in block))])


def _reindent(lines: list[str], indent: int, target: int, step: int = 2) -> list[str]:
    """Lines of the built-in file (entry at `indent`, nested by 2) at the file's indent: the
    entry at `target`, nested by `step`."""
    out = []
    for line in lines:
        depth = len(line) - len(line.lstrip(" ")) - indent
        out.append(" " * (target + depth * step // 2) + line.lstrip(" ") if line.strip() else "")
    return out
