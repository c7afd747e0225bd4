"""Search as a reader uses it: Pagefind's index of one language in Material's search box.

Every test also fails (in teardown, see conftest.py) on a console error, an uncaught
exception, or a request to any host but 127.0.0.1.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

QUERY = "[data-kb-search-query]"
RESULTS = "[data-kb-search-result]"
RESULT_PAGES = f"{RESULTS} .md-search-result__item"
PAGE_LINKS = f"{RESULT_PAGES} > a.md-search-result__link"
CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
LATIN = re.compile(r"[a-z]", re.IGNORECASE)


def search(page: Any, text: str) -> None:
    """Open the search with the keyboard, type `text`, wait until its results are shown."""
    page.keyboard.press("Escape")
    page.keyboard.press("/")
    page.fill(QUERY, "")
    page.eval_on_selector(RESULTS, "result => result.removeAttribute('data-kb-query')")
    page.keyboard.type(text, delay=15)
    page.wait_for_selector(f'{RESULTS}[data-kb-query="{text}"]', state="attached")


def result_paths(page: Any) -> list[str]:
    """The address path of every result page, in order (not its sections)."""
    hrefs = page.eval_on_selector_all(PAGE_LINKS, "links => links.map(link => link.href)")
    return [unquote(urlsplit(href).path) for href in hrefs]


def letters(text: str, script: re.Pattern[str]) -> int:
    return len(script.findall(text))


def test_russian_query_finds_other_word_forms_on_russian_pages(page, site_url, page_log):
    page.goto(f"{site_url}/ru/")
    search(page, "корутины")

    paths = result_paths(page)
    assert "/ru/10-Concepts/c-coroutines/" in paths
    assert all(path.startswith("/ru/") for path in paths), paths
    # Stemming: the query's form is "корутины"; the page also says "корутина", "корутин".
    marked = {text.lower() for text in page.eval_on_selector_all(
        f"{RESULTS} mark", "marks => marks.map(mark => mark.textContent)")}
    assert marked - {"корутины"}, f"only the exact form was found: {marked}"
    coroutines = page.locator(RESULT_PAGES).filter(
        has=page.locator('a[href*="/ru/10-Concepts/c-coroutines/"]'))
    excerpt = coroutines.locator("p").first.inner_text()
    assert re.search(r"корутин", excerpt, re.IGNORECASE), excerpt
    assert letters(excerpt, CYRILLIC) > letters(excerpt, LATIN), f"not Russian: {excerpt}"
    assert page.locator(f"{RESULTS} .md-search-result__meta").inner_text().startswith("Найдено")
    assert page_log.problems() == []


def test_english_query_finds_english_pages_only(page, site_url):
    page.goto(f"{site_url}/en/")
    search(page, "coroutine")

    paths = result_paths(page)
    assert "/en/10-Concepts/c-coroutines/" in paths
    assert all(path.startswith("/en/") for path in paths), paths
    text = page.locator(RESULTS).inner_text()
    assert letters(text, CYRILLIC) == 0, text
    assert re.search(r"\d+ matching documents", text)


def test_index_is_fetched_only_when_search_opens(page, site_url, page_log):
    page.goto(f"{site_url}/en/10-Concepts/c-coroutines/")
    page.wait_for_load_state("networkidle")
    assert not [url for url in page_log.requests if "/pagefind/" in url]

    page.click(QUERY)
    page.wait_for_function(
        "document.querySelector('[data-kb-search-result] .md-search-result__meta')"
        ".textContent.trim() === 'Type to start searching'")
    assert any(url.endswith("/en/pagefind/pagefind.js") for url in page_log.requests)


@pytest.mark.parametrize("key", ["/", "s", "f"])
def test_key_focuses_the_search_box(page, site_url, key):
    page.goto(f"{site_url}/ru/10-Concepts/c-coroutines/")
    page.keyboard.press(key)
    assert page.evaluate("document.activeElement.matches('[data-kb-search-query]')")
    page.wait_for_function("document.getElementById('__search').checked")
    assert page.input_value(QUERY) == "", "the key itself must not be typed into the box"
    assert page.get_attribute(QUERY, "placeholder") == "Поиск"

    page.keyboard.press("Escape")
    page.wait_for_function("!document.getElementById('__search').checked")
    assert not page.evaluate("document.activeElement.matches('[data-kb-search-query]')")


def test_clicking_a_result_opens_it(page, site_url):
    page.goto(f"{site_url}/ru/")
    search(page, "корутины")
    first = page.locator(PAGE_LINKS).first
    title = first.locator("h1").inner_text()
    target = unquote(urlsplit(first.get_attribute("href")).path)

    first.click()
    page.wait_for_url(lambda url: unquote(urlsplit(url).path) == target)
    # Instant navigation changes the address first, then the content.
    page.wait_for_function("title => document.querySelector('.md-content h1')"
                           ".firstChild.textContent.trim() === title", arg=title)
    page.wait_for_function("!document.getElementById('__search').checked")


def test_search_keeps_working_after_instant_navigation(page, site_url, built_site):
    if "<loc>" not in (built_site / "ru" / "sitemap.xml").read_text(encoding="utf-8"):
        pytest.skip("the site was built without site_url: no sitemap, no instant navigation")
    page.goto(f"{site_url}/ru/")
    page.evaluate("window.kbSamePage = true")  # gone if the browser loads a new document
    search(page, "корутины")
    page.locator(PAGE_LINKS).first.click()
    page.wait_for_url("**/ru/10-Concepts/c-coroutines/**")
    page.wait_for_function("!document.getElementById('__search').checked")
    assert page.evaluate("window.kbSamePage === true"), "the result did not open instantly"

    # The header, and the search in it, stayed; it still searches this language's index.
    search(page, "поток")
    paths = result_paths(page)
    assert paths and all(path.startswith("/ru/") for path in paths), paths
    page.locator(PAGE_LINKS).first.click()
    page.wait_for_url(lambda url: unquote(urlsplit(url).path) == paths[0])
    page.wait_for_selector(".md-content mark[data-md-highlight]")
    assert page.evaluate("window.kbSamePage === true")


def test_arrow_keys_and_enter_open_a_result(page, site_url):
    page.goto(f"{site_url}/en/")
    search(page, "coroutine")
    page.keyboard.press("ArrowDown")
    focused = page.evaluate("document.activeElement.href")
    assert focused == page.locator(PAGE_LINKS).first.evaluate("link => link.href")

    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: urlsplit(url).path == urlsplit(focused).path)


def test_enter_in_the_box_opens_the_first_result(page, site_url):
    page.goto(f"{site_url}/en/")
    search(page, "dijkstra")
    first = unquote(result_paths(page)[0])
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: unquote(urlsplit(url).path) == first)


@pytest.mark.parametrize(
    ("language", "query", "path"),
    [
        ("en", "Caching", "/en/10-Concepts/c-caching/"),
        ("en", "ViewModel", "/en/10-Concepts/c-viewmodel/"),
        ("en", "Coroutines", "/en/10-Concepts/c-coroutines/"),
        ("ru", "Кеширование", "/ru/10-Concepts/c-caching/"),
        ("ru", "Корутины", "/ru/10-Concepts/c-coroutines/"),
        ("ru", "Запечатанные классы", "/ru/10-Concepts/c-sealed-classes/"),
    ],
    ids=["en-caching", "en-viewmodel", "en-coroutines", "ru-caching", "ru-coroutines",
         "ru-sealed-classes"],
)
def test_query_equal_to_a_title_ranks_that_note_first(page, site_url, language, query, path):
    page.goto(f"{site_url}/{language}/")
    search(page, query)
    assert result_paths(page)[0] == path


def test_more_results_load_when_the_list_is_scrolled_to_its_end(page, site_url):
    page.goto(f"{site_url}/ru/")
    search(page, "корутины")
    total = int(re.search(r"\d+", page.locator(f"{RESULTS} .md-search-result__meta")
                          .inner_text()).group())
    assert total > 10, "the query needs more than one batch of results"
    assert page.locator(RESULT_PAGES).count() == 10

    page.locator(RESULT_PAGES).last.scroll_into_view_if_needed()
    page.wait_for_function(
        f"document.querySelectorAll('{RESULT_PAGES}').length === {min(total, 20)}")


def test_no_match_says_so_in_the_page_language(page, site_url):
    page.goto(f"{site_url}/ru/")
    search(page, "zzzqqxx")
    assert page.locator(RESULT_PAGES).count() == 0
    meta = page.locator(f"{RESULTS} .md-search-result__meta").inner_text()
    assert meta == "Совпадений не найдено"


def test_search_on_a_phone(new_page, site_url):
    page = new_page(width=390, height=844, dark=True)
    page.goto(f"{site_url}/ru/")
    page.click("header label.md-header__button[for=__search]")  # the box is off-screen
    assert page.evaluate("document.activeElement.matches('[data-kb-search-query]')")
    page.keyboard.type("корутины", delay=15)
    page.wait_for_selector(f'{RESULTS}[data-kb-query="корутины"]', state="attached")
    assert page.locator(PAGE_LINKS).first.is_visible()


def test_opened_page_marks_the_words_found(page, site_url):
    page.goto(f"{site_url}/ru/")
    search(page, "корутины")
    page.locator(PAGE_LINKS).first.click()
    page.wait_for_url("**/ru/10-Concepts/c-coroutines/**")
    page.wait_for_selector(".md-content mark[data-md-highlight]")
    marked = page.eval_on_selector_all(
        ".md-content mark[data-md-highlight]", "marks => marks.map(mark => mark.textContent)")
    assert {"Корутина", "корутин"} <= set(marked), marked


def test_address_with_q_opens_the_search_with_that_query(page, site_url):
    page.goto(f"{site_url}/en/?q=dijkstra")
    page.wait_for_selector(f'{RESULTS}[data-kb-query="dijkstra"]', state="attached")
    assert page.evaluate("document.getElementById('__search').checked")
    assert result_paths(page)[0].startswith("/en/20-Algorithms/q-dijkstra")

    page.keyboard.press("Escape")
    page.wait_for_function("!location.search.includes('q=')")
