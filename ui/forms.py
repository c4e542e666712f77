"""The yes/no field of the calculator and 政策体检 forms: the labels it shows, and what a label
reads back as (what the form shows is what it reads back)."""

from __future__ import annotations

YES, NO, UNSURE = "是", "否", "不确定"
"""The labels of a yes/no field of the forms."""
CHOICES = (UNSURE, YES, NO)


def choice(value: str | None) -> bool | None:
    """是 → True, 否 → False, anything else (不确定, nothing) → None."""
    return {YES: True, NO: False}.get(value or "")
