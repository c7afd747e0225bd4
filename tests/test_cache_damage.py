"""A damaged cache folder can only cost a build time: whatever is wrong with a file in it, the
build takes it as missing, writes the site a build from nothing writes, and repairs the cache
(generator/site/conversion_cache.py, generator/site/previous_build.py, project.write_pages)."""

from __future__ import annotations

import hashlib
import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import build_vault, note_text
from .sitecheck import tree

NOTES = {
    "q-a.md": note_text(id="a", title="A / А", body="""
        # Question (EN)
        Paragraph of A, see [B](q-b.md).
        # Вопрос (RU)
        Абзац А, см. [Б](q-b.md).
        """),
    "q-b.md": note_text(id="b", title="B / Б", body="""
        # Question (EN)
        Paragraph of B, see [nothing](missing.md).
        # Вопрос (RU)
        Абзац Б.
        """),
}


@pytest.fixture(scope="module")
def first(tmp_path_factory):
    """The notes built once with a cache, and the site a build without a cache writes."""
    root = tmp_path_factory.mktemp("damage")
    notes = root / "notes"
    notes.mkdir()
    for name, text in NOTES.items():
        (notes / name).write_text(text, encoding="utf-8")
    build_vault(notes, root / "site", root / "cache")
    expected = build_vault(notes, root / "from-nothing", None)
    return root, tree(root / "from-nothing"), expected.engine_warnings


def _entries(cache: Path) -> list[Path]:
    entries = sorted((cache / "pages-en").glob("*.json"))
    assert entries
    return entries


def _rewrite_entries(cache: Path, change: Callable[[bytes], bytes]) -> None:
    """Every conversion-cache entry of the English pages, changed; some must change."""
    changed = 0
    for entry in _entries(cache):
        old = entry.read_bytes()
        new = change(old)
        entry.write_bytes(new)
        changed += new != old
    assert changed


def garbage(cache: Path) -> None:
    _rewrite_entries(cache, lambda data: b"\x00\x8f garbage \xff" * 3)


def entry_invalid_utf8(cache: Path) -> None:
    _rewrite_entries(cache, lambda data: data.replace(b"Paragraph", b"Para\xffgraph"))


def entry_truncated(cache: Path) -> None:
    _rewrite_entries(cache, lambda data: data[: len(data) // 2])


def entry_wrong_shape(cache: Path) -> None:
    """Valid JSON, as many fields as an entry has, none of the right kind."""
    _rewrite_entries(cache, lambda data: b"[1, 2, 3, 4, 5, 6]")


def entry_wrong_shape_checksummed(cache: Path) -> None:
    """A checksum that matches (SHA-256 of the payload's bytes, laid out as the cache writes
    an entry), over fields of the wrong kind: the checksum says the file is as written, not
    that what was written is an entry."""
    payload = json.dumps(["<p>html</p>", 5, "", [1], None, [["mkdocs", "a", "b"]]]).encode()
    checksum = hashlib.sha256(payload).hexdigest().encode()
    _rewrite_entries(cache, lambda data: b'{"sha256":"' + checksum + b'","entry":' + payload
                     + b"}")


def entry_html_altered(cache: Path) -> None:
    """The stored HTML changed and nothing else (its checksum is the old one)."""
    _rewrite_entries(cache, lambda data: data.replace(b"Paragraph", b"Altered"))


def fingerprint_invalid_utf8(cache: Path) -> None:
    (cache / "pages-en" / "FINGERPRINT").write_bytes(b"\xff\xfe\x00 not a fingerprint")


def manifest_invalid_utf8(cache: Path) -> None:
    manifest = cache / "site-en.json"
    manifest.write_bytes(manifest.read_bytes().replace(b'"warnings"', b'"warn\xffings"'))


def manifest_truncated(cache: Path) -> None:
    manifest = cache / "site-en.json"
    manifest.write_bytes(manifest.read_bytes()[:40])


def manifest_wrong_shape(cache: Path) -> None:
    """The manifest of the kept output, all as it was but its warnings."""
    manifest = cache / "site-en.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["warnings"] = {"q-a.md": 5, "q-b.md": "not a list"}
    manifest.write_text(json.dumps(data), encoding="utf-8")


def project_page_invalid_utf8(cache: Path) -> None:
    (cache / "project-en" / "docs" / "index.md").write_bytes(b"# \xff\xfe damaged\n")


# (damage, whether the rebuild keeps the last build's output). The conversion cache is read
# only for the pages MkDocs converts: its damage is shown by a build that converts them all.
CASES = {
    "entry-garbage": (garbage, False),
    "entry-invalid-utf8": (entry_invalid_utf8, False),
    "entry-truncated-json": (entry_truncated, False),
    "entry-wrong-shape": (entry_wrong_shape, False),
    "entry-wrong-shape-checksummed": (entry_wrong_shape_checksummed, False),
    "entry-html-altered": (entry_html_altered, False),
    "fingerprint-invalid-utf8": (fingerprint_invalid_utf8, True),
    "manifest-invalid-utf8": (manifest_invalid_utf8, True),
    "manifest-truncated-json": (manifest_truncated, True),
    "manifest-wrong-shape": (manifest_wrong_shape, True),
    "project-page-invalid-utf8": (project_page_invalid_utf8, True),
}


@pytest.mark.parametrize(("damage", "keep_output"), CASES.values(), ids=CASES.keys())
def test_a_damaged_cache_builds_the_site_a_build_from_nothing_builds(
        first, tmp_path, damage, keep_output):
    root, from_nothing, warnings = first
    # `cp -a`: the copy's published site and kept output share their files, as the original's.
    subprocess.run(["cp", "-a", str(root / "notes"), str(root / "cache"), str(root / "site"),
                    str(tmp_path)], check=True)
    damage(tmp_path / "cache")
    report = build_vault(tmp_path / "notes", tmp_path / "site", tmp_path / "cache",
                         keep_output=keep_output)
    assert tree(tmp_path / "site") == from_nothing
    assert report.engine_warnings == warnings
    # The damage is repaired: the next build takes every page from the cache.
    again = build_vault(tmp_path / "notes", tmp_path / "site", tmp_path / "cache",
                        keep_output=keep_output)
    assert all(misses == 0 for _, misses in again.cache.values()), again.cache
    if keep_output:
        assert again.kept == again.pages
    assert tree(tmp_path / "site") == from_nothing
