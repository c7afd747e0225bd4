"""Live preview: an edit re-renders the note and its neighbours, and survives broken notes; a
running preview serves the last save, and keeps its project per vault in the cache folder."""

from __future__ import annotations

import contextlib
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

from generator.serve import Preview, preview_project, project_folder

from .conftest import REPO_ROOT, note_text


def _vault(make_vault):
    return make_vault({
        "c-a.md": note_text(id="1", title="Alpha / Альфа", kind="concept",
                            body="# Summary (EN)\nSee [[c-b]].\n# Сводка (RU)\nСм. [[c-b]].\n"),
        "c-b.md": note_text(id="2", title="Beta / Бета", kind="concept",
                            body="# Summary (EN)\nB.\n# Сводка (RU)\nБ.\n"),
        "c-c.md": note_text(id="3", title="Gamma / Гамма", kind="concept",
                            body="# Summary (EN)\nAlone.\n# Сводка (RU)\nОдна.\n"),
    })


def test_edit_rerenders_the_note_and_its_neighbours_only(make_vault, tmp_path):
    notes = _vault(make_vault)
    preview = Preview(notes, "en", tmp_path / "project")
    docs = tmp_path / "project" / "docs"
    untouched = (docs / "c-c.md").stat().st_mtime_ns
    path = notes / "c-b.md"
    path.write_text(path.read_text().replace("Beta / Бета", "Better Beta / Бета"))
    written = preview.note_changed(path)
    assert "# Better Beta" in (docs / "c-b.md").read_text()
    assert "[Better Beta](c-b.md)" in (docs / "c-a.md").read_text()  # the link's title follows
    assert (docs / "c-c.md").stat().st_mtime_ns == untouched
    assert 2 <= written <= 6  # c-b, c-a, and the index pages whose text changed (its folder page…)


def test_broken_note_is_shown_and_recovers(make_vault, tmp_path, capsys):
    notes = _vault(make_vault)
    preview = Preview(notes, "ru", tmp_path / "project")
    docs = tmp_path / "project" / "docs"
    path = notes / "c-b.md"
    good = path.read_text()
    path.write_text("---\ntitle: [half-written\n---\n# Сводка (RU)\nЧерновик.\n")
    preview.note_changed(path)
    assert "FM007" in capsys.readouterr().err
    assert "Черновик." in (docs / "c-b.md").read_text()
    path.write_text(good)
    preview.note_changed(path)
    assert "# Бета" in (docs / "c-b.md").read_text()


def test_new_and_deleted_notes(make_vault, tmp_path):
    notes = _vault(make_vault)
    preview = Preview(notes, "en", tmp_path / "project")
    docs = tmp_path / "project" / "docs"
    (notes / "c-d.md").write_text(note_text(id="4", title="Delta / Дельта", kind="concept",
                                            body="# Summary (EN)\n[[c-a]]\n"))
    preview.note_changed(notes / "c-d.md")
    assert "Linked from" in (docs / "c-a.md").read_text()
    (notes / "c-d.md").unlink()
    preview.note_changed(notes / "c-d.md")
    assert not (docs / "c-d.md").exists()
    assert "Linked from" not in (docs / "c-a.md").read_text()


def test_edit_rerenders_the_maps_and_study_lists_that_show_the_note(make_vault, tmp_path):
    notes = make_vault({
        "q-a--kotlin--easy.md": note_text(
            id="1", title="Alpha / Альфа", topic="kotlin", difficulty="easy", moc="moc-k",
            body="# Question (EN)\nA?\n## Answer (EN)\nA.\n# Вопрос (RU)\nА?\n## Ответ (RU)\nА.\n"),
        "moc-k.md": note_text(id="2", title="Kotlin — MOC", kind="moc", body="# Kotlin\nMap.\n"),
    })
    preview = Preview(notes, "en", tmp_path / "project")
    docs = tmp_path / "project" / "docs"
    path = notes / "moc-k.md"
    path.write_text(path.read_text().replace("Kotlin — MOC", "Kotlin Map"))
    preview.note_changed(path)
    assert "[Kotlin Map]" in (docs / "mocs/index.md").read_text()
    path = notes / "q-a--kotlin--easy.md"
    path.write_text(path.read_text().replace("Alpha / Альфа", "Alef / Альфа"))
    preview.note_changed(path)
    assert "Alef" in (docs / "study.json").read_text()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, ""


