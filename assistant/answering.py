"""The answer pipeline: question (+ conversation) -> scope -> search -> a cited Japanese answer.

The default answerer is extractive and offline: it reads the fields of the retrieved passages and
says what they say, by question type and persona, with [n] citations whose quotes are verbatim
spans of the document. It refuses, and says what is available, when the corpus does not state the
answer — it never answers from another city's or another 事務's document.
"""

from __future__ import annotations

import re

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace

from assistant.compose import Composer
from assistant.config import Settings
from assistant.facts import answer_fact, company_core
from assistant.fields import (FieldIndex, FieldQuery, anchor_blocks, answer_rules, block_of, details_of, file_of_section_path, holds_amount,
                              is_yes_no_choice, not_stated_topic, numbered_blocks, score_fields)
from assistant.form_schema import canonical_label
from assistant.intent import Intent, classify, guess_type, sub_questions, without_framing
from assistant.mentions import names_a_stated_thing, unmentioned_names
from assistant.passages import content_terms, squash
from assistant.search import HISTORY_FAMILY
from assistant.scope import unlisted_jimu
from assistant.types import Answer, DocumentInfo, Field, Hit, Scope, SearchFilters

Turn = tuple[str, Answer | None]

CONTRACTOR_NAME_LENGTH = 4  # a contractor's name this long, named in the question, is that contractor
# after a contractor's name: asking for its own contact (直接問い合わせたい, 折り返し先, …の電話番号)
_CONTRACTOR_CONTACT = r"[^。]{0,30}?(?:直接|折り返し|コールセンター|の所在地|の住所|の電話番号|の連絡先)"
# 「…しているのは(、)和光市と岡山市のどちら」: a yes/no question asked of each city
_WHICH_CITY_DOES = re.compile(r"(?:ている|ていた|した|する|あった|ある|ない)のは[^。？?]{0,24}(?:どちら|どっち)")
_OTHER_WH = re.compile(r"どこ|どう|誰|だれ|どの|どんな|どういう")  # a question asking where, how or who: no count
NAMED_BLANK_DEPTH = 8  # the ranked fields looked at for a cell the question names by its whole label
NAMED_BLANK_LENGTH = 5  # a label this long (主な意見の内容) named in the question asks for that very cell
FIELD_HITS = 6  # the top hits whose fields are candidate answers
MAX_FOCUS_HITS = 2  # further candidates: chunks of the fields the question is about that the hits miss
# 「委託事項1から4」「委託事項1〜3」 name a range of blocks, not one
_BLOCK_RANGE = re.compile(r"(?:委託事項|提供先|移転先|システム)\s*\d+\s*(?:から|～|〜|~|-|ー|―|まで|及び|および|と|、)")
FILE_SEARCH_K = 40  # hits searched when a question names one file of a several-file assessment
MAX_NAMED_BLOCKS = 2  # blocks named by label and number (委託事項3) whose chunks join the candidates
LISTED_ITEM = 30  # the longest item of a cell that lists names (counted for 何件)
PASSED_KEYWORD_LENGTH = 4  # a 事務 keyword this long shows the text speaks of a 事務 named in passing
COUNT_SAMPLE = "(1) 件"  # what a count of blocks looks like (委託の有無: 委託する (1) 件)
COUNT = re.compile(r"[(（]\s*\d+\s*[)）]\s*件")
AMOUNT_DEPTH = 10  # how far down the ranked fields a question asking for an amount looks for one
AMOUNT_SHARE = 0.8  # … among those scoring nearly as well as the best
OTHER_AMOUNT_SHARE = 0.6  # another cell stating a different amount of the kind asked is said too from this share
# Below this fused score the best passage is too weak to answer from.
MIN_SCORE = 0.0
# A question over all documents (「焼却すると書いてあるのはどの市?」) lists the documents whose best
# field scores at least this share of the best document's.
ACROSS_SHARE = 0.75
ACROSS_DEPTH = 3  # a city's fields looked at for the words the question asks about
# A field only some 様式 have, cued nearly as well as the field asked about, gets a note that it is absent.
NOTE_SHARE = 0.8
# A cell holding only these says nothing: when it is the best answer, the documents do not say.
BLANK_VALUES = frozenset({"", "-", "―", "－", "—", "ー"})


@dataclass(frozen=True)
class ResolvedScope:
    cities: tuple[str, ...]  # cities named in the question (or taken from the conversation)
    jimu: str | None
    doc_ids: tuple[str, ...]
    unknown_place: str | None  # a city-like name that is not in the corpus
    unknown_jimu: str | None  # a 事務 asked about that the named city has no assessment for


