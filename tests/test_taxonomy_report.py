"""`kb taxonomy`: the values notes use that the taxonomy lacks, the allowed values nobody uses,
near-duplicates; `--write` adds the accepted values to the vault's taxonomy.yml, keeping what
the file says and how, and `validate` then accepts them."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
import yaml

from generator.checks.taxonomy import DEFAULT_PATH
from generator.checks.taxonomy_report import near_duplicates
from generator.cli import main
from tests.conftest import note_text


def _question(slug: str, topic: str, **fields: str) -> tuple[str, str]:
    name = f"q-{slug}--{topic}--easy.md"
    return name, note_text(id=slug, title=f"{slug} / {slug}", topic=topic, difficulty="easy",
                           body="# Question (EN)\n\nWhat?\n\n# Вопрос (RU)\n\nЧто?", **fields)


def _vault(make_vault, extra: dict[str, str] | None = None) -> Path:
    """Three notes on a new topic `kmp`, one with the misspelt `kotln`, one on `kotlin`."""
    files = dict([_question("shared-code", "kmp"), _question("expect-actual", "kmp"),
                  _question("kmp-gradle", "kmp"), _question("lambdas", "kotln"),
                  _question("coroutines", "kotlin")])
    return make_vault({**files, **(extra or {})})


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["taxonomy", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def _topic_errors(capsys, notes: Path) -> dict[str, int]:
    """{value: FM201 count} of `validate`'s topic errors."""
    main(["validate", "--notes", str(notes), "--format", "json"])
    found = json.loads(capsys.readouterr().out)["diagnostics"]
    return Counter(d["message"].split("'")[1] for d in found
                   if d["code"] == "FM201" and d["field"] == "topic")


# --- the rule ------------------------------------------------------------------------------------

@pytest.mark.parametrize("a, b, same", [
    ("data_structures", "data-structures", True),
    ("Kotlin", "kotlin", True),
    ("Data Structures", "data-structures", True),
    ("database", "databases", True),
    ("process", "processes", True),
    ("kotlin", "kmp", False),
    ("architecture-mvi", "architecture-mvvm", False),
    ("testing-ui", "testing-unit", False),
], ids=["underscore", "case", "space", "plural-s", "plural-es", "different", "mvi-mvvm",
        "ui-unit"])
def test_near_duplicate_rule(a, b, same):
    assert near_duplicates(a, b) is same
    assert near_duplicates(b, a) is same


# --- the report ----------------------------------------------------------------------------------

def test_report_lists_new_values_misspellings_and_unused(make_vault, capsys):
    notes = _vault(make_vault)
    code, out, _ = _run(capsys, "--notes", str(notes))
    assert code == 0
    lines = out.splitlines()
    kmp = next(line for line in lines if line.strip().startswith("kmp "))
    assert "3 notes" in kmp and "new value" in kmp
    kotln = next(line for line in lines if line.strip().startswith("kotln "))
    assert "1 note " in kotln and "near-duplicate of 'kotlin'" in kotln
    unused = next(line for line in lines if line.startswith("  allowed but unused"))
    assert "cloud" in unused and "kotlin" not in unused.split(": ", 1)[1].split(", ")
    assert "near-duplicates: kotlin ~ kotln" in out
    assert "1 new value to accept" in out and "1 near-duplicate to fix in the notes" in out


def test_report_as_json(make_vault, capsys):
    notes = _vault(make_vault)
    code, out, _ = _run(capsys, "--notes", str(notes), "--format", "json")
    assert code == 0
    data = json.loads(out)
    topic = next(s for s in data["scopes"] if s["field"] == "topic")
    used = {u["value"]: u for u in topic["used_not_allowed"]}
    assert used["kmp"]["notes"] == 3 and used["kmp"]["near_duplicate_of"] is None
    assert sorted(used["kmp"]["paths"]) == ["q-expect-actual--kmp--easy.md",
                                             "q-kmp-gradle--kmp--easy.md",
                                             "q-shared-code--kmp--easy.md"]
    assert used["kotln"]["near_duplicate_of"] == "kotlin"
    assert "cloud" in topic["unused"] and "kotlin" not in topic["unused"]


