"""A note's text on its page in one language: the body a note page shows (note_page.py).

The note's sections of the page's language are chosen (note_parts.py: a part the language lacks
is shown in the other, marked so, with a way to the other page), headings are shifted below the
page's title and named in the page's language, a question's answer is wrapped for study mode,
and then the Obsidian syntax is made Markdown: embeds (embeds.py), Dataview blocks (their
results from the vault's DataviewIndex), raw HTML made safe and callouts (markdown_text.py), and
wikilinks, each to the linked note's page in the same language.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING
from urllib.parse import quote

from markupsafe import escape

from .. import dataview
from ..checks.labels import ATTRIBUTES
from ..model import Language, Note, Section
from ..notes import paragraphs
from ..notes.language import dominant_script, languages_present, marker_language, split_title, strip_marker
from ..notes.wikilinks import replace_wikilinks
from ..paths import other_language_href, page_path, relative_link
from . import embeds, markdown_text, note_parts, study
from .templates import inline

if TYPE_CHECKING:
    from .render import Renderer

_IMAGE_SIZE = re.compile(r"(\d+)(?:\s*x\s*(\d+))?")


def body(r: Renderer, note: Note) -> tuple[str, bool]:
    """The note's body in `r`'s language, and whether it is in this language at all."""
    present = languages_present(note.sections)
    language = r.language
    # Sections shown for a part this language lacks: line of each -> line of its part's head.
    fallback: dict[int, int] = {}
    if not present:
        # No language headings: the text is shared; say so when it is in the other language.
        text = "\n".join(section.text for section in note.sections)
        script = dominant_script(_prose(text))
        translated = script is None or script == language
        chosen = list(note.sections)
    elif language not in present:
        translated = False
        source = next(iter(present))
        chosen = [s for s in note.sections if s.language in (source, None)]
    else:
        translated = True
        chosen = []
        for shown in note_parts.shown(note_parts.blocks(note.sections, r.labels), language):
            chosen.extend(shown.block.sections)
            if shown.fallback:
                fallback.update((part.line, shown.block.line) for part in shown.block.sections)
    # Every heading starts a section, so levels are shifted here, one line per section:
    # the page title is the only level-1 heading.
    levels = [s.level for s in chosen if s.level]
    shift = 2 - min(levels) if levels and min(levels) < 2 else 0
    # A question's answer is marked for study mode, which can hide it (study.js).
    answer_marked = note.kind != "question"
    parts = []
    open_part = None  # the head line of the fallback part whose <div lang> is open
    answer = None  # the answer's heading section while its content's <div> is open
    for section in chosen:
        text = section.text
        if open_part is not None and fallback.get(section.line) != open_part:
            parts.append("</div>")
            open_part = None
        if answer is not None and not note_parts.continues_part(section, answer, r.labels):
            parts.append("</div>")
            answer = None
        if section.heading is not None:
            heading = _heading(r, section)
            rest = text.partition("\n")[2]
            line = f"{'#' * min(6, section.level + shift)} {heading}"
            if not answer_marked and study.is_answer(heading):
                # The whole answer in one element that study mode hides, to the section
                # that ends it whatever the heading levels (note_parts.continues_part).
                line, answer_marked = study.mark_answer(line), True
                line += f'\n\n<div class="{study.ANSWER_CONTENT_CLASS}" markdown>\n'
                answer = section
            if fallback.get(section.line) == section.line:
                # The part in the language it has, marked as such, with a way to the other
                # page; inside the part, so that study mode hides it with the answer.
                line += "\n\n" + _fallback_notice(r, note, section.language)
                open_part = section.line
            text = f"{line}\n{rest}"
        parts.append(markdown_text.trim_rules(text))
    parts += ["</div>"] * ((open_part is not None) + (answer is not None))
    text = paragraphs.as_plain_text("\n\n".join(part for part in parts if part.strip()))
    return _obsidian_to_markdown(r, note, text), translated


def _obsidian_to_markdown(r: Renderer, note: Note, body: str) -> str:
    """The chosen text with Obsidian's syntax made Markdown that MkDocs renders safely."""
    if "![[" in body:  # embedded notes, sections and blocks: checked and linked as the page is
        body = embeds.expand(body, note, r.graph.notes, r.graph.resolver.resolve, r.language)
    if "dataview" in body:
        queries = dataview.Output(
            r.language, r.strings["dataview"], title=lambda key: r.facts[key].title,
            href=lambda key: relative_link(page_path(note.key), r.facts[key].path))
        body = dataview.render_blocks(body, note, r.queries, queries)
    body = markdown_text.sanitize_html(body)
    if "[!" in body:
        body = markdown_text.callouts_to_admonitions(body)
    if "[[" in body:
        body = replace_wikilinks(body, lambda *link: _wikilink(r, note, *link))
    return body


