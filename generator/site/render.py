"""Render stage: notes and their graph neighbourhood -> the Markdown pages of one language.

Templates live in `generator/templates/` (Jinja, autoescape on). Note text never reaches Jinja
as template source: bodies are prepared here (language sections, links, callouts, sanitised
HTML) and passed in as values; titles and other front-matter strings are escaped for both HTML
and Markdown by the `inline` filter.

Every page sits at the same path in both language trees (a note's path in the vault), so the
language switcher and hreflang links only swap the language folder.
"""

from __future__ import annotations

import functools
import html
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any
from urllib.parse import quote

import jinja2
import yaml
from markupsafe import Markup, escape

from .. import dataview, resources
from ..checks.labels import ATTRIBUTES
from ..checks.taxonomy import Taxonomy, default_taxonomy
from ..graph import data as graph_data
from ..graph.links import KnowledgeGraph
from ..model import LANGUAGES, Language, Note, NoteKey, Page, Section, Vault
from ..notes import paragraphs
from ..notes.language import dominant_script, languages_present, marker_language, split_title, strip_marker
from ..notes.wikilinks import replace_wikilinks
from ..paths import page_path
from . import index_pages, markdown_text, note_parts, study
from .i18n import STRINGS

TEMPLATES = resources.TEMPLATES
DIFFICULTIES = ("easy", "medium", "hard")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}|#<>!~])")


def inline(value: object) -> Markup:
    """Escape a front-matter string for use inside a Markdown line of a template."""
    text = " ".join(str(value).split())
    return Markup(_MD_SPECIAL.sub(r"\\\1", str(escape(text))))


@functools.lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    """One Jinja environment per process: templates compile once, not per renderer."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["inline"] = inline
    return env


def topic_path(topic: str) -> str:
    return f"topics/{slug(topic)}.md"


# The list of maps of content, which the navigation links instead of listing every map on
# every page.
MOC_INDEX = "mocs/index.md"

# The names search puts a concept first for (search_names_pages); not a .md, so no note's path.
SEARCH_NAMES_PATH = "search-names.json"


# A tag on fewer notes gets no page of its own: tags/index.md lists it with its notes. Real
# vaults carry a thousand one-off tags, and a page for each would double the site's pages.
MIN_TAG_NOTES = 3


def difficulty_path(level: str) -> str:
    return f"difficulty/{level}.md"


def tag_paths(tags: Iterable[str]) -> dict[str, str]:
    """The page of every tag, `tags/<slug>.md`; tags whose slugs clash (`C++`, `c`) get a
    number in the order of their sorted names, so every tag has a page of its own."""
    paths: dict[str, str] = {}
    taken: set[str] = set()
    for tag in sorted(set(tags)):
        base = slug(tag)
        name, number = base, 2
        while name in taken or name == "index":
            name, number = f"{base}-{number}", number + 1
        taken.add(name)
        paths[tag] = f"tags/{name}.md"
    return paths


def slug(text: str) -> str:
    return re.sub(r"[^\w]+", "-", text.strip().lower()).strip("-") or "untitled"


def relative_link(source: str, target: str, anchor: str | None = None) -> str:
    """A Markdown link target from page `source` to page `target` (both docs-relative)."""
    # Plain string work: posixpath.relpath consults the working directory on every call.
    folders = source.split("/")[:-1]
    parts = target.split("/")
    common = 0
    while common < len(folders) and common < len(parts) - 1 and folders[common] == parts[common]:
        common += 1
    link = quote("../" * (len(folders) - common) + "/".join(parts[common:]))
    return f"{link}#{quote(anchor)}" if anchor else link


def other_language_href(path: str, language: Language) -> str:
    """An HTML href from page `path` of one tree to the same page of `language`'s tree."""
    url = path[:-3]
    url = "" if url == "index" else (url[:-6] if url.endswith("/index") else url) + "/"
    depth = url.count("/")
    return "../" * (depth + 1) + f"{language}/" + quote(url)


def heading_anchor(heading: str) -> str:
    """The id MkDocs gives a heading (pymdownx.slugs.slugify(case="lower"), as in mkdocs.yml)."""
    from pymdownx.slugs import slugify

    return slugify(case="lower")(strip_marker(heading), "-")


