"""`kb fix` on small bilingual notes shaped like the real vault's (a question with flow lists, one
with block lists, a concept with quoted values, two MOCs), written to a temporary folder: each
repair gives back the note as it was before it was broken (or the one right spelling), byte for
byte, untouched lines and all, and a second run changes nothing. The interpreter applies each
kind of repair value, and no rule attaches a value its code does not declare (codes.py). Runs on
the whole real vault are in test_fix_real_vault.py."""

from __future__ import annotations

import datetime as dt
import difflib
import typing
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.authoring import fix
from generator.authoring.fix import NoteChecker, applied, fix_text, fix_vault
from generator.authoring.yaml_edit import Edit
from generator.checks.codes import CODES, repaired_codes
from generator.checks.taxonomy import Taxonomy, default_taxonomy, parse_taxonomy
from generator.cli import main
from generator.model import (
    AddItems,
    Diagnostic,
    MergeBlocks,
    NoteKey,
    QuoteValue,
    RemoveItem,
    Reorder,
    Repair,
    ReplaceItem,
    ReplaceLine,
    SetValue,
    StripByteOrderMark,
    UnixLineEnds,
)
from generator.notes.load import load_text, load_vault

SORTED_TAGS = parse_taxonomy("tags: {sorted: true}\n", "test", base=default_taxonomy())

KOTLIN_Q = "70-Kotlin/q-data-class-copy--kotlin--easy.md"  # flow lists, plain values
ANDROID_Q = "40-Android/q-fragment-back-stack--android--medium.md"  # block lists, mirrored tags
CONCEPT = "10-Concepts/c-data-classes.md"  # quoted values and dates, no `kind`
MOC_KOTLIN = "90-MOCs/moc-kotlin.md"
MOC_ANDROID = "90-MOCs/moc-android.md"

NOTES = {
    KOTLIN_Q: """\
---
id: kotlin-710
title: "Data Class Copy / Копирование data class"
aliases: [Data Class Copy, Копирование data class]
topic: kotlin
subtopics: [data-classes]
question_kind: theory
difficulty: easy
original_language: en
language_tags: [en, ru]
status: draft
moc: moc-kotlin
related: [c-data-classes, q-fragment-back-stack--android--medium]
created: 2025-10-15
updated: 2025-11-10
tags: [data-classes, difficulty/easy, immutability, kotlin]
---
# Вопрос (RU)
> Что делает функция `copy()` у data class?

# Question (EN)
> What does the `copy()` function of a data class do?

## Ответ (RU)

`copy()` создаёт новый объект с теми же значениями свойств; именованные аргументы заменяют часть
из них, а исходный объект не меняется.

## Answer (EN)

`copy()` makes a new object with the same property values; named arguments replace some of them,
and the original object stays as it was.

## Related Questions

- [[q-fragment-back-stack--android--medium]]
""",
    ANDROID_Q: """\
---
id: android-720
title: Fragment Back Stack / Стек возврата фрагментов
aliases:
  - Fragment Back Stack
  - Стек возврата фрагментов
topic: android
subtopics:
  - fragment
  - ui-navigation
question_kind: android
difficulty: medium
original_language: ru
language_tags:
  - en
  - ru
status: reviewed
moc: moc-android
related:
  - c-data-classes
  - q-data-class-copy--kotlin--easy
created: 2025-10-25
updated: 2025-10-29
tags:
  - android/fragment
  - android/ui-navigation
  - difficulty/medium
  - fragmentmanager
  - fragmenttransaction
---
# Вопрос (RU)
> Как работает стек возврата фрагментов?

# Question (EN)
> How does the fragment back stack work?

## Ответ (RU)

`addToBackStack()` сохраняет транзакцию в стеке `FragmentManager`; кнопка «Назад» отменяет
последнюю сохранённую транзакцию.

## Answer (EN)

`addToBackStack()` keeps a transaction on the `FragmentManager`'s stack; the Back button
reverses the last transaction kept there.
""",
    CONCEPT: """\
---
id: "20251020-101500"
title: "Data Classes / Data-классы"
aliases: ["Data Classes", "Data-классы"]
summary: "Classes that hold data, with equals, hashCode, toString and copy generated"
topic: "kotlin"
subtopics: ["data-classes", "immutability"]
question_kind: "theory"
difficulty: "easy"
original_language: "en"
language_tags: ["en", "ru"]
status: "draft"
moc: "moc-kotlin"
related: []
created: "2025-10-20"
updated: "2025-11-08"
tags: ["concept", "data-classes", "difficulty/easy", "kotlin"]
---

# Data Classes / Data-классы

## Summary (EN)

A data class holds values: the compiler writes `equals`, `hashCode`, `toString` and `copy` for
the properties of its primary constructor.

## Краткое описание (RU)

Data-класс хранит значения: компилятор сам пишет `equals`, `hashCode`, `toString` и `copy` для
свойств первичного конструктора.
""",
    MOC_KOTLIN: """\
---
id: moc-kotlin
title: Kotlin — MOC
created: 2025-10-01
updated: 2025-11-01
tags: [kotlin, moc]
---
# Kotlin — MOC

- [[q-data-class-copy--kotlin--easy]]
- [[c-data-classes]]
""",
    MOC_ANDROID: """\
---
id: moc-android
title: Android — MOC
created: 2025-10-01
updated: 2025-11-01
tags: [android, moc]
---
# Android — MOC

- [[q-fragment-back-stack--android--medium]]
""",
}

