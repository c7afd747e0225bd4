"""Which pages an edit affects (generator/site/affected.py), as a table: a small vault, one edit
each, and the notes whose pages `serve` must re-render."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.graph.links import build_graph
from generator.model import Vault
from generator.notes.load import load_text
from generator.site.affected import Affected, by_edit

QUESTION = "70-Kotlin/q-a--kotlin--easy.md"
CONCEPT = "10-Concepts/c-b.md"
MOC = "90-MOCs/moc-kotlin.md"
IN_MOC = "70-Kotlin/q-c--kotlin--medium.md"
LINKER = "70-Kotlin/q-d--kotlin--hard.md"
ALONE = "40-Android/q-e--android--easy.md"
NEW = "40-Android/q-f--android--easy.md"


def note(title: str, body: str = "Text.", **fields: str) -> str:
    lines = ["---", f"title: {title}", *(f"{key}: {value}" for key, value in fields.items()), "---"]
    return "\n".join([*lines, body, ""])


VAULT = {
    QUESTION: note("A / А", related="[c-b]", moc="moc-kotlin"),
    CONCEPT: note("B / Б"),
    MOC: note("Kotlin / Котлин", "# Kotlin\n\nThe questions."),
    IN_MOC: note("C / В", moc="moc-kotlin"),
    LINKER: note("D / Г", "See [[c-b]]."),
    ALONE: note("E / Д"),
}


def graph_of(files: dict[str, str]):
    notes = tuple(load_text(rel, text) for rel, text in sorted(files.items()))
    return build_graph(Vault(root=Path("/vault"), notes=notes, skipped=()))


EDITS = [
    # (id, the edit: path -> new text or None for deleted, the notes affected, every page)
    ("a note nothing links", {ALONE: note("E2 / Д2")}, {ALONE}, False),
    ("a note's neighbours both ways", {CONCEPT: note("B2 / Б2")}, {CONCEPT, QUESTION, LINKER},
     False),
    ("a MOC member: the MOC and its other members", {IN_MOC: note("C2 / В2", moc="moc-kotlin")},
     {IN_MOC, MOC, QUESTION}, False),
    ("a link removed: its old target", {LINKER: note("D / Г", "No link.")}, {LINKER, CONCEPT},
     False),
    ("a link added: its new target", {ALONE: note("E / Д", "See [[c-b]].")}, {ALONE, CONCEPT},
     False),
    ("the MOC itself: its members", {MOC: note("Kotlin2 / Котлин2")}, {MOC, QUESTION, IN_MOC},
     False),
    ("a new note: every page", {NEW: note("F / Е", "See [[c-b]].")}, {NEW, CONCEPT}, True),
    ("a deleted note: every page", {ALONE: None}, set(), True),
    ("a deleted note's neighbours are still stale", {LINKER: None}, {CONCEPT}, True),
    ("a note that is not there, deleted", {NEW: None}, set(), False),
    ("two notes at once", {ALONE: note("E2 / Д2"), LINKER: note("D2 / Г2", "See [[c-b]].")},
     {ALONE, LINKER, CONCEPT}, False),
]


@pytest.mark.parametrize(("edit", "notes", "every_page"), [case[1:] for case in EDITS],
                         ids=[case[0] for case in EDITS])
def test_what_an_edit_affects(edit, notes, every_page):
    after = dict(VAULT)
    for rel, text in edit.items():
        if text is None:
            after.pop(rel, None)
        else:
            after[rel] = text
    affected = by_edit(graph_of(VAULT), graph_of(after), edit)
    assert affected == Affected(frozenset(notes), every_page)


def test_the_pages_are_the_notes_pages_in_every_language():
    assert Affected(frozenset({"topics/kotlin.md", CONCEPT})).note_pages == {
        "_notes/topics/kotlin.md", CONCEPT}
