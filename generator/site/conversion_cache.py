"""A content-hash cache of each page's Markdown -> HTML conversion, shared between builds.

MkDocs converts every page on every build, and conversion (Python-Markdown, Pygments) is
most of a build's time; between two builds of a knowledge base most pages do not change. This
is a Python-Markdown extension (listed in mkdocs.yml, like `SafeLinks`), not a MkDocs plugin:
a build turns it on in its process with `activate` (or `during_build`), and `save()` writes what
the build used. Turned off (a plain `mkdocs build` of an emitted project, another engine, `serve`
of a project without a cache) it does nothing at all, and does not even import the engine
boundary (engine.py), which insists on the MkDocs versions kb was written for.

A page is looked up by the hash of everything its HTML depends on:
- its Markdown, and its path in the docs (MkDocs rewrites relative links from there);
- for every relative link in it, whether that file exists (MkDocs rewrites a link to an
  existing page and warns about one to a missing page);
- the Markdown configuration, the versions of the libraries that convert it and all of this
  package's code and templates (`fingerprint`).
On a hit Python-Markdown is handed an empty text instead of the page's, the stored HTML
becomes the conversion's output, and what MkDocs reads off a conversion besides the HTML (the
table of contents, the title, the ids on the page, raw HTML's included, its links to anchors,
the warnings it logged) is put back as the conversion left it: a build from the cache prints
the same warnings, anchor validation's included, and writes the same pages as one without.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import posixpath
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from .. import resources

FORMAT = 4  # bump when the stored entry changes shape (3: with its checksum, 4: anchors' links)
_LIBRARIES = ("markdown", "pymdown-extensions", "pygments", "mkdocs", "mkdocs-material")
# Link and image targets as MkDocs' link rewriting sees them: `](x)`, `]: x`, and href/src of
# HTML that md_in_html puts in the tree. One pattern each, so that each starts with a literal
# that the regex engine finds fast (a page is scanned at every build, hit or miss).
_TARGETS = (
    re.compile(r"""\]\(\s*<?([^\s)>"'#?]+)"""),
    re.compile(r"""(?:href|src)=["']([^\s)>"'#?]+)"""),
    re.compile(r"""^[ ]{0,3}\[[^\]\n]+\]:[ \t]*<?([^\s)>"'#?]+)""", re.M),
)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
log = logging.getLogger(__name__)


@dataclass
class _Store:
    """One language's cache: a folder with a file per page, named by the page's key."""

    folder: Path
    fingerprint: str
    stored: set[str]  # keys with a file in the folder, for this fingerprint
    used: set[str] = field(default_factory=set)  # keys this build looked up and found
    converted: dict[str, list[Any]] = field(default_factory=dict)  # entries of this build

    @property
    def hits(self) -> int:
        return len(self.used)

    @property
    def misses(self) -> int:
        return len(self.converted)

    def get(self, key: str) -> list[Any] | None:
        """The stored entry, or None for a page to convert: no entry, or one that cannot be
        read, decoded or verified, or is not an entry (a cache only ever costs time; the
        fresh conversion replaces it when the cache is saved)."""
        if key not in self.stored:
            return None
        entry = _read_entry(self.folder / f"{key}.json")
        if entry is None:
            log.debug("conversion cache: entry %s is damaged, the page is converted again", key)
            return None
        self.used.add(key)
        return entry


_ENTRY_FIELDS = 5  # html, toc tokens, toc, what MkDocs reads off the conversion, warnings


# An entry's file: `{"sha256":"<checksum>","entry":<payload>}`, the checksum the SHA-256 of the
# payload's bytes as written. JSON that decodes is no proof that the file is the one the build
# wrote (a disk, a restored CI cache archive or a hand can change a character of its HTML,
# which would be published and then kept); the checksum is. It is checked over the bytes as
# stored, by their place in the file, which costs 6 us a page against 70 us to serialise the
# decoded entry again; a file not laid out so is not an entry.
_HEAD, _MIDDLE, _TAIL = b'{"sha256":"', b'","entry":', b"}"
_CHECKSUM_END = len(_HEAD) + 64  # hex digits of a SHA-256
_PAYLOAD_START = _CHECKSUM_END + len(_MIDDLE)


def _entry_bytes(entry: list[Any]) -> bytes:
    payload = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return _HEAD + hashlib.sha256(payload).hexdigest().encode() + _MIDDLE + payload + _TAIL


