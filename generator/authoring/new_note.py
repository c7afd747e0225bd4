"""`kb new`: write a new note from the vault's own template, named, placed, tagged and given an
id the way the vault's notes already are.

- **Template**: `_templates/_tpl-qna.md`, `_tpl-concept.md`, `_tpl-moc.md` when the vault has
  them (its Templater templates), else the built-in ones in `templates/new/`. Templater's
  `tp.date.now("…")` and `tp.file.title` are expanded, `<%* … %>` blocks dropped; anything
  else is left for TODO001 to point at.
- **Fields**: id, title, aliases (both titles), topic, difficulty, subtopics, moc, language
  tags, dates and tags are set in the template's own lines (yaml_edit.py), comments and
  quoting kept. What only the author can write stays a placeholder, `...`, which `validate`
  reports as TODO001: the body's sections, and subtopics, related notes or the MOC when
  neither the command line nor the vault says what they are.
- **Id**: in the style most notes of the same kind (a question: of the same topic) have:
  `<prefix>-<serial>` (kotlin-247: the next free number after the highest of that prefix, with
  as many digits) or a timestamp `[prefix-]YYYYMMDD-HHMMSS` (now; a second later while it is
  taken). With no such note, the template's id (its timestamp expression) or `<topic>-001`.
- **File**: the kind's file-name pattern from the taxonomy (`q-{slug}--{topic}--{difficulty}`),
  the slug made from the English title; in the folder where most notes of that kind and topic
  are, else `templates/new/folders.yml`. An existing file is never replaced, and a name that
  another note already has anywhere in the vault is refused (links by file name would be
  ambiguous).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

from .. import resources
from ..checks.taxonomy import SLUG, KindSpec, Taxonomy, default_taxonomy, suggest
from ..files import create_new
from ..model import Diagnostic, Note, NoteKey, Vault
from ..notes.load import is_note_path, load_text, load_vault
from ..notes.placeholders import MARKERS, is_placeholder
from .yaml_edit import Edit, FrontMatterText, Style, apply, render, render_date, render_list, set_value

BUILT_IN = resources.TEMPLATES / "new"
VAULT_TEMPLATES = "_templates"
# The vault's template names for each kind, first found wins.
TEMPLATE_NAMES = {
    "question": ("_tpl-qna.md", "_tpl-question.md"),
    "concept": ("_tpl-concept.md",),
    "moc": ("_tpl-moc.md",),
}
PLACEHOLDER = MARKERS[0]

_SERIAL = re.compile(r"^([a-z][a-z0-9]*(?:-[a-z][a-z0-9]*)*)-(\d{1,6})$")
_STAMP = re.compile(r"^([a-z][a-z0-9]*-)?(\d{8})-(\d{6})$")
_DATE_NOW = re.compile(r"<%[-_]?\s*tp\.date\.now\(\s*(['\"])(.*?)\1\s*\)\s*[-_]?%>")
_FILE_TITLE = re.compile(r"<%[-_]?\s*tp\.file\.title\s*[-_]?%>")
_EXECUTION = re.compile(r"<%\*.*?%>", re.S)
_MOMENT = re.compile(r"YYYY|YY|MM|M|DD|D|HH|H|mm|ss")


class NewNoteError(Exception):
    """The note cannot be written as asked: the message says why and what to pass."""


@dataclass(frozen=True)
class Request:
    kind: str  # question | concept | moc
    title_en: str
    title_ru: str | None = None
    topic: str | None = None
    difficulty: str | None = None
    subtopics: tuple[str, ...] = ()
    slug: str | None = None
    folder: str | None = None  # relative to the notes folder
    now: dt.datetime | None = None  # tests pass a fixed time


@dataclass(frozen=True)
class Created:
    path: Path
    key: NoteKey
    text: str
    template: str  # where the template came from
    diagnostics: list[Diagnostic]  # what `validate` says of the new note: TODO001 only


def create_note(notes_dir: Path, request: Request, taxonomy: object | None = None) -> Created:
    """Write the note and return it with its diagnostics; NewNoteError when it cannot be."""
    if taxonomy is None:
        taxonomy = default_taxonomy()
    assert isinstance(taxonomy, Taxonomy)
    kind = _check_request(request, taxonomy)
    now = (request.now or dt.datetime.now()).replace(microsecond=0)
    vault = load_vault(notes_dir, only=set())  # front matter only: names, ids, folders
    template, source = _template(vault.root, request.kind)

    slug = request.slug or slugify(request.title_en)
    if not re.fullmatch(SLUG, slug):
        raise NewNoteError(f"cannot make a file name from the title {request.title_en!r}: "
                           "pass --slug with lowercase English words joined by hyphens")
    meta = {"topic": request.topic, "difficulty": request.difficulty}
    stem = kind.file_name_for(meta, slug)
    if stem is None:
        raise NewNoteError(f"the {kind.name} file name '{kind.file_name}' needs "
                           + ", ".join(f"--{name}" for name in kind.placeholder_fields))
    folder = request.folder.strip("/") if request.folder is not None else \
        _folder(vault, request.kind, request.topic)
    key = NoteKey(f"{folder}/{stem}.md" if folder else f"{stem}.md")
    path = vault.root / key
    if vault.root not in path.resolve().parents or not is_note_path(key):
        raise NewNoteError(f"--folder {folder!r}: a note there would not be in the notes folder "
                           "or would not be read as a note (hidden, `_` or `00` folders)")
    same_name = [note.key for note in vault.notes if note.stem.casefold() == stem.casefold()]
    if path.exists() or same_name:
        where = path if path.exists() else vault.root / same_name[0]
        raise NewNoteError(f"{where} already exists; not overwritten (choose another --slug)")

    values = _values(vault, request, kind, taxonomy, now, template)
    text = fill(template, values, now, _file_title(request))
    try:
        create_new(path, text.encode("utf-8"))
    except FileExistsError:
        raise NewNoteError(f"{path} already exists; not overwritten") from None
    return Created(path=path, key=key, text=text, template=source,
                   diagnostics=_diagnostics(vault, load_text(key, text, path), taxonomy))


def _check_request(request: Request, taxonomy: Taxonomy) -> KindSpec:
    kind = taxonomy.kinds.get(request.kind)
    if kind is None:
        raise NewNoteError(f"the taxonomy has no kind '{request.kind}' "
                           f"(it has {', '.join(taxonomy.kinds)})")
    for name in ("topic", "difficulty"):
        value = getattr(request, name)
        spec = taxonomy.fields.get(name)
        if name in kind.placeholder_fields and not value:
            raise NewNoteError(f"a {kind.name} needs --{name}")
        if value and spec is not None and spec.values and value not in spec.values:
            hint = suggest(value, spec.values)
            raise NewNoteError(f"--{name} '{value}' is not in the taxonomy"
                               + (f" (did you mean '{hint}'?)" if hint else "")
                               + f"; allowed: {', '.join(spec.values)}")
    if kind.bilingual_title and not (request.title_ru or "").strip():
        raise NewNoteError(f"a {kind.name}'s title is bilingual: pass --title-ru too")
    if not request.title_en.strip():
        raise NewNoteError("--title-en is empty")
    return kind


def slugify(title: str) -> str:
    """`Kotlin Flow: cold vs hot` -> `kotlin-flow-cold-vs-hot`; '' when nothing is Latin."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


