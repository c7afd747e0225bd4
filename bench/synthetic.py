"""Write a synthetic vault shaped like the real one: question notes in topic folders with
bilingual sections, concept notes, MOCs, front matter, wikilinks and `related` links, code
blocks and tables. Deterministic for a given size and seed.

usage: python bench/synthetic.py OUT_DIR NOTES [--seed N]
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

TOPICS = {
    "kotlin": "70-Kotlin", "android": "40-Android", "algorithms": "20-Algorithms",
    "system-design": "30-System-Design", "cs": "60-CompSci",
}
DIFFICULTIES = ("easy", "medium", "hard")
WORDS_EN = ("coroutine scope context flow channel state lifecycle memory thread cache index "
            "query graph tree queue stack heap latency throughput consistency replica shard "
            "compose view model activity service intent binder handler looper").split()
WORDS_RU = ("корутина область контекст поток канал состояние жизненный цикл память кэш индекс "
            "запрос граф дерево очередь стек куча задержка пропускная способность реплика "
            "шард компонент модель активность сервис обработчик").split()
CODE = '''```kotlin
suspend fun load{n}(id: Int): Result<String> = withContext(Dispatchers.IO) {{
    val value = repository.fetch(id) ?: return@withContext Result.failure(Error("missing"))
    // keep the cache warm for the next call
    cache[id] = value
    Result.success(value.trim())
}}
```'''


def _sentence(rng: random.Random, words: tuple[str, ...] | list[str], n: int = 14) -> str:
    text = " ".join(rng.choice(words) for _ in range(n))
    return text[0].upper() + text[1:] + "."


def _paragraph(rng: random.Random, words: list[str], sentences: int = 4) -> str:
    return " ".join(_sentence(rng, words) for _ in range(sentences))


def generate(out: Path, notes: int, seed: int = 1) -> Path:
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    concepts = max(5, notes // 5)
    mocs = list(TOPICS)
    questions = notes - concepts - len(mocs)
    names: list[str] = []
    plan: list[tuple[str, str, str, str]] = []  # (kind, folder, stem, topic)
    for index in range(concepts):
        stem = f"c-concept-{index:05d}"
        plan.append(("concept", "10-Concepts", stem, rng.choice(mocs)))
    for index in range(questions):
        topic = rng.choice(mocs)
        difficulty = rng.choice(DIFFICULTIES)
        stem = f"q-question-{index:05d}--{topic}--{difficulty}"
        plan.append(("question", TOPICS[topic], stem, topic))
    names = [stem for _, _, stem, _ in plan]
    for kind, folder, stem, topic in plan:
        path = out / folder / f"{stem}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_note(rng, kind, stem, topic, names), encoding="utf-8")
    for topic in mocs:
        path = out / "90-MOCs" / f"moc-{topic}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        start = "\n".join(f"- [[{rng.choice(names)}]]" for _ in range(8))
        path.write_text(
            f"---\nid: ivm-{topic}\ntitle: {topic.title()} — MOC\nkind: moc\n"
            f"created: 2025-01-01\nupdated: 2025-02-01\ntags: [moc, topic/{topic}]\n---\n"
            f"# {topic.title()}\n\n## Overview\n{_paragraph(rng, WORDS_EN)}\n\n"
            f"## Обзор\n{_paragraph(rng, WORDS_RU)}\n\n## Start Here\n{start}\n",
            encoding="utf-8")
    return out


def _note(rng: random.Random, kind: str, stem: str, topic: str, names: list[str]) -> str:
    related = rng.sample(names, 3)
    links_en = " ".join(f"[[{rng.choice(names)}]]" for _ in range(3))
    links_ru = " ".join(f"[[{rng.choice(names)}|{rng.choice(WORDS_RU)}]]" for _ in range(3))
    title_en = _sentence(rng, WORDS_EN, 4)[:-1]
    title_ru = _sentence(rng, WORDS_RU, 4)[:-1]
    code = CODE.format(n=rng.randrange(1000)) if rng.random() < 0.7 else ""
    table = ("| Option | Cost |\n| --- | --- |\n| a | O(1) |\n| b | O(n) |\n"
             if rng.random() < 0.3 else "")
    if kind == "concept":
        return (
            f"---\nid: ivc-{stem}\ntitle: {title_en} / {title_ru}\n"
            f"aliases: [{title_en}, {title_ru}]\nkind: concept\nsummary: {title_en}\n"
            f"links: []\ncreated: 2025-03-01\nupdated: 2025-04-01\ntags: [concept, {topic}]\n---\n"
            f"# Summary (EN)\n{_paragraph(rng, WORDS_EN)} {links_en}\n\n"
            f"# Сводка (RU)\n{_paragraph(rng, WORDS_RU)} {links_ru}\n\n"
            f"## Key Points (EN)\n- {_sentence(rng, WORDS_EN)}\n- {_sentence(rng, WORDS_EN)}\n\n"
            f"## Ключевые Моменты (RU)\n- {_sentence(rng, WORDS_RU)}\n\n"
            f"## References\n- [Docs](https://kotlinlang.org/docs/home.html)\n"
        )
    difficulty = stem.rsplit("--", 1)[-1]
    return (
        f"---\nid: {topic}-{stem[-12:]}\ntitle: {title_en} / {title_ru}\n"
        f"aliases: [{title_en}, {title_ru}]\ntopic: {topic}\nsubtopics: [{rng.choice(WORDS_EN)}]\n"
        f"question_kind: theory\ndifficulty: {difficulty}\noriginal_language: en\n"
        f"language_tags: [en, ru]\nstatus: draft\nmoc: moc-{topic}\n"
        f"related: [{', '.join(related)}]\ncreated: 2025-05-01\nupdated: 2025-06-01\n"
        f"tags: [{topic}, difficulty/{difficulty}]\n---\n"
        f"# Вопрос (RU)\n> {_sentence(rng, WORDS_RU)}\n\n# Question (EN)\n> {_sentence(rng, WORDS_EN)}\n\n"
        f"---\n\n## Ответ (RU)\n{_paragraph(rng, WORDS_RU, 6)} {links_ru}\n\n{code}\n\n{table}\n"
        f"### Подробнее\n{_paragraph(rng, WORDS_RU, 5)}\n\n"
        f"## Answer (EN)\n{_paragraph(rng, WORDS_EN, 6)} {links_en}\n\n{code}\n\n{table}\n"
        f"### Details\n{_paragraph(rng, WORDS_EN, 5)}\n\n---\n\n"
        f"## Follow-ups\n- {_sentence(rng, WORDS_EN)}\n\n## References\n- [Docs](https://developer.android.com)\n\n"
        f"## Related Questions\n- [[{rng.choice(names)}]]\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("notes", type=int)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.out, args.notes, args.seed)
    print(f"wrote {args.notes} notes to {args.out}")


if __name__ == "__main__":
    main()