def test_two_new_values_that_fold_alike_are_one_value_and_its_misspelling(make_vault, capsys):
    notes = _vault(make_vault, dict([_question("odd", "KMP")]))
    code, out, _ = _run(capsys, "--notes", str(notes), "--write", "--accept-all")
    assert code == 0
    assert "topic: kmp (3 notes)" in out
    assert "topic: KMP (1 note): near-duplicate of the new value 'kmp'" in out


# --- writing -------------------------------------------------------------------------------------

def test_write_without_accept_writes_nothing_and_says_what_it_would_add(make_vault, capsys):
    notes = _vault(make_vault)
    code, out, _ = _run(capsys, "--notes", str(notes), "--write")
    assert code == 0
    assert not (notes / "taxonomy.yml").exists()
    assert "nothing written" in out
    assert "would add with --accept-all:\n  topic: kmp (3 notes)" in out


def test_accept_all_creates_the_file_with_the_built_in_values_plus_the_new(make_vault, capsys):
    notes = _vault(make_vault)
    assert _topic_errors(capsys, notes) == {"kmp": 3, "kotln": 1}
    code, out, _ = _run(capsys, "--notes", str(notes), "--write", "--accept-all")
    assert code == 0
    assert "created" in out and "topic: kmp (3 notes)" in out
    assert "topic: kotln (1 note): near-duplicate of 'kotlin'" in out
    written = yaml.safe_load((notes / "taxonomy.yml").read_text(encoding="utf-8"))
    built_in = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))["fields"]["topic"]
    assert list(written["fields"]) == ["topic"]  # only what changes
    assert written["fields"]["topic"]["type"] == built_in["type"]
    assert written["fields"]["topic"]["values"] == built_in["values"] + ["kmp"]
    assert _topic_errors(capsys, notes) == {"kotln": 1}  # validate accepts kmp now

    before = (notes / "taxonomy.yml").read_text(encoding="utf-8")
    code, out, _ = _run(capsys, "--notes", str(notes), "--write", "--accept-all")
    assert code == 0 and "nothing to add" in out
    assert (notes / "taxonomy.yml").read_text(encoding="utf-8") == before


EXISTING = """\
# Our vault's vocabulary. Keep the groups!
fields:
  topic:
    type: string
    values:
      # languages
      - kotlin
      - java   # the old one
      # platforms
      - android
  status: {type: string, values: [draft, ready]}  # two states only

# How topics read.
labels:
  topic:
    kotlin: {en: Kotlin, ru: Kotlin}
"""


def test_accept_appends_to_an_existing_block_list_keeping_everything(make_vault, capsys):
    notes = _vault(make_vault, {"taxonomy.yml": EXISTING})
    code, out, _ = _run(capsys, "--notes", str(notes), "--write", "--accept", "kmp")
    assert code == 0 and "updated" in out
    text = (notes / "taxonomy.yml").read_text(encoding="utf-8")
    assert text == EXISTING.replace("      - android\n", "      - android\n      - kmp\n")
    assert _topic_errors(capsys, notes) == {"kotln": 1}
    code, out, _ = _run(capsys, "--notes", str(notes), "--write", "--accept", "kmp")
    assert code == 0 and "already allowed: kmp" in out
    assert (notes / "taxonomy.yml").read_text(encoding="utf-8") == text


def test_accept_appends_to_a_flow_list(make_vault, capsys):
    flow = "fields:\n  topic: {type: string, values: [kotlin, android]}  # short\n"
    notes = _vault(make_vault, {"taxonomy.yml": flow})
    code, _, _ = _run(capsys, "--notes", str(notes), "--write", "--accept", "topic=kmp")
    assert code == 0
    assert (notes / "taxonomy.yml").read_text(encoding="utf-8") == \
        "fields:\n  topic: {type: string, values: [kotlin, android, kmp]}  # short\n"


