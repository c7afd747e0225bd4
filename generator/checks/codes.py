"""Every diagnostic code, in one table: its severity, what it means, and which repairs `kb fix`
makes of it.

Codes are stable: tools and CI filters match on them, so a code is never reused for another
meaning; a rule that goes away leaves its code unused. Families:

- FILE0xx  reading the file (notes/load.py), what Markdown cannot take of it (FILE010,
           checks/body.py), writing it back (FILE011, authoring/fix.py)
- FM0xx    front-matter syntax (notes/frontmatter.py)
- FM1xx    front-matter fields: presence, types, title (checks/fields.py)
- FM2xx    field values against the taxonomy (checks/fields.py), tags (checks/tags.py)
- ID0xx    ids and file names (checks/ids.py)
- DATE0xx  created / updated dates (checks/fields.py)
- LANG0xx  English and Russian sections (checks/languages.py)
- LINK0xx  links between notes (graph/links.py; LINK006, links to notes not published,
           site/publish.py)
- DV0xx    Dataview queries the site cannot render (dataview/)
- TODO0xx  text the author must still write: placeholders left from a template
           (checks/fields.py, checks/body.py)
- GEN0xx   the generator itself

Severity: `error` when the published site would be wrong or a link or metadata is broken (CI
fails); `warning` for style and convention (CI fails only with --strict).

Fixes: `fixable` says that a diagnostic of this code may say what to do about it (its `fix`
text, for people). `repairs` lists the repair values (model.py: SetValue, AddItems, …) its
diagnostics may carry when there is one right answer; `kb fix` applies those values, so the
codes it repairs are exactly those with `repairs` (a test checks that no rule attaches a value
its code does not declare).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import (
    AddItems,
    Diagnostic,
    MergeBlocks,
    QuoteValue,
    RemoveItem,
    Reorder,
    Repair,
    ReplaceItem,
    ReplaceLine,
    SetValue,
    Severity,
    StripByteOrderMark,
    UnixLineEnds,
)


@dataclass(frozen=True)
class Code:
    code: str
    severity: Severity
    summary: str  # one line, what the code means
    fixable: bool = False
    stage: str = "validate"  # the module that emits it
    repairs: tuple[type[Repair], ...] = ()  # the values `kb fix` applies, when it repairs it


def _table(*codes: Code) -> dict[str, Code]:
    table = {code.code: code for code in codes}
    assert len(table) == len(codes), "duplicate code in the table"
    return table


CODES: dict[str, Code] = _table(
    # --- notes/load.py: reading the file ------------------------------------------------------
    Code("FILE001", "error", "the file cannot be read (permissions, I/O error, not a regular "
         "file)", stage="load"),
    Code("FILE002", "error", "a symbolic link (to a note, folder or image) points outside the "
         "notes folder or in a loop; not read", stage="load"),
    Code("FILE003", "error", "the file is larger than the size limit; only its beginning is "
         "published", stage="load"),
    Code("FILE004", "error", "the file is not valid UTF-8; undecodable bytes are replaced",
         stage="load"),
    Code("FILE005", "warning", "the file starts with a byte-order mark (BOM)", fixable=True,
         stage="load",
         repairs=(StripByteOrderMark,)),
    Code("FILE006", "warning", "the file has CR or CRLF line ends", fixable=True, stage="load",
         repairs=(UnixLineEnds,)),
    Code("FILE007", "error", "the file contains NUL characters; they are removed", stage="load"),
    Code("FILE008", "error", "two file names differ only in letter case or Unicode "
         "normalisation (NFC/NFD): one file on macOS and Windows, and an ambiguous link target",
         stage="load"),
    Code("FILE009", "error", "the file name is not valid UTF-8; a note is published with the "
         "undecodable bytes written as %XX, an image is not copied", stage="load"),
    Code("FILE010", "warning", "a paragraph is too large for Markdown (length, or unbalanced "
         "brackets); it is published as plain text (paragraphs.py)"),
    Code("FILE011", "error", "`kb fix` cannot write a note it repaired (permission denied, a "
         "read-only file or file system); the note is left as it was", stage="fix"),
    # --- notes/frontmatter.py: front-matter syntax --------------------------------------------
    Code("FM001", "error", "no front matter: the file is empty or does not start with '---'",
         stage="frontmatter"),
    Code("FM002", "warning", "a front-matter fence has stray characters after '---'",
         fixable=True, stage="frontmatter",
         repairs=(ReplaceLine,)),
    Code("FM003", "error", "the front matter is not closed by a '---' line",
         stage="frontmatter"),
    Code("FM004", "error", "the front matter is too large or expands too far through YAML "
         "aliases; not parsed", stage="frontmatter"),
    Code("FM005", "error", "the front matter is not a mapping of keys to values",
         stage="frontmatter"),
    Code("FM006", "error", "a key appears twice in the front matter; YAML keeps the last value",
         stage="frontmatter"),
    Code("FM007", "error", "YAML syntax error, or a character YAML does not allow; the common "
         "slips (a tab for indentation, an unclosed quote, `key:value` without a space, an "
         "unquoted ': ' in a value) are reported where they are, with what to write instead",
         stage="frontmatter"),
    # Obsidian reads only the first block, so the vault itself has lost the note's fields.
    Code("FM008", "error", "the front matter was damaged by a tool: a fence glued to a key "
         "(`---id:`), more blocks after the first, or a block closed early; read as one block "
         "(frontmatter_blocks.py)", fixable=True, stage="frontmatter",
         repairs=(MergeBlocks,)),
    # --- checks/fields.py: fields -------------------------------------------------------------
    Code("FM101", "error", "a field this kind of note requires is missing or empty (the "
         "missing ones listed in one diagnostic)"),
    Code("FM102", "warning", "a field this kind of note should have is missing or empty (the "
         "missing ones listed in one diagnostic)"),
    Code("FM103", "error", "a field has the wrong type (e.g. a list where one value is expected)",
         fixable=True,
         repairs=(SetValue, QuoteValue)),
    Code("FM104", "warning", "`moc` or `related` written as [[wikilinks]]; the taxonomy wants "
         "bare note names", fixable=True,
         repairs=(SetValue, ReplaceItem)),
    Code("FM105", "warning", "the title is not bilingual ('English / Русский')"),
    # --- checks/fields.py and checks/tags.py: values, tags ------------------------------------
    Code("FM201", "error", "a single-value field holds a value the taxonomy does not allow; "
         "fixable when it is an allowed value in another case, or a misspelling with one "
         "clearly closest value (`meduim`: difflib ratio 0.8 or more, 0.05 ahead of the next)",
         fixable=True,
         repairs=(SetValue,)),
    Code("FM202", "error", "a list field holds an item the taxonomy does not allow; fixable "
         "as FM201", fixable=True,
         repairs=(ReplaceItem,)),
    Code("FM203", "warning", "a subtopic is not in the taxonomy's list for the note's topic"),
    Code("FM204", "warning", "a list field has fewer or more items than the taxonomy allows"),
    Code("FM205", "warning", "the `difficulty/<level>` tag is missing", fixable=True,
         repairs=(AddItems,)),
    Code("FM206", "error", "a `difficulty/<level>` tag contradicts the `difficulty` field",
         fixable=True,
         repairs=(ReplaceItem, RemoveItem)),
    Code("FM207", "warning", "a subtopic is not mirrored as a tag (e.g. `android/<subtopic>`)",
         fixable=True,
         repairs=(AddItems,)),
    Code("FM208", "warning", "a tag is not a valid English tag (Cyrillic, spaces or a "
         "leading '#')", fixable=True,
         repairs=(ReplaceItem,)),
    Code("FM209", "warning", "a tag is listed twice", fixable=True,
         repairs=(RemoveItem,)),
    Code("FM211", "warning", "a front-matter key no field of the taxonomy describes (only when "
         "the taxonomy says `unknown_keys: warn`)"),
    Code("FM210", "warning", "the tags are not in alphabetical order (only when the taxonomy "
         "says `tags: {sorted: true}`)", fixable=True,
         repairs=(Reorder,)),
    # --- checks/ids.py: ids and file names ----------------------------------------------------
    Code("ID001", "error", "two or more notes have the same id; each is told a free id in the "
         "style of the one it has (the next serial number, or the next free second)"),
    Code("ID002", "warning", "the file name does not follow the naming convention of its kind"),
    Code("ID003", "warning", "the file name disagrees with the front matter (kind, topic or "
         "difficulty)", fixable=True),
    Code("ID004", "warning", "the note's path is one the generator keeps for a page of its own "
         "(index, topics/, tags/, difficulty/, mocs/index, graph, study, a folder's index.md): "
         "it is published under "
         "_notes/ instead"),
    # --- checks/fields.py: dates --------------------------------------------------------------
    Code("DATE001", "error", "`created` or `updated` is not a valid ISO date (YYYY-MM-DD); "
         "fixable when the date it means is unambiguous (2025/10/03, 3 Oct 2025)", fixable=True,
         repairs=(SetValue,)),
    Code("DATE002", "error", "`created` is later than `updated`"),
    Code("DATE003", "error", "a date is in the future"),
    # --- checks/languages.py: language sections -----------------------------------------------
    Code("LANG001", "error", "`language_tags` lists a language the body has no section in",
         fixable=True),
    Code("LANG002", "warning", "the body has sections in a language `language_tags` does not "
         "list", fixable=True),
    Code("LANG003", "warning", "the note is in one language only and does not declare it in "
         "`language_tags`", fixable=True),
    Code("LANG004", "warning", "the note has no English or Russian sections at all"),
    Code("LANG005", "warning", "a language section has a heading but no content"),
    Code("LANG006", "warning", "the note's question, answer, summary or key points is missing in "
         "a language the note declares; that page shows the other language's under a notice"),
    Code("LANG007", "warning", "an unmarked section is written in another language than the "
         "heading above it (or follows text that is); it is published on the page of the "
         "language it is written in, and the heading should say so"),
    # --- graph/links.py: links ----------------------------------------------------------------
    Code("LINK001", "error", "a `related` or `moc` entry matches no note; fixable when the note "
         "was renamed (same slug, another topic or difficulty) or one note's name is clearly "
         "the closest (difflib ratio 0.9 or more, 0.05 ahead of the next note; from 0.8 a "
         "hint only)", fixable=True, stage="graph",
         repairs=(SetValue, ReplaceItem)),
    Code("LINK002", "error", "a wikilink in the body matches no note; the message names the "
         "note it was probably meant for (renamed, or clearly the closest name), never "
         "rewritten: the link is the author's", stage="graph"),
    Code("LINK003", "error", "`moc` points to a note that is not a MOC", stage="graph"),
    Code("LINK004", "error", "an embed or link names a file (image, PDF) that is not in the "
         "notes folder", stage="graph"),
    Code("LINK005", "warning", "a `related` or `moc` entry finds its note only by an alias or "
         "title, not by its file name (the note was renamed)", fixable=True, stage="graph",
         repairs=(SetValue, ReplaceItem)),
    Code("LINK006", "warning", "a link or a `related`/`moc` entry names a note that is not "
         "published (`publish: false`, `draft: true`, or the vault's `extra.kb_exclude`): the "
         "page shows its text without a link", stage="publish"),
    # --- dataview/: queries -------------------------------------------------------------------
    Code("DV000", "warning", "a Dataview query could not be rendered", stage="dataview"),
    Code("DV001", "warning", "a Dataview query has a syntax error; the page shows it in a "
         "\"could not be rendered\" box", stage="dataview"),
    Code("DV002", "warning", "a Dataview query uses something outside the supported subset "
         "(TASK, CALENDAR, lambdas, …)", stage="dataview"),
    Code("DV003", "warning", "a DataviewJS block: JavaScript is never run", stage="dataview"),
    Code("DV004", "warning", "a Dataview query failed when run", stage="dataview"),
    # --- checks/fields.py, checks/body.py: text still to write --------------------------------
    # An error, so that CI fails on a committed placeholder; `kb new` writes notes whose only
    # diagnostics are these, so an author sees exactly what is left to write.
    Code("TODO001", "error", "a placeholder from the template ('...', a `<% … %>` expression) "
         "is still in the note: text the author must still write"),
    # --- the generator ----------------------------------------------------------------------
    Code("GEN001", "error", "a validation rule failed on this note (a bug in the generator; "
         "the other rules still ran)"),
)


def make(code: str, path: str, line: int | None, message: str, *, field: str | None = None,
         column: int | None = None, fix: str | None = None,
         fields: tuple[str, ...] = (), repair: Repair | None = None) -> Diagnostic:
    """A Diagnostic whose severity comes from the table, so that it is defined once."""
    return Diagnostic(path=path, line=line, column=column, severity=CODES[code].severity,
                      code=code, message=message, field=field, fix=fix, fields=fields,
                      repair=repair)


def repaired_codes() -> list[str]:
    """Every code `kb fix` repairs (when a diagnostic of it carries a repair value)."""
    return [code.code for code in CODES.values() if code.repairs]

