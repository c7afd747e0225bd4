"""Browser fixtures: the embedded vault built once, served on 127.0.0.1, read in Chromium.

For any test that checks the site as a reader sees it (search, language switch, study mode,
callouts, diagrams):

    def test_something(page, site_url):
        page.goto(f"{site_url}/ru/")
        ...

- `built_site`: the folder built from notes/ (the session's `notes_site`, tests/conftest.py),
  `site_url`: where it is served, "http://127.0.0.1:PORT". KB_TEST_SITE=path serves an
  existing build instead, to iterate quickly on tests (built without this site_url, it has no
  instant navigation).
- `browser`: Debian's Chromium (/usr/bin/chromium) through Playwright; no browser download.
- `page`: a fresh page (1280x900, light scheme) per test, watched by `page_log`: after the test
  it fails if the page logged a console error or an uncaught exception, or sent a request to
  any host but 127.0.0.1. `new_page` makes more pages (phone width, dark scheme) watched alike.

Every test in this folder is marked `browser` (`pytest -m "not browser"` leaves them out)
and is skipped, saying why, when Chromium or Playwright is missing.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from ..conftest import LOCAL_HOST, BuiltSite, QuietHandler

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"]
HERE = Path(__file__).resolve().parent


def _missing() -> str | None:
    """Why browser tests cannot run here, or None."""
    if not CHROMIUM.exists():
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install -e '.[test]')"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reason = _missing()
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)
            if reason:
                item.add_marker(pytest.mark.skip(reason=reason))


# The site ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ServedSite:
    folder: Path
    url: str  # "http://127.0.0.1:PORT", no trailing slash


@pytest.fixture(scope="session")
def served_site(request: pytest.FixtureRequest) -> Iterator[ServedSite]:
    """notes/ built once (`notes_site`) and served over HTTP on the address it was built for;
    with KB_TEST_SITE, that folder served on a free port instead (nothing is built)."""
    existing = os.environ.get("KB_TEST_SITE")
    if existing:
        folder = Path(existing).resolve()
        handler = functools.partial(QuietHandler, directory=str(folder))
        server = http.server.ThreadingHTTPServer((LOCAL_HOST, 0), handler)
        url = f"http://{LOCAL_HOST}:{server.server_port}"
    else:
        # Asked for here, not as a parameter, so that KB_TEST_SITE builds nothing.
        built: BuiltSite = request.getfixturevalue("notes_site")
        assert built.server is not None and built.url is not None
        folder, server, url = built.folder, built.server, built.url
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield ServedSite(folder, url)
    finally:
        server.shutdown()
        if existing:  # notes_site's server is closed by notes_site
            server.server_close()


@pytest.fixture(scope="session")
def built_site(served_site: ServedSite) -> Path:
    """The folder of the built site (site/en, site/ru, site/index.html)."""
    return served_site.folder


@pytest.fixture(scope="session")
def site_url(served_site: ServedSite) -> str:
    """Where the built site is served: "http://127.0.0.1:PORT" (no trailing slash)."""
    return served_site.url


# The browser ---------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    assert shutil.which(str(CHROMIUM)), f"{CHROMIUM} is not executable"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class PageLog:
    """What pages did besides showing themselves: console errors, uncaught exceptions,
    every request (URL), failed requests."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)

    def watch(self, page: Any) -> None:
        page.on("console", lambda message: self.console_errors.append(
            f"{message.text} ({message.location.get('url', '')})")
            if message.type == "error" else None)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("requestfailed", lambda request: self.failed_requests.append(
            f"{request.url}: {request.failure}"))

    def foreign_requests(self) -> list[str]:
        """Requests to any host but the local server (data: and blob: URLs stay local)."""
        return [url for url in self.requests
                if urlsplit(url).scheme not in ("data", "blob")
                and urlsplit(url).hostname != LOCAL_HOST]

    def problems(self) -> list[str]:
        return ([f"console error: {text}" for text in self.console_errors]
                + [f"uncaught exception: {text}" for text in self.page_errors]
                + [f"request left the local server: {url}" for url in self.foreign_requests()])


@pytest.fixture
def page_log() -> PageLog:
    return PageLog()


PageMaker = Callable[..., Any]


@pytest.fixture
def new_page(browser: Any, page_log: PageLog) -> Iterator[PageMaker]:
    """Make a watched page: new_page(width=390, height=844, dark=True). Each has its own
    context (storage, cookies); all are closed after the test, which then fails on any
    problem that `page_log` recorded."""
    contexts: list[Any] = []

    def make(width: int = 1280, height: int = 900, dark: bool = False, **options: Any) -> Any:
        context = browser.new_context(viewport={"width": width, "height": height},
                                      color_scheme="dark" if dark else "light",
                                      service_workers="block", **options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page_log.watch(page)
        return page

    yield make
    for context in contexts:
        context.close()
    problems = page_log.problems()
    assert not problems, "the pages had problems:\n" + "\n".join(problems)


@pytest.fixture
def page(new_page: PageMaker) -> Any:
    """A watched page at desktop width in the light scheme."""
    return new_page()
