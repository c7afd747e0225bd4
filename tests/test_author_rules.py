"""The rules added for authors: placeholders still to write (TODO001), tags listed twice or out
of order (FM209, FM210), related entries of renamed notes (LINK001's fix, LINK005), and dates
whose meaning is unambiguous (DATE001's fix). test_fix.py's small bilingual notes, written to a
temporary folder and broken one way each; no corpus needed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator import pipeline
from generator.checks.taxonomy import Taxonomy, default_taxonomy, parse_taxonomy
from generator.checks.validate import validate_vault
from generator.model import BuildReport, Diagnostic, ReplaceItem, SetValue
from generator.notes.dates import unambiguous_date
from generator.notes.load import load_vault
from tests.test_fix import ANDROID_Q, CONCEPT, KOTLIN_Q, sub, write_vault

SORTED_TAGS = parse_taxonomy("tags: {sorted: true}\n", "test", base=default_taxonomy())
TODAY = dt.date(2025, 11, 25)


def check(root: Path, taxonomy: Taxonomy | None = None) -> list[Diagnostic]:
    return validate_vault(load_vault(root), taxonomy, today=TODAY)


def line_of(text: str, needle: str) -> int:
    """1-based line of the first line that starts with `needle` (indentation aside)."""
    return next(number for number, line in enumerate(text.split("\n"), 1)
                if line.lstrip().startswith(needle))


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
    pytest.param(ANDROID_Q, sub("subtopics:\n  - fragment\n", "subtopics:\n  - ...\n"),
                 [("TODO001", "- ...", "subtopics")], None,
                 id="android-subtopic-placeholder-no-FM203-FM207"),
    pytest.param(KOTLIN_Q, sub('title: "Data Class Copy / Копирование data class"',
                               "title: <%- tp.file.title %>"),
                 [("TODO001", "title:", "title")], None, id="templater-title-no-FM105"),
    pytest.param(CONCEPT, sub('created: "2025-10-20"', "created: '<% tp.date.now(\"YYYY-MM-DD\") %>'"),
                 [("TODO001", "created:", "created")], None, id="templater-date-no-DATE001"),
    pytest.param(KOTLIN_Q, sub("## Related Questions", "## Notes\n- ...\n\n## Related Questions"),
                 [("TODO001", "## Notes", None)], None, id="shared-section-placeholder"),
    pytest.param(KOTLIN_Q, sub("## Related Questions", "## Notes\n\n## Related Questions"),
                 [], None, id="empty-shared-section-is-no-placeholder"),
    pytest.param(KOTLIN_Q, sub("immutability, kotlin]", "immutability, kotlin, kotlin]"),
                 [("FM209", "tags:", "tags")], None, id="tag-twice"),
    pytest.param(ANDROID_Q, sub("  - fragmenttransaction\n", "  - fragmenttransaction\n  - 'android/fragment'\n"),
                 [("FM209", "- 'android/fragment'", "tags")], None, id="tag-twice-block-list"),
    pytest.param(KOTLIN_Q, sub("[data-classes, difficulty/easy,", "[difficulty/easy, data-classes,"),
                 [], None, id="unsorted-tags-are-fine-by-default"),
    pytest.param(KOTLIN_Q, sub("[data-classes, difficulty/easy,", "[difficulty/easy, data-classes,"),
                 [("FM210", "tags:", "tags")], SORTED_TAGS, id="unsorted-tags-when-asked"),
    pytest.param(KOTLIN_Q, None, [], SORTED_TAGS, id="sorted-tags-when-asked"),
])
def test_author_rules(tmp_path, note, edit, expected, taxonomy):
    text = write_vault(tmp_path, {note: edit} if edit else {})[note]
    found = [(d.code, d.line, d.field) for d in check(tmp_path, taxonomy)]
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
def test_date_fix_only_when_unambiguous(tmp_path, written, fix):
    write_vault(tmp_path, {KOTLIN_Q: sub("created: 2025-10-15", written)})
    (found,) = [d for d in check(tmp_path) if d.code == "DATE001"]
    assert found.fix == fix
    # the repair `kb fix` applies is the date the sentence names, and only then
    assert found.repair == (SetValue("created", dt.date.fromisoformat(fix.split()[1])) if fix else None)


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

RENAMED = "q-fragment-back-stack--android--hard"  # the name KOTLIN_Q's `related` is given


def links(root: Path) -> list[Diagnostic]:
    """The link diagnostics of `related` entries."""
    diagnostics = pipeline.check(root, BuildReport()).diagnostics
    return [d for d in diagnostics if d.field == "related" and d.code.startswith("LINK")]


def test_dead_entry_of_a_renamed_question_says_its_new_name(tmp_path):
    write_vault(tmp_path, {KOTLIN_Q: sub("q-fragment-back-stack--android--medium]", f"{RENAMED}]")})
    (found,) = [d for d in links(tmp_path) if d.code == "LINK001" and d.path == KOTLIN_Q]
    assert found.fix == "write 'q-fragment-back-stack--android--medium'"
    assert found.repair == ReplaceItem("related", 1, "q-fragment-back-stack--android--medium")


def test_entry_found_only_by_alias_is_a_warning_with_the_file_name(tmp_path):
    old = "q-data-class-copy--kotlin--easy"
    write_vault(tmp_path, {
        KOTLIN_Q: sub("aliases: [Data Class Copy,", f"aliases: [{old}, Data Class Copy,"),
        CONCEPT: sub("related: []", f"related: [{old}]"),
    }, rename={KOTLIN_Q: "70-Kotlin/q-data-class-clone--kotlin--easy.md"})
    assert [(d.code, d.fix, d.repair) for d in links(tmp_path) if d.path == CONCEPT] == [
        ("LINK005", "write 'q-data-class-clone--kotlin--easy'",
         ReplaceItem("related", 0, "q-data-class-clone--kotlin--easy"))]


def test_placeholder_related_entry_is_no_dead_link(tmp_path):
    write_vault(tmp_path, {CONCEPT: sub("related: []", "related: [...]")})
    assert links(tmp_path) == []
