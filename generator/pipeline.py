"""The pipeline, in one place: load -> publish -> validate -> link -> render -> engine (render
and engine once per language, the languages side by side). `publish` keeps the notes readers
see: every later stage but validation sees only them."""

from __future__ import annotations

import functools
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import progress
from .checks.taxonomy import Taxonomy
from .checks.validate import validate_vault
from .graph.links import KnowledgeGraph, build_published_graph
from .model import LANGUAGES, BuildReport, Diagnostic, Vault
from .notes.load import load_vault
from .site.publish import exclude_patterns, left_out, links_to_withheld, publish

if TYPE_CHECKING:
    from .dataview import DataviewIndex
    from .model import NoteKey
    from .site.engine import SiteOptions

# render and engine (Jinja, Dataview, MkDocs glue) are imported where they are used, so that
# `validate`, which a commit hook runs on every commit, does not pay for them.


@dataclass
class Checked:
    vault: Vault
    graph: KnowledgeGraph
    diagnostics: list[Diagnostic]
    queries: DataviewIndex  # the vault's Dataview queries, each run once, for render to show


@contextmanager
def timed(report: BuildReport, stage: str, mode: progress.Mode = "quiet") -> Iterator[None]:
    """Time a stage into the report, and say it runs (progress.py)."""
    start = time.perf_counter()
    try:
        with progress.stage(mode, stage):
            yield
    finally:
        report.timings[stage] = report.timings.get(stage, 0.0) + time.perf_counter() - start


def check(notes_dir: Path, report: BuildReport, taxonomy: object | None = None,
          run_queries: bool = False, mode: progress.Mode = "quiet") -> Checked:
    """Load, validate and link a vault; every diagnostic is collected, none is fatal.
    With `run_queries`, Dataview queries are run (a build renders them anyway), not only
    parsed."""
    with timed(report, "load", mode):
        loaded = load_vault(notes_dir)
        # Only the published notes go further; every note is validated (publish.py).
        publication = publish(loaded, exclude_patterns(notes_dir))
        vault = publication.vault
    with timed(report, "validate", mode):
        diagnostics = validate_vault(loaded, taxonomy)
    with timed(report, "graph", mode):
        graph = build_published_graph(vault, publication.withheld)
        diagnostics += links_to_withheld(publication, graph)
    with timed(report, "dataview"):
        from .dataview import DataviewIndex, dataview_diagnostics

        queries = DataviewIndex(vault, graph)  # its results are reused by render
        found = dataview_diagnostics(vault, queries if run_queries else None)
    diagnostics = sorted(diagnostics + graph.diagnostics + found, key=Diagnostic.sort_key)
    report.notes = len(vault.notes)
    report.left_out = left_out(publication)
    report.diagnostics = diagnostics
    return Checked(vault, graph, diagnostics, queries)


def build(notes_dir: Path, site_dir: Path, *, allow_errors: bool = False,
          options: SiteOptions | None = None, taxonomy: object | None = None,
          parallel: bool = True, project_dir: Path | None = None) -> BuildReport:
    """Build the site; with errors in the notes and no `allow_errors`, write nothing.

    Rendering and the engine run per language, side by side: each language's process renders
    its pages from the checked vault and graph, then builds them."""
    from .site.build_dirs import check_outputs
    from .site.engine import SiteOptions, build_site
    from .site.render import render_language

    options = options or SiteOptions()
    # Before anything is read or written: an output folder that is, holds or sits among the
    # notes would delete them (build_dirs.py).
    check_outputs(notes_dir, {"--site": site_dir, "--keep-project": project_dir,
                              "--cache-dir": options.cache_dir})
    report = BuildReport()
    checked = check(notes_dir, report, taxonomy, run_queries=True, mode=options.progress)
    if any(d.severity == "error" for d in checked.diagnostics) and not allow_errors:
        return report
    with timed(report, "engine", options.progress):
        # The taxonomy's labels name topics, statuses and shared sections on the pages.
        labels_from = taxonomy if isinstance(taxonomy, Taxonomy) else None
        builds = build_site(functools.partial(render_language, checked.vault, checked.graph,
                                              taxonomy=labels_from, queries=checked.queries),
                            site_dir, options, LANGUAGES, parallel=parallel,
                            project_dir=project_dir,
                            assets=(checked.vault.root, checked.vault.assets))
    for language, result in builds.items():
        report.pages[language] = len(result.pages)
        report.engine_warnings[language] = result.warnings
        report.cache[language] = result.cache
        report.kept[language] = result.kept
        for step, seconds in result.seconds.items():
            report.timings[f"{step} {language}"] = seconds
    report.built = True
    return report


def check_paths(notes_dir: Path, keys: set[NoteKey], report: BuildReport,
                taxonomy: object | None = None) -> list[Diagnostic]:
    """`validate PATH…`: the diagnostics of the notes `keys` only, with their links resolved
    and their ids compared against the whole vault. The other notes are read for their front
    matter alone and no graph is built, so that a commit hook on one file stays well under a
    second on a vault of a thousand notes."""
    from .graph.links import Resolver, asset_names, note_links

    with timed(report, "load"):
        vault = load_vault(notes_dir, only=set(keys))
    with timed(report, "validate"):
        diagnostics = validate_vault(vault, taxonomy, only=set(keys))
    given = [note for note in vault.notes if note.key in keys]
    with timed(report, "graph"):
        resolver = Resolver.for_notes(vault.notes)
        notes, assets = vault.by_key(), asset_names(vault)
        for note in given:
            diagnostics.extend(note_links(note, resolver, notes, assets)[1])
    if any("dataview" in note.body for note in given):  # as find_blocks looks
        from .dataview import dataview_diagnostics

        with timed(report, "dataview"):
            diagnostics.extend(dataview_diagnostics(Vault(vault.root, tuple(given), ())))
    diagnostics.sort(key=Diagnostic.sort_key)
    report.notes = len(given)
    report.diagnostics = diagnostics
    return diagnostics
