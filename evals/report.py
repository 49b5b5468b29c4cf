"""The evaluation report: report.md for people, report.json with every number, PNG charts.

Charts use ASCII labels only (system, persona and type names), since a CJK font may be absent.
"""

from __future__ import annotations

import json
from pathlib import Path

from evals.baselines import ABLATIONS
from evals.metrics import METRICS
from evals.runner import EvalReport, QuestionRun, SystemRun

OVERALL_COLUMNS = tuple(METRICS)
GROUP_COLUMNS = ("recall@1", "recall@5", "mrr@10", "ndcg@10", "key_match", "citation_support",
                 "refusal_accuracy", "false_refusal_rate")
DELTA_METRICS = ("recall@5", "mrr@10")
PRIMARY_SYSTEM = "full"


def _cell(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.1f}" if abs(value) >= 10 else f"{value:.3f}"
    return str(value)


def _table(first: str, rows: dict[str, dict], columns) -> list[str]:
    lines = [f"| {first} | n | " + " | ".join(columns) + " |",
             "|---|---:|" + "---:|" * len(columns)]
    for name, summary in rows.items():
        lines.append(f"| {name} | {summary['questions']} | "
                     + " | ".join(_cell(summary.get(c)) for c in columns) + " |")
    return lines


def part_deltas(report: EvalReport) -> list[tuple[str, str, str, dict[str, float | None]]]:
    """(part, with-system, without-system, metric -> with minus without) for each measurable part."""
    pairs = [("dense search (over keyword)", "hybrid", "keyword"),
             ("keyword search (over dense)", "hybrid", "dense"),
             ("lexicon + schema boost + scope (over hybrid)", "search", "hybrid")]
    pairs += [(part, "search", ablation) for ablation, part in ABLATIONS.items()]
    rows = []
    for part, with_name, without_name in pairs:
        with_run, without_run = report.system(with_name), report.system(without_name)
        if with_run is None or without_run is None:
            continue
        a, b = with_run.summary(), without_run.summary()
        rows.append((part, with_name, without_name,
                     {m: None if a[m] is None or b[m] is None else round(a[m] - b[m], 4)
                      for m in DELTA_METRICS}))
    return rows


def is_failure(run: QuestionRun) -> bool:
    """A question the system got wrong: an unanswerable one not refused; an answerable one with
    no supporting passage in the top 5, or (when it answers) refused, missing a key or uncited."""
    score = run.score
    if run.error:
        return True
    if not score.answerable:
        return score.refused is False
    if not score.recall_at_5:
        return True
    if score.refused is None:
        return False
    return bool(score.refused or score.key_match == 0.0 or score.citation_support == 0.0)


def _failure_lines(run: QuestionRun) -> list[str]:
    q, score = run.question, run.score
    reasons = []
    if run.error:
        reasons.append(f"error: {run.error}")
    if q.answerable:
        if not score.recall_at_5:
            reasons.append("no supporting passage in top 5" + (f" (first at {score.first_rank})"
                                                                if score.first_rank else ""))
        if score.refused:
            reasons.append("refused")
        elif score.key_match == 0.0:
            reasons.append(f"answer keys {score.key_fraction:.2f}")
        if score.citation_support == 0.0:
            reasons.append("no supporting citation")
    elif score.refused is False:
        reasons.append("answered an unanswerable question")
    lines = [f"### {q.id} ({q.persona}, {q.type}, {q.split}) — {'; '.join(reasons)}", "",
             f"- question: {q.question}",
             f"- gold docs: {', '.join(q.docs) or '(none: unanswerable)'}"]
    if q.section:
        lines.append(f"- section: {q.section}")
    if q.evidence:
        lines.append(f"- evidence: {' / '.join(q.evidence)}")
    if q.answer_keys:
        lines.append(f"- answer keys: {' / '.join(q.answer_keys)}")
    lines.append("- top 5 hits:")
    for rank, hit in enumerate(run.hits[:5], start=1):
        snippet = hit.text.split("\n", 1)[-1].replace("\n", " ").replace("|", "¦")[:80]
        place = " > ".join(p for p in (hit.section_path, hit.field) if p)
        lines.append(f"  {rank}. {hit.city} | {hit.source} | {place} | {snippet}")
    if not run.hits:
        lines.append("  (none)")
    if run.answer is not None:
        text = run.answer.answer.replace("\n", " ")
        lines.append(f"- answer{' (refused)' if run.answer.refused else ''}: {text[:400]}")
        for citation in run.answer.citations[:3]:
            lines.append(f"  [{citation.n}] {citation.source} {citation.section_path} > {citation.field}")
    lines.append("")
    return lines


