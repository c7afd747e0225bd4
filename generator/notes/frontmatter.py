"""Split a note's text into YAML front matter and body, keeping the line of every key.

python-frontmatter (and MkDocs' own meta reader) treat a fence with anything after the three
dashes as "no front matter" and publish the YAML as body text. Authors do write `--- ` or
`----` by accident, so we read such a line as the fence it is meant to be and warn instead.
YAML is parsed with libyaml's C loader when it is present (ten times faster on a real vault),
composed to nodes first so that every key and list item keeps its line.

Front matter a tool left in several blocks, closed early or with a fence glued to a key is read
as the author meant it and reported once (FM008): frontmatter_blocks.py says the rule.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import yaml

from ..model import Diagnostic, FrontMatter, ReplaceLine, Severity
from .frontmatter_blocks import Segment, candidate_runs, is_fence, merge, unglue

try:  # libyaml is an optional part of PyYAML's wheels
    _Base: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Base = yaml.SafeLoader


class _Loader(_Base):  # a base chosen at run time: the C loader where PyYAML has it
    """A date-shaped value that is no real date (`created: 2025-02-30`) stays text, so that
    validation reports it at its key (DATE001) instead of the whole front matter being lost."""


def _timestamp_or_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> object:
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)

_FENCE = re.compile(r"^---[ \t]*$")
_FENCE_WITH_STRAY = re.compile(r"^---+(?!-)(.*)$")
_CLOSING = re.compile(r"^(---|\.\.\.)[ \t]*$")

# A front matter larger than this is not a note's metadata but an accident or an attack
# (a YAML bomb expands far beyond its text); it is reported and not parsed.
MAX_FRONT_MATTER_CHARS = 100_000


def split_front_matter(
    rel_path: str, lines: list[str]
) -> tuple[FrontMatter, int, list[Diagnostic]]:
    """Return the front matter, the index of the first body line and the problems found.

    `lines` are the file's lines without line ends; line numbers in the result are 1-based.
    """
    problems: list[Diagnostic] = []
    empty = FrontMatter(data={}, key_lines={}, item_lines={}, start_line=0, end_line=0)
    if not lines:
        problems.append(_diag(rel_path, 1, "FM001", "error", "empty file: no front matter"))
        return empty, 0, problems

    first = lines[0]
    if not _FENCE.match(first):
        stray = _FENCE_WITH_STRAY.match(first)
        if not stray:
            problems.append(
                _diag(rel_path, 1, "FM001", "error",
                      "no front matter: the file must start with a '---' line")
            )
            return empty, 0, problems
        problems.append(
            _diag(rel_path, 1, "FM002", "warning",
                  f"front-matter fence has stray characters after '---': {first!r}; "
                  "read as a fence",
                  fix="replace the line with '---'", repair=ReplaceLine(1, "---"))
        )

    end = None
    for index in range(1, len(lines)):
        line = lines[index]
        if _CLOSING.match(line):
            end = index
            break
        if line.startswith("---") and is_fence(line):  # `---\`, `--- x`; not `---id: x`
            problems.append(
                _diag(rel_path, index + 1, "FM002", "warning",
                      f"front-matter fence has stray characters after '---': {line!r}; "
                      "read as a fence",
                      fix="replace the line with '---'", repair=ReplaceLine(index + 1, "---"))
            )
            end = index
            break
    if end is None:
        problems.append(
            _diag(rel_path, 1, "FM003", "error",
                  "front matter is not closed: no '---' line after the opening one; "
                  "the whole file is read as body")
        )
        return empty, 0, problems

    yaml_text = "\n".join(lines[1:end])
    front, yaml_problems = parse_yaml(rel_path, yaml_text, first_line=2)
    problems.extend(yaml_problems)
    if not yaml_problems or all(problem.code == "FM006" for problem in yaml_problems):
        opening = Segment(1, end, True, *front)
        segments = [unglue(opening)] + _more_blocks(rel_path, lines, end, problems)
        if len(segments) > 1 or segments[0].glued:
            return _damaged(rel_path, lines, segments, problems)
    return (
        FrontMatter(
            data=front[0], key_lines=front[1], item_lines=front[2], start_line=1, end_line=end + 1
        ),
        end + 1,
        problems,
    )


def _more_blocks(rel_path: str, lines: list[str], close: int,
                 problems: list[Diagnostic]) -> list[Segment]:
    """The runs after the first block that are front matter too (frontmatter_blocks.py says
    the rule), parsed; the first run that is not a YAML mapping ends the front matter."""
    segments: list[Segment] = []
    for start, end, fences in candidate_runs(lines, close):
        parsed, found = parse_yaml(rel_path, "\n".join(lines[start:end]), first_line=start + 1)
        if not parsed[0] or any(problem.code != "FM006" for problem in found):
            break
        problems.extend(found)
        segments.append(unglue(Segment(start, end, bool(fences), *parsed)))
    return segments


def _damaged(rel_path: str, lines: list[str], segments: list[Segment],
             problems: list[Diagnostic]) -> tuple[FrontMatter, int, list[Diagnostic]]:
    """A front matter read from damaged blocks: one FM008 for the damage (its stray fences
    included: no FM002 for them), and the merged keys at their own file lines."""
    merged = merge(rel_path, lines, segments)
    repair = merged.repair
    if repair is not None:
        # The repair is kept only if its block reads back as exactly what was read.
        again, found = parse_yaml(rel_path, "\n".join(repair.lines), first_line=2)
        if found or again[0] != merged.data:
            repair = None
    damage = merged.problems[0]
    if repair is None:
        damage = replace(damage, fix=None)
    end = segments[-1].end
    kept = [problem for problem in problems if problem.code != "FM002"]
    front = FrontMatter(data=merged.data, key_lines=merged.key_lines,
                        item_lines=merged.item_lines, start_line=1, end_line=end + 1)
    return front, end + 1, [*kept, replace(damage, repair=repair), *merged.problems[1:]]


def parse_yaml(
    rel_path: str, text: str, first_line: int
) -> tuple[tuple[dict[str, Any], dict[str, int], dict[str, tuple[int, ...]]], list[Diagnostic]]:
    """Parse a YAML mapping; return (data, key lines, item lines) and problems.

    `first_line` is the file line of the text's first line, so that marks become file lines.
    """
    problems: list[Diagnostic] = []
    nothing: tuple[dict[str, Any], dict[str, int], dict[str, tuple[int, ...]]] = ({}, {}, {})
    if not text.strip():
        return nothing, problems
    if len(text) > MAX_FRONT_MATTER_CHARS:
        problems.append(
            _diag(rel_path, first_line, "FM004", "error",
                  f"front matter is {len(text):,} characters long (limit "
                  f"{MAX_FRONT_MATTER_CHARS:,}); not parsed")
        )
        return nothing, problems
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return nothing, problems
        if not isinstance(node, yaml.MappingNode):
            kind = node.tag.rsplit(':', 1)[-1]
            slip = _no_space_slip(text, len(text.split("\n")))
            problems.append(
                _diag(rel_path, first_line + node.start_mark.line, "FM005", "error",
                      f"front matter must be a mapping of keys to values, not a {kind}"
                      + (f": {slip[2]}; {slip[3]}" if slip else ""))
            )
            return nothing, problems
        if "&" in text and "*" in text:  # no anchor and alias, no expansion to bound
            _check_alias_expansion(node)
        key_lines: dict[str, int] = {}
        item_lines: dict[str, tuple[int, ...]] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else None
            if key is None:
                continue
            line = first_line + key_node.start_mark.line
            if key in key_lines:
                problems.append(
                    _diag(rel_path, line, "FM006", "error",
                          f"duplicate key '{key}' (first at line {key_lines[key]}); "
                          "YAML keeps only the last value",
                          field=key, column=key_node.start_mark.column + 1)
                )
            key_lines[key] = line
            if isinstance(value_node, yaml.SequenceNode):
                item_lines[key] = tuple(first_line + item.start_mark.line for item in value_node.value)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as error:
        problems.append(_syntax_error(rel_path, text, first_line, error))
        return nothing, problems
    except yaml.reader.ReaderError as error:
        line = first_line + text[: error.position].count("\n")
        character = error.character
        code_point = ord(character) if isinstance(character, str) else int(character)
        problems.append(_diag(rel_path, line, "FM007", "error",
                              f"YAML error: character {character!r} (#x{code_point:04x}) is not "
                              "allowed in YAML; control characters must be removed"))
        return nothing, problems
    except _AliasBomb as bomb:
        problems.append(_diag(rel_path, first_line, "FM004", "error", str(bomb)))
        return nothing, problems
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as error:
        problems.append(_diag(rel_path, first_line, "FM007", "error", f"YAML error: {error}"))
        return nothing, problems
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        return nothing, problems
    # Keys must be strings for everything downstream; YAML allows `1: x` or `null: y`.
    data = {str(key): value for key, value in data.items()}
    return (data, key_lines, item_lines), problems


# --- what the author should write instead of a YAML syntax error ----------------------------
# The parser's own words name the symptom ("mapping values are not allowed here"), often a line
# after the slip. The common slips are recognised and reported where they are, with what to
# write instead; a guess that rewriting the line would not cure is never made (each candidate
# is checked by parsing the text as repaired).

_NO_SPACE = re.compile(r"^(\w[\w-]*):(\S.*)$")  # `title:Foo`: YAML reads one plain string
_OPEN_QUOTE = re.compile(r"^(\s*(?:- |[\w-]+:[ \t]+))([\"'])")
_KEY_VALUE = re.compile(r"^(\s*)([\w-]+):[ \t]+(.*?)\s*$")


def _syntax_error(rel_path: str, text: str, first_line: int,
                  error: yaml.MarkedYAMLError) -> Diagnostic:
    """FM007 at the slip, with the parser's words kept short and what to write instead."""
    hint = _explain(text, error, first_line)
    if hint is not None:
        line, column, message = hint
        return _diag(rel_path, first_line + line, "FM007", "error",
                     f"YAML syntax error: {message}", column=column + 1)
    mark = error.problem_mark or error.context_mark
    at_end = mark is not None and mark.line >= text.count("\n")
    if at_end and error.context_mark is not None:
        # "did not find expected ']'" at the end of the front matter: the author's
        # mistake is where the unclosed construct began.
        mark = error.context_mark
    line = first_line + mark.line if mark else first_line
    at_column = mark.column + 1 if mark else None
    message = " ".join(str(part) for part in (error.context, error.problem) if part)
    return _diag(rel_path, line, "FM007", "error", f"YAML syntax error: {message}",
                 column=at_column)


