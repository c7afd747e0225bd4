"""The real vault (../shared/corpus/vault-2025-11), built as published: every note gets its
pages, links land on existing pages in the same language, backlinks appear."""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import pytest

from generator import pipeline
from generator.cli import main
from generator.graph.links import build_graph
from generator.notes.load import load_vault
from generator.paths import page_path
from generator.site.engine import SiteOptions

from .sitecheck import links_of, note_url, page_file, resolve

pytestmark = pytest.mark.real_vault


@pytest.fixture(scope="session")
def real_site(corpus, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("real") / "site"
    assert main(["build", "--notes", str(corpus), "--site", str(out), "--allow-errors"]) == 0
    return out


@pytest.fixture(scope="session")
def real_vault(corpus):
    return load_vault(corpus)


def test_every_note_has_exactly_one_page_per_language(real_site, real_vault):
    assert len(real_vault.notes) > 1300
    for language in ("en", "ru"):
        pages = {p.relative_to(real_site / language).parent.as_posix() + "/"
                 for p in (real_site / language).rglob("index.html")}
        for note in real_vault.notes:
            assert note_url(note.key) in pages, (language, note.key)


def test_sampled_wikilinks_and_related_point_to_existing_pages(real_site, real_vault):
    graph = build_graph(real_vault)
    rng = random.Random(7)
    edges = [(s, t, d["kinds"]) for s, t, d in graph.graph.edges(data=True)]
    sample = rng.sample([e for e in edges if "wikilink" in e[2]], 60) + \
        rng.sample([e for e in edges if "related" in e[2]], 60)
    for source, target, kinds in sample:
        for language in ("en", "ru"):
            html_file = page_file(real_site / language, note_url(source))
            targets = {resolve(real_site, html_file, href) for href in links_of(html_file, True)}
            expected = f"/{language}/" + note_url(page_path(target))
            assert expected in targets, (language, source, target, kinds)
            assert page_file(real_site, expected)


def test_backlinks_appear_on_linked_pages(real_site, real_vault):
    graph = build_graph(real_vault)
    rng = random.Random(3)
    linked = [key for key in graph.graph.nodes if graph.backlinks(key)]
    for key in rng.sample(linked, 30):
        source = graph.backlinks(key)[0]
        for language, heading in (("en", "Linked from"), ("ru", "Ссылаются сюда")):
            html = page_file(real_site / language, note_url(key)).read_text("utf-8")
            assert heading in html
            html_file = page_file(real_site / language, note_url(key))
            targets = {resolve(real_site, html_file, h) for h in links_of(html_file, True)}
            assert f"/{language}/" + note_url(source) in targets


def test_russian_pages_hold_russian_text_and_english_pages_english(real_site, real_vault):
    rng = random.Random(11)
    for note in rng.sample(list(real_vault.notes), 40):
        en = page_file(real_site / "en", note_url(note.key)).read_text("utf-8")
        ru = page_file(real_site / "ru", note_url(note.key)).read_text("utf-8")
        if "(RU)" in note.body and "(EN)" in note.body:
            assert "Ответ" in ru or "Сводка" in ru or "Краткое" in ru or "Вопрос" in ru, note.key
            assert ">Answer<" in en or ">Summary<" in en or ">Question<" in en, note.key


def test_a_rebuild_after_an_edit_writes_what_a_full_build_writes(
        real_site, corpus, real_vault, conversion_cache, tmp_path):
    """An author retitles the most linked note and adds a sentence to it. The rebuild after
    `real_site` (same cache) writes only the pages that show the note, and its site is byte for
    byte the site of a build that renders every page."""
    graph = build_graph(real_vault)
    key = max(graph.graph.nodes, key=lambda k: (len(graph.backlinks(k)), k))
    notes = tmp_path / "vault"
    shutil.copytree(corpus, notes)
    path = notes / real_vault.by_key()[key].path.relative_to(real_vault.root)
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"^title: ", "title: Retitled ", text, count=1, flags=re.M)
    path.write_text(text.replace("\n# ", "\n\nA sentence an author added.\n\n# ", 1),
                    encoding="utf-8")
    options = SiteOptions(cache_dir=conversion_cache)
    rebuilt = pipeline.build(notes, tmp_path / "site", allow_errors=True, options=options)
    full = pipeline.build(notes, tmp_path / "full", allow_errors=True,
                          options=SiteOptions(cache_dir=conversion_cache, keep_output=False))
    assert 2 <= rebuilt.pages["en"] - rebuilt.kept["en"] < rebuilt.pages["en"] / 4
    assert full.kept == {"en": 0, "ru": 0}
    site, whole = tmp_path / "site", tmp_path / "full"
    files = sorted(p.relative_to(site) for p in site.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(whole) for p in whole.rglob("*") if p.is_file())
    assert [f for f in files if (site / f).read_bytes() != (whole / f).read_bytes()] == []
