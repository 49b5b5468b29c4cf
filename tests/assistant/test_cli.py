"""The `pia` command line end to end on the real samples (in-process, real index files)."""

from __future__ import annotations

import json


from assistant.cli import main

from sample_paths import SAMPLES


def _json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_docs_show_search_ask(sample_index, capsys):
    index = str(sample_index.index_dir)
    assert main(["docs", "--json", "--index", index]) == 0
    docs = json.loads(capsys.readouterr().out)
    assert {d["city"] for d in docs} == {"和光市", "花巻市", "山口市", "岡山市"}

    assert main(["show", "wako-tainou-taisaku-juten", "--index", index]) == 0
    shown = capsys.readouterr().out
    assert "③委託先名: AGS株式会社" in shown and "I 基本情報" in shown

    assert main(["show", "wako-tainou-taisaku-juten", "--json", "--index", index]) == 0
    data = json.loads(capsys.readouterr().out)
    assert any(f["label"] == "③委託先名" and f["value"] == "AGS株式会社" for f in data["fields"])

    assert main(["search", "和光市の滞納整理システムの保守の委託先は", "--json", "--index", index]) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result) == {"query", "hits"}
    assert set(result["hits"][0]) == {"rank", "score", "doc_id", "source", "city", "title", "kind",
                                      "section_path", "field", "text", "chunk_id"}
    assert any("AGS株式会社" in hit["text"] for hit in result["hits"][:5])

    assert main(["ask", "和光市の滞納整理システムの保守の委託先は", "--json", "--index", index]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert "AGS株式会社" in answer["answer"] and not answer["refused"]
    assert answer["citations"] and answer["mode"] == "extractive"


def test_batch_search_and_ask(sample_index, tmp_path, capsys):
    questions = tmp_path / "q.txt"
    questions.write_text("和光市の委託先\n\n山口市の問い合わせ先の電話番号\n", encoding="utf-8")
    index = str(sample_index.index_dir)
    assert main(["search", "--batch", str(questions), "--index", index, "--k", "3"]) == 0
    lines = _json_lines(capsys.readouterr().out)
    assert [line["query"] for line in lines] == ["和光市の委託先", "山口市の問い合わせ先の電話番号"]
    assert all(len(line["hits"]) == 3 for line in lines)
    assert main(["ask", "--batch", str(questions), "--index", index]) == 0
    assert len(_json_lines(capsys.readouterr().out)) == 2


def test_errors_are_one_line(sample_index, tmp_path, capsys):
    assert main(["show", "no-such-doc", "--index", str(sample_index.index_dir)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("pia: error:") and err.count("\n") == 1
    assert main(["docs", "--index", str(tmp_path / "empty")]) == 1
    err = capsys.readouterr().err
    assert "pia ingest" in err and err.count("\n") == 1


def test_ingest_remove_cycle(tmp_path, capsys):
    index = str(tmp_path / "idx")
    assert main(["ingest", str(SAMPLES / "wako-tainou-taisaku-juten.txt"), "--index", index,
                 "--embedder", "hash", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "ok (wako-tainou-taisaku-juten" in out
    assert main(["ingest", str(SAMPLES / "wako-tainou-taisaku-juten.txt"), "--index", index,
                 "--embedder", "hash", "--quiet"]) == 0
    assert "unchanged" in capsys.readouterr().out
    assert main(["remove", "wako-tainou-taisaku-juten", "--index", index, "--embedder", "hash"]) == 0
    capsys.readouterr()
    assert main(["docs", "--json", "--index", index]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_serve_without_the_web_chat_says_so(capsys):
    """Until web/app.py exists, `pia serve` is a one-line error, not a traceback."""
    from assistant.cli import main

    assert main(["serve"]) == 1
    assert "web chat" in capsys.readouterr().err
