"""The part of a long field value that answers the question.

Many cells of the 様式 hold long free text (事務の内容, リスクに対する措置 …) whose answer is one
item or sentence. The value is split into segments (lines, then sentences of long lines), each
segment is scored by the question's content bigrams it contains, and the best ones are kept in
document order — verbatim, so they can be quoted.

>>> terms = content_terms('財産調査では何を調べますか')
>>> sorted(terms)
['産調', '調査', '財産']
>>> select_passages('①調定登録\\n⑪滞納者の財産調査 預貯金調査、給与調査\\n⑫徴収猶予', terms, 30)
'⑪滞納者の財産調査 預貯金調査、給与調査'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache

_HIRAGANA_CHAR = re.compile(r"[\u3040-\u309f]")
_PUNCT = re.compile(r"[\s、。,.!?！？「」『』()（）:：/・…\-―]+")  # not ー: it is part of katakana words
_SENTENCE_END = re.compile(r"(?<=。)")
_INLINE_ITEM = re.compile(r"\s+(?=(?:\d{1,2}[.．]|[①-⑳]|[(（]\d{1,2}[)）]|・)\s*\S)")  # an item number or bullet inside a line
EXTRA_SHARE = 0.8  # a lexicon word (the bridge from everyday words) counts almost as much as the question's own
COVER_MIN = 2.0  # the weight of new question words a segment must bring to be picked first (see gain())
LONG_LINE = 120  # a line longer than this is split into sentences
TEXT_CACHE = 20000  # texts whose bigrams, segments and NFKC form are kept (cells recur across questions)


@lru_cache(maxsize=TEXT_CACHE)
def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def squash(text: str) -> str:
    """NFKC without any whitespace: how values, quotes and questions are compared verbatim.

    >>> squash('ＡＧＳ 株式会社　（和光市）')
    'AGS株式会社(和光市)'
    """
    return re.sub(r"\s+", "", _norm(text))


def content_terms(text: str, drop: Iterable[str] = ()) -> set[str]:
    """Bigrams of ``text`` without hiragana (です, ます, を調 …) or punctuation: the content words.
    ``drop`` removes words first (city names, 評価書 …)."""
    text = _norm(text)
    for word in drop:
        if word:
            text = text.replace(_norm(word), " ")
    terms = set()
    for piece in _PUNCT.split(text):
        for i in range(len(piece) - 1):
            pair = piece[i : i + 2]
            if not (_HIRAGANA_CHAR.match(pair[0]) or _HIRAGANA_CHAR.match(pair[1])):
                terms.add(pair)
    return terms


@lru_cache(maxsize=TEXT_CACHE)
def bigrams(text: str) -> frozenset[str]:
    """The character bigrams of ``text`` without punctuation (kept: the same cells and segments are
    compared with question after question)."""
    text = _PUNCT.sub("", _norm(text))
    return frozenset(text[i : i + 2] for i in range(len(text) - 1))


_ITEM_START = re.compile(r"^(?:[①-⑳]|[(（]\d+[)）]|\d+[ .．、]|[<＜【■◆])")


def segments(value: str) -> list[str]:
    """Items of the value: a line that starts a numbered item (⑪…, (2)…, 3 …, <…>) keeps the
    lines after it that start no item of their own; other lines stand alone; long pieces are cut
    into sentences after 。."""
    return list(_segments(value))


@lru_cache(maxsize=TEXT_CACHE)
def _segments(value: str) -> tuple[str, ...]:
    """The items of ``value`` (kept per value; see ``segments``)."""
    items: list[list[str]] = []
    numbered = False
    for line in value.split("\n"):
        line = line.strip()
        if not line:
            continue
        starts = bool(_ITEM_START.match(line))
        if starts or not numbered or not items:
            items.append([line])
            numbered = starts
        else:
            items[-1].append(line)
    parts: list[str] = []
    for item in items:
        text = "\n".join(item)
        if len(text) <= LONG_LINE * 2 or len(item) > 1 and len(item[0]) <= LONG_LINE:
            if len(text) <= LONG_LINE * 3:
                parts.append(text)
                continue
        for line in item:
            if len(line) <= LONG_LINE:
                parts.append(line)
                continue
            for piece in _SENTENCE_END.split(line):
                piece = piece.strip()
                if len(piece) > LONG_LINE:  # 「…ため 3. 地方税関係情報:… 10. 災害関係情報:…」: cut before each item
                    parts.extend(p.strip() for p in _INLINE_ITEM.split(piece) if p.strip())
                elif piece:
                    parts.append(piece)
    return tuple(parts)


def overlap(terms: set[str], text: str) -> int:
    return len(terms & bigrams(text))


def best_overlap(terms: set[str], value: str, extra: set[str] = frozenset()) -> float:
    """Share of the question's content terms found in the value's best segment (0..1); its lexicon
    terms (``extra``) count EXTRA_SHARE, up to the share the question's own terms leave."""
    if not terms:
        return 0.0
    extra = set(extra) - set(terms)
    best = max((overlap(terms, part) + EXTRA_SHARE * overlap(extra, part) for part in segments(value)), default=0)
    return min(best / len(terms), 1.0)


