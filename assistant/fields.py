"""Field lookup for answers: which fields a hit holds, which of them a question is about, the chunk
that holds a given field, and the same field in the other repeated blocks (委託事項1, 委託事項2 …).
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Sequence
from typing import Any
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from assistant.errors import DataFileError
from assistant.form_schema import HISTORY_ITEM, canonical_label, changed_label
from assistant.passages import best_overlap, bigrams, content_terms, rare_overlap, squash
from assistant.types import PATH_SEPARATOR, Chunk, Field, Hit, join_path

RULES_FILE = Path(__file__).parent / "schema" / "answering.json"
COMMON_KATAKANA_FILE = Path(__file__).parent / "lexicon" / "common_katakana.txt"
WH_BONUS = 0.8  # a field whose label is what the question word asks for (誰 -> 委託先名)
CHOICE_PENALTY = 0.3  # a yes/no option is a weak answer to a what/how question
KIND_WEIGHT = 1.0  # a short value of the kind the question word asks for (どの課 -> …課)
FILE_NAME_LENGTH = 40  # a ファイル名 cell this short names a file
SHORT_VALUE = 60  # the longest value that counts as a value of the kind asked for, unless wh_values says more
NEAR_NAME_LENGTH = 12  # a block value this long is named by a question holding most of its words
NEAR_NAME_SHARE = 0.85
FILLED_LATER = 0.5  # the share of the empty-cell penalty kept by a blank cell the change history fills
RARE_WEIGHT = 1.0  # the question's words found in a cell, weighted by their rarity in the document
HISTORY_PENALTY = 1.0  # a change-history row answers a question about changes, not one about the present
NUMBERED_WEIGHT = 1.5  # a block the question names by label and number, on top of its anchor weight
TITLE_WEIGHT = 2.2  # the question's words in the title of the repeated block (委託事項1: …システムの運用保守委託)
EXPLAINING_LABELS = ("その妥当性", "その必要性")  # cells that explain the range or period before them

_FILE_SECTION = re.compile(r"^[(（]\d+[)）]\s*(\S+ファイル)$")  # a file's section in a several-file assessment
_POINTER = re.compile(r"(別添|別紙)\s*(\d+)")
POINTER_LENGTH = 40  # a cell this short that names an attachment only points at it
HISTORY_SECTION = "変更箇所"  # the change history: rows of 項目 / 変更前の記載 / 変更後の記載
_NUMBERING = re.compile(r"^(?:[IVX]+|[0-9０-９]+[.．、]|[(（][0-9０-９]+[)）])\s*")  # VI, 3., (1) before a heading
_HISTORY_AFTER = re.compile(r"^変更後の記載[:：]\s*(.+)$", re.MULTILINE)
# 「7番目の提供先」「17番の提供先」「別紙1の7番目に載っている提供先」 name 提供先7, 提供先17
_ORDINAL_BLOCK = re.compile(r"(\d{1,3})番目?(?:に(?:載|記載|挙が|書か|並)[^、。?？]{0,6}|の)(提供先|移転先|委託事項)")
_REPEATED_BLOCK = re.compile(r"^(委託事項|再委託事項|提供先|移転先|システム|リスク)\s*\d+|^\(\d+\)|^（\d+）")


@dataclass(frozen=True)
class ScoredField:
    field: Field
    hit: Hit
    score: float


class FieldIndex:
    """Fields of the stored documents, looked up by chunk (section path + labels)."""

    def __init__(self, fields_by_doc: dict[str, list[Field]], chunks: Sequence[Chunk]):
        self.fields_by_doc = fields_by_doc
        self._chunks_by_place: dict[tuple[str, str], list[Chunk]] = {}
        self._short_values: dict[str, list[tuple[Field, str]]] = {}
        self._texts: dict[tuple[str, ...], str] = {}
        self._rarity: dict[str, dict[str, float]] = {}
        self._history_rows: dict[str, list[tuple[Field, str, str]]] = {}
        self._hit_fields: dict[tuple[str, str, str, str], list[Field]] = {}
        for chunk in chunks:
            self._chunks_by_place.setdefault((chunk.doc_id, chunk.section_path), []).append(chunk)

    def fields_of_hit(self, hit: Hit) -> list[Field]:
        """The cells a hit's chunk holds (kept per chunk: the same chunks come back for many questions)."""
        key = (hit.doc_id, hit.section_path, hit.field, hit.text)
        if key not in self._hit_fields:
            self._hit_fields[key] = self._fields_of_hit(hit)
        return list(self._hit_fields[key])

    def _fields_of_hit(self, hit: Hit) -> list[Field]:
        labels = set(hit.field.split(" / ")) if hit.field else set()
        body = hit.text
        first_line = body.split("\n", 1)[-1].split("\n", 1)[0]  # the body's first line, past the header
        return [
            f for f in self.fields_by_doc.get(hit.doc_id, [])
            if (f.section_path == hit.section_path and (f.label in labels or (not f.label and (
                f.value[:20] in body or _opens_inside(first_line, f.value)))))
            or (f.label in labels and join_path(f.path) == hit.section_path)  # the block's title row
        ]

    def chunk_of(self, doc_id: str, field: Field, hint: str = "") -> Chunk | None:
        """The chunk holding ``field`` — for a long value split over several chunks, the one holding
        ``hint`` (the quoted passage) when given."""
        candidates = (self._chunks_by_place.get((doc_id, field.section_path), [])
                      + self._chunks_by_place.get((doc_id, join_path(field.path)), []))  # a title row's block
        if hint:
            key = squash(hint[:40])
            for chunk in candidates:  # an unlabelled cell (an attachment's table) is known by its text alone
                if (field.label in chunk.field.split(" / ") if field.label else not chunk.field) \
                        and key in squash(chunk.body):
                    return chunk
        for chunk in candidates:
            if field.label and field.label in chunk.field.split(" / "):
                first_line = field.value.strip().split("\n")[0][:30]
                if not first_line or first_line in chunk.body or len(candidates) == 1:
                    return chunk
        return candidates[0] if candidates else None

    def chunks_of(self, doc_id: str, field: Field) -> list[Chunk]:
        """Every chunk that holds part of ``field`` (a long cell is stored over several)."""
        if not field.label:  # an unlabelled cell: the chunks of its section whose text starts inside it
            return [chunk for chunk in self._chunks_by_place.get((doc_id, field.section_path), [])
                    if not chunk.field and _opens_inside(chunk.body.split("\n", 1)[0], field.value)]
        return [chunk for chunk in self._chunks_by_place.get((doc_id, field.section_path), [])
                if field.label in chunk.field.split(" / ")]

    def siblings(self, doc_id: str, field: Field) -> list[Field]:
        """The same label in the other repeated blocks of the same document, in document order."""
        pattern = tuple(_generic(part) for part in field.section)
        label = _generic(field.label)
        return [
            f for f in self.fields_by_doc.get(doc_id, [])
            if _generic(f.label) == label and tuple(_generic(p) for p in f.section) == pattern
            and f.value.strip()
        ]

    def text_of(self, doc_ids: Sequence[str]) -> str:
        """The NFKC labels and values of every field of these documents, for word lookups (a name such
        as NISC may be printed only in a label: ①NISC政府機関統一基準群)."""
        key = tuple(doc_ids)
        if key not in self._texts:
            self._texts[key] = "\n".join(unicodedata.normalize("NFKC", f"{f.label}\t{f.value}") for doc_id in doc_ids
                                          for f in self.fields_by_doc.get(doc_id, []))
        return self._texts[key]

    def block_companion(self, doc_id: str, field: Field) -> Field | None:
        """The field that names who a repeated block is about (委託事項N -> its 委託先名), from
        ``block_companions`` in schema/answering.json; None when ``field`` is that field."""
        block = block_of(field)
        if block is None:
            return None
        for block_word, label_word in answer_rules().block_companions:
            if not block[-1].startswith(block_word):
                continue
            if not label_word:  # the block's own title row names it (提供先7: 都道府県知事)
                title = next((f for f in self.fields_by_doc.get(doc_id, []) if f.path == block), None)
                return title if title is not None and title != field and title.value.strip() else None
            if label_word not in field.label:
                return self.companion(doc_id, field, (label_word,))
        return None

    def history_fill(self, doc_id: str, field: Field) -> tuple[Field, str] | None:
        """For a cell left blank in the body, the newest change-history row (変更箇所) that names it
        and what that row says it became: (row, 変更後の記載). A re-assessment often records the new
        value of an item (意見聴取の実施日・期間, 第三者点検の結果) only there. The row must name the
        cell's label and every part of its section path (委託事項2 is not 委託事項3); a newest row
        that leaves the cell blank fills nothing."""
        if field.value.strip() not in answer_rules().empty_values or not field.label:
            return None
        if doc_id not in self._history_rows:
            self._history_rows[doc_id] = [
                (row, squash(item.group(1)), after.group(1).strip() if after else "")
                for row in self.fields_by_doc.get(doc_id, []) if HISTORY_SECTION in row.section_path
                for item in [HISTORY_ITEM.search(row.value)] for after in [_HISTORY_AFTER.search(row.value)]
                if item]
        names = [squash(canonical_label(field.label))] + [squash(_NUMBERING.sub("", part)) for part in field.section]
        if len(names[0]) < 2:
            return None
        found = [(row, after) for row, item, after in self._history_rows[doc_id] if all(name in item for name in names)]
        if not found or found[-1][1] in answer_rules().empty_values:
            return None
        return found[-1]

    def rarity(self, doc_id: str) -> dict[str, float]:
        """For each word (bigram) of the document's cells, how few cells use it: log(N/df)/log(N),
        1 for a word of one cell, near 0 for a word in most of them."""
        if doc_id not in self._rarity:
            fields = self.fields_by_doc.get(doc_id, [])
            counts: dict[str, int] = {}
            for f in fields:
                for term in bigrams(f.value):
                    counts[term] = counts.get(term, 0) + 1
            total = max(len(fields), 2)
            self._rarity[doc_id] = {t: math.log(total / df) / math.log(total) for t, df in counts.items()}
        return self._rarity[doc_id]

    def referenced(self, doc_id: str, field: Field) -> list[Field]:
        """The cells of the attachment a pointer cell sends the reader to (全ての記録項目: 別添1を参照
        -> the cells of (別添1) 特定個人情報ファイル記録項目); [] for any other cell."""
        value = unicodedata.normalize("NFKC", field.value.strip())
        match = _POINTER.search(value) if len(value) <= POINTER_LENGTH else None
        if match is None:
            return []
        name = f"{match.group(1)}{match.group(2)}"
        return [f for f in self.fields_by_doc.get(doc_id, []) if f is not field and f.value.strip()
                and any(name in unicodedata.normalize("NFKC", part).replace(" ", "") for part in f.section[:1])]

    def file_names(self, doc_id: str) -> set[str]:
        """The names of the 特定個人情報ファイル a document describes: its ファイル名 cells and the
        per-file sections of a multi-file assessment ((3)滞納整理情報ファイル)."""
        names = set()
        for f in self.fields_by_doc.get(doc_id, []):
            names.update(name for name in (file_of(f),) if name)
            if f.label.endswith("ファイル名") and len(f.value.strip()) <= FILE_NAME_LENGTH:
                names.add(f.value.strip())
        return names

    def block_choice(self, doc_id: str, field: Field, asked: frozenset[str]) -> Field | None:
        """The yes/no option of ``field``'s repeated block that the question asks about: its label
        is a form field the question is about, or shares the question's words (再委託の有無 for
        「さらに別の業者に回しているか」 about 委託事項2). None when ``field`` is that option."""
        block = block_of(field)
        if block is None or (field.kind == "choice" and is_yes_no_choice(field, answer_rules())):
            return None
        rules = answer_rules()
        for other in self.fields_by_doc.get(doc_id, []):
            if other.section[: len(block)] != block or not is_yes_no_choice(other, rules):
                continue
            label = canonical_label(other.label)
            if label in asked or len(content_terms(label) & asked) >= 2:
                return other
        return None

    def block_title(self, doc_id: str, field: Field) -> Field | None:
        """The title row of ``field``'s repeated block when it says something of its own
        (委託事項1: 介護保険システムの運用保守委託), not when ``field`` is that row."""
        block = block_of(field)
        if block is None or field.path == block:
            return None
        title = next((f for f in self.fields_by_doc.get(doc_id, []) if f.path == block), None)
        return title if title is not None and title.value.strip() not in answer_rules().empty_values else None

    def short_values(self, doc_ids: Sequence[str]) -> list[tuple[Field, str]]:
        """(field, value without spaces) of the 4-40 character values in blocks of these documents."""
        found = []
        for doc_id in doc_ids:
            if doc_id not in self._short_values:
                self._short_values[doc_id] = [
                    (f, value) for f in self.fields_by_doc.get(doc_id, [])
                    if 4 <= len(value := squash(f.value)) <= 40 and block_of(f) is not None]
            found.extend(self._short_values[doc_id])
        return found

    def named_in_question(self, doc_id: str, field: Field, question: str, limit: int = 2) -> list[Field]:
        """Other fields of ``field``'s block (or section) that the question names by their label:
        「再委託の許諾方法と再委託事項は?」 asks for both cells, 「法令上の根拠と用途」 for both."""
        asked = squash(question)
        block = block_of(field) or field.section
        found = []
        for other in self.fields_by_doc.get(doc_id, []):
            if other is field or other.section[: len(block)] != block or not other.value.strip():
                continue
            if other.value.strip() in answer_rules().empty_values:
                continue
            if canonical_label(other.label) != canonical_label(field.label) and \
                    any(name in asked for name in label_names(other.label)):
                found.append(other)
            if len(found) >= limit:
                break
        return found

    def companion(self, doc_id: str, field: Field, label_words: Sequence[str]) -> Field | None:
        """The field of the same repeated block (委託事項3, 提供先2 …) whose label holds one of
        ``label_words``: 「誰が印刷しているか」 found the 委託内容, the answer is that block's 委託先名."""
        if not label_words or any(word in field.label for word in label_words):
            return None
        if any(states_item(line, label_words) for line in field.value.splitlines()):
            return None  # a row that states it itself (別紙1: 7 社会福祉協議会: ①法令上の根拠: …)
        block = block_of(field)
        if block is None:
            return None
        members = [other for other in self.fields_by_doc.get(doc_id, [])
                   if other.section[: len(block)] == block and other.value.strip()]
        for word in label_words:  # the first words are the most specific (委託先名 before 委託先)
            # a label that ends with the word first (⑥委託先名, not ⑤委託先名の確認方法 above it)
            named = [other for other in members if word in other.label]
            ending = [other for other in named if other.label.rstrip(" ※*").endswith(word)]
            if named:
                return (ending or named)[0]
        return None