def _read_entry(path: Path) -> list[Any] | None:
    """The entry stored in `path` if it is whole, as written and of the shape `_Keep` puts
    back, else None."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    payload = data[_PAYLOAD_START:-len(_TAIL)]
    if not (data.startswith(_HEAD) and data[_CHECKSUM_END:_PAYLOAD_START] == _MIDDLE
            and data.endswith(_TAIL)
            and hashlib.sha256(payload).hexdigest().encode() == data[len(_HEAD):_CHECKSUM_END]):
        return None
    try:
        entry = json.loads(payload.decode("utf-8"))
    except (ValueError, RecursionError):  # a checksum of bytes that were never an entry
        return None
    return entry if _is_entry(entry) else None


def _are_toc_tokens(tokens: Any) -> bool:
    """Python-Markdown's table of contents as MkDocs reads it (mkdocs.structure.toc)."""
    return isinstance(tokens, list) and all(
        isinstance(token, dict) and isinstance(token.get("level"), int)
        and isinstance(token.get("id"), str) and isinstance(token.get("name"), str)
        and _are_toc_tokens(token.get("children")) for token in tokens)


def _is_entry(entry: Any) -> bool:
    """What `_Keep` reads off an entry, each field of the kind it uses: a checksum says that the
    file is as written, not that what was written is an entry of this format."""
    from .engine import is_conversion_record

    if not isinstance(entry, list) or len(entry) != _ENTRY_FIELDS:
        return False
    html, toc_tokens, toc, record, warnings = entry
    return (isinstance(html, str) and _are_toc_tokens(toc_tokens) and isinstance(toc, str)
            and is_conversion_record(record)
            and isinstance(warnings, list)
            and all(isinstance(warning, list) and len(warning) == 2
                    and all(isinstance(part, str) for part in warning) for warning in warnings))


_FINGERPRINT_FILE = "FINGERPRINT"
_store: _Store | None = None


def fingerprint(*parts: str) -> str:
    """What every page's HTML depends on besides its own text: the given parts (the Markdown
    configuration), the versions of the converting libraries, and all of this package's code
    and templates (resources.code_fingerprint: no list of the modules that matter to keep)."""
    digest = hashlib.sha256(f"format {FORMAT}".encode())
    for name in _LIBRARIES:
        try:
            digest.update(f"{name} {metadata.version(name)}\n".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name} -\n".encode())
    digest.update(f"code {resources.code_fingerprint()}\n".encode())
    for part in parts:
        digest.update(part.encode())
    return digest.hexdigest()


def activate(folder: Path, fingerprint_: str) -> None:
    """Turn the cache on in this process, with the pages stored in `folder` (a missing
    folder, or one written for another fingerprint, is an empty cache)."""
    global _store
    stored: set[str] = set()
    try:
        if (folder / _FINGERPRINT_FILE).read_bytes() == fingerprint_.encode("utf-8"):
            stored = {name[:-5] for name in os.listdir(folder) if name.endswith(".json")}
    except OSError:  # no folder, or no marker: an empty cache, which `save` starts afresh
        pass
    _store = _Store(folder, fingerprint_, stored)


def activate_for(folder: Path | None, base_config: Path) -> bool:
    """Turn the cache on with the pages in `folder` (None: no cache, nothing done), for pages
    converted with the Markdown configuration of `base_config`; return whether it is on."""
    if folder is None:
        return False
    activate(folder, fingerprint(base_config.read_text(encoding="utf-8")))
    return True


@contextmanager
def during_build(folder: Path | None, base_config: Path, prune: bool = True
                 ) -> Iterator[list[int]]:
    """The cache on (`activate_for`) while MkDocs runs in this process; saved only when the
    build succeeds, without the pages it did not use if `prune` (a build that converted every
    page). Yields [hits, misses], filled in at the end."""
    counts = [0, 0]
    if not activate_for(folder, base_config):
        yield counts
        return
    try:
        yield counts
    except BaseException:
        deactivate()
        raise
    counts[:] = save(prune)


def save(prune: bool = True) -> tuple[int, int]:
    """Write the pages this build converted and turn the cache off; return (hits, misses).
    With `prune` (a build that converted every page), delete the pages it did not use: a page
    that changed, a note deleted, another fingerprint. Each file is written whole under a
    temporary name first: an interrupted save leaves only complete entries."""
    global _store
    store, _store = _store, None
    if store is None:
        return 0, 0
    if store.folder.is_file() or store.folder.is_symlink():  # not the folder it should be
        store.folder.unlink()
    store.folder.mkdir(parents=True, exist_ok=True)
    marker = store.folder / _FINGERPRINT_FILE
    if not store.stored:  # a new folder, or one of another fingerprint: its files all go
        _write(marker, store.fingerprint.encode("utf-8"))
    for key, entry in store.converted.items():
        _write(store.folder / f"{key}.json", _entry_bytes(entry))
    keep = store.used | set(store.converted)
    for name in os.listdir(store.folder) if prune or not store.stored else ():
        if name.endswith(".json") and name[:-5] not in keep:
            _remove(store.folder / name)
    return store.hits, store.misses


