"""The MkDocs project of one language, as the generator emits it for the engine: a folder of
generated Markdown (`docs/`, with the vault's images and PDFs) and a `mkdocs.yml` that inherits
the site's base configuration (theme, features and Markdown extensions live there) and sets
only what differs per language. `build` and `serve` both emit it, through `emit_project`.

No MkDocs plugin of ours is in it, so an emitted project builds with any engine that reads
`mkdocs.yml` (Zensical included); driving MkDocs itself is engine.py's part.

The vault's own `mkdocs.yml` (its site name, colours, extra CSS…) is layered in between: the
base's settings, then the vault's, then the generator's own, which no vault file overrides.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml
from markupsafe import escape

from .. import progress, resources
from ..model import LANGUAGES, Language, Page
from ..paths import GRAPH_PAGE, MOC_INDEX, STUDY_PAGE
from . import engine
from .errors import VaultConfigError
from .i18n import STRINGS
from .output import VENDOR

# The site's base configuration and Material overrides: the repository's top-level mkdocs.yml
# and theme_overrides/, which generator/site_base/ links to, so that the wheel ships them as
# package data and an installed `kb` builds any vault (the one copy stays at the top level).
BASE_CONFIG = resources.SITE_BASE / "mkdocs.yml"
THEME_OVERRIDES = resources.SITE_BASE / "theme_overrides"

# Where builds keep the conversion cache (site/conversion_cache.py) unless told otherwise:
# beside the working directory's other tool caches, as .pytest_cache and .ruff_cache are.
DEFAULT_CACHE_DIR = Path(".cache") / "kb"


@dataclass(frozen=True)
class SiteOptions:
    site_url: str | None = None  # e.g. https://example.org/kb/ ; enables canonical URLs, sitemap
    base_config: Path = BASE_CONFIG
    cache_dir: Path | None = None  # conversion cache; None: every page is converted afresh
    # With a cache_dir: keep each language's output there, so that the next build writes only
    # the pages whose Markdown changed (site/previous_build.py).
    keep_output: bool = True
    progress: progress.Mode = "quiet"  # what the build says while it runs (progress.py)
    # The vault's own mkdocs.yml, layered over base_config (vault_options, project_config).
    vault_config: Path | None = None

    def cache_folder(self, language: Language) -> Path | None:
        return self.cache_dir / f"pages-{language}" if self.cache_dir else None


# Files to copy into every language's docs: (vault root, paths relative to it).
Assets = tuple[Path, tuple[str, ...]] | None


@dataclass(frozen=True)
class Project:
    """One language's emitted project: where it is, what its docs hold, and its mkdocs.yml as
    data (`config`, written as it is; not to be changed once made)."""

    language: Language
    folder: Path
    pages: tuple[Page, ...]
    assets: Assets
    config: dict[str, object]

    @property
    def docs_dir(self) -> Path:
        return self.folder / "docs"

    @property
    def config_file(self) -> Path:
        return self.folder / "mkdocs.yml"

    def docs_files(self) -> set[str]:
        """Every file of the docs, docs-relative: the pages and the vault's assets."""
        return docs_paths(self.pages, self.assets)

    def comparable_config(self) -> str:
        """The configuration without its folders: the staging folder's name differs per build,
        and the docs are the kept project's wherever the cache folder is."""
        config = {key: value for key, value in self.config.items()
                  if key not in ("site_dir", "docs_dir")}
        return json.dumps(config, sort_keys=True, ensure_ascii=False)


def emit_project(pages: Iterable[Page], language: Language, project_dir: Path, site_dir: Path,
                 options: SiteOptions, assets: Assets = None, shared_vendor: bool = False,
                 only_changed: bool = False) -> Project:
    """Write a language's project under `project_dir`: its docs (the pages, the vault's assets)
    and its mkdocs.yml. With `only_changed` (a project kept from the last build, or a preview's),
    files whose content is the same are left as they are, so that their times say what changed,
    and the files of the last build's that this one has not are deleted. With `shared_vendor`,
    pages load the bundled libraries from the site root (`output.share_vendor`)."""
    pages = tuple(pages)
    config = project_config(language, project_dir / "docs", site_dir, navigation(pages, language),
                            options, shared_vendor)
    project = Project(language, project_dir, pages, assets, config)
    write_pages(pages, project.docs_dir, only_changed)
    copy_assets(assets, project.docs_dir, only_changed)
    if only_changed:
        remove_other_files(project.docs_dir, project.docs_files())
    project.config_file.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False),
                                   encoding="utf-8")
    return project