def rare_overlap(terms: set[str], value: str, rarity: dict[str, float]) -> float:
    """Share of the question's words found in the value's best segment, each word weighted by how
    rare it is in the document (0..1): 扶養, 同封, 耐震 decide more than 情報 or 市.

    >>> round(rare_overlap({'扶養', '情報'}, '①扶養調査\\n②情報の管理', {'扶養': 1.0, '情報': 0.1}), 2)
    0.91
    """
    weights = {t: rarity.get(t, 1.0) for t in terms}  # a word the document never uses is as rare as can be
    total = sum(weights.values())
    if total <= 0:
        return 0.0
    best = 0.0
    for part in segments(value):
        found = bigrams(part)
        best = max(best, sum(w for t, w in weights.items() if t in found))
    return best / total


def select_passages(value: str, terms: set[str], limit: int, extra: set[str] = frozenset(),
                    bonus: Callable[[list[str]], list[float]] | None = None) -> str:
    """The segments that best match ``terms`` (the question's words; ``extra``, its lexicon words,
    count EXTRA_SHARE), in document order, within ``limit`` characters.

    A value within the limit is returned whole. Skipped text between kept segments is marked "…".
    """
    value = value.strip()
    if len(value) <= limit:
        return value
    parts = segments(value)
    extra = set(extra) - set(terms)
    added = dict(zip(parts, bonus(parts))) if bonus is not None and len(parts) > 1 else {}

    def score_of(part: str) -> float:
        return overlap(terms, part) + EXTRA_SHARE * overlap(extra, part) + added.get(part, 0.0)

    scored = sorted(range(len(parts)), key=lambda i: (-score_of(parts[i]), i))
    if not scored or score_of(parts[scored[0]]) == 0:
        return _head(parts, limit)
    kept: set[int] = set()
    used = 0
    best = score_of(parts[scored[0]])
    covered: set[str] = set()

    def take(i: int) -> None:
        nonlocal used
        kept.add(i)
        used += len(parts[i])
        covered.update(bigrams(parts[i]))
        # a heading-like short segment (⑪滞納者の財産調査) is followed by its content
        if len(parts[i]) < 15 and i + 1 < len(parts) and i + 1 not in kept and used + len(parts[i + 1]) <= limit:
            kept.add(i + 1)
            used += len(parts[i + 1])
            covered.update(bigrams(parts[i + 1]))

    found_in = [bigrams(part) for part in parts]
    spread = {t: sum(t in found for found in found_in) for t in terms | extra}

    def gain(i: int) -> float:
        """The question words segment i adds, each weighted by how few segments have it (データ
        in every line adds little; 新耐震基準 in one line adds much)."""
        found = found_in[i]
        return (sum(1 / spread[t] for t in (terms & found) - covered)
                + EXTRA_SHARE * sum(1 / spread[t] for t in (extra & found) - covered))

    # first one segment per thing asked (地震や火事: the 耐震 line and the 火災 line), each bringing
    # question words no segment kept so far has; then the best of the rest, as long as they score
    rank = {i: position for position, i in enumerate(scored)}
    while fitting := [i for i in scored if i not in kept and (not kept or used + len(parts[i]) <= limit)]:
        pick = max(fitting, key=lambda i: (gain(i), -rank[i])) if kept else scored[0]
        if kept and gain(pick) < COVER_MIN or score_of(parts[pick]) < best / 2:
            break
        take(pick)
    for i in scored:
        score = score_of(parts[i])
        if kept and (score == 0 or score < best / 2):
            break
        if i in kept or kept and used + len(parts[i]) > limit:
            continue
        take(i)
    return _join(parts, sorted(kept))


def best_segment(value: str, terms: set[str], extra: set[str] = frozenset(),
                 bonus: Callable[[list[str]], list[float]] | None = None) -> str:
    """The single segment of ``value`` that best matches the question (what a citation quotes),
    scored as ``select_passages`` scores them."""
    extra = set(extra) - set(terms)
    parts = segments(value)
    if not parts:
        return ""
    added = dict(zip(parts, bonus(parts))) if bonus is not None and len(parts) > 1 else {}
    best = max(range(len(parts)), key=lambda i: (overlap(terms, parts[i]) + EXTRA_SHARE * overlap(extra, parts[i])
                                                 + added.get(parts[i], 0.0), -i))
    if best + 1 < len(parts) and (HEADING.match(parts[best]) or len(parts[best]) < 15 < len(parts[best + 1]) - 15):
        return parts[best + 1]  # a heading (<漏えい事案が発生した場合の対応>) is cited by what it heads
    return parts[best]


HEADING = re.compile(r"^[<＜【■◆].*[>＞】]$")  # a segment that only names what follows


def _head(parts: list[str], limit: int) -> str:
    kept, used = [], 0
    for i, part in enumerate(parts):
        if kept and used + len(part) > limit:
            break
        kept.append(i)
        used += len(part)
    return _join(parts, kept) + ("…" if len(kept) < len(parts) else "")


def _join(parts: list[str], indexes: list[int]) -> str:
    out: list[str] = []
    previous = -1
    for i in indexes:
        if out and i != previous + 1:
            out.append("…")
        out.append(parts[i])
        previous = i
    text = "\n".join(out)
    return text.replace("\n…\n", " … ")
