from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.lang.amounts import MAX_YUAN, find_amounts, format_yuan, parse_amount
from assistant.errors import AmountError

from .test_amounts_properties import cn


@pytest.mark.parametrize("text, expected", [
    ("300万", [3_000_000]), ("1.2亿元", [120_000_000]), ("3,000万元", [30_000_000]),
    ("一千五百万", [15_000_000]), ("两百万", [2_000_000]), ("八十万元", [800_000]),
    ("5000元", [5_000]), ("50 million yuan", [50_000_000]), ("RMB 3 million", [3_000_000]),
    ("3千万", [30_000_000]), ("一点五亿元", [150_000_000]), ("999.9万", [9_999_000]),
    ("实际投资3000万元,其中厂房1000万元", [30_000_000, 10_000_000]),
    ("那如果销售额是8亿呢?", [800_000_000]),
    ("到2026年培育100个团队,比例10%", []), ("第十六条", []),
    ("负300万元", [-3_000_000]), ("100-200万", [1_000_000, 2_000_000]),
    ("一亿两千万", [120_000_000]), ("十亿零五百万", [1_005_000_000]), ("1千2百万", [12_000_000]),
    ("150w", [1_500_000]), ("壹佰万元", [1_000_000]), ("2000余万元", [20_000_000]),
    ("两亿", [200_000_000]), ("300万和500万", [3_000_000, 5_000_000]),
])
def test_find_amounts(text: str, expected: list[int]) -> None:
    assert [m.yuan for m in find_amounts(text)] == expected


