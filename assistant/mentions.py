"""Names a question mentions that the documents asked about never do.

A question about 「アマゾンやグーグルのクラウド」 or 「マイナポータルで確かめられるか」 names a
service or company; when the 評価書 never mentions it, the honest answer is that the documents do
not say, not the nearest passage about clouds. Names are katakana words of three or more
characters and Latin-letter words (AWS, Google); a name counts as mentioned when the documents
contain it (long vowel marks ignored: コンピューター = コンピュータ) or a part of it that is itself
a word of four or more characters (コンピューターウイルス -> ウイルス), or when it holds a word the
everyday-word lexicon bridges to the form's words or an everyday word that is no name (パソコン,
ディスク: ``common_words`` in schema/answering.json).

>>> unmentioned_names('AWSやアマゾンのクラウドですか', 'クラウドサービス事業者', ())
['AWS', 'アマゾン']
>>> unmentioned_names('コンピューターウイルスの対策は', 'ウイルス対策ソフト', ())
[]
>>> unmentioned_names('クレジットカードで払えますか', 'カードで認証', ('カード',))
['クレジットカード']
>>> unmentioned_names('引っ越しのバタバタで督促状が届かなかった', '督促状', ())
[]
>>> unmentioned_names('画面が見えそうでヒヤッとしました', '画面', ())
[]
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

_NAME = re.compile(r"[ァ-ヴー・]{3,}|[A-Za-z][A-Za-z0-9]+")
_PART = 4  # a part of a compound katakana word that the documents use makes it mentioned
_COMPOUND = re.compile(r"[一-龥々ヶ]{5,}")


@lru_cache(maxsize=8192)
def _plain(text: str) -> str:
    return re.sub(r"[\sー・]", "", unicodedata.normalize("NFKC", text)).lower()


@lru_cache(maxsize=16)
def _plain_documents(text: str) -> str:
    """``_plain`` of the documents' text, kept: the same documents are asked about again and again."""
    return _plain(text)


def unmentioned_names(question: str, document_text: str, bridged: Iterable[str],
                      framing: Iterable[str] = ()) -> list[str]:
    """Katakana and Latin-letter names in ``question`` that ``document_text`` never mentions and
    that no ``bridged`` word (the everyday words the lexicon matched, common words) covers. A name
    followed by one of ``framing`` (で見た, で聞いた …) only says where the asker heard of something.

    >>> unmentioned_names('LINEで聞いたのですが、委託先は?', '委託先', (), ('で聞',))
    []
    >>> unmentioned_names('III 7 ②の重大事故の記載は', '重大事故', ()), unmentioned_names('Ⅲ7の再発防止策は', '再発防止策', ())
    ([], [])
    """
    text = _plain_documents(document_text)
    bridges = [_plain(word) for word in bridged if word]
    framing = tuple(framing)
    asked = unicodedata.normalize("NFKC", question)
    missing = []
    for match in _NAME.finditer(asked):
        name = match.group(0)
        if framing and asked.startswith(framing, match.end()):
            continue
        plain = _plain(name)
        half = len(plain) // 2
        if half >= 2 and plain[:half] == plain[half:] or len(plain) <= 4 and plain.endswith("ッ"):
            continue  # a doubled word (バタバタ, ドキドキ) or a short cry (ヒヤッ, ドキッ) says how something felt
        if re.fullmatch(r"[ivx]+\d*", plain):
            continue  # a roman numeral numbers a part of the form (III 7 ②, Ⅲ7 -> III7), it names nothing
        if len(plain) < 2 or plain in text or any(b and (plain in b or (b in plain and 2 * len(b) > len(plain)))
                                                  for b in bridges):
            continue  # a bridge word must cover most of the name: カード does not make クレジットカード known
        parts = (plain[i:j] for i in range(len(plain)) for j in range(i + _PART, len(plain) + 1))
        if re.match(r"[ァ-ヴ]", plain) and any(part in text for part in parts):
            continue
        missing.append(name.strip("・"))
    return list(dict.fromkeys(missing))


def names_a_stated_thing(question: str, document_text: str, corpus_texts: Iterable[str]) -> bool:
    """Whether the question names, in a kanji compound of five or more characters, something the
    documents asked about state and not every document of the corpus does (公金受取口座): then an
    unmentioned name beside it (「マイナポータルで登録した公金受取口座」) only says where it came from.

    >>> names_a_stated_thing('マイナポータルで登録した公金受取口座は?', '公金受取口座関係情報', ['特定個人情報'])
    True
    >>> names_a_stated_thing('AWSの特定個人情報は?', '特定個人情報', ['特定個人情報', '特定個人情報ファイル'])
    False
    """
    text, corpus = _plain_documents(document_text), [_plain_documents(t) for t in corpus_texts]
    return any(compound in text and not all(compound in other for other in corpus)
               for compound in map(_plain, _COMPOUND.findall(unicodedata.normalize("NFKC", question))))
