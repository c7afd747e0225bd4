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
import ctypes
import ctypes.util
import json
import logging
import multiprocessing
import multiprocessing.connection
import os
import pickle
import shutil
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import yaml
from markupsafe import escape

from .. import progress, resources
from ..model import LANGUAGES, Language, Page
from ..paths import GRAPH_PAGE, MOC_INDEX, STUDY_PAGE, page_url
from . import build_dirs, conversion_cache, previous_build
from . import output as site_output
from .i18n import STRINGS
from .root import write_root
from .search_index import BUNDLE_DIR, index_site
from .sitemap import write_root_sitemap, write_sitemap

log = logging.getLogger(__name__)

# The site's base configuration and Material overrides: the repository's top-level mkdocs.yml
# and theme_overrides/, which generator/site_base/ links to, so that the wheel ships them as
# package data and an installed `kb` builds any vault (the one copy stays at the top level).
SITE_BASE = resources.SITE_BASE
BASE_CONFIG = SITE_BASE / "mkdocs.yml"
THEME_OVERRIDES = SITE_BASE / "theme_overrides"


# Where builds keep the conversion cache (generator/site/conversion_cache.py) unless told otherwise:
# beside the working directory's other tool caches, as .pytest_cache and .ruff_cache are.
DEFAULT_CACHE_DIR = Path(".cache") / "kb"


@dataclass(frozen=True)
class SiteOptions:
    site_url: str | None = None  # e.g. https://example.org/kb/ ; enables canonical URLs, sitemap
    base_config: Path = BASE_CONFIG
    cache_dir: Path | None = None  # conversion cache; None: every page is converted afresh
    # With a cache_dir: keep each language's output there, so that the next build writes only
    # the pages whose Markdown changed (generator/site/previous_build.py).
    keep_output: bool = True
    progress: progress.Mode = "quiet"  # what the build says while it runs (progress.py)
    # The vault's own mkdocs.yml, layered over base_config (vault_options, project_config).
    vault_config: Path | None = None

    def cache_folder(self, language: Language) -> Path | None:
        return self.cache_dir / f"pages-{language}" if self.cache_dir else None


# Files to copy into every language's docs: (vault root, paths relative to it).
Assets = tuple[Path, tuple[str, ...]] | None


class EngineError(Exception):
    """MkDocs failed for one language; carries its messages."""


def write_pages(pages: Iterable[Page], docs_dir: Path, only_changed: bool = False) -> int:
    """Write pages under `docs_dir`; with `only_changed`, skip files whose text is the same
    (so that a live-reloading server, or MkDocs' dirty mode, sees only real changes). Returns
    the number written."""
    written = 0
    for page in pages:
        target = docs_dir / page.path
        data = page.markdown.encode("utf-8")
        # Bytes, not text: a kept project's file that is no longer UTF-8 (a damaged cache) is
        # a file that changed, not a reason to fail the build. One that cannot be read too.
        if only_changed:
            try:
                if target.read_bytes() == data:
                    continue
            except OSError:
                pass
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written += 1
    return written


def copy_assets(assets: Assets, docs_dir: Path, only_changed: bool = False) -> None:
    """Copy the vault's files that notes embed into the docs; with `only_changed`, only those
    whose bytes differ (a copy's time says it changed)."""
    if not assets:
        return
    root, paths = assets
    for rel in paths:
        target = docs_dir / rel
        if only_changed and target.is_file():
            try:  # a kept file that cannot be read is one to copy again
                if target.read_bytes() == (root / rel).read_bytes():
                    continue
            except OSError:
                pass
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(root / rel, target)


def remove_other_files(docs_dir: Path, keep: set[str]) -> None:
    """Delete what a kept project's docs hold from an earlier build and this one did not write
    (a note deleted or renamed since), and the folders left empty."""
    for folder, _, names in os.walk(docs_dir, topdown=False):
        for name in names:
            path = Path(folder) / name
            if path.relative_to(docs_dir).as_posix() not in keep:
                path.unlink()
        if folder != str(docs_dir) and not os.listdir(folder):
            os.rmdir(folder)


def docs_paths(pages: Iterable[Page], assets: Assets) -> set[str]:
    """Every file of a language's docs, docs-relative: its pages and the vault's assets."""
    return {page.path for page in pages} | set(assets[1] if assets else ())


