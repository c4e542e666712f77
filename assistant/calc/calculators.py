"""Deterministic subsidy calculators: rule data from `corpus/*.rules.json` (pydantic models), one
generic engine, and the reading of amounts and conditions from questions.

Numbers live in the rule data only: when the final policy changes a threshold, rate or cap, only
the data file changes. The same rule book drives the chat, the LangChain tools, the `calc` command
and the web forms (`Assistant.calculate` is the one entry point).
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field, replace
from decimal import ROUND_DOWN, Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..lang.cues import pattern
from ..lang.amounts import Mention, find_amounts, format_yuan, validate_amount
from ..errors import AmountError, RuleError
from ..lang.language import Said
from ..lang.reading import (clause_at, clause_before, another_firm_before, counterpart_before, cues, english_at, english_words_of, left_open, puts_at_place,
                             negated, says, self_word_pattern, stated_amounts, whole_words, without_exclusions)
from ..models import Calculation

RuleKind = Literal["tiered_rate", "ceiling"]
AmountRole = Literal["main", "excluded", "base"]
"""What an amount in a question is for a rule with exclusions."""

# --- rule data ----------------------------------------------------------------------------------
class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Kinds(_Strict):
    """Settles a condition from a product the question names."""

    heads: tuple[str, ...]
    """Words that end a product name (机器人, 外骨骼, AGV, robot): a product with one of these and
    none of the condition's `true` phrases is not of the required kind."""
    after: tuple[str, ...] = ()
    """When set, only the product named right after one of these words counts (采购/买了 …: what
    was bought, not what the buyer makes); the article's list is the condition's `true` phrases."""


OF_REACH = 8
"""Characters between a condition's phrase and what it is a fact of (人形|机器人|产业化项目)."""
OF_REACH_WORDS = 2
REFERENCE_REACH = 3
"""Characters between a reference word and the condition's phrase it puts as the measure applied (按那个人形)."""
"""English words between such a phrase and what it is a fact of (humanoid | robot production | project)."""


