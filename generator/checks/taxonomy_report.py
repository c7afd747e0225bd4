"""Vocabulary drift: `kb taxonomy` compares the taxonomy with the values the notes use.

A controlled field is one with `values` (its allowed values, of each item for a list) or
`values_by_topic` (a list's allowed items for notes of one topic: one scope per topic). For each
scope the report gives the values notes use that the taxonomy does not allow (with the notes
using each, and the closest allowed value), the allowed values no note uses, and the
near-duplicates among allowed and used values. A value is counted the way `validate` checks it
(FM201, FM202, FM203): a field holding a template's placeholder, or an empty one, is left out.
The declared `kind` is not a value list (a kind needs a file-name pattern): FM201 reports it.

Near-duplicates, the rule (`near_duplicates`): two values are near-duplicates when they are the
same after case folding with `_`, ` ` and `-` taken alike (`Data_Structures`,
`data-structures`), or when one is the other plus `s` or `es` after that folding, the other
having at least MIN_STEM characters (`database`, `databases`; not `io`, `ios`). `compare` also
takes a value that is not allowed for a misspelling of the allowed value `taxonomy.suggest()`
picks as its closest (`kotln` -> `kotlin`); two allowed values are not (an author who listed
`architecture-mvi` and `architecture-mvvm` meant both). The site lists the values of a
near-duplicate group as one entry (`near_duplicate_groups`, site/index_pages.py).

A used value that is a near-duplicate of an allowed one is a misspelling to fix in the notes,
never a new value; of two new values that fold alike, the one more notes use is the new value
and the other its misspelling.

`kb taxonomy --write` adds the values the author accepts to the vault's taxonomy file
(taxonomy_write.py edits it line by line).
"""

from __future__ import annotations

import difflib
import json
import re
import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from ..model import Note, NoteKey
from ..notes.placeholders import is_placeholder, placeholder_in
from .taxonomy import VAULT_FILE_NAME, Taxonomy, suggest

# The closest allowed value shown for a new value that shares no word with it: close enough to
# be worth a look, not to call it a misspelling (that takes suggest()'s 0.8). Read on the real
# vault: at 0.6, 'general' was shown next to 'gradle'.
_CLOSEST_CUTOFF = 0.75


@dataclass(frozen=True)
class Scope:
    """One list of allowed values: a field's `values`, or its `values_by_topic[topic]`."""

    field: str
    topic: str | None
    allowed: tuple[str, ...]

    @property
    def label(self) -> str:
        return self.field if self.topic is None else f"{self.field} of topic {self.topic}"


@dataclass(frozen=True)
class UsedValue:
    """A value notes use that the scope does not allow."""

    value: str
    notes: tuple[NoteKey, ...]
    closest: str | None  # the closest allowed value, if any is close
    duplicate_of: str | None  # the value it misspells (allowed, or a more used new value)


@dataclass(frozen=True)
class ScopeReport:
    scope: Scope
    unknown: tuple[UsedValue, ...]  # most used first
    unused: tuple[str, ...]  # allowed values no note uses, in the taxonomy's order
    near_duplicates: tuple[tuple[str, str], ...]  # pairs among allowed and used values

    @property
    def new_values(self) -> tuple[UsedValue, ...]:
        """The values `--accept-all` adds: not a misspelling of another."""
        return tuple(used for used in self.unknown if used.duplicate_of is None)

    @property
    def misspellings(self) -> tuple[UsedValue, ...]:
        return tuple(used for used in self.unknown if used.duplicate_of is not None)


@dataclass(frozen=True)
class DriftReport:
    source: str  # the taxonomy's file, or "built-in"
    notes: int
    scopes: tuple[ScopeReport, ...]


# --- the comparison ------------------------------------------------------------------------------

def fold(value: str) -> str:
    """A value with case, `_`, ` ` and `-` differences taken out."""
    return re.sub(r"[-_\s]+", "-", value.strip().casefold()).strip("-")


# The shortest word whose plural the rule recognises: a one- or two-letter value is an
# abbreviation, and one with an `s` after it another (`io` and `ios`, `ui` and `uis`).
MIN_STEM = 3
_PLURAL_ENDINGS = ("s", "es")


def singular_forms(value: str) -> set[str]:
    """`value` folded, and folded without a plural ending: a value is the same word as another
    when one's fold is among the other's forms."""
    folded = fold(value)
    return {folded} | {folded[:-len(ending)] for ending in _PLURAL_ENDINGS
                       if folded.endswith(ending) and len(folded) - len(ending) >= MIN_STEM}


def near_duplicates(a: str, b: str) -> bool:
    """Same after folding, or one is the other's plural (+s, +es) after folding: the same word.
    (`compare` also takes a value suggest() corrects to an allowed one for its misspelling.)"""
    return fold(a) in singular_forms(b) or fold(b) in singular_forms(a)


