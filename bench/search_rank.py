"""Search relevance on a built site, as figures: where Pagefind (with the site's search.js
ordering) puts a note for a query. Two checks:

- exact titles: for sampled notes, the query is the note's title; the note should be first;
- topic concepts: for each topic's concept note (`c-<topic>`), a one-word query in each
  language; the concept should be in the top three.

    python bench/search_rank.py SITE_DIR [--titles 16]

Runs Debian's Chromium through Playwright against the site served on 127.0.0.1 and types
each query into the site's search box (search.js: its first ten result pages; a rank past ten
is shown as None). `--api` queries each language's pagefind.js directly instead, with
search.js's title-first ordering but not its concept rule, to see ranks past ten.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import random
import threading
from pathlib import Path

# (concept note, English query, Russian query): the topic concepts of the real vault.
CONCEPTS = [
    ("10-Concepts/c-kotlin", "kotlin", "котлин"),
    ("10-Concepts/c-coroutines", "coroutine", "корутина"),
    ("10-Concepts/c-android", "android", "android"),
    ("10-Concepts/c-viewmodel", "viewmodel", "viewmodel"),
    ("10-Concepts/c-flow", "flow", "flow"),
    ("10-Concepts/c-room", "room", "room"),
    ("10-Concepts/c-hilt", "hilt", "hilt"),
    ("10-Concepts/c-testing", "testing", "тестирование"),
    ("10-Concepts/c-security", "security", "безопасность"),
    ("10-Concepts/c-concurrency", "concurrency", "конкурентность"),
    ("10-Concepts/c-performance", "performance", "производительность"),
    ("10-Concepts/c-algorithms", "algorithms", "алгоритмы"),
    ("10-Concepts/c-recyclerview", "recyclerview", "recyclerview"),
    ("10-Concepts/c-gradle", "gradle", "gradle"),
    ("10-Concepts/c-lifecycle", "lifecycle", "lifecycle"),
    ("10-Concepts/c-livedata", "livedata", "livedata"),
]

SCRIPT = """async ([query, limit]) => {
  const pagefind = await import(new URL("pagefind/pagefind.js", location.href).href);
  await pagefind.options(window.KB_RANK_OPTIONS || { excerptLength: 24 });
  await pagefind.init();
  const answer = await pagefind.search(query);
  const pages = await Promise.all(answer.results.slice(0, limit).map(r => r.data()));
  return pages.map(p => [p.url, (p.meta.title || "")]);
}"""


def ui_search(page, query: str) -> list[list[str]]:
    """The result pages the site's search box shows for `query` (its first ten), as a reader
    types it: search.js's own ordering, nothing re-implemented here."""
    page.keyboard.press("Escape")
    page.keyboard.press("/")
    page.fill("[data-kb-search-query]", "")
    page.eval_on_selector("[data-kb-search-result]", "r => r.removeAttribute('data-kb-query')")
    page.fill("[data-kb-search-query]", query)
    page.wait_for_selector(f'[data-kb-search-result][data-kb-query="{query}"]',
                           state="attached", timeout=30_000)
    hrefs = page.eval_on_selector_all(
        "[data-kb-search-result] .md-search-result__item > a.md-search-result__link",
        "links => links.map(link => new URL(link.href).pathname)")
    from urllib.parse import unquote

    return [[unquote(href), ""] for href in dict.fromkeys(hrefs)]


def normalise(text: str) -> str:
    return " ".join(text.lower().split())


def title_first(pages: list[list[str]], query: str) -> list[list[str]]:
    """search.js's titleFirst over its first page of ten results."""
    head, rest = pages[:10], pages[10:]
    exact = [page for page in head if normalise(page[1]) == normalise(query)]
    return exact + [page for page in head if page not in exact] + rest


def rank(pages: list[list[str]], url: str) -> int | None:
    for at, (found, _) in enumerate(pages, 1):
        if found.rstrip("/").endswith(url):
            return at
    return None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("site", type=Path)
    parser.add_argument("--titles", type=int, default=16)
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--ranking", help="Pagefind ranking options to try, as JSON")
    parser.add_argument("--api", action="store_true",
                        help="query pagefind.js directly (ranks beyond ten, without search.js's "
                             "concept rule) instead of the search box")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(args.site))
    http.server.SimpleHTTPRequestHandler.log_message = lambda *a: None  # type: ignore[method-assign]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    figures: dict[str, object] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=["--no-sandbox", "--disable-gpu"])
        for language in ("en", "ru"):
            page = browser.new_page()
            page.goto(f"{base}/{language}/")
            if args.ranking:
                page.evaluate("r => { window.KB_RANK_OPTIONS = {excerptLength: 24, ranking: r}; }",
                              json.loads(args.ranking))
            # The titles to sample: pages of concepts and questions.
            tree = args.site / language
            notes = sorted(page.parent.relative_to(tree).as_posix()
                           for page in tree.glob("*/*/index.html")
                           if page.parent.name.startswith(("c-", "q-")))
            chosen = random.Random(args.seed).sample(notes, min(args.titles, len(notes)))
            title_ranks = []
            for path in chosen:
                html = (tree / path / "index.html").read_text("utf-8")
                title = html.split("<h1", 1)[1].split(">", 1)[1].split("</h1>")[0]
                title = title.split("<a", 1)[0].replace("&amp;", "&").replace("&#39;", "'") \
                    .replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">")
                pages = title_first(page.evaluate(SCRIPT, [title, 30]), title) if args.api \
                    else ui_search(page, title)
                title_ranks.append((title, rank(pages, path.rstrip("/"))))
            concept_ranks = []
            for key, en, ru in CONCEPTS:
                query = en if language == "en" else ru
                pages = title_first(page.evaluate(SCRIPT, [query, 60]), query) if args.api \
                    else ui_search(page, query)
                concept_ranks.append((query, key, rank(pages, key)))
            figures[language] = {"titles": title_ranks, "concepts": concept_ranks}
            first = sum(1 for _, at in title_ranks if at == 1)
            top3 = sum(1 for _, _, at in concept_ranks if at is not None and at <= 3)
            print(f"{language}: exact title first {first}/{len(title_ranks)}; "
                  f"topic concept in top 3 {top3}/{len(concept_ranks)}")
            for title, at in title_ranks:
                if at != 1:
                    print(f"  title {title!r}: rank {at}")
            for query, key, at in concept_ranks:
                print(f"  {query!r} -> {key.rsplit('/', 1)[-1]}: rank {at}")
        browser.close()
    server.shutdown()
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=1), "utf-8")


if __name__ == "__main__":
    main()
