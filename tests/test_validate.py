"""Validation rules on real notes: copy a note from the real vault, inject one defect, and check
that exactly the expected diagnostics come out, with the right code, file, line and field.

The corpus is only read (KB_CORPUS overrides its path; the tests skip when it is absent).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.checks import codes, validate
from generator.checks.codes import CODES
from generator.checks.validate import validate_vault
from generator.cli import main
from generator.model import Diagnostic, FrontMatter, Note, NoteKey, Vault
from generator.notes.language import has_content, reassigned_sections, split_sections
from generator.notes.load import load_text, load_vault

TODAY = dt.date(2025, 11, 25)

# Real notes that pass every rule as they are (checked by test_fixture_notes_are_clean).
KOTLIN_Q = "70-Kotlin/q-data-class-purpose--kotlin--easy.md"  # flow-style lists
ANDROID_Q = "40-Android/q-fragmentmanager-vs-fragmenttransaction--android--medium.md"  # block lists
CONCEPT = "10-Concepts/c-kotlin.md"  # quoted dates, no `kind`
CONCEPT_KIND = "10-Concepts/c-android-tv.md"  # declares `kind: concept`
MOC = "90-MOCs/moc-cs.md"
# Concepts that link nowhere: a vault of these alone passes `validate` with no diagnostic.
LINKLESS = ("10-Concepts/c-flow.md", "10-Concepts/c-equality.md")


# --- helpers ---------------------------------------------------------------------------------

Edit = Callable[[str], str]


def sub(old: str, new: str, count: int = 1) -> Edit:
    """Replace text that must be in the note, so that a changed corpus fails loudly."""
    def edit(text: str) -> str:
        assert old in text, f"{old!r} is no longer in the real note"
        return text.replace(old, new, count)
    return edit


def drop_language(language: str) -> Edit:
    """Remove every section of one language from the body."""
    def edit(text: str) -> str:
        note = load_text("x.md", text)
        lines = text.split("\n")
        head = lines[: note.body_line - 1]
        kept = [s.text for s in note.sections if s.language != language]
        return "\n".join(head + kept) + "\n"
    return edit


def chain(*edits: Edit) -> Edit:
    def edit(text: str) -> str:
        for step in edits:
            text = step(text)
        return text
    return edit


def copy_notes(corpus: Path, root: Path, notes: dict[str, Edit | None],
               rename: dict[str, str] | None = None) -> dict[str, str]:
    """Copy real notes into `root` (edited); return {destination key: final text}."""
    rename = rename or {}
    written = {}
    for rel, edit in notes.items():
        text = mark_moved_sections((corpus / rel).read_text(encoding="utf-8"))
        if edit is not None:
            text = edit(text)
        dest = rename.get(rel, rel)
        path = root / dest
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written[dest] = text
    return written


def mark_moved_sections(text: str) -> str:
    """`text` with LANG007's advice taken: real concept notes keep English sections under
    '# Сводка (RU)'; marked '(EN)', they leave each test with its own defect only (LANG007 is
    tested in test_language.py). The heading lines keep their numbers."""
    lines = text.split("\n")
    for moved in reassigned_sections(text, 1):
        if moved.section.language is not None:
            lines[moved.section.line - 1] += f" ({moved.section.language.upper()})"
    return "\n".join(lines)


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line of the n-th line that starts with `needle` (indentation aside)."""
    hits = [number for number, line in enumerate(text.split("\n"), 1)
            if line.lstrip().startswith(needle)]
    assert len(hits) >= occurrence, f"{needle!r} not in the note"
    return hits[occurrence - 1]


def check(root: Path, taxonomy: object | None = None) -> list[Diagnostic]:
    diagnostics = validate_vault(load_vault(root), taxonomy, today=TODAY)
    assert_consistent_with_table(diagnostics)
    return diagnostics


def assert_consistent_with_table(diagnostics: list[Diagnostic]) -> None:
    for d in diagnostics:
        assert d.code in CODES, d
        assert d.severity == CODES[d.code].severity, d
        if d.fix:
            assert CODES[d.code].fixable, d


@pytest.fixture
def notes_root(tmp_path: Path) -> Path:
    root = tmp_path / "notes"
    root.mkdir()
    return root


