"""`kb fix`: apply the repairs that diagnostics carry as values, editing only the lines concerned.

The rules decide what to repair; this module only applies. A rule that finds a problem with one
right answer puts that answer in its diagnostic as a small value (model.py): the
`difficulty/<level>` tag to add (AddItems), a tag listed twice to remove (RemoveItem),
`2025-10-03` for `2025/10/03` (SetValue), `---` for `--- x` (ReplaceLine), a `related` entry
written as the renamed note's file name (ReplaceItem), one front-matter block for the blocks a
tool left (MergeBlocks)… Where the author must choose (which language a note lacks, which of two
close names was meant, where a body wikilink points), the diagnostic carries no value and nothing
is repaired. generator/checks/codes.py declares which values each code may carry.

How a note is fixed, so that the result is safe and a second run changes nothing:
1. The note is checked alone, its links against the whole vault (`NoteChecker`).
2. The whole file's encoding is repaired first (byte-order mark, line ends). A MergeBlocks is
   applied alone, and the note checked again: the other values read the merged block.
3. Each value becomes text edits (yaml_edit.py): values and items replaced, added or removed
   where they are written; nothing is dumped again. A code's edits are made together or not at
   all; a code whose edits touch a key that another code's edits changed in this round waits
   for the next round, where the note is checked again. Rounds go on until nothing is left.
4. The result is kept only when no diagnostic became more frequent; then it is written
   (files.write_note: atomically, or in place where a rename would break hard links), or shown
   as a unified diff with --dry-run. A note that cannot be written is left as it was and
   reported (FILE011); the other notes are still fixed, and the summary says what happened.
"""

from __future__ import annotations

import difflib
import logging
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..checks.codes import CODES, make
from ..checks.tags import tag_order
from ..checks.taxonomy import Taxonomy, default_taxonomy
from ..checks.validate import validate_vault
from ..files import write_note
from ..graph.links import Resolver, asset_names, note_links
from ..model import (
    AddItems,
    Diagnostic,
    MergeBlocks,
    Note,
    NoteKey,
    QuoteValue,
    RemoveItem,
    Reorder,
    Repair,
    ReplaceItem,
    ReplaceLine,
    SetValue,
    StripByteOrderMark,
    UnixLineEnds,
    Vault,
)
from ..notes.load import load_text, load_vault
from .yaml_edit import (
    Edit,
    FrontMatterText,
    add_items,
    apply,
    remove_item,
    render,
    render_date,
    render_list,
    reorder_items,
    replace_item,
    replace_lines,
    set_value,
)

log = logging.getLogger(__name__)

MAX_ROUNDS = 8

# Load problems after which the text on disk is not what was read: such a file is left alone.
_UNTOUCHABLE = frozenset({"FILE001", "FILE002", "FILE003", "FILE004", "FILE007", "FILE009"})

# When a code's edits are made within a round, by the kind of value: fence lines, whole values,
# then items replaced or removed, items added, and the order last, so that added tags go into
# a cleaned list and sorting sees the final one. Codes of the same kind go in the code table's
# order (FM206's contradicting tag is replaced before FM208 respells and FM209 removes).
_WHEN = {ReplaceLine: 0, SetValue: 1, QuoteValue: 1, ReplaceItem: 2, RemoveItem: 2,
         AddItems: 3, Reorder: 4}
_TABLE_ORDER = {code: position for position, code in enumerate(CODES)}


class NoteChecker:
    """Checks one note as `validate` would, its links resolved against the whole vault."""

    def __init__(self, vault: Vault, taxonomy: Taxonomy):
        self.vault = vault
        self.taxonomy = taxonomy
        self.resolver = Resolver.for_notes(vault.notes)
        self.notes = vault.by_key()
        self.assets = asset_names(vault)

    def check(self, note: Note) -> list[Diagnostic]:
        alone = Vault(self.vault.root, (note,), ())
        notes = {**self.notes, note.key: note}
        found = validate_vault(alone, self.taxonomy) + note_links(note, self.resolver, notes,
                                                                  self.assets)[1]
        return sorted(found, key=Diagnostic.sort_key)


# --- values -> edits ----------------------------------------------------------------------------

