"""The graph views as a reader uses them: the local graph under a note, the global graph page.

Every test also fails (in teardown, see conftest.py) on a console error, an uncaught
exception, or a request to any host but 127.0.0.1.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote, urlsplit

from generator.notes.load import load_vault

from ..conftest import REPO_ROOT

# Every note of the embedded vault is a node of the global graph.
NOTES = len(load_vault(REPO_ROOT / "notes").notes)

NOTE = "70-Kotlin/q-launch-vs-async--kotlin--easy.md"
NOTE_URL = "70-Kotlin/q-launch-vs-async--kotlin--easy/"
VIEW = "[data-kb-graph]"
SETTLED = '[data-kb-graph][data-kb-graph-state="settled"]'

# A node of the view that stands clear of the others and of the page's header (so that a click
# lands on it), with its position in the viewport and its address.
CLEAR_NODE = """(element, avoid) => {
  const graph = element.kbGraph;
  const box = element.querySelector('canvas').getBoundingClientRect();
  const nodes = graph.graphData().nodes.map(node => {
    const at = graph.graph2ScreenCoords(node.x, node.y);
    return {id: node.id, url: node.url, x: box.left + at.x, y: box.top + at.y};
  });
  const canvas = element.querySelector('canvas');
  const inside = nodes.filter(n => n.x > box.left + 20 && n.x < box.right - 20
                                  && n.y > box.top + 20 && n.y < box.bottom - 20
                                  && document.elementFromPoint(n.x, n.y) === canvas);
  let best = null, room = -1;
  for (const node of inside) {
    if (node.id === avoid) continue;
    const nearest = Math.min(...nodes.filter(o => o !== node)
                                   .map(o => Math.hypot(o.x - node.x, o.y - node.y)));
    if (nearest > room) { best = node; room = nearest; }
  }
  return best;
}"""

INKED_PIXELS = """element => {
  const canvas = element.querySelector('canvas');
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let inked = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] > 0) inked++;
  return inked;
}"""


# The mean luminance (0-255) of what is drawn, weighted by opacity. Links and labels are drawn in
# Material's foreground colour and labels have a halo of its background colour: the halos
# dominate, light on the light scheme and dark on the dark one.
LUMINANCE = """element => {
  const canvas = element.querySelector('canvas');
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let sum = 0, weight = 0;
  for (let i = 0; i < data.length; i += 4) {
    const alpha = data[i + 3] / 255;
    sum += alpha * (0.2126 * data[i] + 0.7152 * data[i + 1] + 0.0722 * data[i + 2]);
    weight += alpha;
  }
  return sum / weight;
}"""


def graph_requests(requests: list[str]) -> list[str]:
    return [url for url in requests if url.endswith("/graph.json") or "/vendor/" in url]


def show_graph(page: Any) -> Any:
    """Scroll the page's graph into view and wait until its layout has stopped."""
    view = page.locator(VIEW).first
    view.scroll_into_view_if_needed()
    page.wait_for_selector(SETTLED, timeout=15_000)
    return view


def path_of(url: str) -> str:
    return unquote(urlsplit(url).path)


