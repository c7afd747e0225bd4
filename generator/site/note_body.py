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
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote
from weakref import WeakKeyDictionary

from markupsafe import escape

from .. import dataview
from ..model import Language, Note, NoteKey, Section
from ..notes import paragraphs
from ..notes.language import (
    dominant_script,
    has_content,
    has_written_prose,
    prose,
    split_title,
    strip_marker,
    written_language,
)
from ..notes.wikilinks import replace_wikilinks
from ..paths import other_language_href, page_path, relative_link
from . import embeds, index_pages, markdown_text, note_parts, study
from .templates import inline

if TYPE_CHECKING:
    from .render import Renderer

_IMAGE_SIZE = re.compile(r"(\d+)(?:\s*x\s*(\d+))?")


def body(r: Renderer, note: Note) -> tuple[str, bool]:
    """The note's body in `r`'s language, and whether it is in this language at all."""
    page = _page_sections(r, note)
    chosen, fallback, translated = list(page.sections), page.fallback, page.translated
    # Text in the other language, marked as such: shared sections plainly in it, or, when the
    # page has no text of its own (the template's notice says so), all but what is not.
    foreign = (_foreign_sections(r, note, chosen, set(fallback), page.placed) if translated
               else _untranslated_sections(r, note, chosen))
    # A first heading that says the page's title again goes: the template writes the title.
    title_line = _repeated_title(r, note, chosen)
    # Every heading starts a section, so levels are shifted here, one line per section:
    # the page title is the only level-1 heading.
    levels = [s.level for s in chosen if s.level and s.line != title_line]
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
        mark = foreign.get(section.line)
        if section.line in fallback or (mark is not None and mark.body):
            head, rest = text.partition("\n")[::2] if section.heading is not None else ("", text)
            rest = _titles_marked(r, note, rest)
            if mark is not None:  # in a <div lang> of its own: a section is never split in two
                rest = (("\n" + _notice(r, note) if mark.notice else "\n")
                        + _open_language(r.other_language()) + markdown_text.trim_rules(rest)
                        + "\n\n</div>")
            text = f"{head}\n{rest}"
        if section.heading is not None:
            heading = _heading(r, section)
            rest = text.partition("\n")[2]
            line = f"{'#' * min(6, section.level + shift)} {heading}"
            if mark is not None and mark.heading:
                line = _with_language(line, r.other_language())
            if section.line == title_line:
                line = ""  # what else the heading carries stays (its notice, its text)
            elif not answer_marked and study.is_answer(heading):
                # The whole answer in one element that study mode hides, to the section
                # that ends it whatever the heading levels (note_parts.continues_part).
                line, answer_marked = study.mark_answer(line), True
                line += f'\n\n<div class="{study.ANSWER_CONTENT_CLASS}" markdown>\n'
                answer = section
            if fallback.get(section.line) == section.line:
                # The part in the language it has, marked as such, with a way to the other
                # page; inside the part, so that study mode hides it with the answer.
                line += "\n\n" + _notice(r, note) + _open_language(section.language
                                                                     or r.other_language())
                open_part = section.line
            elif mark is not None and mark.notice and not mark.body:
                line += "\n\n" + _notice(r, note)  # a run's first: a heading over code
            text = f"{line}\n{rest}"
        parts.append(markdown_text.trim_rules(text))
    parts += ["</div>"] * ((open_part is not None) + (answer is not None))
    text = paragraphs.as_plain_text("\n\n".join(part for part in parts if part.strip()))
    return _obsidian_to_markdown(r, note, text), translated


def _repeated_title(r: Renderer, note: Note, chosen: Sequence[Section]) -> int | None:
    """The line of the page's first heading when it says the page's title again and no text
    comes before it (`# Unit Testing / Модульное тестирование` under the title `Модульное
    тестирование`, or a language's part that starts with its title), by the rule MOC pages
    follow (index_pages.without_repeated_title), for every kind of note."""
    first = next((s for s in chosen if s.heading is not None or has_content(s.text)), None)
    if first is None or first.heading is None:
        return None
    heading = _attributes(_heading(r, first))[0]
    repeated = not index_pages.without_repeated_title(f"# {heading}", r.facts[note.key].title)
    return first.line if repeated else None