Edit_ = Callable[[str], str]
SAME: Edit_ = lambda text: text  # noqa: E731 - the fix gives back the original note


def sub(old: str, new: str) -> Edit_:
    """Replace text that must be in the note, so that a changed fixture fails loudly."""
    def edit(text: str) -> str:
        assert old in text, f"{old!r} is not in the note"
        return text.replace(old, new, 1)
    return edit


def first_line(old: str, new: str) -> Edit_:
    def edit(text: str) -> str:
        assert text.startswith(old)
        return new + text[len(old):]
    return edit


def closing_fence(new: str) -> Edit_:
    def edit(text: str) -> str:
        end = text.index("\n---\n", 3)
        return text[:end] + "\n" + new + "\n" + text[end + 5:]
    return edit


def chain(*edits: Edit_) -> Edit_:
    def edit(text: str) -> str:
        for step in edits:
            text = step(text)
        return text
    return edit


def write_vault(root: Path, edits: dict[str, Edit_] | None = None,
                rename: dict[str, str] | None = None) -> dict[str, str]:
    """The five notes in `root`, those in `edits` changed (and moved to `rename`'s path);
    {path as written: text}."""
    written = {}
    for rel, text in NOTES.items():
        text = (edits or {}).get(rel, SAME)(text)
        dest = (rename or {}).get(rel, rel)
        (root / dest).parent.mkdir(parents=True, exist_ok=True)
        (root / dest).write_bytes(text.encode("utf-8"))
        written[dest] = text
    return written


def checker_for(root: Path, taxonomy: Taxonomy | None = None) -> NoteChecker:
    return NoteChecker(load_vault(root), taxonomy or default_taxonomy())


def test_the_notes_are_clean(tmp_path):
    write_vault(tmp_path)
    checker = checker_for(tmp_path, SORTED_TAGS)
    assert [d for note in checker.vault.notes for d in checker.check(note)] == []


# --- each repair -----------------------------------------------------------------------------

