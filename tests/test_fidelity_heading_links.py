"""A wikilink to a heading lands on that heading: on the id MkDocs gives it on the linked page
in the same language (an attribute list's `{#id}`, else the slug of the heading as that page
shows it, made unique as toc does), found by the heading's text as Obsidian matches it (its
`{…}` left out); a heading that page does not show gets no anchor, or the same known section
in the page's language (site/note_body.py, heading_ids)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest

from .conftest import note_text
from .fidelity import Article, article, build_small_vault
from .sitecheck import links_of, note_url, page_file

TARGET = "10-Concepts/c-setup.md"
SOURCE = "70-Kotlin/q-links--kotlin--easy.md"
FILES = {
    TARGET: note_text(id="c-1", title="Setup / Настройка", kind="concept", body="""
        ## Summary (EN)
        How to set the tool up.

        ## Краткое описание (RU)
        Как настроить инструмент.

        ## Installation {#install}
        Shared steps. Back to [[#Installation]], to [[#Installation {#install}|itself]], to
        [[#Configuration (EN)|the configuration]] and to [[#Setup|setup]].

        ## Configuration (EN) {#config-en}
        English configuration.

        ## Конфигурация (RU) {#config-ru}
        Русская конфигурация.

        ## Setup
        A heading that says the English title again, after text: on the English page its id
        is the title's plus `_1`.

        ## References
        - https://example.org
        """),
    SOURCE: note_text(id="q-1", title="Links / Ссылки", kind="question", body="""
        # Question (EN)
        Where?
        ## Answer (EN)
        See [[c-setup#Installation|install]], [[c-setup#Configuration (EN)|config]],
        [[c-setup#Конфигурация (RU)|konfig]], [[c-setup#Summary (EN)|summary]],
        [[c-setup#References|refs]] and [[c-setup#Setup|again]].
        # Вопрос (RU)
        Где?
        ## Ответ (RU)
        См. [[c-setup#Installation|установку]], [[c-setup#Configuration (EN)|config]],
        [[c-setup#Конфигурация (RU)|konfig]], [[c-setup#Summary (EN)|summary]],
        [[c-setup#References|refs]] и [[c-setup#Setup|again]].
        """),
}

EXPECTED = {  # link text -> the anchor it goes to on the linked page, per language
    "en": {"install": "install", "config": "config-en", "konfig": None, "summary": "summary",
           "refs": "references", "again": "setup_1"},
    "ru": {"установку": "install", "config": None, "konfig": "config-ru",
           "summary": "краткое-описание", "refs": "ссылки", "again": "setup"},
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_small_vault(tmp_path_factory.mktemp("heading-links"), FILES)


def _links(site: Path, language: str, key: str) -> dict[str, str]:
    """{link text: href} of the article's links."""
    page = page_file(site / language, note_url(key))
    assert page is not None
    found: dict[str, str] = {}

    class Reader(Article):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            super().handle_starttag(tag, attrs)
            self._href = dict(attrs).get("href") if tag == "a" else getattr(self, "_href", None)

        def handle_data(self, data: str) -> None:
            super().handle_data(data)
            if getattr(self, "_href", None) and data.strip():
                found.setdefault(data.strip(), self._href or "")

        def handle_endtag(self, tag: str) -> None:
            super().handle_endtag(tag)
            if tag == "a":
                self._href = None

    Reader(page.read_text(encoding="utf-8"))
    return found


@pytest.mark.parametrize("language", ["en", "ru"])
def test_links_to_headings_land_on_their_ids(site, language):
    links = _links(site, language, SOURCE)
    for text, expected in EXPECTED[language].items():
        fragment = urlparse(links[text]).fragment
        assert unquote(fragment) == (expected or ""), (text, links[text])


@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize("key", [SOURCE, TARGET])
def test_every_anchor_in_a_page_is_on_the_page_it_links_to(site, language, key):
    page = page_file(site / language, note_url(key))
    assert page is not None
    base = "/" + page.relative_to(site).as_posix()
    for href in links_of(page, in_article=True):
        url = urlparse(urljoin(base, href))
        if not url.fragment or url.scheme or href.startswith("../../../"):
            continue  # no anchor, another site, the other language's page
        target = Article(page_file(site, url.path).read_text(encoding="utf-8"))  # type: ignore[union-attr]
        assert unquote(url.fragment) in target.ids, (key, href)


def test_links_within_a_note_to_its_own_headings(site):
    en = _links(site, "en", TARGET)
    assert unquote(en["Installation"]) == "#install"
    assert unquote(en["itself"]) == "#install"
    assert unquote(en["the configuration"]) == "#config-en"
    assert unquote(en["setup"]) == "#setup_1"
    ru = article(site, "ru", TARGET)
    assert {"install", "config-ru", "setup"} <= ru.ids and "config-en" not in ru.ids