# --- the template -----------------------------------------------------------------------------

def _template(root: Path, kind: str) -> tuple[str, str]:
    for name in TEMPLATE_NAMES[kind]:
        path = root / VAULT_TEMPLATES / name
        if path.is_file():
            return path.read_text(encoding="utf-8").replace("\r\n", "\n"), str(path)
    path = BUILT_IN / f"{kind}.md"
    return path.read_text(encoding="utf-8"), f"built-in {path.name}"


def _file_title(request: Request) -> str:
    """What Templater's `tp.file.title` stands for: the note's title as the vault writes it
    (a MOC's template adds its own " — MOC")."""
    if request.kind == "moc" or not request.title_ru:
        return request.title_en.strip()
    return f"{request.title_en.strip()} / {request.title_ru.strip()}"


def expand(text: str, now: dt.datetime, title: str) -> str:
    """Templater's date and title expressions, expanded; execution blocks dropped."""
    text = _DATE_NOW.sub(lambda match: _moment(match.group(2), now), text)
    text = _FILE_TITLE.sub(lambda _: title, text)
    return _EXECUTION.sub("", text)


def _moment(pattern: str, now: dt.datetime) -> str:
    """A moment.js date format (as Templater takes) applied to `now`."""
    tokens = {"YYYY": f"{now.year:04d}", "YY": f"{now.year % 100:02d}", "MM": f"{now.month:02d}",
              "M": str(now.month), "DD": f"{now.day:02d}", "D": str(now.day),
              "HH": f"{now.hour:02d}", "H": str(now.hour), "mm": f"{now.minute:02d}",
              "ss": f"{now.second:02d}"}
    return _MOMENT.sub(lambda match: tokens[match.group(0)], pattern)


