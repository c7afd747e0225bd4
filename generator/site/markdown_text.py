"""Rewrites of an author's Markdown body into what MkDocs Material renders safely.

Each function takes Markdown text and returns Markdown text; none of them touches fenced code.
- Obsidian callouts (`> [!note] Title`, folded `> [!warning]-`, nested, in list items) become
  Material admonitions.
- Raw HTML is kept only for a small allow-list of harmless tags without event handlers;
  anything else (`<script>`, `<img onerror=…>`, `List<String>` typed outside backticks) is
  escaped so that it shows as text. `javascript:` and `data:` link targets are neutralised, and
  attribute lists cannot add event handlers or links.
- `SafeLinks`, a Python-Markdown extension in mkdocs.yml, checks the HTML tree of every page as
  it will be written, for what text rewrites cannot see (below).
- `CompactCode`, another, drops the whitespace wrappers Pygments puts in highlighted code.

Every pattern here is linear in the length of a line: a note can hold a line of a megabyte.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from collections.abc import Callable
from xml.etree.ElementTree import Element

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor

from ..notes.wikilinks import code_free_lines

_CALLOUT = re.compile(r"^([ \t]*)>[ \t]*\[!([A-Za-z-]+)\]([+-]?)[ \t]*(.*)$")
_QUOTED = re.compile(r"^([ \t]*)>")
_CALLOUT_TYPES = {
    "note", "abstract", "summary", "tldr", "info", "todo", "tip", "hint", "important",
    "success", "check", "done", "question", "help", "faq", "warning", "caution", "attention",
    "failure", "fail", "missing", "danger", "error", "bug", "example", "quote", "cite",
}


def callouts_to_admonitions(text: str, depth: int = 0) -> str:
    """Obsidian's callouts as Material's admonitions: `> [!type] Title` opens one (`-` after
    the type: folded, `???`; `+`: foldable and open, `???+`), its `>` lines are its body. A
    callout may be indented (inside a list item: the admonition keeps the indentation), nested
    (`> > [!todo]` in its body) or inside a plain quote. An unknown type looks like a note
    titled with the type's name, as in Obsidian. Quotes nested deeper than 50 are left as
    written (a hostile `> > > …` would exhaust the stack)."""
    if depth > 50:
        return text
    lines = text.split("\n")
    out: list[str] = []
    code = {index for index, _, in_code in code_free_lines(text) if in_code}
    index = 0
    while index < len(lines):
        line = lines[index]
        quoted = _QUOTED.match(line) if index not in code and ">" in line else None
        if not quoted:
            out.append(line)
            index += 1
            continue
        indent = quoted.group(1)
        end = index + 1
        while end < len(lines) and lines[end].startswith(indent + ">") and end not in code:
            end += 1
        callout = _CALLOUT.match(line)
        if callout:
            body = [_unquote(body_line, indent) for body_line in lines[index + 1:end]]
            out.extend(_admonition(callout, callouts_to_admonitions("\n".join(body), depth + 1), out))
        else:  # a plain quote: kept, with the callouts inside it converted
            inner = "\n".join(_unquote(quote_line, indent) for quote_line in lines[index:end])
            if "[!" in inner:
                inner = callouts_to_admonitions(inner, depth + 1)
            out.extend(f"{indent}> {inner_line}".rstrip() for inner_line in inner.split("\n"))
        index = end
    return "\n".join(out)


def _unquote(line: str, indent: str) -> str:
    content = line[len(indent) + 1:]
    return content[1:] if content.startswith(" ") else content


def _admonition(callout: re.Match[str], body: str, before: list[str]) -> list[str]:
    indent, kind = callout.group(1), callout.group(2).lower()
    title = callout.group(4).strip()
    if kind not in _CALLOUT_TYPES:
        title, kind = title or kind.capitalize(), "note"
    marker = {"-": "???", "+": "???+"}.get(callout.group(3), "!!!")
    title = title.replace('"', "&quot;")
    lines = [""] if before and before[-1].strip() else []  # a block of its own
    lines += [f'{indent}{marker} {kind} "{title}"' if title else f"{indent}{marker} {kind}", ""]
    lines += [f"{indent}    {body_line}" if body_line.strip() else "" for body_line in body.split("\n")]
    return [*lines, ""]


_SAFE_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "center", "code", "dd", "del", "details", "div", "dl",
    "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark",
    "ol", "p", "pre", "s", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody",
    "td", "tfoot", "th", "thead", "tr", "u", "ul",
})
# No `<` inside a tag or an autolink (none is valid there): a match attempt then stops at the
# next `<`, and a line of a million `<` costs one pass, not a million.
_TAG = re.compile(r"<(/?)([A-Za-z][\w:-]*)((?:[^<>\"']|\"[^\"<]*\"|'[^'<]*')*)>")
_AUTOLINK = re.compile(r"<(?:https?|ftp|mailto):[^<>\s]*>|<[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+>",
                       re.I)
_UNSAFE_ATTRIBUTE = re.compile(r"\bon[a-z]+\s*=|\bstyle\s*=|srcdoc", re.I)
_SCRIPT_URL = re.compile(r"javascript:|vbscript:|data:", re.I)
# Browsers drop tabs and newlines inside a URL, and spaces and controls around it.
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]+")
_UNSAFE_LINK = re.compile(r"(\]\(\s*(?:<\s*)?)(?:javascript|vbscript|data):", re.I)
_ATTR_LIST_UNSAFE = re.compile(r"\b(?:on[a-z]+|href|src|srcdoc|formaction|action)\s*=", re.I)
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


def _outside_inline_code(line: str, transform: Callable[[str], str]) -> str:
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
    if "{" in fragment and _ATTR_LIST_UNSAFE.search(fragment):
        # `{: onclick=… }` or `{: href="javascript:…" }`: no attribute list on this line.
        fragment = fragment.replace("{", "&#123;")
    return fragment


def _unsafe_attributes(attributes: str) -> bool:
    """Event handlers, styles, and script URLs however they are spelt (`jav&#x61;script:`,
    `java&#9;script:`: browsers decode entities, then drop tabs inside a URL)."""
    decoded = html.unescape(attributes) if "&" in attributes else attributes
    return bool(_UNSAFE_ATTRIBUTE.search(decoded)
                or _SCRIPT_URL.search(_URL_NOISE.sub("", decoded)))


def _escape_tags(fragment: str) -> str:
    autolinks = [match.span() for match in _AUTOLINK.finditer(fragment)]
    starts = [start for start, _ in autolinks]
    keep = list(autolinks)
    for match in _TAG.finditer(fragment):
        inside = bisect_right(starts, match.start()) - 1
        if inside >= 0 and match.start() < autolinks[inside][1]:
            continue
        name = match.group(2).lower()
        if name in _SAFE_TAGS and not _unsafe_attributes(match.group(3)):
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


# Attributes that hold a URL a browser may follow or load.
_URL_ATTRIBUTES = frozenset({"href", "src", "srcset", "action", "formaction", "xlink:href",
                             "poster", "background", "cite", "data"})


def is_script_url(url: str) -> bool:
    """Whether a browser would run `url` (or show it as a document): `javascript:`,
    `vbscript:`, `data:`, also written with entities, controls or whitespace."""
    return bool(_SCRIPT_URL.match(_URL_NOISE.sub("", html.unescape(url))))


class _SafeLinksProcessor(Treeprocessor):
    def run(self, root: Element) -> None:
        for element in root.iter():
            for name, value in list(element.items()):
                lowered = name.lower()
                if lowered.startswith("on") or lowered == "srcdoc":
                    del element.attrib[name]
                elif lowered in _URL_ATTRIBUTES and value and is_script_url(value):
                    element.set(name, "#unsafe-link-removed")


class SafeLinks(Extension):
    """The last step of Markdown for every page (mkdocs.yml: `generator.site.markdown_text:SafeLinks`).

    The rewrites above work on an author's text, which cannot see every way a URL reaches the
    HTML: a reference definition (`[x]: javascript:…`, also over two lines), an attribute list,
    an entity (`[x](&#106;avascript:…)`, `&colon;`). Here each element is checked as it will be
    written: event-handler attributes are removed, and a script URL becomes
    `#unsafe-link-removed`. Raw HTML is not in the tree; `sanitize_html` has escaped what is
    not safe of it.
    """

    def extendMarkdown(self, md: Markdown) -> None:
        # After every other tree processor, Python-Markdown's `unescape` (0) included.
        md.treeprocessors.register(_SafeLinksProcessor(md), "kb_safe_links", -100)


# Pygments wraps every run of whitespace between tokens in `<span class="w">`, which no
# stylesheet of Material's styles: a sixth of a real vault's code HTML is these wrappers.
_WHITESPACE_SPAN = re.compile(r'<span class="w">([ \t\n]*)</span>')


class _CompactCodeProcessor(Postprocessor):
    def run(self, text: str) -> str:
        return _WHITESPACE_SPAN.sub(r"\1", text) if '<span class="w">' in text else text


class CompactCode(Extension):
    """Drops Pygments' whitespace wrappers from highlighted code (mkdocs.yml:
    `generator.site.markdown_text:CompactCode`): the same text and colours, fewer bytes per page."""

    def extendMarkdown(self, md: Markdown) -> None:
        # After the stashed code blocks are put back into the page (raw_html, 30).
        md.postprocessors.register(_CompactCodeProcessor(md), "kb_compact_code", 5)


_RULE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$")


def trim_rules(text: str) -> str:
    """Drop blank lines and thematic breaks at the end of a section: between the two
    languages they separated halves of the note; on a one-language page they are clutter."""
    lines = text.split("\n")
    while lines and (not lines[-1].strip() or _RULE.match(lines[-1])):
        lines.pop()
    return "\n".join(lines)
