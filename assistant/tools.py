"""The calculators as LangChain tools (typed pydantic argument schemas), so a language-model agent
can call them; the CLI, the chain and the web app call the same functions."""

from __future__ import annotations

from typing import Any

from langchain_core.tools import BaseTool, tool
from pydantic import BaseModel, Field

from .amounts import MAX_YUAN
from .calculators import calculate, rulebook_for
from .config import load_settings
from .models import Calculation


def run_calculator(key: str, amount_yuan: int | None = None, excluded_yuan: int = 0,
                   **conditions: bool | None) -> Calculation:
    """Run the calculator named by rule id, tool name or CLI name, with the configured rules.

    Conditions passed as None count as unknown (their defaults apply and the notes say so).
    """
    rule = rulebook_for(load_settings().corpus_dir).get(key)
    known = {k: v for k, v in conditions.items() if v is not None}
    return calculate(rule, amount_yuan, excluded_yuan, known)


class FirstSetArgs(BaseModel):
    sales_yuan: int = Field(gt=0, le=MAX_YUAN, description="对非关联方销售额,单位元")
    humanoid: bool | None = Field(None, description="是否为人形机器人“首台套”产品;未知填 null")
    non_affiliated: bool | None = Field(None, description="销售对象是否为非关联方;未知填 null")


class ProcurementArgs(BaseModel):
    purchase_yuan: int = Field(gt=0, le=MAX_YUAN, description="首次采购金额,单位元")
    non_affiliated: bool | None = Field(None, description="供应商是否为非关联的杭州企业")
    first_purchase: bool | None = Field(None, description="是否为首次采购")
    hangzhou_whole_machine: bool | None = Field(None, description="采购方是否为在杭智能机器人整机企业")


class IndustrializationArgs(BaseModel):
    total_investment_yuan: int = Field(gt=0, le=MAX_YUAN, description="实际投资总额,单位元")
    excluded_yuan: int = Field(0, ge=0, le=MAX_YUAN, description="其中土地、厂房、旧设备投资,单位元")
    humanoid: bool | None = Field(None, description="是否为人形机器人产业化项目(门槛500万元)")
    recognized_advanced: bool | None = Field(None, description="是否经认定具有行业先进水平")


class DemoScenarioArgs(BaseModel):
    selected: bool | None = Field(None, description="项目是否被评为智能机器人示范应用场景")


@tool("first_set_subsidy", args_schema=FirstSetArgs)
def first_set_subsidy(sales_yuan: int, humanoid: bool | None = None,
                      non_affiliated: bool | None = None) -> dict[str, Any]:
    """Humanoid-robot 首台套 subsidy (第3条): tiered share of sales to non-affiliated parties, capped.

    Returns the calculation (eligible, amount_yuan, cap_yuan, steps, notes) as a dict.
    """
    return run_calculator("first_set_subsidy", sales_yuan, humanoid=humanoid,
                          non_affiliated=non_affiliated).to_dict()


@tool("procurement_reward", args_schema=ProcurementArgs)
def procurement_reward(purchase_yuan: int, non_affiliated: bool | None = None,
                       first_purchase: bool | None = None,
                       hangzhou_whole_machine: bool | None = None) -> dict[str, Any]:
    """First-purchase reward (第2条) for chips, software and toolkits from Hangzhou suppliers.

    Returns the calculation (eligible, amount_yuan, cap_yuan, steps, notes) as a dict.
    """
    return run_calculator("procurement_reward", purchase_yuan, non_affiliated=non_affiliated,
                          first_purchase=first_purchase,
                          hangzhou_whole_machine=hangzhou_whole_machine).to_dict()


@tool("industrialization_funding", args_schema=IndustrializationArgs)
def industrialization_funding(total_investment_yuan: int, excluded_yuan: int = 0,
                              humanoid: bool | None = None,
                              recognized_advanced: bool | None = None) -> dict[str, Any]:
    """Industrialisation project funding (第6条): up to 30% of investment excluding land, buildings, used equipment.

    Returns the calculation (eligible, amount_yuan, cap_yuan, steps, notes) as a dict.
    """
    return run_calculator("industrialization_funding", total_investment_yuan, excluded_yuan,
                          humanoid=humanoid, recognized_advanced=recognized_advanced).to_dict()


@tool("demo_scenario_reward", args_schema=DemoScenarioArgs)
def demo_scenario_reward(selected: bool | None = None) -> dict[str, Any]:
    """Demonstration-scenario reward (第7条): a ceiling of 50万元 per selected project.

    Returns the calculation (eligible, amount_yuan, cap_yuan, steps, notes) as a dict.
    """
    return run_calculator("demo_scenario_reward", selected=selected).to_dict()


TOOLS: list[BaseTool] = [first_set_subsidy, procurement_reward, industrialization_funding,
                         demo_scenario_reward]
