"""Obsidian's Markdown shown as Obsidian shows it (generator/site/obsidian.py, obsidian_lists.py,
embeds.py, markdown_text.callouts_to_admonitions): asserted on the HTML of both language pages
of a small bilingual vault, plus the rules' tables and a count on the real vault."""

from __future__ import annotations

import re
import textwrap
import time
from pathlib import Path

import markdown
import pytest

from generator.site.markdown_text import callouts_to_admonitions
from generator.site.obsidian import ObsidianMarkdown, strip_comments
from generator.site.obsidian_lists import normalize

from .conftest import build_vault, note_text

MAIN = """
# Question (EN)
What is Flow?

## Answer (EN)
Key characteristics:
- Lightweight
- Cold
  - Nested by two
1. Step one
   - Detail by three

The year
2024. was good

Some ==highlighted== text %%secret-en%% here, `code %%kept%%`.
%%
hidden-block-en
%%
Tagged #kotlin/flow and `#notatag`
#coroutines

Line one
line two ^para-en

> [!faq]- Folded question
> Answer inside
> > [!todo] Inner todo
> > Do it

- Item with a callout:
  > [!note] In a list
  > Inside the list

![[pic.png|300x200]]

![[c-source#Details (EN)]]

Quoted: ![[c-source#^blk]]

See [[c-source#^blk|the block]].

# Вопрос (RU)
Что такое Flow?

## Ответ (RU)
Основные свойства:
- Лёгкий
- Холодный
  - Вложенный на два

Текст ==выделен== %%секрет-ru%% здесь.

![[c-source#Details (EN)]]
"""