def _page_sections(r: Renderer, note: Note) -> note_parts.PageSections:
    """The sections the page shows (note_parts.page_sections), with those the note puts among
    this language's text though they are written in the other (note_parts.placed_sections)."""
    placed = note_parts.placed_sections(note.body, note.body_line) if note.sections else None
    return note_parts.page_sections(note.sections, r.labels, r.language, placed)


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
        attributes = _attributes(section.heading)[1]  # an id the author gave it stays
        return known + (f" {{{attributes}}}" if attributes is not None else "")
    heading = strip_marker(section.heading)
    if section.language is None and " / " in heading:
        heading = split_title(heading)[r.language]
    return heading


def _notice(r: Renderer, note: Note) -> str:
    """The notice over text the page shows in the other language: a part this language lacks,
    or shared sections written in the other language, with a way to the other page."""
    strings = r.strings
    other = r.other_language()
    href = other_language_href(r.facts[note.key].path, other)
    return (f'!!! warning "{strings["not_translated"]}"\n\n'
            f'    {strings["section_not_translated"]} '
            f'<a href="{href}" hreflang="{other}">{strings["read_other"]}</a>\n\n')


def _open_language(language: Language) -> str:
    """The opening of a `<div lang>` around text in `language` (closed by the caller): screen
    readers read it in its language's voice, browsers hyphenate it by its rules."""
    return f'<div lang="{language}" markdown>\n'


@dataclass(frozen=True)
class _Foreign:
    """How a page shows a shared section of the other language (`_foreign_sections`)."""

    heading: bool  # its heading, as the page shows it, is in the other language: marked so
    notice: bool  # the first section of a run of them: the notice goes under its heading
    body: bool  # its prose is in the other language: its text goes in a `<div lang>`


def _foreign_sections(r: Renderer, note: Note, chosen: list[Section], skip: set[int],
                      placed: frozenset[int]) -> dict[int, _Foreign]:
    """Shared sections (no language of their own) that the page shows in the other language,
    by line, and the sections of the other language the note puts among this language's text
    (`placed`, note_parts.py). Notes put text in one language after their bilingual parts,
    under headings without a marker (`## Testing Best Practices` in English only, or under
    the last part's heading, `# Сводка (RU)`): on the other page it is shown as it is, under
    the notice a part the language lacks gets (once for a run of such sections), in a
    `<div lang>` of its language.

    A section is in the other language when its prose as the page shows it is plainly in it
    (`written_language`): a wikilink as the linked note's title in the page's language, a
    Markdown link not at all (it names a page elsewhere, in that page's language). So a list
    of wikilinks with English notes after them reads as both languages on the Russian page,
    and stays as it is. A section with no prose (code, a table of identifiers, a list of
    links) is left as it is, inside a run or not, its heading marked when it is in the other
    language; so are the sections of no prose just before a run, under a heading in the other
    language (`## Examples` over code, before the English text), with whom the run and its
    notice start. A section in the page's language or in both ends a run, and so does a
    section with a language of its own (`skip`: a part shown in the other language has its
    notice already)."""
    other = r.other_language()
    marks: dict[int, _Foreign] = {}
    pending: list[tuple[Section, bool]] = []  # sections of no prose, since a run could start
    running = False
    for section in chosen:
        if (section.language is not None and section.line not in placed) or section.line in skip:
            running, pending = False, []
            continue
        rest = section.text.partition("\n")[2] if section.heading is not None else section.text
        heading = section.heading is not None and _heading_language(r, section) == other
        if has_written_prose(rest) and written_language(_as_shown(r, note, rest)) == other:
            if not running:
                start = next((at for at, (_, marked) in enumerate(pending) if marked),
                             len(pending))
                for at, (before, marked) in enumerate(pending[start:]):
                    marks[before.line] = _Foreign(marked, at == 0, body=False)
                marks[section.line] = _Foreign(heading, start == len(pending), body=True)
                running = True
            else:
                marks[section.line] = _Foreign(heading, False, body=True)
            pending = []
        elif not has_written_prose(rest):  # links or code only
            if not running:
                pending.append((section, heading))
            elif heading:
                marks[section.line] = _Foreign(heading, False, body=False)
        else:
            running, pending = False, []
    return marks


