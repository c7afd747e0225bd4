"""What a build keeps of its output for the next one, so that a rebuild writes only the pages
whose Markdown changed.

The conversion cache (conversion_cache.py) spares a rebuild Python-Markdown's work, but MkDocs
still renders every page through the theme and writes it: some 4 s a language on the real vault,
most of a rebuild. MkDocs' dirty mode skips both for a page whose Markdown file is older than its
HTML. On its own that mode is unsafe (a page's HTML depends on more than its own file, and MkDocs
writes into the site in place), so this module says when it is safe and gives MkDocs a folder it
may write into:

- Each language's project is kept in the cache folder (`project-<language>/`), and a page's
  Markdown is written only when it changed, so that file times say which pages changed.
- Each language's output is kept too (`site-<language>/`): hard links to the files of the site
  that was published, so no second copy on disk. A build starts from hard links to it.
- It is used only when all else a page's HTML depends on is as it was (`State`): the language's
  MkDocs configuration, the top-level mkdocs.yml, the versions of the libraries, all of this
  package's code, templates and theme overrides (resources.code_fingerprint), and the list of
  files in the docs (MkDocs rewrites a link by whether its target exists). Otherwise the build
  is a full one.
- The engine unlinks every file MkDocs is about to write before it runs (engine.py), so that
  MkDocs writes a new file instead of into the one shared with the published site, which a
  failed build must leave as it was.
- The kept output is used only if its files are as the build left them (size and time of each):
  a tool that rewrites a file of `site/` in place after the build rewrites the kept one too,
  since they are one file.
- MkDocs' warnings are kept per page, and a page that is not rebuilt has its warnings of the
  last build printed again, as the conversion cache does for a page it converts. Each page's
  anchors are kept too (engine.PageAnchors), so that MkDocs validates the links to anchors of
  every page, rebuilt or not, as a full build does.

What a language's build leaves (`stage`) becomes the next build's start only once the whole site
is in place (`commit`); a failed build leaves the previous one (`discard`).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import conversion_cache
from .engine import PageAnchors, Warnings

if TYPE_CHECKING:
    from .project import Project

FORMAT = 3  # bump when the manifest changes shape (2: stamps, 3: anchors)


@dataclass(frozen=True)
class State:
    """What every page's HTML depends on besides its own Markdown."""

    fingerprint: str  # configuration, theme, code
    files: tuple[str, ...]  # every file in the docs, docs-relative, sorted


def state(project: Project, base_config: Path) -> State:
    """What the emitted `project`'s pages depend on besides their Markdown: its configuration
    without the parts that differ between two builds of the same site (the staging folder's
    name), the base configuration, the code (conversion_cache.fingerprint holds all of it) and
    Pagefind's version, and the files its docs hold."""
    digest = hashlib.sha256(f"format {FORMAT}\n".encode())
    digest.update(conversion_cache.fingerprint(base_config.read_text(encoding="utf-8")).encode())
    try:
        digest.update(f"pagefind {metadata.version('pagefind')}\n".encode())
    except metadata.PackageNotFoundError:
        digest.update(b"pagefind -\n")
    digest.update(project.comparable_config().encode())
    return State(digest.hexdigest(), tuple(sorted(project.docs_files())))


@dataclass(frozen=True)
class Kept:
    """What the last build's output brings to this one besides its files: MkDocs' warnings and
    the anchors of each page."""

    warnings: Warnings
    anchors: dict[str, PageAnchors]

    def merged(self, new: Warnings, rebuilt: set[str], order: Sequence[str]) -> Warnings:
        """This build's warnings per page: the new ones of the pages MkDocs rebuilt and of no
        page, the kept ones of the pages it did not."""
        result: Warnings = {"": new.get("", [])} if new.get("") else {}
        for page in order:
            warnings = new.get(page, []) if page in rebuilt else self.warnings.get(page, [])
            if warnings:
                result[page] = warnings
        return result


