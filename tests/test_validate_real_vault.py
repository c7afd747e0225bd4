"""Validation over the real vault (read-only; KB_CORPUS overrides its path, the tests skip when
it is absent): what only 1,300 real notes can show. Every rule's own cases are in
test_validate.py, on the fixture vault, and run everywhere."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.checks.codes import CODES
from generator.checks.validate import validate_vault
from generator.notes.language import reassigned_sections
from generator.notes.load import load_vault

TODAY = dt.date(2025, 11, 25)

# Real notes of each shape that pass every rule as they are: the fixture vault's notes are
# written after them (flow and block lists, quoted dates, a concept with and without `kind`).
CLEAN = [
    "70-Kotlin/q-data-class-purpose--kotlin--easy.md",
    "40-Android/q-fragmentmanager-vs-fragmenttransaction--android--medium.md",
    "10-Concepts/c-kotlin.md",
    "10-Concepts/c-android-tv.md",
    "90-MOCs/moc-cs.md",
    "10-Concepts/c-flow.md",
    "10-Concepts/c-equality.md",
]


def mark_moved_sections(text: str) -> str:
    """`text` with LANG007's advice taken: real concept notes keep English sections under
    '# Сводка (RU)'; marked '(EN)', they are clean (LANG007 has its own cases in
    test_validate.py). The heading lines keep their numbers."""
    lines = text.split("\n")
    for moved in reassigned_sections(text, 1):
        if moved.section.language is not None:
            lines[moved.section.line - 1] += f" ({moved.section.language.upper()})"
    return "\n".join(lines)


@pytest.mark.real_vault
@pytest.mark.parametrize("rel", CLEAN)
def test_real_notes_of_each_shape_are_clean(corpus: Path, tmp_path: Path, rel: str):
    path = tmp_path / "notes" / rel
    path.parent.mkdir(parents=True)
    path.write_text(mark_moved_sections((corpus / rel).read_text(encoding="utf-8")), encoding="utf-8")
    assert validate_vault(load_vault(tmp_path / "notes"), today=TODAY) == []


@pytest.mark.real_vault
def test_real_vault_diagnostics_are_consistent(corpus: Path):
    vault = load_vault(corpus)
    diagnostics = validate_vault(vault, today=TODAY)
    keys = {note.key for note in vault.notes}
    for d in diagnostics:
        assert d.code in CODES and d.severity == CODES[d.code].severity, d
        assert not d.fix or CODES[d.code].fixable, d
        assert d.path in keys
        assert d.line is None or d.line >= 1
    # No rule fails on any real note (GEN001 would be a generator bug).
    assert not [d for d in diagnostics if d.code == "GEN001"]
    # Quoted dates are text; they are valid ISO dates and give no DATE001.
    assert not [d for d in diagnostics if d.code == "DATE001"]
