"""`kb init` sets up a vault's repository (its files, idempotent, checked by the tools that read
them, then used: pre-commit's hooks offline, validate, build); the vault's own mkdocs.yml is
layered over the base configuration; `kb --version`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from generator.authoring import init
from generator.site import project
from generator.site.errors import VaultConfigError
from generator.site.project import SiteOptions, find_vault_config, project_config

from .conftest import REPO_ROOT

BIN = Path(sys.executable).parent  # kb, pre-commit and actionlint of the test environment
VERSION = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
WRITTEN = ["mkdocs.yml", "notes/taxonomy.yml", ".github/workflows/kb-site.yml",
           ".pre-commit-config.yaml"]


def run(*command: object, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(part) for part in command], cwd=cwd, capture_output=True,
                          text=True, env={**os.environ, **env}, timeout=600)


def kb(*args: object, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run(BIN / "kb", *args, cwd=cwd)


def git(repo: Path, *args: str) -> None:
    run("git", "-c", "user.name=t", "-c", "user.email=t@t", *args, cwd=repo).check_returncode()


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    """A vault's repository, as someone adopting kb has it: notes/ and a .gitignore, committed."""
    repo = tmp_path_factory.mktemp("init") / "my-vault"
    shutil.copytree(REPO_ROOT / "notes", repo / "notes")
    (repo / ".gitignore").write_text(".obsidian/workspace.json\n_site", encoding="utf-8")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "notes")
    return repo


@pytest.fixture(scope="module")
def first(repo) -> subprocess.CompletedProcess[str]:
    return kb("init", cwd=repo)


def test_init_writes_the_files_and_says_what_to_do_next(repo, first):
    assert first.returncode == 0, first.stderr
    lines = first.stdout.splitlines()
    assert lines[0] == f"kb init: {repo} (notes: notes/, kb-generator {VERSION})"
    for path in WRITTEN:
        assert any(line.startswith(f"  wrote     {path}") for line in lines), path
        assert (repo / path).is_file()
    assert "  added to  .gitignore  (_site/, .cache/)" in lines
    # The lines it lacked are added, what was there stays (`_site` without a slash counts).
    assert (repo / ".gitignore").read_text(encoding="utf-8") == (
        ".obsidian/workspace.json\n_site\n\n# kb: the built site and the build cache\n.cache/\n")
    assert f"  git add {' '.join(WRITTEN)} .gitignore" in lines
    assert any("Settings → Pages → Source: GitHub Actions" in line for line in lines)
    assert 'site_name: "My vault"' in (repo / "mkdocs.yml").read_text(encoding="utf-8")
    assert "extends: default" in (repo / "notes/taxonomy.yml").read_text(encoding="utf-8")


