"""Grounding checks for generated answers: cited articles must have been retrieved, and every
figure with a unit must appear in the cited sources or in the calculator's result."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ..lang.cues import numerals, pattern
from ..lang.numerals import NUMERAL_CHARS, chinese_int

UNITS = ("亿元", "万元", "元", "%", "个", "台", "家", "项")
_NUM = rf"(?:\d+(?:[,，]\d{{3}})*(?:\.\d+)?|[{NUMERAL_CHARS}]+)"
_FIGURE = pattern("figure")
_CITE = pattern("cited_article")
_SCALE = numerals().money_units


@dataclass(frozen=True)
class Figure:
    value: Decimal
    kind: str
    """`yuan`, `%`, or the counting unit (个/台/家/项)."""
    text: str


def _number(raw: str) -> Decimal | None:
    raw = raw.replace(",", "").replace(",", "")
    try:
        return Decimal(raw)
    except InvalidOperation:
        try:
            return Decimal(chinese_int(raw))
        except ValueError:
            return None


def figures(text: str) -> list[Figure]:
    """Every number-with-unit in a text (money normalised to yuan)."""
    out = []
    for m in _FIGURE.finditer(text):
        value = _number(m.group(1))
        if value is None:
            continue
        unit = m.group(2)
        if unit in _SCALE:
            # `亿`/`万` alone count as money only when money follows (万元 is matched first).
            out.append(Figure(value * _SCALE[unit], "yuan", m.group(0)))
        elif unit in ("%", "％"):
            out.append(Figure(value, "%", m.group(0)))
        else:
            out.append(Figure(value, unit, m.group(0)))
    return out


def cited_articles(text: str) -> list[int]:
    out = []
    for m in _CITE.finditer(text):
        try:
            out.append(chinese_int(m.group(1)))
        except ValueError:
            continue
    return out


def check(answer: str, allowed_articles: set[int], source_text: str) -> list[str]:
    """Problems found (empty when the answer is grounded)."""
    problems = []
    if not answer.strip():
        return ["the model returned an empty answer"]
    for n in cited_articles(answer):
        if n not in allowed_articles:
            problems.append(f"cites 第{n}条, which was not retrieved")
    known = {(f.value, f.kind) for f in figures(source_text)}
    for f in figures(answer):
        if (f.value, f.kind) not in known:
            problems.append(f"states {f.text}, which is in neither the sources nor the calculation")
    return problems
