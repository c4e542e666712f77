"""Small Chinese-numeral helpers for article numbers (amounts live in `amounts.py`); the numerals
are data (`data/numerals.json`, read by `cues.numerals()`)."""

from __future__ import annotations

from .cues import numerals

DIGITS = numerals().digits
UNITS = numerals().units
NUMERAL_CHARS = "".join(DIGITS) + "".join(UNITS)


def chinese_int(text: str) -> int:
    """Parse a Chinese integer below 10,000 (`十六`, `二十三`, `一百零八`) or Arabic digits.

    Raises ValueError for anything else.
    """
    text = text.strip()
    if text.isdigit():
        return int(text)
    if not text or any(ch not in DIGITS and ch not in UNITS for ch in text):
        raise ValueError(f"not a Chinese integer: {text!r}")
    total, digit = 0, None
    for ch in text:
        if ch in DIGITS:
            digit = DIGITS[ch]
        else:
            total += (1 if digit is None else digit) * UNITS[ch]
            digit = None
    if digit is not None:
        total += digit
    return total
