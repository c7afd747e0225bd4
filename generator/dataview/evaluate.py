"""Evaluate stage: a parsed query + the vault -> a `TableResult` or `ListResult`: rows of
values in which a link is a note key, nothing tied to a language yet.

It follows Dataview's `executeCore`: the FROM source selects notes (in path order), then each
data command runs in the order written; a row on which an expression fails is dropped, and the
query fails (QueryFailed) only when every row does. Each expression is compiled once into
nested closures, then called once per row.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from ..model import NoteKey
from .functions import FUNCTIONS
from .nodes import (
    Binary,
    Call,
    Expr,
    Flatten,
    FolderSource,
    GroupBy,
    Index,
    Limit,
    LinkLiteral,
    LinkSource,
    ListOf,
    Literal,
    NamedField,
    Not,
    NotSource,
    Query,
    QueryFailed,
    Sort,
    Source,
    Step,
    TableHeader,
    TagSource,
    UnsupportedQuery,
    Variable,
    Where,
)
from .values import (
    OBJECTS,
    Link,
    Ordered,
    RowError,
    Value,
    arithmetic,
    as_datetime,
    canonical,
    compare,
    equal,
    lookup,
    truthy,
    type_name,
)
from .vault import UNSUPPORTED_FILE_FIELDS, VaultData


@dataclass(frozen=True)
class TableResult:
    columns: tuple[str | None, ...]  # None: the note column, named in the page's language
    rows: tuple[tuple[Value, ...], ...]


@dataclass(frozen=True)
class ListResult:
    items: tuple[tuple[Value, ...], ...]  # (note,), (value,) or (note, value)


Result = TableResult | ListResult


Compiled = Callable[[Mapping[str, Value]], Value]


_COMPARISONS: dict[str, Callable[[int], bool]] = {
    "=": lambda c: c == 0, "!=": lambda c: c != 0, "<": lambda c: c < 0,
    "<=": lambda c: c <= 0, ">": lambda c: c > 0, ">=": lambda c: c >= 0,
}


class Context:
    """Evaluates expressions for one query run; `this` is the querying note's data. Each
    expression is compiled once into nested closures, then called once per row."""

    def __init__(self, vault: VaultData, this: NoteKey | None):
        self.vault = vault
        self.this_key = this
        self.this: Mapping[str, Value] = vault.page(this) if this in vault.notes else {}

    def compile(self, expr: Expr) -> Compiled:
        """`expr` as a function of a row's data; the function raises RowError."""
        match expr:
            case Literal(value):
                return lambda data: value
            case Variable(name):
                return self._variable(name)
            case Binary("and", left, right):
                first, second = self.compile(left), self.compile(right)
                return lambda data: truthy(first(data)) and truthy(second(data))
            case Binary("or", left, right):
                first, second = self.compile(left), self.compile(right)
                return lambda data: truthy(first(data)) or truthy(second(data))
            case Binary("=" | "!=" as op, left, right):
                first, second = self.compile(left), self.compile(right)
                if op == "=":
                    return lambda data: equal(first(data), second(data))
                return lambda data: not equal(first(data), second(data))
            case Binary(op, left, right):
                first, second = self.compile(left), self.compile(right)
                test = _COMPARISONS.get(op)
                if test is not None:
                    return lambda data: test(compare(first(data), second(data)))
                return lambda data: arithmetic(op, first(data), second(data))
            case Call(name, args):
                return self._call(name, [self.compile(arg) for arg in args])
            case Index(target, key):
                return self._index(target, key)
            case Not(operand):
                inner = self.compile(operand)
                return lambda data: not truthy(inner(data))
            case ListOf(items):
                parts = [self.compile(item) for item in items]
                return lambda data: [part(data) for part in parts]
            case LinkLiteral(target, display, subpath):
                link = self.vault.link_to(target, self.this_key, display, subpath)
                return lambda data: link
        raise UnsupportedQuery(f"cannot evaluate {expr!r}")

    def _variable(self, name: str) -> Compiled:
        # A row's own field first, then the globals `this` and `row`, then Dataview's
        # canonical spelling of the name (`Difficulty` -> `difficulty`); else null.
        if name in ("this", "row"):
            this = self.this
            return lambda data: data[name] if name in data else (this if name == "this" else data)
        spelled = canonical(name)
        if spelled == name:
            return lambda data: data.get(name)
        return lambda data: data[name] if name in data else data.get(spelled)

    def _call(self, name: str, args: list[Compiled]) -> Compiled:
        function = FUNCTIONS[name]

        def call(data: Mapping[str, Value]) -> Value:
            values = [arg(data) for arg in args]
            try:
                return function(self, *values)
            except TypeError as error:
                raise RowError(f"wrong arguments for {name}(): {error}") from None
            except re.error as error:
                raise RowError(f"bad regular expression in {name}(): {error}") from None

        return call

    def _index(self, target: Expr, key: Expr) -> Compiled:
        # Dataview: `a[b]` with a variable b indexes by the name "b"; `row.x` is the row's x.
        if isinstance(key, (Variable, Literal)):
            constant = key.name if isinstance(key, Variable) else key.value
            key_of: Compiled = lambda data: constant  # noqa: E731
        else:
            key_of = self.compile(key)
        if isinstance(target, Variable) and target.name == "row":
            return lambda data: self.index_value(data, key_of(data))
        obj_of = self.compile(target)
        return lambda data: self.index_value(obj_of(data), key_of(data))

    def index_value(self, obj: Value, key: Value) -> Value:
        if not isinstance(key, (str, int, float)) or isinstance(key, bool):
            raise RowError("can only index with a string, a variable or a number")
        if obj is None:
            return None
        if isinstance(obj, OBJECTS):
            if not isinstance(key, str):
                raise RowError('can only index into objects with strings (a.b or a["b"])')
            return lookup(obj, key)
        if isinstance(obj, Link):
            if obj.key is None or not isinstance(key, str):
                return None
            return lookup(self.vault.page(obj.key), key)
        if isinstance(obj, list):
            if isinstance(key, str):  # rows.file.link: the field of every element
                values = []
                for item in obj:
                    try:
                        values.append(self.index_value(item, key))
                    except RowError:
                        continue
                return values
            position = int(key)
            return obj[position] if 0 <= position < len(obj) else None
        if isinstance(obj, str) and not isinstance(key, str):
            position = int(key)
            return obj[position] if 0 <= position < len(obj) else None
        if isinstance(obj, dt.date) and isinstance(key, str):
            return _date_part(obj, key)
        return None


