"""Load stage: a notes folder -> Vault of Notes. Every Markdown file becomes a Note or is
listed as skipped by the rule below; a file that cannot be read or parsed still becomes a Note,
with its problems attached.

Which files are notes (the rule, in README.md too): every `*.md` file under the folder except
- anything inside a hidden folder or file (name starts with `.`), e.g. `.obsidian/`;
- anything inside a folder whose name starts with `_`, e.g. `_templates/`, `_attachments/`;
- anything inside a top-level folder whose name starts with `00` (the Johnny-Decimal "system"
  area vaults keep their own documentation in, e.g. `00-Administration/`);
- `README.md` in any folder, and `Homepage.md`, `Home.md`, `index.md` at the root: a vault's
  front pages for people browsing the repository, not notes;
- a Markdown file at the root with no front matter at all (`HTML_TAG_CHECKER_README.md`, a
  `CHANGELOG.md`): the maintenance files vaults keep beside their folders of notes.

Every skipped file is listed in `Vault.skipped`, and `skip_rule` names the rule that skipped it
(the build's summary line counts them by rule). Notes that are read but not published
(`publish: false`, `draft: true`, the vault's `exclude` patterns) are publish.py's business.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import re
import stat
import unicodedata
from pathlib import Path

from ..model import Diagnostic, FrontMatter, Note, NoteKey, Repair, Severity, StripByteOrderMark, UnixLineEnds, Vault
from .frontmatter import split_front_matter
from .frontmatter_blocks import may_continue
from .language import split_sections
from .wikilinks import find_wikilinks

log = logging.getLogger(__name__)

ROOT_DOCUMENTS = frozenset({"homepage.md", "home.md", "index.md"})
ASSET_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".pdf"})

# A note larger than this is not a note an author wrote; it is reported and read truncated
# so that one file cannot stall or exhaust the build.
MAX_NOTE_BYTES = 2_000_000


# The rules of the docstring, as the build's summary names them.
HIDDEN = "hidden file or folder"
UNDERSCORE = "in a folder starting with _"
SYSTEM = "in a top-level 00 folder"
README = "README.md"
ROOT_DOCUMENT = "Homepage/Home/index.md at the root"
NO_FRONT_MATTER = "at the root without front matter"


def skip_rule(rel: str) -> str | None:
    """The rule above that says a path (relative to the notes folder, forward slashes) is no
    note, or None; a root file without front matter is told by its text (load_vault)."""
    parts = rel.split("/")
    if any(part.startswith(".") for part in parts):
        return HIDDEN
    if any(part.startswith("_") for part in parts[:-1]):
        return UNDERSCORE
    if len(parts) > 1 and parts[0].startswith("00"):
        return SYSTEM
    name = parts[-1].lower()
    if name == "readme.md":
        return README
    if len(parts) == 1 and name in ROOT_DOCUMENTS:
        return ROOT_DOCUMENT
    return None if name.endswith(".md") else "not Markdown"


def is_note_path(rel: str) -> bool:
    """Apply the rule above to a path relative to the notes folder (forward slashes)."""
    return skip_rule(rel) is None


def _maintenance_file(note: Note) -> bool:
    """A file at the root with no front matter at all, which the rule says is no note (a file
    with a problem, one that could not be read or whose front matter is broken, still is one,
    so that its problem is reported)."""
    # FM001 is "no front matter": what makes it such a file, not a problem of one.
    return "/" not in note.key and note.front.start_line == 0 \
        and all(problem.code == "FM001" for problem in note.problems)


def load_vault(root: Path, only: set[str] | None = None) -> Vault:
    """Every note under `root`. With `only` (keys, for `validate PATH…` and `fix`), the other
    notes are read for their front matter alone: ids, titles and aliases are what resolving
    the given notes' links needs, and skipping the bodies is most of a full load's time."""
    root = root.resolve()
    notes: list[Note] = []
    skipped: list[str] = []
    assets: list[str] = []
    outside: list[Note] = []
    problems: list[Diagnostic] = []
    files, linked_folders = _walk(root)
    for path in linked_folders:
        target = _target(path)
        if target is None or not _inside(target, root):
            # Never read a folder outside the vault, even through a link; a link to a folder
            # inside it is not followed either (its notes are read where they are).
            problems.append(_problem(_rel(path, root), None, "FILE002", "error",
                                     "symbolic link to a folder outside the notes folder; "
                                     "not read"))
    for path in sorted(files):
        rel = _rel(path, root)
        suffix = path.suffix.lower()
        if suffix != ".md":
            if suffix in ASSET_SUFFIXES and is_note_path(rel[: -len(suffix)] + ".md"):
                target = _target(path)
                if rel != _raw_rel(path, root):
                    problems.append(_bad_name(rel, "not copied"))
                elif target is None or not _inside(target, root):
                    problems.append(_problem(rel, None, "FILE002", "error",
                                             "symbolic link points outside the notes folder; "
                                             "not copied"))
                elif not path.is_file():
                    problems.append(_problem(rel, None, "FILE001", "error",
                                             "not a regular file, or a broken link; not copied"))
                else:
                    assets.append(rel)
            continue
        if not is_note_path(rel):
            skipped.append(rel)
            continue
        if path.is_symlink():
            target = _target(path)
            if target is None or not _inside(target, root):
                # Never read a file outside the vault, even through a link.
                outside.append(_unreadable(path, rel, "FILE002",
                                           "symbolic link points outside the notes folder, or "
                                           "in a loop; not read"))
                continue
        note = load_note(path, rel, front_only=only is not None and rel not in only)
        if _maintenance_file(note):
            skipped.append(rel)
            continue
        if rel != _raw_rel(path, root):
            note = dataclasses.replace(note, path=root / rel,
                                       problems=note.problems + (_bad_name(rel, "published"),))
        notes.append(note)
    problems.extend(_case_collisions([note.key for note in notes + outside] + assets))
    return Vault(root=root, notes=tuple(notes + outside), skipped=tuple(skipped),
                 assets=tuple(assets), problems=tuple(problems))


def _walk(root: Path) -> tuple[list[Path], list[Path]]:
    """Files under `root` outside hidden folders, and symbolic links to folders (not
    followed)."""
    found: list[Path] = []
    linked: list[Path] = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        base = Path(folder)
        dirs[:] = [name for name in dirs if not name.startswith(".")]
        linked.extend(base / name for name in dirs if (base / name).is_symlink())
        found.extend(base / name for name in files)
    return found, linked


def _target(path: Path) -> Path | None:
    """Where a path really is, or None when it cannot be resolved (a symbolic link loop).
    Strictly resolved: since Python 3.13 a lenient resolve() returns a loop's own path, which
    would pass for a file inside the vault. A broken link resolves to where it points (it is
    then reported as unreadable, not as a loop)."""
    try:
        return path.resolve(strict=True)
    except FileNotFoundError:
        pass
    except (OSError, RuntimeError):  # RuntimeError: "Symlink loop" before Python 3.13
        return None
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return None


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _raw_rel(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def _rel(path: Path, root: Path) -> str:
    """The path relative to the vault, with forward slashes. A name that is not UTF-8 (a
    vault unpacked from a cp1251 archive) comes from os.walk with its bytes as surrogates,
    which no page, link or file write can take: they are written as %XX instead."""
    rel = _raw_rel(path, root)
    if rel.isascii():
        return rel
    return "".join(f"%{ord(char) - 0xDC00:02X}" if "\udc80" <= char <= "\udcff" else char
                   for char in rel)


def _bad_name(rel: str, outcome: str) -> Diagnostic:
    return _problem(rel, None, "FILE009", "error",
                    f"file name is not valid UTF-8; {outcome} as '{rel}'; rename the file")


def _case_collisions(paths: list[str]) -> list[Diagnostic]:
    """Paths that differ only in letter case or in Unicode normalisation (`café` written with
    one code point for `é`, NFC, or with `e` and a combining accent, NFD): one file on macOS
    and Windows, where one page would overwrite the other, and the same target for a link
    everywhere. Names are compared as Unicode's canonical caseless matching does."""
    groups: dict[str, list[str]] = {}
    for rel in paths:
        groups.setdefault(name_fold(rel), []).append(rel)
    problems = []
    for group in groups.values():
        for rel in group if len(group) > 1 else ():
            differences = "; ".join(_difference(rel, other) for other in group if other != rel)
            problems.append(_problem(
                rel, None, "FILE008", "error",
                f"file name differs {differences}: on macOS and Windows they are one file, one "
                "would overwrite the other, and a link to either is ambiguous; rename one of "
                "them"))
    return problems


