"""Format stage: a result -> Markdown for one page: a table or a list of links to the pages of
the page's language, or a "could not be rendered" box. Values show the way Dataview shows them,
except that null is an empty cell, lists are joined with ", ", dates are YYYY-MM-DD and a link
shows the target's title in the page's language. Every value is author text: it is escaped so
that it can neither add Markdown or HTML nor break a table."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ..model import Language, NoteKey
from .evaluate import Result, TableResult
from .values import OBJECTS, Link, Value, to_string
from .vault import FileFields

# The words a result adds to a page. (The box's title comes from i18n.STRINGS via Output.)
_WORDS: dict[Language, dict[str, str]] = {
    "en": {"file": "File", "no_results": "No results.", "reason": "Reason"},
    "ru": {"file": "Файл", "no_results": "Нет результатов.", "reason": "Причина"},
}


@dataclass(frozen=True)
class Output:
    """How to write a result on one page: its language and how to link to a note."""

    language: Language
    failure_title: str  # the "could not be rendered" box's title
    title: Callable[[NoteKey], str]  # a note's title in the page's language
    href: Callable[[NoteKey], str]  # a link target from the page to the note's page


# Characters that Markdown, Material's extensions (caret, mark, tilde, arithmatex) or tables
# would read as syntax; author text gets them as character references.
_MARKDOWN_SYNTAX = re.compile(r"[\\`*_\[\]{}|#!~^=$&<>]")
_REFERENCES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_LIST_MARKER = re.compile(r"^([-+]|\d+[.)])(?=\s|$)")


def escape_text(text: str) -> str:
    """Author text as literal Markdown inline text, safe inside a table cell."""
    return _MARKDOWN_SYNTAX.sub(lambda m: _REFERENCES.get(m.group(0), f"&#{ord(m.group(0))};"),
                                " ".join(text.split()))


def format_value(value: Value, out: Output) -> str:
    """A value as Dataview shows it, as Markdown inline text."""
    if value is None:
        return ""
    if isinstance(value, Link):
        if value.key is None:
            return escape_text(value.display or value.path)
        return f"[{escape_text(value.display or out.title(value.key))}]({out.href(value.key)})"
    if isinstance(value, list):
        return ", ".join(f"[{format_value(item, out)}]" if isinstance(item, list)
                         else format_value(item, out) for item in value)
    if isinstance(value, dict) and isinstance(value.get("file"), FileFields):
        return format_value(value["file"]["link"], out)  # a page, e.g. an element of `rows`
    if isinstance(value, OBJECTS):
        return "{ " + ", ".join(f"{escape_text(str(k))}: {format_value(v, out)}"
                                for k, v in value.items()) + " }"
    return escape_text(to_string(value))


def format_result(result: Result, out: Output) -> str:
    """A TABLE result as a Markdown table (the note column headed "File" in the page's
    language, or by the GROUP BY field), a LIST result as a bulleted list."""
    words = _WORDS[out.language]
    if isinstance(result, TableResult):
        if not result.rows or not result.columns:
            return f"*{words['no_results']}*"
        header = [words["file"] if name is None else escape_text(name) for name in result.columns]
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(format_value(v, out) for v in row) + " |"
                  for row in result.rows]
        return "\n".join(lines)
    if not result.items:
        return f"*{words['no_results']}*"
    lines = []
    for item in result.items:
        text = ": ".join(format_value(value, out) for value in item)
        # An item's text must not start another list ("- 1. x" would nest one).
        text = _LIST_MARKER.sub(lambda m: m.group(0)[:-1] + f"&#{ord(m.group(0)[-1])};", text)
        lines.append(f"- {text}")
    return "\n".join(lines)


def format_failure(query: str, reason: str, out: Output) -> str:
    """The marked box that shows a query that could not be rendered, and why."""
    longest = max((len(run) for run in re.findall(r"`+", query)), default=0)
    fence = "`" * max(3, longest + 1)
    title = out.failure_title.replace('"', "&quot;")
    lines = [f'!!! failure "{title}"', "", f"    {fence}text"]
    lines += ["    " + line for line in query.strip("\n").split("\n")]
    lines += [f"    {fence}", "", f"    **{_WORDS[out.language]['reason']}:** "
                                  f"{escape_text(reason)}"]
    return "\n".join(lines)
