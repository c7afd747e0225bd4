"""`kb fix`: apply the mechanical repairs that diagnostics describe, editing only the lines
concerned.

A repair exists for a code when there is one right answer: the `difficulty/<level>` tag the
`difficulty` field implies, a tag listed twice, `2025/10/03` for `2025-10-03`, `--- x` for
`---`, `aliases: Foo` for `aliases: [Foo]`, a `related` entry for the note's file name when
the note was renamed, one front-matter block for the blocks a tool left (FM008, a repair the
diagnostic carries as a value, `MergeBlocks`, applied before the others), a misspelling with
a clear winner (a value by taxonomy.suggest's rule: `meduim` -> `medium`; a dead `related`
or `moc` entry by graph.dead_link_meant's, "sure"). Where the author must choose (which
language a note lacks, whether a file or its front matter is wrong about its topic, which
of two values a key given twice keeps, which of two close names was meant, where a body
wikilink points), nothing is repaired.

How a note is fixed, so that the result is safe and a second run changes nothing:
1. The note is checked alone, its links against the whole vault (`NoteChecker`).
2. Each code with a repair turns its diagnostics into text edits (yaml_edit.py): values and
   items replaced, added or removed where they are written; nothing is dumped again.
3. Edits are applied; two repairs of the same key wait for the next round, where the note is
   checked again. Rounds go on until nothing repairable is left.
4. The result is kept only when no diagnostic became more frequent; then it is written
   (files.write_note: atomically, or in place where a rename would break hard links), or shown
   as a unified diff with --dry-run. A note that cannot be written is left as it was and
   reported (FILE011); the other notes are still fixed, and the summary says what happened.
"""

from __future__ import annotations

import difflib
import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..checks.codes import make
from ..checks.taxonomy import Taxonomy, default_taxonomy, suggest
from ..checks.validate import _flatten_name, scalar_as_list, validate_vault
from ..files import write_note
from ..graph.links import Resolver, asset_names, dead_link_meant, note_links, strip_brackets
from ..model import Diagnostic, MergeBlocks, Note, NoteKey, Vault
from ..notes.dates import unambiguous_date
from ..notes.load import load_text, load_vault
from . import fix_tags
from .yaml_edit import (
    Edit,
    Field,
    FrontMatterText,
    apply,
    render,
    render_date,
    render_list,
    replace_item,
    replace_lines,
    set_value,
)

log = logging.getLogger(__name__)

MAX_ROUNDS = 8

# Codes whose repair is the whole file's encoding, done before any line is edited.
WHOLE_FILE = {"FILE005": "the byte-order mark is removed", "FILE006": "line ends become LF"}
# Load problems after which the text on disk is not what was read: such a file is left alone.
_UNTOUCHABLE = frozenset({"FILE001", "FILE002", "FILE003", "FILE004", "FILE007", "FILE009"})


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


@dataclass
class Context:
    """What a repair reads: the note as loaded, its front matter's layout, the vault."""

    note: Note
    fm: FrontMatterText
    taxonomy: Taxonomy
    checker: NoteChecker

    def field(self, name: str | None) -> Field | None:
        return self.fm.fields.get(name) if name else None


Repair = Callable[[Context, list[Diagnostic]], list[Edit]]


# --- the repairs --------------------------------------------------------------------------------

def _fence(ctx: Context, found: list[Diagnostic]) -> list[Edit]:
    """FM002: `--- x` or `---- ` read as a fence becomes `---`."""
    edits = []
    for line in sorted({d.line for d in found if d.line}):
        start, end = ctx.fm.line_span(line)
        if ctx.fm.text[start:end].startswith("---"):
            edits.append(Edit(start, end, "---"))
    return edits


def _dates(ctx: Context, found: list[Diagnostic]) -> list[Edit]:
    """DATE001: an unambiguous date written otherwise becomes YYYY-MM-DD, in the quotes (or
    none) it had."""
    edits = []
    for d in found:
        target = ctx.field(d.field)
        meant = unambiguous_date(ctx.note.meta.get(d.field or ""))
        if target is None or target.scalar is None or meant is None:
            continue
        edits.append(set_value(target, render_date(meant, target.scalar.style)))
    return edits


