"""Study mode as a reader uses it: the answer behind a reveal, "I know this", the study page's
filter and its random question, all kept in the browser across reloads and both languages;
and Material's link previews on the links in a note's text.

Every test has a browser context of its own (fresh localStorage), and fails (conftest.py) on a
console error or a request that leaves 127.0.0.1. Random questions are checked to land within
the filter; where the filter leaves one question, the landing page is known in advance.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

import pytest

QUESTION = "40-Android/q-compose-recomposition--android--medium/"
KOTLIN_HARD = {"70-Kotlin/q-coroutine-cancellation--kotlin--hard/",
               "70-Kotlin/q-inline-reified-generics--kotlin--hard/"}

BAR = "article .kb-study"
MODE = f"{BAR} .kb-study__mode"
KNOWN = f"{BAR} .kb-study__known"
ANSWER = "article .kb-answer__body"
REVEAL = "article .kb-answer__reveal"
STUDY = "article [data-kb-study-page]"
ITEMS = f"{STUDY} .kb-study-page__item"
COUNT = f"{STUDY} .kb-study-page__count"


def path_of(page: Any, language: str = "en") -> str:
    """The page's address below the language root."""
    return urlsplit(page.url).path.removeprefix(f"/{language}/")


def listed(page: Any) -> set[str]:
    """The questions the study page lists, as paths below the language root."""
    hrefs = page.eval_on_selector_all(f"{ITEMS} > a", "links => links.map(link => link.href)")
    return {urlsplit(href).path.split("/", 2)[2] for href in hrefs}


def open_study_page(page: Any, site_url: str, language: str = "en") -> None:
    page.goto(f"{site_url}/{language}/study/")
    page.locator(ITEMS).first.wait_for()


def filter_kotlin_hard(page: Any) -> None:
    page.select_option(f"{STUDY} select[name=topic]", "kotlin")
    for level in ("easy", "medium"):
        page.uncheck(f"{STUDY} input[name=difficulty][value={level}]")


def instant_navigation(built_site) -> bool:
    """Whether Material's instant navigation is on: only with a sitemap, so with site_url."""
    return "<loc>" in (built_site / "en" / "sitemap.xml").read_text(encoding="utf-8")


def count(built_site, topic: str, level: int) -> int:
    """How many questions of study.json have this topic and difficulty (an index)."""
    data = json.loads((built_site / "en" / "study.json").read_text("utf-8"))
    at = data["topics"].index(topic)
    return sum(1 for row in data["questions"] if row[2] == at and row[3] == level)


def label(page: Any, level: str) -> str:
    """The text of a difficulty's checkbox on the study page."""
    return page.locator(f"{STUDY} label", has=page.locator(f"input[value={level}]")).inner_text()


def questions(built_site, language: str = "en") -> list[list[Any]]:
    return json.loads((built_site / language / "study.json").read_text("utf-8"))["questions"]


def test_study_mode_hides_the_answer_behind_a_reveal_and_stays_on(page, site_url):
    page.goto(f"{site_url}/en/{QUESTION}")
    # Off by default: the answer is there, with no reveal.
    assert page.locator(MODE).get_attribute("aria-pressed") == "false"
    assert page.locator(ANSWER).is_visible()
    assert page.locator(REVEAL).is_hidden()
    # The answer runs from its heading to the next section, code and callouts included.
    assert page.locator(f"{ANSWER} pre").count() >= 1
    assert page.locator(f"{ANSWER} .admonition").count() >= 1
    assert page.locator(f"{ANSWER} h2, {ANSWER} h3").count() == 0
    assert page.locator("article h3", has_text="Follow-ups").is_visible()

    page.click(MODE)
    assert page.locator(MODE).get_attribute("aria-pressed") == "true"
    assert page.locator(ANSWER).is_hidden()
    reveal = page.locator(REVEAL)
    assert reveal.inner_text() == "Show answer"
    assert reveal.get_attribute("aria-expanded") == "false"
    assert reveal.get_attribute("aria-controls") == page.locator(ANSWER).get_attribute("id")
    assert page.locator("article h3", has_text="Follow-ups").is_visible()

    # By keyboard, as any button.
    reveal.focus()
    page.keyboard.press("Enter")
    assert page.locator(ANSWER).is_visible()
    assert reveal.get_attribute("aria-expanded") == "true"
    assert reveal.inner_text() == "Hide answer"
    page.keyboard.press("Space")
    assert page.locator(ANSWER).is_hidden()
    reveal.click()
    assert page.locator(ANSWER).is_visible()

    # After a reload study mode is still on, and the answer hidden again: a reveal is not kept.
    page.reload()
    assert page.locator(MODE).get_attribute("aria-pressed") == "true"
    assert page.locator(ANSWER).is_hidden()
    # The other language shares the setting.
    page.goto(f"{site_url}/ru/{QUESTION}")
    assert page.locator(MODE).get_attribute("aria-pressed") == "true"
    assert page.locator(ANSWER).is_hidden()
    assert page.locator(REVEAL).inner_text() == "Показать ответ"

    page.click(MODE)
    assert page.locator(ANSWER).is_visible()
    assert page.locator(REVEAL).is_hidden()


