"""The 様式 vocabulary the form parser needs, read from ``form_schema.json`` and checked at load.

The JSON file holds domain knowledge a municipal staff member can read and extend: the major section
titles, the cover (表紙) labels, the repeated block labels (システムN, 委託事項N, …), the known item
labels used to split ``label value`` text without tabs, and the prefectures used to derive a city
from 評価実施機関名. Labels are compared by ``label_key`` (no spaces, NFKC), so spacing and full-width
variants match without extra entries.

>>> schema = load_form_schema()
>>> schema.is_major_title('リスク対策'), schema.is_major_title('リスク')
(True, False)
>>> schema.kind_of('特定個人情報保護評価書(重点項目評価書)')
'重点項目'
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from assistant.errors import DataFileError
from ingest.normalize import quote_key

SCHEMA_FILE = Path(__file__).with_name("form_schema.json")
SCHEMA_VERSION = 1


def label_key(text: str) -> str:
    """How labels and titles are compared: NFKC, entities unescaped, spaces and ※ removed.

    >>> label_key('主な記録項目 ※') == label_key('主な記録項目')
    True
    """
    return quote_key(text).replace("※", "")


@dataclass(frozen=True)
class FormSchema:
    """The vocabulary of the 様式; built by ``load_form_schema``."""

    document_title: str
    kinds: tuple[tuple[str, str], ...]  # (suffix of 評価書名, kind), e.g. ('重点項目評価書', '重点項目')
    cover_section: str
    cover_labels: tuple[str, ...]
    number_label: str
    title_label: str
    organization_label: str
    published_label: str
    contents_label: str
    major_sections: tuple[str, ...]
    history_titles: tuple[str, ...]
    block_labels: tuple[str, ...]
    risk_label: str
    file_name_heading: str
    jimu_label: str
    item_closing_labels: tuple[str, ...]
    labels: tuple[str, ...]
    organization_suffixes: tuple[str, ...]
    prefectures: tuple[str, ...]

    def is_major_title(self, title: str) -> bool:
        return label_key(title) in {label_key(major) for major in self.major_sections}

    def is_history_title(self, title: str) -> bool:
        key = label_key(title)
        return any(label_key(history) in key for history in self.history_titles)

    def cover_label(self, text: str) -> str | None:
        """The cover label ``text`` names (spacing and 【】 notes aside), else None."""
        key = label_key(text)
        for label in self.cover_labels:
            base = label_key(label).split("【")[0]
            if key == base or key.startswith(base + "【"):
                return label
        return None

    def is_known_label(self, text: str) -> bool:
        return label_key(text) in self.label_keys

    def closes_item(self, label: str) -> bool:
        """True for labels that belong to an item, not to the risk block before them."""
        key = label_key(label)
        return any(key.endswith(label_key(ending)) for ending in self.item_closing_labels)

    def kind_of(self, text: str) -> str:
        """'基礎項目' / '重点項目' / '全項目' named in a title, else ''."""
        key = label_key(text)
        for suffix, kind in self.kinds:
            if label_key(suffix) in key:
                return kind
        return ""

    @property
    def label_keys(self) -> frozenset[str]:
        return _label_keys(self.labels)


@cache
def _label_keys(labels: tuple[str, ...]) -> frozenset[str]:
    return frozenset(label_key(label) for label in labels)


def _strings(data: dict, key: str, source: Path) -> tuple[str, ...]:
    value = data.get(key)
    if not isinstance(value, list) or not value or not all(isinstance(item, str) and item for item in value):
        raise DataFileError(f"{source.name}: '{key}' must be a non-empty list of strings")
    return tuple(value)


def _string(data: dict, key: str, source: Path) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value:
        raise DataFileError(f"{source.name}: '{key}' must be a non-empty string")
    return value


def schema_from_dict(data: dict, source: Path = SCHEMA_FILE) -> FormSchema:
    """Validate the parsed JSON; every problem is a one-line DataFileError."""
    if not isinstance(data, dict):
        raise DataFileError(f"{source.name}: expected a JSON object")
    if data.get("version") != SCHEMA_VERSION:
        raise DataFileError(f"{source.name}: version {data.get('version')!r}, expected {SCHEMA_VERSION}")
    kinds = data.get("kinds")
    if not isinstance(kinds, list) or not all(
        isinstance(item, dict) and isinstance(item.get("suffix"), str) and isinstance(item.get("kind"), str)
        for item in kinds
    ):
        raise DataFileError(f"{source.name}: 'kinds' must be a list of {{suffix, kind}} objects")
    cover = data.get("cover")
    if not isinstance(cover, dict):
        raise DataFileError(f"{source.name}: 'cover' must be an object")
    return FormSchema(
        document_title=_string(data, "document_title", source),
        kinds=tuple((item["suffix"], item["kind"]) for item in kinds),
        cover_section=_string(cover, "section", source),
        cover_labels=_strings(cover, "labels", source),
        number_label=_string(cover, "number", source),
        title_label=_string(cover, "title", source),
        organization_label=_string(cover, "organization", source),
        published_label=_string(cover, "published", source),
        contents_label=_string(cover, "contents", source),
        major_sections=_strings(data, "major_sections", source),
        history_titles=_strings(data, "history_titles", source),
        block_labels=_strings(data, "block_labels", source),
        risk_label=_string(data, "risk_label", source),
        file_name_heading=_string(data, "file_name_heading", source),
        jimu_label=_string(data, "jimu_label", source),
        item_closing_labels=_strings(data, "item_closing_labels", source),
        labels=_strings(data, "labels", source),
        organization_suffixes=_strings(data, "organization_suffixes", source),
        prefectures=_strings(data, "prefectures", source),
    )


@cache
def load_form_schema(path: Path = SCHEMA_FILE) -> FormSchema:
    """Read and validate the schema file (once per path)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise DataFileError(f"cannot read form schema {path}: {error}") from None
    return schema_from_dict(data, Path(path))
