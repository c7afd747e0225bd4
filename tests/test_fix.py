"""`kb fix` on real notes copied to a temporary folder: each repair gives back the note as it
was before it was broken (or the one right spelling), byte for byte, untouched lines and all;
a second run changes nothing; on a copy of the whole real vault the diagnostics fall, only the
repaired lines change, and the rewritten notes still build."""

from __future__ import annotations

import difflib
import filecmp
import os
import shutil
import stat
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from generator import pipeline
from generator.authoring import fix
from generator.authoring.fix import NoteChecker, fix_text, fix_vault
from generator.authoring.yaml_edit import FrontMatterText
from generator.checks.taxonomy import default_taxonomy, parse_taxonomy
from generator.cli import main
from generator.files import write_atomic
from generator.model import BuildReport, NoteKey
from generator.notes.load import load_vault
from tests.sitecheck import note_url, page_file
from tests.test_validate import ANDROID_Q, CONCEPT, KOTLIN_Q, copy_notes, sub

SORTED_TAGS = parse_taxonomy("tags: {sorted: true}\n", "test", base=default_taxonomy())
Edit = Callable[[str], str]
SAME: Edit = lambda text: text  # noqa: E731 - the fix gives back the original note


def first_line(old: str, new: str) -> Edit:
    def edit(text: str) -> str:
        assert text.startswith(old)
        return new + text[len(old):]
    return edit


def closing_fence(new: str) -> Edit:
    def edit(text: str) -> str:
        end = text.index("\n---\n", 3)
        return text[:end] + "\n" + new + "\n" + text[end + 5:]
    return edit


# (id, note, how it is broken, the code that says so, what the fix must give from the original)
REPAIRS = [
    ("difficulty-tag-flow", KOTLIN_Q, sub("difficulty/easy, ", ""), "FM205", SAME),
    ("difficulty-tag-block", ANDROID_Q, sub("- difficulty/medium\n", ""), "FM205", SAME),
    ("mirror-tag-block", ANDROID_Q, sub("- android/lifecycle\n", ""), "FM207", SAME),
    ("tag-twice-flow", KOTLIN_Q, sub("difficulty/easy, kotlin]", "difficulty/easy, kotlin, kotlin]"),
     "FM209", SAME),
    ("tag-twice-block", ANDROID_Q,
     sub("- fragmenttransaction\n", "- fragmenttransaction\n- fragmentmanager\n"), "FM209", SAME),
    ("tags-unsorted", KOTLIN_Q, sub("[code-generation, data-classes,", "[data-classes, code-generation,"),
     "FM210", SAME),
    ("date-slashes", KOTLIN_Q, sub("created: 2025-10-15", "created: 2025/10/15"), "DATE001", SAME),
    ("date-words-quoted", CONCEPT, sub('updated: "2025-11-08"', 'updated: "8 Nov 2025"'), "DATE001",
     SAME),
    ("date-number", KOTLIN_Q, sub("created: 2025-10-15", "created: 20251015"), "DATE001", SAME),
    ("fence-stray-opening", KOTLIN_Q, first_line("---\n", "--- x\n"), "FM002", SAME),
    ("fence-stray-closing", CONCEPT, closing_fence("--- end"), "FM002", SAME),
    ("aliases-as-text", KOTLIN_Q,
     sub("aliases: [Data Class Purpose, Назначение data class]", "aliases: Data Class Purpose"),
     "FM103", sub("aliases: [Data Class Purpose, Назначение data class]",
                  "aliases: [Data Class Purpose]")),
    ("aliases-as-text-with-comma", CONCEPT, sub('aliases: ["Kotlin", "Котлин"]', 'aliases: "Kotlin, JVM"'),
     "FM103", sub('aliases: ["Kotlin", "Котлин"]', "aliases: ['Kotlin, JVM']")),
    ("topic-as-list", KOTLIN_Q, sub("topic: kotlin", "topic: [kotlin]"), "FM103", SAME),
    ("moc-unquoted-wikilink", KOTLIN_Q, sub("moc: moc-kotlin", "moc: [[moc-kotlin]]"), "FM103", SAME),
    ("moc-quoted-wikilink", KOTLIN_Q, sub("moc: moc-kotlin", 'moc: "[[moc-kotlin]]"'), "FM104",
     sub("moc: moc-kotlin", 'moc: "moc-kotlin"')),
    ("difficulty-case", KOTLIN_Q, sub("difficulty: easy", "difficulty: Easy"), "FM201", SAME),
    ("difficulty-tag-contradicts", ANDROID_Q, sub("- difficulty/medium", "- difficulty/hard"),
     "FM206", SAME),
    ("tag-with-hash", ANDROID_Q, sub("- fragmentmanager\n", "- '#fragmentmanager'\n"), "FM208",
     sub("- fragmentmanager\n", "- 'fragmentmanager'\n")),
    ("byte-order-mark", KOTLIN_Q, lambda text: "\ufeff" + text, "FILE005", SAME),
    ("crlf", ANDROID_Q, lambda text: text.replace("\n", "\r\n"), "FILE006", SAME),
    ("three-at-once", ANDROID_Q,
     lambda text: sub("- difficulty/medium\n", "")(sub("- android/lifecycle\n", "")(
         sub("- fragmentmanager\n", "- fragmentmanager\n- fragmentmanager\n")(text))),
     "FM209", SAME),
]


