"""The one module that knows MkDocs and Material from the inside.

The rest of the generator hands MkDocs a plain project (site/project.py: generated Markdown and
a mkdocs.yml) that any engine reading mkdocs.yml could build. Driving MkDocs well takes more
than its command line, and everything that reaches past its public surface is here, written
against the versions pyproject.toml pins (checked when this module is imported):

- a build (`build`): MkDocs' Python API, its plugin events `on_startup`/`on_shutdown`, the page
  it is converting (`config._current_page`) to file each warning under its page, its dirty
  mode made safe over a site of hard links (`_unlink_what_mkdocs_will_write` repeats dirty
  mode's choice of files), and its log text (the dirty-build warning, silenced);
- anchors: what MkDocs' anchor validation reads off each converted page (`PageAnchors`), read
  and put back so that a page taken from a cache is validated as a fresh one is;
- the conversion of one page (`converting`, `conversion_record`, `restore_conversion`): which
  page Python-Markdown is converting inside MkDocs, and what MkDocs' tree processors leave on
  the Markdown instance, for site/conversion_cache.py;
- the live preview's server (`serve`): MkDocs' live-reload server and dirty builds;
- Material's theme files that a site with Pagefind for search never loads.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import re
import tempfile
import time
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import resources
from ..model import Language
from ..progress import PagePhase
from .errors import EngineError, UnsupportedEngine

if TYPE_CHECKING:
    from jinja2 import Environment
    from markdown import Markdown
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.plugins import BasePlugin
    from mkdocs.structure.files import Files

log = logging.getLogger(__name__)

DISTRIBUTION = "kb-generator"  # pyproject.toml's [project] name
ENGINE_PACKAGES = ("mkdocs", "mkdocs-material")  # the packages whose internals are used here
LOGGER = "mkdocs"  # MkDocs logs its warnings, and its extensions' (Python-Markdown's), here

# Material's theme files a site without Material's search plugin never loads: its lunr worker
# and languages, and the source maps of its scripts (fetched only by developer tools).
MATERIAL_UNUSED_FOLDERS = ("assets/javascripts/lunr", "assets/javascripts/workers")
MATERIAL_SOURCE_MAPS = "assets/*/*.min.*.map"

# What MkDocs logs at every dirty build; the dirty builds here are made safe (previous_build.py,
# serve.py's BuiltFrom), and authors read the warning as "my site is broken".
_DIRTY_WARNING = "A 'dirty' build is being performed"
_ANCHORS_PLUGIN = "kb-anchors"  # the name `_AnchorKeeper` is registered under, for one build


def pinned_versions() -> dict[str, str]:
    """The version ranges of ENGINE_PACKAGES that pyproject.toml pins, read from it in a checkout
    (the installed metadata of an editable install is as old as its last install), else from
    the installed package's metadata (a wheel)."""
    requirements: list[str] = []
    try:
        with (resources.PACKAGE.parent / "pyproject.toml").open("rb") as stream:
            project = tomllib.load(stream).get("project", {})
        if project.get("name") == DISTRIBUTION:
            requirements = list(project.get("dependencies", []))
    except (OSError, tomllib.TOMLDecodeError):
        pass
    if not requirements:
        with contextlib.suppress(metadata.PackageNotFoundError):
            requirements = metadata.requires(DISTRIBUTION) or []
    pins = {}
    for text in requirements:
        # name[extras] specifiers ; marker — read without `packaging`, which comes with MkDocs
        found = _REQUIREMENT.match(text)
        if found and found["name"].lower().replace("_", "-") in ENGINE_PACKAGES:
            pins[found["name"].lower().replace("_", "-")] = found["specifiers"].replace(" ", "")
    return pins


_REQUIREMENT = re.compile(r"\s*(?P<name>[A-Za-z0-9._-]+)\s*(?:\[[^\]]*\])?\s*(?P<specifiers>[^;]*)")