def _difference(rel: str, other: str) -> str:
    if other.casefold() == rel.casefold():
        return f"only in letter case from '{other}'"
    if _nfc(other) != _nfc(rel):
        return f"only in letter case and Unicode normalisation from '{other}'"
    # The two names print alike: say which is which, or the message is a riddle.
    return (f"only in Unicode normalisation from '{other}' (that one {_form(other)}, this one "
            f"{_form(rel)}: the same letters written with other code points)")


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def name_fold(text: str) -> str:
    """`text` as a case-insensitive, normalisation-insensitive file system sees it (Unicode
    canonical caseless matching: NFD, casefold, then NFC to compare)."""
    if text.isascii():
        return text.lower()  # the same, and most names are ASCII
    return _nfc(unicodedata.normalize("NFD", text).casefold())


def _form(text: str) -> str:
    if unicodedata.is_normalized("NFC", text):
        return "NFC, composed"
    if unicodedata.is_normalized("NFD", text):
        return "NFD, decomposed"
    return "mixed composed and decomposed"


def load_note(path: Path, rel: str, front_only: bool = False) -> Note:
    """A note from its file; with `front_only`, its front matter and no body."""
    problems: list[Diagnostic] = []
    try:
        # Non-blocking, so that a named pipe called `x.md` cannot stall the build.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(descriptor, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return _unreadable(path, rel, "FILE001",
                                   "not a regular file (a pipe, socket or device); not read")
            raw = handle.read(MAX_NOTE_BYTES + 1)
    except OSError as error:
        return _unreadable(path, rel, "FILE001", f"cannot read file: {error.strerror or error}")
    if len(raw) > MAX_NOTE_BYTES:
        raw = raw[:MAX_NOTE_BYTES]
        problems.append(_problem(rel, None, "FILE003", "error",
                                 f"file is larger than {MAX_NOTE_BYTES:,} bytes; "
                                 "only the beginning is published"))
    if front_only:
        return _parse_front(path, rel, _decode(raw, rel, problems), problems)
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


