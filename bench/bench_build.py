"""Benchmark a full bilingual build against a naive one-language MkDocs Material build.

usage: python bench/bench_build.py [--notes DIR | --synthetic N] [--no-naive] [--cold-only]
                                   [--json FILE] [--strict]

Prints a table and a JSON object: wall time per stage (load, validate, graph, render, MkDocs
and search per language), peak memory, pages per language, output size, median and
90th-percentile page size, search download per language; and the same figures for a naive
Material build of the same notes (one language, search plugin, navigation.prune, tables, toc,
superfences, highlight), run in the same invocation, with the ratio of wall times and whether
each run meets its target (TARGETS: cold at most 0.8 of naive, warm and edit at most 0.15).

Our build is timed four times, each a full bilingual build into a new site folder:
- cold: with an empty cache (a first build, or CI without a cache);
- warm: again, with the cache the cold build left (nothing changed): converted pages and the
  last build's output (generator/site/conversion_cache.py, generator/site/previous_build.py);
- edit: after one note's text is changed (an author's commit), with that cache;
- edit, pages cache only: another note changed, with the converted pages but without the last
  build's output (every page rendered and indexed again), to show what each cache saves.
Defaults to the real vault at ../shared/corpus/vault-2025-11 (copied, for the edit).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

DEFAULT_VAULT = REPO.parent / "shared" / "corpus" / "vault-2025-11"

# What each run must reach, as a ratio of the naive one-language build's wall time. A cold build
# is bounded by Python-Markdown's conversion of both languages (measured: ~0.31 of naive for the
# conversion alone); the cached builds are the everyday path. `met` says, per run; the figures
# are judged, not the exit status (a loaded machine is slower, not wrong), unless --strict.
TARGETS = {"cold": 0.8, "warm": 0.15, "edit": 0.15}

NAIVE_CONFIG = """site_name: naive
docs_dir: {docs}
site_dir: {site}
theme:
  name: material
  features: [navigation.prune]
plugins: [search]
markdown_extensions:
  - tables
  - toc
  - pymdownx.superfences
  - pymdownx.highlight
"""


def run_measured(command: list[str]) -> tuple[float, int, str]:
    """Run a command; return (wall seconds, peak RSS in MB of it and its children, stdout)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, text=True, cwd=REPO)
        # wait4 gives this child's own resource usage (its peak RSS includes the children it
        # waited for), unlike RUSAGE_CHILDREN, which mixes every command run so far.
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{stderr[-3000:]}")
    return wall, usage.ru_maxrss // 1024, stdout


def page_sizes(tree: Path) -> list[int]:
    return [p.stat().st_size for p in tree.rglob("*.html")
            if "pagefind" not in p.parts and "search" not in p.parts]


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.exists() else 0


def percentile(values: list[int], fraction: float) -> int:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))] if ordered else 0


def pagefind_download(bundle: Path) -> int:
    """Bytes a reader's browser fetches for a two-word query: the loader, entry, WebAssembly and
    metadata once, then (at most) two index chunks and five result fragments."""
    if not bundle.exists():
        return 0
    fixed = sum(p.stat().st_size for p in bundle.iterdir()
                if p.is_file() and (p.name in ("pagefind.js", "pagefind-entry.json")
                                    or p.suffix in (".pagefind", ".pf_meta")))
    chunks = sorted(p.stat().st_size for p in (bundle / "index").glob("*"))
    fragments = [p.stat().st_size for p in (bundle / "fragment").glob("*")]
    return fixed + sum(chunks[-2:]) + 5 * int(statistics.median(fragments) if fragments else 0)