class Condition(_Strict):
    """A fact a rule depends on, read from the question when it says so."""

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    default: bool
    requires: bool | None = None
    """The value eligibility needs (None: the condition only changes a threshold)."""
    option: str = ""
    """CLI flag name (`--humanoid/--not-humanoid`); defaults to the name with dashes."""
    negative_option: str = ""
    """Name of the negative flag when it is not `not-<option>` (`affiliated`)."""
    true: tuple[str, ...] = ()
    """Phrases that state the condition (a negation just before one states the opposite)."""
    false: tuple[str, ...] = ()
    """Regular expressions that state the opposite (tried first)."""
    kinds: Kinds | None = None
    outside_place: bool = False
    """A place outside the library's jurisdiction in the question settles this false (a place
    the enterprise says it is in counts only for `own_place`)."""
    own_place: bool = False
    """The enterprise's own place decides this: a place named where the asker says where they
    are (我们是宁波的…, a Hangzhou-based OEM) settles it — false outside the jurisdiction, true inside."""
    ask: str = ""
    """The clarifying question asked in a conversation when the condition is unknown."""
    of: tuple[str, ...] = ()
    """What the condition is a fact of (产业化项目, project): a `true` phrase right before one of
    these (计划在余杭建人形机器人产业化项目) states it, whatever the enterprise itself makes."""
    place_of: tuple[str, ...] = ()
    """What the condition is the place of (项目, 产线, project): a place the question puts one of
    these in (项目放在宁波前湾新区, 在建德建人形机器人产线) settles it — false outside the library's
    jurisdiction, true inside —, else the place the enterprise says it is in; a supplier's or
    customer's place never."""
    if_false: str = ""
    """What the policy offers instead when the condition is false."""
    otherwise: Literal["not_eligible", "no_amount"] = "not_eligible"
    """政策体检's status when only this condition fails: `no_amount` when the article still
    supports the case without an amount (another 首台套 product)."""

    @property
    def flag(self) -> str:
        return self.option or self.name.replace("_", "-")

    @property
    def question(self) -> str:
        return self.ask or f"请确认:{self.label}?"

    def stated_spans(self, text: str) -> list[tuple[int, int]]:
        """Where the text words this condition (its phrases, either way): words that state a fact
        of the measure (我们作为卖方), not a thing money is asked for."""
        lowered = text.lower()
        spans = [m.span() for phrase in self.false for m in re.finditer(phrase, text, re.IGNORECASE)]
        spans += [m.span() for phrase in self.true for m in _phrase_pattern(phrase).finditer(lowered)]
        return [(a, b) for a, b in spans if b > a]

    def read(self, text: str, other_places: tuple[str, ...] = (),
             inside_places: tuple[str, ...] = (), things: tuple[str, ...] = (), *,
             by_kind_word: bool = True) -> bool | None:
        """True/False when the text states it, else None. A phrase negated in its own clause
        states the opposite (没有关联关系, 都不是关联方, 没有通过行业先进水平的认定); a statement of
        the opposite wins over one of the condition. `by_kind_word`: a bare word of another kind
        (机器人 of a `kinds` condition, with none of its phrases) counts as stating False."""
        if self.kinds is not None and self.kinds.after:
            return self._bought(text)
        if self.place_of:
            return self._placed(text, other_places, inside_places)
        stated: list[bool] = []
        # what the enterprise itself is or makes, not whom it sells to (我们的软件卖给各家整机厂,
        # 卖给一家人形机器人整机厂一批电池)
        describes_us = self.own_place or (self.kinds is not None and not self.kinds.after)

        def theirs(t: str, at: int) -> bool:
            # (去年临平一家机器人整机厂第一次采购我们的芯片: a firm the text introduces, not the
            # enterprise — unless the text opens with it)
            return describes_us and (counterpart_before(t, at)
                                     or another_firm_before(t, at) and clause_at(t, at).start > 0)
        selves = tuple(w.lower() for w in cues().self_words)
        for phrase in self.false:
            for m in re.finditer(phrase, text, re.IGNORECASE):
                # (a phrase naming the enterprise itself — 买了我们的 — is about it, whoever else the
                # clause names)
                ours = any(w in m.group(0).lower() for w in selves if not w.isascii())
                if not left_open(text, m.start()) and (ours or not theirs(text, m.start())):  # 是不是子公司: asked
                    stated.append(negated(text, m.start()))
        if False in stated:
            return True if not describes_us and self._seller_unrelated(text) else False
        own_cues = cues().location_cues
        if self.own_place and _named_in(text, other_places, own_cues, own=True, things=things):
            return False  # 我们是 Ningbo 的 robot OEM; 公司在绍兴柯桥做机器人整机: not 在杭, whatever it makes
        if self.of and self.states_of(text):
            return True
        own = self._own_product(text)
        if own is not None:
            return own
        lowered = text.lower()
        for phrase in self.true:
            for m in _phrase_pattern(phrase).finditer(lowered):
                if not left_open(lowered, m.start()) and not theirs(lowered, m.start()) \
                        and not self._referenced(lowered, m.start()):
                    stated.append(not negated(lowered, m.start()))
        if stated:
            return all(stated)
        if by_kind_word and self.kinds and self._names_other_kind(text):
            return False
        if self.own_place and _named_in(text, inside_places, own_cues, own=True, things=things):
            return True  # a Hangzhou-based OEM, say in Yuhang District
        if self.outside_place and any(not _named_in(text, (p,), own_cues, own=True, things=things) for p in other_places):
            return False
        if self.outside_place and _named_in(text, inside_places, cues().supplier_cues):
            return True  # 从杭州一家非关联公司采购, 要是供应商在建德呢
        return None

    def _referenced(self, lowered: str, at: int) -> bool:
        """The phrase at `at` comes right after a reference word (按人形首台套那个比例) while the text
        names a product of the condition's kinds outside that clause (四足机器人首台套,…): the
        measure the asker would apply, not what their product is."""
        if not self.kinds:
            return False
        clause = clause_at(lowered, at)
        before = lowered[clause.start:at]
        if not any(0 <= len(before) - before.rfind(w) - len(w) <= REFERENCE_REACH
                   for w in cues().reference_words if w in before):
            return False
        outside = f"{lowered[:clause.start]} {lowered[clause.end:]}"
        return any(h.lower() in outside for h in self.kinds.heads)

    def _seller_unrelated(self, text: str) -> bool:
        """The condition's own phrase qualifies the seller a purchase is from (buying the same chips
        from that unrelated supplier, 从一家无关联的公司采购) while every opposite phrase stands
        before it, outside that seller's words (our sister company … buying: the buyer, not the
        relation)."""
        lowered = text.lower()
        nouns = tuple(w.lower() for w in cues().entity_nouns)
        seller = [m for phrase in self.true for m in _phrase_pattern(phrase).finditer(lowered)
                  if (_FROM_SELLER.search(clause_before(lowered, m.start()))
                      or _BOUGHT_FROM.search(clause_before(lowered, m.start()))
                      and lowered[m.end():m.end() + SELLER_NOUN_REACH].startswith(nouns))  # 采购了…非关联企业的
                  and not negated(lowered, m.start())]
        if not seller:
            return False
        first = min(m.start() for m in seller)
        # (从一家无关联的公司买的,不过那家公司是我们子公司: a later word about the seller corrects it)
        return not any(_FROM_SELLER.search(clause_before(lowered, m.start())) or m.start() > first
                       for phrase in self.false for m in re.finditer(phrase, lowered, re.IGNORECASE))

    def _placed(self, text: str, other_places: tuple[str, ...], inside_places: tuple[str, ...]) -> bool | None:
        """Where the question puts the thing this condition is the place of (`place_of`): False
        outside the jurisdiction, True inside, None when it says nowhere."""
        c = cues()
        lowered = text.lower()
        selves = tuple(w.lower() for w in c.self_words)
        things = tuple(w.lower() for w in self.place_of)
        own: bool | None = None
        for names, value in ((other_places, False), (inside_places, True)):
            for name in names:
                at = lowered.find(name.lower())
                while at >= 0:
                    clause = clause_at(lowered, at)
                    before = lowered[clause.start:at].rstrip()
                    if not any(w in before for w in c.supplier_cues + c.counterpart_cues):
                        put = puts_at_place(before)
                        if put and any(t in clause.text for t in things):
                            return value  # 项目放在宁波前湾新区
                        if own is None and (put or clause.text.lstrip().startswith(selves)):
                            own = value  # 我们是宁波的企业
                    at = lowered.find(name.lower(), at + 1)
        return own

    def states_of(self, text: str) -> bool:
        """A `true` phrase, not negated, with one of `of` at most OF_REACH characters after it."""
        lowered = text.lower()
        for phrase in self.true:
            for m in re.finditer(re.escape(phrase.lower()), lowered):
                after = lowered[m.end():m.end() + OF_REACH + 12]
                if phrase.isascii():  # (humanoid robot production project: words, not characters, between)
                    words = lowered[m.end():].split()[:OF_REACH_WORDS + 2]
                    after = " ".join(words)
                    reach = len(" ".join(words[:OF_REACH_WORDS])) + 1
                else:
                    reach = OF_REACH
                if not negated(lowered, m.start()) and any(0 <= after.find(w.lower()) <= reach for w in self.of):
                    return True
        return False

    def _own_product(self, text: str) -> bool | None:
        """When the asker names their own product (我们的四足机器狗, our AGV), whether it is of
        this kind — whatever else the question mentions (按人形机器人那个比例 …)."""
        if not self.kinds:
            return None
        heads = "|".join(re.escape(h) for h in sorted(self.kinds.heads, key=len, reverse=True))
        own = re.compile(rf"(?:{self_word_pattern()})[^,，。;；?？!！]{{0,16}}?(?:{heads})", re.IGNORECASE)
        # (我们还在引进机器人运动控制方面的人才: a kind word naming a field, not our product)
        modifies = re.compile(rf"[^,，。;；?？!！]{{0,{HEAD_MODIFIES_REACH}}}?(?:{'|'.join(map(re.escape, cues().head_modifies))})")
        found = [m.start() for m in own.finditer(text) if not modifies.match(text, m.end())]
        if not found:
            return None
        lowered = text.lower()
        for start in found:
            # the whole clause from 我们 on: 我们是一家机器人公司,产品是人形机器人 names it later
            clause = clause_at(lowered, start)
            end = clause.end
            if clause.end < len(lowered):
                following = clause_at(lowered, clause.end + 1)
                if following.text.strip().startswith(cues().product_intro):
                    end = following.end
            sentence = lowered[start:end]
            for phrase in self.true:
                at = sentence.find(phrase.lower())
                if at >= 0 and not negated(lowered, start + at):
                    return True
        return False

    def _bought(self, text: str) -> bool | None:
        """Whether what the text says was bought (the words after 采购/买了, to the end of the
        clause) is on the article's list (`true`): True, False for a product of another kind
        (伺服电机, 减速器), None when nothing is named."""
        assert self.kinds is not None
        lowered = text.lower()
        verbs = "|".join(re.escape(v.lower()) for v in sorted(self.kinds.after, key=len, reverse=True))
        objects = [_object(m.group(1)) for m in re.finditer(rf"(?:{verbs})([^,，。;；?？!！]{{1,24}})", lowered)
                   if not negated(lowered, m.start())]  # 没买芯片: not what was bought
        # a listed thing named before a verb used as a noun: 智能芯片采购奖励
        before = [m.group(1) for m in re.finditer(rf"([^\s,，。;；?？!！]{{1,8}})(?:{verbs})", lowered)]
        if any(p.lower() in o for o in objects + before for p in self.true):
            return True
        if any(h.lower() in o for o in objects for h in self.kinds.heads):
            return False
        named = [re.split(r"[\s\d]", o.strip(), maxsplit=1)[0] for o in objects]  # up to its amount
        if any(re.search(r"[\u4e00-\u9fff]{2,}$", n) and n.endswith(cues().product_endings) for n in named):
            return False  # 生产的减速机 600万, 一台检测仪: a machine or device, not on the list
        if any(o.lstrip().startswith(tuple(w.lower() for w in cues().self_words)) for o in objects):
            return self._own_product(text)  # 我们做减速器的…整机厂采购了我们300万: our product
        return None

    def _names_other_kind(self, text: str) -> bool:
        lowered = text.lower()
        return any(h.lower() in lowered for h in self.kinds.heads) if self.kinds else False


HEAD_MODIFIES_REACH = 8
"""Characters between a kind word and the noun it modifies (机器人运动控制方面, 机器人领域)."""


