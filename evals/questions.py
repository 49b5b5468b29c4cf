"""Question sets: JSONL files in the shared format (QUESTION_FORMAT.md) read into frozen `Question`s.

Every line is checked; a malformed one raises QuestionSetError naming ``file:line`` and what is
wrong. Keys the format does not know are tolerated (kept out of the way), so a question file
written for another tool scores unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import QuestionSetError

PERSONAS = ("resident", "staff", "helpdesk")
TYPES = ("factoid", "list", "procedure", "yesno", "comparison", "aggregate", "unanswerable")


@dataclass(frozen=True)
class Question:
    """One gold question; ``split`` is the file stem it came from (dev, test, ...)."""

    id: str
    persona: str
    type: str
    question: str
    docs: tuple[str, ...]
    city: tuple[str, ...]
    section: str
    evidence: tuple[str, ...]
    answer_keys: tuple[str, ...]
    note: str = ""
    split: str = ""
    location: str = ""  # file:line, for messages

    @property
    def answerable(self) -> bool:
        return self.type != "unanswerable"

    @property
    def multi_document(self) -> bool:
        return len(self.docs) > 1

    def to_json(self) -> dict:
        return {
            "id": self.id, "persona": self.persona, "type": self.type, "question": self.question,
            "docs": list(self.docs), "city": list(self.city), "section": self.section,
            "evidence": list(self.evidence), "answer_keys": list(self.answer_keys),
            "note": self.note, "split": self.split,
        }


def _strings(value, name: str, where: str) -> tuple[str, ...]:
    """A list of strings (a lone string is accepted as a list of one, as some writers do)."""
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,) if value.strip() else ()
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise QuestionSetError(f"{where}: {name!r} must be a list of strings")
    return tuple(item for item in value if item.strip())


def _text(record: dict, name: str, where: str, required: bool = True) -> str:
    value = record.get(name)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise QuestionSetError(f"{where}: {name!r} must be a non-empty string")
    return value.strip()


def parse_question(record: dict, where: str, split: str = "") -> Question:
    """Validate one decoded JSON object into a Question.

    >>> parse_question({"id": "q1", "persona": "staff", "type": "factoid", "question": "委託先は？",
    ...                 "docs": ["a.txt"], "city": ["和光市"], "evidence": ["AGS株式会社"],
    ...                 "answer_keys": ["AGS"], "extra": 1}, "dev.jsonl:1").docs
    ('a.txt',)
    """
    if not isinstance(record, dict):
        raise QuestionSetError(f"{where}: a line must be one JSON object")
    persona = _text(record, "persona", where)
    if persona not in PERSONAS:
        raise QuestionSetError(f"{where}: persona {persona!r} is not one of {', '.join(PERSONAS)}")
    kind = _text(record, "type", where)
    if kind not in TYPES:
        raise QuestionSetError(f"{where}: type {kind!r} is not one of {', '.join(TYPES)}")
    question = Question(
        id=_text(record, "id", where),
        persona=persona,
        type=kind,
        question=_text(record, "question", where),
        docs=_strings(record.get("docs"), "docs", where),
        city=_strings(record.get("city"), "city", where),
        section=_text(record, "section", where, required=False),
        evidence=_strings(record.get("evidence"), "evidence", where),
        answer_keys=_strings(record.get("answer_keys"), "answer_keys", where),
        note=_text(record, "note", where, required=False),
        split=split,
        location=where,
    )
    if question.answerable and not (question.docs and question.evidence):
        raise QuestionSetError(f"{where}: an answerable question needs 'docs' and 'evidence'")
    return question


def load_questions(path: str | Path) -> list[Question]:
    """Read one JSONL file; blank lines are skipped, ids must be unique within the file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise QuestionSetError(f"cannot read {path}: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise QuestionSetError(f"{path}: not UTF-8 text") from None
    questions: list[Question] = []
    seen: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise QuestionSetError(f"{where}: not valid JSON ({error.msg})") from None
        question = parse_question(record, where, split=path.stem)
        if question.id in seen:
            raise QuestionSetError(f"{where}: duplicate id {question.id!r} (first at {seen[question.id]})")
        seen[question.id] = where
        questions.append(question)
    if not questions:
        raise QuestionSetError(f"{path}: no questions")
    return questions


def load_question_sets(paths: Iterable[str | Path]) -> list[Question]:
    """Several files in order; the same id in two files is an error (scores are keyed by id)."""
    questions: list[Question] = []
    seen: dict[str, str] = {}
    for path in paths:
        for question in load_questions(path):
            if question.id in seen:
                raise QuestionSetError(
                    f"{question.location}: id {question.id!r} is also in {seen[question.id]}")
            seen[question.id] = question.location
            questions.append(question)
    return questions