def test_the_taxonomy_adopts_the_vaults_values_but_not_its_misspellings(tmp_path):
    """A vault whose notes use a subtopic kb's built-in rules lack, and one that is a
    near-duplicate of an allowed one: init's taxonomy.yml allows the first (the vault's
    vocabulary), and validate still reports the second (a probable misspelling)."""
    repo = tmp_path / "vault"
    shutil.copytree(REPO_ROOT / "notes", repo / "notes")
    new = repo / "notes/40-Android/q-room-database-basics--android--easy.md"
    near = repo / "notes/40-Android/q-viewmodel-survives-rotation--android--medium.md"
    new.write_text(new.read_text(encoding="utf-8").replace("subtopics: [", "subtopics: [jobs, ", 1),
                   encoding="utf-8")
    near.write_text(near.read_text(encoding="utf-8").replace("subtopics: [", "subtopics: [lifecycles, ", 1),
                    encoding="utf-8")
    before = kb("validate", "--notes", "notes", cwd=repo).stdout
    assert "'jobs'" in before and "'lifecycles'" in before
    result = kb("init", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert "notes/taxonomy.yml  (the built-in rules and 1 value the notes use; 1 near-duplicate " \
        "left to fix: kb taxonomy)" in result.stdout
    taxonomy = (repo / "notes/taxonomy.yml").read_text(encoding="utf-8")
    assert "extends: default" in taxonomy and "- jobs" in taxonomy and "lifecycles" not in taxonomy
    after = kb("validate", "--notes", "notes", cwd=repo).stdout
    assert "'jobs'" not in after and "'lifecycles'" in after and "'lifecycle'" in after


def test_a_second_run_keeps_every_file_and_force_rewrites_them(repo, first):
    before = {path: (repo / path).read_bytes() for path in [*WRITTEN, ".gitignore"]}
    (repo / "mkdocs.yml").write_text("site_name: Mine\n", encoding="utf-8")
    again = kb("init", cwd=repo)
    assert again.returncode == 0, again.stderr
    for path in WRITTEN:
        assert f"  kept      {path}  (exists; --force rewrites it)" in again.stdout.splitlines()
    assert "  has       .gitignore  (_site/, .cache/)" in again.stdout.splitlines()
    assert "git add" not in again.stdout
    assert (repo / "mkdocs.yml").read_text(encoding="utf-8") == "site_name: Mine\n"
    forced = kb("init", ".", "--notes", "notes", "--force", cwd=repo)
    assert forced.returncode == 0, forced.stderr
    assert "  rewrote   mkdocs.yml" in forced.stdout.splitlines()
    assert {path: (repo / path).read_bytes() for path in before} == before


def test_the_written_workflow_pins_this_version_and_passes_actionlint(repo, first):
    workflow = repo / ".github/workflows/kb-site.yml"
    result = run(BIN / "actionlint", workflow, cwd=repo)
    assert result.returncode == 0, result.stdout + result.stderr
    text = workflow.read_text(encoding="utf-8")
    assert f'KB_GENERATOR: "kb-generator=={VERSION}"' in text and 'KB_NOTES: "notes"' in text
    assert "path: .cache/kb" in text and "--format github" in text and "--site _site" in text
    assert "git+https://github.com/" in text  # the alternative, in a comment


def test_the_written_hooks_run_offline_with_the_installed_kb(repo, first, tmp_path):
    config = repo / ".pre-commit-config.yaml"
    valid = run(BIN / "pre-commit", "validate-config", config, cwd=repo)
    assert valid.returncode == 0, valid.stdout + valid.stderr
    assert "repo: local" in config.read_text(encoding="utf-8")
    git(repo, "add", "-A")
    env = {"PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "PRE_COMMIT_HOME": str(tmp_path)}
    result = run(BIN / "pre-commit", "run", "--all-files", cwd=repo, **env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "kb fix" in result.stdout and "kb validate --strict" in result.stdout

    note = repo / "notes/70-Kotlin/q-launch-vs-async--kotlin--easy.md"
    text = note.read_text(encoding="utf-8")
    note.write_text(text.replace("related: [c-coroutines,", "related: [c-no-such-note,"),
                    encoding="utf-8")
    try:
        broken = run(BIN / "pre-commit", "run", "--files", note.relative_to(repo), cwd=repo, **env)
    finally:
        note.write_text(text, encoding="utf-8")
    assert broken.returncode == 1 and "c-no-such-note" in broken.stdout


def test_the_vault_validates_and_builds_with_its_own_site_settings(repo, first):
    """The written mkdocs.yml, with a name and a stylesheet of the vault's, layered over kb's."""
    settings = repo / "mkdocs.yml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        'site_name: "My vault"', "site_name: My Vault\nextra_css: [https://example.org/vault.css]"),
        encoding="utf-8")
    validate = kb("validate", "--notes", "notes", cwd=repo)
    assert validate.returncode == 0, validate.stdout + validate.stderr
    build = kb("build", "--notes", "notes", "--site", "_site", cwd=repo)
    assert build.returncode == 0, build.stderr[-3000:]
    for language in ("en", "ru"):
        page = (repo / "_site" / language / "topics" / "index.html").read_text(encoding="utf-8")
        assert "<title>" in page and " - My Vault</title>" in page
        assert 'href="https://example.org/vault.css"' in page
        assert 'href="assets/stylesheets/kb.css"' not in page  # a page one folder down
        assert 'href="../assets/stylesheets/kb.css"' in page  # kb's own stays, before the vault's
        assert page.index("kb.css") < page.index("vault.css")


def test_init_refuses_a_folder_that_is_not_there(tmp_path):
    result = kb("init", "nowhere", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (2, "kb: error: folder not found: nowhere\n")
    result = kb("init", "--notes", "vault", cwd=tmp_path)
    assert result.returncode == 2 and "notes folder not found" in result.stderr


def test_a_vault_kept_at_the_repository_root(tmp_path):
    (tmp_path / "a.md").write_text("# A\n", encoding="utf-8")
    result = kb("init", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "(notes: ./," in result.stdout
    assert "  note: not a git repository yet (git init)" in result.stdout.splitlines()
    assert (tmp_path / "taxonomy.yml").is_file()
    config = (tmp_path / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    assert 'files: "\\\\.md$"' in config and "kb validate --notes . --strict" in config
    assert 'KB_NOTES: "."' in (tmp_path / ".github/workflows/kb-site.yml").read_text(encoding="utf-8")


def test_kb_version_prints_pyprojects_version():
    for command in ([BIN / "kb", "--version"], [sys.executable, "-m", "generator", "--version"]):
        result = run(*command, cwd=REPO_ROOT)
        assert (result.returncode, result.stdout) == (0, f"kb {VERSION}\n")


def test_the_version_of_a_source_checkout_that_is_not_installed(monkeypatch):
    def not_installed(name: str) -> str:
        raise init.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(init.metadata, "version", not_installed)
    assert init.package_version() == VERSION


# The layering, as data: the per-language mkdocs.yml made from a vault's settings.

def config_for(tmp_path: Path, text: str, language: str = "en", site_url: str | None = None
               ) -> dict:
    (tmp_path / ".git").mkdir(exist_ok=True)
    (tmp_path / "notes").mkdir(exist_ok=True)
    (tmp_path / "mkdocs.yml").write_text(text, encoding="utf-8")
    options = project.vault_options(SiteOptions(site_url=site_url), tmp_path / "notes")
    return project_config(language, tmp_path / "docs", tmp_path / "site", ["nav"], options)


def test_the_generators_keys_win_and_lists_add_to_the_bases(tmp_path):
    config = config_for(tmp_path, """
site_name: {en: My notes, ru: Мои заметки}
docs_dir: elsewhere
plugins: [search]
nav: [a.md]
use_directory_urls: false
markdown_extensions: [{toc: {slugify: !!python/name:os.getcwd }}]
theme: {name: readthedocs, language: fr, custom_dir: mine, palette: {primary: teal}}
extra: {kb_language: fr, analytics: {provider: custom}}
extra_css: [assets/stylesheets/kb.css, https://example.org/vault.css]
copyright: © me
""")
    assert config["site_name"] == "My notes"
    assert config["docs_dir"] == str(tmp_path / "docs") and config["plugins"] == []
    assert config["nav"] == ["nav"]
    assert not {"use_directory_urls", "markdown_extensions"} & set(config)
    assert config["theme"] == {"palette": {"primary": "teal"}, "language": "en",
                               "custom_dir": str(project.THEME_OVERRIDES)}
    assert config["extra"]["kb_language"] == "en"
    assert config["extra"]["analytics"] == {"provider": "custom"}
    assert config["extra_css"] == ["assets/stylesheets/kb.css", "assets/stylesheets/graph.css",
                                   "https://example.org/vault.css"]
    assert config["copyright"] == "© me"
    assert config_for(tmp_path, "site_name: {en: My notes, ru: Мои заметки}\n",
                      "ru")["site_name"] == "Мои заметки"


def test_the_vaults_site_url_serves_when_none_is_given(tmp_path):
    text = "site_url: https://example.org/notes\n"
    assert config_for(tmp_path, text, "ru")["site_url"] == "https://example.org/notes/ru/"
    assert config_for(tmp_path, text, "ru", "https://other.org/")["site_url"] == \
        "https://other.org/ru/"


def test_which_mkdocs_yml_is_the_vaults(tmp_path):
    repository, notes = tmp_path / "repository", tmp_path / "repository" / "vault" / "notes"
    notes.mkdir(parents=True)
    (tmp_path / "mkdocs.yml").write_text("site_name: Outside\n", encoding="utf-8")
    assert find_vault_config(notes) is None  # no repository: only the notes folder's own
    (repository / ".git").mkdir()
    assert find_vault_config(notes) is None  # not above the repository's root
    (repository / "mkdocs.yml").write_text("site_name: Root\n", encoding="utf-8")
    assert find_vault_config(notes) == repository / "mkdocs.yml"
    (notes / "mkdocs.yml").write_text("site_name: Notes\n", encoding="utf-8")
    assert find_vault_config(notes) == notes / "mkdocs.yml"
    assert find_vault_config(REPO_ROOT / "notes") is None  # this repository's is the base


@pytest.mark.parametrize(("text", "message"), [
    ("site_name: [unclosed\n", "error parsing the configuration file"),
    ("- a list\n", "expected settings (key: value lines), not a list"),
    ("extra:\n  f: !!python/name:os.getcwd\n", "extra: a Python object (a !!python tag) cannot"),
], ids=["broken-yaml", "not-a-mapping", "python-object"])
def test_a_broken_vault_mkdocs_yml_is_reported_once_without_a_traceback(tmp_path, text, message):
    with pytest.raises(VaultConfigError, match="mkdocs.yml"):
        config_for(tmp_path, text)
    result = kb("build", "--notes", "notes", "--site", "_site", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(f"kb: error: {tmp_path / 'mkdocs.yml'}: ")
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "_site").exists()
