"""The generated pages' own words, in each language. Material translates its own UI through
`theme.language`; these are the strings our templates add."""

from __future__ import annotations

from .model import Language

STRINGS: dict[Language, dict[str, str]] = {
    "en": {
        "language_name": "English",
        "home": "Home",
        "mocs": "Maps of Content",
        "topics": "Topics",
        "topic": "Topic",
        "difficulty": "Difficulty",
        "status": "Status",
        "updated": "Updated",
        "related": "Related",
        "backlinks": "Linked from",
        "in_moc": "Part of",
        "members": "Notes in this map",
        "not_translated": "Not translated yet",
        "not_translated_body": "This note has no English text yet. Below is the Russian original.",
        "read_other": "Read it in Russian",
        "broken_link": "broken link: no note matches",
        "dataview": "Dataview query could not be rendered",
        "notes": "notes",
        "questions": "questions",
        "concepts": "concepts",
        "newest": "Recently updated",
        "figures": "This knowledge base holds {notes} notes: {questions} interview questions "
                   "({easy} easy, {medium} medium, {hard} hard) and {concepts} concepts, in "
                   "{topics} topics.",
        "easy": "Easy", "medium": "Medium", "hard": "Hard", "other": "Other",
        "kind_question": "Question", "kind_concept": "Concept", "kind_moc": "Map of Content",
        "kind_note": "Note",
        "other_language": "Русский",
        "site_name": "Interview Knowledge Base",
    },
    "ru": {
        "language_name": "Русский",
        "home": "Главная",
        "mocs": "Карты тем",
        "topics": "Темы",
        "topic": "Тема",
        "difficulty": "Сложность",
        "status": "Статус",
        "updated": "Обновлено",
        "related": "Связанные заметки",
        "backlinks": "Ссылаются сюда",
        "in_moc": "Входит в",
        "members": "Заметки этой карты",
        "not_translated": "Перевод пока не готов",
        "not_translated_body": "У этой заметки ещё нет русского текста. Ниже — английский оригинал.",
        "read_other": "Читать на английском",
        "broken_link": "битая ссылка: нет такой заметки",
        "dataview": "Запрос Dataview не удалось показать",
        "notes": "заметок",
        "questions": "вопросов",
        "concepts": "понятий",
        "newest": "Недавно обновлённые",
        "figures": "В базе знаний {notes} заметок: {questions} вопросов для собеседования "
                   "({easy} лёгких, {medium} средних, {hard} сложных) и {concepts} понятий "
                   "по {topics} темам.",
        "easy": "Лёгкий", "medium": "Средний", "hard": "Сложный", "other": "Другое",
        "kind_question": "Вопрос", "kind_concept": "Понятие", "kind_moc": "Карта темы",
        "kind_note": "Заметка",
        "other_language": "English",
        "site_name": "База знаний для собеседований",
    },
}
