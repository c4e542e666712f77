"""政策体检: from an enterprise's profile to every support it can claim in the library.

The profile's fields come from the corpus, not from code: every calculator maps its amount and
conditions to profile fields (`profile` in `*.rules.json`), and `<stem>.tags.json` names the yes/no
facts that articles without an amount depend on (科研项目, 出海, 人才, 平台 …). Matching runs every
calculator of every document in force on the profile and lists the articles whose facts the
profile has; a document replaced by another in the library is not counted twice.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model, field_validator

from ..calc.calculators import (
    Condition,
    Rule,
    RuleBook,
    amount_roles,
    calculate,
    deciding_conditions,
    listed_part,
    read_count,
    trigger_hits,
    unmet_condition,
)
from ..errors import CorpusError, PolicyAssistantError
from ..ingest.corpus import Corpus
from ..lang import places, reading
from ..lang.amounts import Mention, format_yuan
from ..lang.cues import pattern
from ..lang.lexical import function_words, is_cjk, specificity
from ..lang.sentences import best_quote
from ..lang.text import book_title
from ..models import Article

ItemStatus = Literal["eligible", "needs_info", "no_amount", "not_eligible"]
FieldKind = Literal["amount", "flag", "text"]


class MatchError(PolicyAssistantError):
    """A profile is malformed or names fields the library does not know."""


# --- the profile's fields, from the corpus ----------------------------------------------------
class TagField(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    label: str
    words: tuple[str, ...] = ()
    expressions: tuple[str, ...] = ()
    """Regular expressions that state the fact where a fixed word cannot (参加…展)."""
    from_articles: tuple[int, ...] = ()
    """Articles whose own lists (汽车、电子、纺织等…) give more words for the fact."""
    of_customers: bool = False
    """Words said of the enterprise's customers state the fact too: a scenario is where its products
    or services are used (帮客户装了50台工业机器人, 客户是汽车厂), unlike what the enterprise is."""

    @field_validator("expressions")
    @classmethod
    def _compiles(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for e in value:
            re.compile(e)
        return value


class TaggedArticle(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    article: int
    fields: tuple[str, ...]
    support: str = ""


class TagsFile(BaseModel):
    """`<stem>.tags.json`."""

    model_config = ConfigDict(extra="ignore", frozen=True, defer_build=True)
    fields: dict[str, TagField] = {}
    articles: tuple[TaggedArticle, ...] = ()


@dataclass(frozen=True)
class ProfileField:
    """One field of the enterprise profile and where it comes from."""

    name: str
    kind: FieldKind
    label: str
    words: tuple[str, ...] = ()
    """Words of a description that state a yes/no fact."""
    patterns: tuple[str, ...] = ()
    """Words that introduce an amount of this field in a description (销售额, 采购)."""
    condition: Condition | None = None
    """The calculator condition the field feeds (it reads a description the same way)."""
    expressions: tuple[str, ...] = ()
    """Regular expressions that state a yes/no fact (the tags file's `expressions`)."""
    of_customers: bool = False
    """Said of the enterprise's customers, its words state the fact too (TagField.of_customers)."""


@dataclass
class ProfileSchema:
    """Every field a profile of this library can have."""

    fields: dict[str, ProfileField]
    tagged: dict[str, list[TaggedArticle]] = field(default_factory=dict)
    """doc_id → articles without an amount and the facts they depend on."""
    subjects: frozenset[str] = frozenset()
    """Fields that say what an enterprise is or does (from the tags files)."""

    def model(self) -> type[BaseModel]:
        """The profile as a pydantic model (JSON in and out)."""
        spec: dict[str, Any] = {
            "name": (str, Field("", max_length=200, description="企业名称(可选)")),
            "location": (str, Field("", max_length=100, description="企业注册地(写到区、县、市)")),
            "pending": (list[str], Field(default_factory=list, max_length=100,
                                         description="事实尚未确定的措施(计算规则 id:申报中、计划投资)")),
            "places": (dict[str, str], Field(default_factory=dict, max_length=100,
                                             description="项目所在地(规则 id → 地名),项目类措施按项目所在地判断")),
            "counts": (dict[str, int], Field(default_factory=dict, max_length=100,
                                             description="按个数计的措施的个数(规则 id → 个数)")),
            "asked": (list[str], Field(default_factory=list, max_length=100,
                                       description="描述中问到的措施(计算规则 id:听说采购有10%奖励,我们能不能申请?)")),
            "facts_of": (dict[str, dict[str, bool]], Field(
                default_factory=dict, max_length=100,
                description="某项措施自身所述对象的条件(规则 id → 条件名 → 是否满足),与企业整体情况不同时优先")),
        }
        for f in self.fields.values():
            if f.kind == "amount":
                spec[f.name] = (int | None, Field(None, ge=0, le=10 ** 13, description=f"{f.label}(元)"))
            else:
                spec[f.name] = (bool | None, Field(None, description=f.label))
        return create_model("Profile", __config__=ConfigDict(extra="forbid"), **spec)


def _load_tags(corpus: Corpus) -> dict[str, TagsFile]:
    out = {}
    for doc in corpus.documents:
        path = Path(doc.path).with_name(Path(doc.path).stem + ".tags.json")
        if not path.exists():
            continue
        try:
            out[doc.doc_id] = TagsFile.model_validate(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, ValidationError) as exc:
            raise CorpusError(f"{path}: invalid tags ({exc})") from exc
    return out


LISTED_STEM_CHARS = 4
"""A listed item this long also counts without its last character (智能分拣机: 智能分拣)."""


def _listed_words(corpus: Corpus, doc_id: str, numbers: tuple[int, ...]) -> tuple[str, ...]:
    """The items the articles list (their sectors, scenarios and products), as description words."""
    words: list[str] = []
    doc = corpus.document(doc_id)
    texts = [a.text for a in doc.articles] if doc is not None else []
    for number in numbers:
        art = corpus.article(doc_id, number)
        if art is None:
            raise CorpusError(f"{doc_id}: the tags file takes words from article {number}, which it lacks")
        c = reading.cues()
        for item in reading.enumerated_items(art.text):
            if sum(1 for t in texts if item in t) > LISTED_SPREAD_MAX:
                continue  # 人形机器人, in five articles: a product the whole document is about, no sign of this one
            words.append(item)
            if len(item) >= LISTED_STEM_CHARS:
                words.append(item[:-1])
            # its core: 智慧医院 → 医院, 外骨骼机器人 → 外骨骼 (what a description names)
            core = next((item[len(m):] for m in c.item_modifiers if item.startswith(m)), item)
            core = next((core[:-len(h)] for h in c.item_heads if core.endswith(h)), core)
            if core != item and len(core) >= ITEM_CORE_CHARS:
                words.append(core)
            # 消防救援 → 消防 (消防灭火机器人); not a common word (管理 of 应急管理)
            words += [h for h in _unique_halves(item, texts) if specificity().weight(h) >= ITEM_HALF_MIN_WEIGHT]
            words += _unique_tails(item, texts)
        words += _heading_words(art.title, texts)
    return tuple(dict.fromkeys(words))


def _unique_halves(name: str, texts: list[str]) -> list[str]:
    """Each half of a four-character name (two words: 消防救援) that the document uses nowhere but
    inside it: a description naming the half (消防灭火机器人) names the item."""
    if len(name) != 4 or not all(is_cjk(ch) for ch in name):
        return []
    halves = [name[:2], name[2:]]
    return [h for h in halves if not any(h in t.replace(name, "") for t in texts)
            and h not in function_words()]


ITEM_TAIL_MIN = 3
"""A listed item's tail (码垛机 of 自动码垛机, 柔性拣选 of 智能物流柔性拣选) names it from this length on."""


def _unique_tails(name: str, texts: list[str]) -> list[str]:
    """The tails of a listed item's name, at least ITEM_TAIL_MIN characters and shorter than the
    name, that the document uses nowhere but inside it (码垛机 of 自动码垛机; not 移动机器人 of
    自主移动机器人, which another article lists too): a description naming the tail names the item."""
    if not all(is_cjk(ch) for ch in name):
        return []
    tails = [name[-k:] for k in range(ITEM_TAIL_MIN, len(name))]
    return [t for t in tails if not any(t in x.replace(name, "") for x in texts)
            and specificity().weight(t) >= ITEM_HALF_MIN_WEIGHT and t not in function_words()]


def _heading_words(title: str, texts: list[str]) -> list[str]:
    """The field an article's heading opens (拓展文旅教娱场景 → 文旅教娱), and each half of a
    four-character name that the document uses nowhere but inside it (文旅 of 文旅教娱 — not 服务 of
    生活服务): a 文旅公司 is in that field."""
    m = _SCENARIO_HEADING.match(title.strip())
    if m is None:
        return []
    name = m.group(1)
    return [name, *_unique_halves(name, texts)]


_SCENARIO_HEADING = pattern("scenario_heading")
LISTED_SPREAD_MAX = 2
"""A listed item the document's text names in more than this many articles (人形机器人 among 第9条's
products) says nothing of the article that lists it: a humanoid maker is no 文旅教娱 scenario."""
ITEM_CORE_CHARS = 2
ITEM_HALF_MIN_WEIGHT = 1.0
"""A half of a listed four-character item (消防 of 消防救援) is a description word only this specific
(管理 of 应急管理, 社区 of 健康社区 are too common to name the item)."""
"""A listed item's core (医院 of 智慧医院) is a description word from this length on."""


def profile_schema(corpus: Corpus, rules: RuleBook) -> ProfileSchema:
    """The fields of an enterprise profile for this library (calculator inputs and tag facts)."""
    fields: dict[str, ProfileField] = {}
    tags = _load_tags(corpus)
    for doc_id, tf in tags.items():
        for name, t in tf.fields.items():
            listed = _listed_words(corpus, doc_id, t.from_articles)
            # an English word the vocabulary gives one of the listed items for (surgical → 手术机器人)
            english = tuple(k for k, terms in corpus.vocabulary.english.items()
                            if any(term in listed for term in terms))
            words = t.words + listed + english
            fields.setdefault(name, ProfileField(name, "flag", t.label, words, expressions=t.expressions,
                                                 of_customers=t.of_customers))
    for rule in rules.rules:
        p = rule.profile
        if p.amount and rule.amount is not None:
            fields.setdefault(p.amount, ProfileField(p.amount, "amount", f"{rule.name}:{rule.amount.label}",
                                                     patterns=rule.amount.patterns))
        if p.excluded and rule.excluded is not None:
            fields.setdefault(p.excluded, ProfileField(p.excluded, "amount",
                                                       f"{rule.name}:其中{rule.excluded.label}",
                                                       patterns=rule.excluded.keywords))
        for cond_name, field_name in p.conditions.items():
            cond = rule.condition(cond_name)
            if field_name in fields and fields[field_name].condition is None:
                f = fields[field_name]
                fields[field_name] = ProfileField(f.name, f.kind, f.label, f.words, f.patterns, cond,
                                                  f.expressions, f.of_customers)
            fields.setdefault(field_name, ProfileField(field_name, "flag", cond.label, condition=cond))
    tagged = {doc_id: list(tf.articles) for doc_id, tf in tags.items()}
    subjects = frozenset(name for tf in tags.values() for name in tf.fields)
    return ProfileSchema(fields, tagged, subjects)


# --- reading a description ------------------------------------------------------------------------
@dataclass(frozen=True)
class ReadFact:
    """One profile field read from a description, with the span it was read from."""

    field: str
    value: Any
    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.field, "value": self.value, "text": self.text,
                "start": self.start, "end": self.end}