SOURCE = """
# Summary (EN)
Reusable block ^blk

## Details (EN)
English details.

# Сводка (RU)
Переиспользуемый блок

## Подробности (RU)
Русские подробности.

![[q-main]]
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    notes = tmp_path_factory.mktemp("vault") / "notes"
    (notes / "70-Kotlin").mkdir(parents=True)
    (notes / "70-Kotlin/q-main.md").write_text(note_text(
        id="kotlin-1", title="Flow / Поток", topic="kotlin", difficulty="easy", body=MAIN),
        encoding="utf-8")
    (notes / "70-Kotlin/c-source.md").write_text(note_text(
        id="kotlin-2", title="Source / Источник", kind="concept", body=SOURCE), encoding="utf-8")
    (notes / "70-Kotlin/pic.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    site = tmp_path_factory.mktemp("site")
    build_vault(notes, site)
    return site


def article(site: Path, language: str, page: str) -> str:
    html = (site / language / "70-Kotlin" / page / "index.html").read_text(encoding="utf-8")
    return html[html.index("<article"):html.index("</article>")]


def test_lists_under_a_paragraph_line_and_nested_by_two_or_three_spaces(site):
    en, ru = article(site, "en", "q-main"), article(site, "ru", "q-main")
    assert re.search(r"<p>Key characteristics:</p>\s*<ul>\s*<li>Lightweight</li>\s*"
                     r"<li>Cold\s*<ul>\s*<li>Nested by two</li>", en)
    assert re.search(r"<ol>\s*<li>Step one\s*<ul>\s*<li>Detail by three</li>", en)
    assert re.search(r"<p>Основные свойства:</p>\s*<ul>\s*<li>Лёгкий</li>\s*"
                     r"<li>Холодный\s*<ul>\s*<li>Вложенный на два</li>", ru)
    # An ordered list that does not start at 1 cannot interrupt a paragraph (CommonMark).
    assert re.search(r"The year<br />\s*2024\. was good", en)


def test_highlights_comments_and_line_breaks(site):
    en, ru = article(site, "en", "q-main"), article(site, "ru", "q-main")
    assert "<mark>highlighted</mark>" in en and "<mark>выделен</mark>" in ru
    for text in ("secret-en", "hidden-block-en"):
        assert text not in en
    assert "секрет-ru" not in ru
    assert "<code>code %%kept%%</code>" in en
    assert re.search(r"Line one<br />\s*line two", en)


def test_inline_tags_are_tags_not_headings(site):
    en = article(site, "en", "q-main")
    assert '<span class="md-tag kb-tag">#kotlin/flow</span>' in en
    assert '<span class="md-tag kb-tag">#coroutines</span>' in en
    assert "<code>#notatag</code>" in en
    assert not re.search(r"<h1[^>]*>coroutines", en)


def test_block_ids_are_anchors_and_links_reach_them(site):
    en = article(site, "en", "q-main")
    assert re.search(r'<p id="\^para-en">Line one<br />\s*line two</p>', en)
    assert "^para-en<" not in en
    source = article(site, "en", "c-source")
    assert '<p id="^blk">Reusable block</p>' in source
    assert re.search(r'href="\.\./c-source/#%5Eblk"[^>]*>the block</a>', en)


def test_callouts_folded_nested_and_inside_lists(site):
    en = article(site, "en", "q-main")
    assert re.search(r'<details class="faq">\s*<summary>Folded question</summary>', en)
    assert re.search(r'<details class="faq">.*?<div class="admonition todo">\s*'
                     r'<p class="admonition-title">Inner todo</p>.*?</details>', en, re.S)
    assert re.search(r'<li>\s*<p>Item with a callout:</p>\s*<div class="admonition note">\s*'
                     r'<p class="admonition-title">In a list</p>\s*<p>Inside the list</p>', en)


def test_image_sizes(site):
    en = article(site, "en", "q-main")
    image = re.search(r"<img [^>]*pic\.png[^>]*>", en).group(0)
    assert 'width="300"' in image and 'height="200"' in image


def test_section_and_block_embeds_show_the_text_in_the_page_language(site):
    en, ru = article(site, "en", "q-main"), article(site, "ru", "q-main")
    assert re.search(r'<div class="kb-embed">.*English details\.', en, re.S)
    assert re.search(r'<div class="kb-embed">\s*<h2[^>]*>Подробности<.*Русские подробности\.', ru, re.S)
    assert "Quoted: Reusable block" in en
    # c-source embeds q-main, which embeds c-source: the cycle stops at a link.
    source = article(site, "en", "c-source")
    assert source.count("English details.") == 1


# --- the rules, table-driven ----------------------------------------------------------------

def _html(text: str) -> str:
    return markdown.markdown(textwrap.dedent(text).strip("\n"),
                             extensions=[ObsidianMarkdown(), "sane_lists", "admonition", "md_in_html"])


@pytest.mark.parametrize("text, expected", [
    ("Intro:\n- a\n- b", "<p>Intro:</p>\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>"),
    ("Intro:\n1. a\n2. b", "<p>Intro:</p>\n<ol>\n<li>a</li>\n<li>b</li>\n</ol>"),
    ("Intro:\n3. a", "<p>Intro:\n3. a</p>"),
    ("- a\nlazy\n2. b", "<ul>\n<li>a\n    lazy\n    2. b</li>\n</ul>"),
    ("- a\n\t- b", "<ul>\n<li>a<ul>\n<li>b</li>\n</ul>\n</li>\n</ul>"),
    ("- a\n    - b", "<ul>\n<li>a<ul>\n<li>b</li>\n</ul>\n</li>\n</ul>"),
    ("- a\nlazy", "<ul>\n<li>a\n    lazy</li>\n</ul>"),
    ("Text\n    - not an item", "<p>Text\n    - not an item</p>"),
    ("Text\n---", "<h2>Text</h2>"),
    ("* * *", "<hr />"),
    ("#tag line", '<p><span class="md-tag kb-tag">#tag</span> line</p>'),
    ("# Heading", "<h1>Heading</h1>"),
    ("#123 is an issue", "<p>#123 is an issue</p>"),
    ("> Quote:\n> - a", "<blockquote>\n<p>Quote:</p>\n<ul>\n<li>a</li>\n</ul>\n</blockquote>"),
    ("<div markdown>\nIntro:\n- a\n</div>", "<div>\n<p>Intro:</p>\n<ul>\n<li>a</li>\n</ul>\n</div>"),
    ("<pre>\nText\n- a\n</pre>", "<pre>\nText\n- a\n</pre>"),
], ids=["bullet-after-line", "ordered-from-1", "ordered-from-3-stays-text", "lazy-2-stays-text", "tab-nesting",
        "four-space-nesting", "lazy-continuation", "indented-continuation", "setext-heading",
        "thematic-break", "tag-at-line-start", "heading-needs-space", "digits-are-no-tag",
        "list-in-quote", "markdown-in-html", "pre-as-written"])
def test_obsidian_rules(text, expected):
    assert _html(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("a %%b%% c", "a  c"),
    ("a `%%b%%` c", "a `%%b%%` c"),
    ("a\n%%\nb\n%%\nc", "a\n\nc"),
    ("a %% rest", "a "),
], ids=["inline", "code-span", "block", "unclosed-hides-the-rest"])
def test_comments(text, expected):
    assert strip_comments(text) == expected


def test_normalize_keeps_the_structure_and_widths_python_markdown_reads():
    # `continued` is short of the nested item's text (column 5): a lazy line of its paragraph.
    lines = ["Steps:", "1) one", "   - under one", "   continued", "2) two"]
    assert normalize(lines) == ["Steps:", "", "1. one", "    - under one", "        continued",
                                "2. two"]


def test_callouts_in_list_items_keep_their_indentation():
    text = "- item\n  > [!tip]+ Open\n  > body"
    assert callouts_to_admonitions(text) == "- item\n\n  ???+ tip \"Open\"\n\n      body\n"


@pytest.mark.real_vault
def test_real_vault_lists_render_as_lists(corpus, real_site):
    from .obsidian_lists_count import count

    shown, total = count(corpus, real_site)
    print(f"\nreal vault: {shown} of {total} list-shaped lines shown as list items "
          f"({shown / total:.1%}); 28963 (60.0%) on the same vault before Obsidian's list rules")
    assert shown / total > 0.9


@pytest.mark.parametrize("text", [
    "1. " * 3000 + "x",
    "\n".join("  " * depth + "- item" for depth in range(200)),
    "> " * 3000 + "[!note] deep",
    "Text\n" + "- a\n" * 20000,
], ids=["markers-on-one-line", "ever-deeper-items", "quotes-in-quotes", "long-list"])
def test_hostile_nesting_renders_without_exhausting_the_stack(text):
    started = time.perf_counter()
    html = _html(callouts_to_admonitions(text))
    assert html and time.perf_counter() - started < 10