def _object(words: str) -> str:
    """What follows a purchase verb up to the next keyword of a terse question: a space between
    two Chinese characters ends it (采购 伺服电机 600万 → 伺服电机; 芯片采购奖励 申请表在哪下载 → 奖励);
    a keyword that is the seller (采购 非关联杭州企业 力传感器 300万) is passed over for the next."""
    groups = re.split(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", words.lstrip())
    if len(groups) > 1 and groups[0].endswith(cues().entity_nouns):
        return groups[1]
    return groups[0] if len(groups) > 1 else words


class Tier(_Strict):
    """From this amount on (inclusive): a rate of the whole amount, or a fixed sum."""

    from_yuan: int = Field(ge=0)
    rate: Decimal | None = Field(None, ge=0, le=1)
    amount_yuan: int | None = Field(None, ge=0)
    """A fixed sum for reaching the tier (营业收入首次达到1亿元奖励50万元)."""

    @model_validator(mode="after")
    def _one_of(self) -> "Tier":
        if (self.rate is None) == (self.amount_yuan is None):
            raise ValueError("a tier needs either a rate or an amount_yuan")
        return self


class AmountSpec(_Strict):
    name: str
    label: str
    option: str = "amount"
    patterns: tuple[str, ...] = ()
    """Words that introduce this amount in a question (销售额, 投资)."""
    total_label: str = ""
    """The amount as a form asks for it when an excluded part reduces it: the total before that
    part comes off (首台套产品销售总额(含关联方))."""


class ExcludedSpec(_Strict):
    """A part of the amount that does not count (land and buildings of an investment, sales to
    affiliates), named in a question as the part (其中土地5000万) or as what is left (不含土地是4亿)."""

    name: str
    label: str
    option: str = "excluded"
    keywords: tuple[str, ...]
    base_markers: tuple[str, ...] = ()
    reduces: Literal["base", "amount"] = "base"
    """`base`: only the base the rate applies to (thresholds on the total); `amount`: the amount
    itself, before thresholds and tiers (net sales)."""
    settles: dict[str, bool] = {}
    """Conditions a named excluded part settles for the rest (sales partly to an affiliate: the
    rest is to non-affiliates)."""


class PerUnit(_Strict):
    """A ceiling granted per unit (每个项目): a count stated in the question multiplies it."""

    nouns: tuple[str, ...]
    """What is counted (项目, 场景; English nouns such as scenario for English questions); the
    first is the unit the ceiling is stated in (本条只规定上限:每个项目不超过…)."""


class MinBy(_Strict):
    condition: str
    values: dict[Literal["true", "false"], int]


class Bonus(_Strict):
    """A fixed sum added (after the cap) when a condition holds (另给予一次性奖励50万元)."""

    condition: str
    amount_yuan: int = Field(gt=0)
    label: str = ""


class RuleProfile(_Strict):
    """How 政策体检 reads an enterprise profile for this rule (field names of the profile)."""

    amount: str = ""
    """Profile field holding the rule's amount (e.g. first_set_sales_yuan)."""
    excluded: str = ""
    """Profile field holding the excluded part of that amount."""
    conditions: dict[str, str] = {}
    """Rule condition → the yes/no profile field that settles it."""
    assume: dict[str, bool] = {}
    """Conditions the amount field's own meaning settles (a 'first purchase amount' is a first
    purchase)."""
    subjects: tuple[str, ...] = ()
    """Yes/no profile fields (tags) that make an enterprise a candidate for this rule even without
    its amount or conditions (applies_scenarios for the scenario award)."""
    project_place: bool = False
    """The measure is for a project, and where the project is decides where it applies: a place
    the measure's own clauses put the project in (项目在杭州入选) counts instead of the enterprise's."""


class Rule(_Strict):
    """One calculator rule of one article."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    aliases: tuple[str, ...] = ()
    """Other names (`first-set`): CLI command aliases."""
    doc_id: str = ""
    article: int = Field(ge=0)
    name: str
    description: str
    kind: RuleKind
    """`tiered_rate` (rate of the highest tier reached) or `ceiling` (the cap is the amount)."""
    amount: AmountSpec | None = None
    excluded: ExcludedSpec | None = None
    triggers: tuple[str, ...] = ()
    min_yuan: int = Field(0, ge=0)
    min_by: MinBy | None = None
    tiers: tuple[Tier, ...] = ()
    rate_applies_to: Literal["amount", "base"] = "amount"
    cap_yuan: int | None = Field(None, ge=0)
    conditions: tuple[Condition, ...] = ()
    bonus: Bonus | None = None
    per_unit: PerUnit | None = None
    interpretation: tuple[str, ...] = ()
    rate_is_maximum: bool = False
    """The rate is the most given (按不高于…的30%资助): the computed amount is a ceiling, as a
    `ceiling` rule's cap is."""
    profile: RuleProfile = RuleProfile()

    @property
    def at_most(self) -> bool:
        """The amount is the most one can get (最高可获), not a sum one is entitled to."""
        return self.kind == "ceiling" or self.rate_is_maximum

    @model_validator(mode="after")
    def _consistent(self) -> "Rule":
        if self.kind == "tiered_rate" and (not self.tiers or self.amount is None):
            raise ValueError("a tiered_rate rule needs tiers and an amount")
        if self.kind == "ceiling" and not self.cap_yuan:
            raise ValueError("a ceiling rule needs cap_yuan")
        names = [c.name for c in self.conditions]
        if len(names) != len(set(names)):
            raise ValueError("duplicate condition names")
        if self.min_by and self.min_by.condition not in names:
            raise ValueError("min_by names an unknown condition")
        if self.bonus and self.bonus.condition not in names:
            raise ValueError("bonus names an unknown condition")
        if self.tiers and list(self.tiers) != sorted(self.tiers, key=lambda t: t.from_yuan):
            object.__setattr__(self, "tiers", tuple(sorted(self.tiers, key=lambda t: t.from_yuan)))
        return self

    # -- derived -----------------------------------------------------------------------------
    @property
    def list_condition(self) -> Condition | None:
        """The condition that carries what the article's money covers (第2条: 智能芯片、应用软件和
        工具包): the one reading what was bought (`kinds.after`), None when the rule has none."""
        return next((c for c in self.conditions if c.kinds is not None and c.kinds.after), None)

    @property
    def tool(self) -> str:
        return self.id

    @property
    def phrases(self) -> tuple[str, ...]:
        """The words in which a question states this measure's facts: its triggers, its amount's
        and excluded part's words, and what its conditions say (their literal phrases, not the
        patterns)."""
        said = [*self.triggers, *(self.amount.patterns if self.amount else ()),
                *(self.excluded.keywords if self.excluded else ())]
        for c in self.conditions:
            said += [*c.true, *(f for f in c.false if re.escape(f) == f)]
        return tuple(dict.fromkeys(said))

    @property
    def cli(self) -> str:
        return self.aliases[0] if self.aliases else self.id.replace("_", "-")

    @property
    def needs_amount(self) -> bool:
        return self.kind == "tiered_rate"

    @property
    def amount_name(self) -> str:
        return self.amount.name if self.amount else ""

    @property
    def amount_label(self) -> str:
        return self.amount.label if self.amount else ""

    @property
    def excluded_label(self) -> str:
        return self.excluded.label if self.excluded else ""

    @property
    def rate_on_base(self) -> bool:
        return self.rate_applies_to == "base"

    def minimum(self, deciding: bool | None) -> int:
        """The threshold of the amount when the condition `min_by` names holds (`deciding`), the lower
        one when it is not known (500万 for a humanoid project, 1000万 for another)."""
        if self.min_by is None:
            return self.min_yuan
        values = self.min_by.values
        return min(values.values()) if deciding is None else values["true" if deciding else "false"]

    def condition(self, name: str) -> Condition:
        for c in self.conditions:
            if c.name == name:
                return c
        raise RuleError(f"rule {self.id} has no condition {name!r}")

    def names(self) -> set[str]:
        return {self.id, self.cli, *self.aliases}


class Unspecified(_Strict):
    """An article that promises money without fixing an amount."""

    doc_id: str = ""
    article: int
    name: str
    triggers: tuple[str, ...] = ()
    text: str
    profile: str = ""
    """The profile field (a yes/no fact) that makes an enterprise a candidate for it."""


class RuleFile(_Strict):
    """`<stem>.rules.json`."""

    model_config = ConfigDict(extra="ignore", frozen=True, defer_build=True)
    doc_id: str | None = None
    rules: tuple[Rule, ...] = ()
    unspecified: tuple[Unspecified, ...] = ()


@dataclass
class RuleBook:
    """Every rule of every document in the corpus."""

    rules: list[Rule]
    unspecified: list[Unspecified] = field(default_factory=list)

    def get(self, key: str) -> Rule:
        """A rule by id, tool name or alias."""
        for r in self.rules:
            if key in r.names():
                return r
        raise RuleError(f"no calculator {key!r}; calculators: "
                        f"{', '.join(r.cli for r in self.rules) or 'none'}")

    def for_document(self, doc_id: str) -> list[Rule]:
        return [r for r in self.rules if r.doc_id == doc_id]


def _error_text(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err.get("loc", ()))
    return f"{where}: {str(err.get('msg')).removeprefix('Value error, ')}"


def _meta_doc_id(rules_path: Path) -> str | None:
    meta = rules_path.with_name(rules_path.name.removesuffix(".rules.json") + ".meta.json")
    try:
        value = json.loads(meta.read_text(encoding="utf-8")).get("doc_id")
    except (OSError, ValueError, AttributeError):
        return None
    return value if isinstance(value, str) and value else None


def load_rulebook(corpus_dir: Path, doc_ids: dict[str, str] | None = None) -> RuleBook:
    """Rules from every `*.rules.json` in the corpus directory. `doc_ids` maps a file stem to its
    document's id when the rules file does not name it."""
    rules: list[Rule] = []
    unspecified: list[Unspecified] = []
    for path in sorted(corpus_dir.glob("*.rules.json")):
        stem = path.name.removesuffix(".rules.json")
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise RuleError(f"{path}: cannot read the rules ({exc})") from exc
        try:
            data = RuleFile.model_validate(raw)
        except ValidationError as exc:
            raise RuleError(f"{path}: invalid rule data ({_error_text(exc)})") from exc
        doc_id = data.doc_id or (doc_ids or {}).get(stem) or _meta_doc_id(path) or stem
        rules += [r.model_copy(update={"doc_id": doc_id}) for r in data.rules]
        unspecified += [u.model_copy(update={"doc_id": doc_id}) for u in data.unspecified]
    ids = [name for r in rules for name in r.names()]
    if len(ids) != len(set(ids)):
        dup = next(i for i in ids if ids.count(i) > 1)
        raise RuleError(f"{corpus_dir}: two rules are called {dup!r}")
    return RuleBook(rules, unspecified)


@lru_cache(maxsize=8)
def _cached_rulebook(corpus_dir: str, stamp: tuple[tuple[str, float], ...]) -> RuleBook:
    return load_rulebook(Path(corpus_dir))


RULES_CHECK_SECONDS = 1.0
"""How often the rules files' times are looked at again (not on every question)."""
_RULES_STAMPS: dict[str, tuple[float, tuple]] = {}


def rulebook_for(corpus_dir: Path) -> RuleBook:
    """The rule book, reloaded when a rules file changes (noticed within RULES_CHECK_SECONDS)."""
    key, now = str(corpus_dir), time.monotonic()
    checked = _RULES_STAMPS.get(key)
    if checked is None or now - checked[0] >= RULES_CHECK_SECONDS:
        stamp = tuple((p.name, p.stat().st_mtime_ns) for p in sorted(corpus_dir.glob("*.rules.json")))
        checked = _RULES_STAMPS[key] = (now, stamp)
    return _cached_rulebook(key, checked[1])


# --- the engine ---------------------------------------------------------------------------------
def _yn(value: bool) -> str:
    return "是" if value else "否"


def _outcome(rule: Rule, amount: int | None, excluded: int, conds: dict[str, bool],
             count: int = 1) -> tuple[bool, int, list[str]]:
    """(eligible, amount_yuan, steps) for fully known inputs, with a bonus when one applies."""
    steps_before: list[str] = []
    if rule.excluded is not None and rule.excluded.reduces == "amount" and excluded and amount is not None:
        steps_before.append(Said(f"扣除{rule.excluded.label}{format_yuan(excluded)}后,"
                                 f"{rule.amount_label}为{format_yuan(amount - excluded)}。",
                                 "calc.excluded_reduces", part=rule.excluded.label, excluded=excluded,
                                 label=rule.amount_label, rest=amount - excluded))
        amount, excluded = amount - excluded, 0
    eligible, total, steps = _base_outcome(rule, amount, excluded, conds)
    steps = steps_before + steps
    if eligible and count > 1 and rule.per_unit is not None:
        steps.append(Said(f"共{count}个{rule.per_unit.nouns[0]}:{format_yuan(total)} × {count} = "
                          f"{format_yuan(total * count)}", "calc.per_unit", count=count,
                          noun=rule.per_unit.nouns[0], total=total, product=total * count))
        total *= count
    if eligible and rule.bonus is not None and conds[rule.bonus.condition]:
        label = rule.bonus.label or rule.condition(rule.bonus.condition).label
        steps.append(Said(f"{label},另加{format_yuan(rule.bonus.amount_yuan)}:"
                          f"{format_yuan(total)} + {format_yuan(rule.bonus.amount_yuan)} = "
                          f"{format_yuan(total + rule.bonus.amount_yuan)}", "calc.bonus", label=label,
                          bonus=rule.bonus.amount_yuan, total=total, sum=total + rule.bonus.amount_yuan))
        total += rule.bonus.amount_yuan
    return eligible, total, steps


def unmet_conditions(rule: Rule, conds: dict[str, bool]) -> list[tuple[Condition, list[str]]]:
    """Every condition the facts fail (only those given are looked at), in the rule's order, each
    with the steps that say so. Any one decides whatever the amount is."""
    out = []
    for c in rule.conditions:
        if c.requires is not None and c.name in conds and conds[c.name] != c.requires:
            steps: list[str] = [Said(f"条件不满足:{c.label}——{_yn(conds[c.name])},不适用本条。",
                                     "calc.condition_unmet", label=c.label, value=conds[c.name])]
            if c.if_false and conds[c.name] is False:
                steps.append(c.if_false)
            out.append((c, steps))
    return out


def unmet_condition(rule: Rule, conds: dict[str, bool]) -> tuple[Condition, list[str]] | None:
    """The first condition the facts fail, with its steps; None when none fails."""
    failed = unmet_conditions(rule, conds)
    return failed[0] if failed else None


def _base_outcome(rule: Rule, amount: int | None, excluded: int, conds: dict[str, bool]) \
        -> tuple[bool, int, list[str]]:
    failed = unmet_conditions(rule, conds)
    if failed:
        # 供应商是子公司 and then 供应商在上海: each fact that rules it out is said
        return False, 0, [step for _, steps in failed for step in steps]
    steps: list[str] = []
    if rule.kind == "ceiling":
        if rule.per_unit is not None:
            noun = rule.per_unit.nouns[0]
            steps.append(Said(f"本条只规定上限:每个{noun}不超过{format_yuan(rule.cap_yuan or 0)}。",
                              "calc.ceiling_only", cap=rule.cap_yuan or 0, noun=noun))
        else:
            steps.append(Said(f"本条只规定上限:不超过{format_yuan(rule.cap_yuan or 0)}。",
                              "calc.ceiling_only_total", cap=rule.cap_yuan or 0))
        return True, int(rule.cap_yuan or 0), steps
    assert amount is not None
    minimum = rule.minimum(bool(conds[rule.min_by.condition]) if rule.min_by else None)
    if amount < minimum:
        steps.append(Said(f"{rule.amount_label}{format_yuan(amount)},未达到{format_yuan(minimum)}的门槛"
                          "(门槛含本数),不予支持。", "calc.below_threshold", label=rule.amount_label,
                          amount=amount, minimum=minimum))
        return False, 0, steps
    steps.append(Said(f"{rule.amount_label}{format_yuan(amount)},达到{format_yuan(minimum)}门槛。",
                      "calc.threshold", label=rule.amount_label, amount=amount, minimum=minimum))
    tier = [t for t in rule.tiers if amount >= t.from_yuan][-1]
    if tier.amount_yuan is not None:
        steps.append(Said(f"达到{format_yuan(tier.from_yuan)}档,对应金额{format_yuan(tier.amount_yuan)}。",
                          "calc.tier_amount", tier=tier.from_yuan, value=tier.amount_yuan))
        raw = tier.amount_yuan
        if rule.cap_yuan is not None and raw > rule.cap_yuan:
            steps.append(Said(f"超过最高{format_yuan(rule.cap_yuan)},按{format_yuan(rule.cap_yuan)}计。",
                              "calc.over_cap", cap=rule.cap_yuan))
            return True, rule.cap_yuan, steps
        return True, raw, steps
    assert tier.rate is not None
    rate_txt = f"{(tier.rate * 100).normalize():f}%"
    if len(rule.tiers) > 1:
        steps.append(Said(f"达到{format_yuan(tier.from_yuan)}档,适用{rate_txt}。", "calc.tier_rate",
                          tier=tier.from_yuan, rate=rate_txt))
    base = amount
    if rule.rate_on_base:
        base = amount - excluded
        if excluded:
            steps.append(Said(f"扣除{rule.excluded_label}{format_yuan(excluded)}后,资助基数为{format_yuan(base)}。",
                              "calc.base_after_excluded", part=rule.excluded_label, excluded=excluded, base=base))
        else:
            steps.append(Said(f"资助基数为{format_yuan(base)}(未提供{rule.excluded_label}金额,按不含计)。",
                              "calc.base_nothing_excluded", base=base, part=rule.excluded_label))
    raw = int((Decimal(base) * tier.rate).to_integral_value(rounding=ROUND_DOWN))
    steps.append(Said(f"{format_yuan(base)} × {rate_txt} = {format_yuan(raw)}", "calc.product",
                      base=base, rate=rate_txt, raw=raw))
    if rule.cap_yuan is not None and raw > rule.cap_yuan:
        steps.append(Said(f"超过最高{format_yuan(rule.cap_yuan)},按{format_yuan(rule.cap_yuan)}计。",
                          "calc.over_cap", cap=rule.cap_yuan))
        return True, rule.cap_yuan, steps
    if rule.cap_yuan is not None:
        steps.append(Said(f"未超过最高{format_yuan(rule.cap_yuan)}。", "calc.under_cap", cap=rule.cap_yuan))
    return True, raw, steps


def deciding_conditions(rule: Rule, amount_yuan: int | None, excluded_yuan: int,
                        given: dict[str, bool]) -> list[Condition]:
    """Unstated conditions whose other value would change the result."""
    conds = {c.name: given.get(c.name, c.default) for c in rule.conditions}
    base = _outcome(rule, amount_yuan, excluded_yuan, conds)[:2]
    out = []
    for c in rule.conditions:
        if c.name in given:
            continue
        if _outcome(rule, amount_yuan, excluded_yuan, dict(conds, **{c.name: not conds[c.name]}))[:2] != base:
            out.append(c)
    return out


def calculate(rule: Rule, amount_yuan: int | None = None, excluded_yuan: int = 0,
              conditions: dict[str, bool] | None = None, count: int = 1) -> Calculation:
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
    elif excluded_yuan < 0:
        raise AmountError("扣除金额不能为负数。")
    if count < 1 or count > 1000:
        raise AmountError(f"数量必须在1到1000之间(收到 {count})。")
    conds = {c.name: given.get(c.name, c.default) for c in rule.conditions}
    eligible, amount, steps = _outcome(rule, amount_yuan, excluded_yuan, conds, count)
    notes: list[str] = []
    for c in rule.conditions:
        if c.name in given:
            continue
        flipped = dict(conds, **{c.name: not c.default})
        alt_ok, alt_amount, _ = _outcome(rule, amount_yuan, excluded_yuan, flipped, count)
        if (alt_ok, alt_amount) != (eligible, amount):
            other = format_yuan(alt_amount) if alt_ok else "不符合条件(0元)"
            notes.append(Said(f"问题未说明“{c.label}”,按“{_yn(c.default)}”计算;若为“{_yn(not c.default)}”,"
                              f"结果为{other}。", "calc.assumed" if alt_ok else "calc.assumed_ineligible",
                              label=c.label, value=c.default, other_value=not c.default, other=alt_amount))
    notes += list(rule.interpretation)
    inputs: dict[str, Any] = {}
    if rule.needs_amount:
        inputs[rule.amount_name] = amount_yuan
        if rule.excluded:
            inputs[rule.excluded.name] = excluded_yuan
    inputs.update(conds)
    if rule.per_unit is not None and count > 1:
        inputs["count"] = count
    assumed = [c.name for c in rule.conditions if c.name not in given]
    if assumed:
        inputs["assumed"] = assumed
    return Calculation(rule.tool, rule.doc_id, rule.article, inputs, eligible, amount,
                       rule.cap_yuan, steps, notes, ceiling_only=rule.kind == "ceiling", at_most=rule.at_most)


ITEM_STEP_KEYS = ("calc.product", "calc.over_cap", "calc.below_threshold", "calc.condition_unmet")
"""Of each unit's own calculation, the steps said under its line: its product, its cap, a threshold
not reached, a condition not met."""


def calculate_items(rule: Rule, items: tuple[int, ...], conditions: dict[str, bool] | None = None) -> Calculation:
    """Several units of a per-unit rule, each with its own amount (A款卖了3000万, B款1200万): each
    calculated alone (its own tier and cap), the results added."""
    assert rule.per_unit is not None and len(items) >= 2
    calcs = [calculate(rule, a, 0, conditions) for a in items]
    noun = rule.per_unit.nouns[0]
    steps: list[str] = []
    for k, (a, c) in enumerate(zip(items, calcs), 1):
        steps.append(Said(f"第{k}个{noun}:{rule.amount_label}{format_yuan(a)},"
                          f"{'可获' + format_yuan(c.amount_yuan) if c.eligible else '不符合条件(0元)'}。",
                          "calc.item", number=k, noun=noun, amount=a, result=c.amount_yuan))
        steps += [s for s in c.steps if getattr(s, "key", "") in ITEM_STEP_KEYS]
    total = sum(c.amount_yuan for c in calcs)
    steps.append(Said(f"合计:{' + '.join(format_yuan(c.amount_yuan) for c in calcs)} = {format_yuan(total)}",
                      "calc.items_total", total=total))
    inputs = {**calcs[0].inputs, rule.amount_name: sum(items), "items_yuan": list(items)}
    return Calculation(rule.tool, rule.doc_id, rule.article, inputs, any(c.eligible for c in calcs), total,
                       rule.cap_yuan, steps, calcs[0].notes, at_most=rule.at_most)


def listed_part(rule: Rule, text: str, mentions: list[Mention]) -> int | None:
    """Of a purchase stated with its parts (采购150万,其中智能芯片100万、减速器50万; 芯片150万+减速器
    200万,一共350万), the parts on the article's list (the list condition's `true` phrases) when the
    parts add up to the total, before or after them, and some are of other kinds (`kinds.heads`):
    the amount that counts; None otherwise."""
    listing = rule.list_condition
    if listing is None or listing.kinds is None or len(mentions) < 3:
        return None
    lowered = text.lower()
    for k, total in enumerate(mentions[:-2]):
        split = _listed_split(rule, lowered, mentions, k + 1, len(mentions), total.end, total.yuan)
        if split is not None:
            return split
    # (the parts first, then their total: 智能芯片150万+谐波减速器200万,一共350万)
    *parts, total = mentions
    for k in range(len(parts) - 1):
        start = parts[k - 1].end if k else _after_purchase(lowered, parts[k].start)
        split = _listed_split(rule, lowered, mentions, k, len(parts), start, total.yuan)
        if split is not None:
            return split
    return None


def _after_purchase(lowered: str, at: int) -> int:
    """Where the words naming the amount at `at` start: after the last purchase verb of its clause
    (整机企业首次采购杭州…芯片150万: not 整机 of the buyer), else at the clause's start."""
    clause = clause_at(lowered, at)
    ends = [clause.start + i + len(v) for v in cues().purchase_verbs
            for i in [lowered[clause.start:at].rfind(v)] if i >= 0]
    return max(ends, default=clause.start)


def _listed_split(rule: Rule, lowered: str, mentions: list[Mention], first: int, stop: int, start: int,
                  total: int) -> int | None:
    """The listed part of the amounts mentions[first:stop], each named by the words before it
    (from `start`, then from the amount before) or else after it in its clause, when they add up
    to `total` with some of another kind; None when a part is named neither way or both."""
    listing = rule.list_condition
    assert listing is not None and listing.kinds is not None
    heads = listing.kinds.heads
    listed, other = 0, 0
    for i in range(first, stop):
        m = mentions[i]
        words = lowered[start:m.start]
        on = any(p.lower() in words for p in listing.true)
        off = any(h.lower() in words for h in heads)
        end = m.end
        if not on and not off:  # (50万是买的相机硬件: the words after it name it)
            end = min([clause_at(lowered, m.start).end] + [n.start for n in mentions[i + 1:i + 2]])
            after = lowered[m.end:end]
            on = any(p.lower() in after for p in listing.true)
            off = any(h.lower() in after for h in heads)
        if on == off:
            return None
        listed, other, start = listed + (m.yuan if on else 0), other + (0 if on else m.yuan), end
        if listed + other == total:
            return listed if listed and other else None
    return None


_UNIT_LABEL = pattern("unit_label")
_FROM_SELLER = pattern("from_seller")
_BOUGHT_FROM = pattern("bought_from_before")
SELLER_NOUN_REACH = 4
"""Characters after a phrase of the seller within which its firm's noun starts (非关联企业, 非关联的公司)."""


def read_items(rule: Rule, text: str) -> tuple[int, ...]:
    """The amounts of several units a question states one by one and asks the sum of (A款非关联销售
    3000万,B款12000000元,两款合计能补多少): () unless the rule is granted per unit, the question
    asks a sum (`sum_asks`), and each amount follows a unit of its own (A款, 型号, 产品) with no part
    word (关联方, 其中) between it and the amount before."""
    if rule.per_unit is None or not rule.needs_amount:
        return ()
    lowered = text.lower()
    if not any(w in lowered for w in cues().sum_asks):
        return ()
    mentions = stated_amounts(text)
    if len(mentions) < 2:
        return ()
    units = tuple(n.lower() for n in rule.per_unit.nouns)
    parts = tuple(k.lower() for k in rule.excluded.keywords) if rule.excluded else ()
    start = 0
    for m in mentions:
        segment = lowered[start:m.start]
        named = any(u in segment for u in units) or _UNIT_LABEL.search(segment)
        if not named or any(p in segment and not negated(segment, segment.find(p)) for p in parts):
            return ()  # (非关联销售 names no part: its negation says so)
        start = m.end
    return tuple(m.yuan for m in mentions)


# --- reading a question -------------------------------------------------------------------------
@dataclass(frozen=True)
class Request:
    """What a question (or a conversation) asks a calculator."""

    rule: Rule
    amount_yuan: int | None = None
    excluded_yuan: int = 0
    conditions: dict[str, bool] = field(default_factory=dict)
    count: int = 1
    """How many units a per-unit ceiling is for (两个项目)."""
    excluded_kinds: frozenset[str] = frozenset()
    """The kinds of excluded part named so far (土地, 厂房: the rule's `excluded.keywords`): a
    follow-up naming a part of another kind (设备里有200万是二手的) adds to them."""
    amount_is_base: bool = False
    """The amount was stated already without the excluded part (卖给非关联客户950万): a part of
    that kind named later (另外卖给母公司200万) is beside it, not inside it."""
    excluded_parts: tuple[tuple[str, int], ...] = ()
    """Each excluded part as stated: its kind (the keyword naming it, '' when none does) and its
    yuan (土地1000万, 厂房800万 → (土地, 10000000), (厂房, 8000000)). A follow-up that says one cost
    nothing (厂房是租的) or was something else (那800万其实是新设备) takes that part out."""
    items: tuple[int, ...] = ()
    """The amounts of several units stated one by one (A款3000万, B款1200万): each calculated
    alone, the results added (`calculate_items`)."""
    ceiling_asked: bool = False
    """The question asks for the most the measure gives (最多能奖多少, 封顶多少) and states no
    amount: without one, the answer is the measure's ceiling."""

    @property
    def ready(self) -> bool:
        """An amount is given, none is needed, the ceiling is asked, or a stated fact rules the
        measure out whatever the amount (供应商在德清: 0 元 for any purchase)."""
        return self.amount_yuan is not None or not self.rule.needs_amount or self._ruled_out() is not None \
            or self._ceiling_only()

    def _ceiling_only(self) -> bool:
        return self.ceiling_asked and self.amount_yuan is None and self.rule.cap_yuan is not None

    def _ruled_out(self) -> tuple[Condition, list[str]] | None:
        """The stated fact that rules the measure out whatever the amount — not one under which
        the article still supports the case without an amount (another 首台套 product)."""
        failed = unmet_condition(self.rule, self.conditions)
        return failed if failed is not None and failed[0].otherwise == "not_eligible" else None

    def run(self) -> Calculation:
        failed = self._ruled_out() if self.amount_yuan is None else None
        if failed is not None and self.rule.needs_amount:
            inputs: dict[str, Any] = {self.rule.amount_name: None, **self.conditions}
            return Calculation(self.rule.tool, self.rule.doc_id, self.rule.article, inputs, False, 0,
                               self.rule.cap_yuan, failed[1], list(self.rule.interpretation))
        if self._ceiling_only() and self.rule.needs_amount:
            return _request_ceiling(self)
        calc = calculate_items(self.rule, self.items, self.conditions) if len(self.items) >= 2 else \
            calculate(self.rule, self.amount_yuan, self.excluded_yuan, self.conditions, self.count)
        unmet = unmet_conditions(self.rule, self.conditions)
        if not calc.eligible and unmet and all(c.otherwise == "no_amount" for c, _ in unmet):
            # 工业机器人首台套 非关联卖了2000万: the article still supports it, with no amount of its own
            return replace(calc, amount_unset=True)
        return calc


def _request_ceiling(request: "Request") -> Calculation:
    """The ceiling of a measure whose amount is computed from a figure not stated (最多能奖多少):
    the most it gives, with how it is computed; 0 when a stated fact rules it out."""
    rule = request.rule
    cap = int(rule.cap_yuan or 0)
    inputs: dict[str, Any] = {rule.amount_name: None, **request.conditions}
    failed = unmet_conditions(rule, {c.name: request.conditions.get(c.name, c.default) for c in rule.conditions})
    if failed:
        return Calculation(rule.tool, rule.doc_id, rule.article, inputs, False, 0, cap,
                           [step for _, steps in failed for step in steps], list(rule.interpretation))
    steps: list[str] = [Said(f"本条最高不超过{format_yuan(cap)};具体金额按{rule.amount_label}计算,"
                             f"提供{rule.amount_label}即可算出。", "calc.ceiling_asked", cap=cap,
                             label=rule.amount_label)]
    return Calculation(rule.tool, rule.doc_id, rule.article, inputs, True, cap, cap, steps,
                       list(rule.interpretation), at_most=True)


def excluded_kinds(rule: Rule, text: str) -> frozenset[str]:
    """The rule's excluded-part keywords a text names (土地, 厂房 in 其中土地1000万 厂房800万),
    a keyword inside a longer one named counting once (二手设备, not 二手 too)."""
    if rule.excluded is None:
        return frozenset()
    lowered = text.lower()
    named = [k.lower() for k in rule.excluded.keywords if k.lower() in lowered]
    return frozenset(k for k in named if not any(k != other and k in other for other in named))


def read_amounts(rule: Rule, text: str, mentions: list[Mention]) -> tuple[int | None, int, list[AmountRole]]:
    """(amount, excluded part, roles) a question states for the rule: its amounts by their roles,
    a part stated as a share of the total (投2000万 一半是买厂房), and a part the text puts beside
    sales (对外销售2.8亿元,另外有5000万卖给关联公司) rather than inside them."""
    roles = amount_roles(rule, text, mentions)
    amount, excluded = split_amounts(rule, text, mentions, roles)
    if amount and not excluded and len(mentions) == 1:
        excluded = fraction_part(rule, text, amount)
    parts = [m for m, r in zip(mentions, roles) if r == "excluded"]
    # (另外还买了600万二手设备, 后来又追加了200万买二手设备: a part put beside the amount, not inside it)
    beside = bool(excluded and parts) and rule.excluded is not None and all(
        says(clause_before(text, m.start), (*cues().beside, *cues().beside_total)) for m in parts)
    if beside and rule.excluded is not None and rule.excluded.reduces == "amount":
        return amount, 0, ["base" if r == "main" else r for r in roles]
    if beside and amount and "main" in roles and "base" not in roles:
        # 新设备2000万 另外还买了600万二手设备: the part beside the amount before it adds to the total
        return amount + excluded, excluded, roles
    return amount, excluded, roles


def fraction_part(rule: Rule, text: str, total: int | None) -> int:
    """The excluded part stated as a share of the total (投2000万,一半是买厂房 → 1000万): a
    `fractions` word in a clause naming a part word (not negated); 0 when none."""
    if rule.excluded is None or not total:
        return 0
    lowered = text.lower()
    keys = [k.lower() for k in rule.excluded.keywords]
    for word, share in cues().fractions.items():
        for m in re.finditer(re.escape(word.lower()), lowered):
            clause = clause_at(lowered, m.start())
            if any(k in clause.text and not negated(lowered, clause.start + clause.text.find(k)) for k in keys):
                return round(total * share)
    return 0


PART_AFTER = pattern("part_after")
"""What follows an amount, its fillers skipped: a part's keyword there names the amount before it."""
PART_BEFORE_FILLERS = pattern("part_before_fillers")
"""What may stand between a part's keyword and its amount (土地是1000万, land was RMB 6 million)."""


def excluded_parts(rule: Rule, text: str, mentions: list[Mention],
                   roles: list[AmountRole]) -> tuple[tuple[str, int], ...]:
    """The excluded amounts with their kinds: the keyword nearest before the amount in its
    clause, else the first after it ('' when neither names one)."""
    if rule.excluded is None:
        return ()
    keys = sorted({k.lower() for k in rule.excluded.keywords}, key=len, reverse=True)
    parts = []
    for i, (m, role) in enumerate(zip(mentions, roles)):
        if role != "excluded":
            continue
        before, after = _clauses(text, mentions, i)
        ends = [(before.rfind(k) + len(k), k) for k in keys if k in before]
        starts = [(after.find(k), k) for k in keys if k in after]
        # RMB 4 million land use rights, 1000万的土地: a keyword right after the amount is its own
        # (厂房2000万 土地1000万: one right before it comes first)
        adjacent = PART_AFTER.match(after)
        stripped = PART_BEFORE_FILLERS.sub("", before)
        kind = next((k for k in keys if stripped.endswith(k)), "") \
            or (next((k for k in keys if adjacent.group(1).startswith(k)), "") if adjacent else "") \
            or (max(ends, key=lambda e: (e[0], len(e[1])))[1] if ends
                else min(starts, key=lambda e: (e[0], -len(e[1])))[1] if starts else "")
        parts.append((kind, m.yuan))
    return tuple(parts)


def _named_in(text: str, names: tuple[str, ...], marks: tuple[str, ...], *, own: bool = False,
              things: tuple[str, ...] = ()) -> bool:
    """One of the places is named in a clause holding one of the marks (a supplier's clause:
    从杭州一家公司采购, 供应商在建德; the enterprise's own: 我们是宁波的). `own`: the enterprise's own
    place is asked, and a clause that starts with its name for itself and names no supplier is its
    own too (我们其实是绍兴的整机厂, we're a whole-machine maker in Shaoxing)."""
    lowered = text.lower()
    selves = tuple(w.lower() for w in cues().self_words)
    suppliers = tuple(w.lower() for w in cues().supplier_cues)
    for name in names:
        at = lowered.find(name.lower())
        while at >= 0:
            span = clause_at(lowered, at)
            clause = span.text
            if own and things and _another_firm_leads(lowered[span.start:at], selves, things):
                at = lowered.find(name.lower(), at + 1)
                continue  # 芯片公司其实注册在嘉兴: the chip firm's place, not the enterprise's
            if any(w.lower() in clause for w in marks):
                return True
            if own and clause.lstrip().startswith(selves) \
                    and not any(re.search(rf"(?<![a-z]){re.escape(w)}(?![a-z])" if w.isascii() else re.escape(w), clause)
                                for w in suppliers):
                return True
            at = lowered.find(name.lower(), at + 1)
    return False


def _another_firm_leads(before: str, selves: tuple[str, ...], things: tuple[str, ...]) -> bool:
    """The clause before a place opens with a firm named by what the measure's money buys (芯片公司,
    the chip vendor) rather than by the enterprise's own name or kind (我们, 整机企业): the place is
    that firm's, the supplier's."""
    nouns = tuple(w.lower() for w in cues().entity_nouns)
    head = before.lstrip()
    if head.startswith(selves):
        return False
    for noun in nouns:
        i = head.find(noun)
        if i > 0 and not any(w in head[:i] for w in selves) and any(t.lower() in head[:i] for t in things):
            return True
    return False


def read_conditions(rule: Rule, text: str, other_places: tuple[str, ...] = (),
                    inside_places: tuple[str, ...] = ()) -> dict[str, bool]:
    out = {}
    listed = rule.list_condition
    things = tuple(listed.true) if listed is not None else ()
    for c in rule.conditions:
        value = c.read(text, other_places, inside_places, things)
        if value is not None:
            out[c.name] = value
    return out


def _clauses(text: str, mentions: list[Mention], i: int) -> tuple[str, str]:
    """(text before the i-th amount, text after it), each bounded by the neighbouring amounts and
    by clause punctuation."""
    m = mentions[i]
    lo = mentions[i - 1].end if i > 0 else 0
    hi = mentions[i + 1].start if i + 1 < len(mentions) else len(text)
    before = re.split(r"[,，。;；]", text[lo:m.start])[-1]
    after = re.split(r"[,，。;；(（)）]", text[m.end:hi])[0]
    return before.lower(), after.lower()


def _labels_next(after: str, keywords: tuple[str, ...], text: str, mentions: list[Mention], i: int) -> bool:
    """A part's word right before the next amount names that amount, not this one (其中设备4亿 土地1亿:
    土地 is the 1亿's), unlike one this amount is said to be (100万是旧设备, 4亿 不含土地)."""
    if i + 1 >= len(mentions) or len(after) != mentions[i + 1].start - mentions[i].end:
        return False  # a clause break before the next amount, or none follows
    last = max(after.rfind(k.lower()) + len(k) for k in keywords if k.lower() in after)
    return len(after[last:].strip()) <= 1


def _english_role(spec: ExcludedSpec, after: str, before: str) -> AmountRole:
    """An English amount's role by its own words: those after it first (15 million for land use
    rights; 80 million excluding land), then those before it in its clause."""
    for words in (whole_words(after, spec.keywords), whole_words(before, spec.keywords)):
        keys = [words.find(k.lower()) for k in spec.keywords
                if k.lower() in words and not negated(words, words.find(k.lower()))]
        if keys:
            marks = [words.find(b.lower()) for b in spec.base_markers if b.lower() in words]
            return "base" if marks and min(marks) < min(keys) else "excluded"
    # Sales to unrelated customers reached 40 million: the total already without the part
    return "base" if any(b.lower() in f"{before} {after}" for b in spec.base_markers) else "main"


def _share_before_part(after: str, keywords: tuple[str, ...]) -> bool:
    """A share word comes before the part word after an amount (2000万 一半是买厂房): the part is
    that share of the amount, which is the total."""
    first = min(after.find(k.lower()) for k in keywords if k.lower() in after)
    return any(0 <= after.find(w.lower()) < first for w in cues().fractions)


def _after_part(before: str, keywords: tuple[str, ...]) -> bool:
    """The amount comes right after its clause's last part word and a word of `after_part`
    (扣掉土地厂房后4.5亿, 去掉二手设备以后是800万): what is left after the part, the base."""
    last = max(before.rfind(k.lower()) + len(k) for k in keywords if k.lower() in before)
    tail = before[last:].strip()
    return any(tail.startswith(w) and len(tail) - len(w) <= AFTER_PART_GAP for w in cues().after_part)


AFTER_PART_GAP = 2
"""Characters between the after-word and the amount (后还有, 以后是) that keep it the base."""


def amount_roles(rule: Rule, text: str, mentions: list[Mention]) -> list[AmountRole]:
    """For each amount: the main one, the excluded part (其中土地5000万, 100万是旧设备), or the base
    after exclusion (不含土地厂房是4亿)."""
    spec = rule.excluded
    roles: list[AmountRole] = []
    for i in range(len(mentions)):
        if spec is None:
            roles.append("main")
            continue
        before, after = _clauses(text, mentions, i)
        if any(w in before for w in cues().rest):
            roles.append("base")  # 剩下800万是卖给外面的客户: what is left after the part
            continue
        if english_at(text, mentions[i].start):
            roles.append(_english_role(spec, *english_words_of(text, mentions, i)))
            continue
        before, after = whole_words(before, spec.keywords), whole_words(after, spec.keywords)
        if not any(k.lower() in before for k in spec.keywords):
            # 其中一部分卖给了关联方,大概800万: the part is named in the clause before its amount —
            # unless that clause holds the amount before it, whose part it names (其中1000万是旧设备,
            # 另外2000万新设备: the 2000万 is no 旧设备)
            lo = mentions[i - 1].end if i > 0 else 0
            sentence = re.split(r"[。;；!?？!]", text[lo:mentions[i].start])[-1].lower()
            patterns = [p.lower() for p in (rule.amount.patterns if rule.amount else ())]
            owned = i > 0 and any(k.lower() in _clauses(text, mentions, i - 1)[1] for k in spec.keywords)
            if not any(p in before for p in patterns) and not owned:
                # (计划投资1500万(不含土地厂房),目前实际到位800万: a part the total before leaves
                # out names no part of this amount)
                before = without_exclusions(sentence)
        found = [before.find(k.lower()) for k in spec.keywords if k.lower() in before]
        keys = [at for at in found if not negated(before, at)]
        if found and not keys:
            roles.append("base")  # 卖给外部客户(都不是关联方)1500万: sales without the part
            continue
        if keys:
            first = min(keys)
            marks = [before.find(b.lower()) for b in spec.base_markers if b.lower() in before]
            roles.append("base" if marks and min(marks) < first or _after_part(before, spec.keywords)
                         else "excluded")
        elif any(p.lower() in before for p in (rule.amount.patterns if rule.amount else ())):
            # 实际投资2亿 含厂房5000万: its own words name the total; 卖给非关联客户2300万: the
            # total already without the part
            roles.append("base" if any(b.lower() in before for b in spec.base_markers) else "main")
        elif any(k.lower() in after for k in spec.keywords) \
                and not _labels_next(after, spec.keywords, text, mentions, i) \
                and not _share_before_part(after, spec.keywords):
            first = min(after.find(k.lower()) for k in spec.keywords if k.lower() in after)
            marks = [after.find(b.lower()) for b in spec.base_markers if b.lower() in after]
            roles.append("base" if marks and min(marks) < first else "excluded")  # 4亿 不含土地
        else:
            roles.append("main")
    return roles


def split_amounts(rule: Rule, text: str, mentions: list[Mention],
                  roles: list[AmountRole] | None = None) -> tuple[int | None, int]:
    """(main amount, excluded amount) from the amounts a question mentions (their `roles` when the
    caller has read them already)."""
    roles = roles if roles is not None else amount_roles(rule, text, mentions)
    excluded = sum(m.yuan for m, r in zip(mentions, roles) if r == "excluded")
    base = [m.yuan for m, r in zip(mentions, roles) if r == "base"]
    main = [m for m, r in zip(mentions, roles) if r == "main"]
    patterns = [p.lower() for p in (rule.amount.patterns if rule.amount else ())]
    labelled = [m for m in main if any(p in text[max(0, m.start - 10):m.start].lower() for p in patterns)]
    # 又追加了300万新设备,现在一共1200万: the amount stated as the whole
    whole = [m for m in main if says(text[clause_at(text, m.start).start:m.start], cues().totals)]
    total = (whole or labelled or main)[0].yuan if main else None
    if base:
        if total is None:
            return base[0], 0
        if base[0] <= total:
            return total, total - base[0]
        return base[0], 0  # 非关联销售6个亿,按2%算1200万: a smaller figure is no total of it
    if total is None and excluded and rule.excluded is not None and rule.excluded.reduces == "amount":
        return excluded, 0  # 卖给关联方500万: the whole amount, its condition read from the words
    return total, excluded


_COUNT = pattern("count_of_items")
COUNT_NOUN_REACH = 10
"""Characters after a Chinese count (两个) within which the unit it counts is named."""
COUNT_NOUN_REACH_ENGLISH = 45
"""… after an English one (Two of our warehouse picking projects)."""
_ENGLISH_COUNTS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())}


