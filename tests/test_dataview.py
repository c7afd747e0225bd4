"""Dataview queries run at build time: parse, evaluate, format, and the blocks on the pages.

Expectations are worked out by hand on the small vault below, following the Dataview plugin's
semantics (contains() looks inside list elements, AND and OR group left to right at one
precedence, null sorts first, strings sort case-insensitively)."""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote

import pytest

from generator import dataview
from generator.dataview.nodes import (
    Binary,
    BinarySource,
    Call,
    FolderSource,
    GroupBy,
    Index,
    Limit,
    LinkSource,
    ListHeader,
    Literal,
    NamedField,
    Not,
    NotSource,
    Sort,
    SortKey,
    TableHeader,
    TagSource,
    Variable,
    Where,
)
from generator.dataview.query import parse_query
from generator.graph.links import build_graph
from generator.model import Vault
from generator.notes.load import load_vault
from generator.site.render import Renderer

from .conftest import note_text

FLOW = "70-Kotlin/q-flow-basics--kotlin--easy.md"
CHANNELS = "70-Kotlin/q-channels--kotlin--medium.md"
SEALED = "70-Kotlin/q-sealed--kotlin--hard.md"
COMPOSE = "40-Android/q-compose-state--android--medium.md"
CONCEPT = "10-Concepts/c-flow.md"
MOC = "90-MOCs/moc-kotlin.md"

MOC_BODY = '''
# Kotlin — Map of Content

## By difficulty
```dataview
TABLE difficulty AS "Level", subtopics, created
FROM "70-Kotlin"
SORT file.name ASC
```

## Broken
```dataview
TABLE difficulty
FROM "70-Kotlin"
WHERE difficulty = "easy" AND NOT contains(tags, "x")
```

## Script
```dataviewjs
dv.table(["File"], dv.pages().map(p => [p.file.link]))
```
'''


@pytest.fixture(scope="module")
def vault(tmp_path_factory: pytest.TempPathFactory) -> Vault:
    root = tmp_path_factory.mktemp("vault") / "notes"
    files = {
        FLOW: note_text(
            id="kotlin-001", title="Flow basics / Основы Flow", topic="kotlin",
            difficulty="easy", subtopics="[flow, coroutines]",
            tags="[kotlin, coroutines, difficulty/easy]", moc="moc-kotlin", status="draft",
            created="2025-10-01", updated="2025-10-05",
            body="# Question (EN)\nWhat is [[c-flow]]? #body-tag\n"
                 "# Вопрос (RU)\nЧто такое Flow?\n"),
        CHANNELS: note_text(
            id="kotlin-002", title="Channels / Каналы", topic="kotlin", difficulty="medium",
            subtopics="[channels, coroutines]", tags="[kotlin, coroutines, unit-testing]",
            moc="moc-kotlin", status="reviewed", created='"2025-10-03"', updated="2025-10-04",
            body="# Question (EN)\nChannels.\n# Вопрос (RU)\nКаналы.\n"),
        SEALED: note_text(
            id="kotlin-003", title="Sealed | classes / Запечатанные классы", topic="kotlin",
            difficulty="hard", subtopics="[classes]", tags="[kotlin, lang/sealed]",
            moc="moc-kotlin", created="2025-09-20", updated="2025-09-21",
            body="# Question (EN)\nSealed.\n# Вопрос (RU)\nЗапечатанные.\n"),
        COMPOSE: note_text(
            id="android-001", title="Compose <State> / Состояние Compose", topic="android",
            difficulty="medium", subtopics="[ui-compose]",
            tags="[android, jetpack-compose, testing]", status="draft",
            related="['[[q-flow-basics--kotlin--easy]]']", created="2025-10-02",
            updated="2025-10-02", body="# Question (EN)\nState.\n# Вопрос (RU)\nСостояние.\n"),
        CONCEPT: note_text(
            id="c-1", title="Flow / Поток", kind="concept", tags="[concept, kotlin]",
            created="2025-09-01", updated="2025-09-01",
            body="# Summary (EN)\nCold streams.\n# Сводка (RU)\nХолодные потоки.\n"),
        MOC: note_text(id="moc-1", title="Kotlin — MOC", kind="moc",
                       tags="[moc, topic/kotlin]", created="2025-10-12", updated="2025-10-12",
                       body=MOC_BODY),
    }
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return load_vault(root)