# (id, note, how it is broken, the code that says so, what the fix must give from the original)
REPAIRS = [
    ("difficulty-tag-flow", KOTLIN_Q, sub("difficulty/easy, ", ""), "FM205", SAME),
    ("difficulty-tag-block", ANDROID_Q, sub("  - difficulty/medium\n", ""), "FM205", SAME),
    ("mirror-tag-block", ANDROID_Q, sub("  - android/ui-navigation\n", ""), "FM207", SAME),
    ("mirror-tags-both", ANDROID_Q, sub("  - android/fragment\n  - android/ui-navigation\n", ""),
     "FM207", SAME),
    ("tag-twice-flow", KOTLIN_Q, sub("immutability, kotlin]", "immutability, kotlin, kotlin]"),
     "FM209", SAME),
    ("tag-twice-block", ANDROID_Q,
     sub("  - fragmenttransaction\n", "  - fragmenttransaction\n  - fragmentmanager\n"), "FM209", SAME),
    ("tags-unsorted", KOTLIN_Q, sub("[data-classes, difficulty/easy,", "[difficulty/easy, data-classes,"),
     "FM210", SAME),
    ("date-slashes", KOTLIN_Q, sub("created: 2025-10-15", "created: 2025/10/15"), "DATE001", SAME),
    ("date-words-quoted", CONCEPT, sub('updated: "2025-11-08"', 'updated: "8 Nov 2025"'), "DATE001",
     SAME),
    ("date-number", KOTLIN_Q, sub("created: 2025-10-15", "created: 20251015"), "DATE001", SAME),
    ("fence-stray-opening", KOTLIN_Q, first_line("---\n", "--- x\n"), "FM002", SAME),
    ("fence-stray-closing", CONCEPT, closing_fence("--- end"), "FM002", SAME),
    ("front-matter-glued-to-fence", KOTLIN_Q, first_line("---\nid:", "---\n'---id':"), "FM008", SAME),
    ("aliases-as-text", KOTLIN_Q,
     sub("aliases: [Data Class Copy, Копирование data class]", "aliases: Data Class Copy"),
     "FM103", sub("aliases: [Data Class Copy, Копирование data class]", "aliases: [Data Class Copy]")),
    ("aliases-as-text-with-comma", CONCEPT,
     sub('aliases: ["Data Classes", "Data-классы"]', 'aliases: "Data Classes, Records"'),
     "FM103", sub('aliases: ["Data Classes", "Data-классы"]', "aliases: ['Data Classes, Records']")),
    ("tags-as-text", KOTLIN_Q, sub("tags: [data-classes, difficulty/easy, immutability, kotlin]",
                                   "tags: data-classes, difficulty/easy, immutability, kotlin"),
     "FM103", SAME),
    ("topic-as-list", KOTLIN_Q, sub("topic: kotlin", "topic: [kotlin]"), "FM103", SAME),
    ("moc-unquoted-wikilink", KOTLIN_Q, sub("moc: moc-kotlin", "moc: [[moc-kotlin]]"), "FM103", SAME),
    ("summary-a-number", CONCEPT, sub('summary: "Classes that hold data, with equals, hashCode, '
                                      'toString and copy generated"', "summary: 2025"),
     "FM103", sub('summary: "Classes that hold data, with equals, hashCode, toString and copy '
                  'generated"', "summary: '2025'")),
    ("moc-quoted-wikilink", KOTLIN_Q, sub("moc: moc-kotlin", 'moc: "[[moc-kotlin]]"'), "FM104",
     sub("moc: moc-kotlin", 'moc: "moc-kotlin"')),
    ("related-quoted-wikilink-block", ANDROID_Q, sub("  - c-data-classes\n", '  - "[[c-data-classes]]"\n'),
     "FM104", sub("  - c-data-classes\n", '  - "c-data-classes"\n')),
    ("difficulty-case", KOTLIN_Q, sub("difficulty: easy", "difficulty: Easy"), "FM201", SAME),
    ("difficulty-misspelt", ANDROID_Q, sub("difficulty: medium", "difficulty: meduim"), "FM201", SAME),
    ("language-tag-case", KOTLIN_Q, sub("language_tags: [en, ru]", "language_tags: [en, RU]"), "FM202",
     SAME),
    ("difficulty-tag-contradicts", ANDROID_Q, sub("  - difficulty/medium", "  - difficulty/hard"),
     "FM206", SAME),
    ("difficulty-tags-contradict-twice", KOTLIN_Q,
     sub("difficulty/easy, ", "difficulty/hard, difficulty/medium, "), "FM206", SAME),
    ("tag-with-hash", ANDROID_Q, sub("  - fragmentmanager\n", "  - '#fragmentmanager'\n"), "FM208",
     sub("  - fragmentmanager\n", "  - 'fragmentmanager'\n")),
    ("tag-with-space", KOTLIN_Q, sub("[data-classes,", "[data classes,"), "FM208", SAME),
    ("related-renamed-flow", KOTLIN_Q,
     sub("q-fragment-back-stack--android--medium]", "q-fragment-back-stack--android--hard]"), "LINK001",
     SAME),
    ("related-renamed-block", ANDROID_Q,
     sub("  - q-data-class-copy--kotlin--easy\n", "  - q-data-class-copy--kotlin--medium\n"), "LINK001",
     SAME),
    ("moc-misspelt", KOTLIN_Q, sub("moc: moc-kotlin", "moc: moc-kotln"), "LINK001", SAME),
    ("related-wikilink-of-a-renamed-note", KOTLIN_Q,
     sub("q-fragment-back-stack--android--medium]", '"[[q-fragment-back-stack--android--hard]]"]'),
     "LINK001", sub("q-fragment-back-stack--android--medium]", '"q-fragment-back-stack--android--medium"]')),
    # Order within a round: a tag is respelt before one is added, so that it goes where
    # alphabetical order puts it (added first, it would go at the end of a list out of order),
    # in the quotes of the item it goes before.
    ("tag-respelt-then-one-added", KOTLIN_Q,
     chain(sub("difficulty/easy, ", ""), sub("immutability,", "'#immutability',")), "FM205",
     sub("difficulty/easy, immutability,", "'difficulty/easy', 'immutability',")),
    ("byte-order-mark", KOTLIN_Q, lambda text: "\ufeff" + text, "FILE005", SAME),
    ("crlf", ANDROID_Q, lambda text: text.replace("\n", "\r\n"), "FILE006", SAME),
    ("three-at-once", ANDROID_Q,
     chain(sub("  - difficulty/medium\n", ""), sub("  - android/ui-navigation\n", ""),
           sub("  - fragmentmanager\n", "  - fragmentmanager\n  - fragmentmanager\n")),
     "FM209", SAME),
]


