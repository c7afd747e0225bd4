"""The ```dataview and ```dataviewjs blocks of a note: found outside other code, replaced on a
page by their result, and reported for `validate` when they cannot be rendered."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..checks.codes import make
from ..model import Diagnostic, Note, NoteKey, Vault
from .evaluate import Result, execute
from .markdown import Output, format_failure, format_result
from .nodes import QueryError
from .query import parse_query
from .vault import VaultData

if TYPE_CHECKING:
    from ..graph.links import KnowledgeGraph


class DataviewIndex:
    """Every query of one vault, parsed and run once: made with the checked vault
    (pipeline.Checked), the validate stage and both languages' renderers ask it for the same
    results. A value passed along, not a module's state: a forked language process takes it
    with the rest of the checked vault."""

    def __init__(self, vault: Vault, graph: KnowledgeGraph | None = None):
        self.vault = vault
        self.data = VaultData(vault, graph)
        self._results: dict[tuple[str, NoteKey | None], Result | QueryError] = {}

    def run(self, query: str, this: NoteKey | None) -> Result:
        """The result of `query` written in note `this`. Raises QueryError."""
        key = (query, this)
        result = self._results.get(key)
        if result is None:
            try:
                result = execute(parse_query(query), self.data, this)
            except QueryError as error:
                result = error
            self._results[key] = result
        if isinstance(result, QueryError):
            raise result
        return result


@dataclass(frozen=True)
class Block:
    """A ```dataview or ```dataviewjs fenced block in a Markdown text."""

    kind: str  # "dataview" or "dataviewjs"
    query: str  # the lines between the fences, the block's indentation removed
    first: int  # 0-based index of the opening fence's line in the text
    last: int  # index of the closing fence's line (the text's last line when unclosed)
    prefix: str  # what precedes the fence on its line: indentation, callout "> " markers


# A fence line, after its prefix: indentation and the "> " of blockquotes and callouts.
_FENCE_LINE = re.compile(r"^((?:[ \t]*>[ \t]?)*[ \t]*)(`{3,}|~{3,})(.*)$")
_JS_REASON = ("DataviewJS runs JavaScript inside Obsidian; it is not run when publishing. "
              "Rewrite it as a Dataview query (TABLE or LIST) to have it rendered")


def find_blocks(text: str) -> list[Block]:
    """Every Dataview block outside other fenced code, in order."""
    if "dataview" not in text:
        return []
    lines = text.split("\n")
    blocks = []
    index = 0
    while index < len(lines):
        match = _FENCE_LINE.match(lines[index]) if "``" in lines[index] or "~~" in lines[index] \
            else None
        if not match or (match.group(2)[0] == "`" and "`" in match.group(3)):
            index += 1
            continue
        prefix, fence, info = match.groups()
        end = index + 1
        while end < len(lines) and not _closes(_unprefix(lines[end], prefix), fence):
            end += 1
        words = info.split()
        if words and words[0] in ("dataview", "dataviewjs"):
            query = "\n".join(_unprefix(line, prefix) for line in lines[index + 1:end])
            blocks.append(Block(words[0], query, index, min(end, len(lines) - 1), prefix))
        index = end + 1
    return blocks


def _unprefix(line: str, prefix: str) -> str:
    """A line of a block without the block's indentation or "> " markers."""
    if line.startswith(prefix):
        return line[len(prefix):]
    return line.lstrip(" \t>") if ">" in prefix else line.lstrip(" \t")


def _closes(line: str, fence: str) -> bool:
    stripped = line.strip()
    run = len(stripped) - len(stripped.lstrip(fence[0]))
    return run >= len(fence) and not stripped[run:].strip()


def render_block(block: Block, note: NoteKey | None, index: DataviewIndex, out: Output) -> str:
    """The Markdown that replaces one block on a page of note `note`."""
    if block.kind == "dataviewjs":
        return format_failure(block.query, _JS_REASON, out)
    try:
        return format_result(index.run(block.query, note), out)
    except QueryError as error:
        return format_failure(block.query, _describe(error, block.query), out)


_KINDS = {"DV001": "syntax error", "DV002": "not supported", "DV004": "failed when run"}


def _describe(error: QueryError, query: str) -> str:
    """The reason shown on the page, with the place in the query."""
    where = error.position(query)
    place = f" (query line {where[0]}, column {where[1]})" if where else ""
    return f"{_KINDS.get(error.code, 'error')}{place}: {error.message}"


def render_blocks(text: str, note: Note, index: DataviewIndex, out: Output) -> str:
    """`text` (a page body) with each Dataview block replaced by its result in Markdown, or by
    a "could not be rendered" box."""
    blocks = find_blocks(text)
    if not blocks:
        return text
    lines = text.split("\n")
    result: list[str] = []
    last = 0
    for block in blocks:
        result.extend(lines[last:block.first])
        blank = block.prefix.rstrip()
        result.append(blank)
        result.extend(block.prefix + line if line else blank
                      for line in render_block(block, note.key, index, out).split("\n"))
        result.append(blank)
        last = block.last + 1
    result.extend(lines[last:])
    return "\n".join(result)


def dataview_diagnostics(vault: Vault, queries: DataviewIndex | None = None) -> list[Diagnostic]:
    """A warning for every Dataview block of the vault that the site cannot render: syntax
    errors (DV001), constructs outside the supported subset (DV002), DataviewJS (DV003) and,
    given the vault's `queries`, queries that fail when run (DV004); the results stay in
    `queries` for the pages to show. The line is the block's opening fence in the file.
    Without `queries` (the `validate` command, which must stay fast enough for a commit hook)
    queries are only parsed."""
    index = queries
    found = []
    for note in vault.notes:
        for block in find_blocks(note.body):
            line = note.body_line + block.first
            if block.kind == "dataviewjs":
                found.append(_diagnostic(note, line, "DV003", _JS_REASON + "."))
                continue
            try:
                if index is not None:
                    index.run(block.query, note.key)
                else:
                    parse_query(block.query)
            except QueryError as error:
                found.append(_diagnostic(note, line, error.code, _message(error, block, line)))
    return sorted(found, key=Diagnostic.sort_key)


def _message(error: QueryError, block: Block, fence_line: int) -> str:
    """The diagnostic's text, with the place of the problem in the file when it is known."""
    where = error.position(block.query)
    place = (f" at line {fence_line + where[0]}, column {where[1] + len(block.prefix)}"
             if where else "")
    return (f"Dataview query {_KINDS.get(error.code, 'error')}{place}: {error.message}; "
            "the page shows the query in a \"could not be rendered\" box")


def _diagnostic(note: Note, line: int, code: str, message: str) -> Diagnostic:
    return make(code, note.key, line, message)