def _write(path: Path, data: bytes) -> None:
    # Not files.write_atomic: that one syncs every file to disk and keeps a note's permissions,
    # which a cold build's thousands of cache entries (rebuildable at will) do not need.
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        if path.is_dir() and not path.is_symlink():  # damage in the way of the entry
            shutil.rmtree(path)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def deactivate() -> None:
    """Turn the cache off without writing it (a failed build)."""
    global _store
    _store = None


class _Recorder(logging.Handler):
    """Collects the warnings MkDocs logs while one page is converted."""

    def __init__(self, logger: logging.Logger) -> None:
        super().__init__(level=logging.WARNING)
        self.logger = logger
        self.records: list[tuple[str, str]] = []
        logger.addHandler(self)
        _recording.append(self)

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.getMessage()))

    def stop(self) -> None:
        self.logger.removeHandler(self)
        if self in _recording:
            _recording.remove(self)


_recording: list[_Recorder] = []


class _Lookup(Preprocessor):
    """First of all preprocessors: on a hit, there is nothing left to convert."""

    def __init__(self, md: Markdown, state: dict[str, Any]):
        super().__init__(md)
        self.state = state

    def run(self, lines: list[str]) -> list[str]:
        # A conversion that raised (serve goes on after a broken page) left its recorder on.
        for stale in list(_recording):
            stale.stop()
        self.state.clear()
        if _store is None:
            return lines
        from . import engine

        page = engine.converting(self.md)
        if page is None:  # not in a MkDocs build
            return lines
        text = "\n".join(lines)
        key = _key(text, page.path, page.exists)
        self.state["key"] = key
        entry = _store.get(key)
        if entry is None:
            self.state["recorder"] = _Recorder(logging.getLogger(engine.LOGGER))
            return lines
        self.state["entry"] = entry
        return []


class _TreeDone(Treeprocessor):
    """Last of all tree processors: from here on, a run of the postprocessors is the one over
    the whole page. (Before, Python-Markdown's toc runs them over each heading's text.)"""

    def __init__(self, md: Markdown, state: dict[str, Any]):
        super().__init__(md)
        self.state = state

    def run(self, root: Element) -> None:
        self.state["final"] = True


class _Keep(Postprocessor):
    """Last of all postprocessors: on a miss, keep what the conversion produced; on a hit, put
    back what the skipped conversion would have left on the Markdown instance."""

    def __init__(self, md: Markdown, state: dict[str, Any]):
        super().__init__(md)
        self.state = state

    def run(self, text: str) -> str:
        if "key" not in self.state or not self.state.get("final") or _store is None:
            return text
        del self.state["final"]
        from . import engine

        md: Any = self.md
        entry = self.state.get("entry")
        if entry is not None:
            html, toc_tokens, toc, record, warnings = entry
            md.toc_tokens, md.toc = toc_tokens, toc
            engine.restore_conversion(md, record)
            for name, message in warnings:
                logging.getLogger(name).warning(message)
            return html
        recorder: _Recorder = self.state["recorder"]
        recorder.stop()
        _store.converted[self.state["key"]] = [
            text, getattr(md, "toc_tokens", []), getattr(md, "toc", ""),
            engine.conversion_record(md), recorder.records]
        return text


def _key(text: str, src_uri: str, exists: Callable[[str], bool]) -> str:
    folder = posixpath.dirname(src_uri)
    found = []
    for pattern in _TARGETS:
        for target in pattern.findall(text):
            if _SCHEME.match(target) or target.startswith("/"):
                continue
            resolved = posixpath.normpath(posixpath.join(folder, target))
            found.append(f"{target}={'1' if exists(resolved) else '0'}")
    digest = hashlib.sha256(_store.fingerprint.encode() if _store else b"")
    digest.update(src_uri.encode())
    digest.update(b"\0")
    digest.update("\n".join(found).encode())
    digest.update(b"\0")
    digest.update(text.encode())
    return digest.hexdigest()


class ConversionCache(Extension):
    """mkdocs.yml: `generator.site.conversion_cache:ConversionCache`, first in the list."""

    def extendMarkdown(self, md: Markdown) -> None:
        state: dict[str, Any] = {}
        # Before every other preprocessor (Python-Markdown's own start at 30), after every
        # other tree processor (SafeLinks: -100) and postprocessor (Python-Markdown's end at 10).
        md.preprocessors.register(_Lookup(md, state), "kb_cache_lookup", 1000)
        md.treeprocessors.register(_TreeDone(md, state), "kb_cache_tree_done", -1000)
        md.postprocessors.register(_Keep(md, state), "kb_cache_store", -1000)
