"""The official 様式's sections and fields (``assistant/schema/form_fields.json``), and what they are for.

Search uses the schema twice: to tell which part of the form a chunk belongs to (its *families*,
from the section path), and which part a question is about (from cue words), so that chunks of
the asked-about field rank first:

    >>> schema = load_form_schema()
    >>> schema.families_of("II 特定個人情報ファイルの概要 > 4. 特定個人情報ファイルの取扱いの委託")
    ('委託',)
    >>> [field.label for field in schema.detect("和光市の滞納整理システムの保守の委託先は").fields]
    ['委託先名']
    >>> canonical_label("④再委託の有無 ※")
    '再委託の有無'

Words that frame a question rather than ask it (「住民から『…』と問い合わせがありました」) are
*framing* phrases: they are blanked before cues are looked for, so a helpdesk operator's 問い合わせ
does not make every question one about the 連絡先:

    >>> schema.without_framing("住民から「委託先はどこ」と問い合わせがありました")
    '住民から「委託先はどこ」\u3000\u3000\u3000\u3000\u3000\u3000がありました'
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field as dataclass_field
from functools import lru_cache
from pathlib import Path

from assistant.errors import DataFileError
from assistant.ngrams import normalize
from assistant.types import PATH_SEPARATOR

SCHEMA_PATH = Path(__file__).parent / "schema" / "form_fields.json"
SCHEMA_VERSION = 1

# Leading numbering ("③", "(1)", "1.", "II") and trailing ones ("委託事項1", "システム2～5").
_LEADING_NUMBER = re.compile(r"^(?:[\s.、)]*(?:\(\d+\)|\d+|[ivx]+(?=\s)))+[\s.、)]*")
NUMBER_AFTER = frozenset("0123456789０１２３４５６７８９")  # a label followed by a number names a block: half weight
DETECT_CACHE = 4096  # questions whose Focus is kept
RELATED_SHARE = 0.5  # a field scoring at least this share of the best one is "related"
_TRAILING_NUMBER = re.compile(r"\s*\d+(?:[~～-]\d+)?$")
_NOTES = re.compile(r"※.*$|【[^】]*】")
# Parts of a section path that say what a section is *not* about, or name a risk rather than a
# section: 「(情報提供ネットワークシステムを通じた入手を除く。)」, 「リスク2: …」.
_EXCLUSION = re.compile(r"\([^()]*(?:除く|伴うもの)[^()]*\)")
_RISK_TITLE = re.compile(r"^(?:リスク\d*|その他のリスク)\s*:|リスク$")


@lru_cache(maxsize=8192)
def canonical_label(label: str) -> str:
    """A field label without numbering, notes or spaces: '③委託先名' -> '委託先名'."""
    text = _NOTES.sub("", normalize(label)).strip()
    text = _LEADING_NUMBER.sub("", text)
    return _TRAILING_NUMBER.sub("", text).replace(" ", "")


HISTORY_ITEM = re.compile(r"^項目[:：]\s*(.+)$", re.MULTILINE)  # a change-history row's item (ingest.chunking)


def changed_label(item: str) -> str:
    """The field label a change-history item names, from its last words: 'II … 3. ②入手方法' ->
    '入手方法', '…_委託事項3_①委託内容' -> '委託内容'.

    >>> changed_label("II ファイルの概要 3. 特定個人情報の入手・使用 ②入手方法")
    '入手方法'
    """
    words = re.split(r"[\s_＿]+", item.strip())
    return canonical_label(words[-1]) if words[-1] else ""


@dataclass(frozen=True)
class Family:
    name: str
    description: str
    section_markers: tuple[str, ...]
    cues: tuple[str, ...]


@dataclass(frozen=True)
class FormField:
    label: str
    variants: tuple[str, ...]  # canonical labels that mean this field
    family: str
    description: str
    questions: tuple[str, ...]
    cues: tuple[str, ...]
    forms: tuple[str, ...] = ()  # the kinds of 評価書 whose 様式 has this field (全項目); () = every kind
    # words that, written in the cells of the field's part of a form without this field, answer it
    # anyway (和光市's 重点項目評価書: 「…請求先、請求方法、諸費用等について掲載する」)
    mentions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Focus:
    """What a question is about: families and fields, best first."""

    families: tuple[str, ...] = ()
    fields: tuple[FormField, ...] = ()
    # fields whose cues score nearly as well as the best, with their share of the best score
    # (search boosts them a little, so one cue too many does not hide the field asked about)
    related: tuple[tuple[FormField, float], ...] = ()


@dataclass(frozen=True)
class FormSchema:
    families: tuple[Family, ...]
    fields: tuple[FormField, ...]
    framing: tuple[str, ...] = ()  # normalised phrases that frame a question (と問い合わせ), not cues
    described: tuple[str, ...] = ()  # phrases that tell what happened (他人の電話番号が印字), not cues
    # what detect() found for recent questions (a question is detected several times per answer)
    _detected: dict[tuple[str, tuple[str, ...]], Focus] = dataclass_field(
        default_factory=dict, init=False, compare=False, repr=False)

    def without_framing(self, question: str, described: bool = True) -> str:
        """The normalised question with framing phrases blanked (same length, so positions hold),
        and with the phrases that describe an event unless ``described`` is false (the lexicon still
        reads 「他人の電話番号」 as 重大事故; the field cues must not read it as 連絡先)."""
        text = normalize(question)
        for phrase in (*self.framing, *(self.described if described else ())):
            text = text.replace(phrase, "\u3000" * len(phrase))
        return text

    @property
    def family_names(self) -> tuple[str, ...]:
        return tuple(family.name for family in self.families)

    def families_of(self, section_path: str) -> tuple[str, ...]:
        """Families whose section markers occur in any part of a section path.

        Exclusions in parentheses and risk titles do not count: 「2. 特定個人情報の入手(情報提供
        ネットワークシステムを通じた入手を除く。)」 is about 入手, not 情報連携.
        """
        parts = [_EXCLUSION.sub("", normalize(part)) for part in section_path.split(PATH_SEPARATOR)]
        parts = [part for part in parts if not _RISK_TITLE.search(part)]
        return tuple(
            family.name for family in self.families
            if any(marker in part for marker in family.section_markers for part in parts)
        )

    def fields_for_label(self, label: str) -> tuple[FormField, ...]:
        """Fields (of any family) that a label found in a document may be."""
        canonical = canonical_label(label)
        return tuple(field for field in self.fields if canonical and canonical in field.variants)

    def detect(self, question: str, extra_families: Iterable[str] = ()) -> Focus:
        """Families and fields the question's cue words point at; ``extra_families`` add weight.

        A field scores the length of its cues and labels found in the question. A match inside a
        longer match of another field does not count: 「再委託事項」 is not 「委託事項」.
        """
        key = (question, tuple(extra_families))
        if key not in self._detected:
            if len(self._detected) >= DETECT_CACHE:
                self._detected.clear()
            self._detected[key] = self._detect(question, key[1])
        return self._detected[key]

    def _detect(self, question: str, extra_families: tuple[str, ...]) -> Focus:
        text = self.without_framing(question)
        family_scores = {family.name: sum(len(cue) for cue in family.cues if cue in text) for family in self.families}
        for name in extra_families:
            if name in family_scores:
                family_scores[name] += 2
        matches = []  # (start, end, field number)
        for number, field in enumerate(self.fields):
            words = set(field.cues) | {variant for variant in field.variants if len(variant) > 2}
            for word in words:
                start = text.find(word)
                while start >= 0:
                    matches.append((start, start + len(word), number))
                    start = text.find(word, start + 1)
        scores: dict[int, float] = {}
        for start, end, number in matches:
            inside = any(other != number and s <= start and end <= e and (e - s) > (end - start)
                         for s, e, other in matches)
            # 「(…システム、委託事項1)」 names a block, not the field whose label it is
            numbered = end < len(text) and text[end] in NUMBER_AFTER
            if not inside:
                scores[number] = scores.get(number, 0) + (end - start) / (2 if numbered else 1)
        fields: tuple[FormField, ...] = ()
        related: tuple[tuple[FormField, float], ...] = ()
        if scores:
            best = max(scores.values())
            ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
            fields = tuple(self.fields[number] for number, score in ranked if score == best)[:3]
            related = tuple((self.fields[number], score / best) for number, score in ranked
                            if score < best and score >= RELATED_SHARE * best)[:3]
            for field in fields:  # a field's family is asked about too
                family_scores[field.family] += best
        ranked_families = sorted(family_scores.items(), key=lambda item: -item[1])
        return Focus(tuple(name for name, score in ranked_families if score > 0), fields, related)


def _strings(entry: dict, key: str, source: str, required: bool = True) -> tuple[str, ...]:
    values = entry.get(key, [])
    if not isinstance(values, list) or not all(isinstance(value, str) and value.strip() for value in values):
        raise DataFileError(f"{source}: {key!r} of {entry.get('name') or entry.get('label')!r} must be a list of words")
    if required and not values:
        raise DataFileError(f"{source}: {entry.get('name') or entry.get('label')!r} needs at least one {key!r}")
    return tuple(values)


def _text(entry: dict, key: str, source: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise DataFileError(f"{source}: an entry lacks the text field {key!r}: {entry}")
    return value.strip()


def parse_form_schema(data: object, source: str = "form schema") -> FormSchema:
    """Validate the JSON structure; DataFileError says which entry is wrong."""
    if not isinstance(data, dict) or data.get("version") != SCHEMA_VERSION:
        raise DataFileError(f"{source}: expected an object with \"version\": {SCHEMA_VERSION}")
    if not isinstance(data.get("families"), list) or not isinstance(data.get("fields"), list):
        raise DataFileError(f"{source}: expected lists \"families\" and \"fields\"")
    families = []
    for entry in data["families"]:
        if not isinstance(entry, dict):
            raise DataFileError(f"{source}: a family must be an object: {entry!r}")
        families.append(Family(_text(entry, "name", source), _text(entry, "description", source),
                               tuple(normalize(m) for m in _strings(entry, "section_markers", source)),
                               tuple(normalize(c) for c in _strings(entry, "cues", source, required=False))))
    names = [family.name for family in families]
    if len(set(names)) != len(names):
        raise DataFileError(f"{source}: family names repeat: {names}")
    fields = []
    for entry in data["fields"]:
        if not isinstance(entry, dict):
            raise DataFileError(f"{source}: a field must be an object: {entry!r}")
        label, family = _text(entry, "label", source), _text(entry, "family", source)
        if family not in names:
            raise DataFileError(f"{source}: field {label!r} names unknown family {family!r}")
        variants = tuple(dict.fromkeys(canonical_label(v) for v in (label, *_strings(entry, "variants", source))))
        fields.append(FormField(label, variants, family, _text(entry, "description", source),
                                _strings(entry, "questions", source, required=False),
                                tuple(normalize(c) for c in _strings(entry, "cues", source, required=False)),
                                _strings(entry, "forms", source, required=False),
                                tuple(normalize(m) for m in _strings(entry, "mentions", source, required=False))))
    phrases = {}
    for key in ("framing", "described"):
        words = data.get(key, [])
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
            raise DataFileError(f"{source}: \"{key}\" must be a list of phrases")
        phrases[key] = tuple(normalize(phrase.strip()) for phrase in words)
        if len(set(phrases[key])) != len(phrases[key]):
            raise DataFileError(f"{source}: {key} phrases repeat: "
                                f"{sorted(p for p in phrases[key] if phrases[key].count(p) > 1)}")
    return FormSchema(tuple(families), tuple(fields), phrases["framing"], phrases["described"])


def load_form_schema(path: Path | str = SCHEMA_PATH) -> FormSchema:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise DataFileError(f"cannot read form schema {path}: {error}") from error
    return parse_form_schema(data, str(path))
