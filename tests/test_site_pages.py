"""Pages and files around the notes: sitemaps, the root's sitemap index and robots.txt, head meta for crawlers and link
previews, the difficulty and tag indexes, previous / next within a MOC."""

from __future__ import annotations

import gzip
import html
import re
from pathlib import Path
from xml.etree import ElementTree

import pytest

from generator.cli import main
from generator.graph.links import build_graph
from generator.notes.load import load_vault
from generator.paths import page_url, tag_pages
from generator.site.render import Renderer
from generator.site.sitemap import sitemap_xml

from .conftest import note_text

SITE_URL = "https://example.org/kb/"
EVIL = '"><script>alert(1)</script>'
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def small_vault(make_vault):
    return make_vault({
        "70-Kotlin/q-a--kotlin--easy.md": note_text(
            id="k-1", title=f"'Alpha {EVIL} / Альфа {EVIL}'", topic="kotlin", difficulty="easy",
            moc="moc-kotlin", summary=f"'Sum {EVIL}'", tags="[kotlin, coroutines, difficulty/easy]",
            body="# Question (EN)\nA?\n## Answer (EN)\nA.\n# Вопрос (RU)\nА?\n## Ответ (RU)\nА.\n"),
        "70-Kotlin/q-b--kotlin--easy.md": note_text(
            id="k-2", title="Beta / Бета", topic="kotlin", difficulty="easy", moc="moc-kotlin",
            tags="[kotlin]", body="# Question (EN)\nB?\n# Вопрос (RU)\nБ?\n"),
        "70-Kotlin/q-c--kotlin--hard.md": note_text(
            id="k-3", title="Gamma / Гамма", topic="kotlin", difficulty="hard", moc="moc-kotlin",
            tags="[kotlin, coroutines]", body="# Question (EN)\nC?\n# Вопрос (RU)\nВ?\n"),
        "10-Concepts/c-flow.md": note_text(
            id="c-1", title="Flow / Поток", kind="concept", tags="[kotlin]",
            body="# Summary (EN)\nFlow.\n# Сводка (RU)\nПоток.\n"),
        "90-MOCs/moc-kotlin.md": note_text(id="m-1", title="Kotlin — MOC", kind="moc",
                                           body="# Kotlin\nOverview.\n"),
    })


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The small vault built with a site_url: both languages, sitemaps, head meta."""
    root = tmp_path_factory.mktemp("small")
    notes = root / "notes"
    files = small_vault(lambda files: _write(notes, files))
    site = root / "site"
    assert main(["build", "--notes", str(files), "--site", str(site),
                 "--site-url", SITE_URL, "--allow-errors"]) == 0
    return site


def _write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return folder


# --- sitemap ---------------------------------------------------------------------------------

@pytest.mark.parametrize("path, url", [
    ("index.md", ""),
    ("topics/index.md", "topics/"),
    ("70-Kotlin/q-a--kotlin--easy.md", "70-Kotlin/q-a--kotlin--easy/"),
    ("Заметки/пример.md", "%D0%97%D0%B0%D0%BC%D0%B5%D1%82%D0%BA%D0%B8/%D0%BF%D1%80%D0%B8%D0%BC%D0%B5%D1%80/"),
], ids=["home", "folder index", "note", "cyrillic"])
def test_page_url_is_the_directory_url(path, url):
    assert page_url(path) == url


def test_sitemap_lists_every_page_of_its_language(built):
    for language in ("en", "ru"):
        text = (built / language / "sitemap.xml").read_text(encoding="utf-8")
        locs = re.findall(r"<loc>(.*?)</loc>", text)
        assert len(locs) >= 10 and len(set(locs)) == len(locs)
        assert all(loc.startswith(f"{SITE_URL}{language}/") for loc in locs)
        assert f"{SITE_URL}{language}/70-Kotlin/q-a--kotlin--easy/" in locs
        assert f"{SITE_URL}{language}/" in locs
        # Translations are paired in each page's head (test_head_has_hreflang_...), not here:
        # Material's instant navigation fetches this file on a reader's first visit.
        assert "<lastmod>" not in text and "hreflang" not in text
        packed = gzip.decompress((built / language / "sitemap.xml.gz").read_bytes())
        assert packed.decode("utf-8") == text


def test_root_has_a_sitemap_index_and_robots_txt_naming_it(built):
    index = ElementTree.fromstring((built / "sitemap.xml").read_bytes())
    assert index.tag == f"{SITEMAP_NS}sitemapindex"
    assert [loc.text for loc in index.iter(f"{SITEMAP_NS}loc")] == [
        f"{SITE_URL}en/sitemap.xml", f"{SITE_URL}ru/sitemap.xml"]
    robots = (built / "robots.txt").read_text(encoding="utf-8")
    assert f"\nSitemap: {SITE_URL}sitemap.xml\n" in robots
    assert "User-agent: *" in robots and "Disallow: /" not in robots


def test_root_index_names_each_language_and_x_default(built):
    root = (built / "index.html").read_text(encoding="utf-8")
    links = dict(re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]*)">', root))
    assert links == {"en": f"{SITE_URL}en/", "ru": f"{SITE_URL}ru/", "x-default": SITE_URL}


def test_sitemap_is_deterministic(built, tmp_path):
    notes = tmp_path / "notes"
    small_vault(lambda files: _write(notes, files))
    again = tmp_path / "site"
    assert main(["build", "--notes", str(notes), "--site", str(again),
                 "--site-url", SITE_URL, "--allow-errors"]) == 0
    for language in ("en", "ru"):
        for name in ("sitemap.xml", "sitemap.xml.gz"):
            assert (again / language / name).read_bytes() == (built / language / name).read_bytes()


def test_sitemap_lists_only_the_pages_of_its_language():
    text = sitemap_xml("en", {"a/": {"en", "ru"}, "b/": {"en"}, "c/": {"ru"}}, "https://x.org")
    assert re.findall(r"<loc>(.*?)</loc>", text) == ["https://x.org/en/a/", "https://x.org/en/b/"]
    assert "xhtml" not in text


def test_no_sitemap_of_ours_without_a_site_url(make_vault, tmp_path):
    site = tmp_path / "site"
    assert main(["build", "--notes", str(small_vault(make_vault)), "--site", str(site),
                 "--allow-errors"]) == 0
    assert "<loc>" not in (site / "en" / "sitemap.xml").read_text(encoding="utf-8")
    assert not (site / "sitemap.xml").exists() and not (site / "robots.txt").exists()
    assert (site / "index.html").exists() and (site / "404.html").exists()


# --- head meta -------------------------------------------------------------------------------

def head_of(built: Path, language: str, url: str) -> str:
    page = (built / language / url / "index.html").read_text(encoding="utf-8")
    return page.split("</head>")[0]


def meta(head: str, name: str) -> list[str]:
    return [html.unescape(value) for value in
            re.findall(rf'<meta property="{re.escape(name)}" content="([^"]*)">', head)]


def test_head_has_hreflang_alternates_canonical_and_open_graph(built):
    url = "70-Kotlin/q-a--kotlin--easy/"
    for language, locale, other in (("en", "en_US", "ru_RU"), ("ru", "ru_RU", "en_US")):
        head = head_of(built, language, url)
        links = dict(re.findall(r'<link rel="alternate ?" hreflang="([\w-]+)" href="([^"]*)">',
                                head))
        assert links == {"en": f"{SITE_URL}en/{url}", "ru": f"{SITE_URL}ru/{url}",
                         "x-default": SITE_URL}
        assert head.count('rel="canonical"') == 1
        assert f'<link rel="canonical" href="{SITE_URL}{language}/{url}">' in head
        assert meta(head, "og:type") == ["article"]
        assert meta(head, "og:locale") == [locale]
        assert meta(head, "og:locale:alternate") == [other]
        assert meta(head, "og:url") == [f"{SITE_URL}{language}/{url}"]
        assert meta(head, "og:description") == [f"Sum {EVIL}"]
    assert meta(head_of(built, "en", url), "og:title") == [f"Alpha {EVIL}"]
    assert meta(head_of(built, "ru", url), "og:title") == [f"Альфа {EVIL}"]


def test_head_meta_escapes_note_text(built):
    head = head_of(built, "en", "70-Kotlin/q-a--kotlin--easy/")
    assert "<script>alert" not in head
    assert '"><' not in head.replace('"><link', "").replace('"><meta', "").replace('"><title', "")


def test_pages_that_are_not_notes_are_websites(built):
    head = head_of(built, "en", "topics/kotlin/")
    assert meta(head, "og:type") == ["website"]


def test_404_page_speaks_its_language(built):
    assert "страница не найдена" in (built / "ru" / "404.html").read_text(encoding="utf-8")
    assert "Page not found" in (built / "en" / "404.html").read_text(encoding="utf-8")


# --- indexes ---------------------------------------------------------------------------------

@pytest.fixture
def pages(make_vault):
    vault = load_vault(small_vault(make_vault))
    graph = build_graph(vault)
    return {language: {page.path: page.markdown for page in Renderer(vault, graph, language).pages()}
            for language in ("en", "ru")}


def test_difficulty_pages_list_the_questions_of_each_level(pages):
    en = pages["en"]
    assert "2 notes" in en["difficulty/easy.md"]
    assert "## Kotlin (2)" in en["difficulty/easy.md"]
    assert "(../70-Kotlin/q-b--kotlin--easy.md)" in en["difficulty/easy.md"]
    assert "1 notes" in en["difficulty/hard.md"]
    assert "0 notes" in en["difficulty/medium.md"]
    assert "# Лёгкий" in pages["ru"]["difficulty/easy.md"]


def test_tag_pages_and_their_index_have_counts(pages):
    en = pages["en"]
    index = en["tags/index.md"]
    assert "[\\#kotlin](kotlin.md) (4)" in index
    # A tag on fewer than three notes has no page: the index lists it with its notes.
    assert "tags/coroutines.md" not in en
    assert "- \\#coroutines: [" in index and "(../70-Kotlin/q-c--kotlin--hard.md)" in index
    assert "difficulty" not in index  # difficulty/* tags have the difficulty pages
    assert "## Easy (" in en["tags/kotlin.md"]
    assert "# Теги" in pages["ru"]["tags/index.md"]


def test_home_links_the_difficulty_and_tag_pages(pages):
    home = pages["en"]["index.md"]
    assert '[Easy](difficulty/easy.md) <span class="kb-count">(2)</span>' in home
    assert '[Hard](difficulty/hard.md) <span class="kb-count">(1)</span>' in home
    assert '(tags/index.md) <span class="kb-count">(2)</span>' in home


def test_tags_whose_slugs_clash_get_pages_of_their_own():
    assert tag_pages(["C++", "c", "c#", "index"]) == {
        "C++": "tags/c.md", "c": "tags/c-2.md", "c#": "tags/c-3.md", "index": "tags/index-2.md"}


def test_question_pages_link_previous_and_next_in_the_moc_order(pages):
    # The MOC lists easy (Alpha, Beta) then hard (Gamma).
    en = pages["en"]
    first, middle, last = (en[f"70-Kotlin/q-{x}.md"] for x in
                           ("a--kotlin--easy", "b--kotlin--easy", "c--kotlin--hard"))
    assert "kb-sequence__previous" not in first
    assert "(q-b--kotlin--easy.md){ .kb-sequence__next" in first
    assert "(q-a--kotlin--easy.md){ .kb-sequence__previous" in middle
    assert "(q-c--kotlin--hard.md){ .kb-sequence__next" in middle
    assert "kb-sequence__next" not in last
    assert "[Kotlin — MOC](../90-MOCs/moc-kotlin.md)" in middle


def test_maps_of_content_have_a_page_of_their_own_with_counts(pages):
    assert "[Kotlin — MOC](../90-MOCs/moc-kotlin.md) (3 notes)" in pages["en"]["mocs/index.md"]
    assert "# Карты тем" in pages["ru"]["mocs/index.md"]


def test_navigation_is_the_same_handful_of_entries_on_every_page(built):
    """The drawer links the list of maps, not every map: the nav is written into every page."""
    for language, mocs in (("en", "Maps of Content"), ("ru", "Карты тем")):
        page = (built / language / "70-Kotlin/q-b--kotlin--easy/index.html").read_text("utf-8")
        nav = page.split('<nav class="md-nav md-nav--primary"', 1)[1].split("</nav>", 1)[0]
        assert re.search(rf'href="../../mocs/"[^>]*>\s*<span class="md-ellipsis">\s*{mocs}', nav)
        assert "moc-kotlin" not in nav