def _measures(text: str, rules: RuleBook) -> list[tuple[reading.Span, tuple[Rule, ...]]]:
    """Each clause with the measures (calculator rules) it speaks of: the rules whose own words
    (triggers) it uses, unless it names a part its sentence's measure leaves out; a clause without
    any continues its sentence's measure, and a sentence
    naming none but holding an amount continues the measure the sentence before it ended on
    (Sales to unrelated customers reached 40 million. Another 10 million went to our parent
    company: its parent company is a buyer, not a supplier)."""
    out: list[tuple[reading.Span, tuple[Rule, ...]]] = []
    last: tuple[Rule, ...] = ()
    for sentence in reading.sentences(text):
        names = any(trigger_hits(r, sentence.text) for r in rules.rules)
        current: tuple[Rule, ...] = last if not names and reading.stated_amounts(sentence.text) else ()
        for clause in reading.clauses(sentence.text):
            span = reading.Span(clause.text, sentence.start + clause.start, sentence.start + clause.end)
            # a part the sentence's measure leaves out (投资2800万,其中800万是从德国买的二手设备:
            # 第6条's 旧设备) keeps the clause on that measure, whatever other measure's word (买) it uses
            # (采购杭州本地非关联企业研发的芯片: a part denied names none — the clause's own words decide)
            kept = tuple(r for r in current if r.excluded is not None
                         and reading.names_undenied(clause.text.lower(), r.excluded.keywords))
            hit = kept or tuple(r for r in rules.rules if trigger_hits(r, clause.text))
            current = hit or current
            out.append((span, current))
        last = current
    return out


def _measures_of_amounts(text: str, clauses: list[tuple[reading.Span, tuple[Rule, ...]]],
                         amounts: "_Amounts", rules: RuleBook) -> list[tuple[reading.Span, tuple[Rule, ...]]]:
    """A clause that names no measure but holds an amount of one (卖给非关联客户2300万元: first-set
    sales) speaks of that measure, and so do the clauses after it in its sentence that name none
    (另外还有400万元卖给了集团内的兄弟公司): its 集团内 is not a supplier's."""
    owner = {n: r for r in rules.rules for n in (r.profile.amount, r.profile.excluded) if n}
    held: dict[int, Rule] = {}
    for name, (_, m) in amounts.values.items():
        if name in owner:
            held[m.start] = owner[name]
    out: list[tuple[reading.Span, tuple[Rule, ...]]] = []
    carried: tuple[Rule, ...] = ()
    sentence = -1
    for span, rs in clauses:
        if _sentence_of(text, span) != sentence:
            carried, sentence = (), _sentence_of(text, span)  # a new sentence
        if rs:
            carried = ()
            out.append((span, rs))
            continue
        own = next((r for at, r in held.items() if span.start <= at < span.end), None)
        if own is not None:
            carried = (own,)
        out.append((span, carried))
    return out


def _rule_text(text: str, clauses: list[tuple[reading.Span, tuple[Rule, ...]]], rule: Rule) -> str:
    """The description with every clause about another measure blanked out (offsets kept)."""
    return reading.blank_spans(text, ((sp.start, sp.end) for sp, rules in clauses if rules and rule not in rules))


