"""What a question asks for: its type (yes/no, list, procedure, contact …) and who is probably asking.

The cue words live in ``assistant/schema/intents.json`` so staff can extend them.

>>> classify('和光市の滞納整理システムの保守の委託先は?').type
'factoid'
>>> classify('介護保険の私の情報は外部の会社に渡されますか').type
'yesno'
>>> classify('開示請求の窓口の電話番号を教えて').persona
'helpdesk'
>>> classify('住民から「その会社は下請けに出しているのか」と聞かれました。どう答えればよいですか').type
'yesno'
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from assistant.errors import DataFileError

INTENTS_FILE = Path(__file__).parent / "schema" / "intents.json"


@dataclass(frozen=True)
class Intent:
    type: str  # factoid | list | procedure | yesno | contact | comparison | aggregate | history
    persona: str  # resident | staff | helpdesk
    follow_up: bool  # refers back to the conversation (その委託先は…)


@lru_cache(maxsize=1)
def cues() -> dict[str, list[str]]:
    try:
        data = json.loads(INTENTS_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise DataFileError(f"cannot read {INTENTS_FILE.name}: {error}") from None
    required = {"helpdesk", "staff", "resident", "procedure", "list", "contact", "wh_words",
                "yesno_endings", "comparison", "aggregate", "follow_up", "history"}
    missing = required - data.keys()
    if missing:
        raise DataFileError(f"{INTENTS_FILE.name} lacks the keys {sorted(missing)}")
    return {key: list(value) for key, value in data.items() if not key.startswith("_")}


def _has(text: str, words: list[str]) -> bool:
    return any(word in text for word in words)


def normalize_question(question: str) -> str:
    return unicodedata.normalize("NFKC", question).strip()


def _without_places(q: str) -> str:
    """The question with phrases that only say where something happens (窓口で) blanked: the
    counter where a resident hands in a form is not a question about whom to contact."""
    for phrase in cues().get("places", []):
        q = q.replace(phrase, "　" * len(phrase))
    return q


def guess_persona(question: str) -> str:
    q = normalize_question(question)
    c = cues()
    helpdesk = [cue for cue in c["helpdesk"] if cue in _without_places(q)]
    if helpdesk and not (set(helpdesk) <= set(c.get("helpdesk_weak", ())) and _has(q, c["resident"])):
        return "helpdesk"
    if _has(q, c["resident"]):
        return "resident"
    if _has(q, c["staff"]):
        return "staff"
    return "resident"  # also for the weak cues (resident_weak: ですか?) and when nothing is said


_INDEFINITE = re.compile(r"(?:何|なに|誰|だれ|どこ|いつ|どれ)か(?![月所国?？]|ヶ月|カ月|ケ月|しら)")


def _asks_yes_or_no(text: str, c: dict) -> bool:
    """No question word, and a yes/no ending; the endings are compared without their question mark
    (「…あるの?」 ends in の once it is cut)."""
    core = re.sub(r"[?？!！。\s]+$", "", text)
    asked = _INDEFINITE.sub("", text)  # 「どこかに渡される?」「何か対策は?」: no question word
    return not _has(asked, c["wh_words"]) and any(
        core.endswith(e.rstrip("?？")) for e in c["yesno_endings"] if e.rstrip("?？"))


def guess_type(question: str, cities_named: int = 0) -> str:
    q = normalize_question(question)
    c = cues()
    compared = [cue for cue in c["comparison"] if cue in q]
    # 「4つの市の評価書を見比べて、…「しない」としているのはどこ」: looking across to find which city
    looking = (bool(compared) and set(compared) <= set(c.get("comparison_looking", ())) and cities_named == 0
               and not _has(q, c.get("comparison_looking_unless", [])))
    if cities_named >= 2 or (cities_named != 1 and compared and not (looking and _has(q, c["aggregate"]))):
        return "comparison"
    if cities_named == 0 and _has(q, c["aggregate"]):
        return "aggregate"
    if _has(q, c["history"]):
        return "history"
    if _has(_without_places(q), c["contact"]):
        return "contact"
    if _has(q, c["procedure"]):
        return "procedure"
    if _has(q, c["list"]):
        return "list"
    if _asks_yes_or_no(q, c):
        return "yesno"
    return "factoid"


def asks_whether(question: str) -> bool:
    """Whether one sentence of the question is a yes/no question on its own, though another asks
    what or when (「…って本当ですか？いつのことですか？」): the answer then says the option too.

    >>> asks_whether("他人の電話番号が印刷されたって本当ですか？いつのことですか？")
    True
    >>> asks_whether("いつのことですか？")
    False
    """
    c = cues()
    return any(sentence.strip(" !！") and _asks_yes_or_no(sentence.strip(" !！"), c)
               for sentence in re.split(r"[?？。]+", normalize_question(question)))


def is_follow_up(question: str) -> bool:
    q = normalize_question(question)
    return _has(q, cues()["follow_up"])


_QUOTED = re.compile(r"「([^「」]{6,})」\s*(?:と|という|との)(?:[^「」]{0,12})(?:聞かれ|問い合わせ|問合せ|質問|相談|言われ)")


def quoted_question(question: str) -> str | None:
    """The caller's own question inside a helpdesk question:
    住民から「…下請けに出しているのか」と聞かれました -> 「…下請けに出しているのか」."""
    match = _QUOTED.search(normalize_question(question))
    return match.group(1) if match else None


def without_framing(question: str) -> str:
    """A helpdesk question without the sentence part that only says someone asked
    (「…」と問い合わせがありました。): what is searched — 問い合わせ there asks for no contact. The
    words before the quote (the subject) and the operator's own next sentence stay.

    >>> without_framing('岡山市の窓口で「画面を見られないか」と問い合わせがありました。対策は?')
    '岡山市の窓口で「画面を見られないか」 対策は?'
    >>> without_framing('和光市で「漏れていないか」という問い合わせを受けた場合、どこの担当が窓口ですか?')
    '和光市で「漏れていないか」 どこの担当が窓口ですか?'
    >>> without_framing('和光市に「漏れたのではないか」という問い合わせが入った場合、どのように対応しますか。')
    '和光市に「漏れたのではないか」 どのように対応しますか。'
    >>> without_framing('情報を開示してほしいという問い合わせを受けました。どこへ請求しますか。')
    '情報を開示してほしい どこへ請求しますか。'
    >>> without_framing('委託先がどこか自分で確かめたい、という問い合わせには何を案内すればよいですか?')
    '委託先がどこか自分で確かめたい、 何を案内すればよいですか?'
    """
    text = normalize_question(question)
    match = _QUOTED.search(text)
    if not match:
        unquoted = _UNQUOTED_FRAMING.search(text)
        return f"{text[: unquoted.start()]} {text[unquoted.end():].strip()}" if unquoted else question
    end = text.find("。", match.end())
    if end < 0 or not text[end + 1 :].strip():  # one sentence: the operator's own question follows the
        end = text.find("、", match.end())     # framing clause (…場合、どこの担当が…)
    rest = text[end + 1 :].strip() if end >= 0 else ""
    return f"{text[: match.end(1) + 1]} {rest}".strip()


# the same without quotes: 「…開示してほしいという問い合わせを受けました。」
_UNQUOTED_FRAMING = re.compile(r"(?:という|との)(?:問い合わせ|問合せ|問い合せ)(?:(?:を受け|があ|が来|が入|をもら)[^。、?？]*[。、]"
                               r"|(?:には|に対しては?|への回答は?))")  # 「…という問い合わせには何を案内すれば」

_SENTENCE_END = re.compile(r"([?？]+|。)")
# a sentence ending without a question mark asks something when it ends like a question or a request
_ASKING = re.compile(r"(か|の|かな|教えて(ください|下さい|ほしい)?|知りたい(です)?|ください|下さい)$")
# a question word ending a clause before a comma: 「…はどこで、」「…はいつで、」「手数料がいくらか、」「パスワードを変える頻度と、」
_WH_COMMA = re.compile(r"(どこ|いつ|誰|だれ|何人|何件|何年|いくら|(?:頻度|時期|期間|条件|理由|根拠)(?=と、))(?:で|であり|であって|か|と)、")
MIN_PART = 6  # a part shorter than this (「本当?」) asks nothing of its own
MAX_PARTS = 3


def sub_questions(question: str) -> list[str]:
    """The questions a message asks, each on its own, when it asks several one after another
    (「何人分ですか?家族の分も入るの?」, 「再委託はできますか。その条件も教えてください。」) or tells
    something besides its question (「…回したりしているんですか?前にそういう問題があったと聞いて
    心配で。」); [] when the message is one question and nothing else. A sentence that only tells
    something asks nothing.

    >>> sub_questions('記録って残るの?どれくらいの期間?')
    ['記録って残るの', 'どれくらいの期間']
    >>> sub_questions('再委託は認められていますか。認められる場合の条件も教えてください。')
    ['再委託は認められていますか', '認められる場合の条件も教えてください']
    >>> sub_questions('母が介護を受けています。本当?委託先はどこ?')
    ['委託先はどこ']
    >>> sub_questions('委託先はどこですか?')
    []
    >>> sub_questions('評価した機関はどこで、所属長の役職名は何ですか?')
    ['評価した機関はどこ', '所属長の役職名は何ですか']
    """
    pieces = _SENTENCE_END.split(question)
    parts, told = [], 0
    for text, end in zip(pieces[0::2], [*pieces[1::2], ""]):
        # 「…機関はどこで、所属長の役職名は何と…」 asks one question before the comma
        *asked, text = _WH_COMMA.split(text)
        parts += [head + wh for head, wh in zip(asked[0::2], asked[1::2]) if len(head + wh) >= MIN_PART]
        text = text.strip(" 、　")
        if len(text) < MIN_PART:
            continue
        if end.strip("。") or _ASKING.search(text):
            parts.append(text)
        else:
            told += 1
    return parts[:MAX_PARTS] if len(parts) >= 2 or (parts and told) else []


def classify(question: str, cities_named: int = 0, persona: str | None = None) -> Intent:
    """The question's type, who asks, and whether it refers back. A question quoted from a caller
    (「…のか」と聞かれました) has the type of the quoted question, and its その refers inside it."""
    inner = quoted_question(question)
    kind = guess_type(question, cities_named)
    if inner is not None and kind in ("factoid", "procedure"):
        inner_kind = guess_type(inner, cities_named)
        kind = inner_kind if inner_kind in ("yesno", "list", "contact") else kind
    return Intent(
        type=kind,
        persona=persona or guess_persona(question),
        follow_up=is_follow_up(question) and (inner is None or is_follow_up(question.replace(inner, ""))),
    )