def _heading(r: Renderer, section: Section) -> str:
    """A section's heading as this page shows it: without its language marker; a known
    section (labels.py) by its name in the page's language; "Topic / Тема" by its half."""
    assert section.heading is not None
    known = r.labels.section_heading(section.heading, r.language)
    if known is not None:
        attributes = ATTRIBUTES.search(section.heading)  # an id the author gave it stays
        return known + (attributes.group(0) if attributes else "")
    heading = strip_marker(section.heading)
    if section.language is None and " / " in heading:
        heading = split_title(heading)[r.language]
    return heading


def _fallback_notice(r: Renderer, note: Note, language: Language | None) -> str:
    """A part shown in the other language: the notice, and the opening of the part's
    `<div lang>` (closed after the part's last section)."""
    strings = r.strings
    other = r.other_language()
    href = other_language_href(r.facts[note.key].path, other)
    return (f'!!! warning "{strings["not_translated"]}"\n\n'
            f'    {strings["section_not_translated"]} '
            f'<a href="{href}" hreflang="{other}">{strings["read_other"]}</a>\n\n'
            f'<div lang="{language or other}" markdown>\n')


def _wikilink(r: Renderer, note: Note, target: str, heading: str | None, label: str | None,
              embed: bool) -> str:
    """A wikilink (or an embed left as a link) as Markdown: to the note's page in this
    language, to an image or file of the vault, or the name as text when it goes nowhere."""
    source = page_path(note.key)
    # The body was sanitised before its links are replaced, so what a link says is HTML
    # already (`&lt;` for `<`); decoded once here, since `inline` and `escape` encode it.
    target = html.unescape(target)
    heading, label = (html.unescape(part) if part else part for part in (heading, label))
    if not target:  # [[#Heading]], [[#^block-id]]
        text = label or strip_marker(heading or "")
        return f"[{inline(text)}](#{quote(anchor(heading or ''))})"
    key = r.graph.resolver.resolve(target, note.key)
    asset = r.assets.get(target.lower()) or r.assets.get(target.rsplit("/", 1)[-1].lower())
    if key is None and asset:
        href = relative_link(source, asset)
        if embed and not asset.lower().endswith(".pdf"):
            # `![[image.png|300]]`, `|300x200`, `|alt|300`: Obsidian's width and height.
            alt, _, size = (label or "").rpartition("|")
            sized = _IMAGE_SIZE.fullmatch(size.strip())
            if not sized:
                return f"![{inline(label or '')}]({href})"
            height = f' height="{sized.group(2)}"' if sized.group(2) else ""
            return f'![{inline(alt)}]({href}){{ width="{sized.group(1)}"{height} }}'
        return f"[{inline(label or target)}]({href})"
    if key is None and r.graph.withheld.resolve(target, note.key) is not None:
        # A note not published (publish.py): its name as text, no link (LINK006).
        return str(escape(label or target))
    if key is None:
        shown = label or target
        return (f'<span class="kb-broken" title="{escape(r.strings["broken_link"])}">'
                f"{escape(shown)}</span>")
    facts = r.facts[key]
    link_anchor = None
    if heading:
        other = marker_language(heading)
        link_anchor = None if other and other != r.language else anchor(heading)
    text = label or (f"{facts.title} › {strip_marker(heading)}" if heading else facts.title)
    # data-preview: Material shows the linked note's title and badges (or the linked
    # section) in a tooltip on hover or focus (its instant previews).
    link = f'[{inline(text)}]({relative_link(source, facts.path, link_anchor)}){{ data-preview="" }}'
    return ("↪ " + link) if embed else link


def heading_anchor(heading: str) -> str:
    """The id MkDocs gives a heading (pymdownx.slugs.slugify(case="lower"), as in mkdocs.yml)."""
    from pymdownx.slugs import slugify

    return slugify(case="lower")(strip_marker(heading), "-")


def anchor(heading: str) -> str:
    """A link's anchor: a heading's id, or a block's (`^block-id`, generator/site/obsidian.py)."""
    return heading.strip() if heading.startswith("^") else heading_anchor(heading)


def _prose(text: str) -> str:
    return re.sub(r"```.*?```", "", text, flags=re.S)
