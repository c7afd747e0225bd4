"""The pipeline, in one place, read top to bottom:

    check: load -> publish -> validate -> graph -> dataview
    build: check, then per language, side by side (`build_language`):
               render -> emit project -> MkDocs -> finish HTML -> search index
           then the site: shared libraries, sitemaps, root page -> swap into place

`publish` keeps the notes readers see: every later stage but validation sees only them. Each
stage is a function of its own module; this one only calls them in order.
"""

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
from .site.publish import exclude_patterns, files_not_notes, left_out, links_to_withheld, publish

if TYPE_CHECKING:
    from .dataview import DataviewIndex
    from .model import NoteKey
    from .site.assembly import LanguageBuild, LanguageJob
    from .site.project import SiteOptions

# The site's stages (Jinja, Dataview, MkDocs) are imported where they are used, so that
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


def check(notes_dir: Path, report: BuildReport, taxonomy: Taxonomy | None = None,
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
    report.checked = len(loaded.notes)
    report.left_out = left_out(publication)
    report.not_notes = files_not_notes(loaded.skipped)
    report.diagnostics = diagnostics
    return Checked(vault, graph, diagnostics, queries)


def build(notes_dir: Path, site_dir: Path, *, allow_errors: bool = False,
          options: SiteOptions | None = None, taxonomy: Taxonomy | None = None,
          parallel: bool = True, project_dir: Path | None = None) -> BuildReport:
    """Build the site; with errors in the notes and no `allow_errors`, write nothing.

    Each language is built in a process of its own (site/workers.py), into a staging folder
    that becomes `site_dir` only once both are built (site/assembly.py)."""
    from .site import assembly, workers
    from .site.build_dirs import check_outputs
    from .site.output import share_vendor
    from .site.project import SiteOptions
    from .site.root import write_root

    options = options or SiteOptions()
    # Before anything is read or written: an output folder that is, holds or sits among the
    # notes would delete them (build_dirs.py).
    check_outputs(notes_dir, {"--site": site_dir, "--keep-project": project_dir,
                              "--cache-dir": options.cache_dir})
    report = BuildReport()
    checked = check(notes_dir, report, taxonomy, run_queries=True, mode=options.progress)
    if any(d.severity == "error" for d in checked.diagnostics) and not allow_errors:
        return report
    # The taxonomy's labels name topics, statuses and shared sections on the pages.
    language_build = functools.partial(build_language, checked=checked, labels=taxonomy)
    with timed(report, "engine", options.progress), \
            assembly.staging(site_dir, options, LANGUAGES, project_dir,
                             assets=(checked.vault.root, checked.vault.assets)) as site:
        builds = workers.per_language(site.jobs, language_build, parallel=parallel,
                                      bars=options.progress == "bars")
        share_vendor(site.folder, LANGUAGES)  # the bundled libraries, once for both languages
        if options.site_url:
            assembly.write_sitemaps(site.folder, builds, options.site_url)
        write_root(site.folder, options.site_url)  # sends a reader to their language
        site.swap_into_place()
    for language, result in builds.items():
        report.pages[language] = len(result.pages)
        report.engine_warnings[language] = result.warnings
        report.cache[language] = result.cache
        report.kept[language] = result.kept
        for step, seconds in result.seconds.items():
            report.timings[f"{step} {language}"] = seconds
    report.built = True
    return report


def build_language(job: LanguageJob, checked: Checked, labels: Taxonomy | None) -> LanguageBuild:
    """One language, in its own process: render its pages, emit its MkDocs project, build the
    HTML with MkDocs, finish the HTML, index it for search. With the last build's output kept
    in the cache (`job.slot`) and nothing changed but pages' Markdown, MkDocs rebuilds only
    those pages (site/previous_build.py); with the conversion cache, a page whose Markdown is
    unchanged is not converted again (site/conversion_cache.py)."""
    from .site import conversion_cache, engine, output, previous_build, search_index
    from .site.assembly import LanguageBuild
    from .site.project import emit_project
    from .site.render import render_language

    language, options = job.language, job.options
    started = time.perf_counter()
    pages = render_language(checked.vault, checked.graph, language, taxonomy=labels,
                            queries=checked.queries)
    rendered = time.perf_counter()
    # A kept project's files are rewritten only where they changed: their times tell MkDocs'
    # dirty mode which pages to build.
    project = emit_project(pages, language, job.project_dir, job.site_dir, options, job.assets,
                           shared_vendor=True, only_changed=job.slot is not None)
    # The last build's output, when nothing but pages' Markdown changed; None: a full build.
    state = previous_build.state(project, options.base_config) if job.slot else None
    kept = job.slot.reuse(state, job.site_dir) if job.slot and state else None
    with conversion_cache.during_build(options.cache_folder(language), options.base_config,
                                       prune=kept is None) as cache:
        built = engine.build(project.config_file, kept=kept.anchors if kept else None,
                             pages=len(pages), counting=lambda count: progress.counting_pages(
                                 options.progress, language, count, LANGUAGES.index(language)))
    order = [page.path for page in pages]
    warnings = kept.merged(built.warnings, set(built.rebuilt), order) if kept else built.warnings
    output.finish(job.site_dir, built.html_written(job.site_dir))
    finished = time.perf_counter()
    if kept is None or built.rebuilt or not search_index.exists(job.site_dir):
        search_index.index_site(job.site_dir, language)
    searched = time.perf_counter()
    if job.slot and state:  # the next build's start, once the site is in place (assembly.py)
        job.slot.stage(job.site_dir, state, warnings, built.anchors)
    return LanguageBuild(tuple(order), previous_build.flat(warnings, order),
                         {"render": rendered - started, "mkdocs": finished - rendered,
                          "search": searched - finished}, (cache[0], cache[1]),
                         kept=0 if kept is None else len(order) - len(built.rebuilt))


def check_paths(notes_dir: Path, keys: set[NoteKey], report: BuildReport,
                taxonomy: Taxonomy | None = None) -> list[Diagnostic]:
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