def write_pages(pages: Iterable[Page], docs_dir: Path, only_changed: bool = False) -> int:
    """Write pages under `docs_dir`; with `only_changed`, skip files whose text is the same
    (so that a live-reloading server, or MkDocs' dirty mode, sees only real changes). Returns
    the number written."""
    written = 0
    for page in pages:
        target = docs_dir / page.path
        data = page.markdown.encode("utf-8")
        # Bytes, not text: a kept project's file that is no longer UTF-8 (a damaged cache) is
        # a file that changed, not a reason to fail the build. One that cannot be read too.
        if only_changed:
            try:
                if target.read_bytes() == data:
                    continue
            except OSError:
                pass
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written += 1
    return written


def copy_assets(assets: Assets, docs_dir: Path, only_changed: bool = False) -> None:
    """Copy the vault's files that notes embed into the docs; with `only_changed`, only those
    whose bytes differ (a copy's time says it changed)."""
    if not assets:
        return
    root, paths = assets
    for rel in paths:
        target = docs_dir / rel
        if only_changed and target.is_file():
            try:  # a kept file that cannot be read is one to copy again
                if target.read_bytes() == (root / rel).read_bytes():
                    continue
            except OSError:
                pass
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(root / rel, target)


def remove_other_files(docs_dir: Path, keep: set[str]) -> None:
    """Delete what a kept project's docs hold from an earlier build and this one did not write
    (a note deleted or renamed since), and the folders left empty."""
    for folder, _, names in os.walk(docs_dir, topdown=False):
        for name in names:
            path = Path(folder) / name
            if path.relative_to(docs_dir).as_posix() not in keep:
                path.unlink()
        if folder != str(docs_dir) and not os.listdir(folder):
            os.rmdir(folder)


def docs_paths(pages: Iterable[Page], assets: Assets) -> set[str]:
    """Every file of a language's docs, docs-relative: its pages and the vault's assets."""
    return {page.path for page in pages} | set(assets[1] if assets else ())


# The vault's own settings: a `mkdocs.yml` in the notes folder, else at the root of the
# repository that holds it (the folder with `.git`), where `kb init` writes one.
VAULT_CONFIG = "mkdocs.yml"
# What the generator decides whatever the vault's file says: where things are, the navigation,
# no plugins, the Markdown the pages are converted with (the page cache is keyed on the base's),
# the theme (Material, with our overrides) and its language.
GENERATOR_KEYS = frozenset({"INHERIT", "docs_dir", "site_dir", "nav", "not_in_nav", "plugins",
                            "markdown_extensions", "use_directory_urls", "hooks"})
GENERATOR_THEME_KEYS = frozenset({"name", "language", "custom_dir"})
APPENDED_KEYS = ("extra_css", "extra_javascript")  # the vault's entries come after the base's


def find_vault_config(notes_dir: Path, base_config: Path = BASE_CONFIG) -> Path | None:
    """The vault's mkdocs.yml: in the notes folder, else at the root of its repository; never
    the base configuration itself (this repository's own notes/)."""
    folder = notes_dir.resolve()
    candidates = [folder / VAULT_CONFIG]
    repository = next((path for path in (folder, *folder.parents) if (path / ".git").exists()),
                      None)
    if repository is not None:
        candidates.append(repository / VAULT_CONFIG)
    for candidate in candidates:
        if candidate.is_file():
            return None if candidate.samefile(base_config) else candidate
    return None


def vault_options(options: SiteOptions, notes_dir: Path) -> SiteOptions:
    """`options` with the vault's mkdocs.yml, if it has one (read now, so that a broken file is
    reported once, before anything is built); its `site_url` serves when none is given."""
    found = find_vault_config(notes_dir, options.base_config)
    if found is None:
        return options
    site_url = vault_settings(found).get("site_url")
    return replace(options, vault_config=found,
                   site_url=options.site_url or (site_url if isinstance(site_url, str) else None))