def edits_for(value: Repair, fm: FrontMatterText) -> list[Edit] | None:
    """The text edits a repair value stands for in the front matter `fm`: [] when its key is not
    written in a layout a line edit can change safely (nothing is done), None when an edit the
    value needs cannot be made (then its code's other edits are not made either)."""
    if isinstance(value, (MergeBlocks, StripByteOrderMark, UnixLineEnds)):
        raise TypeError(f"{type(value).__name__} is not a line edit: fix_text applies it first")
    if isinstance(value, ReplaceLine):
        start, end = fm.line_span(value.line)
        return [Edit(start, end, value.text)]
    target = fm.fields.get(value.field)
    if target is None:
        return None if isinstance(value, RemoveItem) else []
    scalar = target.scalar
    listed = target.kind in ("flow", "block") and target.items_are_scalars
    if isinstance(value, SetValue):
        if isinstance(value.value, str):
            if scalar is not None:
                return [set_value(target, render(value.value, scalar.style))]
            return [set_value(target, render(value.value))] if target.kind in ("flow", "block") \
                else []
        if scalar is None:
            return []
        if isinstance(value.value, tuple):
            return [set_value(target, render_list(list(value.value)))]
        return [set_value(target, render_date(value.value, scalar.style))]
    if isinstance(value, QuoteValue):
        return [set_value(target, render(scalar.source, "'"))] if scalar is not None else []
    if isinstance(value, ReplaceItem):
        if not listed or value.index >= len(target.items):
            return []
        item = target.items[value.index]
        return [replace_item(target, item, render(value.value, item.style,
                                                  flow=target.kind == "flow"))]
    if isinstance(value, RemoveItem):
        edit = remove_item(fm, target, value.index)
        return None if edit is None else [edit]
    if isinstance(value, AddItems):
        return add_items(fm, target, list(value.items), tag_order)
    if not listed or len(value.order) != len(target.items):  # Reorder
        return []
    return reorder_items(target, list(value.order))


def round_edits(fm: FrontMatterText, found: list[Diagnostic]) -> list[Edit]:
    """The edits of one round: each code's values together, in the order of _WHEN; a code whose
    edits touch a key an earlier code changed, or overlap an earlier edit, waits. (Values of the
    whole file are fix_text's, before any round.)"""
    by_code: dict[str, list[Repair]] = {}
    for d in found:
        if d.repair is not None and type(d.repair) in _WHEN:
            by_code.setdefault(d.code, []).append(d.repair)

    def when(code: str) -> tuple[int, int]:
        return min(_WHEN[type(value)] for value in by_code[code]), _TABLE_ORDER[code]

    edits: list[Edit] = []
    touched: set[str] = set()
    for code in sorted(by_code, key=when):
        new: list[Edit] = []
        for value in by_code[code]:
            made = edits_for(value, fm)
            if made is None:
                new = []
                break
            new.extend(made)
        if any(e.field is not None and e.field in touched for e in new) or \
                any(e.overlaps(other) for e in new for other in edits):
            continue  # the next round, when the text has settled
        edits.extend(new)
        touched |= {e.field for e in new if e.field is not None}
    return edits


def applied(text: str, value: Repair) -> str:
    """`text` with one repair value applied; as it was when the value cannot be. (fix_text
    applies the line edits of a round together, through round_edits.)"""
    if isinstance(value, StripByteOrderMark):
        return text.removeprefix("\ufeff")
    if isinstance(value, UnixLineEnds):
        return text.replace("\r\n", "\n").replace("\r", "\n")
    if isinstance(value, MergeBlocks):
        return apply(text, [replace_lines(text, value.first, value.last,
                                          ["---", *value.lines, "---"])])
    fm = FrontMatterText.parse(text)
    edits = edits_for(value, fm) if fm is not None else None
    return apply(text, edits) if edits else text


# --- one note -----------------------------------------------------------------------------------

@dataclass
class NoteFix:
    key: NoteKey
    before: str  # the file's text as read
    after: str  # as fixed
    repaired: Counter[str]  # code -> diagnostics that went away
    remaining: list[Diagnostic]
    refused: str | None = None  # why the fix was not kept


