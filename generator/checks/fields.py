"""Rules on a note's front-matter fields: presence (FM101, FM102), types (FM103), the form of
`moc` and `related` (FM104), the title (FM105), values against the taxonomy (FM201-FM204),
keys no field describes (FM211), dates (DATE001-DATE003) and values still to write (TODO001).

Where a problem has one right answer, the diagnostic carries it as a repair value (model.py)
for `kb fix`, beside the sentence that tells the author.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

from ..graph.links import strip_brackets
from ..model import Diagnostic, Note, QuoteValue, ReplaceItem, SetValue
from ..notes.dates import unambiguous_date
from ..notes.language import has_both_title_languages
from ..notes.placeholders import is_placeholder, placeholder_in
from .codes import make
from .context import Context, choices, is_empty, item_line, key_line, shown, text_items
from .suggest import suggest

# A date written by an author east of the machine running the check can be "tomorrow" here.
_FUTURE_TOLERANCE = dt.timedelta(days=1)

_ISO_DATE = re.compile(
    r"^(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$")


def check_required(note: Note, context: Context) -> Iterator[Diagnostic]:
    """Fields the note's kind requires (FM101) or recommends (FM102). The missing ones are
    reported once per code, listed together (one cause: the note lacks them; the list is in
    the diagnostic's `fields`); an empty one at its own key, where the author fills it in."""
    kind = context.kind(note)
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
            if name in note.meta and is_empty(note.meta[name]):
                yield make(code, note.key, key_line(note, name),
                           f"`{name}` is empty: a {kind.name} note {level} a value", field=name)


def check_types(note: Note, context: Context) -> Iterator[Diagnostic]:
    """Each field the taxonomy knows has the type it says (FM103)."""
    for name, value in note.meta.items():
        spec = context.taxonomy.fields.get(name)
        if spec is None or is_empty(value) or spec.type == "date":
            continue  # dates: DATE001; empty values: FM101/FM102 when the field matters
        if spec.type == "string":
            yield from _not_text(note, name, value)
        elif spec.type == "id":
            if not isinstance(value, (str, int)) or isinstance(value, bool):
                yield make("FM103", note.key, key_line(note, name),
                           f"`{name}` must be text or a whole number, not {shown(value)}",
                           field=name)
        elif spec.type == "list":
            yield from _not_a_list(note, name, value)


def _not_text(note: Note, name: str, value: Any) -> Iterator[Diagnostic]:
    """FM103 for a single-value field: a list of one (`topic: [kotlin]`, an unquoted
    `moc: [[moc-kotlin]]`) is written as its one value, a number or yes/no is quoted."""
    if isinstance(value, str):
        return
    line = key_line(note, name)
    if isinstance(value, list) and len(value) == 1 and isinstance(value[0], str):
        yield make("FM103", note.key, line, f"`{name}` must be a single value, not a list",
                   field=name, fix=f"write `{name}: {value[0]}`",
                   repair=SetValue(name, value[0]))
    elif isinstance(value, list) and value and all(isinstance(v, list) for v in value):
        single = flatten_name(value)
        yield make("FM103", note.key, line,
                   f"`{name}` is read as a nested list: [[…]] without quotes is YAML "
                   "list syntax, not a wikilink", field=name,
                   fix=f"write `{name}: {single}`" if single else None,
                   repair=SetValue(name, single) if single else None)
    else:
        scalar = isinstance(value, (bool, int, float))
        yield make("FM103", note.key, line, f"`{name}` must be text, not {shown(value)}",
                   field=name, fix=f"quote it: `{name}: \"{value}\"`" if scalar else None,
                   repair=QuoteValue(name) if scalar else None)


def _not_a_list(note: Note, name: str, value: Any) -> Iterator[Diagnostic]:
    """FM103 for a list field: one value given for the list, or items that are no names."""
    line = key_line(note, name)
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        items = scalar_as_list(name, value)
        yield make("FM103", note.key, line, f"`{name}` must be a list, not {shown(value)}",
                   field=name, fix=f"write `{name}: [{', '.join(items)}]`",
                   repair=SetValue(name, tuple(items)))
        return
    if not isinstance(value, list):
        yield make("FM103", note.key, line, f"`{name}` must be a list, not {shown(value)}",
                   field=name)
        return
    for index, item in enumerate(value):
        at = item_line(note, name, index)
        if isinstance(item, list):
            inner = flatten_name([item])
            yield make("FM103", note.key, at,
                       f"`{name}` item {index + 1} is a nested list: [[…]] without "
                       "quotes is YAML list syntax, not a wikilink", field=name,
                       fix=f"write the item as {inner}" if inner else None)
        elif item is None or isinstance(item, (dict, bool)) or \
                (isinstance(item, str) and not item.strip()):
            what = "empty" if is_empty(item) else shown(item)
            yield make("FM103", note.key, at,
                       f"`{name}` item {index + 1} is {what}; items are names", field=name)


def scalar_as_list(name: str, value: str | int | float) -> list[str]:
    """The items a list field given as one value means: tags, related notes and subtopics
    separated by commas; an alias is one name even with a comma in it ("Hello, World")."""
    if isinstance(value, str) and name != "aliases":
        return [part.strip() for part in value.split(",") if part.strip()]
    return [str(value).strip()]


def flatten_name(value: list[Any]) -> str | None:
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
        yield _not_allowed("FM201", note, "kind", None, declared, tuple(taxonomy.kinds))
    for name, value in note.meta.items():
        spec = taxonomy.fields.get(name)
        if spec is None or is_empty(value):
            continue
        if spec.type == "string" and spec.values and isinstance(value, str) \
                and value not in spec.values:
            yield _not_allowed("FM201", note, name, None, value, spec.values)
        if spec.type != "list" or not isinstance(value, list):
            continue
        items = text_items(value)
        if spec.values:
            for index, item in items:
                if item not in spec.values:
                    yield _not_allowed("FM202", note, name, index, item, spec.values)
        topic = note.meta.get("topic")
        allowed = spec.values_by_topic.get(topic) if isinstance(topic, str) else None
        if allowed:
            for index, item in items:
                if item not in allowed:
                    hint = suggest(item, allowed)
                    yield make("FM203", note.key, item_line(note, name, index),
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
            yield make("FM204", note.key, key_line(note, name),
                       f"`{name}` has {count} item{'s' if count != 1 else ''}; the taxonomy "
                       f"allows {wanted}", field=name)


def _not_allowed(code: str, note: Note, name: str, index: int | None, value: str,
                 allowed: tuple[str, ...]) -> Diagnostic:
    """FM201 for a field's value (`index` None), FM202 for a list's item `index`. An allowed
    value in another case or with spaces, and a misspelling with one clear winner (`meduim`),
    have one right answer, which `kb fix` writes."""
    line = key_line(note, name) if index is None else item_line(note, name, index)
    normal = value.strip().lower()
    meant = normal if normal in allowed else suggest(value, allowed)
    repair = None if meant is None else \
        SetValue(name, meant) if index is None else ReplaceItem(name, index, meant)
    if normal in allowed:
        return make(code, note.key, line, f"`{name}` value '{value}' is not written as in the "
                    f"taxonomy ('{normal}')", field=name, fix=f"write '{normal}'", repair=repair)
    return make(code, note.key, line,
                f"`{name}` value '{value}' is not in the taxonomy"
                + (f" (did you mean '{meant}'?)" if meant else "")
                + f"; allowed: {choices(allowed)}", field=name,
                fix=f"write '{meant}'" if meant else None, repair=repair)


def check_links_format(note: Note, context: Context) -> Iterator[Diagnostic]:
    """`moc` and `related` hold bare note names, not [[wikilinks]] (FM104)."""
    moc = note.meta.get("moc")
    if isinstance(moc, str) and moc.strip().startswith("[["):
        bare = moc.strip().strip("[]").split("|", 1)[0]
        yield make("FM104", note.key, key_line(note, "moc"),
                   "`moc` is written as a wikilink; the taxonomy wants the bare note name",
                   field="moc", fix=f"write `moc: {bare}`",
                   repair=SetValue("moc", strip_brackets(moc)))
    for index, item in text_items(note.meta.get("related")):
        if item.strip().startswith("[["):
            bare = item.strip().strip("[]").split("|", 1)[0]
            yield make("FM104", note.key, item_line(note, "related", index),
                       f"`related` item '{item}' is written as a wikilink; the taxonomy wants "
                       "the bare note name", field="related", fix=f"write '{bare}'",
                       repair=ReplaceItem("related", index, strip_brackets(item)))


def check_title(note: Note, context: Context) -> Iterator[Diagnostic]:
    """A bilingual title, "English / Русский" (FM105)."""
    kind = context.kind(note)
    title = note.meta.get("title")
    if kind is None or not kind.bilingual_title or not isinstance(title, str) \
            or not title.strip():
        return
    declared = {item for _, item in text_items(note.meta.get("language_tags"))}
    if len(declared & {"en", "ru"}) == 1:
        return  # a note declared to be in one language has a title in that language
    if not has_both_title_languages(title):
        yield make("FM105", note.key, key_line(note, "title"),
                   f"title '{title.strip()}' is in one language; write "
                   "'English title / Русское название' so each page has its own",
                   field="title")


def check_unknown_keys(note: Note, context: Context) -> Iterator[Diagnostic]:
    """Keys no field describes are accepted: tools add their own (flashcard ids, sync stamps).
    A vault that wants to hear of them says `unknown_keys: warn` in its taxonomy (FM211)."""
    fields = context.taxonomy.fields
    if context.taxonomy.unknown_keys != "warn":
        return
    for key in note.meta:
        if key not in fields:
            hint = suggest(str(key), tuple(fields))
            yield make("FM211", note.key, key_line(note, str(key)),
                       f"`{key}` is not a field of the taxonomy"
                       + (f" (did you mean `{hint}`?)" if hint else "")
                       + "; add it under `fields:` in taxonomy.yml if it belongs", field=str(key))


def check_dates(note: Note, context: Context) -> Iterator[Diagnostic]:
    """Valid ISO dates (DATE001), created <= updated (DATE002), none in the future (DATE003).

    Unquoted YAML dates arrive as datetime.date, quoted ones as text; both are fine when valid.
    """
    dates: dict[str, dt.date] = {}
    for name, value in note.meta.items():
        spec = context.taxonomy.fields.get(name)
        if spec is None or spec.type != "date" or is_empty(value):
            continue
        parsed, problem = _parse_date(value)
        line = key_line(note, name)
        if parsed is None:
            meant = unambiguous_date(value)
            yield make("DATE001", note.key, line,
                       f"`{name}` {problem}; write an ISO date, YYYY-MM-DD", field=name,
                       fix=f"write {meant.isoformat()}" if meant else None,
                       repair=SetValue(name, meant) if meant else None)
            continue
        dates[name] = parsed
        if parsed > context.today + _FUTURE_TOLERANCE:
            yield make("DATE003", note.key, line,
                       f"`{name}` is {parsed.isoformat()}, in the future (today is "
                       f"{context.today.isoformat()})", field=name)
    created, updated = dates.get("created"), dates.get("updated")
    if created and updated and created > updated:
        yield make("DATE002", note.key, key_line(note, "created"),
                   f"`created` ({created.isoformat()}) is later than `updated` "
                   f"({updated.isoformat()}, line {key_line(note, 'updated')})",
                   field="created")


def _parse_date(value: Any) -> tuple[dt.date | None, str]:
    if isinstance(value, dt.datetime):
        return value.date(), ""
    if isinstance(value, dt.date):
        return value, ""
    if not isinstance(value, str):
        return None, f"is {shown(value)}, not a date"
    text = value.strip()
    match = _ISO_DATE.match(text)
    if not match:
        return None, f"'{text}' is not an ISO date"
    try:
        return dt.date.fromisoformat(match.group(1)), ""
    except ValueError:
        return None, f"'{text}' is not a real date"


def check_placeholder_fields(note: Note, context: Context) -> Iterator[Diagnostic]:
    """Front-matter values the template left for the author (TODO001)."""
    for name, value in note.meta.items():
        marker = placeholder_in(value)
        if marker is None:
            continue
        line = key_line(note, name)
        if isinstance(value, list):
            index = next(i for i, item in enumerate(value) if is_placeholder(item))
            line = item_line(note, name, index)
        if marker.startswith("<%"):
            message = (f"`{name}` holds a template expression that was never expanded "
                       f"({marker}); write the value")
        else:
            message = f"`{name}` still holds the template's placeholder '{marker}'; fill it in"
        yield make("TODO001", note.key, line, message, field=name)
