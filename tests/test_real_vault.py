"""The real vault (../shared/corpus/vault-2025-11), built as published: every note gets its
pages, links land on existing pages in the same language, backlinks appear."""

from __future__ import annotations

import html
import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from generator import pipeline
from generator.graph.links import build_graph
from generator.model import Note
from generator.notes.load import load_vault
from generator.paths import page_path
from generator.site.project import SiteOptions

from .sitecheck import links_of, note_url, page_file, resolve

pytestmark = pytest.mark.real_vault


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


# A heading marked for one language, and the first line of text under it with a run of four or
# more words (letters and single spaces only, so that the page shows it as written).
_HEADING = re.compile(r"^#{1,6}\s")
_MARKED = re.compile(r"^#{1,6}\s.*\((EN|RU)\)\s*$", re.IGNORECASE)
_FENCE = re.compile(r"^\s*(```|~~~)")
_WORDS = re.compile(r"[A-Za-zА-Яа-яЁё]+(?: [A-Za-zА-Яа-яЁё]+){3,}")
# An element of the page that says its text is in a language (lang="en").
_LANG = re.compile(r'<(\w+)\b[^>]*\slang="([^"]*)"')


def marked_phrases(note: Note) -> dict[str, list[str]]:
    """For each section of the note's body marked (EN) or (RU), the longest run of words of
    its first line that has one: by language. A run that is anywhere else in the note's file
    (its title, another section) is passed over, so that finding it on a page can only mean
    that this section is there."""
    whole = note.path.read_text(encoding="utf-8")
    found: dict[str, list[str]] = {"en": [], "ru": []}
    language = fence = None
    for line in note.body.splitlines():
        if (opening := _FENCE.match(line)):
            fence = None if fence == opening.group(1) else fence or opening.group(1)
            continue
        if fence:
            continue
        if _HEADING.match(line):
            marked = _MARKED.match(line)
            language = marked.group(1).lower() if marked else None
            continue
        runs = [run for run in _WORDS.findall(line) if whole.count(run) == 1]
        if language and runs:
            found[language].append(max(runs, key=len))
            language = None  # one phrase per section
    return found


def text_in(page: Path, language: str) -> str:
    """The text of a page's article in `language`: what is inside an element marked with
    another language's lang attribute (a part shown untranslated) is left out."""
    html_text = page.read_text("utf-8")
    article = html_text.split("<article", 1)[1].split("</article>", 1)[0]
    kept, position = [], 0
    while (element := _LANG.search(article, position)):
        if element.group(2) == language:
            kept.append(article[position:element.end()])
            position = element.end()
            continue
        kept.append(article[position:element.start()])
        tag, depth = element.group(1), 0
        for tag_match in re.finditer(rf"<(/?){tag}\b[^>]*>", article[element.start():]):
            depth += -1 if tag_match.group(1) else 1
            if depth == 0:
                break
        position = element.start() + tag_match.end()
    kept.append(article[position:])
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", "".join(kept))).split())


def test_each_language_page_holds_its_own_sections_and_not_the_others(real_site, real_vault):
    """Every note with sections marked (EN) and (RU): the English page shows each English
    section's text and none of the Russian sections' text, unless under another language's
    lang attribute (a part the page's language lacks, shown untranslated), and the other way
    round. The badges and headings that name a note's parts in the page's language prove
    nothing about the body, so the check reads the body's own text."""
    checked = 0
    for note in real_vault.notes:
        phrases = marked_phrases(note)
        if not (phrases["en"] and phrases["ru"]):
            continue
        checked += 1
        pages = {language: text_in(page_file(real_site / language, note_url(note.key)), language)
                 for language in ("en", "ru")}
        for language, other in (("en", "ru"), ("ru", "en")):
            for phrase in phrases[language]:
                assert phrase in pages[language], (note.key, language, phrase)
                assert phrase not in pages[other], (note.key, other, phrase)
    assert checked > 1000


def test_a_rebuild_after_an_edit_writes_what_a_full_build_writes(
        real_vault_site, corpus, real_vault, tmp_path):
    """An author retitles the most linked note and adds a sentence to it. The rebuild that
    starts from the real site's cache (a copy: the session's site stays as it was built) writes
    only the pages that show the note, and its site is byte for byte the site of a build that
    renders every page."""
    cache = tmp_path / "cache"
    # cp -a: the copy keeps the cache's hard links (kept output) as they are.
    subprocess.run(["cp", "-a", str(real_vault_site.cache), str(cache)], check=True)
    graph = build_graph(real_vault)
    key = max(graph.graph.nodes, key=lambda k: (len(graph.backlinks(k)), k))
    notes = tmp_path / "vault"
    shutil.copytree(corpus, notes)
    path = notes / real_vault.by_key()[key].path.relative_to(real_vault.root)
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"^title: ", "title: Retitled ", text, count=1, flags=re.M)
    path.write_text(text.replace("\n# ", "\n\nA sentence an author added.\n\n# ", 1),
                    encoding="utf-8")
    options = SiteOptions(cache_dir=cache)
    rebuilt = pipeline.build(notes, tmp_path / "site", allow_errors=True, options=options)
    full = pipeline.build(notes, tmp_path / "full", allow_errors=True,
                          options=SiteOptions(cache_dir=cache, keep_output=False))
    assert 2 <= rebuilt.pages["en"] - rebuilt.kept["en"] < rebuilt.pages["en"] / 4
    assert full.kept == {"en": 0, "ru": 0}
    site, whole = tmp_path / "site", tmp_path / "full"
    files = sorted(p.relative_to(site) for p in site.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(whole) for p in whole.rglob("*") if p.is_file())
    assert [f for f in files if (site / f).read_bytes() != (whole / f).read_bytes()] == []
