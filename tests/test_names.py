"""File names that one file system keeps apart and another does not: names differing only in
letter case or in Unicode normalisation are reported (FILE008), and a link goes to the file
spelt as it is written before a case or normalisation variant of it."""

from __future__ import annotations

import unicodedata

import pytest

from generator.graph.links import build_graph
from generator.notes.load import load_vault

from .conftest import note_text

NFC = unicodedata.normalize("NFC", "café")
NFD = unicodedata.normalize("NFD", "café")
assert NFC != NFD  # the test means two different names that print alike


def _note(id: str, body: str = "") -> str:
    return note_text(id=id, title=f"Note {id}", body=body)


def _file008(root) -> dict[str, str]:
    return {d.path: d.message for d in load_vault(root).problems if d.code == "FILE008"}


def test_names_differing_only_in_normalisation_are_reported_naming_both(make_vault):
    root = make_vault({f"{NFC}.md": _note("1"), f"{NFD}.md": _note("2"), "other.md": _note("3")})
    found = _file008(root)
    assert set(found) == {f"{NFC}.md", f"{NFD}.md"}
    message = found[f"{NFC}.md"]
    assert f"'{NFD}.md'" in message and "Unicode normalisation" in message
    # The two names print alike: the message says which is which.
    assert "that one NFD, decomposed, this one NFC, composed" in message
    assert "that one NFC, composed, this one NFD, decomposed" in found[f"{NFD}.md"]


@pytest.mark.parametrize(("names", "kind"), [
    (("c-Flow.md", "c-flow.md"), "only in letter case from"),
    ((f"{NFC.upper()}.md", f"{NFD}.md"), "only in letter case and Unicode normalisation from"),
    ((f"{NFC}/a.md", f"{NFD}/a.md"), "only in Unicode normalisation from"),
], ids=["case", "case-and-normalisation", "folders"])
def test_each_kind_of_difference_is_named(make_vault, names, kind):
    root = make_vault({name: _note(str(i)) for i, name in enumerate(names)})
    found = _file008(root)
    assert set(found) == set(names)
    assert kind in found[names[0]] and f"'{names[1]}'" in found[names[0]]


def test_distinct_names_are_not_reported(make_vault):
    root = make_vault({"cafe.md": _note("1"), f"{NFC}.md": _note("2"), "résumé.md": _note("3")})
    assert _file008(root) == {}


@pytest.mark.parametrize(("files", "link", "expected"), [
    (("c-Flow.md", "c-flow.md"), "c-flow", "c-flow.md"),
    (("c-Flow.md", "c-flow.md"), "c-Flow", "c-Flow.md"),
    (("a/Note.md", "b/note.md"), "note", "b/note.md"),
    (("a/Note.md", "b/note.md"), "Note", "a/Note.md"),
    (("a/Note.md", "b/note.md"), "b/note", "b/note.md"),
    ((f"{NFC}.md", f"{NFD}.md"), NFD, f"{NFD}.md"),
    ((f"{NFC}.md", f"{NFD}.md"), NFC, f"{NFC}.md"),
    ((f"a/{NFC}.md", f"b/{NFD}.md"), NFD, f"b/{NFD}.md"),
    # No exact spelling: any variant is found, as Obsidian does.
    (("c-Flow.md",), "C-FLOW", "c-Flow.md"),
    ((f"{NFD}.md",), NFC, f"{NFD}.md"),
    ((f"{NFC}.md",), NFD.upper(), f"{NFC}.md"),
], ids=["lower", "upper", "stem-lower", "stem-upper", "path", "nfd", "nfc", "stem-nfd",
        "case-only-variant", "nfc-link-to-nfd-file", "nfd-upper-link-to-nfc-file"])
def test_a_link_goes_to_the_file_spelt_as_written(make_vault, files, link, expected):
    notes = {name: _note(str(i)) for i, name in enumerate(files)}
    notes["c/source.md"] = _note("source", f"[[{link}]]\n")
    graph = build_graph(load_vault(make_vault(notes)))
    assert set(graph.graph.successors("c/source.md")) == {expected}
    assert not [d for d in graph.diagnostics if d.code == "LINK002"]


def test_front_matter_entries_prefer_the_exact_spelling_too(make_vault):
    root = make_vault({
        "a/Note.md": _note("1"), "b/note.md": _note("2"),
        "c/source.md": note_text(id="3", title="S", related="[note]", body=""),
    })
    graph = build_graph(load_vault(root))
    assert graph.related("c/source.md") == ["b/note.md"]