# --- the fixtures are clean --------------------------------------------------------------

@pytest.mark.parametrize("rel", [KOTLIN_Q, ANDROID_Q, CONCEPT, CONCEPT_KIND, MOC, *LINKLESS])
def test_fixture_notes_are_clean(corpus, notes_root, rel):
    copy_notes(corpus, notes_root, {rel: None})
    assert check(notes_root) == []


# --- one defect, the diagnostics it causes -------------------------------------------------

@dataclass(frozen=True)
class Case:
    id: str
    note: str
    edit: Edit | None
    expected: list[tuple[str, str | int | None, str | None]]  # (code, line marker, field)
    rename: str | None = None  # destination path, when the defect is the file name
    occurrence: int = 1  # which line containing the marker
    message: str | None = None  # a fragment the (first) message must contain
    fix: str | None = None  # a fragment the (first) fix must contain
    extra: dict[str, Edit | None] = field(default_factory=dict)  # more notes in the vault


CASES = [
    # FM1xx: fields
    Case("required-missing", KOTLIN_Q, sub("question_kind: theory\n", ""),
         [("FM101", 1, "question_kind")], message="`question_kind` is missing"),
    Case("required-empty", KOTLIN_Q, sub("moc: moc-kotlin", "moc:"),
         [("FM101", "moc:", "moc")], message="`moc` is empty"),
    Case("required-missing-concept", CONCEPT, sub('created: "2025-11-08"\n', ""),
         [("FM101", 1, "created")]),
    Case("recommended-missing", KOTLIN_Q,
         sub("aliases: [Data Class Purpose, Назначение data class]\n", ""),
         [("FM102", 1, "aliases")]),
    Case("recommended-empty-list", KOTLIN_Q, sub("subtopics: [data-classes]", "subtopics: []"),
         [("FM102", "subtopics:", "subtopics")]),
    Case("topic-is-a-list", KOTLIN_Q, sub("topic: kotlin", "topic: [kotlin]"),
         [("FM103", "topic:", "topic")], fix="write `topic: kotlin`"),
    Case("tags-is-text", KOTLIN_Q,
         sub("tags: [code-generation, data-classes, difficulty/easy, kotlin]",
             "tags: code-generation, data-classes, difficulty/easy, kotlin"),
         [("FM103", "tags:", "tags")],
         fix="write `tags: [code-generation, data-classes, difficulty/easy, kotlin]`"),
    Case("aliases-is-text", KOTLIN_Q,
         sub("aliases: [Data Class Purpose, Назначение data class]", "aliases: Data Class Purpose"),
         [("FM103", "aliases:", "aliases")]),
    Case("title-is-a-number", CONCEPT, sub('title: "Kotlin / Котлин"', "title: 1984"),
         [("FM103", "title:", "title")], fix='quote it'),
    Case("moc-unquoted-wikilink", KOTLIN_Q, sub("moc: moc-kotlin", "moc: [[moc-kotlin]]"),
         [("FM103", "moc:", "moc")], message="nested list", fix="write `moc: moc-kotlin`"),
    Case("related-item-unquoted-wikilink", ANDROID_Q, sub("- c-fragments", "- [[c-fragments]]"),
         [("FM103", "- [[c-fragments]]", "related")]),
    Case("moc-quoted-wikilink", KOTLIN_Q, sub("moc: moc-kotlin", 'moc: "[[moc-kotlin]]"'),
         [("FM104", "moc:", "moc")], fix="write `moc: moc-kotlin`"),
    Case("title-one-language", KOTLIN_Q,
         sub('title: "Data Class Purpose / Назначение data class"',
             'title: "Data Class Purpose"'),
         [("FM105", "title:", "title")]),
    Case("title-one-language-declared-english-only", KOTLIN_Q,
         chain(sub('title: "Data Class Purpose / Назначение data class"',
                   'title: "Data Class Purpose"'),
               sub("language_tags: [en, ru]", "language_tags: [en]"), drop_language("ru")),
         []),
    # FM2xx: values against the taxonomy
    Case("topic-not-in-taxonomy", KOTLIN_Q, sub("topic: kotlin", "topic: kotlinx"),
         [("FM201", "topic:", "topic")], message="did you mean 'kotlin'?"),
    Case("difficulty-wrong-case", KOTLIN_Q, sub("difficulty: easy", "difficulty: Easy"),
         [("FM201", "difficulty:", "difficulty")], fix="write 'easy'"),
    Case("question-kind-not-in-taxonomy", KOTLIN_Q,
         sub("question_kind: theory", "question_kind: conceptual"),
         [("FM201", "question_kind:", "question_kind")]),
    Case("status-not-in-taxonomy", KOTLIN_Q, sub("status: draft", "status: done"),
         [("FM201", "status:", "status")]),
    Case("original-language-not-in-taxonomy", KOTLIN_Q,
         sub("original_language: ru", "original_language: multi"),
         [("FM201", "original_language:", "original_language")]),
    Case("kind-not-in-taxonomy", MOC, sub("kind: moc", "kind: hub"),
         [("FM201", "kind:", "kind")]),
    Case("language-tag-not-in-taxonomy", ANDROID_Q,
         sub("language_tags:\n- en\n- ru\n", "language_tags:\n- en\n- ru\n- de\n"),
         [("FM202", "- de", "language_tags")]),
    Case("android-subtopic-not-in-list", ANDROID_Q, sub("- fragment\n", "- fragments\n"),
         [("FM203", "- fragments", "subtopics")], message="did you mean 'fragment'?"),
    Case("too-many-subtopics", KOTLIN_Q,
         sub("subtopics: [data-classes]", "subtopics: [data-classes, classes, equality, jvm]"),
         [("FM204", "subtopics:", "subtopics")], message="has 4 items; the taxonomy allows 1-3"),
    Case("difficulty-tag-missing", KOTLIN_Q, sub("difficulty/easy, ", ""),
         [("FM205", "tags:", "tags")], fix="add the tag 'difficulty/easy'"),
    Case("difficulty-tag-contradicts", ANDROID_Q, sub("- difficulty/medium", "- difficulty/hard"),
         [("FM206", "- difficulty/hard", "tags")], fix="replace it with 'difficulty/medium'"),
    Case("android-mirror-tag-missing", ANDROID_Q, sub("- android/lifecycle\n", ""),
         [("FM207", "tags:", "tags")], fix="add the tag 'android/lifecycle'"),
    Case("tag-in-russian", ANDROID_Q, sub("- fragmentmanager\n", "- фрагменты\n"),
         [("FM208", "- фрагменты", "tags")]),
    Case("tag-with-hash", ANDROID_Q, sub("- fragmentmanager\n", "- '#fragmentmanager'\n"),
         [("FM208", "- '#fragmentmanager'", "tags")], fix="write 'fragmentmanager'"),
    Case("tag-with-space", ANDROID_Q, sub("- fragmentmanager\n", "- fragment manager\n"),
         [("FM208", "- fragment manager", "tags")], fix="write 'fragment-manager'"),
    # ID0xx: ids and file names
    Case("duplicate-id", KOTLIN_Q, None, [("ID001", "id:", "id")],
         extra={CONCEPT: sub('id: "20251108-170105"', 'id: "kotlin-228"')},
         message=f"is also the id of {CONCEPT}"),
    Case("file-name-difficulty-disagrees", KOTLIN_Q, None,
         [("ID003", "difficulty:", "difficulty")],
         rename="70-Kotlin/q-data-class-purpose--kotlin--medium.md",
         message="file name says difficulty 'medium' but the front matter says 'easy'",
         fix="rename the file to 'q-data-class-purpose--kotlin--easy.md'"),
    Case("file-name-topic-disagrees", KOTLIN_Q, None, [("ID003", "topic:", "topic")],
         rename="70-Kotlin/q-data-class-purpose--programming-languages--easy.md"),
    Case("file-name-uppercase", CONCEPT, None, [("ID002", 1, None)],
         rename="10-Concepts/c-Kotlin.md", message="lowercase"),
    Case("file-name-question-parts-on-a-concept", CONCEPT, None, [("ID002", 1, None)],
         rename="10-Concepts/c-kotlin--kotlin--easy.md"),
    Case("file-name-no-prefix-no-kind", MOC, sub("kind: moc\n", ""), [("ID002", 1, None)],
         rename="90-MOCs/cs-index.md", message="starts with none of q-, c-, moc-"),
    Case("file-name-of-another-kind", CONCEPT_KIND, None, [("ID003", "kind:", "kind")],
         rename="10-Concepts/moc-android-tv.md"),
    # DATE0xx
    Case("date-not-real-unquoted", KOTLIN_Q, sub("created: 2025-10-15", "created: 2025-02-30"),
         [("DATE001", "created:", "created")], message="not a real date"),
    Case("date-not-iso-quoted", CONCEPT, sub('updated: "2025-11-08"', 'updated: "08.11.2025"'),
         [("DATE001", "updated:", "updated")], message="not an ISO date"),
    Case("date-is-a-number", KOTLIN_Q, sub("created: 2025-10-15", "created: 20251015"),
         [("DATE001", "created:", "created")]),
    Case("date-with-time-is-fine", KOTLIN_Q,
         sub("created: 2025-10-15", "created: 2025-10-15T10:30:00"), []),
    Case("created-after-updated", KOTLIN_Q, sub("created: 2025-10-15", "created: 2025-11-20"),
         [("DATE002", "created:", "created")]),
    Case("date-in-the-future", KOTLIN_Q, sub("updated: 2025-11-10", "updated: 2025-12-01"),
         [("DATE003", "updated:", "updated")], message="in the future"),
    Case("date-tomorrow-is-tolerated", KOTLIN_Q,
         sub("updated: 2025-11-10", "updated: 2025-11-26"), []),
    # LANG0xx
    Case("declared-russian-missing", KOTLIN_Q, drop_language("ru"),
         [("LANG001", "language_tags:", "language_tags")], fix="remove 'ru'"),
    Case("declared-russian-missing-block-list", ANDROID_Q, drop_language("ru"),
         [("LANG001", "- ru", "language_tags")]),
    Case("russian-not-declared", KOTLIN_Q, sub("language_tags: [en, ru]", "language_tags: [en]"),
         [("LANG002", "language_tags:", "language_tags")], fix="add 'ru'"),
    Case("one-language-undeclared", CONCEPT,
         chain(sub('language_tags: ["en", "ru"]\n', ""), drop_language("ru")),
         [("LANG003", 1, "language_tags")], message="in English only"),
    Case("one-language-declared", CONCEPT,
         chain(sub('language_tags: ["en", "ru"]', 'language_tags: ["en"]'),
               drop_language("ru")), []),
    Case("no-content", CONCEPT, lambda text: text[: text.index("\n---\n") + 5],
         [("LANG001", "language_tags:", "language_tags")] * 2),
    Case("no-content-no-language-tags", CONCEPT_KIND,
         lambda text: text[: text.index("\n---\n") + 5],
         [("LANG004", "---", None)], occurrence=2),
    Case("empty-section", KOTLIN_Q, sub("## Related Questions", "## Примечания (RU)\n\n"
                                                                "## Related Questions"),
         [("LANG005", "## Примечания (RU)", None)]),
    # Load problems are part of validation, and a broken front matter is not reported twice
    Case("duplicate-key", KOTLIN_Q, sub("status: draft", "status: draft\nstatus: ready"),
         [("FM006", "status: ready", "status")]),
    Case("yaml-syntax-error", KOTLIN_Q, sub("topic: kotlin", "topic: [kotlin"),
         [("FM007", "subtopics:", None)]),
    Case("no-front-matter", KOTLIN_Q, lambda text: text[text.index("\n---\n") + 5:],
         [("FM001", 1, None)]),
    Case("byte-order-mark", KOTLIN_Q, lambda text: "\ufeff" + text, [("FILE005", 1, None)]),
]


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_defect_gives_its_diagnostic(corpus, notes_root, case: Case):
    rename = {case.note: case.rename} if case.rename else None
    written = copy_notes(corpus, notes_root, {case.note: case.edit}, rename)
    written.update(copy_notes(corpus, notes_root, case.extra))
    key = case.rename or case.note
    text = written[key]
    expected = sorted(
        (code, line_of(text, marker, case.occurrence) if isinstance(marker, str) else marker,
         field_name)
        for code, marker, field_name in case.expected)
    found = [d for d in check(notes_root) if d.path == key]
    assert sorted((d.code, d.line, d.field) for d in found) == expected, \
        "\n".join(f"{d.code} {d.line} {d.message}" for d in found)
    if case.message:
        assert case.message in found[0].message
    if case.fix:
        assert found[0].fix and case.fix in found[0].fix


