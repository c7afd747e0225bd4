"""Validation rules on small bilingual notes, without the real vault: copy the fixture vault
(tests/fixtures/validate/vault: two questions, two concepts, two MOCs, shaped like the real
vault's notes and clean under every rule), give one note one defect (the tables of
tests/fixtures/validate/cases.py), and check that exactly the expected diagnostics come out,
with the code, line and field an author looks at and a message that names what was expected.
Checks over the whole real vault are in test_validate_real_vault.py.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import generator
from generator import pipeline
from generator.checks.codes import CODES
from generator.checks.taxonomy import default_taxonomy, load_taxonomy
from generator.checks.validate import validate_vault
from generator.cli import main
from generator.model import BuildReport, Diagnostic
from generator.notes.language import has_content, split_sections
from generator.notes.load import load_vault
from tests.fixtures.validate.cases import (
    CASES,
    CONCEPT,
    CONCEPT_KIND,
    FILE_CASES,
    LINK_CASES,
    MOC,
    Q_ANDROID,
    Q_KOTLIN,
    QUERY,
    Case,
    Edit,
    chain,
    drop_language,
    no_front_matter,
    sub,
)

TODAY = dt.date(2025, 11, 25)
FIXTURES = Path(__file__).parent / "fixtures" / "validate" / "vault"
NOTES = 6


# --- helpers ---------------------------------------------------------------------------------

def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line of the n-th line that starts with `needle` (indentation aside)."""
    hits = [number for number, line in enumerate(text.split("\n"), 1)
            if line.lstrip().startswith(needle)]
    assert len(hits) >= occurrence, f"{needle!r} not in the note"
    return hits[occurrence - 1]


def edit_note(root: Path, rel: str, edit: Edit | None, rename: str | None = None) -> str:
    """Edit a note of the copied vault (and move it to `rename`); return its new text."""
    text = (root / rel).read_text(encoding="utf-8")
    text = edit(text) if edit else text
    dest = root / (rename or rel)
    if rename:
        (root / rel).unlink()
        dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(text, encoding="utf-8")
    return text


def check(root: Path) -> list[Diagnostic]:
    """validate_vault with the vault's taxonomy.yml if it has one, as `kb validate` reads it."""
    diagnostics = validate_vault(load_vault(root), load_taxonomy(None, root), today=TODAY)
    assert_consistent_with_table(diagnostics)
    return diagnostics


def assert_consistent_with_table(diagnostics: list[Diagnostic]) -> None:
    for d in diagnostics:
        assert d.code in CODES, d
        assert d.severity == CODES[d.code].severity, d
        if d.fix:
            assert CODES[d.code].fixable, d


def shown(diagnostics: list[Diagnostic]) -> str:
    return "\n".join(f"{d.path}:{d.line} {d.code} [{d.field}] {d.message}" for d in diagnostics)


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    """A copy of the fixture vault that a test may change."""
    return Path(shutil.copytree(FIXTURES, tmp_path / "notes"))


def test_the_fixture_vault_is_clean(vault, capsys):
    assert check(vault) == []
    assert main(["validate", "--notes", str(vault), "--strict"]) == 0
    assert f"{NOTES} notes checked: 0 errors, 0 warnings" in capsys.readouterr().out


# --- one defect in one note, the diagnostics it causes -----------------------------------------

@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_defect_gives_its_diagnostic(vault, case: Case):
    if case.taxonomy:
        (vault / "taxonomy.yml").write_text(case.taxonomy, encoding="utf-8")
    text = edit_note(vault, case.note, case.edit, case.rename)
    key = case.rename or case.note
    expected = sorted(
        (key, code, line_of(text, marker, case.occurrence) if isinstance(marker, str) else marker,
         field_name)
        for code, marker, field_name in case.expected)
    found = check(vault)
    assert sorted((d.path, d.code, d.line, d.field) for d in found) == expected, shown(found)
    first = next((d for d in found if case.expected and d.code == case.expected[0][0]), None)
    if case.message:
        assert first and case.message in first.message, shown(found)
    if case.fix:
        assert first and first.fix and case.fix in first.fix, first


# --- files the loader cannot take as they are ----------------------------------------------------

@pytest.mark.parametrize(("change", "expected", "message"), [case[1:] for case in FILE_CASES],
                         ids=[case[0] for case in FILE_CASES])