# The vault's own settings: a `mkdocs.yml` in the notes folder, else at the root of the
# repository that holds it (the folder with `.git`), where `kb init` writes one.
VAULT_CONFIG = "mkdocs.yml"
# What the generator decides whatever the vault's file says: where things are, the navigation,
# no plugins, the Markdown the pages are converted with (the page cache is keyed on the base's),
# the theme (Material, with our overrides) and its language.
GENERATOR_KEYS = frozenset({"INHERIT", "docs_dir", "site_dir", "nav", "not_in_nav", "plugins",
                            "markdown_extensions", "use_directory_urls", "hooks"})
GENERATOR_THEME_KEYS = frozenset({"name", "language", "custom_dir"})
APPENDED_KEYS = ("extra_css", "extra_javascript")  # the vault's entries come after the base's


class VaultConfigError(EngineError):
    """The vault's mkdocs.yml cannot be read or layered; the message names the file."""


def find_vault_config(notes_dir: Path, base_config: Path = BASE_CONFIG) -> Path | None:
    """The vault's mkdocs.yml: in the notes folder, else at the root of its repository; never
    the base configuration itself (this repository's own notes/)."""
    folder = notes_dir.resolve()
    candidates = [folder / VAULT_CONFIG]
    repository = next((path for path in (folder, *folder.parents) if (path / ".git").exists()),
                      None)
    if repository is not None:
        candidates.append(repository / VAULT_CONFIG)
    for candidate in candidates:
        if candidate.is_file():
            return None if candidate.samefile(base_config) else candidate
    return None


def vault_options(options: SiteOptions, notes_dir: Path) -> SiteOptions:
    """`options` with the vault's mkdocs.yml, if it has one (read now, so that a broken file is
    reported once, before anything is built); its `site_url` serves when none is given."""
    found = find_vault_config(notes_dir, options.base_config)
    if found is None:
        return options
    site_url = vault_settings(found).get("site_url")
    return replace(options, vault_config=found,
                   site_url=options.site_url or (site_url if isinstance(site_url, str) else None))


def vault_settings(path: Path) -> dict[str, Any]:
    """The vault's settings, read with MkDocs' own YAML loader (!ENV, its own INHERIT), without
    the keys the generator decides; plain data, as the per-language mkdocs.yml is written."""
    from mkdocs.exceptions import ConfigurationError
    from mkdocs.utils.yaml import yaml_load

    try:
        with path.open("rb") as stream:
            data = yaml_load(stream)
    except (OSError, ConfigurationError) as error:
        raise VaultConfigError(f"{path}: {error}") from None
    if not isinstance(data, dict):
        raise VaultConfigError(f"{path}: expected settings (key: value lines), not a "
                               f"{type(data).__name__}")
    settings = {key: value for key, value in data.items() if key not in GENERATOR_KEYS}
    if isinstance(settings.get("theme"), dict):
        settings["theme"] = {key: value for key, value in settings["theme"].items()
                             if key not in GENERATOR_THEME_KEYS}
    else:
        settings.pop("theme", None)  # `theme: material` names the theme, which is ours
    for key, value in settings.items():
        try:
            yaml.safe_dump(value)
        except yaml.YAMLError:
            raise VaultConfigError(f"{path}: {key}: a Python object (a !!python tag) cannot be "
                                   "layered over the base configuration; write plain values") from None
    return settings