_OWN_ITEM = re.compile(r"^\s*(?:[①-⑳]|\d+[.．]?)?\s*([^:：\s]{2,20})[:：]")  # 「⑦時期・頻度: …」 inside a cell


def states_item(line: str, label_words: Sequence[str]) -> bool:
    """Whether a line of a cell is an item of its own named by one of the words (⑦時期・頻度: 照会を受けたら都度)."""
    match = _OWN_ITEM.match(line)
    return match is not None and any(word in match.group(1) for word in label_words)


_LABEL_TAIL = re.compile(r"(?:の|における|に係る|に関する)([^の]{2,})$")
_GENERIC_TAILS = frozenset({"方法", "内容", "名称", "有無", "記載", "措置", "概要", "結果", "状況"})


def label_names(label: str) -> tuple[str, ...]:
    """How a question names a field: its label without numbering (再委託の許諾方法), and the
    label's last word when that word is specific (許諾方法, 用途, 根拠 — not 方法 or 内容).

    >>> label_names('②提供先における用途'), label_names('⑤再委託の許諾方法')
    (('提供先における用途', '用途'), ('再委託の許諾方法', '許諾方法'))
    """
    name = squash(canonical_label(label))
    if len(name) < 2:
        return ()
    names = [name]
    match = _LABEL_TAIL.search(name)
    if match and match.group(1) not in _GENERIC_TAILS:
        names.append(match.group(1))
    return tuple(names)


