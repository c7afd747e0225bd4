"""Errors that help (issue 17): what an author reads for a YAML slip, a link to no note, an id
two notes share and a misspelt value, and what `kb fix` does about the last two."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.checks.validate import validate_vault
from generator.cli import main
from generator.graph.links import Resolver
from generator.model import NoteKey, SetValue, Vault
from generator.notes.frontmatter import split_front_matter
from generator.notes.load import load_text, load_vault

from .conftest import VaultMaker, note_text

# --- YAML slips: where, and what to write instead ---------------------------------------------

# (front matter between the fences, line, column, what the message must say); lines are file
# lines: the opening fence is line 1.
SLIPS = [
    ("tab-indent", "id: a\ntags:\n\t- kotlin\n", 4, 1,
     ["a tab in the indentation", "indent with spaces, not tabs"]),
    ("tab-before-key", "id: a\n\ttitle: Flow\n", 3, 1, ["indent with spaces, not tabs"]),
    ("unclosed-quote", 'id: a\ntitle: "Flow / Поток\ntopic: kotlin\n', 3, 8,
     ["a quote is never closed", "unexpected end of stream",
      "close the quote opened at line 3 col 8"]),
    ("unclosed-quote-runs-on", 'id: a\ntitle: "Flow / Поток\ntopic: kotlin\n'
     'category: "coroutines"\n', 3, 8, ["close the quote opened at line 3 col 8"]),
    ("no-space-after-colon", "id: a\ntitle:Flow\ntopic: kotlin\n", 3, 6,
     ["`title:Flow` has no space after ':'", "the key `title` is lost",
      "put a space after ':' in `key: value`: `title: Flow`"]),
    ("no-space-last-line", "id: a\ndifficulty:easy\n", 3, 11,
     ["put a space after ':' in `key: value`: `difficulty: easy`"]),
    ("no-space-first-line", "id:a\ntitle: Flow\n", 2, 3,
     ["`id:a` has no space after ':'", "`id: a`"]),
    ("colon-in-title", "id: a\ntitle: Kotlin: coroutines / Kotlin: корутины\ntopic: kotlin\n",
     3, 14, ["': ' inside the value of `title`", "mapping values are not allowed",
             'quote the title: `title: "Kotlin: coroutines / Kotlin: корутины"`']),
    ("colon-in-title-with-quotes", 'id: a\ntitle: Kotlin: the "suspend" word\n', 3, 14,
     ["quote the title: `title: 'Kotlin: the \"suspend\" word'`"]),
    ("backtick-starts-a-value", "id: a\naliases: [Completion, `Flow`, onCompletion]\n", 3, 23,
     ["a value cannot start with '`'", 'quote it: `"`Flow`"`']),
    ("apostrophe-in-single-quotes", "id: a\ntitle: 'Kotlin's coroutines'\ntopic: kotlin\n",
     3, 15, ["write it twice: `title: 'Kotlin''s coroutines'`"]),
]


@pytest.mark.parametrize(("yaml_text", "line", "column", "says"),
                         [case[1:] for case in SLIPS], ids=[case[0] for case in SLIPS])
def test_a_yaml_slip_is_reported_where_it_is_with_what_to_write(
        yaml_text: str, line: int, column: int, says: list[str]) -> None:
    lines = ["---", *yaml_text.rstrip("\n").split("\n"), "---", "body"]
    _, _, problems = split_front_matter("q.md", lines)
    assert [(p.code, p.line, p.column) for p in problems] == [("FM007", line, column)]
    for words in says:
        assert words in problems[0].message


def test_a_line_with_no_space_is_not_blamed_when_it_is_not_the_slip() -> None:
    """`Note:this` inside a block scalar is text: the error is elsewhere, and no hint is
    invented for it."""
    lines = ["---", "id: a", "summary: |", "  Note:this", "tags: [", "---"]
    _, _, problems = split_front_matter("q.md", lines)
    assert [p.code for p in problems] == ["FM007"]
    assert "space after ':'" not in problems[0].message


def test_the_only_line_without_a_space_is_named_by_fm005() -> None:
    _, _, problems = split_front_matter("q.md", ["---", "id:a", "---"])
    assert [p.code for p in problems] == ["FM005"]
    assert "put a space after ':' in `key: value`: `id: a`" in problems[0].message


def test_kb_validate_prints_the_hint_at_the_slip(make_vault: VaultMaker,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    notes = make_vault({"q.md": "---\nid: a\ntitle: Kotlin: coroutines / Kotlin: корутины\n"
                                "---\n# Q (EN)\n\nText.\n"})
    assert main(["validate", "--notes", str(notes)]) == 1
    out = capsys.readouterr().out
    assert "q.md:3:14: error FM007 YAML syntax error: ': ' inside the value of `title`" in out
    assert 'quote the title: `title: "Kotlin: coroutines / Kotlin: корутины"`' in out


# --- did you mean: links that match no note ---------------------------------------------------

def _concept(name: str, **fields: str) -> str:
    return note_text(id=name, title=f"{name} / {name}", body="# A (EN)\n\nText.\n", **fields)


@pytest.fixture
def linked(make_vault: VaultMaker) -> Path:
    return make_vault({
        "10-Concepts/c-fragments.md": _concept("c-fragments"),
        "10-Concepts/c-state-flow.md": _concept("c-state-flow"),
        "10-Concepts/c-caching-strategies.md": _concept("c-caching-strategies"),
        "10-Concepts/c-kotlin-flows.md": _concept("c-kotlin-flows"),
        "10-Concepts/c-kotlin-flowx.md": _concept("c-kotlin-flowx"),
        "10-Concepts/c-kotlin-basics.md": _concept("c-kotlin-basics"),
        "90-MOCs/moc-kotlin.md": _concept("moc-kotlin"),
        "10-Concepts/c-links.md": note_text(
            id="c-links", title="Links / Ссылки",
            related="[c-fragment, c-scaling-strategies, c-kotlin-flow, c-zebra, c-kotlin]",
            moc="moc-kotln",
            body="""
                # A (EN)

                See [[c-stateflow]], [[c-kotlin-flow]] and [[c-zebra]].
            """),
    })


def _messages(notes: Path, capsys: pytest.CaptureFixture[str]) -> dict[tuple[str, str], dict]:
    main(["validate", "--notes", str(notes), "--format", "json"])
    found = json.loads(capsys.readouterr().out)["diagnostics"]
    return {(d["code"], d["message"].split("'")[1] if d["code"] == "LINK001"
             else d["message"].split("]]")[0].split("[[")[1]): d
            for d in found if d["code"] in ("LINK001", "LINK002")}


def test_a_dead_link_names_the_note_clearly_closest(linked: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    found = _messages(linked, capsys)
    sure = found["LINK001", "c-fragment"]
    assert sure["message"].endswith("; did you mean 'c-fragments'?")
    assert sure["fix"] == "write 'c-fragments'"
    # Close, but not close enough for kb fix to write it: a hint only.
    close = found["LINK001", "c-scaling-strategies"]
    assert close["message"].endswith("; did you mean 'c-caching-strategies'?")
    assert "fix" not in close
    # A note of another kind than the name says is a hint only.
    other_kind = found["LINK001", "c-kotlin"]
    assert other_kind["message"].endswith("; did you mean 'moc-kotlin'?")
    assert "fix" not in other_kind
    # A `moc` entry is offered a MOC only.
    assert found["LINK001", "moc-kotln"]["fix"] == "write 'moc-kotlin'"
    # A body wikilink: the hint, never a fix (the prose is the author's).
    body = found["LINK002", "c-stateflow"]
    assert body["message"].endswith("; did you mean [[c-state-flow]]?")
    assert "fix" not in body


@pytest.mark.parametrize("target", ["c-kotlin-flow", "c-zebra"], ids=["ambiguous", "nothing-close"])
def test_no_suggestion_when_two_notes_are_as_close_or_none_is(
        linked: Path, capsys: pytest.CaptureFixture[str], target: str) -> None:
    found = _messages(linked, capsys)
    for code in ("LINK001", "LINK002"):
        assert "did you mean" not in found[code, target]["message"]
        assert "fix" not in found[code, target]


def test_closest_compares_file_names_by_slug(make_vault: VaultMaker) -> None:
    """`c-` and `--topic--difficulty` are shared by many notes: they do not make two names
    alike, and a concept link may find the question of the same slug."""
    notes = make_vault({
        "q-solid-principles--architecture-patterns--medium.md": _concept("q-solid"),
        "c-testing-strategies.md": _concept("c-testing"),
    })
    resolver = Resolver.for_notes(load_vault(notes).notes)
    found = resolver.closest("c-solid-principles")
    assert found is not None and found[0] == "q-solid-principles--architecture-patterns--medium.md"
    assert resolver.closest("c-caching-strategie") is None


# --- duplicate ids: the next free one ---------------------------------------------------------

def test_a_duplicate_id_names_the_next_free_id_in_its_style(
        make_vault: VaultMaker, capsys: pytest.CaptureFixture[str]) -> None:
    notes = make_vault({
        "a.md": _concept("a").replace("id: a", "id: kotlin-007"),
        "b.md": _concept("b").replace("id: b", "id: kotlin-007"),
        "c.md": _concept("c").replace("id: c", "id: kotlin-010"),
        "d.md": _concept("d").replace("id: d", "id: 20251012-000000"),
        "e.md": _concept("e").replace("id: e", "id: 20251012-000000"),
        "f.md": _concept("f").replace("id: f", "id: 20251012-000001"),
        "g.md": _concept("g").replace("id: g", "id: Odd_Id"),
        "h.md": _concept("h").replace("id: h", "id: Odd_Id"),
    })
    main(["validate", "--notes", str(notes), "--format", "json"])
    said = {d["path"]: d["message"] for d in json.loads(capsys.readouterr().out)["diagnostics"]
            if d["code"] == "ID001"}
    assert said["a.md"] == ("id 'kotlin-007' is also the id of b.md; the next free id in its "
                            "style is 'kotlin-011'")
    assert said["b.md"].endswith("'kotlin-012'")  # each note of a clash is told another one
    assert said["d.md"].endswith("the next free id in its style is '20251012-000002'")
    assert said["e.md"].endswith("'20251012-000003'")
    assert said["g.md"] == "id 'Odd_Id' is also the id of h.md"  # no style to follow


# --- kb fix applies a single confident suggestion ---------------------------------------------

QUESTION = """\
---
id: kotlin-001
title: Flow / Поток
topic: kotlin
difficulty: meduim
status: {status}
related: [c-fragment, c-kotlin-flow]
---
# Q (EN)

