"""Read one form cell the way a person does: a selected option, a list of checkboxes, or plain text.

The 様式 writes a selected option as ``[値] <選択肢> 1) … 2) …`` and checkboxes as ``[○] 項目`` /
``[] 項目``. Exports vary: full-width ``＜選択肢＞`` and ``［ ］``, the options list before the bracket,
HTML ``<input type="checkbox">`` (``checked`` = ticked), a bordered ``<div>`` instead of brackets, the
options split over several table cells. ``read_cell`` returns a ``CellValue``:

>>> cell = read_cell('[再委託しない] <選択肢> 1) 再委託する 2) 再委託しない')
>>> cell.kind, cell.value, cell.options
('choice', '再委託しない', ('再委託する', '再委託しない'))
>>> cell = read_cell('[] 情報提供ネットワークシステム [○] 庁内連携システム [] その他 ()')
>>> cell.kind, cell.value
('checkbox', '☐ 情報提供ネットワークシステム / ☑ 庁内連携システム / ☐ その他')
>>> cell.checked, cell.unchecked
(('庁内連携システム',), ('情報提供ネットワークシステム', 'その他'))

``text`` is the readable text without markup and option lists, made only of contiguous spans of the
cell, so quotes taken from it can be found in the source (see ``ingest.normalize.quote_key``).

A radio input without ``checked`` is read as ticked when the same cell also uses other marks: these
exports render the form's ○ as a radio button beside empty ``[]`` boxes
(``[<input type="radio"/>] 紙 [] 専用線``). A cell made only of unticked radios stays unticked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.types import FieldKind
from ingest.markup import collapse_spaces, html_to_lines
from ingest.normalize import quote_key

CHECKED_MARK = "☑"
UNCHECKED_MARK = "☐"
VALUE_SEPARATOR = " / "

# Characters that tick a box written as [○].
_TICKS = "○〇◯OoＯｏ●◎✓✔☑■xX×✕"
_INPUT = r"<input\b[^<>]*>"
_MARKER = re.compile(rf"[\[［]\s*(?:{_INPUT}|[{_TICKS}])?\s*[\]］]|{_INPUT}", re.I)
_INPUT_TAG = re.compile(_INPUT, re.I)
_INPUT_IN_BRACKET = re.compile(rf"([\[［]\s*){_INPUT}", re.I)
_OPTIONS_MARK = re.compile(r"(?:\^\{\s*)?(?:<|＜|〈|&lt;)\s*選択肢\s*(?:>|＞|〉|&gt;)(?:\s*\})?")
_CHOICE_TOKEN = re.compile(
    r"(?P<marker>(?:\^\{\s*)?[<＜〈]\s*選択肢\s*[>＞〉](?:\s*\})?)"
    r"|(?P<bracket>[\[［](?P<inner>[^\[\]［］\n]*)[\]］])"
    r"|(?<![^\s>\]］}])(?P<number>\d{1,2})\)[ \t]*"
)
_COUNT_SUFFIX = re.compile(r"\s*([(（]\s*\d*\s*[)）]\s*件.*)$")
_BARE_OPTIONS = re.compile(r"(?<![^\s>\]］}])1\)\s*\S.*?(?<![^\s>\]］}])2\)\s*\S", re.S)
_STRAY = re.compile(r"[\[\]［］{}^]+")
_EMPTY_PARENS = re.compile(r"\s*[(（]\s*[)）](?!\s*件)")  # an empty count (() 件) is the form's own words: kept
_OPEN_PAREN_AT_END = re.compile(r"\s*[(（]\s*$")
_PAREN_PADDING = (re.compile(r"([(（])\s+"), re.compile(r"\s+([)）])"))
_GROUP_BULLET = re.compile(r"\s+(?=・)")
_CHECKBOX_PREFIX_LIMIT = 30
# a line made only of these says nothing (the ')' of 'その他 (' that went to the next table cell)
_PUNCTUATION_ONLY = re.compile(r"[\s()（）\[\]［］、。,.]+")


@dataclass(frozen=True)
class CellValue:
    """A cell read as a person reads it; see the module docstring."""

    kind: FieldKind
    value: str
    text: str
    options: tuple[str, ...] = ()
    checked: tuple[str, ...] = ()
    unchecked: tuple[str, ...] = ()


def read_cell(raw: str) -> CellValue:
    """Read one cell (or several cells joined by newlines) as choice, checkbox list or text.

    >>> read_cell('<p>[ 30万人以上 ]</p> <p>&lt;選択肢&gt; 1) 10万人以上30万人未満 2) 30万人以上</p>').value
    '30万人以上'
    >>> read_cell('<input type="checkbox"/> 10人以上50人未満] <選択肢> 1) 10人未満 2) 10人以上50人未満').value
    '10人以上50人未満'
    >>> read_cell('<ul><li>・秘密保持</li><li>・再委託の条件</li></ul>').text
    '・秘密保持\\n・再委託の条件'
    """
    if _OPTIONS_MARK.search(raw):
        return read_choice(raw)
    if is_choice(raw):
        # without a <選択肢> mark, numbered lines after a bracket are options only when the bracket
        # names one of them; '[概要] 1) 申告受付 2) 税額計算' is text
        cell = read_choice(raw)
        if not cell.value or cell.value in cell.options:
            return cell
    checkboxes = read_checkboxes(raw)
    if checkboxes is not None:
        return checkboxes
    value_lines, text_lines = marked_lines(raw)
    return CellValue("text", "\n".join(value_lines), "\n".join(text_lines))


_MARK_SLOT = {"checked": "\ue000", "unchecked": "\ue001"}  # internal (private use): where a box stood


def marked_lines(raw: str, radio_ticks: bool | None = None) -> tuple[list[str], list[str]]:
    """The lines of a free-text cell, boxes kept as marks: (value lines, text lines).

    Checkbox marks inside running text (``3 業務関連情報 <input type="checkbox"/> 国税関連情報 …``)
    are content: the value shows them as ``☑`` / ``☐`` where they stand, whether the source wrote
    ``<input …>``, ``[○]``, ``［〇］`` or ``[ ]``. The text lines are the pieces between marks, each a
    contiguous span of the cell. ``radio_ticks`` decides unticked radio inputs (default: ticked when
    the cell uses other marks too, as in ``read_checkboxes``).

    >>> marked_lines('<p>[ ] 紙</p> 業務関連情報 <input type="checkbox"/> 国税関連情報 ［〇］ 地方税関係情報')
    (['☐ 紙', '業務関連情報 ☐ 国税関連情報 ☑ 地方税関係情報'], ['紙', '業務関連情報', '国税関連情報', '地方税関係情報'])
    >>> marked_lines('<p>番号法第9条</p><p>別表第一</p>')
    (['番号法第9条', '別表第一'], ['番号法第9条', '別表第一'])
    """
    markers = _merge_adjacent(list(_MARKER.finditer(raw)), raw)
    if not markers:
        lines = html_to_lines(raw)
        return lines, list(lines)
    states = [_marker_state(raw[start:end]) for start, end in markers]
    ticks = any(state != "radio" for state in states) if radio_ticks is None else radio_ticks
    pieces: list[str] = []
    position = 0
    for (start, end), state in zip(markers, states):
        ticked = state == "checked" or (state == "radio" and ticks)
        pieces.extend((raw[position:start], " ", _MARK_SLOT["checked" if ticked else "unchecked"], " "))
        position = end
    pieces.append(raw[position:])
    value_lines: list[str] = []
    text_lines: list[str] = []
    for line in html_to_lines("".join(pieces)):
        shown = line.replace(_MARK_SLOT["checked"], CHECKED_MARK).replace(_MARK_SLOT["unchecked"], UNCHECKED_MARK)
        value_lines.append(collapse_spaces(shown))
        for piece in re.split(f"[{''.join(_MARK_SLOT.values())}]", line):
            piece = collapse_spaces(piece)
            if piece:
                text_lines.append(piece)
    return value_lines, text_lines


def is_choice(raw: str) -> bool:
    """A cell with an options list: a ``<選択肢>`` mark, or a bracket followed by ``1) … 2) …``.

    >>> is_choice('[ 十分に行っている ] 1) 特に力を入れて行っている 2) 十分に行っている')
    True
    >>> is_choice('[○] 自己点検 [] 内部監査')
    False
    """
    if _OPTIONS_MARK.search(raw):
        return True
    without_inputs = _INPUT_TAG.sub(" ", raw)
    for bracket in re.finditer(r"[\[［]([^\[\]［］\n]*)[\]］]", without_inputs):
        if _BARE_OPTIONS.search(without_inputs, bracket.end()):
            return True
    return False


def read_choice(raw: str) -> CellValue:
    """Selected value, numbered options and the remaining text of a choice cell.

    >>> cell = read_choice('<p>＜選択肢＞</p> <p>[10万人以上30万人未満] 1) 1万人以上10万人未満 2) 10万人以上30万人未満</p>')
    >>> cell.value, cell.options
    ('10万人以上30万人未満', ('1万人以上10万人未満', '10万人以上30万人未満'))
    >>> cell = read_choice('[委託する] <選択肢> 1) 委託する 2) 委託しない (1) 件')
    >>> cell.value, cell.text
    ('委託する', '委託する\\n(1) 件')
    >>> read_choice('[] <選択肢> 1) 定めている 2) 定めていない').value
    ''
    """
    # an input inside a bracket ('[<input …/> 定めている]') is the bracket's own mark; elsewhere it
    # separates pieces of text
    without_inputs = _INPUT_TAG.sub("\n", _INPUT_IN_BRACKET.sub(r"\1", raw))
    flat = "\n".join(html_to_lines(without_inputs))
    options: dict[int, str] = {}
    pieces: list[str] = []  # readable text in document order, each a contiguous span
    bracket_values: list[str] = []
    free_text: list[str] = []
    option_number: int | None = None
    position = 0

    def take_gap(gap: str) -> None:
        nonlocal option_number
        if option_number is not None:
            head, newline, rest = gap.partition("\n")
            extra = _COUNT_SUFFIX.search(head)
            if extra:
                pieces.append(extra.group(1))
                head = head[: extra.start()]
            options.setdefault(option_number, collapse_spaces(head))
            if not newline:
                return
            option_number, gap = None, rest
        for part in _STRAY.split(gap):
            for line in part.split("\n"):
                line = collapse_spaces(line)
                if line:
                    pieces.append(line)
                    free_text.append(line)

    for token in _CHOICE_TOKEN.finditer(flat):
        take_gap(flat[position : token.start()])
        position = token.end()
        if token.group("marker"):
            option_number = None
        elif token.group("bracket") is not None:
            option_number = None
            inner = collapse_spaces(token.group("inner"))
            if inner and inner not in _TICKS:
                bracket_values.append(inner)
                pieces.append(inner)
        else:
            option_number = int(token.group("number"))
    take_gap(flat[position:])

    ordered = tuple(text for _, text in sorted(options.items()) if text)
    value = bracket_values[0] if bracket_values else _option_in(free_text, ordered)
    text_lines = list(dict.fromkeys(piece for piece in pieces if piece))
    return CellValue("choice", value, "\n".join(text_lines), options=ordered)


def _option_in(candidates: list[str], options: tuple[str, ...]) -> str:
    """The first candidate that is one of the options (compared by quote key), else ''."""
    keys = {quote_key(option): option for option in options}
    for candidate in candidates:
        if quote_key(candidate) in keys:
            return candidate
    return ""


def _marker_state(marker: str) -> str:
    """'checked', 'unchecked' or 'radio' (an unticked radio input, decided per cell)."""
    lowered = marker.lower()
    if "<input" in lowered:
        if re.search(r"\bchecked\b", lowered):
            return "checked"
        return "radio" if re.search(r"type\s*=\s*[\"']?radio", lowered) else "unchecked"
    inner = marker.strip("[]［］ \t\u3000")
    return "checked" if inner and inner in _TICKS else "unchecked"


def clean_item(text: str) -> str:
    """An item label without empty detail parentheses or padding inside parentheses.

    >>> clean_item('評価実施機関内の他部署 ( 市民課、社会課 )'), clean_item('提供を行っている ( ) 件'), clean_item('その他 ( )')
    ('評価実施機関内の他部署 (市民課、社会課)', '提供を行っている () 件', 'その他')
    """
    text = _EMPTY_PARENS.sub("", text)
    text = _OPEN_PAREN_AT_END.sub("", text)  # 'その他 (' whose ')' went to the next table cell
    for pattern in _PAREN_PADDING:
        text = pattern.sub(r"\1", text)
    return collapse_spaces(text)


def read_checkboxes(raw: str) -> CellValue | None:
    """A list of ticked and unticked items, or None when the cell is not a checkbox list.

    >>> cell = read_checkboxes('<input checked="" type="checkbox"/> 紙 [] 専用線 [<input checked="" type="checkbox"/>] 庁内連携システム')
    >>> cell.checked, cell.unchecked
    (('紙', '庁内連携システム'), ('専用線',))
    >>> read_checkboxes('・識別情報 [<input type="checkbox"/>] 個人番号 ・連絡先等情報 [] 4情報').text
    '・識別情報\\n個人番号\\n・連絡先等情報\\n4情報'
    """
    markers = _merge_adjacent(list(_MARKER.finditer(raw)), raw)
    if not markers:
        return None
    prefix_lines = html_to_lines(raw[: markers[0][0]])
    prefix = " ".join(prefix_lines)
    if len(prefix) > _CHECKBOX_PREFIX_LIMIT and not prefix.startswith("・"):
        return None
    states = [_marker_state(raw[start:end]) for start, end in markers]
    radios_tick = any(state != "radio" for state in states)
    text_lines = [line for line in prefix_lines for line in _GROUP_BULLET.split(line)]
    checked: list[str] = []
    unchecked: list[str] = []
    shown: list[str] = []
    for index, (start, end) in enumerate(markers):
        segment_end = markers[index + 1][0] if index + 1 < len(markers) else len(raw)
        lines = html_to_lines(raw[end:segment_end])
        if not lines:
            continue
        head, *rest = _GROUP_BULLET.split(lines[0])
        item = clean_item(head)
        text_lines.append(head)
        text_lines.extend(rest + lines[1:])
        if not item:
            continue
        state = states[index]
        ticked = state == "checked" or (state == "radio" and radios_tick)
        (checked if ticked else unchecked).append(item)
        shown.append(f"{CHECKED_MARK if ticked else UNCHECKED_MARK} {item}")
    if not shown:
        return None
    text = "\n".join(line for line in text_lines if line)
    return CellValue(
        "checkbox", VALUE_SEPARATOR.join(shown), text, checked=tuple(checked), unchecked=tuple(unchecked)
    )


def unsaid_lines(value: str, text: str) -> list[str]:
    """The lines of a cell's plain ``text`` that its readable ``value`` does not already say.

    A checkbox list's text names the same items as its value; what is left is what a reader would
    otherwise miss: a group heading (``・識別情報``), the count next to a selected option.

    >>> unsaid_lines('☑ 紙 / ☐ その他', '・入手方法\\n紙\\nその他 (\\n)'), unsaid_lines('委託する', '委託する\\n(1) 件')
    (['・入手方法'], ['(1) 件'])
    """
    said = quote_key(value)
    return [
        line for line in (line.strip() for line in text.split("\n"))
        if _PUNCTUATION_ONLY.sub("", line) and quote_key(clean_item(line)) not in said
    ]


def repeats_boxes(raw: str, before: str) -> bool:
    """Is ``raw`` only checkboxes that ``before`` already has, each with the same tick?

    Some exports write a checkbox list twice (as a table, then once more cell by cell), and a PDF
    drawn from them shows both: the repeat is layout, not content.

    >>> repeats_boxes('[ ] 紙 [○] 専用線', '[○] 専用線 [ ] 紙 [ ] その他'), repeats_boxes('[○] 紙', '[ ] 紙')
    (True, False)
    >>> repeats_boxes('・連絡先 [ ] 紙', '・連絡先 [ ] 紙')
    False
    """
    new = _box_items(raw, radios_tick(before + raw))
    if new is None or not new:
        return False
    old = _box_items(before, radios_tick(before + raw), leading_text=True)
    return bool(old) and set(new) <= set(old)


def _box_items(raw: str, radio_ticks: bool, leading_text: bool = False) -> list[tuple[bool, str]] | None:
    """(ticked, item) for each box of ``raw``; None when text stands before the first box (unless
    ``leading_text``) or an item has no text."""
    markers = _merge_adjacent(list(_MARKER.finditer(raw)), raw)
    if not markers or (not leading_text and html_to_lines(raw[: markers[0][0]])):
        return None
    items = []
    for index, (start, end) in enumerate(markers):
        segment_end = markers[index + 1][0] if index + 1 < len(markers) else len(raw)
        lines = html_to_lines(raw[end:segment_end])
        item = clean_item(lines[0]) if lines else ""
        if not item:
            if leading_text:
                continue
            return None
        state = _marker_state(raw[start:end])
        items.append((state == "checked" or (state == "radio" and radio_ticks), item))
    return items


def radios_tick(raw: str) -> bool:
    """Do the unticked radio inputs of ``raw`` stand for ticks? Yes when other marks are used too.

    >>> radios_tick('[<input type="radio"/>] 紙 [] 専用線'), radios_tick('<input type="radio"/> 紙')
    (True, False)
    """
    return any(_marker_state(match.group(0)) != "radio" for match in _MARKER.finditer(raw))


def _merge_adjacent(matches: list[re.Match], raw: str) -> list[tuple[int, int]]:
    """Marker spans, with markers separated only by whitespace merged into one (``<input/> []``)."""
    spans: list[tuple[int, int]] = []
    for match in matches:
        if spans and not raw[spans[-1][1] : match.start()].strip():
            spans[-1] = (spans[-1][0], match.end())
        else:
            spans.append((match.start(), match.end()))
    return spans
