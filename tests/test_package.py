"""The wheel is the tool: built from this repository, installed into a fresh virtual
environment outside it, `kb` builds a vault kept in another repository, with the base
configuration and theme the wheel carries (generator/site_base/)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.error
import urllib.request
import venv
from pathlib import Path

import pytest

from .conftest import REPO_ROOT

BIN = Path(sys.executable).parent  # pre-commit and actionlint of the test environment


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


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


def _serve_briefly(kb: Path, vault: Path, env: dict[str, str], log: Path) -> dict[str, bytes]:
    """`kb serve` as an author starts it; the home pages of both languages and an image, once
    the preview answers; then stopped as Ctrl-C stops it."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    wanted = ("en/", "ru/", "en/10-Concepts/hash-ring.svg", "ru/10-Concepts/hash-ring.svg")
    with open(log, "w") as output:
        process = subprocess.Popen([kb, "serve", "--notes", "notes", "--dev-addr",
                                    f"127.0.0.1:{port}"], cwd=vault, env=env, stdout=output,
                                   stderr=output)
    try:
        deadline = time.monotonic() + 120
        while _fetch_or_none(base + wanted[0]) is None:
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.3)
        return {path: _fetch(base + path)[1] for path in wanted}
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _fetch_or_none(url: str) -> bytes | None:
    try:
        status, body = _fetch(url)
    except OSError:
        return None
    return body if status == 200 else None


def test_a_vault_repository_adopts_the_installed_kb(installed, tmp_path):
    """The README's adoption: install (the wheel, in an environment of its own), `kb init` in
    the vault's repository, commit; then, offline, what an author and CI run there: validate,
    build, a short preview (both languages and an image), and the commit's hooks."""
    vault = tmp_path / "my-vault"
    shutil.copytree(REPO_ROOT / "notes", vault / "notes")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q"], cwd=vault, check=True)
    bin_dir = installed / "bin"
    # The wheel's kb first on PATH (the hooks run `kb`); pre-commit and actionlint are the test
    # environment's. No network: pip may not reach an index, pre-commit fetches nothing.
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{BIN}{os.pathsep}{os.environ['PATH']}",
           "PRE_COMMIT_HOME": str(tmp_path / "pre-commit"), "PIP_NO_INDEX": "1",
           "KB_CACHE_DIR": str(tmp_path / "cache")}
    where = subprocess.run([bin_dir / "python", "-c", "import generator; print(generator.__file__)"],
                           capture_output=True, text=True, cwd=vault, check=True).stdout
    assert str(installed) in where and str(REPO_ROOT) not in where

    def kb(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([bin_dir / "kb", *args], cwd=vault, env=env, capture_output=True,
                              text=True, timeout=600)

    init = kb("init")
    assert init.returncode == 0, init.stderr
    workflow = vault / ".github/workflows/kb-site.yml"
    lint = subprocess.run([BIN / "actionlint", workflow], cwd=vault, capture_output=True, text=True)
    assert lint.returncode == 0, lint.stdout + lint.stderr

    validate = kb("validate", "--notes", "notes", "--strict")
    assert validate.returncode == 0, validate.stdout + validate.stderr
    build = kb("build", "--notes", "notes", "--site", "_site")
    assert build.returncode == 0, build.stderr[-3000:]
    for language in ("en", "ru"):
        home = (vault / "_site" / language / "index.html").read_text(encoding="utf-8")
        assert f'lang="{language}"' in home and "assets/stylesheets/kb.css" in home
        assert (vault / "_site" / language / "10-Concepts" / "hash-ring.svg").is_file()
        assert (vault / "_site" / language / "pagefind" / "pagefind.js").is_file()

    served = _serve_briefly(bin_dir / "kb", vault, env, tmp_path / "serve.log")
    assert b'lang="en"' in served["en/"] and b'lang="ru"' in served["ru/"]
    ring = (vault / "notes/10-Concepts/hash-ring.svg").read_bytes()
    assert served["en/10-Concepts/hash-ring.svg"] == ring == served["ru/10-Concepts/hash-ring.svg"]

    hooks = subprocess.run([BIN / "pre-commit", "install"], cwd=vault, env=env,
                           capture_output=True, text=True)
    assert hooks.returncode == 0, hooks.stdout + hooks.stderr
    subprocess.run([*git, "add", "-A"], cwd=vault, env=env, check=True)
    commit = subprocess.run([*git, "commit", "-qm", "Check and publish the vault with kb"],
                            cwd=vault, env=env, capture_output=True, text=True, timeout=300)
    assert commit.returncode == 0, commit.stdout + commit.stderr
    said = commit.stdout + commit.stderr
    assert "kb fix" in said and "kb validate --strict" in said and "Passed" in said
    assert "_site" not in subprocess.run([*git, "ls-files"], cwd=vault, capture_output=True,
                                         text=True, check=True).stdout
