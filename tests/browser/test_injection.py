"""Notes full of attacks, read in Chromium: no script of theirs ever runs.

The vault is tests/test_hostile.py's `write_injection_vault`: `<script>`, `"><img onerror>`,
`javascript:` links spelt every way a browser still follows, `{{ 7*7 }}`, in titles, aliases,
tags, summaries, topics, statuses, file names, headings and link labels. Every page of both
languages is loaded, and the search is run over them; a script of a note would call `alert`
(watched through `page.add_init_script`) or open a dialog (`page.on("dialog")`). The `page`
fixture also fails a test on any console error or uncaught exception (conftest.py).
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest

from ..test_hostile import QUESTION_TITLE, site_pages, write_injection_vault
from .conftest import LOCAL_HOST, QuietHandler, ServedSite
from .test_search import RESULTS, search

# Runs before any script of a page: every way a payload could report itself.
WATCH = """
window.__pwned = [];
for (const name of ["alert", "confirm", "prompt", "print"]) {
  window[name] = (...args) => { window.__pwned.push(name + "(" + args.join(",") + ")"); };
}
"""


@pytest.fixture(scope="module")
def injection_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSite]:
    """The hostile vault built with its own address as site_url, served on 127.0.0.1."""
    root = tmp_path_factory.mktemp("injection-browser")
    folder = root / "site"
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer((LOCAL_HOST, 0), handler)
    url = f"http://{LOCAL_HOST}:{server.server_port}"
    try:
        from generator.cli import main

        notes = write_injection_vault(root / "notes")
        assert main(["build", "--notes", str(notes), "--site", str(folder), "--allow-errors",
                     "--site-url", f"{url}/"]) == 0
        thread = threading.Thread(target=server.serve_forever, name="injection-site",
                                  daemon=True)
        thread.start()
        yield ServedSite(folder, url)
        server.shutdown()
    finally:
        server.server_close()


def watched(new_page: Any) -> tuple[Any, list[str]]:
    page = new_page()
    dialogs: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.add_init_script(WATCH)
    return page, dialogs


def test_no_script_of_a_note_runs_on_any_page(injection_site, new_page):
    page, dialogs = watched(new_page)
    urls = [quote("/" + path.relative_to(injection_site.folder).as_posix())
            for path in site_pages(injection_site.folder)]
    assert len(urls) >= 16
    ran = {}
    for url in urls:
        page.goto(injection_site.url + url)
        page.wait_for_load_state("load")
        page.wait_for_timeout(50)  # `onerror` of an image that failed, `ontoggle`, `onload`
        pwned = page.evaluate("window.__pwned")
        if pwned:
            ran[url] = pwned
    assert not ran, ran
    assert not dialogs, dialogs


def test_hostile_titles_show_as_text_in_the_page(injection_site, new_page):
    page, dialogs = watched(new_page)
    page.goto(f"{injection_site.url}/en/q-evil/")
    assert page.locator("article h1").first.inner_text().rstrip("¶ \n") == QUESTION_TITLE
    assert page.title().startswith(QUESTION_TITLE)
    assert page.locator("article img[onerror], article script").count() == 0
    assert page.evaluate("window.__pwned") == [] and not dialogs


def test_search_results_show_hostile_titles_as_text(injection_site, new_page):
    page, dialogs = watched(new_page)
    for language in ("en", "ru"):
        page.goto(f"{injection_site.url}/{language}/")
        search(page, "onerror")
        results = page.locator(RESULTS)
        assert "onerror=alert(2)" in results.inner_text()  # the title, as text
        assert results.locator("img, script, iframe, svg[onload]").count() == 0
        page.wait_for_timeout(100)
        assert page.evaluate("window.__pwned") == [], language
    assert not dialogs, dialogs


def test_following_every_link_of_the_evil_pages_runs_nothing(injection_site, new_page):
    """Clicks, not only loads: a `javascript:` href runs on click."""
    page, dialogs = watched(new_page)
    for path in ("/en/moc-evil/", "/ru/moc-evil/", "/en/q-evil/"):
        page.goto(injection_site.url + path)
        hrefs = page.eval_on_selector_all(
            "article a[href]", "links => links.map(link => link.getAttribute('href'))")
        assert hrefs
        for index in range(len(hrefs)):
            link = page.locator("article a[href]").nth(index)
            href = link.get_attribute("href") or ""
            if not href.startswith("#") and not href.lower().lstrip().startswith(
                    ("javascript", "vbscript", "data")):
                continue  # leaving the page is tested by loading every page
            link.dispatch_event("click")
            assert page.evaluate("window.__pwned") == [], href
    assert not dialogs, dialogs