def run(vault: Vault, query: str, this: str | None = MOC) -> dataview.Result:
    return dataview.DataviewIndex(vault).run(query, this)


def keys(result: dataview.Result) -> list[str]:
    """The note of each row or list item (the first value), as its key."""
    rows = result.rows if isinstance(result, dataview.TableResult) else result.items
    return [row[0].key for row in rows]


# --- parse ---------------------------------------------------------------------------------------

FILE_NAME = Index(Variable("file"), Literal("name"))


@pytest.mark.parametrize(("query", "expected"), [
    ('TABLE difficulty, status FROM "70-Kotlin"',
     (TableHeader((NamedField("difficulty", Variable("difficulty")),
                   NamedField("status", Variable("status"))), True),
      FolderSource("70-Kotlin"), ())),
    ('TABLE WITHOUT ID\n    file.link as "Question",\n    topic AS Topic\nFROM ""',
     (TableHeader((NamedField("Question", Index(Variable("file"), Literal("link"))),
                   NamedField("Topic", Variable("topic"))), False),
      FolderSource(""), ())),
    ("TABLE\n    length(rows) as \"Count\"\nGROUP BY difficulty",
     (TableHeader((NamedField("Count", Call("length", (Variable("rows"),))),), True),
      FolderSource(""),
      (GroupBy(NamedField("difficulty", Variable("difficulty"))),))),
    ('list from "40-Android" or "60-CompSci"',
     (ListHeader(None, True),
      BinarySource("or", FolderSource("40-Android"), FolderSource("60-CompSci")), ())),
    ("LIST FROM #kotlin AND -[[c-flow]]",
     (ListHeader(None, True),
      BinarySource("and", TagSource("#kotlin"), NotSource(LinkSource("c-flow", True))), ())),
    ("LIST FROM outgoing([[moc-kotlin]])",
     (ListHeader(None, True), LinkSource("moc-kotlin", False), ())),
    ("LIST WHERE a OR b AND c",
     (ListHeader(None, True), FolderSource(""),
      (Where(Binary("and", Binary("or", Variable("a"), Variable("b")), Variable("c"))),))),
    ("LIST WHERE x + 1 * 2 >= 3 & !y",
     (ListHeader(None, True), FolderSource(""),
      (Where(Binary("and",
                    Binary(">=", Binary("+", Variable("x"),
                                        Binary("*", Literal(1), Literal(2))), Literal(3)),
                    Not(Variable("y")))),))),
    ("LIST SORT difficulty DESC, file.name",
     (ListHeader(None, True), FolderSource(""),
      (Sort((SortKey(Variable("difficulty"), True), SortKey(FILE_NAME, False))),))),
    ('LIST WHERE file.name != "moc-x"\n  // a comment line\nLIMIT 5', None),
    ("LIST WHERE file-name = null AND flag = true",
     (ListHeader(None, True), FolderSource(""),
      (Where(Binary("and", Binary("=", Variable("file-name"), Literal(None)),
                    Binary("=", Variable("flag"), Literal(True)))),))),
], ids=["table-fields", "without-id-as", "group-by", "lower-case-keywords-or-folders",
        "tag-and-negated-link", "outgoing", "and-or-left-to-right", "precedence",
        "sort-keys", "comment-line", "dashed-identifier-null-bool"])
def test_parse(query, expected):
    parsed = parse_query(query)
    if expected is None:  # only that it parses (comments)
        assert isinstance(parsed.steps[-1], Limit)
        return
    assert (parsed.header, parsed.source, parsed.steps) == expected


