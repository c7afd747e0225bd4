"""The bridge to MkDocs: emit one plain MkDocs project per language, build them side by side,
and put the result in place atomically.

Each language's project is a folder of generated Markdown and a `mkdocs.yml` that inherits the
repository's top-level `mkdocs.yml` (theme, features, extensions live there) and sets only
what differs per language. No MkDocs plugin of ours is involved, so the emitted project builds
with any engine that reads `mkdocs.yml` (Zensical included); this is the only module that
knows MkDocs is there.
"""

from __future__ import annotations

import contextlib
import html
import logging
import multiprocessing
import multiprocessing.connection
import os
import pickle
import shutil
import signal
import tempfile
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

import yaml

from . import conversion_cache, site_output
from .graph_data import page_path as graph_page_path
from .i18n import STRINGS
from .model import LANGUAGES, Language, Page
from .render import MOC_INDEX
from .search_index import index_site
from .sitemap import page_url, write_sitemap
from .study import page_path as study_page_path

log = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parent.parent
BASE_CONFIG = REPO_ROOT / "mkdocs.yml"
THEME_OVERRIDES = REPO_ROOT / "theme_overrides"


# Where builds keep the conversion cache (generator/conversion_cache.py) unless told otherwise:
# beside the working directory's other tool caches, as .pytest_cache and .ruff_cache are.
DEFAULT_CACHE_DIR = Path(".cache") / "kb"


@dataclass(frozen=True)
class SiteOptions:
    site_url: str | None = None  # e.g. https://example.org/kb/ ; enables canonical URLs, sitemap
    base_config: Path = BASE_CONFIG
    cache_dir: Path | None = None  # conversion cache; None: every page is converted afresh

    def cache_folder(self, language: Language) -> Path | None:
        return self.cache_dir / f"pages-{language}" if self.cache_dir else None


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
                   options: SiteOptions, shared_vendor: bool = False) -> dict[str, object]:
    """The per-language `mkdocs.yml`, as data. With `shared_vendor`, pages load the bundled
    libraries from the site root, where `build_site` puts one copy for both languages."""
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
    if shared_vendor:
        config["extra"]["kb_vendor"] = f"../{site_output.VENDOR}/"  # type: ignore[index]
    if options.site_url:
        root = options.site_url.rstrip("/") + "/"
        config["site_url"] = f"{root}{language}/"
        config["extra"]["kb_root_url"] = root  # type: ignore[index]  # hreflang (main.html)
    return config


def navigation(pages: list[Page], language: Language) -> list[object]:
    """A handful of entries, the same on every page: home, the list of maps of content, topics,
    tags, study and the graph. A nav that listed notes, or even every map, would be written into
    every page of the site (Material renders the whole nav into each)."""
    strings = STRINGS[language]
    paths = {page.path for page in pages}
    nav: list[object] = [{strings["home"]: "index.md"}]
    if MOC_INDEX in paths:
        nav.append({strings["mocs"]: MOC_INDEX})
    nav.append({strings["topics"]: "topics/index.md"})
    nav.append({strings["tags"]: "tags/index.md"})
    notes = {page.note: page for page in pages if page.note is not None}
    study_page = study_page_path(notes)
    if study_page in paths:
        nav.append({strings["study"]: study_page})  # study mode (generator/study.py)
    graph_page = graph_page_path(notes)
    for page in pages:
        if page.note is None and page.path == graph_page:
            nav.append({_title(page): graph_page})  # the global graph (generator/graph_data.py)
    return nav


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
                 options: SiteOptions, assets: Assets = None, shared_vendor: bool = False
                 ) -> Path:
    """Write a language's docs and mkdocs.yml under project_dir; return the config path."""
    docs_dir = project_dir / "docs"
    write_pages(pages, docs_dir)
    if assets:
        root, paths = assets
        for rel in paths:
            target = docs_dir / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(root / rel, target)
    config = project_config(language, docs_dir, site_dir, navigation(pages, language), options,
                            shared_vendor)
    config_file = project_dir / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False),
                           encoding="utf-8")
    return config_file


# Renders one language's pages (render.render_language with the vault and graph bound).
Render = Callable[[Language], list[Page]]


@dataclass(frozen=True)
class LanguageBuild:
    pages: tuple[str, ...]  # docs-relative paths of the language's pages
    warnings: list[str]
    seconds: dict[str, float]  # "render", "mkdocs", "search"
    cache: tuple[int, int] = (0, 0)  # pages converted from the cache, pages converted afresh


@dataclass(frozen=True)
class LanguageJob:
    """Where one language's project and site go."""

    language: Language
    project_dir: Path
    site_dir: Path
    options: SiteOptions
    assets: Assets = None


def build_language(job: LanguageJob, render: Render) -> LanguageBuild:
    """Render one language's pages, emit its MkDocs project, build its HTML with MkDocs, then
    its search index."""
    started = time.perf_counter()
    pages = render(job.language)
    rendered = time.perf_counter()
    config_file = emit_project(pages, job.language, job.project_dir, job.site_dir, job.options,
                               job.assets, shared_vendor=True)
    with conversion_cache_for(job.language, job.options) as cache:
        warnings = run_mkdocs(config_file)
    site_output.finish(job.site_dir)
    built = time.perf_counter()
    index_site(job.site_dir, job.language)
    return LanguageBuild(tuple(page.path for page in pages), warnings,
                         {"render": rendered - started, "mkdocs": built - rendered,
                          "search": time.perf_counter() - built}, (cache[0], cache[1]))