def profile_from_text(text: str, schema: ProfileSchema, rules: RuleBook,
                      other_places: tuple[str, ...] = (),
                      within: frozenset[str] = frozenset()) -> tuple[dict[str, Any], list[ReadFact]]:
    """The profile fields a free-text description states, each with its span: the place, the
    amounts by the words before them in their measure's clauses (the asker's guesses and planned
    figures left out when actual ones are given), each measure's conditions read from the clauses
    about that measure, and the enterprise's own facts from the whole text (negations scoped to
    their clause)."""
    out: dict[str, Any] = {}
    facts: list[ReadFact] = []
    location, where = _location(text, within)
    if location:
        out["location"] = location
        facts.append(ReadFact("location", location, text[where[0]:where[1]], *where))
    clauses = _measures(text, rules)
    mentions = reading.stated_amounts(text)
    ranges = reading.amount_ranges(text, mentions)  # 80万到150万之间: the upper end, not settled
    mentions = [m for m in mentions if all(m is not lo for lo, _ in ranges)]
    amounts = _amounts_by_field(text, mentions, schema, rules, clauses)
    clauses = _measures_of_amounts(text, clauses, amounts, rules)
    amounts = _qualifying_candidates(text, clauses, amounts, rules, other_places)
    for name, (amount, m) in amounts.values.items():
        out[name] = amount
        facts.append(ReadFact(name, amount, m.text, m.start, m.end))
    for rule in rules.rules:
        whole = _part_is_whole(text, rule, amounts)
        if whole is not None:  # 5000万销售额全部是卖给集团内兄弟公司的: the total, all of it that part
            out[rule.profile.amount] = whole[0]
            facts.append(ReadFact(rule.profile.amount, whole[0], whole[1].text, whole[1].start, whole[1].end))
    for rule in rules.rules:  # 合同150万,其中智能芯片100万、减速器50万: the listed part is the purchase
        part = listed_part(rule, text, mentions) if rule.profile.amount in out else None
        if part is not None and part < out[rule.profile.amount]:
            out[rule.profile.amount] = part
    pending, counts = [], {}
    pending_spans = _pending_spans(text, clauses)
    for rule in rules.rules:
        said = [sp for sp, rs in clauses if rule in rs]
        ranged = rule.profile.amount in amounts.values and any(
            amounts.values[rule.profile.amount][1] is hi for _, hi in ranges)
        if rule.profile.amount in amounts.planned or rule.profile.amount in amounts.so_far \
                or any(sp in pending_spans for sp in said) or ranged:
            pending.append(rule.id)  # 计划投资1.5亿, 首台套认定还在申请中, 80万到150万之间: once settled
        n = read_count(rule, " ".join(sp.text for sp in said)) if said else 1
        if n > 1:
            counts[rule.id] = n  # 两个项目都评上了
    asked = [rule.id for rule in rules.rules
             if any(_asks_money_of(rule, text, sp) for sp, rs in clauses if rule in rs)]
    if asked:
        out["asked"] = asked  # 听说采购杭州芯片有10%奖励,我们作为卖方能不能申请?
    project_places = {}
    for rule in rules.rules:
        if rule.profile.project_place:
            place = _project_place(text, clauses, rule, where, within)
            if place:
                project_places[rule.id] = place  # 另外我们有两个项目在杭州入选了
    if project_places:
        out["places"] = project_places
    if pending:
        out["pending"] = pending
    if counts:
        out["counts"] = counts
    flags, flag_facts = _read_flags(text, schema, rules, clauses, amounts, other_places, where, within)
    out.update(flags)
    facts += flag_facts
    facts = _planned_once_in(rules, amounts, out, facts)
    facts_of = _facts_of_measures(text, clauses, rules, out, other_places)
    if facts_of:
        out["facts_of"] = {rule_id: {c: v for c, (v, _) in conds.items()} for rule_id, conds in facts_of.items()}
        facts += [ReadFact(f"{rule_id}.{c}", v, text[a:b], a, b)
                  for rule_id, conds in facts_of.items() for c, (v, (a, b)) in conds.items()]
    for rule in rules.rules:  # a named excluded part settles what the rest is (sales to affiliates),
        ex = rule.excluded  # as a total stated without it does (对外部客户销售额2400万)
        if ex is not None and ex.settles and (rule.profile.excluded in out or rule.profile.excluded in amounts.net):
            for cond, val in ex.settles.items():
                settled = rule.profile.conditions.get(cond)
                if settled:
                    out[settled] = val
    return out, facts


_QUESTION = pattern("question_of_its_own")
"""A sentence that asks a question of its own (能不能申请, 有什么奖励)."""


def _asks_money_of(rule: Rule, text: str, span: reading.Span) -> bool:
    """The clause names the measure's money in its own words (采购杭州芯片有10%奖励: a trigger and
    a kind of money) in a sentence that asks a question (…我们作为卖方能不能申请?); not a clause
    that only shares a word with it (我们的软件能不能报首版次)."""
    lowered = span.text.lower()
    if not trigger_hits(rule, span.text) or not any(b.lower() in lowered for b in reading.cues().benefits):
        return False
    sentence = reading.sentence_at(text, span.start)
    closing = text[sentence.end:sentence.end + 1]  # the mark that ends it (not in its text)
    return closing in ("?", "？") or bool(_QUESTION.search(sentence.text))


def _part_is_whole(text: str, rule: Rule, amounts: "_Amounts") -> tuple[int, Mention] | None:
    """A measure's excluded part stated with no total, in a clause saying it is all of it (去年5000万
    销售额全部是卖给集团内兄弟公司的, all of it to our parent): the total, the same figure; None else."""
    p = rule.profile
    if not p.amount or not p.excluded or p.amount in amounts.values or p.excluded not in amounts.values:
        return None
    value, m = amounts.values[p.excluded]
    lowered = text.lower()
    clause = reading.clause_at(lowered, m.start)
    said = [clause.start + i for w in reading.cues().all_of for i in _finds(clause.text, w)]
    return (value, m) if any(not reading.negated(lowered, at) for at in said) else None


def _finds(text: str, word: str) -> list[int]:
    return [m.start() for m in re.finditer(re.escape(word), text)]


def _read_flags(text: str, schema: ProfileSchema, rules: RuleBook,
                clauses: list[tuple[reading.Span, tuple[Rule, ...]]], amounts: "_Amounts",
                other_places: tuple[str, ...], where: tuple[int, int], within: frozenset[str]) \
        -> tuple[dict[str, bool], list[ReadFact]]:
    """The yes/no fields a description states, each with its span: a measure's condition from that
    measure's clauses, else the field's words (negations scoped to their clause)."""
    lowered = text.lower()
    out: dict[str, Any] = {}
    facts: list[ReadFact] = []
    for f in schema.fields.values():
        if f.kind != "flag":
            continue
        value, span = _condition_value(f, text, clauses, rules, amounts, other_places, where, within) \
            if f.condition is not None else (None, (0, 0))
        if value is None and (f.words or f.expressions):
            # a measure's condition is read from that measure's clauses and the neutral ones (一家非关联
            # 的杭州公司 of a purchase says nothing of whom 首台套 sales go to)
            owner = next((r for r in rules.rules if f.condition in r.conditions), None) if f.condition else None
            scope = _rule_text(text, clauses, owner).lower() if owner is not None else lowered
            hits = [(m.start(), w) for w in f.words for m in re.finditer(re.escape(w.lower()), scope)]
            hits += [(m.start(), m.group(0)) for e in f.expressions for m in re.finditer(e, scope)]
            # what the enterprise is, not whom it sells to (客户是各家整机厂) or what it buys (采购芯片)
            # (a firm a description opens with, 余杭一家做工业相机的公司, is the enterprise itself)
            customers = [(at, w) for at, w in hits if reading.counterpart_before(lowered, at)]
            hits = [(at, w) for at, w in hits
                    if (f.of_customers or not reading.counterpart_before(lowered, at))
                    and not reading.bought_before(lowered, at)
                    and not reading.seller_named_at(lowered, at)
                    and not (reading.another_firm_before(lowered, at) and reading.clause_at(lowered, at).start > 0)]
            if hits:
                value = any(not reading.negated(lowered, at) for at, _ in hits)
                at, w = min(hits)
                span = (at, at + len(w))
            elif customers and f.condition is not None:
                # 主要给外地整机厂供货: a measure's condition on what the enterprise is, said only of
                # its customers — the enterprise is not one of them
                value = False
                at, w = min(customers)
                span = (at, at + len(w))
        if value is not None:
            out[f.name] = value
            facts.append(ReadFact(f.name, value, text[span[0]:span[1]], *span))
    return out, facts