def test_a_file_problem_gives_its_diagnostic(vault, change, expected, message):
    change(vault)
    found = check(vault)
    assert sorted((d.path, d.code, d.line) for d in found) == sorted(expected), shown(found)
    assert message in next(d.message for d in found if d.code == expected[0][1])


# --- across notes, and many problems at once ---------------------------------------------------

def test_duplicate_ids_are_reported_on_both_notes_naming_the_other_and_a_free_id(vault):
    edit_note(vault, CONCEPT, sub('id: "20251108-170105"', 'id: "Kotlin-501"'))  # case aside
    found = sorted(check(vault), key=lambda d: d.path)
    assert [(d.path, d.code, d.line, d.field) for d in found] == \
        [(CONCEPT, "ID001", 2, "id"), (Q_KOTLIN, "ID001", 2, "id")]
    assert f"id 'Kotlin-501' is also the id of {Q_KOTLIN}" in found[0].message
    assert f"id 'kotlin-501' is also the id of {CONCEPT}" in found[1].message
    free = [re.search(r"the next free id in its style is '([^']+)'", d.message) for d in found]
    assert all(free) and len({match[1].casefold() for match in free} | {"kotlin-501"}) == 3


def test_a_note_with_many_defects_reports_them_all(vault):
    edit_note(vault, Q_KOTLIN, chain(
        sub("topic: kotlin", "topic: kotlinx"), sub("status: draft", "status: done"),
        sub("created: 2025-10-15", "created: 2025-12-31"), sub("difficulty/easy, ", ""),
        sub("moc: moc-kotlin\n", "")))
    assert sorted(d.code for d in check(vault)) == \
        ["DATE002", "DATE003", "FM101", "FM201", "FM201", "FM205"]


def test_an_unreadable_front_matter_is_reported_once_and_the_others_still_checked(vault):
    edit_note(vault, Q_KOTLIN, sub("topic: kotlin", "topic: [kotlin"))
    edit_note(vault, Q_ANDROID, sub("- difficulty/medium", "- difficulty/hard"))
    assert len(load_vault(vault).notes) == NOTES
    assert sorted((d.path, d.code) for d in check(vault)) == [(Q_ANDROID, "FM206"), (Q_KOTLIN, "FM007")]


class Exploding:
    """Tag rules that fail when read: a stand-in for a rule's bug."""

    def __getattr__(self, name: str) -> None:
        raise KeyError(name)


def test_a_rule_that_crashes_is_reported_and_the_others_still_run(vault):
    edit_note(vault, Q_KOTLIN, sub("status: draft", "status: done"))
    taxonomy = dataclasses.replace(default_taxonomy(), tags=Exploding())
    found = validate_vault(load_vault(vault), taxonomy, today=TODAY)
    assert_consistent_with_table(found)
    crashed = [d for d in found if d.code == "GEN001"]
    assert {d.path for d in crashed} == {note.key for note in load_vault(vault).notes}
    assert "failed on this note: KeyError" in crashed[0].message
    assert [(d.path, d.code) for d in found if d.code != "GEN001"] == [(Q_KOTLIN, "FM201")]


# --- links and Dataview queries, as `kb validate` reports them --------------------------------

def validate_json(root: Path, capsys: pytest.CaptureFixture[str], *flags: str) -> list[dict]:
    main(["validate", "--notes", str(root), "--format", "json", *flags])
    return json.loads(capsys.readouterr().out)["diagnostics"]


@pytest.mark.parametrize("case", LINK_CASES, ids=[case.id for case in LINK_CASES])
def test_link_or_query_defect_gives_its_diagnostic(vault, capsys, case: Case):
    text = edit_note(vault, case.note, case.edit)
    expected = [(case.note, code, line_of(text, marker), field_name)
                for code, marker, field_name in case.expected]
    found = validate_json(vault, capsys)
    assert [(d["path"], d["code"], d["line"], d["field"]) for d in found] == expected, found
    assert case.message in found[0]["message"]
    assert case.fix is None or case.fix in found[0]["fix"]


