"""Command line: `python -m generator build | serve | validate | graph | new | fix | codes |
taxonomy | init`, also
installed as `kb`.

Exit status: 0 success, 1 the notes have errors (or, with --strict, warnings), 2 wrong usage,
a missing folder or a broken taxonomy file.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from . import pipeline
from .authoring.init import VersionAction
from .authoring.init import add_arguments as add_init_arguments
from .model import BuildReport, NoteKey
from .report import FORMATS, write_diagnostics
from .site.errors import UnsupportedEngine

if TYPE_CHECKING:
    from .checks.taxonomy import Taxonomy

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Wrong usage or a missing folder: exit status 2."""


def _notes_dir(value: str) -> Path:
    path = Path(value)
    if not path.is_dir():
        raise UsageError(f"notes folder not found: {value}")
    return path


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kb", description="Validate and publish a bilingual (EN/RU) Markdown knowledge base.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log what each stage does")
    parser.add_argument("--version", action=VersionAction)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = commands.add_parser("build", help="build the site (site/en, site/ru) from the notes")
    build.add_argument("--notes", default="notes", help="notes folder (default: notes/)")
    build.add_argument("--site", default="site", help="output folder (default: site/)")
    build.add_argument("--allow-errors", action="store_true",
                       help="publish even when notes have errors (they are still printed)")
    build.add_argument("--site-url", help="public URL of the site, for canonical links and sitemaps")
    build.add_argument("--format", choices=FORMATS, default="text", help="diagnostics format")
    build.add_argument("--serial", action="store_true", help="build languages one after the other")
    build.add_argument("--quiet", "-q", action="store_true",
                       help="no progress while building (on a terminal: bars; in CI: lines)")
    build.add_argument("--keep-project", metavar="DIR",
                       help="keep the generated MkDocs projects (Markdown + mkdocs.yml) in DIR")
    _cache_arguments(build)

    validate = commands.add_parser("validate", help="check every note and report problems")
    validate.add_argument("--notes", default="notes", help="notes folder (default: notes/)")
    validate.add_argument("--taxonomy", help="taxonomy file (default: built-in, or taxonomy.yml "
                                             "at the notes folder's root)")
    validate.add_argument("--format", choices=FORMATS, default="text")
    validate.add_argument("--strict", action="store_true", help="warnings count as errors")
    validate.add_argument("paths", nargs="*", metavar="PATH",
                          help="check only these notes (links and ids still against the whole "
                               "vault), e.g. the files of a commit")

    serve = commands.add_parser("serve", help="live preview that rebuilds when a note changes")
    serve.add_argument("--notes", default="notes", help="notes folder (default: notes/)")
    serve.add_argument("--language", choices=("en", "ru"), default="en")
    serve.add_argument("--dev-addr", default="127.0.0.1:8000", help="address to serve on")
    _cache_arguments(serve)

    graph = commands.add_parser("graph", help="the link graph: a report for authors (orphans, "
                                "hubs, MOC coverage, suggested links) or an export for tools")
    graph.add_argument("action", choices=("report", "export"))
    graph.add_argument("--notes", default="notes", help="notes folder (default: notes/)")
    graph.add_argument("--format", choices=("text", "json", "graphml", "gexf"),
                       help="report: text (default) or json; export: json (default), graphml, gexf")
    graph.add_argument("--output", "-o", metavar="FILE", help="write to FILE, not stdout")
    graph.add_argument("--limit", type=int, default=20,
                       help="suggested links, and items per list in the text report (default 20)")
    _author_commands(commands)
    taxonomy = commands.add_parser("taxonomy", help="compare the taxonomy with the values the "
                                   "notes use; --write adds the values you accept")
    taxonomy.add_argument("--notes", default="notes", help="notes folder (default: notes/)")
    taxonomy.add_argument("--taxonomy", help="taxonomy file (default: as for validate; "
                                             "--write edits it, or creates taxonomy.yml)")
    taxonomy.add_argument("--format", choices=("text", "json"), default="text")
    taxonomy.add_argument("--write", action="store_true", help="add the accepted values")
    taxonomy.add_argument("--accept", action="append", default=[], metavar="[FIELD=]VALUE",
                          help="with --write: add this used value (repeat for more)")
    taxonomy.add_argument("--accept-all", action="store_true", help="with --write: add every "
                          "used value that is not a near-duplicate of an allowed one")
    add_init_arguments(commands.add_parser("init", help="set up a vault's repository: mkdocs.yml, "
                                           "taxonomy, workflow, pre-commit hooks, .gitignore"))
    return parser


