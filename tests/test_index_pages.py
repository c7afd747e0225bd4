"""Folder pages, the difficulty index and breadcrumbs (generator/site/index_pages.py), as a reader
finds them on a built site: a folder's address or /difficulty/ is a page, never a 404."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from generator.cli import main
from generator.paths import is_reserved, page_path
from generator.site.index_pages import folder_title

from .conftest import note_text
from .sitecheck import links_of, page_file, resolve


def _question(id_: str, title: str, difficulty: str = "easy") -> str:
    return note_text(id=id_, title=title, topic="kotlin", difficulty=difficulty,
                     body="# Question (EN)\nWhy?\n## Answer (EN)\nBecause.\n"
                          "# Вопрос (RU)\nПочему?\n## Ответ (RU)\nПотому.\n")


VAULT = {
    "70-Kotlin/q-a--kotlin--easy.md": _question("k-1", "Alpha question / Вопрос альфа"),
    "70-Kotlin/q-b--kotlin--hard.md": _question("k-2", "Beta question / Вопрос бета", "hard"),
    "70-Kotlin/q-d--kotlin--hard.md": _question("k-5", "Delta / Дельта", "hard"),
    "70-Kotlin/flows/q-c--kotlin--medium.md": _question("k-3", "Gamma / Гамма", "medium"),
    "70-Kotlin/index.md": _question("k-4", "Index note / Заметка индекс"),
}


@pytest.mark.parametrize(("name", "title"), [
    ("70-Kotlin", "Kotlin"), ("30-System-Design", "System Design"), ("system_design", "System design"),
    ("flows", "Flows"), ("2024", "2024")])
def test_folder_title(name, title):
    assert folder_title(name) == title


def test_a_folder_index_is_reserved():
    assert is_reserved("70-Kotlin/index.md")
    assert page_path("70-Kotlin/index.md") == "_notes/70-Kotlin/index.md"
    assert not is_reserved("70-Kotlin/q-index.md")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("folders")
    for rel, text in VAULT.items():
        path = root / "notes" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    assert main(["build", "--notes", str(root / "notes"), "--site", str(root / "site"),
                 "--no-cache", "--allow-errors", "--quiet"]) == 0
    return root / "site"


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize(("language", "notes_heading", "folders_heading"), [
    ("en", "Notes in this folder", "Folders"), ("ru", "Заметки в этой папке", "Папки")])
def test_folder_page_lists_its_notes_and_subfolders(site, language, notes_heading,
                                                    folders_heading):
    page = page_file(site / language, "70-Kotlin/")
    assert page is not None, "the folder's address is a 404"
    text = _text(page.read_text("utf-8"))
    assert "<h1" in page.read_text("utf-8") and " Kotlin " in text
    assert folders_heading in text and notes_heading in text
    links = links_of(page, in_article=True)
    targets = {page_file(site / language, resolve(site / language, page, href) or "#")
               for href in links}
    assert page_file(site / language, "70-Kotlin/flows/") in targets
    assert page_file(site / language, "70-Kotlin/q-a--kotlin--easy/") in targets
    # The note called index.md is published elsewhere, and listed from there.
    assert page_file(site / language, "_notes/70-Kotlin/") is not None


def test_difficulty_index_counts_the_levels(site):
    page = page_file(site / "en", "difficulty/")
    assert page is not None
    text = _text(page.read_text("utf-8"))
    assert re.search(r"Easy\s*\(1\)", text), text
    assert re.search(r"Hard\s*\(2\)", text) and re.search(r"Medium\s*\(1\)", text)
    ru = _text(page_file(site / "ru", "difficulty/").read_text("utf-8"))
    assert re.search(r"Сложный\s*\(2\)", ru)


@pytest.mark.parametrize(("language", "home"), [("en", "Home"), ("ru", "Главная")])
def test_note_pages_have_breadcrumbs_to_home_and_folders(site, language, home):
    page = page_file(site / language, "70-Kotlin/flows/q-c--kotlin--medium/")
    html = page.read_text("utf-8")
    nav = re.search(r'<nav class="kb-breadcrumbs".*?</nav>', html, re.S)
    assert nav is not None and 'itemtype="https://schema.org/BreadcrumbList"' in nav.group(0)
    names = re.findall(r'itemprop="name"[^>]*>([^<]+)<', nav.group(0))
    title = "Gamma" if language == "en" else "Гамма"
    assert names == [home, "Kotlin", "Flows", title]
    hrefs = re.findall(r'href="([^"]+)"', nav.group(0))
    assert [page_file(site / language, resolve(site / language, page, href)) for href in hrefs] == [
        page_file(site / language, ""), page_file(site / language, "70-Kotlin/"),
        page_file(site / language, "70-Kotlin/flows/")]


def _pages(notes: Path, language: str = "en") -> dict[str, str]:
    from generator.graph.links import build_graph
    from generator.notes.load import load_vault
    from generator.site.render import render_language

    vault = load_vault(notes)
    return {page.path: page.markdown for page in render_language(vault, build_graph(vault),
                                                                 language)}


def test_a_moc_says_its_title_once(make_vault):
    notes = make_vault({"90-MOCs/moc-kotlin.md": note_text(
        id="m-1", title="Kotlin — MOC", kind="moc",
        body="# Kotlin — Map of Content\n\n## Overview\nThe map.\n")})
    page = _pages(notes)["90-MOCs/moc-kotlin.md"]
    assert "Kotlin — Map of Content" not in page
    assert len(re.findall(r"^#+ Kotlin", page, re.M)) == 1
    assert "## Overview" in page


def test_notes_with_one_title_on_a_tag_page_are_told_apart(make_vault):
    notes = make_vault({
        f"{folder}/q-{n}--{topic}--easy.md": note_text(
            id=f"x-{n}", title="Coroutine basics / Основы", topic=topic, difficulty="easy",
            tags="[coroutines]", body="# Question (EN)\nQ?\n")
        for n, (folder, topic) in enumerate([("70-Kotlin", "kotlin"), ("40-Android", "android"),
                                             ("70-Kotlin", "kotlin")])
    } | {"70-Kotlin/q-other--kotlin--easy.md": note_text(
        id="x-9", title="Other / Другой", topic="kotlin", difficulty="easy",
        tags="[coroutines]", body="# Question (EN)\nQ?\n")})
    page = _pages(notes)["tags/coroutines.md"]
    lines = sorted(line for line in page.splitlines() if line.startswith("- [Coroutine basics"))
    hints = [line.rsplit(")", 2)[-2].rsplit("(", 1)[-1] for line in lines]
    assert len(set(hints)) == 3, lines  # file names: two share the topic and the folder
    assert "- [Other](../70-Kotlin/q-other--kotlin--easy.md)\n" in page + "\n"


def test_a_status_badge_only_where_it_is_not_the_usual_one(make_vault):
    notes = make_vault({f"10-Concepts/c-{n}.md": note_text(
        id=f"c-{n}", title=f"Concept {n}", kind="concept", status=status,
        body="# Summary (EN)\nText.\n")
        for n, status in enumerate(["draft", "draft", "reviewed"])})
    pages = _pages(notes)
    assert "kb-status" not in pages["10-Concepts/c-0.md"]
    assert '<span class="kb-badge kb-status">' in pages["10-Concepts/c-2.md"]
