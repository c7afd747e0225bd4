"""Validate stage: rules over loaded notes -> Diagnostics. (Rules are being added.)"""

from __future__ import annotations

from .model import Diagnostic, Vault


def validate_vault(vault: Vault, taxonomy: object | None = None) -> list[Diagnostic]:
    """Every problem in the vault's notes: what loading found, then each rule's findings."""
    return [problem for note in vault.notes for problem in note.problems]
