"""Typed values that cross module borders: the parsed assessment, its chunks, search hits and answers.

Everything here is a frozen dataclass; no raw dicts travel between modules. ``to_json`` helpers
give the fixed JSON shapes of the CLI and HTTP API.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field as dataclass_field
from functools import cached_property
from typing import Literal

PATH_SEPARATOR = " > "

FieldKind = Literal["text", "choice", "checkbox"]
Persona = Literal["resident", "staff", "helpdesk"]


def join_path(parts: tuple[str, ...]) -> str:
    """('II 特定個人情報ファイルの概要', '4. 委託') -> 'II 特定個人情報ファイルの概要 > 4. 委託'"""
    return PATH_SEPARATOR.join(parts)


@dataclass(frozen=True)
class Section:
    """A node of the 様式's section tree, e.g. ('II 特定個人情報ファイルの概要', '(1)介護保険情報ファイル')."""

    path: tuple[str, ...]
    ordinal: int

    @property
    def title(self) -> str:
        return self.path[-1]

    @property
    def level(self) -> int:
        return len(self.path)


@dataclass(frozen=True)
class Field:
    """One label -> value row of the form, read the way a person reads it.

    ``value`` is the readable value: for a selected option ``[再委託しない] <選択肢> 1) ...`` it is
    ``再委託しない``; for checkboxes it is a readable list ``☑ 庁内連携システム / ☐ 住民基本台帳...``.
    ``text`` is the plain text of the cell (HTML turned into lines, options and markup removed), the
    place verbatim quotes are taken from.
    """

    section: tuple[str, ...]
    label: str
    value: str
    text: str
    ordinal: int
    kind: FieldKind = "text"
    options: tuple[str, ...] = ()
    checked: tuple[str, ...] = ()
    unchecked: tuple[str, ...] = ()

    @cached_property  # kept on the cell: answers look paths up hundreds of times per question
    def path(self) -> tuple[str, ...]:
        return (*self.section, self.label) if self.label else self.section

    @cached_property
    def section_path(self) -> str:
        return join_path(self.section)


@dataclass(frozen=True)
class Assessment:
    """One parsed 特定個人情報保護評価書."""

    doc_id: str
    source: str
    sha256: str
    organization: str  # 評価実施機関名, e.g. 和光市長
    city: str  # derived from the organization, e.g. 和光市
    number: str  # 評価書番号
    title: str  # 評価書名
    jimu: str  # 事務の名称
    kind: str  # 基礎項目 / 重点項目 / 全項目
    published: str | None  # 公表日 as ISO date, None when the form has none
    sections: tuple[Section, ...]
    fields: tuple[Field, ...]
    text: str  # the readable text of the whole document, one line per row

    def summary(self) -> dict:
        return {
            "doc_id": self.doc_id,
            "source": self.source,
            "sha256": self.sha256,
            "organization": self.organization,
            "city": self.city,
            "number": self.number,
            "title": self.title,
            "jimu": self.jimu,
            "kind": self.kind,
            "published": self.published,
            "sections": len(self.sections),
            "fields": len(self.fields),
        }


@dataclass(frozen=True)
class Chunk:
    """A searchable piece of one assessment: one field or a small group of fields of one block.

    ``text`` starts with the header line (city + 事務 + section path) and is what is indexed;
    ``body`` is the content without the header.
    """

    chunk_id: str
    doc_id: str
    ordinal: int
    city: str
    jimu: str
    kind: str
    section_path: str
    field: str
    text: str
    body: str
    is_history: bool = False


@dataclass(frozen=True)
class DocumentInfo:
    """What search and answers need to know about a stored document without loading its fields."""

    doc_id: str
    source: str
    city: str
    organization: str
    title: str
    jimu: str
    kind: str
    published: str | None


@dataclass(frozen=True)
class Hit:
    rank: int
    score: float
    doc_id: str
    source: str
    city: str
    title: str
    kind: str
    section_path: str
    field: str
    text: str
    chunk_id: str

    def to_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class SearchFilters:
    cities: tuple[str, ...] = ()
    jimu: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    families: tuple[str, ...] = ()  # section families from the form schema, e.g. 委託, 開示請求・問合せ
    doc_ids: tuple[str, ...] = ()
    include_history: bool = True


@dataclass(frozen=True)
class Scope:
    city: str | None = None
    jimu: str | None = None
    doc_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Citation:
    n: int
    doc_id: str
    source: str
    city: str
    title: str
    section_path: str
    field: str
    quote: str
    chunk_id: str

    def to_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Answer:
    answer: str
    refused: bool
    reason: str | None
    citations: tuple[Citation, ...]
    hits: tuple[Hit, ...]
    mode: Literal["extractive", "llm"]
    scope: Scope
    query: str
    persona: str = "resident"
    table: tuple[dict, ...] = dataclass_field(default_factory=tuple)

    def to_json(self) -> dict:
        data = {
            "answer": self.answer,
            "refused": self.refused,
            "reason": self.reason,
            "citations": [c.to_json() for c in self.citations],
            "hits": [h.to_json() for h in self.hits],
            "mode": self.mode,
            "scope": {"city": self.scope.city, "jimu": self.scope.jimu},
            "query": self.query,
            "persona": self.persona,
        }
        if self.table:
            data["table"] = list(self.table)
        return data
