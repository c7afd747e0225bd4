"""`validate PATH…`: the given notes get exactly the diagnostics a full `validate` gives them
(links and ids still against the whole vault), while the other notes are read for their front
matter only. Timing is the benchmark's job (bench/bench_validate.py), not a test's."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from generator import pipeline
from generator.cli import main
from generator.model import BuildReport, NoteKey
from generator.notes.load import load_vault
from tests.conftest import REPO_ROOT

NOTES = REPO_ROOT / "notes"


def full(root: Path) -> dict[str, list[tuple]]:
    by_path: dict[str, list[tuple]] = {}
    for d in pipeline.check(root, BuildReport()).diagnostics:
        by_path.setdefault(d.path, []).append((d.code, d.line, d.column, d.field, d.message))
    return by_path


def partial(root: Path, keys: set[str]) -> list[tuple]:
    found = pipeline.check_paths(root, {NoteKey(key) for key in keys}, BuildReport())
    return [(d.path, d.code, d.line, d.column, d.field, d.message) for d in found]


def test_paths_give_what_the_full_run_gives_on_the_real_vault(corpus):
    """Every note with diagnostics, in batches, and a sample of clean ones."""
    whole = full(corpus)
    keys = sorted(note.key for note in load_vault(corpus, only=set()).notes)
    clean = [key for key in keys if key not in whole]
    chosen = sorted(whole) + random.Random(7).sample(clean, 25)
    for start in range(0, len(chosen), 150):
        batch = set(chosen[start:start + 150])
        got = partial(corpus, batch)
        want = sorted((path, *item) for path in batch for item in whole.get(path, []))
        assert sorted(got) == want


def test_one_note_with_a_duplicate_id_and_a_dead_link(tmp_path):
    root = tmp_path / "notes"
    shutil.copytree(NOTES, root)
    a = "70-Kotlin/q-launch-vs-async--kotlin--easy.md"
    path = root / a
    text = path.read_text(encoding="utf-8")
    text = text.replace("id: kotlin-101", "id: kotlin-102").replace(
        "related: [c-coroutines,", "related: [c-coroutinez,")
    path.write_text(text, encoding="utf-8")
    got = [(code, field) for _, code, _, _, field, _ in partial(root, {a})]
    assert sorted(got) == [("ID001", "id"), ("LINK001", "related")]
    assert got == [(code, field) for code, _, _, field, _ in full(root)[a]]


@pytest.mark.parametrize(("paths", "status", "out", "err"), [
    (["notes/70-Kotlin/q-launch-vs-async--kotlin--easy.md"], 0, "1 note checked: 0 errors", ""),
    (["notes/90-MOCs/moc-kotlin.md", "notes/10-Concepts/c-coroutines.md"], 0,
     "2 notes checked", ""),
    (["README.md"], 0, "0 notes checked", "not in the notes folder"),
    (["notes/missing.md"], 2, "", "file not found: notes/missing.md"),
], ids=["one-note", "two-notes", "outside-the-notes-folder", "missing-file"])
def test_command_line(capsys, monkeypatch, paths, status, out, err):
    monkeypatch.chdir(REPO_ROOT)
    assert main(["validate", "--notes", "notes", "--strict", *paths]) == status
    captured = capsys.readouterr()
    assert out in captured.out
    assert err in captured.err


def test_files_that_are_no_notes_are_left_out(tmp_path, capsys, monkeypatch):
    root = tmp_path / "vault"
    (root / "_templates").mkdir(parents=True)
    (root / "_templates" / "_tpl-qna.md").write_text("---\nid: x\n---\n...\n", encoding="utf-8")
    (root / "README.md").write_text("# A vault\n", encoding="utf-8")
    monkeypatch.chdir(root)
    assert main(["validate", "--notes", ".", "README.md", "_templates/_tpl-qna.md"]) == 0
    assert "0 notes checked" in capsys.readouterr().out


def test_errors_fail_and_github_format_names_the_file(tmp_path, capsys, monkeypatch):
    root = tmp_path / "notes"
    shutil.copytree(NOTES, root)
    rel = "10-Concepts/c-caching.md"
    text = (root / rel).read_text(encoding="utf-8")
    (root / rel).write_text(text.replace("created: ", "created: 2025-13-45 #", 1), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "--notes", "notes", "--format", "github", f"notes/{rel}"]) == 1
    out = capsys.readouterr().out
    assert f"::error file=notes/{rel},line=" in out and "DATE001" in out