def test_duplicate_id_is_reported_on_both_notes_naming_the_other(corpus, notes_root):
    copy_notes(corpus, notes_root, {KOTLIN_Q: None,
                                    CONCEPT: sub('id: "20251108-170105"', 'id: "Kotlin-228"')})
    found = sorted((d.path, d.message) for d in check(notes_root))
    assert [path for path, _ in found] == [CONCEPT, KOTLIN_Q]
    assert KOTLIN_Q in found[0][1] and CONCEPT in found[1][1]


def test_a_note_with_many_defects_reports_them_all(corpus, notes_root):
    edit = chain(sub("topic: kotlin", "topic: kotlinx"), sub("status: draft", "status: done"),
                 sub("created: 2025-10-15", "created: 2025-12-31"),
                 sub("difficulty/easy, ", ""), sub("moc: moc-kotlin\n", ""))
    copy_notes(corpus, notes_root, {KOTLIN_Q: edit})
    assert sorted(d.code for d in check(notes_root)) == \
        ["DATE002", "DATE003", "FM101", "FM201", "FM201", "FM205"]


def test_an_unreadable_front_matter_is_counted_and_the_others_still_checked(corpus, notes_root):
    copy_notes(corpus, notes_root, {
        KOTLIN_Q: sub("topic: kotlin", "topic: [kotlin"),
        ANDROID_Q: sub("- difficulty/medium", "- difficulty/hard"),
    })
    vault = load_vault(notes_root)
    assert len(vault.notes) == 2
    assert sorted((d.path, d.code) for d in validate_vault(vault, today=TODAY)) == \
        [(ANDROID_Q, "FM206"), (KOTLIN_Q, "FM007")]


