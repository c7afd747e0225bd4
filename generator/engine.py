"""The bridge to MkDocs: emit one plain MkDocs project per language, build them side by side,
and put the result in place atomically.

Each language's project is a folder of generated Markdown and a `mkdocs.yml` that inherits the
repository's top-level `mkdocs.yml` (theme, features, extensions live there) and sets only
what differs per language. No MkDocs plugin of ours is involved, so the emitted project builds
with any engine that reads `mkdocs.yml` (Zensical included); this is the only module that
knows MkDocs is there.
"""

from __future__ import annotations

import concurrent.futures
import gzip
import html
import logging
import os
import re
import shutil
import signal
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from .graph_data import page_path as graph_page_path
from .i18n import STRINGS
from .model import LANGUAGES, Language, Page
from .search_index import index_site
from .sitemap import page_url, write_sitemap

log = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parent.parent
BASE_CONFIG = REPO_ROOT / "mkdocs.yml"
THEME_OVERRIDES = REPO_ROOT / "theme_overrides"


@dataclass(frozen=True)
class SiteOptions:
    site_url: str | None = None  # e.g. https://example.org/kb/ ; enables canonical URLs, sitemap
    base_config: Path = BASE_CONFIG


# Files to copy into every language's docs: (vault root, paths relative to it).
Assets = tuple[Path, tuple[str, ...]] | None


class EngineError(Exception):
    """MkDocs failed for one language; carries its messages."""


def write_pages(pages: Iterable[Page], docs_dir: Path, only_changed: bool = False) -> int:
    """Write pages under `docs_dir`; with `only_changed`, skip files whose text is the same
    (so that a live-reloading server sees only real changes). Returns the number written."""
    written = 0
    for page in pages:
        target = docs_dir / page.path
        if only_changed and target.exists() and target.read_text(encoding="utf-8") == page.markdown:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.markdown, encoding="utf-8")
        written += 1
    return written


def project_config(language: Language, docs_dir: Path, site_dir: Path, nav: list[object],
                   options: SiteOptions) -> dict[str, object]:
    """The per-language `mkdocs.yml`, as data."""
    strings = STRINGS[language]
    config: dict[str, object] = {
        "INHERIT": str(options.base_config.resolve()),
        "site_name": strings["site_name"],
        "docs_dir": str(docs_dir),
        "site_dir": str(site_dir),
        "theme": {"language": language, "custom_dir": str(THEME_OVERRIDES)},
        # Search is Pagefind's (generator/search_index.py), run after MkDocs; no MkDocs plugin.
        "plugins": [],
        "extra": {
            "alternate": [
                {"name": STRINGS[other]["language_name"], "link": f"../{other}/", "lang": other}
                for other in LANGUAGES
            ],
            "kb_language": language,
        },
        "nav": nav,
        # Note pages are reached through MOCs, topics, links and search; a nav of every note
        # would put thousands of links on every page.
        "not_in_nav": "/**/*.md",
    }
    if options.site_url:
        root = options.site_url.rstrip("/") + "/"
        config["site_url"] = f"{root}{language}/"
        config["extra"]["kb_root_url"] = root  # type: ignore[index]  # hreflang (main.html)
    return config


def navigation(pages: list[Page], language: Language) -> list[object]:
    strings = STRINGS[language]
    mocs = sorted((page for page in pages if _is_moc(page)), key=lambda page: page.path)
    nav: list[object] = [{strings["home"]: "index.md"}]
    if mocs:
        nav.append({strings["mocs"]: [{_title(page): page.path} for page in mocs]})
    nav.append({strings["topics"]: "topics/index.md"})
    nav.append({strings["tags"]: "tags/index.md"})
    graph_page = graph_page_path({page.note: page for page in pages if page.note is not None})
    for page in pages:
        if page.note is None and page.path == graph_page:
            nav.append({_title(page): graph_page})  # the global graph (generator/graph_data.py)
    return nav


def _is_moc(page: Page) -> bool:
    return page.note is not None and page.path.rsplit("/", 1)[-1].startswith("moc-")


