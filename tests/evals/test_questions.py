"""Format and gold checks for the evaluation question set (evals/questions/*.jsonl).

Self-contained: it only needs the two JSONL files and the sample corpus in
data/samples. Normalisation follows evals/questions/README.md and the scoring
rule: NFKC, then remove every whitespace character.
"""
import json
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
QDIR = ROOT / "evals" / "questions"
SAMPLES = ROOT / "data" / "samples"
SPLITS = ("dev", "test")

PERSONAS = {"resident", "staff", "helpdesk"}
TYPES = {"factoid", "list", "procedure", "yesno", "comparison", "aggregate", "unanswerable"}
REQUIRED = ("id", "persona", "type", "question", "docs", "city", "section", "evidence", "answer_keys")
OPTIONAL = ("note",)
# Evidence must be plain text: no tabs, HTML, entities or checkbox / bracket markup.
# A selected option in the form's brackets ([無料]) is text a reader sees; an empty box ([]) or a
# tick ([○]) is markup.
FORBIDDEN_IN_EVIDENCE = ("\t", "<", ">", "＜", "＞", "&lt;", "&gt;", "&amp;", "[]", "[ ]", "○", "checked", "input")


def normalize(s: str) -> str:
    s = unicodedata.normalize("NFKC", s)
    return "".join(ch for ch in s if not ch.isspace())


def _load(split):
    path = QDIR / f"{split}.jsonl"
    rows = []
    with path.open(encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            rows.append((split, lineno, json.loads(line)))
    return rows


ROWS = [r for split in SPLITS for r in _load(split)]
QUESTIONS = [q for _, _, q in ROWS]
DOC_TEXT = {p.name: normalize(p.read_text(encoding="utf-8")) for p in SAMPLES.glob("*.txt")}


def _ids(rows):
    return [f"{split}:{q.get('id', lineno)}" for split, lineno, q in rows]


def test_files_exist_and_nonempty():
    for split in SPLITS:
        assert (QDIR / f"{split}.jsonl").is_file(), split
    assert DOC_TEXT, "no sample documents found in data/samples"
    by_split = {s: [q for sp, _, q in ROWS if sp == s] for s in SPLITS}
    for split, qs in by_split.items():
        assert len(qs) >= 60, f"{split} has only {len(qs)} questions"
    assert len(QUESTIONS) >= 170


def test_ids_unique_across_splits():
    ids = [q["id"] for q in QUESTIONS]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    assert not dupes, f"duplicate ids: {dupes}"


def test_no_shared_id_or_question_between_splits():
    dev = [q for sp, _, q in ROWS if sp == "dev"]
    test = [q for sp, _, q in ROWS if sp == "test"]
    assert not ({q["id"] for q in dev} & {q["id"] for q in test})
    dev_q = {normalize(q["question"]) for q in dev}
    shared = [q["id"] for q in test if normalize(q["question"]) in dev_q]
    assert not shared, f"question text shared between dev and test: {shared}"


def test_questions_unique_within_set():
    texts = [normalize(q["question"]) for q in QUESTIONS]
    assert len(texts) == len(set(texts))


def test_coverage_minimums():
    types = [q["type"] for q in QUESTIONS]
    assert types.count("unanswerable") >= 12
    assert types.count("comparison") >= 8
    assert types.count("aggregate") >= 6
    docs_used = {d for q in QUESTIONS for d in q["docs"]}
    assert docs_used == set(DOC_TEXT), f"documents without questions: {set(DOC_TEXT) - docs_used}"
    personas = {q["persona"] for q in QUESTIONS}
    assert personas == PERSONAS


@pytest.mark.parametrize("row", ROWS, ids=_ids(ROWS))
def test_format(row):
    split, lineno, q = row
    missing = [k for k in REQUIRED if k not in q]
    assert not missing, f"missing keys {missing}"
    extra = [k for k in q if k not in REQUIRED + OPTIONAL]
    assert not extra, f"unexpected keys {extra}"
    assert isinstance(q["id"], str) and q["id"].strip()
    assert q["persona"] in PERSONAS, q["persona"]
    assert q["type"] in TYPES, q["type"]
    assert isinstance(q["question"], str) and q["question"].strip()
    assert isinstance(q["section"], str)
    for key in ("docs", "city", "evidence", "answer_keys"):
        assert isinstance(q[key], list), key
        assert all(isinstance(x, str) and x.strip() for x in q[key]), key
    assert q["city"], "city must name at least one city"
    if "note" in q:
        assert isinstance(q["note"], str)


@pytest.mark.parametrize("row", ROWS, ids=_ids(ROWS))
def test_gold(row):
    split, lineno, q = row
    if q["type"] == "unanswerable":
        assert q["docs"] == [] and q["evidence"] == [] and q["answer_keys"] == []
        return

    docs = q["docs"]
    assert docs, "answerable question needs docs"
    assert len(set(docs)) == len(docs), "duplicate doc"
    for d in docs:
        assert d in DOC_TEXT, f"unknown document {d}"
    if q["type"] == "comparison":
        assert len(docs) >= 2, "comparison needs two or more documents"

    ev = q["evidence"]
    assert 1 <= len(ev) <= 3, f"evidence count {len(ev)}"
    for e in ev:
        assert 6 <= len(e) <= 40, f"evidence length {len(e)}: {e!r}"
        bad = [m for m in FORBIDDEN_IN_EVIDENCE if m in e]
        assert not bad, f"markup {bad} in evidence {e!r}"
        assert any(normalize(e) in DOC_TEXT[d] for d in docs), f"evidence not found in docs: {e!r}"
    for d in docs:
        assert any(normalize(e) in DOC_TEXT[d] for e in ev), f"no evidence string occurs in {d}"

    keys = q["answer_keys"]
    assert 1 <= len(keys) <= 4, f"answer_keys count {len(keys)}"
    for k in keys:
        assert normalize(k), "empty answer key"
        assert any(normalize(k) in DOC_TEXT[d] for d in docs), f"answer key not found in docs: {k!r}"
