"""Tell labels from values in a row, and split ``label value`` text written without a tab.

Text exports put a label in the first cell (``③委託先名``), but PDFs and some exports give one cell
per line (``①事務の名称 地方税…``) or a label and its value in one cell under a multi-row item
(``対象となる本人の数 [ 100万人以上1,000万人未満 ]``). ``split_label`` separates them using the
circled item numbers of the 様式 and the known labels of the form schema.

>>> from ingest.form_schema import load_form_schema
>>> schema = load_form_schema()
>>> split_label('⑦再委託の有無 ※ [ 再委託する ] <選択肢> 1) 再委託する', schema)
('⑦再委託の有無 ※', '[ 再委託する ] <選択肢> 1) 再委託する')
>>> split_label('その妥当性 障害分析やシステム改修の際にデータを検証する必要がある。', schema)
('その妥当性', '障害分析やシステム改修の際にデータを検証する必要がある。')
>>> split_label('・識別情報 [○] 個人番号', schema) is None
True
"""

from __future__ import annotations

import re

from ingest.form_schema import FormSchema
from ingest.markup import collapse_spaces
from ingest.normalize import CIRCLED_CLASS, plain_label

LABEL_LIMIT = 100
_CIRCLED_LABEL = re.compile(rf"^([{CIRCLED_CLASS}]\s*[^\s\[［<。]{{1,40}}?)(\s*※)?(?=\s|[\[［<]|$)")
_NOT_LABEL_START = re.compile(r"^[・･○◯●■□◆◇※【〈<＜\[［(（\-–—―\d０-９]")
_MARKERS = re.compile(r"[\[［\]］]|<input\b|選択肢", re.I)
_NOTE = re.compile(r"^\s*※")
_WRAPPED_LABEL = re.compile(r"^\s*<(p|div|b|strong|span)\b[^>]*>(.*?)</\1\s*>(.*)$", re.S | re.I)


def is_circled_label(text: str) -> bool:
    """A label starting with a circled item number, e.g. ``④再委託の有無 ※``."""
    return bool(_CIRCLED_LABEL.match(text))


def is_label_like(cell: str) -> bool:
    """Could this cell be a label? Short, no checkbox or option marks, not a bullet, not a sentence.

    >>> is_label_like('<p>①保管場所 ※</p>'), is_label_like('・納付者'), is_label_like('[十分である]')
    (True, False, False)
    """
    text = plain_label(cell)
    if not text or len(text) > LABEL_LIMIT or _MARKERS.search(cell) or _NOT_LABEL_START.match(text):
        return False
    return "。" not in re.sub(r"。\s*[)）]", "", text)


def _with_note(label: str, rest: str) -> tuple[str, str]:
    """Move a ``※`` note right after a label into the label: ('主な記録項目', '※ x') -> ('主な記録項目 ※', 'x')."""
    note = _NOTE.match(rest)
    if note:
        return f"{label} ※", rest[note.end() :].strip()
    return label, rest.strip()


def split_label(text: str, schema: FormSchema) -> tuple[str, str] | None:
    """(label, value) when ``text`` starts with a known label or a circled item label, else None.

    The value keeps its markup; the label is plain text as written. A label in its own HTML block
    (``<p>①保管場所 ※</p> <p>…</p>``) is recognised too.

    >>> from ingest.form_schema import load_form_schema
    >>> split_label('<p>①保管場所 ※</p> <p>サーバ室に保管する。</p>', load_form_schema())
    ('①保管場所 ※', '<p>サーバ室に保管する。</p>')
    """
    wrapped = _WRAPPED_LABEL.match(text)
    if wrapped:
        inner = plain_label(wrapped.group(2))
        if is_label_like(inner) and (schema.is_known_label(inner) or is_circled_label(inner)):
            return inner, wrapped.group(3).strip()
    plain = collapse_spaces(text)
    for label in sorted(schema.labels, key=len, reverse=True):
        if plain.startswith(label):
            rest = plain[len(label) :]
            if not rest or rest[0] in " ※[［<":
                return _with_note(label, rest)
    match = _CIRCLED_LABEL.match(plain)
    if match and not _MARKERS.search(match.group(1)):
        label = match.group(1) + (" ※" if match.group(2) else "")
        return label, plain[match.end() :].strip()
    return None


def split_before_marker(text: str) -> tuple[str, str] | None:
    """``従業員に対する教育・啓発 [十分に行っている] <選択肢>`` -> (label, value) for label-like prefixes.

    >>> split_before_marker('実施の有無 [] 自己点検 [] 内部監査')
    ('実施の有無', '[] 自己点検 [] 内部監査')
    """
    match = re.search(r"[\[［]|<input\b", text, re.I)
    if not match or match.start() == 0:
        return None
    label = collapse_spaces(plain_label(text[: match.start()]))
    if not label or len(label) > 40 or not is_label_like(label):
        return None
    return label, text[match.start() :].strip()