def check_versions(installed: Callable[[str], str] = metadata.version) -> None:
    """Raise UnsupportedEngine, with what to install, when an engine package is missing or
    outside its pinned range. `installed`: a package's installed version (tests pass their own)."""
    pins = pinned_versions()
    problems = []
    for name in ENGINE_PACKAGES:
        try:
            version = installed(name)
        except metadata.PackageNotFoundError:
            problems.append((name, "not installed"))
            continue
        if name in pins:
            from packaging.specifiers import SpecifierSet

            if not SpecifierSet(pins[name]).contains(version, prereleases=True):
                problems.append((name, f"{version} is installed"))
    if problems:
        wanted = " ".join(f"'{name}{pins.get(name, '')}'" for name, _ in problems)
        found = "; ".join(f"{name}: {what}" for name, what in problems)
        raise UnsupportedEngine(
            f"kb drives MkDocs through internals of the versions it was written for "
            f"({', '.join(f'{name}{pin}' for name, pin in pins.items())}, pyproject.toml); "
            f"{found}. Install those: pip install {wanted}")


check_versions()


# -- anchors -------------------------------------------------------------------------------

Warnings = dict[str, list[str]]  # MkDocs' warnings by the docs-relative page ("": of no page)
Links = tuple[tuple[str, tuple[tuple[str, str], ...]], ...]


@dataclass(frozen=True)
class PageAnchors:
    """What MkDocs' anchor validation reads off a converted page: the ids on it (from the tree
    and from raw HTML) and its links to anchors, (target page, ((anchor, link as written), …))
    in the order of the page, as MkDocs reports them."""

    ids: tuple[str, ...]
    links: Links = ()

    def to_json(self) -> list[Any]:
        return [list(self.ids), [[target, [list(pair) for pair in pairs]]
                                 for target, pairs in self.links]]

    @classmethod
    def from_json(cls, data: Any) -> PageAnchors | None:
        """The anchors `to_json` wrote, or None for anything else (a damaged cache)."""
        if not (isinstance(data, list) and len(data) == 2 and _strings(data[0])
                and isinstance(data[1], list)):
            return None
        links = []
        for link in data[1]:
            if not (isinstance(link, list) and len(link) == 2 and isinstance(link[0], str)
                    and isinstance(link[1], list)
                    and all(_strings(pair) and len(pair) == 2 for pair in link[1])):
                return None
            links.append((link[0], tuple((anchor, written) for anchor, written in link[1])))
        return cls(tuple(data[0]), tuple(links))


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _links(links_to_anchors: dict[Any, dict[str, str]] | None) -> Links:
    return tuple((file.src_uri, tuple(anchors.items()))
                 for file, anchors in (links_to_anchors or {}).items())


def _links_to_anchors(links: Links, files: Files) -> dict[Any, dict[str, str]]:
    found = ((files.get_file_from_path(target), pairs) for target, pairs in links)
    return {file: dict(pairs) for file, pairs in found if file is not None}


def _validates_anchors() -> bool:
    # MkDocs keeps a page's links to anchors only then (mkdocs.structure.pages.Page.render).
    return logging.getLogger("mkdocs.structure.pages").getEffectiveLevel() > logging.DEBUG


class _AnchorKeeper:
    """Every page's anchors after a build; in a dirty build, first gives the pages MkDocs does
    not read the anchors they had at the last build, so that its anchor validation covers every
    page as a full build's does. Its `on_env` runs as a plugin's (`_as_plugin`), once all
    pages are read and before any is written or validated."""

    def __init__(self, kept: dict[str, PageAnchors]):
        self.kept = kept
        self.files: Files | None = None

    def on_env(self, files: Files) -> None:
        self.files = files
        for file in files.documentation_pages():
            page, anchors = file.page, self.kept.get(file.src_uri)
            if page is not None and page.present_anchor_ids is None and anchors is not None:
                page.present_anchor_ids = set(anchors.ids)
                if _validates_anchors():
                    page.links_to_anchors = _links_to_anchors(anchors.links, files)

    def anchors(self) -> dict[str, PageAnchors]:
        found = {}
        for file in self.files.documentation_pages() if self.files is not None else ():
            page = file.page
            if page is not None and page.present_anchor_ids is not None:
                found[file.src_uri] = PageAnchors(tuple(sorted(page.present_anchor_ids)),
                                                  _links(page.links_to_anchors))
        return found


