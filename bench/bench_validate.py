"""How long `validate` takes on the real vault: per stage in one process, and the whole command
as a user runs it (interpreter start and imports included); then `validate PATH` on one file,
as a commit hook runs it. Prints a table, then JSON.

    .venv/bin/python bench/bench_validate.py [--notes DIR] [--repeat N] [--runs N] [--one FILE]

The notes default to ../shared/corpus/vault-2025-11 (or $KB_CORPUS). Targets: under 2 s for
the whole vault, under 1 s for one file.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator import pipeline  # noqa: E402
from generator.checks.taxonomy import load_taxonomy  # noqa: E402
from generator.model import BuildReport  # noqa: E402

TARGET_SECONDS = 2.0
ONE_FILE_TARGET_SECONDS = 1.0
# A question with links, aliases and both languages: what a commit usually touches.
ONE_FILE = "70-Kotlin/q-data-class-purpose--kotlin--easy.md"
STAGES = ("load", "validate", "graph")


def default_notes() -> Path:
    return Path(os.environ.get("KB_CORPUS") or REPO.parent / "shared" / "corpus" / "vault-2025-11")


def in_process(notes: Path, repeat: int) -> dict[str, list[float]]:
    """Seconds per stage and in all, for each of `repeat` runs of pipeline.check()."""
    taxonomy = load_taxonomy(None, notes)
    runs: dict[str, list[float]] = {stage: [] for stage in (*STAGES, "total", "total (CPU)")}
    for _ in range(repeat):
        report = BuildReport()
        start, cpu = time.perf_counter(), time.process_time()
        pipeline.check(notes, report, taxonomy)
        runs["total"].append(time.perf_counter() - start)
        runs["total (CPU)"].append(time.process_time() - cpu)
        for stage in STAGES:
            runs[stage].append(report.timings.get(stage, 0.0))
        notes_count, diagnostics = report.notes, len(report.diagnostics)
    runs["_counts"] = [float(notes_count), float(diagnostics)]
    return runs


def command(notes: Path, runs: int, *paths: str) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of `python -m generator validate --format json [PATH…]`, as CI (or
    a commit hook) runs it. CPU time says what the command costs when the machine is shared
    and wall time is noisy."""
    wall, cpu = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "generator", "validate", "--notes", str(notes),
                        "--format", "json", *paths], cwd=REPO, stdout=subprocess.DEVNULL,
                       check=False)
        wall.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return wall, cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notes", type=Path, default=default_notes())
    parser.add_argument("--repeat", type=int, default=5, help="in-process runs (default 5)")
    parser.add_argument("--runs", type=int, default=3, help="command runs (default 3)")
    parser.add_argument("--one", default=ONE_FILE,
                        help=f"the file for the one-file run, relative to the notes (default "
                             f"{ONE_FILE}, else the first note)")
    args = parser.parse_args(argv)
    if not args.notes.is_dir():
        print(f"bench: notes folder not found: {args.notes} (set KB_CORPUS)", file=sys.stderr)
        return 2

    stages = in_process(args.notes, args.repeat)
    notes_count, diagnostics = (int(value) for value in stages.pop("_counts"))
    cli, cli_cpu = command(args.notes, args.runs) if args.runs else ([], [])
    one = args.notes / args.one
    if not one.is_file():
        one = min(args.notes.glob("*/*.md"))
    one_wall, one_cpu = command(args.notes, max(args.runs, 5), str(one)) if args.runs else ([], [])

    rows = [(stage, min(times), statistics.median(times)) for stage, times in stages.items()]
    if cli:
        rows.append(("command: python -m generator validate", min(cli), statistics.median(cli)))
        rows.append(("command (CPU)", min(cli_cpu), statistics.median(cli_cpu)))
    if one_wall:
        rows.append(("command: validate ONE FILE", min(one_wall), statistics.median(one_wall)))
        rows.append(("one file (CPU)", min(one_cpu), statistics.median(one_cpu)))
    print(f"validate: {notes_count} notes, {diagnostics} diagnostics, {args.notes}")
    print(f"{'stage':<42} {'min s':>8} {'median s':>9}")
    for stage, best, median in rows:
        print(f"{stage:<42} {best:>8.3f} {median:>9.3f}")
    command_median = statistics.median(cli) if cli else None
    checked = command_median if command_median is not None else statistics.median(stages["total"])
    verdict = "ok" if checked < TARGET_SECONDS else "over target"
    print(f"target < {TARGET_SECONDS:.1f} s: {verdict} ({checked:.2f} s)")
    one_median = statistics.median(one_wall) if one_wall else None
    if one_median is not None:
        one_verdict = "ok" if one_median < ONE_FILE_TARGET_SECONDS else "over target"
        print(f"one file ({one.relative_to(args.notes)}) target < "
              f"{ONE_FILE_TARGET_SECONDS:.1f} s: {one_verdict} ({one_median:.2f} s)")
    print(json.dumps({
        "notes": notes_count,
        "diagnostics": diagnostics,
        "repeat": args.repeat,
        "stages_min_s": {stage: round(min(times), 4) for stage, times in stages.items()},
        "stages_median_s": {stage: round(statistics.median(times), 4)
                            for stage, times in stages.items()},
        "command_s": [round(value, 3) for value in cli],
        "command_cpu_s": [round(value, 3) for value in cli_cpu],
        "target_s": TARGET_SECONDS,
        "within_target": checked < TARGET_SECONDS,
        "one_file": str(one.relative_to(args.notes)),
        "one_file_s": [round(value, 3) for value in one_wall],
        "one_file_cpu_s": [round(value, 3) for value in one_cpu],
        "one_file_target_s": ONE_FILE_TARGET_SECONDS,
        "one_file_within_target": one_median is not None and one_median < ONE_FILE_TARGET_SECONDS,
    }, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
