"""Which files are notes, and that nothing is dropped silently."""

from __future__ import annotations

import os

import pytest

from generator.notes.load import is_note_path, load_vault


@pytest.mark.parametrize(("path", "is_note"), [
    ("70-Kotlin/q-a--kotlin--easy.md", True),
    ("c-root-note.md", True),
    ("README.md", False),
    ("40-Android/README.md", False),
    ("Homepage.md", False),
    ("sub/Homepage.md", True),
    ("_templates/_tpl-qna.md", False),
    ("10-Concepts/_drafts/c-x.md", False),
    ("00-Administration/Vault-Rules/TAXONOMY.md", False),
    (".obsidian/workspace.md", False),
    ("10-Concepts/.hidden.md", False),
    ("10-Concepts/image.png", False),
], ids=lambda value: str(value))
def test_note_rule(path, is_note):
    assert is_note_path(path) is is_note


def test_every_file_is_a_note_or_listed_as_skipped(make_vault):
    root = make_vault({
        "README.md": "# Vault\n",
        "_templates/t.md": "---\n---\n",
        "a/q.md": "no front matter at all\n",
        "a/r.md": "---\ntitle: [broken\n---\ntext\n",
    })
    vault = load_vault(root)
    assert [n.key for n in vault.notes] == ["a/q.md", "a/r.md"]
    assert set(vault.skipped) == {"README.md", "_templates/t.md"}
    assert [p.code for p in vault.notes[0].problems] == ["FM001"]
    assert [p.code for p in vault.notes[1].problems] == ["FM007"]


def test_symlink_out_of_the_vault_is_reported_not_read(make_vault, tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text("---\ntitle: SECRET\n---\nsecret text\n", encoding="utf-8")
    root = make_vault({"a/ok.md": "---\ntitle: ok\n---\n"})
    os.symlink(secret, root / "a" / "leak.md")
    vault = load_vault(root)
    leak = next(n for n in vault.notes if n.key == "a/leak.md")
    assert leak.body == "" and leak.meta == {}
    assert [p.code for p in leak.problems] == ["FILE002"]


def test_invalid_utf8_is_reported_with_its_line(make_vault):
    root = make_vault({})
    (root / "q.md").write_bytes(b"---\ntitle: ok\n---\nline\n\xff\xfe bad\n")
    note = load_vault(root).notes[0]
    assert [(p.code, p.line) for p in note.problems] == [("FILE004", 5)]
    assert "line" in note.body
