"""Live preview: render one language into a kept MkDocs project and let `mkdocs serve` (dirty
builds, live reload) show it; a watcher re-renders the pages an edit affects.

An edit to a note re-reads that note only, re-links the vault (cheap: a tenth of a second on a
real vault), and re-renders the note, every note it links to or is linked from (before and
after the edit: titles and backlinks change there), and the index pages. Only files whose text
changed are written, so MkDocs rebuilds just those pages. A note saved half-written or with
broken YAML is still shown, with its problems printed here; the server keeps running.
"""

from __future__ import annotations

import dataclasses
import logging
import sys
import threading
from pathlib import Path

from . import conversion_cache, pipeline
from .engine import REPO_ROOT, SiteOptions, activate_conversion_cache, navigation, project_config, write_pages
from .graph import KnowledgeGraph, build_graph
from .load import is_note_path, load_note
from .model import BuildReport, Language, NoteKey, Vault
from .render import Renderer
from .report import write_diagnostics
from .validate import validate_vault

log = logging.getLogger(__name__)

CACHE = REPO_ROOT / ".cache" / "serve"


class Preview:
    """The rendered state of one language, updated note by note."""

    def __init__(self, notes_dir: Path, language: Language, project_dir: Path):
        self.notes_dir = notes_dir.resolve()
        self.language = language
        self.docs_dir = project_dir / "docs"
        self.lock = threading.Lock()
        report = BuildReport()
        checked = pipeline.check(self.notes_dir, report)
        self.vault: Vault = checked.vault
        self.graph: KnowledgeGraph = checked.graph
        self._report(checked.diagnostics)
        self.pages = Renderer(self.vault, self.graph, language).pages()
        write_pages(self.pages, self.docs_dir, only_changed=True)

    def _report(self, diagnostics: list) -> None:  # type: ignore[type-arg]
        if diagnostics:
            write_diagnostics(diagnostics, len(self.vault.notes), "text", sys.stderr,
                              self.notes_dir)

    def note_changed(self, path: Path) -> int:
        """Re-render what an edit to `path` affects; return the number of files written."""
        rel = path.resolve().relative_to(self.notes_dir).as_posix()
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
            renderer = Renderer(self.vault, self.graph, self.language)
            if created_or_deleted:
                pages = renderer.pages()  # links elsewhere may now resolve, or break
            else:
                pages = [renderer.note_page(notes[k]) for k in sorted(affected) if k in notes]
                pages += renderer.index_pages()
            # The edited note's own rules only: vault-wide ones (duplicate ids) are the full
            # build's job, and re-checking 1,000 notes per keystroke-save is not free.
            alone = dataclasses.replace(self.vault, notes=(notes[key],) if key in notes else ())
            diagnostics = [d for d in validate_vault(alone) + self.graph.diagnostics
                           if d.path == rel]
            self._report(diagnostics)
            return write_pages(pages, self.docs_dir, only_changed=True)

    def _neighbours(self, key: NoteKey) -> set[NoteKey]:
        if key not in self.graph.graph:
            return set()
        return set(self.graph.graph.predecessors(key)) | set(self.graph.graph.successors(key))


def serve(notes_dir: Path, language: Language = "en", dev_addr: str = "127.0.0.1:8000",
          cache_dir: Path | None = None) -> int:
    from mkdocs.commands.serve import serve as mkdocs_serve
    from watchdog.events import FileSystemEvent, FileSystemEventHandler
    from watchdog.observers import Observer

    project_dir = CACHE / language
    preview = Preview(notes_dir, language, project_dir)
    options = SiteOptions(site_url=f"http://{dev_addr}/", cache_dir=cache_dir)
    config = project_config(language, preview.docs_dir, CACHE / f"site-{language}",
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
                if path.suffix == ".md":
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
        mkdocs_serve(config_file=str(config_file), livereload=True, build_type="dirty",
                     dev_addr=dev_addr)
    finally:
        conversion_cache.save(prune=False)
        observer.stop()
        observer.join()
    return 0