def _title(page: Page) -> str:
    """A page's title for the navigation, as its front matter holds it: HTML-escaped
    (render._with_meta), which is what a nav title must be, since Material writes nav titles
    into the HTML as they are. The whole front matter is read: a title can span lines."""
    if page.markdown.startswith("---\n"):
        meta = yaml.safe_load(page.markdown[4:].partition("\n---\n")[0])
        title = meta.get("title") if isinstance(meta, dict) else None
        if isinstance(title, str) and title.strip():
            return title
    return html.escape(page.path)


def emit_project(pages: list[Page], language: Language, project_dir: Path, site_dir: Path,
                 options: SiteOptions, assets: Assets = None) -> Path:
    """Write a language's docs and mkdocs.yml under project_dir; return the config path."""
    docs_dir = project_dir / "docs"
    write_pages(pages, docs_dir)
    if assets:
        root, paths = assets
        for rel in paths:
            target = docs_dir / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(root / rel, target)
    config = project_config(language, docs_dir, site_dir, navigation(pages, language), options)
    config_file = project_dir / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False),
                           encoding="utf-8")
    return config_file


@dataclass(frozen=True)
class LanguageBuild:
    warnings: list[str]
    seconds: dict[str, float]  # "mkdocs", "search"


def build_language(config_file: Path, site_dir: Path, language: Language) -> LanguageBuild:
    """Build one language's HTML with MkDocs, then its search index."""
    started = time.perf_counter()
    warnings = run_mkdocs(config_file)
    reproducible_sitemap(site_dir)
    built = time.perf_counter()
    index_site(site_dir, language)
    return LanguageBuild(warnings, {"mkdocs": built - started,
                                    "search": time.perf_counter() - built})


_LASTMOD = re.compile(r"\s*<lastmod>[^<]*</lastmod>")


def reproducible_sitemap(site_dir: Path) -> None:
    """Make MkDocs' sitemap depend on the notes only. MkDocs gives every page the build date
    as `<lastmod>` and puts it in the .gz header too (also in the empty sitemap of a site
    without a `site_url`), so two builds of the same notes differ from one day to the next. A
    build date is no modification date: the stamp is dropped, the .gz written without one.
    With a `site_url`, `write_sitemaps` replaces the file after both languages are built."""
    sitemap = site_dir / "sitemap.xml"
    if not sitemap.is_file():
        return
    text = _LASTMOD.sub("", sitemap.read_text(encoding="utf-8"))
    sitemap.write_text(text, encoding="utf-8")
    with open(site_dir / "sitemap.xml.gz", "wb") as raw, \
            gzip.GzipFile(filename="sitemap.xml", mode="wb", fileobj=raw, mtime=0) as packed:
        packed.write(text.encode("utf-8"))


def run_mkdocs(config_file: Path) -> list[str]:
    """Build one MkDocs project (in this process); return MkDocs' warnings."""
    from mkdocs.commands import build as mkdocs_build
    from mkdocs.config import load_config

    warnings: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            warnings.append(record.getMessage())

    handler = Collect(level=logging.WARNING)
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.addHandler(handler)
    try:
        config = load_config(config_file=str(config_file))
        config.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build.build(config)
        finally:
            config.plugins.on_shutdown()
    except Exception as error:  # MkDocs raises many kinds; all mean this language failed
        raise EngineError(f"MkDocs failed for {config_file}: {error}") from error
    finally:
        mkdocs_log.removeHandler(handler)
    return warnings


def build_languages(projects: dict[Language, tuple[Path, Path]], parallel: bool = True
                    ) -> dict[Language, LanguageBuild]:
    """Build every language ({language: (config file, site dir)}), one process per language
    when there are cores for it."""
    if not parallel or (os.cpu_count() or 1) < 2 or len(projects) < 2:
        return {language: build_language(config, site, language)
                for language, (config, site) in projects.items()}
    with concurrent.futures.ProcessPoolExecutor(max_workers=len(projects)) as pool:
        futures = {language: pool.submit(build_language, config, site, language)
                   for language, (config, site) in projects.items()}
        try:
            return {language: future.result() for language, future in futures.items()}
        except BaseException:
            _stop_workers(pool)
            raise


