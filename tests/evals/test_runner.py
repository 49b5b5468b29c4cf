"""`pia eval` end to end over a real index of the samples, with a question file written here."""

from __future__ import annotations

import json
from argparse import Namespace

from assistant.embedders import create_embedder
from assistant.store import Store
from evals.baselines import TutorialPipeline
from evals.questions import Question
from evals.runner import run_cli

WAKO = "wako-tainou-taisaku-juten.txt"
QUESTIONS = [
    {"id": "x-wako", "persona": "staff", "type": "factoid", "question": "和光市の滞納対策の事務の評価実施機関名は？",
     "docs": [WAKO], "city": ["和光市"], "evidence": ["和光市長"], "answer_keys": ["和光市長"]},
    # a document this index never saw: reported, scored as a miss
    {"id": "x-tokyo", "persona": "resident", "type": "factoid", "question": "千代田区の住民税の事務はどこに委託していますか",
     "docs": ["chiyoda-juminzei-juten.txt"], "city": ["千代田区"], "evidence": ["株式会社千代田"],
     "answer_keys": ["株式会社千代田"], "extra_key": "ignored"},
    {"id": "x-none", "persona": "helpdesk", "type": "unanswerable", "question": "和光市の来年度の予算額はいくらですか",
     "docs": [], "city": ["和光市"], "evidence": [], "answer_keys": []},
]


def test_eval_cli_writes_the_report_and_scores_unknown_documents_as_misses(sample_index, tmp_path, capsys):
    qset = tmp_path / "other.jsonl"
    qset.write_text("\n".join(json.dumps(q, ensure_ascii=False) for q in QUESTIONS), encoding="utf-8")
    out = tmp_path / "out"
    args = Namespace(qsets=[str(qset)], out=str(out), json=True, no_baselines=True, index=None)
    assert run_cli(args, sample_index) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["missing_docs"] == {"chiyoda-juminzei-juten.txt": ["x-tokyo"]}
    full = printed["systems"]["full"]["overall"]
    assert (full["questions"], full["answerable"], full["unanswerable"]) == (3, 2, 1)
    assert {p.name for p in out.iterdir()} >= {"report.md", "report.json", "systems.png"}
    scores = {q["id"]: q for q in json.loads((out / "report.json").read_text())["systems"]["full"]["questions"]}
    assert scores["x-tokyo"]["recall_at_10"] == 0.0
    assert "chiyoda-juminzei-juten.txt: x-tokyo" in (out / "report.md").read_text(encoding="utf-8")


def test_tutorial_pipeline_answers_with_its_top_chunk(sample_index):
    with Store(sample_index.database_path, create=False) as store:
        documents = [(info, store.document_text(info.doc_id)) for info in store.documents()]
    tutorial = TutorialPipeline(documents, create_embedder("hash"))
    assert {hit.source for hit in tutorial.pieces} == {info.source for info, _ in documents}
    assert max(len(hit.text) for hit in tutorial.pieces) <= 500
    question = Question("t", "staff", "factoid", "和光市長", (WAKO,), (), "", ("和光市長",), ("和光市長",))
    hits, answer = tutorial(question)
    assert len(hits) == 10 and [h.rank for h in hits] == list(range(1, 11))
    assert answer.answer == hits[0].text and answer.citations[0].chunk_id == hits[0].chunk_id
    assert not answer.refused


def test_query_vector_cache_returns_the_embedders_own_vectors_once():
    import numpy as np

    from evals.baselines import QueryVectorCache

    calls = []
    embedder = create_embedder("hash")
    original = embedder.embed_queries

    def counting(texts):
        calls.append(list(texts))
        return original(texts)

    embedder.embed_queries = counting
    cache = QueryVectorCache(embedder)
    first = cache.embed_queries(["委託先は", "窓口は"])
    again = cache.embed_queries(["窓口は"])
    assert np.array_equal(first[1], again[0]) and np.array_equal(first[0], original(["委託先は"])[0])
    assert calls == [["委託先は"], ["窓口は"]]  # one text per call, each once
    assert cache.dimension == embedder.dimension
