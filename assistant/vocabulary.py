"""The everyday-word lexicon: how residents say things, mapped to the words the 評価書 uses.

A resident asks whether their data goes to 「外部の会社」; the form says 委託. The lexicon
(``assistant/lexicon/lexicon.tsv``, a file staff can read and extend) bridges that vocabulary on
purpose, because no method measured so far (BM25, offline embedders) does it by itself:

    >>> lexicon = load_lexicon()
    >>> lexicon.expand("私の情報は外部の会社に渡されますか").terms
    ('委託', '委託先', '提供', '移転', '提供先')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from assistant.errors import DataFileError
from assistant.ngrams import normalize

LEXICON_PATH = Path(__file__).parent / "lexicon" / "lexicon.tsv"
HEADER = ("everyday", "form", "family", "note")
SEPARATOR = "、"
EXPANSION_CACHE = 4096  # questions whose expansion is kept
# A particle between two content characters of an everyday phrase may be any of these, or none:
# 「外の人がチェック」 also matches 「外の人にもチェック」, 「会社に持ち帰」 also 「会社へ持ち帰」.
_PARTICLE = re.compile(r"(?<=[^\u3040-\u309f])[がにをはもへで](?=[^\u3040-\u309f])")
_ANY_PARTICLE = "(?:には|にも|では|でも|へも|とも|が|に|を|は|も|へ|で)?"


@lru_cache(maxsize=None)
def _phrase_pattern(word: str) -> re.Pattern | None:
    """The phrase with its particles loosened, or None when it has no particle to loosen.

    >>> bool(_phrase_pattern("外の人がチェック").search("外の人にもチェックしてもらった"))
    True
    """
    parts = _PARTICLE.split(word)
    if len(parts) < 2 or any(not part for part in parts):
        return None
    return re.compile(_ANY_PARTICLE.join(re.escape(part) for part in parts))


@dataclass(frozen=True)
class LexiconEntry:
    everyday: tuple[str, ...]  # normalised (NFKC, lowercase), as matched against a question
    terms: tuple[str, ...]  # the form's words, as written in the file
    family: str | None
    note: str
    line: int


@dataclass(frozen=True)
class Expansion:
    terms: tuple[str, ...]  # form words to search for besides the question, first match first
    entries: tuple[LexiconEntry, ...]
    matched: tuple[str, ...]  # the everyday words found in the question

    @property
    def families(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(entry.family for entry in self.entries if entry.family))


@dataclass(frozen=True)
class Lexicon:
    entries: tuple[LexiconEntry, ...]
    # question -> its expansion: one answer expands the same text several times
    _expanded: dict = field(default_factory=dict, compare=False, repr=False, hash=False)

    def expand(self, question: str) -> Expansion:
        found = self._expanded.get(question)
        if found is None:
            if len(self._expanded) >= EXPANSION_CACHE:
                self._expanded.clear()
            found = self._expanded[question] = self._expand(question)
        return found

    def _expand(self, question: str) -> Expansion:
        """Form words for the everyday words a question contains (substring match after NFKC; a
        particle inside a phrase may be another, 「外の人がチェック」 ~ 「外の人にもチェック」). A
        word found only inside a longer word of another entry, past its start, does not count:
        引き落とし is 口座振替, not the 落とし (紛失) inside it; 「USBに」 still counts as USB."""
        text = normalize(question)
        spans: list[tuple[int, int, int]] = []  # (start, end, entry number)
        for number, entry in enumerate(self.entries):
            for word in entry.everyday:
                pattern = _phrase_pattern(word)
                if pattern is not None:
                    spans.extend((m.start(), m.end(), number) for m in pattern.finditer(text))
                    continue
                start = text.find(word)
                while start >= 0:
                    spans.append((start, start + len(word), number))
                    start = text.find(word, start + 1)
        counted: dict[int, list[str]] = {}
        for start, end, number in spans:
            inside = any(other != number and s < start and end <= e for s, e, other in spans)
            if not inside:
                counted.setdefault(number, []).append(text[start:end])
        entries = [entry for number, entry in enumerate(self.entries) if number in counted]
        matched = [word for number in sorted(counted) for word in dict.fromkeys(counted[number])]
        terms = dict.fromkeys(term for entry in entries for term in entry.terms)
        return Expansion(tuple(terms), tuple(entries), tuple(matched))

    @property
    def terms(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(term for entry in self.entries for term in entry.terms))


def _split(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split(SEPARATOR) if part.strip())


def parse_lexicon(text: str, source: str = "lexicon") -> Lexicon:
    """Read the TSV format described at the top of lexicon.tsv; DataFileError on any bad line."""
    entries = []
    header_seen = False
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        cells = raw.rstrip("\n").split("\t")
        if not header_seen:
            if tuple(cell.strip() for cell in cells) != HEADER:
                raise DataFileError(f"{source}:{number}: expected the header line {chr(9).join(HEADER)!r}")
            header_seen = True
            continue
        if len(cells) < 2 or len(cells) > len(HEADER):
            raise DataFileError(f"{source}:{number}: expected 2 to 4 tab-separated columns, found {len(cells)}")
        cells += [""] * (len(HEADER) - len(cells))
        everyday, terms = _split(cells[0]), _split(cells[1])
        if not everyday or not terms:
            raise DataFileError(f"{source}:{number}: both the everyday and the form column need a word")
        entries.append(LexiconEntry(tuple(normalize(word) for word in everyday), terms,
                                    cells[2].strip() or None, cells[3].strip(), number))
    if not header_seen:
        raise DataFileError(f"{source}: no header line; expected {chr(9).join(HEADER)!r}")
    return Lexicon(tuple(entries))


def load_lexicon(path: Path | str = LEXICON_PATH) -> Lexicon:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise DataFileError(f"cannot read lexicon {path}: {error}") from error
    return parse_lexicon(text, str(path))