def _date_part(value: dt.date, part: str) -> Value:
    moment = as_datetime(value)
    parts = {"year": moment.year, "month": moment.month, "day": moment.day,
             "hour": moment.hour, "minute": moment.minute, "second": moment.second,
             "millisecond": moment.microsecond // 1000, "weekday": moment.isoweekday(),
             "week": moment.day // 7 + 1, "weekyear": moment.isocalendar()[1]}
    return parts.get(part)


def _walk(expr: Expr) -> Iterator[Expr]:
    yield expr
    if isinstance(expr, Index):
        yield from _walk(expr.target)
        yield from _walk(expr.key)
    elif isinstance(expr, Call):
        for arg in expr.args:
            yield from _walk(arg)
    elif isinstance(expr, ListOf):
        for item in expr.items:
            yield from _walk(item)
    elif isinstance(expr, Not):
        yield from _walk(expr.operand)
    elif isinstance(expr, Binary):
        yield from _walk(expr.left)
        yield from _walk(expr.right)


def _expressions(query: Query) -> Iterator[Expr]:
    header = query.header
    if isinstance(header, TableHeader):
        yield from (field.expr for field in header.fields)
    elif header.format is not None:
        yield header.format
    for step in query.steps:
        if isinstance(step, Where):
            yield step.condition
        elif isinstance(step, Sort):
            yield from (key.expr for key in step.keys)
        elif isinstance(step, Limit):
            yield step.amount
        else:
            yield step.field.expr


def unsupported_reason(query: Query) -> str | None:
    """Why this parsed query is outside what the build can run, or None."""
    for root in _expressions(query):
        for expr in _walk(root):
            if isinstance(expr, Call) and expr.name not in FUNCTIONS:
                return f"the function {expr.name}() is not supported when publishing"
            if (isinstance(expr, Index) and isinstance(expr.target, Variable)
                    and expr.target.name == "file" and isinstance(expr.key, Literal)
                    and expr.key.value in UNSUPPORTED_FILE_FIELDS):
                return f"file.{expr.key.value} (tasks and list items) is not supported " \
                       "when publishing"
    return None


def _source_keys(source: Source, vault: VaultData, this: NoteKey | None) -> set[NoteKey]:
    if isinstance(source, FolderSource):
        folder = source.path.strip().strip("/")
        if not folder:
            return set(vault.keys)
        return {key for key in vault.keys
                if key.startswith(folder + "/") or key in (folder, folder + ".md")}
    if isinstance(source, TagSource):
        tag = source.tag.lower()
        return {key for key in vault.keys
                if tag in (t.lower() for t in vault.tags(key)[1])}
    if isinstance(source, LinkSource):
        target = vault.resolver.resolve(source.target, this) if source.target else this
        if target is None or target not in vault.notes:
            return set()
        return set(vault.inlinks(target) if source.incoming else vault.outlinks(target))
    if isinstance(source, NotSource):
        return set(vault.keys) - _source_keys(source.source, vault, this)
    left = _source_keys(source.left, vault, this)
    right = _source_keys(source.right, vault, this)
    return left & right if source.op == "and" else left | right


Row = tuple[Value, Mapping[str, Value]]  # (id: the note's link or the group key, data)


def execute(query: Query, vault: VaultData, this: NoteKey | None) -> Result:
    """Run a parsed query over the vault, following Dataview's `executeCore`."""
    reason = unsupported_reason(query)
    if reason:
        raise UnsupportedQuery(reason)
    context = Context(vault, this)
    selected = _source_keys(query.source, vault, this)
    rows: list[Row] = [(vault.link(key), vault.page(key)) for key in vault.keys
                       if key in selected]
    groups: list[str] = []  # names of the GROUP BYs in effect, innermost last
    for step in query.steps:
        rows = _apply(step, rows, context, groups)
    header = query.header
    if isinstance(header, TableHeader):
        names = tuple(field.name for field in header.fields)
        cells = _extract(rows, context, [field.expr for field in header.fields])
        if header.show_id:
            return TableResult((groups[-1] if groups else None, *names),
                               tuple((row[0], *values) for row, values in cells))
        return TableResult(names, tuple(tuple(values) for _, values in cells))
    if header.format is None:
        return ListResult(tuple((row[0],) for row in rows))
    cells = _extract(rows, context, [header.format])
    if header.show_id:
        return ListResult(tuple((row[0], values[0]) for row, values in cells))
    return ListResult(tuple((values[0],) for _, values in cells))


def _each(rows: list[Row], step: str, compute: Callable[[Row], Value]) -> list[tuple[Row, Value]]:
    """compute(row) for every row; a failing row is dropped, and if every row fails the
    query fails with the first messages, as in Dataview."""
    out, errors = [], []
    for row in rows:
        try:
            out.append((row, compute(row)))
        except RowError as error:
            errors.append(str(error))
    if errors and not out:
        raise QueryFailed(f"every row failed in {step}: " + "; ".join(dict.fromkeys(errors[:3])))
    return out


def _apply(step: Step, rows: list[Row], context: Context, groups: list[str]) -> list[Row]:
    """One data command over the rows, as Dataview's `executeCore` does it."""
    compile_ = context.compile
    match step:
        case Where(condition):
            test = compile_(condition)
            return [row for row, keep in _each(rows, "WHERE", lambda r: test(r[1]))
                    if truthy(keep)]
        case Sort(keys):
            values = [compile_(key.expr) for key in keys]
            tagged = _each(rows, "SORT", lambda r: [value(r[1]) for value in values])

            def order(a: tuple[Row, Value], b: tuple[Row, Value]) -> int:
                for key, left, right in zip(keys, a[1], b[1], strict=True):
                    result = compare(left, right)
                    if result:
                        return -result if key.descending else result
                return 0

            return [row for row, _ in sorted(tagged, key=functools.cmp_to_key(order))]
        case Limit(amount_expr):
            try:
                amount = compile_(amount_expr)({})
            except RowError as error:
                raise QueryFailed(f"LIMIT failed: {error}") from None
            if not isinstance(amount, (int, float)) or isinstance(amount, bool):
                raise QueryFailed(f"LIMIT must be a number, not a {type_name(amount)}")
            return rows[: int(amount)]
        case GroupBy(NamedField(name, expr)):
            key_of = compile_(expr)
            keyed = _each(rows, "GROUP BY", lambda r: key_of(r[1]))
            keyed.sort(key=lambda pair: Ordered(pair[1]))
            grouped: list[tuple[Value, dict[str, Value]]] = []
            for row, key in keyed:
                if grouped and compare(grouped[-1][0], key) == 0:
                    grouped[-1][1]["rows"].append(row[1])
                else:
                    grouped.append((key, {"key": key, "rows": [row[1]], name: key}))
            groups.append(name)
            return list(grouped)
        case Flatten(NamedField(name, expr)):  # one row per element of a list value
            value_of = compile_(expr)
            flat: list[Row] = []
            for row, value in _each(rows, "FLATTEN", lambda r: value_of(r[1])):
                for item in value if isinstance(value, list) else [value]:
                    flat.append((row[0], {**row[1], name: item}))
            if groups and groups[-1] == name:
                groups.pop()
            return flat
    raise UnsupportedQuery(f"cannot run {step!r}")


def _extract(rows: list[Row], context: Context, exprs: list[Expr]) -> list[tuple[Row, Value]]:
    """Each row with the values of the columns; a row whose column fails is dropped."""
    if not exprs:
        return [(row, []) for row in rows]
    columns = [context.compile(expr) for expr in exprs]
    return _each(rows, "the columns", lambda r: [column(r[1]) for column in columns])
