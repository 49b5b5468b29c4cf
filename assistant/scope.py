"""Which city and which 事務 a question is about, from the documents the store knows.

「山口の介護保険で…」 names 山口市 (with or without 市) and the 介護保険関係事務, so search is
restricted to that one assessment. The everyday names of 事務 (住民票 → 住民基本台帳) are data
(``assistant/schema/jimu_aliases.json``). A city or 事務 that the question names but the corpus
lacks is reported, so the answerer can say so instead of answering from another city:

    >>> from assistant.types import DocumentInfo
    >>> documents = [DocumentInfo("y", "y.txt", "山口市", "山口市長", "介護保険関係事務 重点項目評価書",
    ...                           "介護保険関係事務", "重点項目評価書", None)]
    >>> detector = ScopeDetector(documents)
    >>> detector.detect("山口の介護保険の委託先は").scope
    Scope(city='山口市', jimu='介護保険関係事務', doc_ids=('y',))
    >>> detector.detect("横浜市の介護保険の委託先は").unknown_city
    '横浜市'
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from assistant.errors import DataFileError
from assistant.ngrams import normalize
from assistant.types import DocumentInfo, Scope

JIMU_ALIASES_PATH = Path(__file__).parent / "schema" / "jimu_aliases.json"
PLACE_WORDS_PATH = Path(__file__).parent / "schema" / "place_words.json"
PLACE_SUFFIXES = "市町村区"
_NAME_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff々ヶケ]+|[\u30a1-\u30fa\u30fc]+[市町村区]")
# 固定資産税の賦課事務, 個人住民税(賦課)に関する事務, 固定資産税の課税を担当する部署の評価書
_NAMED_AS_JIMU = re.compile(r"(?:[(（][^)）]{0,6}[)）])?(?:の|に関する|に係る)?[^、。?？]{0,6}?(?:事務|評価書)"
                            r"|の[^、。?？]{0,6}?を(?:担当|所管|扱)[^、。?？]{0,8}?評価書")
MODIFIER_GAP = 3  # characters between a 事務 word and the word it qualifies (国民健康保険|料の|滞納)
_MAX_NAME_LENGTH = 6  # characters before 市/町/村/区 in a municipality name


# An organisation's name (山口県国民健康保険団体連合会, 全国健康保険協会) names no 事務 of the question.
# after a city's name: it is named as the yardstick for another place (と同じように, みたいに)
_YARDSTICK = r"(?:と同じ|と同様|のように|みたいに|並み)"
_ORGANIZATION = re.compile(r"[一-龥ァ-ヶー・]*(?:団体連合会|連合会|健康保険組合|共済組合|協会|事業団|機構|協議会)")


@dataclass(frozen=True)
class JimuAlias:
    keywords: tuple[str, ...]  # found in the 事務 name of matching documents
    aliases: tuple[str, ...]  # found in questions
    fallback: bool = False  # a broad name (税金): used only when no other 事務 word of the question fits
    # after a specific name the corpus lacks (固定資産税), the broad name only reaches documents
    # whose 事務 covers the whole field (地方税, 市税), not another specific one (個人住民税)
    covering: tuple[str, ...] = ()
    # the wider 事務 this one is part of (市県民税, 固定資産税 -> 地方税): a document whose text names
    # one of these covers a question that names this 事務 beside it (「市県民税と国保税の滞納」)
    broader: tuple[str, ...] = ()
    # names an organisation, not a 事務 (国保連): masked before 事務 words are looked for (国保 in 国保連)
    organization: bool = False


@dataclass(frozen=True)
class ScopeWords:
    jimu: tuple[JimuAlias, ...]
    prefectures: tuple[str, ...]
    not_places: frozenset[str]
    not_place_words: tuple[str, ...]
    not_places_alone: frozenset[str] = frozenset()  # not a place only on their own: 本市, not 熊本市
    across_words: tuple[str, ...] = ()  # 「どの市の資料ですか」: the question compares the cities
    kana_places: tuple[str, ...] = ()  # municipality names written with kana (さいたま市)
    prefectural_bodies: tuple[str, ...] = ()  # after a prefecture, an organisation (山口県の国保連合会), no scope


@dataclass(frozen=True)
class ScopeDetection:
    scope: Scope
    city_words: tuple[str, ...] = ()  # how the question named the city(ies): 山口, 和光市...
    jimu_words: tuple[str, ...] = ()
    unknown_city: str | None = None  # a municipality named in the question but not in the corpus
    unknown_jimu: str | None = None  # a 事務 named but without a document (in the named city)
    across_cities: bool = False  # names no city but asks which of them (「どの市の資料ですか」)
    # 事務 named before the one scoped that no candidate is of, each as (word, keywords, broader): 「国民健康保険料の
    # 滞納」 scopes a city's 収滞納 assessment; the answerer checks that its text speaks of 国民健康保険 at all
    # (word, its 事務 keywords, the wider 事務 it is part of) of a 事務 named beside the one scoped
    passed_jimu: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = ()


def _load_json(path: Path) -> dict:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise DataFileError(f"cannot read {path}: {error}") from error
    if not isinstance(data, dict) or data.get("version") != 1:
        raise DataFileError(f"{path}: expected an object with \"version\": 1")
    return data


def _word_list(data: dict, key: str, source: Path) -> tuple[str, ...]:
    values = data.get(key)
    if not isinstance(values, list) or not values or not all(isinstance(v, str) and v.strip() for v in values):
        raise DataFileError(f"{source}: {key!r} must be a non-empty list of words")
    return tuple(normalize(value.strip()) for value in values)


def load_scope_words(jimu_path: Path = JIMU_ALIASES_PATH, place_path: Path = PLACE_WORDS_PATH) -> ScopeWords:
    jimu_data, place_data = _load_json(jimu_path), _load_json(place_path)
    if not isinstance(jimu_data.get("jimu"), list):
        raise DataFileError(f"{jimu_path}: expected a list \"jimu\"")
    jimu = []
    for entry in jimu_data["jimu"]:
        if not isinstance(entry, dict):
            raise DataFileError(f"{jimu_path}: each 事務 entry must be an object: {entry!r}")
        fallback = entry.get("fallback", False)
        if not isinstance(fallback, bool):
            raise DataFileError(f"{jimu_path}: \"fallback\" must be true or false, not {fallback!r}")
        covering = _word_list(entry, "covering", jimu_path) if "covering" in entry else ()
        broader = _word_list(entry, "broader", jimu_path) if "broader" in entry else ()
        organization = entry.get("organization", False)
        if not isinstance(organization, bool):
            raise DataFileError(f"{jimu_path}: \"organization\" must be true or false, not {organization!r}")
        jimu.append(JimuAlias(_word_list(entry, "keywords", jimu_path), _word_list(entry, "aliases", jimu_path),
                              fallback, covering, broader, organization))
    across = _word_list(place_data, "across_words", place_path) if "across_words" in place_data else ()
    kana = _word_list(place_data, "kana_places", place_path) if "kana_places" in place_data else ()
    bodies = _word_list(place_data, "prefectural_bodies", place_path) if "prefectural_bodies" in place_data else ()
    return ScopeWords(tuple(jimu), _word_list(place_data, "prefectures", place_path),
                      frozenset(_word_list(place_data, "not_places", place_path)),
                      _word_list(place_data, "not_place_words", place_path),
                      frozenset(_word_list(place_data, "not_places_alone", place_path))
                      if "not_places_alone" in place_data else frozenset(),
                      across, tuple(normalize(name) for name in kana), tuple(normalize(word) for word in bodies))


# 「和光市の国民健康保険の資格・給付に関する事務の評価書」: a 事務 the question names as such
_JIMU_NAMED = re.compile(r"([^\s、。,!?！？「」『』()（）]{2,40}?)(?:に関する事務|に係る事務|関係事務|の事務|事務)の"
                         r"(?:全項目|重点項目|基礎項目)?(?:評価書|特定個人情報保護評価書)")
_JIMU_NAME_PARTS = re.compile(r"に関する|に係る|関係|及び|並びに|[の・、とや]")
_KANJI = re.compile(r"[\u3400-\u9fff]")
JIMU_WORD_MENTIONS = 2  # a word of a named 事務 the documents' text uses this often is a part of their 事務


def unlisted_jimu(question: str, city_words: Sequence[str], names: str, text: str,
                  words: ScopeWords | None = None) -> str | None:
    """A 事務 the question names as such that the city's assessments are not about, or None.

    Each word of the name (国民健康保険, 資格, 給付) must be in the 事務 names, titles or file names
    of the assessments (``names``), name one of their 事務 through an alias (国保料 -> 国民健康保険), or
    be used in their ``text`` at least JIMU_WORD_MENTIONS times (賦課 in a 個人住民税 assessment):

    >>> unlisted_jimu("和光市の国民健康保険の資格・給付に関する事務の評価書では?", ["和光市"],
    ...               "地方税、国民健康保険料(税)の滞納対策に関する事務", "")
    '国民健康保険の資格・給付'
    >>> unlisted_jimu("和光市の地方税・国保料の滞納対策事務の評価書では?", ["和光市"],
    ...               "地方税、国民健康保険料(税)の滞納対策に関する事務", "") is None
    True
    """
    words = words or _default_scope_words()
    text_n, names_n = normalize(text), normalize(names)
    for match in _JIMU_NAMED.finditer(normalize(question)):
        name = match.group(1)
        for city in sorted(city_words, key=len, reverse=True):
            name = name.replace(normalize(city), "")
        name = name.strip("のと")
        for word in _JIMU_NAME_PARTS.split(name):
            if len(word) < 2 or not _KANJI.search(word) or word in names_n or text_n.count(word) >= JIMU_WORD_MENTIONS:
                continue
            if any(alias in word and any(k in names_n for k in entry.keywords)
                   for entry in words.jimu if not entry.organization for alias in entry.aliases):
                continue
            return name
    return None


@lru_cache(maxsize=1)
def _default_scope_words() -> ScopeWords:
    return load_scope_words()


def city_names(city: str, organization: str) -> tuple[str, ...]:
    """Ways a question may name a city, longest first: ('和光市長', '和光市', '和光')."""
    names = {normalize(city), normalize(organization)}
    base = normalize(city)
    if len(base) >= 3 and base[-1] in PLACE_SUFFIXES:
        names.add(base[:-1])  # 山口市 -> 山口 (not for two-character names like 津市)
    return tuple(sorted((name for name in names if name), key=len, reverse=True))


class ScopeDetector:
    """Detects scope against a fixed list of documents (build one per store state)."""

    def __init__(self, documents: Sequence[DocumentInfo], words: ScopeWords | None = None) -> None:
        self.documents = list(documents)
        self.words = words or load_scope_words()
        self._cities_named: dict[str, list[str]] = {}  # a stem such as 府中 may name two cities
        for doc in self.documents:
            for name in city_names(doc.city, doc.organization) if doc.city else ():
                cities = self._cities_named.setdefault(name, [])
                if doc.city not in cities:
                    cities.append(doc.city)
        # One alternation, longest names first, so 和光市長 wins over 和光市 over 和光.
        names = sorted(self._cities_named, key=len, reverse=True)
        self._city_pattern = re.compile("|".join(map(re.escape, names))) if names else None

    def detect(self, question: str) -> ScopeDetection:
        text = _ORGANIZATION.sub(lambda m: "\u3000" * len(m.group()), normalize(question))
        cities, city_words, masked = self._known_cities(text)
        unknown_city = self._unknown_city(masked)
        if unknown_city and cities:
            # 「倉敷市でも…岡山市と同じように保管される?」 asks about 倉敷市; 岡山市 is only the yardstick
            asked = [city for city, word in zip(cities, city_words)
                     if not re.search(re.escape(word) + _YARDSTICK, text)]
            if not asked:
                cities, city_words = [], []
        candidates = [doc for doc in self.documents if doc.city in cities] if cities else self.documents
        jimu, jimu_docs, jimu_words, unknown_jimu, passed = self._jimu(text, candidates)
        docs = list(jimu_docs)
        if cities:  # each named city contributes its documents of the named 事務, or all if it has none
            with_jimu = {doc.city for doc in jimu_docs}
            docs += [doc for doc in candidates if doc.city not in with_jimu]
        scope = Scope(city=cities[0] if len(cities) == 1 else None, jimu=jimu,
                      doc_ids=tuple(doc.doc_id for doc in docs))
        across = not cities and any(word in text for word in self.words.across_words)
        return ScopeDetection(scope, tuple(city_words), tuple(jimu_words), unknown_city, unknown_jimu, across,
                              tuple(passed))

    def _known_cities(self, text: str) -> tuple[list[str], list[str], str]:
        """Cities named in the text (first named first), the words used, and the text with them blanked."""
        found: dict[str, int] = {}
        words: list[str] = []
        masked = text
        for match in self._city_pattern.finditer(text) if self._city_pattern else ():
            name, (start, end) = match.group(), match.span()
            if name[-1] not in PLACE_SUFFIXES and text[end : end + 1] in ("県", "府", "都", "道"):
                continue  # 山口県 is not 山口市
            for city in self._cities_named[name]:
                found.setdefault(city, start)
            if name not in words:
                words.append(name)
            masked = masked[:start] + "\u3000" * (end - start) + masked[end:]
        return sorted(found, key=found.get), words, masked

    def _unknown_city(self, masked: str) -> str | None:
        """The first municipality-like name (…市, …町, …村, …区, a kana name such as さいたま市) left
        after known names are blanked; else a prefecture named on its own (岡山県の開示請求), since
        a prefecture's own 評価書 is not a city's."""
        for name in self.words.kana_places:
            if name in masked:
                return name
        for run in _NAME_RUN.finditer(masked):
            if run.start() > 0 and masked[run.start() - 1] == "\u3000" and run.group()[-1] == "区":
                continue  # a ward right after a known city: 岡山市北区
            name = self._place_in(run.group())
            if name:
                return name
        for prefecture in self.words.prefectures:
            start = masked.find(prefecture)
            if start < 0:
                continue
            after = masked[start + len(prefecture):].removeprefix("の")
            # not the prefix of a known city (岩手県花巻市) nor of an organisation of the prefecture
            # (山口県の国保連合会; blanked like a city when its full name is known)
            if not after.startswith((*self.words.prefectural_bodies, "\u3000")):
                return prefecture
        return None

    def _place_in(self, run: str) -> str | None:
        for prefecture in self.words.prefectures:
            if run.startswith(prefecture) and len(run) > len(prefecture) + 1:
                run = run[len(prefecture):]
                break
        ends = [i for i, char in enumerate(run) if char in PLACE_SUFFIXES and i > 0
                and not any(run.startswith(word, i) for word in self.words.not_place_words)]
        for end in reversed(ends):  # the longest: 四日市市, not 四日市
            name = run[max(0, end - _MAX_NAME_LENGTH) : end + 1]
            if name in self.words.not_places_alone:  # 本市 on its own; 熊本市 is a city
                continue
            if not any(name.endswith(word) for word in self.words.not_places if len(word) > 1):
                return name
        return None

    def _jimu(self, text: str, candidates: list[DocumentInfo]):
        """(jimu name, documents, words used, unknown 事務, 事務 passed over) for the earliest 事務 the
        text names. A broad name (税金) stands for a specific one the corpus lacks (固定資産税) only
        when the question does not name that one as a 事務 of its own (「固定資産税の賦課事務の評価書」)."""
        for alias in self.words.jimu:  # 国保連 is an organisation; its 国保 names no 事務
            if alias.organization:
                for word in alias.aliases:
                    text = text.replace(word, "\u3000" * len(word))
        found = []
        for doc in candidates:  # a 事務 named by its own name
            name = normalize(doc.jimu)
            if name and name in text:
                found.append((False, text.index(name), (name,), name, (), ()))
        for alias in self.words.jimu:
            if alias.organization:
                continue
            positions = [(text.find(word), word) for word in alias.aliases if word in text]
            if positions:
                position, word = min(positions, key=lambda item: (item[0], -len(item[1])))
                found.append((alias.fallback, position, alias.keywords, word, alias.covering, alias.broader))
        unknown, named_as_jimu = None, False
        passed: list[tuple[str, tuple[str, ...], tuple[str, ...], int]] = []
        for fallback, position, keywords, word, covering, broader in sorted(found, key=lambda item: item[:2]):
            if fallback and unknown and named_as_jimu:
                continue
            if fallback and unknown and covering:
                keywords = covering
            docs = [doc for doc in candidates
                    if any(k in normalize(doc.jimu) or k in normalize(doc.title) for k in keywords)]
            if docs:
                names = sorted({doc.jimu for doc in docs})
                # only a 事務 that qualifies the word scoped (国民健康保険料の滞納), not one said elsewhere
                near = tuple((w, k, b) for w, k, b, end in passed if not fallback and 0 <= position - end <= MODIFIER_GAP)
                return (names[0] if len(names) == 1 else keywords[0]), docs, [word], None, near
            if not fallback:  # broad names come last; a 事務 named as such (個人住民税に関する事務の評価書)
                named = bool(_NAMED_AS_JIMU.match(text, position + len(word)))  # is no part of a wider one
                passed.append((word, keywords, () if named else broader, position + len(word)))
            if unknown is None:
                unknown = word
                named_as_jimu = bool(_NAMED_AS_JIMU.match(text, position + len(word)))
        return None, [], [], unknown, ()