def _planned_once_in(rules: RuleBook, amounts: "_Amounts", out: dict[str, Any],
                     facts: list[ReadFact]) -> list[ReadFact]:
    """A measure whose actual amount so far is under its threshold while its planned total reaches
    it (计划投资1500万…目前实际到位800万, 1000万 needed) takes the planned total, what it will be once
    in (`out` updated; the facts returned with it); one past it already (计划总投资3亿,目前实际投入
    2000万) keeps what is in now."""
    for rule in rules.rules:
        planned_total = amounts.so_far.get(rule.profile.amount or "")
        if planned_total is not None and _below_minimum(rule, out[rule.profile.amount], out) \
                and not _below_minimum(rule, planned_total[0], out):
            out[rule.profile.amount] = planned_total[0]
            facts = [f for f in facts if f.field != rule.profile.amount]
            facts.append(ReadFact(rule.profile.amount, planned_total[0], planned_total[1].text,
                                  planned_total[1].start, planned_total[1].end))
    return facts


def _below_minimum(rule: Rule, amount: int, profile: dict[str, Any]) -> bool:
    """The amount is under the rule's threshold for what the profile says (the lower one when it
    does not say what decides it)."""
    known = profile.get(rule.profile.conditions.get(rule.min_by.condition, "")) if rule.min_by else None
    return amount < rule.minimum(None if known is None else bool(known))


def _facts_of_measures(text: str, clauses: list[tuple[reading.Span, tuple[Rule, ...]]], rules: RuleBook,
                       out: dict[str, Any], other_places: tuple[str, ...]) \
        -> dict[str, dict[str, tuple[bool, tuple[int, int]]]]:
    """What a measure's own clauses state of the kind of its own thing, where the enterprise's
    field says otherwise (一款四足机器人被认定为首台套 … 也在做一个人形机器人产业化项目: the company
    makes humanoid robots, its 首台套 product is not one), with the span of the clause it is read
    from. Only an explicit statement counts (its product named, a phrase of the condition), never
    a bare kind word."""
    found: dict[str, dict[str, tuple[bool, tuple[int, int]]]] = {}
    for rule in rules.rules:
        said = [sp for sp, rs in clauses if rule in rs]
        for name, field_name in rule.profile.conditions.items():
            cond = rule.condition(name)
            if cond.kinds is None or cond.kinds.after or field_name not in out or not said:
                continue
            value = cond.read(_rule_text(text, clauses, rule), other_places, by_kind_word=False)
            if value is not None and value != out[field_name]:
                found.setdefault(rule.id, {})[name] = (value, (said[0].start, said[0].end))
    return found


def _evidence_span(text: str, f: ProfileField) -> tuple[int, int]:
    """Where a condition's words are in the text (for showing what was read)."""
    cond = f.condition
    assert cond is not None
    lowered = text.lower()
    found = [(m.start(), m.end()) for p in cond.false for m in re.finditer(p, text, re.IGNORECASE)]
    found += [(lowered.find(p.lower()), lowered.find(p.lower()) + len(p)) for p in cond.true
              if p.lower() in lowered]
    return min(found) if found else (0, 0)


def _supplier_place(text: str, where: tuple[int, int], within: frozenset[str]) -> bool | None:
    """A measure's clauses naming a place (供应商是苏州的一家公司): inside the library's
    jurisdiction or not — the enterprise's own place (at `where`) not counted."""
    own = reading.clause_at(text, where[0]) if where[1] else None
    for mention in places.find_places(text, within):
        if own is not None and own.start <= mention.start < own.end:
            continue  # the enterprise's own address (浙江省杭州市滨江区)
        if reading.formerly_at(text, mention.start):
            continue  # 总部原在上海: where the enterprise was
        result = places.inside(mention.places, within)
        if result is not None:
            return result
    return None


def _project_place(text: str, clauses: list[tuple[reading.Span, tuple[Rule, ...]]], rule: Rule,
                   where: tuple[int, int], within: frozenset[str]) -> str:
    """Where a measure's project is: a place its own clauses put it in (项目在杭州入选, 我们在杭州
    一家医院的项目), the enterprise's own address and a supplier's clause not counted; "" when none
    is said."""
    c = reading.cues()
    for span, measures in clauses:
        if rule not in measures or span.start <= where[0] < span.end:
            continue
        if any(w in span.text for w in c.supplier_cues):
            continue
        for mention in places.find_places(span.text, within):
            before = span.text[:mention.start]
            if reading.puts_at_place(before):
                local = [p for p in mention.places if p.within(within)] or list(mention.places)
                return places.full_name(local[0])
    return _site_before(text, clauses, rule, where, within)


def _site_before(text: str, clauses: list[tuple[reading.Span, tuple[Rule, ...]]], rule: Rule,
                 where: tuple[int, int], within: frozenset[str]) -> str:
    """A place a clause sets up a firm or site at (准备在滨江设全资子公司、建产业化基地), or puts the
    measure's own site at (新工厂落在湖州德清), before the measure's own clause in the same sentence
    (预计实际投资4000万): that project's place; "" when none."""
    c = reading.cues()
    site_words = [w for cond in rule.conditions for w in cond.place_of]
    for span, measures in clauses:
        if rule not in measures:
            continue
        sentence = reading.sentence_at(text, span.start)
        for clause in reading.clauses(text[sentence.start:span.start]):
            start = sentence.start + clause.start
            if start <= where[0] < start + len(clause.text) or any(w in clause.text for w in c.supplier_cues):
                continue
            for mention in places.find_places(clause.text, within):
                before, after = clause.text[:mention.start], clause.text[mention.end:]
                if not reading.puts_at_place(before):
                    continue
                local = [p for p in mention.places if p.within(within)]
                if local and after.startswith(c.site_verbs):
                    return places.full_name(local[0])
                if any(w.lower() in before.lower() for w in site_words):
                    # 新工厂落在湖州德清,实际投资3000万: the measure's own site (its condition's
                    # `place_of` words) put at a place, inside the jurisdiction or not
                    return places.full_name((local or list(mention.places))[0])
    return ""


def _location(text: str, within: frozenset[str] = frozenset()) -> tuple[str, tuple[int, int]]:
    """Where the enterprise is, as a full place name (杭州市滨江区), and its span: the most specific
    place of the first clause that names one; a name several places share is read as the one
    inside the library's jurisdiction (`within`, adcode prefixes). County names without 市/县 of the
    jurisdiction's province are read too (海宁)."""
    province = frozenset(p[:2] for p in within)
    c = reading.cues()
    spans = reading.clauses(text)
    # the clause that says where the enterprise is (注册在…, 我们是…) first; a supplier's clause
    # (从苏州采购, 供应商在…) never
    marked = [sp for sp in spans if any(w in sp.text for w in c.location_cues)]
    spans = marked + [sp for sp in spans if sp not in marked
                      and not any(w in sp.text for w in c.supplier_cues)]
    for clause in spans:
        best: tuple[places.Place, places.PlaceMention] | None = None
        for mention in places.find_places(clause.text, within | province):
            if reading.formerly_at(clause.text, mention.start):
                continue  # 总部原在上海: where the enterprise was, not where it is
            local = [p for p in mention.places if p.within(within)] or list(mention.places)
            for place in local[:1]:
                rank = ("province", "city", "county").index(place.level)
                if best is None or rank > ("province", "city", "county").index(best[0].level):
                    best = (place, mention)
        if best is not None:
            return places.full_name(best[0]), (clause.start + best[1].start, clause.start + best[1].end)
    return "", (0, 0)


