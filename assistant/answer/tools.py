"""The calculators as LangChain tools, generated from the rule book: one `StructuredTool` per rule,
its argument schema built from the rule's amount fields and conditions (`pydantic.create_model`),
every call computed by `Assistant.calculate`. A rule added to a `rules.json` becomes a tool with
no code change."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from langchain_core.tools import BaseTool, StructuredTool
from pydantic import BaseModel, Field, create_model

from ..lang.amounts import MAX_YUAN
from ..calc.calculators import Rule
from ..models import Calculation

if TYPE_CHECKING:
    from .chain import Assistant

Calculate = Callable[..., Calculation]


def _model_name(rule: Rule) -> str:
    return "".join(part.capitalize() for part in rule.id.split("_")) + "Args"


def args_model(rule: Rule) -> type[BaseModel]:
    """The typed arguments of a rule: its amount (and excluded part) in yuan, its conditions as
    optional booleans (null = unknown: the default applies and the result says so)."""
    fields: dict[str, Any] = {}
    if rule.amount is not None and rule.needs_amount:
        fields[rule.amount.name] = (int, Field(gt=0, le=MAX_YUAN, description=f"{rule.amount.label},单位元"))
    if rule.excluded is not None:
        fields[rule.excluded.name] = (int, Field(0, ge=0, le=MAX_YUAN,
                                                 description=f"其中{rule.excluded.label},单位元"))
    for c in rule.conditions:
        fields[c.name] = (bool | None, Field(None, description=f"{c.label};未知填 null"))
    return create_model(_model_name(rule), **fields)


def split_arguments(rule: Rule, values: dict[str, Any]) -> tuple[int | None, int, dict[str, bool | None]]:
    """(amount, excluded, conditions) from a tool's or form's named values."""
    amount = values.get(rule.amount.name) if rule.amount is not None else None
    excluded = int(values.get(rule.excluded.name) or 0) if rule.excluded is not None else 0
    conditions = {c.name: values.get(c.name) for c in rule.conditions}
    return amount, excluded, conditions


def make_tool(rule: Rule, calculate: Calculate) -> BaseTool:
    """One LangChain tool for one rule."""
    schema = args_model(rule)

    def run(**kwargs: Any) -> dict[str, Any]:
        amount, excluded, conditions = split_arguments(rule, kwargs)
        return calculate(rule.id, amount, excluded, conditions).to_dict()

    description = (f"{rule.description}\n\nReturns the calculation (eligible, amount_yuan, cap_yuan, "
                   "steps, notes) as a dict; unknown conditions take their defaults and the notes "
                   "say what the other value would give.")
    return StructuredTool.from_function(func=run, name=rule.id, description=description,
                                        args_schema=schema)


def make_tools(assistant: "Assistant") -> list[BaseTool]:
    """A tool for every rule of the assistant's rule book."""
    return [make_tool(rule, assistant.calculate) for rule in assistant.rules.rules]
