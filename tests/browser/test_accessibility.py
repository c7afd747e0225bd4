"""Every kind of page passes axe-core's WCAG 2 A and AA rules, in both palettes.

axe-core is vendored (tests/browser/vendor/axe-core/, see its README), so the test runs
offline. A serious or critical violation fails the test and names the rule, the elements and
axe's reason (a contrast ratio, a link told from text by colour alone).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
NOTE = "70-Kotlin/q-coroutine-cancellation--kotlin--hard/"  # code, badges, link lists, graph

# Each page type, with what shows once its scripts are done (a note's graph is drawn when
# scrolled into view).
PAGES = {
    "home": ("en/", None),
    "note-en": (f"en/{NOTE}", ".kb-graph__canvas canvas"),
    "note-ru": (f"ru/{NOTE}", ".kb-graph__canvas canvas"),
    "moc": ("en/90-MOCs/moc-kotlin/", None),
    "topic": ("en/topics/kotlin/", None),
    "study": ("en/study/", ".kb-study-page__item"),
    "graph": ("en/graph/", ".kb-graph__canvas canvas"),
    "404": ("ru/404.html", None),
    "root-404": ("404.html", None),
}


def serious_violations(page: Any) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})", WCAG_TAGS)
    return [f"{violation['id']} ({violation['impact']}) at {node['target']}: "
            + " ".join(node["failureSummary"].split())
            for violation in result["violations"] if violation["impact"] in ("serious", "critical")
            for node in violation["nodes"]]


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("kind", list(PAGES))
def test_no_serious_wcag_violation(new_page, site_url, kind, dark):
    path, ready = PAGES[kind]
    page = new_page(dark=dark)
    page.goto(f"{site_url}/{path}")
    if ready:
        page.locator(ready.split(" ")[0]).first.scroll_into_view_if_needed()
        page.locator(ready).first.wait_for()
    page.wait_for_load_state("networkidle")
    assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") == dark
    scheme = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    assert scheme in (None, "slate" if dark else "default")  # None: the root's own 404
    violations = serious_violations(page)
    assert not violations, "\n".join(violations)
