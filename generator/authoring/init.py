"""`kb init`: set up a vault's repository in one command, and the tool's version.

`kb init [DIR] [--notes SUBDIR] [--force]` writes, from the files in `templates/init/`: the
vault's `mkdocs.yml` (its site settings, layered over the base configuration kb carries:
project.vault_settings), `taxonomy.yml` in the notes folder (the built-in rules, plus the values
the notes already use that are not near-duplicates of allowed ones, as `kb taxonomy --write
--accept-all` adds them: a vault adopts kb with its vocabulary, and only its probable misspellings
are left to fix), the GitHub Actions workflow that
validates, builds and deploys the site with this very version of kb, a `.pre-commit-config.yaml`
whose hooks run the installed kb (nothing fetched), and `.gitignore` lines for the site and
cache. A file that exists is kept unless `--force`; running it again changes nothing.
"""

from __future__ import annotations

import argparse
import json
import re
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from .. import resources

PACKAGE = "kb-generator"
TEMPLATES = resources.TEMPLATES / "init"
SITE_DIR = "_site"  # where the workflow builds; a folder starting with "_" is no note
IGNORED = ("_site/", ".cache/")  # the built site and the build cache (.cache/kb)


def package_version() -> str:
    """The version pyproject.toml gives, as installed; in a source checkout that is not
    installed, read from its pyproject.toml."""
    try:
        return metadata.version(PACKAGE)
    except metadata.PackageNotFoundError:
        pass
    import tomllib

    try:
        with (resources.PACKAGE.parent / "pyproject.toml").open("rb") as stream:
            project = tomllib.load(stream).get("project", {})
    except (OSError, tomllib.TOMLDecodeError):
        return "unknown"
    return str(project.get("version", "unknown")) if project.get("name") == PACKAGE else "unknown"


class VersionAction(argparse.Action):
    """`kb --version`: the version is looked up only when asked for (the metadata costs a
    commit hook's every run some 40 ms)."""

    def __init__(self, option_strings: list[str], dest: str = argparse.SUPPRESS,
                 default: str = argparse.SUPPRESS, help: str = "print kb's version and exit"
                 ) -> None:
        super().__init__(option_strings, dest, nargs=0, default=default, help=help)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: str | None = None) -> None:
        print(f"kb {package_version()}")
        parser.exit()


class InitError(Exception):
    """Wrong usage: a folder that does not exist."""


@dataclass(frozen=True)
class Written:
    path: str  # relative to the repository
    action: str  # "wrote", "rewrote", "kept", "added to", "has"


@dataclass(frozen=True)
class Setup:
    root: Path
    notes: str  # the notes folder, relative to root ("." for the root itself)
    version: str

    def notes_prefix(self, name: str) -> str:
        return name if self.notes == "." else f"{self.notes}/{name}"

    def values(self) -> dict[str, str]:
        files = r"\.md$" if self.notes == "." else f"^{re.escape(self.notes)}/.*\\.md$"
        name = self.root.resolve().name.replace("-", " ").replace("_", " ").strip() or "Knowledge base"
        return {"@KB_NOTES@": self.notes, "@KB_VERSION@": self.version,
                "@KB_NOTES_FILES@": json.dumps(files), "@KB_SITE_NAME@": json.dumps(
                    name[0].upper() + name[1:], ensure_ascii=False)}

    def files(self) -> list[tuple[str, str]]:
        """(template, where it goes relative to the repository)."""
        # The taxonomy starts as the built-in one; init then adds the vault's own values
        # (adopt_vocabulary), leaving the near-duplicates for `kb taxonomy` to list.
        return [("mkdocs.yml", "mkdocs.yml"),
                ("taxonomy.yml", self.notes_prefix("taxonomy.yml")),
                ("kb-site.yml", ".github/workflows/kb-site.yml"),
                ("pre-commit-config.yaml", ".pre-commit-config.yaml")]


def render(template: str, values: dict[str, str]) -> str:
    text = (TEMPLATES / template).read_text(encoding="utf-8")
    for placeholder, value in values.items():
        text = text.replace(placeholder, value)
    return text


def init_vault(setup: Setup, force: bool = False) -> list[Written]:
    """Write the files that are missing (all of them with `force`); add the ignore lines the
    repository's .gitignore lacks. Returns what was done to each file, in order."""
    done: list[Written] = []
    values = setup.values()
    for template, rel in setup.files():
        target = setup.root / rel
        existed = target.exists()
        if existed and not force:
            done.append(Written(rel, "kept"))
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(render(template, values), encoding="utf-8")
        done.append(Written(rel, "rewrote" if existed else "wrote"))
    done.append(_ignore(setup.root / ".gitignore"))
    return done


