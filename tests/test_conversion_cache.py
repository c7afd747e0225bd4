"""The conversion cache: a rebuild converts only what changed, and writes the same site."""

from __future__ import annotations

import shutil
from pathlib import Path

import markdown
import pytest

from generator.site.conversion_cache import ConversionCache

from .conftest import REPO_ROOT, build_vault, note_text
from .sitecheck import note_url, page_file, tree

NOTES = REPO_ROOT / "notes"
EDITED = "70-Kotlin/q-launch-vs-async--kotlin--easy.md"


def build(notes: Path, site: Path, cache: Path | None):
    # Without the last build's output (tests/test_previous_build.py), so that every page
    # goes through the conversion cache.
    return build_vault(notes, site, cache, keep_output=False)


@pytest.fixture(scope="module")
def cold(tmp_path_factory):
    """notes/ copied, built once into an empty cache."""
    root = tmp_path_factory.mktemp("cache")
    notes = root / "notes"
    shutil.copytree(NOTES, notes)
    report = build(notes, root / "cold", root / "cache")
    return root, notes, report


def test_a_rebuild_of_the_same_notes_converts_nothing_and_writes_the_same_site(cold):
    root, notes, first = cold
    assert all(hits == 0 and misses > 40 for hits, misses in first.cache.values())
    second = build(notes, root / "warm", root / "cache")
    for language, (hits, misses) in second.cache.items():
        assert (hits, misses) == (first.cache[language][1], 0), language
    assert tree(root / "warm") == tree(root / "cold")


def test_the_same_site_as_a_build_without_cache(cold, tmp_path):
    root, notes, _ = cold
    build(notes, tmp_path / "uncached", None)
    assert tree(tmp_path / "uncached") == tree(root / "cold")


def test_an_edit_converts_the_pages_that_show_what_changed(cold, tmp_path):
    root, _, _ = cold
    notes = tmp_path / "notes"
    shutil.copytree(root / "notes", notes)
    cache = tmp_path / "cache"
    shutil.copytree(root / "cache", cache)
    path = notes / EDITED
    path.write_text(path.read_text(encoding="utf-8").replace(
        "# Question (EN)", "# Question (EN)\n\nA sentence added by the test.", 1),
        encoding="utf-8")
    report = build(notes, tmp_path / "site", cache)
    # The English text changed, not the title: the English page alone; no other page shows it.
    assert report.cache["en"][1] == 1 and report.cache["ru"][1] == 0, report.cache
    page = page_file(tmp_path / "site" / "en", note_url(EDITED))
    assert "A sentence added by the test." in page.read_text(encoding="utf-8")


def test_warnings_are_the_same_from_the_cache(tmp_path, make_vault):
    notes = make_vault({"q-a.md": note_text(
        id="a", title="A / А", body="# Q (EN)\nSee [the other](missing.md).\n# В (RU)\nТекст.")})
    cold = build(notes, tmp_path / "cold", tmp_path / "cache")
    warm = build(notes, tmp_path / "warm", tmp_path / "cache")
    assert warm.cache["en"][1] == 0
    assert any("missing.md" in warning for warning in cold.engine_warnings["en"])
    assert warm.engine_warnings == cold.engine_warnings


def test_a_page_is_converted_again_when_a_file_it_links_to_appears(tmp_path, make_vault):
    notes = make_vault({"q-a.md": note_text(
        id="a", title="A / А", body="# Q (EN)\nSee [b](q-b.md).\n# В (RU)\nСм. [b](q-b.md).")})
    build(notes, tmp_path / "before", tmp_path / "cache")
    before = page_file(tmp_path / "before" / "en", "q-a/").read_text(encoding="utf-8")
    assert 'href="q-b.md"' in before  # MkDocs leaves a link to a missing page as written
    (notes / "q-b.md").write_text(note_text(id="b", title="B / Б", body="# Q (EN)\nB.\n# В (RU)\nБ."),
                                  encoding="utf-8")
    build(notes, tmp_path / "after", tmp_path / "cache")
    after = page_file(tmp_path / "after" / "en", "q-a/").read_text(encoding="utf-8")
    assert 'href="../q-b/"' in after


def test_a_damaged_entry_is_a_page_to_convert_again(cold, tmp_path):
    root, notes, _ = cold
    cache = tmp_path / "cache"
    shutil.copytree(root / "cache", cache)
    entries = sorted((cache / "pages-en").glob("*.json"))
    entries[0].write_text('["<p>half', encoding="utf-8")
    entries[1].write_text('{"not": "an entry"}', encoding="utf-8")
    report = build(notes, tmp_path / "site", cache)
    assert report.cache["en"][1] == 2 and report.cache["ru"][1] == 0
    assert tree(tmp_path / "site") == tree(root / "cold")


def test_the_cache_keeps_only_the_pages_of_the_last_build(cold, tmp_path):
    root, notes, _ = cold
    cache = tmp_path / "cache"
    shutil.copytree(root / "cache", cache)
    (cache / "pages-en" / "0123abc.json").write_text("[]", encoding="utf-8")  # an old page
    report = build(notes, tmp_path / "site", cache)
    assert not (cache / "pages-en" / "0123abc.json").exists()
    assert len(list((cache / "pages-en").glob("*.json"))) == report.cache["en"][0]


def test_another_configuration_starts_an_empty_cache(cold, tmp_path):
    root, notes, _ = cold
    cache = tmp_path / "cache"
    shutil.copytree(root / "cache", cache)
    (cache / "pages-ru" / "FINGERPRINT").write_text("another", encoding="utf-8")
    report = build(notes, tmp_path / "site", cache)
    assert report.cache["ru"][0] == 0 and report.cache["en"][1] == 0
    assert (cache / "pages-ru" / "FINGERPRINT").read_text(encoding="utf-8") != "another"


def test_outside_a_build_the_extension_does_nothing():
    html = markdown.Markdown(extensions=[ConversionCache(), "toc"]).convert("# Title\n\nText.")
    assert html == '<h1 id="title">Title</h1>\n<p>Text.</p>'
