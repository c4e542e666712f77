"""Money: amounts written in questions (`300万`, `1.2亿元`, `3,000万元`, `一千五百万`, `50 million
yuan`) parsed to whole yuan, validated, and formatted for answers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .errors import AmountError

MAX_YUAN = 10 ** 13
"""Anything larger is not a plausible amount for this policy."""

_CN_NUM = "零〇一二两三四五六七八九十百千壹贰叁肆伍陆柒捌玖拾佰仟"
_NUM = r"\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_MONEY = re.compile(
    r"(?P<enneg>-)?(?P<ennum>\d+(?:,\d{3})*(?:\.\d+)?)\s*(?P<enmult>thousand|k|million|m|billion|bn)?\s*"
    r"(?P<enunit>yuan|rmb|cny)\b"
    r"|(?:rmb|cny|¥|￥)\s*(?P<prenum>\d+(?:,\d{3})*(?:\.\d+)?)\s*(?P<premult>thousand|k|million|m|billion|bn)?\b"
    rf"|(?:(?<![\d.])(?P<neg>[-−负])\s*)?"
    rf"(?:(?P<mixed>\d+[千百十](?:\d+[千百十]?)*[万亿])"
    rf"|(?P<num>{_NUM})\s*[余多]?(?P<mult>[千万亿wW]{{0,2}})"
    rf"|(?P<cn>[{_CN_NUM}](?:[{_CN_NUM}万亿]*[{_CN_NUM}])?(?:点[{_CN_NUM}]+)?)[余多]?"
    rf"(?P<cnmult>[万亿]{{1,2}}|(?=元|块)))"
    r"\s*(?P<unit>元|块钱|块|人民币)?",
    re.IGNORECASE)
_CN_MULT = {"": 1, "千": 1000, "万": 10_000, "亿": 100_000_000, "千万": 10_000_000,
            "万亿": 10 ** 12, "亿万": 10 ** 12}
_EN_MULT = {"": 1, "thousand": 1000, "k": 1000, "million": 10 ** 6, "m": 10 ** 6,
            "billion": 10 ** 9, "bn": 10 ** 9}


@dataclass(frozen=True)
class Mention:
    """An amount found in a text."""

    yuan: int
    start: int
    end: int
    text: str


def _to_int(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _cn_value(digits: str, mult: str) -> Decimal:
    import cn2an  # ~0.1 s; only amount questions need it

    if "点" in digits:
        whole, frac = digits.split("点", 1)
        number = Decimal(str(cn2an.cn2an(whole, "smart"))) + \
            Decimal("0." + "".join(str(cn2an.cn2an(ch, "smart")) for ch in frac))
        return number * _CN_MULT[mult]
    return Decimal(str(cn2an.cn2an(digits + mult, "smart")))


def find_amounts(text: str) -> list[Mention]:
    """Every money amount in the text, in order. A bare number without a unit is not money."""
    out: list[Mention] = []
    for m in _MONEY.finditer(text):
        try:
            if m.group("mixed") is not None:
                import cn2an

                value = Decimal(str(cn2an.cn2an(m.group("mixed"), "smart")))
                negative = bool(m.group("neg"))
            elif m.group("num") is not None:
                if not (m.group("mult") or m.group("unit")):
                    continue
                mult = (m.group("mult") or "").replace("w", "万").replace("W", "万")
                if mult not in _CN_MULT:
                    continue
                value = Decimal(re.sub(r"[,，]", "", m.group("num"))) * _CN_MULT[mult]
                negative = bool(m.group("neg"))
            elif m.group("cn") is not None:
                if m.group("cn") in ("千", "百", "十") and not m.group("cnmult"):
                    continue
                value = _cn_value(m.group("cn"), m.group("cnmult") or "")
                negative = bool(m.group("neg"))
            elif m.group("ennum") is not None:
                value = Decimal(m.group("ennum").replace(",", "")) * \
                    _EN_MULT[(m.group("enmult") or "").lower()]
                negative = bool(m.group("enneg"))
            else:
                value = Decimal(m.group("prenum").replace(",", "")) * \
                    _EN_MULT[(m.group("premult") or "").lower()]
                negative = False
        except (InvalidOperation, ValueError, KeyError):
            continue
        yuan = _to_int(-value if negative else value)
        out.append(Mention(yuan, m.start(), m.end(), m.group(0).strip()))
    return out


def validate_amount(yuan: int, label: str = "金额") -> int:
    """The amount itself; AmountError when not positive or absurdly large."""
    if yuan <= 0:
        raise AmountError(f"{label}必须大于0元(收到 {format_yuan(yuan) if yuan else '0元'})。")
    if yuan > MAX_YUAN:
        raise AmountError(f"{label}{format_yuan(yuan)}超过了合理范围(10万亿元),请核对后再输入。")
    return yuan


def parse_amount(text: str, label: str = "金额") -> int:
    """One amount typed by a user (`3000万`, `1.2亿元`, `5000元`, `30000000`), validated."""
    raw = str(text).strip()
    if re.fullmatch(r"[-−]?\d+(?:\.\d+)?", raw):
        yuan = _to_int(Decimal(raw.replace("−", "-")))
    else:
        found = find_amounts(raw)
        if len(found) != 1 or found[0].end - found[0].start < len(raw.rstrip("。. ")) - 1:
            raise AmountError(f"无法识别{label}“{raw}”:请写成 3000万、1.2亿元、5000元 或 30000000 这样的形式。")
        yuan = found[0].yuan
    return validate_amount(yuan, label)


def format_yuan(amount: int) -> str:
    """`1500000` → `150万元`; `100000000` → `1亿元`; small amounts in 元."""
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    if amount >= 100_000_000 and amount % 1_000_000 == 0:
        return f"{sign}{_trim(Decimal(amount) / 100_000_000)}亿元"
    if amount >= 10_000:
        return f"{sign}{_trim(Decimal(amount) / 10_000)}万元"
    return f"{sign}{amount}元"


def _trim(x: Decimal) -> str:
    s = f"{x:.4f}".rstrip("0").rstrip(".")
    return s
