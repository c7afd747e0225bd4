"""Live preview: render one language into a kept MkDocs project and serve it with live reload
(MkDocs' dev server, dirty builds); a watcher re-renders the pages an edit affects.

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

The project lives in the cache folder (`--cache-dir`, else $KB_CACHE_DIR, else .cache/kb), one
per vault and language (`project_folder`), and is pruned to the vault at start: pages of notes
deleted since the last preview are removed. A second preview of the same vault, or `--no-cache`,
works in a temporary project removed at exit.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import hashlib
import logging
import os
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path

from . import conversion_cache, pipeline
from .engine import (
    SiteOptions,
    activate_conversion_cache,
    copy_assets,
    docs_paths,
    navigation,
    project_config,
    remove_other_files,
    vault_options,
    write_pages,
)
from .graph import KnowledgeGraph, build_graph
from .load import ASSET_SUFFIXES, is_note_path, load_note
from .model import BuildReport, Language, NoteKey, Vault
from .render import Renderer
from .report import write_diagnostics
from .taxonomy import Taxonomy
from .validate import validate_vault

log = logging.getLogger(__name__)


class Preview:
    """The rendered state of one language, updated note by note."""

    def __init__(self, notes_dir: Path, language: Language, project_dir: Path,
                 taxonomy: Taxonomy | None = None):
        self.notes_dir = notes_dir.resolve()
        self.language = language
        self.docs_dir = project_dir / "docs"
        self.taxonomy = taxonomy  # the vault's, as `build` reads it (None: the built-in one)
        self.lock = threading.Lock()
        report = BuildReport()
        checked = pipeline.check(self.notes_dir, report, taxonomy)
        self.vault: Vault = checked.vault
        self.graph: KnowledgeGraph = checked.graph
        self._report(checked.diagnostics)
        self.pages = Renderer(self.vault, self.graph, language, taxonomy).pages()
        write_pages(self.pages, self.docs_dir, only_changed=True)
        # The images and PDFs notes embed, as `build` copies them.
        copy_assets(self._assets(), self.docs_dir, only_changed=True)
        # A kept project holds the last preview's pages: those of notes deleted since go.
        remove_other_files(self.docs_dir, docs_paths(self.pages, self._assets()))

    def _assets(self) -> tuple[Path, tuple[str, ...]]:
        return self.vault.root, self.vault.assets

    def _report(self, diagnostics: list) -> None:  # type: ignore[type-arg]
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
            before = self._neighbours(key)
            if path.exists():
                notes[key] = load_note(path, rel)
            else:
                notes.pop(key, None)
                (self.docs_dir / rel).unlink(missing_ok=True)
            created_or_deleted = (key in notes) != (key in self.graph.notes)
            self.vault = dataclasses.replace(self.vault, notes=tuple(sorted(notes.values(),
                                                                            key=lambda n: n.key)))
            self.graph = build_graph(self.vault)
            affected = before | self._neighbours(key) | {key}
            # A MOC's members link their previous and next in it: a title or difficulty
            # change moves the note in that order.
            for moc in [k for k in affected if k in notes and notes[k].kind == "moc"]:
                affected |= set(self.graph.moc_members(moc))
            renderer = Renderer(self.vault, self.graph, self.language, self.taxonomy)
            if created_or_deleted:
                pages = renderer.pages()  # links elsewhere may now resolve, or break
                # and the index pages of a topic left without notes go
                remove_other_files(self.docs_dir, docs_paths(pages, self._assets()))
            else:
                pages = [renderer.note_page(notes[k]) for k in sorted(affected) if k in notes]
                pages += renderer.index_pages()
            # The edited note's own rules only: vault-wide ones (duplicate ids) are the full
            # build's job, and re-checking 1,000 notes per keystroke-save is not free.
            alone = dataclasses.replace(self.vault, notes=(notes[key],) if key in notes else ())
            diagnostics = [d for d in validate_vault(alone, self.taxonomy) + self.graph.diagnostics
                           if d.path == rel]
            self._report(diagnostics)
            return write_pages(pages, self.docs_dir, only_changed=True)

    def _neighbours(self, key: NoteKey) -> set[NoteKey]:
        if key not in self.graph.graph:
            return set()
        return set(self.graph.graph.predecessors(key)) | set(self.graph.graph.successors(key))


class BuiltFrom:
    """What each docs file's output was last built from: docs path → sha256 of its text, or
    None when the file changed while MkDocs built (MkDocs may have read either text)."""

    def __init__(self, docs_dir: Path):
        self.docs_dir = docs_dir
        self.hashes: dict[str, str | None] | None = None  # None: nothing built yet

    def build(self, run: Callable[[], None], site_dir: Path, use_directory_urls: bool) -> None:
        """Run one dirty MkDocs build that rebuilds every file whose text is not the one its
        output was built from."""
        from mkdocs.structure.files import File

        before = self._stamps()
        if self.hashes is not None:
            now = time.time_ns()
            for path, (_, digest) in before.items():
                if self.hashes.get(path) != digest:
                    # Later than its output's time, whatever the file system's clock grain.
                    os.utime(self.docs_dir / path, ns=(now, now))
                    before[path] = (now, digest)
            # Dirty builds leave the output of a deleted page: remove it, so it answers 404.
            for gone in self.hashes.keys() - before.keys():
                output = File(gone, str(self.docs_dir), str(site_dir), use_directory_urls)
                Path(output.abs_dest_path).unlink(missing_ok=True)
        run()
        after = {path: mtime for path, (mtime, _) in self._stamps(hashed=False).items()}
        self.hashes = {path: digest if after.get(path) == mtime else None
                       for path, (mtime, digest) in before.items()}

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
            lock = stack.enter_context(open(project / "serve.lock", "w"))
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                print("kb: another preview of this vault is running; this one works in a "
                      "temporary folder", file=sys.stderr)
                project = None
        if project is None:
            project = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="kb-serve-")))
        yield project


def serve(notes_dir: Path, language: Language = "en", dev_addr: str = "127.0.0.1:8000",
          cache_dir: Path | None = None, taxonomy: Taxonomy | None = None) -> int:
    """Serve `language` of the vault at `dev_addr` until stopped (Ctrl-C); the project is kept
    under `cache_dir` (None: a temporary folder). The same checks, taxonomy, assets and vault
    configuration as `build`."""
    with preview_project(notes_dir, language, cache_dir) as project_dir:
        _serve(notes_dir, language, dev_addr, cache_dir, project_dir, taxonomy)
    return 0


def _serve(notes_dir: Path, language: Language, dev_addr: str, cache_dir: Path | None,
           project_dir: Path, taxonomy: Taxonomy | None) -> None:
    from watchdog.events import FileSystemEvent, FileSystemEventHandler
    from watchdog.observers import Observer

    preview = Preview(notes_dir, language, project_dir, taxonomy)
    options = vault_options(SiteOptions(site_url=f"http://{dev_addr}/", cache_dir=cache_dir),
                            notes_dir)
    config = project_config(language, preview.docs_dir, project_dir / "site",
                            navigation(preview.pages, language), options)
    import yaml

    config_file = project_dir / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False),
                           encoding="utf-8")

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
                        written = preview.note_changed(path)
                        log.info("%s changed: %d pages written", path.name, written)
                    except Exception:  # a preview must survive anything an editor saves
                        log.exception("could not re-render %s", path)

    observer = Observer()
    observer.schedule(OnEdit(), str(preview.notes_dir), recursive=True)
    observer.start()
    print(f"kb: serving {language} at http://{dev_addr}/{language}/ "
          "(search is built by `kb build`, not in the preview)", file=sys.stderr)
    # The same conversion cache as `build`: a preview after a build starts fast. It is saved
    # when the preview stops (Ctrl-C), without pruning: the server may stop before its first
    # build has looked at every page.
    activate_conversion_cache(language, options)
    try:
        _run_server(config_file, preview.docs_dir, dev_addr)
    finally:
        conversion_cache.save(prune=False)
        observer.stop()
        observer.join()


def _run_server(config_file: Path, docs_dir: Path, dev_addr: str) -> None:
    """`mkdocs serve --dirty` (mkdocs/commands/serve.py, without its plugin events: the
    project has no plugins), with each build run through `BuiltFrom`."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer

    built = BuiltFrom(docs_dir)
    with tempfile.TemporaryDirectory(prefix="kb-serve-site-") as site_dir:
        def config() -> MkDocsConfig:  # read afresh for every build, as `mkdocs serve` does
            return load_config(config_file=str(config_file), site_dir=site_dir,
                               dev_addr=dev_addr)

        def builder(current: MkDocsConfig | None = None) -> None:
            current = config() if current is None else current
            current.site_url = server.url
            built.build(lambda: build(current, serve_url=server.url, dirty=True),
                        Path(site_dir), current.use_directory_urls)

        first = config()
        host, port = first.dev_addr
        server = LiveReloadServer(builder=builder, host=host, port=port, root=site_dir,
                                  mount_path=urllib.parse.urlsplit(first.site_url or "/").path)

        def error_page(code: int) -> bytes | None:
            page = Path(site_dir) / f"{code}.html"
            return page.read_bytes() if code in (404, 500) and page.is_file() else None

        server.error_handler = error_page
        builder(first)
        server.watch(str(docs_dir))
        server.watch(str(config_file))
        try:
            server.serve()
        except KeyboardInterrupt:
            log.info("preview stopped")
        finally:
            server.shutdown()