def _as_shown(r: Renderer, note: Note, text: str) -> str:
    """`text` with each wikilink as the words the page shows for it (`_wikilink`): its label,
    else the linked note's title in the page's language; embeds left out."""
    if "[[" not in text:
        return text

    def words(target: str, heading: str | None, label: str | None, embed: bool) -> str:
        if embed:
            return ""
        key = r.graph.resolver.resolve(target, note.key) if target else None
        return label or (r.facts[key].title if key is not None else target or heading or "")

    return replace_wikilinks(text, words)


def _titles_marked(r: Renderer, note: Note, text: str) -> str:
    """Text the page shows in the other language, with its wikilinks made links already: one
    that shows the linked note's title shows it in the page's language, and says so (`lang`),
    inside the other language's `<div lang>`. Embeds are left for `_obsidian_to_markdown`."""
    if "[[" not in text:
        return text

    def link(target: str, heading: str | None, label: str | None, embed: bool) -> str:
        if embed:
            return (f"![[{target}" + (f"#{heading}" if heading else "")
                    + (f"|{label}" if label else "") + "]]")
        return _wikilink(r, note, target, heading, label, embed, title_language=r.language)

    return replace_wikilinks(text, link)


def _untranslated_sections(r: Renderer, note: Note, chosen: list[Section]
                           ) -> dict[int, _Foreign]:
    """A page with no text in its language shows the other language's: each section with
    prose goes in a `<div lang>` (unless its prose is plainly in the page's language after
    all), each heading in the other language is marked; the notice is the template's."""
    other = r.other_language()
    marks: dict[int, _Foreign] = {}
    for section in chosen:
        rest = section.text.partition("\n")[2] if section.heading is not None else section.text
        heading = section.heading is not None and _heading_language(r, section) == other
        body = has_written_prose(rest) and \
            written_language(_as_shown(r, note, rest)) != r.language
        if heading or body:
            marks[section.line] = _Foreign(heading, notice=False, body=body)
    return marks


def _heading_language(r: Renderer, section: Section) -> Language | None:
    """The language of a heading's words as the page shows it (a known section's heading is
    in the page's language whatever the note says)."""
    return dominant_script(prose(_attributes(_heading(r, section))[0]))


def _with_language(line: str, language: Language) -> str:
    """A heading line with `lang` in its attribute list (attr_list), added to one it has."""
    text, inner = _attributes(line)
    if inner is None:
        return f'{line} {{ lang="{language}" }}'
    # `{#id lang="en"}`: a space before `#id` would make it a tag (obsidian.py), no id.
    return f'{text} {{{inner.strip()} lang="{language}"}}'


def _attributes(text: str) -> tuple[str, str | None]:
    """`Setup {#setup}` -> (`Setup`, `#setup`): a heading's text and what its trailing
    attribute list holds (labels.ATTRIBUTES's rule), or None. In one pass: a heading can hold a
    megabyte of spaces, which a pattern with a leading `\\s*` would scan from each of them."""
    stripped = text.rstrip()
    start = stripped.rfind("{") if stripped.endswith("}") else -1
    if start < 0 or "}" in stripped[start:-1]:
        return text, None
    return stripped[:start].rstrip(), stripped[start + 1:-1]


def _wikilink(r: Renderer, note: Note, target: str, heading: str | None, label: str | None,
              embed: bool, title_language: Language | None = None) -> str:
    """A wikilink (or an embed left as a link) as Markdown: to the note's page in this
    language, to an image or file of the vault, or the name as text when it goes nowhere.
    `title_language`: the link stands in text of the other language, and the linked note's
    title it shows (no label) is marked as the page's language."""
    source = page_path(note.key)
    # The body was sanitised before its links are replaced, so what a link says is HTML
    # already (`&lt;` for `<`); decoded once here, since `inline` and `escape` encode it.
    target = html.unescape(target)
    heading, label = (html.unescape(part) if part else part for part in (heading, label))
    if not target:  # [[#Heading]], [[#^block-id]]
        text = label or strip_marker(heading or "")
        return f"[{inline(text)}](#{quote(_anchor(r, note, heading or '') or '')})"
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
    link_anchor = _anchor(r, r.graph.notes[key], heading) if heading else None
    text = label or (f"{facts.title} › {strip_marker(heading)}" if heading else facts.title)
    # data-preview: Material shows the linked note's title and badges (or the linked
    # section) in a tooltip on hover or focus (its instant previews).
    marked = f' lang="{title_language}"' if title_language and not label else ""
    link = (f"[{inline(text)}]({relative_link(source, facts.path, link_anchor)})"
            f'{{ data-preview=""{marked} }}')
    return ("↪ " + link) if embed else link


