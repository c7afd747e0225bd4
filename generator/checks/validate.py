"""Validate stage: rules over loaded notes -> Diagnostics.

Every note goes through every rule; nothing stops at the first problem, and a rule that fails
on strange data is reported as GEN001 while the other rules still run. What the rules allow
comes from the taxonomy (generator/checks/taxonomy_default.yml or the vault's own), what each code
means from generator/checks/codes.py. Links are checked later, by graph.py (LINK001-LINK003).

Lines: a field's problem points at the key's line, a list item's at the item's own line, a
missing field at the front matter's first line, a section's at its heading.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ..authoring.new_note import next_free_id
from ..model import Diagnostic, Language, Note, NoteKey, Section, Vault
from ..notes import paragraphs
from ..notes.dates import unambiguous_date
from ..notes.language import (
    dominant_script,
    has_both_title_languages,
    has_content,
    languages_present,
    marker_language,
    reassigned_sections,
)
from ..notes.placeholders import (
    first_placeholder_line,
    is_placeholder,
    is_placeholder_section,
    placeholder_in,
    templater_expressions,
)
from ..paths import is_reserved, page_path
from ..site import note_parts
from .codes import make
from .taxonomy import KindSpec, Taxonomy, default_taxonomy, suggest

log = logging.getLogger(__name__)

# Load problems after which the front matter's data is empty or not the author's: rules that
# read fields would only repeat "missing" for what the load problem already explains.
_FRONT_MATTER_LOST = frozenset({"FILE001", "FILE002", "FM001", "FM003", "FM004", "FM005",
                                "FM007"})

# A date written by an author east of the machine running the check can be "tomorrow" here.
_FUTURE_TOLERANCE = dt.timedelta(days=1)

_ISO_DATE = re.compile(
    r"^(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$")
_CYRILLIC = re.compile(r"[А-Яа-яЁё]")
_LANGUAGE_NAMES: dict[Language, str] = {"en": "English", "ru": "Russian"}
_LANGUAGE_CODES: dict[str, Language] = {"en": "en", "ru": "ru"}


@dataclass(frozen=True)
class Context:
    """What a rule may read besides the note."""

    taxonomy: Taxonomy
    today: dt.date


Rule = Callable[[Note, Context], Iterator[Diagnostic]]


def validate_vault(vault: Vault, taxonomy: object | None = None, *,
                   today: dt.date | None = None,
                   only: set[NoteKey] | None = None) -> list[Diagnostic]:
    """Every problem in the vault's notes: what loading found, then each rule's findings.

    `taxonomy` defaults to the built-in one; `today` (for dates in the future) to the
    current date, and tests pass a fixed one. With `only`, just those notes are checked
    (`validate PATH…`), against the whole vault where a rule looks across notes (ids).
    """
    if taxonomy is None:
        taxonomy = default_taxonomy()
    if not isinstance(taxonomy, Taxonomy):
        raise TypeError(f"taxonomy must be a Taxonomy, not {type(taxonomy).__name__}")
    context = Context(taxonomy=taxonomy, today=today or dt.date.today())
    diagnostics: list[Diagnostic] = [problem for problem in vault.problems
                                     if only is None or problem.path in only]
    for note in vault.notes:
        if only is not None and note.key not in only:
            continue
        diagnostics.extend(note.problems)
        usable = not any(problem.code in _FRONT_MATTER_LOST for problem in note.problems)
        found = [d for rule in (NOTE_RULES if usable else BODY_RULES)
                 for d in _run(rule, note, context)]
        diagnostics.extend(_quiet_placeholders(note, found))
    diagnostics.extend(d for d in check_unique_ids(vault) if only is None or d.path in only)
    return diagnostics


def _quiet_placeholders(note: Note, found: list[Diagnostic]) -> list[Diagnostic]:
    """A field that still holds its template's placeholder is reported once, as TODO001; the
    rules that would call it empty, misspelt or unknown keep quiet about it."""
    fields = {name for name, value in note.meta.items() if placeholder_in(value) is not None}
    if not fields:
        return found
    return [d for d in found if d.code == "TODO001" or d.field not in fields]


def _run(rule: Rule, note: Note, context: Context) -> list[Diagnostic]:
    try:
        return list(rule(note, context))
    except Exception as error:  # noqa: BLE001 - one broken rule must not hide the others
        log.exception("rule %s failed on %s", rule.__name__, note.key)
        return [make("GEN001", note.key, None,
                     f"rule {rule.__name__} failed on this note: {type(error).__name__}: {error}")]


# --- helpers ---------------------------------------------------------------------------------

def _kind(note: Note, context: Context) -> KindSpec | None:
    return context.taxonomy.kinds.get(note.kind)


def _key_line(note: Note, key: str) -> int:
    return note.front.key_lines.get(key) or note.front.start_line or 1


def _item_line(note: Note, key: str, index: int) -> int:
    lines = note.front.item_lines.get(key, ())
    return lines[index] if index < len(lines) else _key_line(note, key)


def _is_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, dict)):
        return not value
    return False


def _text_items(value: Any) -> list[tuple[int, str]]:
    """(index, text) of a list's scalar items; anything else is FM103's business, and a
    template's placeholder item ('...') is TODO001's."""
    if not isinstance(value, list):
        return []
    return [(index, str(item)) for index, item in enumerate(value)
            if isinstance(item, (str, int, float)) and not isinstance(item, bool)
            and not is_placeholder(item)]


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value)"
    if isinstance(value, (int, float)):
        return f"{value} (a number)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _choices(values: tuple[str, ...]) -> str:
    if len(values) <= 12:
        return ", ".join(values)
    return ", ".join(values[:10]) + f", … ({len(values)} in all, see the taxonomy)"


# --- rules on one note -----------------------------------------------------------------------

def check_required(note: Note, context: Context) -> Iterator[Diagnostic]:
    """Fields the note's kind requires (FM101) or recommends (FM102). The missing ones are
    reported once per code, listed together (one cause: the note lacks them; the list is in
    the diagnostic's `fields`); an empty one at its own key, where the author fills it in."""
    kind = _kind(note, context)
    if kind is None:
        return
    for code, names, level in (("FM101", kind.required, "requires"),
                               ("FM102", kind.recommended, "should have")):
        missing = tuple(name for name in names if name not in note.meta)
        if len(missing) == 1:
            yield make(code, note.key, note.front.start_line or 1,
                       f"`{missing[0]}` is missing: a {kind.name} note {level} it",
                       field=missing[0], fields=missing)
        elif missing:
            listed = ", ".join(f"`{name}`" for name in missing[:-1]) + f" and `{missing[-1]}`"
            yield make(code, note.key, note.front.start_line or 1,
                       f"{listed} are missing: a {kind.name} note {level} them", fields=missing)
        for name in names:
            if name in note.meta and _is_empty(note.meta[name]):
                yield make(code, note.key, _key_line(note, name),
                           f"`{name}` is empty: a {kind.name} note {level} a value", field=name)


def check_types(note: Note, context: Context) -> Iterator[Diagnostic]:
    """Each field the taxonomy knows has the type it says (FM103)."""
    for name, value in note.meta.items():
        spec = context.taxonomy.fields.get(name)
        if spec is None or _is_empty(value) or spec.type == "date":
            continue  # dates: DATE001; empty values: FM101/FM102 when the field matters
        line = _key_line(note, name)
        if spec.type == "string":
            if isinstance(value, str):
                continue
            if isinstance(value, list) and len(value) == 1 and isinstance(value[0], str):
                yield make("FM103", note.key, line,
                           f"`{name}` must be a single value, not a list",
                           field=name, fix=f"write `{name}: {value[0]}`")
            elif isinstance(value, list) and value and all(isinstance(v, list) for v in value):
                yield make("FM103", note.key, line,
                           f"`{name}` is read as a nested list: [[…]] without quotes is YAML "
                           "list syntax, not a wikilink", field=name,
                           fix=f"write `{name}: {_flatten_name(value)}`"
                           if _flatten_name(value) else None)
            else:
                yield make("FM103", note.key, line,
                           f"`{name}` must be text, not {_shown(value)}", field=name,
                           fix=f"quote it: `{name}: \"{value}\"`"
                           if isinstance(value, (bool, int, float)) else None)
        elif spec.type == "id":
            if not isinstance(value, (str, int)) or isinstance(value, bool):
                yield make("FM103", note.key, line,
                           f"`{name}` must be text or a whole number, not {_shown(value)}",
                           field=name)
        elif spec.type == "list":
            if isinstance(value, (str, int, float)) and not isinstance(value, bool):
                items = scalar_as_list(name, value)
                yield make("FM103", note.key, line,
                           f"`{name}` must be a list, not {_shown(value)}", field=name,
                           fix=f"write `{name}: [{', '.join(items)}]`")
                continue
            if not isinstance(value, list):
                yield make("FM103", note.key, line,
                           f"`{name}` must be a list, not {_shown(value)}", field=name)
                continue
            for index, item in enumerate(value):
                item_line = _item_line(note, name, index)
                if isinstance(item, list):
                    inner = _flatten_name([item])
                    yield make("FM103", note.key, item_line,
                               f"`{name}` item {index + 1} is a nested list: [[…]] without "
                               "quotes is YAML list syntax, not a wikilink", field=name,
                               fix=f"write the item as {inner}" if inner else None)
                elif item is None or isinstance(item, (dict, bool)) or \
                        (isinstance(item, str) and not item.strip()):
                    what = "empty" if _is_empty(item) else _shown(item)
                    yield make("FM103", note.key, item_line,
                               f"`{name}` item {index + 1} is {what}; items are names",
                               field=name)


def scalar_as_list(name: str, value: str | int | float) -> list[str]:
    """The items a list field given as one value means: tags, related notes and subtopics
    separated by commas; an alias is one name even with a comma in it ("Hello, World")."""
    if isinstance(value, str) and name != "aliases":
        return [part.strip() for part in value.split(",") if part.strip()]
    return [str(value).strip()]


def _flatten_name(value: list[Any]) -> str | None:
    """`[['c-flow']]` (from an unquoted [[c-flow]]) -> "c-flow"."""
    while isinstance(value, list) and len(value) == 1:
        value = value[0]
    return value if isinstance(value, str) else None


def check_values(note: Note, context: Context) -> Iterator[Diagnostic]:
    """Controlled values (FM201-FM204) and the declared kind."""
    taxonomy = context.taxonomy
    declared = note.meta.get("kind")
    if isinstance(declared, str) and declared.strip() and taxonomy.kinds \
            and declared.strip().lower() not in taxonomy.kinds:
        yield _not_allowed("FM201", note, "kind", declared, tuple(taxonomy.kinds),
                           _key_line(note, "kind"))
    for name, value in note.meta.items():
        spec = taxonomy.fields.get(name)
        if spec is None or _is_empty(value):
            continue
        if spec.type == "string" and spec.values and isinstance(value, str) \
                and value not in spec.values:
            yield _not_allowed("FM201", note, name, value, spec.values, _key_line(note, name))
        if spec.type != "list" or not isinstance(value, list):
            continue
        items = _text_items(value)
        if spec.values:
            for index, item in items:
                if item not in spec.values:
                    yield _not_allowed("FM202", note, name, item, spec.values,
                                       _item_line(note, name, index))
        topic = note.meta.get("topic")
        allowed = spec.values_by_topic.get(topic) if isinstance(topic, str) else None
        if allowed:
            for index, item in items:
                if item not in allowed:
                    hint = suggest(item, allowed)
                    yield make("FM203", note.key, _item_line(note, name, index),
                               f"{name[:-1] if name.endswith('s') else name} '{item}' is not "
                               f"one of the {len(allowed)} {topic} {name} in the taxonomy"
                               + (f" (did you mean '{hint}'?)" if hint else ""), field=name)
        count = len(value)
        low, high = spec.min_items, spec.max_items
        if (low is not None and count < low) or (high is not None and count > high):
            if low is not None and high is not None:
                wanted = f"{low}-{high}" if low != high else str(low)
            else:
                wanted = f"at least {low}" if low is not None else f"at most {high}"
            yield make("FM204", note.key, _key_line(note, name),
                       f"`{name}` has {count} item{'s' if count != 1 else ''}; the taxonomy "
                       f"allows {wanted}", field=name)


def _not_allowed(code: str, note: Note, name: str, value: str, allowed: tuple[str, ...],
                 line: int) -> Diagnostic:
    normal = value.strip().lower()
    if normal in allowed:  # "Medium", " easy": the fix is mechanical
        return make(code, note.key, line, f"`{name}` value '{value}' is not written as in the "
                    f"taxonomy ('{normal}')", field=name, fix=f"write '{normal}'")
    hint = suggest(value, allowed)  # only a clear winner: `kb fix` writes it
    return make(code, note.key, line,
                f"`{name}` value '{value}' is not in the taxonomy"
                + (f" (did you mean '{hint}'?)" if hint else "")
                + f"; allowed: {_choices(allowed)}", field=name,
                fix=f"write '{hint}'" if hint else None)


def check_tags(note: Note, context: Context) -> Iterator[Diagnostic]:
    """The difficulty tag (FM205, FM206), subtopic mirrors (FM207), tag spelling (FM208)."""
    rules = context.taxonomy.tags
    tags_value = note.meta.get("tags")
    if not isinstance(tags_value, list):
        return
    tags = _text_items(tags_value)
    names = {tag for _, tag in tags}

    difficulty = note.meta.get("difficulty")
    difficulty_spec = context.taxonomy.fields.get("difficulty")
    if rules.difficulty and isinstance(difficulty, str) and difficulty.strip() and \
            (difficulty_spec is None or not difficulty_spec.values
             or difficulty in difficulty_spec.values):
        expected = rules.difficulty.replace("{difficulty}", difficulty)
        prefix = rules.difficulty.split("{", 1)[0]
        others = [(index, tag) for index, tag in tags
                  if prefix and tag.startswith(prefix) and tag != expected]
        for index, tag in others:
            yield make("FM206", note.key, _item_line(note, "tags", index),
                       f"tag '{tag}' contradicts `difficulty: {difficulty}`", field="tags",
                       fix=f"replace it with '{expected}'" if expected not in names
                       else "remove the tag")
        if expected not in names and not others:
            yield make("FM205", note.key, _key_line(note, "tags"),
                       f"tags lack '{expected}' (from `difficulty: {difficulty}`)",
                       field="tags", fix=f"add the tag '{expected}'")

    topic = note.meta.get("topic")
    pattern = rules.mirror_subtopics.get(topic) if isinstance(topic, str) else None
    subtopics = note.meta.get("subtopics")
    if pattern and isinstance(subtopics, list):
        spec = context.taxonomy.fields.get("subtopics")
        allowed = spec.values_by_topic.get(topic) if spec and isinstance(topic, str) else None
        missing = [pattern.replace("{subtopic}", item) for _, item in _text_items(subtopics)
                   if (not allowed or item in allowed)
                   and pattern.replace("{subtopic}", item) not in names]
        if missing:
            listed = ", ".join(f"'{tag}'" for tag in missing)
            yield make("FM207", note.key, _key_line(note, "tags"),
                       f"{topic} subtopics must be mirrored as tags; missing {listed}",
                       field="tags", fix=f"add the tag{'s' if len(missing) > 1 else ''} {listed}")

    seen: dict[str, int] = {}
    for index, tag in tags:
        key = tag.strip()
        if key in seen:
            yield make("FM209", note.key, _item_line(note, "tags", index),
                       f"tag '{key}' is listed twice (first at line "
                       f"{_item_line(note, 'tags', seen[key])})", field="tags",
                       fix="remove the second one")
        else:
            seen[key] = index
    if rules.sorted:
        written = [tag.strip() for _, tag in tags]
        ordered = sorted(written, key=_tag_order)
        if written != ordered:
            yield make("FM210", note.key, _key_line(note, "tags"),
                       "tags are not in alphabetical order (the taxonomy asks for it)",
                       field="tags", fix=f"write them as [{', '.join(ordered)}]")

    for index, tag in tags:
        line = _item_line(note, "tags", index)
        if tag.startswith("#"):
            yield make("FM208", note.key, line, f"tag '{tag}' starts with '#'; in front matter "
                       "tags are written without it", field="tags",
                       fix=f"write '{tag.lstrip('#')}'")
        elif re.search(r"\s", tag.strip()):
            fixed = re.sub(r"\s+", "-", tag.strip())
            yield make("FM208", note.key, line, f"tag '{tag}' contains spaces, which end a tag",
                       field="tags", fix=f"write '{fixed}'")
        elif rules.english_only and _CYRILLIC.search(tag):
            yield make("FM208", note.key, line, f"tag '{tag}' is not in English; tags are "
                       "English-only (Russian names belong in `aliases`)", field="tags")


def _tag_order(tag: str) -> tuple[str, str]:
    """Alphabetical, ignoring case (`Android` beside `android/ui`), then as written."""
    return tag.casefold(), tag


def check_links_format(note: Note, context: Context) -> Iterator[Diagnostic]:
    """`moc` and `related` hold bare note names, not [[wikilinks]] (FM104)."""
    moc = note.meta.get("moc")
    if isinstance(moc, str) and moc.strip().startswith("[["):
        bare = moc.strip().strip("[]").split("|", 1)[0]
        yield make("FM104", note.key, _key_line(note, "moc"),
                   "`moc` is written as a wikilink; the taxonomy wants the bare note name",
                   field="moc", fix=f"write `moc: {bare}`")
    for index, item in _text_items(note.meta.get("related")):
        if item.strip().startswith("[["):
            bare = item.strip().strip("[]").split("|", 1)[0]
            yield make("FM104", note.key, _item_line(note, "related", index),
                       f"`related` item '{item}' is written as a wikilink; the taxonomy wants "
                       "the bare note name", field="related", fix=f"write '{bare}'")


def check_title(note: Note, context: Context) -> Iterator[Diagnostic]:
    """A bilingual title, "English / Русский" (FM105)."""
    kind = _kind(note, context)
    title = note.meta.get("title")
    if kind is None or not kind.bilingual_title or not isinstance(title, str) \
            or not title.strip():
        return
    declared = {item for _, item in _text_items(note.meta.get("language_tags"))}
    if len(declared & {"en", "ru"}) == 1:
        return  # a note declared to be in one language has a title in that language
    if not has_both_title_languages(title):
        yield make("FM105", note.key, _key_line(note, "title"),
                   f"title '{title.strip()}' is in one language; write "
                   "'English title / Русское название' so each page has its own",
                   field="title")


def check_file_name(note: Note, context: Context) -> Iterator[Diagnostic]:
    """The file name follows its kind's pattern (ID002) and agrees with the front matter
    (ID003)."""
    taxonomy = context.taxonomy
    stem = note.stem
    kind = _kind(note, context)
    if kind is None:
        if note.kind == "note" and taxonomy.kinds:
            prefixes = ", ".join(f"{k.prefix}" for k in taxonomy.kinds.values() if k.prefix)
            yield make("ID002", note.key, note.front.start_line or 1,
                       f"file name '{note.path.name}' starts with none of {prefixes} and the "
                       "note has no `kind`, so no kind's rules apply")
        return  # a declared kind the taxonomy lacks is FM201's
    match = kind.pattern.match(stem)
    if match is None:
        named_like = taxonomy.kind_for_prefix(stem)
        if named_like is not None and named_like is not kind and named_like.pattern.match(stem):
            yield make("ID003", note.key, _key_line(note, "kind"),
                       f"file name '{note.path.name}' is that of a {named_like.name}, but the "
                       f"note is a {kind.name} (`kind: {note.meta.get('kind')}`)", field="kind")
            return
        yield make("ID002", note.key, note.front.start_line or 1,
                   f"file name '{note.path.name}' does not follow the {kind.name} pattern "
                   f"'{kind.file_name}.md'{_name_hint(stem, kind)}")
        return
    if note.front.start_line == 0:
        return
    expected = kind.file_name_for(note.meta, match.group("slug"))
    for index, name in enumerate(kind.placeholder_fields):
        in_name = match.group(f"f{index}")
        value = note.meta.get(name)
        spec = taxonomy.fields.get(name)
        if not isinstance(value, str) or not value.strip() or value == in_name or \
                (spec is not None and spec.values and value not in spec.values):
            continue  # a missing or disallowed value is the field rules' (FM101, FM201)
        yield make("ID003", note.key, _key_line(note, name),
                   f"file name says {name} '{in_name}' but the front matter says '{value}'",
                   field=name,
                   fix=f"rename the file to '{expected}.md' (and links to it)"
                   if expected else None)


def check_unknown_keys(note: Note, context: Context) -> Iterator[Diagnostic]:
    """Keys no field describes are accepted: tools add their own (flashcard ids, sync stamps).
    A vault that wants to hear of them says `unknown_keys: warn` in its taxonomy (FM211)."""
    fields = context.taxonomy.fields
    if context.taxonomy.unknown_keys != "warn":
        return
    for key in note.meta:
        if key not in fields:
            hint = suggest(str(key), tuple(fields))
            yield make("FM211", note.key, _key_line(note, str(key)),
                       f"`{key}` is not a field of the taxonomy"
                       + (f" (did you mean `{hint}`?)" if hint else "")
                       + "; add it under `fields:` in taxonomy.yml if it belongs", field=str(key))


def check_reserved_path(note: Note, context: Context) -> Iterator[Diagnostic]:
    """A note at a path the generator writes its own page at (paths.py) is published
    elsewhere, never overwritten: the author should know its URL is not the usual one."""
    if is_reserved(note.key):
        yield make("ID004", note.key, note.front.start_line or 1,
                   f"'{note.key}' is where the site has a page of its own; the note is published "
                   f"at '{page_path(note.key)}' instead. Move or rename the note to give it its "
                   "own URL.")


def _name_hint(stem: str, kind: KindSpec) -> str:
    if re.search(r"[А-Яа-яЁё]", stem):
        return " (file names are English only)"
    if re.search(r"[A-Z]", stem):
        return " (file names are lowercase)"
    if re.search(r"[\s_]", stem):
        return " (words are joined by hyphens, not spaces or underscores)"
    if "--" in stem and "--" not in kind.file_name:
        return " ('--' separates the parts of question names only)"
    if not re.fullmatch(r"[a-z0-9-]+", stem):
        return " (only a-z, 0-9 and hyphens)"
    return ""


def check_dates(note: Note, context: Context) -> Iterator[Diagnostic]:
    """Valid ISO dates (DATE001), created <= updated (DATE002), none in the future (DATE003).

    Unquoted YAML dates arrive as datetime.date, quoted ones as text; both are fine when valid.
    """
    dates: dict[str, dt.date] = {}
    for name, value in note.meta.items():
        spec = context.taxonomy.fields.get(name)
        if spec is None or spec.type != "date" or _is_empty(value):
            continue
        parsed, problem = _parse_date(value)
        line = _key_line(note, name)
        if parsed is None:
            meant = unambiguous_date(value)
            yield make("DATE001", note.key, line,
                       f"`{name}` {problem}; write an ISO date, YYYY-MM-DD", field=name,
                       fix=f"write {meant.isoformat()}" if meant else None)
            continue
        dates[name] = parsed
        if parsed > context.today + _FUTURE_TOLERANCE:
            yield make("DATE003", note.key, line,
                       f"`{name}` is {parsed.isoformat()}, in the future (today is "
                       f"{context.today.isoformat()})", field=name)
    created, updated = dates.get("created"), dates.get("updated")
    if created and updated and created > updated:
        yield make("DATE002", note.key, _key_line(note, "created"),
                   f"`created` ({created.isoformat()}) is later than `updated` "
                   f"({updated.isoformat()}, line {_key_line(note, 'updated')})",
                   field="created")


def _parse_date(value: Any) -> tuple[dt.date | None, str]:
    if isinstance(value, dt.datetime):
        return value.date(), ""
    if isinstance(value, dt.date):
        return value, ""
    if not isinstance(value, str):
        return None, f"is {_shown(value)}, not a date"
    text = value.strip()
    match = _ISO_DATE.match(text)
    if not match:
        return None, f"'{text}' is not an ISO date"
    try:
        return dt.date.fromisoformat(match.group(1)), ""
    except ValueError:
        return None, f"'{text}' is not a real date"


def check_languages(note: Note, context: Context) -> Iterator[Diagnostic]:
    """The body's EN/RU sections against `language_tags` (LANG001-LANG004), and sections
    whose prose moved them away from the marked heading above them (LANG007)."""
    yield from _reassigned(note)
    kind = _kind(note, context)
    declared_value = note.meta.get("language_tags")
    declared_items = _text_items(declared_value)
    declared: dict[Language, int] = {}
    for index, item in declared_items:
        code = _LANGUAGE_CODES.get(item)
        if code is not None:
            declared.setdefault(code, index)
    expects_both = kind is not None and kind.bilingual_body
    if not declared and not expects_both:
        return
    body = _body_languages(note)
    if declared:
        for language, index in declared.items():
            if language not in body:
                yield make("LANG001", note.key, _item_line(note, "language_tags", index),
                           f"`language_tags` lists '{language}' but the body has no "
                           f"{_LANGUAGE_NAMES[language]} section with content "
                           f"(a heading marked ({language.upper()}), or "
                           f"{'in Russian' if language == 'ru' else 'Question/Answer'})",
                           field="language_tags",
                           fix=f"remove '{language}' from `language_tags` (or write the "
                               f"{_LANGUAGE_NAMES[language]} sections)")
        for language in sorted(body - declared.keys()):
            first = _first_section(note, language)
            yield make("LANG002", note.key, _key_line(note, "language_tags"),
                       f"the body has {_LANGUAGE_NAMES[language]} sections"
                       + (f" (from line {first.line})" if first else "")
                       + f" but `language_tags` does not list '{language}'",
                       field="language_tags", fix=f"add '{language}' to `language_tags`")
        return
    if isinstance(declared_value, list) and declared_value:
        return  # language_tags with only unknown values: FM202 says so
    if not body:
        yield make("LANG004", note.key,
                   note.body_line if note.body.strip() else note.front.end_line or 1,
                   "the note has no English or Russian content")
    elif len(body) == 1:
        (only,) = body
        other: Language = "ru" if only == "en" else "en"
        yield make("LANG003", note.key, note.front.start_line or 1,
                   f"the note is in {_LANGUAGE_NAMES[only]} only (no {_LANGUAGE_NAMES[other]} "
                   "sections) and has no `language_tags` saying so", field="language_tags",
                   fix=f"add `language_tags: [{only}]` (or write the "
                       f"{_LANGUAGE_NAMES[other]} sections)")


def check_missing_parts(note: Note, context: Context) -> Iterator[Diagnostic]:
    """A part (question, answer, summary, key points) that one declared language has and the
    other lacks (LANG006), at the line of the twin that exists. A language missing altogether
    is LANG001's or LANG003's."""
    declared = {code for _, item in _text_items(note.meta.get("language_tags"))
                if (code := _LANGUAGE_CODES.get(item)) is not None}
    kind = _kind(note, context)
    if not declared and kind is not None and kind.bilingual_body:
        declared = {"en", "ru"}
    present = _body_languages(note)
    if len(declared & present) < 2:
        return
    labels = context.taxonomy.labels
    for language, twin in note_parts.missing_parts(note_parts.blocks(note.sections, labels),
                                                   declared):
        section = labels.sections.get(twin.key or "")
        part = section.names["en"].lower() if section else twin.key
        heading = section.names[language] if section else twin.key
        yield make("LANG006", note.key, twin.line,
                   f"no {_LANGUAGE_NAMES[language]} {part}: the {_LANGUAGE_NAMES[language]} "
                   f"page shows this {_LANGUAGE_NAMES[twin.language or 'en']} {part} under a "
                   f"'not translated yet' notice; write a '{heading} ({language.upper()})' "
                   "section")


def _reassigned(note: Note) -> Iterator[Diagnostic]:
    """LANG007 at the heading of each section that `split_sections` published elsewhere than
    the section above it would have (language.py, rule 3), saying which marker says so: once
    each such heading carries it, the split is the same by markers alone. A section still to
    write ("- To be documented") is TODO001's."""
    for moved in reassigned_sections(note.body, note.body_line):
        section, parent = moved.section, moved.parent
        if is_placeholder_section(section.text):
            continue
        heading = f"{'#' * section.level} {section.heading}"
        above = f"{'#' * parent.level} {parent.heading}"
        language = section.language
        if language is None:
            yield make("LANG007", note.key, section.line,
                       f"section '{heading}' is under '{above}' but written in both languages; "
                       "it is published on both pages. Split it into an '(EN)' and a '(RU)' "
                       "section (or move it)")
            continue
        name = _LANGUAGE_NAMES[language]
        why = (f"written in {name}" if moved.written
               else f"has no prose of its own and follows the {name} text before it")
        yield make("LANG007", note.key, section.line,
                   f"section '{heading}' is under '{above}' but {why}; it is published on the "
                   f"{name} page. Add '({language.upper()})' to its heading (or move it)")


def _body_languages(note: Note) -> set[Language]:
    """Languages with content: marked sections, or the script of an unmarked body."""
    present = languages_present(note.sections)
    # A section still to write (`## Answer (EN)` over '...') is there; TODO001 says the rest.
    present |= {section.language for section in note.sections
                if section.language and is_placeholder_section(section.text)}
    if present or any(section.language for section in note.sections):
        return present
    script = dominant_script(note.body)
    return {script} if script else set()


def _first_section(note: Note, language: Language) -> Section | None:
    return next((s for s in note.sections if s.language == language), None)


def check_empty_sections(note: Note, context: Context) -> Iterator[Diagnostic]:
    """A heading marked (EN) or (RU) with nothing under it (LANG005).

    A section's content is its own text and that of the sections after it, down to the next
    heading of the other language, the next marked heading at its level or a shallower heading:
    `## Ответ (RU)` followed by `## Краткий вариант` is not empty.
    """
    sections = note.sections
    for index, section in enumerate(sections):
        heading = section.heading
        language = marker_language(heading) if heading and "(" in heading else None
        if language is None:
            continue
        texts = [section.text]
        for after in sections[index + 1:]:
            if after.level < section.level or after.language not in (None, language):
                break
            if after.level == section.level and after.heading and "(" in after.heading \
                    and marker_language(after.heading):
                break
            texts.append(after.text)
        if not any(has_content(text) for text in texts) \
                and not any(is_placeholder_section(text) for text in texts):  # TODO001's
            yield make("LANG005", note.key, section.line,
                       f"section '{section.heading}' has a heading but no content")


def check_paragraphs(note: Note, context: Context) -> Iterator[Diagnostic]:
    """A paragraph too large for Markdown, published as plain text (FILE010, paragraphs.py)."""
    for start, _, reason in paragraphs.oversized(note.body):
        yield make("FILE010", note.key, note.body_line + note.body.count("\n", 0, start),
                   f"paragraph {reason}; it is published as plain text, without formatting "
                   "or links")


def check_placeholder_fields(note: Note, context: Context) -> Iterator[Diagnostic]:
    """Front-matter values the template left for the author (TODO001)."""
    for name, value in note.meta.items():
        marker = placeholder_in(value)
        if marker is None:
            continue
        line = _key_line(note, name)
        if isinstance(value, list):
            index = next(i for i, item in enumerate(value) if is_placeholder(item))
            line = _item_line(note, name, index)
        if marker.startswith("<%"):
            message = (f"`{name}` holds a template expression that was never expanded "
                       f"({marker}); write the value")
        else:
            message = f"`{name}` still holds the template's placeholder '{marker}'; fill it in"
        yield make("TODO001", note.key, line, message, field=name)


def check_placeholder_text(note: Note, context: Context) -> Iterator[Diagnostic]:
    """Body sections that hold nothing but the template's '...', and unexpanded template
    expressions in the body (TODO001)."""
    for section in note.sections:
        if not is_placeholder_section(section.text):
            continue
        if section.heading is not None:
            yield make("TODO001", note.key, section.line,
                       f"section '{section.heading}' still holds the template's placeholder "
                       "'...'; write it (or delete the section)")
        else:
            offset = first_placeholder_line(section.text) or 0
            yield make("TODO001", note.key, section.line + offset,
                       "the template's placeholder '...' is still here; write the text")
    for index, expression in templater_expressions(note.body):
        yield make("TODO001", note.key, note.body_line + index,
                   f"template expression {expression} was never expanded; replace it "
                   "with the text it stands for")


# --- rules across notes ----------------------------------------------------------------------

def check_unique_ids(vault: Vault) -> Iterator[Diagnostic]:
    """No two notes share an id (ID001). Ids match without regard to case, as links do. Each
    note of a clash is offered a different free id in the style of the one it has
    (new_note.next_free_id), so that any of them can take it."""
    by_id: dict[str, list[Note]] = defaultdict(list)
    for note in vault.notes:
        value = note.meta.get("id")
        if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value).strip():
            by_id[str(value).strip().casefold()].append(note)
    taken = set(by_id)
    for notes in by_id.values():
        if len(notes) < 2:
            continue
        for note in notes:
            others = [other.key for other in notes if other is not note]
            shown = ", ".join(others[:3]) + (f" and {len(others) - 3} more"
                                             if len(others) > 3 else "")
            free = next_free_id(str(note.meta["id"]), taken)
            if free is not None:
                taken.add(free.casefold())
            yield make("ID001", note.key, _key_line(note, "id"),
                       f"id '{note.meta['id']}' is also the id of {shown}"
                       + (f"; the next free id in its style is '{free}'" if free else ""),
                       field="id")


NOTE_RULES: tuple[Rule, ...] = (
    check_required, check_types, check_values, check_tags, check_links_format, check_title,
    check_file_name, check_dates, check_languages, check_empty_sections, check_paragraphs,
    check_placeholder_fields, check_placeholder_text, check_reserved_path, check_missing_parts,
    check_unknown_keys,
)
# What still applies when the front matter could not be read.
BODY_RULES: tuple[Rule, ...] = (check_file_name, check_empty_sections, check_paragraphs,
                                check_placeholder_text, check_reserved_path)
