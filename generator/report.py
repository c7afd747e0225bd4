"""Diagnostics out: text for people, JSON for tools, GitHub workflow commands for CI.

All user-facing diagnostic output goes through `write_diagnostics`.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import TextIO

from .model import Diagnostic

FORMATS = ("text", "json", "github")

_COLOURS = {"error": "\033[31m", "warning": "\033[33m", "path": "\033[1m", "dim": "\033[2m",
            "reset": "\033[0m"}


def write_diagnostics(diagnostics: list[Diagnostic], notes_checked: int, fmt: str,
                      stream: TextIO, notes_dir: Path, colour: bool | None = None,
                      not_notes: Mapping[str, int] | None = None) -> None:
    """`not_notes`: the Markdown files that are no note, by the rule that says so (load.py),
    counted in the summary so that no file is passed over silently."""
    if fmt == "json":
        stream.write(as_json(diagnostics, notes_checked, not_notes) + "\n")
    elif fmt == "github":
        for line in as_github(diagnostics, notes_dir):
            stream.write(line + "\n")
    else:
        if colour is None:
            colour = stream.isatty() and "NO_COLOR" not in os.environ
        stream.write(as_text(diagnostics, notes_checked, colour, not_notes))


def as_json(diagnostics: list[Diagnostic], notes_checked: int,
            not_notes: Mapping[str, int] | None = None) -> str:
    return json.dumps(
        {
            "notes": notes_checked,
            "not_notes": dict(not_notes or {}),
            "diagnostics": [
                {
                    "path": d.path, "line": d.line, "column": d.column, "severity": d.severity,
                    "code": d.code, "field": d.field, "message": d.message,
                    **({"fix": d.fix} if d.fix else {}),
                    **({"fields": list(d.fields)} if d.fields else {}),
                }
                for d in diagnostics
            ],
        },
        ensure_ascii=False,
        indent=1,
    )


def _github_escape(text: str, property_value: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def as_github(diagnostics: list[Diagnostic], notes_dir: Path) -> list[str]:
    """`::error file=…,line=…,title=CODE::message`, paths relative to the repository (the
    current directory, as in a GitHub Actions job)."""
    base = _repo_relative(notes_dir)
    lines = []
    for d in diagnostics:
        path = f"{base}/{d.path}" if base else d.path
        props = [f"file={_github_escape(path, True)}"]
        if d.line:
            props.append(f"line={d.line}")
        if d.column:
            props.append(f"col={d.column}")
        props.append(f"title={_github_escape(d.code, True)}")
        message = d.message + (f" (fix: {d.fix})" if d.fix else "")
        lines.append(f"::{d.severity} {','.join(props)}::{_github_escape(message)}")
    return lines


def _repo_relative(notes_dir: Path) -> str:
    try:
        return notes_dir.resolve().relative_to(Path.cwd().resolve()).as_posix().strip(".")
    except ValueError:
        return notes_dir.resolve().as_posix()


def as_text(diagnostics: list[Diagnostic], notes_checked: int, colour: bool = False,
            not_notes: Mapping[str, int] | None = None) -> str:
    def paint(text: str, name: str) -> str:
        return f"{_COLOURS[name]}{text}{_COLOURS['reset']}" if colour else text

    out: list[str] = []
    current = None
    for d in diagnostics:
        if d.path != current:
            if current is not None:
                out.append("")
            out.append(paint(d.path, "path"))
            current = d.path
        # file:line:column, 1-based, as compilers print them; a part not known is left out.
        where = d.path + (f":{d.line}" if d.line else "") + (f":{d.column}" if d.line and d.column else "")
        field = f" [{d.field}]" if d.field else ""
        fix = paint(f" (fix: {d.fix})", "dim") if d.fix else ""
        out.append(f"  {where}: {paint(d.severity, d.severity)} {d.code}{field} {d.message}{fix}")
    errors = sum(1 for d in diagnostics if d.severity == "error")
    warnings = len(diagnostics) - errors
    if diagnostics:
        out.append("")
        out.extend(causes(diagnostics))
    skipped = sum((not_notes or {}).values())
    files = (f" ({plural(skipped, 'file')} not {'a note' if skipped == 1 else 'notes'}: "
             + ", ".join(f"{count:,} {rule}" for rule, count in (not_notes or {}).items()) + ")"
             if skipped else "")
    out.append(f"{plural(notes_checked, 'note')} checked{files}: {plural(errors, 'error')}, "
               f"{plural(warnings, 'warning')}")
    return "\n".join(out) + "\n"


def plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def causes(diagnostics: list[Diagnostic]) -> list[str]:
    """The diagnostics by cause (code), most frequent first: what each means (codes.py), in
    how many notes, and how many `kb fix` repairs (those that carry a repair value). An author
    facing hundreds of lines reads these few first."""
    from .checks.codes import CODES

    by_code = Counter(d.code for d in diagnostics)
    notes = {code: len({d.path for d in diagnostics if d.code == code}) for code in by_code}
    fixable = Counter(d.code for d in diagnostics if d.repair is not None)
    lines = ["By cause, most frequent first:"]
    width = len(f"{max(by_code.values()):,}")
    for code, count in sorted(by_code.items(), key=lambda item: (-item[1], item[0])):
        known = CODES.get(code)
        meaning = known.summary if known else ""
        severity = known.severity if known else ""
        where = f" — in {plural(notes[code], 'note')}" if notes[code] != count else ""
        repair = ""
        if fixable[code]:
            repair = ("; `kb fix` repairs them" if fixable[code] == count
                      else f"; `kb fix` repairs {fixable[code]:,}")
        lines.append(f"  {count:>{width},} {code:<8} {severity:<7} {meaning}{where}{repair}")
    return lines
