"""Rendering one note into its English and Russian pages."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from generator.graph.links import build_graph
from generator.notes.load import load_vault
from generator.paths import other_language_href, relative_link
from generator.site.render import Renderer
from generator.site.templates import inline

from .conftest import note_text


@pytest.fixture
def vault(make_vault):
    return load_vault(make_vault({
        "10-Concepts/c-flow.md": note_text(
            id="ivc-1", title="Flow / Поток", kind="concept", summary="Cold streams",
            body="# Summary (EN)\nFlow is cold.\n# Сводка (RU)\nПоток холодный.\n"),
        "70-Kotlin/q-basics--kotlin--easy.md": note_text(
            id="kotlin-001", title="Flow basics / Основы Flow", topic="kotlin",
            difficulty="easy", status="draft", moc="moc-kotlin", related="[c-flow]",
            updated="2025-10-01",
            body="""
            # Вопрос (RU)
            > Что такое Flow?

            # Question (EN)
            > What is Flow?

            ## Ответ (RU)
            Смотри [[c-flow]] и [[c-flow#Сводка (RU)|сводку]], [[missing-note]].

            ## Answer (EN)
            See [[c-flow]] and [[c-flow#Сводка (RU)|summary]].

            > [!warning]- Careful
            > cold

            ```kotlin
            // [[not-a-link]] <script>
            ```

            ## References
            - <https://kotlinlang.org>
            """),
        "60-CompSci/q-english-only--cs--easy.md": note_text(
            id="cs-001", title="English only", topic="cs", difficulty="easy",
            body="# Question (EN)\nOnly English.\n## Answer (EN)\nYes.\n"),
        "90-MOCs/moc-kotlin.md": note_text(id="ivm-1", title="Kotlin — MOC", kind="moc",
                                           body="# Kotlin\nOverview.\n"),
        "10-Concepts/c-evil.md": note_text(
            id="ivc-2", title="'<script>alert(1)</script> / [x](javascript:alert(1))'",
            kind="concept",
            body="# Summary (EN)\n<img src=x onerror=alert(1)> [a](javascript:alert(2)) "
                 "<b>ok</b> List<String>\n"),
    }))


def page(vault, language, key):
    renderer = Renderer(vault, build_graph(vault), language)
    return renderer.note_page(renderer.graph.notes[key]).markdown


def test_each_language_gets_its_own_sections_and_title(vault):
    en = page(vault, "en", "70-Kotlin/q-basics--kotlin--easy.md")
    ru = page(vault, "ru", "70-Kotlin/q-basics--kotlin--easy.md")
    assert "# Flow basics" in en and "What is Flow?" in en and "Что такое Flow?" not in en
    assert "# Основы Flow" in ru and "Что такое Flow?" in ru and "What is Flow?" not in ru
    assert "## Question\n" in en and "(EN)" not in en  # markers dropped, levels shifted
    assert "### Ответ { .kb-answer }\n" in ru  # marked for study mode (generator/site/study.py)
    assert "kotlinlang.org" in en and "kotlinlang.org" in ru  # shared section on both


def test_links_stay_in_the_page_language(vault):
    en = page(vault, "en", "70-Kotlin/q-basics--kotlin--easy.md")
    ru = page(vault, "ru", "70-Kotlin/q-basics--kotlin--easy.md")
    assert "[Flow](../10-Concepts/c-flow.md)" in en
    assert "[Поток](../10-Concepts/c-flow.md)" in ru
    # To the id the heading has on the linked page: `# Сводка (RU)` reads "Краткое описание"
    # there (labels.py); on the English page, to the same section in English.
    assert f"[сводку](../10-Concepts/c-flow.md#{quote('краткое-описание')})" in ru
    assert "[summary](../10-Concepts/c-flow.md#summary)" in en
    assert '<span class="kb-broken"' in ru and "missing-note</span>" in ru
    assert "[[not-a-link]]" in en  # code untouched


def test_related_backlinks_badges_and_callout(vault):
    en = page(vault, "en", "70-Kotlin/q-basics--kotlin--easy.md")
    assert "## Related" in en and "- [Flow](../10-Concepts/c-flow.md)" in en
    assert "[Kotlin](../topics/kotlin.md){ .kb-badge .kb-topic }" in en
    assert "kb-difficulty-easy" in en and "Updated: 2025-10-01" in en
    assert '??? warning "Careful"\n\n    cold' in en
    concept = page(vault, "ru", "10-Concepts/c-flow.md")
    assert "## Ссылаются сюда" in concept
    assert "[Основы Flow](../70-Kotlin/q-basics--kotlin--easy.md)" in concept


def test_untranslated_page_says_so_and_links_the_other_language(vault):
    ru = page(vault, "ru", "60-CompSci/q-english-only--cs--easy.md")
    assert '!!! warning "Перевод пока не готов"' in ru
    assert 'href="../../../en/60-CompSci/q-english-only--cs--easy/"' in ru
    assert "Only English." in ru
    assert "Перевод" not in page(vault, "en", "60-CompSci/q-english-only--cs--easy.md")


def test_moc_lists_its_members_by_difficulty(vault):
    moc = page(vault, "en", "90-MOCs/moc-kotlin.md")
    assert "## Notes in this map" in moc
    assert "### Easy (1)\n\n- [Flow basics](../70-Kotlin/q-basics--kotlin--easy.md)" in moc


def test_author_text_cannot_inject_html(vault):
    for language in ("en", "ru"):
        text = page(vault, language, "10-Concepts/c-evil.md")
        body = text.split("---", 2)[2]
        assert "<script" not in body and "<img" not in body
        assert not re.search(r"(?<!\\)\]\(\s*javascript:", body)  # no live javascript: link
    en = page(vault, "en", "10-Concepts/c-evil.md")
    assert "[a](#unsafe-link-removed:alert(2))" in en
    assert "<b>ok</b>" in en and "List&lt;String>" in en
    assert "title: '&lt;script&gt;alert(1)&lt;/script&gt;'" in en


@pytest.mark.parametrize(("source", "target", "expected"), [
    ("a/x.md", "a/y.md", "y.md"),
    ("a/x.md", "b/y.md", "../b/y.md"),
    ("index.md", "b/y z.md", "b/y%20z.md"),
    ("topics/index.md", "topics/kotlin.md", "kotlin.md"),
])
def test_relative_link(source, target, expected):
    assert relative_link(source, target) == expected


@pytest.mark.parametrize(("path", "expected"), [
    ("index.md", "../ru/"),
    ("a/x.md", "../../../ru/a/x/"),
    ("topics/index.md", "../../ru/topics/"),
])
def test_other_language_href(path, expected):
    assert other_language_href(path, "ru") == expected


def test_inline_escapes_html_and_markdown():
    assert inline("<b>[x](y)*z*</b>") == "&lt;b&gt;\\[x\\](y)\\*z\\*&lt;/b&gt;"


def test_shared_bilingual_heading_shows_the_page_language_half(make_vault):
    vault = load_vault(make_vault({"q.md": note_text(
        id="1", title="T / Т",
        body="# Channels / Каналы\n## English\nText.\n## Русский\nТекст.\n")}))
    assert "## Channels\n" in page(vault, "en", "q.md")
    ru = page(vault, "ru", "q.md")
    assert "## Каналы\n" in ru and "Текст." in ru and "Text." not in ru