def test_a_rule_that_crashes_is_reported_and_the_others_still_run(corpus, notes_root,
                                                                   monkeypatch):
    def broken(note, context):
        raise KeyError("boom")
        yield  # pragma: no cover

    broken.__name__ = "check_broken"
    monkeypatch.setattr(validate, "NOTE_RULES", (broken, *validate.NOTE_RULES))
    copy_notes(corpus, notes_root, {KOTLIN_Q: sub("status: draft", "status: done")})
    assert sorted(d.code for d in check(notes_root)) == ["FM201", "GEN001"]


# --- the whole real vault ----------------------------------------------------------------------

@pytest.mark.real_vault
def test_real_vault_diagnostics_are_consistent(corpus):
    vault = load_vault(corpus)
    diagnostics = validate_vault(vault, today=TODAY)
    assert_consistent_with_table(diagnostics)
    keys = {note.key for note in vault.notes}
    for d in diagnostics:
        assert d.path in keys
        assert d.line is None or d.line >= 1
    # Quoted dates are text; they are valid ISO dates and give no DATE001.
    assert not [d for d in diagnostics if d.code == "DATE001"]


# --- the table of codes --------------------------------------------------------------------

GENERATOR = Path(validate.__file__).parent.parent  # the package: every stage emits codes
_CODE = re.compile(r"\b((?:FILE|FM|ID|DATE|LANG|LINK|DV|TODO|GEN)\d{3})\b")


