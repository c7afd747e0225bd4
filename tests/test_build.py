"""The whole pipeline on the embedded vault, as a reader and as CI see it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.cli import main
from generator.notes.load import load_vault

from .conftest import REPO_ROOT
from .sitecheck import links_of, note_url, page_file, resolve

NOTES = REPO_ROOT / "notes"


@pytest.fixture(scope="module")
def site(notes_site) -> Path:
    """notes/ built once for the session (conftest.py)."""
    return notes_site.folder


def test_every_note_has_one_page_per_language(site):
    vault = load_vault(NOTES)
    assert len(vault.notes) >= 40
    for note in vault.notes:
        for language in ("en", "ru"):
            assert page_file(site / language, note_url(note.key)), (language, note.key)


def test_root_sends_readers_to_their_language(site):
    root = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="en/"' in root and 'href="ru/"' in root and "navigator.languages" in root


def test_pages_declare_their_language(site):
    page = page_file(site / "ru", note_url("10-Concepts/c-coroutines.md"))
    html = page.read_text(encoding="utf-8")
    assert '<html lang="ru"' in html
    assert "<h1" in html and "Корутины" in html


def test_links_in_articles_go_to_existing_pages_of_the_same_language(site):
    checked = 0
    for language in ("en", "ru"):
        tree = site / language
        for html_file in tree.rglob("*.html"):
            if "pagefind" in html_file.parts:
                continue
            for href in links_of(html_file, in_article=True):
                target = resolve(site, html_file, href)
                if target is None:
                    continue
                other = "ru" if language == "en" else "en"
                if target.startswith(f"/{other}/"):
                    continue  # the "read it in the other language" notice
                assert target.startswith(f"/{language}/"), (html_file, href)
                assert page_file(site, target), (html_file, href)
                checked += 1
    assert checked > 500


def test_language_switcher_keeps_the_page(site):
    key = "70-Kotlin/q-launch-vs-async--kotlin--easy.md"
    html_file = page_file(site / "en", note_url(key))
    switch = [href for href in links_of(html_file) if "/ru/" in href or href.startswith("../ru")]
    assert switch, "no link to the Russian page"
    assert resolve(site, html_file, switch[0]) == "/ru/" + note_url(key)


def test_backlinks_and_related_appear(site):
    html = page_file(site / "en", note_url("10-Concepts/c-coroutines.md")).read_text("utf-8")
    assert "Linked from" in html
    html = page_file(site / "ru", note_url("10-Concepts/c-coroutines.md")).read_text("utf-8")
    assert "Ссылаются сюда" in html


def test_english_only_note_is_published_in_russian_with_a_notice(site):
    html = page_file(site / "ru", note_url("60-CompSci/q-big-o-common-collections--cs--easy.md"))
    text = html.read_text(encoding="utf-8")
    assert "Перевод пока не готов" in text


def test_search_index_per_language(site):
    for language in ("en", "ru"):
        assert (site / language / "pagefind" / "pagefind.js").is_file()


def _previous_site(out: Path) -> Path:
    """A site as an earlier build left it (the build replaces only such a folder), marked."""
    for language in ("en", "ru"):
        (out / language).mkdir(parents=True)
    (out / "index.html").write_text("<!doctype html>")
    (out / "marker.txt").write_text("previous site")
    return out


def test_build_refuses_a_vault_with_errors_and_keeps_the_old_site(tmp_path, make_vault, capsys):
    notes = make_vault({"q.md": "---\ntitle: [broken\n---\n# Question (EN)\nx\n"})
    out = _previous_site(tmp_path / "site")
    assert main(["build", "--notes", str(notes), "--site", str(out)]) == 1
    assert (out / "marker.txt").read_text() == "previous site"
    err = capsys.readouterr().err
    assert "q.md:2:" in err and "FM007" in err and "not published" in err
    assert not list(tmp_path.glob(".site.building-*"))


def test_allow_errors_publishes_every_note_and_prints_errors(tmp_path, make_vault, capsys):
    notes = make_vault({
        "q.md": "---\ntitle: [broken\n---\n# Question (EN)\nBody kept.\n",
        "a/c.md": "no front matter\n",  # in a folder: at the root it would be no note
    })
    out = tmp_path / "site"
    assert main(["build", "--notes", str(notes), "--site", str(out), "--allow-errors"]) == 0
    assert "FM007" in capsys.readouterr().err
    for language in ("en", "ru"):
        assert page_file(out / language, "q/") and page_file(out / language, "a/c/")
    assert "Body kept." in page_file(out / "en", "q/").read_text("utf-8")


def test_failed_engine_leaves_previous_site(tmp_path, make_vault, monkeypatch):
    notes = make_vault({"q.md": "---\ntitle: ok\n---\ntext\n"})
    out = _previous_site(tmp_path / "site")

    def explode(*args, **kwargs):
        raise RuntimeError("boom in the middle of rendering")

    monkeypatch.setattr("generator.site.workers.per_language", explode)
    with pytest.raises(RuntimeError):
        main(["build", "--notes", str(notes), "--site", str(out)])
    assert sorted(p.name for p in out.iterdir()) == ["en", "index.html", "marker.txt", "ru"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []


@pytest.mark.parametrize(("argv", "status"), [
    (["build", "--notes", "/nonexistent/folder"], 2),
    (["validate", "--notes", "/nonexistent/folder"], 2),
    (["build", "--bogus"], 2),
    (["frobnicate"], 2),
])
def test_usage_errors_exit_2(argv, status):
    try:
        assert main(argv) == status
    except SystemExit as exit_:  # argparse's own usage errors
        assert exit_.code == status


def test_keep_project_emits_a_plain_mkdocs_project(tmp_path):
    project = tmp_path / "project"
    notes = tmp_path / "notes"
    shutil.copytree(NOTES, notes)
    assert main(["build", "--notes", str(notes), "--site", str(tmp_path / "site"),
                 "--keep-project", str(project)]) == 0
    config = (project / "ru" / "mkdocs.yml").read_text(encoding="utf-8")
    assert "INHERIT:" in config and "language: ru" in config and "plugins: []" in config
    assert (project / "ru" / "docs" / "10-Concepts" / "c-coroutines.md").is_file()


def test_image_embeds_are_copied_and_shown(tmp_path, make_vault):
    notes = make_vault({"a/q.md": "---\ntitle: Q / В\n---\n# Question (EN)\n![[diagram.png]]\n"
                                  "# Вопрос (RU)\n![[diagram.png|схема]]\n"})
    (notes / "a" / "diagram.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    out = tmp_path / "site"
    assert main(["build", "--notes", str(notes), "--site", str(out)]) == 0
    for language in ("en", "ru"):
        html = page_file(out / language, "a/q/").read_text("utf-8")
        assert '<img alt="' in html and 'src="../diagram.png"' in html
        assert (out / language / "a" / "diagram.png").is_file()