def _explain(text: str, error: yaml.MarkedYAMLError,
             first_line: int) -> tuple[int, int, str] | None:
    """(0-based line and column in `text`, message) for a slip an author often makes: a tab
    for indentation, an unclosed quote, `key:value`, an unquoted ': ' in a value. The message
    names file lines: `text` starts at line `first_line`."""
    lines = text.split("\n")
    mark = error.problem_mark
    problem = str(error.problem or "")
    if mark is None:
        return None
    current = lines[mark.line] if mark.line < len(lines) else ""
    indent = current[:len(current) - len(current.lstrip(" \t"))]
    if "\t" in indent and ("tab" in problem or mark.column <= len(indent)):
        return (mark.line, indent.index("\t"),
                f"a tab in the indentation ({problem}); indent with spaces, not tabs")
    opened = error.context_mark
    if "end of stream" in problem and "quoted" in str(error.context) and opened is not None:
        return (opened.line, opened.column,
                f"a quote is never closed ({problem}); close the quote opened at line "
                f"{first_line + opened.line} col {opened.column + 1}")
    reserved = current[mark.column:mark.column + 1]
    if reserved in ("`", "@") and "cannot start any token" in problem:
        value = re.split(r"[,\]}]", current[mark.column:], maxsplit=1)[0].rstrip()
        written = f"{current[:mark.column]}{_quoted(value)}{current[mark.column + len(value):]}"
        if _cures(lines, mark.line, written, mark.line):
            return (mark.line, mark.column,
                    f"a value cannot start with '{reserved}' ({problem}); quote it: "
                    f"`{_shorten(_quoted(value))}`")
    slip = _no_space_slip(text, mark.line + 1)
    if slip is not None:
        line, column, what, hint = slip
        return line, column, f"{what} ({problem}); {hint}"
    for number, written in enumerate(lines[: mark.line]):
        quote = _OPEN_QUOTE.match(written)
        if quote and not _closed(quote.group(2), written[quote.end():]) and \
                _cures(lines, number, written + quote.group(2), mark.line):
            return (number, quote.end() - 1,
                    f"a quote is not closed on its line, so it runs on into the next keys "
                    f"({problem}); close the quote opened at line {first_line + number} col "
                    f"{quote.end()}")
    for number, written in enumerate(lines[: mark.line + 1]):
        pair = _KEY_VALUE.match(written)
        value = pair.group(3) if pair else ""
        if pair and len(value) > 2 and value[0] == value[-1] == "'" and \
                "'" in value[1:-1].replace("''", ""):
            inner = value[1:-1].replace("''", "'")
            doubled = f"'{inner.replace(chr(39), chr(39) * 2)}'"
            if _cures(lines, number, f"{pair.group(1)}{pair.group(2)}: {doubled}", mark.line):
                opening = written.index("'", len(pair.group(1) + pair.group(2)) + 1)
                return (number, opening + 1 + _lone_quote(value[1:-1]),
                        f"an apostrophe inside single quotes ends the quote ({problem}); "
                        f"write it twice: `{pair.group(2)}: {_shorten(doubled)}`")
    pair = _KEY_VALUE.match(current)
    if "mapping values" in problem and pair and mark.column > len(pair.group(1)):
        indent, key, value = pair.groups()
        quoted = _quoted(value)
        if value[:1] not in ("'", '"', "[", "{") and \
                _cures(lines, mark.line, f"{indent}{key}: {quoted}", mark.line):
            what = "the title" if key == "title" else f"the value of `{key}`"
            return (mark.line, mark.column,
                    f"': ' inside the value of `{key}` starts another key ({problem}); quote "
                    f"{what}: `{key}: {_shorten(quoted)}`")
    return None


