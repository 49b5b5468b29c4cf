import dataclasses

import pytest

from assistant.embedders import HashEmbedder
from assistant.errors import IndexMismatchError
from assistant.search import SearchOptions, SearchResult, Searcher, build_indexes
from assistant.types import SearchFilters

RESIDENT = "山口市の介護保険で、私の情報は外部の会社に渡されますか"
STAFF = "和光市の滞納整理システムの保守の委託先は"


def test_resident_paraphrase_finds_the_consignment_block(searcher):
    result = searcher.search(RESIDENT, k=5)
    assert result.scope.city == "山口市" and result.scope.jimu == "介護保険関係事務"
    assert "委託" in result.expanded_query
    assert any(hit.city == "山口市" and hit.section_path.startswith("II ") and "取扱いの委託" in hit.section_path
               for hit in result.hits)
    assert "外部の会社" not in result.hits[0].text  # found through the lexicon, not the words themselves


def test_staff_question_finds_the_contractor_name(searcher):
    result = searcher.search(STAFF, k=5)
    top = result.hits[0]
    assert top.city == "和光市" and "委託先名" in top.field and "AGS株式会社" in top.text
    assert "委託事項1" in top.section_path
    assert [field.label for field in result.focus.fields] == ["委託先名"]


def test_named_city_restricts_the_results(searcher):
    for question, city in [(RESIDENT, "山口市"), ("花巻の住民税の委託先はどこですか", "花巻市"), (STAFF, "和光市")]:
        hits = searcher.search(question, k=10).hits
        assert hits and {hit.city for hit in hits} == {city}


def test_without_scope_other_cities_compete(searcher):
    options = SearchOptions(scope=False)
    hits = searcher.search("委託先名はどこですか 山口市", k=10, options=options).hits
    assert len({hit.city for hit in hits}) > 1


def test_history_rows_rank_below_current_text(searcher):
    hits = searcher.search("山口市の介護保険の委託先名", k=500).hits  # every candidate
    flags = [hit.section_path.endswith("変更箇所") for hit in hits]
    assert any(flags) and flags == sorted(flags)  # every history row after every current one


def test_questions_about_changes_get_history(searcher):
    result = searcher.search("山口市の介護保険の委託先はいつ変更されましたか", k=5)
    assert "変更箇所" in result.focus.families
    assert any("変更箇所" in hit.section_path for hit in result.hits)


def test_filters(searcher):
    hits = searcher.search("委託先名", k=20, filters=SearchFilters(cities=("岡山",))).hits
    assert hits and {hit.city for hit in hits} == {"岡山市"}
    hits = searcher.search("委託先名", k=20, filters=SearchFilters(kinds=("全項目",))).hits
    assert {hit.kind for hit in hits} == {"全項目評価書"}
    hits = searcher.search("委託", k=20, filters=SearchFilters(families=("開示請求・問合せ",))).hits
    assert hits and all(any(m in hit.section_path for m in ("開示", "問合せ")) for hit in hits)
    hits = searcher.search("委託先", k=50, filters=SearchFilters(include_history=False)).hits
    assert not any("変更箇所" in hit.section_path for hit in hits)
    hits = searcher.search("委託先", k=20, filters=SearchFilters(doc_ids=("wako-tainou-taisaku-juten",))).hits
    assert {hit.doc_id for hit in hits} == {"wako-tainou-taisaku-juten"}
    hits = searcher.search("委託先", k=20, filters=SearchFilters(jimu=("介護保険",))).hits
    assert {hit.city for hit in hits} == {"山口市"}


@pytest.mark.parametrize("switch", ["keyword", "dense", "lexicon", "schema_boost", "scope"])
def test_each_part_can_be_switched_off(searcher, switch):
    result = searcher.search(STAFF, k=5, options=dataclasses.replace(SearchOptions(), **{switch: False}))
    assert len(result.hits) == 5 and [hit.rank for hit in result.hits] == [1, 2, 3, 4, 5]


def test_rank_fusion_option(searcher):
    hits = searcher.search(STAFF, k=5, options=SearchOptions(fusion="rrf")).hits
    assert "AGS株式会社" in " ".join(hit.text for hit in hits)
    with pytest.raises(ValueError):
        SearchOptions(fusion="max")


def test_unknown_city_is_reported(searcher):
    result = searcher.search("横浜市の介護保険の委託先は", k=5)
    assert result.detection.unknown_city == "横浜市"
    assert result.to_json()["unknown_city"] == "横浜市"


def test_result_shape(searcher):
    result = searcher.search(STAFF, k=3)
    assert isinstance(result, SearchResult) and result.query == STAFF
    data = result.to_json()
    assert data["scope"]["city"] == "和光市" and len(data["hits"]) == 3 and data["hits"][0]["rank"] == 1
    assert searcher.search("", k=3).hits == ()


def test_keyword_only_searcher_and_reordered_chunks(tmp_path, corpus):
    chunks, documents = corpus
    build_indexes(chunks, tmp_path, None)
    searcher = Searcher.open(tmp_path, list(reversed(chunks)), documents, None)
    assert searcher.search(STAFF, k=1).hits[0].text.endswith("AGS株式会社")


def test_index_of_other_chunks_is_refused(tmp_path, corpus):
    chunks, documents = corpus
    build_indexes(chunks[:100], tmp_path, HashEmbedder())
    with pytest.raises(IndexMismatchError, match="reindex"):
        Searcher.open(tmp_path, chunks, documents, HashEmbedder())


def test_a_question_across_cities_gets_each_citys_best_passage(searcher):
    result = searcher.search("委託先における取扱者数が「10人未満」の委託を記載している評価書はどれですか", k=5)
    assert result.detection.across_cities
    assert len({hit.city for hit in result.hits[:4]}) >= 3
    scored = searcher.search("委託先における取扱者数が「10人未満」の委託", k=5)
    assert not scored.detection.across_cities


def test_helpdesk_framing_does_not_steer_to_the_contact_block(searcher):
    result = searcher.search("住民から「和光市の滞納整理システムの保守はどこの会社か」と問い合わせがありました。", k=3)
    assert [field.label for field in result.focus.fields] == ["委託先名"]
    assert "問合せ" not in result.expanded_query
    assert "AGS株式会社" in result.hits[0].text
