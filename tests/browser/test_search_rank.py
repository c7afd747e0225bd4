"""Search relevance as a reader meets it: a one-word query for a topic brings the topic's
concept note into the first three results, in both languages (the title and aliases weighted in
templates/note.md.j2; generator/site/search_index.py). `bench/search_rank.py` measures the same on
the real vault."""

from __future__ import annotations

import pytest

from .test_search import result_paths, search

CASES = [
    ("en", "coroutine", "/en/10-Concepts/c-coroutines/"),
    ("ru", "корутина", "/ru/10-Concepts/c-coroutines/"),
    ("en", "flow", "/en/10-Concepts/c-kotlin-flow/"),
    ("ru", "поток", "/ru/10-Concepts/c-kotlin-flow/"),
    ("en", "cache", "/en/10-Concepts/c-caching/"),
    ("ru", "кеш", "/ru/10-Concepts/c-caching/"),
    ("en", "compose", "/en/10-Concepts/c-jetpack-compose/"),
    ("ru", "viewmodel", "/ru/10-Concepts/c-viewmodel/"),
]


@pytest.mark.parametrize(("language", "query", "concept"), CASES,
                         ids=[f"{language}-{query}" for language, query, _ in CASES])
def test_one_word_topic_query_ranks_the_concept_in_the_top_three(page, site_url, language,
                                                                 query, concept):
    page.goto(f"{site_url}/{language}/")
    search(page, query)
    paths = list(dict.fromkeys(result_paths(page)))  # a page once, whatever its sections
    assert concept in paths[:3], paths[:5]


def test_exact_title_still_comes_first(page, site_url):
    page.goto(f"{site_url}/en/")
    search(page, "launch vs async")
    assert result_paths(page)[0] == "/en/70-Kotlin/q-launch-vs-async--kotlin--easy/"


@pytest.mark.parametrize(("language", "query"), [("en", "coroutine"), ("ru", "корутина")])
def test_a_query_naming_a_concept_puts_it_first(page, site_url, language, query):
    page.goto(f"{site_url}/{language}/")
    search(page, query)
    assert result_paths(page)[0] == f"/{language}/10-Concepts/c-coroutines/"
