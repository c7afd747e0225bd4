"""What a query is once parsed: `Query`, a small AST of frozen dataclasses (query.py makes it,
evaluate.py runs it), and the errors a query can raise, each with its diagnostic code.
"""

from __future__ import annotations

from dataclasses import dataclass

from .values import Value


class QueryError(Exception):
    """A query that cannot be rendered; `code` is its diagnostic code."""

    code = "DV000"

    def __init__(self, message: str, offset: int | None = None):
        super().__init__(message)
        self.message = message
        self.offset = offset  # character offset in the query text, when known

    def position(self, query: str) -> tuple[int, int] | None:
        """1-based (line, column) of the problem in the query text."""
        if self.offset is None:
            return None
        before = query[: self.offset]
        return before.count("\n") + 1, self.offset - (before.rfind("\n") + 1) + 1


class QuerySyntaxError(QueryError):
    code = "DV001"


class UnsupportedQuery(QueryError):
    code = "DV002"


class QueryFailed(QueryError):
    code = "DV004"


@dataclass(frozen=True)
class Literal:
    value: Value  # None, bool, int, float, str, date or datetime


@dataclass(frozen=True)
class LinkLiteral:
    target: str  # as written in [[...]], resolved from the querying note when evaluated
    display: str | None
    subpath: str | None


@dataclass(frozen=True)
class Variable:
    name: str


@dataclass(frozen=True)
class Index:
    """`target.key` (key is a Literal) or `target[key]`."""

    target: Expr
    key: Expr


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple[Expr, ...]


@dataclass(frozen=True)
class ListOf:
    items: tuple[Expr, ...]


@dataclass(frozen=True)
class Not:
    operand: Expr


@dataclass(frozen=True)
class Binary:
    op: str  # and or = != < <= > >= + - * /
    left: Expr
    right: Expr


Expr = Literal | LinkLiteral | Variable | Index | Call | ListOf | Not | Binary


@dataclass(frozen=True)
class FolderSource:
    path: str  # "" is the whole vault


@dataclass(frozen=True)
class TagSource:
    tag: str  # with the leading "#"


@dataclass(frozen=True)
class LinkSource:
    target: str  # "" is the querying note
    incoming: bool  # [[x]]: notes linking to x; outgoing([[x]]): notes x links to


@dataclass(frozen=True)
class NotSource:
    source: Source


@dataclass(frozen=True)
class BinarySource:
    op: str  # and, or
    left: Source
    right: Source


Source = FolderSource | TagSource | LinkSource | NotSource | BinarySource


@dataclass(frozen=True)
class NamedField:
    name: str  # the AS label, or the expression's text as written
    expr: Expr


@dataclass(frozen=True)
class TableHeader:
    fields: tuple[NamedField, ...]
    show_id: bool  # False for TABLE WITHOUT ID


@dataclass(frozen=True)
class ListHeader:
    format: Expr | None
    show_id: bool


@dataclass(frozen=True)
class Where:
    condition: Expr


@dataclass(frozen=True)
class SortKey:
    expr: Expr
    descending: bool


@dataclass(frozen=True)
class Sort:
    keys: tuple[SortKey, ...]


@dataclass(frozen=True)
class Limit:
    amount: Expr


@dataclass(frozen=True)
class GroupBy:
    field: NamedField


@dataclass(frozen=True)
class Flatten:
    field: NamedField


Step = Where | Sort | Limit | GroupBy | Flatten


@dataclass(frozen=True)
class Query:
    header: TableHeader | ListHeader
    source: Source
    steps: tuple[Step, ...]  # applied in the order written, as Dataview does