@dataclass(frozen=True)
class _Amounts:
    """The amounts of a description by field, which fields hold only a planned figure, and the
    amounts passed over for a field that already had one (another purchase, named second)."""

    values: dict[str, tuple[int, Mention]]
    planned: frozenset[str]
    passed_over: dict[str, tuple[Mention, ...]]
    net: frozenset[str] = frozenset()
    """Excluded parts a total is stated without (对外部客户销售额2400万: sales to others only)."""
    so_far: dict[str, tuple[int, Mention]] = field(default_factory=dict)
    """The planned total of a field whose actual amount is what is in so far (计划投资1500万…目前实际
    到位800万): the measure is not settled yet."""


def _english_words(text: str, mentions: list[Mention], i: int, worded_before: int | None) -> tuple[str, str]:
    """(after, before): the words of the i-th amount, an English one (`reading.english_words_of`);
    when an earlier amount of its clause (at `worded_before`) had its words before it (land RMB 15
    million and plant buildings RMB 25 million), the words since that amount are this one's."""
    after, before = reading.english_words_of(text, mentions, i)
    if not before and worded_before is not None and worded_before > reading.clause_at(text, mentions[i].start).start:
        return "", text[mentions[i - 1].end:mentions[i].start].lower()
    return after, before


def _amounts_by_field(text: str, mentions: list[Mention], schema: ProfileSchema, rules: RuleBook,
                      clauses: list[tuple[reading.Span, tuple[Rule, ...]]]) -> _Amounts:
    """Each amount to the field whose words come closest before it in its clause (else the field
    of the amount before it in the same sentence: 其中600万元是自建厂房); planned amounts only when
    no actual one is given for the field."""
    out: dict[str, tuple[int, Mention]] = {}
    planned: dict[str, tuple[int, Mention]] = {}
    passed: dict[str, list[Mention]] = {}
    net: set[str] = set()  # excluded parts a total is already stated without
    amount_fields = [f for f in schema.fields.values() if f.kind == "amount"]
    excluded_of = {r.profile.amount: r for r in rules.rules if r.profile.excluded and r.excluded}
    parts_fields = {r.profile.excluded for r in rules.rules if r.profile.excluded}
    previous: tuple[str, int] | None = None  # (field, sentence start)
    worded_before: int | None = None  # an English amount with its field's words before it
    for i, m in enumerate(mentions):
        sentence = next((s for s in reading.sentences(text) if s.start <= m.start < s.end), None)
        lo = mentions[i - 1].end if i else 0
        before = re.split(f"[{re.escape(reading.cues().sentence_breaks)}]", text[lo:m.start])[-1].lower()
        before = reading.without_exclusions(before)  # (计划投资1500万(不含土地厂房),目前实际到位800万)
        measures = next((rs for sp, rs in clauses if sp.start <= m.start < sp.end), ())
        allowed = {n for r in measures for n in (r.profile.amount, r.profile.excluded) if n}
        english = reading.english_at(text, m.start)
        after = ""
        if english:  # an English amount's own words follow it (15 million for land use rights)
            after, before = _english_words(text, mentions, i, worded_before)
        best, following = _field_words(before, after, [f for f in amount_fields if not allowed or f.name in allowed])
        worded_before = m.start if english and best is not None else None
        if following is not None:
            best = following
        if best is None and previous is not None and sentence is not None and previous[1] == sentence.start \
                and not english and previous[0] in parts_fields and _names_its_own(before):
            continue  # 土地400万元、厂房500万元、新设备1300万: 新设备 is a thing of its own, no part, no total
        if best is None:
            if previous is not None and sentence is not None and previous[1] == sentence.start \
                    and not (english and len(measures) == 1 and measures[0].profile.amount):
                name = previous[0]  # (an English amount without words of its own: the measure's)
            elif len(measures) == 1 and measures[0].profile.amount:
                name = measures[0].profile.amount  # 芯片还在选供应商,…首单大概150万: the measure's amount
            else:
                continue
        else:
            name = best[1]
        own = reading.clause_at(text, m.start)
        if any(w in text[own.start:m.start] for w in reading.cues().rest):
            # 其中200万卖给子公司,剩下800万…: what is left is the total's, not the part's
            name = next((r.profile.amount for r in excluded_of.values() if r.profile.excluded == name), name)
        previous = (name, sentence.start if sentence else -1)
        rule = excluded_of.get(name)
        if rule is not None:  # an investment: base / excluded part read as the calculator reads them
            role = amount_roles(rule, text, mentions)[i]
            if role == "excluded":
                ex = rule.profile.excluded
                if name in out and reading.says(reading.clause_before(text, m.start), reading.cues().beside):
                    net.add(ex)  # 对外销售2.8亿元,另外有5000万卖给关联公司: beside the total, not in it
                if ex in net:  # 另外还有400万元卖给了集团内的兄弟公司: beside a total without it
                    out.setdefault(ex, (0, m))
                else:
                    out[ex] = (out[ex][0] + m.yuan if ex in out else m.yuan, m)
                continue
            if role == "base" and name in out:
                out[rule.profile.excluded] = (max(0, out[name][0] - m.yuan), m)
                continue
            if role == "base":  # 对非关联方销售额1.5亿: already what is left after the part
                net.add(rule.profile.excluded)
        if any(name == r.profile.excluded for r in rules.rules):
            if name in net:  # 另外2000万卖给控股子公司: a part beside a total that leaves it out
                out.setdefault(name, (0, m))  # (named: it still settles what the rest is)
                continue
            if name in out and sentence is not None and sentence.start <= out[name][1].start:
                out[name] = (out[name][0] + m.yuan, m)  # 其中土地800万元、厂房1200万元: parts add up
            else:
                out.setdefault(name, (m.yuan, m))
            continue
        target = planned if reading.planned(text, m) else out
        if name in target:
            passed.setdefault(name, []).append(m)
        target.setdefault(name, (m.yuan, m))
    # 计划投资1500万…目前实际到位800万: what is in so far of a planned total, settled later
    so_far = {name: planned[name] for name, (yuan, m) in out.items()
              if name in planned and planned[name][0] > yuan and reading.so_far(text, m)}
    only_planned = frozenset(name for name in planned if name not in out)
    for name, value in planned.items():
        out.setdefault(name, value)
    return _Amounts(out, only_planned, {k: tuple(v) for k, v in passed.items()}, frozenset(net), so_far)


def _condition_value(f: ProfileField, text: str, clauses: list[tuple[reading.Span, tuple[Rule, ...]]],
                     rules: RuleBook, amounts: "_Amounts", other_places: tuple[str, ...], where: tuple[int, int],
                     within: frozenset[str]) -> tuple[bool | None, tuple[int, int]]:
    """A flag field's condition read from its measure's own clauses (the other candidates of its
    amount and pending clauses blanked), with the span it was read from."""
    assert f.condition is not None
    owner = next((r for r in rules.rules if f.condition in r.conditions), None)
    own = _rule_text(text, clauses, owner) if owner is not None else text
    if f.condition.kinds is None:
        # (其中一款人形机器人正在申请首台套认定: what is pending is the recognition, not what the
        # product is — a kind is read from the pending clause too)
        own = _without_pending(own, clauses)
    amount_field = owner.profile.amount if owner is not None else None
    if amount_field and owner is not None and amount_field in amounts.passed_over:
        kept = amounts.values.get(amount_field)
        others = amounts.passed_over[amount_field]
        if kept and owner.profile.excluded and owner.profile.excluded in amounts.values:
            # 实际投资总额5,600万:土地1,000万、…新设备2,000万,已通过认定: a breakdown of the total,
            # its excluded parts read, names parts of it in its sentence, not other projects
            sentence = reading.sentence_at(text, kept[1].start)
            others = tuple(m for m in others if not (kept[1].start < m.start < sentence.end))
        own = _without_other_candidates(own, others, kept[1] if kept else None, owner) if others else own
    value = f.condition.read(own, other_places)
    if value is False and owner is not None and owner.profile.amount in amounts.planned \
            and f.condition.requires and f.condition.kinds is None and not f.condition.outside_place \
            and not f.condition.own_place:
        value = None  # 计划…投3000万,还没开工,也没认定: a step not taken yet of a project not made yet
    if _stated_of_project(text, clauses, rules, f.name, owner):
        value = True  # 新设了一个人形机器人产业化项目: what a project of another measure is
    if value is None and f.condition.outside_place and owner is not None:
        value = _supplier_place(own, where, within)
    return value, (_evidence_span(own, f) if value is not None else (0, 0))


