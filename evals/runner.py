"""`pia eval`: run every system over question sets, score each question, and write the report.

The index must already hold the documents; a question naming a document that is not ingested is
reported and scores as a miss (nothing in the index can support it).
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path, PurePath

from assistant.config import Settings
from assistant.errors import PiaError
from assistant.store import Store
from assistant.types import Answer, Hit, Scope
from evals.baselines import ALL_SYSTEMS, SPECS, build_systems
from evals.metrics import QuestionScore, aggregate, aggregate_by, score_question, supports
from evals.questions import Question, load_question_sets


@dataclass(frozen=True)
class QuestionRun:
    """One question under one system: what came back, how long it took, and its score."""

    question: Question
    hits: tuple[Hit, ...]
    answer: Answer | None
    score: QuestionScore
    error: str | None = None


@dataclass(frozen=True)
class SystemRun:
    name: str
    description: str
    runs: tuple[QuestionRun, ...]
    setup_seconds: float
    seconds: float

    @property
    def scores(self) -> list[QuestionScore]:
        return [run.score for run in self.runs]

    def summary(self) -> dict:
        return aggregate(self.scores)

    def by(self, attribute: str) -> dict[str, dict]:
        return aggregate_by(self.scores, attribute)


@dataclass(frozen=True)
class EvalReport:
    question_files: tuple[str, ...]
    index_dir: str
    documents: tuple[str, ...]  # source file names in the index
    missing_docs: dict[str, tuple[str, ...]]  # document named by questions -> question ids
    questions: tuple[Question, ...]
    systems: tuple[SystemRun, ...]
    seconds: float
    created: str
    open_seconds: float = 0.0  # opening the index and the answerer, shared by all systems
    query_embedding_ms: float | None = None  # per question, paid once, not in any latency

    def system(self, name: str) -> SystemRun | None:
        return next((run for run in self.systems if run.name == name), None)

    def to_json(self) -> dict:
        return {
            "created": self.created,
            "question_files": list(self.question_files),
            "index_dir": self.index_dir,
            "documents": list(self.documents),
            "missing_docs": {doc: list(ids) for doc, ids in self.missing_docs.items()},
            "seconds": round(self.seconds, 2),
            "open_seconds": round(self.open_seconds, 2),
            "query_embedding_ms": None if self.query_embedding_ms is None else round(self.query_embedding_ms, 2),
            "questions": [q.to_json() for q in self.questions],
            "systems": {
                run.name: {
                    "description": run.description,
                    "setup_seconds": round(run.setup_seconds, 2),
                    "seconds": round(run.seconds, 2),
                    "overall": run.summary(),
                    "by_split": run.by("split"),
                    "by_persona": run.by("persona"),
                    "by_type": run.by("type"),
                    "questions": [_run_json(r) for r in run.runs],
                }
                for run in self.systems
            },
        }


def _run_json(run: QuestionRun) -> dict:
    """One question's score with what came back: the top 10 hits (whether each supports the
    question; where and a snippet for the top 5) and the answer with its citations."""
    data = run.score.to_json()
    data["hits"] = [{"rank": rank, "chunk_id": h.chunk_id, "score": round(float(h.score), 4),
                     "supports": supports(h.source, h.text, run.question, h.doc_id),
                     **({"source": h.source, "section_path": h.section_path, "field": h.field,
                         "snippet": h.text.split("\n", 1)[-1][:80]} if rank <= 5 else {})}
                    for rank, h in enumerate(run.hits[:10], start=1)]
    if run.answer is not None:
        data["answer"] = {"text": run.answer.answer[:1000], "refused": run.answer.refused,
                          "reason": run.answer.reason,
                          "citations": [{"n": c.n, "source": c.source, "section_path": c.section_path,
                                         "field": c.field, "chunk_id": c.chunk_id, "quote": c.quote[:200]}
                                        for c in run.answer.citations]}
    if run.error:
        data["error"] = run.error
    return data


def missing_documents(questions: Sequence[Question], sources: Sequence[str],
                      doc_ids: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """Documents the questions name that the index does not hold -> the ids of those questions."""
    names = {PurePath(s).name for s in sources}
    missing: dict[str, list[str]] = {}
    for question in questions:
        for document in question.docs:
            name = PurePath(document).name
            if name not in names and PurePath(name).stem not in doc_ids:
                missing.setdefault(document, []).append(question.id)
    return {doc: tuple(ids) for doc, ids in sorted(missing.items())}


def _failed_answer(question: Question, error: str) -> Answer:
    """What a system that crashed on a question is scored as: no answer, no citations."""
    return Answer("", False, f"error: {error}", (), (), "extractive", Scope(), question.question,
                  persona=question.persona)


def run_system(name: str, system, questions: Sequence[Question], setup_seconds: float) -> SystemRun:
    runs = []
    started = time.perf_counter()
    for question in questions:
        error = None
        began = time.perf_counter()
        try:
            hits, answer = system(question)
        except Exception as exc:  # one broken question must not hide the rest of the run
            error = f"{type(exc).__name__}: {exc}"
            hits, answer = (), _failed_answer(question, error) if SPECS[name].answers else None
        latency_ms = (time.perf_counter() - began) * 1000
        runs.append(QuestionRun(question, tuple(hits), answer,
                                score_question(question, hits, answer, round(latency_ms, 2)), error))
    return SystemRun(name, SPECS[name].description, tuple(runs), setup_seconds,
                     time.perf_counter() - started)


def run_evaluation(question_files: Sequence[str | Path], settings: Settings,
                   systems: Sequence[str] = ALL_SYSTEMS, out_dir: str | Path | None = None,
                   progress=None) -> EvalReport:
    """Score ``systems`` over the questions; write the report to ``out_dir`` when given."""
    started = time.perf_counter()
    questions = load_question_sets(question_files)
    with Store(settings.database_path, create=False) as store:
        documents = store.documents()
        if not documents:
            raise PiaError(f"the index {settings.index_dir} holds no documents: run `pia ingest PATH` first")
        lineup = build_systems(list(systems), settings, store, [q.question for q in questions])
    missing = missing_documents(questions, [d.source for d in documents], [d.doc_id for d in documents])
    runs = []
    for name, system in lineup.systems.items():
        if progress:
            progress(f"{name}: {len(questions)} questions")
        runs.append(run_system(name, system, questions, lineup.setup_seconds.get(name, 0.0)))
    report = EvalReport(
        question_files=tuple(str(p) for p in question_files), index_dir=str(settings.index_dir),
        documents=tuple(d.source for d in documents), missing_docs=missing, questions=tuple(questions),
        systems=tuple(runs), seconds=time.perf_counter() - started,
        open_seconds=lineup.setup_seconds.get("open", 0.0), query_embedding_ms=lineup.query_embedding_ms,
        created=datetime.now(timezone.utc).isoformat(timespec="seconds"),
    )
    if out_dir is not None:
        from evals.report import write_report

        write_report(report, Path(out_dir))
    return report


SHORT_COLUMNS = ("recall@1", "recall@5", "mrr@10", "ndcg@10", "key_match", "citation_support",
                 "refusal_accuracy", "false_refusal_rate", "latency_p50_ms")


def short_table(report: EvalReport) -> str:
    """A plain-text table of the overall numbers per system, for the terminal."""
    header = f"{'system':<11}" + "".join(f"{c[:12]:>13}" for c in SHORT_COLUMNS)
    lines = [header]
    for run in report.systems:
        summary = run.summary()
        cells = "".join(f"{'-' if summary[c] is None else f'{summary[c]:.3f}':>13}" for c in SHORT_COLUMNS)
        lines.append(f"{run.name:<11}{cells}")
    return "\n".join(lines)


def run_cli(args, settings: Settings) -> int:
    """`pia eval QSET... [--index DIR] [--out DIR] [--json] [--no-baselines]`."""
    systems = ("full",) if getattr(args, "no_baselines", False) else ALL_SYSTEMS
    out_dir = Path(getattr(args, "out", None) or "eval-out")

    def progress(message: str) -> None:
        if not args.json:
            print(message, file=sys.stderr)

    report = run_evaluation(args.qsets, settings, systems, out_dir, progress=progress)
    if args.json:
        data = report.to_json()
        print(json.dumps({"seconds": data["seconds"], "missing_docs": data["missing_docs"],
                          "out": str(out_dir),
                          "systems": {name: {"overall": s["overall"], "by_split": s["by_split"]}
                                      for name, s in data["systems"].items()}},
                         ensure_ascii=False))
        return 0
    print(short_table(report))
    for document, ids in report.missing_docs.items():
        print(f"not in the index: {document} (scored as misses: {', '.join(ids)})")
    print(f"{len(report.questions)} questions, {len(report.systems)} systems, "
          f"{report.seconds:.1f} s; report in {out_dir / 'report.md'}")
    return 0
