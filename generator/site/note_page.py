"""A note's page in one language (templates/note.md.j2): breadcrumbs, the title and badges
(topic, difficulty, a status other than the vault's usual one), the lead that link previews show
(lead.py), the note's text (note_body.py),
its related notes, backlinks and maps of content, a MOC's members, the previous and next note in
each MOC it is in, its local graph and, on a question, the study controls.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from ..graph import data as graph_data
from ..model import Note, NoteKey, Page
from ..paths import (
    GRAPH_JSON,
    GRAPH_PAGE,
    STUDY_JSON,
    STUDY_PAGE,
    DocsPath,
    other_language_href,
    page_path,
    page_url,
    to_root,
)
from . import index_pages, lead, study
from .templates import with_front_matter

if TYPE_CHECKING:
    from .render import Renderer


def page(r: Renderer, note: Note) -> Page:
    """The page of `note` in `r`'s language."""
    facts = r.facts[note.key]
    body, translated = r.body(note)
    if note.kind == "moc":  # its first heading often says the title again
        body = index_pages.without_repeated_title(body, facts.title)
    # The page of the topic's entry, which gathers its other spellings (index_pages.py).
    topic = index_pages.topic_link(r, facts.path, facts.topic) if facts.topic else None
    context = {
        "s": r.strings,
        "crumbs": r.folders.breadcrumbs(facts.path, facts.title),
        "note": facts,
        "kind": note.kind,
        "topic_link": topic[1] if topic else None,
        "topic_label": topic[0] if topic else r.topic_label(facts.topic) if facts.topic else None,
        # Only a status other than the vault's usual one says something (index_pages.py).
        "status_label": (r.labels.label("status", facts.status, r.language)
                         if facts.status and facts.status != r.folders.usual_status
                         else None),
        "lead": lead.lead(note.sections, note.kind, r.language, r.labels,
                          lead.wikilink_text(lambda target: _title(r, note, target))),
        "body": Markup(body),
        "translated": translated,
        "other_href": other_language_href(facts.path, r.other_language()),
        "related": r.links(facts.path, r.graph.related(note.key)),
        "backlinks": r.links(facts.path, r.graph.backlinks(note.key)),
        "mocs": r.links(facts.path, r.graph.mocs_of(note.key)),
        "members": (r.by_difficulty(page_path(note.key), r.graph.moc_members(note.key))
                    if note.kind == "moc" else []),
        "sequence": _sequence(r, note) if note.kind != "moc" else [],
        "graph": _graph_view(r, facts.path, note.key),
        "study": _study_bar(facts.path) if note.kind == "question" else None,
    }
    markdown = r.env.get_template("note.md.j2").render(context)
    meta: dict[str, object] = {"title": facts.title, "kb_note": True}
    if facts.summary:
        meta["description"] = facts.summary
    return Page(r.language, facts.path, with_front_matter(meta, markdown), note.key, facts.title)


def _title(r: Renderer, note: Note, target: str) -> str | None:
    """The title, in this language, of the published note a wikilink of `note` goes to."""
    key = r.graph.resolver.resolve(target, note.key)
    facts = r.facts.get(key) if key is not None else None
    return facts.title if facts is not None else None


def _study_bar(source: DocsPath) -> dict[str, str]:
    """What a question page's study controls need (templates/note.md.j2): the question's
    key in the reader's browser, the study JSON and the study page, from this page."""
    root = to_root(source)
    return {"key": study.key(source), "src": root + STUDY_JSON, "href": root + page_url(STUDY_PAGE)}


def _graph_view(r: Renderer, source: DocsPath, key: NoteKey) -> dict[str, str]:
    """What a note page's local graph container needs (templates/note.md.j2)."""
    root = to_root(source)
    strings = graph_data.STRINGS[r.language]
    return {**strings, "title": strings["local_graph"], "src": root + GRAPH_JSON, "node": key,
            "href": root + page_url(GRAPH_PAGE)}


def _sequence(r: Renderer, note: Note) -> list[dict[str, Any]]:
    """For each MOC the note is in: the previous and next note in the order the MOC's page
    lists its members (by difficulty, then title)."""
    source = page_path(note.key)
    steps = []
    for moc in r.graph.mocs_of(note.key):
        order, places = r.moc_order(moc)
        at = places.get(note.key)
        if at is None or len(order) < 2:
            continue
        previous = r.links(source, [order[at - 1]])[0] if at > 0 else None
        following = r.links(source, [order[at + 1]])[0] if at + 1 < len(order) else None
        steps.append({"moc": r.links(source, [moc])[0], "previous": previous, "next": following})
    return steps