def _opens_inside(line: str, value: str) -> bool:
    """Whether a chunk whose body opens with ``line`` holds part of the unlabelled cell ``value``: a long
    cell (an attachment's table) is stored over several chunks, each opening with one of its lines."""
    start = squash(line)[:30]
    return len(start) >= 8 and start in squash(value)


def file_of(field: Field) -> str | None:
    """The file a cell belongs to in an assessment of several files ((1)介護保険情報ファイル -> 介護保険情報ファイル),
    from its section; None in an assessment of one file."""
    return _file_in(field.section)


def file_of_section_path(section_path: str) -> str | None:
    """``file_of`` for a hit's section path: 'II … > (3)滞納整理情報ファイル > 5. …' -> 滞納整理情報ファイル."""
    return _file_in(section_path.split(PATH_SEPARATOR))


def _file_in(parts: Sequence[str]) -> str | None:
    for part in parts:
        match = _FILE_SECTION.match(part)
        if match:
            return match.group(1)
    return None


def block_of(field: Field) -> tuple[str, ...] | None:
    """The section path of the repeated block a field belongs to (a block's title row included)."""
    return _block_of_path(field.path)


@lru_cache(maxsize=16384)
def _block_of_path(path: tuple[str, ...]) -> tuple[str, ...] | None:
    for end in range(len(path), 0, -1):
        if _REPEATED_BLOCK.match(path[end - 1]):
            return path[:end]
    return None


