from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.amounts import MAX_YUAN, find_amounts, format_yuan, parse_amount
from assistant.errors import AmountError


@pytest.mark.parametrize("text, expected", [
    ("300万", [3_000_000]), ("1.2亿元", [120_000_000]), ("3,000万元", [30_000_000]),
    ("一千五百万", [15_000_000]), ("两百万", [2_000_000]), ("八十万元", [800_000]),
    ("5000元", [5_000]), ("50 million yuan", [50_000_000]), ("RMB 3 million", [3_000_000]),
    ("3千万", [30_000_000]), ("一点五亿元", [150_000_000]), ("999.9万", [9_999_000]),
    ("实际投资3000万元,其中厂房1000万元", [30_000_000, 10_000_000]),
    ("那如果销售额是8亿呢?", [800_000_000]),
    ("到2026年培育100个团队,比例10%", []), ("第十六条", []),
    ("负300万元", [-3_000_000]), ("100-200万", [2_000_000]),
    ("一亿两千万", [120_000_000]), ("十亿零五百万", [1_005_000_000]), ("1千2百万", [12_000_000]),
    ("150w", [1_500_000]), ("壹佰万元", [1_000_000]), ("2000余万元", [20_000_000]),
    ("两亿", [200_000_000]), ("300万和500万", [3_000_000, 5_000_000]),
])
def test_find_amounts(text: str, expected: list[int]) -> None:
    assert [m.yuan for m in find_amounts(text)] == expected


@pytest.mark.parametrize("bad, message", [
    ("0", "大于0"), ("-5万", "大于0"), ("abc", "无法识别"), ("2e20", "无法识别"),
    ("200000亿", "合理范围"), ("", "无法识别"), ("300万和500万", "无法识别"),
])
def test_parse_amount_rejects(bad: str, message: str) -> None:
    with pytest.raises(AmountError, match=message):
        parse_amount(bad)


def test_parse_amount_plain_and_units() -> None:
    assert parse_amount("30000000") == 30_000_000
    assert parse_amount(" 3000万 ") == 30_000_000
    assert parse_amount("1.2亿元") == 120_000_000


@pytest.mark.parametrize("yuan, text", [
    (1_500_000, "150万元"), (100_000_000, "1亿元"), (120_000_000, "1.2亿元"), (99_990, "9.999万元"),
    (5_000, "5000元"), (10_000_000, "1000万元"),
])
def test_format_yuan(yuan: int, text: str) -> None:
    assert format_yuan(yuan) == text


CN_DIGITS = "零一二三四五六七八九"


def to_chinese(n: int) -> str:
    """Chinese numerals for 1..9999 (the form people write before 万)."""
    out, units = "", ["千", "百", "十", ""]
    s = f"{n:04d}"
    zero = False
    for d, u in zip(s, units):
        if d == "0":
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += CN_DIGITS[int(d)] + u
    return out


@given(st.integers(min_value=1, max_value=9999))
def test_round_trip_arabic_and_chinese_wan(n: int) -> None:
    assert parse_amount(f"{n}万") == n * 10_000
    assert parse_amount(f"{n:,}万元") == n * 10_000
    assert parse_amount(f"{to_chinese(n)}万") == n * 10_000


@given(st.integers(min_value=1, max_value=MAX_YUAN))
def test_round_trip_plain_yuan(n: int) -> None:
    assert parse_amount(f"{n}元") == n
    assert parse_amount(str(n)) == n


@given(st.integers(min_value=1, max_value=9999), st.integers(min_value=0, max_value=99))
def test_round_trip_decimals_of_yi(whole: int, frac: int) -> None:
    assert parse_amount(f"{whole}.{frac:02d}亿") == whole * 100_000_000 + frac * 1_000_000


@given(st.integers(min_value=1, max_value=9999), st.integers(min_value=1000, max_value=9999))
def test_round_trip_yi_and_wan_in_chinese(yi: int, wan: int) -> None:
    assert parse_amount(f"{to_chinese(yi)}亿{to_chinese(wan)}万") == yi * 100_000_000 + wan * 10_000
