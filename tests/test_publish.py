"""Notes not meant for readers: `publish: false`, `draft: true`, the vault's `exclude` patterns,
and the files at the root that are no notes. What a reader sees of them: nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator import pipeline
from generator.cli import main
from generator.model import BuildReport
from generator.notes.load import load_vault
from generator.site.publish import glob_regex, publish

from .conftest import note_text
from .sitecheck import links_of, page_file

PUBLIC = note_text(id="pub-1", title="Public / Публичная", related="[c-draft, c-public-2]",
                   body="""
    # Summary (EN)
    See [[c-draft]] and [[c-hidden|the hidden one]] and [[c-public-2]].
    # Краткое описание (RU)
    См. [[c-draft]] и [[c-public-2]].
    """)
VAULT = {
    "10-Concepts/c-public.md": PUBLIC,
    "10-Concepts/c-public-2.md": note_text(id="pub-2", title="Second / Вторая",
                                           body="# Summary (EN)\nSecond.\n"),
    "10-Concepts/c-draft.md": note_text(id="draft-1", title="Secret draft / Черновик",
                                        draft="true", body="# Summary (EN)\nSecretword.\n"),
    "10-Concepts/c-hidden.md": note_text(id="hidden-1", title="Hidden / Скрытая",
                                         publish="false", body="# Summary (EN)\nHidden.\n"),
    "scratch/c-scratch.md": note_text(id="scratch-1", title="Scratch / Наброски",
                                      body="# Summary (EN)\nScratch.\n"),
    "HTML_TAG_CHECKER_README.md": "# HTML tag checker\n\nRun the script.\n",
    "mkdocs.yml": "site_name: Test\nextra:\n  kb_exclude: [scratch/]\n",
}


@pytest.mark.parametrize(("pattern", "path", "matches"), [
    ("scratch/", "scratch/c-a.md", True),
    ("scratch/", "other/scratch/c-a.md", False),
    ("scratch-*.md", "70-Kotlin/scratch-1.md", True),
    ("*.md", "70-Kotlin/q-a.md", True),
    ("70-Kotlin/*.md", "70-Kotlin/sub/q-a.md", False),
    ("70-Kotlin/**", "70-Kotlin/sub/q-a.md", True),
    ("**/old/*.md", "a/b/old/q.md", True),
    ("q-?.md", "x/q-ab.md", False),
], ids=["folder", "folder-only-at-root", "name-anywhere", "any-note", "star-in-one-folder",
        "double-star", "double-star-prefix", "question-mark"])
def test_exclude_globs(pattern, path, matches):
    assert bool(glob_regex(pattern).fullmatch(path)) is matches


def test_publish_splits_by_front_matter_and_patterns(make_vault):
    notes = make_vault(VAULT)
    publication = publish(load_vault(notes), ("scratch/",))
    assert sorted(note.key for note in publication.vault.notes) == [
        "10-Concepts/c-public-2.md", "10-Concepts/c-public.md"]
    assert publication.reasons == {"10-Concepts/c-draft.md": "draft: true",
                                   "10-Concepts/c-hidden.md": "publish: false",
                                   "scratch/c-scratch.md": "exclude: scratch/"}


def test_root_file_without_front_matter_is_no_note(make_vault):
    notes = make_vault({"HTML_TAG_CHECKER_README.md": "# Checker\n",
                        "c-root.md": note_text(id="r", title="Root", body="Text."),
                        "sub/plain.md": "# No front matter, in a folder: a note\n"})
    vault = load_vault(notes)
    assert sorted(note.key for note in vault.notes) == ["c-root.md", "sub/plain.md"]
    assert vault.skipped == ("HTML_TAG_CHECKER_README.md",)


def test_links_to_unpublished_notes_are_warnings_at_their_lines(make_vault):
    notes = make_vault(VAULT)
    report = BuildReport()
    checked = pipeline.check(notes, report)
    found = [(d.code, d.severity, d.line, d.column) for d in checked.diagnostics
             if d.path == "10-Concepts/c-public.md" and d.code.startswith("LINK")]
    # related on line 4 names c-draft; the body's links on lines 7 and 9.
    assert found == [("LINK006", "warning", 4, None), ("LINK006", "warning", 7, 5),
                     ("LINK006", "warning", 7, 21), ("LINK006", "warning", 9, 5)]
    assert not [d for d in checked.diagnostics if d.code in ("LINK001", "LINK002")]
    assert report.left_out == {"at the root without front matter": 1, "draft: true": 1,
                               "exclude": 1, "publish: false": 1}
    # Validation still checks the notes that are not published.
    assert "10-Concepts/c-draft.md" not in checked.graph.notes


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, str]:
    import textwrap

    root = tmp_path_factory.mktemp("publish")
    notes = root / "notes"
    for rel, text in VAULT.items():
        path = notes / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    site = root / "site"
    import contextlib
    import io

    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        assert main(["build", "--notes", str(notes), "--site", str(site),
                     "--site-url", "https://kb.example/", "--no-cache", "--allow-errors"]) == 0
    return site, err.getvalue()


def test_unpublished_notes_have_no_page_and_no_link(built):
    site, _ = built
    for language in ("en", "ru"):
        tree = site / language
        assert page_file(tree, "10-Concepts/c-public/")
        for url in ("10-Concepts/c-draft/", "10-Concepts/c-hidden/", "scratch/c-scratch/",
                    "HTML_TAG_CHECKER_README/"):
            assert page_file(tree, url) is None, (language, url)
        public = page_file(tree, "10-Concepts/c-public/")
        hrefs = links_of(public, in_article=True)
        assert not [href for href in hrefs if "c-draft" in href or "c-hidden" in href], hrefs
        assert any("c-public-2" in href for href in hrefs)
        text = public.read_text("utf-8")
        assert "kb-broken" not in text  # plain text, not a broken link
        everything = "".join(path.read_text("utf-8", errors="replace")
                             for path in tree.rglob("*") if path.suffix in (".html", ".json",
                                                                             ".xml"))
        # Not its page, title, text or address: not in search, sitemaps, graph or study.
        for secret in ("c-draft/", "c-draft.md", "Secret draft", "Secretword", "Черновик"):
            assert secret not in everything, secret
        graph = json.loads((tree / "graph.json").read_text("utf-8"))
        assert "10-Concepts/c-draft.md" not in json.dumps(graph)
    en = page_file(site / "en", "10-Concepts/c-public/").read_text("utf-8")
    assert "See c-draft and the hidden one and" in en


def test_build_summary_counts_what_it_left_out(built):
    _, err = built
    summary = next(line for line in err.splitlines() if line.startswith("kb: built"))
    assert "from 2 notes (4 files left out:" in summary
    assert "1 draft: true" in summary and "1 exclude" in summary
    assert "1 at the root without front matter" in summary
    assert "LINK006" in err