def _generic(part: str) -> str:
    """A repeated block's name without its number: 提供先3 -> 提供先#, (2) -> (#); others unchanged."""
    match = _REPEATED_BLOCK.match(part)
    return re.sub(r"\d+", "#", match.group(0)) if match else part


@dataclass(frozen=True)
class FieldQuery:
    """What field scoring needs to know about the question."""

    terms: frozenset[str]  # content bigrams of the question (and its lexicon terms)
    focus_labels: frozenset[str] = frozenset()  # canonical labels of the form fields it is about
    wants_grade: bool = False  # asks whether measures are sufficient (十分か)
    label_words: tuple[tuple[str, ...], ...] = ()  # per matched question word, the labels it asks for
    core_terms: frozenset[str] = frozenset()  # content bigrams of the question itself (no lexicon terms)
    yes_no: bool = False  # a yes/no question: selected options answer it
    anchors: tuple[tuple[str, ...], ...] = ()  # repeated blocks whose values the question names
    vector: Any = None  # the question's embedding (numpy), when the searcher has an embedder
    question: str = ""  # the question as asked (fields it names by label are shown too)
    value_kinds: tuple = ()  # (pattern, longest) of the kind of value asked for (どの課 -> …課)
    wants_history: bool = False  # asks about changes (変更箇所): a change-history row may answer
    numbered: tuple[tuple[str, ...], ...] = ()  # the anchors the question names by label and number (提供先17)


FEATURES = ("prior", "label", "block", "title", "value", "rare", "wh", "focus", "kind", "option_yes_no",
            "option_other", "anchor", "numbered", "empty", "grade", "history")
# Set by hand on the dev split. Weights fitted to it instead (softmax over each question's candidate
# fields, 2-fold) chose the answer-holding field only 1 point more often and lowered key match, so
# these stay.
WEIGHTS = {"prior": 4.0, "label": 1.0, "block": 0.5, "title": TITLE_WEIGHT, "value": 1.5, "rare": RARE_WEIGHT, "wh": WH_BONUS,
           "focus": 0.8, "kind": KIND_WEIGHT, "option_yes_no": 0.5, "option_other": -CHOICE_PENALTY, "anchor": 1.0,
           "numbered": NUMBERED_WEIGHT, "empty": -1.5, "grade": -1.0, "history": -HISTORY_PENALTY}