def checker_for(root: Path, taxonomy=None) -> NoteChecker:
    return NoteChecker(load_vault(root), taxonomy or default_taxonomy())


@pytest.mark.parametrize(("note", "breaking", "code", "expected"), [case[1:] for case in REPAIRS],
                         ids=[case[0] for case in REPAIRS])
def test_repair_gives_back_the_note(corpus, tmp_path, note, breaking, code, expected):
    original = (corpus / note).read_text(encoding="utf-8")
    broken = breaking(original)
    # The MOC too: a repaired `moc` must find it (a fix that uncovers a dead link is not kept).
    copy_notes(corpus, tmp_path, {note: breaking, "90-MOCs/moc-kotlin.md": None})
    taxonomy = SORTED_TAGS if code == "FM210" else None
    checker = checker_for(tmp_path, taxonomy)
    fixed = fix_text(NoteKey(note), broken, checker)
    assert code in fixed.repaired, [d.code for d in fixed.remaining]
    assert fixed.after == expected(original), "".join(difflib.unified_diff(
        expected(original).splitlines(True), fixed.after.splitlines(True)))
    assert fix_text(NoteKey(note), fixed.after, checker).after == fixed.after  # idempotent


def test_ambiguous_date_and_unknown_value_are_left_for_the_author(corpus, tmp_path):
    breaking = lambda text: sub("created: 2025-10-15", "created: 03/04/2025")(  # noqa: E731
        sub("question_kind: theory", "question_kind: conceptual")(text))
    written = copy_notes(corpus, tmp_path, {KOTLIN_Q: breaking})
    fixed = fix_text(NoteKey(KOTLIN_Q), written[KOTLIN_Q], checker_for(tmp_path))
    assert fixed.after == written[KOTLIN_Q]
    assert sorted(d.code for d in fixed.remaining if not d.code.startswith("LINK")) == \
        ["DATE001", "FM201"]


RENAMED = "50-Backend/q-database-migration-purpose--databases--medium.md"
TARGET = "50-Backend/q-virtual-tables-disadvantages--databases--medium.md"


def test_related_entry_of_a_renamed_question(corpus, tmp_path):
    written = copy_notes(corpus, tmp_path, {RENAMED: None, TARGET: None})
    fixed = fix_text(NoteKey(RENAMED), written[RENAMED], checker_for(tmp_path))
    assert fixed.repaired == Counter({"LINK001": 1})
    assert fixed.after == written[RENAMED].replace(
        "  q-virtual-tables-disadvantages--backend--medium,",
        "  q-virtual-tables-disadvantages--databases--medium,")


def test_related_entry_found_by_an_alias(corpus, tmp_path):
    old = "q-data-class-purpose--kotlin--easy"
    written = copy_notes(corpus, tmp_path, {
        KOTLIN_Q: sub("aliases: [Data Class Purpose,", f"aliases: [{old}, Data Class Purpose,"),
        CONCEPT: sub("related: []", f'related: ["{old}"]'),
    }, rename={KOTLIN_Q: "70-Kotlin/q-data-class-role--kotlin--easy.md"})
    fixed = fix_text(NoteKey(CONCEPT), written[CONCEPT], checker_for(tmp_path))
    assert fixed.repaired == Counter({"LINK005": 1})
    assert 'related: ["q-data-class-role--kotlin--easy"]' in fixed.after


def test_a_repair_that_would_break_the_note_is_not_kept(corpus, tmp_path, monkeypatch):
    def vandal(context, found):
        layout = context.fm.fields["tags"]
        return [fix.Edit(layout.start, layout.end, "[unclosed", "tags")]

    monkeypatch.setitem(fix.REPAIRS, "FM205", vandal)
    written = copy_notes(corpus, tmp_path, {KOTLIN_Q: sub("difficulty/easy, ", "")})
    result = fix_vault(tmp_path)
    assert (tmp_path / KOTLIN_Q).read_text(encoding="utf-8") == written[KOTLIN_Q]
    assert result.changed == [] and "left as it was" in result.summary()


def test_dry_run_prints_a_diff_and_writes_nothing(corpus, tmp_path, capsys):
    written = copy_notes(corpus, tmp_path, {KOTLIN_Q: sub("difficulty/easy, ", "")})
    assert main(["fix", "--notes", str(tmp_path), "--dry-run"]) == 1
    out, err = capsys.readouterr()
    assert f"--- a/{KOTLIN_Q}\n+++ b/{KOTLIN_Q}\n" in out
    assert "-tags: [code-generation, data-classes, kotlin]\n" in out
    assert "+tags: [code-generation, data-classes, difficulty/easy, kotlin]\n" in out
    assert "would repair 1 diagnostics in 1 of 1 notes (FM205 1)" in err
    assert (tmp_path / KOTLIN_Q).read_text(encoding="utf-8") == written[KOTLIN_Q]
    assert main(["fix", "--notes", str(tmp_path)]) == 0
    assert main(["fix", "--notes", str(tmp_path), "--dry-run"]) == 0  # nothing left to do


