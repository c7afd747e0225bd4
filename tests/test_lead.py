"""A note's lead (generator/site/lead.py): the first lines of its text, in the page's language,
as plain text, which Material's link previews show under the linked note's title."""

from __future__ import annotations

import time

import pytest

from generator.checks.taxonomy import default_taxonomy
from generator.notes.language import split_sections
from generator.site.lead import LIMIT, lead, shorten, wikilink_text

LABELS = default_taxonomy().labels
TITLES = {"c-coroutines": {"en": "Kotlin Coroutines", "ru": "Корутины Kotlin"}}


def lead_of(body: str, language: str = "en", kind: str = "question") -> str | None:
    def title(target: str) -> str | None:
        return TITLES.get(target, {}).get(language)
    return lead(split_sections(body, 1), kind, language, LABELS, wikilink_text(title))


QUESTION = """\
# Вопрос (RU)
> Что такое **паттерн Actor** в [[c-coroutines]]?

---

# Question (EN)
> What is the **Actor pattern** in [[c-coroutines]]? Explain `Channel`
> and [message passing](https://example.org/actors).

## Ответ (RU)

Актор обрабатывает сообщения по одному.

## Answer (EN)

An actor handles one message at a time.
"""

CONCEPT = """\
# Summary (EN)

```kotlin
val x = 1
```

| Term | Meaning |
|------|---------|
| a    | b       |

Example:

Coroutines are *light-weight* threads: they [[c-coroutines|suspend]] instead of blocking
a thread. ![[diagram.png]] See <b>structured concurrency</b>. %%todo%%

A second paragraph that the lead never shows, because the first one is enough.

# Краткое описание (RU)

Корутины — это лёгкие потоки: они приостанавливаются, а не блокируют поток.
"""


@pytest.mark.parametrize(("body", "language", "kind", "expected"), [
    (QUESTION, "en", "question", "What is the Actor pattern in Kotlin Coroutines? Explain Channel "
                                 "and message passing."),
    (QUESTION, "ru", "question", "Что такое паттерн Actor в Корутины Kotlin?"),
    (CONCEPT, "en", "concept", "Coroutines are light-weight threads: they suspend instead of "
                               "blocking a thread. See structured concurrency."),
    (CONCEPT, "ru", "concept", "Корутины — это лёгкие потоки: они приостанавливаются, а не "
                               "блокируют поток."),
    # A part the page's language lacks is shown in the other one, as the page shows it.
    ("# Question (EN)\n\nWhy is the sky blue on a clear day?\n\n## Ответ (RU)\n\nРассеяние.\n",
     "ru", "question", "Why is the sky blue on a clear day?"),
    # A question's labels over code are left out with the code; its short first line is not.
    ("# Question (EN)\n\n> What does == do?\n\nKotlin:\n```kotlin\na == b\n```\n\n"
     "- and how does it differ from identity in Java?\n", "en", "question",
     "What does == do? and how does it differ from identity in Java?"),
    # A question note without a question section: its first paragraph of prose.
    ("## Answer (EN)\n\n- a list item\n\nThe first paragraph of prose in this answer.\n",
     "en", "question", "The first paragraph of prose in this answer."),
    # The preview shows text before the first heading itself: no lead.
    ("Text before any heading, long enough to be prose.\n\n## Details\n\nMore text here.\n",
     "en", "concept", None),
    # Nothing but code and lists: no lead rather than a scrap.
    ("# Summary (EN)\n\n```\ncode only here\n```\n\n- item one of a list\n", "en", "concept", None),
    # A callout's label is not its text; raw HTML shows as its text, scripts not at all.
    ("## Summary (EN)\n\n> [!note] Remember\n> A flow is cold: it runs for each collector."
     "<script>alert(1)</script>\n", "en", "concept", "A flow is cold: it runs for each collector."),
    # A link to a heading says where it goes, a link to nowhere its target.
    ("# Question (EN)\n\nCompare [[c-coroutines#Scope (EN)]] and [[Threads]].\n", "en",
     "question", "Compare Kotlin Coroutines › Scope and Threads."),
], ids=["question-en", "question-ru", "concept-en", "concept-ru", "fallback-part",
        "question-labels-over-code", "question-without-question", "text-before-heading", "no-prose", "callout-html",
        "link-heading-and-unresolved"])
def test_lead_is_the_first_lines_of_text_in_the_pages_language(body, language, kind, expected):
    assert lead_of(body, language, kind) == expected


def test_a_long_lead_is_cut_at_a_word_boundary_with_an_ellipsis():
    sentence = "Structured concurrency ties every coroutine to a scope that outlives it. "
    text = lead_of("# Question (EN)\n\n" + sentence * 10)
    assert text is not None and text.endswith("…")
    assert LIMIT * 0.6 < len(text) <= LIMIT
    cut = text[:-1]
    assert (sentence * 10).startswith(cut) and (sentence * 10)[len(cut)] in " ."
    assert not cut.endswith((" ", "."))


@pytest.mark.parametrize(("text", "expected"), [
    ("short text", "short text"),
    ("a  text\nover   lines", "a text over lines"),
    ("word " * 100, ("word " * 60).rstrip() + "…"),
    ("x" * 500, "x" * (LIMIT - 1) + "…"),  # one word longer than the lead: cut inside it
], ids=["short", "whitespace", "words", "one-long-word"])
def test_shorten(text, expected):
    assert shorten(text) == expected
    assert len(shorten(text)) <= LIMIT


@pytest.mark.parametrize("kind", ["question", "concept"])
@pytest.mark.parametrize("line", ["<!--" * 250_000, "[" * 1_000_000],
                         ids=["unclosed-comments", "open-brackets"])
def test_a_megabyte_line_is_read_in_bounded_time(kind, line):
    # The prose test's patterns (language.has_prose) are slow on these; the lead only reads a
    # paragraph's first lines.
    for body in (f"# Question (EN)\n{line}\n\nText.\n", f"{line}\n\n# Question (EN)\nWhy?\n"):
        started = time.perf_counter()
        lead_of(body, kind=kind)
        assert time.perf_counter() - started < 2


def test_a_hostile_paragraph_is_read_in_bounded_time():
    # 40 KB of unclosed link targets keep Python-Markdown's link parser busy for half a minute
    # (each `](` scans to the paragraph's end); the lead reads a paragraph's first lines only.
    body = "# Question (EN)\n\n" + "[a](" * 10_000 + " what is this?\n"
    started = time.perf_counter()
    text = lead_of(body)
    assert time.perf_counter() - started < 2
    assert text is not None and len(text) <= LIMIT
