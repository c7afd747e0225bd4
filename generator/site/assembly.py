"""Where the languages' builds become one site: each language's job (the folders its project and
HTML go to), the staging folder the site is assembled in, the site-wide files put there once
both languages are built (sitemaps), and the swap that publishes it.

The previous site stays untouched until the new one is complete: a failure or an interruption
leaves it as it was and removes the half-built folder, and what a killed build left is removed
by the next one (build_dirs.py). The emitted projects go to the cache folder, kept for the next
build (previous_build.py), or without one to a temporary folder, or to `project_dir` to be kept
for inspection (then the build starts afresh).
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..model import Language
from ..paths import DocsPath, page_url
from . import build_dirs, previous_build
from .project import Assets, SiteOptions
from .sitemap import write_root_sitemap, write_sitemap


@dataclass(frozen=True)
class LanguageJob:
    """Where one language's project and site go."""

    language: Language
    project_dir: Path
    site_dir: Path
    options: SiteOptions
    assets: Assets = None
    slot: previous_build.Slot | None = None  # the last build's output kept in the cache


@dataclass(frozen=True)
class LanguageBuild:
    """What one language's build produced, for the site-wide files and the report."""

    pages: tuple[DocsPath, ...]  # docs-relative paths of the language's pages
    warnings: list[str]
    seconds: dict[str, float]  # "render", "mkdocs", "search"
    cache: tuple[int, int] = (0, 0)  # pages converted from the cache, pages converted afresh
    kept: int = 0  # pages whose HTML is the last build's (not rebuilt by MkDocs)


@dataclass
class Staging:
    """The folder a site is assembled in (`folder/<language>/` each), beside the site it
    replaces, and the jobs that build into it."""

    folder: Path
    site_dir: Path
    jobs: dict[Language, LanguageJob] = field(default_factory=dict)
    published: bool = False

    def swap_into_place(self) -> None:
        """The assembled site becomes `site_dir`, in one step (build_dirs.py)."""
        build_dirs.swap_into_place(self.folder, self.site_dir)
        self.published = True


@contextlib.contextmanager
def staging(site_dir: Path, options: SiteOptions, languages: tuple[Language, ...],
            project_dir: Path | None = None, assets: Assets = None) -> Iterator[Staging]:
    """A staging folder for a new `site_dir` and each language's job. Unless the block ends
    with the site swapped into place, the folder is removed and the cache keeps the last build;
    once it is, what the languages' builds staged in the cache becomes the next build's start."""
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    build_dirs.remove_leftovers(site_dir)
    cache_dir = options.cache_dir if options.keep_output and project_dir is None else None
    with build_dirs.locked(cache_dir) if cache_dir is not None else contextlib.nullcontext():
        # Absolute: the kept project's mkdocs.yml names its docs folder, which MkDocs would
        # take as relative to the mkdocs.yml, not to the working directory.
        slots = {language: previous_build.Slot(cache_dir.resolve(), language)
                 for language in languages} if cache_dir is not None else {}
        for slot in slots.values():
            slot.discard()  # a killed build's half-staged output; under the lock, none is live
        site = Staging(build_dirs.new_staging(site_dir), site_dir)
        try:
            with build_dirs.temporary_projects() as temporary:
                projects = project_dir or temporary
                if project_dir is not None:
                    shutil.rmtree(project_dir, ignore_errors=True)
                site.jobs = {language: LanguageJob(
                    language, slots[language].project_dir if slots else projects / language,
                    site.folder / language, options, assets, slots.get(language))
                    for language in languages}
                yield site
        except BaseException:
            shutil.rmtree(site.folder, ignore_errors=True)
            for slot in slots.values():
                slot.discard()
            raise
        for slot in slots.values():
            if site.published:
                slot.commit()
            else:
                slot.discard()
        if not site.published:
            shutil.rmtree(site.folder, ignore_errors=True)


def write_sitemaps(site_dir: Path, builds: dict[Language, LanguageBuild], site_url: str) -> None:
    """Replace MkDocs' sitemap of every language with ours, and write the sitemap index and
    robots.txt at the root (sitemap.py)."""
    urls: dict[str, set[Language]] = {}
    for language, build in builds.items():
        for path in build.pages:
            if path.endswith(".md"):
                urls.setdefault(page_url(path), set()).add(language)
    for language in builds:
        write_sitemap(site_dir / language, language, urls, site_url)
    write_root_sitemap(site_dir, tuple(builds), site_url)