def test_every_code_in_the_sources_is_in_the_table_and_every_table_code_is_used():
    used: set[str] = set()
    for source in GENERATOR.rglob("*.py"):
        if source != GENERATOR / "checks" / "codes.py":
            used |= set(_CODE.findall(source.read_text(encoding="utf-8")))
    assert used - set(CODES) == set(), "codes emitted but not documented"
    assert set(CODES) - used == set(), "codes documented but never emitted"


def test_severities_written_in_other_modules_match_the_table():
    """load.py, frontmatter.py and graph.py build their Diagnostics themselves."""
    pairs = []
    for source in GENERATOR.rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        pairs += re.findall(r'"([A-Z]+\d{3})",\s*"(error|warning)"', text)
        pairs += [(code, sev) for sev, code in
                  re.findall(r'severity="(error|warning)",\s*code="([A-Z]+\d{3})"', text)]
    assert len(pairs) >= 15
    for code, severity in pairs:
        assert CODES[code].severity == severity, code


def test_codes_table_renders_as_markdown():
    table = codes.as_markdown()
    assert table.count("\n") == len(CODES) + 2
    assert "| ID001 | error |" in table


@pytest.mark.parametrize(("text", "expected"), [
    ("# H\n", False), ("# H\n\n...\n", False), ("# H\n> …\n---\n", False), ("# H\ntext", True),
    ("plain", True), ("", False), ("- -\n* *", False), ("## Ответ (RU)\n\nТекст", True),
    ("# H\n_*_", False), ("# H\n\t \n", False),
])
def test_has_content(text, expected):
    assert has_content(text) is expected