def adopt_vocabulary(setup: Setup) -> str:
    """Add to the vault's new taxonomy.yml the values its notes use that the built-in rules lack
    and that are no near-duplicate of an allowed value (`kb taxonomy --write --accept-all`);
    returns what it did, in a few words, for init's line about the file."""
    from ..checks.taxonomy import TaxonomyError, load_taxonomy
    from ..checks.taxonomy_report import analyse
    from ..notes.load import load_vault
    from .taxonomy_write import WriteError, add_values, check, choose

    notes_dir = setup.root / setup.notes
    target = notes_dir / "taxonomy.yml"
    try:
        taxonomy = load_taxonomy(target, notes_dir)
        report = analyse(load_vault(notes_dir, only=set()).notes, taxonomy)
        chosen, _, _ = choose(report, [], accept_all=True)
        if chosen:
            text = add_values(target.read_text(encoding="utf-8"),
                              [(scope, used.value) for scope, used in chosen])
            check(text, taxonomy, chosen, str(target))
            target.write_text(text, encoding="utf-8")
    except (OSError, UnicodeDecodeError, TaxonomyError, WriteError) as error:
        return f"the built-in rules; could not add the notes' values: {error}"
    misspelt = sum(len(part.misspellings) for part in report.scopes)
    added = f"the built-in rules and {_count(len(chosen), 'value')} the notes use"
    return added + (f"; {_count(misspelt, 'near-duplicate')} left to fix: kb taxonomy"
                    if misspelt else "")


def _count(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"


def _ignore(path: Path) -> Written:
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    present = {line.strip() for line in text.splitlines()}
    missing = [line for line in IGNORED if line not in present and line.rstrip("/") not in present]
    if not missing:
        return Written(".gitignore", "has")
    lines = render("gitignore", {}).splitlines(keepends=True)
    added = [line for line in lines if line.startswith("#") or line.strip() in missing]
    separator = "\n" if text and not text.endswith("\n") else ""
    path.write_text(text + separator + ("\n" if text.strip() else "") + "".join(added),
                    encoding="utf-8")
    return Written(".gitignore", "added to")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dir", nargs="?", default=".", metavar="DIR",
                        help="the vault's repository (default: the current folder)")
    parser.add_argument("--notes", metavar="SUBDIR",
                        help="the notes folder inside DIR (default: notes/ if DIR has one, "
                             "else DIR itself)")
    parser.add_argument("--force", action="store_true", help="rewrite files that exist")


def command(args: argparse.Namespace) -> int:
    """`kb init`: raises InitError for a folder that does not exist."""
    root = Path(args.dir)
    if not root.is_dir():
        raise InitError(f"folder not found: {args.dir}")
    notes = args.notes or ("notes" if (root / "notes").is_dir() else ".")
    notes = Path(notes).as_posix().strip("/") or "."
    if not (root / notes).is_dir():
        raise InitError(f"notes folder not found: {root / notes}")
    setup = Setup(root, notes, package_version())
    done = init_vault(setup, force=args.force)
    print(f"kb init: {root.resolve()} (notes: {notes}/, kb-generator {setup.version})")
    notes_for = {".gitignore": f"{', '.join(IGNORED)}"}
    taxonomy_file = setup.notes_prefix("taxonomy.yml")
    if any(item.path == taxonomy_file and item.action != "kept" for item in done):
        notes_for[taxonomy_file] = adopt_vocabulary(setup)
    for item in done:
        detail = notes_for.get(item.path, "")
        if item.action == "kept":
            detail = "exists; --force rewrites it"
        print(f"  {item.action:<9} {item.path}{f'  ({detail})' if detail else ''}")
    written = [item.path for item in done if item.action != "kept" and item.action != "has"]
    if not (root / ".git").exists():
        print("  note: not a git repository yet (git init)")
    print("Next:")
    if written:
        print(f"  git add {' '.join(written)}")
        print("  git commit -m 'Check and publish the vault with kb'")
    print("  on GitHub, Settings → Pages → Source: GitHub Actions (each push to the default branch "
          "then publishes the site)")
    print(f"Also: kb validate --notes {notes} (every note); kb taxonomy --notes {notes} (values "
          "the notes use that the taxonomy lacks);")
    print(f"      kb build --notes {notes} --site {SITE_DIR} (the site, to look at); "
          "pre-commit install (checks before each commit)")
    return 0