def project_config(language: Language, docs_dir: Path, site_dir: Path, nav: list[object],
                   options: SiteOptions, shared_vendor: bool = False) -> dict[str, object]:
    """The per-language `mkdocs.yml`, as data: it inherits the base configuration, and sets the
    vault's settings (options.vault_config) over it and the generator's own over both. With
    `shared_vendor`, pages load the bundled libraries from the site root, where `build_site`
    puts one copy for both languages."""
    strings = STRINGS[language]
    vault = vault_settings(options.vault_config) if options.vault_config else {}
    site_name = vault.pop("site_name", strings["site_name"])
    if isinstance(site_name, dict):  # {en: …, ru: …}: a name per language
        site_name = site_name.get(language, strings["site_name"])
    vault.pop("site_url", None)  # options.site_url (vault_options), with the language appended
    config: dict[str, object] = {
        "INHERIT": str(options.base_config.resolve()),
        **vault,
        "site_name": site_name,
        "docs_dir": str(docs_dir),
        "site_dir": str(site_dir),
        "theme": {**vault.get("theme", {}), "language": language,
                  "custom_dir": str(THEME_OVERRIDES)},
        # Search is Pagefind's (generator/site/search_index.py), run after MkDocs; no MkDocs plugin.
        "plugins": [],
        "extra": {
            **(vault["extra"] if isinstance(vault.get("extra"), dict) else {}),
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
    if any(key in vault for key in APPENDED_KEYS):
        base = _base_settings(options.base_config)
        for key in APPENDED_KEYS:
            added = vault.get(key)
            if isinstance(added, list):
                config[key] = [*base.get(key, []), *(item for item in added
                                                     if item not in base.get(key, []))]
    if shared_vendor:
        config["extra"]["kb_vendor"] = f"../{site_output.VENDOR}/"  # type: ignore[index]
    if options.site_url:
        root = options.site_url.rstrip("/") + "/"
        config["site_url"] = f"{root}{language}/"
        config["extra"]["kb_root_url"] = root  # type: ignore[index]  # hreflang (main.html)
    return config


def _base_settings(base_config: Path) -> dict[str, Any]:
    from mkdocs.utils.yaml import yaml_load

    with base_config.open("rb") as stream:
        return yaml_load(stream)


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
    if STUDY_PAGE in paths:
        nav.append({strings["study"]: STUDY_PAGE})  # study mode (generator/site/study.py)
    for page in pages:
        if page.note is None and page.path == GRAPH_PAGE:
            # Escaped: Material writes nav titles into the HTML as they are.
            nav.append({str(escape(page.title or page.path)): GRAPH_PAGE})  # the global graph
    return nav


def emit_project(pages: list[Page], language: Language, project_dir: Path, site_dir: Path,
                 options: SiteOptions, assets: Assets = None, shared_vendor: bool = False,
                 only_changed: bool = False) -> Path:
    """Write a language's docs and mkdocs.yml under project_dir; return the config path. With
    `only_changed` (a project kept from the last build), files whose content is the same are
    left as they are, and files of the last build's that this one has not are deleted."""
    docs_dir = project_dir / "docs"
    write_pages(pages, docs_dir, only_changed)
    copy_assets(assets, docs_dir, only_changed)
    if only_changed:
        remove_other_files(docs_dir, docs_paths(pages, assets))
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
    kept: int = 0  # pages whose HTML is the last build's (not rebuilt by MkDocs)


@dataclass(frozen=True)
class LanguageJob:
    """Where one language's project and site go."""

    language: Language
    project_dir: Path
    site_dir: Path
    options: SiteOptions
    assets: Assets = None
    slot: previous_build.Slot | None = None  # the last build's output kept in the cache


def build_language(job: LanguageJob, render: Render) -> LanguageBuild:
    """Render one language's pages, emit its MkDocs project, build its HTML with MkDocs, then
    its search index. With a slot holding the last build's output and nothing changed but
    pages' Markdown, MkDocs rebuilds only those pages (generator/site/previous_build.py)."""
    started = time.perf_counter()
    pages = render(job.language)
    rendered = time.perf_counter()
    config_file = emit_project(pages, job.language, job.project_dir, job.site_dir, job.options,
                               job.assets, shared_vendor=True, only_changed=job.slot is not None)
    order = [page.path for page in pages]
    state = kept = None
    if job.slot is not None:
        state = previous_build.state(_comparable_config(config_file), job.options.base_config,
                                     docs_paths(pages, job.assets))
        kept = job.slot.previous(state)
        if kept is not None:
            job.slot.start(job.site_dir)
    def counting(pages: int) -> contextlib.AbstractContextManager[None]:
        return progress.counting_pages(job.options.progress, job.language, pages,
                                       position=LANGUAGES.index(job.language))

    with conversion_cache_for(job.language, job.options, prune=kept is None) as cache:
        new_warnings, rebuilt = run_mkdocs(config_file, dirty=kept is not None,
                                           counting=counting, pages=len(pages))
    if kept is None:
        warnings = new_warnings
        site_output.finish(job.site_dir)
    else:
        warnings = previous_build.merged(kept, new_warnings, set(rebuilt), order)
        # Only what MkDocs wrote: the kept pages were finished by the build that wrote them.
        site_output.finish(job.site_dir, [job.site_dir / html for html in
                                          ["404.html", *rebuilt.values()]])
    built = time.perf_counter()
    if kept is None or rebuilt or not (job.site_dir / BUNDLE_DIR).is_dir():
        shutil.rmtree(job.site_dir / BUNDLE_DIR, ignore_errors=True)
        index_site(job.site_dir, job.language)
    searched = time.perf_counter()
    if job.slot is not None and state is not None:
        job.slot.stage(job.site_dir, state, warnings)
    return LanguageBuild(tuple(order), previous_build.flat(warnings, order),
                         {"render": rendered - started, "mkdocs": built - rendered,
                          "search": searched - built}, (cache[0], cache[1]),
                         kept=0 if kept is None else len(order) - len(rebuilt))


def _comparable_config(config_file: Path) -> str:
    """The language's configuration without its folders: the staging folder's name differs per
    build, and the docs are the kept project's wherever the cache folder is."""
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    config.pop("site_dir", None)
    config.pop("docs_dir", None)
    return json.dumps(config, sort_keys=True, ensure_ascii=False)


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
def conversion_cache_for(language: Language, options: SiteOptions, prune: bool = True
                         ) -> Iterator[list[int]]:
    """The conversion cache on while MkDocs runs in this process; saved only when the build
    succeeds, without the pages it did not use if `prune` (a build that converted every page).
    Yields [hits, misses], filled in at the end."""
    counts = [0, 0]
    if not activate_conversion_cache(language, options):
        yield counts
        return
    try:
        yield counts
    except BaseException:
        conversion_cache.deactivate()
        raise
    counts[:] = conversion_cache.save(prune)


# What MkDocs logs at every dirty build; here a dirty build is one this module made safe.
_DIRTY_WARNING = "A 'dirty' build is being performed"


def run_mkdocs(config_file: Path, dirty: bool = False,
               counting: Callable[[int], contextlib.AbstractContextManager[None]] | None = None,
               pages: int = 0) -> tuple[previous_build.Warnings, dict[str, str]]:
    """Build one MkDocs project (in this process). Returns MkDocs' warnings by the page they
    are about ("" for none), and, for a dirty build, the pages it wrote (docs-relative path of
    the Markdown: site-relative path of the HTML; empty for a full build). `dirty`: the
    site folder holds the last build's output, and only the pages whose Markdown is newer than
    their HTML are built (MkDocs' dirty mode); every file MkDocs writes is unlinked first.
    `counting(n)`: a context that counts the n pages MkDocs converts (progress.py); `pages`:
    how many a full build converts."""
    from mkdocs.commands import build as mkdocs_build
    from mkdocs.config import load_config

    warnings: previous_build.Warnings = {}
    config = None

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            page = getattr(config, "_current_page", None) if config is not None else None
            warnings.setdefault(page.file.src_uri if page is not None else "",
                                []).append(record.getMessage())

    handler = Collect(level=logging.WARNING)
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.addHandler(handler)
    # Filtered at the logger, so that neither the build's warnings nor the terminal get it.
    build_log = logging.getLogger(mkdocs_build.__name__)
    build_log.addFilter(not_dirty_warning)
    try:
        config = load_config(config_file=str(config_file))
        rebuilt = _unlink_what_mkdocs_will_write(config) if dirty else {}
        config.plugins.on_startup(command="build", dirty=dirty)
        # The pages MkDocs is about to convert, counted for the progress display (`counting`).
        count = counting(len(rebuilt) if dirty else pages) if counting else contextlib.nullcontext()
        try:
            with count:
                mkdocs_build.build(config, dirty=dirty)
        finally:
            config.plugins.on_shutdown()
    except Exception as error:  # MkDocs raises many kinds; all mean this language failed
        raise EngineError(f"MkDocs failed for {config_file}: {error}") from error
    finally:
        mkdocs_log.removeHandler(handler)
        build_log.removeFilter(not_dirty_warning)
    return warnings, rebuilt


def not_dirty_warning(record: logging.LogRecord) -> bool:
    return not record.getMessage().startswith(_DIRTY_WARNING)


def _unlink_what_mkdocs_will_write(config: object) -> dict[str, str]:
    """Before a dirty build over hard links to the published site: unlink every file MkDocs
    will write (it opens them for writing, which would change the published copy too): the
    files it finds modified, as its dirty mode decides, and the theme's templates it renders at
    every build. Returns the pages among them (Markdown path: HTML path)."""
    from mkdocs.structure.files import get_files

    files = get_files(config)  # type: ignore[arg-type]
    files.add_files_from_theme(config.theme.get_env(), config)  # type: ignore[attr-defined]
    site_dir = Path(config.site_dir)  # type: ignore[attr-defined]
    pages = {}
    for file in files:
        if file.is_modified():
            Path(file.abs_dest_path).unlink(missing_ok=True)
            if file.is_documentation_page():
                pages[file.src_uri] = file.dest_uri
    for template in config.theme.static_templates:  # type: ignore[attr-defined]
        (site_dir / template).unlink(missing_ok=True)
        (site_dir / f"{template}.gz").unlink(missing_ok=True)
    return pages


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
    if any(job.options.progress == "bars" for job in jobs):
        from tqdm import tqdm

        tqdm.set_lock(context.RLock())  # the workers' bars share the terminal, one line each
    workers: dict[Language, tuple[multiprocessing.process.BaseProcess, Connection]] = {}
    try:
        for job in jobs:
            receive, send = context.Pipe(duplex=False)
            # The worker inherits every read end made so far, its own and its siblings': it
            # closes them, so that once the parent is gone its writes fail instead of filling
            # a pipe nobody reads.
            inherited = [receive, *(other for _, other in workers.values())]
            process = context.Process(target=_build_in_worker,
                                      args=(job, render, send, inherited, os.getpid()),
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


def _build_in_worker(job: LanguageJob, render: Render, send: Connection,
                     inherited: list[Connection], parent: int) -> None:
    # SIGTERM unwinds the worker as Ctrl-C does, so that subprocess.run stops its Pagefind.
    signal.signal(signal.SIGTERM, _raise_interrupt)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    for connection in inherited:
        connection.close()
    _die_with(parent)
    try:
        result: tuple[str, object] = ("ok", build_language(job, render))
    except BaseException as error:  # the parent re-raises it
        result = ("error", _sendable(error))
    try:
        send.send(result)
    except (KeyboardInterrupt, BrokenPipeError):
        pass  # the parent stopped this worker (another language failed) and reads no more
    finally:
        send.close()


_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _die_with(parent: int) -> None:
    """A worker must not outlive the build that started it (killed with SIGKILL, the parent
    cannot stop it): it would go on holding the cache lock, and, its result unread, block on a
    full pipe for ever. On Linux the kernel sends it SIGTERM when the parent dies
    (PR_SET_PDEATHSIG); elsewhere a thread watches for the parent's death. Either way the
    worker unwinds as on Ctrl-C, stopping its Pagefind."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) == 0:
            if os.getppid() != parent:  # the parent died before the call
                os.kill(os.getpid(), signal.SIGTERM)
            return

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="kb-parent-watch", daemon=True).start()


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


def build_site(render: Render, site_dir: Path, options: SiteOptions,
               languages: tuple[Language, ...] = LANGUAGES, parallel: bool = True,
               project_dir: Path | None = None, assets: Assets = None
               ) -> dict[Language, LanguageBuild]:
    """Build every language into a fresh folder beside `site_dir`, then swap it in.

    The previous `site_dir` stays untouched until the new site is complete; a failure or an
    interruption leaves it as it was and removes the half-built folder, and what a killed build
    left is removed by the next one (generator/site/build_dirs.py). The emitted MkDocs projects go to
    the cache folder, kept for the next build (generator/site/previous_build.py), or without one to a
    temporary folder, or to `project_dir` to be kept for inspection (then the build starts
    afresh).
    """
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    build_dirs.remove_leftovers(site_dir)
    keep = options.cache_dir is not None and options.keep_output and project_dir is None
    with build_dirs.locked(options.cache_dir) if keep else contextlib.nullcontext():
        # Absolute: the kept project's mkdocs.yml names its docs folder, which MkDocs would
        # take as relative to the mkdocs.yml, not to the working directory.
        slots = {language: previous_build.Slot(options.cache_dir.resolve(), language)  # type: ignore[union-attr]
                 for language in languages} if keep else {}
        for slot in slots.values():
            slot.discard()  # a killed build's half-staged output; under the lock, none is live
        staging = build_dirs.new_staging(site_dir)
        try:
            with build_dirs.temporary_projects() as temporary:
                projects = project_dir or temporary
                if project_dir is not None:
                    shutil.rmtree(project_dir, ignore_errors=True)
                jobs = [LanguageJob(language,
                                    slots[language].project_dir if keep else projects / language,
                                    staging / language, options, assets, slots.get(language))
                        for language in languages]
                builds = build_languages(jobs, render, parallel=parallel)
            site_output.share_vendor(staging, languages)
            if options.site_url:
                write_sitemaps({language: build.pages for language, build in builds.items()},
                               staging, options.site_url)
            write_root(staging, options.site_url)
            build_dirs.swap_into_place(staging, site_dir)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            for slot in slots.values():
                slot.discard()
            raise
        for slot in slots.values():
            slot.commit()
    return builds


def write_sitemaps(pages: dict[Language, tuple[str, ...]], site_dir: Path, site_url: str) -> None:
    """Replace MkDocs' sitemap of every language with ours, and write the sitemap index and
    robots.txt at the root (generator/site/sitemap.py)."""
    urls: dict[str, set[Language]] = {}
    for language, paths in pages.items():
        for path in paths:
            if path.endswith(".md"):
                urls.setdefault(page_url(path), set()).add(language)
    for language in pages:
        write_sitemap(site_dir / language, language, urls, site_url)
    write_root_sitemap(site_dir, tuple(pages), site_url)