def _as_plugin(keeper: _AnchorKeeper) -> BasePlugin[Any]:
    """`keeper` as a MkDocs plugin, registered for one build (the emitted projects have none)."""
    from mkdocs.config.base import Config
    from mkdocs.plugins import BasePlugin

    class NoOptions(Config):
        """The plugin takes no options."""

    class AnchorPlugin(BasePlugin[NoOptions]):
        def on_env(self, env: Environment, /, *, config: MkDocsConfig, files: Files
                   ) -> Environment | None:
            keeper.on_env(files)
            return env

    return AnchorPlugin()


# -- a build -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Built:
    """What one language's MkDocs build did."""

    warnings: Warnings
    dirty: bool  # only the changed pages were built, over the last build's output
    rebuilt: dict[str, str]  # a dirty build's pages (Markdown path: HTML path, site-relative)
    anchors: dict[str, PageAnchors]  # every page's, for the next dirty build

    def html_written(self, site_dir: Path) -> list[Path] | None:
        """The HTML files this build wrote under `site_dir`: None for all of them (a full
        build); else its pages and the theme's 404 page, which MkDocs renders at every build."""
        if not self.dirty:
            return None
        return [site_dir / html for html in ["404.html", *self.rebuilt.values()]]


def build(config_file: Path, kept: dict[str, PageAnchors] | None = None,
          counting: Callable[[int], contextlib.AbstractContextManager[OnPage | None]] | None = None,
          pages: int = 0) -> Built:
    """Build one MkDocs project in this process; returns MkDocs' warnings by the page they are
    about. With `kept` (the pages' anchors at the last build), a dirty build: the site folder
    holds the last build's output, and only the pages whose Markdown is newer than their HTML
    are built (MkDocs' dirty mode); every file MkDocs writes is unlinked first. `counting(n)`:
    a context that counts the n pages MkDocs converts (progress.py), giving what to call for each
    page; `pages`: how many a full build converts."""
    from mkdocs.commands import build as mkdocs_build
    from mkdocs.config import load_config

    dirty = kept is not None
    warnings: Warnings = {}
    config = None

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            page = getattr(config, "_current_page", None) if config is not None else None
            warnings.setdefault(page.file.src_uri if page is not None else "",
                                []).append(record.getMessage())

    handler = Collect(level=logging.WARNING)
    mkdocs_log = logging.getLogger(LOGGER)
    mkdocs_log.addHandler(handler)
    keeper = _AnchorKeeper(kept or {})
    try:
        config = load_config(config_file=str(config_file))
        config.plugins[_ANCHORS_PLUGIN] = _as_plugin(keeper)
        rebuilt = _unlink_what_mkdocs_will_write(config) if dirty else {}
        config.plugins.on_startup(command="build", dirty=dirty)
        # The pages MkDocs is about to convert, counted for the progress display (`counting`).
        count = counting(len(rebuilt) if dirty else pages) if counting else contextlib.nullcontext(None)
        try:
            with count as on_page, _build_log(on_page):
                mkdocs_build.build(config, dirty=dirty)
        finally:
            config.plugins.on_shutdown()
    except Exception as error:  # MkDocs raises many kinds; all mean this language failed
        raise EngineError(f"MkDocs failed for {config_file}: {error}") from error
    finally:
        mkdocs_log.removeHandler(handler)
    return Built(warnings, dirty, rebuilt, keeper.anchors())


OnPage = Callable[[PagePhase], None]
# MkDocs says nothing per page at its default level; its debug records say when a page is read
# and converted (most of a build's time), then written through the theme.
_PAGE_RECORDS: dict[str, PagePhase] = {"Reading: ": "converting", "Building page ": "writing"}