def _stated_of_project(text: str, clauses: list[tuple[reading.Span, tuple[Rule, ...]]], rules: RuleBook,
                       field: str, owner: Rule | None) -> bool:
    """Another measure mapping the field has a condition of its own thing (`Condition.of`: 产业化项目)
    that its clauses state (在余杭新设了一个人形机器人产业化项目)."""
    for other in rules.rules:
        if other is owner:
            continue
        for cond in other.conditions:
            if cond.of and other.profile.conditions.get(cond.name) == field \
                    and cond.states_of(_rule_text(text, clauses, other)):
                return True
    return False


def _field_words(before: str, after: str, fields: list[ProfileField]) \
        -> tuple[tuple[int, str] | None, tuple[int, str] | None]:
    """(the field whose words come last before an amount, the field whose words come first after
    it), each with the offset of its word; negated words (非关联企业) do not count. `fields`: those
    the amount's clause allows (a clause about a purchase: 子公司 there is the supplier, not a
    sales part)."""
    best: tuple[int, str] | None = None
    following: tuple[int, str] | None = None  # the nearest field word after an English amount
    for f in fields:
        words = reading.whole_words(before, f.patterns)  # unaffiliated is no affiliate
        following_words = reading.whole_words(after, f.patterns)
        for word in f.patterns:
            at = words.rfind(word.lower())
            if at >= 0 and not reading.negated(before, at) and (best is None or at > best[0]):
                best = (at, f.name)
            at = following_words.find(word.lower())
            if at >= 0 and not reading.negated(after, at) and (following is None or at < following[0]):
                following = (at, f.name)
    return best, following


def _names_its_own(before: str) -> bool:
    """The words before an amount since the last one name a thing (新设备), not only fillers
    (其中, 另外, 元)."""
    words = re.sub(r"[^\u4e00-\u9fff]", "", before)
    return len(re.sub("|".join(map(re.escape, reading.cues().amount_fillers)), "", words)) >= 2


def _without_pending(text: str, clauses: list[tuple[reading.Span, tuple[Rule, ...]]]) -> str:
    """The text with its pending clauses blanked (行业先进水平还没认定,正在申报): what is not settled
    states no condition either way; the measure is pending instead."""
    return reading.blank_spans(text, ((sp.start, sp.end) for sp in _pending_spans(text, clauses)))


PENDING_TAIL_CHARS = 8
"""A clause this short that only says a result is pending (,还没出结果) speaks of the clause before it."""


def _sentence_of(text: str, span: reading.Span) -> int:
    """The index of the sentence holding the span."""
    return next((i for i, s in enumerate(reading.sentences(text)) if s.start <= span.start < s.end), -1)


def _pending_spans(text: str, clauses: list[tuple[reading.Span, tuple[Rule, ...]]]) -> list[reading.Span]:
    """The clauses whose facts are not settled: those saying so (行业先进水平正在申报), and the
    clause before a short pending one in its sentence (认定材料已经交上去了,还没出结果)."""
    out: list[reading.Span] = []
    for i, (sp, _) in enumerate(clauses):
        if not reading.pending(sp.text):
            continue
        out.append(sp)
        if i and len(sp.text.strip()) <= PENDING_TAIL_CHARS:
            prev = clauses[i - 1][0]
            if _sentence_of(text, prev) == _sentence_of(text, sp) and prev not in out:
                out.append(prev)
    return out


def _candidate_regions(text: str, candidates: list[Mention], rule: Rule) -> list[tuple[int, int]]:
    """Each of several amounts of one measure's field (two purchases), in text order, with the
    stretch of text that speaks of it: from the clause after the previous one's clause that names
    the measure again (另外还从另一家杭州软件公司, …) — else its own clause — to where the next one's
    stretch begins, the last to the end of its sentence (一笔400万的芯片,不过这家是我们参股的关联
    企业;另外还首次从另一家公司(与我们没有任何关联)采购了150万)."""
    ordered = sorted(candidates, key=lambda m: m.start)
    spans = reading.clauses(text)
    starts = []
    for i, m in enumerate(ordered):
        own = reading.clause_at(text, m.start).start
        if i:
            after = reading.clause_at(text, ordered[i - 1].start).end
            named = [sp.start for sp in spans if after <= sp.start < own and trigger_hits(rule, sp.text)]
            own = min([own, *named])
        starts.append(own)
    out = []
    for i, m in enumerate(ordered):
        if i + 1 < len(ordered):
            end = starts[i + 1]
        else:
            end = next((s.end for s in reading.sentences(text) if s.start <= m.start < s.end), len(text))
        out.append((starts[i], end))
    return out


def _without_other_candidates(text: str, mentions: tuple[Mention, ...], keep: Mention | None,
                              rule: Rule) -> str:
    """The text with the stretches of the other candidates of a field blanked (offsets kept): the
    conditions of the amount that counts are read from its own clauses and what is said beside
    every candidate (一笔非关联公司的芯片180万, 另一笔80万是从关联公司买的)."""
    candidates = [*mentions, *([keep] if keep is not None else [])]
    regions = _candidate_regions(text, candidates, rule)
    ordered = sorted(candidates, key=lambda m: m.start)
    return reading.blank_spans(text, (r for m, r in zip(ordered, regions) if m is not keep))


def _qualifying_candidates(text: str, clauses: list[tuple[reading.Span, tuple[Rule, ...]]],
                           amounts: "_Amounts", rules: RuleBook,
                           other_places: tuple[str, ...]) -> "_Amounts":
    """Of several amounts one measure's field was given (a purchase from an affiliate and another
    from an unrelated company), the first whose own stretch states no condition of the measure
    against it counts; the others are passed over. Unchanged when none or the first qualifies."""
    values = dict(amounts.values)
    passed = dict(amounts.passed_over)
    for rule in rules.rules:
        name = rule.profile.amount
        if not name or name not in passed or name not in values:
            continue
        kept = values[name][1]
        candidates = sorted([kept, *passed[name]], key=lambda m: m.start)
        own = _without_pending(_rule_text(text, clauses, rule), clauses)
        for cand in candidates:
            others = tuple(m for m in candidates if m is not cand)
            stretch = _without_other_candidates(own, others, cand, rule)
            against = [c for c in rule.conditions if c.requires is not None
                       and c.read(stretch, other_places) not in (None, c.requires)]
            if not against:
                if cand is not kept:
                    values[name] = (cand.yuan, cand)
                    passed[name] = others
                break
    return replace(amounts, values=values, passed_over=passed)


# --- matching -------------------------------------------------------------------------------------
@dataclass
class MatchItem:
    """One support measure for the profile (CONTRACT.md `items`)."""

    doc_id: str
    article: int
    title: str
    status: ItemStatus
    amount_yuan: int | None
    steps: list[str]
    missing: list[str]
    departments: list[str]
    quote: str
    doc_title: str = ""
    doc_status: str = ""
    article_label: str = ""
    measure: str = ""
    """The measure's name (calculator or tagged support)."""
    missing_labels: list[str] = field(default_factory=list)
    at_most: bool = False
    """The amount is the most the measure gives (不超过50万元, 按不高于…的30%): 最高 on every
    surface, and apart from what is certain."""

    def to_dict(self) -> dict[str, Any]:
        return {"doc_id": self.doc_id, "article": self.article, "title": self.title,
                "status": self.status, "amount_yuan": self.amount_yuan, "steps": list(self.steps),
                "missing": list(self.missing), "departments": list(self.departments),
                "quote": self.quote, "doc_title": self.doc_title, "doc_status": self.doc_status,
                "article_label": self.article_label, "measure": self.measure,
                "missing_labels": list(self.missing_labels), "at_most": self.at_most}


