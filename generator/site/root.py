"""The files at the site's root, beside the language folders: `index.html`, which sends each
reader to their language, and `404.html`, which static hosts (GitHub Pages) serve for any
missing address and which shows the site's 404 in the reader's language, with a search box and
the way home. Both are templates (templates/root_index.html.j2, templates/root_404.html.j2);
the texts of the 404 are those of each language's own (theme_overrides/404.html).

(The root's sitemap index and robots.txt, only for a site with a site_url, are sitemap.py's.)
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import jinja2

from .. import resources
from ..model import LANGUAGES, Language
from ..paths import HOME, MOC_INDEX, STUDY_PAGE, TOPICS_INDEX, page_url
from .i18n import STRINGS

TEMPLATES = resources.TEMPLATES

NOT_FOUND: dict[Language, dict[str, str]] = {
    "en": {"not_found": "Page not found", "heading": "Page not found", "no_page": "There is no page at this address.",
           "search_label": "Search the knowledge base", "search": "Search",
           "start_from": "Or start from one of these pages:"},
    "ru": {"not_found": "Страница не найдена", "heading": "страница не найдена", "no_page": "Такой страницы здесь нет.",
           "search_label": "Поиск по базе знаний", "search": "Найти",
           "start_from": "Или начните с одной из этих страниц:"},
}


def write_root(site_dir: Path, site_url: str | None = None) -> None:
    """Write index.html and 404.html at the root of a built site (`site_dir`, holding a folder
    per language). The 404's links start at `site_url`'s path (`/` without one: a site at
    its host's root)."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    languages = [_language(code, site_dir / code) for code in LANGUAGES]
    title = " · ".join(STRINGS[code]["site_name"] for code in LANGUAGES)
    root_url = site_url.rstrip("/") + "/" if site_url else ""
    (site_dir / "index.html").write_text(
        env.get_template("root_index.html.j2").render(title=title, root=root_url,
                                                      languages=languages), encoding="utf-8")
    root_path = urlsplit(root_url).path or "/"
    (site_dir / "404.html").write_text(
        env.get_template("root_404.html.j2").render(root=root_path, languages=languages,
                                                    codes=list(LANGUAGES)), encoding="utf-8")


def _language(code: Language, folder: Path) -> dict[str, object]:
    """What the root pages say of a language, and the pages of its site to start from (those
    that were built: a vault with no MOC has no list of maps)."""
    strings = STRINGS[code]
    pages = [(strings["home"], HOME), (strings["mocs"], MOC_INDEX),
             (strings["topics"], TOPICS_INDEX), (strings["study"], STUDY_PAGE)]
    links = [(title, page_url(path)) for title, path in pages
             if (folder / page_url(path) / "index.html").exists()]
    return {"code": code, "name": strings["language_name"], "site_name": strings["site_name"],
            "links": links, **NOT_FOUND[code]}
