"""Japanese wording helpers for extractive answers: plain labels, yes/no from selected values,
contact blocks laid out to read aloud, and verbatim quotes.

>>> plain_label('③委託先名 ※')
'委託先名'
>>> polarity('再委託しない'), polarity('[委託する]'), polarity('発生あり')
(False, True, True)
>>> contact_block('和光市役所総務部 住所 351-0192 和光市広沢1-5 電話番号 048-424-9092')
'和光市役所総務部\\n住所 351-0192 和光市広沢1-5\\n電話番号 048-424-9092'
"""

from __future__ import annotations

import re

_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_NEGATIVE_ENDINGS = ("しない", "なし", "ない", "いない", "していない", "未定", "無し", "無")
_CONTACT_KEYS = ("住所", "所在地", "電話番号", "電話", "TEL", "FAX", "ファクス", "メール", "E-mail")


def plain_label(label: str) -> str:
    label = re.sub(r"[※\s]+$", "", label.strip())
    label = label.lstrip(_CIRCLED).strip()
    label = re.sub(r"^\(?\d+\)?[.．、]?\s*", "", label)
    return label or "記載"


def polarity(value: str) -> bool | None:
    """True for an affirmative selected value, False for a negative one, None when unclear."""
    core = value.strip().strip("[]［］ ").strip()
    if not core:
        return None
    if core.endswith(_NEGATIVE_ENDINGS) or "しない" in core or "行っていない" in core:
        return False
    return True


_COUNT = re.compile(r"^[(（]\s*(\d+)\s*[)）]\s*件$")


def count_of(field) -> str:
    """The count the form prints after a selected option, as the form writes it (委託する (3) 件
    -> " (3) 件"), or ""."""
    for line in field.text.split("\n"):
        if _COUNT.match(line.strip()):
            return " " + line.strip()
    return ""


def contact_block(text: str) -> str:
    """Break a contact cell into lines before 住所 / 電話番号 … so it can be read out."""
    result = text.strip()
    for key in _CONTACT_KEYS:
        result = re.sub(rf"\s*(?<![\n電])({re.escape(key)}(?=[\s:：]|\d|〒))", r"\n\1", result)
    lines = [line.strip() for line in result.split("\n") if line.strip()]
    return "\n".join(lines)


def quote_from(text: str, value: str, limit: int = 200) -> str:
    """A verbatim span of ``text`` to cite: the line holding ``value`` (or the first line), cut to
    ``limit`` characters. A prefix of a line is still a verbatim span."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if not lines:
        return value.strip()[:limit]
    core = value.strip()
    for line in lines:
        if core and core in line:
            if len(line) <= limit:
                return line
            start = line.index(core)
            return line[start : start + max(limit, len(core))][:limit] if start else line[:limit]
    return lines[0][:limit]


def shorten(text: str, limit: int) -> str:
    """Cut at a sentence end (。) or line end before ``limit`` characters when possible."""
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = max(text.rfind("。", 0, limit), text.rfind("\n", 0, limit))
    return text[: cut + 1].strip() if cut > limit // 3 else text[:limit].rstrip() + "…"
