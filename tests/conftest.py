"""Shared fixtures: small vaults written to a temporary folder, the real vault, and the sites
built once per session (notes/ and the real vault), which tests only read.

Every build in the tests keeps its cache in a folder of its own: each test gets one
(`kb_cache_dir`), each module another for its module-scoped fixtures (`module_kb_cache_dir`),
and the session's sites name theirs. So whether a build finds its pages in the cache never
depends on which tests ran before it, and no test writes the repository's .cache/kb.
"""

from __future__ import annotations

import functools
import http.server
import os
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from generator.model import LANGUAGES, BuildReport

REPO_ROOT = Path(__file__).resolve().parent.parent
NOTES = REPO_ROOT / "notes"
LOCAL_HOST = "127.0.0.1"


def _corpus_path() -> Path:
    configured = os.environ.get("KB_CORPUS")
    if configured:
        return Path(configured)
    return REPO_ROOT.parent / "shared" / "corpus" / "vault-2025-11"


# The cache folders ----------------------------------------------------------------------------

@pytest.fixture(scope="module", autouse=True)
def module_kb_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """KB_CACHE_DIR for the module's own module-scoped fixtures (a site built once for the
    module's tests): autouse fixtures are set up before the other fixtures of their scope."""
    folder = tmp_path_factory.mktemp("module-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KB_CACHE_DIR", str(folder))
        yield folder


@pytest.fixture(autouse=True)
def kb_cache_dir(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
                 ) -> Path:
    """KB_CACHE_DIR for one test: a build that a test runs starts from an empty cache, and a
    test that means to start from a warm one builds twice."""
    # Not under tmp_path, which tests list and compare.
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("KB_CACHE_DIR", str(folder))
    return folder


# The vaults -----------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def corpus() -> Path:
    """The real vault (read-only). Skipped when absent, unless KB_REQUIRE_CORPUS is set (CI)."""
    path = _corpus_path()
    if not path.is_dir():
        if os.environ.get("KB_REQUIRE_CORPUS"):
            pytest.fail(f"the real vault is required but missing at {path}")
        pytest.skip(f"real vault not found at {path} (set KB_CORPUS)")
    return path


VaultMaker = Callable[[dict[str, str]], Path]


@pytest.fixture
def make_vault(tmp_path: Path) -> VaultMaker:
    """Write {relative path: text} into a fresh notes folder and return it. Text is dedented,
    so tests can indent their notes."""

    def make(files: dict[str, str]) -> Path:
        root = tmp_path / "notes"
        root.mkdir(exist_ok=True)
        for rel, text in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return root

    return make


def note_text(*, id: str, title: str, body: str, **fields: str) -> str:
    """A note with front matter; extra fields are written as given (YAML text)."""
    lines = ["---", f"id: {id}", f"title: {title}"]
    lines += [f"{key}: {value}" for key, value in fields.items()]
    lines += ["---", textwrap.dedent(body).strip("\n"), ""]
    return "\n".join(lines)


def build_vault(notes: Path, site: Path, cache: Path | None = None, **options: Any
                ) -> BuildReport:
    """`pipeline.build` of `notes` into `site` in this process (so that tests can patch it),
    publishing notes with errors too; `options` are SiteOptions' besides the cache folder."""
    from generator import pipeline
    from generator.site.project import SiteOptions

    report = pipeline.build(notes, site, allow_errors=True, parallel=False,
                            options=SiteOptions(cache_dir=cache, **options))
    assert_site_written(notes, site)
    return report


def assert_site_written(notes: Path, site: Path) -> None:
    """The site holds its root page and, in each language, its home and a page for every note
    published. (`report.built` would say nothing: with errors allowed, `pipeline.build` either
    writes the site and sets it or raises.)"""
    from generator.notes.load import load_vault
    from generator.site.publish import exclude_patterns, publish

    from .sitecheck import note_url, page_file

    published = publish(load_vault(notes), exclude_patterns(notes)).vault.notes
    assert (site / "index.html").is_file(), f"{site} has no root page"
    for language in LANGUAGES:
        assert (site / language / "index.html").is_file(), f"{site / language} has no home page"
        missing = [note.key for note in published
                   if page_file(site / language, note_url(note.key)) is None]
        assert not missing, f"{site / language} has no page for {len(missing)} notes: {missing[:5]}"


# The sites built once per session -------------------------------------------------------------

class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a folder without a log line per request."""

    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass(frozen=True)
class BuiltSite:
    """A site built once for the session; tests read it and never write to it."""

    folder: Path  # index.html, en/, ru/
    cache: Path  # the cache folder it was built with, its own
    url: str | None = None  # its site_url without the trailing slash
    # Bound to url's port and not serving until the browser tests start it (browser/conftest.py).
    server: http.server.ThreadingHTTPServer | None = None


@pytest.fixture(scope="session")
def notes_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltSite]:
    """notes/ built once, by `kb build` as a published site is, for every test that reads it
    (test_build, test_site_output, the browser tests).

    Its site_url is the address of a server bound before the build on a free port of 127.0.0.1,
    where the browser tests serve it: Material's sitemap, and with it instant navigation, only
    work for the site_url's host and port. Other tests leave the server unstarted."""
    from generator.cli import main

    root = tmp_path_factory.mktemp("notes-site")
    folder, cache = (root / "site").resolve(), root / "cache"
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer((LOCAL_HOST, 0), handler)
    url = f"http://{LOCAL_HOST}:{server.server_port}"
    try:
        status = main(["build", "--notes", str(NOTES), "--site", str(folder),
                       "--site-url", f"{url}/", "--cache-dir", str(cache)])
        assert status == 0, f"building notes/ failed with exit status {status}"
        yield BuiltSite(folder, cache, url, server)
    finally:
        server.server_close()


@pytest.fixture(scope="session")
def real_vault_site(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The real vault built once, errors allowed, as its owner publishes it (three minutes)."""
    from generator.cli import main

    root = tmp_path_factory.mktemp("real")
    folder, cache = root / "site", root / "cache"
    assert main(["build", "--notes", str(corpus), "--site", str(folder), "--allow-errors",
                 "--cache-dir", str(cache)]) == 0
    return BuiltSite(folder, cache)


@pytest.fixture(scope="session")
def real_site(real_vault_site: BuiltSite) -> Path:
    """The folder of the real vault's site."""
    return real_vault_site.folder
