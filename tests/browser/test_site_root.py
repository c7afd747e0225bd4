"""The site's root as a reader meets it: the 404 a static host serves for a missing address,
the language the root sends a returning reader to, and a note's contents on a phone."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import LOCAL_HOST, PageLog, QuietHandler

NOTE = "70-Kotlin/q-coroutine-cancellation--kotlin--hard/"
HEADINGS = {"en": "404 — Page not found", "ru": "404 — страница не найдена"}
HOME_LINKS = {"en": "Home", "ru": "Главная"}


class _PagesHandler(QuietHandler):
    """Answers a missing path with the site root's 404.html, as GitHub Pages does."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None
                   ) -> None:
        if code != 404:
            super().send_error(code, message, explain)
            return
        body = (Path(self.directory) / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@pytest.fixture(scope="module")
def pages_host(built_site) -> Iterator[str]:
    """The built site served as a static host with a custom 404 serves it."""
    handler = functools.partial(_PagesHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer((LOCAL_HOST, 0), handler)
    threading.Thread(target=server.serve_forever, name="pages-host", daemon=True).start()
    yield f"http://{LOCAL_HOST}:{server.server_port}"
    server.shutdown()
    server.server_close()


def forget_expected_404(page_log: PageLog) -> None:
    """Chromium logs the 404 status of the page itself as a console error: expected here."""
    page_log.console_errors[:] = [text for text in page_log.console_errors
                                  if "status of 404" not in text]


def visible_texts(page: Any, selector: str) -> list[str]:
    return [element.inner_text().strip() for element in page.locator(selector).all()
            if element.is_visible()]


@pytest.mark.parametrize("path, locale, saved, language", [
    ("/ru/no-such-note/", "en-US", None, "ru"),
    ("/en/70-Kotlin/gone/deeper/page.html", "ru-RU", None, "en"),
    ("/old-address/", "ru-RU", None, "ru"),
    ("/old-address/", "en-US", None, "en"),
    ("/old/address", "en-US", "ru", "ru"),
], ids=["ru path, en browser", "en path, ru browser", "ru browser", "en browser",
        "saved choice"])
def test_missing_address_shows_the_404_in_the_readers_language(new_page, pages_host, page_log,
                                                               path, locale, saved, language):
    page = new_page(locale=locale)
    if saved:
        page.goto(f"{pages_host}/404.html")
        page.evaluate("language => localStorage.setItem('kb-language', language)", saved)
    response = page.goto(f"{pages_host}{path}")
    assert response.status == 404
    assert visible_texts(page, "h1") == [HEADINGS[language]]
    assert page.evaluate("document.documentElement.lang") == language
    home = page.get_by_role("link", name=HOME_LINKS[language], exact=True)
    assert home.is_visible() and home.get_attribute("href") == f"/{language}/"
    forget_expected_404(page_log)


@pytest.mark.parametrize("language, query, found", [
    ("ru", "корутин", "Найдено"), ("en", "coroutine", "matching document"),
])
def test_the_404_search_box_searches_that_language(new_page, pages_host, page_log, language,
                                                   query, found):
    page = new_page(locale="ru-RU" if language == "ru" else "en-US")
    page.goto(f"{pages_host}/{language}/no-such-note/")
    box = page.get_by_role("searchbox").locator("visible=true")
    box.fill(query)
    box.press("Enter")
    page.wait_for_url(f"{pages_host}/{language}/**")
    page.wait_for_function("document.getElementById('__search').checked")
    meta = page.locator("[data-kb-search-result] .md-search-result__meta")
    page.wait_for_function(
        "found => document.querySelector('[data-kb-search-result] .md-search-result__meta')"
        ".textContent.includes(found)", arg=found)
    assert found in meta.inner_text()
    forget_expected_404(page_log)


@pytest.mark.parametrize("language, suggestions", [
    ("en", ["Home", "Topics", "Study"]), ("ru", ["Главная", "Темы", "Тренировка"]),
])
def test_a_languages_own_404_offers_search_and_its_pages(page, site_url, page_log, language,
                                                         suggestions):
    page.goto(f"{site_url}/{language}/404.html")
    form = page.locator("article form[role=search]")
    assert form.get_attribute("action").startswith(f"/{language}/")
    links = page.locator("article li a").all_inner_texts()
    assert all(name in links for name in suggestions), links
    page.locator("article li a", has_text=suggestions[1]).click()
    page.wait_for_url(f"{site_url}/{language}/topics/")


def test_the_root_sends_a_reader_to_the_language_last_read(new_page, site_url):
    page = new_page(locale="en-US")
    page.goto(f"{site_url}/")
    page.wait_for_url(f"{site_url}/en/")
    page.goto(f"{site_url}/ru/{NOTE}")
    page.goto(f"{site_url}/")
    page.wait_for_url(f"{site_url}/ru/")
    page.goto(f"{site_url}/en/topics/")  # and back: the last one read wins
    page.goto(f"{site_url}/")
    page.wait_for_url(f"{site_url}/en/")


def open_contents_in_drawer(page: Any) -> None:
    page.locator("label.md-header__button[for=__drawer]").click()
    entry = page.locator(".md-nav--primary label.md-nav__link[for=__toc]")
    entry.wait_for()
    entry.click()


@pytest.mark.parametrize("language, heading", [("en", "Answer"), ("ru", "Ответ")])
def test_a_phone_reaches_a_notes_headings_from_the_drawer(new_page, site_url, language,
                                                          heading):
    page = new_page(width=390, height=844)
    page.goto(f"{site_url}/{language}/{NOTE}")
    open_contents_in_drawer(page)
    link = page.locator(".md-nav--primary .md-nav--secondary a", has_text=heading).first
    link.wait_for()
    link.click()
    page.wait_for_function("() => location.hash.length > 1")
    heading_top = ("document.getElementById(decodeURIComponent(location.hash.slice(1)))"
                   ".getBoundingClientRect().top")
    page.wait_for_function(f"() => {heading_top} < 200")  # scrolled to, not left below
    assert page.evaluate(heading_top) >= 0
    assert page.locator("article h2, article h3", has_text=heading).first.is_visible()


def test_the_drawers_contents_follow_instant_navigation(new_page, site_url, built_site):
    if "<loc>" not in (built_site / "en" / "sitemap.xml").read_text(encoding="utf-8"):
        pytest.skip("the site was built without site_url: no instant navigation")
    page = new_page(width=390, height=844)
    page.goto(f"{site_url}/en/topics/kotlin/")
    page.wait_for_load_state("networkidle")  # Material has read the sitemap
    page.evaluate("window.kbSamePage = true")
    page.locator("article a[href*='q-coroutine-cancellation']").first.click()
    page.wait_for_url(f"{site_url}/en/{NOTE}")
    open_contents_in_drawer(page)
    assert page.locator(".md-nav--primary .md-nav--secondary a",
                        has_text="Follow-ups").first.is_visible()
    assert page.evaluate("window.kbSamePage === true"), "the page was reloaded"


def test_desktop_navigation_is_unchanged(page, site_url):
    page.goto(f"{site_url}/en/{NOTE}")
    assert visible_texts(page, ".md-nav--primary > .md-nav__list > .md-nav__item")[-1] == "Graph"


@pytest.mark.parametrize("language, title", [
    ("en", "Interview Knowledge Base"), ("ru", "База знаний для собеседований"),
])
def test_the_home_pages_title_is_the_site_name_once(page, site_url, language, title):
    page.goto(f"{site_url}/{language}/")
    assert page.title() == title
