"""Where the package's data files are, and one hash of all the code and templates that shape a
page (the caches are keyed on it, so that no change to the generator serves a stale page)."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
TEMPLATES = PACKAGE / "templates"  # Jinja templates of pages, new notes and `kb init`
# Links to the top-level mkdocs.yml and theme_overrides/ in a checkout, copies in the wheel.
SITE_BASE = PACKAGE / "site_base"


@functools.cache
def code_fingerprint() -> str:
    """sha256 over every module, template and theme file of the package, by relative path:
    whatever the generator's code is, a cache written by other code is not read."""
    digest = hashlib.sha256()
    files = [*PACKAGE.rglob("*.py"), *TEMPLATES.rglob("*"), *(SITE_BASE / "theme_overrides").rglob("*"),
             *PACKAGE.rglob("*.yml")]
    for path in sorted({path for path in files if path.is_file() and "__pycache__" not in path.parts}):
        digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()
