"""Live preview: render each language into a kept MkDocs project and serve both on one port,
`/en/` and `/ru/` as on the site, with live reload (MkDocs' dev server, dirty builds); a watcher
re-renders the pages an edit affects, in both languages. It is `build`'s pipeline in what it
checks and shows: the vault's taxonomy and mkdocs.yml, its images, the same conversion cache.

An edit to a note re-reads that note only, re-links the vault (cheap: a tenth of a second on a
real vault), and re-renders the note, every note it links to or is linked from (before and
after the edit: titles and backlinks change there), and the index pages. Only files whose text
changed are written, so MkDocs rebuilds just those pages. A note saved half-written or with
broken YAML is still shown, with its problems printed here; the server keeps running.

What MkDocs rebuilds is decided by content, not by file times (`BuiltFrom`). A dirty build
rebuilds a page when its Markdown is newer than its HTML; a page whose Markdown is rewritten
while MkDocs builds it gets HTML newer than the new text, and would show the older save for
good. So before each build, every docs file whose text differs from the text its output was
last built from has its time set to now, which makes MkDocs rebuild it; a file written during
a build counts as built from unknown text. Every write to the docs triggers a later build, so
the served pages converge to the docs' text. A docs file that disappears (a deleted note) has
its output removed, so its page answers 404.

Search works in the preview as on the site: after each language's build, Pagefind indexes that
language's served HTML in a background thread (`SearchRefresher`; seconds on a real vault), so
the pages are served at once and the index follows; saves made while it runs are indexed by one
more run after it. The new index replaces the old one whole (site/search_index.py).

The project lives in the cache folder (`--cache-dir`, else $KB_CACHE_DIR, else .cache/kb), one
per vault and language (`project_folder`), and is pruned to the vault at start: pages of notes
deleted since the last preview are removed. A second preview of the same vault, or `--no-cache`,
works in a temporary project removed at exit.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import logging
import os
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import filelock

from . import pipeline
from .checks.taxonomy import Taxonomy
from .checks.validate import validate_vault
from .graph.links import KnowledgeGraph, build_graph
from .model import LANGUAGES, BuildReport, Diagnostic, Language, NoteKey, Vault
from .notes.load import ASSET_SUFFIXES, is_note_path, load_note
from .report import plural, write_diagnostics
from .site import affected, conversion_cache, engine, search_index
from .site.project import (
    SiteOptions,
    copy_assets,
    docs_paths,
    emit_project,
    remove_other_files,
    vault_options,
    write_pages,
)
from .site.render import Renderer
from .site.root import write_root

log = logging.getLogger(__name__)


class Preview:
    """The rendered state of one language, updated note by note."""

    def __init__(self, notes_dir: Path, language: Language, project_dir: Path,
                 taxonomy: Taxonomy | None = None, options: SiteOptions | None = None):
        self.notes_dir = notes_dir.resolve()
        self.language = language
        self.taxonomy = taxonomy  # the vault's, as `build` reads it (None: the built-in one)
        self.lock = threading.Lock()
        report = BuildReport()
        checked = pipeline.check(self.notes_dir, report, taxonomy)
        self.vault: Vault = checked.vault
        self.graph: KnowledgeGraph = checked.graph
        self._report(checked.diagnostics)
        pages = Renderer(self.vault, self.graph, language, taxonomy).pages()
        # The project as `build` emits it: pages, the images and PDFs notes embed, mkdocs.yml
        # (MkDocs' site_dir is set when it is served). A kept project holds the last preview's
        # pages: those of notes deleted since go.
        self.project = emit_project(pages, language, project_dir, project_dir / "site",
                                    options or SiteOptions(), self._assets(), only_changed=True)
        self.docs_dir = self.project.docs_dir

    def _assets(self) -> tuple[Path, tuple[str, ...]]:
        return self.vault.root, self.vault.assets

    def _report(self, diagnostics: list[Diagnostic]) -> None:
        if diagnostics:
            write_diagnostics(diagnostics, len(self.vault.notes), "text", sys.stderr,
                              self.notes_dir)

    def note_changed(self, path: Path) -> int:
        """Re-render what an edit to `path` affects; return the number of files written."""
        rel = path.resolve().relative_to(self.notes_dir).as_posix()
        if path.suffix.lower() in ASSET_SUFFIXES:  # an image saved or replaced: copied again
            if path.exists() and rel in self.vault.assets:
                copy_assets((self.vault.root, (rel,)), self.docs_dir, only_changed=True)
                return 1
            return 0
        if not is_note_path(rel):
            return 0
        with self.lock:
            notes = {note.key: note for note in self.vault.notes}
            key = NoteKey(rel)
            before = self.graph
            if path.exists():
                notes[key] = load_note(path, rel)
            else:
                notes.pop(key, None)
                (self.docs_dir / rel).unlink(missing_ok=True)
            self.vault = dataclasses.replace(self.vault, notes=tuple(sorted(notes.values(),
                                                                            key=lambda n: n.key)))
            self.graph = build_graph(self.vault)
            stale = affected.by_edit(before, self.graph, {key})  # the rules: site/affected.py
            renderer = Renderer(self.vault, self.graph, self.language, self.taxonomy)
            pages = renderer.affected_pages(stale)
            if stale.every_page:  # the index pages of a topic left without notes go
                remove_other_files(self.docs_dir, docs_paths(pages, self._assets()))
            # The edited note's own rules only: vault-wide ones (duplicate ids) are the full
            # build's job, and re-checking 1,000 notes per keystroke-save is not free.
            alone = dataclasses.replace(self.vault, notes=(notes[key],) if key in notes else ())
            diagnostics = [d for d in validate_vault(alone, self.taxonomy) + self.graph.diagnostics
                           if d.path == rel]
            self._report(diagnostics)
            return write_pages(pages, self.docs_dir, only_changed=True)


class BuiltFrom:
    """What each docs file's output was last built from: docs path → sha256 of its text, or
    None when the file changed while MkDocs built (MkDocs may have read either text)."""

    def __init__(self, docs_dir: Path):
        self.docs_dir = docs_dir
        self.hashes: dict[str, str | None] | None = None  # None: nothing built yet

    def build(self, run: Callable[[], None], output_of: Callable[[str], Path]) -> int:
        """Run one dirty MkDocs build that rebuilds every file whose text is not the one its
        output was built from. `output_of`: where a docs file's output is in the site. Returns
        how many pages (Markdown files) it rebuilt: all of them the first time."""
        before = self._stamps()
        pages = sum(1 for path in before if path.endswith(".md"))
        if self.hashes is not None:
            pages = 0
            now = time.time_ns()
            for path, (_, digest) in before.items():
                if self.hashes.get(path) != digest:
                    # Later than its output's time, whatever the file system's clock grain.
                    os.utime(self.docs_dir / path, ns=(now, now))
                    before[path] = (now, digest)
                    pages += path.endswith(".md")
            # Dirty builds leave the output of a deleted page: remove it, so it answers 404.
            for gone in self.hashes.keys() - before.keys():
                output_of(gone).unlink(missing_ok=True)
        run()
        after = {path: mtime for path, (mtime, _) in self._stamps(hashed=False).items()}
        self.hashes = {path: digest if after.get(path) == mtime else None
                       for path, (mtime, digest) in before.items()}
        return pages

    def _stamps(self, hashed: bool = True) -> dict[str, tuple[int, str]]:
        """Every docs file's time and, if `hashed`, text hash; the time is read first, so that
        a write after it changes the time the caller compares."""
        stamps = {}
        for folder, _, names in os.walk(self.docs_dir):
            for name in names:
                path = Path(folder) / name
                try:
                    mtime = path.stat().st_mtime_ns
                    digest = hashlib.sha256(path.read_bytes()).hexdigest() if hashed else ""
                except FileNotFoundError:  # deleted by the watcher meanwhile
                    continue
                stamps[path.relative_to(self.docs_dir).as_posix()] = (mtime, digest)
        return stamps


class SearchRefresher:
    """Pagefind's index of one language's preview, refreshed in a background thread after each
    build; requests that arrive while it runs make one more run (never a queue of them)."""

    def __init__(self, language: Language):
        self.language = language
        self.site_dir: Path | None = None
        self.wanted = threading.Event()
        self.runs = 0
        threading.Thread(target=self._run, name=f"kb-search-{language}", daemon=True).start()

    def request(self, site_dir: Path) -> None:
        self.site_dir = site_dir
        self.wanted.set()

    def _run(self) -> None:
        while True:
            self.wanted.wait()
            self.wanted.clear()
            if self.site_dir is None or not self.site_dir.is_dir():
                continue
            started = time.perf_counter()
            try:
                search_index.index_site(self.site_dir, self.language)
            except (search_index.SearchIndexError, OSError) as error:
                if not self.site_dir.is_dir():  # the preview stopped and removed its site
                    return
                # The pages are served; only search lags: say so once per failure, go on.
                print(f"kb: search ({self.language}) could not be refreshed: {error}",
                      file=sys.stderr, flush=True)
                continue
            self.runs += 1
            if self.runs == 1:
                print(f"kb: search ({self.language}) ready in "
                      f"{time.perf_counter() - started:.1f}s", file=sys.stderr, flush=True)


def project_folder(notes_dir: Path, language: Language, cache_dir: Path) -> Path:
    """The kept preview project of a vault and language: one per notes folder (by a hash of
    its resolved path), so that previews of two vaults never serve each other's pages."""
    key = hashlib.sha256(str(notes_dir.resolve()).encode("utf-8")).hexdigest()[:12]
    return cache_dir.resolve() / f"serve-{key}" / language