@pytest.mark.parametrize(("note", "breaking", "code", "expected"), [case[1:] for case in REPAIRS],
                         ids=[case[0] for case in REPAIRS])
def test_repair_gives_back_the_note(tmp_path, note, breaking, code, expected):
    broken = write_vault(tmp_path, {note: breaking})[note]
    checker = checker_for(tmp_path, SORTED_TAGS if code == "FM210" else None)
    fixed = fix_text(NoteKey(note), broken, checker)
    assert code in fixed.repaired, [d.code for d in fixed.remaining]
    want = expected(NOTES[note])
    assert fixed.after == want, "".join(difflib.unified_diff(want.splitlines(True),
                                                             fixed.after.splitlines(True)))
    assert fix_text(NoteKey(note), fixed.after, checker).after == fixed.after  # idempotent


def test_related_entry_found_by_an_alias(tmp_path):
    old = "q-data-class-copy--kotlin--easy"
    written = write_vault(tmp_path, {
        KOTLIN_Q: sub("aliases: [Data Class Copy,", f"aliases: [{old}, Data Class Copy,"),
        CONCEPT: sub("related: []", f'related: ["{old}"]'),
    }, rename={KOTLIN_Q: "70-Kotlin/q-data-class-clone--kotlin--easy.md"})
    fixed = fix_text(NoteKey(CONCEPT), written[CONCEPT], checker_for(tmp_path))
    assert fixed.repaired == Counter({"LINK005": 1})
    assert fixed.after == written[CONCEPT].replace(f'related: ["{old}"]',
                                                   'related: ["q-data-class-clone--kotlin--easy"]')


def test_ambiguous_date_and_unknown_value_are_left_for_the_author(tmp_path):
    written = write_vault(tmp_path, {KOTLIN_Q: chain(sub("created: 2025-10-15", "created: 03/04/2025"),
                                                     sub("question_kind: theory", "question_kind: conceptual"))})
    fixed = fix_text(NoteKey(KOTLIN_Q), written[KOTLIN_Q], checker_for(tmp_path))
    assert fixed.after == written[KOTLIN_Q]
    assert sorted(d.code for d in fixed.remaining) == ["DATE001", "FM201"]
    assert all(d.repair is None for d in fixed.remaining)