def near_duplicate_groups(values: Iterable[str]) -> list[list[str]]:
    """`values` gathered by `near_duplicates`, followed from value to value (`Lists`, `list`
    and `LIST` are one group), each group and the groups in the order of `values`; no
    spelling distance (suggest()): the site lists each group as one. Linear: each value is
    looked up by its forms, not compared with every other."""
    ordered = list(dict.fromkeys(values))
    parent = list(range(len(ordered)))

    def root(at: int) -> int:
        while parent[at] != at:
            parent[at] = parent[parent[at]]
            at = parent[at]
        return at

    by_fold: dict[str, int] = {}
    for at, value in enumerate(ordered):
        by_fold.setdefault(fold(value), at)
    for at, value in enumerate(ordered):
        for form in singular_forms(value):
            other = by_fold.get(form)
            if other is not None:
                parent[root(at)] = root(other)
    groups: dict[int, list[str]] = {}
    for at, value in enumerate(ordered):  # a group first met at its first value: in order
        groups.setdefault(root(at), []).append(value)
    return list(groups.values())


def scopes(taxonomy: Taxonomy) -> list[Scope]:
    found = []
    for name, spec in taxonomy.fields.items():
        if spec.values and spec.type in ("string", "list"):
            found.append(Scope(name, None, spec.values))
        for topic, allowed in spec.values_by_topic.items():
            found.append(Scope(name, topic, allowed))
    return found


def used_values(notes: tuple[Note, ...], taxonomy: Taxonomy
                ) -> dict[tuple[str, str | None], dict[str, set[NoteKey]]]:
    """{(field, topic): {value: notes}} of every controlled value the notes use, as validate
    reads them."""
    used: dict[tuple[str, str | None], dict[str, set[NoteKey]]] = defaultdict(
        lambda: defaultdict(set))
    for note in notes:
        meta = note.meta
        topic = meta.get("topic")
        for name, value in meta.items():
            spec = taxonomy.fields.get(name)
            if spec is None or _is_empty(value) or placeholder_in(value) is not None:
                continue
            if spec.type == "string" and spec.values and isinstance(value, str):
                used[(name, None)][value].add(note.key)
            if spec.type != "list" or not isinstance(value, list):
                continue
            items = [str(item) for item in value
                     if isinstance(item, (str, int, float)) and not isinstance(item, bool)
                     and not is_placeholder(item)]
            if spec.values:
                for item in items:
                    used[(name, None)][item].add(note.key)
            if isinstance(topic, str) and spec.values_by_topic.get(topic):
                for item in items:
                    used[(name, topic)][item].add(note.key)
    return used


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, (str, list, dict)) and not
                             (value.strip() if isinstance(value, str) else value))


def compare(scope: Scope, used: dict[str, set[NoteKey]]) -> ScopeReport:
    allowed = set(scope.allowed)
    unknown = sorted((value for value in used if value not in allowed),
                     key=lambda value: (-len(used[value]), value))
    entries: list[UsedValue] = []
    accepted: list[str] = []  # new values so far, most used first
    for value in unknown:
        duplicate = next((a for a in scope.allowed if near_duplicates(value, a)), None) \
            or suggest(value, scope.allowed) \
            or next((a for a in accepted if near_duplicates(value, a)), None)
        if duplicate is None:
            accepted.append(value)
        entries.append(UsedValue(value, tuple(sorted(used[value])), _closest(value, scope.allowed),
                                 duplicate))
    pairs = {_pair(a, b) for i, a in enumerate(scope.allowed)
             for b in scope.allowed[i + 1:] if near_duplicates(a, b)}
    pairs |= {_pair(e.value, e.duplicate_of) for e in entries if e.duplicate_of}
    return ScopeReport(scope, tuple(entries),
                       tuple(value for value in scope.allowed if value not in used),
                       tuple(sorted(pairs)))


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def _closest(value: str, allowed: tuple[str, ...]) -> str | None:
    """The allowed value to show next to a new one: the same after folding, else the most
    similar of those sharing a word with it (`hilt` -> `di-hilt`), else one similar enough
    that a reader would think of it (difflib ratio >= 0.75)."""
    folded = {fold(a): a for a in allowed}
    if fold(value) in folded:
        return folded[fold(value)]
    words = _words(value)
    sharing = [a for a in allowed if words & _words(a)]
    matches = difflib.get_close_matches(fold(value), sharing, n=1, cutoff=0) if sharing else \
        difflib.get_close_matches(fold(value), allowed, n=1, cutoff=_CLOSEST_CUTOFF)
    return matches[0] if matches else None


def _words(value: str) -> set[str]:
    return {word.removesuffix("s") for word in fold(value).split("-") if len(word) > 2}