def test_parse_column_name_is_the_expression_text():
    parsed = parse_query('TABLE length(\n  rows), file.link\nFROM ""')
    assert [field.name for field in parsed.header.fields] == ["length(rows)", "file.link"]


def test_parse_date_literal():
    where = parse_query("LIST WHERE created > date(2025-10-01)").steps[0]
    assert where.condition.right == Literal(dt.date(2025, 10, 1))


@pytest.mark.parametrize(("query", "code", "message", "position"), [
    ('TABLE difficulty\nFROM "70-Kotlin"\nWHERE', "DV001", "expected an expression", (3, 6)),
    ('TABLE a\nWHERE x AND NOT contains(tags, "p")', "DV001", "no NOT operator", (2, 17)),
    ("SELECT x", "DV001", "expected TABLE, LIST, TASK or CALENDAR", (1, 1)),
    ("TABLE 'single'", "DV001", "expected", (1, 7)),
    ('LIST WHERE a = "open', "DV001", "not closed", (1, 16)),
    ('LIST FROM "a"\nWHERE x\nFROM "b"', "DV001", "FROM may come only once", (3, 1)),
    ('TASK FROM "x"', "DV002", "TASK queries", (1, 1)),
    ("TABLE map(tags, (t) => t)", "DV002", "lambda", (1, 17)),
    ("TABLE {a: 1}", "DV002", "object literals", (1, 7)),
    ("LIST WHERE file.mtime > date(today) - dur(1 day)", "DV002", "durations", (1, 39)),
    ('LIST FROM csv("a.csv")', "DV002", "csv()", (1, 11)),
    ('TABLE dateformat(created, "yyyy")', "DV002", "dateformat() is not supported", None),
    ("TABLE file.tasks", "DV002", "file.tasks", None),
    ('LIST LIMIT "ten"', "DV004", "LIMIT must be a number", None),
    ('LIST WHERE "a" - 1', "DV004", "every row failed in WHERE", None),
], ids=["missing-expression", "not-keyword", "not-a-query", "single-quotes", "open-string",
        "second-from", "task", "lambda", "object", "duration", "csv", "unknown-function",
        "file-tasks", "limit-not-number", "every-row-fails"])
def test_query_errors(vault, query, code, message, position):
    with pytest.raises(dataview.QueryError) as caught:
        run(vault, query)
    assert caught.value.code == code
    assert message in caught.value.message
    assert caught.value.position(query) == position


