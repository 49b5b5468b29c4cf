"""Answers over the real sample index: field values, yes/no, contact blocks, refusals,
comparisons, corpus-wide facts and follow-ups — with verbatim, numbered citations."""

from __future__ import annotations

import re
import unicodedata

import pytest

from ingest.normalize import quote_key
from sample_paths import SAMPLES


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


# "Verbatim" much as tests/assistant/test_citations.py defines it: in the source, with or without its HTML
# tags (a bracketed heading such as <事務運営…> looks like one), compared after entities are unescaped
# (&lt; is <), NFKC and without whitespace
SOURCES = {path.name: (quote_key(re.sub(r"<[^>]+>", "", text)), quote_key(text))
           for path in SAMPLES.glob("*.txt") for text in [path.read_text(encoding="utf-8")]}


def _check_citations(answer) -> None:
    numbers = {int(n) for n in re.findall(r"\[(\d+)\]", answer.answer)}
    assert numbers <= {c.n for c in answer.citations}, answer.answer
    for citation in answer.citations:
        assert any(quote_key(citation.quote) in text for text in SOURCES[citation.source]), citation


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
    ("さいたま市では滞納者の情報をどう管理していますか", "さいたま市の評価書は登録されていません"),
    ("岡山県の個人情報の開示請求はどこにすればいいですか", "岡山県の評価書は登録されていません"),
    ("花巻市の介護保険の委託先を教えて", "花巻市の評価書は個人住民税に関する事務のみです"),
    ("熊本市に住んでいます。住民税の問い合わせ先を教えてください", "熊本市の評価書は登録されていません"),
    # Okayama's 収滞納 assessment covers city taxes: not the 賦課 of one of them, nor 国民健康保険料
    ("岡山市の固定資産税の賦課事務の評価書では、どこに委託していますか", "「固定資産税」の評価書は登録されていません"),
    ("岡山市の国民健康保険料の滞納について問い合わせ窓口はどこですか", "「国民健康保険」の評価書は登録されていません"),
    # 岡山市 is named only as the yardstick: the question is about 倉敷市
    ("倉敷市に住んでいます。倉敷市でも税金の滞納データは岡山市と同じように6年以上10年未満保管されるんですか？",
     "倉敷市の評価書は登録されていません"),
])
def test_refuses_instead_of_borrowing_another_document(answerer, question, expected):
    answer = answerer.ask(question)
    assert answer.refused and answer.reason
    assert expected in answer.answer
    assert answer.citations == ()


@pytest.mark.parametrize("question, city", [
    ("岡山市で固定資産税を滞納したら、財産はどう調べられますか", "岡山市"),  # its 収滞納 covers 固定資産税
    ("子どもの難病の医療費の助成で、花巻市から県に私の住民税の情報が伝わりますか", "花巻市"),  # 難病 is context
    # 市県民税 is a 地方税 (jimu_aliases.json "broader"): 和光市's 地方税 滞納 assessment covers it
    ("和光市で市県民税と国保税を滞納しています。そのシステムは外部の会社が触っているんですか？", "和光市"),
    # a short cry (ヒヤッ) names nothing; 画面の置き場所 is about the display, not 保管場所
    ("花巻市役所の窓口で、職員さんの画面が後ろの人から見えそうでヒヤッとしました。画面の置き場所の決まりはありますか？",
     "花巻市"),
    # everyday katakana words (スイッチ, チャンス) name nothing; 何日も tells how long, it asks no number
    ("和光市の滞納整理に使うパソコンって、関係ない人がスイッチを入れて中身をのぞいたりできないの？", "和光市"),
    ("岡山市の税金の収納や滞納について市がまとめたこの書類って、一般の市民が意見を出せるチャンスはあったんですか？", "岡山市"),
    ("大きな地震や何日も続く停電があったとき、花巻市の住民税のデータが消えてなくなったりしないか心配です。", "花巻市"),
    # マイナポータル beside 受取用の口座, which the lexicon bridges to the 公金受取口座 岡山市's form states
    ("岡山市で市税を払いすぎてお金が戻ってくるとき、私がマイナポータルで登録した受取用の口座の情報って使われるんですか？", "岡山市"),
    # お金がかかっていて tells of the asker's costs; it asks for no fee (手数料等)
    ("山口市で介護と病院の両方にお金がかかっていて、自己負担を合算して戻ってくる制度を使ってます。"
     "そのために私のマイナンバーが市役所の外の団体に渡ってるって本当ですか？", "山口市"),
    # 国保連 is an organisation (jimu_aliases.json "organization"): its 国保 names no 事務
    ("保険料の計算や国保連への送信に使ったデータを書き込んだディスク、山口市ではどこにしまってあるの？", "山口市"),
])
def test_another_jimu_named_in_passing_is_no_refusal(answerer, question, city):
    answer = answerer.ask(question)
    assert not answer.refused
    assert answer.citations and all(c.city == city for c in answer.citations)