def field_features(query: FieldQuery, hits: Sequence[Hit], index: FieldIndex,
                   max_hits: int = 5) -> list[tuple[Field, Hit, dict[str, float]]]:
    """The fields of the top hits with what is known about each: the hit's search score relative to
    the best (prior), how well the label, the block and the best segment of the value match the
    question (the value's words also weighted by rarity), whether the label is what the question
    word asks for (wh) or the form field the question is about (focus), whether it is a yes/no
    option, in a block the question names (anchor), empty, or a self-assessment grade not asked for."""
    rules = answer_rules()
    terms = set(query.terms)
    core = set(query.core_terms) or terms
    found = []
    top = max((hit.score for hit in hits[:max_hits]), default=0.0)
    for position, hit in enumerate(hits[:max_hits]):
        # the search score relative to the best hit (rank alone would make close calls decisive)
        prior = (hit.score / top if top > 0 else 1.0 / (1 + position)) - 0.05 * position
        fields = index.fields_of_hit(hit)
        # a pointer the question is about (全ての記録項目: 別添1を参照) brings the cells it points at
        fields += [f for field in fields if core & content_terms(field.label)
                   for f in index.referenced(hit.doc_id, field) if f not in fields]
        for field in fields:
            label_terms = content_terms(field.label)
            block_terms = content_terms(" ".join(field.section[1:])) if field.section else set()
            value = field.value.strip()
            fill = index.history_fill(hit.doc_id, field)  # a blank cell whose new value the 変更箇所 holds
            if fill is not None:
                value = fill[1]
            option = is_closed_choice(field, rules)
            found.append((field, hit, {
                "prior": prior,
                "label": len(core & label_terms) / (len(label_terms) or 1),
                "block": len(terms & block_terms) / (len(block_terms) or 1),
                # 「システムを保守している会社は下請けを…」 is about the block whose title says so
                "title": best_overlap(core, title.value, terms) if (title := index.block_title(hit.doc_id, field)) else 0.0,
                "value": best_overlap(core, value[:2000], terms),
                "rare": rare_overlap(core, value[:2000], index.rarity(hit.doc_id)),
                "wh": float(sum(any(word in field.label for word in words) for words in query.label_words)),
                "focus": float(canonical_label(field.label) in query.focus_labels or changes_asked(field, query)),
                "kind": float(any(len(value) <= longest and pattern.search(value) for pattern, longest in query.value_kinds)),
                # a selected option answers a yes/no question; a "what/how" question wants the text
                "option_yes_no": float((option or checks_yes_no(field)) and query.yes_no),
                "option_other": float(option and not query.yes_no),
                "anchor": float(bool(query.anchors) and any(field.path[: len(b)] == b for b in query.anchors)),
                # 「17番の提供先」 says which block more surely than words do (the 別紙1 pointer shares them)
                "numbered": float(any(field.path[: len(b)] == b for b in query.numbered)),
                # a cell the change history fills is a weaker answer than a cell saying it in the body
                "empty": float(value in rules.empty_values) + FILLED_LATER * (fill is not None),
                "history": float(HISTORY_SECTION in field.section_path and not query.wants_history),
                "grade": float(value not in rules.empty_values and field.kind == "choice"
                               and value in rules.grade_values and not query.wants_grade),
            }))
    return found


def changes_asked(field: Field, query: FieldQuery) -> bool:
    """A change-history row whose item (項目: … ②入手方法) is a field the question asks about changes."""
    if not query.wants_history or HISTORY_SECTION not in field.section_path:
        return False
    item = HISTORY_ITEM.search(field.value)
    if item is None:
        return False
    label = changed_label(item.group(1))
    named = squash(item.group(1))  # 「評価の再実施はどういう理由で」 names the row's whole item
    return (len(label) >= 3 and label in query.focus_labels
            or len(named) >= 4 and named in squash(query.question))


def score_fields(query: FieldQuery, hits: Sequence[Hit], index: FieldIndex, max_hits: int = 5) -> list[ScoredField]:
    """Rank the fields of the top hits by the weighted sum of their features (field_features)."""
    scored = [ScoredField(field, hit, sum(WEIGHTS[name] * value for name, value in features.items()))
              for field, hit, features in field_features(query, hits, index, max_hits)]
    scored.sort(key=lambda s: -s.score)
    return scored


