"""The Jinja templates pages are rendered with (`generator/templates/`), and what every page's
text shares: the `inline` filter for front-matter strings and the page's own front matter.

Note text never reaches Jinja as template source: bodies are prepared beforehand (note_body.py)
and passed in as values; titles and other front-matter strings are escaped for both HTML and
Markdown by `inline`.
"""

from __future__ import annotations

import functools
import re

import jinja2
import yaml
from markupsafe import Markup, escape

from .. import resources

_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}|#<>!~])")


def inline(value: object) -> Markup:
    """Escape a front-matter string for use inside a Markdown line of a template."""
    text = " ".join(str(value).split())
    return Markup(_MD_SPECIAL.sub(r"\\\1", str(escape(text))))


@functools.lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """One Jinja environment per process: templates compile once, not per renderer."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(resources.TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["inline"] = inline
    return env


def with_front_matter(meta: dict[str, object], markdown: str) -> str:
    """A page's Markdown under its front matter (`title`, `description`, `hide`…)."""
    # Material puts page.meta.title into <title> without escaping it; escape it here.
    safe = {key: str(escape(value)) if isinstance(value, str) else value
            for key, value in meta.items()}
    front = yaml.safe_dump(safe, allow_unicode=True, sort_keys=True, width=10_000)
    return f"---\n{front}---\n\n{markdown}"