def fill(template: str, values: dict[str, object], now: dt.datetime, title: str) -> str:
    """The template with its front-matter fields set to `values` (a list, a date or text),
    in their own lines, and its Templater expressions expanded. A required value the template
    has no key for is added before the closing fence."""
    fm = FrontMatterText.parse(template)
    if fm is None:
        raise NewNoteError("the template's front matter cannot be read")
    edits: list[Edit] = []
    for name, layout in fm.fields.items():
        style: Style = layout.scalar.style if layout.scalar else "plain"
        if name in values:
            edits.append(set_value(layout, _yaml(values[name], style)))
        elif layout.scalar is not None and "<%" in layout.scalar.source:
            expanded = expand(layout.scalar.value, now, title).strip()
            edits.append(set_value(layout, _yaml(expanded, style) if expanded else "''"))
    missing = [name for name in values if name not in fm.fields]
    if missing:
        close = fm.line_span(fm.front.end_line)[0]
        edits.append(Edit(close, close, "".join(f"{name}: {_yaml(values[name], 'plain')}\n"
                                                for name in missing)))
    text = apply(template, edits)
    head_end = FrontMatterText.parse(text)
    assert head_end is not None
    body_start = head_end.line_span(head_end.front.end_line)[1]
    return text[:body_start] + expand(text[body_start:], now, title)


def _yaml(value: object, style: Style) -> str:
    if isinstance(value, list):
        return render_list([str(item) for item in value])
    if isinstance(value, dt.date):
        return render_date(value, style)
    return render(str(value), style)


# --- the values -------------------------------------------------------------------------------

def _values(vault: Vault, request: Request, kind: KindSpec, taxonomy: Taxonomy,
            now: dt.datetime, template: str) -> dict[str, object]:
    fields = _template_fields(template)
    values: dict[str, object] = {"id": new_id(vault, request, now, fields.get("id")),
                                 "created": now.date(), "updated": now.date()}
    if request.kind != "moc":
        values["title"] = _file_title(request)
        values["aliases"] = _unique([request.title_en.strip(), (request.title_ru or "").strip()])
        values["language_tags"] = ["en", "ru"] if request.title_ru else ["en"]
    elif "title" in fields and "tp.file.title" not in str(fields["title"]):
        values["title"] = request.title_en.strip()
    if request.kind == "question":
        values["topic"] = request.topic
        values["difficulty"] = request.difficulty
        values["subtopics"] = list(request.subtopics) or [PLACEHOLDER]
        values["moc"] = _moc(vault, request.topic) or PLACEHOLDER
        values["related"] = [PLACEHOLDER]
    elif "topic" in fields and request.topic:
        values["topic"] = request.topic
    for name in ("summary", "subtopics", "related"):  # recommended, empty in the template
        if name in fields and name not in values and fields[name] in (None, "", []):
            values[name] = PLACEHOLDER if name == "summary" else [PLACEHOLDER]
    values["tags"] = _tags(request, taxonomy, fields.get("tags"))
    return {name: value for name, value in values.items()
            if name in fields or name in kind.required}


def _template_fields(template: str) -> dict[str, object]:
    """The template's front matter as YAML reads it (Templater expressions as text)."""
    fm = FrontMatterText.parse(template)
    if fm is None:
        return {}
    head = "\n".join(template.split("\n")[1:fm.front.end_line - 1])
    data = yaml.safe_load(head)
    return data if isinstance(data, dict) else {}


def _tags(request: Request, taxonomy: Taxonomy, template_tags: object) -> list[str]:
    """The template's tags, then the ones the vault requires: the topic, the subtopics
    (mirrored as `android/<subtopic>` where the taxonomy says so) and `difficulty/<level>`;
    a MOC's topic as `topic/<topic>`."""
    tags = [str(tag) for tag in template_tags or [] if isinstance(tag, str)
            and not is_placeholder(tag)] if isinstance(template_tags, list) else []
    topic = request.topic
    if request.kind == "moc":
        tags += [f"topic/{topic}"] if topic else []
    elif topic:
        tags.append(topic)
        mirror = taxonomy.tags.mirror_subtopics.get(topic)
        tags += [mirror.replace("{subtopic}", s) if mirror else s for s in request.subtopics]
    if request.kind == "question" and taxonomy.tags.difficulty and request.difficulty:
        tags.append(taxonomy.tags.difficulty.replace("{difficulty}", request.difficulty))
    tags = _unique(tags)
    return sorted(tags, key=lambda tag: (tag.casefold(), tag)) if taxonomy.tags.sorted else tags


def _unique(items: list[str]) -> list[str]:
    return [item for index, item in enumerate(items) if item and item not in items[:index]]


