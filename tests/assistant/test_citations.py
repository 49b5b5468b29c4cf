"""Over the whole project question set: every citation quotes its document verbatim and every [n]
in an answer has its citation.

"Verbatim": the quote is a substring of the source file with its HTML tags removed, or of the
document's readable text (what the parser stores, one row per line), both compared after HTML
entities are unescaped, NFKC is applied and whitespace is removed (``ingest.normalize.quote_key``).
"""

from __future__ import annotations

import json
import re

import pytest

from assistant.store import Store
from ingest.normalize import quote_key
from sample_paths import ROOT, SAMPLES

QUESTION_FILES = sorted((ROOT / "evals" / "questions").glob("*.jsonl"))


def _questions() -> list[dict]:
    return [json.loads(line) for path in QUESTION_FILES for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


@pytest.fixture(scope="module")
def answers(answerer) -> list[tuple[dict, object]]:
    return [(question, answerer.ask(question["question"])) for question in _questions()]


@pytest.fixture(scope="module")
def readable(sample_index) -> dict[str, str]:
    with Store(sample_index.database_path, create=False) as store:
        return {d.doc_id: quote_key(store.document_text(d.doc_id)) for d in store.documents()}


def test_the_question_set_is_the_projects(answers):
    assert len(answers) >= 200


def test_every_quote_is_verbatim(answers, readable):
    sources = {path.name: quote_key(re.sub(r"<[^>]+>", "", path.read_text(encoding="utf-8")))
               for path in SAMPLES.glob("*.txt")}
    checked = 0
    for question, answer in answers:
        for citation in answer.citations:
            key = quote_key(citation.quote)
            assert key, (question["id"], citation)
            assert key in sources[citation.source] or key in readable[citation.doc_id], (question["id"], citation.quote)
            checked += 1
    assert checked >= 150


def test_every_number_has_its_citation(answers):
    for question, answer in answers:
        numbers = {int(n) for n in re.findall(r"\[(\d+)\]", answer.answer)}
        cited = {citation.n for citation in answer.citations}
        assert numbers <= cited, (question["id"], answer.answer)
        assert cited <= numbers, (question["id"], "a citation the answer never points at")
        if not answer.refused:
            assert answer.citations or answer.table == () and "件" in answer.answer, question["id"]
        else:
            assert answer.citations == (), question["id"]