def test_a_link_to_a_note_not_published_is_reported_where_it_is(vault, capsys):
    edit_note(vault, CONCEPT_KIND, sub("kind: concept\n", "kind: concept\npublish: false\n"))
    question, moc = (vault / Q_ANDROID).read_text(encoding="utf-8"), "90-MOCs/moc-android.md"
    found = validate_json(vault, capsys)
    assert [(d["path"], d["code"], d["line"], d["field"]) for d in found] == [
        (Q_ANDROID, "LINK006", line_of(question, "- c-fragments"), "related"),
        (Q_ANDROID, "LINK006", line_of(question, "- [[c-fragments]]"), None),
        (Q_ANDROID, "LINK006", line_of(question, "- [[c-fragments]]", 2), None),
        (moc, "LINK006", line_of((vault / moc).read_text(encoding="utf-8"), "- [[c-fragments]]"), None)]
    assert "entry 'c-fragments' is a note that is not published (publish: false)" in found[0]["message"]
    assert "[[c-fragments]] goes to a note that is not published" in found[1]["message"]


def test_a_query_that_fails_when_run_is_reported_at_its_fence(vault):
    text = edit_note(vault, MOC, sub(QUERY, 'WHERE "a" - 1\n'))
    # `kb validate` only parses queries (fast enough for a commit hook); a build runs them.
    found = pipeline.check(vault, BuildReport(), run_queries=True).diagnostics
    assert [(d.path, d.code, d.line) for d in found] == [(MOC, "DV004", line_of(text, "```dataview"))]
    assert "failed when run" in found[0].message


# --- the table of codes --------------------------------------------------------------------

GENERATOR = Path(generator.__file__).parent  # the whole package: every stage emits codes
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


def test_codes_table_renders_as_markdown(capsys):
    assert main(["codes", "--format", "markdown"]) == 0
    table = capsys.readouterr().out
    assert table.count("\n") == len(CODES) + 2
    assert "| ID001 | error |" in table


@pytest.mark.parametrize(("text", "expected"), [
    ("# H\n", False), ("# H\n\n...\n", False), ("# H\n> …\n---\n", False), ("# H\ntext", True),
    ("plain", True), ("", False), ("- -\n* *", False), ("## Ответ (RU)\n\nТекст", True),
    ("# H\n_*_", False), ("# H\n\t \n", False),
])
def test_has_content(text, expected):
    assert has_content(text) is expected


def test_drop_language_helper_removes_only_that_language():
    sections = split_sections(drop_language("ru")((FIXTURES / Q_KOTLIN).read_text(encoding="utf-8")), 1)
    assert {s.language for s in sections} & {"en", "ru"} == {"en"}


# --- command line: formats and exit statuses -----------------------------------------------------

JSON_KEYS = {"path", "line", "column", "severity", "code", "field", "message"}
BAD_DATE = sub('created: "2025-11-08"', 'created: "2025-13-08"')
ONE_LANGUAGE_TITLE = sub('"Sealed Classes / Sealed-классы"', '"Sealed Classes"')


