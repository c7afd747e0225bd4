"""What the engine does to MkDocs' HTML: lighter pages that render the same."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin

import pytest

from generator.site.output import compact_html

from .sitecheck import note_url, page_file

COMPACT = {
    "indentation": ("<ul>\n    <li>\n      <a>x</a>\n    </li>\n</ul>",
                    "<ul>\n<li>\n<a>x</a>\n</li>\n</ul>"),
    "blank-lines": ("<p>a</p>\n\n   \n\n<p>b</p>", "<p>a</p>\n<p>b</p>"),
    "spaces-without-line-break": ("<span>a</span>   <span>b</span>", "<span>a</span>   <span>b</span>"),
    "pre": ("<div>\n  <pre><code>fun x() {\n    y()\n}\n</code></pre>\n</div>",
            "<div>\n<pre><code>fun x() {\n    y()\n}\n</code></pre>\n</div>"),
    "article": ('<nav>\n  <a>x</a>\n</nav>\n  <article class="md-content__inner">\n  <p>\n  <code>a\n'
                '   b</code></p>\n  </article>\n  <footer>\n  </footer>',
                '<nav>\n<a>x</a>\n</nav>\n<article class="md-content__inner">\n  <p>\n  <code>a\n'
                '   b</code></p>\n  </article>\n<footer>\n</footer>'),
    "script": ('<script>\n  var s = "a\n    b";\n</script>\n   <p>x</p>',
               '<script>\n  var s = "a\n    b";\n</script>\n<p>x</p>'),
    "textarea-and-style": ("<textarea>\n  a\n</textarea>\n  <style>\n  p {}\n</style>",
                           "<textarea>\n  a\n</textarea>\n<style>\n  p {}\n</style>"),
    "upper-case-tag": ("<PRE>\n  a\n</PRE>\n  b", "<PRE>\n  a\n</PRE>\nb"),
}


@pytest.mark.parametrize(("html", "expected"), COMPACT.values(), ids=COMPACT.keys())
def test_compact_html(html, expected):
    assert compact_html(html) == expected


@pytest.fixture(scope="module")
def site(notes_site) -> Path:
    """notes/ built once for the session (conftest.py)."""
    return notes_site.folder


def test_both_languages_share_one_copy_of_the_bundled_libraries(site):
    assert (site / "assets/vendor/mermaid/mermaid.min.js").is_file()
    assert (site / "assets/vendor/katex/katex.min.js").is_file()
    for language in ("en", "ru"):
        assert not (site / language / "assets/vendor").exists()
        page = page_file(site / language, note_url("10-Concepts/c-coroutines.md"))
        html = page.read_text(encoding="utf-8")
        vendor = html.split('<meta name="kb-vendor" content="', 1)[1].split('"', 1)[0]
        url = "/" + page.relative_to(site).as_posix()
        assert urljoin(url, vendor) == "/assets/vendor/"


def test_pages_are_compact_and_code_keeps_its_layout(site):
    html = page_file(site / "en", note_url("70-Kotlin/q-launch-vs-async--kotlin--easy.md")
                     ).read_text(encoding="utf-8")
    assert "\n " not in html.split("<article", 1)[0]  # the theme's indentation is gone
    assert '<span class="w">' not in html  # Pygments' unstyled whitespace wrappers
    code = html.split('<div class="language-kotlin highlight">', 1)[1].split("</pre>", 1)[0]
    assert "\n    " in code, "the code's own indentation is kept"


def test_no_files_of_materials_own_search(site):
    for language in ("en", "ru"):
        javascripts = site / language / "assets/javascripts"
        assert not (javascripts / "lunr").exists() and not (javascripts / "workers").exists()
        assert not list(javascripts.glob("*.map"))
        assert list(javascripts.glob("bundle.*.min.js"))
