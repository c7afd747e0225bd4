"""Dataview's values and their rules: what a field holds, truthiness, the total order
(`compare`) that WHERE, SORT and GROUP BY use, arithmetic, and values as text."""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..model import NoteKey


@dataclass(frozen=True)
class Link:
    """A link value: to a note of the vault (`key`), or to a name that matches no note."""

    path: str  # the note key when resolved, else the target as written
    key: NoteKey | None
    display: str | None = None
    subpath: str | None = None


# What expressions evaluate to. Objects are Mappings: group rows are dicts, a page's data is a
# dict whose `file` is a lazily computed mapping.
Value = Any


class RowError(Exception):
    """One row failed; Dataview drops the row, and fails the query when every row fails."""


class Ordered:
    """A value in Dataview's order, for sorted() and list.sort()."""

    __slots__ = ("value",)

    def __init__(self, value: Value):
        self.value = value

    def __lt__(self, other: Ordered) -> bool:
        return compare(self.value, other.value) < 0


@functools.lru_cache(maxsize=4096)
def canonical(name: str) -> str:
    """Dataview's canonical field name: `Date Created` -> `date-created`."""
    return re.sub(r"\s+", "-", re.sub(r"[^\w\s-]", "", name.strip())).lower()


class LazyObject(Mapping[str, Any]):
    """An object value whose fields are computed when first read (a note's `file.*`)."""

    __slots__ = ()


OBJECTS = (dict, LazyObject)  # the object values: group rows, pages, `file`


def lookup(obj: Mapping[str, Value], name: str) -> Value:
    """A field of an object: as written, else in canonical spelling, else null."""
    if name in obj:
        return obj[name]
    spelled = canonical(name)
    return obj.get(spelled) if spelled != name else None


def type_name(value: Value) -> str:
    """Dataview's name for a value's type (different types sort by this name)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dt.date):
        return "date"
    if isinstance(value, Link):
        return "link"
    if isinstance(value, list):
        return "array"
    if isinstance(value, OBJECTS):
        return "object"
    return "function"


def truthy(value: Value) -> bool:
    """Dataview's truthiness: null, false, 0 and empty texts, lists and objects are false."""
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value != 0
    if isinstance(value, (str, list)) or isinstance(value, OBJECTS):
        return len(value) > 0
    if isinstance(value, Link):
        return bool(value.path)
    return True


def as_datetime(value: dt.date) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    return dt.datetime(value.year, value.month, value.day)


def _sign(a: Any, b: Any) -> int:
    return -1 if a < b else (1 if a > b else 0)


def compare(a: Value, b: Value) -> int:
    """Dataview's total order over values (`Values.compareValue`)."""
    if a is None or b is None:
        return (a is not None) - (b is not None)
    kind, other = type_name(a), type_name(b)
    if kind != other:
        return _sign(kind, other)
    if kind == "string":
        return _compare_text(a, b)
    if kind in ("number", "boolean"):
        return _sign(a, b)
    if kind == "date":
        return _sign(as_datetime(a), as_datetime(b))
    if kind == "link":
        return (_compare_text(a.path, b.path) or
                _sign(a.subpath is not None, b.subpath is not None) or
                _compare_text(a.subpath or "", b.subpath or ""))
    if kind == "array":
        for left, right in zip(a, b, strict=False):
            result = compare(left, right)
            if result:
                return result
        return _sign(len(a), len(b))
    if kind == "object":
        keys_a, keys_b = sorted(a), sorted(b)
        result = compare(keys_a, keys_b)
        if result:
            return result
        for key in keys_a:
            result = compare(a[key], b[key])
            if result:
                return result
    return 0


def equal(a: Value, b: Value) -> bool:
    if type(a) is str and type(b) is str:  # the common case, kept fast
        return a == b
    return compare(a, b) == 0


def _compare_text(a: str, b: str) -> int:
    """Close to JavaScript's localeCompare: case-insensitive first, then lower case first."""
    if a == b:
        return 0
    return _sign(a.casefold(), b.casefold()) or _sign(a.swapcase(), b.swapcase())


def to_string(value: Value) -> str:
    """A value as text, for `+` with a string, join() and string()."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return _float_text(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M") if value.time() != dt.time() else \
            value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Link):
        return f"[[{value.path}|{value.display}]]" if value.display else f"[[{value.path}]]"
    if isinstance(value, list):
        return ", ".join(f"[{to_string(v)}]" if isinstance(v, list) else to_string(v)
                         for v in value)
    if isinstance(value, OBJECTS):
        return "{ " + ", ".join(f"{k}: {to_string(v)}" for k, v in value.items()) + " }"
    return str(value)


def _float_text(value: float) -> str:
    if math.isfinite(value) and value == int(value) and abs(value) < 1e21:
        return str(int(value))
    return {math.inf: "Infinity", -math.inf: "-Infinity"}.get(value, repr(value)) \
        if not math.isnan(value) else "NaN"


def arithmetic(op: str, a: Value, b: Value) -> Value:
    """`a op b` for + - * /, for the types Dataview defines it for; else the row fails."""
    kind, other = type_name(a), type_name(b)
    if kind == other == "number":
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "*":
            return a * b
        if b == 0:  # JavaScript: x / 0 is ±Infinity, 0 / 0 is NaN
            return math.nan if a == 0 else math.copysign(math.inf, a)
        return a / b
    if op == "+" and (kind == "string" or other == "string"):
        return to_string(a) + to_string(b)
    if op == "*" and {kind, other} == {"string", "number"}:
        text, count = (a, b) if kind == "string" else (b, a)
        return text * int(count) if count > 0 else ""
    if op == "+" and kind == other == "array":
        return a + b
    if op == "+" and kind == other == "object":
        return {**a, **b}
    if kind == "null" and other in ("null", "date") or kind == "date" and other == "null":
        return None
    raise RowError(f"no implementation of '{kind} {op} {other}'")


def parse_number(text: str) -> int | float:
    return float(text) if "." in text else int(text)


_DATE_VALUE = re.compile(
    r"(\d{4})-(\d{2})(?:-(\d{2})(?:T(\d{2})(?::(\d{2})(?::(\d{2})(?:\.\d{3})?)?)?)?)?"
    r"(?:Z|[+-]\d{1,2}(?::\d{2})?)?")


def parse_date(text: str) -> dt.date | dt.datetime | None:
    """A date the way Dataview reads one: YYYY-MM[-DD[THH[:mm[:ss]]]]; None if it is not."""
    match = _DATE_VALUE.fullmatch(text.strip())
    if not match:
        return None
    # Year and month are always there; day, hour, minute and second default as Dataview's do.
    year, month = int(match.group(1)), int(match.group(2))
    day, hour, minute, second = (int(g) if g else None for g in match.groups()[2:])
    try:
        if hour is None:
            return dt.date(year, month, day or 1)
        return dt.datetime(year, month, day or 1, hour, minute or 0, second or 0)
    except ValueError:
        return None


def day_of(value: Value) -> Value:
    return value.date() if isinstance(value, dt.datetime) else value