@dataclass(frozen=True)
class Slot:
    """One language's kept build in the cache folder."""

    cache_dir: Path
    language: str

    @property
    def project_dir(self) -> Path:
        return self.cache_dir / f"project-{self.language}"

    @property
    def site(self) -> Path:
        return self.cache_dir / f"site-{self.language}"

    @property
    def manifest(self) -> Path:
        return self.cache_dir / f"site-{self.language}.json"

    def _next(self, path: Path) -> Path:
        return path.with_name(path.name + ".next")

    def reuse(self, current: State, site_dir: Path) -> Kept | None:
        """If the last build's output can start this build, `site_dir` made of hard links to
        it, and what else it kept; else None (a full build): so too for a manifest that cannot
        be read or is not one, since a damaged cache may cost a build time but never stop it."""
        kept = self.previous(current)
        if kept is not None:
            link_tree(self.site, site_dir)
        return kept

    def previous(self, current: State) -> Kept | None:
        manifest = _read_manifest(self.manifest)
        if (manifest is None or manifest["fingerprint"] != current.fingerprint
                or manifest["files"] != list(current.files) or not self.site.is_dir()):
            return None
        try:
            if manifest["stamps"] != stamps(self.site):
                return None
        except OSError:  # a file of the kept output gone while walking it, a dangling link
            return None
        return Kept(manifest["warnings"], manifest["anchors"])

    def stage(self, site_dir: Path, current: State, warnings: Warnings,
              anchors: dict[str, PageAnchors]) -> None:
        """Keep what this language's build wrote, for `commit` once the site is in place."""
        self.discard()
        link_tree(site_dir, self._next(self.site))
        self._next(self.manifest).write_text(json.dumps(
            {"fingerprint": current.fingerprint, "files": list(current.files),
             "warnings": warnings, "stamps": stamps(self._next(self.site)),
             "anchors": {page: found.to_json() for page, found in anchors.items()}},
            ensure_ascii=False), encoding="utf-8")

    def commit(self) -> None:
        """The staged build becomes the one the next build starts from. The manifest goes first
        and comes back last: a commit cut short leaves no manifest, and so a full build next."""
        if not self._next(self.manifest).is_file():
            return
        _remove(self.manifest)
        _remove(self.site)
        os.replace(self._next(self.site), self.site)
        os.replace(self._next(self.manifest), self.manifest)

    def discard(self) -> None:
        _remove(self._next(self.site))
        _remove(self._next(self.manifest))


def _remove(path: Path) -> None:
    """Whatever is at `path`: what a cache folder holds there may not be what it should."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _read_manifest(path: Path) -> dict[str, Any] | None:
    """The manifest in `path` if it is one as `Slot.stage` writes it, else None; its anchors
    read into PageAnchors."""
    try:
        manifest = json.loads(path.read_bytes().decode("utf-8"))
    except (OSError, ValueError, RecursionError):  # unreadable, not UTF-8, not JSON
        return None
    if not isinstance(manifest, dict):
        return None
    fingerprint, files = manifest.get("fingerprint"), manifest.get("files")
    found_stamps, warnings = manifest.get("stamps"), manifest.get("warnings")
    anchors = manifest.get("anchors")
    if not (isinstance(fingerprint, str) and _strings(files)
            and isinstance(found_stamps, dict) and isinstance(warnings, dict)
            and all(_strings(messages) for messages in warnings.values())
            and isinstance(anchors, dict)):
        return None
    read = {page: PageAnchors.from_json(data) for page, data in anchors.items()}
    if any(found is None for found in read.values()):
        return None
    manifest["anchors"] = read
    return manifest


def _strings(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def stamps(folder: Path) -> dict[str, list[int]]:
    """Each file's size and modification time in whole seconds (what survives a cache that is
    saved and restored as an archive, as CI caches are), by its path in `folder`."""
    found = {}
    for parent, _, names in os.walk(folder):
        relative = Path(parent).relative_to(folder)
        for name in names:
            status = os.stat(os.path.join(parent, name))
            found[(relative / name).as_posix()] = [status.st_size, int(status.st_mtime)]
    return found


def link_tree(source: Path, target: Path) -> None:
    """`target` (which must not exist yet) with the folders of `source` and hard links to its
    files: 0.35 s for a language of the real vault, against seconds to copy it. Across file
    systems (a cache folder on another disk than the site) the files are copied, with their
    times, which MkDocs' dirty mode compares."""
    shutil.copytree(source, target, copy_function=_link_or_copy, symlinks=True)


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def flat(warnings: Warnings, order: Sequence[str]) -> list[str]:
    """The warnings of no page first, then each page's in the docs' order: the same list
    whether a page was rebuilt or kept."""
    return [*warnings.get("", []), *(w for page in order for w in warnings.get(page, []))]