def details_of(index: FieldIndex, doc_id: str, field: Field, limit: int = 2) -> list[Field]:
    """The text cells that explain a selected option: the non-empty text fields right after a
    choice field in the same block (発生あり -> その内容, 再発防止策の内容), up to the next choice."""
    rules = answer_rules()
    # a range (10人未満) or a date is explained only by a cell that says so (保管期間 -> その妥当性)
    ranged = bool(re.search(r"\d", unicodedata.normalize("NFKC", field.value)))
    fields = index.fields_by_doc.get(doc_id, [])
    found = []
    for other in fields:
        if other.ordinal <= field.ordinal or other.section != field.section:
            continue
        if other.kind == "choice" or len(found) >= limit:
            break
        if other.value.strip() not in rules.empty_values:
            if ranged and not canonical_label(other.label).startswith(EXPLAINING_LABELS):
                break
            found.append(other)
            if ranged:
                break
    return found


def choice_before(index: FieldIndex, doc_id: str, field: Field) -> Field | None:
    """The selected option a text cell explains: the nearest choice field before it in the block."""
    rules = answer_rules()
    previous = [f for f in index.fields_by_doc.get(doc_id, [])
                if f.section == field.section and field.ordinal - 3 <= f.ordinal < field.ordinal]
    for other in reversed(previous):
        if other.kind == "choice":
            return other if is_yes_no_choice(other, rules) else None
        if other.value.strip() not in rules.empty_values:
            return None  # another cell stands between: the option is not what this text explains
    return None


_YES_NO_ENDINGS = ("する", "しない", "いる", "いない", "ある", "ない", "あり", "なし")


def is_closed_choice(field: Field, rules: "AnswerRules") -> bool:
    """A selected option that answers a closed question (再委託する, 発生あり, 無料 …): not a
    self-assessment grade, an empty cell, or a range or date (those hold digits)."""
    value = field.value.strip()
    return (field.kind == "choice" and value not in rules.grade_values and value not in rules.empty_values
            and not re.search(r"\d", unicodedata.normalize("NFKC", value)))


_COUNT_AFTER = re.compile(r"[\s(（]*\d*[)）]?\s*件$")  # 「提供を行っている (57) 件」


def checks_yes_no(field: Field) -> bool:
    """A checkbox cell whose checked boxes each say yes or no (☑ 行っていない; ☑ 提供を行っている
    (57) 件): it answers a yes/no question as a selected option does."""
    return field.kind == "checkbox" and bool(field.checked) and all(
        _COUNT_AFTER.sub("", item).strip().endswith(_YES_NO_ENDINGS) for item in field.checked)


def is_yes_no_choice(field: Field, rules: "AnswerRules") -> bool:
    """A selected option that says yes or no (再委託する, 発生あり, 記録を残している …): not a kind
    (システム用ファイル) or an amount (無料), which answer a closed question without a yes or no."""
    return is_closed_choice(field, rules) and field.value.strip().endswith(_YES_NO_ENDINGS)


def numbered_blocks(question: str, index: FieldIndex, doc_ids: Sequence[str]) -> tuple[tuple[str, ...], ...]:
    """The repeated blocks the question names by label and number: 「委託事項3として挙がっている業務」
    is 委託事項3 (of the files the question names, when the assessment has several)."""
    text = _ORDINAL_BLOCK.sub(r"\2\1", squash(unicodedata.normalize("NFKC", question)))  # 7番目の提供先 is 提供先7
    blocks = []
    for doc_id in doc_ids:
        for field in index.fields_by_doc.get(doc_id, []):
            block = block_of(field)
            if block is None or field.path != block:
                continue
            # the block's label and number: 提供先17 of a 別紙 row named 「提供先17 都道府県知事…」 too
            name = squash(unicodedata.normalize("NFKC", _REPEATED_BLOCK.match(block[-1]).group(0)))
            if name[-1:].isdigit() and re.search(re.escape(name) + r"(?!\d)", text) and block not in blocks:
                blocks.append(block)
    named_file = [block for block in blocks if any(file_name in text for part in block
                                                   if (file_name := re.sub(r"^\(\d+\)", "", squash(part))).endswith("ファイル") and len(file_name) > 6)]
    return tuple(named_file or blocks)


def anchor_blocks(question: str, index: FieldIndex, doc_ids: Sequence[str],
                  numbered: bool = True) -> tuple[tuple[str, ...], ...]:
    """The repeated blocks (委託事項1 …) holding a value the question names verbatim, such as a
    company: 「株式会社日立システムズに委託している業務」 points at that company's 委託事項; and the
    blocks it names by label and number (numbered_blocks), unless ``numbered`` is off (a question
    about the change history: 「委託事項1の…は変更前どう書かれていたか」)."""
    text = squash(question)
    asked = bigrams(text)
    blocks = list(numbered_blocks(question, index, doc_ids)) if numbered else []
    for field, value in index.short_values(doc_ids):
        words = bigrams(value)
        # named verbatim, or nearly so (「…の運用保守の委託先」 names 委託事項1: …の運用保守委託)
        if value in text or (len(value) >= NEAR_NAME_LENGTH and len(words & asked) >= NEAR_NAME_SHARE * len(words)):
            block = block_of(field)
            if block is not None and block not in blocks:
                blocks.append(block)
    return tuple(blocks)


