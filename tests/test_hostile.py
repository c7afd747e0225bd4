"""Hostile and broken notes: whatever a note contains, the build publishes it safely or
reports it precisely, and never crashes, stalls, runs a note's script or reads outside the
notes folder.

- Any input (property-based, Hypothesis): vaults of random and malformed notes go through
  `pipeline.check`, the render stage of both languages and the emitted MkDocs projects without
  an exception, and every Markdown file is a note (with its problems) or in `vault.skipped`.
  Front matter: every field with a wrong type (title as a list, int or mapping, tags as a
  string, related as a mapping), garbage dates, huge values, deep nesting, anchors and aliases,
  YAML bombs, unknown tags, broken fences. Bytes: invalid UTF-8, cp1251, BOM, NUL, CR, CRLF,
  mixed line ends, files cut short. Bodies: unbalanced code fences, unclosed wikilinks,
  thousands of links, long lines, callouts, raw HTML, Dataview blocks. Names: skipped folders,
  Unicode, names that differ only in case, names that are not UTF-8.
- Enormous lines: a line of a megabyte of each pattern that once made a regex or the Markdown
  engine quadratic or worse goes through load, validate, link and render in a few seconds.
- End-to-end builds (`kb build --allow-errors`, MkDocs and Pagefind included) of small hostile
  vaults: every broken note at once; script injection (checked in the HTML of every page, the
  sitemap and Pagefind's fragments; tests/browser/test_injection.py runs the pages in
  Chromium); path traversal and symbolic links out of the vault; Unicode and case twins.
- Live preview: garbage bytes, a half-written note, then the fixed note.

Examples are few and derandomized (the same ones every run), so that this file runs in under
a minute. For a longer search, with new examples each run (a failure is saved in .hypothesis/
and replayed first):

    HYPOTHESIS_PROFILE=long .venv/bin/python -m pytest tests/test_hostile.py
"""

from __future__ import annotations

import gzip
import json
import os
import random
import re
import tempfile
import time
import xml.etree.ElementTree as ElementTree
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import pipeline
from generator.checks.codes import CODES
from generator.cli import main
from generator.model import LANGUAGES, BuildReport, Diagnostic, Vault
from generator.serve import Preview
from generator.site.project import SiteOptions, emit_project
from generator.site.render import render_language

from .conftest import note_text
from .sitecheck import links_of, note_url, page_file, resolve

_HEALTH = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much,
           HealthCheck.large_base_example]
settings.register_profile("hostile", derandomize=True, max_examples=40, deadline=None,
                          database=None, suppress_health_check=_HEALTH)
settings.register_profile("long", max_examples=600, deadline=None, suppress_health_check=_HEALTH)
PROFILE = settings.get_profile("long" if os.environ.get("HYPOTHESIS_PROFILE") == "long"
                               else "hostile")


# --- what hostile notes are made of ------------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(2)>'
JS_URL = "javascript:alert(3)"
TEMPLATE = "{{ 7*7 }} {% raw %}"
INJECTIONS = [SCRIPT, IMG, JS_URL, TEMPLATE, "[x](javascript:alert(4))", "{: onclick=alert(5) }",
              "&#106;avascript:alert(6)", "</textarea><svg onload=alert(7)>", "'; alert(8); '"]

BILLION_LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{name}: &{name} [{', '.join(['*' + previous] * 9)}]\n"
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True))

# Front matter as text: what a parser must survive, one piece each.
RAW_YAML = [
    "title: [unclosed", "title: {a: 1", "title: 'open", 'title: "\\ud800"', "\tkey: tab",
    "key: value: more", "- a list\n- not a mapping", "just a string", "42", "~",
    "title: &x hi\naliases: [*x, *x]", "title: *undefined", BILLION_LAUGHS,
    "deep: " + "[" * 200 + "]" * 200, "deep: " + "{a: " * 120 + "1" + "}" * 120,
    "? [complex, key]\n: value", "title: !!python/object/apply:os.system [echo hi]",
    "title: !!binary aGVsbG8=", "title: !!set {a, b}", "title: !custom x",
    "created: 2025-02-30\nupdated: 0000-00-00", "created: 99999-12-31",
    "updated: 2025-13-01T25:61:61Z", "created: 1e999", "%YAML 1.1\n---", "title: a\ntitle: b",
    "title: x\n...\nmore: y", "summary: " + "x" * 120_000, "summary: " + "long " * 2000,
    'title: "\\0 \\a \\u202e \\u2028"', "tags: {a: [b: {c: d}]}", "related: {a: b}",
    "title: [[wikilink]]", "moc: '[[moc-2]]'", "title: 'a\n\n  b'",
    "kind: moc\ntitle: |\n  two\n  lines", "1: x\nnull: y\ntrue: z",
]
FIELDS = ["title", "id", "aliases", "tags", "topic", "subtopics", "difficulty", "kind", "status",
          "related", "moc", "created", "updated", "summary", "language_tags",
          "original_language", "question_kind"]

