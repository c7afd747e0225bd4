"""Study mode's data: which heading is a question's answer, and the
small JSON of a language's questions that the study page filters and draws a random question
from (theme_overrides/assets/javascripts/study.js).

The site gets one `study.json` per language, at the root of that language's docs (paths.STUDY_JSON,
read by the page paths.STUDY_PAGE); its URLs are relative to that root (as graph.json's). The format, "kb-study/1":

    {"format": "kb-study/1", "language": "en",
     "topics": ["android", ...],                        # sorted
     "difficulties": ["easy", "medium", "hard"],
     "questions": [["70-Kotlin/q-flow--kotlin--easy/", "Flow basics", 5, 0], ...]}

Each question is [url, title, topic, difficulty]: `topic` and `difficulty` index the lists
above, -1 when the note has none (or a difficulty outside the three). The url is also the
question's key in the reader's browser (which questions they know): it is the same in both
language trees, so a question marked known in one language is known in the other.

Only what the page shows is written, and nothing the reader's browser can compute, so the file
stays small (about 100 bytes a question) and costs one pass over the notes to write.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Protocol

from ..graph import data as graph_data
from ..model import Language
from ..notes.language import strip_marker
from ..notes.note_meta import DIFFICULTIES
from ..paths import DocsPath, PageUrl, page_url

FORMAT = "kb-study/1"

# Headings that start a question's answer, as authors write them (after the language marker
# is taken off): `## Answer (EN)`, `## Ответ (RU)`, and the unmarked forms.
ANSWER_HEADINGS = frozenset({"answer", "ответ"})

# The class the answer's heading gets (an attribute list on the heading line): study.js hides
# what follows it, up to the next heading of its level or above.
ANSWER_CLASS = "kb-answer"
# The element after that heading that holds the whole answer (note_body.body), which
# study.js hides: an answer's subsections may be at its own heading level.
ANSWER_CONTENT_CLASS = "kb-answer-content"


class Facts(graph_data.Facts, Protocol):
    """What the study JSON needs of a note in one language: the graph JSON's, and its
    difficulty (render.NoteFacts has it)."""

    @property
    def difficulty(self) -> str | None: ...


def is_answer(heading: str) -> bool:
    """Whether a heading, as written, starts the answer of a question."""
    return strip_marker(heading).strip().lower() in ANSWER_HEADINGS


def mark_answer(heading_line: str) -> str:
    """The heading line with the answer's class (attr_list), e.g. `### Answer { .kb-answer }`."""
    return f"{heading_line} {{ .{ANSWER_CLASS} }}"


def key(path: DocsPath) -> PageUrl:
    """A question's key in the reader's browser: its URL below the language root."""
    return page_url(path)


def site_data(questions: Iterable[Facts], language: Language) -> dict[str, object]:
    """The questions of one language's site, as data (see the module doc)."""
    # By topic, then easy to hard, then title; questions without a topic or a difficulty last.
    facts = sorted(questions, key=lambda f: (f.topic is None, f.topic or "",
                                             _level(f.difficulty) % 4, f.title.lower()))
    topics = sorted({f.topic for f in facts if f.topic})
    topic_index = {topic: position for position, topic in enumerate(topics)}
    rows = [[key(f.path), f.title, topic_index[f.topic] if f.topic else -1, _level(f.difficulty)]
            for f in facts]
    return {"format": FORMAT, "language": language, "topics": topics,
            "difficulties": list(DIFFICULTIES), "questions": rows}


def site_json(questions: Iterable[Facts], language: Language) -> str:
    """`site_data` as compact JSON text, the content of the `study.json` Page."""
    return json.dumps(site_data(questions, language), ensure_ascii=False,
                      separators=(",", ":")) + "\n"


def _level(difficulty: str | None) -> int:
    return DIFFICULTIES.index(difficulty) if difficulty in DIFFICULTIES else -1