# A line that may close the front matter; split_front_matter decides whether it does.
_CLOSING_CANDIDATE = re.compile(r"\n(?:---|\.\.\.)[^\n]*")


def _parse_front(path: Path, rel: str, text: str, problems: list[Diagnostic]) -> Note:
    """The front matter alone: the lines up to the first line that may close it are split,
    not the whole file (all of it when that line turns out not to close it)."""
    candidate = _CLOSING_CANDIDATE.search(text) if text.startswith("---") else None
    head = text[:candidate.end()] if candidate else text
    front, body_start, front_problems = split_front_matter(rel, head.split("\n"))
    after = text[len(head) + 1:].partition("\n")[0] if head is not text else ""
    if head is not text and (any(problem.code == "FM003" for problem in front_problems)
                             or may_continue(after)):
        # Not closed there, or a damaged front matter goes on (frontmatter_blocks.py).
        front, body_start, front_problems = split_front_matter(rel, text.split("\n"))
    problems.extend(front_problems)
    return Note(key=NoteKey(rel), path=path, front=front, body="", body_line=body_start + 1,
                sections=(), links=(), problems=tuple(problems))


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
                                 fix="save the file as UTF-8 without BOM",
                                 repair=StripByteOrderMark()))
        text = text[1:]
    if "\r" in text:
        problems.append(_problem(rel, text[: text.index("\r")].count("\n") + 1, "FILE006",
                                 "warning", "file has CR or CRLF line ends; read as LF",
                                 fix="convert line ends to LF", repair=UnixLineEnds()))
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


def _problem(rel: str, line: int | None, code: str, severity: Severity, message: str,
             fix: str | None = None, repair: Repair | None = None) -> Diagnostic:
    return Diagnostic(path=rel, line=line, column=None, severity=severity,
                      code=code, message=message, fix=fix, repair=repair)