def _stop_workers(pool: concurrent.futures.ProcessPoolExecutor) -> None:
    """Interrupted, or one language failed: stop the other workers now instead of waiting for
    a site that is thrown away (leaving the pool waits for them, and CI kills a job that does
    not stop within seconds, which would leave the staging folder behind). SIGTERM unwinds a
    worker as Ctrl-C does (cli.py), so that it stops its Pagefind process too."""
    processes = getattr(pool, "_processes", None) or {}  # no public way before Python 3.14
    for process in list(processes.values()):
        if process.is_alive():
            try:
                os.kill(process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass


ROOT_INDEX = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="alternate" hreflang="en" href="en/">
<link rel="alternate" hreflang="ru" href="ru/">
<script>
  // Send the reader to their language: a saved choice first, then the browser's languages.
  (function () {{
    var saved = null;
    try {{ saved = localStorage.getItem("kb-language"); }} catch (e) {{}}
    var wanted = saved || ((navigator.languages || [navigator.language || "en"]).join(",")
                           .toLowerCase().match(/(^|,)ru/) ? "ru" : "en");
    location.replace(wanted === "ru" ? "ru/" : "en/");
  }})();
</script>
</head>
<body>
<p><a href="en/" hreflang="en">English</a> · <a href="ru/" hreflang="ru">Русский</a></p>
</body>
</html>
"""


def write_root(site_dir: Path) -> None:
    title = f'{STRINGS["en"]["site_name"]} · {STRINGS["ru"]["site_name"]}'
    (site_dir / "index.html").write_text(ROOT_INDEX.format(title=html.escape(title)),
                                         encoding="utf-8")


def build_site(pages: dict[Language, list[Page]], site_dir: Path, options: SiteOptions,
               parallel: bool = True, project_dir: Path | None = None, assets: Assets = None
               ) -> dict[Language, LanguageBuild]:
    """Build every language into a fresh folder beside `site_dir`, then swap it in.

    The previous `site_dir` stays untouched until the new site is complete; a failure or an
    interruption leaves it as it was and removes the half-built folder. The emitted MkDocs
    projects go to a temporary folder, or to `project_dir` to be kept for inspection.
    """
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.building-", dir=site_dir.parent))
    try:
        with tempfile.TemporaryDirectory(prefix="kb-projects-") as temporary:
            projects = project_dir or Path(temporary)
            if project_dir is not None:
                shutil.rmtree(project_dir, ignore_errors=True)
            language_projects = {
                language: (emit_project(language_pages, language, projects / language,
                                        staging / language, options, assets),
                           staging / language)
                for language, language_pages in pages.items()
            }
            builds = build_languages(language_projects, parallel=parallel)
        if options.site_url:
            write_sitemaps(pages, staging, options.site_url)
        write_root(staging)
        swap_into_place(staging, site_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return builds


def write_sitemaps(pages: dict[Language, list[Page]], site_dir: Path, site_url: str) -> None:
    """Replace MkDocs' sitemap of every language with one that pairs translations
    (generator/sitemap.py)."""
    urls: dict[str, set[Language]] = {}
    for language, language_pages in pages.items():
        for page in language_pages:
            if page.path.endswith(".md"):
                urls.setdefault(page_url(page.path), set()).add(language)
    for language in pages:
        write_sitemap(site_dir / language, language, urls, site_url)


def swap_into_place(staging: Path, site_dir: Path) -> None:
    """Replace `site_dir` with `staging` using renames only (atomic on one file system)."""
    old = None
    if site_dir.exists():
        old = site_dir.with_name(f".{site_dir.name}.old-{os.getpid()}")
        os.replace(site_dir, old)
    try:
        os.replace(staging, site_dir)
    except BaseException:
        if old is not None:
            os.replace(old, site_dir)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