class _BuildLog(logging.Filter):
    """On MkDocs' build logger: drops its warning that a dirty build is inaccurate (neither the
    build's warnings nor the terminal get it) and, with `on_page`, turns its per-page debug
    records into calls of `on_page` (no handler sees them); other records pass as before."""

    def __init__(self, on_page: OnPage | None, passes: int):
        super().__init__()
        self.on_page, self.passes = on_page, passes

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.levelno != logging.DEBUG or self.on_page is None:
            return record.levelno >= self.passes and not message.startswith(_DIRTY_WARNING)
        phase = next((name for prefix, name in _PAGE_RECORDS.items() if message.startswith(prefix)), None)
        if phase is not None:
            self.on_page(phase)
        return False


@contextlib.contextmanager
def _build_log(on_page: OnPage | None = None) -> Iterator[None]:
    """While the block runs, filter MkDocs' build log (`_BuildLog`)."""
    build_log = logging.getLogger("mkdocs.commands.build")
    level = build_log.level
    log_filter = _BuildLog(on_page, build_log.getEffectiveLevel())
    if on_page is not None:
        build_log.setLevel(logging.DEBUG)
    build_log.addFilter(log_filter)
    try:
        yield
    finally:
        build_log.removeFilter(log_filter)
        build_log.setLevel(level)


def _unlink_what_mkdocs_will_write(config: MkDocsConfig) -> dict[str, str]:
    """Before a dirty build over hard links to the published site: unlink every file MkDocs
    will write (it opens them for writing, which would change the published copy too): the
    files it finds modified, as its dirty mode decides, and the templates it renders at every
    build, the theme's and the configuration's `extra_templates`. Returns the pages among them
    (Markdown path: HTML path)."""
    from mkdocs.structure.files import get_files

    files = get_files(config)
    files.add_files_from_theme(config.theme.get_env(), config)
    site_dir = Path(config.site_dir)
    pages = {}
    for file in files:
        if file.is_modified():
            Path(file.abs_dest_path).unlink(missing_ok=True)
            if file.is_documentation_page():
                pages[file.src_uri] = file.dest_uri
    for template in config.theme.static_templates:
        (site_dir / template).unlink(missing_ok=True)
        (site_dir / f"{template}.gz").unlink(missing_ok=True)
    for name in config.extra_templates:  # written where the docs file would be copied
        extra = files.get_file_from_path(name)
        if extra is not None:
            Path(extra.abs_dest_path).unlink(missing_ok=True)
    return pages


def load_settings(path: Path) -> Any:
    """A mkdocs.yml as MkDocs reads it (its `!ENV` tags, its own INHERIT). Raises OSError, or
    ValueError with MkDocs' message for a file it cannot read."""
    from mkdocs.exceptions import ConfigurationError
    from mkdocs.utils.yaml import yaml_load

    with path.open("rb") as stream:
        try:
            return yaml_load(stream)
        except ConfigurationError as error:
            raise ValueError(str(error)) from None


# -- one page's conversion (site/conversion_cache.py) --------------------------------------

@dataclass(frozen=True)
class Converting:
    """The page MkDocs is converting."""

    path: str  # docs-relative, as links from it are resolved
    exists: Callable[[str], bool]  # whether the docs hold a file at a docs-relative path


def converting(md: Markdown) -> Converting | None:
    """The page MkDocs converts with `md`, or None when `md` is not in a MkDocs build (its link
    rewriting tree processor, which knows the page and the docs' files, is not registered)."""
    if "relpath" not in md.treeprocessors:
        return None
    relpath: Any = md.treeprocessors["relpath"]
    files = relpath.files
    return Converting(relpath.file.src_uri, lambda path: files.get_file_from_path(path) is not None)


def _processor(registry: Any, name: str) -> Any:
    return registry[name] if name in registry else None


def conversion_record(md: Markdown) -> list[Any]:
    """What MkDocs reads off `md` after converting a page, besides the HTML and Python-Markdown's
    table of contents: the title (its first h1), the anchors on the page and its links to
    anchors. JSON data, for `restore_conversion`."""
    title = _processor(md.treeprocessors, "mkdocs_extract_title")
    tree_ids = _processor(md.treeprocessors, "mkdocs_extract_anchors")
    raw_ids = _processor(md.preprocessors, "mkdocs_raw_html")  # ids in raw HTML
    relpath = _processor(md.treeprocessors, "relpath")
    ids = set(tree_ids.present_anchor_ids if tree_ids is not None else ()) \
        | set(raw_ids.present_anchor_ids if raw_ids is not None else ())
    links = _links(relpath.links_to_anchors if relpath is not None else None)
    return [title.title if title is not None else None,
            PageAnchors(tuple(sorted(ids)), links).to_json()]


