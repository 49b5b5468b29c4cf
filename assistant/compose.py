"""Extractive answer composition: natural Japanese sentences from fields, by question type and
persona, each sentence carrying its [n] citation.

Residents get one or two plain sentences; staff get the exact wording with its section path;
helpdesk gets the contact block laid out to read aloud.
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.facts import FactAnswer
from assistant.fields import FieldIndex, ScoredField
from assistant.intent import Intent
from assistant.types import Answer, Citation, Field, Hit, Scope
from assistant.wording import contact_block, plain_label, polarity, quote_from, shorten

RESIDENT_LIMIT = 220
MAX_SIBLINGS = 8
LIST_CUES = ("どこ", "どの会社", "どんな会社", "一覧", "すべて", "全部", "何社", "それぞれ")


class _Citations:
    """Numbers citations in the order they are used; the same field cited twice keeps its number."""

    def __init__(self, index: FieldIndex):
        self.index = index
        self.items: list[Citation] = []
        self._numbers: dict[tuple, int] = {}

    def cite(self, hit_or_doc: Hit | None, field: Field, doc_id: str, meta: dict) -> int:
        key = (doc_id, field.ordinal)
        if key in self._numbers:
            return self._numbers[key]
        chunk = self.index.chunk_of(doc_id, field)
        n = len(self.items) + 1
        self.items.append(Citation(
            n=n, doc_id=doc_id, source=meta["source"], city=meta["city"], title=meta["title"],
            section_path=field.section_path, field=field.label,
            quote=quote_from(field.text or field.value, field.value),
            chunk_id=chunk.chunk_id if chunk else (hit_or_doc.chunk_id if hit_or_doc else ""),
        ))
        self._numbers[key] = n
        return n


def _meta(hit: Hit) -> dict:
    return {"source": hit.source, "city": hit.city, "title": hit.title}


class Composer:
    def __init__(self, field_index: FieldIndex):
        self.index = field_index

    # --- one document, one field (or its siblings) ----------------------------------------------

    def field_answer(self, ranked: Sequence[ScoredField], hits: Sequence[Hit], intent: Intent,
                     query: str, scope: Scope, question: str) -> Answer:
        citations = _Citations(self.index)
        best = ranked[0]
        field, hit = best.field, best.hit
        siblings = self.index.siblings(hit.doc_id, field)
        wants_all = intent.type == "list" or any(cue in question for cue in LIST_CUES)
        if wants_all and len(siblings) > 1 and len({s.value for s in siblings}) > 1:
            fields = siblings[:MAX_SIBLINGS]
        else:
            fields = [field]
        sentences = [self._sentence(f, hit, intent, citations, len(fields) > 1) for f in fields]
        intro = self._intro(hit, intent)
        body = "\n".join(sentences) if len(fields) > 1 or intent.persona != "resident" else "".join(sentences)
        text = f"{intro}\n{body}" if intro else body
        return Answer(answer=text, refused=False, reason=None, citations=tuple(citations.items),
                      hits=tuple(hits), mode="extractive", scope=scope, query=query,
                      persona=intent.persona)

    def _intro(self, hit: Hit, intent: Intent) -> str:
        if intent.persona == "staff":
            return f"{hit.city}「{hit.title}」の記載です。"
        return ""

    def _sentence(self, field: Field, hit: Hit, intent: Intent, citations: _Citations, in_list: bool) -> str:
        n = citations.cite(hit, field, hit.doc_id, _meta(hit))
        label = plain_label(field.label) if field.label else plain_label(field.section[-1])
        where = f"（{' > '.join(field.section[-2:])}）" if in_list or intent.persona == "staff" else ""
        value = field.value.strip()
        if intent.persona == "helpdesk" or intent.type == "contact":
            return f"{label}{where}:\n{contact_block(value)} [{n}]"
        if intent.persona == "staff":
            return f"{' > '.join(field.section)} > {field.label}:\n「{value}」[{n}]"
        if field.kind == "checkbox":
            checked = "、".join(field.checked) or "（選択なし）"
            return f"{hit.city}の評価書では、{label}は「{checked}」です[{n}]。"
        if intent.type == "yesno" and field.kind == "choice":
            yes = polarity(value)
            lead = {True: "はい。", False: "いいえ。", None: ""}[yes]
            return f"{lead}{hit.city}の評価書では、{label}は「{value}」とされています[{n}]。"
        short = shorten(value, RESIDENT_LIMIT) if intent.type not in {"procedure", "list"} else value
        if in_list:
            return f"・{short}{where} [{n}]"
        return f"{hit.city}の評価書では、{label}は「{short}」です[{n}]。"

    # --- corpus-wide facts -----------------------------------------------------------------------

    def fact_answer(self, fact: FactAnswer, intent: Intent, query: str, scope: Scope) -> Answer:
        citations = _Citations(self.index)
        lines = []
        for match in fact.matches:
            d = match.document
            meta = {"source": d.source, "city": d.city, "title": d.title}
            if match.field is not None:
                n = citations.cite(None, match.field, d.doc_id, meta)
                lines.append(f"・{d.city}「{d.title}」: {match.value} [{n}]")
            else:
                lines.append(f"・{d.city}「{d.title}」（{d.kind}評価書）")
        total = len(fact.documents)
        if not lines:
            text = f"登録されている{total}件の評価書に、{fact.topic}が「{fact.value}」のものはありません。"
        else:
            text = (f"登録されている{total}件の評価書のうち、{fact.topic}が「{fact.value}」のものは"
                    f"{len(lines)}件です。\n" + "\n".join(lines))
        return Answer(answer=text, refused=False, reason=None, citations=tuple(citations.items), hits=(),
                      mode="extractive", scope=scope, query=query, persona=intent.persona)

    # --- comparison across cities ----------------------------------------------------------------

    def comparison_answer(self, rows: Sequence[ScoredField], intent: Intent, query: str, scope: Scope,
                          cities: Sequence[str]) -> Answer:
        citations = _Citations(self.index)
        table = []
        lines = []
        for row in rows:
            n = citations.cite(row.hit, row.field, row.hit.doc_id, _meta(row.hit))
            value = row.field.value.strip()
            shown = value if intent.persona == "staff" else shorten(value, RESIDENT_LIMIT)
            lines.append(f"■ {row.hit.city}（{row.field.section_path} > {row.field.label}）\n「{shown}」[{n}]")
            table.append({"city": row.hit.city, "doc_id": row.hit.doc_id, "title": row.hit.title,
                          "section_path": row.field.section_path, "field": row.field.label,
                          "value": value, "n": n})
        missing = [c for c in cities if c not in {r.hit.city for r in rows}]
        if missing:
            lines.append("（" + "、".join(missing) + "の評価書には該当する記載が見つかりませんでした）")
        refused = not rows
        text = "\n".join(lines) if rows else "比較できる記載が見つかりませんでした。"
        hits = tuple(r.hit for r in rows)
        return Answer(answer=text, refused=refused, reason=text if refused else None,
                      citations=tuple(citations.items), hits=hits, mode="extractive", scope=scope,
                      query=query, persona=intent.persona, table=tuple(table))
