"""Property tests for the amount reader: generated mixed forms against exact integer arithmetic."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from assistant.lang.amounts import MAX_DIGITS, MAX_YUAN, find_amounts, format_yuan, parse_amount
from assistant.errors import AmountError

YI, WAN = 10 ** 8, 10 ** 4
CN_DIGITS = "零一二三四五六七八九"
FULL_WIDTH = str.maketrans("0123456789,", "０１２３４５６７８９，")


def cn(n: int) -> str:
    """Chinese numerals for 1..9999, standard form with 零 for gaps (一千零五十, 一十五)."""
    assert 1 <= n <= 9999
    out, zero = "", False
    for d, u in zip(f"{n:04d}", ["千", "百", "十", ""]):
        if d == "0":
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += CN_DIGITS[int(d)] + u
    return out


def arabic(n: int, sep: bool) -> str:
    return f"{n:,}" if sep else str(n)


def check(text: str, expected: int) -> None:
    """Chat and form agree with the exact value, alone and inside a sentence."""
    found = find_amounts(text)
    assert [(m.yuan, m.text, m.currency) for m in found] == [(expected, text, "CNY")], text
    if expected <= MAX_YUAN:
        assert parse_amount(text) == expected
    else:
        with pytest.raises(AmountError, match="合理范围"):
            parse_amount(text)
    q = f"人形机器人首台套销售额{text},补助多少?"
    assert [m.yuan for m in find_amounts(q)] == [expected], q


suffixes = st.sampled_from(["", "元", "元人民币", "人民币"])
seps = st.booleans()
digits_1_9999 = st.integers(min_value=1, max_value=9999)
digit = st.integers(min_value=1, max_value=9)


@given(digits_1_9999, digits_1_9999, seps, suffixes)
@example(1, 2000, False, "")
@example(2, 5000, False, "元")
def test_x_yi_y_wan(x: int, y: int, sep: bool, suffix: str) -> None:
    check(f"{arabic(x, sep)}亿{arabic(y, sep)}万{suffix}", x * YI + y * WAN)


@given(digits_1_9999, digit, seps, suffixes)
@example(1, 2, False, "")
def test_x_yi_y_qian_wan(x: int, y: int, sep: bool, suffix: str) -> None:
    check(f"{arabic(x, sep)}亿{y}千万{suffix}", x * YI + y * 10 ** 7)


@given(digits_1_9999, st.integers(min_value=10, max_value=9999), seps, st.sampled_from(["元", "块"]))
@example(3000, 5000, False, "元")
def test_x_wan_y_yuan(x: int, y: int, sep: bool, suffix: str) -> None:
    check(f"{arabic(x, sep)}万{arabic(y, sep)}{suffix}", x * WAN + y)


@given(digits_1_9999, digit)
def test_single_trailing_digit_is_the_next_unit_down(x: int, y: int) -> None:
    check(f"{x}万{y}", x * WAN + y * 1000)
    check(f"{x}亿{y}", x * YI + y * 10 ** 7)
    check(f"{cn(x)}亿{CN_DIGITS[y]}", x * YI + y * 10 ** 7)
    check(f"{x}万零{y}元", x * WAN + y)  # 零 keeps the digit in the ones place


@given(digit, digit, suffixes)
@example(1, 2, "")
def test_x_qian_y_bai_wan(x: int, y: int, suffix: str) -> None:
    check(f"{x}千{y}百万{suffix}", (x * 1000 + y * 100) * WAN)
    check(f"{CN_DIGITS[x]}千{CN_DIGITS[y]}百万{suffix}", (x * 1000 + y * 100) * WAN)


@given(digits_1_9999, digits_1_9999, suffixes, st.booleans())
@example(1, 2000, "", False)
@example(10, 500, "", True)
def test_chinese_yi_wan(x: int, y: int, suffix: str, zero: bool) -> None:
    """一亿两千万, 十亿零五百万 (零 optional where a place is skipped)."""
    gap = "零" if zero and y < 1000 else ""
    check(f"{cn(x)}亿{gap}{cn(y)}万{suffix}", x * YI + y * WAN)
    check(f"{cn(x).replace('二', '两', 1) if cn(x).startswith('二') else cn(x)}亿{gap}{cn(y)}万",
          x * YI + y * WAN)


@given(digits_1_9999, digit)
def test_chinese_yi_qian_wan(x: int, y: int) -> None:
    check(f"{cn(x)}亿{CN_DIGITS[y]}千万", x * YI + y * 10 ** 7)


@given(digits_1_9999, st.integers(min_value=10, max_value=9999), st.sampled_from(["元", "块钱"]))
def test_chinese_wan_yuan(x: int, y: int, suffix: str) -> None:
    gap = "零" if y < 1000 else ""
    check(f"{cn(x)}万{gap}{cn(y)}{suffix}", x * WAN + y)


@given(digits_1_9999, st.sampled_from(["万", "亿", "千万", "百万", "w"]), seps, suffixes)
def test_single_unit_with_separators_and_full_width(x: int, unit: str, sep: bool, suffix: str) -> None:
    mult = {"万": WAN, "亿": YI, "千万": 10 ** 7, "百万": 10 ** 6, "w": WAN}[unit]
    text = f"{arabic(x, sep)}{unit}{suffix}"
    check(text, x * mult)
    check(text.translate(FULL_WIDTH), x * mult)
    if unit in ("万", "亿"):  # 千万/百万 follow a single Chinese digit only (三千万, not 一十千万)
        check(f"{cn(x)}{unit}{suffix}", x * mult)
    elif x < 10:
        check(f"{CN_DIGITS[x]}{unit.replace('w', '万')}{suffix}", x * mult)


@given(st.integers(min_value=0, max_value=99_999), st.integers(min_value=1, max_value=9999),
       st.sampled_from(["万", "亿"]))
def test_decimals_are_exact(whole: int, frac: int, unit: str) -> None:
    mult = WAN if unit == "万" else YI
    frac_text = f"{frac:04d}".rstrip("0")
    value = whole * mult + frac * mult // 10_000
    assume(value > 0)
    check(f"{whole}.{frac_text}{unit}", value)


@given(st.integers(min_value=1, max_value=10 ** 9), st.sampled_from(["¥", "￥", "RMB ", "CNY ", "人民币"]))
def test_currency_prefix_and_english_multipliers(n: int, prefix: str) -> None:
    check(f"{prefix}{n:,}", n)
    m = n % 10_000 or 1
    check(f"{prefix}{m} million", m * 10 ** 6)
    check(f"{m} million yuan", m * 10 ** 6)
    check(f"{m}m yuan", m * 10 ** 6)


@given(st.integers(min_value=1, max_value=9999), st.integers(min_value=1, max_value=9999),
       st.sampled_from(["-", "到", "至", "~"]), st.sampled_from(["万", "万元", "亿"]))
def test_ranges_share_the_unit(a: int, b: int, sep: str, unit: str) -> None:
    mult = YI if unit == "亿" else WAN
    found = find_amounts(f"投资{a}{sep}{b}{unit}")
    assert [(m.yuan, m.range_part) for m in found] == [(a * mult, True), (b * mult, True)]
    with pytest.raises(AmountError):
        parse_amount(f"{a}{sep}{b}{unit}")


@given(st.integers(min_value=1, max_value=9999),
       st.sampled_from([("美元", "USD"), ("美金", "USD"), ("欧元", "EUR"), ("日元", "JPY"),
                        ("港币", "HKD"), ("港元", "HKD"), ("英镑", "GBP")]))
def test_other_currencies_never_yuan(n: int, currency: tuple[str, str]) -> None:
    word, code = currency
    [m] = find_amounts(f"{n}万{word}")
    assert (m.yuan, m.currency, m.ok) == (n * WAN, code, False)
    with pytest.raises(AmountError, match="不是人民币"):
        parse_amount(f"{n}万{word}")


# --- format_yuan round trips ---------------------------------------------------------------------
@given(st.integers(min_value=1, max_value=MAX_YUAN))
def test_format_round_trip(n: int) -> None:
    text = format_yuan(n)
    assert re.fullmatch(r"\d+(\.\d{1,4})?(亿|万)?元", text), text
    assert parse_amount(text) == n
    assert [m.yuan for m in find_amounts(text)] == [n]
    assert [m.yuan for m in find_amounts(f"可获{text}资助")] == [n]
    assert [m.yuan for m in find_amounts(format_yuan(-n))] == [-n]


@given(st.integers(min_value=-(10 ** 40), max_value=10 ** 40))
def test_format_exact_for_any_integer(n: int) -> None:
    text = format_yuan(n)
    found = find_amounts(text)
    if len(re.sub(r"[^0-9]", "", text)) <= MAX_DIGITS:
        assert [m.yuan for m in found] == [n]
    else:  # longer digit strings are refused, never misread
        assert found == [] and find_amounts(text, include_invalid=True)[0].error


# --- robustness -----------------------------------------------------------------------------------
AMOUNT_ALPHABET = st.sampled_from(list("0123456789０３.,，-−eE+ 万亿千百十零一二两三五九点余多元块钱"
                                       "wWkmM$¥￥€£到至~美欧日港人民币台%年第条")
                                  + ["RMB", "USD", "million", "yuan", "NaN", "inf"])


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_find_amounts_never_raises_on_any_text(text: str) -> None:
    for m in find_amounts(text) + find_amounts(text, include_invalid=True):
        assert 0 <= m.start < m.end <= len(text) and m.text == text[m.start:m.end]


@settings(max_examples=500)
@given(st.lists(AMOUNT_ALPHABET, max_size=30).map("".join))
def test_scanner_on_amount_like_text(text: str) -> None:
    """Never raises, mentions ordered and disjoint; parse_amount raises only AmountError, and when it
    reads a value, find_amounts (with bare numbers in a form being 元) agrees on it."""
    found = find_amounts(text, include_invalid=True)
    ends = 0
    for m in found:
        assert ends <= m.start < m.end <= len(text) and m.text == text[m.start:m.end]
        ends = m.end
    try:
        value = parse_amount(text)
    except AmountError:
        return
    assert 0 < value <= MAX_YUAN
    chat = [m for m in find_amounts(text) if m.ok]
    assert chat == [] or [m.yuan for m in chat] == [value]


@given(st.text(max_size=40))
def test_parse_amount_raises_only_amount_error(text: str) -> None:
    try:
        value = parse_amount(text)
    except AmountError:
        return
    assert isinstance(value, int) and 0 < value <= MAX_YUAN