# --- evaluate ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("query", "expected"), [
    ('LIST FROM "70-Kotlin"', [CHANNELS, FLOW, SEALED]),
    ('LIST FROM "70-Kotlin/"', [CHANNELS, FLOW, SEALED]),
    ('LIST FROM "70-Kotlin/q-sealed--kotlin--hard"', [SEALED]),
    ('LIST FROM "70-Kotlin" WHERE difficulty = "easy"', [FLOW]),
    ('LIST FROM "40-Android" OR "10-Concepts"', [CONCEPT, COMPOSE]),
    # contains() on a list looks inside each element: "unit-testing" contains "testing".
    ('LIST WHERE contains(tags, "testing")', [COMPOSE, CHANNELS]),
    ('LIST WHERE econtains(tags, "testing")', [COMPOSE]),
    ('LIST WHERE contains(file.name, "flow")', [CONCEPT, FLOW]),
    ('LIST WHERE icontains(title, "FLOW BASICS")', [FLOW]),
    ('LIST WHERE !contains(tags, "kotlin") AND file.folder != "90-MOCs"', [COMPOSE]),
    # Dataview groups AND and OR left to right: (hard OR easy) AND coroutines.
    ('LIST WHERE difficulty = "hard" OR difficulty = "easy" AND contains(tags, "coroutines")',
     [FLOW]),
    ('LIST WHERE difficulty = "hard" OR (difficulty = "easy" AND contains(tags, "coroutines"))',
     [FLOW, SEALED]),
    ("LIST FROM #kotlin", [CONCEPT, CHANNELS, FLOW, SEALED]),
    ("LIST FROM #lang", [SEALED]),  # the parent of the nested tag lang/sealed
    ("LIST FROM #body-tag", [FLOW]),  # a tag written in the body
    ("LIST FROM #topic/kotlin", [MOC]),
    ('LIST FROM "70-Kotlin" AND -#coroutines', [SEALED]),
    ('LIST FROM "70-Kotlin" AND !(#coroutines OR #lang)', []),
    ("LIST FROM [[c-flow]]", [FLOW]),  # notes linking to c-flow
    ("LIST FROM outgoing([[q-compose-state--android--medium]])", [FLOW]),
    ("LIST FROM [[]]", []),  # notes linking to the querying note (the MOC)
    ('LIST WHERE Difficulty = "easy"', [FLOW]),  # field names: Dataview's canonical form
    ("LIST WHERE status = null AND file.folder != \"90-MOCs\"", [CONCEPT, SEALED]),
    ("LIST WHERE file.name = this.file.name", [MOC]),
    ('LIST WHERE file.path = "70-Kotlin/q-sealed--kotlin--hard.md"', [SEALED]),
    ('LIST WHERE econtains(file.tags, "#topic")', [MOC]),
    ('LIST WHERE econtains(file.etags, "#topic")', []),
    ("LIST WHERE contains(file.outlinks, [[c-flow]])", [FLOW]),
    ('LIST WHERE contains(file.inlinks, [[q-compose-state--android--medium]])', [FLOW]),
    ('LIST WHERE contains(related, [[q-flow-basics--kotlin--easy]])', [COMPOSE]),
    ("LIST WHERE created < date(2025-10-01)", [CONCEPT, SEALED]),
    ('LIST WHERE file.mtime = date(2025-10-05)', [FLOW]),
    ("LIST WHERE length(subtopics) = 2", [CHANNELS, FLOW]),
    ('LIST WHERE startswith(file.name, "q-c") OR endswith(file.name, "-hard")',
     [COMPOSE, CHANNELS, SEALED]),
    ('LIST WHERE regexmatch("q-.*--kotlin--(easy|hard)", file.name)', [FLOW, SEALED]),
    ('LIST FROM "70-Kotlin" SORT difficulty ASC', [FLOW, SEALED, CHANNELS]),
    ('LIST FROM "70-Kotlin" SORT difficulty DESC', [CHANNELS, SEALED, FLOW]),
    ('LIST FROM "70-Kotlin" OR "40-Android" SORT difficulty DESC, file.name DESC',
     [COMPOSE, CHANNELS, SEALED, FLOW]),
    ('LIST FROM "70-Kotlin" SORT status ASC', [SEALED, FLOW, CHANNELS]),  # null first
    ('LIST FROM "70-Kotlin" SORT created DESC LIMIT 2', [CHANNELS, FLOW]),
    ('LIST FROM "" WHERE difficulty SORT file.name LIMIT 1 + 1', [CHANNELS, COMPOSE]),
], ids=[
    'folder', 'folder-trailing-slash', 'folder-source-is-a-file', 'where-equals',
    'folder-or-folder', 'contains-looks-inside-elements', 'econtains-exact-member',
    'contains-substring', 'icontains', 'negation', 'and-or-left-to-right', 'parentheses',
    'tag', 'parent-tag', 'body-tag', 'nested-tag', 'and-not-tag',
    'not-parenthesised-sources', 'incoming-links', 'outgoing-links', 'links-to-this-note',
    'canonical-field-name', 'missing-field-is-null', 'this', 'file-path',
    'file-tags-has-parents', 'file-etags-has-no-parents', 'file-outlinks',
    'file-inlinks-from-front-matter-link', 'front-matter-link-value', 'date-literal',
    'mtime-from-updated', 'length', 'startswith-endswith', 'regexmatch', 'sort-strings',
    'sort-desc', 'sort-two-keys', 'null-sorts-first', 'sort-limit', 'limit-expression',
])
def test_evaluate(vault, query, expected):
    assert keys(run(vault, query)) == expected


