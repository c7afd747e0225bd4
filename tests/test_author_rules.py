"""The rules added for authors: placeholders still to write (TODO001), tags listed twice or out
of order (FM209, FM210), related entries of renamed notes (LINK001's fix, LINK005), and dates
whose meaning is unambiguous (DATE001's fix). Real notes copied and broken, as in
test_validate.py."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator import pipeline
from generator.checks.taxonomy import default_taxonomy, parse_taxonomy
from generator.model import BuildReport
from generator.notes.dates import unambiguous_date
from tests.test_validate import ANDROID_Q, CONCEPT, KOTLIN_Q, check, copy_notes, line_of, sub

SORTED_TAGS = parse_taxonomy("tags: {sorted: true}\n", "test", base=default_taxonomy())


def _replace_english(text: str) -> str:
    """Every English section's text replaced by the template's '...'."""
    lines = text.split("\n")
    out, skipping = [], False
    for line in lines:
        if line.startswith("#"):
            skipping = line.rstrip().endswith("(EN)")
            out.append(line)
            if skipping:
                out.append("..." if not line.startswith("# ") else "> ...")
                out.append("")
            continue
        if not skipping:
            out.append(line)
    return "\n".join(out)


@pytest.mark.parametrize(("note", "edit", "expected", "taxonomy"), [
    pytest.param(KOTLIN_Q, _replace_english,
                 [("TODO001", "# Question (EN)", None), ("TODO001", "## Answer (EN)", None)],
                 None, id="english-sections-still-to-write-no-LANG001"),
    pytest.param(KOTLIN_Q, sub("subtopics: [data-classes]", "subtopics: [...]"),
                 [("TODO001", "subtopics:", "subtopics")], None, id="subtopics-placeholder"),
    pytest.param(ANDROID_Q, sub("subtopics:\n- fragment\n", "subtopics:\n- ...\n"),
                 [("TODO001", "- ...", "subtopics")], None,
                 id="android-subtopic-placeholder-no-FM203-FM207"),
    pytest.param(KOTLIN_Q, sub('title: "Data Class Purpose / Назначение data class"',
                               "title: <%- tp.file.title %>"),
                 [("TODO001", "title:", "title")], None, id="templater-title-no-FM105"),
    pytest.param(CONCEPT, sub('created: "2025-11-08"', "created: '<% tp.date.now(\"YYYY-MM-DD\") %>'"),
                 [("TODO001", "created:", "created")], None, id="templater-date-no-DATE001"),
    pytest.param(KOTLIN_Q, sub("## Related Questions", "## Notes\n- ...\n\n## Related Questions"),
                 [("TODO001", "## Notes", None)], None, id="shared-section-placeholder"),
    pytest.param(KOTLIN_Q, sub("## Related Questions", "## Notes\n\n## Related Questions"),
                 [], None, id="empty-shared-section-is-no-placeholder"),
    pytest.param(KOTLIN_Q, sub("difficulty/easy, kotlin]", "difficulty/easy, kotlin, kotlin]"),
                 [("FM209", "tags:", "tags")], None, id="tag-twice"),
    pytest.param(ANDROID_Q, sub("- fragmenttransaction\n", "- fragmenttransaction\n- 'android/fragment'\n"),
                 [("FM209", "- 'android/fragment'", "tags")], None, id="tag-twice-block-list"),
    pytest.param(KOTLIN_Q, sub("[code-generation, data-classes,", "[data-classes, code-generation,"),
                 [], None, id="unsorted-tags-are-fine-by-default"),
    pytest.param(KOTLIN_Q, sub("[code-generation, data-classes,", "[data-classes, code-generation,"),
                 [("FM210", "tags:", "tags")], SORTED_TAGS, id="unsorted-tags-when-asked"),
    pytest.param(KOTLIN_Q, None, [], SORTED_TAGS, id="sorted-tags-when-asked"),
])
def test_author_rules(corpus, notes_root, note, edit, expected, taxonomy):
    written = copy_notes(corpus, notes_root, {note: edit})
    text = written[note]
    found = [(d.code, d.line, d.field) for d in check(notes_root, taxonomy)]
    want = [(code, line_of(text, marker), field) for code, marker, field in expected]
    assert sorted(found) == sorted(want)


@pytest.mark.parametrize(("written", "fix"), [
    ("created: 2025/10/15", "write 2025-10-15"),
    ("created: 20251015", "write 2025-10-15"),
    ("created: '15.10.2025'", "write 2025-10-15"),
    ("created: 10/15/2025", "write 2025-10-15"),
    ("created: 15 Oct 2025", "write 2025-10-15"),
    ("created: 2025-10-5", "write 2025-10-05"),
    ("created: '03/04/2025'", None),  # March or April?
    ("created: 2025-02-30", None),  # no such day
], ids=lambda value: str(value))
def test_date_fix_only_when_unambiguous(corpus, notes_root, written, fix):
    copy_notes(corpus, notes_root, {KOTLIN_Q: sub("created: 2025-10-15", written)})
    (found,) = [d for d in check(notes_root) if d.code == "DATE001"]
    assert found.fix == fix


@pytest.mark.parametrize(("text", "meant"), [
    ("2025/10/03", dt.date(2025, 10, 3)), ("2025.10.3", dt.date(2025, 10, 3)),
    ("20251003", dt.date(2025, 10, 3)), (20251003, dt.date(2025, 10, 3)),
    ("31.10.2025", dt.date(2025, 10, 31)), ("10/31/2025", dt.date(2025, 10, 31)),
    ("05.05.2025", dt.date(2025, 5, 5)), ("3 Oct 2025", dt.date(2025, 10, 3)),
    ("October 3, 2025", dt.date(2025, 10, 3)), ("3 октября 2025", dt.date(2025, 10, 3)),
    ("2025/10/03 14:30", dt.date(2025, 10, 3)),
    ("03.04.2025", None), ("2025/13/01", None), ("soon", None), ("3 Smarch 2025", None),
    (True, None),
], ids=lambda value: repr(value))
def test_unambiguous_date(text, meant):
    assert unambiguous_date(text) == meant


# --- links to renamed notes ------------------------------------------------------------------

RENAMED = "50-Backend/q-database-migration-purpose--databases--medium.md"  # links --backend-- names
TARGET = "50-Backend/q-virtual-tables-disadvantages--databases--medium.md"


def links(root: Path) -> list[tuple[str, str, str | None]]:
    """The link diagnostics of `related` entries."""
    diagnostics = pipeline.check(root, BuildReport()).diagnostics
    return [(d.code, d.path, d.fix) for d in diagnostics
            if d.field == "related" and d.code.startswith("LINK")]


def test_dead_entry_of_a_renamed_question_says_its_new_name(corpus, notes_root):
    copy_notes(corpus, notes_root, {RENAMED: None, TARGET: None})
    fixes = [fix for code, path, fix in links(notes_root) if code == "LINK001" and path == RENAMED]
    assert "write 'q-virtual-tables-disadvantages--databases--medium'" in fixes


def test_entry_found_only_by_alias_is_a_warning_with_the_file_name(corpus, notes_root):
    old = "q-data-class-purpose--kotlin--easy"
    copy_notes(corpus, notes_root, {
        KOTLIN_Q: sub("aliases: [Data Class Purpose,", f"aliases: [{old}, Data Class Purpose,"),
        CONCEPT: sub("related: []", f"related: [{old}]"),
    }, rename={KOTLIN_Q: "70-Kotlin/q-data-class-role--kotlin--easy.md"})
    assert ("LINK005", CONCEPT, "write 'q-data-class-role--kotlin--easy'") in links(notes_root)


def test_placeholder_related_entry_is_no_dead_link(corpus, notes_root):
    copy_notes(corpus, notes_root, {CONCEPT: sub("related: []", "related: [...]")})
    assert links(notes_root) == []


@pytest.fixture
def notes_root(tmp_path: Path) -> Path:
    root = tmp_path / "notes"
    root.mkdir()
    return root