@dataclass
class NoteFacts:
    """What pages show about a note, in one language."""

    note: Note
    language: Language

    @property
    def title(self) -> str:
        return self.note.info.titles[self.language]

    @property
    def path(self) -> str:
        return page_path(self.note.key)

    @property
    def topic(self) -> str | None:
        return self.note.info.topic

    @property
    def difficulty(self) -> str | None:
        return self.note.info.difficulty

    @property
    def status(self) -> str | None:
        return self.note.info.status

    @property
    def updated(self) -> str | None:
        return self.note.info.updated

    @property
    def summary(self) -> str | None:
        return self.note.info.summary

    @cached_property
    def tags(self) -> list[str]:
        """The note's tags, without `difficulty/…` (the difficulty pages list those)."""
        tags = (tag.lstrip("#") for tag in self.note.info.tags)
        return sorted({tag for tag in tags if tag and not tag.lower().startswith("difficulty/")})


class Renderer:
    """Renders every page of one language. Built once per language, then used per page."""

    def __init__(self, vault: Vault, graph: KnowledgeGraph, language: Language,
                 taxonomy: Taxonomy | None = None):
        self.vault = vault
        self.graph = graph
        self.language = language
        self.labels = (taxonomy or default_taxonomy()).labels
        self.strings = STRINGS[language]
        self.env = _environment()
        self.facts = {note.key: NoteFacts(note, language) for note in vault.notes}
        # Images and PDFs by vault path and by file name, as Obsidian finds them.
        self.assets = {name.lower(): rel for rel in vault.assets
                       for name in (rel, rel.rsplit("/", 1)[-1])}
        self.graph_page = graph_data.PAGE_PATH  # reserved: a note there moves (paths.py)
        self.study_page = study.PAGE_PATH
        self._moc_orders: dict[NoteKey, tuple[list[NoteKey], dict[NoteKey, int]]] = {}
        tag_counts = Counter(tag for facts in self.facts.values() for tag in facts.tags)
        self.tag_count = len(tag_counts)
        self.tag_paths = tag_paths(tag for tag, count in tag_counts.items()
                                   if count >= MIN_TAG_NOTES)

    @cached_property
    def topics(self) -> set[str]:
        """Topics that have a page: those of notes other than MOCs (`topic_pages`)."""
        return {facts.topic for facts in self.facts.values()
                if facts.topic and facts.note.kind != "moc"}

    # --- pages -------------------------------------------------------------------------
    def pages(self) -> list[Page]:
        return [self.note_page(note) for note in self.vault.notes] + self.index_pages()

    def index_pages(self) -> list[Page]:
        """Every page that is not a note's: they list notes, so any edit may change them."""
        return [*self.topic_pages(), *self.difficulty_pages(), *self.tag_pages(),
                self.home_page(), *self.moc_index_pages(), *self.graph_pages(),
                *self.study_pages(), *self.folders.pages(), *self.search_names_pages()]

    @cached_property
    def folders(self) -> index_pages.FolderPages:
        """Folder pages, the difficulty index, breadcrumbs (index_pages.py)."""
        return index_pages.FolderPages(self)

    def note_page(self, note: Note) -> Page:
        facts = self.facts[note.key]
        body, translated = self.body(note)
        if note.kind == "moc":  # its first heading often says the title again
            body = index_pages.without_repeated_title(body, facts.title)
        context = {
            "s": self.strings,
            "crumbs": self.folders.breadcrumbs(facts.path, facts.title),
            "note": facts,
            "kind": note.kind,
            "topic_link": (relative_link(facts.path, topic_path(facts.topic))
                           if facts.topic in self.topics else None),
            "topic_label": self.topic_label(facts.topic) if facts.topic else None,
            # Only a status other than the vault's usual one says something (index_pages.py).
            "status_label": (self.labels.label("status", facts.status, self.language)
                             if facts.status and facts.status != self.folders.usual_status
                             else None),
            "body": Markup(body),
            "translated": translated,
            "other_href": other_language_href(facts.path, self._other_language()),
            "related": self._links(facts.path, self.graph.related(note.key)),
            "backlinks": self._links(facts.path, self.graph.backlinks(note.key)),
            "mocs": self._links(facts.path, self.graph.mocs_of(note.key)),
            "members": self._grouped_members(note) if note.kind == "moc" else [],
            "sequence": self._sequence(note) if note.kind != "moc" else [],
            "graph": self._graph_view(facts.path, note.key),
            "study": self._study_bar(facts.path) if note.kind == "question" else None,
        }
        markdown = self.env.get_template("note.md.j2").render(context)
        meta: dict[str, object] = {"title": facts.title, "kb_note": True}
        if facts.summary:
            meta["description"] = facts.summary
        return Page(self.language, facts.path, _with_meta(meta, markdown), note.key, facts.title)

    def topic_pages(self) -> list[Page]:
        by_topic: dict[str, list[NoteKey]] = defaultdict(list)
        for note in self.vault.notes:
            topic = self.facts[note.key].topic
            if topic and note.kind != "moc":
                by_topic[topic].append(note.key)
        pages = []
        for topic, keys in sorted(by_topic.items()):
            path = topic_path(topic)
            groups = self._by_difficulty(path, keys)
            label = self.topic_label(topic)
            markdown = self.env.get_template("topic.md.j2").render(
                s=self.strings, topic=label, count=len(keys), groups=groups)
            pages.append(Page(self.language, path, _with_meta({"title": label}, markdown)))
        index = self.env.get_template("topics.md.j2").render(
            s=self.strings,
            topics=[(self.topic_label(topic), relative_link("topics/index.md", topic_path(topic)),
                     len(keys)) for topic, keys in sorted(by_topic.items())])
        pages.append(Page(self.language, "topics/index.md",
                          _with_meta({"title": self.strings["topics"]}, index)))
        return pages

    def difficulty_pages(self) -> list[Page]:
        """One page per difficulty: its questions, grouped by topic."""
        pages = []
        for level in DIFFICULTIES:
            keys = [n.key for n in self.vault.notes
                    if n.kind == "question" and self.facts[n.key].difficulty == level]
            path = difficulty_path(level)
            by_topic: dict[str, list[NoteKey]] = defaultdict(list)
            for key in keys:
                topic = self.facts[key].topic
                by_topic[self.topic_label(topic) if topic else self.strings["other"]].append(key)
            groups = [(topic, self._links(path, sorted(members,
                                                       key=lambda k: self.facts[k].title.lower())))
                      for topic, members in sorted(by_topic.items())]
            markdown = self.env.get_template("topic.md.j2").render(
                s=self.strings, topic=self.strings[level], count=len(keys), groups=groups)
            pages.append(Page(self.language, path,
                              _with_meta({"title": self.strings[level]}, markdown)))
        return pages

    def tag_pages(self) -> list[Page]:
        """One page per tag (its notes by difficulty, as topic pages) and the list of tags."""
        by_tag: dict[str, list[NoteKey]] = defaultdict(list)
        for note in self.vault.notes:
            for tag in self.facts[note.key].tags:
                by_tag[tag].append(note.key)
        pages = []
        for tag, keys in sorted(by_tag.items()):
            if tag not in self.tag_paths:
                continue
            path = self.tag_paths[tag]
            groups = self._by_difficulty(path, keys)
            hints = self.folders.hints(path, keys)  # notes of the same title told apart
            for _, links in groups:
                for link in links:
                    link["hint"] = hints.get(link["href"])
            markdown = self.env.get_template("topic.md.j2").render(
                s=self.strings, topic=f"#{tag}", count=len(keys), groups=groups)
            pages.append(Page(self.language, path, _with_meta({"title": f"#{tag}"}, markdown)))
        index = self.env.get_template("tags.md.j2").render(
            s=self.strings,
            tags=[(f"#{tag}", relative_link("tags/index.md", self.tag_paths[tag]), len(keys))
                  for tag, keys in sorted(by_tag.items()) if tag in self.tag_paths],
            rare=[(f"#{tag}", self._links("tags/index.md", sorted(keys)))
                  for tag, keys in sorted(by_tag.items()) if tag not in self.tag_paths])
        pages.append(Page(self.language, "tags/index.md",
                          _with_meta({"title": self.strings["tags"]}, index)))
        return pages

    def home_page(self) -> Page:
        notes = self.vault.notes
        kinds = Counter(note.kind for note in notes)
        difficulties = Counter(self.facts[n.key].difficulty for n in notes if n.kind == "question")
        topics = Counter(self.facts[n.key].topic for n in notes if self.facts[n.key].topic and n.kind != "moc")
        figures = self.strings["figures"].format(
            notes=len(notes), questions=kinds["question"], concepts=kinds["concept"],
            easy=difficulties["easy"], medium=difficulties["medium"], hard=difficulties["hard"],
            topics=len(topics))
        mocs = self._links("index.md", sorted(
            (n.key for n in notes if n.kind == "moc"), key=lambda k: self.facts[k].title.lower()))
        newest = sorted((n for n in notes if n.kind != "moc"),
                        key=lambda n: (self.facts[n.key].updated or "", n.key), reverse=True)[:10]
        markdown = self.env.get_template("home.md.j2").render(
            s=self.strings, figures=figures, mocs=mocs,
            topics=[(self.topic_label(topic), relative_link("index.md", topic_path(topic)), count)
                    for topic, count in sorted(topics.items())],
            newest=self._links("index.md", [n.key for n in newest]),
            difficulties=[(self.strings[level], relative_link("index.md", difficulty_path(level)),
                           difficulties[level]) for level in DIFFICULTIES],
            tags_href=relative_link("index.md", "tags/index.md"),
            study_href=relative_link("index.md", self.study_page),
            tag_count=self.tag_count,
        )
        return Page(self.language, "index.md",
                    _with_meta({"title": self.strings["site_name"]}, markdown))

    def moc_index_pages(self) -> list[Page]:
        """The maps of content with the number of notes in each and their summaries; none
        when the vault has no map."""
        mocs = sorted((n.key for n in self.vault.notes if n.kind == "moc"),
                      key=lambda k: self.facts[k].title.lower())
        if not mocs:
            return []
        entries = [{**link, "count": len(self.graph.moc_members(key)),
                    "summary": self.facts[key].summary}
                   for key, link in zip(mocs, self._links(MOC_INDEX, mocs), strict=True)]
        markdown = self.env.get_template("mocs.md.j2").render(s=self.strings, mocs=entries)
        return [Page(self.language, MOC_INDEX,
                     _with_meta({"title": self.strings["mocs"]}, markdown))]

    def search_names_pages(self) -> list[Page]:
        """`search-names.json`: the concept each one-word name (a concept note's title or alias
        of one word, lower case) stands for, by page URL, which search.js puts first for a
        one-word query naming it. A file of ours, not a Pagefind filter: Pagefind writes its
        filter index in a different order at every build, and a site must be the same bytes
        whenever its notes are."""
        names: dict[str, list[str]] = {}
        for note in self.vault.notes:
            if note.kind != "concept":
                continue
            facts = self.facts[note.key]
            for name in (facts.title, *note.info.aliases):
                word = name.strip().lower()
                if word and " " not in word:
                    urls = names.setdefault(word, [])
                    if graph_data.page_url(facts.path) not in urls:
                        urls.append(graph_data.page_url(facts.path))
        data = {"format": "kb-search-names/1", "names": dict(sorted(names.items()))}
        return [Page(self.language, SEARCH_NAMES_PATH,
                     json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n")]

    def graph_pages(self) -> list[Page]:
        """The language's graph data (graph.json, written verbatim) and the global graph page."""
        strings = graph_data.STRINGS[self.language]
        markdown = self.env.get_template("graph.md.j2").render(
            g=strings, src=graph_data.to_root(self.graph_page) + graph_data.JSON_PATH,
            notes=self.graph.graph.number_of_nodes(), links=self.graph.graph.number_of_edges())
        return [
            Page(self.language, graph_data.JSON_PATH,
                 graph_data.site_json(self.graph, self.facts, self.language, self.topic_label)),
            Page(self.language, self.graph_page,
                 _with_meta({"title": strings["graph"], "hide": ["toc"]}, markdown),
                 title=strings["graph"]),
        ]

    def study_pages(self) -> list[Page]:
        """The language's study JSON (written verbatim) and the study page, which filters the
        questions by topic and difficulty and opens a random one (study.js)."""
        questions = [self.facts[n.key] for n in self.vault.notes if n.kind == "question"]
        topics = Counter(facts.topic for facts in questions if facts.topic)
        levels = Counter(facts.difficulty if facts.difficulty in DIFFICULTIES else "other"
                         for facts in questions)
        root = graph_data.to_root(self.study_page)
        difficulties = [
            {"value": level, "name": self.strings[level], "count": levels[level],
             "href": root + graph_data.page_url(difficulty_path(level))
             if level in DIFFICULTIES else None}
            for level in (*DIFFICULTIES, "other") if levels[level]]
        markdown = self.env.get_template("study.md.j2").render(
            s=self.strings, total=len(questions), src=root + study.JSON_PATH,
            topics=[(topic, self.topic_label(topic), count)
                    for topic, count in sorted(topics.items())], difficulties=difficulties)
        return [
            Page(self.language, study.JSON_PATH, study.site_json(questions, self.language)),
            Page(self.language, self.study_page,
                 _with_meta({"title": self.strings["study"], "hide": ["toc"]}, markdown)),
        ]

    # --- parts ---------------------------------------------------------------------------
    def body(self, note: Note) -> tuple[str, bool]:
        """The note's body in this language, and whether it is in this language at all."""
        present = languages_present(note.sections)
        language = self.language
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
            for shown in note_parts.shown(note_parts.blocks(note.sections, self.labels), language):
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
            if answer is not None and not note_parts.continues_part(section, answer, self.labels):
                parts.append("</div>")
                answer = None
            if section.heading is not None:
                heading = self._heading(section)
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
                    line += "\n\n" + self._fallback_notice(note, section.language)
                    open_part = section.line
                text = f"{line}\n{rest}"
            parts.append(markdown_text.trim_rules(text))
        parts += ["</div>"] * ((open_part is not None) + (answer is not None))
        body = paragraphs.as_plain_text("\n\n".join(part for part in parts if part.strip()))
        if "![[" in body:  # embedded notes, sections and blocks: checked and linked as the page is
            from . import embeds

            body = embeds.expand(body, note, self.graph.notes, self.graph.resolver.resolve,
                                 self.language)
        if "dataview" in body:
            queries = dataview.Output(
                self.language, self.strings["dataview"], title=lambda key: self.facts[key].title,
                href=lambda key: relative_link(page_path(note.key), self.facts[key].path))
            body = dataview.render_blocks(body, note, dataview.index_for(self.vault, self.graph),
                                          queries)
        body = markdown_text.sanitize_html(body)
        if "[!" in body:
            body = markdown_text.callouts_to_admonitions(body)
        if "[[" in body:
            body = replace_wikilinks(body, lambda *link: self._wikilink(note, *link))
        return body, translated

    def topic_label(self, topic: str) -> str:
        """A topic as this language's pages name it (the taxonomy's labels, labels.py)."""
        return self.labels.label("topic", topic, self.language)

    def _heading(self, section: Section) -> str:
        """A section's heading as this page shows it: without its language marker; a known
        section (labels.py) by its name in the page's language; "Topic / Тема" by its half."""
        assert section.heading is not None
        known = self.labels.section_heading(section.heading, self.language)
        if known is not None:
            attributes = ATTRIBUTES.search(section.heading)  # an id the author gave it stays
            return known + (attributes.group(0) if attributes else "")
        heading = strip_marker(section.heading)
        if section.language is None and " / " in heading:
            heading = split_title(heading)[self.language]
        return heading

    def _fallback_notice(self, note: Note, language: Language | None) -> str:
        """A part shown in the other language: the notice, and the opening of the part's
        `<div lang>` (closed after the part's last section)."""
        strings = self.strings
        other = self._other_language()
        href = other_language_href(self.facts[note.key].path, other)
        return (f'!!! warning "{strings["not_translated"]}"\n\n'
                f'    {strings["section_not_translated"]} '
                f'<a href="{href}" hreflang="{other}">{strings["read_other"]}</a>\n\n'
                f'<div lang="{language or other}" markdown>\n')

    def _wikilink(self, note: Note, target: str, heading: str | None, label: str | None,
                  embed: bool) -> str:
        source = page_path(note.key)
        # The body was sanitised before its links are replaced, so what a link says is HTML
        # already (`&lt;` for `<`); decoded once here, since `inline` and `escape` encode it.
        target, heading, label = (html.unescape(part) if part else part
                                  for part in (target, heading, label))
        if not target:  # [[#Heading]], [[#^block-id]]
            text = label or strip_marker(heading or "")
            return f"[{inline(text)}](#{quote(_anchor(heading or ''))})"
        key = self.graph.resolver.resolve(target, note.key)
        asset = self.assets.get(target.lower()) or self.assets.get(target.rsplit("/", 1)[-1].lower())
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
        if key is None and self.graph.withheld.resolve(target, note.key) is not None:
            # A note not published (publish.py): its name as text, no link (LINK006).
            return str(escape(label or target))
        if key is None:
            shown = label or target
            return (f'<span class="kb-broken" title="{escape(self.strings["broken_link"])}">'
                    f"{escape(shown)}</span>")
        facts = self.facts[key]
        anchor = None
        if heading:
            other = marker_language(heading)
            anchor = None if other and other != self.language else _anchor(heading)
        text = label or (f"{facts.title} › {strip_marker(heading)}" if heading else facts.title)
        # data-preview: Material shows the linked note's title and badges (or the linked
        # section) in a tooltip on hover or focus (its instant previews).
        link = f'[{inline(text)}]({relative_link(source, facts.path, anchor)}){{ data-preview="" }}'
        return ("↪ " + link) if embed else link

    def _study_bar(self, source: str) -> dict[str, str]:
        """What a question page's study controls need (templates/note.md.j2): the question's
        key in the reader's browser, the study JSON and the study page, from this page."""
        root = graph_data.to_root(source)
        return {"key": study.key(source), "src": root + study.JSON_PATH,
                "href": root + graph_data.page_url(self.study_page)}

    def _graph_view(self, source: str, key: NoteKey) -> dict[str, str]:
        """What a note page's local graph container needs (templates/note.md.j2)."""
        root = graph_data.to_root(source)
        return {**graph_data.STRINGS[self.language], "title": graph_data.STRINGS[self.language]["local_graph"],
                "src": root + graph_data.JSON_PATH, "node": key,
                "href": root + graph_data.page_url(self.graph_page)}

    def _links(self, source: str, keys: list[NoteKey]) -> list[dict[str, Any]]:
        return [
            {"title": self.facts[key].title, "href": relative_link(source, self.facts[key].path),
             "difficulty": self.facts[key].difficulty, "kind": self.graph.notes[key].kind}
            for key in keys
        ]

    def _by_difficulty(self, source: str, keys: list[NoteKey]) -> list[tuple[str, list[dict[str, Any]]]]:
        return [(self.strings[name], self._links(source, members))
                for name, members in self._by_difficulty_keys(keys)]

    def _by_difficulty_keys(self, keys: list[NoteKey]) -> list[tuple[str, list[NoteKey]]]:
        """Keys grouped by difficulty (easy, medium, hard, other), each group by title."""
        groups: dict[str, list[NoteKey]] = defaultdict(list)
        for key in keys:
            difficulty = self.facts[key].difficulty
            groups[difficulty if difficulty in DIFFICULTIES else "other"].append(key)
        return [(name, sorted(groups[name], key=lambda k: self.facts[k].title.lower()))
                for name in (*DIFFICULTIES, "other") if groups.get(name)]

    def _moc_order(self, moc: NoteKey) -> tuple[list[NoteKey], dict[NoteKey, int]]:
        """A MOC's members in the order its page lists them, and each one's place in it;
        computed once per MOC (a place found by `list.index` would make a vault of big MOCs
        quadratic)."""
        order = self._moc_orders.get(moc)
        if order is None:
            members = [key for _, group in self._by_difficulty_keys(self.graph.moc_members(moc))
                       for key in group]
            order = (members, {key: at for at, key in enumerate(members)})
            self._moc_orders[moc] = order
        return order

    def _sequence(self, note: Note) -> list[dict[str, Any]]:
        """For each MOC the note is in: the previous and next note in the order the MOC's page
        lists its members (by difficulty, then title)."""
        source = page_path(note.key)
        steps = []
        for moc in self.graph.mocs_of(note.key):
            order, places = self._moc_order(moc)
            at = places.get(note.key)
            if at is None or len(order) < 2:
                continue
            previous = self._links(source, [order[at - 1]])[0] if at > 0 else None
            following = self._links(source, [order[at + 1]])[0] if at + 1 < len(order) else None
            steps.append({"moc": self._links(source, [moc])[0], "previous": previous,
                          "next": following})
        return steps

    def _grouped_members(self, moc: Note) -> list[tuple[str, list[dict[str, Any]]]]:
        return self._by_difficulty(page_path(moc.key), self.graph.moc_members(moc.key))

    def _other_language(self) -> Language:
        return next(language for language in LANGUAGES if language != self.language)


_IMAGE_SIZE = re.compile(r"(\d+)(?:\s*x\s*(\d+))?")


def _anchor(heading: str) -> str:
    """A link's anchor: a heading's id, or a block's (`^block-id`, generator/site/obsidian.py)."""
    return heading.strip() if heading.startswith("^") else heading_anchor(heading)


def _prose(text: str) -> str:
    return re.sub(r"```.*?```", "", text, flags=re.S)


def _with_meta(meta: dict[str, object], markdown: str) -> str:
    # Material puts page.meta.title into <title> without escaping it; escape it here.
    safe = {key: str(escape(value)) if isinstance(value, str) else value
            for key, value in meta.items()}
    front = yaml.safe_dump(safe, allow_unicode=True, sort_keys=True, width=10_000)
    return f"---\n{front}---\n\n{markdown}"


def render_language(vault: Vault, graph: KnowledgeGraph, language: Language,
                    taxonomy: Taxonomy | None = None) -> list[Page]:
    return Renderer(vault, graph, language, taxonomy).pages()
