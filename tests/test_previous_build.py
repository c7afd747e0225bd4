"""A rebuild starts from the last build's output and rewrites only the pages whose Markdown
changed (generator/site/previous_build.py), and its site is the site a build from nothing writes."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.site import search_index

from .conftest import REPO_ROOT, note_text
from .conftest import build_vault as build
from .sitecheck import note_url, page_file, tree

NOTES = REPO_ROOT / "notes"
EDITED = "70-Kotlin/q-launch-vs-async--kotlin--easy.md"


@pytest.fixture(scope="module")
def first(tmp_path_factory):
    """notes/ copied and built once with an empty cache."""
    root = tmp_path_factory.mktemp("previous")
    notes = root / "notes"
    shutil.copytree(NOTES, notes)
    report = build(notes, root / "site", root / "cache")
    return root, notes, report


@pytest.fixture
def copy(first, tmp_path):
    """The first build's notes, cache and published site, copied for a test to change, by one
    `cp -a`: the published site and the kept output share their files in the copy too."""
    root, _, _ = first
    subprocess.run(["cp", "-a", *(str(root / name) for name in ("notes", "cache", "site")),
                    str(tmp_path)], check=True)
    return tmp_path


def rebuild_from_nothing(notes: Path, tmp_path: Path) -> dict[str, bytes]:
    build(notes, tmp_path / "from-nothing", None)
    return tree(tmp_path / "from-nothing")


def test_the_first_build_keeps_its_output(first):
    root, _, report = first
    assert report.kept == {"en": 0, "ru": 0}
    for language in ("en", "ru"):
        assert (root / "cache" / f"site-{language}" / "index.html").is_file()


def test_the_kept_output_is_no_second_copy_on_disk(first):
    """The kept output is hard links to the published files, not copies of them."""
    root, _, _ = first
    published = page_file(root / "site" / "en", note_url(EDITED))
    kept = root / "cache" / "site-en" / published.relative_to(root / "site" / "en")
    assert published.stat().st_ino == kept.stat().st_ino


def test_a_rebuild_of_the_same_notes_keeps_every_page(copy, tmp_path):
    before = tree(copy / "site")
    report = build(copy / "notes", copy / "site", copy / "cache")
    assert report.kept == report.pages and all(report.pages.values())
    assert all(misses == 0 for _, misses in report.cache.values())
    assert tree(copy / "site") == before == rebuild_from_nothing(copy / "notes", tmp_path)


def test_an_edited_title_rebuilds_the_pages_that_show_it(copy, tmp_path):
    """A title is shown by the note's page and by every page that lists or links the note: the
    rebuild rewrites those, keeps the others, and writes what a build from nothing writes. The
    English title changed ("English / Russian"): the Russian pages are all kept."""
    path = copy / "notes" / EDITED
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: ", "title: Edited ", 1), encoding="utf-8")
    report = build(copy / "notes", copy / "site", copy / "cache")
    assert 2 <= report.pages["en"] - report.kept["en"] < report.pages["en"] / 2
    assert report.kept["ru"] == report.pages["ru"]
    page = page_file(copy / "site" / "en", note_url(EDITED)).read_text(encoding="utf-8")
    assert "Edited " in page
    assert tree(copy / "site") == rebuild_from_nothing(copy / "notes", tmp_path)


def test_a_new_note_and_a_deleted_one_build_every_page_again(copy, tmp_path):
    """Links are written by whether their target exists: another set of files is a full build
    (from the conversion cache), with no page of the deleted note left behind."""
    (copy / "notes" / EDITED).unlink()
    (copy / "notes" / "70-Kotlin" / "q-added--kotlin--easy.md").write_text(note_text(
        id="q-added", title="Added / Добавлено", topic="kotlin", difficulty="easy",
        body="# Question (EN)\nAdded?\n# Вопрос (RU)\nДобавлено?"), encoding="utf-8")
    report = build(copy / "notes", copy / "site", copy / "cache")
    assert report.kept == {"en": 0, "ru": 0}
    assert page_file(copy / "site" / "en", note_url(EDITED)) is None
    assert tree(copy / "site") == rebuild_from_nothing(copy / "notes", tmp_path)


def test_another_configuration_builds_every_page_again(copy, tmp_path):
    report = build(copy / "notes", copy / "site", copy / "cache",
                   site_url="https://example.org/kb/")
    assert report.kept == {"en": 0, "ru": 0}
    assert "https://example.org/kb/en/" in (copy / "site" / "en" / "index.html").read_text(
        encoding="utf-8")
    # With a site URL the engine replaces MkDocs' sitemaps after the build; the next build
    # still finds the kept output as it was left.
    again = build(copy / "notes", copy / "site", copy / "cache",
                  site_url="https://example.org/kb/")
    assert again.kept == again.pages


def test_a_failed_rebuild_changes_neither_the_site_nor_what_the_next_build_starts_from(
        copy, tmp_path, monkeypatch):
    """MkDocs writes its files in place; the rebuild's site shares files with the published
    one. A rebuild that fails after MkDocs has written its pages must leave the published site
    byte for byte as it was, and the next rebuild must still be right."""
    published = tree(copy / "site")
    path = copy / "notes" / EDITED
    path.write_text(path.read_text(encoding="utf-8").replace(
        "title: ", "title: Edited ", 1), encoding="utf-8")

    def fail(site_dir, language):
        raise RuntimeError("search index failed")

    monkeypatch.setattr(search_index, "index_site", fail)
    with pytest.raises(RuntimeError, match="search index failed"):
        build(copy / "notes", copy / "site", copy / "cache")
    assert tree(copy / "site") == published
    monkeypatch.undo()
    report = build(copy / "notes", copy / "site", copy / "cache")
    assert 0 < report.kept["en"] < report.pages["en"]
    assert tree(copy / "site") == rebuild_from_nothing(copy / "notes", tmp_path)


def test_a_published_file_rewritten_in_place_is_not_kept(copy, tmp_path):
    """A tool that rewrites a page of site/ in place after the build (a minifier, say) rewrites
    the kept output with it, since they are one file: the next build sees it and starts afresh,
    instead of publishing the rewritten page as its own."""
    page = page_file(copy / "site" / "en", note_url(EDITED))
    with open(page, "a", encoding="utf-8") as rewritten:
        rewritten.write("<!-- added after the build -->")
    report = build(copy / "notes", copy / "site", copy / "cache")
    assert report.kept == {"en": 0, "ru": report.pages["ru"]}
    assert tree(copy / "site") == rebuild_from_nothing(copy / "notes", tmp_path)


def test_a_cache_on_another_file_system_is_copied_and_still_kept(copy, tmp_path, monkeypatch):
    """Hard links cannot cross file systems: the kept output is then copied with its files'
    times, and the next build still starts from it."""
    def no_link(source, target):
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr("generator.site.previous_build.os.link", no_link)
    path = copy / "notes" / EDITED
    path.write_text(path.read_text(encoding="utf-8").replace(
        "title: ", "title: Edited ", 1), encoding="utf-8")
    report = build(copy / "notes", copy / "site", copy / "cache")
    assert 0 < report.kept["en"] < report.pages["en"]
    published = page_file(copy / "site" / "en", note_url(EDITED))
    kept = copy / "cache" / "site-en" / published.relative_to(copy / "site" / "en")
    assert published.stat().st_ino != kept.stat().st_ino
    again = build(copy / "notes", copy / "site", copy / "cache")
    assert again.kept == again.pages
    assert tree(copy / "site") == rebuild_from_nothing(copy / "notes", tmp_path)


def test_the_readme_build_with_relative_folders_keeps_its_output(tmp_path, monkeypatch, capsys):
    """`make site` runs `build --notes notes --site site` with the default cache folder,
    `.cache/kb`, all relative to the working directory."""
    from generator.cli import main

    shutil.copytree(NOTES, tmp_path / "notes")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("KB_CACHE_DIR")
    for _ in range(2):
        assert main(["build", "--notes", "notes", "--site", "site"]) == 0
    last = capsys.readouterr().err.strip().splitlines()[-1]
    pages = re.search(r"pages (\d+) en, (\d+) ru \(0 converted, 0 from the cache, (\d+) kept", last)
    assert pages and int(pages[1]) + int(pages[2]) == int(pages[3]), last
    assert (tmp_path / ".cache" / "kb" / "site-en" / "index.html").is_file()


def test_kept_pages_report_their_warnings_again(tmp_path, make_vault):
    notes = make_vault({"q-a.md": note_text(
        id="a", title="A / А", body="# Q (EN)\nSee [the other](missing.md).\n# В (RU)\nТекст."),
        "q-b.md": note_text(id="b", title="B / Б", body="# Q (EN)\nB.\n# В (RU)\nБ.")})
    first = build(notes, tmp_path / "site", tmp_path / "cache")
    again = build(notes, tmp_path / "site", tmp_path / "cache")
    assert again.kept == again.pages
    assert any("missing.md" in warning for warning in first.engine_warnings["en"])
    assert again.engine_warnings == first.engine_warnings


def test_without_keep_output_every_page_is_built(first, copy):
    """Every page goes through MkDocs again, converted from the conversion cache."""
    report = build(copy / "notes", copy / "site", copy / "cache", keep_output=False)
    assert report.kept == {"en": 0, "ru": 0}
    assert report.cache == {language: (misses, 0)
                            for language, (_, misses) in first[2].cache.items()}
