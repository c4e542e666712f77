"""Deterministic subsidy calculators: rule data from `corpus/*.rules.json`, one generic engine,
reading of amounts and conditions from questions, and LangChain tools for agents.

Numbers live in the rule data only: when the final policy changes a threshold, rate or cap, only
the data file changes.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from .amounts import Mention, find_amounts, format_yuan, validate_amount
from .errors import AmountError, RuleError
from .models import Calculation


@dataclass(frozen=True)
class Condition:
    """A fact a rule depends on, read from the question when it says so."""

    name: str
    label: str
    default: bool
    requires: bool | None
    true_patterns: tuple[str, ...]
    false_patterns: tuple[str, ...]

    def read(self, text: str) -> bool | None:
        """True/False when the text states it (negative patterns first), else None."""
        if any(re.search(p, text) for p in self.false_patterns):
            return False
        if any(re.search(p, text) for p in self.true_patterns):
            return True
        return None


@dataclass(frozen=True)
class Tier:
    from_yuan: int
    rate: Decimal


@dataclass(frozen=True)
class Rule:
    """One calculator rule of one article."""

    id: str
    tool: str
    cli: str
    doc_id: str
    article: int
    name: str
    description: str
    kind: str
    """`tiered_rate` (rate of the highest tier reached) or `ceiling` (the cap is the amount)."""
    cap_yuan: int | None
    triggers: tuple[str, ...]
    conditions: tuple[Condition, ...]
    interpretation: tuple[str, ...]
    amount_name: str = ""
    amount_label: str = ""
    amount_patterns: tuple[str, ...] = ()
    excluded_name: str = ""
    excluded_label: str = ""
    excluded_keywords: tuple[str, ...] = ()
    min_yuan: int = 0
    min_by: tuple[str, dict[bool, int]] | None = None
    tiers: tuple[Tier, ...] = ()
    rate_on_base: bool = False

    @property
    def needs_amount(self) -> bool:
        return self.kind == "tiered_rate"

    def condition(self, name: str) -> Condition:
        for c in self.conditions:
            if c.name == name:
                return c
        raise RuleError(f"rule {self.id} has no condition {name!r}")


@dataclass(frozen=True)
class Unspecified:
    """An article that promises money without fixing an amount."""

    doc_id: str
    article: int
    name: str
    triggers: tuple[str, ...]
    text: str


@dataclass
class RuleBook:
    """Every rule of every document in the corpus."""

    rules: list[Rule]
    unspecified: list[Unspecified] = field(default_factory=list)

    def get(self, key: str) -> Rule:
        """A rule by id, tool name or CLI name."""
        for r in self.rules:
            if key in (r.id, r.tool, r.cli):
                return r
        raise RuleError(f"no calculator {key!r}; calculators: {', '.join(r.cli for r in self.rules)}")


def _rule(doc_id: str, raw: dict[str, Any], where: str) -> Rule:
    try:
        conds = tuple(Condition(c["name"], c["label"], bool(c["default"]), c.get("requires"),
                                tuple(c.get("true", [])), tuple(c.get("false", [])))
                      for c in raw.get("conditions", []))
        amount = raw.get("amount", {})
        excl = raw.get("excluded", {})
        min_by = None
        if "min_by" in raw:
            mb = raw["min_by"]
            min_by = (mb["condition"], {k == "true": int(v) for k, v in mb["values"].items()})
        tiers = tuple(sorted((Tier(int(t["from_yuan"]), Decimal(str(t["rate"])))
                              for t in raw.get("tiers", [])), key=lambda t: t.from_yuan))
        rule = Rule(
            id=raw["id"], tool=raw.get("tool", raw["id"]), cli=raw.get("cli", raw["id"]),
            doc_id=doc_id, article=int(raw["article"]), name=raw["name"],
            description=raw["description"], kind=raw["kind"],
            cap_yuan=int(raw["cap_yuan"]) if raw.get("cap_yuan") is not None else None,
            triggers=tuple(raw.get("triggers", [])), conditions=conds,
            interpretation=tuple(raw.get("interpretation", [])),
            amount_name=amount.get("name", ""), amount_label=amount.get("label", ""),
            amount_patterns=tuple(amount.get("patterns", [])),
            excluded_name=excl.get("name", ""), excluded_label=excl.get("label", ""),
            excluded_keywords=tuple(excl.get("keywords", [])),
            min_yuan=int(raw.get("min_yuan", 0)), min_by=min_by, tiers=tiers,
            rate_on_base=raw.get("rate_applies_to", "amount") == "base")
    except (KeyError, TypeError, ValueError, ArithmeticError) as exc:
        raise RuleError(f"{where}: invalid rule {raw.get('id', '?')!r} ({exc!r})") from exc
    if rule.kind not in ("tiered_rate", "ceiling"):
        raise RuleError(f"{where}: rule {rule.id}: unknown kind {rule.kind!r}")
    if rule.kind == "tiered_rate" and (not rule.tiers or not rule.amount_name):
        raise RuleError(f"{where}: rule {rule.id}: a tiered_rate rule needs tiers and an amount")
    if rule.kind == "ceiling" and not rule.cap_yuan:
        raise RuleError(f"{where}: rule {rule.id}: a ceiling rule needs cap_yuan")
    if rule.min_by and rule.min_by[0] not in {c.name for c in conds}:
        raise RuleError(f"{where}: rule {rule.id}: min_by names an unknown condition")
    return rule


def load_rulebook(corpus_dir: Path) -> RuleBook:
    """Rules from every `*.rules.json` in the corpus directory."""
    rules: list[Rule] = []
    unspecified: list[Unspecified] = []
    for path in sorted(corpus_dir.glob("*.rules.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise RuleError(f"{path}: cannot read the rules ({exc})") from exc
        doc_id = data.get("doc_id") or path.name.removesuffix(".rules.json")
        rules += [_rule(doc_id, r, str(path)) for r in data.get("rules", [])]
        unspecified += [Unspecified(doc_id, int(u["article"]), u["name"], tuple(u.get("triggers", [])),
                                    u["text"]) for u in data.get("unspecified", [])]
    ids = [r.id for r in rules]
    if len(ids) != len(set(ids)):
        raise RuleError(f"{corpus_dir}: duplicate rule ids")
    return RuleBook(rules, unspecified)


@lru_cache(maxsize=4)
def _cached_rulebook(corpus_dir: str, mtime: float) -> RuleBook:
    return load_rulebook(Path(corpus_dir))


def rulebook_for(corpus_dir: Path) -> RuleBook:
    """The rule book, reloaded when a rules file changes."""
    mtime = max((p.stat().st_mtime for p in corpus_dir.glob("*.rules.json")), default=0.0)
    return _cached_rulebook(str(corpus_dir), mtime)


# --- the engine ---------------------------------------------------------------------------------
def _yn(value: bool) -> str:
    return "是" if value else "否"


def _outcome(rule: Rule, amount: int | None, excluded: int, conds: dict[str, bool]) \
        -> tuple[bool, int, list[str]]:
    """(eligible, amount_yuan, steps) for fully known inputs."""
    steps: list[str] = []
    for c in rule.conditions:
        if c.requires is not None and conds[c.name] != c.requires:
            steps.append(f"条件不满足:{c.label}——{_yn(conds[c.name])},不适用本条。")
            return False, 0, steps
    if rule.kind == "ceiling":
        steps.append(f"本条只规定上限:每个项目不超过{format_yuan(rule.cap_yuan or 0)}。")
        return True, int(rule.cap_yuan or 0), steps
    assert amount is not None
    minimum = rule.min_yuan
    if rule.min_by:
        minimum = rule.min_by[1][conds[rule.min_by[0]]]
    if amount < minimum:
        steps.append(f"{rule.amount_label}{format_yuan(amount)},未达到{format_yuan(minimum)}的门槛"
                     "(门槛含本数),不予支持。")
        return False, 0, steps
    steps.append(f"{rule.amount_label}{format_yuan(amount)},达到{format_yuan(minimum)}门槛。")
    tier = [t for t in rule.tiers if amount >= t.from_yuan][-1]
    rate_txt = f"{(tier.rate * 100).normalize():f}%"
    if len(rule.tiers) > 1:
        steps.append(f"达到{format_yuan(tier.from_yuan)}档,适用{rate_txt}。")
    base = amount
    if rule.rate_on_base:
        base = amount - excluded
        if excluded:
            steps.append(f"扣除{rule.excluded_label}{format_yuan(excluded)}后,资助基数为{format_yuan(base)}。")
        else:
            steps.append(f"资助基数为{format_yuan(base)}(未提供{rule.excluded_label}金额,按不含计)。")
    raw = int((Decimal(base) * tier.rate).to_integral_value(rounding=ROUND_DOWN))
    steps.append(f"{format_yuan(base)} × {rate_txt} = {format_yuan(raw)}")
    if rule.cap_yuan is not None and raw > rule.cap_yuan:
        steps.append(f"超过最高{format_yuan(rule.cap_yuan)},按{format_yuan(rule.cap_yuan)}计。")
        return True, rule.cap_yuan, steps
    if rule.cap_yuan is not None:
        steps.append(f"未超过最高{format_yuan(rule.cap_yuan)}。")
    return True, raw, steps


def calculate(rule: Rule, amount_yuan: int | None = None, excluded_yuan: int = 0,
              conditions: dict[str, bool] | None = None) -> Calculation:
    """Run a rule. Conditions not given take their defaults and the notes say so, with the result
    the other value would give when that differs."""
    given = dict(conditions or {})
    unknown = [n for n in given if n not in {c.name for c in rule.conditions}]
    if unknown:
        raise RuleError(f"rule {rule.id} has no condition {unknown[0]!r}")
    if rule.needs_amount:
        if amount_yuan is None:
            raise AmountError(f"请提供{rule.amount_label}(例如 3000万 或 1.2亿元)。")
        validate_amount(amount_yuan, rule.amount_label)
        if excluded_yuan:
            validate_amount(excluded_yuan, rule.excluded_label or "扣除金额")
            if excluded_yuan > amount_yuan:
                raise AmountError(f"{rule.excluded_label}{format_yuan(excluded_yuan)}不能超过"
                                  f"{rule.amount_label}{format_yuan(amount_yuan)}。")
    conds = {c.name: given.get(c.name, c.default) for c in rule.conditions}
    eligible, amount, steps = _outcome(rule, amount_yuan, excluded_yuan, conds)
    notes: list[str] = []
    for c in rule.conditions:
        if c.name in given:
            continue
        flipped = dict(conds, **{c.name: not c.default})
        alt_ok, alt_amount, _ = _outcome(rule, amount_yuan, excluded_yuan, flipped)
        if (alt_ok, alt_amount) != (eligible, amount):
            other = format_yuan(alt_amount) if alt_ok else "不符合条件(0元)"
            notes.append(f"问题未说明“{c.label}”,按“{_yn(c.default)}”计算;若为“{_yn(not c.default)}”,"
                         f"结果为{other}。")
    notes += list(rule.interpretation)
    inputs: dict[str, Any] = {}
    if rule.needs_amount:
        inputs[rule.amount_name] = amount_yuan
        if rule.excluded_name:
            inputs[rule.excluded_name] = excluded_yuan
    inputs.update(conds)
    assumed = [c.name for c in rule.conditions if c.name not in given]
    if assumed:
        inputs["assumed"] = assumed
    return Calculation(rule.tool, rule.doc_id, rule.article, inputs, eligible, amount,
                       rule.cap_yuan, steps, notes)


# --- reading a question -------------------------------------------------------------------------
@dataclass
class Request:
    """What a question says about a calculation."""

    rule: Rule
    amount_yuan: int | None = None
    excluded_yuan: int = 0
    conditions: dict[str, bool] = field(default_factory=dict)

    def run(self) -> Calculation:
        return calculate(self.rule, self.amount_yuan, self.excluded_yuan, self.conditions)


def read_conditions(rule: Rule, text: str) -> dict[str, bool]:
    out = {}
    for c in rule.conditions:
        value = c.read(text)
        if value is not None:
            out[c.name] = value
    return out


def _is_excluded(rule: Rule, text: str, m: Mention) -> bool:
    """An amount introduced by an excluded item (其中厂房1000万元, 含土地500万)."""
    if not rule.excluded_keywords:
        return False
    before = re.split(r"[,，。;；、]", text[max(0, m.start - 12):m.start])[-1]
    return any(k in before for k in rule.excluded_keywords)


def split_amounts(rule: Rule, text: str, mentions: list[Mention]) -> tuple[int | None, int]:
    """(main amount, excluded amount) from the amounts a question mentions."""
    excluded = sum(m.yuan for m in mentions if _is_excluded(rule, text, m))
    main = [m for m in mentions if not _is_excluded(rule, text, m)]
    if not main:
        return None, excluded
    labelled = [m for m in main
                if any(p in text[max(0, m.start - 10):m.start] for p in rule.amount_patterns)]
    return (labelled or main)[0].yuan, excluded


MONEY_WORDS = re.compile(r"能拿|能补|补多少|能获|可获|拿到|奖励|补助|补贴|资助|奖补|奖金|最高|上限|金额|"
                         r"多少钱|给多少|how much|amount|subsid|reward|grant|funding", re.IGNORECASE)
"""Words that ask about money (a bare 多少 may ask how many scenarios, not how much)."""


def asks_about_money(text: str) -> bool:
    return bool(find_amounts(text)) or bool(MONEY_WORDS.search(text))


def trigger_hits(rule: Rule | Unspecified, text: str) -> int:
    return sum(1 for t in rule.triggers if t in text)


def format_calculation_summary(calc: Calculation) -> str:
    return (f"{format_yuan(calc.amount_yuan)}({calc.amount_yuan:,} 元)" if calc.eligible
            else "不符合条件(0 元)")
