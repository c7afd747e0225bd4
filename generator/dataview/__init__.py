"""Dataview queries, run at build time: the ```dataview blocks of the Maps of Content become
Markdown tables and lists of links, on the English page and on the Russian page.

Three stages with plain data between them, one module each:

- `query`:    parse, query text -> `Query`, a small AST of frozen dataclasses (`nodes`);
- `evaluate`: `Query` + the vault (`vault.VaultData`) -> `TableResult` or `ListResult`, rows
              of values (`values`) in which a link is a note key; `functions` holds the
              functions a query may call;
- `markdown`: a result -> Markdown for one language, with links to that language's pages.

`blocks` ties them to notes: `render_blocks` replaces every block of a page body (the
Renderer calls it), `dataview_diagnostics` reports for `validate` every block that cannot be
rendered, and a `DataviewIndex`, made once per vault and carried with the checked vault, runs
each query once for both.

Semantics are the Dataview plugin's (blacksmithgu/obsidian-dataview), which differ from SQL in
places an author relies on:
- `contains(list, x)` looks inside each element: `contains(tags, "testing")` is true for a note
  tagged `unit-testing`. `econtains` is the exact-membership test.
- AND and OR have one precedence and group left to right: `a OR b AND c` is `(a OR b) AND c`.
- A missing field is null; null sorts first; values of different types sort by type name;
  `=` on strings is case-sensitive. Field names are matched as written, then in Dataview's
  canonical form (lower case, spaces as dashes), so `Difficulty` finds `difficulty`.
- `tags` is the front-matter field as written (Dataview does not add body tags to it);
  `file.tags` is every tag, front matter and body, with the parents of nested tags
  (`#a/b` gives `#a` and `#a/b`); `file.etags` is without the parents.
- Front-matter strings that are ISO dates or `[[links]]` are dates and links. A link counts for
  FROM [[note]], file.inlinks and file.outlinks only when written as a link (body or front
  matter): a bare `moc: moc-kotlin` is text to Dataview.
- `file.ctime`/`file.mtime` are the front-matter `created`/`updated` when present, else the
  file system's times, so that a published page does not change with a checkout's file dates.

Outside the subset, and reported (DV002) instead of rendered: TASK and CALENDAR queries,
lambdas, object literals, durations, `csv()` sources, `file.tasks`/`file.lists`, and functions
not in `FUNCTIONS`. Syntax errors are DV001, DataviewJS blocks DV003 (JavaScript is never run),
queries that fail while running DV004; all are warnings, and the page shows the query in a
"could not be rendered" box with the reason. Inline queries (`= this.field`) are not evaluated.
"""

from .blocks import Block, DataviewIndex, dataview_diagnostics, find_blocks, render_block, render_blocks
from .evaluate import ListResult, Result, TableResult, execute
from .markdown import Output, escape_text, format_failure, format_result, format_value
from .nodes import Query, QueryError, QueryFailed, QuerySyntaxError, UnsupportedQuery
from .query import parse_query
from .values import Link, compare

__all__ = [
    "Block", "DataviewIndex", "Link", "ListResult", "Output", "Query", "QueryError",
    "QueryFailed", "QuerySyntaxError", "Result", "TableResult", "UnsupportedQuery", "compare",
    "dataview_diagnostics", "escape_text", "execute", "find_blocks", "format_failure",
    "format_result", "format_value", "parse_query", "render_block", "render_blocks",
]
