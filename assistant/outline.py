"""The outline of an assessment as a person reads the form: section tree with label -> value rows.

Used by `pia show` (text and --json) and the web document viewer.
"""

from __future__ import annotations

from collections.abc import Iterator

from assistant.types import Assessment, join_path

INDENT = "  "


def outline_lines(assessment: Assessment) -> Iterator[str]:
    """Metadata, then each section title once (indented by depth) followed by its fields.

    >>> # ('I 基本情報', '1. 事務') with field ①事務の名称 gives:
    >>> # I 基本情報 / '  1. 事務' / '    ①事務の名称: 介護保険関係事務'
    """
    a = assessment
    yield f"{a.title}  [{a.doc_id}]"
    yield f"評価実施機関: {a.organization}（{a.city}）  種類: {a.kind}評価書  評価書番号: {a.number}"
    yield f"事務: {a.jimu}  公表日: {a.published or '記載なし'}  ファイル: {a.source}"
    yield ""
    printed: set[tuple[str, ...]] = set()
    for field in a.fields:
        for depth in range(1, len(field.section) + 1):
            prefix = field.section[:depth]
            if prefix not in printed:
                printed.add(prefix)
                yield f"{INDENT * (depth - 1)}{prefix[-1]}"
        indent = INDENT * len(field.section)
        value = field.value.replace("\n", "\n" + indent + INDENT)
        yield f"{indent}{field.label}: {value}" if field.label else f"{indent}{value}"


def assessment_json(assessment: Assessment) -> dict:
    data = assessment.summary()
    data["sections"] = [join_path(section.path) for section in assessment.sections]
    data["fields"] = [
        {
            "path": join_path(field.path),
            "section_path": field.section_path,
            "label": field.label,
            "value": field.value,
            "kind": field.kind,
            "options": list(field.options),
            "checked": list(field.checked),
            "unchecked": list(field.unchecked),
        }
        for field in assessment.fields
    ]
    return data