def test_drop_language_helper_removes_only_that_language(corpus):
    text = (corpus / KOTLIN_Q).read_text(encoding="utf-8")
    dropped = drop_language("ru")(text)
    sections = split_sections(dropped, 1)
    assert "ru" not in {s.language for s in sections}
    assert "en" in {s.language for s in sections}


# --- command line: formats and exit statuses -----------------------------------------------------

def _vault(corpus: Path, root: Path, edits: dict[str, Edit | None] | None = None) -> Path:
    copy_notes(corpus, root, {rel: None for rel in LINKLESS} | (edits or {}))
    return root


JSON_KEYS = {"path", "line", "column", "severity", "code", "field", "message"}


def test_json_output_matches_the_schema(corpus, notes_root, capsys):
    _vault(corpus, notes_root, {
        LINKLESS[0]: sub("created: 2025-11-05", "created: 2025-13-05"),
        LINKLESS[1]: lambda text: text.replace("---", "", 1),  # no front matter: still counted
    })
    assert main(["validate", "--notes", str(notes_root), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"notes", "diagnostics"}
    assert data["notes"] == 2
    assert data["diagnostics"]
    for item in data["diagnostics"]:
        assert JSON_KEYS <= set(item) <= JSON_KEYS | {"fix"}
        assert isinstance(item["path"], str) and item["path"] in LINKLESS
        assert item["line"] is None or isinstance(item["line"], int)
        assert item["column"] is None or isinstance(item["column"], int)
        assert item["severity"] in ("error", "warning")
        assert item["code"] in CODES
        assert item["field"] is None or isinstance(item["field"], str)
        assert isinstance(item["message"], str) and item["message"]
    assert {item["code"] for item in data["diagnostics"]} == {"FM001", "DATE001"}


_GITHUB = re.compile(r"^::(error|warning) file=[^,:]+,line=\d+(?:,col=\d+)?,"
                     r"title=[A-Z]+\d{3}::\S.*$")


def test_github_output_is_workflow_commands(corpus, notes_root, capsys):
    _vault(corpus, notes_root, {
        LINKLESS[0]: sub("created: 2025-11-05", "created: 2025-13-05"),
        LINKLESS[1]: sub("title: Equality / Равенство объектов", "title: Equality"),
    })
    assert main(["validate", "--notes", str(notes_root), "--format", "github"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    for line in lines:
        assert _GITHUB.match(line), line
    assert any(line.startswith("::error ") and "title=DATE001" in line for line in lines)
    assert any(line.startswith("::warning ") and "title=FM105" in line for line in lines)
    assert any(f"/{LINKLESS[0]},line=" in line for line in lines)


EXIT_CASES = [
    ("clean", {}, [], 0),
    ("warning-only", {LINKLESS[1]: sub("title: Equality / Равенство объектов", "title: Equality")},
     [], 0),
    ("warning-only-strict",
     {LINKLESS[1]: sub("title: Equality / Равенство объектов", "title: Equality")},
     ["--strict"], 1),
    ("error", {LINKLESS[0]: sub("created: 2025-11-05", "created: 2025-13-05")}, [], 1),
    ("broken-link", {LINKLESS[0]: lambda t: t + "\nSee [[c-no-such-note]].\n"}, [], 1),
    ("clean-strict", {}, ["--strict"], 0),
]


@pytest.mark.parametrize(("edits", "flags", "status"), [case[1:] for case in EXIT_CASES],
                         ids=[case[0] for case in EXIT_CASES])
def test_exit_status(corpus, notes_root, capsys, edits, flags, status):
    _vault(corpus, notes_root, edits)
    assert main(["validate", "--notes", str(notes_root), *flags]) == status
    out = capsys.readouterr().out
    assert "2 notes checked" in out


def test_exit_status_2_for_a_missing_folder(tmp_path, capsys):
    assert main(["validate", "--notes", str(tmp_path / "nowhere")]) == 2
    assert "notes folder not found" in capsys.readouterr().err


def test_exit_status_2_for_a_broken_taxonomy_file(corpus, notes_root, tmp_path, capsys):
    _vault(corpus, notes_root)
    broken = tmp_path / "taxonomy.yml"
    broken.write_text("fields:\n  topic:\n    type: string\n    values: [a, b\n", encoding="utf-8")
    assert main(["validate", "--notes", str(notes_root), "--taxonomy", str(broken)]) == 2
    err = capsys.readouterr().err
    assert f"{broken}:" in err and "YAML syntax error" in err


def test_exit_status_2_for_a_missing_taxonomy_file(corpus, notes_root, tmp_path, capsys):
    _vault(corpus, notes_root)
    assert main(["validate", "--notes", str(notes_root),
                 "--taxonomy", str(tmp_path / "none.yml")]) == 2
    assert "file not found" in capsys.readouterr().err


def test_exit_status_2_for_an_unknown_format(notes_root):
    with pytest.raises(SystemExit) as exit_info:
        main(["validate", "--notes", str(notes_root), "--format", "xml"])
    assert exit_info.value.code == 2


def test_taxonomy_at_the_notes_root_is_used(corpus, notes_root, capsys):
    _vault(corpus, notes_root)
    (notes_root / "taxonomy.yml").write_text(
        "kinds:\n"
        "  concept:\n"
        "    file_name: c-{slug}\n"
        "    required: [id, title, created, updated, tags, topic]\n", encoding="utf-8")
    assert main(["validate", "--notes", str(notes_root), "--format", "json"]) == 1
    found = json.loads(capsys.readouterr().out)["diagnostics"]
    assert {(d["path"], d["code"], d["field"]) for d in found} == \
        {(rel, "FM101", "topic") for rel in LINKLESS}


# --- no input makes a rule crash -------------------------------------------------------------

_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                     st.text(max_size=12), st.dates(), st.datetimes())
_VALUES = st.recursive(_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=5), inner, max_size=3)),
    max_leaves=8)
_FIELDS = st.sampled_from(["id", "title", "aliases", "kind", "topic", "subtopics", "difficulty",
                           "question_kind", "status", "language_tags", "original_language",
                           "moc", "related", "tags", "created", "updated", "summary"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(meta=st.dictionaries(_FIELDS, _VALUES, max_size=10),
       stem=st.sampled_from(["q-a--kotlin--easy", "c-a", "moc-a", "a", "q-A", "c--x--y"]))
def test_no_front_matter_value_makes_a_rule_fail(meta, stem):
    front = FrontMatter(data=meta, key_lines={key: 2 + i for i, key in enumerate(meta)},
                        item_lines={}, start_line=1, end_line=len(meta) + 2)
    body = "# Question (EN)\nText\n# Вопрос (RU)\nТекст\n"
    note = Note(key=NoteKey(f"x/{stem}.md"), path=Path(f"/v/x/{stem}.md"), front=front,
                body=body, body_line=front.end_line + 1,
                sections=split_sections(body, front.end_line + 1), links=())
    diagnostics = validate_vault(Vault(root=Path("/v"), notes=(note,), skipped=()), today=TODAY)
    assert [d for d in diagnostics if d.code == "GEN001"] == []
    assert_consistent_with_table(diagnostics)