@pytest.mark.parametrize("bad, message", [
    ("0", "大于0"), ("-5万", "大于0"), ("abc", "无法识别"), ("2e20", "无法识别"),
    ("200000亿", "合理范围"), ("", "请填写"), ("300万和500万", "无法识别"),
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


to_chinese = cn  # one writer of Chinese numerals for every amount test


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


# --- one reader for every written form ------------------------------------------------------------
from assistant.lang.amounts import (  # noqa: E402
    CURRENCY_NAMES, MAX_DIGITS, Mention, currency_error, mention_yuan, validate_amount)

FORMS = [
    # mixed units (misread before: 1亿2000万 was 1亿, 3000万5000元 two amounts …)
    ("1亿2000万", 120_000_000), ("1亿2千万", 120_000_000), ("2亿5000万元", 250_000_000),
    ("3000万5000元", 30_005_000), ("1千2百万", 12_000_000), ("1亿零500万", 105_000_000),
    ("3000万零5元", 30_000_005), ("1万亿", 10 ** 12), ("1万亿2000亿", 12 * 10 ** 11),
    # Chinese numerals
    ("一亿两千万", 120_000_000), ("两千五百万", 25_000_000), ("三千零五十万", 30_500_000),
    ("十亿零五百万", 1_005_000_000), ("壹佰万元", 1_000_000), ("壹仟贰佰万元", 12_000_000),
    ("一点五亿元", 150_000_000), ("十万", 100_000), ("二十五万", 250_000), ("三万零五", 30_005),
    ("五千元", 5_000), ("两百万", 2_000_000),
    # decimals and separators
    ("1.2亿", 120_000_000), ("0.5亿", 50_000_000), ("999.9万", 9_999_000), ("1.23456万", 12_346),
    ("3,000万元", 30_000_000), ("3，000万", 30_000_000), ("1,234.5万", 12_345_000),
    ("３０００万", 30_000_000), ("３，０００万元", 30_000_000),
    # w, 元, 块, currency signs and words
    ("150w", 1_500_000), ("150W", 1_500_000), ("150万", 1_500_000), ("5000元", 5_000),
    ("5000块", 5_000), ("5000块钱", 5_000), ("¥300万", 3_000_000), ("￥1,200,000", 1_200_000),
    ("3000万元人民币", 30_000_000), ("人民币300万元", 3_000_000), ("300 万元", 3_000_000),
    ("RMB 5 million", 5_000_000), ("50 million yuan", 50_000_000), ("5m yuan", 5_000_000),
    ("8 million RMB", 8_000_000), ("CNY 2.5 million", 2_500_000), ("RMB5million", 5_000_000),
    ("1.5 billion yuan", 1_500_000_000), ("5k yuan", 5_000),
    # colloquial trailing digit: the next unit down
    ("一亿二", 120_000_000), ("1亿2", 120_000_000), ("3万5", 35_000), ("一万五", 15_000),
    ("两百五十万", 2_500_000),
]


@pytest.mark.parametrize("text, yuan", FORMS)
def test_every_form_read_exactly_by_chat_and_form(text: str, yuan: int) -> None:
    found = find_amounts(text)
    assert [(m.yuan, m.text, m.currency, m.range_part) for m in found] == [(yuan, text, "CNY", False)]
    assert parse_amount(text) == yuan
    assert parse_amount(f" {text}。") == yuan


@pytest.mark.parametrize("text, yuan", [("2000余万", 20_000_000), ("三千多万", 30_000_000),
                                         ("2000多万元", 20_000_000), ("十多万", 100_000),
                                         ("300多元", 300), ("5万余元", 50_000),
                                         ("90来万", 900_000), ("十来万", 100_000)])  # (AQ raqp15: 大概90来万)
def test_approximate_amounts_read_as_stated_and_flagged(text: str, yuan: int) -> None:
    [m] = find_amounts(text)
    assert (m.yuan, m.approximate) == (yuan, True)
    assert parse_amount(text) == yuan
    assert not find_amounts("3000万")[0].approximate


def test_amounts_inside_questions() -> None:
    q = "人形机器人首台套销售额1亿2000万元,其中关联方3,000万元,补助多少?"
    assert [(m.yuan, m.text) for m in find_amounts(q)] == [(120_000_000, "1亿2000万元"),
                                                           (30_000_000, "3,000万元")]
    m = find_amounts("我们卖了3000万,补多少")[0]
    assert (m.start, m.end, m.text) == (4, 9, "3000万")
    assert [m.yuan for m in find_amounts("统一3000万")] == [30_000_000]
    assert [m.yuan for m in find_amounts("第一次采购花了250万")] == [2_500_000]
    assert [m.yuan for m in find_amounts("5000块的设备")] == [5_000]


@pytest.mark.parametrize("text", [
    "2026年", "第3条", "10%", "100项", "3台", "30000000", "三千", "第十六条", "2023-2025年",
    "3万台", "100万人", "5万平方米", "年产10万套", "3块电池", "元器件5000", "5 million robots", "5m",
    "数十万", "几十亿", "千万不要", "A100", "iPhone15万", "版本1.2.3万",
])
def test_not_money_in_a_question(text: str) -> None:
    assert find_amounts(text) == []


def test_bare_number_is_yuan_only_in_a_form_field() -> None:
    assert find_amounts("30000000") == []
    assert parse_amount("30000000") == 30_000_000
    assert parse_amount("3,000,000") == 3_000_000
    assert parse_amount("1.5") == 2  # half a yuan rounds up
    assert parse_amount("三千") == 3_000


@pytest.mark.parametrize("text, currency, yuan", [
    ("3000万美元", "USD", 30_000_000), ("300万美金", "USD", 3_000_000), ("$3 million", "USD", 3_000_000),
    ("US$3m", "USD", 3_000_000), ("USD 3m", "USD", 3_000_000),
    ("3 million US dollars", "USD", 3_000_000), ("5 million dollars", "USD", 5_000_000),
    ("500万欧元", "EUR", 5_000_000), ("EUR 5m", "EUR", 5_000_000), ("€5m", "EUR", 5_000_000),
    ("2 million euros", "EUR", 2_000_000), ("300万日元", "JPY", 3_000_000), ("JPY 3m", "JPY", 3_000_000),
    ("300万港币", "HKD", 3_000_000), ("300万港元", "HKD", 3_000_000), ("HKD 3m", "HKD", 3_000_000),
    ("HK$3m", "HKD", 3_000_000), ("300万英镑", "GBP", 3_000_000), ("£3m", "GBP", 3_000_000),
    ("3 million pounds", "GBP", 3_000_000), ("100万韩元", "KRW", 1_000_000),
    ("50万澳元", "AUD", 500_000), ("80万新台币", "TWD", 800_000),
])
def test_other_currencies_are_never_yuan(text: str, currency: str, yuan: int) -> None:
    [m] = find_amounts(text)
    assert (m.currency, m.yuan, m.text, m.ok) == (currency, yuan, text, False)
    with pytest.raises(AmountError, match="不是人民币") as info:
        parse_amount(text, "销售额")
    assert "元" in str(info.value) and text in str(info.value) and "销售额" in str(info.value)
    with pytest.raises(AmountError, match="不是人民币"):
        mention_yuan(m)
    assert CURRENCY_NAMES[currency] in str(currency_error(m))


def test_currency_in_a_question_and_mixed() -> None:
    q = "我们在美国卖了$3 million,在国内卖了2000万元"
    assert [(m.currency, m.yuan) for m in find_amounts(q)] == [("USD", 3_000_000), ("CNY", 20_000_000)]
    assert [m.ok for m in find_amounts(q)] == [False, True]
    with pytest.raises(AmountError, match="无法识别"):
        parse_amount("¥300万美元")  # two different currencies


@pytest.mark.parametrize("text, message", [
    ("1e309万", "科学计数法"), ("1e5万", "科学计数法"), ("2e20", "科学计数法"), ("1.5E+10元", "科学计数法"),
    ("3e5 yuan", "科学计数法"), ("NaN", "无法识别"), ("nan万", "无法识别"), ("inf", "无法识别"),
    ("-inf", "无法识别"), ("Infinity元", "无法识别"), ("abc", "无法识别"), ("", "请填写"),
    ("   ", "请填写"), ("万", "无法识别"), ("元", "无法识别"), ("三五万", "不是一个确定的金额"),
    ("数十万", "不是确定的金额"), ("A100万", "编号"), ("1,2345万", "写法不对"), ("3万台", "无法识别"),
    ("1" * 40 + "万", "位数过多"), ("一" * 40, "位数过多"), ("0.0000000000000000000000000000001万", "位数过多"),
    ("123456789012345678901亿", "合理范围"), ("2" * 25 + "亿元", "合理范围"), ("200000亿", "合理范围"),
    ("10000000000001", "合理范围"), ("0", "大于0"), ("0元", "大于0"), ("零元", "大于0"),
    ("-5万", "大于0"), ("-5", "大于0"), ("负300万元", "大于0"), ("−300万", "大于0"),
    ("0.4元", "大于0"), ("300万和500万", "无法识别"), ("300-500万", "范围"),
    ("3亿2亿", "顺序"), ("一百千万", "缺少数字"), ("3千5千万", "顺序"), ("亿万", "无法识别"), ("约300万", "无法识别"),
])
def test_parse_amount_refuses_clearly(text: str, message: str) -> None:
    with pytest.raises(AmountError, match=message) as info:
        parse_amount(text)
    if message in ("无法识别", "科学计数法", "位数过多", "编号", "写法不对"):
        assert f"“{text.strip()}”" in str(info.value)


@pytest.mark.parametrize("text", ["1e309万", "1e5万", "2e20元", "1E5万元", "x1e5万"])
def test_scientific_notation_is_never_read_as_its_exponent(text: str) -> None:
    assert find_amounts(text) == []
    flagged = find_amounts(text, include_invalid=True)
    assert all(m.error and m.yuan == 0 for m in flagged)
    assert all(m.yuan not in (50_000, 3_090_000) for m in flagged)


def test_invalid_mentions_are_flagged_on_request() -> None:
    q = "销售额1e5万,另有3000万元"
    assert [m.yuan for m in find_amounts(q)] == [30_000_000]
    flagged = find_amounts(q, include_invalid=True)
    assert [(m.text, m.error is not None) for m in flagged] == [("1e5万", True), ("3000万元", False)]
    with pytest.raises(AmountError, match="无法识别"):
        mention_yuan(flagged[0])
    assert mention_yuan(flagged[1]) == 30_000_000


@pytest.mark.parametrize("text, expected", [
    ("300-500万", [3_000_000, 5_000_000]), ("300到500万", [3_000_000, 5_000_000]),
    ("300至500万元", [3_000_000, 5_000_000]), ("300~500万", [3_000_000, 5_000_000]),
    ("300 - 500万", [3_000_000, 5_000_000]), ("300万-500万", [3_000_000, 5_000_000]),
    ("1-1.5亿", [100_000_000, 150_000_000]), ("3-5千万", [30_000_000, 50_000_000]),
    ("三到五百万", [3_000_000, 5_000_000]), ("三百到五百万", [3_000_000, 5_000_000]),
    ("五到十万", [50_000, 100_000]), ("1000-3000元", [1_000, 3_000]),
    ("¥300-500万", [3_000_000, 5_000_000]), ("5-10 million yuan", [5_000_000, 10_000_000]),
    ("300万到1亿", [3_000_000, 100_000_000]),
])
def test_ranges_share_the_unit(text: str, expected: list[int]) -> None:
    found = find_amounts(text)
    assert [m.yuan for m in found] == expected
    assert all(m.range_part and m.currency == "CNY" for m in found)


def test_ranges_in_other_currencies_and_not_ranges() -> None:
    assert [(m.yuan, m.currency, m.range_part) for m in find_amounts("$3-5 million")] == \
        [(3_000_000, "USD", True), (5_000_000, "USD", True)]
    assert [(m.yuan, m.range_part) for m in find_amounts("2023-2025年投资3000万")] == [(30_000_000, False)]
    assert [(m.yuan, m.range_part) for m in find_amounts("300万和500万")] == \
        [(3_000_000, False), (5_000_000, False)]


def test_mention_keeps_its_old_constructor_and_gains_fields() -> None:
    m = Mention(5, 0, 2, "5元")
    assert (m.currency, m.approximate, m.range_part, m.error, m.ok) == ("CNY", False, False, None, True)


def test_find_amounts_never_raises_on_odd_input() -> None:
    for text in ["", "\x00", "\ud800", "𝟑𝟎𝟎万", "٣٠٠万", "1" * 5000 + "万", "万" * 3000, "e" * 100,
                 "1e" * 1000, "-" * 100 + "5万", "¥" * 50, "1,1,1,1,1,1" * 100, "点" * 50, "多" * 50]:
        assert isinstance(find_amounts(text), list)
        assert isinstance(find_amounts(text, include_invalid=True), list)
    assert find_amounts(None) == []  # type: ignore[arg-type]


@pytest.mark.parametrize("text", [
    "1" * 2000, "一" * 2000, "万" * 2000, "十" * 2000, "1万" * 1000, "一万" * 1000, "1-" * 1000,
    "1 " * 1000, "1e" * 1000, "1," * 1000, "111," * 500, "¥1" * 1000, "a1" * 1000, "1.1." * 500,
    "3万5" * 600, "1万元" * 600, "$1m" * 600, "1-2万" * 400, "零" * 2000 + "万", "多" * 2000,
    "1" * 2000 + "万元", "9" * 1999 + "e5",
])
def test_long_inputs_complete(text: str) -> None:
    """Worst cases of the scanner finish (it is linear; timing is checked outside unit tests)."""
    found = find_amounts(text, include_invalid=True)
    assert all(0 <= m.start < m.end <= len(text) for m in found)
    with pytest.raises(AmountError):
        parse_amount(text)


def test_validate_and_format_exact_for_huge_numbers() -> None:
    assert format_yuan(123_456_789_012_345_678_901_234_567_890) == "12345678901234567890123456.789万元"
    assert format_yuan(10 ** 30) == "10000000000000000000000亿元"
    assert format_yuan(-1_500_000) == "-150万元" and format_yuan(0) == "0元"
    with pytest.raises(AmountError, match="合理范围"):
        validate_amount(10 ** 40)
    assert MAX_DIGITS >= 20


def test_parse_amount_label_and_none() -> None:
    with pytest.raises(AmountError, match="实际投资总额"):
        parse_amount("abc", "实际投资总额")
    with pytest.raises(AmountError, match="请填写"):
        parse_amount(None)  # type: ignore[arg-type]
    assert parse_amount(30_000_000) == 30_000_000  # type: ignore[arg-type]


@pytest.mark.parametrize("text, yuan", [
    ("Sorry, my mistake, it was 15 million.", [15_000_000]),  # as 1500万: money in a question
    ("What if the land part was 100 million instead?", [100_000_000]),
    ("And if 10 million of that was sold to our sister company?", [10_000_000]),
    ("2 million people", []),  # a word after it counts things
    ("5 thousand", []),  # thousand stays bare, as 5000 does
])
def test_english_millions_are_money_unless_they_count_things(text: str, yuan: list[int]) -> None:
    assert [m.yuan for m in find_amounts(text)] == yuan


def test_a_number_is_read_one_step_per_token_over_immutable_readings() -> None:
    """amounts._evaluate's steps: 3万5 = 3 (pending), 万 (closes the group), 5 (the trailing digit
    takes the next unit down: 5千); each step returns a new reading and leaves its input as it was."""
    from assistant.lang import amounts as A

    start = A._Reading(scale=1, has_units=True)
    three = A._STEPS["n"](start, "3")._replace(prev="n")
    assert start.pending is None and start.first and three.pending == A._Figure(3, 1) and not three.first
    wan = A._STEPS["b"](three, "万")._replace(prev="b")
    assert three.pending == A._Figure(3, 1) and wan.pending is None
    assert wan.group == A._Figure(30_000, 10_000) and wan.group_open and wan.last_unit == 10_000
    five = A._STEPS["n"](wan, "5")
    assert five.pending == A._Figure(5, 0) and five.pending_single and five.pending_after_unit
    assert A._finish(five) == A._Figure(35_000, 10_000)
    assert A._evaluate(A._tokenize("3万5", 0, 3)) == (35_000, 1, 10_000, False)
    with pytest.raises(A._NotUnderstood, match="“万”的位置不对"):
        A._STEPS["b"](wan, "万")


@pytest.mark.parametrize("text, yuan", [
    ("一亿二千万 人形首台套 销售额", 120_000_000),  # 人 after a space starts a keyword group: no count of people
    ("其中买了800万二手设备", 8_000_000),  # 二 starts 二手: no trailing digit of 800万
    ("项目投了两千万三年内投完", 20_000_000),
    ("一亿二的项目", 120_000_000),  # still the colloquial 1.2亿
])
def test_a_word_after_an_amount_is_not_read_into_it(text: str, yuan: int) -> None:
    assert [m.yuan for m in find_amounts(text)] == [yuan]


def test_a_count_after_a_space_is_still_a_count() -> None:
    assert find_amounts("覆盖100万 人") == [] and find_amounts("卖了3万台") == []


def test_an_empty_amount_field_asks_for_the_amount() -> None:
    """Web round 22: an empty calculator field is asked for, not 无法识别首次采购金额“”."""
    with pytest.raises(AmountError, match="^请填写首次采购金额。"):
        parse_amount("  ", "首次采购金额")