@contextlib.contextmanager
def preview_project(notes_dir: Path, language: Language, cache_dir: Path | None
                    ) -> Iterator[Path]:
    """The project folder for this preview: the kept one, locked while the preview runs, or a
    temporary one without a cache folder or when another preview holds the kept one."""
    with contextlib.ExitStack() as stack:
        project = None
        if cache_dir is not None:
            project = project_folder(notes_dir, language, cache_dir)
            project.mkdir(parents=True, exist_ok=True)
            lock = filelock.FileLock(project / "serve.lock")
            try:
                stack.enter_context(lock.acquire(timeout=0))
            except filelock.Timeout:
                print("kb: another preview of this vault is running; this one works in a "
                      "temporary folder", file=sys.stderr)
                project = None
        if project is None:
            project = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="kb-serve-")))
        yield project


class ServeError(Exception):
    """The preview cannot start: an address that is taken or not one."""


def check_address(dev_addr: str) -> None:
    """Fail before the first build, not after it, when the address cannot be served: taken
    by another program (another preview), or not HOST:PORT."""
    host, _, port = dev_addr.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ServeError(f"--dev-addr {dev_addr}: expected HOST:PORT, e.g. 127.0.0.1:8000")
    try:
        # As the server binds (wsgiref: SO_REUSEADDR), so that a port in TIME_WAIT is free.
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host.strip("[]"), int(port)))
    except OSError as error:
        raise ServeError(f"cannot serve on {dev_addr}: {error.strerror or error}; another "
                         "program (another preview?) may use it: pass --dev-addr "
                         f"{host}:{int(port) + 1}, or stop it") from error


