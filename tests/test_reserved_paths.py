"""Paths the generator keeps for its own pages (generator/paths.py): a note at one of them is
reported (ID004) and published under `_notes/`, never overwritten by the generated page."""

from __future__ import annotations

import pytest

from generator.cli import main
from generator.paths import is_reserved, page_path, page_url

from .conftest import note_text

CASES = [("topics/kotlin.md", True), ("tags/index.md", True), ("difficulty/easy.md", True),
         ("mocs/index.md", True), ("graph.md", True), ("study/index.md", True),
         ("mocs/moc-kotlin.md", False), ("70-Kotlin/topics.md", False), ("topics.md", False),
         ("a/topics/kotlin.md", False)]


@pytest.mark.parametrize(("key", "reserved"), CASES, ids=[key for key, _ in CASES])
def test_reserved_paths(key, reserved):
    assert is_reserved(key) is reserved
    assert page_path(key) == (f"_notes/{key}" if reserved else key)


def _question(id_: str, title: str, text: str) -> str:
    return note_text(id=id_, title=title, topic="kotlin", difficulty="easy",
                     body=f"# Question (EN)\n{text}?\n## Answer (EN)\n{text}.\n"
                          f"# Вопрос (RU)\n{text}?\n## Ответ (RU)\n{text}.\n")


@pytest.mark.parametrize("key", ["topics/kotlin.md", "tags/index.md", "difficulty/easy.md",
                                 "mocs/index.md"])
def test_a_note_at_a_reserved_path_is_reported_and_published_elsewhere(
        key, make_vault, tmp_path, capsys):
    notes = make_vault({
        key: _question("k-1", "Reserved note / Заметка", "Reservedtext"),
        "70-Kotlin/q-other--kotlin--easy.md": _question("k-2", "Other / Другой", "Other")
        .replace("Other?\n", "Other? See [[" + key[:-3].rsplit("/", 1)[-1] + "]].\n", 1),
        "90-MOCs/moc-kotlin.md": note_text(id="m-1", title="Kotlin", kind="moc", body="# Kotlin\n"),
    })
    site = tmp_path / "site"
    assert main(["build", "--notes", str(notes), "--site", str(site), "--allow-errors",
                 "--no-cache"]) == 0
    err = capsys.readouterr().err
    assert f"{key}:1:" in err and "ID004" in err
    moved = site / "en" / page_url(page_path(key)) / "index.html"
    assert "Reservedtext" in moved.read_text(encoding="utf-8")
    generated = site / "en" / page_url(key) / "index.html"
    assert generated.is_file()
    assert "Reservedtext" not in generated.read_text(encoding="utf-8")