@dataclass(frozen=True)
class AnswerRules:
    grade_values: frozenset[str]
    grade_cues: tuple[str, ...]
    empty_values: frozenset[str]
    not_stated: tuple[tuple[str, re.Pattern, tuple[str, ...], re.Pattern | None], ...]  # (topic, pattern, unless_found, unless_pattern)
    wh_labels: tuple[tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]], ...]  # (cues, label words, with)
    counters: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (question word, units an answer must hold)
    block_companions: tuple[tuple[str, str], ...] = ()  # (block title start, label of the field to add)
    common_words: tuple[str, ...] = ()  # everyday katakana/Latin words that are not names (パソコン)
    mention_framing: tuple[str, ...] = ()  # after a name, says where the asker heard of it (で見た)
    # (question words, the value they ask for, the longest value that still counts as that value)
    wh_values: tuple[tuple[tuple[str, ...], re.Pattern, int], ...] = ()
    counter_dates: tuple[str, ...] = ()  # a counter asking for a date, not an amount (何年に, 何月何日)
    not_asking: tuple[str, ...] = ()  # phrases in which a cue word tells what happened (電話がかかってきた)
    counter_narrative: tuple[re.Pattern, ...] = ()  # a counter telling a story (何回か電話した)
    quoted_saying: re.Pattern | None = None  # words quoted as something said (「…」みたいな話)
    yes_no_companions: tuple[str, ...] = ()  # a yes/no answer from a repeated block also says this cell (法令上の根拠)
    # (section word, label, selected value, label of the cell restating it, word its checked option holds)
    restatements: tuple[tuple[str, str, str, str, str], ...] = ()

    def restating(self, fields: Sequence[Field], field: Field) -> Field | None:
        """The cell elsewhere in the form that restates ``field``'s selected option (I 5.情報連携
        ①実施の有無: 実施しない -> III 6. 情報提供ネットワークシステムとの接続: ☑ 接続しない(入手))."""
        for section, label, value, restated_by, checked in self.restatements:
            if (label in field.label and any(section in part for part in field.section)
                    and squash(field.value) == squash(value)):
                return next((f for f in fields if restated_by in f.label
                             and any(checked in option for option in f.checked)), None)
        return None

    def without_sayings(self, text: str) -> str:
        """``text`` with words quoted as something said blanked: 「いつ、いくら払う予定か」みたいな話
        asks for no plan or amount itself."""
        return self.quoted_saying.sub(" ", text) if self.quoted_saying is not None else text

    def value_kinds(self, question: str) -> tuple[tuple[re.Pattern, int], ...]:
        """The kinds of value the question's words ask for (どの課 -> a value ending in 課), each with
        the longest value that counts (a short one; a contact block holds a phone number)."""
        text = unicodedata.normalize("NFKC", question)
        return tuple((pattern, longest) for cues, pattern, longest in self.wh_values if any(cue in text for cue in cues))

    def units_asked(self, question: str) -> tuple[str, ...]:
        """The units a count/amount question needs in its answer (何人 -> 人, 名), or (). A counter
        that asks for a date (何年に作られた, 何月何日) asks for no amount."""
        text = self.without_sayings(unicodedata.normalize("NFKC", question))
        for phrase in self.counter_dates:
            text = text.replace(phrase, " ")
        for pattern in self.counter_narrative:
            text = pattern.sub(" ", text)
        return tuple(unit for word, units in self.counters if unicodedata.normalize("NFKC", word) in text for unit in units)

    def label_words(self, question: str) -> tuple[tuple[str, ...], ...]:
        text = unicodedata.normalize("NFKC", question)
        for phrase in self.not_asking:  # 「電話がかかってきた」 tells of a call; it asks for no number
            text = text.replace(phrase, " ")
        return tuple(words for cues, words, with_words in self.wh_labels
                     if any(cue in text for cue in cues) and (not with_words or any(w in text for w in with_words)))


@lru_cache(maxsize=1)
def answer_rules() -> AnswerRules:
    """The answerer's form knowledge from ``schema/answering.json``."""
    try:
        data = json.loads(RULES_FILE.read_text(encoding="utf-8"))
        not_stated = tuple((item["topic"], re.compile(item["pattern"]), tuple(item.get("unless_found", ())),
                            re.compile(item["unless_pattern"]) if item.get("unless_pattern") else None)
                           for item in data["not_stated"])
        wh_labels = tuple((tuple(item["cues"]), tuple(item["label_words"]), tuple(item.get("with", ())))
                          for item in data["wh_labels"])
        counters = tuple((word, tuple(units)) for word, units in data.get("counters", {}).items())
        companions = tuple((block, label) for block, label in data.get("block_companions", {}).items())
        return AnswerRules(frozenset(data["grade_values"]), tuple(data["grade_cues"]),
                           frozenset(data["empty_values"]), not_stated, wh_labels, counters, companions,
                           tuple(data.get("common_words", ())) + _common_katakana(), tuple(data.get("mention_framing", ())),
                           tuple((tuple(item["cues"]), re.compile(item["value_pattern"]), int(item.get("max_length", SHORT_VALUE)))
                                 for item in data.get("wh_values", ())),
                           tuple(data.get("counter_dates", ())), tuple(data.get("not_asking", ())),
                           tuple(re.compile(pattern) for pattern in data.get("counter_narrative", ())),
                           re.compile(data["quoted_saying"]) if data.get("quoted_saying") else None,
                           tuple(data.get("yes_no_companions", ())),
                           tuple((item["section"], item["label"], item["value"], item["restated_by"], item["checked"])
                                 for item in data.get("restatements", ())))
    except (OSError, ValueError, KeyError, re.error) as error:
        raise DataFileError(f"cannot read {RULES_FILE.name}: {type(error).__name__}: {error}") from None