@dataclass
class MatchResult:
    profile: dict[str, Any]
    items: list[MatchItem]
    skipped_documents: list[str] = field(default_factory=list)
    """Documents left out because a newer version in the library replaces them."""
    read: list[ReadFact] = field(default_factory=list)
    """What a description was read into, field by field with the spans (empty for a profile)."""

    @property
    def total_certain_yuan(self) -> int:
        return sum(i.amount_yuan or 0 for i in self.items if i.status == "eligible")

    @property
    def total_at_most_yuan(self) -> int:
        """The part of `total_certain_yuan` that is a ceiling (最高), not a sum one is entitled to."""
        return sum(i.amount_yuan or 0 for i in self.items if i.status == "eligible" and i.at_most)

    @property
    def total_possible_yuan(self) -> int:
        return self.total_certain_yuan + sum(i.amount_yuan or 0 for i in self.items
                                             if i.status == "needs_info")

    @property
    def totals(self) -> tuple[str, str]:
        """The two halves of the result's headline: what is certain, and what more may come once
        the pending facts are supplied — 待计算 when a pending measure has no amount yet (its
        figure is missing), never a bare 0元 that hides it."""
        fixed = self.total_certain_yuan - self.total_at_most_yuan
        certain = format_yuan(fixed) if fixed else "0元"
        if self.total_at_most_yuan:
            certain += f";另可获最高{format_yuan(self.total_at_most_yuan)}(条文只规定上限,以认定结果为准)"
        more = self.total_possible_yuan - self.total_certain_yuan
        unpriced = any(i.status == "needs_info" and i.amount_yuan is None for i in self.items)
        if more > 0:
            rest = f"补充材料后可能再获:{format_yuan(more)}" + (";另有待补充的措施金额待计算" if unpriced else "")
        elif unpriced:
            rest = "补充材料后可能再获的金额待计算(见“待补充”各项)"
        else:
            rest = "补充材料后可能再获:0元"
        return f"确定可获:{certain}", rest

    def to_dict(self) -> dict[str, Any]:
        return {"profile": self.profile, "items": [i.to_dict() for i in self.items],
                "total_certain_yuan": self.total_certain_yuan,
                "total_possible_yuan": self.total_possible_yuan,
                "total_at_most_yuan": self.total_at_most_yuan,
                "skipped_documents": list(self.skipped_documents),
                "read": [f.to_dict() for f in self.read]}


