"""The taxonomy file: the built-in one matches the vault's own rules, a vault's file overrides
it, and a broken file names the file and the line of every problem."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.checks.taxonomy import DEFAULT_PATH, TaxonomyError, default_taxonomy, load_taxonomy, parse_taxonomy
from generator.checks.validate import validate_vault
from generator.model import Vault
from generator.notes.load import load_text

RULES = "00-Administration/Vault-Rules/TAXONOMY.md"


def _yaml_block_after(text: str, heading: str) -> list[str]:
    """The words of the first ```yaml block after `heading` in TAXONOMY.md, comments dropped."""
    opening = text.index("```yaml", text.index(heading)) + len("```yaml")
    block = text[opening: text.index("```", opening)]
    words = []
    for line in block.splitlines():
        line = line.split("#", 1)[0]
        words += [word.strip() for word in line.split(",") if word.strip()]
    return words


def test_built_in_taxonomy_matches_the_vaults_rules(corpus):
    text = (corpus / RULES).read_text(encoding="utf-8")
    taxonomy = default_taxonomy()
    fields = taxonomy.fields
    assert list(fields["topic"].values or ()) == _yaml_block_after(text, "### Valid Topics")
    assert list(fields["subtopics"].values_by_topic["android"]) == \
        _yaml_block_after(text, "### Android Subtopics")
    assert list(fields["difficulty"].values or ()) == \
        _yaml_block_after(text, "### Valid Difficulty Levels")
    assert list(fields["question_kind"].values or ()) == \
        _yaml_block_after(text, "### Valid Question Kinds")
    assert list(fields["status"].values or ()) == _yaml_block_after(text, "### Valid Status Values")
    assert list(fields["original_language"].values or ()) == \
        _yaml_block_after(text, "### Valid Original Language Values")
    assert (fields["subtopics"].min_items, fields["subtopics"].max_items) == (1, 3)


def test_built_in_taxonomy_shape():
    taxonomy = default_taxonomy()
    assert taxonomy.source == "built-in"
    assert set(taxonomy.kinds) == {"question", "concept", "moc"}
    question = taxonomy.kinds["question"]
    assert question.prefix == "q-"
    assert question.placeholder_fields == ("topic", "difficulty")
    match = question.pattern.match("q-what-is-viewmodel--android--medium")
    assert match and match.group("slug") == "what-is-viewmodel"
    assert not question.pattern.match("q-What-is--android--medium")
    assert question.file_name_for({"topic": "kotlin", "difficulty": "easy"}, "x") == \
        "q-x--kotlin--easy"
    assert taxonomy.tags.difficulty == "difficulty/{difficulty}"
    assert taxonomy.tags.mirror_subtopics == {"android": "android/{subtopic}"}
    assert taxonomy.kinds["moc"].bilingual_title is False


# --- where it comes from --------------------------------------------------------------------

def test_default_when_no_file(tmp_path):
    assert load_taxonomy(None, tmp_path) is default_taxonomy()


def test_file_at_the_notes_root_is_used(tmp_path):
    (tmp_path / "taxonomy.yml").write_text("fields:\n  topic: {type: string, values: [x]}\n",
                                           encoding="utf-8")
    taxonomy = load_taxonomy(None, tmp_path)
    assert taxonomy.source == str(tmp_path / "taxonomy.yml")
    assert taxonomy.fields["topic"].values == ("x",)


def test_explicit_file_wins_over_the_notes_root(tmp_path):
    (tmp_path / "taxonomy.yml").write_text("fields:\n  topic: {type: string, values: [x]}\n",
                                           encoding="utf-8")
    explicit = tmp_path / "other.yml"
    explicit.write_text("fields:\n  topic: {type: string, values: [y]}\n", encoding="utf-8")
    assert load_taxonomy(explicit, tmp_path).fields["topic"].values == ("y",)


def test_entries_replace_built_in_ones_and_the_rest_stay():
    taxonomy = parse_taxonomy("fields:\n  status: {type: string, values: [open, done]}\n"
                              "kinds:\n  article: {file_name: 'a-{slug}', required: [title]}\n",
                              "t.yml", base=default_taxonomy())
    assert taxonomy.fields["status"].values == ("open", "done")
    assert taxonomy.fields["topic"] == default_taxonomy().fields["topic"]
    assert set(taxonomy.kinds) == {"question", "concept", "moc", "article"}
    assert taxonomy.tags == default_taxonomy().tags


def test_extends_none_stands_alone():
    taxonomy = parse_taxonomy("extends: none\nfields:\n  title: {type: string}\n", "t.yml",
                              base=default_taxonomy())
    assert set(taxonomy.fields) == {"title"}
    assert taxonomy.kinds == {}
    assert taxonomy.tags.difficulty is None


def test_a_custom_taxonomy_changes_what_is_valid():
    text = ("---\nid: x\ntitle: Flow / Поток\naliases: [Flow]\nsummary: Streams.\n"
            "topic: streams\ncreated: 2025-01-01\n"
            "updated: 2025-01-01\ntags: [a]\n---\n# Summary (EN)\nText.\n# Сводка (RU)\nТекст.\n")
    vault = Vault(root=Path("."), notes=(load_text("c-flow.md", text),), skipped=())
    assert [d.code for d in validate_vault(vault, default_taxonomy())] == ["FM201"]
    custom = parse_taxonomy("fields:\n  topic: {type: string, values: [streams]}\n", "t.yml",
                            base=default_taxonomy())
    assert validate_vault(vault, custom) == []


def test_tag_rules_can_be_switched_off():
    taxonomy = parse_taxonomy("tags:\n  difficulty: null\n  mirror_subtopics: {}\n"
                              "  english_only: false\n", "t.yml", base=default_taxonomy())
    assert taxonomy.tags.difficulty is None
    assert taxonomy.tags.mirror_subtopics == {}
    assert taxonomy.tags.english_only is False


