"""Front matter: every way real and broken notes start, with the line each problem is at."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.notes.load import load_text

CASES = [
    # (id, text, expected codes, expected line of the first problem, expected data subset)
    ("clean", "---\nid: a\ntitle: T\n---\nbody\n", [], None, {"id": "a"}),
    ("no-front-matter", "# Just a heading\n", ["FM001"], 1, {}),
    ("stray-after-fence", "--- \t x\nid: a\n---\nbody\n", ["FM002"], 1, {"id": "a"}),
    ("four-dashes", "----\nid: a\n---\nbody\n", ["FM002"], 1, {"id": "a"}),
    ("unclosed", "---\nid: a\nbody without fence\n", ["FM003"], 1, {}),
    ("yaml-error", "---\nid: a\ntitle: [unclosed\ntopic: x\n---\nbody\n", ["FM007"], 3, {}),
    ("duplicate-key", "---\nid: a\ntopic: x\ntopic: y\n---\n", ["FM006"], 4, {"topic": "y"}),
    ("tab-indent", "---\nid: a\ntags:\n\t- x\n---\n", ["FM007"], 4, {}),
    ("not-a-mapping", "---\n- a\n- b\n---\n", ["FM005"], 2, {}),
    ("bom", "\ufeff---\nid: a\n---\n", ["FILE005"], 1, {"id": "a"}),
    ("crlf", "---\r\nid: a\r\n---\r\nbody\r\n", ["FILE006"], 1, {"id": "a"}),
    ("fence-glued-to-key", "---\n'---id': a\ntitle: T\n---\nbody\n", ["FM008"], 2, {"id": "a"}),
    ("block-closed-early", "---\nid: a\n---\ntopic: x\n---\nbody\n", ["FM008"], 3,
     {"id": "a", "topic": "x"}),
    ("control-character", "---\nid: a\ntitle: \"x\x04y\"\n---\n", ["FM007"], 3, {}),
    ("dates", "---\ncreated: 2025-01-02\nupdated: '2025-01-03'\n---\n", [], None,
     {"created": dt.date(2025, 1, 2), "updated": "2025-01-03"}),
]


@pytest.mark.parametrize(("text", "codes", "line", "data"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_front_matter_problems_and_lines(text, codes, line, data):
    note = load_text("folder/q-x.md", text)
    assert [p.code for p in note.problems] == codes
    if line is not None:
        assert note.problems[0].line == line
        assert note.problems[0].path == "folder/q-x.md"
    for key, value in data.items():
        assert note.meta[key] == value


def test_key_and_item_lines_point_at_the_file():
    note = load_text("q.md", "---\nid: a\nrelated:\n  - one\n  - two\ntags: [x, y]\n---\nbody\n")
    assert note.front.key_lines == {"id": 2, "related": 3, "tags": 6}
    assert note.front.item_lines["related"] == (4, 5)
    assert note.body_line == 8
    assert note.body == "body\n"


def test_yaml_bomb_is_refused_not_expanded():
    bomb = ["---", 'a: &a ["x","x","x","x","x","x","x","x","x","x"]']
    for level in "bcdefgh":
        previous = chr(ord(level) - 1)
        bomb.append(f"{level}: &{level} [{', '.join(['*' + previous] * 10)}]")
    bomb += ["---", "body"]
    note = load_text("q.md", "\n".join(bomb))
    assert [p.code for p in note.problems] == ["FM004"]
    assert note.meta == {}
    assert note.body == "body"


def test_note_with_broken_yaml_keeps_its_body():
    note = load_text("q.md", "---\ntitle: [x\n---\n# Question (EN)\nWhat?\n")
    assert note.problems and note.problems[0].code == "FM007"
    assert "What?" in note.body
    assert [s.language for s in note.sections] == ["en"]
