"""How `kb fix` writes a note: the same file where a rename would break it (hard links, a
read-only file), and a note it cannot write is reported (FILE011), left exactly as it was,
while the other notes are still fixed and the summary is still printed.

The tests run as root in CI, where permission bits stop nothing: a folder or file that refuses
writing is simulated by making `os.replace` or `os.open` raise PermissionError."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from generator import files
from generator.cli import main

from .conftest import note_text

BROKEN = note_text(id="{id}", title="Note / Заметка", tags="[kotlin, kotlin]",
                   body="# Summary (EN)\nText.\n# Сводка (RU)\nТекст.\n")
FIXED_TAGS = "tags: [kotlin]\n"


@pytest.fixture
def vault(make_vault) -> Path:
    """Three notes, each with a tag listed twice (FM209, which `kb fix` repairs)."""
    return make_vault({f"{name}.md": BROKEN.replace("{id}", name) for name in "abc"})


def _refuse(monkeypatch: pytest.MonkeyPatch, *, replace: bool = False, names=()) -> None:
    """A folder where no file can be renamed into place (`replace`), and files (`names`) that
    cannot be opened for writing, as for a user without the permission."""
    real_open = os.open

    def refusing_replace(source, target, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(target))

    def refusing_open(path, flags, *args, **kwargs):
        if Path(path).name in names and flags & (os.O_WRONLY | os.O_RDWR):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    if replace:
        monkeypatch.setattr(files.os, "replace", refusing_replace)
    monkeypatch.setattr(files.os, "open", refusing_open)


def _no_leftovers(folder: Path) -> None:
    assert not [p.name for p in folder.iterdir() if p.name.startswith(".")], "temporary files"


def test_a_note_that_cannot_be_written_is_reported_and_the_others_are_fixed(vault, monkeypatch,
                                                                              capsys):
    before = (vault / "b.md").read_bytes()
    inode = (vault / "b.md").stat().st_ino
    _refuse(monkeypatch, replace=True, names={"b.md"})
    assert main(["fix", "--notes", str(vault)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "kb fix: b.md: error FILE011 cannot write: permission denied; make the file " \
           "writable and run kb fix again" in err
    # The summary counts the notes written, not the one left as it was.
    assert "kb fix: repaired 2 diagnostics in 2 of 3 notes (FM209 2)" in err
    assert (vault / "b.md").read_bytes() == before and (vault / "b.md").stat().st_ino == inode
    for name in ("a.md", "c.md"):
        assert FIXED_TAGS in (vault / name).read_text(encoding="utf-8")
    _no_leftovers(vault)


def test_a_folder_that_refuses_renames_gets_its_notes_rewritten_in_place(vault, monkeypatch,
                                                                         capsys):
    inode = (vault / "a.md").stat().st_ino
    _refuse(monkeypatch, replace=True)
    assert main(["fix", "--notes", str(vault)]) == 0
    assert "repaired 3 diagnostics in 3 of 3 notes" in capsys.readouterr().err
    assert FIXED_TAGS in (vault / "a.md").read_text(encoding="utf-8")
    assert (vault / "a.md").stat().st_ino == inode
    _no_leftovers(vault)


def test_a_read_only_note_is_reported_and_not_replaced(vault, monkeypatch, capsys):
    """A rename needs only the folder's permission: it would replace a read-only note."""
    note = vault / "a.md"
    before = note.read_bytes()
    inode = note.stat().st_ino
    note.chmod(0o444)
    if os.geteuid() == 0:  # root may write anything: the check sees what a user's would
        real_access = os.access
        monkeypatch.setattr(files.os, "access", lambda path, mode: real_access(path, mode) and (
            not mode & os.W_OK or bool(os.stat(path).st_mode & stat.S_IWUSR)))
    assert main(["fix", "--notes", str(vault)]) == 1
    assert "kb fix: a.md: error FILE011 cannot write: permission denied" in capsys.readouterr().err
    assert note.read_bytes() == before and note.stat().st_ino == inode
    assert stat.S_IMODE(note.stat().st_mode) == 0o444
    assert FIXED_TAGS in (vault / "b.md").read_text(encoding="utf-8")


@pytest.mark.skipif(os.geteuid() != 0, reason="only root may write a read-only file")
def test_root_rewrites_a_read_only_note_in_place(vault):
    note = vault / "a.md"
    inode = note.stat().st_ino
    note.chmod(0o444)
    assert main(["fix", "--notes", str(vault)]) == 0
    assert FIXED_TAGS in note.read_text(encoding="utf-8")
    assert note.stat().st_ino == inode and stat.S_IMODE(note.stat().st_mode) == 0o444


def test_a_hard_linked_note_keeps_its_link(vault, tmp_path):
    note = vault / "a.md"
    other = tmp_path / "elsewhere.md"  # the same note, linked from outside the vault
    os.link(note, other)
    assert main(["fix", "--notes", str(vault)]) == 0
    assert note.stat().st_ino == other.stat().st_ino and note.stat().st_nlink == 2
    assert FIXED_TAGS in other.read_text(encoding="utf-8")
    assert other.read_bytes() == note.read_bytes()


def test_a_note_of_one_link_is_still_replaced_atomically(vault):
    """The common case keeps the atomic rename: a reader never sees half a note."""
    inode = (vault / "a.md").stat().st_ino
    (vault / "a.md").chmod(0o640)
    assert main(["fix", "--notes", str(vault)]) == 0
    assert (vault / "a.md").stat().st_ino != inode
    assert stat.S_IMODE((vault / "a.md").stat().st_mode) == 0o640


def test_writing_in_place_a_shorter_text_leaves_no_tail(tmp_path):
    note = tmp_path / "n.md"
    note.write_text("a long old text\n")
    os.link(note, tmp_path / "link.md")
    files.write_note(note, b"short\n")
    assert note.read_bytes() == (tmp_path / "link.md").read_bytes() == b"short\n"


def test_atomic_write_keeps_permissions_and_leaves_no_temporary_file(tmp_path, monkeypatch):
    path = tmp_path / "note.md"
    path.write_text("old", encoding="utf-8")
    path.chmod(0o640)
    files.write_atomic(path, b"new")
    assert path.read_bytes() == b"new" and stat.S_IMODE(path.stat().st_mode) == 0o640

    def fail(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        files.write_atomic(path, b"newer")
    assert path.read_bytes() == b"new" and os.listdir(tmp_path) == ["note.md"]