def vault_settings(path: Path) -> dict[str, Any]:
    """The vault's settings, read as MkDocs reads them (!ENV, its own INHERIT), without the
    keys the generator decides; plain data, as the per-language mkdocs.yml is written."""
    try:
        data = engine.load_settings(path)
    except (OSError, ValueError) as error:
        raise VaultConfigError(f"{path}: {error}") from None
    if not isinstance(data, dict):
        raise VaultConfigError(f"{path}: expected settings (key: value lines), not a "
                               f"{type(data).__name__}")
    settings = {key: value for key, value in data.items() if key not in GENERATOR_KEYS}
    if isinstance(settings.get("theme"), dict):
        settings["theme"] = {key: value for key, value in settings["theme"].items()
                             if key not in GENERATOR_THEME_KEYS}
    else:
        settings.pop("theme", None)  # `theme: material` names the theme, which is ours
    for key, value in settings.items():
        try:
            yaml.safe_dump(value)
        except yaml.YAMLError:
            raise VaultConfigError(f"{path}: {key}: a Python object (a !!python tag) cannot be "
                                   "layered over the base configuration; write plain values") from None
    return settings


def project_config(language: Language, docs_dir: Path, site_dir: Path, nav: list[object],
                   options: SiteOptions, shared_vendor: bool = False) -> dict[str, object]:
    """The per-language `mkdocs.yml`, as data: it inherits the base configuration, and sets the
    vault's settings (options.vault_config) over it and the generator's own over both. With
    `shared_vendor`, pages load the bundled libraries from the site root, where the build
    puts one copy for both languages."""
    strings = STRINGS[language]
    vault = vault_settings(options.vault_config) if options.vault_config else {}
    site_name = vault.pop("site_name", strings["site_name"])
    if isinstance(site_name, dict):  # {en: …, ru: …}: a name per language
        site_name = site_name.get(language, strings["site_name"])
    vault.pop("site_url", None)  # options.site_url (vault_options), with the language appended
    extra: dict[str, object] = {
        **(vault["extra"] if isinstance(vault.get("extra"), dict) else {}),
        "alternate": [
            {"name": STRINGS[other]["language_name"], "link": f"../{other}/", "lang": other}
            for other in LANGUAGES
        ],
        "kb_language": language,
    }
    config: dict[str, object] = {
        "INHERIT": str(options.base_config.resolve()),
        **vault,
        "site_name": site_name,
        "docs_dir": str(docs_dir),
        "site_dir": str(site_dir),
        "theme": {**vault.get("theme", {}), "language": language,
                  "custom_dir": str(THEME_OVERRIDES)},
        # Search is Pagefind's (site/search_index.py), run after MkDocs; no MkDocs plugin.
        "plugins": [],
        "extra": extra,
        "nav": nav,
        # Note pages are reached through MOCs, topics, links and search; a nav of every note
        # would put thousands of links on every page.
        "not_in_nav": "/**/*.md",
    }
    if any(key in vault for key in APPENDED_KEYS):
        base = engine.load_settings(options.base_config)
        for key in APPENDED_KEYS:
            added = vault.get(key)
            if isinstance(added, list):
                config[key] = [*base.get(key, []), *(item for item in added
                                                     if item not in base.get(key, []))]
    if shared_vendor:
        extra["kb_vendor"] = f"../{VENDOR}/"
    if options.site_url:
        root = options.site_url.rstrip("/") + "/"
        config["site_url"] = f"{root}{language}/"
        extra["kb_root_url"] = root  # hreflang (main.html)
    return config


def navigation(pages: Iterable[Page], language: Language) -> list[object]:
    """A handful of entries, the same on every page: home, the list of maps of content, topics,
    tags, study and the graph. A nav that listed notes, or even every map, would be written into
    every page of the site (Material renders the whole nav into each)."""
    strings = STRINGS[language]
    pages = list(pages)
    paths = {page.path for page in pages}
    nav: list[object] = [{strings["home"]: "index.md"}]
    if MOC_INDEX in paths:
        nav.append({strings["mocs"]: MOC_INDEX})
    nav.append({strings["topics"]: "topics/index.md"})
    nav.append({strings["tags"]: "tags/index.md"})
    if STUDY_PAGE in paths:
        nav.append({strings["study"]: STUDY_PAGE})  # study mode (site/study.py)
    for page in pages:
        if page.note is None and page.path == GRAPH_PAGE:
            # Escaped: Material writes nav titles into the HTML as they are.
            nav.append({str(escape(page.title or page.path)): GRAPH_PAGE})  # the global graph
    return nav