# --- broken files -----------------------------------------------------------------------------

BROKEN = [
    ("yaml-syntax", "fields:\n  topic:\n    type: string\n    values: [a, b\n", 5,
     "YAML syntax error"),
    ("not-a-mapping", "- fields\n- kinds\n", 1, "the taxonomy must be a mapping, not a list"),
    ("empty", "", None, "the file is empty"),
    ("unknown-top-key", "fields: {}\nfeilds: {}\n", 2,
     "unknown key 'feilds' (did you mean 'fields'?)"),
    ("duplicate-key", "fields:\n  topic: {type: string}\n  topic: {type: list}\n", 3,
     "duplicate key 'topic' (first at line 2)"),
    ("field-not-a-mapping", "fields:\n  topic: string\n", 2, "fields.topic must be a mapping"),
    ("field-without-type", "fields:\n  topic: {values: [a]}\n", 2, "fields.topic needs a type"),
    ("unknown-type", "fields:\n  topic:\n    type: text\n", 3,
     "fields.topic.type must be one of string, list, date, id, not 'text'"),
    ("unknown-field-key", "fields:\n  topic:\n    type: string\n    value: [a]\n", 4,
     "unknown key 'value' (did you mean 'values'?)"),
    ("values-not-a-list", "fields:\n  topic:\n    type: string\n    values: a, b\n", 4,
     "fields.topic.values must be a list, not 'a, b'"),
    ("values-empty", "fields:\n  topic:\n    type: string\n    values: []\n", 4,
     "fields.topic.values must not be empty"),
    ("value-twice", "fields:\n  topic:\n    type: string\n    values:\n      - a\n      - a\n", 6,
     "'a' is listed twice"),
    ("values-on-a-date", "fields:\n  created: {type: date, values: [a]}\n", 2,
     "a date field cannot have values"),
    ("min-not-a-number", "fields:\n  subtopics: {type: list, min: one}\n", 2,
     "fields.subtopics.min must be a whole number >= 0, not 'one'"),
    ("min-above-max", "fields:\n  subtopics:\n    type: list\n    min: 3\n    max: 1\n", 4,
     "min (3) is greater than max (1)"),
    ("min-on-a-string", "fields:\n  topic: {type: string, min: 1}\n", 2,
     "min is for list fields only"),
    ("kind-without-file-name", "kinds:\n  article: {required: [title]}\n", 2,
     "kinds.article needs a file_name pattern"),
    ("file-name-without-slug", "kinds:\n  article: {file_name: 'a-{topic}'}\n", 2,
     "kinds.article.file_name must contain {slug}"),
    ("file-name-bad-placeholder", "kinds:\n  article: {file_name: 'a-{slug}-{x y}'}\n", 2,
     "'{x y}' is not a placeholder"),
    ("file-name-unmatched-brace", "kinds:\n  article: {file_name: 'a-{slug'}\n", 2,
     "unmatched brace"),
    ("required-not-a-list", "kinds:\n  article:\n    file_name: a-{slug}\n    required: title\n",
     4, "kinds.article.required must be a list"),
    ("flag-not-a-boolean", "kinds:\n  article:\n    file_name: a-{slug}\n    bilingual_title: "
     "maybe\n", 4, "must be true or false, not 'maybe'"),
    ("placeholder-of-a-list-field", "kinds:\n  article: {file_name: 'a-{slug}--{tags}'}\n", None,
     "uses {tags}, but fields.tags is a list"),
    ("difficulty-tag-without-placeholder", "tags:\n  difficulty: level\n", 2,
     "tags.difficulty must contain {difficulty}"),
    ("mirror-without-placeholder", "tags:\n  mirror_subtopics:\n    android: android/x\n", 3,
     "must contain {subtopic}"),
    ("extends-unknown", "extends: parent\n", 1, "extends must be 'default' or 'none'"),
]


@pytest.mark.parametrize(("text", "line", "message"), [case[1:] for case in BROKEN],
                         ids=[case[0] for case in BROKEN])
def test_broken_file_names_file_line_and_problem(tmp_path, text, line, message):
    path = tmp_path / "taxonomy.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TaxonomyError) as error:
        load_taxonomy(path, tmp_path)
    assert error.value.path == str(path)
    assert error.value.line == line
    assert message in str(error.value)
    where = f"{path}:{line}: " if line else f"{path}: "
    assert where in str(error.value)


def test_every_problem_is_reported_at_once(tmp_path):
    path = tmp_path / "taxonomy.yml"
    path.write_text("fields:\n  topic: {type: text}\n  status: {type: string, values: []}\n"
                    "kinds:\n  article: {file_name: 'a'}\n", encoding="utf-8")
    with pytest.raises(TaxonomyError) as error:
        load_taxonomy(path, tmp_path)
    assert [line for line, _ in error.value.problems] == [2, 3, 5]
    assert "3 problems" in str(error.value)


def test_missing_explicit_file(tmp_path):
    with pytest.raises(TaxonomyError, match="file not found"):
        load_taxonomy(tmp_path / "none.yml", tmp_path)


def test_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "taxonomy.yml"
    path.write_bytes(b"fields:\n  topic: {type: string, values: [\xff]}\n")
    with pytest.raises(TaxonomyError, match="cannot read the file"):
        load_taxonomy(path, tmp_path)


def test_built_in_file_documents_its_format():
    text = DEFAULT_PATH.read_text(encoding="utf-8")
    for word in ("values_by_topic", "extends: none", "file_name", "mirror_subtopics"):
        assert re.search(re.escape(word), text), word