def test_table_columns_and_values(vault):
    result = run(vault, 'TABLE difficulty AS "Level", subtopics, created, status\n'
                        'FROM "70-Kotlin" WHERE difficulty != "easy" SORT file.name')
    assert result.columns == (None, "Level", "subtopics", "created", "status")
    link = dataview.Link(CHANNELS, CHANNELS)
    assert result.rows == (
        (link, "medium", ["channels", "coroutines"], dt.date(2025, 10, 3), "reviewed"),
        (dataview.Link(SEALED, SEALED), "hard", ["classes"], dt.date(2025, 9, 20), None),
    )


def test_table_without_id(vault):
    result = run(vault, 'TABLE WITHOUT ID file.name AS "Name", length(tags) AS "Tags"\n'
                        'FROM "70-Kotlin" SORT file.name DESC LIMIT 2')
    assert result.columns == ("Name", "Tags")
    assert result.rows == (("q-sealed--kotlin--hard", 2), ("q-flow-basics--kotlin--easy", 3))


def test_group_by_counts_and_rows(vault):
    result = run(vault, 'TABLE length(rows) AS "Count", rows.file.link AS "Notes"\n'
                        'FROM "70-Kotlin" OR "40-Android" GROUP BY difficulty SORT difficulty DESC')
    assert result.columns == ("difficulty", "Count", "Notes")
    assert [(row[0], row[1], [link.key for link in row[2]]) for row in result.rows] == [
        ("medium", 2, [COMPOSE, CHANNELS]), ("hard", 1, [SEALED]), ("easy", 1, [FLOW])]


def test_rows_without_group_by_is_null(vault):
    # Dataview: without GROUP BY, `rows` is a missing field, so length(rows) is 0 on every row.
    result = run(vault, 'TABLE length(rows) AS "Total" FROM "70-Kotlin"')
    assert [row[1] for row in result.rows] == [0, 0, 0]


def test_flatten(vault):
    result = run(vault, 'TABLE WITHOUT ID file.name, subtopics FROM "70-Kotlin"\n'
                        "FLATTEN subtopics\nWHERE subtopics = \"coroutines\"")
    assert result.rows == (("q-channels--kotlin--medium", "coroutines"),
                           ("q-flow-basics--kotlin--easy", "coroutines"))


def test_list_with_value_and_without_id(vault):
    shown = run(vault, 'LIST difficulty FROM "70-Kotlin" WHERE difficulty = "hard"')
    assert shown.items == ((dataview.Link(SEALED, SEALED), "hard"),)
    bare = run(vault, 'LIST WITHOUT ID upper(difficulty) FROM "70-Kotlin" SORT file.name')
    assert bare.items == (("MEDIUM",), ("EASY",), ("HARD",))


@pytest.mark.parametrize(("a", "b", "expected"), [
    (None, "a", -1), ("a", None, 1), (None, None, 0),
    ("easy", "hard", -1), ("Easy", "easy", 1), ("b", "A", 1),
    (2, 10, -1), (1, "1", -1),  # different types order by type name: number < string
    (dt.date(2025, 1, 2), dt.datetime(2025, 1, 1, 23, 0), 1),
    (["a"], ["a", "b"], -1),
], ids=["null-first", "null-last", "nulls", "strings", "case", "case-insensitive-first",
        "numbers", "types", "date-datetime", "lists"])
def test_compare(a, b, expected):
    assert dataview.compare(a, b) == expected


def test_each_query_runs_once(vault):
    index = dataview.DataviewIndex(vault)
    first = index.run('LIST FROM "70-Kotlin"', MOC)
    assert index.run('LIST FROM "70-Kotlin"', MOC) is first


# --- format ------------------------------------------------------------------------------------