def test_a_repair_that_would_break_the_note_is_not_kept(tmp_path, monkeypatch):
    real = fix.edits_for

    def vandal(value: Repair, fm):
        if isinstance(value, AddItems):
            layout = fm.fields["tags"]
            return [Edit(layout.start, layout.end, "[unclosed", "tags")]
        return real(value, fm)

    monkeypatch.setattr(fix, "edits_for", vandal)
    written = write_vault(tmp_path, {KOTLIN_Q: sub("difficulty/easy, ", "")})
    result = fix_vault(tmp_path)
    assert (tmp_path / KOTLIN_Q).read_text(encoding="utf-8") == written[KOTLIN_Q]
    assert result.changed == [] and "left as it was" in result.summary()


def test_dry_run_prints_a_diff_and_writes_nothing(tmp_path, capsys):
    written = write_vault(tmp_path, {KOTLIN_Q: sub("difficulty/easy, ", "")})
    assert main(["fix", "--notes", str(tmp_path), "--dry-run"]) == 1
    out, err = capsys.readouterr()
    assert f"--- a/{KOTLIN_Q}\n+++ b/{KOTLIN_Q}\n" in out
    assert "-tags: [data-classes, immutability, kotlin]\n" in out
    assert "+tags: [data-classes, difficulty/easy, immutability, kotlin]\n" in out
    assert "would repair 1 diagnostics in 1 of 5 notes (FM205 1)" in err
    assert (tmp_path / KOTLIN_Q).read_text(encoding="utf-8") == written[KOTLIN_Q]
    assert main(["fix", "--notes", str(tmp_path)]) == 0
    assert main(["fix", "--notes", str(tmp_path), "--dry-run"]) == 0  # nothing left to do
    assert (tmp_path / KOTLIN_Q).read_text(encoding="utf-8") == NOTES[KOTLIN_Q]


def test_paths_limit_what_is_fixed(tmp_path, monkeypatch):
    written = write_vault(tmp_path, {KOTLIN_Q: sub("difficulty/easy, ", ""),
                                     ANDROID_Q: sub("  - difficulty/medium\n", "")})
    monkeypatch.chdir(tmp_path)
    assert main(["fix", "--notes", ".", ANDROID_Q]) == 0
    assert (tmp_path / KOTLIN_Q).read_text(encoding="utf-8") == written[KOTLIN_Q]
    assert (tmp_path / ANDROID_Q).read_text(encoding="utf-8") == NOTES[ANDROID_Q]


# --- the interpreter: each kind of value ------------------------------------------------------

def _note(front: str) -> str:
    return f"---\nid: x\n{front}---\n# Body\n"