def _common_katakana() -> tuple[str, ...]:
    """The everyday katakana words of ``lexicon/common_katakana.txt`` (スイッチ, チャンス): no names."""
    lines = COMMON_KATAKANA_FILE.read_text(encoding="utf-8").splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))


_NUMBER = r"[0-9０-９〇一二三四五六七八九十百千万]"
# dates: an era year (令和5年, 平成28年度), a year with its month and day (2024年4月1日), a month and day
_DATE = re.compile(r"(?:(?:明治|大正|昭和|平成|令和|西暦)\s*(?:\d+|元)\s*年度?|\d{4}\s*年度?)(?:\s*\d+\s*月(?:\s*\d+\s*日)?)?"
                   r"|\d+\s*月\s*\d+\s*日")

_FREQUENCY = re.compile(rf"(?:{_NUMBER}+\s*(?:年|か月|ヶ月|カ月|箇月|週間?|日)\s*に|年|月|週)\s*{_NUMBER}+\s*(?:回|度)")


def holds_amount(value: str, units: Sequence[str]) -> bool:
    """Whether ``value`` states a number with one of ``units`` (or a word like 無料 given as a unit).

    A date is no amount: 「令和5年1月31日」 does not say how many years (年) or months (月).

    >>> holds_amount('10万人以上100万人未満', ['人']), holds_amount('財務部市民税課', ['人', '名'])
    (True, False)
    >>> holds_amount('平成28年1月から保有', ['年']), holds_amount('5年間保存する', ['年'])
    (False, True)

    A frequency (1年に1回) says how often, not how long: it holds 回, not 年.

    >>> holds_amount('1年に1回は研修を開催', ['年']), holds_amount('1年に1回は研修を開催', ['回'])
    (False, True)
    """
    text = _DATE.sub(" ", unicodedata.normalize("NFKC", value))
    if not any(unit in ("回", "度") for unit in units):
        text = _FREQUENCY.sub(" ", text)
    for unit in units:
        if not re.match(r"^[ぁ-んァ-ン一-龥%]$", unit) and unit in text:
            if len(unit) > 1:
                return True
        if re.search(rf"{_NUMBER}\s*\)?\s*{re.escape(unicodedata.normalize('NFKC', unit))}(?!金)", text):  # 7 年金… is no year
            return True
    return False


_BACKGROUND = re.compile(r"[^。?？!！、]*(?:ますが|ですが|ましたが|でしたが|ているが|ていたが|けれども|けれど|けど)[、,]")
_ASKING = re.compile(r"知りたい|教えて|聞きたい|伺いたい|質問|お尋ね|伝えたい|案内したい|答えたい|回答したい|確認したい")  # 「…名前を知りたいのですが、」 is the ask itself
_CONFIRMING = re.compile(r"^(本当|ほんと|事実|確か|そう|それ|これ|その話)")  # 「…と聞いたけど、本当ですか」


def without_background(question: str) -> str:
    """The question without the clauses that only tell the background (「保険料額が書かれていますが、」),
    unless nothing would remain.

    >>> without_background("通知書には保険料額が書かれていますが、印刷しているのは誰ですか")
    '印刷しているのは誰ですか'
    >>> without_background("税率が上がるって聞いたけど、本当ですか？")
    '税率が上がるって聞いたけど、本当ですか？'
    """
    kept = _BACKGROUND.sub(lambda m: m.group(0) if _ASKING.search(m.group(0)) else "", question).strip(" 。?？!！")
    return question if not kept or _CONFIRMING.match(kept) else kept


def not_stated_topic(question: str, document_text: str = "") -> str | None:
    """The kind of fact the 様式 never states that the question asks for (契約金額, 氏名 …), or None.
    ``document_text``: the documents asked about, for topics some cities do print (FAX番号 …)."""
    text = without_background(answer_rules().without_sayings(unicodedata.normalize("NFKC", question)))
    for topic, pattern, unless_found, unless_pattern in answer_rules().not_stated:
        if not pattern.search(text) or (unless_pattern is not None and unless_pattern.search(text)):
            continue
        # the words of unless_found that the question itself uses decide (クレジットカード: is
        # クレジット in the documents? — not アプリ of 業務アプリケーション); else any of them
        asked = [word for word in unless_found if word in text] or unless_found
        if not any(word in document_text for word in asked):
            return topic
    return None
