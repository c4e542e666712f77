"""The language a question is asked in, and the English wording of answers (issue 18, finding 6).

A question is English when Latin letters make up most of its letters (a Han character weighing
as much as a short English word); a mixed question that is half Chinese stays Chinese, and a
question with too few letters to tell (是, 8000万?) keeps the conversation's language. Every English
sentence comes from `data/english.json`: message templates and a glossary of Chinese terms. Text
produced in Chinese carries its message key and values (`Said`), so it can be said again in English
with the same figures; Chinese text without a key is looked up in the glossary and otherwise kept.
"""

from __future__ import annotations

import json
import re
import string
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from .amounts import format_yuan

Lang = Literal["zh", "en"]
DATA = Path(__file__).resolve().parent.parent / "data" / "english.json"
_LATIN = re.compile(r"[A-Za-z]")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    return json.loads(DATA.read_text(encoding="utf-8"))


def latin_share(text: str) -> tuple[float, float]:
    """(share of Latin letters among the weighted letters, the weighted letter count)."""
    det = _data()["detection"]
    latin = len(_LATIN.findall(text))
    han = len(_HAN.findall(text)) * float(det["han_weight"])
    total = latin + han
    return (latin / total if total else 0.0), total


def question_language(text: str, previous: Lang = "zh") -> Lang:
    """`en` when Latin letters are more than half of the question's (weighted) letters, `zh` when
    not; `previous` (the conversation's language) when it has too few letters to tell."""
    det = _data()["detection"]
    share, letters = latin_share(text)
    if letters < float(det["min_letters"]):
        return previous
    return "en" if share > float(det["min_latin_share"]) else "zh"


class Said(str):
    """A Chinese sentence that remembers its message key and values, so it can be said in English."""

    key: str
    params: dict[str, Any]

    def __new__(cls, said: str, key: str, /, **params: Any) -> "Said":
        obj = super().__new__(cls, said)
        obj.key = key
        obj.params = params
        return obj

    def __reduce__(self) -> Any:
        return (_said, (str(self), self.key, self.params))


def _said(text: str, key: str, params: dict[str, Any]) -> Said:
    return Said(text, key, **params)


def gloss(term: str) -> str:
    """The English of a Chinese term or sentence from the glossary ('' when none is defined)."""
    return _data()["glossary"].get(term.strip(), "")


def money(yuan: int) -> str:
    """1500000 → CNY 1,500,000 (150万元)."""
    return _data()["words"]["money"].format(digits=f"{int(yuan):,}", chinese=format_yuan(int(yuan)))


def both(term: str) -> str:
    """The Chinese term, then its English gloss when one is defined: 市经信局 (Municipal …);
    a title in 《》 is looked up without them."""
    g = gloss(term.strip().removeprefix("《").removesuffix("》"))
    return f"{term} ({g})" if g else term


class _Formatter(string.Formatter):
    def format_field(self, value: Any, spec: str) -> str:
        if spec == "yuan":
            return money(value)
        if spec == "en":
            return english(value)
        if spec == "both":
            return both(str(value))
        if spec == "yn":
            return _data()["words"]["yes" if value else "no"]
        return super().format_field(value, spec)


_FORMAT = _Formatter()


def message(key: str, **params: Any) -> str:
    """The English message `key` with its values filled in."""
    return _FORMAT.format(_data()["messages"][key], **params)


def english(text: Any) -> str:
    """A sentence in English: a `Said` by its message, else the glossary's English, else as it is."""
    if isinstance(text, Said) and text.key in _data()["messages"]:
        out = message(text.key, **text.params)
        return out[:1].upper() + out[1:]
    text = str(text)
    return gloss(text) or text
