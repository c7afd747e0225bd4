"""Lists as Obsidian (CommonMark) reads them, rewritten into the form Python-Markdown reads.

Obsidian follows CommonMark: a list may start right under a paragraph line, without a blank
line (`Key points:` then `- fast`), and an item's content, its nested lists included, belongs to
it when indented to the column where the item's text starts (2 spaces under `- `, 3 under
`1. `, or a tab). Python-Markdown needs a blank line before a list and 4 spaces per level; it
shows the first as one run-on paragraph and flattens the second into the parent's text.

`normalize` reads the lines by CommonMark's rules and writes the same structure Python-Markdown's
way: a blank line before a list that interrupts a paragraph and after a list that a block ends,
each item's content indented by 4 spaces per level, `1)` written `1.`. What CommonMark keeps
apart stays apart:
- an ordered list interrupts a paragraph only when it starts at 1, and an empty item never does
  (`2024. was a year` inside a sentence stays text);
- a line indented 4 or more past its container is not a new item (it continues a paragraph or is
  indented code);
- a paragraph line right after an item's text is that item's (lazy continuation).
The same rules apply inside block quotes, admonitions (`!!!`, `???`: Obsidian's callouts after
`markdown_text.callouts_to_admonitions`) and list items, each read as a document of its own.

It runs as a preprocessor after fenced code is stashed (a one-line placeholder by then), so
code is never rewritten, and before raw HTML is, so that the Markdown inside `<div markdown>`
is read too; the lines of `<pre>`, `<script>`, `<style>` and `<textarea>` are copied as written.

Libraries were tried first: mdx_truly_sane_lists and mdx_better_lists fix one nesting width (`nested_indent: 2`), which
breaks the 4-space nesting most notes use, and neither reads containers.
"""

from __future__ import annotations

import re

# Up to 3 spaces, a bullet or a number of up to 9 digits with `.` or `)`, then a space or the end.
_ITEM = re.compile(r"^( {0,3})([-*+]|(\d{1,9})[.)])( +|$)")
_THEMATIC_BREAK = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_QUOTE = re.compile(r"^ {0,3}> ?")
_ADMONITION = re.compile(r"^ {0,3}(?:!!!|\?\?\?\+?)[ \t]+\S")
_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)")
_PLACEHOLDER = re.compile(r"^ *\x02wzxhzdk:\d+\x03 *$")  # stashed code or HTML
_TABLE_ROW = re.compile(r"^ {0,3}\|")
# CommonMark's HTML blocks that may interrupt a paragraph (its type 6, and 1: raw text).
_HTML_BLOCK = re.compile(
    r"^ {0,3}</?(?:address|article|aside|blockquote|center|details|dialog|dd|div|dl|dt|figcaption"
    r"|figure|footer|h[1-6]|header|hr|li|main|nav|ol|p|pre|script|section|style|summary|table"
    r"|tbody|td|textarea|tfoot|th|thead|tr|ul)(?:[\s/>]|$)", re.I)
_RAW_TEXT = re.compile(r"^ {0,3}<(pre|script|style|textarea)(?:[\s>]|$)", re.I)
INDENT = 4  # Python-Markdown's tab_length: one level of nesting
MAX_DEPTH = 50  # containers in containers; no author's note comes near


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _dedent(line: str, columns: int) -> str:
    return line[min(columns, _indent(line)):]


def _block_start(line: str) -> bool:
    """Whether `line` starts a block other than a paragraph, so it cannot continue one."""
    return bool(_HEADING.match(line) or _QUOTE.match(line) or _THEMATIC_BREAK.match(line)
                or _ADMONITION.match(line) or _PLACEHOLDER.match(line) or _TABLE_ROW.match(line)
                or _HTML_BLOCK.match(line) or _ITEM.match(line))


def _interrupts(line: str) -> bool:
    """Whether `line` ends an open paragraph: a block start, but not an item that may not
    interrupt a paragraph (empty, or numbered from other than 1)."""
    item = _ITEM.match(line)
    if item and not _THEMATIC_BREAK.match(line):
        return bool(line[item.end():].strip()) and (item.group(3) is None or int(item.group(3)) == 1)
    return _block_start(line)


def _sibling(line: str, item: re.Match[str]) -> bool:
    """Whether `line` is the next item of `item`'s list (`2.` after `1.`): never lazy text."""
    other = _ITEM.match(line)
    return bool(other and _list_kind(other) == _list_kind(item))


def _list_kind(match: re.Match[str]) -> str:
    marker = match.group(2)
    return marker[-1] if match.group(3) else marker  # `.`/`)` for numbers, the bullet else