def _types(ctx: Context, found: list[Diagnostic]) -> list[Edit]:
    """FM103: a list field given as one value (`aliases: Foo`), a single-value field given as
    a list of one (`topic: [kotlin]`, `moc: [[moc-kotlin]]`), a number or yes/no where text
    is meant (`title: 2025` is quoted)."""
    edits = []
    for name in sorted({d.field for d in found if d.field}):
        spec = ctx.taxonomy.fields.get(name)
        target = ctx.field(name)
        value = ctx.note.meta.get(name)
        if spec is None or target is None:
            continue
        if spec.type == "list" and target.scalar is not None and \
                isinstance(value, (str, int, float)) and not isinstance(value, bool):
            edits.append(set_value(target, render_list(scalar_as_list(name, value))))
        elif spec.type == "string" and isinstance(value, list):
            single = _flatten_name(value)
            if single is not None and target.kind in ("flow", "block"):
                edits.append(set_value(target, render(single)))
        elif spec.type == "string" and target.scalar is not None and \
                isinstance(value, (bool, int, float)):
            edits.append(set_value(target, render(target.scalar.source, "'")))
    return edits


def _values(ctx: Context, found: list[Diagnostic]) -> list[Edit]:
    """FM201, FM202: a value the taxonomy allows but written in another case or with spaces
    (`Medium`, ` easy`) is written as the taxonomy has it, a misspelt one (`meduim`) as
    taxonomy.suggest's clear winner, when there is one."""
    edits = []
    for name in sorted({d.field for d in found if d.field}):
        target = ctx.field(name)
        spec = ctx.taxonomy.fields.get(name)
        allowed = tuple(ctx.taxonomy.kinds) if name == "kind" else (spec.values if spec else None)
        if target is None or not allowed:
            continue
        scalars = [target.scalar] if target.scalar else list(target.items)
        for scalar in scalars:
            normal = scalar.value.strip().lower()
            meant = normal if normal in allowed else suggest(scalar.value, allowed)
            if meant is not None and meant != scalar.value:
                edits.append(replace_item(target, scalar, render(meant, scalar.style,
                                                                 flow=target.kind == "flow")))
    return edits


def _links(ctx: Context, found: list[Diagnostic]) -> list[Edit]:
    """LINK001 (the note was renamed, or is surely the one meant: graph.dead_link_meant),
    LINK005 (found only by an alias or title), FM104 (written as a [[wikilink]]): the entry
    becomes the note's file name, in the quoting it had."""
    resolver, notes = ctx.checker.resolver, ctx.checker.notes
    codes = {d.code for d in found}
    edits = []
    for name in sorted({d.field for d in found if d.field in ("related", "moc")}):
        target = ctx.field(name)
        if target is None:
            continue
        for scalar in [target.scalar] if target.scalar else list(target.items):
            written = scalar.value
            bare = strip_brackets(written)
            new = written
            if "LINK001" in codes and resolver.resolve(bare, ctx.note.key) is None:
                meant = dead_link_meant(resolver, notes, ctx.note.key, bare, name)
                if meant is not None and meant[1] != "close":
                    new = new.replace(bare, notes[meant[0]].stem, 1)
            elif "LINK005" in codes and resolver.by_other_name(bare):
                key = resolver.resolve(bare, ctx.note.key)
                if key is not None:
                    new = new.replace(bare, notes[key].stem, 1)
            if "FM104" in codes and new.strip().startswith("[["):
                new = strip_brackets(new)
            if new != written:
                edits.append(replace_item(target, scalar, render(new, scalar.style,
                                                                 flow=target.kind == "flow")))
    return edits


# In the order they are tried within a round; a later repair of a key an earlier one changed
# waits for the next round.
REPAIRS: dict[str, Repair] = {
    "FM002": _fence,
    "FM103": _types,
    "FM104": _links,
    "FM201": _values,
    "FM202": _values,
    "FM206": fix_tags.contradicting_difficulty,
    "FM208": fix_tags.tag_spelling,
    "FM209": fix_tags.duplicate_tags,
    "FM205": fix_tags.difficulty_tag,
    "FM207": fix_tags.mirror_tags,
    "FM210": fix_tags.sort_tags,
    "DATE001": _dates,
    "LINK001": _links,
    "LINK005": _links,
}


