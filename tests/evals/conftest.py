"""Shared pieces of the eval tests: hand-made questions, hits, citations and answers (``make``),
and the index of the sample documents (``sample_index``) for the regression gate."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from assistant.types import Answer, Citation, Hit, Scope
from evals.questions import Question


def question(id="q1", docs=("wako-tainou-taisaku-juten.txt",), evidence=("AGS株式会社",),
             answer_keys=("AGS株式会社",), type="factoid", persona="staff", split="dev") -> Question:
    return Question(id=id, persona=persona, type=type, question="委託先はどこですか", docs=tuple(docs),
                    city=("和光市",), section="", evidence=tuple(evidence),
                    answer_keys=tuple(answer_keys), split=split)


def hit(text: str, source="wako-tainou-taisaku-juten.txt", chunk_id="", rank=1) -> Hit:
    doc_id = source.rsplit(".", 1)[0]
    return Hit(rank=rank, score=1.0, doc_id=doc_id, source=source, city="和光市", title="t", kind="重点項目",
               section_path="II > 4. 委託", field="③委託先名", text=text,
               chunk_id=chunk_id or f"{doc_id}:{rank:04d}")


def citation(quote: str, source="wako-tainou-taisaku-juten.txt", chunk_id="") -> Citation:
    return Citation(n=1, doc_id=source.rsplit(".", 1)[0], source=source, city="和光市", title="t",
                    section_path="II", field="③委託先名", quote=quote, chunk_id=chunk_id)


def answer(text: str, refused=False, citations=(), hits=()) -> Answer:
    return Answer(answer=text, refused=refused, reason=None, citations=tuple(citations), hits=tuple(hits),
                  mode="extractive", scope=Scope(), query="q")


@pytest.fixture
def make():
    """Factories for hand-made values: make.question(...), make.hit(...), make.citation(...), make.answer(...)."""
    return SimpleNamespace(question=question, hit=hit, citation=citation, answer=answer)
