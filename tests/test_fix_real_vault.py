"""`kb fix` on a copy of the whole real vault: the diagnostics fall and none grows, only the
repaired lines change, a second run changes nothing, the rewritten notes still build, and every
repair a rule attaches is one its code declares. Skipped without the corpus (KB_CORPUS)."""

from __future__ import annotations

import difflib
import filecmp
import shutil
from collections import Counter
from pathlib import Path

import pytest

from generator import pipeline
from generator.authoring.yaml_edit import FrontMatterText
from generator.checks.codes import CODES
from generator.cli import main
from generator.model import BuildReport
from tests.sitecheck import note_url, page_file

pytestmark = pytest.mark.real_vault


@pytest.fixture(scope="module")
def fixed_vault(corpus, tmp_path_factory) -> tuple[Path, Counter, Counter]:
    """A copy of the real vault after `kb fix`, with the diagnostics by code before and after."""
    copy = tmp_path_factory.mktemp("vault") / "vault"
    shutil.copytree(corpus, copy)
    before = pipeline.check(copy, BuildReport()).diagnostics
    undeclared = [(d.path, d.code, type(d.repair).__name__) for d in before
                  if d.repair is not None and type(d.repair) not in CODES[d.code].repairs]
    assert undeclared == []
    assert main(["fix", "--notes", str(copy)]) == 0
    after = Counter(d.code for d in pipeline.check(copy, BuildReport()).diagnostics)
    return copy, Counter(d.code for d in before), after


def changed_files(corpus: Path, copy: Path) -> list[str]:
    changed = []
    for path in sorted(copy.rglob("*")):
        rel = path.relative_to(copy).as_posix()
        if path.is_file() and not filecmp.cmp(path, corpus / rel, shallow=False):
            changed.append(rel)
    return changed


def test_real_vault_diagnostics_fall_and_none_grows(fixed_vault):
    _, before, after = fixed_vault
    assert sum(after.values()) < sum(before.values())
    assert all(after[code] <= count for code, count in before.items())
    assert set(after) <= set(before)
    assert after["FM207"] == 0 and after["LINK001"] < before["LINK001"]


def test_real_vault_only_repaired_lines_change(corpus, fixed_vault):
    copy, _, _ = fixed_vault
    changed = changed_files(corpus, copy)
    assert changed and not [rel for rel in changed if not rel.endswith(".md")]
    for rel in changed:
        old = (corpus / rel).read_text(encoding="utf-8")
        new = (copy / rel).read_text(encoding="utf-8")
        layout, fixed = FrontMatterText.parse(old), FrontMatterText.parse(new)
        assert layout is not None and fixed is not None
        assert old.split("\n")[layout.front.end_line:] == new.split("\n")[fixed.front.end_line:]
        lines_of_keys = {}
        for key, field in layout.fields.items():
            last = max([field.line] + [item.line for item in field.items])
            for line in range(field.line, last + 1):
                lines_of_keys[line] = key
        matcher = difflib.SequenceMatcher(None, old.split("\n"), new.split("\n"), autojunk=False)
        for tag, i1, i2, _, _ in matcher.get_opcodes():
            if tag == "equal":
                continue
            # 1-based lines replaced, or for an insertion the line it follows
            lines = range(i1 + 1, i2 + 1) if tag != "insert" else [i1]
            touched = {lines_of_keys.get(line) for line in lines}
            assert touched <= {"tags", "related", "moc"}, (rel, tag, i1, i2, touched)


def test_real_vault_fix_is_idempotent(fixed_vault, capsys):
    copy, _, _ = fixed_vault
    assert main(["fix", "--notes", str(copy), "--dry-run"]) == 0
    assert capsys.readouterr().out == ""


def test_real_vault_rewritten_notes_still_build(corpus, fixed_vault, tmp_path):
    copy, _, _ = fixed_vault
    changed = changed_files(corpus, copy)
    small = tmp_path / "notes"
    for rel in changed:
        (small / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(copy / rel, small / rel)
    site = tmp_path / "site"
    assert main(["build", "--notes", str(small), "--site", str(site), "--allow-errors"]) == 0
    for rel in changed:
        for language in ("en", "ru"):
            assert page_file(site / language, note_url(rel)), (language, rel)
