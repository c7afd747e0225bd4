"""`kb new`: a note of each kind, from the built-in templates (this project's notes/, which has
no `_templates/`) and from the real vault's own; ids in the vault's style and unique; the file
never overwritten; the new note validates clean but for TODO001, the text still to write."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from generator import pipeline
from generator.authoring.new_note import NewNoteError, Request, create_note, expand, slugify
from generator.cli import main
from generator.model import BuildReport
from tests.conftest import REPO_ROOT

NOW = dt.datetime(2025, 11, 20, 9, 30, 15)
TITLES = {"title_en": "Flow operators: map vs flatMapLatest",
          "title_ru": "Операторы Flow: map и flatMapLatest"}


@pytest.fixture
def notes(tmp_path) -> Path:
    root = tmp_path / "notes"
    shutil.copytree(REPO_ROOT / "notes", root)
    return root


@pytest.fixture
def vault(corpus, tmp_path) -> Path:
    root = tmp_path / "vault"
    shutil.copytree(corpus, root)
    return root


def diagnostics_of(root: Path, key: str) -> list[tuple[str, str | None]]:
    found = pipeline.check(root, BuildReport()).diagnostics
    return by_code((d.code, d.field) for d in found if d.path == key)


def by_code(pairs) -> list[tuple[str, str | None]]:
    return sorted(pairs, key=lambda pair: (pair[0], pair[1] or ""))


QUESTION_TODO = [("TODO001", None)] * 6 + [("TODO001", "related"), ("TODO001", "subtopics")]


@pytest.mark.parametrize(("request_", "key", "id_pattern", "todo"), [
    (Request("question", topic="kotlin", difficulty="medium", **TITLES),
     "70-Kotlin/q-flow-operators-map-vs-flatmaplatest--kotlin--medium.md", r"kotlin-109",
     QUESTION_TODO),
    (Request("question", topic="databases", difficulty="hard", subtopics=("indexes",), **TITLES),
     "60-CompSci/q-flow-operators-map-vs-flatmaplatest--databases--hard.md", r"databases-102",
     [("TODO001", None)] * 6 + [("TODO001", "related")]),
    (Request("concept", topic="kotlin", title_en="Cold Flow", title_ru="Холодный поток"),
     "10-Concepts/c-cold-flow.md", r"ivc-20251120-093015",
     [("TODO001", None)] * 5 + [("TODO001", "summary")]),
    (Request("moc", topic="testing", title_en="Testing"), "90-MOCs/moc-testing.md",
     r"ivm-20251120-093015", [("TODO001", None)] * 3),
], ids=["question", "question-with-subtopic-new-topic-folder", "concept", "moc"])
def test_new_note_from_built_in_templates(notes, request_, key, id_pattern, todo):
    request_ = Request(**{**request_.__dict__, "now": NOW})
    created = create_note(notes, request_)
    assert created.key == key and created.path == notes / key and created.path.is_file()
    assert created.template.startswith("built-in")
    text = created.text
    assert re.search(rf"^id: {id_pattern}$", text, re.M), text[:200]
    assert "created: 2025-11-20\nupdated: 2025-11-20\n" in text
    assert "<%" not in text
    assert by_code((d.code, d.field) for d in created.diagnostics) == by_code(todo)
    assert diagnostics_of(notes, key) == by_code(todo)  # the same as validate says


def test_required_tags_and_fields(notes):
    created = create_note(notes, Request("question", topic="android", difficulty="easy",
                                         subtopics=("lifecycle", "activity"), now=NOW,
                                         title_en="Activity restart", title_ru="Перезапуск Activity"))
    assert "tags: [android, android/lifecycle, android/activity, difficulty/easy]\n" in created.text
    assert "moc: moc-android\n" in created.text
    assert "aliases: [Activity restart, Перезапуск Activity]\n" in created.text
    assert "title: Activity restart / Перезапуск Activity\n" in created.text


def test_a_note_written_where_the_placeholders_were_validates_clean(notes):
    created = create_note(notes, Request("question", topic="kotlin", difficulty="easy", now=NOW,
                                         title_en="What is a lambda", title_ru="Что такое лямбда"))
    text = created.text.replace("subtopics: [...]", "subtopics: [lambdas]").replace(
        "related: [...]", "related: [c-coroutines]").replace("> ...", "> A question?")
    text = text.replace("\n...\n", "\nAn answer.\n").replace("- ...", "- [[c-coroutines]]")
    created.path.write_text(text, encoding="utf-8")
    assert main(["validate", "--strict", "--notes", str(notes)]) == 0


def test_new_notes_from_the_real_vaults_templates(vault):
    question = create_note(vault, Request("question", topic="kotlin", difficulty="medium",
                                          now=NOW, **TITLES))
    assert question.template.endswith("_templates/_tpl-qna.md")
    assert question.key.startswith("70-Kotlin/")
    # The template's comments and layout stay; its Templater expressions are expanded.
    assert "\n# Classification\ntopic: kotlin\n" in question.text
    assert "difficulty: medium               # easy | medium | hard\n" in question.text
    assert "moc: moc-kotlin                           # moc-<topic> (without brackets)\n" \
        in question.text
    assert "created: '2025-11-20'\n" in question.text
    assert re.search(r"^id: 'kotlin-(\d{3})'$", question.text, re.M)
    assert {code for code, _ in diagnostics_of(vault, question.key)} == {"TODO001"}

    concept = create_note(vault, Request("concept", title_en="Cold Flow", title_ru="Холодный поток",
                                         now=NOW))
    assert concept.key == "10-Concepts/c-cold-flow.md"
    assert "id: '20251120-093015'\n" in concept.text  # most concepts' ids are bare timestamps
    assert 'summary: "..."\n' in concept.text
    assert {code for code, _ in diagnostics_of(vault, concept.key)} == {"TODO001"}

    moc = create_note(vault, Request("moc", topic="debugging", title_en="Debugging", now=NOW))
    assert moc.key == "90-MOCs/moc-debugging.md"
    assert "title: Debugging — MOC\n" in moc.text and "tags: [moc, topic/debugging]\n" in moc.text
    assert {code for code, _ in diagnostics_of(vault, moc.key)} == {"TODO001"}


def test_real_vault_question_id_is_the_next_serial_of_its_topic(vault):
    created = create_note(vault, Request("question", topic="android", difficulty="easy", now=NOW,
                                         title_en="Intent flags", title_ru="Флаги Intent"))
    assert "id: 'android-647'\n" in created.text  # after android-646, the highest


def test_ids_are_unique(notes):
    first = create_note(notes, Request("concept", title_en="One", title_ru="Один", now=NOW))
    second = create_note(notes, Request("concept", title_en="Two", title_ru="Два", now=NOW))
    assert "id: ivc-20251120-093015\n" in first.text
    assert "id: ivc-20251120-093016\n" in second.text  # a second later: the first is taken
    # A serial that some other note holds is skipped, whatever its kind or folder.
    taken = notes / "10-Concepts" / "c-caching.md"
    taken.write_text(taken.read_text(encoding="utf-8").replace(
        "id: ivc-", "id: kotlin-109\nold_id: ivc-", 1), encoding="utf-8")
    question = create_note(notes, Request("question", topic="kotlin", difficulty="easy", now=NOW,
                                          title_en="Inline classes", title_ru="Inline-классы"))
    assert "id: kotlin-110\n" in question.text


def test_never_overwrites(notes, capsys):
    args = ["new", "concept", "--notes", str(notes), "--title-en", "Cold Flow",
            "--title-ru", "Холодный поток"]
    assert main(args) == 0
    path = Path(capsys.readouterr().out.strip())
    path.write_text("the author's text", encoding="utf-8")
    assert main(args) == 2
    assert "already exists; not overwritten" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == "the author's text"
    # The same file name in another folder would make links by name ambiguous: refused too.
    assert main(args + ["--folder", "60-CompSci"]) == 2
    assert not (notes / "60-CompSci" / "c-cold-flow.md").exists()


@pytest.mark.parametrize(("request_", "message"), [
    (Request("question", difficulty="easy", **TITLES), "a question needs --topic"),
    (Request("question", topic="kotlin", **TITLES), "a question needs --difficulty"),
    (Request("question", topic="kotlinx", difficulty="easy", **TITLES), "did you mean 'kotlin'?"),
    (Request("question", topic="kotlin", difficulty="easy", title_en="Flow"),
     "pass --title-ru too"),
    (Request("concept", title_en="Корутины", title_ru="Корутины"), "pass --slug"),
    (Request("concept", title_en="Cold", title_ru="Холод", slug="Not A Slug"), "pass --slug"),
    (Request("concept", title_en="Cold", title_ru="Холод", folder="../outside"),
     "not be in the notes folder"),
    (Request("concept", title_en="Cold", title_ru="Холод", folder="_drafts"),
     "not be read as a note"),
], ids=["no-topic", "no-difficulty", "unknown-topic", "no-russian-title", "no-latin-title",
        "bad-slug", "folder-outside", "folder-not-read"])
def test_wrong_requests_are_refused(notes, request_, message):
    with pytest.raises(NewNoteError, match=re.escape(message)):
        create_note(notes, request_)


def test_command_line_prints_the_path_and_what_is_left(notes, capsys):
    assert main(["new", "question", "--notes", str(notes), "--topic", "kotlin", "--difficulty",
                 "medium", "--title-en", TITLES["title_en"], "--title-ru", TITLES["title_ru"],
                 "--subtopic", "flow"]) == 0
    out, err = capsys.readouterr()
    assert out == f"{notes}/70-Kotlin/q-flow-operators-map-vs-flatmaplatest--kotlin--medium.md\n"
    assert "7 places still to write (TODO001" in err
    assert "section 'Answer (EN)' still holds the template's placeholder" in err


@pytest.mark.parametrize(("text", "expanded"), [
    ('<% tp.date.now("YYYY-MM-DD") %>', "2025-11-20"),
    ("<% tp.date.now('YYYYMMDD-HHmmss') %>", "20251120-093015"),
    ("ivc-<% tp.date.now(\"YYYYMMDD-HHmmss\") %>", "ivc-20251120-093015"),
    ("<%- tp.file.title %> — MOC", "Title — MOC"),
    ("<%* /* choose one */ %>", ""),
    ("<% tp.system.prompt('x') %>", "<% tp.system.prompt('x') %>"),  # left for TODO001
])
def test_templater_expressions(text, expanded):
    assert expand(text, NOW, "Title") == expanded


@pytest.mark.parametrize(("title", "slug"), [
    ("Flow operators: map vs flatMapLatest", "flow-operators-map-vs-flatmaplatest"),
    ("Café  crème", "cafe-creme"), ("C++ / Rust", "c-rust"), ("Корутины", ""),
])
def test_slugify(title, slug):
    assert slugify(title) == slug
