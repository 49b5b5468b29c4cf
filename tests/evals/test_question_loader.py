"""evals.questions: valid lines load into Questions, malformed ones fail naming file:line.
(The gold checks of the project's own question files are in test_questions.py.)"""

from __future__ import annotations

import json

import pytest

from assistant.errors import QuestionSetError
from evals.questions import load_question_sets, load_questions

GOOD = {"id": "wako-01", "persona": "staff", "type": "factoid", "question": "和光市の委託先は？",
        "docs": ["wako-tainou-taisaku-juten.txt"], "city": ["和光市"], "section": "II > 4",
        "evidence": ["AGS株式会社"], "answer_keys": ["AGS株式会社"]}
UNANSWERABLE = {"id": "none-01", "persona": "resident", "type": "unanswerable", "question": "東京都は？",
                "docs": [], "city": [], "evidence": [], "answer_keys": []}


def write(path, *records):
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)
                              for r in records) + "\n", encoding="utf-8")
    return path


def test_loads_questions_with_their_split_and_tolerates_unknown_keys(tmp_path):
    path = write(tmp_path / "dev.jsonl", {**GOOD, "reviewer": "x", "difficulty": 3}, "", UNANSWERABLE)
    first, second = load_questions(path)
    assert (first.id, first.split, first.answerable) == ("wako-01", "dev", True)
    assert first.docs == ("wako-tainou-taisaku-juten.txt",)
    assert first.location == f"{path}:1"
    assert (second.answerable, second.docs, second.location) == (False, (), f"{path}:3")


@pytest.mark.parametrize("line, message", [
    ("{not json", "not valid JSON"),
    ('["a list"]', "one JSON object"),
    (json.dumps({**GOOD, "persona": "mayor"}), "persona 'mayor'"),
    (json.dumps({**GOOD, "type": "essay"}), "type 'essay'"),
    (json.dumps({k: v for k, v in GOOD.items() if k != "question"}), "'question'"),
    (json.dumps({**GOOD, "docs": "a.txt", "evidence": [1]}), "'evidence' must be a list of strings"),
    (json.dumps({**GOOD, "evidence": []}), "needs 'docs' and 'evidence'"),
])
def test_malformed_lines_name_file_and_line(tmp_path, line, message):
    path = write(tmp_path / "bad.jsonl", GOOD, line)
    with pytest.raises(QuestionSetError) as error:
        load_questions(path)
    assert f"{path}:2" in str(error.value) and message in str(error.value)


def test_duplicate_ids_within_and_across_files(tmp_path):
    with pytest.raises(QuestionSetError, match="duplicate id 'wako-01'"):
        load_questions(write(tmp_path / "a.jsonl", GOOD, GOOD))
    one, two = write(tmp_path / "dev.jsonl", GOOD), write(tmp_path / "test.jsonl", GOOD)
    with pytest.raises(QuestionSetError, match="also in"):
        load_question_sets([one, two])


def test_missing_or_empty_file(tmp_path):
    with pytest.raises(QuestionSetError, match="cannot read"):
        load_questions(tmp_path / "nope.jsonl")
    with pytest.raises(QuestionSetError, match="no questions"):
        load_questions(write(tmp_path / "empty.jsonl", ""))


def test_the_project_question_files_load():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "evals" / "questions"
    files = sorted(root.glob("*.jsonl"))
    if not files:
        pytest.skip("no question files yet")
    questions = load_question_sets(files)
    assert len({q.id for q in questions}) == len(questions)
