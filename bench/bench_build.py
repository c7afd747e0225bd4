"""Benchmark a full bilingual build against a naive one-language MkDocs Material build.

usage: python bench/bench_build.py [--notes DIR | --synthetic N] [--no-naive] [--json FILE]

Prints a table and a JSON object: wall time per stage (load, validate, graph, render, MkDocs
and search per language), peak memory, pages per language, output size, median and
90th-percentile page size, search download per language; and the same figures for a naive
Material build of the same notes (one language, search plugin, navigation.prune, tables, toc,
superfences, highlight), run in the same invocation, with the ratio of wall times.
Defaults to the real vault at ../shared/corpus/vault-2025-11.
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


def bench_ours(notes: Path, work: Path) -> dict[str, object]:
    site = work / "site"
    child = [sys.executable, __file__, "--child", str(notes), str(site)]
    wall, peak, stdout = run_measured(child)
    report = json.loads(stdout)
    result: dict[str, object] = {
        "wall_s": round(wall, 2), "peak_mb": peak, "stages_s": report["timings"],
        "notes": report["notes"], "pages": report["pages"],
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


def bench_naive(notes: Path, work: Path) -> dict[str, object]:
    from generator.load import is_note_path

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


def child(notes: Path, site: Path) -> None:
    """Run the build in this process and print its report as JSON (for the parent to time)."""
    from generator.pipeline import build

    report = build(notes, site, allow_errors=True)
    print(json.dumps({"timings": {k: round(v, 2) for k, v in report.timings.items()},
                      "notes": report.notes, "pages": report.pages}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--notes", type=Path, help="vault to build (default: the real vault)")
    source.add_argument("--synthetic", type=int, metavar="N", help="generate N synthetic notes")
    parser.add_argument("--no-naive", action="store_true", help="skip the naive Material build")
    parser.add_argument("--json", type=Path, help="also write the JSON here")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(Path(args.child[0]), Path(args.child[1]))
        return

    with tempfile.TemporaryDirectory(prefix="kb-bench-") as temporary:
        work = Path(temporary)
        if args.synthetic:
            from bench.synthetic import generate

            notes = generate(work / "vault", args.synthetic)
            label = f"synthetic {args.synthetic}"
        else:
            notes = (args.notes or DEFAULT_VAULT).resolve()
            label = str(notes)
        ours = bench_ours(notes, work)
        naive = None if args.no_naive else bench_naive(notes, work)

    result: dict[str, object] = {"vault": label, "ours": ours, "naive": naive}
    if naive:
        result["ratio_wall"] = round(float(ours["wall_s"]) / float(naive["wall_s"]), 3)
    print_table(result)
    text = json.dumps(result, indent=1, ensure_ascii=False)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")


def print_table(result: dict[str, object]) -> None:
    ours = result["ours"]
    naive = result["naive"] or {}
    assert isinstance(ours, dict) and isinstance(naive, dict)
    print(f"vault: {result['vault']}  ({ours['notes']} notes)")
    print(f"{'':34}{'bilingual (ours)':>18}{'naive, 1 language':>20}")
    rows = [
        ("wall time, s", ours["wall_s"], naive.get("wall_s", "-")),
        ("peak memory, MB", ours["peak_mb"], naive.get("peak_mb", "-")),
        ("pages", sum(ours["pages"].values()), naive.get("pages", "-")),
        ("output, MB", ours["output_mb"], naive.get("output_mb", "-")),
        ("median page, KB (en)", ours["median_page_kb_en"], naive.get("median_page_kb", "-")),
        ("p90 page, KB (en)", ours["p90_page_kb_en"], naive.get("p90_page_kb", "-")),
        ("search download, KB (en / ru)",
         f"{ours['search_download_kb_en']} / {ours['search_download_kb_ru']}",
         naive.get("search_index_mb", "-") if not naive else f"{naive['search_index_mb'] * 1024:.0f}"),
    ]
    for name, mine, theirs in rows:
        print(f"{name:34}{mine!s:>18}{theirs!s:>20}")
    for stage, seconds in ours["stages_s"].items():
        print(f"  stage {stage:27}{seconds:>18}")
    if "ratio_wall" in result:
        print(f"wall-time ratio ours / naive: {result['ratio_wall']} (target <= 0.25)")


if __name__ == "__main__":
    main()