def is_conversion_record(value: Any) -> bool:
    return (isinstance(value, list) and len(value) == 2
            and (value[0] is None or isinstance(value[0], str))
            and PageAnchors.from_json(value[1]) is not None)


def restore_conversion(md: Markdown, record: list[Any]) -> None:
    """Put back on `md` what converting the page left there (`conversion_record`), for a page
    whose conversion was skipped: MkDocs then titles the page, collects its anchors and
    validates its links to anchors as after a conversion. The ids go on the tree's collector;
    the raw HTML one found none in the empty text it was given, and MkDocs takes the union."""
    heading, data = record
    anchors = PageAnchors.from_json(data) or PageAnchors(())
    title = _processor(md.treeprocessors, "mkdocs_extract_title")
    tree_ids = _processor(md.treeprocessors, "mkdocs_extract_anchors")
    relpath = _processor(md.treeprocessors, "relpath")
    if title is not None:
        title.title = heading
    if tree_ids is not None:
        tree_ids.present_anchor_ids = set(anchors.ids)
    if relpath is not None:
        relpath.links_to_anchors = _links_to_anchors(anchors.links, relpath.files)


# -- the live preview (serve.py) -----------------------------------------------------------

# One language's dirty build, as serve.py runs it: (language, the build, where a docs file's
# output is in the site, the language's site folder).
Rebuild = Callable[[Language, Callable[[], None], Callable[[str], Path], Path], None]


def serve(config_files: dict[Language, Path], docs_dirs: dict[Language, Path], dev_addr: str,
          rebuild: Rebuild, prepare_root: Callable[[Path], None]) -> None:
    """`mkdocs serve --dirty` (mkdocs/commands/serve.py, without its plugin events: the
    projects have no plugins) of every language into one folder, `<language>/` each, until
    Ctrl-C. Each language's build goes through `rebuild`, which runs it; `prepare_root` writes
    what the folder's root holds."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.files import File

    with tempfile.TemporaryDirectory(prefix="kb-serve-site-") as folder:
        root = Path(folder)

        def config(language: Language) -> MkDocsConfig:  # read afresh for every build
            return load_config(config_file=str(config_files[language]),
                               site_dir=str(root / language), dev_addr=dev_addr)

        def quiet_dirty_build(cfg: MkDocsConfig) -> None:
            with _build_log():
                mkdocs_build(cfg, serve_url=server.url, dirty=True)

        def builder() -> None:
            started = time.perf_counter()
            for language in config_files:
                cfg = config(language)
                cfg.site_url = f"{server.url}{language}/"

                def output(src: str, cfg: MkDocsConfig = cfg) -> Path:
                    return Path(File(src, cfg.docs_dir, cfg.site_dir,
                                     cfg.use_directory_urls).abs_dest_path)

                rebuild(language, functools.partial(quiet_dirty_build, cfg), output,
                        Path(cfg.site_dir))
            log.info("preview rebuilt in %.1fs", time.perf_counter() - started)

        prepare_root(root)
        host, port = config(next(iter(config_files))).dev_addr
        server = LiveReloadServer(builder=builder, host=host, port=port, root=str(root),
                                  mount_path="/")
        first = next(iter(config_files))

        def error_page(code: int) -> bytes | None:
            page = root / first / f"{code}.html"
            return page.read_bytes() if code in (404, 500) and page.is_file() else None

        server.error_handler = error_page
        builder()
        for language in config_files:
            server.watch(str(docs_dirs[language]))
            server.watch(str(config_files[language]))
        try:
            server.serve()
        except KeyboardInterrupt:
            log.info("preview stopped")
        finally:
            server.shutdown()

