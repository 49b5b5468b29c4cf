"""Document-level facts derived from the cover (表紙): the city named by 評価実施機関名 and the 事務.

>>> from ingest.form_schema import load_form_schema
>>> schema = load_form_schema()
>>> city_of('岡山県岡山市長', schema), city_of('和光市長', schema), city_of('四日市市長', schema)
('岡山市', '和光市', '四日市市')
>>> jimu_of_title('収滞納に関する税務事務 全項目評価書', schema)
'収滞納に関する税務事務'
"""

from __future__ import annotations

import re

from ingest.form_schema import FormSchema
from ingest.markup import collapse_spaces


def city_of(organization: str, schema: FormSchema) -> str:
    """The municipality (or prefecture) named by 評価実施機関名: prefecture, 郡 and 長 (or 教育委員会 …) removed.

    >>> from ingest.form_schema import load_form_schema
    >>> schema = load_form_schema()
    >>> city_of('東京都千代田区長', schema), city_of('岩手県知事', schema), city_of('花巻市教育委員会', schema)
    ('千代田区', '岩手県', '花巻市')
    >>> city_of('北海道虻田郡洞爺湖町長', schema), city_of('市川市長 田中甲', schema)
    ('洞爺湖町', '市川市')
    """
    name = collapse_spaces(organization).replace(" ", "")
    if not name:
        return ""
    for prefecture in schema.prefectures:
        if name.startswith(prefecture) and name != prefecture:
            rest = name[len(prefecture) :]
            if rest.startswith("知事"):
                return prefecture
            name = rest
            break
    suffixes = "|".join(re.escape(suffix) for suffix in schema.organization_suffixes)
    match = re.match(rf"^(.+?[市区町村])(?:{suffixes})", name) or re.match(r"^(.+?[市区町村])", name)
    city = match.group(1) if match else name
    return re.sub(r"^.+?郡(?=.+[町村]$)", "", city)


def jimu_of_title(title: str, schema: FormSchema) -> str:
    """評価書名 without its kind suffix: '個人住民税に関する事務 重点項目評価書' -> '個人住民税に関する事務'."""
    text = collapse_spaces(title)
    for suffix, _ in schema.kinds:
        index = text.replace(" ", "").rfind(suffix)
        if index >= 0 and text.endswith(suffix):
            return text[: -len(suffix)].strip()
    return text

