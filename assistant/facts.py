"""Corpus-wide facts computed over the structured fields of every document, not over top-k passages.

「重大事故が発生ありの評価書は?」 reads the 重大事故 field of each assessment; 「日本電気株式会社に委託
している市は?」 reads every 委託先名. The facts are data (``schema/facts.json``).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from assistant.errors import DataFileError
from assistant.form_schema import canonical_label
from assistant.passages import squash
from assistant.types import DocumentInfo, Field

FACTS_FILE = Path(__file__).parent / "schema" / "facts.json"
_LEGAL_FORMS = re.compile(r"(株式会社|有限会社|合同会社|一般社団法人|一般財団法人|公益社団法人|公益財団法人|\(株\)|㈱)")


@dataclass(frozen=True)
class FactMatch:
    document: DocumentInfo
    field: Field | None  # None for metadata facts
    value: str
    support: Field | None = None  # a second field that states it (しきい値判断結果 beside the title)


@dataclass(frozen=True)
class FactAnswer:
    topic: str
    value: str  # the reading asked about, e.g. 発生あり
    matches: tuple[FactMatch, ...]
    documents: tuple[DocumentInfo, ...]  # every document considered
    # what the other documents' cell says (委託の有無: 委託する), for an answer that no document matches
    others: tuple[FactMatch, ...] = ()
    metadata: bool = False  # about the documents themselves (全項目評価書), not a cell of them


@dataclass(frozen=True)
class _Fact:
    id: str
    topic: str
    cues: tuple[str, ...]
    section: str
    label: str
    metadata: str | None
    evidence_label: str
    readings: tuple[tuple[tuple[str, ...], str], ...]


@lru_cache(maxsize=1)
def _load() -> tuple[tuple[_Fact, ...], tuple[str, ...]]:
    try:
        data = json.loads(FACTS_FILE.read_text(encoding="utf-8"))
        facts = tuple(
            _Fact(
                id=item["id"], topic=item["topic"], cues=tuple(item["cues"]),
                section=item.get("section", ""), label=item.get("label", ""),
                metadata=item.get("metadata"), evidence_label=item.get("evidence_label", ""),
                readings=tuple((tuple(r["cues"]), r["value"]) for r in item["readings"]),
            )
            for item in data["facts"]
        )
        return facts, tuple(data["contractor_labels"])
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise DataFileError(f"malformed {FACTS_FILE.name}: {error}") from None


def company_core(name: str) -> str:
    """The distinctive part of an organisation name.

    >>> company_core('株式会社 日立システムズ')
    '日立システムズ'
    """
    return _LEGAL_FORMS.sub("", squash(name))


def _contractor_answer(question: str, documents: list[DocumentInfo],
                       fields_by_doc: dict[str, list[Field]], labels: tuple[str, ...]) -> FactAnswer | None:
    q = squash(question)
    matches: list[FactMatch] = []
    named: str | None = None
    for document in documents:
        for field in fields_by_doc.get(document.doc_id, []):
            if canonical_label(field.label) not in labels or not field.value.strip():
                continue  # 委託先名 and 再委託先名 name companies; 委託先名の確認方法 is a sentence
            for name in re.split(r"[、,/／\n]", field.value):
                core = company_core(name)
                # the question names the company, or a prefix of it of at least 4 characters
                if len(core) >= 2 and (core in q or (len(core) >= 4 and core[:4] in q)):
                    named = named or core
                    matches.append(FactMatch(document, field, field.value.strip()))
                    break
    if not matches:
        return None
    unique = {m.document.doc_id: m for m in matches}
    return FactAnswer(topic=f"委託先（{named}）", value=named or "", matches=tuple(unique.values()),
                      documents=tuple(documents))


_QUOTED = re.compile(r"[「『\"“]([^」』\"”]{2,40})[」』\"”]")


def _value_answer(question: str, documents: list[DocumentInfo],
                  fields_by_doc: dict[str, list[Field]]) -> FactAnswer | None:
    """「委託先における取扱者数が「10人未満」の評価書は?」: the documents with a field whose value is
    the quoted value; when the question also names the field's label, only that field counts."""
    q = squash(question).lower()  # canonical labels are lowercased
    for quoted in _QUOTED.findall(unicodedata.normalize("NFKC", question)):
        value = squash(quoted)
        matches: list[FactMatch] = []
        topic = ""
        for document in documents:
            candidates = [f for f in fields_by_doc.get(document.doc_id, [])
                          if squash(f.value) == value or value in {squash(c) for c in f.checked}]
            named = [f for f in candidates if canonical_label(f.label) and canonical_label(f.label) in q]
            chosen = (named or candidates)[:1]
            if chosen:
                matches.append(FactMatch(document, chosen[0], quoted))
                topic = topic or canonical_label(chosen[0].label)
        if matches:
            return FactAnswer(topic=topic or "記載", value=quoted, matches=tuple(matches), documents=tuple(documents))
    return None


_NOT_THIS = re.compile(r"[^、。?？]*?(?:ではなく|でなく|じゃなく)[、,]?")
# 「再委託しないところは除外で」「…を除いて」: a clause naming what to leave out is not the reading asked
_LEFT_OUT = re.compile(r"[^、。?？]*?(?:[はを]除外|[はを]除いて|[はを]除き|[はを]除く|[はを]外して|[はを]含めず|[はを]含めない)"
                       r"[^、。?？]*")


def answer_fact(question: str, documents: list[DocumentInfo],
                fields_by_doc: dict[str, list[Field]]) -> FactAnswer | None:
    """Answer a corpus-wide question, or None when no known fact applies."""
    facts, contractor_labels = _load()
    # 「全項目評価書ではなく重点項目評価書として…」 asks about what follows ではなく
    q = squash(_LEFT_OUT.sub("", _NOT_THIS.sub("", question)))
    by_value = _value_answer(question, documents, fields_by_doc)
    if by_value is not None:
        return by_value
    if "委託" in q or "請け" in q:
        contractor = _contractor_answer(question, documents, fields_by_doc, contractor_labels)
        if contractor is not None:
            return contractor
    for fact in facts:
        if not any(cue in q for cue in fact.cues):
            continue
        value = next(v for cues, v in fact.readings if not cues or any(c in q for c in cues))
        matches: list[FactMatch] = []
        others: list[FactMatch] = []
        for document in documents:
            if fact.metadata:
                if getattr(document, fact.metadata) == value:
                    fields = fields_by_doc.get(document.doc_id, [])
                    # the form's title line states the kind (特定個人情報保護評価書(全項目評価書)); else the label
                    title = next((f for f in fields if not f.label and f"{value}評価書" in f.value), None)
                    judged = next((f for f in fields if fact.evidence_label and fact.evidence_label in f.label
                                   and f.value.strip()), None)
                    matches.append(FactMatch(document, title or judged, value, judged if title else None))
                continue
            cells = [field for field in fields_by_doc.get(document.doc_id, [])
                     if fact.label in field.label and fact.section in field.section_path and field.value.strip()]
            # every block that reads so (山口市's 委託事項1 and 委託事項3 both 再委託する)
            matched = [field for field in cells if squash(value) == squash(field.value)]
            matches.extend(FactMatch(document, field, field.value) for field in matched)
            if not matched and cells:
                others.append(FactMatch(document, cells[0], cells[0].value.strip()))
        return FactAnswer(topic=fact.topic, value=value, matches=tuple(matches), documents=tuple(documents),
                          others=tuple(others), metadata=bool(fact.metadata))
    return None
