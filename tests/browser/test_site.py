"""The site as a reader sees it: diagrams, math, callouts, the language switch, links, phones.

Every test also fails (fixtures in conftest.py) on a console error or a request that leaves
127.0.0.1: Mermaid and KaTeX must come from the site's own copies (assets/vendor/).
"""

from __future__ import annotations

from typing import Any

import pytest

MERMAID_NOTE = "40-Android/q-activity-lifecycle-callbacks--android--easy/"
MATH_NOTE = "20-Algorithms/q-merge-sort-vs-quick-sort--algorithms--medium/"
CALLOUT_NOTE = "40-Android/q-compose-recomposition--android--medium/"


def vendored(page_log: Any, name: str) -> list[str]:
    return [url for url in page_log.requests if f"/assets/vendor/{name}/" in url]


def shadow_svgs(page: Any) -> list[dict[str, Any]]:
    """The svg elements inside shadow roots, closed ones included (Material draws a diagram
    into a closed shadow root, which no page script or CSS selector can reach; the DevTools
    protocol can)."""
    client = page.context.new_cdp_session(page)
    tree = client.send("DOM.getDocument", {"depth": -1, "pierce": True})["root"]
    found: list[dict[str, Any]] = []

    def walk(node: dict[str, Any], in_shadow: bool) -> None:
        if in_shadow and node.get("nodeName", "").lower() == "svg":
            found.append(node)
        for root in node.get("shadowRoots", []):
            walk(root, True)
        for child in node.get("children", []):
            walk(child, in_shadow)

    walk(tree, False)
    return found


def test_mermaid_diagram_renders_an_svg_from_the_bundled_library(page, site_url, page_log):
    page.goto(f"{site_url}/en/{MERMAID_NOTE}")
    # The source block is replaced by an empty div.mermaid hosting the drawing.
    page.wait_for_function(
        "() => document.querySelector('div.mermaid') && !document.querySelector('pre.mermaid')"
        " && document.querySelector('div.mermaid').getBoundingClientRect().height > 100")
    svgs = shadow_svgs(page)
    assert svgs, "no svg drawn for the diagram"
    assert any("flowchart" in " ".join(svg.get("attributes", [])) for svg in svgs)
    assert vendored(page_log, "mermaid"), "mermaid.min.js was not loaded from assets/vendor/"


@pytest.mark.parametrize("start, link, target, drawn", [
    ("topics/algorithms/", "q-merge-sort-vs-quick-sort", MATH_NOTE, ".arithmatex .katex"),
    ("topics/android/", "q-activity-lifecycle-callbacks", MERMAID_NOTE, "div.mermaid:empty"),
], ids=["math", "mermaid"])
def test_diagrams_and_math_render_after_instant_navigation(page, site_url, built_site, start,
                                                           link, target, drawn):
    if "<loc>" not in (built_site / "en" / "sitemap.xml").read_text(encoding="utf-8"):
        pytest.skip("the site was built without site_url: no instant navigation")
    page.goto(f"{site_url}/en/{start}")
    page.evaluate("window.kbSamePage = true")
    page.locator(f"article a[href*='{link}']").first.click()
    page.wait_for_url(f"{site_url}/en/{target}")
    page.locator(drawn).first.wait_for()
    assert page.evaluate("window.kbSamePage === true"), "the page was reloaded"


def test_pages_without_diagrams_or_math_do_not_load_the_libraries(page, site_url, page_log):
    page.goto(f"{site_url}/en/")
    page.wait_for_load_state("networkidle")
    assert not vendored(page_log, "mermaid")
    assert not vendored(page_log, "katex")


def test_math_renders_with_katex(page, site_url, page_log):
    page.goto(f"{site_url}/en/{MATH_NOTE}")
    page.locator(".arithmatex .katex").first.wait_for()
    assert page.locator("div.arithmatex .katex-display").count() >= 1
    # No formula is left as TeX source, and none failed to parse.
    assert page.locator(".arithmatex:not([data-kb-math])").count() == 0
    assert page.locator(".katex-error").count() == 0
    assert vendored(page_log, "katex")
    page.wait_for_load_state("networkidle")
    fonts = [url for url in page_log.requests if url.endswith(".woff2")]
    assert fonts and all("/assets/vendor/katex/fonts/" in url for url in fonts)


def test_callouts_render_as_admonitions(page, site_url):
    page.goto(f"{site_url}/en/{CALLOUT_NOTE}")
    note = page.locator("article .admonition.note")
    assert note.locator(".admonition-title").inner_text() == "Stability in one sentence"
    folded = page.locator("article details.warning")
    assert folded.locator("summary").inner_text() == "Do not optimise blindly"
    assert folded.get_attribute("open") is None  # `[!warning]-` starts folded
    folded.locator("summary").click()
    assert folded.get_attribute("open") is not None


def test_language_switch_keeps_the_page(page, site_url):
    page.goto(f"{site_url}/en/{CALLOUT_NOTE}")
    page.locator(".md-header .md-select button").hover()
    page.locator(".md-select__link[data-kb-language=ru]").click()
    page.wait_for_url(f"{site_url}/ru/{CALLOUT_NOTE}")
    assert page.locator("html").get_attribute("lang") == "ru"


def test_wikilink_leads_to_the_page_in_the_same_language(page, site_url):
    page.goto(f"{site_url}/ru/{CALLOUT_NOTE}")
    link = page.locator("article a", has_text="Jetpack Compose").first
    link.click()
    page.wait_for_url(f"{site_url}/ru/10-Concepts/c-jetpack-compose/")
    assert page.locator("html").get_attribute("lang") == "ru"


@pytest.mark.parametrize("path", ["", MERMAID_NOTE, MATH_NOTE, CALLOUT_NOTE, "tags/", "study/"],
                         ids=["home", "mermaid", "math", "callouts", "tags", "study"])
def test_phone_width_has_no_horizontal_scroll(new_page, site_url, path):
    page = new_page(width=390, height=844)
    page.goto(f"{site_url}/en/{path}")
    page.wait_for_load_state("networkidle")
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= 390, f"{path or 'home'} is {width}px wide on a 390px phone"


def test_head_has_hreflang_pairs_and_open_graph(page, site_url):
    page.goto(f"{site_url}/ru/{CALLOUT_NOTE}")
    hreflang = dict(page.evaluate(
        "[...document.querySelectorAll('link[hreflang]')].map(l => [l.hreflang, l.href])"))
    assert hreflang == {"en": f"{site_url}/en/{CALLOUT_NOTE}",
                        "ru": f"{site_url}/ru/{CALLOUT_NOTE}",
                        "x-default": f"{site_url}/"}
    locale = page.locator('meta[property="og:locale"]').get_attribute("content")
    assert locale == "ru_RU"
