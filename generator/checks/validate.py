"""Validate stage: rules over loaded notes -> Diagnostics.

Every note goes through every rule; nothing stops at the first problem, and a rule that fails
on strange data is reported as GEN001 while the other rules still run. What the rules allow
comes from the taxonomy (generator/checks/taxonomy_default.yml or the vault's own), what each code
means from generator/checks/codes.py. Links are checked later, by graph/links.py (LINK001-LINK005).

The rules, by family: fields.py (presence, types, values, dates, placeholders in fields),
tags.py, ids.py (file names, paths, ids across notes), languages.py (EN/RU sections), body.py
(paragraphs, placeholders in the text). A rule that finds a problem with one right answer puts
it in the diagnostic as a repair value, which `kb fix` applies; it repairs nothing itself.
"""

from __future__ import annotations

import datetime as dt
import logging

from ..model import Diagnostic, Note, NoteKey, Vault
from ..notes.placeholders import placeholder_in
from .body import check_paragraphs, check_placeholder_text
from .codes import make
from .context import Context, Rule
from .fields import (
    check_dates,
    check_links_format,
    check_placeholder_fields,
    check_required,
    check_title,
    check_types,
    check_unknown_keys,
    check_values,
)
from .ids import check_file_name, check_reserved_path, check_unique_ids
from .languages import check_empty_sections, check_languages, check_missing_parts
from .tags import check_tags
from .taxonomy import Taxonomy, default_taxonomy

log = logging.getLogger(__name__)

# Load problems after which the front matter's data is empty or not the author's: rules that
# read fields would only repeat "missing" for what the load problem already explains.
_FRONT_MATTER_LOST = frozenset({"FILE001", "FILE002", "FM001", "FM003", "FM004", "FM005",
                                "FM007"})

NOTE_RULES: tuple[Rule, ...] = (
    check_required, check_types, check_values, check_tags, check_links_format, check_title,
    check_file_name, check_dates, check_languages, check_empty_sections, check_paragraphs,
    check_placeholder_fields, check_placeholder_text, check_reserved_path, check_missing_parts,
    check_unknown_keys,
)
# What still applies when the front matter could not be read.
BODY_RULES: tuple[Rule, ...] = (check_file_name, check_empty_sections, check_paragraphs,
                                check_placeholder_text, check_reserved_path)


def validate_vault(vault: Vault, taxonomy: Taxonomy | None = None, *,
                   today: dt.date | None = None,
                   only: set[NoteKey] | None = None) -> list[Diagnostic]:
    """Every problem in the vault's notes: what loading found, then each rule's findings.

    `taxonomy` defaults to the built-in one; `today` (for dates in the future) to the
    current date, and tests pass a fixed one. With `only`, just those notes are checked
    (`validate PATH…`), against the whole vault where a rule looks across notes (ids).
    """
    context = Context(taxonomy=taxonomy if taxonomy is not None else default_taxonomy(),
                      today=today or dt.date.today())
    diagnostics: list[Diagnostic] = [problem for problem in vault.problems
                                     if only is None or problem.path in only]
    for note in vault.notes:
        if only is not None and note.key not in only:
            continue
        diagnostics.extend(note.problems)
        usable = not any(problem.code in _FRONT_MATTER_LOST for problem in note.problems)
        found = [d for rule in (NOTE_RULES if usable else BODY_RULES)
                 for d in _run(rule, note, context)]
        diagnostics.extend(_quiet_placeholders(note, found))
    diagnostics.extend(d for d in check_unique_ids(vault) if only is None or d.path in only)
    return diagnostics


def _quiet_placeholders(note: Note, found: list[Diagnostic]) -> list[Diagnostic]:
    """A field that still holds its template's placeholder is reported once, as TODO001; the
    rules that would call it empty, misspelt or unknown keep quiet about it."""
    fields = {name for name, value in note.meta.items() if placeholder_in(value) is not None}
    if not fields:
        return found
    return [d for d in found if d.code == "TODO001" or d.field not in fields]


def _run(rule: Rule, note: Note, context: Context) -> list[Diagnostic]:
    try:
        return list(rule(note, context))
    except Exception as error:  # noqa: BLE001 - one broken rule must not hide the others
        log.exception("rule %s failed on %s", rule.__name__, note.key)
        return [make("GEN001", note.key, None,
                     f"rule {rule.__name__} failed on this note: {type(error).__name__}: {error}")]