def serve(notes_dir: Path, language: Language = "en", dev_addr: str = "127.0.0.1:8000",
          cache_dir: Path | None = None, taxonomy: Taxonomy | None = None) -> int:
    """Serve both languages of the vault at `dev_addr` until stopped (Ctrl-C), `language` first
    in what is printed; each language's project is kept under `cache_dir` (None: temporary
    folders). The same checks, taxonomy, assets and vault configuration as `build`."""
    check_address(dev_addr)
    with contextlib.ExitStack() as stack:
        projects = {lang: stack.enter_context(preview_project(notes_dir, lang, cache_dir))
                    for lang in LANGUAGES}
        _serve(notes_dir, language, dev_addr, cache_dir, projects, taxonomy)
    return 0


def _serve(notes_dir: Path, language: Language, dev_addr: str, cache_dir: Path | None,
           projects: dict[Language, Path], taxonomy: Taxonomy | None) -> None:
    from watchdog.events import FileSystemEvent, FileSystemEventHandler
    from watchdog.observers import Observer

    # One preview per language, each with its project; both served on one port under
    # /en/ and /ru/, so that the language switcher works as on the built site.
    options = vault_options(SiteOptions(site_url=f"http://{dev_addr}/", cache_dir=cache_dir),
                            notes_dir)
    previews = {lang: Preview(notes_dir, lang, projects[lang], taxonomy, options)
                for lang in LANGUAGES}

    class OnEdit(FileSystemEventHandler):
        def on_any_event(self, event: FileSystemEvent) -> None:
            if event.is_directory or event.event_type not in ("modified", "created", "deleted",
                                                              "moved"):
                return
            paths = [event.src_path] + ([event.dest_path] if event.event_type == "moved" else [])
            for raw in paths:
                path = Path(str(raw))
                if path.suffix == ".md" or path.suffix.lower() in ASSET_SUFFIXES:
                    try:
                        written = sum(preview.note_changed(path) for preview in previews.values())
                        if written:
                            print(f"kb: {path.name} changed: {plural(written, 'page')} "
                                  "re-rendered; rebuilding", file=sys.stderr,
                                  flush=True)
                    except Exception:  # a preview must survive anything an editor saves
                        log.exception("could not re-render %s", path)

    built = {lang: BuiltFrom(preview.docs_dir) for lang, preview in previews.items()}
    searches = {lang: SearchRefresher(lang) for lang in LANGUAGES}

    def rebuild(lang: Language, run: Callable[[], None], output_of: Callable[[str], Path],
                site_dir: Path) -> None:
        """One language's dirty build (engine.serve), with the conversion cache `build` uses;
        quiet about its dirty mode: BuiltFrom makes it rebuild what changed. Its search index
        follows in the background."""
        conversion_cache.activate_for(options.cache_folder(lang), options.base_config)
        first = built[lang].hashes is None
        started = time.perf_counter()
        try:
            pages = built[lang].build(run, output_of)
        finally:
            conversion_cache.save(prune=False)
        if pages:
            print(f"kb: {lang}: {plural(pages, 'page')} {'built' if first else 'rebuilt'} in "
                  f"{time.perf_counter() - started:.1f}s", file=sys.stderr, flush=True)
        searches[lang].request(site_dir)

    observer = Observer()
    observer.schedule(OnEdit(), str(previews["en"].notes_dir), recursive=True)
    observer.start()
    others = " and ".join(f"http://{dev_addr}/{lang}/" for lang in LANGUAGES if lang != language)
    print(f"kb: serving http://{dev_addr}/{language}/ (and {others}); search follows each "
          "rebuild", file=sys.stderr)
    try:
        # `/` sends the reader to their language, as on the site.
        engine.serve({lang: p.project.config_file for lang, p in previews.items()},
                     {lang: p.docs_dir for lang, p in previews.items()}, dev_addr, rebuild,
                     write_root)
    finally:
        observer.stop()
        observer.join()
