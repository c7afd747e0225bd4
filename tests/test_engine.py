"""The MkDocs boundary (generator/site/engine.py): the only module that imports MkDocs, refusing
versions it was not written for; a rebuild over hard links to the published site that leaves
it as it was, extra_templates included; and pages taken from the caches that MkDocs validates
as fresh ones (anchors from raw HTML and attribute lists, links to missing anchors)."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import textwrap
import time
import tomllib
from importlib import metadata
from pathlib import Path

import pytest

from generator.site import engine
from generator.site.errors import UnsupportedEngine

from .conftest import REPO_ROOT, build_vault, note_text
from .sitecheck import tree

PACKAGE = REPO_ROOT / "generator"


def test_only_the_engine_module_imports_mkdocs_or_material():
    importers = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            else:
                continue
            if any(name.split(".")[0] in ("mkdocs", "material") for name in names):
                importers.add(path.relative_to(PACKAGE).as_posix())
    assert importers == {"site/engine.py"}


def test_the_pins_are_pyproject_tomls():
    dependencies = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))[
        "project"]["dependencies"]
    pins = engine.pinned_versions()
    assert set(pins) == {"mkdocs", "mkdocs-material"}
    for name, pin in pins.items():
        written = next(d for d in dependencies if d.startswith(name) and d[len(name)] in "<>=!~")
        assert sorted(pin.split(",")) == sorted(written[len(name):].split(","))


def test_a_mkdocs_outside_the_pins_is_refused_with_what_to_install():
    def installed(name: str) -> str:
        return "1.7.0" if name == "mkdocs" else metadata.version(name)

    engine.check_versions()  # the installed ones
    with pytest.raises(UnsupportedEngine) as raised:
        engine.check_versions(installed)
    message = str(raised.value)
    assert "mkdocs: 1.7.0 is installed" in message
    assert f"pip install 'mkdocs{engine.pinned_versions()['mkdocs']}'" in message
    assert "mkdocs-material:" not in message


def test_the_command_line_says_so_without_a_traceback(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "q-a.md").write_text(note_text(id="a", title="A", body="Text."), encoding="utf-8")
    script = textwrap.dedent(f"""
        import sys
        from importlib import metadata
        real = metadata.version
        metadata.version = lambda name: "1.5.3" if name == "mkdocs" else real(name)
        from generator.cli import main
        sys.exit(main(["build", "--notes", {str(notes)!r}, "--site", {str(tmp_path / "site")!r},
                       "--no-cache"]))
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            cwd=REPO_ROOT, check=False)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("kb: error: kb drives MkDocs"), result.stderr
    assert "mkdocs: 1.5.3 is installed" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "site").exists()


def test_an_extra_template_is_not_written_into_the_published_site(tmp_path, make_vault):
    """MkDocs renders a configuration's extra_templates at every build, dirty or not, into the
    file where the docs file would be copied: a rebuild, whose site starts as hard links to the
    published one, must write a new file there, not into the published one."""
    body = "# Question (EN)\nLogo: ![[logo.svg]]\n\n# Вопрос (RU)\nЛого: ![[logo.svg]]"
    notes = make_vault({"q-a--kotlin--easy.md": note_text(id="kotlin-001", title="A / А",
                                                          body=body),
                        "mkdocs.yml": "extra_templates:\n  - logo.svg\n"})
    (notes / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><text>{{ config.site_name }}</text></svg>\n',
        encoding="utf-8")
    site, cache = tmp_path / "site", tmp_path / "cache"
    build_vault(notes, site, cache, vault_config=notes / "mkdocs.yml")
    published = site / "en" / "logo.svg"
    assert "Interview Knowledge Base" in published.read_text(encoding="utf-8")  # rendered
    probe = tmp_path / "published-logo.svg"  # the first build's file, whatever the site becomes
    os.link(published, probe)
    written = probe.stat().st_mtime_ns
    time.sleep(0.05)
    again = build_vault(notes, site, cache, vault_config=notes / "mkdocs.yml")
    assert again.kept["en"] > 0  # a rebuild over the published site's files
    assert probe.stat().st_mtime_ns == written
    assert not published.samefile(probe)
    assert published.read_text(encoding="utf-8") == probe.read_text(encoding="utf-8")