class Matcher:
    """Runs a profile against every document of the library."""

    def __init__(self, corpus: Corpus, rules: RuleBook) -> None:
        self.corpus = corpus
        self.rules = rules
        self.schema = profile_schema(corpus, rules)
        self.model = self.schema.model()
        self._quotes: dict[tuple[str, int, str], str] = {}
        self._within = places.prefixes_of(j for d in corpus.documents for j in d.meta.jurisdiction)

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        """A profile dict checked against the model (MatchError names the field)."""
        try:
            profile = self.model.model_validate(data)
        except ValidationError as exc:
            err = exc.errors()[0]
            where = ".".join(str(p) for p in err.get("loc", ())) or "profile"
            raise MatchError(f"{where}: {err.get('msg')}") from None
        return profile.model_dump()

    def from_text(self, text: str, other_places: tuple[str, ...] = ()) -> dict[str, Any]:
        return self.read_text(text, other_places)[0]

    def read_text(self, text: str, other_places: tuple[str, ...] = ()) \
            -> tuple[dict[str, Any], list[ReadFact]]:
        """(the validated profile, what was read with its spans) from a description."""
        profile, facts = profile_from_text(text, self.schema, self.rules, other_places, self._within)
        return self.validate(profile), facts

    def match_text(self, text: str, other_places: tuple[str, ...] = ()) -> MatchResult:
        """政策体检 of a description; the result lists what was read (`read`)."""
        profile, facts = self.read_text(text, other_places)
        return replace(self.match(profile), read=facts)

    def _applies(self, doc_id: str, location: str) -> bool | None:
        """Whether a document's jurisdiction covers the enterprise's location (a city's document
        covers its districts and counties; a district's document only that district): True,
        False, or None when either is unknown."""
        doc = self.corpus.document(doc_id)
        if doc is None or not location or not doc.meta.jurisdiction:
            return None
        covered = places.prefixes_of(doc.meta.jurisdiction)
        if not covered:
            return None
        mentions = places.find_places(location, self._within)
        if not mentions:
            return None
        most_specific = max(mentions, key=lambda m: max(len(p.prefix) for p in m.places))
        return places.inside(most_specific.places, covered)

    def match(self, profile: dict[str, Any]) -> MatchResult:
        profile = self.validate(profile)
        skipped = [d.doc_id for d in self.corpus.documents if d.doc_id in self.corpus.superseded_by]
        items: list[MatchItem] = []
        unclaimed: list[MatchItem] = []  # a measure ruled out or open though nothing was claimed under it
        asked = set(profile.get("asked") or ())
        for rule in self.rules.rules:
            if rule.doc_id in skipped or self.corpus.document(rule.doc_id) is None:
                continue
            item = self._rule_item(rule, profile)
            if item is not None and item.amount_yuan and rule.at_most:
                item = replace(item, at_most=True)  # 按不高于30%资助: 最高150万, not a certain sum
            if item is not None:
                items.append(item)
                if item.status in ("not_eligible", "needs_info") and rule.profile.amount and rule.id not in asked \
                        and profile.get(rule.profile.amount) is None and rule.id not in (profile.get("pending") or []):
                    unclaimed.append(item)  # nothing claimed: an article's support may say more
        for doc_id, tagged in self.schema.tagged.items():
            if doc_id in skipped or self.corpus.document(doc_id) is None:
                continue
            for t in tagged:
                if not any(profile.get(f) for f in t.fields):
                    continue
                same = [i for i in items if i.doc_id == doc_id and i.article == t.article]
                if same and all(i in unclaimed for i in same):
                    # a software firm that buys nothing: article 2's support for its software, not
                    # "not eligible" for a purchase reward it never asked about
                    items = [i for i in items if i not in same]
                    same = []
                if not same:
                    items.append(self._tag_item(doc_id, t, profile))
        order = {"eligible": 0, "needs_info": 1, "no_amount": 2, "not_eligible": 3}
        items.sort(key=lambda i: (order[i.status], -(i.amount_yuan or 0), i.doc_id, i.article))
        return MatchResult(profile, items, skipped)

    def _article_parts(self, doc_id: str, number: int, hint: str) -> tuple[Article | None, str]:
        art = self.corpus.article(doc_id, number)
        if art is None:
            return None, ""
        key = (doc_id, number, hint)
        if key not in self._quotes:
            self._quotes[key] = best_quote(art, hint, prefer_numbers=True)
        return art, self._quotes[key]

    def _base(self, doc_id: str, number: int, status: ItemStatus, amount: int | None,
              steps: list[str], missing: list[str], hint: str, measure: str) -> MatchItem:
        art, quote = self._article_parts(doc_id, number, hint)
        doc = self.corpus.document(doc_id)
        labels = [self.schema.fields[m].label if m in self.schema.fields else m for m in missing]
        return MatchItem(doc_id, number, art.title if art else "", status, amount, steps, missing,
                         list(art.departments) if art else [], quote,
                         doc.title if doc else doc_id, doc.status if doc else "",
                         art.ref if art else "", measure, labels)

    def _rule_item(self, rule: Rule, profile: dict[str, Any]) -> MatchItem | None:
        p = rule.profile
        amount = profile.get(p.amount) if p.amount else None
        excluded = int(profile.get(p.excluded) or 0) if p.excluded else 0
        conditions = {c: profile.get(f) for c, f in p.conditions.items()}
        conditions.update((profile.get("facts_of") or {}).get(rule.id, {}))  # its own thing's kind
        known = {c: bool(v) for c, v in conditions.items() if v is not None}
        implied = dict(p.assume)
        # Relevant when the profile gives the rule's amount or a fact about what the enterprise
        # is or does (a tag field such as makes_robots) — not a mere qualifier such as 无关联.
        subjects = [c for c, f in p.conditions.items() if f in self.schema.subjects]
        relevant = amount is not None or any(known.get(c) for c in subjects) or (
            not rule.needs_amount and bool(known)) or any(profile.get(f) for f in p.subjects) \
            or rule.id in (profile.get("asked") or ())  # a measure the description asks about
        if not relevant:
            return None
        place = (profile.get("places") or {}).get(rule.id) if p.project_place else None
        applies = self._applies(rule.doc_id, place or profile.get("location") or "")
        if applies is False:
            return self._base(rule.doc_id, rule.article, "not_eligible", 0,
                              [f"企业注册地({profile.get('location')})不在本政策适用范围内。"], [],
                              rule.description, rule.name)
        # where the project is (`place_of`) is the place just judged: inside, or not said
        known.update({c.name: True for c in rule.conditions if c.place_of and c.name not in known})
        unmet = unmet_condition(rule, known)
        if rule.needs_amount and not amount and unmet is not None:
            # 六轴工业机器人认定了首台套 (not humanoid), 客户是整机厂 (no purchase of its own): a
            # stated fact decides whatever the amount is
            status: ItemStatus = "no_amount" if unmet[0].otherwise == "no_amount" else "not_eligible"
            return self._base(rule.doc_id, rule.article, status, None if status == "no_amount" else 0,
                              unmet[1], [], rule.description, rule.name)
        if rule.needs_amount and not amount:
            missing = [p.amount] + [f for c, f in p.conditions.items()
                                    if conditions.get(c) is None and rule.condition(c).requires is not None]
            return self._base(rule.doc_id, rule.article, "needs_info", None,
                              [f"需提供{rule.amount_label}才能计算。"], missing, rule.description, rule.name)
        if excluded and amount is not None and excluded > amount:
            excluded = 0
        known = {**implied, **known}
        count = min(max(int((profile.get("counts") or {}).get(rule.id, 1)), 1), 100)
        calc = calculate(rule, amount, excluded, known, count)
        deciding = deciding_conditions(rule, amount, excluded, known)
        if not calc.eligible and not deciding:
            failed = [c for c in rule.conditions if c.requires is not None
                      and known.get(c.name, c.default) != c.requires]
            if failed and all(c.otherwise == "no_amount" for c in failed):
                # 四足机器人首台套: the article supports it, only without an amount
                return self._base(rule.doc_id, rule.article, "no_amount", None,
                                  calc.steps, [], rule.description, rule.name)
            return self._base(rule.doc_id, rule.article, "not_eligible", 0, calc.steps, [],
                              rule.description, rule.name)
        if deciding:
            best = self._best_case(rule, amount, excluded, known, deciding, count)
            missing = [p.conditions.get(c.name, c.name) for c in deciding]
            if not best.eligible:
                return self._base(rule.doc_id, rule.article, "not_eligible", 0, best.steps, [],
                                  rule.description, rule.name)
            return self._base(rule.doc_id, rule.article, "needs_info", best.amount_yuan, best.steps,
                              missing, rule.description, rule.name)
        if rule.id in (profile.get("pending") or []):
            # 首台套认定还在申请中, 计划投资1.5亿: the amount holds once the facts are settled
            return self._base(rule.doc_id, rule.article, "needs_info", calc.amount_yuan,
                              [*calc.steps, PENDING_STEP], [PENDING], rule.description, rule.name)
        return self._base(rule.doc_id, rule.article, "eligible", calc.amount_yuan, calc.steps, [],
                          rule.description, rule.name)

    @staticmethod
    def _best_case(rule: Rule, amount: int | None, excluded: int, known: dict[str, bool],
                   deciding: list[Condition], count: int = 1) -> Any:
        """The result if the unknown facts turn out as the policy needs them (a condition that
        only moves a threshold takes the value that helps)."""
        fixed = {c.name: c.requires for c in deciding if c.requires is not None}
        free = [c.name for c in deciding if c.requires is None]
        best = None
        for mask in range(2 ** len(free)):
            values = {name: bool(mask >> i & 1) for i, name in enumerate(free)}
            calc = calculate(rule, amount, excluded, {**known, **fixed, **values}, count)
            if best is None or (calc.eligible, calc.amount_yuan) > (best.eligible, best.amount_yuan):
                best = calc
        return best

    def _tag_item(self, doc_id: str, t: TaggedArticle, profile: dict[str, Any]) -> MatchItem:
        if self._applies(doc_id, profile.get("location") or "") is False:
            return self._base(doc_id, t.article, "not_eligible", 0,
                              [f"企业注册地({profile.get('location')})不在本政策适用范围内。"], [],
                              t.support, t.support)
        facts = [self.schema.fields[f].label for f in t.fields if profile.get(f) and f in self.schema.fields]
        steps = [f"企业情况:{'、'.join(facts)}。", f"本条规定:{t.support or '给予支持'},未规定具体金额(金额以责任单位的具体办法为准)。"]
        return self._base(doc_id, t.article, "no_amount", None, steps, [], t.support, t.support)


PENDING = "认定、评选或实际发生的结果"
PENDING_STEP = "描述中的情况尚未确定(申报中、待认定或计划数):以上金额在认定、评选通过或实际发生后成立。"
"""What a pending measure still needs (政策体检's 待补充 with the amount it will have)."""


STATUS_NAMES = {"eligible": "【符合】", "needs_info": "【待补充】", "no_amount": "【未定额】",
                "not_eligible": "【不符合】"}
"""Item statuses in words (text, not emoji: a screen without an emoji font shows boxes)."""


def summary_markdown(result: MatchResult, schema: ProfileSchema | None = None) -> str:
    """The result as markdown: a table, then the details of every item."""
    lines = ["| 状态 | 文件与条款 | 措施 | 金额 | 责任单位 |", "|---|---|---|---|---|"]
    names = STATUS_NAMES
    for i in result.items:
        amount = format_yuan(i.amount_yuan) if i.amount_yuan else ("—" if i.amount_yuan is None else "0元")
        status = f"{names[i.status]}({i.doc_status})" if i.doc_status and i.doc_status != "正式" else names[i.status]
        lines.append(f"| {status} | {book_title(i.doc_title)}{i.article_label} | {i.measure[:30]} | {amount} | "
                     f"{'、'.join(i.departments) or '—'} |")
    lines.append("")
    certain, rest = result.totals
    lines.append(f"**{certain}**;{rest}。")
    missing = list(dict.fromkeys(label for i in result.items for label in i.missing_labels))
    if missing:
        lines.append(f"还需确认:{';'.join(missing)}。")
    for i in result.items:
        lines.append(f"\n<details><summary>{names[i.status]} {book_title(i.doc_title)}{i.article_label} {i.title}</summary>\n")
        lines += [f"- {s}" for s in i.steps]
        if i.quote:
            lines.append(f"\n> {i.quote}")
        lines.append("\n</details>")
    return "\n".join(lines)
