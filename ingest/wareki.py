"""和暦 (Japanese era) dates to ISO dates: ``令和3年6月8日`` -> ``2021-06-08``.

Only full dates (year, month and day) are converted; a month such as ``[令和7年5月 様式4]``, the
form-version line some exports put under 公表日, is not a date and gives ``None``. Western dates
written the Japanese way (``2021年6月8日``) are accepted too.

>>> to_iso_date("令和3年6月8日")
'2021-06-08'
>>> to_iso_date("令和元年５月１日")
'2019-05-01'
>>> to_iso_date("[令和7年5月 様式4]") is None
True
"""

from __future__ import annotations

import datetime
import re
import unicodedata

# First Gregorian year of each era: 令和1年 = 2019, so year = offset + era year.
ERA_OFFSETS = {
    "令和": 2018,
    "平成": 1988,
    "昭和": 1925,
    "大正": 1911,
    "明治": 1867,
}

_ERA_DATE = re.compile(
    r"(?P<era>令和|平成|昭和|大正|明治)\s*(?P<year>元|\d{1,2})\s*年\s*"
    r"(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日"
)
_WESTERN_DATE = re.compile(r"(?P<year>(?:19|20)\d\d)\s*年\s*(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日")
_ISO_DATE = re.compile(r"(?<!\d)(?P<year>(?:19|20)\d\d)[-/.](?P<month>\d{1,2})[-/.](?P<day>\d{1,2})(?!\d)")


def _valid(year: int, month: int, day: int) -> str | None:
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        return None


def era_year(era: str, year: str) -> int:
    """The Gregorian year of an era year; ``元`` is year 1.

    >>> era_year("平成", "元")
    1989
    >>> era_year("昭和", "64")
    1989
    """
    return ERA_OFFSETS[era] + (1 if year == "元" else int(year))


def to_iso_date(text: str | None) -> str | None:
    """The first full date in ``text`` as ``YYYY-MM-DD``, or None when there is none.

    Full-width digits are read (NFKC); impossible dates (``令和3年2月30日``) give None.

    >>> to_iso_date("平成28年1月1日")
    '2016-01-01'
    >>> to_iso_date("2021/6/8")
    '2021-06-08'
    >>> to_iso_date("令和3年2月30日") is None
    True
    >>> to_iso_date("平成27年10月") is None
    True
    """
    if not text:
        return None
    normalized = unicodedata.normalize("NFKC", text)
    match = _ERA_DATE.search(normalized)
    if match:
        year = era_year(match["era"], match["year"])
        return _valid(year, int(match["month"]), int(match["day"]))
    for pattern in (_WESTERN_DATE, _ISO_DATE):
        match = pattern.search(normalized)
        if match:
            return _valid(int(match["year"]), int(match["month"]), int(match["day"]))
    return None


_LEADING_DATE = re.compile(r"^\s*((?:令和|平成|昭和|大正|明治)\s*(?:元|\d{1,2})\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*(.*)$", re.S)


def split_leading_date(text: str) -> tuple[str, str] | None:
    """A line that starts with a 和暦 date -> (date as written, rest); else None.

    >>> split_leading_date('令和2年3月29日 評価の再実施')
    ('令和2年3月29日', '評価の再実施')
    >>> split_leading_date('評価の再実施 令和2年3月29日') is None
    True
    """
    match = _LEADING_DATE.match(text)
    return (match.group(1), match.group(2).strip()) if match else None