def test_local_graph_is_fetched_when_shown_drawn_and_clickable(page, site_url, page_log):
    page.goto(f"{site_url}/en/{NOTE_URL}")
    page.wait_for_load_state("networkidle")
    view = page.locator(VIEW).first
    assert view.get_attribute("data-kb-graph") == "local"
    assert view.get_attribute("data-kb-graph-node") == NOTE
    below_the_fold = view.bounding_box()["y"] > 900 + 200
    if below_the_fold:  # lazy: nothing of the graph is loaded before it comes into sight
        assert graph_requests(page_log.requests) == []

    show_graph(page)
    # The libraries from the one copy both languages share at the site root, the data from
    # the language's own graph.
    assert sorted(path_of(url) for url in graph_requests(page_log.requests)) == [
        "/assets/vendor/d3-force/d3-dispatch.min.js",
        "/assets/vendor/d3-force/d3-force.min.js",
        "/assets/vendor/d3-force/d3-quadtree.min.js",
        "/assets/vendor/d3-force/d3-timer.min.js",
        "/assets/vendor/force-graph/force-graph.min.js",
        "/en/graph.json",
    ]
    # The note, its neighbours and theirs: launch-vs-async links to Coroutines, which links on.
    nodes = int(view.get_attribute("data-kb-graph-nodes"))
    assert 10 <= nodes <= NOTES, nodes
    assert int(view.get_attribute("data-kb-graph-links")) >= nodes - 1
    assert view.evaluate(INKED_PIXELS) > 2_000  # the canvas is drawn on, not blank
    ids = view.evaluate("element => element.kbGraph.graphData().nodes.map(node => node.id)")
    assert NOTE in ids and "10-Concepts/c-coroutines.md" in ids

    # Hover: the note under the pointer is highlighted with its neighbours.
    target = view.evaluate(CLEAR_NODE, NOTE)
    page.mouse.move(target["x"], target["y"])
    page.wait_for_selector(f'{VIEW}[data-kb-graph-hover="{target["id"]}"]')
    assert view.locator(".kb-graph__canvas").evaluate("canvas => canvas.style.cursor") == "pointer"

    # Click: the note's page opens (through Material's instant navigation), and its own local
    # graph is set up on the new page.
    page.evaluate("() => { window.kbSamePage = true; }")
    page.mouse.click(target["x"], target["y"])
    page.wait_for_url(target["url"])
    page.wait_for_selector(f'{VIEW}[data-kb-graph-node="{target["id"]}"]', state="attached")
    show_graph(page)
    assert page.locator(VIEW).first.evaluate(INKED_PIXELS) > 1_000
    if page.evaluate("() => window.kbSamePage === true"):  # instant navigation (not with
        # KB_TEST_SITE, see conftest.py): the data was fetched once for both pages.
        assert [url for url in page_log.requests if url.endswith("/graph.json")] == \
            [f"{site_url}/en/graph.json"]


def test_global_graph_page_from_the_nav(page, site_url, built_site):
    page.goto(f"{site_url}/ru/")
    page.get_by_role("link", name="Граф", exact=True).first.click()
    page.wait_for_url(f"{site_url}/ru/graph/")
    view = show_graph(page)
    assert view.get_attribute("data-kb-graph") == "global"
    data = json.loads((built_site / "ru" / "graph.json").read_text(encoding="utf-8"))
    assert int(view.get_attribute("data-kb-graph-nodes")) == len(data["nodes"]) == NOTES
    assert int(view.get_attribute("data-kb-graph-links")) == len(data["edges"])
    assert int(view.get_attribute("data-kb-graph-settle-ms")) < 3_000
    assert view.evaluate(INKED_PIXELS) > 5_000
    legend = view.locator(".kb-graph__legend li").all_inner_texts()
    assert legend[0].startswith("Kotlin (") and legend[-1].startswith("без темы (")  # labels

    # Zoom with the wheel, then open a note by clicking it.
    zoom = view.evaluate("element => element.kbGraph.zoom()")
    box = view.locator("canvas").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, -400)
    page.wait_for_function(f"() => document.querySelector('{VIEW}').kbGraph.zoom() > {zoom}")
    page.wait_for_timeout(400)  # the zoom transition
    target = view.evaluate(CLEAR_NODE, None)
    # force-graph finds the note under the pointer as the pointer moves, as a reader's does.
    page.mouse.move(target["x"], target["y"])
    page.wait_for_selector(f'{VIEW}[data-kb-graph-hover="{target["id"]}"]')
    page.mouse.click(target["x"], target["y"])
    page.wait_for_url(target["url"])
    assert path_of(target["url"]).startswith("/ru/")


def test_graph_follows_the_palette(new_page, site_url):
    page = new_page(dark=True)
    page.goto(f"{site_url}/en/graph/")
    view = show_graph(page)
    assert view.get_attribute("data-kb-graph-scheme") == "slate"
    dark = view.evaluate(LUMINANCE)
    # Material's palette toggle switches to the light scheme; the graph redraws in it.
    page.locator("form[data-md-component=palette] label:visible").first.click()
    page.wait_for_selector(f'{VIEW}[data-kb-graph-scheme="default"]')
    page.wait_for_timeout(300)  # the next frame
    light = view.evaluate(LUMINANCE)
    assert light > dark + 30, (dark, light)


