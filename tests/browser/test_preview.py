"""Link previews as a reader sees them: hovering or focusing a link in a note's text shows the
linked note's title, its badges and its first lines (generator/site/lead.py), in the page's
language, as Obsidian's page preview does; on the note's own page those lines stay hidden, to
the eye, to screen readers and to search."""

from __future__ import annotations

import pytest

from .test_accessibility import serious_violations
from .test_study import instant_navigation

QUESTION = "70-Kotlin/q-launch-vs-async--kotlin--easy/"
CONCEPT = "10-Concepts/c-coroutines/"
# The first words of the concept's text in each language (notes/10-Concepts/c-coroutines.md).
LEAD = {"en": "A coroutine is a computation that can pause at a suspension point",
        "ru": "Корутина — это вычисление, которое может приостановиться"}
PREVIEW = ".md-tooltip2--active"


@pytest.fixture(autouse=True)
def _previews(built_site):
    if not instant_navigation(built_site):
        pytest.skip("the site was built without site_url: Material shows no previews")


@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize("how", ["hover", "focus"])
def test_a_links_preview_shows_the_linked_notes_first_lines(page, site_url, language, how):
    page.goto(f"{site_url}/{language}/{QUESTION}")
    link = page.locator(f"article p a[data-preview][href*='{CONCEPT.split('/')[1]}']").first
    link.hover() if how == "hover" else link.focus()
    preview = page.locator(PREVIEW)
    preview.wait_for()
    lead = preview.locator(".kb-lead")
    assert lead.is_visible()
    text = lead.inner_text()
    assert text.startswith(LEAD[language]), text
    assert len(text) <= 300 and text.endswith("…")
    # Between the badges and the text's first heading, where Material's preview stops.
    assert preview.locator(".kb-meta + .kb-lead").count() == 1
    assert preview.locator("h2").count() == 0


def test_the_lead_is_hidden_on_the_notes_own_page(page, site_url, built_site):
    page.goto(f"{site_url}/en/{CONCEPT}")
    lead = page.locator("article .kb-lead")
    assert lead.count() == 1 and not lead.is_visible()
    # Out of the accessibility tree (no screen reader reads it twice) and out of search.
    assert LEAD["en"] not in page.locator("article").aria_snapshot()
    assert lead.get_attribute("data-pagefind-ignore") == "all"
    html = (built_site / "en" / CONCEPT / "index.html").read_text(encoding="utf-8")
    assert 'class="kb-lead" data-pagefind-ignore="all" hidden' in html


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_an_open_preview_passes_axe(new_page, site_url, dark):
    page = new_page(dark=dark)
    page.goto(f"{site_url}/en/{QUESTION}")
    page.locator(f"article p a[data-preview][href*='{CONCEPT.split('/')[1]}']").first.hover()
    page.locator(f"{PREVIEW} .kb-lead").wait_for()
    page.wait_for_timeout(500)  # the tooltip's fade-in: axe reads colours as they are shown
    violations = serious_violations(page)
    assert not violations, "\n".join(violations)