def test_a_reveal_lasts_while_the_reader_stays_on_the_page(page, site_url, built_site):
    page.goto(f"{site_url}/en/{QUESTION}")
    page.click(MODE)
    page.click(REVEAL)
    page.evaluate("window.kbAnswer = document.querySelector('.kb-answer__body')")
    page.click(".md-sidebar--secondary a[href$='#follow-ups']")
    page.wait_for_url("**#follow-ups")
    if instant_navigation(built_site):
        # Material puts in a fresh copy of the page on the first click on a link within it.
        page.wait_for_function(
            "() => document.querySelector('.kb-answer__body') !== window.kbAnswer")
    assert page.locator(ANSWER).is_visible()
    assert page.locator(REVEAL).inner_text() == "Hide answer"
    page.goto(f"{site_url}/en/")
    page.goto(f"{site_url}/en/{QUESTION}")
    assert page.locator(ANSWER).is_hidden()


def test_a_link_into_the_hidden_answer_reveals_it(page, site_url):
    page.goto(f"{site_url}/en/{QUESTION}")
    page.click(MODE)
    # A table of contents entry or a search result can point into the answer; the embedded
    # notes' answers have no subheading, so the test gives this one a target and a link to it
    # (followed by the browser: Material's instant navigation would put in a fresh copy of the
    # page, without the test's target).
    page.evaluate("""() => {
        const target = document.createElement('p');
        target.id = 'kb-test-target';
        document.querySelector('.kb-answer__body').appendChild(target);
        const link = document.createElement('a');
        link.href = '#kb-test-target';
        link.target = '_self';
        link.id = 'kb-test-link';
        link.textContent = 'to the answer';
        document.querySelector('article h1').after(link);
    }""")
    assert page.locator(ANSWER).is_hidden()
    page.click("#kb-test-link")
    assert page.locator(ANSWER).is_visible()


def test_known_mark_survives_a_reload_and_the_other_language(page, site_url):
    page.goto(f"{site_url}/en/{QUESTION}")
    known = page.locator(KNOWN)
    assert known.get_attribute("aria-pressed") == "false"
    known.click()
    assert known.get_attribute("aria-pressed") == "true"
    page.reload()
    assert page.locator(KNOWN).get_attribute("aria-pressed") == "true"
    page.goto(f"{site_url}/ru/{QUESTION}")
    assert page.locator(KNOWN).get_attribute("aria-pressed") == "true"

    # The study page counts it and shows it, and can unmark it.
    open_study_page(page, site_url, "ru")
    assert page.locator(COUNT).inner_text().endswith("знаю: 1")
    item = page.locator(ITEMS).filter(has=page.locator(f'a[href*="{QUESTION}"]'))
    mark = item.locator(".kb-study-page__known")
    assert mark.get_attribute("aria-pressed") == "true"
    mark.click()
    assert page.locator(COUNT).inner_text().endswith("знаю: 0")
    page.goto(f"{site_url}/en/{QUESTION}")
    assert page.locator(KNOWN).get_attribute("aria-pressed") == "false"


def test_study_page_filters_by_topic_and_difficulty_and_keeps_the_filter(page, site_url,
                                                                        built_site):
    total = len(questions(built_site))
    open_study_page(page, site_url)
    assert page.locator(ITEMS).count() == total
    assert page.locator(COUNT).inner_text() == f"Questions: {total} of {total} · known: 0"
    assert page.locator(f'{STUDY} option[value=""]').inner_text() == f"All topics ({total})"

    filter_kotlin_hard(page)
    assert listed(page) == KOTLIN_HARD
    assert page.locator(COUNT).inner_text() == f"Questions: 2 of {total} · known: 0"
    # Each control counts what it would show with the others as they are.
    assert label(page, "hard").endswith("(2)")
    assert label(page, "easy").endswith(f"({count(built_site, 'kotlin', 0)})")
    assert page.locator(f"{STUDY} option[value=kotlin]").inner_text() == "Kotlin (2)"

    page.reload()
    page.locator(ITEMS).first.wait_for()
    assert page.locator(f"{STUDY} select[name=topic]").input_value() == "kotlin"
    assert not page.locator(f"{STUDY} input[value=easy]").is_checked()
    assert page.locator(f"{STUDY} input[value=hard]").is_checked()
    assert listed(page) == KOTLIN_HARD
    # The Russian study page applies the same filter.
    open_study_page(page, site_url, "ru")
    assert listed(page) == KOTLIN_HARD

    page.uncheck(f"{STUDY} input[value=hard]")
    assert page.locator(ITEMS).count() == 0
    assert "Под этот фильтр не подходит ни один вопрос" in page.locator(COUNT).inner_text()


