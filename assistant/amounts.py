"""Money: parsing amounts written in questions, and formatting yuan for answers."""

from __future__ import annotations


def format_yuan(amount: int) -> str:
    """`1500000` → `150万元`; `100000000` → `1亿元`; small amounts in 元."""
    if amount >= 100_000_000 and amount % 1_000_000 == 0:
        return f"{_trim(amount / 100_000_000)}亿元"
    if amount >= 10_000:
        return f"{_trim(amount / 10_000)}万元"
    return f"{amount}元"


def _trim(x: float) -> str:
    s = f"{x:.4f}".rstrip("0").rstrip(".")
    return s