def _no_space_slip(text: str, before: int) -> tuple[int, int, str, str] | None:
    """The first `key:value` line among the first `before` lines that a space after its ':'
    cures: (line, column of the ':', what is wrong, what to write)."""
    lines = text.split("\n")
    for number, written in enumerate(lines[:before]):
        slip = _NO_SPACE.match(written)
        if slip and _cures(lines, number, f"{slip.group(1)}: {slip.group(2)}", before - 1):
            return (number, len(slip.group(1)),
                    f"`{_shorten(written)}` has no space after ':', so YAML reads the line as "
                    f"text and the key `{slip.group(1)}` is lost",
                    f"put a space after ':' in `key: value`: "
                    f"`{_shorten(f'{slip.group(1)}: {slip.group(2)}')}`")
    return None


def _cures(lines: list[str], number: int, rewritten: str, error_line: int) -> bool:
    """Whether the text with line `number` rewritten parses as a mapping, or fails only after
    `error_line` (another slip, further on)."""
    text = "\n".join([*lines[:number], rewritten, *lines[number + 1:]])
    loader = _Loader(text)
    try:
        return isinstance(loader.get_single_node(), yaml.MappingNode)
    except yaml.MarkedYAMLError as error:
        return error.problem_mark is not None and error.problem_mark.line > error_line
    except yaml.YAMLError:
        return False
    finally:
        loader.dispose()