def heading_anchor(heading: str) -> str:
    """The id MkDocs gives a heading (pymdownx.slugs.slugify(case="lower"), as in mkdocs.yml)."""
    from pymdownx.slugs import slugify

    return slugify(case="lower")(strip_marker(heading), "-")


def _anchor(r: Renderer, note: Note, heading: str) -> str | None:
    """A link's anchor on `note`'s page in this language: a block's id (`^block-id`,
    obsidian.py), or the id of the heading the link names (`heading_ids`); None (the top of
    the page) for a heading the page does not show. A heading the note does not have at all
    gets the anchor of its text, which MkDocs reports as missing."""
    if heading.startswith("^"):
        return heading.strip()
    ids = heading_ids(r, note)
    wanted = heading_key(heading)
    if wanted in ids.on_page:
        return ids.on_page[wanted]
    known = r.labels.section(heading)
    if wanted in ids.elsewhere:
        # On the other page: the same known section of this one (`Answer (EN)` -> `Ответ`).
        return ids.by_section.get(known.key) if known else None
    return heading_anchor(_attributes(heading)[0])


def heading_key(heading: str) -> str:
    """A heading as a link names it and Obsidian matches it: its text without an attribute
    list (`## Setup {#setup}` is `Setup`), letter case, spaces and punctuation aside (a link
    cannot hold `#`, `|`, `^` or `:`, which Obsidian's links leave out)."""
    return " ".join(re.findall(r"\w+", _attributes(heading)[0].casefold()))


@dataclass(frozen=True)
class HeadingIds:
    """The ids of a note's headings on its page in one language (`heading_ids`)."""

    on_page: dict[str, str]  # heading_key -> id, first heading of each key
    by_section: dict[str, str]  # a known section's key (labels.py) -> the id of its heading
    elsewhere: frozenset[str]  # the keys of the note's headings this page does not show


_CUSTOM_ID = re.compile(r"(?:^|\s)#([^\s}]+)")
_IDS: WeakKeyDictionary[Renderer, dict[NoteKey, HeadingIds]] = WeakKeyDictionary()


def heading_ids(r: Renderer, note: Note) -> HeadingIds:
    """The id each heading of `note` has on its page in `r`'s language, as MkDocs gives them:
    the id of its attribute list (`## Setup {#setup-id}`, attr_list), else the slug of the
    heading as the page shows it (in the page's language for a known section, one half of
    `Topic / Тема`), made unique as toc does (`_1`, `_2` after the ids before it, the page's
    title first). Known once the notes are loaded; computed once per note and language."""
    known = _IDS.setdefault(r, {})
    if note.key in known:
        return known[note.key]
    chosen = _page_sections(r, note).sections
    title_line = _repeated_title(r, note, chosen)
    shown = [(section, _heading(r, section)) for section in chosen
             if section.heading is not None and section.line != title_line]
    custom = {section.line: found.group(1) for section, text in shown
              if (attributes := _attributes(text)[1]) is not None
              and (found := _CUSTOM_ID.search(attributes))}
    used = {heading_anchor(r.facts[note.key].title), *custom.values()}
    on_page: dict[str, str] = {}
    by_section: dict[str, str] = {}
    for section, text in shown:
        assert section.heading is not None
        given = custom.get(section.line)
        if given is None:
            given = _unique(heading_anchor(_attributes(text)[0]), used)
            used.add(given)
        on_page.setdefault(heading_key(section.heading), given)
        name = r.labels.section(section.heading)
        if name is not None:
            by_section.setdefault(name.key, given)
    elsewhere = frozenset(heading_key(section.heading) for section in note.sections
                          if section.heading is not None) - on_page.keys()
    known[note.key] = HeadingIds(on_page, by_section, elsewhere)
    return known[note.key]


def _unique(slug: str, used: set[str]) -> str:
    """toc's `unique`: `slug`, else `slug_1`, `slug_2`… whichever is not used yet."""
    if slug and slug not in used:
        return slug
    count = 1
    while f"{slug}_{count}" in used:
        count += 1
    return f"{slug}_{count}"

