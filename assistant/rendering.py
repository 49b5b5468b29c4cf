"""Plain-text rendering of an answer for the terminal (`pia ask`, `pia chat`)."""

from __future__ import annotations

from assistant.types import Answer


def answer_text(answer: Answer) -> str:
    """The answer, then its sources as ``[n] city 評価書名 section > field 「quote」``."""
    lines = [answer.answer]
    if answer.citations:
        lines.append("")
        lines.append("出典:")
        for citation in answer.citations:
            quote = citation.quote if len(citation.quote) <= 80 else citation.quote[:80] + "…"
            lines.append(f"  [{citation.n}] {citation.city}「{citation.title}」 {citation.section_path}"
                         f" > {citation.field}\n      「{quote}」")
    return "\n".join(lines)