_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-10**30, max_value=10**30), st.floats(),
    st.text(max_size=40), st.sampled_from(INJECTIONS), st.dates(), st.datetimes(),
    st.sampled_from(["moc", "concept", "question", "q-0", "c-1", "moc-2", "[[q-0]]", "easy",
                     "kotlin", "2025-01-01", "2025-02-30", "Заметка", " / ", "Title / Заголовок"]),
)
_values = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=4)
                       | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=12)
_front_yaml = st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=10), _values,
                              max_size=8).map(
    lambda data: yaml.safe_dump(data, allow_unicode=True, sort_keys=False))

BODY_PARTS = [
    "# Question (EN)", "## Answer (EN)", "# Вопрос (RU)", "## Ответ (RU)", "### Deeper",
    "####### seven", "# ", "#", "## References", "## Ссылки (RU)", "## Topic / Тема",
    "```kotlin\nfun x() {", "```", "~~~", "````\n```", "    indented code", "`inline [[q-0]]`",
    "[[", "[[unclosed", "]]", "[[a|", "[[q-0|label]]", "[[#]]", "[[|]]", "[[ ]]", "![[",
    "![[image.png]]", "![[../../../secret.png]]", "[[../../etc/passwd]]", "![[/etc/hostname]]",
    "[[q-0]]", "[[c-1#Summary (EN)|c-1]]", "[[moc-2]]", "[[Заметка]]", "[[c-Flow]]",
    "[[" + "x" * 600 + "]]", "> [!warning]- Title", "> [!bogus", "> quote", "> [!note]",
    "- item [[q-0]]", "1. first", "| a | b |\n|---|---|\n| [[q-0]] | x |",
    "```dataview\nTABLE file.name FROM #x WHERE\n```", "```dataview\nLIST FROM [[q-0]]\n```",
    "```dataview\n((((\n```", "```dataviewjs\nalert(1)\n```", "---", "***", "$$\nx\n$$", "\\",
    "&#0;", "\u202eevil", "\u200b", "🚀", "שלום", "\x0b\x0c", "\t\t", "<!--", "-->",
    "<div markdown>", "</div>", *INJECTIONS,
]
_body_part = st.one_of(
    st.sampled_from(BODY_PARTS), st.text(max_size=60),
    st.integers(100, 3_000).map(lambda n: " ".join(f"[[n{i}]]" for i in range(n))),
    st.integers(1_000, 30_000).map(lambda n: "word " * (n // 5)),
    st.integers(100, 3_000).map(lambda n: "[" * n),
)


@st.composite
def note_texts(draw: st.DrawFn) -> str:
    front = draw(st.one_of(_front_yaml, st.sampled_from(RAW_YAML), st.just("")))
    opening = draw(st.sampled_from(["---", "---", "---", "--- x", "----", "---\t", "", "+++"]))
    closing = draw(st.sampled_from(["---", "---", "...", "--- junk", "", "-----"]))
    body = "\n".join(draw(st.lists(_body_part, max_size=8)))
    return (f"{opening}\n{front}\n{closing}\n" if opening else "") + body


def _insert(data: bytes, position: int, piece: bytes) -> bytes:
    position = min(position, len(data))
    return data[:position] + piece + data[position:]


@st.composite
def note_bytes(draw: st.DrawFn) -> bytes:
    text = draw(note_texts())
    damages = draw(st.lists(st.sampled_from(["bom", "crlf", "cr", "mixed", "nul", "invalid",
                                             "truncate", "cp1251"]), max_size=3, unique=True))
    data = text.encode("cp1251", errors="replace") if "cp1251" in damages else text.encode()
    for damage in damages:
        if damage == "bom":
            data = b"\xef\xbb\xbf" + data
        elif damage == "crlf":
            data = data.replace(b"\n", b"\r\n")
        elif damage == "cr":
            data = data.replace(b"\n", b"\r")
        elif damage == "mixed":
            data = data.replace(b"\n", b"\r\n", 2).replace(b"\n", b"\r", 1)
        elif damage == "nul":
            data = _insert(data, draw(st.integers(0, len(data))), b"\x00")
        elif damage == "invalid":
            data = _insert(data, draw(st.integers(0, len(data))), draw(st.sampled_from(
                [b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80", b"\x80\x80"])))
        elif damage == "truncate":  # saved half-way
            data = data[:draw(st.integers(0, len(data)))]
    return data


NAMES: list[str | bytes] = [
    "q-0.md", "c-1.md", "moc-2.md", "Заметка.md", "🚀 ракета.md", "שלום עולם.md", "c-Flow.md",
    "c-flow.md", "sub/q-3.md", "deep/a/b/c/q-4.md", "README.md", "index.md", "Home.md",
    "_templates/t.md", "00-Admin/a.md", ".obsidian/x.md", "sub/README.md", "x.MD",
    "<script>alert(1)<_script>.md", '"><img src=x onerror=alert(2)>.md', "javascript:alert(3).md",
    "{{ 7*7 }}.md", "a  b.md", "..md", "a..b.md", "topics/x.md", "graph.md", "%41.md",
    "image.png", "no-extension", b"\xcf\xf0\xe8\xe2\xe5\xf2.md", b"sub\xff/q.md",
]


@st.composite
def vaults(draw: st.DrawFn) -> dict[str | bytes, bytes]:
    names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=5, unique=True))
    return {name: draw(note_bytes()) for name in names}


def write_files(root: Path, files: dict[str | bytes, bytes]) -> None:
    for name, data in files.items():
        path = root / (os.fsdecode(name) if isinstance(name, bytes) else name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def published_name(rel: str) -> str:
    """A path as the vault reports it: bytes that are not UTF-8 as %XX (FILE009)."""
    return "".join(f"%{ord(char) - 0xDC00:02X}" if 0xDC80 <= ord(char) <= 0xDCFF else char
                   for char in rel)


def assert_accounted_for(root: Path, vault: Vault) -> None:
    """Every Markdown file outside hidden folders is a note or listed as skipped."""
    known = {note.key for note in vault.notes} | set(vault.skipped)
    for folder, dirs, files in os.walk(root):
        dirs[:] = [name for name in dirs if not name.startswith(".")]
        for name in files:
            rel = published_name((Path(folder) / name).relative_to(root).as_posix())
            if rel.lower().endswith(".md"):
                assert rel in known, f"{rel} is neither a note nor skipped"


def assert_documented(diagnostics: list[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        assert diagnostic.code in CODES, diagnostic
        assert diagnostic.severity == CODES[diagnostic.code].severity, diagnostic


def check_and_render(root: Path, scratch: Path) -> pipeline.Checked:
    """What a build does before MkDocs: check, render both languages, emit the projects."""
    checked = pipeline.check(root, BuildReport(), run_queries=True)
    assert_accounted_for(root, checked.vault)
    assert_documented(checked.diagnostics)
    keys = {note.key for note in checked.vault.notes}
    for language in LANGUAGES:
        pages = render_language(checked.vault, checked.graph, language)
        assert {page.note for page in pages if page.note} == keys
        emit_project(pages, language, scratch / "project" / language, scratch / "site" / language,
                     SiteOptions(), assets=(checked.vault.root, checked.vault.assets))
    return checked


# --- any input ---------------------------------------------------------------------------------

@settings(PROFILE)
@given(files=vaults())
def test_any_vault_is_checked_and_rendered_and_loses_no_file(files):
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary) / "notes"
        root.mkdir()
        write_files(root, files)
        check_and_render(root, Path(temporary))


@settings(PROFILE, max_examples=PROFILE.max_examples * 3)
@given(text=note_texts())
def test_any_note_text_is_checked_and_rendered(text):
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary) / "notes"
        root.mkdir()
        # In a folder: at the root, a file without front matter is no note (load.py's rule).
        (root / "notes").mkdir()
        (root / "notes" / "q-0.md").write_text(text, encoding="utf-8")
        checked = check_and_render(root, Path(temporary))
        assert [note.key for note in checked.vault.notes] == ["notes/q-0.md"]


def test_every_raw_front_matter_is_reported_at_a_line_not_raised(tmp_path):
    for index, front in enumerate(RAW_YAML):
        (tmp_path / f"q-{index}.md").write_text(f"---\n{front}\n---\n# Q (EN)\nBody {index}.\n",
                                                encoding="utf-8")
    checked = pipeline.check(tmp_path, BuildReport())
    assert len(checked.vault.notes) == len(RAW_YAML)
    assert_documented(checked.diagnostics)
    bomb = f"q-{RAW_YAML.index(BILLION_LAUGHS)}.md"
    assert ("FM004" in {d.code for d in checked.diagnostics if d.path == bomb})  # not expanded
    for note in checked.vault.notes:
        assert f"Body {note.key[2:-3]}." in note.body  # the body survives any front matter


# --- enormous lines ----------------------------------------------------------------------------

MEGABYTE = 1_000_000


def _line(pattern: str) -> str:
    return (pattern * (MEGABYTE // len(pattern) + 1))[:MEGABYTE]


# Each was quadratic or worse in a regex of the sanitiser, the heading scanner or the wikilink
# finder, or in Python-Markdown itself (unbalanced brackets), before it was fixed.
ENORMOUS_LINES = {
    "less-than": _line("<"),
    "tags-and-quotes": _line("<a \"x' "),
    "autolinks": _line("<http://x"),
    "comments": _line("<!--"),
    "braces-and-handlers": _line("{ on"),
    "link-then-spaces": "[a](" + " " * MEGABYTE,
    "heading-then-tabs": "## a" + "\t" * MEGABYTE + "#x",
    "heading-with-spaces": "# x" + " " * MEGABYTE + "y (EN)",
    "links-and-code": _line("`x` [[a]] "),
    "open-brackets": _line("["),
}


@pytest.mark.parametrize("line", ENORMOUS_LINES.values(), ids=ENORMOUS_LINES.keys())
def test_an_enormous_line_is_checked_and_rendered_quickly(tmp_path, line):
    (tmp_path / "q.md").write_text(f"---\ntitle: Big / Большой\n---\n# Question (EN)\n{line}\n\n"
                                   "Text.\n# Вопрос (RU)\nТекст.\n", encoding="utf-8")
    started = time.perf_counter()
    checked = pipeline.check(tmp_path, BuildReport(), run_queries=True)
    pages = {language: render_language(checked.vault, checked.graph, language)
             for language in LANGUAGES}
    elapsed = time.perf_counter() - started
    assert elapsed < 10, f"{elapsed:.1f}s for a line of a megabyte"
    # Markdown would be quadratic on it: it is published as plain text, and reported.
    assert [(d.code, d.line) for d in checked.diagnostics if d.code == "FILE010"] == [("FILE010", 5)]
    page = next(page for page in pages["en"] if page.note == "q.md")
    assert '<p class="kb-plain">' in page.markdown


# --- end-to-end: every broken note at once -----------------------------------------------------

def test_a_vault_of_every_broken_note_builds(tmp_path, capsys):
    notes = tmp_path / "notes"
    files: dict[str | bytes, bytes] = {}
    for index, front in enumerate(RAW_YAML):
        files[f"fm/q-{index}.md"] = f"---\n{front}\n---\n# Q (EN)\nBody {index}.\n".encode()
    body = "# Q (EN)\n" + "\n".join(part for part in BODY_PARTS if "dataview" not in part)
    good = f"---\ntitle: Broken / Сломано\n---\n{body}\n# В (RU)\nТекст.\n".encode()
    files.update({
        "bytes/bom-crlf.md": b"\xef\xbb\xbf" + good.replace(b"\n", b"\r\n"),
        "bytes/cr.md": good.replace(b"\n", b"\r"),
        "bytes/nul.md": good.replace(b"Broken", b"Bro\x00ken"),
        "bytes/invalid.md": good.replace(b"Broken", b"Bro\xff\xc3ken"),
        "bytes/cp1251.md": "---\ntitle: Привет\n---\n# Вопрос (RU)\nТекст.\n".encode("cp1251"),
        "bytes/half.md": good[: len(good) // 2],
        "bytes/empty.md": b"",
        "bytes/unclosed.md": b"---\ntitle: never closed\n# Q (EN)\ntext\n",
        "bytes/links.md": b"---\ntitle: Links\n---\n" + " ".join(
            f"[[n{i}]]" for i in range(3000)).encode(),
        "bytes/brackets.md": b"---\ntitle: Brackets\n---\n" + b"[" * 300_000,
        "bytes/emphasis.md": b"---\ntitle: Emphasis\n---\n" + b"*a" * 150_000,
        "bytes/fence.md": b"---\ntitle: Fence\n---\n```python\nunclosed [[q-0]]\n# not a heading",
        b"bytes/\xcf\xf0\xe8\xe2\xe5\xf2.md": good,
        "bytes/huge.md": b"---\ntitle: Huge\n---\n" + b"word " * 450_000,
    })
    write_files(notes, files)
    site = tmp_path / "site"
    started = time.perf_counter()
    assert main(["build", "--notes", str(notes), "--site", str(site), "--allow-errors"]) == 0
    elapsed = time.perf_counter() - started
    err = capsys.readouterr().err
    for code in ("FM003", "FM004", "FM007", "FILE003", "FILE004", "FILE005", "FILE006",
                 "FILE007", "FILE009", "FILE010"):
        assert code in err, code
    vault_notes = pipeline.check(notes, BuildReport()).vault.notes
    for note in vault_notes:
        for language in LANGUAGES:  # quote: a name that is not UTF-8 is published as %XX
            assert page_file(site / language, quote(note_url(note.key))), (language, note.key)
    assert "Body 3." in page_file(site / "en", "fm/q-3/").read_text(encoding="utf-8")
    assert elapsed < 120, f"the build took {elapsed:.0f}s"


# --- end-to-end: script injection --------------------------------------------------------------

INJECTION_SITE_URL = "https://kb.example.org/"
MOC_TITLE = f"{SCRIPT} Map / Карта {IMG}"
QUESTION_TITLE = f"{TEMPLATE} {IMG}"
EVIL_NAMES = ["<script>alert(1)<_script>", '"><img src=x onerror=alert(2)>', "javascript:alert(3)",
              "{{ 7*7 }}"]
LINK_BYPASSES = """\
[a](javascript:alert(10)) [b][ref] [c](&#106;avascript:alert(11))
[d](https://example.org){: href="javascript:alert(12)" }

[ref]: javascript:alert(13)

paragraph with an attribute list
{: onclick="alert(14)" }

<a href="jav&#x61;script:alert(15)">e</a> <a href="java&#9;script:alert(16)">f</a> <img src=x onerror=alert(17)>

[h](<javascript:alert(18)>) ![i](javascript:alert(19)) [j](JAVASCRIPT:alert(20))
[k](javascript&colon;alert(21)) [l](javascript&#58;alert(22))

[m](https://example.org "t"){: onmouseover="alert(23)" } <details open ontoggle=alert(24)><summary>s</summary></details>

<svg onload=alert(25)></svg> <iframe srcdoc="<script>alert(26)</script>"></iframe> <a href="x" style="x">n</a>

<div markdown="1">[o](javascript:alert(27))</div> <https://example.org> <javascript:alert(28)>

[p]:
  javascript:alert(29)

[q][p] {{ 7*7 }} {% raw %} {% endraw %}

```dataview
TABLE summary, status, topic, aliases, tags FROM "" SORT file.name
```

```dataview
LIST summary FROM [[moc-evil]]
```
"""


def write_injection_vault(root: Path) -> Path:
    """Notes whose every field, name, heading and link label is an attack."""
    def note(rel: str, front: dict[str, object], body: str) -> None:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n" + body,
                        encoding="utf-8")

    links = " ".join(f"[[{name}]] [[{name}|{SCRIPT}]]" for name in EVIL_NAMES)
    note("moc-evil.md", {
        "title": MOC_TITLE, "kind": "moc", "aliases": [SCRIPT, IMG, JS_URL], "tags": [SCRIPT, IMG],
        "summary": f"{IMG} {SCRIPT} {TEMPLATE}", "status": "[s](javascript:alert(30))",
    }, f"# Map (EN)\n\n{LINK_BYPASSES}\n## {SCRIPT} heading {IMG}\n\nText {TEMPLATE}.\n\n"
       f"> [!warning] {IMG}\n> {SCRIPT}\n\n# Карта (RU)\n\n[[q-evil|{SCRIPT}]] "
       f"[[q-evil|{IMG}]] [[q-evil#{SCRIPT}]] [[#{IMG}]] ![[{IMG}.png]] {links}\n")
    note("q-evil.md", {
        "title": QUESTION_TITLE, "kind": "question", "topic": SCRIPT, "difficulty": IMG,
        "status": "[s](javascript:alert(31))", "updated": "[u](javascript:alert(32))",
        "summary": SCRIPT, "moc": "moc-evil", "related": ["moc-evil", "[[javascript:alert(33)]]"],
        "aliases": [IMG], "subtopics": [SCRIPT],
    }, f"# Question (EN)\n\n{TEMPLATE}\n\n{{{{ 7*7 }}}}\n\n## {SCRIPT} (EN)\n\nx\n\n"
       f"# Вопрос (RU)\n\n{TEMPLATE} {SCRIPT}\n")
    for index, name in enumerate(EVIL_NAMES):
        note(f"{name}.md", {"title": f"{name} {IMG}", "kind": "concept", "topic": IMG},
             f"# Summary (EN)\n\n[[moc-evil]] {name}\n\n## {name}\n\nText {index}.\n")
    return root


class _PageScan(HTMLParser):
    """What in a page could run a script, and the text of its <title> and first <h1>."""

    URL_ATTRIBUTES = {"href", "src", "action", "formaction", "srcdoc", "xlink:href", "data",
                      "poster", "background", "srcset"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.title = ""
        self.h1 = ""
        self._in: str | None = None
        self._h1_done = False
        self._script: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name in self.URL_ATTRIBUTES and value and is_script_url(value):
                self.problems.append(f"<{tag} {name}={value!r}>")
        if tag in ("iframe", "object", "embed", "base", "frame"):
            self.problems.append(f"<{tag}>")
        if tag == "meta" and (dict(attrs).get("http-equiv") or "").lower() == "refresh":
            self.problems.append("<meta http-equiv=refresh>")
        if tag == "script":
            self._script = []
            if "alert" in (dict(attrs).get("src") or ""):
                self.problems.append(f"<script src={dict(attrs)['src']!r}>")
        if tag == "title" or (tag == "h1" and not self._h1_done):
            self._in = tag

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            if "alert" in "".join(self._script):
                self.problems.append(f"<script>{''.join(self._script)[:80]}")
            self._script = None
        if tag == self._in:
            self._h1_done = self._h1_done or tag == "h1"
            self._in = None
            self.h1 = self.h1.rstrip("¶").strip()
            self.title = self.title.strip()

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script.append(data)
        if self._in == "title":
            self.title += data
        elif self._in == "h1":
            self.h1 += data


def is_script_url(url: str) -> bool:
    """Whether a browser would run this URL: spaces and controls are dropped first."""
    return re.sub(r"[\x00-\x20\x7f]+", "", url).lower().startswith(
        ("javascript:", "vbscript:", "data:"))


def scan(html_file: Path) -> _PageScan:
    parser = _PageScan()
    parser.feed(html_file.read_text(encoding="utf-8"))
    parser.close()
    return parser


def site_pages(site: Path) -> list[Path]:
    return [path for path in sorted(site.rglob("*.html"))
            if not {"pagefind", "assets"} & set(path.relative_to(site).parts)]


@pytest.fixture(scope="module")
def injection_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("injection")
    notes = write_injection_vault(root / "notes")
    site = root / "site"
    assert main(["build", "--notes", str(notes), "--site", str(site), "--allow-errors",
                 "--site-url", INJECTION_SITE_URL]) == 0
    return site


def test_no_page_can_run_a_script_from_a_note(injection_site):
    pages = site_pages(injection_site)
    assert len(pages) >= 2 * 8  # notes, topics, home, 404 in both languages
    problems = {f"{page.relative_to(injection_site)}: {problem}"
                for page in pages for problem in scan(page).problems}
    assert not problems, "\n".join(sorted(problems))


def test_attacks_show_as_text(injection_site):
    for language in LANGUAGES:
        question = scan(page_file(injection_site / language, "q-evil/"))
        assert question.h1 == QUESTION_TITLE  # {{ 7*7 }} literally: never a template
        assert question.title.startswith(QUESTION_TITLE)
        text = page_file(injection_site / language, "q-evil/").read_text(encoding="utf-8")
        assert "{{ 7*7 }}" in text and ">49<" not in text and " 49 " not in text
    moc = scan(page_file(injection_site / "en", "moc-evil/"))
    assert moc.h1 == f"{SCRIPT} Map"
    home = page_file(injection_site / "en", "").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Map" in home  # MOC list and navigation
    for name in EVIL_NAMES:  # file names: their pages exist and are linked
        assert scan(page_file(injection_site / "en", note_url(f"{name}.md"))).h1 \
            == f"{name} {IMG}"


def test_links_of_hostile_pages_stay_on_the_site(injection_site):
    for language in LANGUAGES:
        for html_file in site_pages(injection_site / language):
            for href in links_of(html_file, in_article=True):
                target = resolve(injection_site, html_file, href)
                if target is None:  # in-page, the one external link, and 404.html's own
                    assert href.startswith(("#", "https://example.org",
                                            f"{INJECTION_SITE_URL}{language}/")), (html_file, href)
                elif target.startswith(f"/{language}/") and "alert(" not in target:
                    # (`[x](<javascript:…>)` is left as a dead relative link, which is harmless)
                    assert page_file(injection_site, target), (html_file, href)


def test_sitemaps_are_well_formed_with_every_url_on_the_site(injection_site):
    for language in LANGUAGES:
        tree = ElementTree.fromstring((injection_site / language / "sitemap.xml").read_bytes())
        locations = [element.text or "" for element in tree.iter()
                     if element.tag.endswith("}loc")]
        assert len(locations) >= 8
        assert all(url.startswith(f"{INJECTION_SITE_URL}{language}/") for url in locations)
        assert not any(re.search(r"[<>\"' ]", url) for url in locations), locations


def pagefind_fragments(site: Path) -> list[dict[str, object]]:
    fragments = []
    for path in sorted(site.glob("pagefind/fragment/*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        fragments.append(json.loads(data[data.index(b"{"):]))
    return fragments


def test_search_index_holds_titles_as_plain_text(injection_site):
    for language in LANGUAGES:
        fragments = pagefind_fragments(injection_site / language)
        titles = {str(fragment["meta"]["title"]) for fragment in fragments}
        assert QUESTION_TITLE in titles  # as typed: neither markup nor escaped twice
        assert not any("&lt;" in title or "&amp;" in title for title in titles), titles
        for fragment in fragments:
            assert not is_script_url(str(fragment["url"])), fragment["url"]


# --- end-to-end: nothing outside the notes folder ----------------------------------------------

SECRET = "TOP-SECRET-5d1f0c"


def test_nothing_outside_the_notes_folder_is_read_and_each_attempt_is_reported(tmp_path):
    outside = tmp_path / "outside"
    (outside / "folder").mkdir(parents=True)
    for name in ("secret.md", "folder/note.md"):
        (outside / name).write_text(f"---\ntitle: {SECRET}\n---\n{SECRET}\n", encoding="utf-8")
    (outside / "secret.png").write_bytes(b"\x89PNG\r\n\x1a\n" + SECRET.encode())
    notes = tmp_path / "vault" / "notes"
    notes.mkdir(parents=True)
    (notes / "q.md").write_text(
        "---\ntitle: Traversal / Обход\n---\n# Question (EN)\n"
        "[[../../etc/passwd]] ![[/etc/hostname]] ![[../../../secret.png]] [[../outside/secret]]\n"
        "![[../../outside/secret.png]] [[/etc/passwd|p]] [[..]] [[../]]\n", encoding="utf-8")
    (notes / "a..b.md").write_text("---\ntitle: Dots\n---\ntext\n", encoding="utf-8")
    os.symlink(outside / "secret.md", notes / "link.md")  # a note
    os.symlink(outside / "folder", notes / "linked-folder")  # a folder
    os.symlink(outside / "secret.png", notes / "picture.png")  # an image
    os.symlink(notes / "loop.md", notes / "loop.md")  # a loop
    os.symlink("/etc/hostname", notes / "absolute.md")  # an absolute path
    os.mkfifo(notes / "pipe.md")  # would block a reader forever

    checked = pipeline.check(notes, BuildReport())
    reported = {(d.path, d.code) for d in checked.diagnostics}
    assert {("link.md", "FILE002"), ("linked-folder", "FILE002"), ("picture.png", "FILE002"),
            ("loop.md", "FILE002"), ("absolute.md", "FILE002"), ("pipe.md", "FILE001")} <= reported
    links = sorted(d.code for d in checked.diagnostics if d.path == "q.md" and
                   d.code.startswith("LINK"))
    assert links == ["LINK002"] * 5 + ["LINK004"] * 3
    assert "picture.png" not in checked.vault.assets

    site = tmp_path / "vault" / "site"
    assert main(["build", "--notes", str(notes), "--site", str(site), "--allow-errors"]) == 0
    assert page_file(site / "en", "a..b/") and page_file(site / "en", "q/")
    for path in site.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if data[:2] == b"\x1f\x8b":  # Pagefind's fragments and indexes, sitemap.xml.gz
                data = gzip.decompress(data)
            assert SECRET.encode() not in data, path
            assert b"root:x:0:0" not in data, path  # /etc/passwd


# --- end-to-end: Unicode and names that differ only in case ------------------------------------

def test_unicode_names_build_and_link_and_case_twins_are_reported(tmp_path, capsys):
    notes = tmp_path / "notes"
    notes.mkdir()
    files = {
        "Заметка о корутинах.md": note_text(id="ид-корутины", title="Coroutines / Корутины",
                                            body="# Summary (EN)\n[[🚀 Ракета 🚀]] [[שלום עולם]]"
                                                 "\n# Сводка (RU)\n[[ид-эмодзи|ракета]]\n"),
        "🚀 Ракета 🚀.md": note_text(id="ид-эмодзи", title="Rocket 🚀 / Ракета 🚀",
                                    body="# Summary (EN)\n[[Заметка о корутинах]]\n"
                                         "# Сводка (RU)\n[[Корутины]]\n"),
        "שלום עולם.md": note_text(id="rtl-שלום", title="\u202eRTL שלום / Иврит שלום",
                                  body="# Summary (EN)\nשלום [[c-Flow]] [[c-flow]]\n"),
        "c-Flow.md": note_text(id="c-upper", title="Flow upper", body="# Summary (EN)\nUpper.\n"),
        "c-flow.md": note_text(id="c-lower", title="Flow lower", body="# Summary (EN)\nLower.\n"),
    }
    for name, text in files.items():
        (notes / name).write_text(text, encoding="utf-8")
    site = tmp_path / "site"
    assert main(["build", "--notes", str(notes), "--site", str(site), "--allow-errors"]) == 0
    err = capsys.readouterr().err
    assert err.count("FILE008") >= 2 and "c-Flow.md" in err and "c-flow.md" in err
    for language in LANGUAGES:
        for name in files:
            assert page_file(site / language, note_url(name)), (language, name)
        upper = page_file(site / language, "c-Flow/").read_text(encoding="utf-8")
        lower = page_file(site / language, "c-flow/").read_text(encoding="utf-8")
        assert "Upper." in upper and "Lower." in lower  # two pages, neither overwritten
        linked = 0
        for name in files:
            html_file = page_file(site / language, note_url(name))
            for href in links_of(html_file, in_article=True):
                target = resolve(site, html_file, href)
                if target and target.startswith(f"/{language}/"):
                    assert page_file(site, target), (html_file, href)
                    linked += 1
        assert linked >= 5
    coroutines = page_file(site / "en", note_url("Заметка о корутинах.md")).read_text("utf-8")
    assert "Rocket 🚀" in coroutines and "RTL שלום" in coroutines  # titles of the linked notes


# --- live preview ------------------------------------------------------------------------------

def test_live_preview_survives_garbage_and_half_written_notes_then_recovers(make_vault, tmp_path):
    notes = make_vault({
        "c-a.md": note_text(id="1", title="Alpha / Альфа", kind="concept",
                            body="# Summary (EN)\nSee [[c-b]].\n# Сводка (RU)\nСм. [[c-b]].\n"),
        "c-b.md": note_text(id="2", title="Beta / Бета", kind="concept",
                            body="# Summary (EN)\nB.\n# Сводка (RU)\nБ.\n"),
    })
    preview = Preview(notes, "en", tmp_path / "project")
    page = tmp_path / "project" / "docs" / "c-b.md"
    path = notes / "c-b.md"
    good = path.read_bytes()
    saves = [
        random.Random(9).randbytes(4096),  # garbage
        b"---\ntitle: [half-writ",  # YAML cut short
        b'---\ntitle: "unterminated\n---\n# Summary (EN)\nDraft.\n',
        b"\xef\xbb\xbf---\r\ntitle: \xff\xfe\x00\r\n---\r\n",  # BOM, CRLF, invalid, NUL
        good[: len(good) // 2],  # saved half-way
        b"",  # emptied
        f"---\n{BILLION_LAUGHS}---\nbomb\n".encode(),
    ]
    for data in saves:
        path.write_bytes(data)
        preview.note_changed(path)  # never raises
        assert page.is_file()
    path.write_bytes(good)
    preview.note_changed(path)
    text = page.read_text(encoding="utf-8")
    assert "# Beta" in text and "B." in text
    assert "[Beta](c-b.md)" in (tmp_path / "project" / "docs" / "c-a.md").read_text("utf-8")
