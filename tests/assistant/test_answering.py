"""Answers over the real sample index: field values, yes/no, contact blocks, refusals,
comparisons, corpus-wide facts and follow-ups — with verbatim, numbered citations."""

from __future__ import annotations

import re
import unicodedata

import pytest

from sample_paths import SAMPLES


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


SOURCES = {path.name: _norm(path.read_text(encoding="utf-8")) for path in SAMPLES.glob("*.txt")}


def _check_citations(answer) -> None:
    numbers = {int(n) for n in re.findall(r"\[(\d+)\]", answer.answer)}
    assert numbers <= {c.n for c in answer.citations}, answer.answer
    for citation in answer.citations:
        assert _norm(citation.quote) in SOURCES[citation.source], citation


def test_factoid_with_citation(answerer):
    answer = answerer.ask("和光市の滞納整理システムの保守の委託先はどこですか")
    assert not answer.refused
    assert "AGS株式会社" in answer.answer
    assert answer.scope.city == "和光市"
    _check_citations(answer)
    assert answer.citations[0].city == "和光市"


def test_resident_yes_no_reads_the_selected_option(answerer):
    answer = answerer.ask("山口市の介護保険で、私の情報は外部の会社に渡されますか")
    assert not answer.refused
    assert answer.citations and all(c.city == "山口市" for c in answer.citations)
    assert "委託" in answer.answer
    _check_citations(answer)


def test_helpdesk_contact_block(answerer):
    answer = answerer.ask("和光市の特定個人情報の開示請求はどこに出せばいいですか。電話番号も教えて",
                          persona="helpdesk")
    assert "048-424-9092" in answer.answer
    assert "\n住所" in answer.answer or "住所" in answer.answer
    _check_citations(answer)


@pytest.mark.parametrize("question, expected", [
    ("札幌市の介護保険の評価書では委託先はどこですか", "札幌市"),
    ("花巻市の介護保険の委託先を教えて", "花巻市の評価書は個人住民税に関する事務のみです"),
])
def test_refuses_instead_of_borrowing_another_document(answerer, question, expected):
    answer = answerer.ask(question)
    assert answer.refused and answer.reason
    assert expected in answer.answer
    assert answer.citations == ()


@pytest.mark.parametrize("question, cities", [
    ("重大事故が発生ありの評価書は?", {"岡山市", "和光市"}),
    ("全項目評価はどれ?", {"岡山市"}),
    ("日本電気株式会社に委託している市は?", {"花巻市"}),
    ("情報提供ネットワークシステムと接続していないのは?", {"和光市"}),
])
def test_corpus_wide_facts(answerer, question, cities):
    answer = answerer.ask(question)
    assert not answer.refused
    named = {city for city in ("岡山市", "和光市", "花巻市", "山口市") if city in answer.answer}
    assert named == cities, answer.answer
    _check_citations(answer)


def test_comparison_table(answerer):
    answer = answerer.ask("岡山市と和光市で委託先の監督の書き方を比べて")
    assert not answer.refused
    assert {row["city"] for row in answer.table} == {"岡山市", "和光市"}
    for row in answer.table:
        citation = next(c for c in answer.citations if c.n == row["n"])
        assert citation.city == row["city"]
    _check_citations(answer)


def test_follow_up_takes_scope_from_conversation(answerer):
    first = answerer.ask("和光市の滞納整理システムの保守の委託先はどこですか")
    follow = answerer.ask("その委託先は再委託していますか", history=[("和光市の滞納整理システムの保守の委託先はどこですか", first)])
    assert follow.scope.city == "和光市"
    assert "和光市" in follow.query
    assert "再委託しない" in follow.answer
    _check_citations(follow)


def test_which_cities_say_it_reads_every_document(answerer):
    """No structured fact covers 焼却; the answerer reads each document's best passage and lists
    those that actually say it."""
    answer = answerer.ask("紙の書類を最後は焼却して処分すると書いてあるのはどの市の資料ですか?")
    assert not answer.refused
    assert {row["city"] for row in answer.table} == {"花巻市", "山口市"}
    assert answer.answer.startswith("該当する記載があるのは")
    _check_citations(answer)