def read_count(rule: Rule, text: str) -> int:
    """How many units a per-unit rule is asked for (两个项目都被评上 → 2); 1 when not said. A rule
    that needs an amount counts units only when the question states one amount for each of them
    (`each` words: 各卖了8亿)."""
    if rule.per_unit is None:
        return 1
    if rule.needs_amount and (len(find_amounts(text)) != 1 or not any(w in text.lower() for w in cues().each)):
        return 1  # 两款产品合计卖了3000万: one amount of both; 两款…各卖了8亿: that amount each
    from ..lang.numerals import chinese_int

    for m in _COUNT.finditer(text):
        after = text[m.end():m.end() + (COUNT_NOUN_REACH if m.group(1) else COUNT_NOUN_REACH_ENGLISH)].lower()
        if any(noun.lower() in after for noun in rule.per_unit.nouns):
            number = m.group(1) or m.group(2).lower()
            try:
                n = _ENGLISH_COUNTS[number] if number in _ENGLISH_COUNTS else chinese_int(number)
            except ValueError:
                continue
            if 1 < n <= 100:
                return n
    return _listed_units(rule.per_unit.nouns, text)


LISTED_UNIT_MAX = 8
"""Characters of a listed thing after the first (康复 of 手术辅助和康复场景)."""


def _listed_units(nouns: tuple[str, ...], text: str) -> int:
    """The things a list joins right before a per-unit noun, when its clause says all of them took
    the step (手术辅助和康复场景今年都评上了 → 2); 1 otherwise."""
    c = cues()
    lowered = text.lower()
    joiners = "|".join(map(re.escape, (*c.enumeration_joiners, "、")))
    for noun in (n for n in nouns if not n.isascii()):
        for at in (m.start() for m in re.finditer(re.escape(noun), lowered)):
            clause = clause_at(lowered, at)
            if not any(w in lowered[at + len(noun):clause.end] for w in c.all_of):
                continue
            items = re.split(joiners, lowered[clause.start:at])
            # (在两家医院做的手术辅助 / 康复: the list's first item carries the words before it)
            if len(items) >= 2 and items[0].strip() and all(1 <= len(i.strip()) <= LISTED_UNIT_MAX for i in items[1:]):
                return min(len(items), 100)
    return 1


