"""The wheel is the tool: built from this repository, installed into a fresh virtual
environment outside it, `kb` builds a vault kept in another repository, with the base
configuration and theme the wheel carries (generator/site_base/)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from .conftest import REPO_ROOT


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh environment with the wheel and no access to this checkout. Its dependencies
    come from the test environment's site-packages through a .pth line (offline); the editable
    install of this checkout there is not seen (a .pth file's folder's own .pth files are not
    read)."""
    root = tmp_path_factory.mktemp("package")
    wheels = root / "wheels"
    # An isolated build, as any user's `pip install` (the build backend comes from PyPI).
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                            str(wheels), str(REPO_ROOT)], capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    (wheel,) = wheels.glob("kb_generator-*.whl")
    environment = root / "env"
    venv.create(environment, with_pip=False)
    site = next(environment.glob("lib/python*/site-packages"))
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    python = environment / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
                    "--no-index", "-q", str(wheel)], check=True)
    shutil.rmtree(REPO_ROOT / "build", ignore_errors=True)  # setuptools' leftover
    return environment


def test_the_installed_kb_builds_a_vault_in_another_repository(installed, tmp_path):
    vault = tmp_path / "vault"
    shutil.copytree(REPO_ROOT / "notes", vault / "notes")
    (vault / ".git").mkdir()
    kb = installed / "bin" / "kb"
    where = subprocess.run([installed / "bin" / "python", "-c",
                            "import generator, sys; print(generator.__file__)"],
                           capture_output=True, text=True, cwd=vault, check=True).stdout
    assert str(installed) in where and str(REPO_ROOT) not in where
    result = subprocess.run([kb, "build", "--notes", "notes", "--site", "_site"], cwd=vault,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    for language in ("en", "ru"):
        home = (vault / "_site" / language / "index.html").read_text(encoding="utf-8")
        assert f'lang="{language}"' in home and "assets/stylesheets/kb.css" in home
    assert (vault / "_site" / "en" / "assets" / "stylesheets" / "kb.css").is_file()
    validate = subprocess.run([kb, "validate", "--notes", "notes"], cwd=vault,
                              capture_output=True, text=True)
    assert validate.returncode == 0, validate.stdout + validate.stderr