def bench_ours(notes: Path, work: Path, cache: Path, run: str) -> dict[str, object]:
    site = work / f"site-{run}"
    child = [sys.executable, __file__, "--child", str(notes), str(site), str(cache),
             "keep" if run != RUNS[-1] else "no-keep"]
    wall, peak, stdout = run_measured(child)
    report = json.loads(stdout)
    shutil.rmtree(site.parent / f"site-{_previous(run)}", ignore_errors=True)
    result: dict[str, object] = {
        "wall_s": round(wall, 2), "peak_mb": peak, "stages_s": report["timings"],
        "notes": report["notes"], "pages": report["pages"], "cache": report["cache"],
        "kept": report["kept"],
        "output_mb": round(folder_size(site) / 2**20, 1),
    }
    for language in ("en", "ru"):
        sizes = page_sizes(site / language)
        result[f"median_page_kb_{language}"] = round(statistics.median(sizes) / 1024, 1)
        result[f"p90_page_kb_{language}"] = round(percentile(sizes, 0.9) / 1024, 1)
        result[f"search_bundle_mb_{language}"] = round(folder_size(site / language / "pagefind")
                                                      / 2**20, 2)
        result[f"search_download_kb_{language}"] = round(
            pagefind_download(site / language / "pagefind") / 1024, 1)
    return result


RUNS = ("cold", "warm", "edit", "edit-pages-cache")


def _previous(run: str) -> str:
    return RUNS[RUNS.index(run) - 1] if RUNS.index(run) else "none"


def edit_one_note(notes: Path, which: int = 0) -> str:
    """Change the text of one question note, as an author's commit would; return its path."""
    candidates = sorted(p for p in notes.rglob("q-*.md") if "(EN)" in p.read_text("utf-8"))
    note = candidates[len(candidates) // 2 + which]
    text = note.read_text(encoding="utf-8")
    heading = next(line for line in text.splitlines() if line.startswith("#") and "(EN)" in line)
    note.write_text(text.replace(heading, heading + "\n\nA sentence changed by the benchmark.", 1),
                    encoding="utf-8")
    return note.relative_to(notes).as_posix()


def bench_naive(notes: Path, work: Path) -> dict[str, object]:
    from generator.notes.load import is_note_path

    docs = work / "naive-docs"
    site = work / "naive-site"
    for path in notes.rglob("*.md"):
        rel = path.relative_to(notes).as_posix()
        if is_note_path(rel):
            target = docs / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    config = work / "naive.yml"
    config.write_text(NAIVE_CONFIG.format(docs=docs, site=site), encoding="utf-8")
    wall, peak, _ = run_measured([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config)])
    sizes = page_sizes(site)
    return {
        "wall_s": round(wall, 2), "peak_mb": peak, "pages": len(sizes),
        "output_mb": round(folder_size(site) / 2**20, 1),
        "median_page_kb": round(statistics.median(sizes) / 1024, 1),
        "p90_page_kb": round(percentile(sizes, 0.9) / 1024, 1),
        "search_index_mb": round(folder_size(site / "search") / 2**20, 2),
    }


