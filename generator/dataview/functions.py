"""The functions a query may call, with Dataview's names and behaviour (`FUNCTIONS`); a query
calling any other is reported as unsupported. Like Dataview's, most functions map over a list
given where one value is expected ("vectorisation")."""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from .values import (
    OBJECTS,
    Link,
    Ordered,
    RowError,
    Value,
    arithmetic,
    compare,
    day_of,
    parse_date,
    parse_number,
    to_string,
    truthy,
    type_name,
)

if TYPE_CHECKING:
    from .evaluate import Context


Function = Callable[..., Value]


def _vectorized(*positions: int) -> Callable[[Function], Function]:
    """Dataview's vectorisation: a list where a single value is expected maps the call."""

    def wrap(function: Function) -> Function:
        @functools.wraps(function)
        def call(context: Context, *args: Value) -> Value:
            lists = [p for p in positions if p < len(args) and isinstance(args[p], list)]
            if not lists:
                return function(context, *args)
            length = min(len(args[p]) for p in lists)
            return [call(context, *(arg[i] if p in lists else arg for p, arg in enumerate(args)))
                    for i in range(length)]
        return call

    return wrap


def _contains(haystack: Value, needle: Value, fold: bool) -> bool:
    """Dataview's contains(): a list contains x when any element contains x, recursively; a
    string contains a substring; an object contains a key; anything else must equal x."""
    if isinstance(haystack, list):
        if isinstance(needle, str) and not fold:  # the common case, kept fast
            return any(needle in item if isinstance(item, str) else _contains(item, needle, fold)
                       for item in haystack)
        return any(_contains(item, needle, fold) for item in haystack)
    if isinstance(haystack, str) and isinstance(needle, str):
        return needle.casefold() in haystack.casefold() if fold else needle in haystack
    if isinstance(haystack, OBJECTS) and isinstance(needle, str):
        return needle in haystack
    return compare(haystack, needle) == 0


def _fn_contains(context: Context, haystack: Value, needle: Value) -> Value:
    if isinstance(needle, list):  # vectorised over the needle, as in Dataview
        return [_contains(haystack, item, fold=False) for item in needle]
    return _contains(haystack, needle, fold=False)


@_vectorized(1)
def _fn_icontains(context: Context, haystack: Value, needle: Value) -> Value:
    return _contains(haystack, needle, fold=True)


@_vectorized(1)
def _fn_econtains(context: Context, haystack: Value, needle: Value) -> Value:
    if isinstance(haystack, list):
        return any(compare(item, needle) == 0 for item in haystack)
    return _contains(haystack, needle, fold=False)


def _fn_length(context: Context, value: Value) -> Value:
    if value is None:
        return 0
    if isinstance(value, (list, str)) or isinstance(value, OBJECTS):
        return len(value)
    raise RowError(f"length() of a {type_name(value)}")


def _string_function(name: str, function: Callable[..., Value]) -> Function:
    @_vectorized(0)
    def call(context: Context, value: Value, *args: Value) -> Value:
        if value is None:
            return None
        if not isinstance(value, str):
            raise RowError(f"{name}() of a {type_name(value)}")
        return function(value, *args)
    return call


def _js_replacement(replacement: str) -> str:
    """JavaScript's $1 and $& in a replacement, in Python's syntax."""
    text = replacement.replace("\\", "\\\\")
    return re.sub(r"\$(\d+|&)", lambda m: r"\g<0>" if m.group(1) == "&" else rf"\g<{m.group(1)}>",
                  text)


def _fn_regexmatch(context: Context, pattern: Value, value: Value) -> Value:
    return isinstance(value, str) and re.fullmatch(str(pattern), value) is not None


def _fn_regextest(context: Context, pattern: Value, value: Value) -> Value:
    return isinstance(value, str) and re.search(str(pattern), value) is not None


def _fn_default(context: Context, value: Value, fallback: Value) -> Value:
    if isinstance(value, list):
        return [fallback if item is None else item for item in value]
    return fallback if value is None else value


def _fn_join(context: Context, value: Value, separator: Value = ", ") -> Value:
    if not isinstance(value, list):
        return to_string(value)
    return str(separator).join(to_string(item) for item in value)


@_vectorized(0)
def _fn_number(context: Context, value: Value) -> Value:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        match = re.search(r"-?[0-9]+(\.[0-9]+)?", value)
        return parse_number(match.group(0)) if match else None
    return None


@_vectorized(0)
def _fn_round(context: Context, value: Value, digits: Value = 0) -> Value:
    if value is None:
        return None
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise RowError(f"round() of a {type_name(value)}")
    places = int(digits or 0)
    rounded = math.floor(value * 10 ** places + 0.5) / 10 ** places  # JavaScript rounds .5 up
    return int(rounded) if places <= 0 else rounded