def repairable(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """The diagnostics that carry a repair."""
    return [d for d in diagnostics if d.repair is not None]


def fix_text(key: NoteKey, raw: str, checker: NoteChecker, path: Path | None = None) -> NoteFix:
    """The note `key` with text `raw`, repaired (see the module's docstring)."""
    first = load_text(key, raw, path)
    before = checker.check(first)
    if any(d.code in _UNTOUCHABLE for d in first.problems):
        return NoteFix(key, raw, raw, Counter(), before, "the file was not read as it is")
    text = raw
    for encoding in (StripByteOrderMark(), UnixLineEnds()):
        if any(d.repair == encoding for d in before):
            text = applied(text, encoding)
    for _ in range(MAX_ROUNDS):
        found = repairable(checker.check(load_text(key, text, path)))
        merge = next((d.repair for d in found if isinstance(d.repair, MergeBlocks)), None)
        if merge is not None:  # alone: the other values read the merged block
            text = applied(text, merge)
            continue
        fm = FrontMatterText.parse(text)
        if not found or fm is None:
            break
        changed = apply(text, round_edits(fm, found))
        if changed == text:
            break
        text = changed
    after = checker.check(load_text(key, text, path))
    repaired = Counter(d.code for d in before) - Counter(d.code for d in after)
    grew = Counter(d.code for d in after) - Counter(d.code for d in before)
    if grew:
        log.warning("%s: fixing would add %s; left as it was", key, dict(grew))
        return NoteFix(key, raw, raw, Counter(), before,
                       f"a repair would add {', '.join(sorted(grew))}; left as it was")
    return NoteFix(key, raw, text, repaired, after)


# --- the vault ----------------------------------------------------------------------------------

@dataclass
class FixResult:
    fixes: list[NoteFix] = field(default_factory=list)
    checked: int = 0  # notes looked at
    dry_run: bool = False
    diff: str = ""
    unwritten: list[Diagnostic] = field(default_factory=list)  # FILE011: notes left as they were

    @property
    def changed(self) -> list[NoteFix]:
        return [fix for fix in self.fixes if fix.after != fix.before]

    @property
    def repaired(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for fix in self.fixes:
            total += fix.repaired
        return total

    def summary(self) -> str:
        repaired = self.repaired
        by_code = ", ".join(f"{code} {count}" for code, count in sorted(repaired.items()))
        verb = "would repair" if self.dry_run else "repaired"
        lines = [f"kb fix: {verb} {sum(repaired.values())} diagnostics in "
                 f"{len(self.changed)} of {self.checked} notes" + (f" ({by_code})" if by_code
                                                                   else "")]
        lines += [f"kb fix: {fix.key}: {fix.refused}" for fix in self.fixes if fix.refused]
        lines += [f"kb fix: {d.path}: {d.severity} {d.code} {d.message}" for d in self.unwritten]
        remaining = sum(len(fix.remaining) for fix in self.fixes)
        if remaining:
            lines.append(f"kb fix: {remaining} diagnostics in these notes need an author "
                         "(`kb validate` lists them)")
        return "\n".join(lines)


def fix_vault(notes_dir: Path, taxonomy: Taxonomy | None = None,
              keys: set[NoteKey] | None = None, *, dry_run: bool = False) -> FixResult:
    """Repair every note of the vault (or the notes `keys`); with `dry_run`, only the diff."""
    vault = load_vault(notes_dir, only=set(keys) if keys is not None else None)
    checker = NoteChecker(vault, taxonomy if taxonomy is not None else default_taxonomy())
    result = FixResult(dry_run=dry_run)
    diffs: list[str] = []
    for note in vault.notes:
        if keys is not None and note.key not in keys:
            continue
        result.checked += 1
        if not repairable(checker.check(note)):
            continue
        try:
            raw = note.path.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # FILE001 / FILE004: reported by validate, nothing to repair here
        fixed = fix_text(note.key, raw, checker, note.path)
        result.fixes.append(fixed)
        if fixed.after == fixed.before:
            continue
        if dry_run:
            diffs.append("".join(difflib.unified_diff(
                fixed.before.splitlines(keepends=True), fixed.after.splitlines(keepends=True),
                fromfile=f"a/{note.key}", tofile=f"b/{note.key}")))
        else:
            try:
                write_note(note.path, fixed.after.encode("utf-8"))
            except OSError as error:
                # One note the user cannot write stops nothing: it is reported with what to
                # do, counted as not repaired, and the other notes are still fixed.
                result.unwritten.append(_unwritten(note.key, error))
                result.fixes[-1] = replace(fixed, after=fixed.before, repaired=Counter())
    result.diff = "".join(diffs)
    return result


def _unwritten(key: NoteKey, error: OSError) -> Diagnostic:
    if isinstance(error, PermissionError):
        message = "cannot write: permission denied; make the file writable and run kb fix again"
    else:  # a read-only file system, a full disk: the reason, as the system gives it
        reason = (error.strerror or type(error).__name__).lower()
        message = f"cannot write: {reason}; run kb fix again once the file can be written"
    return make("FILE011", key, None, message)
