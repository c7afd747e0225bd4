"""Rules on ids, file names and paths: a file name that follows its kind's pattern (ID002) and
agrees with the front matter (ID003), a path the site keeps for a page of its own (ID004), and
ids two notes share (ID001, the one rule that looks across notes).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from ..authoring.new_note import next_free_id
from ..model import Diagnostic, Note, Vault
from ..paths import is_reserved, page_path
from .codes import make
from .context import Context, key_line
from .taxonomy import KindSpec


def check_file_name(note: Note, context: Context) -> Iterator[Diagnostic]:
    """The file name follows its kind's pattern (ID002) and agrees with the front matter
    (ID003)."""
    taxonomy = context.taxonomy
    stem = note.stem
    kind = context.kind(note)
    if kind is None:
        if note.kind == "note" and taxonomy.kinds:
            prefixes = ", ".join(f"{k.prefix}" for k in taxonomy.kinds.values() if k.prefix)
            yield make("ID002", note.key, note.front.start_line or 1,
                       f"file name '{note.path.name}' starts with none of {prefixes} and the "
                       "note has no `kind`, so no kind's rules apply")
        return  # a declared kind the taxonomy lacks is FM201's
    match = kind.pattern.match(stem)
    if match is None:
        named_like = taxonomy.kind_for_prefix(stem)
        if named_like is not None and named_like is not kind and named_like.pattern.match(stem):
            yield make("ID003", note.key, key_line(note, "kind"),
                       f"file name '{note.path.name}' is that of a {named_like.name}, but the "
                       f"note is a {kind.name} (`kind: {note.meta.get('kind')}`)", field="kind")
            return
        yield make("ID002", note.key, note.front.start_line or 1,
                   f"file name '{note.path.name}' does not follow the {kind.name} pattern "
                   f"'{kind.file_name}.md'{_name_hint(stem, kind)}")
        return
    if note.front.start_line == 0:
        return
    expected = kind.file_name_for(note.meta, match.group("slug"))
    for index, name in enumerate(kind.placeholder_fields):
        in_name = match.group(f"f{index}")
        value = note.meta.get(name)
        spec = taxonomy.fields.get(name)
        if not isinstance(value, str) or not value.strip() or value == in_name or \
                (spec is not None and spec.values and value not in spec.values):
            continue  # a missing or disallowed value is the field rules' (FM101, FM201)
        yield make("ID003", note.key, key_line(note, name),
                   f"file name says {name} '{in_name}' but the front matter says '{value}'",
                   field=name,
                   fix=f"rename the file to '{expected}.md' (and links to it)"
                   if expected else None)


def check_reserved_path(note: Note, context: Context) -> Iterator[Diagnostic]:
    """A note at a path the generator writes its own page at (paths.py) is published
    elsewhere, never overwritten: the author should know its URL is not the usual one."""
    if is_reserved(note.key):
        yield make("ID004", note.key, note.front.start_line or 1,
                   f"'{note.key}' is where the site has a page of its own; the note is published "
                   f"at '{page_path(note.key)}' instead. Move or rename the note to give it its "
                   "own URL.")


def _name_hint(stem: str, kind: KindSpec) -> str:
    if re.search(r"[А-Яа-яЁё]", stem):
        return " (file names are English only)"
    if re.search(r"[A-Z]", stem):
        return " (file names are lowercase)"
    if re.search(r"[\s_]", stem):
        return " (words are joined by hyphens, not spaces or underscores)"
    if "--" in stem and "--" not in kind.file_name:
        return " ('--' separates the parts of question names only)"
    if not re.fullmatch(r"[a-z0-9-]+", stem):
        return " (only a-z, 0-9 and hyphens)"
    return ""


def check_unique_ids(vault: Vault) -> Iterator[Diagnostic]:
    """No two notes share an id (ID001). Ids match without regard to case, as links do. Each
    note of a clash is offered a different free id in the style of the one it has
    (new_note.next_free_id), so that any of them can take it."""
    by_id: dict[str, list[Note]] = defaultdict(list)
    for note in vault.notes:
        value = note.meta.get("id")
        if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value).strip():
            by_id[str(value).strip().casefold()].append(note)
    taken = set(by_id)
    for notes in by_id.values():
        if len(notes) < 2:
            continue
        for note in notes:
            others = [other.key for other in notes if other is not note]
            shown = ", ".join(others[:3]) + (f" and {len(others) - 3} more"
                                             if len(others) > 3 else "")
            free = next_free_id(str(note.meta["id"]), taken)
            if free is not None:
                taken.add(free.casefold())
            yield make("ID001", note.key, key_line(note, "id"),
                       f"id '{note.meta['id']}' is also the id of {shown}"
                       + (f"; the next free id in its style is '{free}'" if free else ""),
                       field="id")
