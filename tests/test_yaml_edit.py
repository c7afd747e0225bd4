"""Surgical front-matter edits: one value or item changes where it is written, every other
character (comments, quoting, blank lines, the body) stays."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from generator.authoring.yaml_edit import (
    FrontMatterText,
    add_items,
    apply,
    remove_item,
    render,
    render_date,
    render_list,
    reorder_items,
    set_value,
)
from generator.checks.tags import tag_order

NOTE = """---
id: kotlin-1   # serial
tags: [a, "c", e]   # flow
block:
  - b
  - 'd'   # quoted
# a comment line
multi: [
  p,
  r
]
moc:                # moc-<topic>
empty: []
title: "Ключ: значение"
---
# Body (EN)
tags: [not, front, matter]
"""


def edited(*edits) -> str:
    return apply(NOTE, [edit for edit in edits if edit is not None])


def changed_lines(new: str) -> list[tuple[str, str]]:
    old_lines, new_lines = NOTE.split("\n"), new.split("\n")
    return [(a, b) for a, b in zip(old_lines, new_lines, strict=False) if a != b]


@pytest.fixture
def fm() -> FrontMatterText:
    layout = FrontMatterText.parse(NOTE)
    assert layout is not None
    return layout


@pytest.mark.parametrize(("key", "values", "before", "after"), [
    ("tags", ["b"], 'tags: [a, "c", e]   # flow', 'tags: [a, "b", "c", e]   # flow'),
    ("tags", ["f"], 'tags: [a, "c", e]   # flow', 'tags: [a, "c", e, f]   # flow'),
    ("tags", ["0", "z"], 'tags: [a, "c", e]   # flow', 'tags: [\'0\', a, "c", e, z]   # flow'),
    ("tags", ["x: y"], 'tags: [a, "c", e]   # flow', 'tags: [a, "c", e, \'x: y\']   # flow'),
    ("block", ["c"], "  - 'd'   # quoted", "  - 'c'"),
    ("empty", ["z"], "empty: []", "empty: [z]"),
    ("moc", ["m"], "moc:                # moc-<topic>", "moc: [m]                # moc-<topic>"),
], ids=["flow-in-order-styled-as-its-neighbour", "flow-at-end", "flow-both-ends-text-stays-text",
        "flow-quoted-when-needed", "block-in-order", "empty-flow", "empty-value"])
def test_add_items_in_the_lists_layout(fm, key, values, before, after):
    new = edited(*add_items(fm, fm.fields[key], values, tag_order))
    assert (before, after) == changed_lines(new)[0]
    assert yaml.safe_load(new.split("---\n")[1]) is not None


def test_add_items_to_a_multi_line_flow_list(fm):
    new = edited(*add_items(fm, fm.fields["multi"], ["q"], tag_order))
    assert "multi: [\n  p,\n  q,\n  r\n]" in new


def test_remove_items(fm):
    new = edited(remove_item(fm, fm.fields["tags"], 1), remove_item(fm, fm.fields["block"], 0),
                 remove_item(fm, fm.fields["multi"], 0))
    assert 'tags: [a, e]   # flow\nblock:\n  - \'d\'   # quoted\n# a comment line\nmulti: [\n  r\n]' \
        in new


def test_reorder_keeps_each_items_quoting(fm):
    new = edited(*reorder_items(fm.fields["tags"], [2, 1, 0]))
    assert 'tags: [e, "c", a]   # flow' in new


def test_set_value_keeps_the_comment_and_the_body(fm):
    new = edited(set_value(fm.fields["id"], "kotlin-2"), set_value(fm.fields["moc"], "moc-kotlin"))
    assert changed_lines(new) == [("id: kotlin-1   # serial", "id: kotlin-2   # serial"),
                                  ("moc:                # moc-<topic>",
                                   "moc: moc-kotlin                # moc-<topic>")]
    assert new.endswith("# Body (EN)\ntags: [not, front, matter]\n")


def test_fields_know_their_lines(fm):
    assert {key: field.line for key, field in fm.fields.items()} == {
        "id": 2, "tags": 3, "block": 4, "multi": 8, "moc": 12, "empty": 13, "title": 14}
    assert [item.line for item in fm.fields["block"].items] == [5, 6]


@pytest.mark.parametrize(("value", "style", "flow", "written"), [
    ("kotlin", "plain", False, "kotlin"),
    ("a: b", "plain", False, "'a: b'"),
    ("it's", "'", False, "'it''s'"),
    ("yes", "plain", False, "'yes'"),
    ("2025-10-03", "plain", False, "'2025-10-03'"),
    ("Hello, World", "plain", True, "'Hello, World'"),
    ("Привет", '"', False, '"Привет"'),
    ("#tag", "plain", False, "'#tag'"),
], ids=lambda value: repr(value))
def test_render_reads_back_as_the_same_text(value, style, flow, written):
    assert render(value, style, flow) == written


def test_dates_and_lists():
    assert render_date(dt.date(2025, 10, 3), "plain") == "2025-10-03"
    assert render_date(dt.date(2025, 10, 3), '"') == '"2025-10-03"'
    assert render_list(["a", "b c", "d, e"]) == "[a, b c, 'd, e']"


@pytest.mark.parametrize("text", ["no front matter\n", "---\ntopic: [kotlin\n---\n", ""],
                         ids=["none", "broken-yaml", "empty"])
def test_nothing_to_edit(text):
    assert FrontMatterText.parse(text) is None