# --- anchors -----------------------------------------------------------------------------------

TARGET = "q-target--kotlin--easy.md"
SOURCE = "q-source--kotlin--easy.md"
TARGET_BODY = """
# Question (EN)
Target?

<a id="raw-anchor"></a>
A paragraph with an anchor in raw HTML.

## Custom heading {#custom-id}
Text.

# Вопрос (RU)
Цель?

<a id="raw-anchor"></a>
Текст.
"""
SOURCE_BODY = f"""
# Question (EN)
See [raw]({TARGET}#raw-anchor), [custom]({TARGET}#custom-id), [missing]({TARGET}#no-such-anchor)
and [here](#nowhere).

# Вопрос (RU)
См. [raw]({TARGET}#raw-anchor) и [missing]({TARGET}#no-such-anchor).
"""
# MkDocs reports links to missing anchors at `info` unless told otherwise.
VAULT_CONFIG = "validation:\n  anchors: warn\n"


def anchored_vault(root: Path, source: str = SOURCE_BODY, target: str = TARGET_BODY) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "mkdocs.yml").write_text(VAULT_CONFIG, encoding="utf-8")
    for name, id, title, body in ((TARGET, "kotlin-001", "Target / Цель", target),
                                  (SOURCE, "kotlin-002", "Source / Источник", source)):
        (root / name).write_text(note_text(id=id, title=title, body=body, topic="kotlin",
                                           difficulty="easy"), encoding="utf-8")
    return root


def built(notes: Path, site: Path, cache: Path | None, **options: object
          ) -> tuple[dict[str, list[str]], dict[str, bytes]]:
    report = build_vault(notes, site, cache, vault_config=notes / "mkdocs.yml", **options)
    return report.engine_warnings, tree(site)


EDITS = {  # what the author changes, in turn: each a new state of the vault
    "source": {"source": SOURCE_BODY + "\nA sentence added to the source.\n"},
    "target": {"source": SOURCE_BODY + "\nA sentence added to the source.\n",
               "target": TARGET_BODY.replace('<a id="raw-anchor"></a>\n', "")},
}


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    """Each state's build from nothing: the warnings and site the cached builds must give."""
    found = {}
    for state, change in EDITS.items():
        root = tmp_path_factory.mktemp(f"fresh-{state}")
        found[state] = built(anchored_vault(root / "notes", **change), root / "site", None)
    return found


@pytest.mark.parametrize("keep_output", [True, False], ids=["kept-output", "conversion-cache"])
def test_pages_from_the_caches_are_validated_as_fresh_ones(tmp_path, fresh, keep_output):
    """With its output kept, a rebuild leaves the pages it does not rebuild as they were (a dirty
    build); without, it takes them from the conversion cache. Either way MkDocs must see their
    anchors (raw HTML's and attr_list's too) and their links to anchors, as a build from
    nothing does: no warning lost, none made up."""
    notes, site, cache = anchored_vault(tmp_path / "notes"), tmp_path / "site", tmp_path / "cache"
    cold = built(notes, site, cache, keep_output=keep_output)
    warnings = cold[0]["en"]
    assert any("#no-such-anchor" in warning for warning in warnings), warnings
    assert any("'#nowhere'" in warning for warning in warnings), warnings
    assert not any("raw-anchor" in warning or "custom-id" in warning for warning in warnings)
    assert built(notes, site, cache, keep_output=keep_output) == cold  # nothing changed
    for state, change in EDITS.items():
        anchored_vault(notes, **change)
        assert built(notes, site, cache, keep_output=keep_output) == fresh[state], state
    # The raw anchor is gone from the target: the source, unchanged since, is told.
    assert any("#raw-anchor" in warning for warning in fresh["target"][0]["en"])