def analyse(notes: tuple[Note, ...], taxonomy: Taxonomy) -> DriftReport:
    used = used_values(notes, taxonomy)
    return DriftReport(taxonomy.source, len(notes),
                       tuple(compare(scope, used.get((scope.field, scope.topic), {}))
                             for scope in scopes(taxonomy)))


# --- output --------------------------------------------------------------------------------------

def notes_count(count: int) -> str:
    return f"{count} note{'s' if count != 1 else ''}"


def fix_hint(used: UsedValue, scope: Scope) -> str:
    """What to do about a misspelling: `kb fix` rewrites a value of a `values` list that
    differs from an allowed one only in case or surrounding spaces (once that one is allowed);
    anything else is for the author to edit."""
    target = used.duplicate_of
    new = target not in scope.allowed
    what = f"near-duplicate of {'the new value ' if new else ''}'{target}'"
    if scope.topic is None and used.value.strip().lower() == target:
        return what + (f": `kb fix` rewrites it once '{target}' is accepted" if new else
                       ": `kb fix` rewrites it")
    return what + f": write '{target}' in these notes (`kb fix` does not guess spellings)"


def as_text(report: DriftReport, listed: int = 5) -> str:
    out = [f"kb taxonomy: {notes_count(report.notes)} against the {report.source} taxonomy"
           if report.source == "built-in" else
           f"kb taxonomy: {notes_count(report.notes)} against {report.source}"]
    quiet = []
    for part in report.scopes:
        if not (part.unknown or part.unused or part.near_duplicates):
            quiet.append(part.scope.label)
            continue
        out += ["", f"{part.scope.label} ({len(part.scope.allowed)} allowed values)"]
        if part.unknown:
            out.append("  used but not allowed:")
            width = max(len(used.value) for used in part.unknown) + 2
            for used in part.unknown:
                what = (fix_hint(used, part.scope) if used.duplicate_of else
                        "new value" + (f" (closest allowed: '{used.closest}')"
                                       if used.closest else ""))
                shown = ", ".join(used.notes[:listed]) + (", …" if len(used.notes) > listed else "")
                out.append(f"    {used.value:<{width}}{notes_count(len(used.notes)):>10}  {what}")
                out.append(f"      in {shown}")
        if part.unused:
            out.append(f"  allowed but unused ({len(part.unused)}): {', '.join(part.unused)}")
        if part.near_duplicates:
            out.append("  near-duplicates: " + "; ".join(f"{a} ~ {b}"
                                                          for a, b in part.near_duplicates))
    if quiet:
        out += ["", f"every value used is allowed, every allowed value used: {', '.join(quiet)}"]
    new = sum(len(part.new_values) for part in report.scopes)
    wrong = sum(len(part.misspellings) for part in report.scopes)
    unused = sum(len(part.unused) for part in report.scopes)
    out += ["", f"{new} new value{'s' if new != 1 else ''} to accept "
                f"(`kb taxonomy --write --accept VALUE` or `--accept-all`), "
                f"{wrong} near-duplicate{'s' if wrong != 1 else ''} to fix in the notes, "
                f"{unused} allowed value{'s' if unused != 1 else ''} unused"]
    return "\n".join(out) + "\n"


def as_data(report: DriftReport) -> dict[str, Any]:
    return {
        "taxonomy": report.source,
        "notes": report.notes,
        "scopes": [{
            "field": part.scope.field,
            "topic": part.scope.topic,
            "allowed": len(part.scope.allowed),
            "used_not_allowed": [{"value": used.value, "notes": len(used.notes),
                                  "paths": list(used.notes), "closest": used.closest,
                                  "near_duplicate_of": used.duplicate_of}
                                 for used in part.unknown],
            "unused": list(part.unused),
            "near_duplicates": [list(pair) for pair in part.near_duplicates],
        } for part in report.scopes],
    }


# --- the command ---------------------------------------------------------------------------------

def command(notes_dir: Path, taxonomy: Taxonomy, taxonomy_file: Path | None, fmt: str,
            write: bool = False, accept: list[str] | None = None, accept_all: bool = False,
            stream: TextIO | None = None) -> int:
    """`kb taxonomy`: the report (exit 0), or with `write` the vault's file updated with the
    accepted values (exit 1 when it cannot be, 2 for an --accept that names nothing to add)."""
    from ..notes.load import load_vault

    stream = stream or sys.stdout
    vault = load_vault(notes_dir, only=set())  # front matter is all this reads
    report = analyse(vault.notes, taxonomy)
    if not write:
        stream.write(json.dumps(as_data(report), ensure_ascii=False, indent=2) + "\n"
                     if fmt == "json" else as_text(report))
        return 0
    from ..authoring.taxonomy_write import write_accepted

    target = taxonomy_file or notes_dir / VAULT_FILE_NAME
    return write_accepted(report, taxonomy, target, accept or [], accept_all, stream)
