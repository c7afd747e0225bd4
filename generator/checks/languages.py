"""Rules on the body's English and Russian sections against `language_tags` (LANG001-LANG004),
sections with a heading and nothing under it (LANG005), a part one language has and the other
lacks (LANG006), and unmarked sections published on another language's page than the heading
above them (LANG007).
"""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Diagnostic, Language, Note, Section
from ..notes.language import (
    dominant_script,
    has_content,
    languages_present,
    marker_language,
    reassigned_sections,
)
from ..notes.placeholders import is_placeholder_section
from ..site import note_parts
from .codes import make
from .context import LANGUAGE_CODES, LANGUAGE_NAMES, Context, item_line, key_line, text_items


def check_languages(note: Note, context: Context) -> Iterator[Diagnostic]:
    """The body's EN/RU sections against `language_tags` (LANG001-LANG004), and sections
    whose prose moved them away from the marked heading above them (LANG007)."""
    yield from _reassigned(note)
    kind = context.kind(note)
    declared_value = note.meta.get("language_tags")
    declared_items = text_items(declared_value)
    declared: dict[Language, int] = {}
    for index, item in declared_items:
        code = LANGUAGE_CODES.get(item)
        if code is not None:
            declared.setdefault(code, index)
    expects_both = kind is not None and kind.bilingual_body
    if not declared and not expects_both:
        return
    body = _body_languages(note)
    if declared:
        for language, index in declared.items():
            if language not in body:
                yield make("LANG001", note.key, item_line(note, "language_tags", index),
                           f"`language_tags` lists '{language}' but the body has no "
                           f"{LANGUAGE_NAMES[language]} section with content "
                           f"(a heading marked ({language.upper()}), or "
                           f"{'in Russian' if language == 'ru' else 'Question/Answer'})",
                           field="language_tags",
                           fix=f"remove '{language}' from `language_tags` (or write the "
                               f"{LANGUAGE_NAMES[language]} sections)")
        for language in sorted(body - declared.keys()):
            first = _first_section(note, language)
            yield make("LANG002", note.key, key_line(note, "language_tags"),
                       f"the body has {LANGUAGE_NAMES[language]} sections"
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
                   f"the note is in {LANGUAGE_NAMES[only]} only (no {LANGUAGE_NAMES[other]} "
                   "sections) and has no `language_tags` saying so", field="language_tags",
                   fix=f"add `language_tags: [{only}]` (or write the "
                       f"{LANGUAGE_NAMES[other]} sections)")


def check_missing_parts(note: Note, context: Context) -> Iterator[Diagnostic]:
    """A part (question, answer, summary, key points) that one declared language has and the
    other lacks (LANG006), at the line of the twin that exists. A language missing altogether
    is LANG001's or LANG003's."""
    declared = {code for _, item in text_items(note.meta.get("language_tags"))
                if (code := LANGUAGE_CODES.get(item)) is not None}
    kind = context.kind(note)
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
                   f"no {LANGUAGE_NAMES[language]} {part}: the {LANGUAGE_NAMES[language]} "
                   f"page shows this {LANGUAGE_NAMES[twin.language or 'en']} {part} under a "
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
        name = LANGUAGE_NAMES[language]
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