def markdown(report: EvalReport, charts: list[str]) -> str:
    lines = ["# pia evaluation", "",
             f"- question files: {', '.join(report.question_files)} ({len(report.questions)} questions)",
             f"- index: {report.index_dir} ({len(report.documents)} documents: "
             f"{', '.join(report.documents)})",
             f"- run: {report.created}, {report.seconds:.1f} s; opening the index {report.open_seconds:.1f} s"
             + "".join(f"; {run.name} setup {run.setup_seconds:.1f} s"
                       for run in report.systems if run.setup_seconds >= 0.05)]
    if report.query_embedding_ms is not None:
        lines.append(f"- each question is embedded once before the runs ({report.query_embedding_ms:.1f} ms "
                     "per question); latencies exclude it")
    lines += [""]
    if report.missing_docs:
        lines += ["**Documents named by questions but not in the index** (scored as misses):", ""]
        lines += [f"- {doc}: {', '.join(ids)}" for doc, ids in report.missing_docs.items()]
        lines.append("")
    lines += ["Definitions: evals/README.md (same as QUESTION_FORMAT.md). Retrieval and answer "
              "metrics over answerable questions; coverage over multi-document ones; refusal "
              "accuracy over unanswerable ones. – = not applicable.", "", "## Overall", ""]
    lines += _table("system", {run.name: run.summary() for run in report.systems}, OVERALL_COLUMNS)
    lines += ["", "Systems:", ""] + [f"- **{run.name}**: {run.description}" for run in report.systems]
    splits = sorted({q.split for q in report.questions})
    if len(splits) > 1:
        for split in splits:
            lines += ["", f"## Split: {split}", ""]
            lines += _table("system", {run.name: run.by("split")[split] for run in report.systems},
                            GROUP_COLUMNS)
    deltas = part_deltas(report)
    if deltas:
        lines += ["", "## What each part adds", "",
                  "| part | with | without | " + " | ".join(f"Δ {m}" for m in DELTA_METRICS) + " |",
                  "|---|---|---|" + "---:|" * len(DELTA_METRICS)]
        for part, with_name, without_name, delta in deltas:
            lines.append(f"| {part} | {with_name} | {without_name} | "
                         + " | ".join("–" if delta[m] is None else f"{delta[m]:+.3f}"
                                      for m in DELTA_METRICS) + " |")
    primary = report.system(PRIMARY_SYSTEM) or report.systems[0]
    for attribute in ("persona", "type"):
        lines += ["", f"## {primary.name}: by {attribute}", ""]
        lines += _table(attribute, primary.by(attribute), GROUP_COLUMNS)
    if charts:
        lines += ["", "## Charts", ""] + [f"![{name}]({name})" for name in charts]
    failures = [run for run in primary.runs if is_failure(run)]
    lines += ["", f"## Failed questions ({primary.name}): {len(failures)} of {len(primary.runs)}", ""]
    for run in failures:
        lines += _failure_lines(run)
    return "\n".join(lines) + "\n"


def _bar_chart(path: Path, title: str, groups: list[str], series: dict[str, list[float]]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(max(6.0, 0.9 * len(groups) + 2), 4))
    width = 0.8 / max(1, len(series))
    for number, (label, values) in enumerate(series.items()):
        positions = [i + (number - (len(series) - 1) / 2) * width for i in range(len(groups))]
        axes.bar(positions, values, width, label=label)
    axes.set_xticks(range(len(groups)), groups, rotation=30, ha="right")
    axes.set_ylim(0, 1)
    axes.set_title(title)
    axes.legend()
    axes.grid(axis="y", alpha=0.3)
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)


def write_charts(report: EvalReport, out_dir: Path) -> list[str]:
    metrics = ("recall@5", "mrr@10")

    def series(rows: dict[str, dict], names: tuple[str, ...] = metrics) -> dict[str, list[float]]:
        return {m: [rows[g][m] or 0.0 for g in rows] for m in names}

    charts = []
    overall = {run.name: run.summary() for run in report.systems}
    _bar_chart(out_dir / "systems.png", "Recall@5 and MRR@10 by system", list(overall), series(overall))
    charts.append("systems.png")
    primary: SystemRun = report.system(PRIMARY_SYSTEM) or report.systems[0]
    answer_metrics = ("recall@5", "mrr@10", "key_match", "citation_support")
    for attribute in ("persona", "type"):
        rows = {g: s for g, s in primary.by(attribute).items() if s["answerable"]}
        if rows:
            name = f"{primary.name}_by_{attribute}.png"
            _bar_chart(out_dir / name, f"{primary.name} pipeline by {attribute}", list(rows),
                       series(rows, answer_metrics))
            charts.append(name)
    return charts


def write_report(report: EvalReport, out_dir: Path) -> list[Path]:
    """Write report.md, report.json and the charts; returns the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    charts = write_charts(report, out_dir)
    (out_dir / "report.json").write_text(
        json.dumps(report.to_json(), ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    (out_dir / "report.md").write_text(markdown(report, charts), encoding="utf-8")
    return [out_dir / "report.md", out_dir / "report.json", *(out_dir / c for c in charts)]
