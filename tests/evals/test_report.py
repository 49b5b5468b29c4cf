"""The report from hand-made systems: tables, the part deltas, the failed-question list, charts."""

from __future__ import annotations

import json

import pytest

from evals.baselines import SystemOutput
from evals.report import is_failure, part_deltas, write_report
from evals.runner import EvalReport, missing_documents, run_system

WAKO = "wako-tainou-taisaku-juten.txt"


def build_report(make) -> EvalReport:
    questions = [make.question(id="hit", persona="resident"),
                 make.question(id="miss", persona="staff", type="list", split="test"),
                 make.question(id="gone", docs=("tokyo-juten.txt",), split="test"),
                 make.question(id="none", type="unanswerable", docs=(), evidence=(), answer_keys=())]
    good = make.hit("委託先 AGS株式会社", chunk_id="c1")
    other = make.hit("別の欄", chunk_id="c2")

    def full(question):
        if question.id == "none":
            return SystemOutput((other,), make.answer("AGS株式会社です", citations=[make.citation("別の欄")]))
        if question.id == "hit":
            return SystemOutput((good,), make.answer("AGS株式会社", citations=[make.citation("x", chunk_id="c1")],
                                                     hits=[good]))
        if question.id == "gone":
            raise RuntimeError("boom")
        return SystemOutput((other,), make.answer("わかりません", refused=True))

    def keyword(question):
        return SystemOutput((other, good), None)

    def search(question):
        return SystemOutput((good,), None)

    runs = [run_system("keyword", keyword, questions, 0.0), run_system("hybrid", keyword, questions, 0.0),
            run_system("search", search, questions, 0.0), run_system("no_lexicon", keyword, questions, 0.0),
            run_system("full", full, questions, 0.5)]
    return EvalReport(question_files=("dev.jsonl", "test.jsonl"), index_dir="/tmp/idx", documents=(WAKO,),
                      missing_docs=missing_documents(questions, [WAKO], ["wako-tainou-taisaku-juten"]),
                      questions=tuple(questions), systems=tuple(runs), seconds=1.0, created="now")


def test_missing_documents_lists_the_questions_that_name_them(make):
    report = build_report(make)
    assert report.missing_docs == {"tokyo-juten.txt": ("gone",)}


def test_failures_and_errors_are_scored_not_raised(make):
    full = build_report(make).system("full")
    by_id = {run.question.id: run for run in full.runs}
    assert "boom" in by_id["gone"].error and by_id["gone"].score.key_match == 0.0
    assert [run.question.id for run in full.runs if is_failure(run)] == ["miss", "gone", "none"]
    assert full.summary()["refusal_accuracy"] == 0.0
    assert full.summary()["false_refusal_rate"] == pytest.approx(1 / 3, abs=1e-4)


def test_part_deltas_are_with_minus_without(make):
    deltas = {part: delta for part, _with, _without, delta in part_deltas(build_report(make))}
    # search finds the passage at rank 1 for 'hit' and 'miss'; no_lexicon at rank 2; 'gone' never
    assert deltas["lexicon"]["recall@5"] == 0.0
    assert deltas["lexicon"]["mrr@10"] == pytest.approx(2 / 3 - 1 / 3, abs=1e-3)
    assert "section header" not in deltas  # no ablation run, no row


def test_write_report_writes_markdown_json_and_charts(make, tmp_path):
    paths = write_report(build_report(make), tmp_path)
    names = sorted(p.name for p in paths)
    assert names == ["full_by_persona.png", "full_by_type.png", "report.json", "report.md", "systems.png"]
    assert all(p.stat().st_size > 0 for p in paths)
    text = (tmp_path / "report.md").read_text(encoding="utf-8")
    for expected in ("## Overall", "## Split: test", "## What each part adds", "## full: by persona",
                     "## Failed questions (full): 3 of 4", "tokyo-juten.txt: gone", "answered an unanswerable",
                     "error: RuntimeError: boom", "1. 和光市 | wako-tainou-taisaku-juten.txt"):
        assert expected in text, expected
    data = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert data["systems"]["full"]["overall"]["questions"] == 4
    assert data["systems"]["full"]["questions"][0]["hits"][0]["chunk_id"] == "c1"
    assert data["missing_docs"] == {"tokyo-juten.txt": ["gone"]}