See [[c-stateflow]].
"""


def test_kb_fix_writes_a_confident_suggestion_and_leaves_the_rest(
        make_vault: VaultMaker, capsys: pytest.CaptureFixture[str]) -> None:
    notes = make_vault({
        "c-fragments.md": _concept("c-fragments"),
        "c-state-flow.md": _concept("c-state-flow"),
        "c-kotlin-flows.md": _concept("c-kotlin-flows"),
        "c-kotlin-flowx.md": _concept("c-kotlin-flowx"),
        "q-flow--kotlin--medium.md": QUESTION.format(status="review"),
        "taxonomy.yml": "fields:\n  status: {type: string, values: [review-a, review-b]}\n",
    })
    path = notes / "q-flow--kotlin--medium.md"
    assert main(["fix", "--notes", str(notes)]) == 0
    fixed = path.read_text(encoding="utf-8")
    expected = QUESTION.format(status="review").replace("meduim", "medium") \
        .replace("[c-fragment,", "[c-fragments,")
    # `review` is as close to review-a as to review-b, c-kotlin-flow to two notes, and a
    # body link is the author's: all three stay.
    assert fixed == expected
    capsys.readouterr()
    assert main(["fix", "--notes", str(notes)]) == 0  # a second run changes nothing
    assert path.read_text(encoding="utf-8") == fixed


def test_a_misspelt_value_says_what_fix_writes() -> None:
    note = load_text(NoteKey("q.md"), QUESTION.format(status="draftt"))
    found = {d.field: d for d in validate_vault(Vault(Path("."), (note,), ()))
             if d.code == "FM201"}
    assert found["difficulty"].message.startswith(
        "`difficulty` value 'meduim' is not in the taxonomy (did you mean 'medium'?)")
    assert found["difficulty"].fix == "write 'medium'"
    assert found["status"].fix == "write 'draft'"
    # what the sentence says is what `kb fix` applies
    assert found["difficulty"].repair == SetValue("difficulty", "medium")
    assert found["status"].repair == SetValue("status", "draft")