def test_paths_limit_what_is_fixed(corpus, tmp_path, monkeypatch):
    written = copy_notes(corpus, tmp_path, {KOTLIN_Q: sub("difficulty/easy, ", ""),
                                            ANDROID_Q: sub("- difficulty/medium\n", "")})
    monkeypatch.chdir(tmp_path)
    assert main(["fix", "--notes", ".", ANDROID_Q]) == 0
    assert (tmp_path / KOTLIN_Q).read_text(encoding="utf-8") == written[KOTLIN_Q]
    assert (tmp_path / ANDROID_Q).read_text(encoding="utf-8") == \
        (corpus / ANDROID_Q).read_text(encoding="utf-8")


def test_atomic_write_keeps_permissions_and_leaves_no_temporary_file(tmp_path, monkeypatch):
    path = tmp_path / "note.md"
    path.write_text("old", encoding="utf-8")
    path.chmod(0o640)
    write_atomic(path, b"new")
    assert path.read_bytes() == b"new" and stat.S_IMODE(path.stat().st_mode) == 0o640

    def fail(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        write_atomic(path, b"newer")
    assert path.read_bytes() == b"new" and os.listdir(tmp_path) == ["note.md"]


# --- the whole real vault --------------------------------------------------------------------

@pytest.fixture(scope="module")
def fixed_vault(corpus, tmp_path_factory) -> tuple[Path, Counter, Counter]:
    """A copy of the real vault after `kb fix`, with the diagnostics by code before and after."""
    copy = tmp_path_factory.mktemp("vault") / "vault"
    shutil.copytree(corpus, copy)
    before = Counter(d.code for d in pipeline.check(copy, BuildReport()).diagnostics)
    assert main(["fix", "--notes", str(copy)]) == 0
    after = Counter(d.code for d in pipeline.check(copy, BuildReport()).diagnostics)
    return copy, before, after


def changed_files(corpus: Path, copy: Path) -> list[str]:
    changed = []
    for path in sorted(copy.rglob("*")):
        rel = path.relative_to(copy).as_posix()
        if path.is_file() and not filecmp.cmp(path, corpus / rel, shallow=False):
            changed.append(rel)
    return changed


def test_real_vault_diagnostics_fall_and_none_grows(fixed_vault):
    _, before, after = fixed_vault
    assert sum(after.values()) < sum(before.values())
    assert all(after[code] <= count for code, count in before.items())
    assert set(after) <= set(before)
    assert after["FM207"] == 0 and after["LINK001"] < before["LINK001"]


def test_real_vault_only_repaired_lines_change(corpus, fixed_vault):
    copy, _, _ = fixed_vault
    changed = changed_files(corpus, copy)
    assert changed and not [rel for rel in changed if not rel.endswith(".md")]
    for rel in changed:
        old = (corpus / rel).read_text(encoding="utf-8")
        new = (copy / rel).read_text(encoding="utf-8")
        layout, fixed = FrontMatterText.parse(old), FrontMatterText.parse(new)
        assert layout is not None and fixed is not None
        assert old.split("\n")[layout.front.end_line:] == new.split("\n")[fixed.front.end_line:]
        lines_of_keys = {}
        for key, field in layout.fields.items():
            last = max([field.line] + [item.line for item in field.items])
            for line in range(field.line, last + 1):
                lines_of_keys[line] = key
        matcher = difflib.SequenceMatcher(None, old.split("\n"), new.split("\n"), autojunk=False)
        for tag, i1, i2, _, _ in matcher.get_opcodes():
            if tag == "equal":
                continue
            # 1-based lines replaced, or for an insertion the line it follows
            lines = range(i1 + 1, i2 + 1) if tag != "insert" else [i1]
            touched = {lines_of_keys.get(line) for line in lines}
            assert touched <= {"tags", "related", "moc"}, (rel, tag, i1, i2, touched)


def test_real_vault_fix_is_idempotent(fixed_vault, capsys):
    copy, _, _ = fixed_vault
    assert main(["fix", "--notes", str(copy), "--dry-run"]) == 0
    assert capsys.readouterr().out == ""


def test_real_vault_rewritten_notes_still_build(corpus, fixed_vault, tmp_path):
    copy, _, _ = fixed_vault
    changed = changed_files(corpus, copy)
    small = tmp_path / "notes"
    for rel in changed:
        (small / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(copy / rel, small / rel)
    site = tmp_path / "site"
    assert main(["build", "--notes", str(small), "--site", str(site), "--allow-errors"]) == 0
    for rel in changed:
        for language in ("en", "ru"):
            assert page_file(site / language, note_url(rel)), (language, rel)
