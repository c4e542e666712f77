"""The 补贴计算器 tab: one handler for every calculator form (the rule's amount, its excluded part and
its conditions), and what a form asks for as the rule states it."""

from __future__ import annotations

import html
import logging
from dataclasses import replace
from typing import Any

from assistant.answer.chain import Assistant
from assistant.answer.compose import calculation_markdown
from assistant.errors import PolicyAssistantError
from assistant.lang.amounts import parse_amount
from assistant.lang.text import book_title, inert

from .forms import choice
from .render import SORRY, WARN, strong

log = logging.getLogger("policy-assistant.ui")


def settled_by_split(rule: Any) -> dict[str, bool]:
    """Conditions a calculator form settles by asking for the total and its excluded part
    separately (首台套: all sales, 其中 to affiliates — the rest is to non-affiliates)."""
    ex = getattr(rule, "excluded", None)
    return dict(ex.settles) if ex is not None and ex.reduces == "amount" else {}


def form_amount_label(rule: Any) -> str:
    """The amount box of a calculator form: the total when the excluded part reduces it."""
    ex = rule.excluded
    if ex is not None and ex.reduces == "amount":
        return rule.amount.total_label or f"合计金额(含{ex.label})"
    return rule.amount_label


class CalculatorHandlers:
    """The calculator forms, computed by `Assistant.calculate`."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant

    def calculate(self, rule_id: str, amount: str | None = None, excluded: str | None = None,
                  *choices: str | None) -> str:
        """One handler for every calculator form: the rule's amount, excluded part and
        conditions (是/否/不确定, in the rule's order), computed by `Assistant.calculate`."""
        try:
            rule = self.assistant.rules.get(rule_id)
            yuan = parse_amount(amount or "", rule.amount_label) if rule.needs_amount else None
            excl = 0
            if rule.excluded is not None and (excluded or "").strip():
                excl = parse_amount(excluded or "", rule.excluded_label, allow_zero=True)
            conditions = {c.name: choice(v) for c, v in zip(rule.conditions, choices)}
            for name, value in settled_by_split(rule).items():
                if conditions.get(name) is None:  # the form's split says it (the rest is to others)
                    conditions[name] = value
            calc = self.assistant.calculate(rule.id, yuan, excl, conditions)
            calc = replace(calc, notes=[n.replace("问题未说明", "表单未选择", 1) for n in calc.notes])
        except PolicyAssistantError as exc:
            return f"{WARN}{html.escape(str(exc))}"
        except Exception:  # noqa: BLE001
            log.exception("calculation failed")
            return f"{WARN}{SORRY}"
        art = self.assistant.corpus.article(calc.doc_id, calc.article)
        text = calculation_markdown(calc)
        if art is not None:
            text += (f"\n\n**依据:{book_title(inert(self.assistant.corpus.title_of(calc.doc_id)))}{inert(art.display)}**"
                     f"\n\n> {inert(art.text)}")
        return strong(text)
