"""Money: amounts written in questions, tool inputs, CLI options and form fields, parsed to whole yuan
exactly, validated, and formatted for answers.

One reader serves every caller: `find_amounts` (every amount in a chat question) and `parse_amount`
(one form field or CLI option) share the same scanner, so the two never disagree on a string.

Forms read (integer arithmetic throughout, never float):

* Arabic and Chinese numerals with 十百千万亿 (and 拾佰仟萬億), in any mixture: `300万`, `1.2亿元`,
  `1亿2000万`, `1亿2千万`, `3000万5000元`, `1千2百万`, `一亿两千万`, `三千零五十万`, `壹佰万元`,
  `一点五亿`, `1万亿`; thousands separators `3,000万元` / `3，000万`; full-width digits `３０００万`;
  `150w` (= 150万); colloquial `3万5` / `一亿二` (a single trailing digit after a unit stands for the
  next unit down: 3万5 = 35,000; write `3万零5` for 30,005).
* `2000余万` / `三千多万`: read as the stated figure, `approximate=True`.
* Currencies before or after the number: `5000元`, `5000块`, `¥300万`, `RMB 5 million`,
  `50 million yuan`, `5m yuan`, `CNY 2.5 million`, `3000万元人民币`. Other currencies (`3000万美元`,
  `$3 million`, `USD 3m`, `500万欧元`, `£2m`, `港币` …) are reported with their ISO code in
  `Mention.currency` and are never taken as 元.
* Ranges `300-500万`, `300到500万`, `300至500万元`: both ends are read with the unit shared, each
  mention has `range_part=True`.
* A bare number (no 万/亿/million, no currency) is not money in a question (`2026年`, `第3条`, `10%`); a form
  field holding only a number (`30000000`) is read as 元 by `parse_amount`.

Counts are not money (`3万台`, `100万人`). Scientific notation (`1e5万`), identifiers (`A100万`),
over-long digit strings, vague figures (`数十万`, `三五万`) and inconsistent unit orders (`3亿2亿`,
`3千5千万`) are not understood: `find_amounts` leaves them out (or, with
`include_invalid=True`, returns them with `error` set) and `parse_amount` raises `AmountError`.
The scanner is linear in the length of the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Callable, NamedTuple

from ..errors import AmountError
from .cues import amount_words, numerals, pattern

MAX_YUAN = 10 ** 13
"""Anything larger is not a plausible amount for this policy."""

MAX_DIGITS = 30
"""Longer digit strings are not read at all (they are far beyond MAX_YUAN anyway)."""

# --- characters -------------------------------------------------------------------------------------
_NORMALIZE = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}  # full-width ASCII → ASCII
_NORMALIZE.update({0x3000: 0x20, 0x00A0: 0x20, 0x2212: 0x2D, 0xFFE5: 0x00A5, 0xFE50: 0x2C})
"""One character for one character, so offsets in the normalised text are offsets in the original."""

_CN_DIGIT = {**numerals().digits, **numerals().financial_digits}
_CN_SMALL = {**numerals().units, **numerals().financial_units}
_CN_BIG = {**numerals().big_units, **numerals().financial_big_units}
_DIG = "".join(_CN_DIGIT)
_SMALL = "".join(_CN_SMALL)
_BIG = "".join(_CN_BIG)
_UNITS = _SMALL + _BIG
_POINT, _APPROX, _MINUS = numerals().point, numerals().approximate, numerals().minus
_ZEROS = "".join(ch for ch, value in numerals().digits.items() if value == 0)
_TENS = "".join(ch for ch, value in _CN_SMALL.items() if value == 10)

_NUM = r"[0-9]{1,3}(?:,[0-9]{3}(?![0-9]))+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?"
_SPAN = re.compile(
    rf"(?:{_NUM}|[{_DIG}{_TENS}])"
    rf"(?:{_NUM}|[{_DIG}{_UNITS}]|{_POINT}(?=[{_DIG}])|[{_APPROX}](?=[{_UNITS}])|[ \t](?=[{_UNITS}]))*")
"""A run of numerals and units; linear: no nested ambiguity, every loop step consumes input."""
_TOKEN = re.compile(rf"(?P<n>{_NUM})|(?P<c>[{_DIG}]+)|(?P<f>{_POINT}[{_DIG}]+)|(?P<u>[{_SMALL}])"
                    rf"|(?P<b>[{_BIG}])|(?P<a>[{_APPROX}])|[ \t]")
_SCI = re.compile(rf"[eE][+-]?[0-9]+(?:\.[0-9]+)?[ \t]*[{_UNITS}wW]*")

# --- currencies --------------------------------------------------------------------------------------
_WORDS = amount_words()
CURRENCY_NAMES = _WORDS.currency_names
_CN_CURRENCY = list(_WORDS.currency_after)  # longest first within a shared prefix
_EN_CURRENCY = list(_WORDS.currency_after_english)
_PREFIX_CURRENCY = list(_WORDS.currency_before)


def _named_alternation(pairs: list[tuple[str, str]], prefix: str) -> tuple[str, dict[str, str]]:
    parts, codes = [], {}
    for i, (source, code) in enumerate(pairs):
        parts.append(f"(?P<{prefix}{i}>{source})")
        codes[f"{prefix}{i}"] = code
    return "|".join(parts), codes


_CN_CUR_RE = "|".join(re.escape(w) for w, _ in _CN_CURRENCY)
_CN_CUR_CODE = dict(_CN_CURRENCY)
_EN_CUR_RE, _EN_CUR_CODE = _named_alternation(_EN_CURRENCY, "e")
_PRE_CUR_RE, _PRE_CUR_CODE = _named_alternation(_PREFIX_CURRENCY, "p")

_CURRENCY_AFTER = re.compile(
    rf"(?P<approx>[{_APPROX}])?[ \t]{{0,2}}(?:(?P<cn>{_CN_CUR_RE})|(?P<en>(?:{_EN_CUR_RE})(?![a-z])))",
    re.IGNORECASE)
_EN_MULT = {"thousand": 10 ** 3, "k": 10 ** 3, "million": 10 ** 6, "mn": 10 ** 6, "m": 10 ** 6,
            "billion": 10 ** 9, "bn": 10 ** 9}
_MULT_AFTER = re.compile(r"(?P<kw>kw)(?![a-z])|[ \t]{0,2}(?P<eng>thousand|million|billion|mn|bn|k|m)(?![a-z])"
                         r"|(?P<w>w)(?![a-z])", re.IGNORECASE)
"""After Arabic digits: English multipliers, `w` (万) and the chat shorthand `kw` (千万: 1.2kw = 1200万)."""
_AFTER_FIRST = frozenset(_APPROX + " \t" + "".join(w[0] for w, _ in _CN_CURRENCY))
_PREFIX_LAST = frozenset(_WORDS.currency_before_last)
_PREFIX = re.compile(rf"(?P<neg>[-{_MINUS}])?[ \t]{{0,2}}(?:{_PRE_CUR_RE})?[ \t]{{0,2}}\Z", re.IGNORECASE)
_RANGE_GAP = pattern("range_gap")

_NOT_CURRENCY_AFTER_YUAN = _WORDS.not_yuan_after
"""元件、元器件、元素、元宇宙、元年… are not 元 (yuan)."""
_KUAI_FOLLOWERS = set(_WORDS.kuai_followers)
"""块 is yuan only at the end of a phrase (5000块的设备); `3块电池` counts batteries."""
_MEASURE_WORDS = pattern("measure_words")
"""After 万/亿 without a currency these count things, not money (3万台, 100万人, 5万平方米)."""
_EN_NEXT_WORD = re.compile(r"[ \t]{1,2}([a-z]+)", re.IGNORECASE)
_EN_NOT_COUNTED = frozenset(_WORDS.english_not_counted)
"""Words after `15 million` that leave it money (of that, instead); any other word counts
things (15 million units, 2 million people)."""
_VAGUE_BEFORE = _WORDS.vague_before
"""数十万、几十亿: no definite figure."""


@dataclass(frozen=True)
class Mention:
    """An amount found in a text.

    `yuan` is the amount in whole units of `currency` (yuan when currency == "CNY"; callers must refuse
    other currencies). `text` is the slice `start:end` of the original text. `approximate` marks
    `2000余万` / `三千多万`; `range_part` marks either end of `300-500万`. A mention with `error` set was
    not understood (only returned by `find_amounts(..., include_invalid=True)`); its `yuan` is 0.
    """

    yuan: int
    start: int
    end: int
    text: str
    currency: str = "CNY"
    approximate: bool = False
    range_part: bool = False
    error: str | None = None

    @property
    def ok(self) -> bool:
        """Understood and in 人民币: safe to use `yuan` as yuan."""
        return self.error is None and self.currency == "CNY"


@dataclass
class _Cand:
    """One candidate number while scanning (internal)."""

    start: int                     # including a currency prefix or minus sign
    num_start: int
    num_end: int
    end: int                       # including units, multipliers and a currency suffix
    value: int = 0                 # number × units × English multiplier × scale, before the sign
    scale: int = 1                 # value / scale is the amount (a power of ten: decimals are exact)
    lead: int = 0                  # place value of the first numeral (for ranges)
    tail_big: int = 1              # trailing 万/亿/million multiplier (for ranges)
    starts_with_unit: bool = False  # 十万: the first numeral is an implicit 一
    has_small: bool = False
    has_big: bool = False
    currency: str | None = None
    negative: bool = False
    approximate: bool = False
    range_part: bool = False
    counted: bool = False          # 3万台: a count, not money
    error: str | None = None


# --- numerals ----------------------------------------------------------------------------------------
class _NotUnderstood(Exception):
    """Internal: the candidate is not a readable amount; the message says why."""


_Token = tuple[str, str, int, int]
"""(kind, text, start, end); kind: n Arabic number, c Chinese digits, f 点 and decimals,
u 十百千, b 万亿, a 余/多."""


def _tokenize(norm: str, start: int, end: int) -> list[_Token]:
    return [(m.lastgroup, m.group(), m.start(), m.end())
            for m in _TOKEN.finditer(norm, start, end) if m.lastgroup]


def _split(tokens: list[_Token]) -> list[list[_Token]]:
    """Numbers written next to each other without a unit between them are separate (统一3000万)."""
    out: list[list[_Token]] = [[]]
    for tok in tokens:
        cur = out[-1]
        if cur and tok[0] in "nc" and cur[-1][0] in "ncf":
            # 1亿零500万: a 零 after a unit only marks the gap, the number goes on.
            zero_mark = cur[-1][0] == "c" and not cur[-1][1].strip(_ZEROS) and len(cur) > 1 \
                and cur[-2][0] in "ub"
            if not zero_mark:
                out.append([])
        out[-1].append(tok)
    return out


def _decimals(tokens: list[_Token]) -> int:
    places = 0
    for kind, text, _s, _e in tokens:
        if kind == "n" and "." in text:
            places = max(places, len(text) - text.index(".") - 1)
        elif kind == "f":
            places = max(places, len(text) - 1)
    if places > MAX_DIGITS:
        raise _NotUnderstood("数字位数过多")
    return places


def _arabic(text: str, scale: int) -> int:
    """`3,000.5` × scale (scale a power of ten at least as fine as the decimals)."""
    digits = text.replace(",", "")
    whole, _, frac = digits.partition(".")
    if len(whole) + len(frac) > MAX_DIGITS:
        raise _NotUnderstood("数字位数过多")
    return int(whole + frac) * (scale // 10 ** len(frac))


class _Figure(NamedTuple):
    """A partial value × scale, and alongside it the place value of the first numeral (the same
    computation with the first numeral as 1 and every other numeral as 0)."""

    value: int = 0
    lead: int = 0

    def plus(self, other: _Figure, unit: int = 1) -> _Figure:
        return _Figure(self.value + other.value * unit, self.lead + other.lead * unit)


_NO_UNIT = 10 ** 9
"""`last_small` before any 十百千 of a section: every small unit is allowed."""


class _Reading(NamedTuple):
    """Where the reading of a number's tokens stands: one immutable value per token read.

    A number is sections of 千百十 closed by 万 into a group, groups closed by 亿 into the total;
    `pending` is the last numeral, not yet multiplied by a unit."""

    scale: int
    has_units: bool
    total: _Figure = _Figure()
    group: _Figure = _Figure()
    section: _Figure = _Figure()
    pending: _Figure | None = None
    pending_single: bool = False
    """The pending numeral is one digit with no 零 before it (the 5 of 3万5)."""
    pending_after_unit: bool = False
    section_open: bool = False
    """The section holds a 十百千 (a 点 may follow it: 一千点五)."""
    group_open: bool = False
    """The group holds a 万."""
    last_small: int = _NO_UNIT
    zero: bool = False
    """A 零 was written since the last unit (3万零5 is 30,005, not 35,000)."""
    yi_seen: bool = False
    yi_big: bool = False
    """The last 亿 closed a group that held a 万 (1万亿2000亿)."""
    last_unit: int = 0
    first: bool = True
    """No numeral has been read yet."""
    approximate: bool = False
    prev: str = ""
    """The kind of the last token read."""

    def numeral(self, value: int, *, single: bool) -> _Reading:
        return self._replace(pending=_Figure(value, int(self.first)), first=False, pending_single=single,
                       pending_after_unit=self.prev in ("u", "b"))


def _arabic_numeral(r: _Reading, text: str) -> _Reading:
    return r.numeral(_arabic(text, r.scale), single="." not in text and len(text) == 1 and not r.zero)


def _chinese_numeral(r: _Reading, text: str) -> _Reading:
    if len(text) > MAX_DIGITS:
        raise _NotUnderstood("数字位数过多")
    if not r.has_units:  # 二〇二六: digits read one by one
        value = int("".join(str(_CN_DIGIT[ch]) for ch in text)) * r.scale
        return r.numeral(value, single=len(text) == 1)._replace(pending_after_unit=False)
    stripped = text.lstrip(_ZEROS)
    r = r._replace(zero=r.zero or stripped != text)
    if len(stripped) > 1:
        raise _NotUnderstood("连写的数字(如“三五万”)不是一个确定的金额")
    if not stripped:  # a 零 alone only marks a gap
        return r
    return r.numeral(_CN_DIGIT[stripped] * r.scale, single=not r.zero)


def _decimal_part(r: _Reading, text: str) -> _Reading:
    frac = int("".join(str(_CN_DIGIT[ch]) for ch in text[1:])) * (r.scale // 10 ** (len(text) - 1))
    if r.pending is not None:
        return r._replace(pending=_Figure(r.pending.value + frac, r.pending.lead), pending_single=False)
    if r.section_open and r.prev == "u":
        return r._replace(section=_Figure(r.section.value + frac, r.section.lead))
    raise _NotUnderstood("“点”的位置不对")


def _small_unit(r: _Reading, text: str) -> _Reading:
    unit = _CN_SMALL[text]
    pending = r.pending
    if pending is None:
        if unit != 10:
            raise _NotUnderstood(f"“{text}”前面缺少数字")
        pending = _Figure(r.scale, int(r.first))
        r = r._replace(first=False)
    if unit >= r.last_small:
        raise _NotUnderstood("单位的顺序不对")
    return r._replace(section=r.section.plus(pending, unit), pending=None, section_open=True, last_small=unit,
                   zero=False, last_unit=unit)


def _big_unit(r: _Reading, text: str) -> _Reading:
    unit = _CN_BIG[text]
    pending = r.pending or _Figure()
    closed = r._replace(section=_Figure(), pending=None, section_open=False, last_small=_NO_UNIT, zero=False,
                     last_unit=unit)
    if unit == 10 ** 4:
        if r.group_open or not (r.section_open or r.pending is not None):
            raise _NotUnderstood("“万”的位置不对")
        return closed._replace(group=r.group.plus(r.section.plus(pending), unit), group_open=True)
    if not (r.group_open or r.section_open or r.pending is not None):
        raise _NotUnderstood("“亿”的位置不对")
    if r.yi_seen and (not r.yi_big or r.group_open):  # 1万亿2000亿 is fine, 2亿3亿 is not
        raise _NotUnderstood("单位的顺序不对")
    return closed._replace(total=r.total.plus(r.group.plus(r.section.plus(pending)), unit), yi_seen=True,
                   yi_big=r.group_open, group=_Figure(), group_open=False)


_STEPS: dict[str, Callable[[_Reading, str], _Reading]] = {"n": _arabic_numeral, "c": _chinese_numeral, "f": _decimal_part, "u": _small_unit, "b": _big_unit,
          "a": lambda r, _text: r._replace(approximate=True)}


def _finish(r: _Reading) -> _Figure:
    """The whole number: the colloquial trailing digit takes the next unit down (3万5 = 3万5千,
    一亿二 = 一亿二千万, 两百五 = 250)."""
    pending = r.pending or _Figure()
    if r.pending is not None and r.pending_single and r.pending_after_unit \
            and r.last_unit in (10 ** 8, 10 ** 4, 1000, 100):
        pending = _Figure(pending.value * (r.last_unit // 10), pending.lead * (r.last_unit // 10))
    return r.total.plus(r.group).plus(r.section).plus(pending)


def _evaluate(tokens: list[_Token]) -> tuple[int, int, int, bool]:
    """(value × scale, scale, place value of the first numeral, approximate) of numerals and units.

    Standard Chinese reading (sections of 千百十 closed by 万, groups closed by 亿), with Arabic numbers
    allowed wherever a digit is, plus the colloquial trailing digit (3万5 = 35,000; 一亿二 = 1.2亿).
    Integers only: every value is kept multiplied by `scale` = 10**(decimal places). Each numeral's
    value is multiplied by a chain of unit constants, so the place value of the first numeral is
    followed alongside (`_Figure.lead`). Each token is one step from a frozen `_Reading` to the next
    (`_STEPS`); every check depends on the shape of the text, not on values.
    """
    scale = 10 ** _decimals(tokens)
    if len(tokens) == 1 and tokens[0][0] == "n":
        return _arabic(tokens[0][1], scale), scale, 1, False
    reading = _Reading(scale=scale, has_units=any(t[0] in "ub" for t in tokens))
    for kind, text, _s, _e in tokens:
        reading = _STEPS[kind](reading, text)._replace(prev=kind)
    number = _finish(reading)
    return number.value, scale, number.lead, reading.approximate


def _tail_big(tokens: list[_Token]) -> int:
    mult = 1
    for kind, text, _s, _e in reversed(tokens):
        if kind == "a":
            continue
        if kind != "b":
            break
        mult *= _CN_BIG[text]
    return mult


# --- scanning ----------------------------------------------------------------------------------------
def _currency_after(norm: str, pos: int) -> tuple[str | None, bool, int]:
    """(ISO code, approximate, end) of a currency written at `pos` (元, 块钱, 美元, yuan, USD …)."""
    ch = norm[pos:pos + 1]
    if not ch or not (ch in _AFTER_FIRST or ch.isascii() and ch.isalpha()):
        return None, False, pos  # the common case, decided without a regex
    m = _CURRENCY_AFTER.match(norm, pos)
    if m is None:
        return None, False, pos
    if m.group("cn"):
        word = m.group("cn")
        after = norm[m.end():m.end() + 2]
        if word == "元" and after.startswith(_NOT_CURRENCY_AFTER_YUAN):
            return None, False, pos
        if word == "块" and after[:1] and after[:1] not in _KUAI_FOLLOWERS \
                and not after[:1].isascii():
            return None, False, pos
        return _CN_CUR_CODE[word], bool(m.group("approx")), m.end()
    code = next(_EN_CUR_CODE[k] for k, v in m.groupdict().items() if v and k in _EN_CUR_CODE)
    return code, bool(m.group("approx")), m.end()


def _prefix(norm: str, lo: int, pos: int) -> tuple[int, str | None, bool]:
    """(start, ISO code, negative) of a currency sign or minus written just before `pos`."""
    last = pos - 1
    while last >= lo and last > pos - 3 and norm[last] in " \t":
        last -= 1
    ch = norm[last] if last >= lo else ""
    if not ch or not (ch in _PREFIX_LAST or ch.isascii() and ch.isalpha()):
        return pos, None, False  # the common case, decided without a regex
    m = _PREFIX.search(norm, max(lo, pos - 14), pos)
    if m is None or m.start() == m.end():
        return pos, None, False
    code = _PRE_CUR_CODE.get(m.lastgroup or "")
    negative = bool(m.group("neg"))
    start = m.start()
    if negative:
        k = start - 1
        while k > 0 and k > start - 3 and norm[k] in " \t":
            k -= 1
        before = norm[k] if k >= 0 else ""
        if before and (before.isalnum() and before.isascii() or before in _DIG or before in _UNITS
                       or before in "元块"):
            negative = False  # 2000-300万 or A-5: not a minus sign
            start = m.start() + 1
            if code is None:
                return pos, None, False
    if code is None and not negative:
        return pos, None, False
    # Trim leading spaces the pattern may have swallowed.
    while start < pos and norm[start] in " \t":
        start += 1
    return start, code, negative


def _read(norm: str, original: str, tokens: list[_Token], lo: int) -> _Cand:
    num_start, num_end = tokens[0][2], tokens[-1][3]
    cand = _Cand(start=num_start, num_start=num_start, num_end=num_end, end=num_end,
                 starts_with_unit=tokens[0][0] == "u")
    kinds = "".join(t[0] for t in tokens)
    cand.has_small, cand.has_big = "u" in kinds, "b" in kinds
    arabic_only = len(tokens) == 1 and tokens[0][0] == "n"
    cand.start, pre_code, cand.negative = _prefix(norm, lo, num_start)

    # Scientific notation: 1e5万, 2e20, 1.5E+10元 — not understood (and not read as 5万).
    if tokens[-1][0] == "n":
        sci = _SCI.match(norm, num_end)
        if sci:
            cand.end = _currency_after(norm, sci.end())[2]
            cand.error = "不支持科学计数法(e/E)"
            return cand

    # What comes just before: 1,2345万 / 1.2.3万 (ASCII separators that do not group thousands) and
    # A100 (an identifier) are not amounts; 数十万 / 几十亿 are not definite figures.
    before = norm[num_start - 1:num_start] if num_start > 0 else ""
    before2 = norm[num_start - 2:num_start - 1] if num_start > 1 else ""
    if before and before in ",." and original[num_start - 1:num_start] in ",." and before2.isdigit():
        cand.error = "数字的分隔或小数点写法不对"
    elif before and before.isascii() and before.isalpha() and tokens[0][0] == "n":
        pre = _PREFIX.search(norm, max(lo, num_start - 14), num_start)
        if pre is None or pre.lastgroup not in _PRE_CUR_CODE:
            cand.error = "数字是编号或型号的一部分"
    elif norm.endswith(_VAGUE_BEFORE, max(lo, num_start - 2), num_start):
        cand.error = "不是确定的金额"

    try:
        cand.value, cand.scale, cand.lead, cand.approximate = _evaluate(tokens)
    except _NotUnderstood as exc:
        cand.error = cand.error or str(exc)
    cand.tail_big = _tail_big(tokens)

    pos = num_end
    english_big = False
    if arabic_only:
        mult = _MULT_AFTER.match(norm, pos)
        if mult:
            if mult.group("w") or mult.group("kw"):
                cand.has_big = True
                factor = 10 ** 7 if mult.group("kw") else 10 ** 4
            else:
                factor = _EN_MULT[mult.group("eng").lower()]
                english_big = factor >= 10 ** 6 and len(mult.group("eng")) > 1
                cand.has_big = cand.has_big or english_big  # 15 million, as 1500万: money unless counted
            cand.value *= factor
            cand.lead *= factor
            cand.tail_big *= factor
            pos = mult.end()
    currency, approx_word, after = _currency_after(norm, pos)
    if currency is not None:
        cand.currency, pos = currency, after
        cand.approximate = cand.approximate or approx_word
    cand.end = pos

    if pre_code is not None and cand.currency is not None and pre_code != cand.currency:
        cand.error = cand.error or "前后写的币种不一致"
    cand.currency = cand.currency or pre_code
    if cand.currency is None and cand.has_big:
        if english_big:
            word = _EN_NEXT_WORD.match(norm, cand.end)
            cand.counted = word is not None and word.group(1).lower() not in _EN_NOT_COUNTED
        elif _MEASURE_WORDS.match(norm, cand.end):
            cand.counted = True
    return cand


_GE = pattern("measure_ge")
"""六个亿, 两个多亿: the measure word 个 between a number and 亿/万 (read as a space, same length)."""


def _scan(text: str) -> list[_Cand]:
    norm = _GE.sub(" ", text.translate(_NORMALIZE))
    cands: list[_Cand] = []
    done = 0  # end of the last candidate: nothing before it is read twice
    for span in _SPAN.finditer(norm):
        if span.start() < done:
            continue
        tokens = _tokenize(norm, span.start(), span.end())
        if len(tokens) >= 2 and tokens[-1][0] == "c" and len(tokens[-1][1]) == 1 and tokens[-2][0] in "ub" \
                and norm[span.end():span.end() + 1] and norm[span.end()] in _WORDS.digit_word_tails:
            tokens = tokens[:-1]  # 600万二手设备: 二 starts the word 二手, no trailing digit of 600万
        for part in _split(tokens):
            if part[0][2] < done:
                continue
            try:
                cand = _read(norm, text, part, done)
            except Exception as exc:  # noqa: BLE001 — a scanner must never raise on user text
                cand = _Cand(part[0][2], part[0][2], part[-1][3], part[-1][3],
                             error=f"无法解析({type(exc).__name__})")
            cands.append(cand)
            done = cand.end
    _pair_ranges(norm, cands)
    return cands


def _pair_ranges(norm: str, cands: list[_Cand]) -> None:
    """300-500万, 300到500万, ¥300-500万, 5-10 million yuan: both ends read with the unit shared."""
    i = 0
    while i + 1 < len(cands):
        a, b = cands[i], cands[i + 1]
        gap = _RANGE_GAP.fullmatch(norm, a.end, b.start)
        a_bare = a.num_end == a.end and not (a.has_big or a.has_small)
        # ¥300-500, $3-5 million: the currency written before the first end covers the second.
        b_money = _is_money(b) or (a.currency is not None and a_bare and b.currency is None)
        if gap is None or a.error or b.error or b.negative or not b_money:
            i += 1
            continue
        if a.currency and b.currency and a.currency != b.currency:
            i += 1
            continue
        if not (a.has_big or a.has_small or a.num_end != a.end or b.starts_with_unit):
            a.value *= b.lead          # 300-500万, 三到五百万: 300 has the place value of 500
        elif not a.has_big and a.end == a.num_end:
            a.value *= b.tail_big      # 三百到五百万, 五到十万: 三百 takes 万
        a.has_big = a.has_big or b.has_big
        a.currency = a.currency or b.currency
        b.currency = b.currency or a.currency
        a.range_part = b.range_part = True
        i += 2


def _is_money(c: _Cand) -> bool:
    return c.currency is not None or (c.has_big and not c.counted)


def _round_half_up(value: int, scale: int) -> int:
    """value / scale to whole yuan, halves away from zero (1.5元 → 2元)."""
    q, r = divmod(abs(value), scale)
    if 2 * r >= scale:
        q += 1
    return -q if value < 0 else q


def _mentions(text: str, *, include_invalid: bool, include_bare: bool) -> list[Mention]:
    out: list[Mention] = []
    for c in _scan(text):
        money = _is_money(c)
        if c.error is not None:
            if include_invalid and (money or include_bare or c.num_end != c.end):
                out.append(Mention(0, c.start, c.end, text[c.start:c.end], c.currency or "CNY",
                                   c.approximate, c.range_part, c.error))
            continue
        if c.counted or not (money or include_bare):
            continue
        value = -c.value if c.negative else c.value
        out.append(Mention(_round_half_up(value, c.scale), c.start, c.end, text[c.start:c.end],
                           c.currency or "CNY", c.approximate, c.range_part))
    return out


def find_amounts(text: str, *, include_invalid: bool = False) -> list[Mention]:
    """Every money amount in the text, in order. Never raises.

    A bare number without 万/亿 or a currency is not money. Amounts in another currency are returned
    with their `currency` (check `Mention.ok` before using `yuan` as yuan). Text that looks like an
    amount but cannot be read (`1e5万`) is left out, or returned with `error` set when
    `include_invalid` is true.
    """
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    return _mentions(text, include_invalid=include_invalid, include_bare=False)


def validate_amount(yuan: int, label: str = "金额") -> int:
    """The amount itself; AmountError when not positive or absurdly large."""
    if yuan <= 0:
        raise AmountError(f"{label}必须大于0元(收到 {format_yuan(yuan) if yuan else '0元'})。")
    if yuan > MAX_YUAN:
        raise AmountError(f"{label}{format_yuan(yuan)}超过了合理范围(10万亿元),请核对后再输入。")
    return yuan


def currency_error(mention: Mention, label: str = "金额") -> AmountError:
    """The error for an amount in another currency than 人民币."""
    name = CURRENCY_NAMES.get(mention.currency, mention.currency)
    return AmountError(f"{label}“{mention.text}”是{name}({mention.currency})金额,不是人民币:"
                       f"本政策的金额均以人民币元计,请换算成人民币(元)后再输入。")


def mention_yuan(mention: Mention, label: str = "金额") -> int:
    """The validated yuan of a mention; AmountError if it was not understood or is not in 人民币."""
    if mention.error is not None:
        raise AmountError(f"无法识别{label}“{mention.text}”:{mention.error}。")
    if mention.currency != "CNY":
        raise currency_error(mention, label)
    return validate_amount(mention.yuan, label)


_HINT = "请写成 3000万、1.2亿元、5000元 或 30000000 这样的形式。"


def parse_amount(text: str, label: str = "金额", allow_zero: bool = False) -> int:
    """One amount typed by a user (`3000万`, `1.2亿元`, `5000元`, `30000000`), validated.

    The field must hold exactly one amount (surrounding spaces and a final 。/. allowed), read by the
    same scanner as `find_amounts`; a plain number is read as 元. AmountError otherwise. With
    `allow_zero` (an excluded part), 0 is a valid answer.
    """
    raw = "" if text is None else str(text).strip()
    if not raw:
        raise AmountError(f"请填写{label}。{_HINT}")  # (an empty field: nothing to read, no “”)
    core = raw[:-1].rstrip() if raw.endswith(("。", ".")) else raw
    found = _mentions(core, include_invalid=True, include_bare=True) if core else []
    if len(found) != 1 or (found[0].start, found[0].end) != (0, len(core)):
        if sum(m.range_part for m in found) >= 2:
            raise AmountError(f"无法识别{label}“{raw}”:这是一个范围,请只填写一个金额。")
        reasons = "".join(f"“{m.text}”{m.error}。" for m in found if m.error)
        raise AmountError(f"无法识别{label}“{raw}”:{reasons}{_HINT}")
    m = found[0]
    if m.error is not None:
        raise AmountError(f"无法识别{label}“{raw}”:{m.error}。{_HINT}")
    if m.currency != "CNY":
        raise currency_error(replace(m, text=raw), label)
    if allow_zero and m.yuan == 0:
        return 0
    return validate_amount(m.yuan, label)


def format_yuan(amount: int) -> str:
    """`1500000` → `150万元`; `100000000` → `1亿元`; small amounts in 元. Exact for any integer."""
    sign = "-" if amount < 0 else ""
    amount = abs(int(amount))
    if amount >= 100_000_000 and amount % 1_000_000 == 0:
        return f"{sign}{_trim(amount, 100_000_000)}亿元"
    if amount >= 10_000:
        return f"{sign}{_trim(amount, 10_000)}万元"
    return f"{sign}{amount}元"


def _trim(amount: int, unit: int) -> str:
    whole, rest = divmod(amount, unit)
    if not rest:
        return str(whole)
    width = len(str(unit)) - 1
    return f"{whole}.{rest:0{width}d}".rstrip("0")
