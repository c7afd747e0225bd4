"""Front matter a sync tool damaged (FM008): read as the author meant it, reported once,
repaired by `kb fix`, published with its title; and the bodies that must never be eaten.

Real notes are damaged in tmp_path by `damage()` in the three ways a flashcard sync tool
damaged a newer snapshot of the real vault; small synthetic notes cover the rule's edges
without the corpus.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from generator.authoring.fix import fix_vault
from generator.checks.validate import validate_vault
from generator.cli import main
from generator.notes.load import load_text, load_vault

from .conftest import build_vault, note_text
from .sitecheck import note_url, page_file

TOOL_BLOCK = ["anki_cards:", "- slug: x-0-en", "  language: en", "  anki_id: 1768326293682"]
TOOL_KEYS = {"anki_cards": [{"slug": "x-0-en", "language": "en", "anki_id": 1768326293682}]}
_TOP_KEY = re.compile(r"^[A-Za-z_][\w -]*:")


# --- the damage, done to a note's text -------------------------------------------------------

def _split(text: str) -> tuple[list[str], str]:
    """(front-matter lines between the fences, the rest after the closing fence's line end)."""
    lines = text.split("\n")
    close = lines.index("---", 1)
    return lines[1:close], "\n".join(lines[close + 1:])


def damage(text: str, pattern: str) -> tuple[str, str]:
    """(damaged text, the text `kb fix` is expected to make of it, before its other repairs).

    glued: the first key written `'---key'`; prepended: the tool's block in front, stray fences
    between, `---\\` closing the note's block; closed-early: the tool's keys and a fence after
    the note's second key, a YAML comment after it."""
    front, body = _split(text)
    if pattern == "glued":
        key, _, rest = front[0].partition(":")
        return "\n".join(["---", f"'---{key}':{rest}", *front[1:], "---", body]), text
    if pattern == "prepended":
        damaged = ["---", *TOOL_BLOCK, "---", "---", "---\\", *front, "---\\", body]
        return "\n".join(damaged), "\n".join(["---", *front, *TOOL_BLOCK, "---", body])
    assert pattern == "closed-early"
    keys = [index for index, line in enumerate(front) if _TOP_KEY.match(line)]
    cut = keys[2]
    head, tail = front[:cut], front[cut:]
    damaged = ["---", *head, *TOOL_BLOCK, "---", "# Classification", *tail, "---", body]
    expected = ["---", *head, *TOOL_BLOCK, "# Classification", *tail, "---", body]
    return "\n".join(damaged), "\n".join(expected)


def encode(text: str, variant: str) -> bytes:
    if variant == "crlf":
        text = text.replace("\n", "\r\n")
    return (b"\xef\xbb\xbf" if variant == "bom" else b"") + text.encode("utf-8")


PATTERNS = ["glued", "prepended", "closed-early"]
VARIANTS = ["lf", "crlf", "bom"]
ENCODING_CODES = {"FILE005", "FILE006"}


def _real_notes(corpus: Path) -> list[str]:
    """Two questions and two concepts whose front matter loads without a problem, with a
    bilingual title."""
    chosen: list[str] = []
    for pattern, wanted in (("70-Kotlin/q-*.md", 2), ("10-Concepts/c-*.md", 2)):
        found = 0
        for path in sorted(corpus.glob(pattern)):
            note = load_text(path.relative_to(corpus).as_posix(), path.read_text("utf-8"))
            front = note.front
            if not note.problems and front.end_line and len(front.key_lines) >= 4 and \
                    "anki_cards" not in note.meta and " / " in str(note.meta.get("title")):
                chosen.append(path.relative_to(corpus).as_posix())
                found += 1
                if found == wanted:
                    break
    return chosen


def _vault_of(root: Path, rel: str, data: bytes) -> Path:
    (root / rel).parent.mkdir(parents=True, exist_ok=True)
    (root / rel).write_bytes(data)
    return root


def _check(root: Path) -> list[tuple[str, str | None, str]]:
    """(code, field, message) of every diagnostic: lines differ between the copies."""
    return sorted((d.code, d.field, d.message)
                  for d in validate_vault(load_vault(root)) if d.code not in ENCODING_CODES)


@pytest.fixture(scope="module")
def real_notes(corpus: Path) -> list[str]:
    notes = _real_notes(corpus)
    assert len(notes) == 4
    return notes


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("pattern", PATTERNS)
def test_real_notes_damaged_read_reported_and_fixed(corpus, real_notes, tmp_path, pattern,
                                                    variant):
    for index, rel in enumerate(real_notes):
        original = (corpus / rel).read_text("utf-8")
        damaged, expected = damage(original, pattern)
        base = load_text(rel, original)
        tool_keys = {} if pattern == "glued" else TOOL_KEYS

        # load: the note's own fields (and the tool's), its body, keys at their real lines
        note = load_text(rel, encode(damaged, variant).decode("utf-8"))
        assert note.meta == {**base.meta, **tool_keys}
        assert note.body == base.body
        lines = damaged.split("\n")
        for key, line in note.front.key_lines.items():
            assert lines[line - 1].lstrip("'-").startswith(key), (key, line)

        # validate: one FM008, otherwise what the undamaged note gets
        here = tmp_path / f"{pattern}-{index}"
        broken = _vault_of(here / "damaged", rel, encode(damaged, variant))
        clean = _vault_of(here / "clean", rel, expected.encode("utf-8"))
        found = validate_vault(load_vault(broken))
        assert [d.code for d in found].count("FM008") == 1
        fm008 = next(d for d in found if d.code == "FM008")
        assert fm008.fix and "kb fix" in fm008.fix and fm008.repair is not None
        assert [d for d in _check(broken) if d[0] != "FM008"] == _check(clean)

        # fix: one block, as expected, the body byte-identical, a second run changes nothing
        fix_vault(broken)
        fix_vault(clean)
        fixed = (broken / rel).read_bytes()
        assert fixed == (clean / rel).read_bytes()
        assert fixed.decode("utf-8").endswith(base.body)
        assert "FM008" not in {d.code for d in validate_vault(load_vault(broken))}
        fix_vault(broken)
        assert (broken / rel).read_bytes() == fixed


def test_damaged_real_notes_are_published_with_their_titles(corpus, real_notes, tmp_path):
    notes = tmp_path / "notes"
    for rel, pattern in zip(real_notes, PATTERNS + ["prepended"], strict=True):
        _vault_of(notes, rel, damage((corpus / rel).read_text("utf-8"), pattern)[0].encode())
    build_vault(notes, tmp_path / "site")
    for rel in real_notes:
        title = load_text(rel, (corpus / rel).read_text("utf-8")).meta["title"]
        english, russian = (part.strip() for part in title.split(" / ", 1))
        for language, expected in (("en", english), ("ru", russian)):
            page = page_file(tmp_path / "site" / language, note_url(rel))
            assert page is not None, (language, rel)
            text = html.unescape(page.read_text("utf-8"))
            heading = re.search(r"<h1[^>]*>(.*?)</h1>", text, re.DOTALL)
            shown = " ".join(re.sub(r"<[^>]+>", "", heading.group(1)).split()) if heading else ""
            assert " ".join(expected.split()) in shown, (language, rel)
            article = text[text.find("<article"):]
            assert "anki_cards" not in article and "anki_id" not in article
            assert "---\\" not in article and "moc: " not in article


# --- the rule on small notes (no corpus) ------------------------------------------------------

GLUED = "---\n---id: a\ntitle: T\n---\nbody\n"
PREPENDED = "---\ntool: 1\n---\n---\n---\\\nid: a\ntitle: T\ntopic: x\n---\\\nbody\n"
CLOSED_EARLY = "---\nid: a\ntitle: T\n---\n# Classification\ntopic: x\n\ntags:\n- y\n---\nbody\n"
EMPTY_FIRST = "---\n---\n---\\\nid: a\ntitle: T\n---\\\nbody\n"

READ = [
    # (id, text, meta read, body, FM008 line)
    ("glued-unquoted", GLUED, {"id": "a", "title": "T"}, "body\n", 2),
    ("glued-quoted", GLUED.replace("---id", "'---id'"), {"id": "a", "title": "T"}, "body\n", 2),
    ("prepended", PREPENDED, {"id": "a", "title": "T", "topic": "x", "tool": 1}, "body\n", 3),
    ("closed-early", CLOSED_EARLY, {"id": "a", "title": "T", "topic": "x", "tags": ["y"]},
     "body\n", 4),
    ("empty-first-block", EMPTY_FIRST, {"id": "a", "title": "T"}, "body\n", 2),
]


@pytest.mark.parametrize(("text", "meta", "body", "line"), [c[1:] for c in READ],
                         ids=[c[0] for c in READ])
def test_damaged_front_matter_is_read_as_meant(text, meta, body, line):
    note = load_text("q.md", text)
    assert note.meta == meta
    assert note.body == body
    assert [p.code for p in note.problems] == ["FM008"]
    assert note.problems[0].line == line


NOT_FRONT_MATTER = [
    # (id, body after a clean front matter): every one stays body, word for word
    ("rule-then-prose", "---\nSome prose here.\n---\n# Question (EN)\nWhat?\n"),
    ("heading-then-text", "# Question (EN)\nWhat is a flow?\n\n---\n\n# Вопрос (RU)\nЧто?\n"),
    ("key-like-prose", "Note: this is important.\nMore prose follows here.\n\n---\nEnd.\n"),
    ("key-like-prose-after-blank", "\nNote: this is important.\n---\nEnd.\n"),
    ("list-then-rule", "- first point\n- second point\n---\nEnd.\n"),
    ("not-a-mapping", "Answer: yes: really\n---\nEnd.\n"),
    ("rules-only", "---\n---\n# Heading\n---\nEnd.\n"),
    ("no-closing-fence", "topic: x\ndifficulty: hard\n"),
]


@pytest.mark.parametrize("body", [c[1] for c in NOT_FRONT_MATTER],
                         ids=[c[0] for c in NOT_FRONT_MATTER])
def test_a_body_is_never_eaten(body):
    note = load_text("q.md", "---\nid: a\ntitle: T\n---\n" + body)
    assert note.meta == {"id": "a", "title": "T"}
    assert note.body == body
    assert note.problems == ()


def test_a_key_in_two_blocks_with_different_values_is_left_to_the_author(make_vault):
    text = "---\nstatus: reviewed\n---\n---\nid: a\ntitle: T\nstatus: draft\n---\nbody\n"
    note = load_text("q.md", text)
    assert note.meta["status"] == "draft"  # the note's own block (more keys) is read
    assert [p.code for p in note.problems] == ["FM008", "FM006"]
    assert note.problems[0].repair is None and note.problems[0].fix is None
    assert "`status`" in note.problems[0].message and "line" in note.problems[1].message
    root = make_vault({"q-a.md": text})
    fix_vault(root)
    assert (root / "q-a.md").read_text("utf-8") == text


def test_a_key_in_two_blocks_with_the_same_value_is_written_once(make_vault):
    root = make_vault({"q-a.md": "---\nid: a\ntool: 1\n---\n---\nid: a\ntitle: T\nx: 2\n---\n"
                                 "body\n"})
    fix_vault(root)
    assert (root / "q-a.md").read_text("utf-8") == "---\nid: a\ntitle: T\nx: 2\ntool: 1\n---\nbody\n"


def test_front_matter_alone_reads_the_damaged_blocks_too(make_vault):
    """`validate PATH` reads the other notes' front matter alone: their ids and titles too."""
    root = make_vault({"q-a.md": PREPENDED, "q-b.md": CLOSED_EARLY.replace("id: a", "id: b")})
    vault = load_vault(root, only={"q-a.md"})
    assert {n.key: n.meta.get("topic") for n in vault.notes} == {"q-a.md": "x", "q-b.md": "x"}


# --- one diagnostic per cause ------------------------------------------------------------------

def test_missing_fields_are_one_diagnostic_listing_them(make_vault, capsys):
    root = make_vault({"70-Kotlin/q-flow--kotlin--easy.md":
                       note_text(id="kotlin-1", title="Flow / Поток", body="# Question (EN)\nQ?\n"
                                 "# Вопрос (RU)\nВ?\n")})
    found = validate_vault(load_vault(root))
    counts = Counter(d.code for d in found)
    assert counts["FM101"] == 1
    missing = next(d for d in found if d.code == "FM101")
    assert len(missing.fields) > 1 and "are missing" in missing.message
    assert all(f"`{name}`" in missing.message for name in missing.fields)
    main(["validate", "--notes", str(root), "--format", "json"])
    shown = [d for d in json.loads(capsys.readouterr().out)["diagnostics"] if d["code"] == "FM101"]
    assert shown[0]["fields"] == list(missing.fields)


def test_damaged_front_matter_gives_no_knock_on_missing_fields(make_vault):
    note = note_text(id="kotlin-1", title="Flow / Поток", body="# Question (EN)\nQ?\n",
                     topic="kotlin", difficulty="easy")
    front, body = _split(note)
    damaged = "\n".join(["---", "tool: 1", "---", "---", *front, "---", body])
    clean = make_vault({"q-a.md": note})
    found = validate_vault(load_vault(clean))
    shutil.rmtree(clean)
    again = validate_vault(load_vault(make_vault({"q-a.md": damaged})))
    assert sorted(d.code for d in again) == sorted([d.code for d in found] + ["FM008"])
