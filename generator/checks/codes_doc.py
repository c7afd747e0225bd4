"""The table of diagnostic codes for people: `kb codes`, and docs/diagnostics.md generated
from it (a test keeps the file current), so that the list is written once, in codes.py."""

from __future__ import annotations

from .codes import CODES, repaired_codes


def codes_table(fmt: str = "text") -> str:
    """The table as text (`kb codes`) or Markdown (docs/diagnostics.md); the `kb fix` column
    says which codes carry repair values (codes.py, `repairs`)."""
    repaired = set(repaired_codes())
    if fmt == "markdown":
        rows = ["| Code | Severity | `kb fix` | Meaning |", "|---|---|---|---|"]
        rows += [f"| {code.code} | {code.severity} | {'repairs' if code.code in repaired else ''} "
                 f"| {code.summary} |" for code in CODES.values()]
        return "\n".join(rows) + "\n"
    width = max(len(code) for code in CODES)
    lines = [f"{code.code:<{width}}  {code.severity:<7}  {'fix' if code.code in repaired else '   '}"
             f"  {code.summary}" for code in CODES.values()]
    return "\n".join(lines) + "\n"