def output(vault: Vault, language: str) -> dataview.Output:
    titles = {"en": {SEALED: "Sealed | classes", COMPOSE: "Compose <State>", FLOW: "Flow basics"},
              "ru": {SEALED: "Запечатанные классы", COMPOSE: "Состояние Compose",
                     FLOW: "Основы Flow"}}[language]
    return dataview.Output(language, "Could not render", title=lambda key: titles[key],
                           href=lambda key: "../" + key)


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "| File | Level | Tags | Created |\n|---|---|---|---|\n"
           "| [Compose &lt;State&gt;](../40-Android/q-compose-state--android--medium.md) | medium "
           "| android, jetpack-compose, testing | 2025-10-02 |\n"
           "| [Sealed &#124; classes](../70-Kotlin/q-sealed--kotlin--hard.md) | hard "
           "| kotlin, lang/sealed | 2025-09-20 |"),
    ("ru", "| Файл | Level | Tags | Created |\n|---|---|---|---|\n"
           "| [Состояние Compose](../40-Android/q-compose-state--android--medium.md) | medium "
           "| android, jetpack-compose, testing | 2025-10-02 |\n"
           "| [Запечатанные классы](../70-Kotlin/q-sealed--kotlin--hard.md) | hard "
           "| kotlin, lang/sealed | 2025-09-20 |"),
], ids=["en", "ru"])
def test_format_table(vault, language, expected):
    result = run(vault, 'TABLE difficulty AS "Level", tags AS "Tags", created AS "Created"\n'
                        'WHERE difficulty = "hard" OR topic = "android" SORT file.name')
    assert dataview.format_result(result, output(vault, language)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("a | b", "a &#124; b"),
    ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ("*bold* _it_ `code` [[link]] #tag", "&#42;bold&#42; &#95;it&#95; &#96;code&#96; "
                                         "&#91;&#91;link&#93;&#93; &#35;tag"),
    ("$x$ ==mark== ~~del~~ ^^ins^^ {attr}", "&#36;x&#36; &#61;&#61;mark&#61;&#61; "
                                            "&#126;&#126;del&#126;&#126; &#94;&#94;ins&#94;&#94; "
                                            "&#123;attr&#125;"),
    ("two\nlines", "two lines"),
    ("R&D", "R&amp;D"),
], ids=["pipe", "html", "markdown", "extensions", "newline", "ampersand"])
def test_escape_text(text, expected):
    assert dataview.escape_text(text) == expected


@pytest.mark.parametrize(("value", "expected"), [
    (None, ""), (True, "true"), (3.0, "3"), (2.5, "2.5"),
    (dt.date(2025, 1, 2), "2025-01-02"), (dt.datetime(2025, 1, 2, 0, 0), "2025-01-02"),
    (dt.datetime(2025, 1, 2, 9, 5), "2025-01-02 09:05"),
    (["a", ["b", "c"]], "a, [b, c]"),
    (dataview.Link("nowhere", None), "nowhere"),
    (dataview.Link(FLOW, FLOW, display="see *this*"),
     "[see &#42;this&#42;](../70-Kotlin/q-flow-basics--kotlin--easy.md)"),
], ids=["null", "bool", "integral-float", "float", "date", "midnight", "datetime",
        "nested-list", "unresolved-link", "link-display"])
def test_format_value(vault, value, expected):
    assert dataview.format_value(value, output(vault, "en")) == expected


def test_format_list_and_empty(vault):
    out = output(vault, "en")
    listed = run(vault, 'LIST WITHOUT ID "1. not a list" FROM "70-Kotlin" LIMIT 1')
    assert dataview.format_result(listed, out) == "- 1&#46; not a list"
    empty = run(vault, 'TABLE difficulty FROM "nowhere"')
    assert dataview.format_result(empty, out) == "*No results.*"
    assert dataview.format_result(empty, output(vault, "ru")) == "*Нет результатов.*"


def test_format_failure_fences_the_query(vault):
    box = dataview.format_failure("LIST ```x```", "syntax error: <b>", output(vault, "en"))
    assert box.splitlines() == ['!!! failure "Could not render"', "", "    ````text",
                                "    LIST ```x```", "    ````", "",
                                "    **Reason:** syntax error: &lt;b&gt;"]


# --- blocks on pages -----------------------------------------------------------------------------