def test_a_field_the_file_lacks_is_copied_from_the_built_in_one(make_vault, capsys):
    own = "# mine\nfields:\n    status: {type: string, values: [draft, ready]}\n# the end\n"
    notes = _vault(make_vault, {"taxonomy.yml": own})
    code, _, _ = _run(capsys, "--notes", str(notes), "--write", "--accept-all")
    assert code == 0
    text = (notes / "taxonomy.yml").read_text(encoding="utf-8")
    assert text.startswith("# mine\nfields:\n    status: {type: string, values: [draft, ready]}\n"
                           "    topic:\n        type: string\n")
    assert text.endswith("        - kmp\n# the end\n")
    fields = yaml.safe_load(text)["fields"]
    assert fields["status"]["values"] == ["draft", "ready"]
    assert fields["topic"]["values"][-2:] == ["cs", "kmp"]
    assert _topic_errors(capsys, notes) == {"kotln": 1}


def test_a_new_android_subtopic_goes_to_its_topics_list(make_vault, capsys):
    name, text = _question("glance", "android", subtopics="[ui-compose, glance-widgets]",
                           tags="[android/ui-compose, android/glance-widgets, difficulty/easy]")
    notes = make_vault({name: text})
    code, out, _ = _run(capsys, "--notes", str(notes))
    assert "subtopics of topic android" in out and "glance-widgets" in out
    code, out, _ = _run(capsys, "--notes", str(notes), "--write", "--accept", "glance-widgets")
    assert code == 0 and "subtopics of topic android: glance-widgets (1 note)" in out
    spec = yaml.safe_load((notes / "taxonomy.yml").read_text(encoding="utf-8"))["fields"]
    assert spec["subtopics"]["values_by_topic"]["android"][-1] == "glance-widgets"
    assert (spec["subtopics"]["min"], spec["subtopics"]["max"]) == (1, 3)
    main(["validate", "--notes", str(notes), "--format", "json"])
    codes = {d["code"] for d in json.loads(capsys.readouterr().out)["diagnostics"]}
    assert "FM203" not in codes


def test_accepting_a_value_no_note_uses_is_a_usage_error(make_vault, capsys):
    notes = _vault(make_vault)
    code, _, err = _run(capsys, "--notes", str(notes), "--write", "--accept", "swift")
    assert code == 2
    assert "--accept 'swift': no note uses such a value" in err and "Traceback" not in err
    assert not (notes / "taxonomy.yml").exists()
    code, _, err = _run(capsys, "--notes", str(notes), "--accept-all")
    assert code == 2 and "go with --write" in err


def test_a_layout_it_cannot_extend_is_said_and_left_alone(make_vault, capsys):
    own = "fields: {status: {type: string, values: [draft, ready]}}\n"
    notes = _vault(make_vault, {"taxonomy.yml": own})
    code, _, err = _run(capsys, "--notes", str(notes), "--write", "--accept", "kmp")
    assert code == 1 and "flow mapping" in err and "nothing written" in err
    assert (notes / "taxonomy.yml").read_text(encoding="utf-8") == own


# --- the real vault -----------------------------------------------------------------------------

@pytest.mark.real_vault
def test_real_vault_report_agrees_with_validate(corpus, capsys):
    code, out, _ = _run(capsys, "--notes", str(corpus), "--format", "json")
    assert code == 0
    report = json.loads(out)
    main(["validate", "--notes", str(corpus), "--format", "json"])
    found = json.loads(capsys.readouterr().out)["diagnostics"]
    # Every note validate flags for a value of a field is a note the report lists for that
    # field, and the other way round (the declared kind is no value list: left out).
    flagged: dict[str, set[str]] = {}
    for d in found:
        if d["code"] in ("FM201", "FM202", "FM203") and d["field"] != "kind":
            flagged.setdefault(d["field"], set()).add(d["path"])
    listed: dict[str, set[str]] = {}
    for scope in report["scopes"]:
        for used in scope["used_not_allowed"]:
            listed.setdefault(scope["field"], set()).update(used["paths"])
    assert listed == flagged
    assert listed  # the 2025-11 vault has some
    # One diagnostic per value and note (a list naming a value twice gives two).
    diagnostics = sum(1 for d in found if d["code"] in ("FM201", "FM202", "FM203")
                      and d["field"] != "kind")
    uses = sum(used["notes"] for scope in report["scopes"] for used in scope["used_not_allowed"])
    assert uses <= diagnostics
