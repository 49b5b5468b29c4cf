"""HTML fragments found in form cells -> plain lines of text.

Exports of the 様式 put ``<p>``, ``<ul>``/``<li>``, ``<div>``, ``<table>`` and ``<br>`` inside cells.
This module reads them as text only: tags are recognised by a whitelist of HTML element names and
removed, ``<script>``/``<style>`` bodies are dropped, entities are unescaped, nothing is executed.
Japanese text in angle brackets (``<選択肢>``, ``<中間サーバーにおける措置>``, ``<eLTAXにおける措置>``)
is content, not a tag, and is kept.

Every tag ends a line, so each line is one contiguous span of the cell's text: the property that lets
verbatim quotes be checked against the source. ``html_to_lines(..., cell_separator=" | ")`` instead
joins the cells of a table row into one readable line.

>>> html_to_lines('<p>・研修を行う。</p> <p>&lt;中間サーバーにおける措置&gt;</p>')
['・研修を行う。', '<中間サーバーにおける措置>']
>>> html_to_lines('<table><tr><td>期間</td><td>[ 6年以上10年未満 ]</td></tr></table>', cell_separator=' | ')
['期間 | [ 6年以上10年未満 ]']
"""

from __future__ import annotations

import html
import re

HTML_ELEMENTS = frozenset(
    """a abbr address article aside b bdi bdo big blockquote body br caption center cite code col
    colgroup dd del details dfn div dl dt em fieldset figcaption figure font footer form h1 h2 h3 h4
    h5 h6 head header hr html i img input ins kbd label legend li main mark nav nobr ol optgroup
    option p pre q rp rt ruby s samp section select small span strike strong sub summary sup table
    tbody td textarea tfoot th thead time title tr tt u ul var wbr""".split()
)
_CELL_ELEMENTS = frozenset({"td", "th"})

# A tag: '<' + optional '/' + a name made of ASCII letters/digits, then end of name (space, '/', '>').
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)(?=[\s/>])((?:[^<>\"']|\"[^\"]*\"|'[^']*')*)>")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_DROPPED = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.S | re.I)
_SPACES = re.compile(r"[ \t\u00a0\u3000\r\f\v]+")

LINE_BREAK = "\n"
_CELL_MARK = "\x1f"  # internal: end of a table cell when cells are joined


def is_tag(text: str) -> bool:
    """True for an HTML tag of a known element; Japanese text in brackets is not a tag.

    >>> is_tag('<p style="x">'), is_tag('</li>'), is_tag('<選択肢>'), is_tag('<eLTAXにおける措置>')
    (True, True, False, False)
    """
    match = _TAG.fullmatch(text)
    return bool(match) and match.group(2).lower() in HTML_ELEMENTS


def has_markup(text: str) -> bool:
    """True when the text holds at least one known HTML tag or an entity.

    >>> has_markup('<p>a</p>'), has_markup('<選択肢> 1) 定めている'), has_markup('a &amp; b')
    (True, False, True)
    """
    if "&" in text and html.unescape(text) != text:
        return True
    return any(match.group(2).lower() in HTML_ELEMENTS for match in _TAG.finditer(text))


def strip_tags(text: str, replacement: str = LINE_BREAK, cell_replacement: str | None = None) -> str:
    """Replace every known tag by ``replacement`` (table cell ends by ``cell_replacement``).

    >>> strip_tags('<b>システム1</b>', replacement='')
    'システム1'
    """
    text = _COMMENT.sub(replacement, text)
    text = _DROPPED.sub(replacement, text)

    def replace(match: re.Match) -> str:
        name = match.group(2).lower()
        if name not in HTML_ELEMENTS:
            return match.group(0)
        if cell_replacement is not None and name in _CELL_ELEMENTS:
            return cell_replacement if match.group(1) else ""
        return replacement

    return _TAG.sub(replace, text)


def collapse_spaces(text: str) -> str:
    """Runs of spaces, tabs, NBSP and full-width spaces -> one space; stripped.

    >>> collapse_spaces('  住所\u3000351-0192 \\t 和光市 ')
    '住所 351-0192 和光市'
    """
    return _SPACES.sub(" ", text).strip()


def html_to_lines(fragment: str, cell_separator: str | None = None) -> list[str]:
    """The non-empty lines of an HTML fragment (or of plain text with newlines).

    With ``cell_separator`` the cells of one table row are joined by it; without, each cell is a line.

    >>> html_to_lines('<ul style="list-style-type: none"> <li>・秘密保持</li> <li>・再委託の条件</li> </ul>')
    ['・秘密保持', '・再委託の条件']
    >>> html_to_lines('番号法第9条<br/>別表第一 &amp; 第16号')
    ['番号法第9条', '別表第一 & 第16号']
    """
    if cell_separator is None:
        stripped = strip_tags(fragment)
    else:
        stripped = strip_tags(fragment, cell_replacement=_CELL_MARK)
    lines = []
    for raw_line in stripped.split(LINE_BREAK):
        if cell_separator is not None:
            cells = [collapse_spaces(html.unescape(cell)) for cell in raw_line.split(_CELL_MARK)]
            line = cell_separator.join(cell for cell in cells if cell)
        else:
            line = collapse_spaces(html.unescape(raw_line))
        if line:
            lines.append(line)
    return lines


def html_to_text(fragment: str) -> str:
    """The fragment as one line of plain text (lines joined by a space).

    >>> html_to_text('<p>①保管場所 ※</p>')
    '①保管場所 ※'
    """
    return " ".join(html_to_lines(fragment))