def child(notes: Path, site: Path, cache: Path, keep: str) -> None:
    """Run the build in this process and print its report as JSON (for the parent to time)."""
    from generator.pipeline import build
    from generator.site.project import SiteOptions

    report = build(notes, site, allow_errors=True,
                   options=SiteOptions(cache_dir=cache, keep_output=keep == "keep"))
    print(json.dumps({"timings": {k: round(v, 2) for k, v in report.timings.items()},
                      "notes": report.notes, "pages": report.pages,
                      "cache": {language: {"converted": misses, "from_cache": hits}
                                for language, (hits, misses) in report.cache.items()},
                      "kept": report.kept}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--notes", type=Path, help="vault to build (default: the real vault)")
    source.add_argument("--synthetic", type=int, metavar="N", help="generate N synthetic notes")
    parser.add_argument("--no-naive", action="store_true", help="skip the naive Material build")
    parser.add_argument("--cold-only", action="store_true",
                        help="time our build with an empty cache only (not warm, not edit)")
    parser.add_argument("--json", type=Path, help="also write the JSON here")
    parser.add_argument("--strict", action="store_true",
                        help="exit 1 when a run misses its target (TARGETS)")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*(Path(arg) for arg in args.child[:3]), args.child[3])
        return

    with tempfile.TemporaryDirectory(prefix="kb-bench-") as temporary:
        work = Path(temporary)
        if args.synthetic:
            from bench.synthetic import generate

            notes = generate(work / "vault", args.synthetic)
            label = f"synthetic {args.synthetic}"
        else:
            source = (args.notes or DEFAULT_VAULT).resolve()
            label = str(source)
            notes = work / "vault"
            shutil.copytree(source, notes, symlinks=True)
        cache = work / "cache"
        ours = {"cold": bench_ours(notes, work, cache, "cold")}
        if not args.cold_only:
            ours["warm"] = bench_ours(notes, work, cache, "warm")
            edited = edit_one_note(notes)
            ours["edit"] = {**bench_ours(notes, work, cache, "edit"), "edited": edited}
            edited = edit_one_note(notes, 1)
            ours["edit-pages-cache"] = {**bench_ours(notes, work, cache, "edit-pages-cache"),
                                        "edited": edited}
        naive = None if args.no_naive else bench_naive(notes, work)

    result: dict[str, object] = {"vault": label, "ours": ours, "naive": naive}
    if naive:
        result["ratio_wall"] = {run: round(float(figures["wall_s"]) / float(naive["wall_s"]), 3)
                                for run, figures in ours.items()}
        result["verdict"] = {run: ratio <= TARGETS[run] for run, ratio in result["ratio_wall"].items()
                             if run in TARGETS}
    print_table(result)
    text = json.dumps(result, indent=1, ensure_ascii=False)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    verdict = result.get("verdict") or {}
    if args.strict and not all(verdict.values()):
        sys.exit(1)


def print_table(result: dict[str, object]) -> None:
    ours = result["ours"]
    naive = result["naive"] or {}
    assert isinstance(ours, dict) and isinstance(naive, dict)
    runs = list(ours)
    cold = ours["cold"]
    print(f"vault: {result['vault']}  ({cold['notes']} notes)")
    print(f"{'ours, bilingual:':34}" + "".join(f"{run:>17}" for run in runs)
          + f"{'naive, 1 lang':>16}")

    def row(name: str, mine: list[object], theirs: object = "") -> None:
        print(f"{name:34}" + "".join(f"{value!s:>17}" for value in mine) + f"{theirs!s:>16}")

    row("wall time, s", [ours[r]["wall_s"] for r in runs], naive.get("wall_s", "-"))
    if "ratio_wall" in result:
        row("ratio to naive", [result["ratio_wall"][r] for r in runs])
        row("target (ratio at most)", [TARGETS.get(r, "-") for r in runs])
        row("met", [("yes" if result["verdict"][r] else "NO") if r in TARGETS else "-"
                    for r in runs])
    row("pages converted (en+ru)", [sum(c["converted"] for c in ours[r]["cache"].values())
                                    for r in runs])
    row("pages kept from last build", [sum(ours[r]["kept"].values()) for r in runs])
    row("peak memory, MB", [ours[r]["peak_mb"] for r in runs], naive.get("peak_mb", "-"))
    row("pages", [sum(ours[r]["pages"].values()) for r in runs], naive.get("pages", "-"))
    row("output, MB", [ours[r]["output_mb"] for r in runs], naive.get("output_mb", "-"))
    for language in ("en", "ru"):
        row(f"median page, KB ({language})", [ours[r][f"median_page_kb_{language}"] for r in runs],
            naive.get("median_page_kb", "-") if language == "en" else "")
        row(f"p90 page, KB ({language})", [ours[r][f"p90_page_kb_{language}"] for r in runs],
            naive.get("p90_page_kb", "-") if language == "en" else "")
        row(f"search download, KB ({language})",
            [ours[r][f"search_download_kb_{language}"] for r in runs],
            f"{naive['search_index_mb'] * 1024:.0f}" if naive and language == "en" else "")
    for stage in cold["stages_s"]:
        row(f"  stage {stage}", [ours[r]["stages_s"].get(stage, "-") for r in runs])


if __name__ == "__main__":
    main()