def _values(args: tuple[Value, ...]) -> list[Value]:
    return list(args[0]) if len(args) == 1 and isinstance(args[0], list) else list(args)


def _extreme(direction: int) -> Function:
    def call(context: Context, *args: Value) -> Value:
        best = None
        for value in _values(args):
            if value is not None and (best is None or compare(value, best) * direction > 0):
                best = value
        return best
    return call


def _fn_sum(context: Context, *args: Value) -> Value:
    values = _values(args)
    if not values:
        return None
    total = values[0]
    for value in values[1:]:
        total = arithmetic("+", total, value)
    return total


def _fn_sort(context: Context, value: Value) -> Value:
    if not isinstance(value, list):
        raise RowError(f"sort() of a {type_name(value)}")
    return sorted(value, key=Ordered)


def _fn_flat(context: Context, value: Value, depth: Value = 1) -> Value:
    if not isinstance(value, list):
        return value
    out: list[Value] = []
    for item in value:
        if isinstance(item, list) and int(depth) > 0:
            out.extend(_fn_flat(context, item, int(depth) - 1))
        else:
            out.append(item)
    return out


@_vectorized(0, 1)
def _fn_link(context: Context, target: Value, display: Value = None) -> Value:
    if isinstance(target, Link):
        return Link(target.path, target.key, str(display) if display else target.display,
                    target.subpath)
    if target is None:
        return None
    return context.vault.link_to(str(target), context.this_key,
                                 str(display) if display is not None else None)


@_vectorized(0)
def _fn_date(context: Context, value: Value) -> Value:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        return parse_date(value)
    return None


def _fn_truncate(context: Context, value: Value, length: Value, suffix: Value = "...") -> Value:
    if not isinstance(value, str):
        return value
    limit = int(length)
    return value if len(value) <= limit else value[: max(0, limit - len(str(suffix)))] + str(suffix)


def _fn_substring(context: Context, value: Value, start: Value, end: Value = None) -> Value:
    if not isinstance(value, str):
        return None
    return value[int(start): None if end is None else int(end)]


def _fn_split(context: Context, value: Value, delimiter: Value, limit: Value = None) -> Value:
    if not isinstance(value, str):
        return None
    parts = re.split(str(delimiter), value)
    return parts if limit is None else parts[: int(limit)]


def _fn_containsword(context: Context, value: Value, word: Value) -> Value:
    if isinstance(value, list):
        return [_fn_containsword(context, item, word) for item in value]
    if not isinstance(value, str):
        return False
    return re.search(rf"(?<!\w){re.escape(str(word))}(?!\w)", value, re.IGNORECASE) is not None


def _quantifier(test: Callable[[list[bool]], bool]) -> Function:
    def call(context: Context, *args: Value) -> Value:
        return test([truthy(value) for value in _values(args)])
    return call


# The functions a query may call (Dataview's names and behaviour); any other is DV002.
FUNCTIONS: dict[str, Function] = {
    "contains": _fn_contains,
    "icontains": _fn_icontains,
    "econtains": _fn_econtains,
    "containsword": _fn_containsword,
    "length": _fn_length,
    "lower": _string_function("lower", str.lower),
    "upper": _string_function("upper", str.upper),
    "startswith": lambda c, value, prefix: isinstance(value, str) and value.startswith(str(prefix)),
    "endswith": lambda c, value, suffix: isinstance(value, str) and value.endswith(str(suffix)),
    "replace": _string_function("replace", lambda v, old, new: v.replace(str(old), str(new))),
    "regexreplace": _string_function(
        "regexreplace", lambda v, pattern, new: re.sub(str(pattern), _js_replacement(str(new)), v)),
    "regexmatch": _fn_regexmatch,
    "regextest": _fn_regextest,
    "split": _fn_split,
    "substring": _fn_substring,
    "truncate": _fn_truncate,
    "default": _fn_default,
    "choice": lambda c, test, yes, no: yes if truthy(test) else no,
    "list": lambda c, *args: list(args),
    "join": _fn_join,
    "string": lambda c, value: to_string(value),
    "number": _fn_number,
    "round": _fn_round,
    "min": _extreme(-1),
    "max": _extreme(1),
    "sum": _fn_sum,
    "reverse": lambda c, value: list(reversed(value)) if isinstance(value, list) else value,
    "sort": _fn_sort,
    "flat": _fn_flat,
    "nonnull": lambda c, *args: [value for value in _values(args) if value is not None],
    "all": _quantifier(all),
    "any": _quantifier(any),
    "none": _quantifier(lambda values: not any(values)),
    "link": _fn_link,
    "date": _fn_date,
    "striptime": _vectorized(0)(lambda c, value: day_of(value)),
    "typeof": lambda c, value: type_name(value),
}
