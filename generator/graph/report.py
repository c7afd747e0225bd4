"""The graph report and export for authors and tools: `kb graph report` (the findings of
analysis.py and suggest.py, as text for a terminal or as JSON) and `kb graph export` (data.py).
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path
from typing import Any, TextIO

from .analysis import GraphReport, Hub, analyse
from .suggest import file_name

# --- output -----------------------------------------------------------------------------------

def as_data(report: GraphReport) -> dict[str, Any]:
    """The report as JSON-ready data (`--format json`)."""
    return {
        "notes": report.notes,
        "edges": report.edges,
        "edge_kinds": report.edge_kinds,
        "orphans": report.orphans,
        "dead_ends": report.dead_ends,
        "no_moc": report.no_moc,
        "mocs": [{**asdict(row), "coverage": round(row.coverage, 4)} for row in report.mocs],
        "topics": [{**asdict(row), "mocs": list(row.mocs)} for row in report.topics],
        "hubs": {
            "in_degree": [_hub(hub) for hub in report.hubs_by_in_degree],
            "pagerank": [_hub(hub) for hub in report.hubs_by_pagerank],
        },
        "components": [{"size": len(c), "notes": c} for c in report.components],
        "one_way_related": [{"source": row.source, "target": row.target, "back": list(row.back)}
                            for row in report.one_way_related],
        "suggestions": [
            {"a": s.a, "b": s.b, "score": s.score, "reason": s.reason,
             "common_neighbours": list(s.common_neighbours),
             "shared_subtopics": list(s.shared_subtopics), "shared_tags": list(s.shared_tags)}
            for s in report.suggestions
        ],
        "seconds": {stage: round(value, 3) for stage, value in report.seconds.items()},
    }


def _hub(hub: Hub) -> dict[str, Any]:
    return {"key": hub.key, "in_degree": hub.in_degree, "pagerank": round(hub.pagerank, 6)}


def as_text(report: GraphReport, limit: int = 20) -> str:
    """The report for a terminal: a headline per finding, then up to `limit` items of each."""
    lines: list[str] = []
    add = lines.append
    kinds = ", ".join(f"{count} {kind}" for kind, count in report.edge_kinds.items())
    components = len(report.components)
    add(f"{report.notes} notes, {report.edges} links ({kinds}); {components} weakly connected "
        f"component{'s' if components != 1 else ''}")
    add("")

    def listing(title: str, keys: Iterable[str], hint: str = "") -> None:
        keys = list(keys)
        add(f"{title}: {len(keys)}{hint}")
        for key in keys[:limit]:
            add(f"  {key}")
        if len(keys) > limit:
            add(f"  … and {len(keys) - limit} more (--format json lists all)")
        add("")

    listing("Orphans (no links in or out)", report.orphans)
    listing("Dead ends (linked to, but link nowhere)", report.dead_ends)
    listing("In no MOC (no `moc` field to a MOC, no MOC links to them)", report.no_moc)

    add("MOCs: members, and how much of their topic they list")
    for row in sorted(report.mocs, key=lambda row: (-row.members, row.moc)):
        topic = row.topic or "no topic"
        share = f"{row.covered}/{row.topic_notes} of {topic} ({row.coverage:.0%})" \
            if row.topic_notes else f"{topic}: no notes of this topic"
        add(f"  {row.moc}: {row.members} members; {share}")
    add("")
    add("Topics: notes listed by some MOC")
    for coverage in report.topics:
        mocs = ", ".join(file_name(moc) for moc in coverage.mocs) or "none"
        share = f"{coverage.in_moc}/{coverage.notes} ({coverage.in_moc / coverage.notes:.0%})"
        add(f"  {coverage.topic}: {share}; "
            f"MOCs: {mocs}")
    add("")

    add(f"Hubs by in-degree (top {len(report.hubs_by_in_degree)}, MOCs left out)")
    for hub in report.hubs_by_in_degree:
        add(f"  {hub.in_degree:5d}  {hub.key}")
    add("")
    add(f"Hubs by PageRank (top {len(report.hubs_by_pagerank)}, MOCs left out)")
    for hub in report.hubs_by_pagerank:
        add(f"  {hub.pagerank:.4f}  {hub.key}")
    add("")

    sizes = Counter(len(component) for component in report.components)
    add("Weakly connected components: " + ", ".join(
        f"{count} of {size} note{'s' if size > 1 else ''}" if count > 1 else
        f"1 of {size} note{'s' if size > 1 else ''}"
        for size, count in sorted(sizes.items(), reverse=True)))
    for component in report.components[1:limit + 1]:
        shown = ", ".join(component[:5]) + (f", … ({len(component)})" if len(component) > 5 else "")
        add(f"  {shown}")
    add("")

    one_way = report.one_way_related
    add(f"One-way `related` (A lists B, B does not list A): {len(one_way)}")
    for pair in one_way[:limit]:
        back = f" (B links back by {', '.join(pair.back)})" if pair.back else ""
        add(f"  {pair.source} -> {file_name(pair.target)}{back}")
    if len(one_way) > limit:
        add(f"  … and {len(one_way) - limit} more (--format json lists all)")
    add("")

    add(f"Suggested links (top {len(report.suggestions)}; pairs not linked either way)")
    for suggestion in report.suggestions:
        add(f"  {suggestion.score:5.2f}  {file_name(suggestion.a)} <-> {file_name(suggestion.b)}")
        add(f"         {suggestion.reason}")
    add("")
    timing = ", ".join(f"{stage} {value:.2f}s" for stage, value in report.seconds.items())
    add(f"({timing})")
    return "\n".join(lines) + "\n"


# --- command line -----------------------------------------------------------------------------

REPORT_FORMATS = ("text", "json")
EXPORT_FORMATS = ("json", "graphml", "gexf")


def command(notes_dir: Path, action: str, fmt: str | None, output: str | None,
            limit: int, stream: TextIO | None = None) -> int:
    """`graph report` and `graph export`; returns the exit status (2 for a wrong format)."""
    from ..notes.load import load_vault
    from .data import export
    from .links import build_graph

    stream = stream or sys.stdout
    allowed = REPORT_FORMATS if action == "report" else EXPORT_FORMATS
    fmt = fmt or allowed[0]
    if fmt not in allowed:
        print(f"kb: error: graph {action} writes {' or '.join(allowed)}, not {fmt}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    vault = load_vault(notes_dir)
    loaded = time.perf_counter()
    kg = build_graph(vault)
    linked = time.perf_counter()
    if action == "report":
        report = analyse(kg, suggestions=limit)
        report.seconds = {"load": loaded - started, "link": linked - loaded, **report.seconds}
        text = (json.dumps(as_data(report), ensure_ascii=False, indent=2) + "\n"
                if fmt == "json" else as_text(report, limit))
    else:
        text = export(kg, fmt)
    if output:
        Path(output).write_text(text, encoding="utf-8")
        print(f"kb: wrote {output} ({len(text.encode('utf-8'))} bytes)", file=sys.stderr)
    else:
        stream.write(text)
    return 0
