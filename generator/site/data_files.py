"""The data files of a language's site, written verbatim beside its pages, and the pages that
read them: `graph.json` and the global graph page (generator/graph/data.py has the format),
`study.json` and the study page (study.py), and `search-names.json`, which search.js reads.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import TYPE_CHECKING

from ..graph import data as graph_data
from ..model import Page
from ..notes.note_meta import DIFFICULTIES
from ..paths import (
    GRAPH_JSON,
    GRAPH_PAGE,
    SEARCH_NAMES_JSON,
    STUDY_JSON,
    STUDY_PAGE,
    PageUrl,
    difficulty_page,
    page_url,
    to_root,
)
from . import study
from .templates import with_front_matter

if TYPE_CHECKING:
    from .render import Renderer


def graph_pages(r: Renderer) -> list[Page]:
    """The language's graph data (graph.json, written verbatim) and the global graph page."""
    strings = graph_data.STRINGS[r.language]
    markdown = r.env.get_template("graph.md.j2").render(
        g=strings, src=to_root(GRAPH_PAGE) + GRAPH_JSON,
        notes=r.graph.graph.number_of_nodes(), links=r.graph.graph.number_of_edges())
    return [
        Page(r.language, GRAPH_JSON,
             graph_data.site_json(r.graph, r.facts, r.language, r.topic_label)),
        Page(r.language, GRAPH_PAGE,
             with_front_matter({"title": strings["graph"], "hide": ["toc"]}, markdown),
             title=strings["graph"]),
    ]


def study_pages(r: Renderer) -> list[Page]:
    """The language's study JSON (written verbatim) and the study page, which filters the
    questions by topic and difficulty and opens a random one (study.js)."""
    questions = [r.facts[n.key] for n in r.vault.notes if n.kind == "question"]
    topics = Counter(facts.topic for facts in questions if facts.topic)
    levels = Counter(facts.difficulty if facts.difficulty in DIFFICULTIES else "other"
                     for facts in questions)
    root = to_root(STUDY_PAGE)
    difficulties = [
        {"value": level, "name": r.strings[level], "count": levels[level],
         "href": root + page_url(difficulty_page(level)) if level in DIFFICULTIES else None}
        for level in (*DIFFICULTIES, "other") if levels[level]]
    markdown = r.env.get_template("study.md.j2").render(
        s=r.strings, total=len(questions), src=root + STUDY_JSON,
        topics=[(topic, r.topic_label(topic), count) for topic, count in sorted(topics.items())],
        difficulties=difficulties)
    return [
        Page(r.language, STUDY_JSON, study.site_json(questions, r.language)),
        Page(r.language, STUDY_PAGE,
             with_front_matter({"title": r.strings["study"], "hide": ["toc"]}, markdown)),
    ]


def search_names_pages(r: Renderer) -> list[Page]:
    """`search-names.json`: the concept each one-word name (a concept note's title or alias
    of one word, lower case) stands for, by page URL, which search.js puts first for a
    one-word query naming it. A file of ours, not a Pagefind filter: Pagefind writes its
    filter index in a different order at every build, and a site must be the same bytes
    whenever its notes are."""
    names: dict[str, list[PageUrl]] = {}
    for note in r.vault.notes:
        if note.kind != "concept":
            continue
        facts = r.facts[note.key]
        url = page_url(facts.path)
        for name in (facts.title, *note.info.aliases):
            word = name.strip().lower()
            if word and " " not in word:
                urls = names.setdefault(word, [])
                if url not in urls:
                    urls.append(url)
    data = {"format": "kb-search-names/1", "names": dict(sorted(names.items()))}
    return [Page(r.language, SEARCH_NAMES_JSON,
                 json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n")]