def _lone_quote(inner: str) -> int:
    """The index of the first `'` in `inner` that is not written twice."""
    index = 0
    while inner.startswith("''", index) or inner[index] != "'":
        index += 2 if inner.startswith("''", index) else 1
    return index


def _closed(quote: str, rest: str) -> bool:
    """Whether `rest`, the text after an opening quote, closes it."""
    if quote == "'":
        return "'" in rest.replace("''", "")
    return re.search(r'(?<!\\)"', rest) is not None


def _quoted(value: str) -> str:
    if '"' not in value and "\\" not in value:
        return f'"{value}"'
    return "'" + value.replace("'", "''") + "'"


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class _AliasBomb(Exception):
    pass


_MAX_NODES = 10_000


def _check_alias_expansion(root: yaml.Node) -> None:
    """Refuse YAML whose aliases expand to more than _MAX_NODES nodes (billion laughs)."""
    sizes: dict[int, int] = {}

    def size(node: yaml.Node, depth: int) -> int:
        known = sizes.get(id(node))
        if known is not None:
            return known
        if depth > 100:
            raise _AliasBomb("front matter is nested more than 100 levels deep; not parsed")
        total = 1
        if isinstance(node, yaml.SequenceNode):
            total += sum(size(child, depth + 1) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            total += sum(size(k, depth + 1) + size(v, depth + 1) for k, v in node.value)
        if total > _MAX_NODES:
            raise _AliasBomb(
                f"front matter expands to more than {_MAX_NODES:,} values through YAML aliases; "
                "not parsed"
            )
        sizes[id(node)] = total
        return total

    size(root, 0)


def _diag(
    rel_path: str,
    line: int | None,
    code: str,
    severity: Severity,
    message: str,
    *,
    field: str | None = None,
    column: int | None = None,
    fix: str | None = None,
    repair: ReplaceLine | None = None,
) -> Diagnostic:
    return Diagnostic(
        path=rel_path, line=line, column=column, severity=severity,
        code=code, message=message, field=field, fix=fix, repair=repair,
    )
