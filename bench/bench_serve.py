"""Time the live preview's edit loop: edit one note, re-render what it affects, and let MkDocs
rebuild the changed pages (a dirty build, as `kb serve` does).

usage: python bench/bench_serve.py [--notes DIR] [--language en|ru] [--edits N]
Defaults to a copy of the real vault at ../shared/corpus/vault-2025-11.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator.serve import Preview  # noqa: E402
from generator.site import conversion_cache  # noqa: E402
from generator.site.project import SiteOptions  # noqa: E402

DEFAULT_VAULT = REPO.parent / "shared" / "corpus" / "vault-2025-11"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--notes", type=Path, default=DEFAULT_VAULT)
    parser.add_argument("--language", choices=("en", "ru"), default="en")
    parser.add_argument("--edits", type=int, default=5)
    args = parser.parse_args()

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    with tempfile.TemporaryDirectory(prefix="kb-bench-serve-") as temporary:
        work = Path(temporary)
        notes = work / "notes"
        shutil.copytree(args.notes, notes)
        options = SiteOptions(cache_dir=work / "cache")

        def start(project: Path) -> tuple[Preview, Path, float]:
            """What `kb serve` does before it serves: render, then a full MkDocs build with
            the conversion cache on (left on, as the server leaves it)."""
            started = time.perf_counter()
            preview = Preview(notes, args.language, project, options=options)
            config_file = preview.project.config_file
            conversion_cache.activate_for(options.cache_folder(args.language), options.base_config)
            build(load_config(config_file=str(config_file)))
            return preview, config_file, time.perf_counter() - started

        _, _, startup = start(work / "first")  # an empty cache: every page converted
        conversion_cache.save()  # as the server does when it stops
        preview, config_file, startup_warm = start(work / "project")  # the cache of the first

        rng = random.Random(5)
        notes_list = sorted(p for p in notes.rglob("*.md") if p.relative_to(notes).as_posix()
                            in {n.key for n in preview.vault.notes})
        rerender, rebuild, written = [], [], []
        for path in rng.sample(notes_list, args.edits):
            text = path.read_text(encoding="utf-8")
            path.write_text(text + "\nEdited for the benchmark.\n", encoding="utf-8")
            t0 = time.perf_counter()
            written.append(preview.note_changed(path))
            t1 = time.perf_counter()
            build(load_config(config_file=str(config_file)), dirty=True)
            rebuild.append(time.perf_counter() - t1)
            rerender.append(t1 - t0)
        conversion_cache.save(prune=False)

    totals = [a + b for a, b in zip(rerender, rebuild, strict=True)]
    result = {
        "notes": len(preview.vault.notes),
        "startup_s": round(startup, 2),
        "startup_with_cache_s": round(startup_warm, 2),
        "edit_rerender_s_median": round(statistics.median(rerender), 3),
        "edit_mkdocs_dirty_s_median": round(statistics.median(rebuild), 3),
        "edit_total_s_median": round(statistics.median(totals), 3),
        "edit_total_s_max": round(max(totals), 3),
        "files_written_median": statistics.median(written),
    }
    for key, value in result.items():
        print(f"{key:32}{value:>10}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
