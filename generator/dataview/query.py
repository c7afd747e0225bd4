"""Parse stage: the text of a query -> `Query`, a small AST of frozen dataclasses (nodes.py).

A hand-written recursive descent over the text that follows the Dataview plugin's grammar
(`src/query/parse.ts`, `src/expression/parse.ts` in blacksmithgu/obsidian-dataview): a query
type (TABLE [WITHOUT ID] fields, LIST [WITHOUT ID] [expr]), at most one FROM right after it,
then WHERE, SORT, GROUP BY, FLATTEN and LIMIT in any order and number. Keywords are in any
case. Operators bind in four levels, loosest first: AND/OR (one level, left to right, so
`a OR b AND c` is `(a OR b) AND c`), comparisons, + -, * /. Full-line `//` comments are
ignored. Constructs outside what the build runs raise UnsupportedQuery as soon as they are
seen; anything else wrong raises QuerySyntaxError with the offset of the problem.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import NoReturn

from ..notes.wikilinks import parse_inner
from .nodes import (
    Binary,
    BinarySource,
    Call,
    Expr,
    Flatten,
    FolderSource,
    GroupBy,
    Index,
    Limit,
    LinkLiteral,
    LinkSource,
    ListHeader,
    ListOf,
    Literal,
    NamedField,
    Not,
    NotSource,
    Query,
    QuerySyntaxError,
    Sort,
    SortKey,
    Source,
    Step,
    TableHeader,
    TagSource,
    UnsupportedQuery,
    Variable,
    Where,
)
from .values import parse_date, parse_number

# Tokens, as Dataview's grammar defines them.
_IDENT = re.compile(r"[^\W\d_][\w-]*")  # a letter, then letters, digits, _ and -
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_BOOL = re.compile(r"(?:true|false|True|False)(?![\w-])")
_NULL = re.compile(r"null(?![\w-])")
WIKILINK = re.compile(r"(!?)\[\[([^\[\]]*?)\]\]")
_TAG = re.compile(r"#[\w/-]*")
_LAMBDA = re.compile(r"\(\s*(?:[^\W\d_][\w-]*\s*(?:,\s*[^\W\d_][\w-]*\s*)*)?\)\s*=>")
_DATE_TEXT = (r"\d{4}-\d{2}(?:-\d{2}(?:T\d{2}(?::\d{2}(?::\d{2}(?:\.\d{3})?)?)?)?)?"
              r"(?:Z|[+-]\d{1,2}(?::\d{2})?)?")
_DATE_SHORTHANDS = ("today", "now", "yesterday", "tomorrow")
_DATE_LITERAL = re.compile(
    r"date\(\s*(" + "|".join(_DATE_SHORTHANDS) + "|" + _DATE_TEXT + r")\s*\)")
_DURATION = re.compile(r"dur\(")
# One precedence level per entry, loosest first: boolean, comparison, + -, * /.
_OPERATORS = (
    re.compile(r"(?:and|or)(?![\w-])|&|\|", re.IGNORECASE),
    re.compile(r">=|<=|!=|>|<|="),
    re.compile(r"[+-]"),
    re.compile(r"[*/]"),
)
_OP_NAMES = {"&": "and", "|": "or"}
_KEYWORDS = frozenset({"FROM", "WHERE", "LIMIT", "GROUP", "FLATTEN"})  # never variables
_CLAUSES = _KEYWORDS | {"SORT"}  # words that end a query's header
_COMMENT = re.compile(r"^[ \t]*//.*$", re.MULTILINE)


@functools.lru_cache(maxsize=2048)
def parse_query(text: str) -> Query:
    """Parse one query. Raises QuerySyntaxError or UnsupportedQuery."""
    # `//` comment lines are blanked, not removed, so that error offsets stay right.
    return _Parser(_COMMENT.sub(lambda m: " " * len(m.group(0)), text)).query()


class _Parser:
    """Recursive descent over the query text; `pos` is the offset of the next character."""

    def __init__(self, text: str):
        self.text = text
        self.pos = 0

    # --- low level ---------------------------------------------------------------------------
    def ws(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def at_end(self) -> bool:
        self.ws()
        return self.pos >= len(self.text)

    def take(self, pattern: re.Pattern[str]) -> re.Match[str] | None:
        match = pattern.match(self.text, self.pos)
        if match:
            self.pos = match.end()
        return match

    def peek_word(self) -> str | None:
        match = _IDENT.match(self.text, self.pos)
        return match.group(0).upper() if match else None

    def word(self, *words: str) -> str | None:
        """Take the next word if it is one of `words` (any case); return it in upper case."""
        match = _IDENT.match(self.text, self.pos)
        if match and match.group(0).upper() in words:
            self.pos = match.end()
            return match.group(0).upper()
        return None

    def char(self, char: str) -> bool:
        if self.text.startswith(char, self.pos):
            self.pos += len(char)
            return True
        return False

    def comma(self) -> bool:
        save = self.pos
        self.ws()
        if self.char(","):
            self.ws()
            return True
        self.pos = save
        return False

    def fail(self, expected: str) -> NoReturn:
        rest = self.text[self.pos:].lstrip()
        found = repr(rest.split()[0][:30]) if rest else "the end of the query"
        hint = ""
        if re.search(r"(?<![\w-])not\s*$", self.text[: self.pos], re.IGNORECASE):
            hint = "; Dataview has no NOT operator: negate with ! (e.g. !contains(tags, \"x\"))"
        raise QuerySyntaxError(f"expected {expected}, found {found}{hint}", self.pos)

    def unsupported(self, what: str, offset: int) -> NoReturn:
        raise UnsupportedQuery(f"{what} are not supported when publishing", offset)

    # --- query -------------------------------------------------------------------------------
    def query(self) -> Query:
        self.ws()
        start = self.pos
        kind = self.word("TABLE", "LIST", "TASK", "CALENDAR")
        if kind is None:
            self.fail("TABLE, LIST, TASK or CALENDAR")
        if kind in ("TASK", "CALENDAR"):
            raise UnsupportedQuery(f"{kind} queries are not supported when publishing; "
                                   "use TABLE or LIST", start)
        header = self.table_header() if kind == "TABLE" else self.list_header()
        source: Source = FolderSource("")
        self.ws()
        if self.word("FROM"):
            self.ws()
            source = self.source()
        steps: list[Step] = []
        while not self.at_end():
            steps.append(self.step())
        return Query(header, source, tuple(steps))

    def without_id(self) -> bool:
        save = self.pos
        if self.word("WITHOUT"):
            self.ws()
            if self.word("ID"):
                self.ws()
                return True
        self.pos = save
        return False

    def at_clause(self) -> bool:
        return self.at_end() or self.peek_word() in _CLAUSES

    def table_header(self) -> TableHeader:
        self.ws()
        show_id = not self.without_id()
        fields: list[NamedField] = []
        if not self.at_clause():
            fields.append(self.named_field())
            while self.comma():
                fields.append(self.named_field())
        return TableHeader(tuple(fields), show_id)

    def list_header(self) -> ListHeader:
        self.ws()
        show_id = not self.without_id()
        expr = None if self.at_clause() else self.expression()
        return ListHeader(expr, show_id)

    def named_field(self) -> NamedField:
        self.ws()
        start = self.pos
        expr = self.expression()
        end = self.pos
        self.ws()
        if self.pos > end and self.word("AS"):
            self.ws()
            if self.text.startswith('"', self.pos):
                return NamedField(self.string(), expr)
            name = self.take(_IDENT)
            if name is None:
                self.fail("a column name after AS")
            return NamedField(name.group(0), expr)
        self.pos = end
        # Dataview names an unlabelled column by its text, line breaks removed.
        return NamedField("".join(line.strip() for line in self.text[start:end].splitlines()),
                          expr)

    def step(self) -> Step:
        start = self.pos
        word = self.word("WHERE", "SORT", "LIMIT", "GROUP", "FLATTEN", "FROM")
        self.ws()
        if word == "WHERE":
            return Where(self.expression())
        if word == "SORT":
            keys = [self.sort_key()]
            while self.comma():
                keys.append(self.sort_key())
            return Sort(tuple(keys))
        if word == "LIMIT":
            return Limit(self.expression())
        if word == "GROUP":
            if not self.word("BY"):
                self.fail("BY after GROUP")
            return GroupBy(self.named_field())
        if word == "FLATTEN":
            return Flatten(self.named_field())
        if word == "FROM":
            raise QuerySyntaxError("FROM may come only once, right after TABLE or LIST", start)
        self.fail("WHERE, SORT, GROUP BY, FLATTEN or LIMIT")

    def sort_key(self) -> SortKey:
        expr = self.expression()
        save = self.pos
        self.ws()
        direction = self.word("ASC", "ASCENDING", "DESC", "DESCENDING")
        if direction is None:
            self.pos = save
        return SortKey(expr, descending=direction in ("DESC", "DESCENDING"))

    # --- sources -----------------------------------------------------------------------------
    def source(self) -> Source:
        left = self.source_atom()
        while True:
            save = self.pos
            self.ws()
            match = self.take(_OPERATORS[0])
            if match is None:
                self.pos = save
                return left
            self.ws()
            op = match.group(0).lower()
            left = BinarySource(_OP_NAMES.get(op, op), left, self.source_atom())

    def source_atom(self) -> Source:
        start = self.pos
        if self.char("("):
            self.ws()
            inner = self.source()
            self.ws()
            if not self.char(")"):
                self.fail("')' closing the source")
            return inner
        if self.char("-") or self.char("!"):
            return NotSource(self.source_atom())
        if self.char("outgoing("):
            self.ws()
            link = self.take(WIKILINK)
            if link is None:
                self.fail("a [[link]] inside outgoing(...)")
            self.ws()
            if not self.char(")"):
                self.fail("')' closing outgoing(...)")
            return LinkSource(parse_inner(link.group(2))[0], incoming=False)
        link = self.take(WIKILINK)
        if link:
            return LinkSource(parse_inner(link.group(2))[0], incoming=True)
        if self.text.startswith('"', self.pos):
            return FolderSource(self.string())
        tag = self.take(_TAG)
        if tag:
            return TagSource(tag.group(0))
        if self.text.startswith("csv(", self.pos):
            self.unsupported("csv() sources", start)
        self.fail('a folder ("70-Kotlin"), a #tag or a [[link]]')

    # --- expressions -------------------------------------------------------------------------
    def expression(self, level: int = 0) -> Expr:
        if level == len(_OPERATORS):
            return self.postfix()
        left = self.expression(level + 1)
        while True:
            save = self.pos
            self.ws()
            match = self.take(_OPERATORS[level])
            if match is None:
                self.pos = save
                return left
            self.ws()
            op = match.group(0).lower()
            left = Binary(_OP_NAMES.get(op, op), left, self.expression(level + 1))

    def postfix(self) -> Expr:
        expr = self.atom()
        while True:
            start = self.pos
            if self.text.startswith(".", self.pos):
                name = _IDENT.match(self.text, self.pos + 1)
                if name is None:
                    return expr
                self.pos = name.end()
                expr = Index(expr, Literal(name.group(0)))
            elif self.text.startswith("[", self.pos) and not self.text.startswith("[[", self.pos):
                self.pos += 1
                self.ws()
                key = self.expression()
                self.ws()
                if not self.char("]"):
                    self.fail("']'")
                expr = Index(expr, key)
            elif self.char("("):
                args = self.arguments(")")
                if not isinstance(expr, Variable):
                    self.unsupported("calls of anything but a function name", start)
                expr = Call(expr.name, args)
            else:
                return expr

    def arguments(self, closing: str) -> tuple[Expr, ...]:
        self.ws()
        args: list[Expr] = []
        if not self.char(closing):
            args.append(self.expression())
            while self.comma():
                args.append(self.expression())
            self.ws()
            if not self.char(closing):
                self.fail(f"',' or '{closing}'")
        return tuple(args)

    def atom(self) -> Expr:
        text, start = self.text, self.pos
        if start >= len(text):
            self.fail("an expression")
        first = text[start]
        link = WIKILINK.match(text, start) if first in "![" else None
        if link:
            self.pos = link.end()
            target, heading, label = parse_inner(link.group(2))
            return LinkLiteral(target, label, heading)
        if first == "!":
            self.pos += 1
            return Not(self.postfix())
        if first == "[":
            self.pos += 1
            return ListOf(self.arguments("]"))
        if first == "{":
            self.unsupported("object literals { … }", start)
        if first == "(":
            if _LAMBDA.match(text, start):
                self.unsupported("lambda expressions (x) => …", start)
            self.pos += 1
            self.ws()
            inner = self.expression()
            self.ws()
            if not self.char(")"):
                self.fail("')'")
            return inner
        if first == '"':
            return Literal(self.string())
        for pattern, convert in ((_BOOL, lambda s: s.lower() == "true"), (_NUMBER, parse_number),
                                 (_NULL, lambda s: None)):
            match = self.take(pattern)
            if match:
                return Literal(convert(match.group(0)))
        date = self.take(_DATE_LITERAL)
        if date:
            return Literal(_date_literal(date.group(1)))
        if _DURATION.match(text, start):
            self.unsupported("durations dur(…)", start)
        name = _IDENT.match(text, start)
        if name and name.group(0).upper() not in _KEYWORDS:
            self.pos = name.end()
            return Variable(name.group(0))
        self.fail("an expression")

    def string(self) -> str:
        """A "quoted" string; \\" and \\\\ are escapes, any other backslash is kept."""
        start = self.pos
        self.pos += 1
        out: list[str] = []
        text = self.text
        while self.pos < len(text):
            char = text[self.pos]
            if char == '"':
                self.pos += 1
                return "".join(out)
            if char == "\\" and self.pos + 1 < len(text):
                following = text[self.pos + 1]
                out.append(following if following in '"\\' else "\\" + following)
                self.pos += 2
                continue
            out.append(char)
            self.pos += 1
        raise QuerySyntaxError("a string is not closed by a '\"'", start)


def _date_literal(text: str) -> dt.date | dt.datetime:
    today = dt.date.today()
    shorthand = {"today": today, "yesterday": today - dt.timedelta(days=1),
                 "tomorrow": today + dt.timedelta(days=1)}
    if text in shorthand:
        return shorthand[text]
    if text == "now":
        return dt.datetime.now()
    parsed = parse_date(text)
    if parsed is None:
        raise QuerySyntaxError(f"'{text}' is not a valid date")
    return parsed