@pytest.mark.parametrize("question, cities", [
    ("重大事故が発生ありの評価書は?", {"岡山市", "和光市"}),
    ("全項目評価はどれ?", {"岡山市"}),
    ("日本電気株式会社に委託している市は?", {"花巻市"}),
    ("情報提供ネットワークシステムと接続していないのは?", {"和光市"}),
    # 委託先名の確認方法 (a sentence starting 「委託先が…」) names no company: this asks about 再委託
    ("4つの市のうち、委託先がさらに下請け（再委託）まで使っているのはどこの市？", {"岡山市", "花巻市", "山口市"}),
    # what follows ではなく is asked about
    ("4つの評価書のうち、全項目評価書ではなく重点項目評価書として作成されているのはどの市のものか。", {"和光市", "花巻市", "山口市"}),
    ("ほかの役所と情報提供ネットワークで情報をやり取りしているのは4市の評価書のうちどこ？", {"岡山市", "花巻市", "山口市"}),
    ("4つの市の評価書の中で、マイナンバーの仕組みを使ってほかの役所と情報をやりとりしていない市はありますか？", {"和光市"}),
    # a blank cell says nothing: only 岡山市 fills in its 第三者点検 ②方法
    ("4市の評価書のうち、第三者点検の方法を記載しているのはどこで、どういう方法ですか。", {"岡山市"}),
    ("4市の評価書を横断して、委託先がさらに再委託している(再委託する)ケースがある市を挙げてほしい。", {"岡山市", "花巻市", "山口市"}),
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


def test_a_name_the_documents_never_mention_is_refused(answerer):
    answer = answerer.ask("岡山市の税金のデータを置くクラウドは、AWSやGoogleなどどこの会社のサービスですか")
    assert answer.refused
    assert "AWS" in answer.reason and "Google" in answer.reason
    # everyday katakana words are not names: the question is answered
    answer = answerer.ask("和光市の滞納の担当が使っているパソコンは、コンピューターウイルスへの対策がされていますか")
    assert not answer.refused
    assert "ウイルス対策ソフト" in answer.answer
    # a name that only says where the asker heard of something is no question about it
    answer = answerer.ask("LINEで聞いたのですが、和光市の滞納整理の委託先はどこですか")
    assert not answer.refused and "AGS株式会社" in answer.answer


def test_a_blank_cell_is_said_to_be_blank(answerer):
    answer = answerer.ask("花巻市の個人住民税の評価書で、第三者点検の結果はどうでしたか")
    assert answer.refused
    assert "空欄" in answer.reason and "結果" in answer.reason


def test_a_form_field_asked_about_whose_cells_are_all_blank_is_said_to_be_blank(answerer):
    answer = answerer.ask("岡山市の収滞納事務の評価書について、パブリックコメントではどのような意見が寄せられましたか?")
    assert answer.refused
    assert "空欄" in answer.reason and "主な意見の内容" in answer.reason


def test_a_further_question_of_a_message_asking_a_period_gets_the_period(answerer):
    answer = answerer.ask("岡山市で市税を払っています。私の納税記録のマイナンバー付きのデータは、何年くらい保管されるんですか？"
                          "期間が過ぎたらどうやって消すのかも知りたいです。")
    assert not answer.refused, answer.reason
    assert "6年以上10年未満" in answer.answer
    _check_citations(answer)


def test_every_field_the_question_names_is_shown(answerer):
    answer = answerer.ask("山口市が株式会社日立システムズに委託している業務について、再委託の許諾方法と再委託事項は?",
                          persona="staff")
    assert "事前に市の書面による承諾が必要" in answer.answer
    assert "サーバー管理及びSEサポート" in answer.answer
    _check_citations(answer)


def test_each_question_of_a_message_is_answered(answerer):
    """Two questions in a row: the whole message leans to the retention period (期間), but the first
    asks whether viewing is logged and the second how long that log is kept (5年間)."""
    answer = answerer.ask("岡山市の職員がいつ私の税の情報を見たか、記録って残るんですか?残るなら何年くらい?")
    assert not answer.refused, answer.reason
    assert "記録を残している" in answer.answer and "5年間" in answer.answer
    _check_citations(answer)
    answer = answerer.ask("花巻市が住民税のためにマイナンバー付きで記録している人って、何人くらいになるんですか?"
                          "市外に住んでいる人も入っているの?")
    assert "10万人以上100万人未満" in answer.answer and "市内に住所を有しない課税対象者" in answer.answer
    _check_citations(answer)


def test_how_many_is_answered_by_counting_the_blocks(answerer):
    answer = answerer.ask("花巻市の個人住民税に関する事務では、特定個人情報ファイルの取扱いの委託は何件あり、"
                          "それぞれの委託事項は何か。")
    assert not answer.refused
    for item in ("システム保守・運用業務", "帳票等の印刷業務", "バックアップデータの保管"):
        assert item in answer.answer
    assert "次の3件" in answer.answer or "(3) 件" in answer.answer
    _check_citations(answer)


def test_a_passage_spanning_two_chunks_cites_both(answerer):
    answer = answerer.ask("花巻市で、住民から個人情報が漏れているという連絡を受けた場合、どのように報告・対応する決まりに"
                          "なっていますか", persona="helpdesk")
    texts = {hit.chunk_id: _norm(hit.text) for hit in answer.hits}
    cited = [texts.get(c.chunk_id, "") for c in answer.citations]
    assert any(_norm("統括情報セキュリティ管理者に口頭又は電話により報告") in text for text in cited)
    assert len({c.chunk_id for c in answer.citations}) >= 2
    _check_citations(answer)


def test_the_kind_of_assessment_cites_the_title_and_the_threshold_judgement(answerer):
    answer = answerer.ask("全項目評価書はどれですか")
    assert {c.field for c in answer.citations} >= {"", "②しきい値判断結果"}
    assert any("全項目評価の実施が義務付けられる" in c.quote for c in answer.citations)
    _check_citations(answer)


def test_a_field_only_some_forms_have(answerer):
    """手数料等 is a field of the 全項目評価書 only: a 重点項目評価書 cannot state it — unless its
    開示請求 part says where the fees are told (和光市: 「…諸費用等について掲載する」)."""
    answer = answerer.ask("山口市で開示請求をするときの手数料は無料ですか")
    assert answer.refused and "重点項目評価書" in answer.reason and "手数料等" in answer.reason
    answer = answerer.ask("和光市で開示請求をするときの手数料は無料ですか")
    assert not answer.refused and "諸費用等について掲載する" in answer.answer
    _check_citations(answer)
    answer = answerer.ask("岡山市で開示請求をするときの手数料は無料ですか")
    assert not answer.refused and "無料" in answer.answer
    # asked beside the request itself: the answer says where to ask and notes what the form lacks
    answer = answerer.ask("花巻市で住民税の自分の情報を見せてもらうとき、お金はかかるの？タダ？")
    assert not answer.refused
    assert "花巻市総合政策部総務課" in answer.answer and "「手数料等」の欄がありません" in answer.answer
    _check_citations(answer)


def test_a_quoted_caller_question_is_answered_as_asked(answerer):
    """The caller's yes/no question inside a helpdesk question is answered by the option of the
    block it is about (委託事項2, the printing): its 再委託の有無."""
    answer = answerer.ask("住民から「花巻市の納税通知書を印刷している団体は、その仕事をさらに別の業者に回しているのか」"
                          "と聞かれました。どう答えればよいですか。")
    assert not answer.refused
    option = next(c for c in answer.citations if c.quote == "再委託しない")
    assert "委託事項2" in option.section_path
    _check_citations(answer)


def test_a_tax_named_as_its_own_jimu_is_not_covered_by_a_wider_one(answerer):
    """市県民税 beside 滞納 is covered by 和光市's 地方税 assessment, but 「個人住民税(賦課)に関する事務の評価書」
    names an assessment of its own, which 和光市 does not have."""
    answer = answerer.ask("和光市の個人住民税(賦課)に関する事務の評価書では、情報提供ネットワークシステムによる情報連携を実施するとしていますか。")
    assert answer.refused and "個人住民税" in answer.answer


def test_a_jimu_named_in_passing_must_be_spoken_of_by_its_own_word(answerer):
    """保育料 beside 滞納 scopes 岡山市's 収滞納 assessment, whose text never speaks of 保育 (a short
    keyword of that 事務, こども, does not count)."""
    answer = answerer.ask("岡山市の保育料を滞納しているんですが、保育料の滞納でもマイナンバーはどう使われているの？")
    assert answer.refused and "保育" in answer.answer


def test_a_blank_cell_in_a_comparison_is_said_blank_and_cited_by_its_label(answerer):
    answer = answerer.ask("4市（花巻・和光・岡山・山口）の評価書のうち、国民・住民等からの意見の聴取の方法（パブリックコメント等）"
                          "が記載されているのはどの市か。")
    assert "（空欄）" in answer.answer and "パブリックコメント" in answer.answer
    assert all(citation.quote for citation in answer.citations)
    # the period left blank in 岡山市's body is said from its change-history row
    assert "令和7年8月6日～令和7年9月5日" in answer.answer
    _check_citations(answer)


@pytest.mark.parametrize("question, topic", [
    ("岡山市の市税はクレジットカードで納付できますか", "支払い手段"),  # 業務アプリケーション is no answer
    ("山口市の介護保険料の通知書は、毎年何月ごろに届くの", "届く時期"),
    ("花巻市がふるさと納税のワンストップ特例の通知を寄附者の住む市区町村へ送る期限は、毎年何月何日までと定められていますか？",
     "送る期限"),
    ("岡山市から他人の電話番号が印刷されたハガキが届いたことがあると聞きました。全部で何人にそういうハガキが送られたんですか？",
     "件数"),
    ("和光市で、本人の代わりに家族が開示請求をする場合、委任状など何の書類が必要か聞かれています。", "必要書類"),
    ("山口市の介護保険料の催促電話をかけている会社のコールセンターは、どこの県にあるんですか？", "委託先の連絡先"),
    ("岡山市は、警察から捜査のために問い合わせがあったら滞納者の情報を教えるのですか", "捜査機関"),
    ("花巻市の評価書は次にいつ見直されますか", "今後の予定"),
    ("岡山市のガバメントクラウドの利用料はいくらですか", "費用"),
    ("岡山市が収納・滞納システムをガバメントクラウドへ移行するのにかかった費用の総額はいくらですか", "費用"),
    ("花巻市の住民税の申告期限はいつですか", "期限"),
    ("山口市の介護保険の要介護認定にはどのくらいの日数がかかりますか", "日数"),
    ("山口市が介護保険のシステムを任せている会社との契約は、いつまでの契約なんですか？", "契約の期間"),
    ("山口市の介護保険って、マイナポータルから電子申請した人は去年どれくらいいたんですか？", "実績"),
    ("花巻市って、ふるさと納税で去年どれくらい寄附が集まったんですか？", "実績"),
    ("岡山市の収滞納事務がガバメントクラウドとして使っているクラウド事業者の具体的な社名・サービス名は何か。", "クラウド事業者"),
    ("岡山市で他人の電話番号が印刷されたハガキが送られたって件、全部で何人分(何通)あったんですか？", "事故の件数"),
    ("和光市の業者が勝手に下請けに出していた件で、市はその業者に損害賠償を請求したんですか？", "損害賠償"),
    ("岡山市の税金のデータを預けているクラウドって、具体的にどこの会社のサービスなんですか？", "クラウド事業者"),
    ("岡山市で今、市税を滞納している人は実際に何人くらいいるんですか？", "滞納の件数"),
    ("花巻市の個人住民税事務で、令和元年度に発行した課税証明書の枚数は評価書にどう記載されていますか。", "実績"),
    ("和光市の収納課の課長さんのお名前は何とおっしゃるんでしょうか。", "氏名"),
    ("山口市の方から、要介護認定の結果に納得できないので不服申し立てをしたいと相談がありました。どこに審査請求すればよいですか。",
     "審査請求"),
    ("和光市が滞納整理のシステムの保守をお願いしている先に、毎年どのくらいのお金を払っているのか知りたいです。", "費用"),
    ("岡山市の市税をスマホ決済で払うと、手数料を別に取られたりするんですか？", "手数料"),
    ("岡山市の市税はスマホ決済でも払えるみたいですけど、具体的にどの決済アプリが使えるんですか？", "アプリ"),
    ("岡山市が新しい収納・滞納システムに移行するのに、全部でいくら費用がかかったんですか？", "費用"),
    ("山口市の介護保険料って、来年度は値上がりするんでしょうか？", "保険料"),
    ("和光市で国民健康保険税を滞納しています。このままだと、いつから保険証が使えなくなるんでしょうか？", "保険証"),
    ("岡山市の新しい税金の収納・滞納システムって、いつから本格的に動き始めるんですか？", "今後の予定"),
    ("和光市で滞納処分ファイルに現在登録されている滞納者の実数は何人ですか。", "実績"),
    ("岡山市で市税を滞納していて、差し押さえの通知が来ました。岡山市が差し押さえた財産の公売は、次はいつ、どこで行われるのですか？",
     "今後の予定"),
    ("和光市で滞納の担当をしてる職員さん、名前なんていうの？", "氏名"),
    ("山口市の介護認定審査会の委員が誰なのか知りたいという問い合わせがありました。委員の名前はどこかに載っていますか?", "氏名"),
    ("山口市の介護保険証がマイナンバーカードと一体になるのはいつからなんですか？", "今後の予定"),
    ("花巻市市民税課市民税第1係の担当者の氏名を問い合わせ者に伝えたいのですが、誰ですか。", "氏名"),
    ("和光市で私の滞納の情報が外に漏れてしまった場合、市から補償金やお詫びのお金のようなものは出るんでしょうか？", "損害賠償"),
    ("和光市で国保税の滞納の件を担当している職員さんの名前を知りたいのですが、評価書に載っていますか？", "氏名"),
    ("岡山市の収滞納システムの委託先で「個人情報受託管理責任者」に指定されている人の氏名を知りたい。", "氏名"),
    ("岡山市から他人の電話番号が書かれたハガキが届いた件、全部で何人に送られてしまったんですか？", "事故の件数"),
    ("和光市で滞納して差し押さえられた財産って、どこのネットオークションで売られるんですか？", "公売"),
    # 山口市's form has no 再委託先名 (花巻市's does: unless_found)
    ("山口市の介護保険関係事務の評価書で、株式会社日立システムズからの再委託先として記載されている事業者名は何か。",
     "再委託先の名称"),
    ("花巻市の住民税システムの保守を請け負っている日本電気株式会社岩手支店は、具体的にどこの会社に再委託しているのですか。",
     "再委託先の名称"),
    ("花巻市の住民税のファイルに情報が入っている人は、正確には何人なの?", "実績"),
    ("花巻市に住んでいた母が亡くなりました。母の住民税の還付金を相続人として受け取るには、どんな書類を出せばいいですか?", "還付金"),
    ("山口市で介護保険料を長く滞納すると、介護サービスの自己負担が3割に上がるって本当ですか?", "給付制限"),
    ("花巻市は住民税データのバックアップを遠隔地に保管しているそうですが、具体的にどこの県や施設に置いてあるのですか？", "所在地"),
    ("山口市では、介護保険のデータのバックアップをどのくらいの頻度で取っているの？", "バックアップの頻度"),
    ("和光市で税金を滞納して差し押さえられた財産は、いつごろ公売にかけられるのですか?", "公売"),
    ("山口市の介護保険の共同処理を任されている県の団体が、システムの運用保守を下請けに出している先の会社名は何ですか？",
     "再委託先の名称"),
    ("岡山市の収滞納システムが構築されているガバメントクラウドのクラウド事業者は、具体的にどの会社のサービスですか？",
     "クラウド事業者"),
    ("山口市で介護保険料を滞納している人は、いま何人くらいいるのですか？", "滞納の件数"),
    ("岡山市で他人の電話番号が印刷されたハガキが送られた件では、何人の人にそのハガキが届いてしまったのですか?", "事故の件数"),
    ("岡山市の収滞納事務で移行する新しい収納・滞納システムの本番稼働開始日は、評価書で何年何月何日とされていますか。", "稼働開始日"),
    # a background clause first (「…保管しているそうですが、」): the asking part alone names the place
    ("花巻市は住民税のバックアップを遠くに保管しているそうですが、具体的にどこの県のどの施設なんですか？", "所在地"),
    ("山口市の介護保険料通知書を作っている赤坂印刷の所在地と電話番号を、問い合わせてきた方に案内したいのですが。", "委託先の連絡先"),
    ("和光市とAGS株式会社のシステム保守の契約がいつまでなのか、という問い合わせが来ています。", "契約の期間"),
    ("岡山市の税のシステムの手入れを請け負った共同企業体が、さらに仕事を回している下請け会社の名前を知りたいです。", "再委託先の名称"),
    ("和光市の無断再委託の件について、再委託・再々委託を受けていた業者の名前を知りたいという問い合わせがありました。", "再委託先の名称"),
    ("岡山市の収滞納システム保守業務で、共同企業体から再委託を受けている会社の名前は何ですか。", "再委託先の名称"),
    ("岡山市の収納・滞納システム保守業務の委託契約は、何年何月までの契約になっていますか。", "契約の期間"),
    ("山口市の介護認定審査会は、委員何人で構成されていますか。", "委員の人数"),
    ("岡山市の収納・滞納システムのパスワードは、最低何文字以上にするよう決められていますか。", "パスワードの桁数"),
    ("和光市の滞納データを預かっている委託先のデータセンター(IDC)は、どこの都道府県にあるのかという電話です。", "所在地"),
    ("花巻市は住民税データのバックアップを遠くに保管していると聞きました。具体的にどこの市町村に置いているんですか？", "所在地"),
    ("岡山市の税のシステムを保守している共同企業体との契約は、何年何月まで続くんですか？", "契約の期間"),
    ("和光市の仕事を無断で引き受けていた下請けの会社は、なんという名前だったんですか？", "再委託先の名称"),
    ("和光市の重大事故で、委託先が市の承諾なく再委託していた相手の会社名は何ですか？", "再委託先の名称"),
    ("花巻市の住民税を口座振替にしたいんですが、どこの銀行や信用金庫が使えますか？", "金融機関"),
    ("花巻市の住民税について電話で相談できるコールセンターは、どこの会社が運営しているんですか？", "コールセンター"),
    ("岡山市で他人の電話番号が印刷されたハガキが送られた件、間違ったハガキは全部で何通（何人分）送られたんですか？", "事故の件数"),
    ("岡山市の令和6年3月のハガキの誤印字の件で、影響を受けたのは何人だったのかと問い合わせが来ています。", "事故の件数"),
    ("花巻市の個人住民税の事務が最後に外部監査を受けたのはいつで、監査を担当した機関はどこですか。", "監査の実施日"),
    ("花巻市の住民税を一度に払えそうにありません。分割で払う相談はどこの窓口でできますか？", "分割納付"),
    ("和光市で業者が勝手に再委託していた件で、その業者にはどんな処分やペナルティが科されたんですか？", "委託先への処分"),
    ("和光市で業者が無断で孫請けに出していた件で、私の情報も関係していたのか気になります。何人分の情報が関わっていたんですか？",
     "事故の件数"),
    ("花巻市の住民税のシステムを保守している会社は、さらに別の会社に下請けに出していると聞きました。その下請け先の会社の名前は何ですか？",
     "再委託先の名称"),
    ("山口市の介護保険料の通知書の印刷は赤坂印刷という会社がやっていると聞きました。いつからその会社に頼んでいるんですか？", "契約"),
    ("花巻市の住民税のバックアップは離れた場所に保管していると聞きましたが、具体的にどこの県のどんな施設なんですか？", "所在地"),
    ("花巻市の住民税の通知書を印刷している団体は、実際にはどこの住所の作業場で印刷しているんですか？", "委託先の連絡先"),
    ("岡山市の税のシステムは、停電したときに自家発電で何時間くらい動き続けられるんですか？", "停電時"),
    ("山口市で、介護保険の個人情報を不正に見たとして懲戒処分を受けた職員はこれまで何人いますか？", "実績"),
    ("岡山市の税務部の執務室に設置されている監視カメラの映像は、どれくらいの期間保存されるんですか？", "監視カメラ"),
    ("和光市で市に無断で再委託をしていた委託先の会社名と、その会社が受けた処分を教えてください。", "処分"),
    ("岡山市のハガキに他人の電話番号が印字された件で問い合わせがありました。何人分のハガキが誤って送られたのですか。", "件数"),
    ("和光市の滞納対策事務で委託先が無断で再委託していた件について、再委託先・再々委託先の業者名を教えてほしいという問い合わせです。",
     "再委託先の名称"),
    ("山口市の介護保険料の催促電話をかけてくるベルシステム24は、どこの事務所から電話しているんですか?", "委託先の連絡先"),
    ("和光市で滞納者の情報が漏れてしまった場合、本人には手紙などで知らせてもらえるんですか？", "本人への通知"),
    ("山口市の介護保険システムを保守している日立システムズは、さらにどこの会社に仕事を任せているんですか？会社名を知りたいです。",
     "再委託先の名称"),
    ("岡山市が他人の電話番号を印刷したハガキを送ってしまった件、何人くらいに届いてしまったんですか？", "件数"),
])
def test_facts_the_form_never_states_are_refused(answerer, question, topic):
    answer = answerer.ask(question)
    assert answer.refused and topic in answer.reason


@pytest.mark.parametrize("question", [
    "山口市の介護保険料の催告を受託しているベルシステム24から電話があったという方が、折り返し先のコールセンターの所在地と電話番号を知りたいそうです。",
    "山口市の介護保険料の催告電話を請け負っているベルシステム24に直接問い合わせたいという方がいます。その窓口の電話番号は分かりますか？",
])
def test_a_contractors_own_contact_is_not_stated(answerer, question):
    """The form names the contractor (③委託先名) but gives only the city's contacts."""
    answer = answerer.ask(question)
    assert answer.refused and "ベルシステム24" in answer.reason and "市の窓口" in answer.reason, answer.answer


def test_asking_whom_to_call_about_a_contractors_work_gets_the_citys_contact(answerer):
    answer = answerer.ask("赤坂印刷株式会社が印刷した介護保険料の通知書について問い合わせたいのですが、どこに連絡すればいいですか？")
    assert not answer.refused and "083-934-2795" in answer.answer, answer.answer
    _check_citations(answer)


def test_the_counter_where_something_happens_is_no_contact_question(answerer):
    """「窓口で」 says where; the resident asks whether visitors can see the screen (yes/no)."""
    answer = answerer.ask("岡山市役所の税金の窓口で、職員のパソコン画面に映った私のマイナンバーが、ほかの来客からのぞかれる心配はないの？")
    assert answer.persona == "resident"
    assert not answer.answer.startswith(("連絡先", "請求先"))
    _check_citations(answer)


def test_a_residents_own_address_is_no_contact_question(answerer):
    """「登録されている住所も新しい住所に変わる?」 asks about the resident's record, not an office's address."""
    answer = answerer.ask("岡山市の中で引っ越しをしました。市税の支払いや滞納の記録に登録されている住所も、"
                          "何もしなくても新しい住所に変わるんですか？")
    assert "連絡先" not in answer.answer and "リアルタイムかつ自動的" in answer.answer, answer.answer
    _check_citations(answer)
    assert "086-803-1191" in answerer.ask("岡山市の収納課の住所と電話番号を教えて").answer


def test_a_question_that_also_asks_whether_gets_the_option(answerer):
    """「…って本当ですか？いつのことですか？」 asks when, and whether: the answer says 発生あり before
    the text that explains it (「他人の電話番号」 describes the event; it asks for no phone number)."""
    answer = answerer.ask("岡山市で、税金の関係のハガキに他人の電話番号が印刷されて送られたって聞いたんですが、"
                          "本当ですか？いつのことですか？")
    assert "発生あり" in answer.answer and "令和6年3月" in answer.answer
    assert answer.answer.index("発生あり") < answer.answer.index("令和6年3月")
    _check_citations(answer)


def test_a_checked_yes_or_no_box_answers_yes_or_no(answerer):
    """☑ 行っていない in 提供・移転の有無 is a selected option, as [再委託しない] is."""
    answer = answerer.ask("和光市で税金を滞納していることが、マイナンバーを通じてほかの役所や機関に伝わったりすることはありますか？")
    assert "行っていない" in answer.answer
    cited = [c for c in answer.citations if c.quote == "行っていない"]
    assert cited and cited[0].field.startswith("提供・移転の有無")


def test_the_contractors_people_are_not_asked_for_by_name(answerer):
    """「業者の人が…持って帰ったりしないか」 asks about a measure, not who the contractor is."""
    answer = answerer.ask("山口市の介護保険の仕事を請け負っている業者の人が、データを自分の会社に持って帰ったりすることはないんですか？")
    assert "外部持ち出しを禁止" in answer.answer
    _check_citations(answer)


def test_the_background_of_a_long_question_asks_for_nothing(answerer):
    """「保険料額…が書かれていますが、」 and 「催告書が何通も届いています」 tell the story; the question
    asks who prints the notices and what is looked into: no refusal for an amount or a count."""
    answer = answerer.ask("山口市で毎年届く介護保険料の通知書について質問です。封筒の中には保険料額や所得の段階などが"
                          "書かれていますが、あれを印刷して封筒に入れているのは市役所の職員なのでしょうか。")
    assert not answer.refused and "赤坂印刷株式会社" in answer.answer
    answer = answerer.ask("岡山市で住民税の滞納が続いていて、催告書が何通も届いています。岡山市が滞納者の財産調査で"
                          "調べる対象には、具体的にどんなものがありますか？")
    assert not answer.refused and "預貯金調査" in answer.answer
    answer = answerer.ask("花巻市の住民税って来年度から税率が上がるって噂を聞いたけど、本当ですか？")
    assert answer.refused


def test_a_name_printed_only_in_a_label_is_no_unknown_name(answerer):
    """NISC is printed only in the label 「①NISC政府機関統一基準群」: the question is answered."""
    answer = answerer.ask("岡山市の収滞納全項目評価書では、保管・消去のリスク対策の「①NISC政府機関統一基準群」で"
                          "どの選択肢を選んでいますか。")
    assert not answer.refused and "政府機関ではない" in answer.answer
    _check_citations(answer)


def test_the_name_of_a_system_is_no_persons_name(answerer):
    answer = answerer.ask("山口市の介護保険課の職員が使うシステムの名前はなんていうの？")
    assert not answer.refused and "介護保険システム" in answer.answer


def test_a_comparisons_further_cell_of_a_contract_block_names_the_contractor(answerer):
    """和光市's cell starts at 委託の有無; its further cells from 委託事項1 come with that block's 委託先名."""
    answer = answerer.ask("和光市の滞納対策事務と岡山市の収滞納事務で、システム保守を委託している先と、"
                          "その委託先が再委託を行うかどうかを比較してください。")
    for key in ("AGS株式会社", "再委託しない", "富士通Japan", "再委託する"):
        assert key in answer.answer
    assert {c.city for c in answer.citations if c.field.startswith(("③委託先名", "⑥委託先名"))} == {"和光市", "岡山市"}
    _check_citations(answer)


def test_how_many_staff_handle_it_is_the_number_of_users(answerer):
    answer = answerer.ask("山口市で私の介護保険の情報を扱う職員さんって、だいたい何人くらいいるんですか？どこの課の人ですか？")
    assert not answer.refused and "100人以上500人未満" in answer.answer and "介護保険課" in answer.answer


def test_which_cities_say_it_looks_below_each_citys_best_cell(answerer):
    """和光市 and 岡山市 say ホームページ in a cell just below their 請求方法; 花巻市 says nothing of it."""
    answer = answerer.ask("開示請求の方法や書類について、市のホームページに載せていると評価書に書いてあるのはどの市ですか？")
    assert {row["city"] for row in answer.table} == {"和光市", "岡山市", "山口市"}
    _check_citations(answer)


def test_only_a_yes_or_no_option_answers_yes_or_no(answerer):
    """無料 answers 「お金はかかりますか」 without a はい that would say the opposite."""
    answer = answerer.ask("岡山市で、自分の情報を見せてもらうよう請求したら、お金はかかりますか?")
    assert "無料" in answer.answer and not answer.answer.startswith(("はい", "いいえ"))
    answer = answerer.ask("和光市の滞納整理システムの保守をしている会社は、仕事を下請けに出していますか")
    assert answer.answer.startswith("いいえ") and "再委託しない" in answer.answer


def test_a_counter_asking_for_a_date_is_no_amount_question(answerer):
    """「何年に」 asks when, not how many years: nothing to refuse for want of a number of years."""
    assert not answerer.ask("和光市の評価書は何年に作られましたか").refused
    assert answerer.ask("花巻市の住民税のデータは何年保存されますか").refused  # a period no field states


def test_a_yes_or_no_about_measures_is_not_answered_by_an_unrelated_option(answerer):
    """「火事とか停電の対策ってある?」 is about the measures: the 重大事故 option that stands before the
    measures cell shares only 個人情報 with the question and must not put a いいえ in front."""
    answer = answerer.ask("山口市で介護保険の情報を置いてるコンピュータの部屋、火事とか停電になったときの対策ってある？")
    assert not answer.answer.startswith(("はい", "いいえ")), answer.answer
    assert "重大事故" not in answer.answer
    assert "消火設備" in answer.answer and "無停電電源装置" in answer.answer
    _check_citations(answer)


def test_a_passage_already_shown_is_not_repeated(answerer):
    """Two files of one assessment can hold the same measures word for word; the answer says them once."""
    answer = answerer.ask("山口市で介護保険の情報を置いてるコンピュータの部屋、火事とか停電になったときの対策ってある？")
    passages = [_norm(p) for p in re.findall(r"「([^「」]{40,})」", answer.answer)]
    assert passages
    for i, passage in enumerate(passages):
        assert not any(passage in other for other in passages[:i]), answer.answer


@pytest.mark.parametrize("question, expected", [
    ("山口市の滞納整理情報ファイルの提供先1について、法令上の根拠と提供先における用途は何と記載されていますか。", "地方税法20条の11"),
    ("山口市の収納消込情報ファイルを使う職員は、どうやって本人確認されてログインしていますか", "(2)収納消込情報ファイル"),
])
def test_a_file_of_a_multi_file_assessment_is_no_missing_jimu(answerer, question, expected):
    """山口市's 介護保険 assessment holds 収納消込 and 滞納整理 files: 「滞納」 names one of its files, not
    a 事務 without a document — and the other cities' 滞納 assessments are not borrowed."""
    answer = answerer.ask(question)
    assert not answer.refused, answer.answer
    assert expected in answer.answer
    assert {c.city for c in answer.citations} == {"山口市"}
    _check_citations(answer)
    assert answerer.ask("山口市の国民健康保険の委託先は?").refused  # a 事務 it really has no document for


def test_an_everyday_katakana_word_is_no_unknown_name(answerer):
    """「タイミング」 is an everyday word, not a service the documents fail to mention."""
    answer = answerer.ask("山口市の介護保険の情報って、後期高齢者医療の広域連合にも渡されるんですか？渡すならどういうタイミング？")
    assert not answer.refused, answer.answer
    assert "後期高齢者医療広域連合" in answer.answer
    assert "照会を受けたら都度" in answer.answer  # どういうタイミング asks for its 時期・頻度


def test_the_words_saying_someone_asked_are_not_searched(answerer):
    """「…」と問い合わせがありました: 問い合わせ says a caller asked, not whom to contact; the operator's
    own next sentence still counts (what the 名称 is now, and when it changed)."""
    from assistant.intent import without_framing

    assert without_framing("住民から「記録は残るのか」と問い合わせがありました。何年残りますか") == "住民から「記録は残るのか」 何年残りますか"
    answer = answerer.ask("住民から「岡山市の収滞納業務の『個人情報目録』を見たい」と言われました。評価書では現在何という名称で公表されていて、いつ名称が変わりましたか。")
    assert "個人情報ファイル簿" in answer.answer and "令和5年11月8日" in answer.answer, answer.answer


def test_checkboxes_without_marks_are_read_by_the_details_beside_them(answerer):
    """The source lost the marks of 岡山市's 入手元 boxes; the details written beside options say
    what applies, and the answer says the boxes are unmarked instead of 「選択なし」."""
    answer = answerer.ask("岡山市で税金を滞納すると、市は銀行とか保険会社とか勤め先からも私の情報を取るんですか？どういうところから集めてるの？")
    assert "選択欄に印はありません" in answer.answer and "（選択なし）" not in answer.answer
    assert "金融機関、生命保険等の事業者、給与等支払者" in _norm(answer.answer)
    assert "本人又は本人の代理人" not in answer.answer  # an option with nothing written beside it
    _check_citations(answer)


def test_what_number_to_call_finds_the_phone_number_in_a_contact_block(answerer):
    """「何番に」 asks for a phone number: a contact block holds one, though it is no short value."""
    from assistant.fields import answer_rules

    kinds = answer_rules().value_kinds("どこの課の何番につなげばいいですか")
    contact = "山口市健康福祉部介護保険課、総務部収納課 〒753-8650 山口県山口市亀山町2番1号 電話 介護保険課 083-934-2795 収納課 083-934-2739"
    assert any(len(contact) <= longest and pattern.search(contact) for pattern, longest in kinds)
    assert not any(len(contact) <= longest and pattern.search(contact)
                   for pattern, longest in answer_rules().value_kinds("どこの課が担当ですか"))


def test_a_line_cut_between_two_chunks_cites_both(answerer, sample_index):
    """岡山市's 具体的な対策の内容 is stored over two chunks and one line is cut between them: a
    passage showing that line cites the chunk its end is stored in too."""
    from assistant.compose import _Citations

    index = answerer.field_index
    doc_id = "okayama-shunou-tainou-zenkoumoku"
    field = next(f for f in index.fields_by_doc[doc_id]
                 if f.label == "具体的な対策の内容" and "日本国内でデータを保管している" in f.value)
    chunks = index.chunks_of(doc_id, field)
    assert len(chunks) >= 2
    tail = next(c for c in chunks if "日本国内でデータを保管している" in c.body)
    citations = _Citations(index)
    meta = {"source": f"{doc_id}.txt", "city": "岡山市", "title": "t"}
    shown = next(line for line in field.value.split("\n") if "日本国内でデータを保管している" in line)
    n = citations.cite(None, field, doc_id, meta, shown)
    cited = {c.chunk_id for c in citations.items}
    assert tail.chunk_id in cited and len(citations.mark(n)) > len(f"[{n}]")
    from assistant.store import Store
    from ingest.normalize import quote_key

    with Store(sample_index.database_path, create=False) as store:
        readable = quote_key(store.document_text(doc_id))
    assert all(quote_key(citation.quote) in readable for citation in citations.items)


@pytest.mark.parametrize("question", [
    "和光市では滞納している人に督促のハガキを何通送っていますか",
    "花巻市の住民税の通知書は毎年何枚印刷していますか",
])
def test_a_count_of_letters_or_sheets_no_field_states_is_refused(answerer, question):
    answer = answerer.ask(question)
    # either no field holds such a count, or (毎年何枚) the form has no field for yearly totals at all
    assert answer.refused and ("数や金額の記載が見つかりませんでした" in answer.answer or "実績" in answer.reason)


def test_a_pointer_to_an_attachment_is_followed(answerer):
    """全ての記録項目 says 「別添1を参照。」: the items asked about are read in (別添1)."""
    answer = answerer.ask("花巻市の個人住民税課税情報ファイルの記録項目に、医療費支払額や地震保険料は含まれていますか。")
    assert "医療費支払額" in answer.answer and "地震保険料" in answer.answer, answer.answer
    assert any(c.section_path.startswith("(別添1)") for c in answer.citations)
    assert " > :" not in answer.answer  # a cell without a label is named by its section alone
    _check_citations(answer)


def test_a_cell_of_one_of_several_files_says_which_file(answerer):
    """山口市's assessment describes three files; 提供・移転の有無 differs between them, so a resident
    answer names the file of each value instead of seeming to contradict itself."""
    answer = answerer.ask("山口市の介護保険の情報って、後期高齢者医療の広域連合にも渡されるんですか？渡すならどういうタイミング？")
    lines = [line for line in answer.answer.split("\n") if "提供・移転の有無" in line]
    assert lines, answer.answer
    for line in lines:
        assert re.search(r"(介護保険|収納消込|滞納整理)情報ファイルの提供・移転の有無", line), line
    single = answerer.ask("和光市の滞納整理システムの保守の委託先はどこですか")
    assert "ファイルの委託先" not in single.answer  # one file: nothing to tell apart


def test_a_list_says_each_blocks_option_the_question_also_asks(answerer):
    """「会社をすべて…それぞれさらに下請けに回すか」: each listed company with its 再委託の有無; one
    block named by its work (システムの保守) is that company, and then its option."""
    answer = answerer.ask("花巻市の住民税の仕事を請け負っている会社をすべて教えてください。"
                          "それぞれ、さらに下請けに仕事を回すこともあるんでしょうか。")
    line = next(line for line in answer.answer.split("\n") if "日本電気株式会社岩手支店" in line)
    assert "再委託する" in line, answer.answer
    line = next(line for line in answer.answer.split("\n") if "花巻地域農業管理センター" in line)
    assert "再委託しない" in line, answer.answer
    _check_citations(answer)
    one = answerer.ask("花巻市の住民税のシステムの保守ってどこの会社がやっているんですか？"
                       "あと、その会社がさらに下請けに仕事を回すこともあるんでしょうか。")
    first, second = one.answer.split("\n")[:2]
    assert "日本電気株式会社岩手支店" in first and "再委託する" in second, one.answer
    plain = answerer.ask("山口市の介護保険の委託先を全部教えて")
    assert "再委託の有無" not in plain.answer  # not asked: not said


def test_talking_with_staff_is_no_question_about_information_exchange(answerer):
    """「やり取りの中身」 of calls and visits is the 交渉記録, not 情報連携 with other offices (実施しない)."""
    answer = answerer.ask("和光市の税金の滞納のことで、市の人と電話したり家に来てもらったりして話したんですが、"
                          "そういうやり取りの中身も記録として残されているんですか？")
    assert "実施しない" not in answer.answer and "電話や訪問" in answer.answer, answer.answer
    assert "実施しない" in answerer.ask("和光市で税金や国保の滞納があると、その情報はマイナンバーのネットワークを通じて"
                                       "国や他の自治体とやり取りされるのですか?").answer


def test_a_call_that_happened_asks_for_no_phone_number():
    from assistant.fields import answer_rules

    rules = answer_rules()
    contact = ("連絡先", "請求先", "問合せ", "問い合わせ")
    assert contact not in rules.label_words("支払いが遅れていたら電話がかかってきました。あれは委託された会社ですか")
    assert contact in rules.label_words("介護保険料の件で聞きたいという電話。どこに回せばいい？電話番号も")


def test_yes_or_no_comes_only_from_an_option_the_question_is_about(answerer):
    """A contract clause being 「定めている」 does not answer whether data travels over the internet."""
    answer = answerer.ask("山口市から国保連合会へ介護保険の情報を送るとき、普通のインターネットで送っているのですか?")
    assert not answer.answer.startswith(("はい", "いいえ")), answer.answer
    assert answerer.ask("和光市は税金の滞納のことで、マイナンバーを使ってよその役所とネット経由で情報をやりとりしてるんでしょうか？"
                        ).answer.startswith("いいえ")


def test_how_a_cell_read_before_a_revision_is_a_history_question(answerer):
    """「…は令和2年3月29日の再評価前にはどう記載されていましたか」 is answered from the 変更箇所 row."""
    answer = answerer.ask("花巻市の個人住民税の評価書で、委託事項1の⑥再委託事項は令和2年3月29日の再評価前には"
                          "どう記載されていましたか。")
    assert "技術支援作業を委託" in answer.answer, answer.answer
    assert any("変更箇所" in c.section_path for c in answer.citations)


@pytest.mark.parametrize("question, expected", [
    ("花巻市の住民税のシステムを保守している会社は、そのまた下請けの会社にも作業をさせているんですか?", "再委託する"),
    ("和光市の滞納関係のデータを預かっている業者さんって、さらに別の下請けの会社に仕事を回したりはしていないですよね?", "再委託しない"),
])
def test_whether_a_contractor_subcontracts_is_read_from_its_block(answerer, question, expected):
    """「下請けの会社に…させているか」 asks for the 委託事項's 再委託の有無, not for the risk section's
    grade of how subcontractors are supervised."""
    answer = answerer.ask(question)
    assert f"再委託の有無は「{expected}」" in answer.answer, answer.answer
    _check_citations(answer)


def test_a_corpus_wide_kind_question_can_ask_about_the_rest(answerer):
    """「全項目評価書はどの市?他はどの種類?」: 岡山市, and the others with their kind, each cited."""
    answer = answerer.ask("収録されている4市の特定個人情報保護評価書のうち、全項目評価書になっているのはどの市のものですか。"
                          "他はどの種類ですか。")
    assert "岡山市" in answer.answer and "重点項目評価書" in answer.answer.split("そのほかは")[-1], answer.answer
    assert {c.city for c in answer.citations} == {"岡山市", "花巻市", "和光市", "山口市"}
    _check_citations(answer)
    assert "そのほかは" not in answerer.ask("全項目評価はどれ?").answer


def test_which_company_a_system_will_switch_to_is_a_future_plan(answerer):
    answer = answerer.ask("山口市の介護保険システムは、次回のシステム更改でどの事業者に切り替える予定ですか。")
    assert answer.refused and "今後の予定" in answer.answer


@pytest.mark.parametrize("question, keys", [
    # what a system does is said with its name: the ワンストップ特例 notices go through eLTAX
    ("花巻市にふるさと納税したときのワンストップ特例の通知も、住民税のシステムでやりとりしているんですか？",
     ("ワンストップ特例", "eLTAX")),
    # 「…運用保守の委託先」 names 委託事項1 (…運用保守委託) though not letter for letter: its 再委託事項 is shown
    ("山口市の介護保険システム・介護認定審査会支援システムの運用保守の委託先はどこで、再委託の許諾方法と再委託事項は"
     "どう記載されていますか。", ("サーバー管理及びSEサポート", "日立システムズ")),
    # 「介護保険の担当にも回っているなら、どこの課?」 asks for a 移転先, not the 住民税 事務's own department
    ("花巻市に住んでいます。私の住民税の情報って、市役所の中の介護保険の担当にも回っているんですか？回っているなら"
     "どこの課ですか。", ("長寿福祉課",)),
    # 「どの課の何番」: the department cell names 収納課 without a number; the contact block naming it gives one
    ("山口市の介護保険料の納付(収納)でのマイナンバーの扱いについて聞きたいという方には、どの課の何番を案内すれば"
     "よいですか。", ("収納課", "083-934-2739")),
    # 「開示請求をどこの部署で受け付けていますか」 asks for the 請求先 (not the 問合せ 連絡先), city by city
    ("和光市(税の滞納対策)と山口市(介護保険)では、それぞれ特定個人情報の開示請求をどこの部署で受け付けていますか。"
     "電話番号もあわせて教えてください。", ("情報統計担当", "048-424-9092", "市民相談室", "083-934-2886")),
    # a comparison shows enough of each city: the 重大事故 option and what happened
    ("和光市と岡山市って、ここ数年のあいだに個人情報の大きな事故を起こしたことはあるの？あったならどんなことだったか"
     "教えて。", ("再委託及び再々委託", "他人の電話番号")),
    # a counter that tells a story asks for no amount (何回か話した, いくら払うか約束した)
    ("和光市の滞納の担当の人と電話で何回か分納の話をしたんですけど、話した中身って記録に残されているんですか？",
     ("交渉記録",)),
    ("和光市で滞納の相談をして、いつ・いくら払うか約束したんだけど、その払う予定の金額って市の記録に残るんですか？",
     ("入金予定額",)),
    # 「今後の入金予定に関する項目」 names a record item, not a plan
    ("和光市の交渉記録ファイルの記録項目のうち、交渉相手と今後の入金予定に関する項目名を挙げてほしい。", ("入金予定額",)),
    # 「マイナポータルで登録した」 says where the 公金受取口座 came from: no unknown name, no unknown 事務
    ("岡山市は、私がマイナポータルで登録した公金受取口座の情報も持っているんですか？", ("過誤納金還付",)),
    # a cell left blank in the body is answered from the change-history row that fills it
    ("岡山市の評価書の第三者点検の結果は？", ("本文は空欄", "特段指摘すべき点はない")),
    # a later chunk of the record-item table (別添1) is part of that cell: the items asked about are shown
    ("花巻市の住民税の記録って、私が払った医療費とか寄付金の金額まで入っているんですか？", ("寄付金支払額", "医療費")),
    # a period is explained by the その妥当性 right after it
    ("岡山市って、私が納めた市税の記録とかマイナンバーの情報、いつまで持ってるんですか？ずっと残っちゃうの？",
     ("6年以上10年未満", "不能欠損後に削除")),
    # 「他人の電話番号が印刷されていた」 tells what happened: no contact question
    ("岡山市から届いたハガキに他人の電話番号が印刷されていたことがあったと聞きました。その後、同じことが起きないように"
     "何をすることにしたんですか？", ("ハガキ出力前", "データの妥当性の確認")),
    # quoted words (「いついくら払います」) and 「金額まで記録に」 ask whether it is recorded, not for an amount
    ("和光市で滞納の相談をしたとき「いついくら払います」って言った金額まで記録に残ってるの？", ("入金予定額",)),
    # 「オンライン申請のデータがパソコンにずっと残る?」: how the 電子申請データ is erased
    ("山口市でマイナポータルから介護保険の申請をオンラインでしたんですが、そのデータって市役所のパソコンにずっと"
     "残ったままなんですか？", ("速やかに完全消去",)),
    # 「職員が悪用したら処分される?」 asks about discipline (懲戒), not disposal
    ("もし山口市の職員が介護保険の個人情報を悪用したら、ちゃんと処分されるの？", ("懲戒の対象",)),
    # 「紙の申告書は最後はどう処分される?」: the paper is burnt
    ("花巻市に出した紙の住民税の申告書って、最後はどうやって処分されるの？", ("焼却施設への直接搬入",)),
    # 「会社で私の情報を扱う人」 are the 委託先's 取扱者数, city by city
    ("和光市と岡山市、どちらも税金の滞納の件で外部の会社にシステムを任せているそうですが、その会社で私の情報を扱う人は"
     "それぞれどのくらいの人数なんですか？", ("10人以上50人未満", "10人未満")),
    # the operator's own question after 「…」という問い合わせを受けた場合、 is what is asked
    ("和光市で「滞納のデータが漏れているんじゃないか」という問い合わせを受けた場合、どこの担当が窓口で、"
     "どういう対応をする決まりになっている？", ("情報システム担当", "048-424-9090")),
    # 「何件?」 asks for a count the form states in brackets ((57) 件), in a cell the top hits may miss
    ("花巻市は私の住民税の情報を、よその役所とか市役所の中のほかの課に渡してるんですか？どれくらいの件数あるの？",
     ("(57) 件", "(24) 件")),
    # 「マイナンバーに登録した口座」 is the 公金受取口座
    ("岡山市で税金を払いすぎたとき、マイナンバーに登録した口座に返してくれるってこと？そのために口座の情報も持ってるの？",
     ("公金受取口座", "過誤納金還付")),
    # a doubled katakana word (バタバタ) names nothing: no refusal; a letter that came back is a 返戻
    ("引っ越しのバタバタで、岡山市からの督促状が届かずに市に戻ってしまったみたいです。そういうとき、市はどうするんですか？",
     ("再度送付",)),
    # 「払ってくださいという電話が民間の会社から」: the 電話・文書催告 is done by a contractor
    ("山口市から介護保険料を払ってくださいという電話がかかってきました。市の職員じゃなくて民間の会社からかけてくること"
     "ってあるんですか？詐欺じゃないか心配で…。", ("ベルシステム24",)),
    # 「間違えて別の人の資料を送っちゃったり」: 誤った相手 and its 二重チェック
    ("岡山市が滞納の件で私の情報をどこかに出すとき、間違えて別の人の資料を送っちゃったりしないか不安です。"
     "何かチェックしてるんですか？", ("二重チェック",)),
    # 「海外のサーバーに?」: the ガバメントクラウド's condition of keeping data in Japan
    ("岡山市は税金のデータをクラウドに置くと聞きました。私の情報が海外のサーバーに保存されることはないんですか？",
     ("日本国内でのデータ保管を条件",)),
    # 「どれくらいの間持ってる」 asks for the 保管期間
    ("岡山市って、私が市税を払い終わったあとも、マイナンバーの付いた納税の情報をどれくらいの間持ってるんですか？",
     ("6年以上10年未満",)),
    # a question naming a second field by its label gets that field too
    ("和光市の滞納対策事務の重点項目評価書の公表日と、基礎項目評価の実施日はそれぞれいつですか。",
     ("令和3年6月8日", "令和2年10月1日")),
    # 「何年間」: a field scoring nearly as well that states the years answers, not a refusal
    ("岡山市の収滞納事務評価書で、収納・滞納システムにおける特定個人情報の使用の記録（操作履歴）は何年間記録するとされているか。",
     ("5年間",)),
    # 「保険料みたいな細かい金額まで入ってる?」 asks what is recorded, not the amount of a 保険料
    ("花巻市の住民税の記録って、医療費とか生命保険料みたいな細かい金額まで入ってるんですか？", ("生命保険料",)),
    # 「電話がかかってきた…どこかの会社?」: the 電話・文書催告 contractor
    ("山口市の介護保険料をうっかり払い忘れてたら、電話がかかってきました。あれって市役所の人なんですか？それとも"
     "どこかの会社？", ("ベルシステム24",)),
    # 「いくら払ったかまで入っている?」 asks whether it is recorded, not for an amount
    ("花巻市の住民税のデータには、私が病院に医療費をいくら払ったかまで入っているんですか？", ("医療費",)),
    # 「電話や訪問で話した内容」 tells what happened: no contact question
    ("和光市で滞納の相談をしたとき、電話や訪問で話した内容とか、いつまでにいくら払うって約束した金額まで、全部記録として"
     "残されちゃうんですか？", ("交渉記録",)),
    # 「スマホから申請…本人が申請したってどうやって確かめる?」: the 署名用電子証明書 of an 電子申請
    ("山口市の介護保険の手続きをスマホからネットで申請する場合、本当に私本人が申請したって、市はどうやって確かめて"
     "いるんですか？", ("署名用電子証明書",)),
    # a list of sections for 「どこの課の何番?」 also gives the contact cell with the numbers (収納課 083-…)
    ("山口市で介護保険料の納付・収納に関するマイナンバーの取扱いについて聞きたいという人には、どこの課の何番を案内"
     "すればいいですか？", ("収納課", "083-934-2739")),
    # 「前に何か大きな問題があった?」: the 重大事故 and what it was
    ("和光市って、前に個人情報のことで何か大きな問題があったって聞いたんですけど本当ですか？どんなことがあったんでしょう。",
     ("発生あり", "再々委託")),
    # words quoted as something said, or a counter meaning "some" (何年かたったら), ask for no plan or amount
    ("和光市で滞納の相談をしたとき、「いつ、いくら払う予定か」みたいな話も記録に残るんですか?ほかにどんな項目が記録"
     "されるのか知りたいです。", ("入金予定額",)),
    ("花巻市に出した住民税の申告書とか、紙の書類は何年かたったら最後どうやって処分されるの?", ("焼却施設への直接搬入",)),
    # 「別の人の電話番号が載っていた」 is the 重大事故 (no contact question)
    ("岡山市で、税金関係のハガキに別の人の電話番号が載っていたことがあったって聞いたんですが、本当ですか？",
     ("他人の電話番号が印字",)),
    # 「年金の番号まで入っている?」: the 基礎年金番号 of the record items
    ("山口市の介護保険料の記録に、私の年金の番号まで入っているって本当ですか？", ("基礎年金番号",)),
    # 「マイナンバーを使って何を調べてる」 asks for the 使用目的
    ("税金を滞納している人について、和光市はマイナンバーを使って何を調べてるんですか？", ("所在調査",)),
    # 「ほかの市や県に知らされる」 is a 提供, not a notice to the person (本人への明示)
    ("山口市で介護保険料を滞納していたら、そのことがほかの市や県に知らされることってあるんですか？",
     ("他自治体からの滞納状況等調査回答",)),
    # 何か月か払い忘れ tells a story (no amount asked); ほしいくらい holds no いくら
    ("山口市で母の介護保険料を何か月か払い忘れて、催促の電話が委託された会社から来ました。どこの会社なんでしょう。",
     ("ベルシステム24",)),
    ("岡山市の市税の滞納の記録はどのくらいの期間保管されるんですか？もう払い終わったので早く消してほしいくらいです。",
     ("6年以上10年未満",)),
    # the name, then the block's 再委託の有無 the question also asks about
    ("岡山市の収納や滞納のシステムに外の会社が関わっているなら、どこの会社で、その会社がさらに下請けに出しているのかも知りたいです。",
     ("両備システムズ", "再委託する")),
    # a blank cell the change history fills is said as a second field (いつからいつまで is no 保管期間)
    ("岡山市の収滞納のマイナンバーの扱いについて、住民が意見を出せる機会はあったんですか？いつからいつまで？",
     ("パブリックコメント", "令和7年8月6日～令和7年9月5日")),
    # 研修の頻度 is no 提供先's 時期・頻度
    ("花巻市では職員さんへの研修はどのくらいの頻度でやっているんですか？", ("1年に1回",)),
    # a change on a named date to a named item: the row whose 項目 is that item
    ("岡山市の収滞納事務の評価書で、令和7年12月9日の変更により入手方法の「その他」に追加されたものは何ですか。", ("eLTAX",)),
    # 知らない人の電話番号 tells what happened; it is no contact question
    ("近所の人が、岡山市から届いたハガキに知らない人の電話番号が載っていたと話していました。本当にそんなことがあったのか知りたいです。",
     ("データ移行不備",)),
    # 「どこの職員が見られる、何人くらい」: 使用部署 and 使用者数, not the number of people in the file
    ("山口市で母の要介護認定を申請しました。介護保険の情報って市役所のどこの職員が見られるんですか？何人くらいいるんでしょう。",
     ("100人以上500人未満", "健康福祉部介護保険課")),
    ("和光市は、税金や国保の滞納のことで、私のマイナンバーの情報をどういう目的で使っているんですか？", ("所在調査",)),
    # 「渡しているなら何件?」 answered by 提供先 blocks: the count is their section's 提供・移転の有無
    ("花巻市って、私の住民税の情報をほかの役所とか健康保険の団体に渡したりしているんですか？しているなら何件くらい？",
     ("(57) 件",)),
    # 「どこが」 about the one block the question describes, not a list of every 委託先
    ("山口市から届く介護保険料の通知書ですが、印字したり封筒に詰めたりする作業はどこがやっているんでしょう。"
     "その業者がさらに別のところに作業を回すことはないのかも心配です。", ("赤坂印刷株式会社", "再委託しない")),
    # 職員の処分 is stated where the form speaks of 懲戒 (unless_found), even when asked in so many words
    ("もし山口市の職員が私の介護の情報を勝手に使ったり漏らしたりしたら、その職員はちゃんと処分されるんですか？", ("懲戒の対象",)),
    # a yes/no answer from a 提供先 block also says the law it is given under
    ("山口市から別の市に引っ越す予定です。引っ越し先の役所から介護保険料の滞納がないか問い合わせがあったら、山口市は答えちゃうんですか？",
     ("他自治体からの滞納状況等調査回答", "地方税法20条の11")),
    # マイナポータルで登録した口座 is the 公金受取口座 the documents speak of: no unknown name
    ("岡山市で市税を払いすぎて返してもらうことになったんですが、マイナポータルで登録した口座って、市はその還付に使ったりするんですか？",
     ("公金受取口座",)),
    # 何件 answered by a cell that lists the names (ファイル名: A、B、C) is no missing count
    ("山口市の介護保険関係事務の評価書で対象となっている特定個人情報ファイルは何件で、それぞれ何という名称ですか。",
     ("介護保険情報ファイル、収納消込情報ファイル、滞納整理情報ファイル",)),
    # 住所が変わった tells of a move, not of a change to the assessment
    ("岡山市内で引っ越して住所が変わったのに、税金の書類が前の住所に送られ続けたりしないか心配です。住所の情報はちゃんと新しくなるんですか？",
     ("リアルタイムかつ自動的",)),
    # 再実施 asks for the change history
    ("花巻市の個人住民税の評価書で、評価の再実施はいつ、どういう理由で行われましたか？", ("5年経過前",)),
    # an event told in everyday words (勝手に下請けに出していた事故) is the 重大事故, not the 再委託 option
    ("和光市で業者が勝手に下請けに出していた事故があったと聞きましたが本当ですか", ("はい", "発生あり", "再々委託")),
    # a long cell asked about two things keeps a line for each: the 同一人 check and the 再転入 case
    ("岡山市から一度引っ越して、また戻ってきました。税金の記録で私が別人として二重に登録されてしまうことはないんですか?",
     ("関連宛名設定機能", "再転入")),
    # how to find out the contractor's name is the 委託先名の確認方法, not the change history
    ("岡山市って、税金のデータを扱う業者が決まったり変わったりしたときに、市民にわかるようになっているんですか？"
     "自分で業者の名前を確かめる方法はありますか？", ("入札結果",)),
    # a long list shows first the item the question names (児童手当 among thirteen 移転先) ...
    ("子どもの児童手当のことで花巻市に手続きをするんですが、そのとき市役所の中で私の住民税の情報が別の課に回されたり"
     "するんですか？回されるとしたらどこの課ですか？", ("児童手当法", "健康福祉部地域福祉課")),
    # ... or the block it names (提供先17 of twenty)
    ("花巻市の個人住民税評価書の提供先一覧で、日本私立学校振興・共済事業団への提供はどの法令上の根拠によるものと"
     "されていますか。", ("別表第二の34の項",)),
    # a comparison's cells are cut by the lexicon's words too (席を外した: 離席 -> コンピュータロック)
    ("実家の母は花巻市、私は山口市に住んでいます。役所の職員さんが席を外したとき、住民税や介護保険の情報が画面で"
     "見えっぱなしにならないか気になります。花巻市と山口市ではそれぞれどうしているんですか？",
     ("セキュリティカードを抜き", "コンピュータロック")),
    # an option the question names is said with the cell explaining it (記録を残している: …5年間記録する)
    ("岡山市の収納・滞納システムについて、ユーザ認証に使うパスワードの変更頻度と、特定個人情報の使用の記録を"
     "システムに残す期間はどう記載されていますか。", ("3か月ごと", "5年間")),
    # a part of the form named by its roman numeral (III 7 ②) is no unknown name
    ("和光市の滞納対策評価書 III 7 ②で「発生あり」とされた重大事故について、再発防止策の内容の記載を正確に教えてください。",
     ("対象業務の内製化",)),
    # a prefecture's organisation (山口県の国保連合会) is no city outside the corpus
    ("私の介護保険のマイナンバー付きの情報が、山口県の国保連合会というところに渡っていると聞きました。なぜ渡しているんですか？",
     ("山口市",)),
    # 「この4つの市の中で…どこ?」 is a corpus-wide question
    ("この4つの市の中で、ここ3年くらいで個人情報の大きな事故があったのってどこ？", ("和光市", "岡山市", "発生あり")),
    # 窓口で tells where, it asks for no contact; マイナンバー is no reason to answer with 死者の個人番号
    ("岡山市の市税の窓口で、私のマイナンバーが出てる画面をほかの人に見られたりしない？", ("来庁者から見えない位置",)),
    # a block's 委託先名 is the label ending with it (岡山市's ⑥委託先名, not the ⑤委託先名の確認方法 above it)
    ("滞納関係の評価書で、和光市（滞納対策）と岡山市（収滞納）のシステム保守の委託先と、再委託の有無を比べたい。",
     ("AGS株式会社", "再委託しない", "両備システムズ", "再委託する")),
    # 提供されることは asks whether it is provided at all
    ("和光市の滞納対策で扱っている私のマイナンバー付きの情報が、ほかの役所や団体に提供されることはありますか？", ("行っていない",)),
    # 「本当ですか？何が原因？」: the option first, then the cells explaining it
    ("岡山市から届いたハガキに他人の電話番号が印刷されていたことがあったって本当ですか?何が原因だったんでしょう。",
     ("発生あり", "データ移行不備")),
    # 「なんで…の情報まで持ってるの」 asks why the item is recorded (その妥当性), not how long it is kept
    ("山口市の介護保険で、なんで災害の情報まで持ってるんですか?介護と関係なくない?", ("保険料・利用料の軽減",)),
    ("和光市の滞納の記録が入っているコンピューター(サーバー)って、市役所の建物の中に置いてあるんですか?", ("委託先のIDC",)),
    # 「マイナンバーの仕組みを通じて…伝わる」 asks about 情報連携, not only 提供・移転
    ("和光市で国保料を滞納している状態です。この滞納の情報が、マイナンバーの仕組みを通じて国やほかの市に自動的に伝わって"
     "しまうことはあるんでしょうか。", ("実施しない",)),
    ("和光市で滞納対策の仕事を請け負っている業者が、ここ数年で何か問題を起こしたって本当ですか？どんなことがあったんですか？",
     ("発生あり", "再々委託")),
    ("花巻市役所で住民税の書類やデータを扱っている場所って、夜とか誰もいない時間の防犯は大丈夫なんですか？", ("防犯カメラ",)),
    # everyday wording bridged in stop 20
    ("花巻市の住民税のデータって、よその役所へは毎年決まった時期にまとめて送られるの？ それとも向こうから聞かれたときだけ？",
     ("照会を受けたら都度",)),
    ("山口市役所の介護保険の窓口に出した紙の書類は、夜とか役所が閉まっている間はどう保管されているの？",
     ("介護保険課執務室", "施錠")),
    ("岡山市に税金を多く払いすぎていた場合、戻ってくるお金はどうやって受け取ることになりますか？", ("口座振込", "金券")),
    ("和光市で税金を滞納している人のデータって、市役所の建物の中のコンピューターに入っているんですか？", ("委託先のIDC",)),
    ("山口市の介護保険の申請をスマホからオンラインでしたいのですが、本人だと確認するにはどうするんですか？",
     ("署名用電子証明書",)),
    ("役所の職員がパソコンで私の情報を見るとき、本人かどうかどうやって確かめているんですか？和光市と岡山市の違いが知りたいです。",
     ("生体認証", "3か月ごとに変更")),
    ("スマホで山口市の介護保険の手続きを電子申請するとき、他人になりすまされないような仕組みはあるんですか？", ("署名用電子証明書",)),
    ("山口市から介護の事務を頼まれている国保連合会は、その仕事の一部をさらに外に出しているんですか？", ("再委託する",)),
])
def test_the_answer_holds_the_facts_asked(answerer, question, keys):
    answer = answerer.ask(question)
    assert not answer.refused, answer.answer
    for key in keys:
        assert key in answer.answer, answer.answer
    _check_citations(answer)


def test_a_blank_cell_filled_by_the_change_history_cites_that_row(answerer):
    answer = answerer.ask("岡山市の評価書の第三者点検の結果は？", persona="resident")
    assert "変更箇所（令和7年12月9日の変更）" in answer.answer
    cited = answer.citations[0]
    assert "変更箇所" in cited.section_path and "特段指摘すべき点はない" in cited.quote
    _check_citations(answer)


def test_every_line_shown_from_a_table_cites_the_chunk_holding_it(answerer):
    """The record-item table (別添1) is one unlabelled cell stored over several chunks: each line shown
    from another chunk cites that chunk too, so 新一般生命保険料 is traceable."""
    answer = answerer.ask("花巻市の住民税のデータって、私が寄付した金額とか生命保険料みたいな細かいとこまで入ってるの？")
    shown = re.findall(r"\d+ [^\s…」]*生命保険料", answer.answer)
    assert shown, answer.answer
    texts = {c.chunk_id: c.quote for c in answer.citations}
    assert len(texts) >= 3
    for item in shown:
        assert any(item in quote for quote in texts.values()), (item, texts)
    _check_citations(answer)


def test_a_selected_option_is_cited_with_the_detail_slot_it_carries(answerer):
    """[無料] (手数料額、納付方法: ): the chunk cited for 手数料等 holds the option's detail slot as printed."""
    answer = answerer.ask("岡山市で自分の特定個人情報の開示を請求すると手数料はかかりますか")
    assert "無料" in answer.answer
    texts = {hit.chunk_id: _norm(hit.text) for hit in answer.hits}
    fee = [c for c in answer.citations if c.field == "③手数料等"]
    assert fee and "(手数料額、納付方法:)" in texts.get(fee[0].chunk_id, ""), [c.chunk_id for c in answer.citations]


def test_a_question_about_the_present_is_not_answered_from_the_change_history(answerer):
    """「パスワードの変更頻度」 and 「操作履歴」 ask about current measures, not about 変更箇所 rows."""
    answer = answerer.ask("岡山市の収納・滞納システムでは、認証に使うパスワードの変更頻度と、特定個人情報の使用の記録"
                          "(操作履歴)の保存期間をどう定めていますか。")
    assert "変更箇所" not in answer.citations[0].section_path
    assert "3か月ごと" in answer.answer
    _check_citations(answer)




def test_a_list_of_every_contractor_keeps_to_the_file_named(answerer):
    answer = answerer.ask("山口市の介護保険情報ファイルの取扱いを委託している委託先をすべて挙げてください。")
    for company in ("日立システムズ", "赤坂印刷株式会社", "山口県国民健康保険団体連合会", "RKKコンピューターサービス"):
        assert company in answer.answer
    assert "ベルシステム24" not in answer.answer  # the (3)滞納整理情報ファイル's contractor
    _check_citations(answer)



def test_a_story_of_high_care_costs_is_no_question_about_benefit_limits(answerer):
    answer = answerer.ask("祖母は介護サービスと通院の両方で自己負担がかさんでいて、合算して払い戻しを受けられる制度があると"
                          "聞きました。山口市ではその計算のために、マイナンバー付きの情報をどこに渡しているんですか？")
    assert not answer.refused, answer.reason




def test_a_yes_no_about_subcontracting_says_the_option_with_its_conditions(answerer):
    """The block's 再委託の有無 answers; its 許諾方法 and 再委託事項 come with it, and a story told first
    (年金暮らしの父…) does not lead to 年金特別徴収."""
    answer = answerer.ask("山口市の介護保険システムの保守を請け負っている会社が、その仕事をさらに別の会社に回すことはあるんですか？")
    assert answer.answer.startswith("はい") and "日立システムズ" in answer.answer
    assert "書面による承諾" in answer.answer and "サーバー管理及びSEサポート" in answer.answer
    _check_citations(answer)
    answer = answerer.ask("年金暮らしの父が心配しているのですが、花巻市の住民税のシステムを保守している会社は、"
                          "さらに別の業者に仕事を回すこともあるのですか？")
    assert answer.answer.startswith("はい") and "再委託する" in answer.answer, answer.answer




def test_an_operator_asking_what_to_tell_a_caller_gets_the_answer_not_the_contact(answerer):
    """「…という問い合わせには何を案内すれば」 frames the caller's wish; 問い合わせ there asks for no contact."""
    answer = answerer.ask("岡山市の税の収納・滞納システムの委託先がどこか自分で確かめたい、という問い合わせには何を案内すればよいですか？")
    assert "入札結果" in answer.answer and not answer.answer.startswith("連絡先"), answer.answer
    _check_citations(answer)


@pytest.mark.parametrize("question, words", [
    # 「引っ越す予定です」 tells the resident's story; the question is whether the arrears are passed on
    ("来年、山口市から防府市へ引っ越す予定です。もし山口市で介護保険料の滞納があったら、その情報が引っ越し先の市に伝わることはあるんですか？",
     ("滞納状況等調査回答",)),
    # 使用の記録: 記録を残している — the 5年間 is in its 具体的な方法 cell, so the question is no refusal
    ("岡山市の収滞納に関する全項目評価書では、特定個人情報の使用の記録をどのような形で何年間残すとしていますか。", ("5年間", "操作履歴")),
    # 対象となる本人の数 (the file) and 対象人数 (the 事務) are different ranges: both are said
    ("花巻市の住民税の事務で、マイナンバーを使って扱われる人はどのくらいの人数規模ですか？", ("10万人以上100万人未満", "10万人以上30万人未満")),
    # 情報が回される / 移転される: the 移転先 blocks
    ("花巻市役所の中で、私の住民税の情報が回される(移転される)のはどこの課ですか?", ("健康づくり課", "地域福祉課", "長寿福祉課")),
    # 民間の相手から入手: 入手元
    ("岡山市で市税を滞納してしまった場合、評価書では、市は私の財産や収入についてどんな民間の相手から情報を入手することになっているんですか?",
     ("金融機関", "給与等支払者")),
    # 外部に任せている作業 / どんな作業を外の業者に: every 委託事項, the third one too
    ("花巻市の住民税の仕事で、市が外部に任せている作業にはどんなものがありますか？", ("システム保守・運用業務", "帳票等の印刷業務", "バックアップデータの保管")),
    ("花巻市は、住民税の仕事のうち、どんな作業を外の業者に任せているのですか?", ("バックアップデータの保管", "帳票等の印刷業務")),
    # 電話や手紙で催促: the contracted 電話・文書催告
    ("山口市で介護保険料の支払いが遅れたとき、電話や手紙で催促してくるのは市の職員ですか、それとも外部の会社ですか？", ("ベルシステム24",)),
    # ファイルの一覧を自分で見られる場所: the 個人情報ファイル簿's 公表場所
    ("岡山市が税金の収納や滞納の仕事でどんな個人情報のファイルを持っているのか、その一覧を自分で見られる場所はありますか？", ("行政資料室",)),
    # 何年何月何日付 asks for a date, not an amount
    ("岡山市の収滞納に関する全項目評価書で、重大事故の有無の欄が「発生なし」から「発生あり」に変更されたのは、変更箇所の何年何月何日付の変更ですか？",
     ("令和6年9月4日",)),
    # 「…の面倒を見ている外部の会社は、どこ」: the 委託先名 of the block, though no hit held it
    ("和光市で国保税を滞納してしまい、督促を受けています。滞納の管理に使っているコンピューターの面倒を見ている外部の会社は、どこなんでしょうか？",
     ("AGS株式会社",)),
    # 情報提供ネットワークシステムを通じて…情報提供: 情報連携, whose 法令上の根拠 says 【情報提供】 しない
    ("岡山市の滞納者の方から「市が自分の滞納情報を情報提供ネットワークで他の役所に流しているのでは」と心配する電話がありました。"
     "岡山市はこの事務で情報提供を行っていますか？", ("実施する", "【情報提供】 しない")),
    # the city asking banks is no question about whom to call
    ("岡山市の市税を滞納している家族がいます。市は財産のことを調べるのに、銀行みたいな外の会社に問い合わせたりするんですか？",
     ("金融機関",)),
    ("山口市の介護保険の個人情報、市役所の中ではだいたい何人くらいの職員が使っているんですか？", ("100人以上500人未満",)),
    ("山口市の介護保険関係事務の評価書で対象になっている特定個人情報ファイルを全部挙げてください。",
     ("介護保険情報ファイル", "収納消込情報ファイル", "滞納整理情報ファイル")),
    # 「手数料がいくらか、手続の詳細はどこで」: two questions; the amount is not stated, the where is
    ("和光市で開示請求をしたい方から「手数料がいくらか、手続の詳細はどこで確認できるのか」と聞かれています。評価書ではどう案内されていますか。",
     ("ホームページ",)),
    # 「頻度と、…何年残すか」: two questions, each with its own cell
    ("岡山市の収納・滞納システムについて、職員のパスワードを変える頻度と、特定個人情報を使った記録(操作履歴)を何年残すかは、評価書でどう書かれていますか。",
     ("3か月ごと", "5年間")),
    # 「別人の電話番号が載ってしまった」 tells what happened; it asks for no phone number
    ("岡山市のハガキに別人の電話番号が載ってしまったミスについて、同じことが起きないように市は何をすることにしたんですか？", ("再度突合",)),
    ("和光市の滞納対策事務(重点項目評価書)のII-4、委託事項1はどこの事業者にどんな内容で委託していますか。", ("AGS株式会社",)),
    ("花巻市と山口市の市役所では、住民の情報が入ったサーバーの部屋に関係ない人が入れないよう、それぞれどうやって管理しているんですか？",
     ("ICカード", "入退室管理カード")),
    ("和光市で税金を滞納している人の情報って、マイナンバーを使って国や他の自治体とオンラインでやり取りされているんですか？", ("実施しない",)),
    ("和光市役所の中で、滞納している人の記録を実際に扱っている部署はどこですか？", ("総務部収納課",)),
    ("岡山市は、税金を納めたり滞納したりした記録をマイナンバーと一緒にどのくらいの年数持っているんでしょう？", ("6年以上10年未満",)),
    # a contractor subcontracting without leave, told as a past event, is the 重大事故 row
    ("和光市で、市の仕事を受けた業者が市に断りなく孫請けにまで出していたことがあったと近所の人から聞きました。本当の話ですか？",
     ("発生あり", "再々委託")),
    ("花巻市の住民税の情報は、国や他の自治体、それに市役所の別の課にも回っているんですか？どのくらいの件数があるのか知りたいです。",
     ("57", "24")),
    ("去年までは花巻市に住んでいて、今年の2月に別の市へ引っ越しました。今年度の住民税はどっちの市から請求が来るんでしょう？",
     ("1月1日",)),
    # 「母の収入まで問い合わせて」 says what the city does; it asks for no contact
    ("花巻市で住民税を払っています。よその市で一人暮らしをしている母を扶養に入れているのですが、市は母の収入まで問い合わせて調べたりするんですか？",
     ("扶養調査",)),
    ("和光市の滞納者の情報が入ったサーバーって、市役所じゃなくて委託している会社の施設で管理されているって本当ですか？", ("委託先のIDC",)),
    ("岡山市は、税金のデータを保守の会社に渡すとき、USBメモリなんかに入れて手渡ししているんですか？", ("専用線",)),
    ("4つの市の資料で、システムの保守や運用を任されている会社の名前をまとめて知りたいです。",
     ("AGS株式会社", "日本電気株式会社岩手支店", "両備システムズ", "日立システムズ")),
    ("和光市と岡山市で滞納関係のシステムを請け負っている会社では、私たちの情報を扱う人はそれぞれ何人くらいいるんですか？",
     ("10人以上50人未満", "10人未満")),
    ("岡山市では、収滞納システムの委託業者が個人情報ファイルを消去するとき、どんな手続きを求めていますか？", ("報告書の提出",)),
    ("岡山市の市税の収納や滞納整理でのマイナンバーの扱いについて質問したいという電話です。担当課の番号と、市側の受付の仕方を教えて。",
     ("086-803-1191", "受付票")),
    # 「市はどこに問い合わせて…調べる」 asks what the city does, not whom to call
    ("岡山市で税金を払えずにいると、市はどこに問い合わせて私の財産や暮らしぶりを調べるのでしょうか。", ("国税庁", "金融機関")),
    ("花巻市で介護保険料を払っている母がいます。住民税の情報って、市役所の介護保険を担当しているところにも回っているんですか？",
     ("長寿福祉課",)),
    ("電話で「岡山市は税金の納付や滞納に関するマイナンバー付きのデータを何年くらい持っているのか」と聞かれています。評価書ではどうなっていますか？",
     ("6年以上10年未満",)),
    ("4市の評価書について、しきい値判断の結果、どの評価の実施が義務付けられているかを一覧にしてほしい。", ("重点項目評価", "全項目評価")),
    # 「職員だけじゃなくて外の会社の人も」 asks whether it is outsourced, and to whom
    ("和光市で税金を滞納しています。私の滞納の記録って、市役所の職員だけじゃなくて外の会社の人も扱っているんですか？",
     ("委託する", "AGS株式会社")),
    ("岡山市の税金のシステムを保守している業者さんは、私の情報のうち一部だけを見るんですか、それとも全部見られるんですか？",
     ("特定個人情報ファイルの全体",)),
    ("花巻市で住民税の通知書の印刷を請け負っている団体は、その作業をさらによその業者に回していることはありますか？", ("再委託しない",)),
    ("和光市役所の人なら誰でも、パソコンで私の滞納の中身を見られちゃうの？どうやって止めてるのか知りたい。", ("生体認証",)),
    # 「市は外部のどんなところに私のことを問い合わせる」 asks whom the city asks, not whom to call
    ("岡山市で税金を滞納すると、市は外部のどんなところに私のことを問い合わせるんですか？", ("国税庁", "金融機関")),
    ("相談者が「和光市は滞納整理の個人情報を外部の業者には一切渡していない、と窓口で説明された」と言っています。評価書の記載と合っていますか。",
     ("委託する",)),
    ("電話の方は花巻市に住んでいないのに「花巻市の住民税のファイルにあなたの情報も入っている」と言われて驚いています。市外に住む人も対象に含まれるのですか。",
     ("市内に住所を有しない課税対象者",)),
    ("和光市の滞納の仕事を請け負っていた業者が、市に無断で何かやらかしたと聞きました。どういう問題だったんですか？", ("再々委託",)),
    ("山口市の介護保険のシステムで、職員が誰のデータを検索したかって記録に残るんですか？", ("ログイン・ログアウトの記録",)),
    # 「問い合わせで…確認したい」 says why the operator asks; it is no contact question
    ("和光市と花巻市の評価書、それぞれいつ公表されたものか教えてください。問い合わせで版の新しさを確認したいので。",
     ("令和3年6月8日", "令和2年3月29日")),
    # 「だれでも」 asks no who-question: it asks whether access is restricted
    ("和光市役所の職員なら、だれでも私の滞納の記録をパソコンで開けてしまうんですか？", ("生体認証",)),
    ("花巻市の住民税でマイナンバーがどう扱われているか聞きたいという電話を担当に回したいのですが、どこの係になりますか。",
     ("市民税課市民税第1係",)),
    ("山口市の介護保険システムを保守している会社が、さらに別会社に作業を回すことがあるのかという問い合わせです。", ("再委託する",)),
    # 「…取り寄せているのは、和光市と岡山市のどちら」 asks each city whether it does
    ("滞納している人の情報を、マイナンバーの連携の仕組みでほかの役所から取り寄せているのは、和光市と岡山市のどちらですか？",
     ("実施しない", "実施する")),
    ("岡山市で市税を滞納したことがあり、市の記録を自分で見てみたいです。開示してもらうのにお金はかかりますか？ どこに申し込めばいいですか？",
     ("無料", "情報公開室")),
    # a company's name is no person's name
    ("岡山市で市税を口座振替にしています。税金の収納や滞納を管理するシステムの保守を請け負っている会社の名前を教えてください。",
     ("富士通Japan",)),
    ("花巻市の住民税の計算に使っているシステム、保守しているのはどこの会社ですか？", ("日本電気株式会社岩手支店",)),
    ("山口市の介護保険関係事務の重点項目評価書では、どの特定個人情報ファイルを対象としていますか。",
     ("介護保険情報ファイル、収納消込情報ファイル、滞納整理情報ファイル",)),
])
def test_everyday_wording_finds_the_cells_asked(answerer, question, words):
    answer = answerer.ask(question)
    assert not answer.refused, answer.reason
    for word in words:
        assert word in answer.answer, answer.answer
    _check_citations(answer)


def test_a_yes_no_about_a_blocks_option_reads_the_block_the_question_describes(answerer):
    """「督促電話を受け持っている会社」 is 委託事項1 (電話・文書催告業務) of the 滞納整理情報ファイル: its own
    再委託の有無 answers, though the search found the 再委託 rows of other blocks first."""
    answer = answerer.ask("山口市の介護保険料の督促電話を受け持っている会社は、その電話かけをさらに別の会社にやらせていますか？")
    assert answer.answer.startswith("いいえ") and "ベルシステム24" in answer.answer, answer.answer
    assert "滞納整理情報ファイル" in answer.citations[0].section_path
    _check_citations(answer)


def test_a_label_numbered_in_the_question_names_a_block_not_the_field_asked(answerer):
    """「(…、委託事項1)」 says which block; the field asked is the 再委託の許諾方法 of each city."""
    answer = answerer.ask("システム保守委託で再委託を認めるときの手続を、花巻市(個人住民税システム、委託事項1)と"
                          "山口市(介護保険システム、委託事項1)で比べたい。")
    assert "承認を得なければならない" in answer.answer and "事前に市の書面による承諾が必要" in answer.answer, answer.answer
    _check_citations(answer)


def test_cells_named_by_label_and_all_blank_are_said_blank(answerer):
    answer = answerer.ask("岡山市の収滞納事務の評価書について、パブリックコメントで寄せられた主な意見と、評価書への反映内容を確認したい。")
    assert answer.refused and "空欄" in answer.answer, answer.answer


def test_a_block_named_by_its_work_is_answered_alone(answerer):
    """「催促の電話は、どこの会社が」 is the block titled 納付催告事務, not a list of every 委託先名;
    「どこの会社に委託していますか」 names no block and gets them all."""
    answer = answerer.ask("山口市の介護保険料の催促の電話は、どこの会社がかけているんですか？")
    first = answer.answer.split("\n")[0]
    assert "ベルシステム24" in first and "件が記載されています" not in first, answer.answer
    _check_citations(answer)
    listed = answerer.ask("山口市の介護保険はどこの会社に委託していますか")
    for company in ("日立システムズ", "赤坂印刷株式会社", "ベルシステム24"):
        assert company in listed.answer, listed.answer


def test_a_block_named_by_label_and_number_is_found(answerer):
    """「委託事項3として挙がっている業務」 is that block though the search ranks other blocks first;
    「提供先16はどこ」 is that one block, not a list of every 提供先."""
    answer = answerer.ask("花巻市の個人住民税の評価書で、委託事項3として挙がっている業務の内容と委託先を確認したいです。")
    assert "バックアップデータの保管" in answer.answer and "花巻地域農業管理センター" in answer.answer, answer.answer
    _check_citations(answer)
    one = answerer.ask("花巻市の提供先16はどこ？")
    assert one.citations[0].field == "提供先16", one.citations[0]
    assert "公営住宅" in one.answer and "厚生労働大臣" not in one.answer, one.answer


def test_every_block_an_option_counts_is_listed_with_its_contractor(answerer):
    """「委託している事項を全部」: 委託する (3) 件 with each of the three 委託事項 and its ③委託先名;
    a resident's yes/no about outsourcing also says who does the work."""
    answer = answerer.ask("花巻市が個人住民税の特定個人情報ファイルの取扱いを委託している事項を全部挙げてください。")
    for words in ("システム保守・運用業務", "帳票等の印刷業務", "バックアップデータの保管", "日本電気株式会社岩手支店"):
        assert words in answer.answer, answer.answer
    _check_citations(answer)
    resident = answerer.ask("花巻市の住民税の情報は外部の会社に委託されていますか？")
    assert resident.answer.startswith("はい") and "日本電気株式会社岩手支店" in resident.answer, resident.answer


def test_every_citys_cell_is_listed_when_the_four_documents_are_asked_about(answerer):
    """「4市の評価書に載っている…を一覧に」 compares all four; 「担当している部署(課)」 is the 部署, not
    the 評価実施機関名."""
    answer = answerer.ask("4市の評価書に載っている、特定個人情報の開示請求先の電話番号を一覧にしてもらえますか。")
    for number in ("048-424-9092", "0198-24-2111", "086-803-1083", "083-934-2886"):
        assert number in answer.answer, answer.answer
    _check_citations(answer)
    offices = answerer.ask("4市の評価書について、それぞれ評価実施機関で担当している部署(課)を一覧にしてください。")
    for office in ("総務部収納課", "財務部市民税課", "介護保険課"):
        assert office in offices.answer, offices.answer


def test_a_row_of_an_attached_table_is_found_by_its_number(answerer):
    """別紙1's 提供先 table: the row numbered 17 is 提供先17, also when asked as 「7番目の提供先」."""
    answer = answerer.ask("山口市の介護保険評価書の別紙1で、提供先17はどこで、提供先における用途は何になっていますか。")
    assert "広島市長若しくは長崎市長" in answer.answer and "介護手当" in answer.answer, answer.answer
    assert answer.citations[0].field.startswith("提供先17 "), answer.citations[0]
    _check_citations(answer)
    seventh = answerer.ask("山口市の介護保険で、7番目の提供先はどこですか")
    assert seventh.citations[0].field == "提供先7 社会福祉協議会", seventh.answer
    # named by its number, the row is answered alone even where the words ask for a list (一覧)
    listed = answerer.ask("山口市の介護保険関係事務の評価書、別紙1の提供先一覧で7番目に載っている提供先と、その提供先での用途を教えてください。")
    assert listed.citations[0].field == "提供先7 社会福祉協議会" and "生計困難者" in listed.answer, listed.answer
    assert not any(c.field.startswith("提供先1 ") for c in listed.citations), listed.answer  # not every row
    numbered = answerer.ask("山口市の介護保険の別紙1、17番の提供先はどこで、提供された情報はその先で何の事務に使われることになっていますか。")
    assert numbered.citations[0].field.startswith("提供先17 ") and "介護手当" in numbered.answer, numbered.answer
    # a range of blocks is still a list
    ranged = answerer.ask("山口市の介護保険関係事務の評価書で、(1)介護保険情報ファイルの取扱いの委託先を、委託事項1から4の順にすべて挙げてください。")
    for company in ("日立システムズ", "赤坂印刷株式会社", "山口県国民健康保険団体連合会", "RKKコンピューターサービス"):
        assert company in ranged.answer, ranged.answer


def test_a_file_named_in_the_question_keeps_the_answer_to_that_file(answerer):
    """「滞納整理情報ファイルは、どこに…提供」: the 提供先 of that file, not the 別紙 rows of the
    介護保険情報ファイル that the search ranks first."""
    answer = answerer.ask("山口市の滞納整理情報ファイルは、どこに、どの法令上の根拠で特定個人情報を提供していますか。")
    assert "地方税法20条の11" in answer.answer and "都道府県知事又は市区町村長" in answer.answer, answer.answer
    assert all("(1)介護保険情報ファイル" not in c.section_path for c in answer.citations), answer.citations
    _check_citations(answer)


def test_a_corpus_wide_question_no_document_matches_says_what_each_one_says(answerer):
    """「委託していない市はありますか」: none, and each document's 委託の有無 cited."""
    answer = answerer.ask("4市の評価書のうち、特定個人情報ファイルの取扱いを外部に委託していない市はありますか？")
    assert "ありません" in answer.answer and answer.answer.count("「委託する」") == 4, answer.answer
    assert {c.city for c in answer.citations} == {"和光市", "花巻市", "岡山市", "山口市"}
    _check_citations(answer)


def test_every_city_named_in_a_corpus_wide_question_about_the_kind_of_assessment(answerer):
    """Naming all four cities (和光市・花巻市・岡山市・山口市) still asks which assessment is 全項目評価書."""
    answer = answerer.ask("手元にある4市の評価書(和光市・花巻市・岡山市・山口市)のうち、全項目評価書はどれで、残りはどの種類の評価書ですか。")
    assert "全項目評価書は1件" in answer.answer and "重点項目評価書" in answer.answer, answer.answer
    assert "岡山市" in answer.answer.split("\n")[1], answer.answer
    _check_citations(answer)


def test_a_roman_numeral_written_as_one_character_is_no_unknown_name(answerer):
    """「Ⅲ7」 (one character Ⅲ) reads as III7 after NFKC: a part of the form, not a name the documents never use."""
    answer = answerer.ask("岡山市の評価書Ⅲ3リスク2「ユーザ認証の管理」の具体的な管理方法で、パスワードの変更周期はどう書かれていますか。")
    assert not answer.refused and "3か月ごと" in answer.answer, answer.answer
    _check_citations(answer)


def test_a_clause_naming_what_to_leave_out_is_not_the_reading_asked(answerer):
    """「再委託しないところは除外で」 asks for the blocks that do subcontract, each of them (山口市 has several)."""
    answer = answerer.ask("4市の評価書を横断して、委託先が再委託することになっている委託先事業者をすべて挙げてください。"
                          "再委託しないところは除外で。")
    assert "「再委託する」のものは3件" in answer.answer, answer.answer
    for company in ("日本電気株式会社岩手支店", "両備システムズ", "日立システムズ", "山口県国民健康保険団体連合会"):
        assert company in answer.answer, company
    assert "委託事項3" in answer.answer and "AGS" not in answer.answer, answer.answer
    _check_citations(answer)


def test_looking_across_the_cities_to_find_which_one_is_corpus_wide(answerer):
    """「4つの市の評価書を見比べて…「しない」としているのはどこ」 asks which city, read from every document."""
    answer = answerer.ask("4つの市の評価書を見比べて、国の情報提供ネットワークを使った他の役所とのデータのやり取りを"
                          "「しない」としているのはどこですか？")
    assert answer.answer.startswith("登録されている4件の評価書のうち") and "和光市" in answer.answer, answer.answer
    assert "接続しない(入手)" in answer.answer and "花巻市" not in answer.answer, answer.answer
    _check_citations(answer)


def test_no_city_leaves_its_files_to_no_contractor(answerer):
    """「外部の業者に一切任せていない市は」: none; each document's 委託の有無 says 委託する."""
    answer = answerer.ask("この4つの市の中に、マイナンバー付きの情報の扱いを外部の業者に一切任せていない市はありますか？")
    assert "ありません" in answer.answer and answer.answer.count("「委託する」") == 4, answer.answer
    _check_citations(answer)


def test_no_network_link_is_said_with_the_cell_restating_it(answerer):
    """和光市's 実施しない (I 5.) is stated again in III 6. (☑ 接続しない(入手)); the answer cites both."""
    answer = answerer.ask("和光市で市税の滞納があります。マイナンバーを使った役所同士のオンラインのやりとりで"
                          "私の情報が他の自治体とつながることはあるんでしょうか？")
    assert answer.answer.startswith("いいえ") and "接続しない(入手)" in answer.answer, answer.answer
    assert any("情報提供ネットワークシステムとの接続" in c.section_path or "接続" in c.field for c in answer.citations)
    _check_citations(answer)


def test_the_departments_a_residents_data_goes_to_are_listed(answerer):
    """「住民税の情報が回っていく先の課はどこどこ」 lists the 移転先 (departments), not the information moved."""
    answer = answerer.ask("花巻市役所の中で、住民税の担当から私の住民税の情報が回っていく先の課はどこどこですか？")
    for department in ("都市政策課", "国保医療課", "長寿福祉課", "障がい福祉課"):
        assert department in answer.answer, answer.answer
    _check_citations(answer)


def test_a_tax_not_in_the_corpus_named_by_its_department_is_refused(answerer):
    """「固定資産税の課税を担当する部署の評価書」 names a 事務 no document is about."""
    answer = answerer.ask("岡山市の固定資産税の課税を担当する部署の評価書では、課税情報をどこに提供していることになっていますか、"
                          "という問い合わせです。")
    assert answer.refused and "固定資産税" in answer.answer, answer.answer