def test_json_output_matches_the_schema(vault, capsys):
    edit_note(vault, CONCEPT, BAD_DATE)
    edit_note(vault, CONCEPT_KIND, no_front_matter)  # no front matter: still counted
    assert main(["validate", "--notes", str(vault), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"notes", "not_notes", "diagnostics"}
    assert data["notes"] == NOTES and data["not_notes"] == {}
    for item in data["diagnostics"]:
        assert JSON_KEYS <= set(item) <= JSON_KEYS | {"fix"}
        assert item["line"] is None or isinstance(item["line"], int)
        assert item["column"] is None or isinstance(item["column"], int)
        assert item["severity"] == CODES[item["code"]].severity
        assert item["field"] is None or isinstance(item["field"], str)
        assert isinstance(item["message"], str) and item["message"]
    assert [(d["path"], d["code"], d["line"], d["field"]) for d in data["diagnostics"]] == \
        [(CONCEPT_KIND, "FM001", 1, None), (CONCEPT, "DATE001", 15, "created")]


_GITHUB = re.compile(r"^::(error|warning) file=[^,:]+,line=\d+(?:,col=\d+)?,"
                     r"title=[A-Z]+\d{3}::\S.*$")


def test_github_output_is_workflow_commands(vault, capsys):
    edit_note(vault, CONCEPT, chain(BAD_DATE, ONE_LANGUAGE_TITLE))
    assert main(["validate", "--notes", str(vault), "--format", "github"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    for line in lines:
        assert _GITHUB.match(line), line
    assert any(line.startswith("::error ") and "title=DATE001" in line for line in lines)
    assert any(line.startswith("::warning ") and "title=FM105" in line for line in lines)
    assert all(f"/{CONCEPT},line=" in line for line in lines)


EXIT_CASES = [
    ("clean", None, [], 0),
    ("warning-only", ONE_LANGUAGE_TITLE, [], 0),
    ("warning-only-strict", ONE_LANGUAGE_TITLE, ["--strict"], 1),
    ("error", BAD_DATE, [], 1),
    ("broken-link", lambda text: text + "\nSee [[c-no-such-note]].\n", [], 1),
    ("clean-strict", None, ["--strict"], 0),
]


@pytest.mark.parametrize(("edit", "flags", "status"), [case[1:] for case in EXIT_CASES],
                         ids=[case[0] for case in EXIT_CASES])
def test_exit_status(vault, capsys, edit, flags, status):
    edit_note(vault, CONCEPT, edit)
    assert main(["validate", "--notes", str(vault), *flags]) == status
    assert f"{NOTES} notes checked" in capsys.readouterr().out


def test_exit_status_2_for_a_missing_folder(tmp_path, capsys):
    assert main(["validate", "--notes", str(tmp_path / "nowhere")]) == 2
    assert "notes folder not found" in capsys.readouterr().err


def test_exit_status_2_for_a_broken_taxonomy_file(vault, tmp_path, capsys):
    broken = tmp_path / "taxonomy.yml"
    broken.write_text("fields:\n  topic:\n    type: string\n    values: [a, b\n", encoding="utf-8")
    assert main(["validate", "--notes", str(vault), "--taxonomy", str(broken)]) == 2
    err = capsys.readouterr().err
    assert f"{broken}:" in err and "YAML syntax error" in err


def test_exit_status_2_for_a_missing_taxonomy_file(vault, tmp_path, capsys):
    assert main(["validate", "--notes", str(vault), "--taxonomy", str(tmp_path / "none.yml")]) == 2
    assert "file not found" in capsys.readouterr().err


def test_exit_status_2_for_an_unknown_format(vault):
    with pytest.raises(SystemExit) as exit_info:
        main(["validate", "--notes", str(vault), "--format", "xml"])
    assert exit_info.value.code == 2


def test_taxonomy_at_the_notes_root_is_used(vault, capsys):
    (vault / "taxonomy.yml").write_text(
        "kinds:\n"
        "  concept:\n"
        "    file_name: c-{slug}\n"
        "    required: [id, title, created, updated, tags, topic]\n", encoding="utf-8")
    found = validate_json(vault, capsys)
    assert [(d["path"], d["code"], d["line"], d["field"]) for d in found] == \
        [(CONCEPT_KIND, "FM101", 1, "topic")]  # the other concept has a topic


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
    front = yaml.safe_dump(meta, allow_unicode=True) if meta else ""
    text = f"---\n{front}---\n# Question (EN)\nText\n# Вопрос (RU)\nТекст\n"
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "x").mkdir()
        (Path(folder) / "x" / f"{stem}.md").write_text(text, encoding="utf-8")
        vault = load_vault(Path(folder))
        diagnostics = validate_vault(vault, today=TODAY)
    assert [d for d in diagnostics if d.code == "GEN001"] == []
    assert_consistent_with_table(diagnostics)


def test_the_files_that_are_no_notes_are_counted_by_their_rule(vault, capsys):
    """The summary accounts for every Markdown file: the notes checked, and the others by the
    documented rule that says they are no note (README's "Which files are notes")."""
    (vault / "_templates").mkdir()
    (vault / "_templates" / "question.md").write_text("---\nid: <% id %>\n---\n", encoding="utf-8")
    (vault / "README.md").write_text("# About this vault\n", encoding="utf-8")
    (vault / "TODO.md").write_text("a maintenance file, no front matter\n", encoding="utf-8")
    assert main(["validate", "--notes", str(vault)]) == 0
    assert (f"{NOTES} notes checked (3 files not notes: 1 README.md, 1 at the root without "
            "front matter, 1 in a folder starting with _): 0 errors") in capsys.readouterr().out
    assert main(["validate", "--notes", str(vault), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["not_notes"] == {
        "README.md": 1, "at the root without front matter": 1, "in a folder starting with _": 1}
