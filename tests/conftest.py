"""Shared fixtures: small vaults written to a temporary folder, and the real vault."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


def _corpus_path() -> Path:
    configured = os.environ.get("KB_CORPUS")
    if configured:
        return Path(configured)
    return REPO_ROOT.parent / "shared" / "corpus" / "vault-2025-11"


@pytest.fixture(scope="session", autouse=True)
def conversion_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Builds in the tests keep their conversion cache in one folder of the session, never in
    the repository's .cache/: the first build of a page converts it, a later build of the same
    page (another test, the same notes) takes it from there, as a reader's rebuild would."""
    folder = tmp_path_factory.mktemp("conversion-cache")
    os.environ["KB_CACHE_DIR"] = str(folder)
    return folder


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The real vault (read-only). Skipped when absent, unless KB_REQUIRE_CORPUS is set (CI)."""
    path = _corpus_path()
    if not path.is_dir():
        if os.environ.get("KB_REQUIRE_CORPUS"):
            pytest.fail(f"the real vault is required but missing at {path}")
        pytest.skip(f"real vault not found at {path} (set KB_CORPUS)")
    return path


VaultMaker = Callable[[dict[str, str]], Path]


@pytest.fixture
def make_vault(tmp_path: Path) -> VaultMaker:
    """Write {relative path: text} into a fresh notes folder and return it. Text is dedented,
    so tests can indent their notes."""

    def make(files: dict[str, str]) -> Path:
        root = tmp_path / "notes"
        root.mkdir(exist_ok=True)
        for rel, text in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return root

    return make


def note_text(*, id: str, title: str, body: str, **fields: str) -> str:
    """A note with front matter; extra fields are written as given (YAML text)."""
    lines = ["---", f"id: {id}", f"title: {title}"]
    lines += [f"{key}: {value}" for key, value in fields.items()]
    lines += ["---", textwrap.dedent(body).strip("\n"), ""]
    return "\n".join(lines)


def build_vault(notes: Path, site: Path, cache: Path | None = None, **options: object):
    """`pipeline.build` of `notes` into `site` in this process (so that tests can patch it),
    publishing notes with errors too; `options` are SiteOptions' besides the cache folder."""
    from generator import pipeline
    from generator.site.engine import SiteOptions

    report = pipeline.build(notes, site, allow_errors=True, parallel=False,
                            options=SiteOptions(cache_dir=cache, **options))  # type: ignore[arg-type]
    assert report.built
    return report