def normalize(lines: list[str], item_body: bool = False, depth: int = 0) -> list[str]:
    """`lines` (tabs expanded) with every list in Python-Markdown's form. `item_body`: the
    lines are a list item's content, whose first paragraph may run into a nested list
    without a blank line (Python-Markdown reads that as CommonMark does). Containers deeper
    than MAX_DEPTH (`- - - …`, `> > > …` in a hostile note) are left as written."""
    if depth > MAX_DEPTH:
        return lines
    out: list[str] = []
    index, count = 0, len(lines)
    paragraph = False  # the last line was paragraph text
    first_block = item_body
    previous_kind: str | None = None  # the kind of the list that just ended, if one did
    while index < count:
        line = lines[index]
        if not line.strip():
            out.append("")
            index += 1
            paragraph, first_block, previous_kind = False, False, None
            continue
        raw = _RAW_TEXT.match(line)
        if raw:  # `<pre>`, `<script>`…: its lines are text, copied up to the closing tag
            closing = f"</{raw.group(1).lower()}>"
            end = index
            while end < count and closing not in lines[end].lower():
                end += 1
            out.extend(lines[index:end + 1])
            index, paragraph, previous_kind = end + 1, False, None
            continue
        item = _ITEM.match(line) if not _THEMATIC_BREAK.match(line) else None
        if item:
            text_after = line[item.end():]
            interrupts = paragraph and (
                not text_after.strip() or (item.group(3) is not None and int(item.group(3)) != 1))
            if interrupts:  # CommonMark: this line continues the paragraph
                if item.group(3) is not None:  # which Python-Markdown may not see in a list item
                    line = f"{line[:item.end(2) - 1]}\\{line[item.end(2) - 1:]}"
                out.append(line)
                index += 1
                continue
            kind = _list_kind(item)
            if out and out[-1] != "" and not (paragraph and first_block) and previous_kind != kind:
                out.append("")
            index = _item(lines, index, item, out, depth)
            paragraph, first_block, previous_kind = False, False, kind
            if index < count and lines[index].strip():
                following = _ITEM.match(lines[index])
                if not following or _list_kind(following) != kind:
                    out.append("")  # a block ended the list: a block of its own for Markdown
                    previous_kind = None
            continue
        previous_kind = None
        if _indent(line) >= INDENT:  # continues a paragraph, or indented code: as it is
            out.append(line)
            index += 1
            continue
        if _QUOTE.match(line):
            end = index
            while end < count and _QUOTE.match(lines[end]):
                end += 1
            inner = normalize([_QUOTE.sub("", quoted, count=1) for quoted in lines[index:end]],
                              depth=depth + 1)
            out.extend(f"> {quoted}" if quoted else ">" for quoted in inner)
            index, paragraph = end, False
            continue
        if _ADMONITION.match(line):
            out.append(line.lstrip(" "))
            end = index + 1
            while end < count and (not lines[end].strip() or _indent(lines[end]) >= INDENT):
                end += 1
            while end > index + 1 and not lines[end - 1].strip():
                end -= 1  # trailing blank lines are the document's, not the body's
            body = normalize([_dedent(body_line, INDENT) for body_line in lines[index + 1:end]],
                             depth=depth + 1)
            out.extend(" " * INDENT + body_line if body_line else "" for body_line in body)
            index, paragraph = end, False
            continue
        out.append(line)
        paragraph = not _block_start(line)
        index += 1
    return out


def _item(lines: list[str], index: int, item: re.Match[str], out: list[str], depth: int) -> int:
    """Write the list item that starts at `lines[index]` into `out`; return the index of the
    first line after it."""
    spaces = len(item.group(4))
    width = len(item.group(1)) + len(item.group(2))
    # CommonMark: 1-4 spaces after the marker; 5 or more mean indented code after one space.
    content = width + (spaces if 1 <= spaces <= 4 else 1)
    first = lines[index][item.end():] if spaces <= 4 else lines[index][width + 1:]
    body = [first]
    paragraph = bool(first.strip()) and not _block_start(first)
    end = index + 1
    while end < len(lines):
        line = lines[end]
        if not line.strip():
            body.append("")
        elif _indent(line) >= content:
            line = _dedent(line, content)
            nested = _ITEM.match(line)
            # A nested item's text is a paragraph that a lazy line may continue.
            paragraph = (bool(nested and line[nested.end():].strip()) or not _block_start(line)
                         or (paragraph and _indent(line) >= INDENT))
            body.append(line)
        elif paragraph and body[-1] != "" and not _interrupts(line) and not _sibling(line, item):
            body.append(line.lstrip(" "))  # lazy continuation of the item's paragraph
        else:
            break
        end += 1
    while len(body) > 1 and body[-1] == "":
        body.pop()
        end -= 1
    marker = item.group(2)
    marker = marker[:-1] + "." if marker.endswith(")") else marker
    normalized = normalize(body, item_body=True, depth=depth + 1)
    out.append(f"{marker} {normalized[0]}".rstrip() if normalized[0] else marker)
    out.extend(" " * INDENT + line if line else "" for line in normalized[1:])
    return end
