"""Extractive answer composition: natural Japanese sentences from fields, by question type and
persona, each sentence carrying its [n] citation.

Residents get one or two plain sentences; staff get the exact wording with its section path;
helpdesk gets the contact block laid out to read aloud.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.facts import FactAnswer, company_core
from assistant.fields import (HISTORY_SECTION, SHORT_VALUE, FieldIndex, FieldQuery, ScoredField, answer_rules, block_of, choice_before, details_of,
                              file_of, is_yes_no_choice, label_names, numbered_blocks, states_item)
from assistant.passages import HEADING, best_overlap, best_segment, content_terms, overlap, select_passages, squash
from assistant.intent import Intent, asks_whether
from assistant.types import Answer, Citation, DocumentInfo, Field, Hit, Scope
from assistant.wording import contact_block, count_of, plain_label, polarity, quote_from, shorten

RESIDENT_LIMIT = 220
STAFF_LIMIT = 600
SECOND_SHARE = 0.5  # a second field is added when it scores at least this share of the best
LIST_FACTOR = 2.5
MAX_SECONDS = 3
MAX_NAMED = 2  # further fields a question names by their label (「公表日と、実施日は?」)
NAMED_LABEL_LENGTH = 3  # a label this long named in the question asks for that field (not 方法, 結果)
MAX_HISTORY = 3  # change-history rows of the date a question names
COMPARISON_SECONDS = 2  # further fields per city in a comparison
ALSO_DIVISOR = 3.0  # a further field is shown shorter: its best part, not its whole passage
SEMANTIC_WEIGHT = 6.0  # how much the embedder's similarity adds to a segment's word overlap
STATED_BONUS = 6.0  # what an item of a cell named by the question or a yes/no companion (⑦時期・頻度: …) adds to its segment
FORM_WORDS = frozenset(content_terms("特定個人情報ファイル 個人番号"))  # words of nearly every label and question
_CONTACT = ("電話", "住所", "〒", "TEL", "課", "室", "係", "担当")
_CONTACT_LABELS = ("請求先", "連絡先", "問合せ先", "問い合わせ先", "窓口")
MAX_SIBLINGS = 8
ASKED_ITEM_OVERLAP = 2  # question words an item of a long list must share to be shown before the first ones
REPEAT_LENGTH = 40  # a further passage this long, already shown word for word, is not shown again
MAX_SPANNED = 2  # further chunks cited for one shown passage
NAMED_VALUE_LENGTH = 4  # a listed value (a company) named in the question by this many characters or more
COUNT_WORDS = ("何件", "いくつ", "何個", "何か所", "何ヶ所", "何社")  # a list that answers how many says the number
LIST_CUES = ("どこ", "どの会社", "どんな会社", "一覧", "すべて", "全部", "何社", "それぞれ")
SINGLE_LIST_CUES = ("どこ", "どの会社", "どんな会社")  # also asked of one block the question names
ALL_CUES = ("一覧", "すべて", "全て", "全部", "それぞれ")  # a question asking for every item
SEGMENT_CACHE = 5000  # cell segments whose embeddings are kept (about 2 KB each)
ALL_DETAILS = 12  # the most cells an option's list of blocks brings (委託事項1 … 委託事項N)
ONE_BLOCK_TITLE = 0.5  # how much of the question a block's title must hold to be the one asked about


class _Citations:
    """Numbers citations in the order they are used; the same field cited twice keeps its number."""

    def __init__(self, index: FieldIndex):
        self.index = index
        self.items: list[Citation] = []
        self.chunks: list = []  # the chunk each citation points at (for answers not built on search hits)
        self._numbers: dict[tuple, int] = {}
        self._more: dict[int, list[int]] = {}  # a citation's further chunks (see _spanned)
        self.shown: list[str] = []  # the passages shown so far, squashed (a further field repeating one is left out)

    def cite(self, hit_or_doc: Hit | None, field: Field, doc_id: str, meta: dict, shown: str = "",
             passage: str = "") -> int:
        """Cite ``field`` by the part of it that was ``shown`` (what the quote holds); ``passage``,
        when the answer shows more of the cell than that, is cited over every chunk it spans."""
        key = (doc_id, field.ordinal)
        if key in self._numbers:
            return self._numbers[key]
        quote = _quote(field, shown)
        chunk = self.index.chunk_of(doc_id, field, quote)
        n = self._add(field, doc_id, meta, quote, chunk,
                      chunk.chunk_id if chunk else (hit_or_doc.chunk_id if hit_or_doc else ""))
        self._numbers[key] = n
        self._more[n] = self._spanned(field, doc_id, meta, passage or shown, chunk)
        return n

    def _add(self, field: Field, doc_id: str, meta: dict, quote: str, chunk, chunk_id: str) -> int:
        n = len(self.items) + 1
        self.items.append(Citation(
            n=n, doc_id=doc_id, source=meta["source"], city=meta["city"], title=meta["title"],
            section_path=field.section_path, field=field.label, quote=quote, chunk_id=chunk_id))
        self.chunks.append(chunk)
        return n

    def _spanned(self, field: Field, doc_id: str, meta: dict, shown: str, first) -> list[int]:
        """A long cell is stored over several chunks: when the shown passage also comes from other
        chunks, each of them is cited too (a quote per chunk), so every part of it is traceable."""
        if not shown or first is None:
            return []
        numbers, seen = [], {first.chunk_id}
        for line in (line.strip() for piece in shown.split("…") for line in piece.split("\n")):
            if len(squash(line)) < 8 or len(numbers) >= MAX_SPANNED:
                continue
            chunk = self.index.chunk_of(doc_id, field, line)
            if chunk is None or chunk.chunk_id in seen or squash(line)[:40] not in squash(chunk.body):
                continue
            seen.add(chunk.chunk_id)
            numbers.append(self._add(field, doc_id, meta, quote_from(field.text or field.value, line),
                                     chunk, chunk.chunk_id))
        # a line cut between two chunks: the next chunk starts inside the shown passage
        said = squash(shown)
        for chunk in self.index.chunks_of(doc_id, field):
            if len(numbers) >= MAX_SPANNED or chunk.chunk_id in seen:
                continue
            start = next((line.split("\t")[-1].strip() for line in chunk.body.split("\n")
                          if len(squash(line.split("\t")[-1])) >= 8), "")
            # the start must continue this cell's own text: rows of a change history share a label
            # (their date), and another row's chunk is no part of this one
            if start and squash(start)[:20] in said and squash(start)[:20] in squash(field.text or field.value):
                seen.add(chunk.chunk_id)
                numbers.append(self._add(field, doc_id, meta, start[:200], chunk, chunk.chunk_id))
        return numbers

    def mark(self, n: int) -> str:
        """The [n] marks of a citation: [1], or [1][2] when the quoted cell spans two chunks."""
        return "".join(f"[{m}]" for m in (n, *self._more.get(n, ())))

    def hits(self, meta_by_doc: dict[str, dict]) -> tuple[Hit, ...]:
        """The cited chunks as hits, in citation order: the passages an answer stands on when it was
        computed over fields rather than from search results."""
        hits, seen = [], set()
        for citation, chunk in zip(self.items, self.chunks):
            if chunk is None or chunk.chunk_id in seen:
                continue
            seen.add(chunk.chunk_id)
            hits.append(Hit(rank=len(hits) + 1, score=1.0, doc_id=chunk.doc_id, source=citation.source,
                            city=citation.city, title=citation.title, kind=chunk.kind,
                            section_path=chunk.section_path, field=chunk.field, text=chunk.text,
                            chunk_id=chunk.chunk_id))
        return tuple(hits)


def _first_segment(shown: str) -> str:
    """The first verbatim line of a shown passage (passages join pieces with "…"), past a heading
    that only names what follows (<漏えい事案が発生した場合の対応>)."""
    lines = [line.strip() for line in shown.split("…")[0].strip().split("\n") if line.strip()]
    while len(lines) > 1 and HEADING.match(lines[0]):
        lines.pop(0)
    return lines[0] if lines else ""


def _quote(field: Field, shown: str) -> str:
    """The verbatim span a citation quotes: the line of the cell's text holding what was shown.

    When the shown wording is laid out differently from the cell's text (a 変更箇所 row shows
    「項目: …」), the longest line of the text that the shown passage contains is quoted instead,
    so the quote — and the chunk it points at — is what the answer says, not the cell's first line.
    """
    text = field.text or field.value
    hint = _first_segment(shown) or field.value
    quote = quote_from(text, hint)
    if not shown or squash(hint)[:20] in squash(quote):
        return quote
    said = squash(shown)
    lines = [line.strip() for line in text.split("\n")
             if line.strip() and line.strip() != field.label and len(squash(line)) >= 4]
    inside = [line for line in lines if squash(line)[:60] in said]
    return quote_from(text, max(inside, key=len)) if inside else quote


_SECTION_NAME = re.compile(r"[一-龥ァ-ヶー]{1,12}(?:課|室|係)")  # 収納課, 市民相談室
OTHERS_CUES = ("他は", "ほかは", "それ以外", "残りは", "その他は")  # a corpus-wide question that also asks about the rest
MAX_NUMBERS = 2  # contact cells added for a question asking for a number to call
_FILLED = re.compile(r"[(（]\s*[^\s)）][^)）]*[)）]\s*$")


def filled_options(field: Field) -> list[str]:
    """The options of a checkbox cell with details written in their brackets
    (民間事業者（金融機関、給与等支払者）): when the source lost the marks, what applies."""
    return [option for option in (*field.checked, *field.unchecked) if _FILLED.search(option)]


def _first_and_asked(fields: list[Field], terms: set[str], anchors: Sequence[tuple[str, ...]] = (),
                     most: int = MAX_SIBLINGS) -> list[Field]:
    """Up to ``most`` of a list's fields in document order: those of a block the question names
    (「日本私立学校振興・共済事業団への提供の根拠」), else those that best match the question's words
    (「児童手当のことで…どこの課に回される?」 is the 移転先 whose 用途 names 児童手当), then the first."""
    if len(fields) <= most:
        return fields
    asked = [field for field in fields if block_of(field) in anchors][:most]
    if not asked and terms:
        scores = [overlap(terms, f"{field.value} {' '.join(field.section)}") for field in fields]
        top = max(scores)
        asked = [field for field, score in zip(fields, scores) if top >= ASKED_ITEM_OVERLAP and score == top][:most]
    rest = [field for field in fields if field not in asked][: most - len(asked)]
    return sorted(asked + rest, key=lambda field: field.ordinal)


def _is_contact(field: Field) -> bool:
    """A contact cell (請求先, 連絡先 …): laid out as a block to read aloud."""
    return any(word in field.label for word in _CONTACT_LABELS) and any(word in field.value for word in _CONTACT)


def _meta(hit: Hit | DocumentInfo) -> dict:
    """What a citation says of the document: its file, city and title."""
    return {"source": hit.source, "city": hit.city, "title": hit.title}


class Composer:
    def __init__(self, field_index: FieldIndex, embedder=None):
        self.index = field_index
        self.embedder = embedder  # ranks the segments of long cells by meaning too (None: words only)
        self._vectors: dict[str, object] = {}  # segment -> embedding, oldest first (see _segment_vectors)

    def _bonus(self, field_query: FieldQuery | None, stated: Sequence[str] = ()):
        """Per-segment scores from the embedder: SEMANTIC_WEIGHT x cosine(question, segment); plus
        STATED_BONUS for a segment that is an item named by one of ``stated`` (a row of 別紙1 asked
        when keeps its ⑦時期・頻度: 照会を受けたら都度)."""
        semantic = self._semantic(field_query)
        if not stated:
            return semantic

        def score(parts: list[str]) -> list[float]:
            base = semantic(parts) if semantic is not None else [0.0] * len(parts)
            return [b + (STATED_BONUS if states_item(part, stated) else 0.0) for b, part in zip(base, parts)]
        return score

    def _segment_vectors(self, parts: list[str]) -> list:
        """The embeddings of cell segments, remembered across answers (the same cells answer many
        questions; embedding them again was a quarter of an answer's time)."""
        missing = [part for part in parts if part not in self._vectors]
        if missing:
            for part, vector in zip(missing, self.embedder.embed_passages(missing)):
                self._vectors[part] = vector
            while len(self._vectors) > SEGMENT_CACHE:
                self._vectors.pop(next(iter(self._vectors)))
        return [self._vectors[part] for part in parts]

    def _semantic(self, field_query: FieldQuery | None):
        vector = field_query.vector if field_query is not None else None
        if self.embedder is None or vector is None or SEMANTIC_WEIGHT == 0:
            return None

        known: dict[str, float] = {}  # one answer scores a cell's segments twice (passage, then quote)

        def score(parts: list[str]) -> list[float]:
            new = [part for part in dict.fromkeys(parts) if part not in known]
            if new:
                for part, v in zip(new, self._segment_vectors(new)):
                    known[part] = SEMANTIC_WEIGHT * max(0.0, float(v @ vector))
            return [known[part] for part in parts]
        return score

    # --- one document, one field (or its siblings) ----------------------------------------------

    def field_answer(self, ranked: Sequence[ScoredField], hits: Sequence[Hit], intent: Intent,
                     query: str, scope: Scope, question: str, field_query: FieldQuery | None = None,
                     also_asked: Sequence[ScoredField] = ()) -> Answer:
        """Answer from the best field: its value (the part that answers, for long cells), the cells
        that explain a selected option, and a second field when one scores nearly as well."""
        citations = _Citations(self.index)
        terms = set(field_query.core_terms or field_query.terms) if field_query else set()
        extra = set(field_query.terms) if field_query else set()
        # the items of a cell the question asks for by name (⑦時期・頻度 for 「どんなタイミングで?」), and
        # for a yes/no question the items that say by which law and when (法令上の根拠, 時期・頻度)
        stated = tuple(word for words in (field_query.label_words if field_query else ()) for word in words)
        bonus = self._bonus(field_query, stated + (answer_rules().yes_no_companions if intent.type == "yesno" else ()))
        best = ranked[0]
        field, hit = best.field, best.hit
        siblings = self.index.siblings(hit.doc_id, field)
        # 「7番目の提供先と、その用途」 names one block by its number: that block, not the list of them all
        by_number = field_query is not None and len(field_query.numbered) == 1 and block_of(field) in field_query.numbered
        wants_all = not by_number and (intent.type == "list" or (
            any(cue in question for cue in LIST_CUES) and self._several_ranked(ranked, siblings)
            and not self._one_block_named(field, hit, siblings, field_query, question)))
        if wants_all and len(siblings) > 1 and len({s.value for s in siblings}) > 1:
            asked_text = squash(question)
            # 「介護保険情報ファイルの委託先をすべて」: the blocks of the file the question names
            siblings = [s for s in siblings if (file_of(s) or "") in asked_text] or siblings
            named = [f for f in siblings if len(core := company_core(f.value)) >= NAMED_VALUE_LENGTH and core in asked_text]
            if len(named) > 1:
                # 「RKKコンピューターサービスはどんな業務を…全部」: each block naming that company, with its title
                distinct = named
            else:
                distinct = list({f.value.strip(): f for f in reversed(siblings)}.values())
                distinct.sort(key=lambda f: f.ordinal)  # the first field of each value, in document order
            parts = _first_and_asked(distinct, terms, field_query.anchors if field_query else ())
            asked = (field_query.focus_labels | field_query.terms) if field_query else frozenset()
            sentences = [self._sentence(f, hit, intent, citations, terms, in_list=True, extra=extra, bonus=bonus)
                         + self._block_title(f, hit, citations) + self._block_option(f, hit, citations, asked)
                         for f in parts]
            # 「どこの課の何番?」 answered by a list of sections: the contact cells with their numbers
            for number_field in self._numbers_of(hit.doc_id, field, field_query):
                if number_field not in parts:
                    sentences.append(self._sentence(number_field, hit, intent, citations, terms, in_list=False,
                                                    detail=True, extra=extra, bonus=bonus))
                    parts.append(number_field)
            if intent.persona != "staff" or any(word in question for word in COUNT_WORDS):
                kind = re.sub(r"\d+$", "", plain_label(field.label or field.section[-1]))
                more = f"（ほか{len(distinct) - len(parts)}件）" if len(distinct) > len(parts) else ""
                sentences.insert(0, f"{hit.city}の評価書では、{kind}として次の{len(parts)}件が記載されています{more}。")
        else:
            parts = self.parts(best, intent, field_query)
            sentences = [self._sentence(f, hit, intent, citations, terms, in_list=False, detail=i > 0, extra=extra, bonus=bonus)
                         for i, f in enumerate(parts)]
        for second in self._seconds(ranked, best, parts):
            sentence = self._sentence(second.field, second.hit, intent, citations, terms,
                                      in_list=False, detail=True, also=True, extra=extra, bonus=bonus)
            if not sentence:
                continue
            sentences.append(sentence)
            parts.append(second.field)
            owner = self.index.block_companion(second.hit.doc_id, second.field)
            if owner is not None and owner not in parts:
                sentences.append(self._sentence(owner, second.hit, intent, citations, terms,
                                                in_list=False, detail=True, extra=extra, bonus=bonus))
                parts.append(owner)
            self._explained(second, intent, citations, terms, extra, bonus, sentences, parts)
        # 「公表日と、基礎項目評価の実施日は?」: a second field the question names by its label; then, for a
        # message asking several questions, the answer to each one not said yet (chosen after the first)
        for choose in (lambda: self._named_elsewhere(ranked, best, parts, question),
                       lambda: self._each_asked(also_asked, best, parts)):
            for further in choose():
                sentence = self._sentence(further.field, further.hit, intent, citations, terms,
                                          in_list=False, detail=True, also=True, extra=extra, bonus=bonus)
                if sentence:
                    sentences.append(sentence)
                    parts.append(further.field)
                    self._explained(further, intent, citations, terms, extra, bonus, sentences, parts)
        for history in (self._history(ranked, best, parts, question) if intent.type == "history" else []):
            sentences.append(self._sentence(history.field, history.hit, intent, citations, terms,
                                            in_list=False, detail=True, extra=extra, bonus=bonus))
        intro = self._intro(hit, intent)
        joiner = "" if intent.persona == "resident" and len(sentences) == 1 else "\n"
        body = joiner.join(sentences)
        text = f"{intro}\n{body}" if intro else body
        return Answer(answer=text, refused=False, reason=None, citations=tuple(citations.items),
                      hits=tuple(hits), mode="extractive", scope=scope, query=query,
                      persona=intent.persona)

    def _explained(self, further: ScoredField, intent: Intent, citations: _Citations, terms: set[str], extra: set[str],
                   bonus, sentences: list[str], parts: list[Field]) -> None:
        """A further selected option (記録を残している) is said with the cell that explains it (…5年間記録する)."""
        if further.field.kind != "choice":
            return
        for detail in details_of(self.index, further.hit.doc_id, further.field):
            if detail not in parts:
                sentence = self._sentence(detail, further.hit, intent, citations, terms, in_list=False,
                                          detail=True, also=True, extra=extra, bonus=bonus)
                if sentence:
                    sentences.append(sentence)
                    parts.append(detail)

    def _filled_later(self, field: Field, hit: Hit, fill: tuple[Field, str], intent: Intent,
                      citations: _Citations) -> str:
        """A cell left blank in the body whose new value only the change history (変更箇所) records:
        say both, citing the history row (「②実施日・期間」欄は空欄ですが、変更箇所に…)."""
        row, after = fill
        n = citations.cite(hit, row, hit.doc_id, _meta(hit), after)
        citations.shown.append(squash(after))
        date = row.label or "日付不明"
        if intent.persona == "resident":
            return (f"{hit.city}の評価書では、{plain_label(field.label)}の欄は本文では空欄ですが、変更箇所（{date}の変更）に"
                    f"「{after}」と記載されています{citations.mark(n)}。")
        place = " > ".join((*field.section, field.label))
        history = " > ".join((*row.section, row.label))
        return f"{place}:\n（本文は空欄）\n{history}（変更後の記載）:\n「{after}」{citations.mark(n)}"

    def parts(self, best: ScoredField, intent: Intent, field_query: FieldQuery | None) -> list[Field]:
        """The fields one answer from ``best`` says, in order: the field the question word asks
        for in the same block (誰 -> 委託先名), the selected option a text explains (yes/no), the
        field itself, the cells that explain an option, and who a 委託事項 block is about."""
        field, doc_id = best.field, best.hit.doc_id
        parts: list[Field] = []
        wanted = field_query.label_words[0] if field_query and field_query.label_words else ()
        companion = self.index.companion(doc_id, field, wanted)
        if companion is not None:
            parts.append(companion)
        answering = None  # the block's yes/no option the question also asks about: 「…を印刷している団体は
        if intent.type in ("yesno", "factoid", "comparison") and field_query is not None:  # 下請けに出すか」
            answering = self.index.block_choice(doc_id, field, field_query.focus_labels | field_query.terms)
            if answering is not None and answering not in parts and intent.type == "yesno":
                parts.append(answering)  # a yes/no question is answered by the option first
        also_whether = intent.type in ("factoid", "list", "procedure") and field_query is not None \
            and asks_whether(field_query.question)  # 「…って本当ですか？何が原因？」
        whether = intent.type in ("yesno", "comparison") or also_whether
        explained: list[Field] = []
        if field.kind == "text" and whether:
            choice = choice_before(self.index, doc_id, field)
            asked = set(field_query.terms) if field_query else set()
            # an option the question is about (a word every label has, 個人情報, does not tell)
            if choice is not None and asked & (content_terms(choice.label) - FORM_WORDS):
                parts.append(choice)
                if also_whether:  # what else the question asks is told by the cells explaining the option
                    explained = details_of(self.index, doc_id, choice)
        parts.append(field)
        parts.extend(f for f in explained if f not in parts)
        if answering is not None and intent.type == "yesno":
            # the option a yes/no question is answered by comes with the cells explaining it (再委託する:
            # ⑤再委託の許諾方法, ⑥再委託事項), as when it is the best field itself
            parts.extend(f for f in details_of(self.index, doc_id, answering) if f not in parts)
        if answering is not None and answering not in parts:
            parts.append(answering)  # 「どこの会社か、その会社は下請けに出すか」: the name, then the option
        if field.kind == "choice":
            # 「委託している事項を全部」: every block title the option counts (委託する (3) 件), not two
            every = intent.type == "list" or bool(field_query and any(cue in field_query.question for cue in ALL_CUES))
            for detail in details_of(self.index, doc_id, field, limit=ALL_DETAILS if every else 2):
                parts.append(detail)
                # 委託の有無: 委託する → 委託事項1: システムの保守・運用, and who does it (③委託先名)
                who = self.index.block_companion(doc_id, detail) if detail.path == block_of(detail) else None
                if who is not None and who not in parts:
                    parts.append(who)
        if field_query is not None and field_query.question:
            for named in self.index.named_in_question(doc_id, field, field_query.question):
                # a named option (特定個人情報の使用の記録: 記録を残している) comes with the cell explaining it
                explained = details_of(self.index, doc_id, named) if named.kind == "choice" else []
                parts.extend(f for f in (named, *explained) if f not in parts)
        owner = self.index.block_companion(doc_id, field)
        if owner is not None and owner not in parts:
            parts.append(owner)
        if field.kind == "choice":  # 実施しない, as the form says it again in III (☑ 接続しない(入手))
            restated = answer_rules().restating(self.index.fields_by_doc.get(doc_id, []), field)
            if restated is not None and restated not in parts:
                parts.append(restated)
        if intent.type == "yesno":  # 「ほかの市に知られるの?」: by which law, and when (提供先N: 法令上の根拠, 時期・頻度)
            for word in answer_rules().yes_no_companions:
                basis = self.index.companion(doc_id, field, (word,))
                if basis is not None and basis not in parts:
                    parts.append(basis)
        parts.extend(f for f in self._numbers_of(doc_id, field, field_query) if f not in parts)
        return parts

    @staticmethod
    def _several_ranked(ranked: Sequence[ScoredField], siblings: Sequence[Field], depth: int = 10) -> bool:
        """Whether the question's words reach more than one of the repeated blocks: 「どこに委託」 lists
        every 委託先名, but 「通知書を印字する作業はどこが」 is about the one block that says so. The
        same cell of each file of a several-file assessment (保管場所 of (1)…(3)) is always listed."""
        if len({file_of(sibling) for sibling in siblings}) > 1:
            return True
        top = {id(scored.field) for scored in ranked[:depth]}
        return sum(id(sibling) in top for sibling in siblings) > 1

    def _one_block_named(self, field: Field, hit: Hit, siblings: Sequence[Field], field_query: FieldQuery | None,
                         question: str) -> bool:
        """Whether 「どこ」 asks about the one block the question names by its work: 「催促の電話は、どこの
        会社がかけている」 is the block titled 納付催告事務, not every 委託先名 of the assessment; a
        question asking for all of them (一覧, すべて, 何社 …) still gets the list."""
        block = block_of(field)
        if block is not None and block in numbered_blocks(question, self.index, (hit.doc_id,)):
            return True  # 「提供先16はどこ」 names the block by its number
        if field_query is None or any(cue in question for cue in LIST_CUES if cue not in SINGLE_LIST_CUES):
            return False
        # 介護保険 names the assessment and 委託 the kind of block, not which block
        scope_words = content_terms(" ".join((hit.city, hit.title, field.label, *field.section)))
        core = set(field_query.core_terms or field_query.terms) - scope_words
        terms = set(field_query.terms) - scope_words

        def named(f: Field) -> float:
            title = self.index.block_title(hit.doc_id, f)
            return best_overlap(core, title.value, terms) if title is not None else 0.0
        mine = named(field)
        others = max((named(s) for s in siblings if s is not field and s.value.strip() != field.value.strip()), default=0.0)
        return mine >= ONE_BLOCK_TITLE and others <= mine / 2

    def _numbers_of(self, doc_id: str, field: Field, field_query: FieldQuery | None) -> list[Field]:
        """For a question asking for a number to call (何番) answered by a cell naming sections
        without one (部署: …介護保険課 …収納課): the cells holding such numbers that name the same
        sections (the 問合せ contact block), so the answer says whom to call and at which number."""
        kinds = [(pattern, longest) for pattern, longest in (field_query.value_kinds if field_query else ())
                 if longest > SHORT_VALUE]  # held by long cells: a phone number in a contact block
        if not kinds or any(pattern.search(field.value) for pattern, _ in kinds):
            return []
        # a section named with its department (山口市総務部収納課) is found by its own name (収納課) too
        sections = {name for found in _SECTION_NAME.findall(field.value)
                    for name in (found, re.split(r"[部局市]", found)[-1]) if len(name) >= 3}
        found = []
        for other in self.index.fields_by_doc.get(doc_id, []):
            if other is field or HISTORY_SECTION in other.section_path:
                continue
            if any(len(other.value) <= longest and pattern.search(other.value) for pattern, longest in kinds) \
                    and any(name in other.value for name in sections):
                found.append(other)
            if len(found) >= MAX_NUMBERS:
                break
        return found

    def _block_title(self, field: Field, hit: Hit, citations: _Citations) -> str:
        """What a listed field's repeated block is about (委託事項1: システムの運用保守委託), cited —
        a list of 委託先名 says which work each company does."""
        title = self.index.block_title(hit.doc_id, field)
        if title is None:
            return ""
        n = citations.cite(hit, title, hit.doc_id, _meta(hit), title.value)
        return f"（{title.label}: {shorten(title.value.strip(), 80)}{citations.mark(n)}）"

    def _block_option(self, field: Field, hit: Hit, citations: _Citations, asked: frozenset[str]) -> str:
        """The yes/no option of a listed field's block that the question also asks about (「その会社
        は下請けに回すか」 after 「どこの会社か」: each 委託事項's 再委託の有無), cited."""
        option = self.index.block_choice(hit.doc_id, field, asked) if asked else None
        if option is None:
            return ""
        n = citations.cite(hit, option, hit.doc_id, _meta(hit), option.value)
        return f"（{plain_label(option.label)}: {option.value.strip()}{citations.mark(n)}）"

    def _seconds(self, ranked: Sequence[ScoredField], best: ScoredField, used: Sequence[Field]) -> list[ScoredField]:
        """Up to MAX_SECONDS more fields of the same document that score nearly as well as the best
        (a blank cell only when the change history fills it)."""
        def said(doc_id: str, field: Field) -> str:  # what a cell says: a blank one, what the history fills it with
            fill = self.index.history_fill(doc_id, field)
            return fill[1] if fill is not None else field.value.strip()

        seen = {(best.hit.doc_id, f.ordinal) for f in used}
        values = {said(best.hit.doc_id, f) for f in used}
        chosen: list[ScoredField] = []
        for other in ranked[1:5]:
            if other.score < SECOND_SHARE * best.score or len(chosen) >= MAX_SECONDS:
                break
            key = (other.hit.doc_id, other.field.ordinal)
            value = said(other.hit.doc_id, other.field)
            if other.hit.doc_id != best.hit.doc_id or key in seen or value in values:
                continue
            if value in answer_rules().empty_values or other.field.kind == "checkbox" and not other.field.checked:
                continue  # an empty cell (the history filling none) or a checkbox list with nothing ticked adds nothing
            chosen.append(other)
            seen.add(key)
            values.add(value)
        return chosen

    @staticmethod
    def _named_elsewhere(ranked: Sequence[ScoredField], best: ScoredField, used: Sequence[Field],
                         question: str) -> list[ScoredField]:
        """Candidate fields of the best field's document, not said yet, that the question names by a
        specific label of NAMED_LABEL_LENGTH or more characters (公表日, 自己点検, 特定個人情報の使用の記録):
        a question asking for two facts gets both, up to MAX_NAMED."""
        asked = squash(question)
        values = {f.value.strip() for f in used}
        chosen: list[ScoredField] = []
        for other in ranked[1:]:
            value = other.field.value.strip()
            if len(chosen) >= MAX_NAMED or other.hit.doc_id != best.hit.doc_id or other.field in used \
                    or value in values or value in answer_rules().empty_values:
                continue
            if any(len(name) >= NAMED_LABEL_LENGTH and name in asked for name in label_names(other.field.label)):
                chosen.append(other)
                values.add(value)
        return chosen

    def _each_asked(self, also_asked: Sequence[ScoredField], best: ScoredField, used: Sequence[Field]) -> list[ScoredField]:
        """The best field of each question of the message that the answer does not say yet."""
        values = {f.value.strip() for f in used}
        chosen: list[ScoredField] = []
        for each in also_asked:
            value = each.field.value.strip()
            if each.hit.doc_id != best.hit.doc_id or each.field in used or value in values \
                    or value in answer_rules().empty_values or any(each.field is c.field for c in chosen):
                continue
            chosen.append(each)
            values.add(value)
        return chosen

    @staticmethod
    def _history(ranked: Sequence[ScoredField], best: ScoredField, used: Sequence[Field],
                 question: str = "") -> list[ScoredField]:
        """For a question about changes: the best row of the change history (変更箇所) — and, when
        the question names the date of the change, every row of that date (up to MAX_HISTORY)."""
        if HISTORY_SECTION in best.field.section_path:
            return []
        rows = [other for other in ranked[1:] if HISTORY_SECTION in other.field.section_path
                and other.field not in used]
        dated = [row for row in rows if row.field.label and squash(row.field.label) in squash(question)]
        return dated[:MAX_HISTORY] if dated else rows[:1]

    def _intro(self, hit: Hit, intent: Intent) -> str:
        if intent.persona == "staff":
            return f"{hit.city}「{hit.title}」の記載です。"
        return ""

    def _sentence(self, field: Field, hit: Hit, intent: Intent, citations: _Citations, terms: set[str],
                  in_list: bool, detail: bool = False, also: bool = False, extra: set[str] = frozenset(),
                  bonus=None) -> str:
        value = field.value.strip()
        fill = self.index.history_fill(hit.doc_id, field)
        if fill is not None:
            return self._filled_later(field, hit, fill, intent, citations)
        staff = intent.persona == "staff"
        wide = staff or intent.persona == "helpdesk"  # read out verbatim, as staff read it
        limit = (STAFF_LIMIT if wide else RESIDENT_LIMIT) / (ALSO_DIVISOR if also else 1.5 if detail else 1)
        if intent.type in ("list", "procedure"):
            limit *= LIST_FACTOR  # a list or a procedure is read whole, not cut to one item
        shown = value if field.kind == "checkbox" else select_passages(value, terms, limit, extra, bonus)
        said = squash(shown)
        if also and any(said == before or len(said) >= REPEAT_LENGTH and said in before for before in citations.shown):
            return ""  # the same words from another file's block ((1)介護保険情報ファイル, (3)…) say nothing new
        citations.shown.append(said)
        anchor = best_segment(value, terms, extra, bonus) if field.kind != "checkbox" and shown != value else shown
        if field.kind == "checkbox" and field.checked:
            anchor = field.checked[0]  # a checkbox cell is quoted by what is checked (行っていない)
        n = citations.cite(hit, field, hit.doc_id, _meta(hit), anchor, passage=shown)
        if field.kind == "choice" and (count := count_of(field)):  # 委託する (3) 件
            value, shown = value + count, shown + count
        label = plain_label(field.label) if field.label else plain_label(field.section[-1])
        file = file_of(field)
        if file and not staff:  # an assessment of several files: say which file the cell is about
            label = f"{file}の{label}"
        where = f"（{' > '.join(field.section[-2:])}）" if staff else ""
        if (intent.persona == "helpdesk" or intent.type == "contact") and _is_contact(field):
            return f"{label}{where}:\n{contact_block(value)} {citations.mark(n)}"
        if staff or intent.persona == "helpdesk":
            return f"{' > '.join((*field.section, field.label) if field.label else field.section)}:\n「{shown}」{citations.mark(n)}"
        if in_list:
            return f"・{shown}{where} {citations.mark(n)}"
        if field.kind == "checkbox":
            if not field.checked and (filled := filled_options(field)):
                # no box is marked, but the details written beside some options say what applies
                listed = "、".join(f"「{option}」" for option in filled)
                return (f"{hit.city}の評価書では、{label}の選択欄に印はありませんが、{listed}と記載されています"
                        f"{citations.mark(n)}。")
            checked = "、".join(field.checked) or "（選択なし）"
            return f"{hit.city}の評価書では、{label}は「{checked}」です{citations.mark(n)}。"
        if detail:
            lead = "あわせて、" if also else ""
            return f"{lead}{label}は「{shown}」です{citations.mark(n)}。"
        if intent.type == "yesno" and field.kind == "choice":
            # only an option that says yes or no answers はい/いいえ (無料 or a kind of file does not)
            # and only an option the question is about (its label shares a word with the question):
            # 「委託する」 does not answer whether a company once subcontracted without permission
            about = (terms | extra) & (content_terms(f"{field.label} {field.section[-1] if field.section else ''}") - FORM_WORDS)
            yes = polarity(value) if is_yes_no_choice(field, answer_rules()) and about else None
            lead = {True: "はい。", False: "いいえ。", None: ""}[yes]
            return f"{lead}{hit.city}の評価書では、{label}は「{value}」とされています{citations.mark(n)}。"
        return f"{hit.city}の評価書では、{label}は「{shown}」です{citations.mark(n)}。"

    # --- corpus-wide facts -----------------------------------------------------------------------

    def fact_answer(self, fact: FactAnswer, intent: Intent, query: str, scope: Scope) -> Answer:
        citations = _Citations(self.index)
        lines = []
        for match in fact.matches:
            d = match.document
            meta = _meta(d)
            if match.field is not None and match.value == d.kind:  # a metadata fact and its evidence
                n = citations.cite(None, match.field, d.doc_id, meta)
                where = plain_label(match.field.label) if match.field.label else match.field.section[-1]
                said = f"{where}: {shorten(match.field.value.strip(), 80)} [{n}]"
                if match.support is not None:
                    m = citations.cite(None, match.support, d.doc_id, meta)
                    said += f"、{plain_label(match.support.label)}: {shorten(match.support.value.strip(), 80)} [{m}]"
                lines.append(f"・{d.city}「{d.title}」（{said}）")
            elif match.field is not None:
                n = citations.cite(None, match.field, d.doc_id, meta)
                # a document with several blocks that read so says which block each line is
                block = block_of(match.field)
                where = (" ".join(filter(None, (file_of(match.field), block[-1] if block else None)))
                         if sum(m.document.doc_id == d.doc_id for m in fact.matches) > 1 else "")
                line = f"・{d.city}「{d.title}」{' ' + where if where else ''}: {match.value} [{n}]"
                owner = self.index.block_companion(d.doc_id, match.field)  # 再委託する: in whose 委託事項
                if owner is not None:
                    m = citations.cite(None, owner, d.doc_id, meta, owner.value.strip())
                    line += f"（{plain_label(owner.label)}: {shorten(owner.value.strip(), 80)} {citations.mark(m)}）"
                restated = answer_rules().restating(self.index.fields_by_doc.get(d.doc_id, []), match.field)
                shown_with = details_of(self.index, d.doc_id, match.field, limit=1) + ([restated] if restated else [])
                for detail in shown_with:
                    shown = shorten(detail.value.strip(), 120)
                    m = citations.cite(None, detail, d.doc_id, meta, shown)
                    line += f"（{plain_label(detail.label)}: {shown} {citations.mark(m)}）"
                lines.append(line)
            else:
                lines.append(f"・{d.city}「{d.title}」（{d.kind}評価書）")
        total = len(fact.documents)
        metadata = bool(fact.matches) and all(m.value == m.document.kind for m in fact.matches)
        if metadata:
            text = f"登録されている{total}件の評価書のうち、{fact.topic}は{len(lines)}件です。\n" + "\n".join(lines)
            others = [d for d in fact.documents if d not in {m.document for m in fact.matches}]
            if others and any(cue in query for cue in OTHERS_CUES):  # 「他はどの種類ですか」
                kinds: dict[str, list[str]] = {}
                for d in others:
                    title = next((f for f in self.index.fields_by_doc.get(d.doc_id, [])
                                  if f.section_path == "表紙" and f"{d.kind}評価書" in f.value), None)
                    said = d.city
                    if title is not None:
                        n = citations.cite(None, title, d.doc_id, _meta(d), title.value)
                        said += citations.mark(n)
                    kinds.setdefault(f"{d.kind}評価書", []).append(said)
                text += "\nそのほかは、" + "、".join(f"{'・'.join(c)}（{k}）" for k, c in kinds.items()) + "です。"
        elif not lines:
            text = f"登録されている{total}件の評価書に、{fact.topic}が「{fact.value}」のものはありません。"
            said = []
            for other in fact.others:  # what each one says instead (委託の有無: 委託する)
                n = citations.cite(None, other.field, other.document.doc_id, _meta(other.document), other.value)
                said.append(f"{other.document.city}「{shorten(other.value, 40)}」{citations.mark(n)}")
            if said:
                text += "\n各評価書の記載: " + "、".join(said) + "。"
        else:
            matched = len({m.document.doc_id for m in fact.matches})
            text = (f"登録されている{total}件の評価書のうち、{fact.topic}が「{fact.value}」のものは"
                    f"{matched}件です。\n" + "\n".join(lines))
        return Answer(answer=text, refused=False, reason=None, citations=tuple(citations.items),
                      hits=citations.hits({}), mode="extractive", scope=scope, query=query,
                      persona=intent.persona)

    # --- comparison across cities ----------------------------------------------------------------

    def comparison_answer(self, rows: Sequence[ScoredField], intent: Intent, query: str, scope: Scope,
                          cities: Sequence[str], field_query: FieldQuery | None = None,
                          ranked_rows: Sequence[Sequence[ScoredField]] = ()) -> Answer:
        """One cell per city, side by side; ``ranked_rows`` (each city's ranked fields) adds the next
        field of a city when it scores nearly as well (COMPARISON_SECONDS), shown by its best part."""
        citations = _Citations(self.index)
        table = []
        lines = []
        hits = [r.hit for r in rows]
        terms = set(field_query.core_terms or field_query.terms) if field_query else set()
        extra = set(field_query.terms) if field_query else set()  # its lexicon words (席を外す: 離席)
        for index, row in enumerate(rows):
            cell_lines, first_n = [], None
            parts = self.parts(row, intent, field_query)
            seconds = self._seconds(ranked_rows[index], row, parts)[:COMPARISON_SECONDS] if index < len(ranked_rows) else []
            further = [(s.field, s.hit) for s in seconds]
            for field, hit in list(further):  # a further cell of a 委託事項 block is said with who does the work
                owner = self.index.block_companion(hit.doc_id, field)
                if owner is not None and owner not in parts and all(owner != f for f, _ in further):
                    further.append((owner, hit))
            for number, (field, hit) in enumerate([(f, row.hit) for f in parts] + further):
                value = field.value.strip()
                limit = STAFF_LIMIT if intent.persona == "staff" else RESIDENT_LIMIT
                if number >= len(parts):
                    limit = int(limit / ALSO_DIVISOR)
                    if hit not in hits:
                        hits.append(hit)
                label = field.label or field.section[-1]
                fill = self.index.history_fill(hit.doc_id, field) if value in answer_rules().empty_values else None
                if fill is not None:  # blank in the body, its value recorded by the change history
                    row_field, after = fill
                    n = citations.cite(hit, row_field, hit.doc_id, _meta(hit), after)
                    said = f"（本文は空欄。変更箇所（{row_field.label}の変更）の変更後の記載）「{after}」"
                elif value in answer_rules().empty_values:  # a blank cell: cited by its label, which is verbatim
                    n = citations.cite(hit, field, hit.doc_id, _meta(hit), field.label or value)
                    said = "（空欄）"
                else:
                    shown = value if field.kind == "checkbox" else select_passages(value, terms, limit // (1 + number), extra)
                    n = citations.cite(hit, field, hit.doc_id, _meta(hit), shown)
                    said = f"「{shown}」"
                first_n = first_n or n
                cell_lines.append(f"{label}: {said}{citations.mark(n)}" if number else f"{said}{citations.mark(n)}")
                if number == 0:
                    table.append({"city": row.hit.city, "doc_id": row.hit.doc_id, "title": row.hit.title,
                                  "section_path": field.section_path, "field": field.label,
                                  "value": value, "n": n})
            head = cell_lines[0]
            lines.append(f"■ {row.hit.city}（{table[-1]['section_path']} > {table[-1]['field']}）\n{head}"
                         + "".join(f"\n{line}" for line in cell_lines[1:]))
        missing = [c for c in cities if c not in {r.hit.city for r in rows}]
        if missing:
            lines.append("（" + "、".join(missing) + "の評価書には該当する記載が見つかりませんでした）")
        refused = not rows
        text = "\n".join(lines) if rows else "比較できる記載が見つかりませんでした。"
        return Answer(answer=text, refused=refused, reason=text if refused else None,
                      citations=tuple(citations.items), hits=tuple(hits), mode="extractive", scope=scope,
                      query=query, persona=intent.persona, table=tuple(table))