def test_find_blocks():
    text = ("intro\n```dataview\nLIST\n```\n````markdown\n```dataview\nLIST\n```\n````\n"
            "- item\n  ```dataview\n  LIST FROM \"a\"\n  ```\n> [!note]\n> ```dataviewjs\n"
            "> dv.list()\n> ```\n```dataview\nLIST unclosed")
    blocks = dataview.find_blocks(text)
    assert [(b.kind, b.query, b.first, b.last, b.prefix) for b in blocks] == [
        ("dataview", "LIST", 1, 3, ""),
        ("dataview", 'LIST FROM "a"', 10, 12, "  "),
        ("dataviewjs", "dv.list()", 14, 16, "> "),
        ("dataview", "LIST unclosed", 17, 18, ""),
    ]


def test_diagnostics_name_the_file_and_line(vault):
    diagnostics = dataview.dataview_diagnostics(vault)
    moc = next(note for note in vault.notes if note.key == MOC)
    lines = moc.body.split("\n")
    fence = moc.body_line + [i for i, line in enumerate(lines) if line == "```dataview"][1]
    js = moc.body_line + lines.index("```dataviewjs")
    assert [(d.path, d.line, d.code, d.severity) for d in diagnostics] == [
        (MOC, fence, "DV001", "warning"), (MOC, js, "DV003", "warning")]
    # The message points at the exact place in the file: `contains` after the `NOT`.
    assert f"at line {fence + 3}, column 35" in diagnostics[0].message
    assert "!contains" in diagnostics[0].message


@pytest.mark.parametrize("language", ["en", "ru"])
def test_moc_page_renders_queries(vault, language):
    renderer = Renderer(vault, build_graph(vault), language)
    moc = next(note for note in vault.notes if note.key == MOC)
    markdown = renderer.note_page(moc).markdown
    assert "```dataview" not in markdown
    file_column, flow_title = {"en": ("File", "Flow basics"),
                               "ru": ("Файл", "Основы Flow")}[language]
    assert f"| {file_column} | Level | subtopics | created |" in markdown
    assert (f"| [{flow_title}](../70-Kotlin/q-flow-basics--kotlin--easy.md) | easy "
            "| flow, coroutines | 2025-10-01 |") in markdown
    assert markdown.count("!!! failure") == 2  # the syntax error and the DataviewJS block
    assert "dv.table" in markdown and "NOT contains" in markdown  # shown, never dropped


# --- the real vault ------------------------------------------------------------------------------

_TABLE_LINK = re.compile(r"\[([^\]]*)\]\(([^)#\s]+)(?:#[^)]*)?\)")


@pytest.mark.real_vault
def test_real_vault_mocs_render(corpus: Path):
    """Every MOC of the real vault, in both languages: no Dataview block is left as text, and
    every link in a result table goes to an existing page, titled in the page's language."""
    vault = load_vault(corpus)
    graph = build_graph(vault)
    pages = {note.key for note in vault.notes}
    mocs = [note for note in vault.notes if note.kind == "moc" and "```dataview" in note.body]
    assert mocs, "the real vault's MOCs hold Dataview queries"
    for language in ("en", "ru"):
        renderer = Renderer(vault, graph, language)
        links = 0
        for note in mocs:
            markdown = renderer.note_page(note).markdown
            assert "```dataview" not in markdown, note.key
            for line in markdown.splitlines():
                if not line.startswith("| ") or "](" not in line:
                    continue
                for text, href in _TABLE_LINK.findall(line):
                    target = posixpath.normpath(
                        posixpath.join(posixpath.dirname(note.key), unquote(href)))
                    assert target in pages, (language, note.key, href)
                    title = renderer.facts[target].title
                    assert text == dataview.escape_text(title), (language, note.key, text)
                    links += 1
        assert links > 1000, links  # the MOCs' tables hold well over a thousand links
    codes = [d.code for d in dataview.dataview_diagnostics(vault, dataview.DataviewIndex(vault, graph))]
    assert codes.count("DV002") == 0 and codes.count("DV004") == 0
