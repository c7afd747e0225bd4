"""Page furniture in the page's language, and parts a language lacks (generator/checks/labels.py,
generator/site/note_parts.py): known section headings, badges and topic names in the page's
language; a section present in both languages shown once; a question, answer, summary or key
points missing in one language shown in the other under a notice, and reported (LANG006)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.checks.labels import section_name
from generator.checks.taxonomy import default_taxonomy
from generator.cli import main

from .conftest import note_text
from .sitecheck import page_file

QUESTION = "70-Kotlin/q-flow--kotlin--easy.md"


def _build(make_vault, tmp_path: Path, files: dict[str, str], capsys) -> tuple[dict[str, str], str]:
    notes = make_vault(files)
    site = tmp_path / "site"
    assert main(["build", "--notes", str(notes), "--site", str(site), "--allow-errors",
                 "--no-cache"]) == 0
    err = capsys.readouterr().err
    url = QUESTION[:-3] + "/"
    return {language: page_file(site / language, url).read_text(encoding="utf-8")
            for language in ("en", "ru")}, err


def _headings(html: str) -> list[str]:
    article = html.split('<article', 1)[1].split('</article>', 1)[0]
    return [re.sub(r"<[^>]+>|¶|&para;", "", text).strip()
            for text in re.findall(r"<h[2-4][^>]*>(.*?)</h[2-4]>", article, re.S)]


def _question(body: str, **fields: str) -> str:
    return note_text(id="k-1", title="Flow / Поток", topic="data-structures", difficulty="easy",
                     status="draft", body=body, **fields)


MISSING_RU_ANSWER = ("# Вопрос (RU)\nЧто такое Flow?\n# Question (EN)\nWhat is Flow?\n"
                     "## Answer (EN)\nA cold asynchronous stream.\n### Example\nflowOf(1) emits one.\n"
                     "## Follow-ups\n- What is a hot flow?\n")


def test_a_missing_answer_is_shown_in_the_other_language_under_a_notice(make_vault, tmp_path, capsys):
    pages, err = _build(make_vault, tmp_path, {QUESTION: _question(MISSING_RU_ANSWER)}, capsys)
    ru, en = pages["ru"], pages["en"]
    assert "Перевод пока не готов" in ru and "Этой части ещё нет на русском" in ru
    assert re.search(r'<div lang="en">\s*<p>A cold asynchronous stream.</p>', ru)
    assert "flowOf(1) emits one." in ru
    # The answer's heading in the page's language, marked for study mode, before the notice.
    assert re.search(r'<h3 class="kb-answer" id="[^"]*">Ответ', ru)
    assert ru.index('class="kb-answer"') < ru.index("Перевод пока не готов")
    assert 'hreflang="en">Читать на английском</a>' in ru
    assert "Not translated yet" not in en and "A cold asynchronous stream." in en
    # Reported at the line of the English answer (the body starts at line 8).
    line = 8 + MISSING_RU_ANSWER.split("\n").index("## Answer (EN)")
    assert f"{QUESTION}:{line}:" in err and "LANG006" in err and "no Russian answer" in err


def test_shared_sections_and_badges_read_in_the_page_language(make_vault, tmp_path, capsys):
    body = ("# Vopros (RU)\nЧто такое Flow?\n# Question (EN)\nWhat is Flow?\n## Otvet (RU)\nПоток.\n"
            "## Answer (EN)\nA stream.\n## References\n- [Docs](https://kotlinlang.org)\n"
            "## Related Questions\n- [[q-other--kotlin--easy]]\n")
    # The status shows where it differs from the vault's usual one (here: draft, twice).
    other = _question("# Question (EN)\nQ?\n# Вопрос (RU)\nВ?\n").replace("id: k-1", "id: k-2")
    files = {QUESTION: _question(body).replace("status: draft", "status: reviewed"),
             "70-Kotlin/q-two--kotlin--easy.md": other,
             "70-Kotlin/q-three--kotlin--easy.md": other.replace("id: k-2", "id: k-3")}
    pages, _ = _build(make_vault, tmp_path, files, capsys)
    assert _headings(pages["ru"])[:4] == ["Вопрос", "Ответ", "Ссылки", "Связанные вопросы"]
    assert _headings(pages["en"])[:4] == ["Question", "Answer", "References", "Related questions"]
    assert "Структуры данных</a>" in pages["ru"] and ">Проверено</span>" in pages["ru"]
    assert "Data structures</a>" in pages["en"] and ">Reviewed</span>" in pages["en"]
    assert "data-structures<" not in pages["ru"] and ">reviewed<" not in pages["ru"]
    meta = pages["en"].split('class="kb-meta"', 1)[1].split("</div>", 1)[0]
    assert "<br" not in meta  # the badges side by side, whatever the line-break setting


def test_a_section_in_both_languages_is_shown_once(make_vault, tmp_path, capsys):
    body = ("# Вопрос (RU)\nЧто?\n# Question (EN)\nWhat?\n## Ответ (RU)\nОтвет.\n## Answer (EN)\nAnswer.\n"
            "## Follow-ups\n- Why?\n## Дополнительные вопросы (RU)\n- Почему?\n")
    pages, _ = _build(make_vault, tmp_path, {QUESTION: _question(body)}, capsys)
    assert _headings(pages["ru"]).count("Дополнительные вопросы") == 1
    assert "Почему?" in pages["ru"] and "Why?" not in pages["ru"]
    assert _headings(pages["en"]).count("Follow-ups") == 1 and "Почему?" not in pages["en"]


def test_a_vault_adds_labels_and_section_names_in_its_taxonomy(make_vault, tmp_path, capsys):
    taxonomy = ("labels:\n  topic:\n    data-structures: {en: Structures, ru: Структуры}\n"
                "sections:\n  gotchas: {en: Gotchas, ru: Подводные камни, also: [Pitfalls]}\n")
    body = ("# Вопрос (RU)\nЧто?\n# Question (EN)\nWhat?\n## Ответ (RU)\nОтвет.\n## Answer (EN)\nAnswer.\n"
            "## Pitfalls\n- [Docs](https://kotlinlang.org)\n")
    pages, _ = _build(make_vault, tmp_path, {QUESTION: _question(body), "taxonomy.yml": taxonomy},
                      capsys)
    assert "Подводные камни" in _headings(pages["ru"]) and "Gotchas" in _headings(pages["en"])
    assert "Структуры</a>" in pages["ru"] and "Structures</a>" in pages["en"]


@pytest.mark.parametrize(("heading", "key"), [
    ("References", "references"), ("Ссылки (RU)", "references"),
    ("**Follow-ups (EN):**", "follow-ups"), ("Dopolnitelnye voprosy", "follow-ups"),
    ("Vopros (RU)", "question"), ("Related (Same Level)", "related"), ("Related (Official)", None),
    ("Ссылки {#ссылки-ru}", "references"), ("Краткое Описание (RU)", "summary"),
    ("Best Practices", None),
])
def test_known_section_names(heading, key):
    found = default_taxonomy().labels.section(heading)
    assert (found.key if found else None) == key, section_name(heading)


@pytest.mark.parametrize(("heading", "russian"), [
    ("Related (Hard)", "Связанные (сложные)"), ('Related ("hard")', "Связанные (сложные)"),
    ("Prerequisites (Easier)", "Предпосылки (проще)"), ("Follow-ups (EN)", "Дополнительные вопросы"),
    ("Related (Official)", None)])
def test_qualified_section_names_are_translated_with_their_qualifier(heading, russian):
    assert default_taxonomy().labels.section_heading(heading, "ru") == russian


def test_keys_tools_add_are_accepted_unless_the_taxonomy_asks(make_vault):
    from generator.checks.taxonomy import load_taxonomy
    from generator.checks.validate import validate_vault
    from generator.notes.load import load_vault

    text = _question("# Question (EN)\nQ?\n# Вопрос (RU)\nВ?\n", anki_cards="[{slug: q-1}]",
                     sync_stamp="2025-01-01")
    notes = make_vault({QUESTION: text})
    codes = [d.code for d in validate_vault(load_vault(notes), load_taxonomy(None, notes))]
    assert "FM211" not in codes
    (notes / "taxonomy.yml").write_text("unknown_keys: warn\n", encoding="utf-8")
    found = [d for d in validate_vault(load_vault(notes), load_taxonomy(None, notes))
             if d.code == "FM211"]
    assert sorted(d.field for d in found) == ["anki_cards", "sync_stamp"]
    assert all(d.line and d.line > 1 for d in found)