# Codes whose diagnostics carry their repair as a value (Diagnostic.repair), applied by
# _value_edit rather than by a function of REPAIRS.
REPAIRED_AS_DATA = frozenset({"FM008"})


def repaired_codes() -> list[str]:
    """Every code `kb fix` repairs (when the diagnostic says how)."""
    return sorted({*REPAIRS, *WHOLE_FILE, *REPAIRED_AS_DATA})


# --- one note -----------------------------------------------------------------------------------

@dataclass
class NoteFix:
    key: NoteKey
    before: str  # the file's text as read
    after: str  # as fixed
    repaired: Counter[str]  # code -> diagnostics that went away
    remaining: list[Diagnostic]
    refused: str | None = None  # why the fix was not kept


def _repairable(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diagnostics if d.fix is not None and (d.code in REPAIRS or
                                                             d.code in WHOLE_FILE or
                                                             d.repair is not None)]


def _value_edit(text: str, value: MergeBlocks) -> Edit:
    """The edit a repair value stands for. MergeBlocks (FM008): the damaged front matter's
    lines become one block; the body after it is not touched."""
    return replace_lines(text, value.first, value.last, ["---", *value.lines, "---"])


def fix_text(key: NoteKey, raw: str, checker: NoteChecker, path: Path | None = None) -> NoteFix:
    """The note `key` with text `raw`, repaired (see the module's docstring)."""
    first = load_text(key, raw, path)
    before = checker.check(first)
    if any(d.code in _UNTOUCHABLE for d in first.problems):
        return NoteFix(key, raw, raw, Counter(), before, "the file was not read as it is")
    text = raw
    if any(d.code in WHOLE_FILE for d in before):
        text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    for _ in range(MAX_ROUNDS):
        note = load_text(key, text, path)
        found = _repairable(checker.check(note))
        values = [d.repair for d in found if d.repair is not None]
        if values:  # repairs given as data come first: the others read the repaired text
            text = apply(text, [_value_edit(text, values[0])])
            continue
        pending = [d for d in found if d.code in REPAIRS]
        fm = FrontMatterText.parse(text)
        if not pending or fm is None:
            break
        context = Context(note, fm, checker.taxonomy, checker)
        edits: list[Edit] = []
        touched: set[str | None] = set()
        done: set[Repair] = set()
        for code in REPAIRS:
            repair = REPAIRS[code]
            found = [d for d in pending if d.code == code]
            if not found or repair in done:
                continue
            if repair is _links or repair is _values:  # one pass over all their codes
                found = [d for d in pending if REPAIRS[d.code] is repair]
            done.add(repair)
            new = repair(context, found)
            if any(e.field is not None and e.field in touched for e in new) or \
                    any(e.overlaps(other) for e in new for other in edits):
                continue  # the next round, when the text has settled
            edits.extend(new)
            touched |= {e.field for e in new}
        changed = apply(text, edits) if edits else text
        if changed == text:
            break
        text = changed
    final = load_text(key, text, path)
    after = checker.check(final)
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


def fix_vault(notes_dir: Path, taxonomy: object | None = None,
              keys: set[NoteKey] | None = None, *, dry_run: bool = False) -> FixResult:
    """Repair every note of the vault (or the notes `keys`); with `dry_run`, only the diff."""
    if taxonomy is None:
        taxonomy = default_taxonomy()
    assert isinstance(taxonomy, Taxonomy)
    vault = load_vault(notes_dir, only=set(keys) if keys is not None else None)
    checker = NoteChecker(vault, taxonomy)
    result = FixResult(dry_run=dry_run)
    diffs: list[str] = []
    for note in vault.notes:
        if keys is not None and note.key not in keys:
            continue
        result.checked += 1
        if not _repairable(checker.check(note)):
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
