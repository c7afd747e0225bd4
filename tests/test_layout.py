"""The package's shape, kept by test (issue 19): entry points on top, one subpackage per stage,
no module too long to read, no private name used outside its module."""

from __future__ import annotations

import ast
from pathlib import Path

import generator

PACKAGE = Path(generator.__file__).resolve().parent
STAGES = {"notes", "checks", "graph", "dataview", "site", "authoring"}
MAX_TOP_LEVEL = 12
MAX_LINES = 500


def _modules() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*.py") if "__pycache__" not in path.parts)


def test_the_top_level_holds_the_entry_points_and_the_stages():
    top = sorted(path.name for path in PACKAGE.glob("*.py"))
    assert len(top) <= MAX_TOP_LEVEL, top
    packages = {path.name for path in PACKAGE.iterdir() if (path / "__init__.py").is_file()}
    assert packages == STAGES


def test_no_module_is_longer_than_it_can_be_read():
    long = {path.relative_to(PACKAGE).as_posix(): lines for path in _modules()
            if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def test_no_private_name_is_imported_from_another_module():
    imported = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                imported += [f"{path.relative_to(PACKAGE)}:{node.lineno}: {alias.name}"
                             for alias in node.names
                             if alias.name.startswith("_") and not alias.name.startswith("__")]
    assert imported == []


def test_every_module_says_what_it_is_for():
    missing = [path.relative_to(PACKAGE).as_posix() for path in _modules()
               if path.name != "__main__.py" and not ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))]
    assert missing == []