def asks_about_money(text: str) -> bool:
    """An amount, or a word that asks about money (`money_asks` in data/cues.json)."""
    lowered = text.lower()
    return bool(find_amounts(text)) or any(w in lowered for w in cues().money_asks)


def triggers_in(rule: Rule | Unspecified, text: str) -> list[str]:
    """The rule's own words the text uses: Chinese ones anywhere, English ones at the start of a
    word and not inside a hyphenated compound (invest, not foreign-invested)."""
    lowered = text.lower()
    return [t for t in rule.triggers if t.lower() in lowered and (
        not t.isascii() or re.search(r"(?<![a-z\-])" + re.escape(t.lower()), lowered))]


@lru_cache(maxsize=None)
def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    """A condition's phrase as a pattern: one that starts with a Chinese negator (没有关系) also
    with a determiner after it (没有任何关系, 无任何关联)."""
    lowered = phrase.lower()
    negator = next((n for n in sorted(cues().negators, key=len, reverse=True)
                    if not n.isascii() and lowered.startswith(n) and len(lowered) > len(n)), "")
    if not negator:
        return re.compile(re.escape(lowered))
    determiners = "|".join(re.escape(d) for d in cues().determiners)
    return re.compile(f"{re.escape(negator)}(?:{determiners})?{re.escape(lowered[len(negator):])}")


def trigger_hits(rule: Rule | Unspecified, text: str) -> int:
    """How many of the rule's own words the text uses (`triggers_in`)."""
    return len(triggers_in(rule, text))


def format_calculation_summary(calc: Calculation) -> str:
    return (f"{format_yuan(calc.amount_yuan)}({calc.amount_yuan:,} 元)" if calc.eligible
            else "不符合条件(0 元)")
