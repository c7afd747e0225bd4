"""Load stage: a notes folder -> Vault of Notes. Every Markdown file becomes a Note or is
listed as skipped by the rule below; a file that cannot be read or parsed still becomes a Note,
with its problems attached.

Which files are notes (the rule, in README.md too): every `*.md` file under the folder except
- anything inside a hidden folder or file (name starts with `.`), e.g. `.obsidian/`;
- anything inside a folder whose name starts with `_`, e.g. `_templates/`, `_attachments/`;
- anything inside a top-level folder whose name starts with `00` (the Johnny-Decimal "system"
  area vaults keep their own documentation in, e.g. `00-Administration/`);
- `README.md` in any folder, and `Homepage.md`, `Home.md`, `index.md` at the root: a vault's
  front pages for people browsing the repository, not notes.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from .frontmatter import split_front_matter
from .language import split_sections
from .model import Diagnostic, FrontMatter, Note, NoteKey, Vault
from .wikilinks import find_wikilinks

log = logging.getLogger(__name__)

ROOT_DOCUMENTS = frozenset({"homepage.md", "home.md", "index.md"})
ASSET_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".pdf"})

# A note larger than this is not a note an author wrote; it is reported and read truncated
# so that one file cannot stall or exhaust the build.
MAX_NOTE_BYTES = 2_000_000


def is_note_path(rel: str) -> bool:
    """Apply the rule above to a path relative to the notes folder (forward slashes)."""
    parts = rel.split("/")
    if any(part.startswith(".") for part in parts):
        return False
    if any(part.startswith("_") for part in parts[:-1]):
        return False
    if len(parts) > 1 and parts[0].startswith("00"):
        return False
    name = parts[-1].lower()
    if name == "readme.md":
        return False
    if len(parts) == 1 and name in ROOT_DOCUMENTS:
        return False
    return name.endswith(".md")


def load_vault(root: Path) -> Vault:
    root = root.resolve()
    notes: list[Note] = []
    skipped: list[str] = []
    assets: list[str] = []
    outside: list[Note] = []
    for path in sorted(_walk(root)):
        rel = path.relative_to(root).as_posix()
        suffix = path.suffix.lower()
        if suffix != ".md":
            if suffix in ASSET_SUFFIXES and is_note_path(rel[: -len(suffix)] + ".md") \
                    and _inside(path.resolve(), root):
                assets.append(rel)
            continue
        if not is_note_path(rel):
            skipped.append(rel)
            continue
        if path.is_symlink() and not _inside(path.resolve(), root):
            # Never read a file outside the vault, even through a link.
            outside.append(_unreadable(path, rel, "FILE002",
                                       "symbolic link points outside the notes folder; not read"))
            continue
        notes.append(load_note(path, rel))
    return Vault(root=root, notes=tuple(notes + outside), skipped=tuple(skipped),
                 assets=tuple(assets))


def _walk(root: Path) -> list[Path]:
    found = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = [name for name in dirs if not name.startswith(".")]
        base = Path(folder)
        found.extend(base / name for name in files)
    return found


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def load_note(path: Path, rel: str) -> Note:
    problems: list[Diagnostic] = []
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_NOTE_BYTES + 1)
    except OSError as error:
        return _unreadable(path, rel, "FILE001", f"cannot read file: {error.strerror or error}")
    if len(raw) > MAX_NOTE_BYTES:
        raw = raw[:MAX_NOTE_BYTES]
        problems.append(_problem(rel, None, "FILE003", "error",
                                 f"file is larger than {MAX_NOTE_BYTES:,} bytes; "
                                 "only the beginning is published"))
    return _parse(path, rel, _decode(raw, rel, problems), problems)


def load_text(rel: str, text: str, path: Path | None = None) -> Note:
    """Load a note from text (tests, `serve`'s in-memory edits)."""
    problems: list[Diagnostic] = []
    return _parse(path or Path(rel), rel, _normalise(text, rel, problems), problems)


def _parse(path: Path, rel: str, text: str, problems: list[Diagnostic]) -> Note:
    lines = text.split("\n")
    front, body_start, front_problems = split_front_matter(rel, lines)
    problems.extend(front_problems)
    body = "\n".join(lines[body_start:])
    body_line = body_start + 1
    return Note(
        key=NoteKey(rel), path=path, front=front, body=body, body_line=body_line,
        sections=split_sections(body, body_line), links=find_wikilinks(body, body_line),
        problems=tuple(problems),
    )


def _decode(raw: bytes, rel: str, problems: list[Diagnostic]) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        problems.append(_problem(rel, line, "FILE004", "error",
                                 "file is not valid UTF-8; undecodable bytes are shown as �"))
        text = raw.decode("utf-8", errors="replace")
    return _normalise(text, rel, problems)


def _normalise(text: str, rel: str, problems: list[Diagnostic]) -> str:
    if text.startswith("\ufeff"):
        problems.append(_problem(rel, 1, "FILE005", "warning",
                                 "file starts with a byte-order mark (BOM); it was ignored",
                                 fix="save the file as UTF-8 without BOM"))
        text = text[1:]
    if "\r" in text:
        problems.append(_problem(rel, text[: text.index("\r")].count("\n") + 1, "FILE006",
                                 "warning", "file has CR or CRLF line ends; read as LF",
                                 fix="convert line ends to LF"))
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        problems.append(_problem(rel, text[: text.index("\x00")].count("\n") + 1, "FILE007",
                                 "error", "file contains NUL characters; they were removed"))
        text = text.replace("\x00", "")
    return text


def _unreadable(path: Path, rel: str, code: str, message: str) -> Note:
    return Note(
        key=NoteKey(rel), path=path,
        front=FrontMatter(data={}, key_lines={}, item_lines={}, start_line=0, end_line=0),
        body="", body_line=1, sections=(), links=(),
        problems=(_problem(rel, None, code, "error", message),),
    )


def _problem(rel: str, line: int | None, code: str, severity: str, message: str,
             fix: str | None = None) -> Diagnostic:
    return Diagnostic(path=rel, line=line, column=None, severity=severity,  # type: ignore[arg-type]
                      code=code, message=message, fix=fix)
