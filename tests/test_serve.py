"""Live preview: an edit re-renders the note and its neighbours, and survives broken notes."""

from __future__ import annotations

from generator.serve import Preview

from .conftest import note_text


def _vault(make_vault):
    return make_vault({
        "c-a.md": note_text(id="1", title="Alpha / Альфа", kind="concept",
                            body="# Summary (EN)\nSee [[c-b]].\n# Сводка (RU)\nСм. [[c-b]].\n"),
        "c-b.md": note_text(id="2", title="Beta / Бета", kind="concept",
                            body="# Summary (EN)\nB.\n# Сводка (RU)\nБ.\n"),
        "c-c.md": note_text(id="3", title="Gamma / Гамма", kind="concept",
                            body="# Summary (EN)\nAlone.\n# Сводка (RU)\nОдна.\n"),
    })


def test_edit_rerenders_the_note_and_its_neighbours_only(make_vault, tmp_path):
    notes = _vault(make_vault)
    preview = Preview(notes, "en", tmp_path / "project")
    docs = tmp_path / "project" / "docs"
    untouched = (docs / "c-c.md").stat().st_mtime_ns
    path = notes / "c-b.md"
    path.write_text(path.read_text().replace("Beta / Бета", "Better Beta / Бета"))
    written = preview.note_changed(path)
    assert "# Better Beta" in (docs / "c-b.md").read_text()
    assert "[Better Beta](c-b.md)" in (docs / "c-a.md").read_text()  # the link's title follows
    assert (docs / "c-c.md").stat().st_mtime_ns == untouched
    assert 2 <= written <= 4  # c-b, c-a, and the index pages whose text changed


def test_broken_note_is_shown_and_recovers(make_vault, tmp_path, capsys):
    notes = _vault(make_vault)
    preview = Preview(notes, "ru", tmp_path / "project")
    docs = tmp_path / "project" / "docs"
    path = notes / "c-b.md"
    good = path.read_text()
    path.write_text("---\ntitle: [half-written\n---\n# Сводка (RU)\nЧерновик.\n")
    preview.note_changed(path)
    assert "FM007" in capsys.readouterr().err
    assert "Черновик." in (docs / "c-b.md").read_text()
    path.write_text(good)
    preview.note_changed(path)
    assert "# Бета" in (docs / "c-b.md").read_text()


def test_new_and_deleted_notes(make_vault, tmp_path):
    notes = _vault(make_vault)
    preview = Preview(notes, "en", tmp_path / "project")
    docs = tmp_path / "project" / "docs"
    (notes / "c-d.md").write_text(note_text(id="4", title="Delta / Дельта", kind="concept",
                                            body="# Summary (EN)\n[[c-a]]\n"))
    preview.note_changed(notes / "c-d.md")
    assert "Linked from" in (docs / "c-a.md").read_text()
    (notes / "c-d.md").unlink()
    preview.note_changed(notes / "c-d.md")
    assert not (docs / "c-d.md").exists()
    assert "Linked from" not in (docs / "c-a.md").read_text()


def test_edit_rerenders_the_maps_and_study_lists_that_show_the_note(make_vault, tmp_path):
    notes = make_vault({
        "q-a--kotlin--easy.md": note_text(
            id="1", title="Alpha / Альфа", topic="kotlin", difficulty="easy", moc="moc-k",
            body="# Question (EN)\nA?\n## Answer (EN)\nA.\n# Вопрос (RU)\nА?\n## Ответ (RU)\nА.\n"),
        "moc-k.md": note_text(id="2", title="Kotlin — MOC", kind="moc", body="# Kotlin\nMap.\n"),
    })
    preview = Preview(notes, "en", tmp_path / "project")
    docs = tmp_path / "project" / "docs"
    path = notes / "moc-k.md"
    path.write_text(path.read_text().replace("Kotlin — MOC", "Kotlin Map"))
    preview.note_changed(path)
    assert "[Kotlin Map]" in (docs / "mocs/index.md").read_text()
    path = notes / "q-a--kotlin--easy.md"
    path.write_text(path.read_text().replace("Alpha / Альфа", "Alef / Альфа"))
    preview.note_changed(path)
    assert "Alef" in (docs / "study.json").read_text()
