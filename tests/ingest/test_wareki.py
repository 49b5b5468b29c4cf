"""和暦 -> ISO dates."""

from __future__ import annotations

import doctest

import pytest

import ingest.wareki
from ingest.wareki import era_year, to_iso_date


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("令和3年6月8日", "2021-06-08"),
        ("令和元年5月1日", "2019-05-01"),
        ("令和1年5月24日", "2019-05-24"),
        ("平成28年1月1日", "2016-01-01"),
        ("平成元年1月8日", "1989-01-08"),
        ("昭和64年1月7日", "1989-01-07"),
        ("昭和三十二年", None),  # kanji numerals and no day: not a full date
        ("令和２年３月２９日", "2020-03-29"),  # full-width digits
        ("令和 5 年 4 月 28 日", "2023-04-28"),
        ("公表日: 令和5年4月28日（更新）", "2023-04-28"),
        ("2021年6月8日", "2021-06-08"),
        ("2021/6/8", "2021-06-08"),
    ],
)
def test_full_dates(text, iso):
    assert to_iso_date(text) == iso


@pytest.mark.parametrize(
    "text",
    ["[令和7年5月 様式4]", "平成27年10月", "令和3年2月30日", "", None, "公表日", "様式4"],
)
def test_not_a_full_date(text):
    assert to_iso_date(text) is None


def test_era_year():
    assert era_year("令和", "元") == 2019
    assert era_year("平成", "31") == 2019
    assert era_year("大正", "15") == 1926


def test_docstring_examples():
    assert doctest.testmod(ingest.wareki).failed == 0