def _moc(vault: Vault, topic: str | None) -> str | None:
    """The MOC a question of `topic` belongs to: `moc-<topic>` when there is one, else the
    MOC most questions of that topic name."""
    if not topic:
        return None
    mocs = {note.stem for note in vault.notes if note.kind == "moc"}
    if f"moc-{topic}" in mocs:
        return f"moc-{topic}"
    named = Counter(str(note.meta["moc"]).strip() for note in vault.notes
                    if note.meta.get("topic") == topic and isinstance(note.meta.get("moc"), str)
                    and str(note.meta["moc"]).strip() in mocs)
    return named.most_common(1)[0][0] if named else None


def _folder(vault: Vault, kind: str, topic: str | None) -> str:
    same_kind = [note for note in vault.notes if note.kind == kind]
    same_topic = [note for note in same_kind if topic and note.meta.get("topic") == topic]
    for pool in (same_topic, same_kind if kind != "question" else []):
        folders = Counter(note.folder for note in pool)
        if folders:
            return folders.most_common(1)[0][0]
    table = _folder_table(vault.root)
    if kind == "question":
        return str(table.get("topics", {}).get(topic or "", ""))
    return str(table.get("kinds", {}).get(kind, ""))


def _folder_table(root: Path) -> dict[str, dict[str, str]]:
    for path in (root / VAULT_TEMPLATES / "folders.yml", BUILT_IN / "folders.yml"):
        if path.is_file():
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            if isinstance(data, dict):
                return data
    return {}


# --- ids --------------------------------------------------------------------------------------

def new_id(vault: Vault, request: Request, now: dt.datetime, template_id: object) -> str:
    """An id no note has, in the style of the notes most like the new one (see the module's
    docstring)."""
    taken = {str(note.meta["id"]).strip().casefold() for note in vault.notes
             if isinstance(note.meta.get("id"), (str, int)) and not isinstance(note.meta["id"], bool)}
    same_kind = [note for note in vault.notes if note.kind == request.kind]
    same_topic = [note for note in same_kind if request.topic
                  and note.meta.get("topic") == request.topic]
    pool = _ids(same_topic) or _ids(same_kind)
    serial = [match for match in map(_SERIAL.match, pool) if match]
    stamps = [match for match in map(_STAMP.match, pool) if match]
    if serial and len(serial) >= len(stamps):
        prefix = Counter(match.group(1) for match in serial).most_common(1)[0][0]
        width = Counter(len(match.group(2)) for match in serial
                        if match.group(1) == prefix).most_common(1)[0][0]
        return _next_serial(prefix, width, taken)
    if stamps:
        prefix = Counter(match.group(1) or "" for match in stamps).most_common(1)[0][0]
        return _next_stamp(prefix, now, taken)
    written = str(template_id or "").strip()
    if "tp.date.now" in written:
        expanded = expand(written, now, "")
        match = _STAMP.match(expanded)
        if match:
            return _next_stamp(match.group(1) or "", now, taken)
        if expanded not in taken and expanded:
            return expanded
    return _next_serial(request.topic or request.kind, 3, taken)


def next_free_id(written: str, taken: set[str]) -> str | None:
    """The next id in the style of `written` that is not in `taken` (case-folded ids), for a
    note whose id another note has: `kotlin-117` -> the next free number after the highest
    `kotlin-…`, with as many digits; `20251012-000000` -> the next free second after it, its
    prefix kept. None for an id in neither style."""
    written = written.strip().casefold()
    stamp = _STAMP.match(written)
    if stamp:
        try:
            moment = dt.datetime.strptime(stamp.group(2) + stamp.group(3), "%Y%m%d%H%M%S")
        except ValueError:
            return None
        return _next_stamp(stamp.group(1) or "", moment, taken)
    serial = _SERIAL.match(written)
    if serial:
        return _next_serial(serial.group(1), len(serial.group(2)), taken)
    return None


def _ids(notes: list[Note]) -> list[str]:
    return [str(note.meta["id"]).strip() for note in notes
            if isinstance(note.meta.get("id"), (str, int)) and not isinstance(note.meta["id"], bool)]


def _next_serial(prefix: str, width: int, taken: set[str]) -> str:
    numbers = [int(match.group(2)) for match in map(_SERIAL.match, taken)
               if match and match.group(1) == prefix.casefold()]
    number = max(numbers, default=0) + 1
    while f"{prefix}-{number:0{width}d}".casefold() in taken:
        number += 1
    return f"{prefix}-{number:0{width}d}"


def _next_stamp(prefix: str, now: dt.datetime, taken: set[str]) -> str:
    moment = now
    while f"{prefix}{moment:%Y%m%d-%H%M%S}".casefold() in taken:
        moment += dt.timedelta(seconds=1)
    return f"{prefix}{moment:%Y%m%d-%H%M%S}"


def _diagnostics(vault: Vault, note: Note, taxonomy: Taxonomy) -> list[Diagnostic]:
    from .fix import NoteChecker

    return NoteChecker(vault, taxonomy).check(note)
