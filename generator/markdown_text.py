"""Rewrites of an author's Markdown body into what MkDocs Material renders safely.

Each function takes Markdown text and returns Markdown text; none of them touches fenced code.
- Obsidian callouts (`> [!note] Title`, folded `> [!warning]-`) become Material admonitions.
- Raw HTML is kept only for a small allow-list of harmless tags without event handlers;
  anything else (`<script>`, `<img onerror=…>`, `List<String>` typed outside backticks) is
  escaped so that it shows as text. `javascript:` and `data:` link targets are neutralised, and
  attribute lists cannot add event handlers.
"""

from __future__ import annotations

import re

from .wikilinks import code_free_lines

_CALLOUT = re.compile(r"^>[ \t]*\[!([A-Za-z-]+)\]([+-]?)[ \t]*(.*)$")
_CALLOUT_TYPES = {
    "note", "abstract", "summary", "tldr", "info", "todo", "tip", "hint", "important",
    "success", "check", "done", "question", "help", "faq", "warning", "caution", "attention",
    "failure", "fail", "missing", "danger", "error", "bug", "example", "quote", "cite",
}


def callouts_to_admonitions(text: str) -> str:
    lines = text.split("\n")
    out: list[str] = []
    code = {index for index, _, in_code in code_free_lines(text) if in_code}
    index = 0
    while index < len(lines):
        line = lines[index]
        match = _CALLOUT.match(line) if index not in code and line.startswith(">") else None
        if not match:
            out.append(line)
            index += 1
            continue
        kind = match.group(1).lower()
        kind = kind if kind in _CALLOUT_TYPES else "note"
        marker = {"-": "???", "+": "???+"}.get(match.group(2), "!!!")
        title = match.group(3).strip().replace('"', "&quot;")
        out.append(f'{marker} {kind} "{title}"' if title else f"{marker} {kind}")
        out.append("")
        index += 1
        while index < len(lines) and lines[index].startswith(">"):
            content = lines[index][1:]
            content = content[1:] if content.startswith(" ") else content
            out.append("    " + content if content.strip() else "")
            index += 1
        out.append("")
    return "\n".join(out)


_SAFE_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "center", "code", "dd", "del", "details", "div", "dl",
    "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark",
    "ol", "p", "pre", "s", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody",
    "td", "tfoot", "th", "thead", "tr", "u", "ul",
})
_TAG = re.compile(r"<(/?)([A-Za-z][\w:-]*)((?:[^<>\"']|\"[^\"]*\"|'[^']*')*)>")
_AUTOLINK = re.compile(r"<(?:https?|ftp|mailto):[^>\s]*>|<[^@\s>]+@[^@\s>]+\.[^@\s>]+>", re.I)
_UNSAFE_ATTRIBUTE = re.compile(r"\bon[a-z]+\s*=|javascript:|vbscript:|data:|\bstyle\s*=|srcdoc",
                               re.I)
_UNSAFE_LINK = re.compile(r"(\]\(\s*<?)\s*(?:javascript|vbscript|data):", re.I)
_ATTR_LIST_HANDLER = re.compile(r"\{:?[^}\n]*\bon[a-z]+\s*=[^}\n]*\}", re.I)
_COMMENT_OR_RAW = re.compile(r"<!--|<(?:script|style|iframe|object|embed|svg|math)\b", re.I)
_INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1")


def sanitize_html(text: str) -> str:
    out = []
    for _, line, in_code in code_free_lines(text):
        if in_code or not ("<" in line or "](" in line or "{" in line):
            out.append(line)
            continue
        out.append(_outside_inline_code(line, _sanitize_fragment))
    return "\n".join(out)


def _outside_inline_code(line: str, transform) -> str:  # type: ignore[no-untyped-def]
    if "`" not in line:
        return transform(line)
    pieces, last = [], 0
    for match in _INLINE_CODE.finditer(line):
        pieces.append(transform(line[last:match.start()]))
        pieces.append(match.group(0))
        last = match.end()
    pieces.append(transform(line[last:]))
    return "".join(pieces)


def _sanitize_fragment(fragment: str) -> str:
    if "<" in fragment:
        fragment = _escape_tags(fragment)
    if "](" in fragment:
        fragment = _UNSAFE_LINK.sub(r"\1#unsafe-link-removed:", fragment)
    if "{" in fragment:
        fragment = _ATTR_LIST_HANDLER.sub(lambda m: m.group(0).replace("{", "&#123;"), fragment)
    return fragment


def _escape_tags(fragment: str) -> str:
    keep: list[tuple[int, int]] = []
    for match in _AUTOLINK.finditer(fragment):
        keep.append(match.span())
    for match in _TAG.finditer(fragment):
        if any(start <= match.start() < end for start, end in keep):
            continue
        name = match.group(2).lower()
        if name in _SAFE_TAGS and not _UNSAFE_ATTRIBUTE.search(match.group(3)):
            keep.append(match.span())
    if not keep:
        return fragment.replace("<", "&lt;")
    keep.sort()
    pieces, last = [], 0
    for start, end in keep:
        pieces.append(fragment[last:start].replace("<", "&lt;"))
        pieces.append(fragment[start:end])
        last = end
    pieces.append(fragment[last:].replace("<", "&lt;"))
    return "".join(pieces)


_RULE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$")


def trim_rules(text: str) -> str:
    """Drop blank lines and thematic breaks at the end of a section: between the two
    languages they separated halves of the note; on a one-language page they are clutter."""
    lines = text.split("\n")
    while lines and (not lines[-1].strip() or _RULE.match(lines[-1])):
        lines.pop()
    return "\n".join(lines)