def test_graph_json_links_to_pages_of_its_language(built_site):
    for language in ("en", "ru"):
        data = json.loads((built_site / language / "graph.json").read_text(encoding="utf-8"))
        assert data["language"] == language
        for node in data["nodes"]:
            assert not node["url"].startswith(("/", "http")), node
            assert (built_site / language / unquote(node["url"]) / "index.html").is_file(), node
        titles = {node["id"]: node["title"] for node in data["nodes"]}
        assert titles[NOTE] == ("launch vs async" if language == "en" else "launch и async")


# The drawn labels' boxes (graph.js: element.kbGraphLabels, CSS pixels of the canvas) and the
# counts of the frame, once a zoom has been drawn.
LABELS = """element => ({boxes: element.kbGraphLabels,
                    drawn: Number(element.getAttribute('data-kb-graph-labels')),
                    skipped: Number(element.getAttribute('data-kb-graph-labels-skipped'))})"""


def overlapping(boxes: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(a["id"], b["id"]) for i, a in enumerate(boxes) for b in boxes[i + 1:]
            if a["left"] < b["right"] and b["left"] < a["right"]
            and a["top"] < b["bottom"] and b["top"] < a["bottom"]]


def test_zoomed_in_labels_never_overlap_and_the_hovered_one_always_shows(page, site_url):
    page.goto(f"{site_url}/en/graph/")
    view = show_graph(page)
    base = view.evaluate("element => element.kbGraph.zoom()")
    skipped = 0
    for factor in (1.25, 1.5, 2, 3):  # zoomed in on the centre, where the notes crowd
        view.evaluate(f"element => element.kbGraph.zoom({base * factor}, 0)")
        page.wait_for_timeout(300)  # the next frames
        labels = view.evaluate(LABELS)
        assert labels["drawn"] == len(labels["boxes"]) > 0, factor
        assert not overlapping(labels["boxes"]), (factor, overlapping(labels["boxes"]))
        skipped += labels["skipped"]
    assert skipped > 0, "no label was crowded out: the test zooms where none collide"
    # Drawn (and so kept) in order of importance: MOCs, then by number of links.
    nodes = view.evaluate("""element => Object.fromEntries(element.kbGraph.graphData().nodes
                             .map(node => [node.id, [node.kind === 'moc' ? 0 : 1, -node.degree]]))""")
    order = [tuple(nodes[box["id"]]) for box in view.evaluate(LABELS)["boxes"]]
    assert order == sorted(order)

    # At 1.5 times, a note whose label was crowded out shows it while hovered, the others
    # making room: the hovered note comes first.
    view.evaluate(f"element => element.kbGraph.zoom({base * 1.5}, 0)")
    page.wait_for_timeout(300)
    drawn = {box["id"] for box in view.evaluate(LABELS)["boxes"]}
    target = view.evaluate("""(element, drawn) => {
      const graph = element.kbGraph, box = element.querySelector('canvas').getBoundingClientRect();
      const canvas = element.querySelector('canvas');
      for (const node of graph.graphData().nodes) {
        const at = graph.graph2ScreenCoords(node.x, node.y);
        const x = box.left + at.x, y = box.top + at.y;
        if (!drawn.includes(node.id) && x > box.left + 20 && x < box.right - 20
            && y > box.top + 20 && y < box.bottom - 20
            && document.elementFromPoint(x, y) === canvas) return {id: node.id, x: x, y: y};
      }
      return null;
    }""", sorted(drawn))
    assert target is not None, "every note in view has its label"
    page.mouse.move(target["x"], target["y"])
    page.wait_for_selector(f'{VIEW}[data-kb-graph-hover="{target["id"]}"]')
    page.wait_for_timeout(200)
    labels = view.evaluate(LABELS)
    assert labels["boxes"][0]["id"] == target["id"]  # drawn first, so never crowded out
    assert not overlapping(labels["boxes"])