def _author_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """new, fix, codes: the commands an author runs while writing."""
    new = commands.add_parser("new", help="write a new note from the vault's template and "
                              "print its path")
    new.add_argument("kind", choices=("question", "concept", "moc"))
    new.add_argument("--notes", default="notes", help="notes folder (default: notes/)")
    new.add_argument("--topic", help="topic from the taxonomy (required for a question)")
    new.add_argument("--difficulty", choices=("easy", "medium", "hard"),
                     help="a question's difficulty (required for a question)")
    new.add_argument("--title-en", required=True, help="English title")
    new.add_argument("--title-ru", help="Russian title (required for a question or concept)")
    new.add_argument("--subtopic", action="append", default=[], metavar="NAME",
                     help="a subtopic (repeat for more); left as a placeholder when not given")
    new.add_argument("--slug", help="the file name's slug (default: from the English title)")
    new.add_argument("--folder", help="folder inside the notes folder (default: where notes of "
                                      "this kind and topic are)")
    new.add_argument("--taxonomy", help="taxonomy file (default: as for validate)")

    fix = commands.add_parser("fix", help="repair what has a mechanical fix (tags, dates, "
                              "fences, renamed links), editing only the lines concerned")
    fix.add_argument("--notes", default="notes", help="notes folder (default: notes/)")
    fix.add_argument("--taxonomy", help="taxonomy file (default: as for validate)")
    fix.add_argument("--dry-run", action="store_true",
                     help="print a unified diff instead of writing (exit 1 if there is one)")
    fix.add_argument("paths", nargs="*", metavar="PATH", help="fix only these notes")

    codes = commands.add_parser("codes", help="every diagnostic code: severity, meaning, and "
                                "whether `fix` repairs it")
    codes.add_argument("--format", choices=("text", "markdown"), default="text")


def _cache_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("--cache-dir", metavar="DIR", default=None,
                         help="keep converted pages here, so that the next build converts only "
                              "what changed (default: $KB_CACHE_DIR, else .cache/kb)")
    command.add_argument("--no-cache", action="store_true",
                         help="convert every page afresh, and leave the cache as it is")