def _listed(value: str, longest: int = LISTED_ITEM) -> bool:
    """Whether a cell is a short list (介護保険情報ファイル、収納消込情報ファイル、滞納整理情報ファイル)."""
    items = [item.strip() for item in re.split(r"[、\n]", value.strip()) if item.strip()]
    return len(items) >= 2 and all(len(item) <= longest for item in items)


class Answerer:
    def __init__(self, searcher, documents: Sequence[DocumentInfo], field_index: FieldIndex, scope_detector):
        self.searcher = searcher
        self.documents = list(documents)
        self.field_index = field_index
        self.detect_scope = scope_detector
        self.composer = Composer(field_index, getattr(searcher, "embedder", None))

    # --- scope -------------------------------------------------------------------------------

    def _detect(self, question: str) -> tuple[tuple[str, ...], object]:
        """(cities named in the question, the scope detection)."""
        detection = self.detect_scope(question)
        if not detection.city_words:
            return (), detection
        by_id = {d.doc_id: d.city for d in self.documents}
        cities = tuple(dict.fromkeys(by_id[i] for i in detection.scope.doc_ids if i in by_id))
        if detection.scope.city and detection.scope.city not in cities:
            cities = (detection.scope.city, *cities)
        return cities, detection

    def _resolve_scope(self, question: str, history: Sequence[Turn], intent: Intent,
                       city: str | None) -> ResolvedScope:
        cities, detection = self._detect(question)
        if city:
            cities = (city,)
        jimu = detection.scope.jimu
        if not cities and not detection.unknown_city and history and (intent.follow_up or not jimu):
            previous = next((answer for _q, answer in reversed(history) if answer is not None), None)
            if previous is not None and previous.scope.city:
                cities = (previous.scope.city,)
                jimu = jimu or previous.scope.jimu
        docs = [d for d in self.documents if not cities or d.city in cities]
        unknown_jimu = detection.unknown_jimu if cities else None
        if unknown_jimu:  # 「山口市の滞納整理情報ファイル」: a file of the city's 介護保険 assessment
            holding = [d for d in docs if any(unknown_jimu in name for name in self.field_index.file_names(d.doc_id))]
            if holding:
                return ResolvedScope(cities, holding[0].jimu, tuple(d.doc_id for d in holding),
                                     detection.unknown_city, None)
        if jimu:
            matching = [d for d in docs if d.jimu == jimu or d.doc_id in detection.scope.doc_ids]
            if cities and not matching:
                unknown_jimu = jimu
            docs = matching or docs
            # 「岡山市の国民健康保険料の滞納」: the city's 収滞納 assessment is scoped by 滞納, but if its
            # text never speaks of 国民健康保険, that 事務 is not in it
            text = self.field_index.text_of([d.doc_id for d in docs]) if cities and detection.passed_jimu else ""
            for word, keywords, broader in detection.passed_jimu:
                # 「和光市の市県民税の滞納」: 市県民税 is a 地方税, and the 事務 is named for 地方税
                # (or whose text speaks of it: 岡山市's 収滞納 assessment is about 市税, 「市民税の滞納」 is in it)
                covered = any(b in d.jimu for b in broader for d in docs) or any(b in text for b in broader)
                # its own word, or a long keyword (国保 -> 国民健康保険; not こども for 保育)
                said = (word, *(k for k in keywords if len(k) >= PASSED_KEYWORD_LENGTH))
                if not covered and not any(unicodedata.normalize("NFKC", k) in text for k in said):
                    unknown_jimu = unknown_jimu or word
        if cities and docs and not unknown_jimu:  # 「和光市の国民健康保険の資格・給付に関する事務の評価書」
            ids = [d.doc_id for d in docs]
            names = " ".join([*(f"{d.jimu} {d.title}" for d in docs),
                              *(name for doc_id in ids for name in self.field_index.file_names(doc_id))])
            city_words = [word for d in self.documents for word in (d.city, d.city.rstrip("市町村区"))]
            unknown_jimu = unlisted_jimu(question, city_words, names, self.field_index.text_of(ids))
        return ResolvedScope(cities, jimu, tuple(d.doc_id for d in docs), detection.unknown_city, unknown_jimu)

    def _available(self, cities: Sequence[str] = ()) -> str:
        docs = [d for d in self.documents if not cities or d.city in cities]
        by_city: dict[str, list[str]] = {}
        for d in docs:
            by_city.setdefault(d.city, []).append(d.jimu)
        return "、".join(f"{c}（{'・'.join(j)}）" for c, j in by_city.items())

    # --- the pipeline ------------------------------------------------------------------------

    def ask(self, question: str, history: Sequence[Turn] = (), persona: str | None = None,
            city: str | None = None) -> Answer:
        question = question.strip()
        detected_cities = len(self._detect(question)[0])
        intent = classify(question, cities_named=detected_cities, persona=persona)
        scope = self._resolve_scope(question, history, intent, city)
        answer_scope = Scope(city=scope.cities[0] if len(scope.cities) == 1 else None,
                             jimu=scope.jimu, doc_ids=scope.doc_ids)
        asked = without_framing(question)  # a caller's quoted question, without 「と聞かれました」
        query = self._query(asked, history, intent, scope)

        refusal = self._scope_refusal(scope)
        if refusal is not None:
            return self._refuse(refusal, answer_scope, query, intent)

        every_city = len(scope.cities) > 1 and set(scope.cities) == {d.city for d in self.documents}
        if intent.type == "aggregate" and not scope.cities or (
                # 「4市の評価書(和光市・花巻市・岡山市・山口市)のうち、全項目評価書はどれ」 names every city
                every_city and guess_type(question, cities_named=0) == "aggregate"):
            fact = answer_fact(question, self.documents, self.field_index.fields_by_doc)
            if every_city and fact is not None and not fact.metadata:
                fact = None  # a cell asked of every city named is compared city by city (each city's value shown)
            if fact is not None:
                return self.composer.fact_answer(fact, intent, query, answer_scope)

        across = intent.type == "aggregate" and not scope.cities  # 「…と書いてあるのはどの市?」
        if intent.type == "comparison" or len(scope.cities) >= 2 or across:
            return self._compare(question, query, intent, scope, answer_scope, across)

        in_scope = scope.doc_ids if (scope.cities or scope.jimu) else tuple(d.doc_id for d in self.documents)
        reason = self._not_in_documents(question, scope, in_scope)
        if reason is not None:
            return self._refuse(reason, answer_scope, query, intent)
        filters = SearchFilters(doc_ids=scope.doc_ids if (scope.cities or scope.jimu) else (),
                                include_history=True)
        result = self._search(query, filters)
        hits = result.hits
        named_file = self._named_files(asked, hits)
        if named_file:  # 「滞納整理情報ファイルは、どこに提供」: the hits of that file, not of the assessment's others
            result = self._search(query, filters, k=FILE_SEARCH_K)
            hits = tuple(hit for hit in result.hits
                         if (file := file_of_section_path(hit.section_path)) is None or file in named_file)[:10] or hits
            result = replace(result, hits=hits)
        if not hits or hits[0].score <= MIN_SCORE:
            return self._refuse("評価書に該当する記載が見つかりませんでした。", answer_scope, query, intent, hits)
        field_query = self._field_query(asked, result, intent.type == "yesno")
        pool = self._with_named_blocks(asked, self._with_block_options(field_query, hits[:FIELD_HITS]),
                                       field_query.wants_history)
        extra = self._focus_hits(field_query, pool)
        ranked = score_fields(field_query, (*pool, *extra), self.field_index, len(pool) + len(extra))
        ranked = self._amount_first(question, ranked)
        also = self._each_asked(asked, hits, ranked, scope)
        reason = self._not_in_fields(question, ranked, also, field_query.focus_labels)
        if reason is not None:
            return self._refuse(reason, answer_scope, query, intent, hits)
        if not scope.cities:
            answer_scope = replace(answer_scope, city=ranked[0].hit.city)
        answer = self.composer.field_answer(ranked, hits, intent, query, answer_scope, question, field_query, also)
        note = self._field_not_in_form(question, in_scope, asked_alone=False)
        return replace(answer, answer=f"{answer.answer}\nなお、{note}") if note else answer

    def _each_asked(self, asked: str, hits: Sequence[Hit], ranked: Sequence, scope: ResolvedScope) -> list:
        """For a message asking several questions in a row (「何人分ですか?家族の分も入るの?」): the best
        field for each of them, from the whole message's hits and the question's own, in the best
        field's document — so that each question gets its answer, not only the one the whole
        message leans to."""
        doc_id = ranked[0].hit.doc_id
        message = [hit for hit in hits[:FIELD_HITS] if hit.doc_id == doc_id]
        found = []
        for part in sub_questions(asked):
            result = self._search(part, SearchFilters(doc_ids=(doc_id,), include_history=True))
            own = [hit for hit in result.hits[:FIELD_HITS] if hit.doc_id == doc_id]
            if not own:
                continue
            field_query = self._field_query(part, result, guess_type(part, 0) == "yesno")
            # the question's own hits first, the message's after them on its scale: a word of another
            # question (消す) must not outrank what this one asks (何年くらい保管)
            scale = own[0].score / message[0].score if message and message[0].score > 0 else 1.0
            ordered = [*own, *(replace(hit, score=hit.score * scale) for hit in message)]
            seen: set[str] = set()
            pool = [hit for hit in ordered if not (hit.chunk_id in seen or seen.add(hit.chunk_id))]
            extra = self._focus_hits(field_query, pool)
            part_ranked = score_fields(field_query, (*pool, *extra), self.field_index, len(pool) + len(extra))
            part_ranked = self._amount_first(part, part_ranked, said=1)  # only its best field is said
            if part_ranked:
                found.append(part_ranked[0])
        return found

    def _focus_hits(self, field_query: FieldQuery, hits: Sequence[Hit]) -> list[Hit]:
        """The chunk of each one-off field the question is about (its focus) that the top hits miss, as
        a further candidate ranked last, so that a field the question asks for by kind can still win:
        「ほかの課に渡してる?何件?」 finds 提供・移転の有無 ((57) 件) when ten 移転先 blocks fill the hits."""
        if not hits or not field_query.value_kinds:
            return []
        held = {hit.chunk_id for hit in hits}
        top = hits[0]
        # a count of repeated blocks (何件渡している?) is said by the 有無 cell of their section
        counting = any(pattern.search(COUNT_SAMPLE) for pattern, _ in field_query.value_kinds)
        sections = {block[:-1] for hit in hits if hit.doc_id == top.doc_id
                    for f in self.field_index.fields_of_hit(hit) for block in [block_of(f)] if block} if counting else set()
        # 「…の面倒を見ている外部の会社は、どこ」: a block's cell of the label and kind the question word
        # asks for (③委託先名: AGS株式会社), in a part of the form the top hits are in, though no hit holds it
        named = {word for words in field_query.label_words for word in words}
        parts = {hit.section_path for hit in hits if hit.doc_id == top.doc_id} if named else set()
        if not field_query.focus_labels and not sections and not parts:
            return []
        extra: list[Hit] = []
        for field in self.field_index.fields_by_doc.get(top.doc_id, []):
            if block_of(field) is not None:
                if not (parts and any(field.section_path.startswith(part) for part in parts)
                        and any(field.label.rstrip(" ※").endswith(word) for word in named)
                        and any(len(field.value) <= longest and pattern.search(field.value)
                                for pattern, longest in field_query.value_kinds)):
                    continue
            elif canonical_label(field.label) not in field_query.focus_labels and not (
                    field.section in sections and field.label.rstrip(" ※").endswith("有無")):
                continue
            chunk = self.field_index.chunk_of(top.doc_id, field)
            if chunk is None or chunk.chunk_id in held or chunk.is_history:
                continue
            held.add(chunk.chunk_id)
            extra.append(Hit(rank=len(hits) + len(extra) + 1, score=hits[-1].score, doc_id=top.doc_id,
                             source=top.source, city=chunk.city, title=top.title, kind=chunk.kind,
                             section_path=chunk.section_path, field=chunk.field, text=chunk.text,
                             chunk_id=chunk.chunk_id))
            if len(extra) >= MAX_FOCUS_HITS:
                break
        return extra

    def _with_named_blocks(self, question: str, hits: Sequence[Hit], wants_history: bool = False) -> list[Hit]:
        """The hits with the chunks of the blocks the question names by label and number (委託事項3)
        that they miss, right after the best hit and at its score: 「委託事項3として挙がっている業務の
        内容と委託先」 is about that block even when its words rank other blocks higher."""
        if not hits or wants_history:
            return list(hits)  # 「委託事項1の…は変更前どう書かれていたか」 is answered by the change history
        top = hits[0]
        held = {hit.chunk_id: hit for hit in hits}
        added: list[Hit] = []
        for block in numbered_blocks(question, self.field_index, (top.doc_id,))[:MAX_NAMED_BLOCKS]:
            for field in self.field_index.fields_by_doc.get(top.doc_id, []):
                chunk = self.field_index.chunk_of(top.doc_id, field) if block_of(field) == block else None
                if chunk is None or chunk.is_history or any(hit.chunk_id == chunk.chunk_id for hit in added):
                    continue
                if chunk.chunk_id in held:  # found lower down: raised beside the best hit, at its score
                    if held[chunk.chunk_id] is not top:
                        added.append(replace(held[chunk.chunk_id], score=top.score))
                    continue
                added.append(replace(top, section_path=chunk.section_path, field=chunk.field, text=chunk.text,
                                     chunk_id=chunk.chunk_id, kind=chunk.kind, city=chunk.city))
        raised = {hit.chunk_id for hit in added}
        out = [top, *added, *(hit for hit in hits[1:] if hit.chunk_id not in raised)]
        return [replace(hit, rank=rank) for rank, hit in enumerate(out, 1)]

    def _with_block_options(self, field_query: FieldQuery, hits: Sequence[Hit]) -> list[Hit]:
        """For a yes/no question about a block's option (再委託の有無): the hits, each followed by that
        option's chunk in the block the hit found by another of its cells (at the hit's score) —
        「督促電話を受け持っている会社は…さらに別の会社に」 finds 委託事項1 (電話・文書催告業務) but not
        its 再委託 rows."""
        if not hits or not field_query.yes_no or not field_query.focus_labels:
            return list(hits)
        rules = answer_rules()
        top = hits[0]
        held = {hit.chunk_id for hit in hits}
        fields = self.field_index.fields_by_doc.get(top.doc_id, [])
        out: list[Hit] = []
        added = 0
        for hit in hits:
            out.append(hit)
            if hit.doc_id != top.doc_id or added >= MAX_FOCUS_HITS:
                continue
            blocks = {block_of(f) for f in self.field_index.fields_of_hit(hit)} - {None}
            for field in fields:
                if (block_of(field) not in blocks or canonical_label(field.label) not in field_query.focus_labels
                        or not is_yes_no_choice(field, rules)):
                    continue
                chunk = self.field_index.chunk_of(top.doc_id, field)
                if chunk is None or chunk.chunk_id in held or chunk.is_history:
                    continue
                held.add(chunk.chunk_id)
                added += 1
                out.append(replace(hit, section_path=chunk.section_path, field=chunk.field, text=chunk.text,
                                   chunk_id=chunk.chunk_id, kind=chunk.kind))
        return [replace(hit, rank=rank) for rank, hit in enumerate(out, 1)]

    def _compare(self, question: str, query: str, intent: Intent, scope: ResolvedScope, answer_scope: Scope,
                 across: bool) -> Answer:
        """The same field from each city side by side; for 「…と書いてあるのはどの市?」 (``across``)
        the cities whose documents say it."""
        cities = scope.cities or tuple(dict.fromkeys(d.city for d in self.documents))
        rows, ranked_rows = [], []
        field_query = None
        # the question asked of each city; 「…取り寄せているのは、和光市と岡山市のどちら」 asks each whether it does
        yes_no = guess_type(question, cities_named=1) == "yesno" or bool(_WHICH_CITY_DOES.search(question))
        for one_city in cities:
            docs = tuple(d.doc_id for d in self.documents if d.city == one_city
                         and (not scope.jimu or d.jimu == scope.jimu or
                              not any(x.jimu == scope.jimu for x in self.documents if x.city == one_city)))
            result = self._search(query, SearchFilters(doc_ids=docs, include_history=False))
            field_query = self._field_query(question, result, yes_no)
            best = score_fields(field_query, result.hits, self.field_index)
            if best:
                rows.append(best[0])
                ranked_rows.append(best)
        if across and rows:
            rows = self._saying_it(question, ranked_rows)
            ranked_rows = []  # 「…と書いてあるのはどの市?」 names the cities that say it, one cell each
        answer = self.composer.comparison_answer(rows, intent, query, answer_scope,
                                                 tuple(r.hit.city for r in rows) if across else cities,
                                                 field_query, ranked_rows)
        if across and rows:
            named = "、".join(dict.fromkeys(r.hit.city for r in rows))
            answer = replace(answer, answer=f"該当する記載があるのは{named}の評価書です。\n{answer.answer}")
        return answer

    def _not_in_documents(self, question: str, scope: ResolvedScope, in_scope: Sequence[str]) -> str | None:
        """Why the documents asked about cannot state the answer, known before searching: a kind of
        fact the 様式 has no field for, a field only another 様式 has, a name they never mention."""
        topic = not_stated_topic(question, self.field_index.text_of(in_scope))
        if topic is not None:
            return f"評価書の様式には{topic}を記載する欄がなく、評価書からはお答えできません。"
        missing = self._field_not_in_form(question, in_scope)
        if missing is not None:
            return f"{missing}評価書からはお答えできません。"
        contractor = self._contractor_asked_for_contact(question, in_scope)
        if contractor is not None:
            return (f"評価書には委託先（{contractor}）の所在地や電話番号の記載がなく、お尋ねの点は評価書からは"
                    "お答えできません。問合せ先として記載されているのは市の窓口です。")
        lexicon = getattr(self.searcher, "lexicon", None)
        rules = answer_rules()
        expansion = lexicon.expand(question) if lexicon is not None else None
        bridged = (*(expansion.matched if expansion else ()), *rules.common_words)
        names = unmentioned_names(question, self.field_index.text_of(in_scope), bridged, rules.mention_framing)
        # the form words the lexicon bridged to count as named too (受取用の口座 -> 公金受取口座)
        named = " ".join((question, *(expansion.terms if expansion else ())))
        if names and names_a_stated_thing(named, self.field_index.text_of(in_scope),
                                          [self.field_index.text_of((d.doc_id,)) for d in self.documents]):
            names = []  # 「マイナポータルで登録した公金受取口座」: the name says where the stated thing came from
        if names and (scope.cities or scope.jimu):
            quoted = "」「".join(names)
            return f"評価書には「{quoted}」についての記載がなく、お尋ねの点は評価書からはお答えできません。"
        return None

    def _amount_first(self, question: str, ranked: list, said: int = 3) -> list:
        """For a question asking how many or how long (何年間, 何人): when none of the ``said`` best
        fields states such an amount but one scoring nearly as well does (具体的な方法: …5年間記録する),
        that one first."""
        units = _units_asked(question)
        if not units:
            return ranked
        if not any(_states(r.field, units) for r in ranked[:said]):
            holding = next((r for r in ranked[said:AMOUNT_DEPTH] if r.score >= AMOUNT_SHARE * ranked[0].score
                            and _states(r.field, units)), None)
            if holding is None and "件" in units and (block := block_of(ranked[0].field)) is not None:
                # 「渡しているなら何件?」 answered by 提供先 blocks: their section's count ((57) 件)
                holding = next((r for r in ranked if r.field.section == block[:-1] and block_of(r.field) is None
                                and COUNT.search(r.field.value)), None)
            ranked = [holding, *(r for r in ranked if r is not holding)] if holding is not None else ranked
        return self._other_amount_second(ranked, units) if said > 1 else ranked  # only the answer's own best says two

    @staticmethod
    def _other_amount_second(ranked: list, units: Sequence[str]) -> list:
        """When the best field states the amount asked and another cell of the document states a
        different one of the same kind (対象となる本人の数 of the file, 対象人数 of the 事務), that one
        second, so that the answer says both."""
        if not ranked or not _states(ranked[0].field, units):
            return ranked
        top = ranked[0]
        other = next((r for r in ranked[1:AMOUNT_DEPTH] if r.hit.doc_id == top.hit.doc_id
                      and r.score >= OTHER_AMOUNT_SHARE * top.score and block_of(r.field) is None
                      and r.field.value.strip() != top.field.value.strip() and _states(r.field, units)), None)
        return [top, other, *(r for r in ranked[1:] if r is not other)] if other is not None else ranked

    def _not_in_fields(self, question: str, ranked: Sequence, also: Sequence = (),
                       focus_labels: frozenset[str] = frozenset()) -> str | None:
        """Why the best fields found do not answer: none found, no field states the number or
        period asked (何人, 何年間 — 何件 is answered by counting blocks), the best cell is blank."""
        if not ranked:
            return "評価書に該当する記載が見つかりませんでした。"
        units = _units_asked(question)
        # 何件 is answered by counting: repeated blocks, or the items a cell lists (ファイル名: A、B、C)
        counted = "件" in units and (len(self.field_index.siblings(ranked[0].hit.doc_id, ranked[0].field)) > 1
                                     or any(_listed(r.field.value) for r in ranked[:3]))
        # a message asking several questions: the cells answering each, and what explains them
        said = [r.field for r in (*ranked[:3], *also)]
        said += [f for r in (*ranked[:3], *also) for f in details_of(self.field_index, r.hit.doc_id, r.field)]
        if units and not counted and not any(_states(f, units) for f in said):
            return "評価書には、お尋ねの数や金額の記載が見つかりませんでした。"
        best = ranked[0]
        asked = squash(question)
        # a cell the question names by its label, or a cell of the one or two form fields the question is
        # about (どのような意見が寄せられ → 主な意見の内容) when every cell of them in the document is blank
        doc_fields = self.field_index.fields_by_doc.get(best.hit.doc_id, [])
        focused = len(focus_labels) <= 2 and not any(
            f.value.strip() not in BLANK_VALUES for f in doc_fields if canonical_label(f.label) in focus_labels)
        named = next((r for r in ranked[:NAMED_BLANK_DEPTH] if r.hit.doc_id == best.hit.doc_id
                      and (len(name := squash(canonical_label(r.field.label))) >= NAMED_BLANK_LENGTH and name in asked
                           or focused and canonical_label(r.field.label) in focus_labels)), None)
        if named is not None and named.field.value.strip() in BLANK_VALUES and not any(
                f.value.strip() not in BLANK_VALUES for f in doc_fields
                if canonical_label(f.label) == canonical_label(named.field.label)):
            best = named  # 「パブリックコメントで寄せられた主な意見の内容は?」 names a cell left blank (and no other)
        if best.field.value.strip() in BLANK_VALUES and self.field_index.history_fill(best.hit.doc_id, best.field) is None:
            # the cell the question is about is left blank, and no change-history row fills it
            place = " > ".join(part for part in (*best.field.section[-1:], best.field.label) if part)
            return f"{best.hit.city}の評価書では「{place}」の欄が空欄で、記載がありません。"
        return None

    def _query(self, question: str, history: Sequence[Turn], intent: Intent, scope: ResolvedScope) -> str:
        """What is actually searched: the question, plus the conversation's subject for follow-ups."""
        if not history or not intent.follow_up:
            return question
        previous = next((answer for _q, answer in reversed(history) if answer is not None), None)
        if previous is None or not previous.citations:
            return question
        cited = previous.citations[0]
        subject = cited.section_path.split(" > ")[-1]
        prefix = " ".join(p for p in (previous.scope.city, subject) if p and p not in question)
        return f"{prefix} {question}".strip()

    def _saying_it(self, question: str, ranked_rows: list, depth: int = ACROSS_DEPTH) -> list:
        """For 「…と書いてあるのはどの市?」: the cities whose field says it — one that holds a word of
        the question not every document uses (焼却), among the city's ``depth`` best fields scoring at
        least ACROSS_SHARE of its best (ホームページ in a 特記事項 just below the 請求方法), and whose
        best field scores at least ACROSS_SHARE of the best city's."""
        texts = {d.doc_id: self.field_index.text_of((d.doc_id,)) for d in self.documents}
        core = content_terms(question, [d.city for d in self.documents])
        distinctive = {t for t in core if not all(t in text for text in texts.values())}
        empty = answer_rules().empty_values
        saying = []  # (the city's best score, the row that says it)
        for ranked in ranked_rows:
            row = next((row for row in ranked[:depth] if row.score >= ACROSS_SHARE * ranked[0].score
                        and row.field.value.strip() not in empty
                        # a 別紙 row names its recipient in its label (提供先8 日本私立学校振興・共済事業団)
                        and any(t in unicodedata.normalize("NFKC", f"{row.field.label}\n{row.field.value}")
                                for t in distinctive)), None)
            if row is not None:
                saying.append((ranked[0].score, row))
        if not saying:
            # no distinctive word decides (第三者点検の方法を記載しているのは): a blank cell says nothing,
            # so the cities whose best cell is filled in
            saying = [(ranked[0].score, ranked[0]) for ranked in ranked_rows
                      if ranked[0].field.value.strip() not in empty]
        if not saying:
            return [ranked_rows[0][0]]
        top = max(best for best, _ in saying)
        return [row for best, row in saying if best >= ACROSS_SHARE * top]

    def _field_query(self, question: str, result, yes_no: bool = False) -> FieldQuery:
        """The question's content terms (with its lexicon terms), the form fields it is about, and
        whether it asks about sufficiency."""
        drop = [d.city for d in self.documents] + [d.city.rstrip("市町村区") for d in self.documents]
        drop += ["評価書", "教えて", "ください", "特定個人情報"]
        terms = content_terms(result.expanded_query or question, drop)
        # words of the 事務's name only pick the document, not a field within it
        scoped = [d for d in self.documents if d.doc_id in {h.doc_id for h in result.hits}]
        jimu_terms = set().union(*(content_terms(f"{d.jimu} {d.title}") for d in scoped)) if scoped else set()
        labels = {variant for field in result.focus.fields[:3] for variant in field.variants}
        rules = answer_rules()
        wants_grade = any(cue in question for cue in rules.grade_cues)
        core = content_terms(question, drop) - jimu_terms
        terms = (terms - jimu_terms) or terms
        doc_ids = tuple(dict.fromkeys(h.doc_id for h in result.hits))
        history = HISTORY_FAMILY in result.focus.families
        return FieldQuery(frozenset(terms), frozenset(labels), wants_grade, rules.label_words(question),
                          frozenset(core), yes_no, anchor_blocks(question, self.field_index, doc_ids, numbered=not history),
                          result.query_vector, question, rules.value_kinds(question),
                          history, () if history or _BLOCK_RANGE.search(unicodedata.normalize("NFKC", question))
                          else numbered_blocks(question, self.field_index, doc_ids))

    def _field_not_in_form(self, question: str, doc_ids: Sequence[str], asked_alone: bool = True) -> str | None:
        """When the question is about a field that only some 様式 have (手数料等: 全項目評価書) and
        none of the documents asked about is of such a kind, say so. ``asked_alone``: the field must
        be what the question is about; else one it is nearly as much about (NOTE_SHARE) will do."""
        schema = getattr(self.searcher, "schema", None)
        if schema is None or not doc_ids:
            return None
        focus = schema.detect(question)
        if asked_alone:
            candidates = list(focus.fields) if len(focus.fields) == 1 else []
        else:
            candidates = [field for field, share in focus.related if share >= NOTE_SHARE]
        documents = [d for d in self.documents if d.doc_id in doc_ids]
        for field in candidates:
            if not field.forms or not documents or any(d.kind in field.forms for d in documents):
                continue
            if self._mentioned_in_part(field, documents, schema):
                continue  # 「諸費用等について掲載する」 in the 開示請求 part of a 重点項目評価書 answers it
            kinds = "・".join(dict.fromkeys(f"{d.kind}評価書" for d in documents))
            cities = "・".join(dict.fromkeys(d.city for d in documents))
            return (f"{cities}の評価書は{kinds}で、その様式には「{field.label}」の欄がありません"
                    f"（{'・'.join(field.forms)}評価書の欄です）。")
        return None

    def _mentioned_in_part(self, field, documents: Sequence[DocumentInfo], schema) -> bool:
        """Whether a cell of the field's part of the form (its family's sections) in one of the
        documents uses a word the field's ``mentions`` list."""
        return bool(field.mentions) and any(
            word in unicodedata.normalize("NFKC", cell.value)
            for d in documents for cell in self.field_index.fields_by_doc.get(d.doc_id, [])
            if field.family in schema.families_of(cell.section_path) for word in field.mentions)

    def _contractor_asked_for_contact(self, question: str, doc_ids: Sequence[str]) -> str | None:
        """A contractor the documents name (③委託先名: 株式会社ベルシステム24) whose own address, phone
        number or call centre the question asks for (「ベルシステム24に直接問い合わせたい…電話番号」):
        the form gives only the city's contacts. The contractor's name, or None."""
        asked = squash(question)
        for doc_id in doc_ids:
            for field in self.field_index.fields_by_doc.get(doc_id, []):
                if not canonical_label(field.label).endswith("委託先名"):
                    continue
                core = company_core(field.value)
                if len(core) >= CONTRACTOR_NAME_LENGTH and re.search(re.escape(core) + _CONTRACTOR_CONTACT, asked):
                    return field.value.strip()
        return None

    def _named_files(self, asked: str, hits: Sequence[Hit]) -> set[str]:
        """The 特定個人情報ファイル of the top hit's assessment that the question names by name."""
        if not any(file_of_section_path(hit.section_path) for hit in hits):
            return set()  # an assessment of one file
        text = squash(asked)
        return {name for name in self.field_index.file_names(hits[0].doc_id) if squash(name) in text}

    def _search(self, query: str, filters: SearchFilters, k: int = 10):
        return self.searcher.search(query, k=k, filters=filters)

    def _scope_refusal(self, scope: ResolvedScope) -> str | None:
        if scope.unknown_place and not scope.cities:
            return (f"{scope.unknown_place}の評価書は登録されていません。"
                    f"登録されている評価書: {self._available()}。")
        if scope.unknown_jimu and scope.cities:
            city = scope.cities[0]
            jimus = "・".join(d.jimu for d in self.documents if d.city == city)
            return f"{city}の評価書は{jimus}のみです。「{scope.unknown_jimu}」の評価書は登録されていません。"
        return None

    def _refuse(self, reason: str, scope: Scope, query: str, intent: Intent,
                hits: tuple[Hit, ...] = ()) -> Answer:
        return Answer(answer=reason, refused=True, reason=reason, citations=(), hits=hits,
                      mode="extractive", scope=scope, query=query, persona=intent.persona)


def open_answerer(settings: Settings) -> Answerer:
    """Build the answerer over the index in ``settings.index_dir``."""
    from assistant.indexes import open_searcher
    from assistant.scope import ScopeDetector
    from assistant.store import Store

    searcher = open_searcher(settings)
    with Store(settings.database_path, create=False) as store:
        documents = store.documents()
        field_index = FieldIndex(store.fields_by_document(), store.chunks())
    return Answerer(searcher, documents, field_index, ScopeDetector(documents).detect)


def _states(field: Field, units: Sequence[str]) -> bool:
    """Whether a cell (its value or its text) states an amount in one of ``units``."""
    return holds_amount(f"{field.value}\n{field.text}", units)


def _units_asked(question: str) -> tuple[str, ...]:
    """The units of the count or amount the question asks for (answer_rules().units_asked), or ()
    when the message also asks where, how or who in a question of its own: 「手数料がいくらか、手続の
    詳細はどこで確認できるのか」 is answered by the where, though no cell states the amount."""
    rules = answer_rules()
    units = rules.units_asked(question)
    if units and any(not rules.units_asked(part) and _OTHER_WH.search(part)
                     for part in sub_questions(without_framing(question))):
        return ()
    return units