@contextlib.contextmanager
def _running_preview(notes: Path, cache_dir: Path, log: Path) -> Iterator[str]:
    """`kb serve` of `notes` on a free loopback port, as a user starts it; yields the site's
    URL once it answers, and stops the server (SIGTERM, as Ctrl-C) at the end."""
    port = _free_port()
    with open(log, "w") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "generator", "-v", "serve", "--notes", str(notes), "--language",
             "en", "--dev-addr", f"127.0.0.1:{port}", "--cache-dir", str(cache_dir)],
            cwd=REPO_ROOT, stdout=stderr, stderr=stderr)
    url = f"http://127.0.0.1:{port}/en/"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, f"the preview stopped:\n{log.read_text()}"
            assert time.monotonic() < deadline, f"the preview never answered:\n{log.read_text()}"
            with contextlib.suppress(OSError):
                if _get(url)[0] == 200:
                    break
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _served_within(url: str, text: str, seconds: float) -> str:
    """The page's HTML once it shows `text`, or the last one seen after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        page = _get(url)[1]
        if text in page or time.monotonic() > deadline:
            return page
        time.sleep(0.2)


def test_fast_saves_end_with_the_last_save_served(make_vault, tmp_path):
    notes = _vault(make_vault)
    path = notes / "c-b.md"
    template = path.read_text(encoding="utf-8")
    # A long note: converting it takes a while, so saves land while MkDocs builds its page.
    filler = "".join(f"- point {i}: *some* `text`, and more words\n" for i in range(400))
    with _running_preview(notes, tmp_path / "cache", tmp_path / "serve.log") as url:
        for save in range(30):
            # In place, as an editor's autosave: the same file rewritten, not replaced.
            with open(path, "w", encoding="utf-8") as note:
                note.write(template.replace("B.\n", f"Save number {save}.\n{filler}"))
            time.sleep(0.05)
        page = _served_within(url + "c-b/", "Save number 29.", 15)
    assert "Save number 29." in page


def test_a_deleted_note_answers_404_live_and_after_a_restart(make_vault, tmp_path):
    notes = _vault(make_vault)
    cache = tmp_path / "cache"
    with _running_preview(notes, cache, tmp_path / "first.log") as url:
        assert _get(url + "c-c/")[0] == 200
        (notes / "c-a.md").unlink()  # while the preview runs
        deadline = time.monotonic() + 15
        while _get(url + "c-a/")[0] != 404 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _get(url + "c-a/")[0] == 404
    (notes / "c-c.md").unlink()  # while it is stopped
    with _running_preview(notes, cache, tmp_path / "second.log") as url:
        assert _get(url + "c-c/")[0] == 404
        assert _get(url + "c-b/")[0] == 200
    assert not (project_folder(notes, "en", cache) / "docs" / "c-c.md").exists()


def test_two_vaults_get_two_projects_in_the_given_cache_folder(tmp_path):
    cache = tmp_path / "cache"
    first = project_folder(tmp_path / "one" / "notes", "en", cache)
    second = project_folder(tmp_path / "two" / "notes", "en", cache)
    assert first != second
    assert first.is_relative_to(cache.resolve()) and second.is_relative_to(cache.resolve())
    assert project_folder(tmp_path / "one" / "notes", "en", cache) == first


def test_a_second_preview_of_a_vault_or_no_cache_works_in_a_temporary_folder(tmp_path, capsys):
    notes, cache = tmp_path / "notes", tmp_path / "cache"
    with preview_project(notes, "en", cache) as first:
        assert first == project_folder(notes, "en", cache)
        with preview_project(notes, "en", cache) as second:
            assert second != first and not second.is_relative_to(cache.resolve())
        assert not second.exists()  # removed when that preview stops
        assert "another preview of this vault is running" in capsys.readouterr().err
    with preview_project(notes, "en", cache) as again:  # the first one has stopped
        assert again == first
    with preview_project(notes, "en", None) as uncached:
        assert not uncached.is_relative_to(cache.resolve())
    assert not uncached.exists()


def test_the_preview_uses_the_vaults_taxonomy_and_copies_its_images(make_vault, tmp_path, capsys):
    """`serve` is the build's pipeline: the vault's taxonomy.yml (values it allows, labels it
    gives) and the images notes embed, copied again when one is saved."""
    from generator.checks.taxonomy import load_taxonomy

    notes = make_vault({
        "q-a--kmp--easy.md": note_text(id="k-1", title="A / А", topic="kmp", difficulty="easy",
                                       body="# Question (EN)\nA? ![[diagram.png]]\n"
                                            "# Вопрос (RU)\nА?\n"),
        "taxonomy.yml": "fields:\n  topic: {type: string, values: [kmp]}\n"
                        "labels:\n  topic:\n    kmp: {en: Multiplatform, ru: Мультиплатформа}\n",
    })
    (notes / "diagram.png").write_bytes(b"\x89PNG one")
    preview = Preview(notes, "ru", tmp_path / "project", load_taxonomy(None, notes))
    assert "FM201" not in capsys.readouterr().err  # kmp is allowed by the vault's taxonomy
    page = (preview.docs_dir / "q-a--kmp--easy.md").read_text(encoding="utf-8")
    assert "Мультиплатформа" in page
    assert (preview.docs_dir / "diagram.png").read_bytes() == b"\x89PNG one"
    (notes / "diagram.png").write_bytes(b"\x89PNG two")
    assert preview.note_changed(notes / "diagram.png") == 1
    assert (preview.docs_dir / "diagram.png").read_bytes() == b"\x89PNG two"


def test_both_languages_are_served_on_one_port_and_an_edit_reaches_both(make_vault, tmp_path):
    """The language switcher of a preview leads to the other language's page, as on the site;
    the root sends a reader to a language; an edit shows in both; no dirty-build warning."""
    notes = _vault(make_vault)
    log = tmp_path / "serve.log"
    with _running_preview(notes, tmp_path / "cache", log) as url:
        root = url.removesuffix("en/")
        status, page = _get(root + "ru/c-b/")
        assert status == 200 and 'lang="ru"' in page and "Бета" in page
        assert _get(root)[0] == 200 and "kb-language" in _get(root)[1]
        path = notes / "c-b.md"
        path.write_text(path.read_text(encoding="utf-8").replace("Б.\n", "Бета правка.\n")
                        .replace("B.\n", "Beta edit.\n"), encoding="utf-8")
        assert "Beta edit." in _served_within(url + "c-b/", "Beta edit.", 15)
        assert "Бета правка." in _served_within(root + "ru/c-b/", "Бета правка.", 15)
    said = log.read_text(encoding="utf-8")
    assert "dirty" not in said.lower()
    # It says what it did: the first build of each language, then the edit and its rebuilds.
    for lang in ("en", "ru"):
        assert re.search(rf"kb: {lang}: \d+ pages built in \d+\.\ds", said), said
        assert f"kb: {lang}: 1 page rebuilt in " in said, said
    assert "kb: c-b.md changed: 2 pages re-rendered; rebuilding" in said, said


def _indexed_pages(url: str) -> int | None:
    """How many pages the served Pagefind index of a language holds (None: no index yet)."""
    import json

    status, text = _get(url + "pagefind/pagefind-entry.json")
    if status != 200:
        return None
    return sum(language["page_count"] for language in json.loads(text)["languages"].values())


def _indexed_within(url: str, wanted: Callable[[int | None], bool], seconds: float) -> int | None:
    deadline = time.monotonic() + seconds
    while True:
        count = _indexed_pages(url)
        if wanted(count) or time.monotonic() > deadline:
            return count
        time.sleep(0.3)


def test_search_works_in_the_preview_and_follows_a_new_note(make_vault, tmp_path):
    """Pagefind indexes each language after the first build, in the background, and again
    after an edit: a note added while the preview runs is in both languages' index."""
    notes = _vault(make_vault)
    with _running_preview(notes, tmp_path / "cache", tmp_path / "serve.log") as url:
        root = url.removesuffix("en/")
        before = {lang: _indexed_within(root + f"{lang}/", lambda n: n is not None, 60)
                  for lang in ("en", "ru")}
        assert None not in before.values(), (tmp_path / "serve.log").read_text()
        (notes / "c-d.md").write_text(note_text(
            id="4", title="Delta / Дельта", kind="concept",
            body="# Summary (EN)\nNew.\n# Сводка (RU)\nНовая.\n"), encoding="utf-8")
        for lang in ("en", "ru"):
            after = _indexed_within(root + f"{lang}/", lambda n, lang=lang: n == before[lang] + 1,
                                    60)
            assert after == before[lang] + 1, (lang, before[lang], after)
        assert _get(url + "pagefind/pagefind.js")[0] == 200
    assert "search (en) ready" in (tmp_path / "serve.log").read_text(encoding="utf-8")


def test_a_taken_address_is_said_before_any_build_without_a_traceback(tmp_path, capsys):
    """Another program (another preview) on the port: one line that says what to do, exit 2."""
    from generator.cli import main

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code = main(["serve", "--notes", str(REPO_ROOT / "notes"), "--dev-addr",
                     f"127.0.0.1:{port}", "--no-cache"])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert f"kb: error: cannot serve on 127.0.0.1:{port}" in err
    assert f"pass --dev-addr 127.0.0.1:{port + 1}" in err
    assert main(["serve", "--notes", str(REPO_ROOT / "notes"), "--dev-addr", "8000"]) == 2
    assert "expected HOST:PORT" in capsys.readouterr().err