def activate_conversion_cache(language: Language, options: SiteOptions) -> bool:
    """Turn the conversion cache on in this process for the language's builds, if the options
    give a cache folder."""
    folder = options.cache_folder(language)
    if folder is None:
        return False
    conversion_cache.activate(folder, conversion_cache.fingerprint(
        options.base_config.read_text(encoding="utf-8")))
    return True


@contextlib.contextmanager
def conversion_cache_for(language: Language, options: SiteOptions) -> Iterator[list[int]]:
    """The conversion cache on while MkDocs runs in this process; saved only when the build
    succeeds. Yields [hits, misses], filled in at the end."""
    counts = [0, 0]
    if not activate_conversion_cache(language, options):
        yield counts
        return
    try:
        yield counts
    except BaseException:
        conversion_cache.deactivate()
        raise
    counts[:] = conversion_cache.save()


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


def build_languages(jobs: list[LanguageJob], render: Render, parallel: bool = True
                    ) -> dict[Language, LanguageBuild]:
    """Build every language, one process per language when there are cores for it. The
    processes are forked, so each has the vault and graph that `render` holds without copying
    them through a pipe; each sends its result, or its exception, back through a pipe of its
    own. (Not a process pool: a pool's workers share one job queue and its lock, and a worker
    stopped while it holds that lock leaves the other waiting for ever.)"""
    can_fork = "fork" in multiprocessing.get_all_start_methods()
    if not parallel or not can_fork or (os.cpu_count() or 1) < 2 or len(jobs) < 2:
        return {job.language: build_language(job, render) for job in jobs}
    context = multiprocessing.get_context("fork")
    workers: dict[Language, tuple[multiprocessing.process.BaseProcess, Connection]] = {}
    try:
        for job in jobs:
            receive, send = context.Pipe(duplex=False)
            process = context.Process(target=_build_in_worker, args=(job, render, send),
                                      name=f"kb-build-{job.language}")
            process.start()
            send.close()
            workers[job.language] = (process, receive)
        results: dict[Language, LanguageBuild] = {}
        pending = {receive: language for language, (_, receive) in workers.items()}
        while pending:
            for ready in multiprocessing.connection.wait(list(pending)):
                language = pending.pop(ready)  # type: ignore[call-overload]
                try:
                    outcome, value = ready.recv()  # type: ignore[union-attr]
                except EOFError:
                    raise EngineError(f"the {language} build ended without a result") from None
                if outcome == "error":
                    raise value
                results[language] = value
        return {job.language: results[job.language] for job in jobs}
    except BaseException:
        _stop_workers([process for process, _ in workers.values()])
        raise
    finally:
        for process, receive in workers.values():
            process.join()
            receive.close()


def _build_in_worker(job: LanguageJob, render: Render, send: Connection) -> None:
    # SIGTERM unwinds the worker as Ctrl-C does, so that subprocess.run stops its Pagefind.
    signal.signal(signal.SIGTERM, _raise_interrupt)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        result: tuple[str, object] = ("ok", build_language(job, render))
    except BaseException as error:  # the parent re-raises it
        result = ("error", _sendable(error))
    try:
        send.send(result)
    finally:
        send.close()


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _sendable(error: BaseException) -> BaseException:
    """The worker's exception, with its traceback as a note, or a RuntimeError saying what it
    was when it cannot be pickled."""
    error.add_note("in the build process:\n" + "".join(traceback.format_exception(error)))
    try:
        pickle.dumps(error)
        return error
    except Exception:
        return RuntimeError(f"{type(error).__name__}: {error}")


def _stop_workers(processes: list[multiprocessing.process.BaseProcess]) -> None:
    """Interrupted, or one language failed: stop the other workers now instead of waiting for
    a site that is thrown away (CI kills a job that does not stop within seconds, which would
    leave the staging folder behind)."""
    for process in processes:
        if process.is_alive():
            process.terminate()  # SIGTERM: the worker unwinds (_build_in_worker)
    for process in processes:
        process.join(timeout=10)
        if process.is_alive():
            process.kill()


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


def build_site(render: Render, site_dir: Path, options: SiteOptions,
               languages: tuple[Language, ...] = LANGUAGES, parallel: bool = True,
               project_dir: Path | None = None, assets: Assets = None
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
            jobs = [LanguageJob(language, projects / language, staging / language, options,
                                assets) for language in languages]
            builds = build_languages(jobs, render, parallel=parallel)
        site_output.share_vendor(staging, languages)
        if options.site_url:
            write_sitemaps({language: build.pages for language, build in builds.items()},
                           staging, options.site_url)
        write_root(staging)
        swap_into_place(staging, site_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return builds


def write_sitemaps(pages: dict[Language, tuple[str, ...]], site_dir: Path, site_url: str) -> None:
    """Replace MkDocs' sitemap of every language with one that pairs translations
    (generator/sitemap.py)."""
    urls: dict[str, set[Language]] = {}
    for language, paths in pages.items():
        for path in paths:
            if path.endswith(".md"):
                urls.setdefault(page_url(path), set()).add(language)
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