# (id, the front matter's lines after `id`, the value, those lines after it is applied)
VALUES: list[tuple[str, str, Repair, str]] = [
    ("set-text-in-its-quotes", 'difficulty: "Easy"\n', SetValue("difficulty", "easy"),
     'difficulty: "easy"\n'),
    ("set-text-over-a-list", "moc: [[moc-kotlin]]  # hub\n", SetValue("moc", "moc-kotlin"),
     "moc: moc-kotlin  # hub\n"),
    ("set-text-over-a-block-list", "topic:\n  - kotlin\n", SetValue("topic", "kotlin"), "topic: kotlin\n"),
    ("set-date-in-its-quotes", "created: '2025/10/15'\n", SetValue("created", dt.date(2025, 10, 15)),
     "created: '2025-10-15'\n"),
    ("set-date-plain", "created: 15 Oct 2025\n", SetValue("created", dt.date(2025, 10, 15)),
     "created: 2025-10-15\n"),
    ("set-list", "tags: kotlin, jvm\n", SetValue("tags", ("kotlin", "jvm")), "tags: [kotlin, jvm]\n"),
    ("set-list-not-over-a-block-scalar", "tags: |\n  kotlin\n", SetValue("tags", ("kotlin",)),
     "tags: |\n  kotlin\n"),
    ("quote-a-number", "title: 2025\n", QuoteValue("title"), "title: '2025'\n"),
    ("quote-yes", "title: yes\n", QuoteValue("title"), "title: 'yes'\n"),
    ("replace-item-flow", "tags: [a, '#b', c]\n", ReplaceItem("tags", 1, "b"), "tags: [a, 'b', c]\n"),
    ("replace-item-block", "tags:\n  - a\n  - b c\n", ReplaceItem("tags", 1, "b-c"),
     "tags:\n  - a\n  - b-c\n"),
    ("replace-item-russian", "aliases: [Копия, x]\n", ReplaceItem("aliases", 1, "копировать"),
     "aliases: [Копия, копировать]\n"),
    ("remove-item-flow", "tags: [a, b, b]\n", RemoveItem("tags", 2), "tags: [a, b]\n"),
    ("remove-first-item-flow", "tags: [b, a, b]\n", RemoveItem("tags", 0), "tags: [a, b]\n"),
    ("remove-item-block", "tags:\n  - a\n  - a\n  - b\n", RemoveItem("tags", 1), "tags:\n  - a\n  - b\n"),
    ("add-items-in-order", "tags: [a, c]\n", AddItems("tags", ("b",)), "tags: [a, b, c]\n"),
    ("add-items-at-the-end", "tags: [c, a]\n", AddItems("tags", ("b",)), "tags: [c, a, b]\n"),
    ("add-items-block", "tags:\n  - a\n  - c\n", AddItems("tags", ("b", "d")),
     "tags:\n  - a\n  - b\n  - c\n  - d\n"),
    ("add-items-to-empty", "tags: []\n", AddItems("tags", ("a",)), "tags: [a]\n"),
    ("reorder", "tags: [c, 'a', b]\n", Reorder("tags", (1, 2, 0)), "tags: ['a', b, c]\n"),
    ("reorder-block", "tags:\n  - b\n  - a\n", Reorder("tags", (1, 0)), "tags:\n  - a\n  - b\n"),
    ("reorder-not-a-changed-list", "tags: [b, a, c]\n", Reorder("tags", (1, 0)), "tags: [b, a, c]\n"),
]
WHOLE_FILE: list[tuple[str, str, Repair, str]] = [
    ("replace-line", "--- x\nid: x\n---\nbody\n", ReplaceLine(1, "---"), "---\nid: x\n---\nbody\n"),
    ("merge-blocks", "---\na: 1\n---\n---\nb: 2\n---\nbody\n", MergeBlocks(1, 6, ("a: 1", "b: 2")),
     "---\na: 1\nb: 2\n---\nbody\n"),
    ("strip-byte-order-mark", "\ufeff---\nid: x\n---\n", StripByteOrderMark(), "---\nid: x\n---\n"),
    ("unix-line-ends", "---\r\nid: x\r---\r\n", UnixLineEnds(), "---\nid: x\n---\n"),
]


@pytest.mark.parametrize(("front", "value", "expected"), [case[1:] for case in VALUES],
                         ids=[case[0] for case in VALUES])
def test_the_interpreter_applies_each_value(front, value, expected):
    assert applied(_note(front), value) == _note(expected)


@pytest.mark.parametrize(("text", "value", "expected"), [case[1:] for case in WHOLE_FILE],
                         ids=[case[0] for case in WHOLE_FILE])
def test_the_interpreter_applies_each_value_to_the_file(text, value, expected):
    assert applied(text, value) == expected


def test_every_kind_of_value_has_a_case_above():
    kinds = {type(case[2]) for case in VALUES + WHOLE_FILE}
    assert kinds == set(typing.get_args(Repair))


# --- which codes are repaired: declared once, in codes.py -------------------------------------

def _repairs_found(tmp_path: Path) -> list[Diagnostic]:
    """The diagnostics carrying a repair, over every broken note of REPAIRS."""
    found = []
    for index, (_, note, breaking, code, _) in enumerate(REPAIRS):
        root = tmp_path / str(index)
        broken = write_vault(root, {note: breaking})[note]
        checker = checker_for(root, SORTED_TAGS if code == "FM210" else None)
        found += [d for d in checker.check(load_text(NoteKey(note), broken)) if d.repair]
    return found


def test_no_rule_attaches_a_repair_its_code_does_not_declare(tmp_path):
    undeclared = [(d.code, type(d.repair).__name__) for d in _repairs_found(tmp_path)
                  if type(d.repair) not in CODES[d.code].repairs]
    assert undeclared == []


def test_every_code_declared_repaired_has_a_case_that_repairs_it(tmp_path):
    produced = {d.code for d in _repairs_found(tmp_path)} | {"LINK005"}  # its own test above
    assert set(repaired_codes()) <= produced
    assert set(repaired_codes()) == {case[3] for case in REPAIRS} | {"LINK005"}