def test_random_question_lands_within_the_filter(page, site_url):
    open_study_page(page, site_url)
    filter_kotlin_hard(page)
    random = f"{STUDY} .kb-study__random"
    for _ in range(3):
        page.click(random)
        page.wait_for_url(lambda url: "/study/" not in url)
        assert path_of(page) in KOTLIN_HARD
        page.go_back()
        page.locator(ITEMS).first.wait_for()

    # From a question page, its random link opens another question of the filter: here, the
    # only other one.
    page.click(random)
    page.wait_for_url(lambda url: "/study/" not in url)
    first = path_of(page)
    page.click(f"{BAR} .kb-study__random")
    page.wait_for_url(lambda url: first not in url)
    (second,) = KOTLIN_HARD - {first}
    assert path_of(page) == second

    # Known questions can be left out: with one of the two known, random opens the other.
    page.click(KNOWN)
    open_study_page(page, site_url)
    page.check(f"{STUDY} input[name=hide-known]")
    assert listed(page) == {first}
    page.click(random)
    page.wait_for_url(lambda url: "/study/" not in url)
    assert path_of(page) == first
    # Nothing else is left: the question's random link opens the study page instead.
    page.click(f"{BAR} .kb-study__random")
    page.wait_for_url(f"{site_url}/en/study/")


def test_questions_are_fetched_by_the_study_page_only(page, site_url, page_log):
    page.goto(f"{site_url}/en/{QUESTION}")
    page.wait_for_load_state("networkidle")
    assert not [url for url in page_log.requests if url.endswith("/study.json")]
    open_study_page(page, site_url)
    assert [url for url in page_log.requests if url.endswith("/study.json")] == [
        f"{site_url}/en/study.json"]


def test_study_mode_after_instant_navigation(page, site_url, built_site):
    if not instant_navigation(built_site):
        pytest.skip("the site was built without site_url: no instant navigation")
    open_study_page(page, site_url)
    page.click(f"{STUDY} .kb-study__mode")
    page.evaluate("window.kbSamePage = true")
    page.click(f'{ITEMS} > a[href*="{QUESTION}"]')
    page.wait_for_url(f"{site_url}/en/{QUESTION}")
    page.locator(REVEAL).wait_for()
    assert page.locator(ANSWER).is_hidden()
    page.click(REVEAL)
    assert page.locator(ANSWER).is_visible()
    # Random within the filter, still without a reload.
    page.click(f"{BAR} .kb-study__random")
    page.wait_for_url(lambda url: QUESTION not in url)
    page.locator(BAR).wait_for()
    assert page.evaluate("window.kbSamePage === true"), "the page was reloaded"


def test_link_in_a_note_shows_a_preview_of_the_linked_note(page, site_url, built_site):
    if not instant_navigation(built_site):
        pytest.skip("the site was built without site_url: Material shows no previews")
    page.goto(f"{site_url}/en/{QUESTION}")
    page.locator("article p a[data-preview]", has_text="Jetpack Compose").first.hover()
    preview = page.locator(".md-tooltip2")
    preview.wait_for()
    assert preview.locator("h3").inner_text().startswith("Jetpack Compose")
    assert preview.locator(".kb-badge", has_text="Concept").count() == 1
    # Only links in the note's text: not its badges, lists of related notes or navigation.
    assert page.locator("article .kb-meta a[data-preview], article .kb-links a[data-preview]"
                        ).count() == 0


HTTP_CACHING = "30-System-Design/q-http-caching-headers--system-design--medium/"


@pytest.mark.parametrize(("language", "section", "follow_ups"), [
    ("en", "Freshness with Cache-Control", "Follow-ups"),
    ("ru", "Свежесть через Cache-Control", "Дополнительные вопросы")])
def test_study_mode_hides_an_answer_whose_subsections_are_at_its_own_level(
        page, site_url, language, section, follow_ups):
    """The answer runs to the next language or shared section whatever the heading levels:
    `## Answer (EN)` then `## Freshness…`, `## Validation…` (with a table), `## Pitfalls`. Study
    mode hides all of it and its entries in the table of contents."""
    page.goto(f"{site_url}/{language}/{HTTP_CACHING}")
    subsection = page.locator(f"{ANSWER} h3", has_text=section)
    assert subsection.count() == 1 and page.locator(f"{ANSWER} table").count() == 1
    toc = page.locator(".md-sidebar--secondary .md-nav--secondary a", has_text=section)
    page.click(MODE)
    assert page.locator(ANSWER).is_hidden() and subsection.is_hidden()
    assert page.locator("article table").first.is_hidden()
    assert toc.count() == 1 and toc.is_hidden()
    assert page.locator("article h3", has_text=follow_ups).is_visible()
    page.click(REVEAL)
    assert subsection.is_visible() and toc.is_visible()
