"""Publish stage, right after load: which of the vault's notes readers see.

A note is read and validated like any other, but left off the site (its page, the links to it,
the graph views, search, sitemaps, study) when
- its front matter says `publish: false` (Obsidian Publish's convention) or `draft: true`
  (Quartz's); `true`/`false`, `yes`/`no` written as text count the same;
- its path matches one of the vault's `exclude` patterns: `extra.kb_exclude` in the vault's
  `mkdocs.yml` (project.find_vault_config finds it), a list of globs matched against the path
  relative to the notes folder: `*` and `?` within one name, `**` across folders, a pattern
  ending in `/` for everything under a folder, and a pattern without `/` against the file name
  in any folder (`scratch-*.md`).

Every later stage sees only the published vault. A published note's link to a withheld note is
no dead link: it is shown as plain text and reported (LINK006, a warning, at the link's line).
What the build left out, files that are no note (load.py's rule) and notes not published, is
counted by the rule that left each out (`left_out`), for the build's summary line.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from .. import resources
from ..checks.codes import make
from ..model import Diagnostic, Note, NoteKey, Vault
from ..notes.load import NO_FRONT_MATTER, skip_rule

if TYPE_CHECKING:
    from ..graph.links import KnowledgeGraph

CONFIG_KEY = "kb_exclude"  # under `extra:` in the vault's mkdocs.yml


@dataclass(frozen=True)
class Publication:
    """A vault split into what is published and what is not."""

    vault: Vault  # the published notes; skipped files and assets as loaded
    withheld: tuple[Note, ...]  # read and validated, not published
    reasons: dict[NoteKey, str]  # withheld note -> the rule that withheld it


def publish(vault: Vault, exclude: Sequence[str] = ()) -> Publication:
    """Split `vault` by the rules of the module docstring."""
    patterns = [(pattern, glob_regex(pattern)) for pattern in exclude]
    shown: list[Note] = []
    withheld: list[Note] = []
    reasons: dict[NoteKey, str] = {}
    for note in vault.notes:
        reason = withheld_by(note, patterns)
        if reason is None:
            shown.append(note)
        else:
            withheld.append(note)
            reasons[note.key] = reason
    return Publication(dataclasses.replace(vault, notes=tuple(shown)), tuple(withheld), reasons)


def withheld_by(note: Note, patterns: Iterable[tuple[str, re.Pattern[str]]] = ()) -> str | None:
    """The rule that keeps `note` off the site, or None."""
    if note.info.publish is False:
        return "publish: false"
    if note.info.draft is True:
        return "draft: true"
    for pattern, regex in patterns:
        if regex.fullmatch(note.key):
            return f"exclude: {pattern}"
    return None


@lru_cache(maxsize=256)
def glob_regex(pattern: str) -> re.Pattern[str]:
    """A vault-relative glob as a regular expression (the module docstring's rules)."""
    pattern = pattern.strip().lstrip("/")
    if pattern.endswith("/"):
        pattern += "**"
    if "/" not in pattern:
        pattern = "**/" + pattern
    out = []
    index = 0
    while index < len(pattern):
        if pattern.startswith("**/", index):
            out.append("(?:.*/)?")
            index += 3
        elif pattern.startswith("**", index):
            out.append(".*")
            index += 2
        elif pattern[index] == "*":
            out.append("[^/]*")
            index += 1
        elif pattern[index] == "?":
            out.append("[^/]")
            index += 1
        else:
            out.append(re.escape(pattern[index]))
            index += 1
    return re.compile("".join(out), re.IGNORECASE)


def exclude_patterns(notes_dir: Path) -> tuple[str, ...]:
    """`extra.kb_exclude` of the vault's mkdocs.yml, or nothing. The file is read as plain YAML
    with MkDocs' tags (`!ENV`, `!!python/name`) taken as no value: a file the build cannot use
    is reported by the build (project.vault_settings), not here."""
    path = _vault_config(notes_dir)
    if path is None:
        return ()
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_TolerantLoader)  # noqa: S506
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return ()
    extra = data.get("extra") if isinstance(data, dict) else None
    value: Any = extra.get(CONFIG_KEY) if isinstance(extra, dict) else None
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return ()
    return tuple(str(item) for item in value if isinstance(item, (str, int)) and str(item).strip())


def _vault_config(notes_dir: Path) -> Path | None:
    """The vault's mkdocs.yml as project.find_vault_config finds it (in the notes folder, else at
    its repository's root; never the base configuration): the same rule, here so that
    `validate` does not import the engine (over a second)."""
    folder = notes_dir.resolve()
    base = resources.SITE_BASE / "mkdocs.yml"
    repository = next((path for path in (folder, *folder.parents) if (path / ".git").exists()),
                      None)
    for candidate in (folder, *([repository] if repository else [])):
        path = candidate / "mkdocs.yml"
        if path.is_file():
            return None if base.exists() and path.samefile(base) else path
    return None


class _TolerantLoader(yaml.SafeLoader):
    pass


_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)
_TolerantLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/",
                                      lambda loader, suffix, node: None)


def links_to_withheld(publication: Publication, graph: KnowledgeGraph) -> list[Diagnostic]:
    """LINK006 for every link of a published note that names a withheld note (and no published
    one): wikilinks and embeds at their line and column, `related` and `moc` entries at their
    line."""
    from ..graph.links import strip_brackets

    if not publication.withheld:
        return []
    found: list[Diagnostic] = []

    def withheld(target: str, source: NoteKey) -> NoteKey | None:
        if not target or graph.resolver.resolve(target, source) is not None:
            return None
        return graph.withheld.resolve(target, source)

    for note in publication.vault.notes:
        for field_name, names in (("related", note.info.related), ("moc", note.info.moc)):
            lines = note.front.item_lines.get(field_name, ())
            for position, name in enumerate(names):
                key = withheld(strip_brackets(name), note.key)
                if key is not None:
                    line = lines[position] if position < len(lines) \
                        else note.front.key_lines.get(field_name)
                    found.append(make(
                        "LINK006", note.key, line,
                        f"`{field_name}` entry '{strip_brackets(name)}' is a note that is not "
                        f"published ({publication.reasons[key]}); the page does not list it",
                        field=field_name))
        for link in note.links:
            key = withheld(link.target, note.key)
            if key is not None:
                found.append(make(
                    "LINK006", note.key, link.line,
                    f"{link.raw} goes to a note that is not published "
                    f"({publication.reasons[key]}); shown as plain text",
                    column=link.column))
    return found


def left_out(publication: Publication) -> dict[str, int]:
    """How many files the build left out, by the rule that left each out: load.py's rules
    for files that are no note, publish's for notes not published."""
    counts = Counter(files_not_notes(publication.vault.skipped))
    counts.update(reason if not reason.startswith("exclude:") else "exclude"
                  for reason in publication.reasons.values())
    return _most_first(counts)


def files_not_notes(skipped: Iterable[str]) -> dict[str, int]:
    """How many of the Markdown files load.py skipped each of its rules skipped."""
    return _most_first(Counter(skip_rule(rel) or NO_FRONT_MATTER for rel in skipped))


def _most_first(counts: Counter[str]) -> dict[str, int]:
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