def _cache_dir(args: argparse.Namespace) -> Path | None:
    from .site.project import DEFAULT_CACHE_DIR

    if args.no_cache:
        return None
    return Path(args.cache_dir or os.environ.get("KB_CACHE_DIR") or DEFAULT_CACHE_DIR)


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    # SIGTERM (CI cancelling a job) unwinds like Ctrl-C, so no half-built folder is left.
    signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        if args.command == "build":
            return _build(args)
        if args.command == "validate":
            return _validate(args)
        if args.command == "serve":
            from .serve import ServeError, serve

            notes_dir = _notes_dir(args.notes)
            try:
                return serve(notes_dir, language=args.language, dev_addr=args.dev_addr,
                             cache_dir=_cache_dir(args), taxonomy=_load_taxonomy(args, notes_dir))
            except ServeError as error:
                raise UsageError(str(error)) from error
        if args.command == "graph":
            from .graph.report import command as graph_command

            return graph_command(_notes_dir(args.notes), args.action, args.format, args.output,
                                 args.limit)
        if args.command == "taxonomy":
            from .checks.taxonomy_report import command as taxonomy_command

            if (args.accept or args.accept_all) and not args.write:
                raise UsageError("--accept and --accept-all go with --write")
            notes_dir = _notes_dir(args.notes)
            return taxonomy_command(notes_dir, _load_taxonomy(args, notes_dir),
                                    Path(args.taxonomy) if args.taxonomy else None, args.format,
                                    args.write, args.accept, args.accept_all)
        if args.command in ("new", "fix", "codes"):
            return _author_command(args)
        if args.command == "init":
            from .authoring.init import InitError
            from .authoring.init import command as init_command

            try:
                return init_command(args)
            except InitError as error:
                raise UsageError(str(error)) from error
    except UsageError as error:
        print(f"kb: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except UnsupportedEngine as error:  # raised where the engine is first imported
        print(f"kb: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("kb: interrupted; the previous site was left as it was", file=sys.stderr)
        return 130
    return EXIT_USAGE


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _load_taxonomy(args: argparse.Namespace, notes_dir: Path) -> Taxonomy:
    from .checks.taxonomy import TaxonomyError, load_taxonomy

    try:
        return load_taxonomy(Path(args.taxonomy) if getattr(args, "taxonomy", None) else None,
                             notes_dir)
    except TaxonomyError as error:
        raise UsageError(str(error)) from error


def _validate(args: argparse.Namespace) -> int:
    notes_dir = _notes_dir(args.notes)
    report = BuildReport()
    if args.paths:
        diagnostics = pipeline.check_paths(notes_dir, note_keys(notes_dir, args.paths), report,
                                           _load_taxonomy(args, notes_dir))
    else:
        diagnostics = pipeline.check(notes_dir, report, _load_taxonomy(args, notes_dir)).diagnostics
    # A whole vault: every note is checked, published or not; the files no note are counted.
    checked = report.notes if args.paths else report.checked
    write_diagnostics(diagnostics, checked, args.format, sys.stdout, notes_dir,
                      not_notes=None if args.paths else report.not_notes)
    failing = {"error", "warning"} if args.strict else {"error"}
    return EXIT_ERRORS if any(d.severity in failing for d in diagnostics) else EXIT_OK


def note_keys(notes_dir: Path, paths: list[str]) -> set[NoteKey]:
    """The notes among `paths` (as a commit hook passes them: relative to the current folder),
    as keys relative to the notes folder. Files that are no note by the folder's rule (a
    README, a template) are left out; a file outside the notes folder is said to be skipped;
    a missing one is a usage error."""
    from .notes.load import is_note_path

    root = notes_dir.resolve()
    keys: set[NoteKey] = set()
    for raw in paths:
        path = Path(raw)
        if not path.is_file():
            raise UsageError(f"file not found: {raw}")
        try:
            rel = path.resolve().relative_to(root).as_posix()
        except ValueError:
            print(f"kb: {raw}: not in the notes folder {notes_dir}; skipped", file=sys.stderr)
            continue
        if is_note_path(rel):
            keys.add(NoteKey(rel))
    return keys


def _author_command(args: argparse.Namespace) -> int:
    if args.command == "codes":
        from .checks.codes_doc import codes_table

        print(codes_table(args.format), end="")
        return EXIT_OK
    notes_dir = _notes_dir(args.notes)
    taxonomy = _load_taxonomy(args, notes_dir)
    if args.command == "new":
        from .authoring.new_note import NewNoteError, Request, create_note

        try:
            created = create_note(notes_dir, Request(
                kind=args.kind, topic=args.topic, difficulty=args.difficulty,
                title_en=args.title_en, title_ru=args.title_ru, subtopics=tuple(args.subtopic),
                slug=args.slug, folder=args.folder), taxonomy)
        except NewNoteError as error:
            raise UsageError(str(error)) from error
        print(created.path)
        todo = sum(1 for d in created.diagnostics if d.code == "TODO001")
        print(f"kb new: wrote {created.key} from the {created.template} template; "
              f"{todo} places still to write (TODO001, `kb validate` lists them):",
              file=sys.stderr)
        write_diagnostics(created.diagnostics, 1, "text", sys.stderr, notes_dir)
        return EXIT_OK
    from .authoring.fix import fix_vault

    keys = note_keys(notes_dir, args.paths) if args.paths else None
    result = fix_vault(notes_dir, taxonomy, keys, dry_run=args.dry_run)
    if args.dry_run:
        sys.stdout.write(result.diff)
    print(result.summary(), file=sys.stderr)
    # 1 also when a note could not be written (FILE011): the vault is not as fixed as it says.
    return EXIT_ERRORS if (args.dry_run and result.changed) or result.unwritten else EXIT_OK


def _build(args: argparse.Namespace) -> int:
    from .progress import progress_mode
    from .site.build_dirs import OutputError
    from .site.errors import EngineError, VaultConfigError
    from .site.project import SiteOptions, vault_options

    notes_dir = _notes_dir(args.notes)
    try:  # the vault's mkdocs.yml, layered over the base configuration
        options = vault_options(SiteOptions(site_url=args.site_url, cache_dir=_cache_dir(args),
                                            progress=progress_mode(args.quiet)), notes_dir)
    except VaultConfigError as error:
        raise UsageError(str(error)) from error
    started = time.perf_counter()
    try:
        report = pipeline.build(
            notes_dir, Path(args.site), allow_errors=args.allow_errors,
            options=options,
            taxonomy=_load_taxonomy(args, notes_dir), parallel=not args.serial,
            project_dir=Path(args.keep_project).resolve() if args.keep_project else None,
        )
    except EngineError as error:
        print(f"kb: error: {error}", file=sys.stderr)
        return EXIT_ERRORS
    except OutputError as error:
        raise UsageError(str(error)) from error
    out = sys.stdout if args.format != "text" else sys.stderr
    write_diagnostics(report.diagnostics, report.notes, args.format, out, notes_dir)
    if not report.built:
        print(f"kb: not published: {report.errors} errors in the notes "
              "(fix them, or pass --allow-errors to publish anyway)", file=sys.stderr)
        return EXIT_ERRORS
    for language, warnings in sorted(report.engine_warnings.items()):
        for warning in warnings:
            print(f"kb: mkdocs ({language}): {warning}", file=sys.stderr)
    pages = ", ".join(f"{count} {language}" for language, count in sorted(report.pages.items()))
    stages = ", ".join(f"{stage} {seconds:.2f}s" for stage, seconds in report.timings.items())
    converted = sum(misses for _, misses in report.cache.values())
    cached = sum(hits for hits, _ in report.cache.values())
    kept = sum(report.kept.values())
    # Without a cache nothing is counted: every page was converted.
    reuse = (f" ({converted} converted, {cached} from the cache, {kept} kept from the last "
             "build)" if converted or cached or kept else "")
    # What was left out, by rule (load.py, publish.py): never dropped silently.
    left = sum(report.left_out.values())
    left_out = (f" ({left} files left out: "
                + ", ".join(f"{count} {rule}" for rule, count in report.left_out.items()) + ")"
                if left else "")
    print(f"kb: built {args.site}/ from {report.notes} notes{left_out}: pages {pages}{reuse}; "
          f"{time.perf_counter() - started:.1f}s ({stages})", file=sys.stderr)
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
