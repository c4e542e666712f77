"""Follow-ups: how a question leans on the previous turn of its conversation (an answer to the
question asked back, new figures or facts for the last calculation, the next article, a question
about the last article) and what it carries over from it (the last calculation updated, facts
stated before, the previous article first)."""

from __future__ import annotations

import re
from dataclasses import replace

from ..calc.calculators import (AmountRole, Request, Rule, amount_roles, asks_about_money, excluded_kinds, excluded_parts, fraction_part, listed_part, read_conditions,
                                read_count, split_amounts, trigger_hits)
from ..lang.cues import data, pattern
from ..lang.amounts import find_amounts
from ..lang.lexical import is_cjk
from ..lang.reading import Mention, actual_amounts, clause_at, names_undenied, negated, says, stated_amounts
from ..lang.reading import cues as reading_cues
from ..models import Hit
from ..retrieve.retrieval import Retrieval
from ..retrieve.question_places import policy_of_other_place
from ..retrieve.evidence import WordEvidence
from ..retrieve.scope import Scope
from .conversation import ConversationState, FollowUp, points_back, leans_on_previous, relative_step, yes_no
from .resources import Resources

_EXAMPLE = pattern("example_intro")
_EVENT_NAME = pattern("event_name")
PLACE_ONLY_MAX_CHARS = 16
"""A follow-up naming a place and nothing specific (那在桐庐呢, 要是在诸暨呢) is at most this long."""
TOPIC_WORD_MIN = 0.5
"""A found word this heavy (same scale as `ScopeJudge` weights) is part of a question's own topic."""
TOPIC_SPREAD_MAX = 0.5
"""… and found in at most this share of articles (机器人, in all of them, names no topic)."""
_COUNT_ASKED = pattern("count_asked")
_BARE_NE = pattern("bare_ne_follow_up")
_ELLIPTIC_KIND = pattern("elliptic_kind")
_FIGURE_BEFORE_UNIT = pattern("figure_before_unit")
COUNTED_THING = 2
"""Characters of the thing a count question counts (产品 of 人形整机产品要几项)."""
COUNT_REACH = 6
"""Characters between the counted thing and its figure in the last article (产品不少于3项)."""
BENEFIT_SPREAD_MAX = 0.15
"""A kind of money (资助, funding) found in at most this share of articles names the measure that
gives it: a topic of its own, unlike 补助 or 奖励 that many articles give."""
CARRY_MAX_MISSING = 1.5
"""A short question with a specific word of its own that the library lacks (摇号, 公积金) is a new
topic, not a follow-up on the previous article (same scale as `ScopeJudge` weights)."""


def readable(text: str, scope: Scope) -> str:
    """The text conditions are read from: with the typos the scope judgement corrected
    (人行机器人 → 人形机器人), when it corrected any."""
    return scope.corrected if scope.corrected and len(scope.corrected) == len(text) else text


def _only_money_asks(scope: Scope) -> bool:
    """Every specific word the question has found asks about money (封顶, 上限: `money_asks`) or
    for its threshold (门槛: `threshold_asks`)."""
    asks = (*reading_cues().money_asks, *reading_cues().threshold_asks)
    found = [e.word.lower() for e in scope.words if e.credit > 0 and e.weight >= 1.0]
    return bool(found) and all(w in asks for w in found)


class FollowUps:
    """Reads follow-ups over the conversation state, against one assistant's resources."""

    def __init__(self, resources: Resources) -> None:
        self.resources = resources

    def kind(self, state: ConversationState | None, q: str, retrieval: Retrieval) -> FollowUp:
        """How a question (`q`, as searched) leans on the previous turn (the one place this is
        decided)."""
        if state is None or not state.history:
            return None
        if state.pending is not None and state.last_request is not None and yes_no(q) is not None:
            return "answer"
        if retrieval.references or _EVENT_NAME.search(q):
            # (我们想参加汉诺威工业展 有补贴吗 after 第13条: a fair named is a topic of its own)
            return None
        asks_unstated = bool(retrieval.scope.gaps) and not stated_amounts(q)
        # 湖州那边有没有类似的奖励: that place's own money, not the last calculation done there
        other_policy = bool(retrieval.scope.other_places) and policy_of_other_place(q, list(retrieval.scope.other_places))
        asks_unstated = asks_unstated or other_policy
        elsewhere = bool(state.last_articles) and self._topic_better_elsewhere(retrieval, state)
        # (a word of the last calculation's own measure keeps a follow-up on it: 同一次还买了减速器 after
        # 第2条's purchase, though 减速器 is 第3条's word)
        moved = elsewhere and (state.last_request is None or not self._measure_weights(q, state.last_request)[0])
        if not leans_on_previous(q):
            last = state.last_request
            if last is not None and not asks_unstated and not moved and self.adds_to_calculation(q, last, retrieval.scope):
                return "calculation"
            return None
        if relative_step(q) and state.last_articles:
            return "step"
        last = state.last_request
        if last is not None and not asks_unstated and not moved \
                and self._continues_calculation(q, last, retrieval.scope):
            # (另外我们的AGV能进物流场景的推广吗, after 第6条's calculation: 第10条's topic, not a fact of it)
            # (首台套的认定标准和申报材料要准备啥 asks what the text leaves open, not for a recalculation)
            return "calculation"
        scope = retrieval.scope
        # (那条的责任单位全称都列一下: 全称 of that article's departments, not the document's name)
        at_article = any(w in q for w in reading_cues().article_deixis)
        if not state.last_articles or (scope.meta and not at_article) or scope.other_places or scope.other_policies:
            return None
        # A question with a topic of its own (文旅那条呢?, 摇号怎么办?) is not about the last
        # article, pronoun or not; one without (它的责任单位是谁?, 原文呢?) is.
        anchored = scope.anchor >= self.resources.retriever.judge.params.anchor_min
        if anchored and self._only_departments(scope):
            anchored = False  # 这个是科技局管还是经信局管: who is in charge of the last article
        if anchored and _only_money_asks(scope):
            anchored = False  # 封顶多少, 上限呢: the last article's money, not an article about caps
        elsewhere = elsewhere or self._topic_elsewhere(scope, state)
        if anchored and points_back(q) and not elsewhere and scope.missing < CARRY_MAX_MISSING \
                and self._topic_within(scope, state):
            anchored = False  # this project subsidy, 这个项目的资助: the last article's own topic
        if anchored and not elsewhere and self._topic_within(scope, state) \
                and (self._counted_there(q, state) or _BARE_NE.match(q.strip())):
            # 人形整机产品要几项 after the goals: the last article counts them (不少于3项); 人形整机产品呢
            # after 示范场景要建多少个: the same question of a phrase the last article holds
            anchored = False
        if anchored or scope.missing >= CARRY_MAX_MISSING or elsewhere:
            return None
        return "article"

    def _counted_there(self, question: str, state: ConversationState) -> bool:
        """The question asks how many of something (几项) and the last article writes a figure with
        that counter (不少于3项)."""
        m = _COUNT_ASKED.search(question)
        if m is None:
            return False
        # what is counted: the two characters before the ask, its fillers left out (人形整机产品要几项:
        # 产品), written shortly before the article's figure (整机产品不少于3项; not 每年评多少个)
        fillers = (*reading_cues().object_fillers, *reading_cues().count_fillers)
        before = re.sub(f"(?:{'|'.join(map(re.escape, fillers))})+$", "", question[:m.start()].strip())
        thing = before[-COUNTED_THING:]
        if len(thing) < COUNTED_THING or not all(is_cjk(ch) for ch in thing):
            return False
        return bool(re.search(f"{re.escape(thing)}[^。;；,，]{{0,{COUNT_REACH}}}?(?:{_FIGURE_BEFORE_UNIT.pattern})"
                              f"{re.escape(m.group(1))}", self._last_text(state)))

    def _topic(self, scope: Scope, spread_max: float = 1.0) -> list[str]:
        """The question's own topic words, as the library writes them: found words at least
        TOPIC_WORD_MIN heavy and in at most `spread_max` of the articles. Words that ask about
        money, a figure or a threshold (比例, subsidy, 门槛), name a kind of money (补助), the text itself, a
        department or its role (责任单位) say nothing of a topic."""
        c = reading_cues()
        asks = {*c.money_asks, *c.figure_asks, *c.threshold_asks, *(w.lower() for w in c.text_words)}
        money = {b.lower() for b in c.benefits}
        departments = self._department_words()
        return [e.found.lower() for e in scope.words if e.credit >= 1.0 and e.weight >= TOPIC_WORD_MIN
                and e.spread <= spread_max and e.found and e.word.lower() not in asks
                and not any(a in e.word.lower() for a in asks if a.isascii())
                and e.found.lower() not in money and not self._names_role(e)
                and e.word.removeprefix("市") not in departments]

    def _names_role(self, e: WordEvidence) -> bool:
        """The word names a department's role, as written or through the vocabulary (牵头, 部门 →
        责任单位)."""
        roles = {r.lower() for r in data("cues.json")["department_roles"]}
        expansions = {t.lower() for t in self.resources.corpus.vocabulary.expansions(e.word)}
        return e.word.lower() in roles or (e.found or "").lower() in roles or bool(roles & expansions)

    def _last_text(self, state: ConversationState) -> str:
        doc_id, number = state.last_articles[0]
        last = self.resources.corpus.article(doc_id, number)
        return "" if last is None else f"{last.title}\n{last.text}".lower()

    def _topic_elsewhere(self, scope: Scope, state: ConversationState) -> bool:
        """The question's own topic words are all absent from the last article (落地后招高端人才
        有什么支持 after 第6条): a new question, not one about that article."""
        topic, text = self._topic(scope, TOPIC_SPREAD_MAX), self._last_text(state)
        return bool(topic and text) and not any(w in text for w in topic)

    def _topic_better_elsewhere(self, retrieval: Retrieval, state: ConversationState) -> bool:
        """The best article holds every topic word of the question the last article holds, and
        more (那每年评选多少个示范场景 after 第1条's 示范应用场景 target: 评选 is 第7条's): a new
        question, not one about the last article."""
        if not retrieval.hits:
            return False
        top = retrieval.hits[0].article
        if (top.doc_id, top.number) == state.last_articles[0]:
            return False
        topic, last = self._topic(retrieval.scope, TOPIC_SPREAD_MAX), self._last_text(state)
        # (Who is responsible for the project funding? after 第2条's 奖励: 资助 is 第6条's money)
        money = {b.lower() for b in reading_cues().benefits}
        topic += [e.found.lower() for e in retrieval.scope.words if e.credit >= 1.0 and e.found
                  and e.found.lower() in money and e.spread <= BENEFIT_SPREAD_MAX]
        best = f"{top.title}\n{top.text}".lower()
        in_last = {w for w in topic if w in last}
        in_best = {w for w in topic if w in best}
        return bool(last) and in_last < in_best

    def _topic_within(self, scope: Scope, state: ConversationState) -> bool:
        """No topic word of the question is outside the last article (which bureaus are
        responsible for this project subsidy, after 第6条's calculation: none but asking words)."""
        topic, text = self._topic(scope), self._last_text(state)
        return bool(text) and all(any(w in text for w in t.split("、")) for t in topic)

    def _department_words(self) -> set[str]:
        """The departments the articles name, without 市 (科技局, 委人才办)."""
        return {d.removeprefix("市") for a in self.resources.corpus.articles.values() for d in a.departments}

    def _only_departments(self, scope: Scope) -> bool:
        """Every specific word the question has found is part of a department's name or names a
        department's role (哪个部门牵头: 牵头, 部门 → 责任单位)."""
        departments = self._department_words()
        found = [e for e in scope.words if e.credit > 0 and e.weight >= 1.0]
        return bool(found) and all(e.word.removeprefix("市") in departments or self._names_role(e) for e in found)

    def stated_before(self, rule: Rule, known: dict[str, bool], state: ConversationState | None,
                       scope: Scope) -> dict[str, bool]:
        """Conditions of `rule` the question leaves open but an earlier question of the same
        conversation stated (the latest statement wins): what a caller said about their project
        two turns ago still holds; what they said about the enterprise itself (我们是零部件企业,
        不做整机: a subject field of the profile) holds for every measure."""
        if state is None or not state.history:
            return {}  # (the 政策体检 schema below is not loaded for a first question)
        subjects = {c for c, f in rule.profile.conditions.items() if f in self.resources.matcher.schema.subjects}
        out: dict[str, bool] = {}
        for earlier, answer in reversed(state.history):
            measure = answer.calculation.tool if answer.calculation is not None else None
            same = measure == rule.tool or (measure is None and trigger_hits(rule, earlier))
            for name, value in read_conditions(rule, earlier, scope.other_places).items():
                if name not in known and (same or name in subjects):
                    out.setdefault(name, value)  # a fact stated for another measure stays with it
        return out

    def adds_to_calculation(self, question: str, last: Request, scope: Scope | None = None) -> bool:
        """A statement without a follow-up marker that still adds to the last calculation: an
        amount named as its excluded part or with its amount's words (哦800万里面有200万是买的二手
        设备), and no other calculator's words."""
        if last.amount_yuan is None and last.rule.needs_amount:
            # nothing was calculated yet: the question stands alone (with the facts stated before)
            # — unless it gives the amount the last answer asked for in no measure's words at all
            # (their first order is RMB 0.9 million, after "please give the first purchase amount")
            own, other = self._measure_weights(question, last)
            return bool(stated_amounts(question)) and other == own == 0
        if not stated_amounts(question):
            # 那家公司跟我们是同一个集团的,算关联企业,这样还能拿吗; 其实供应商是我们的关联公司:
            # a fact of the same measure, and no other measure's words
            # (芯片公司其实注册在湖州,只在杭州有个销售点: 销售 is 第3条's word, 芯片 this measure's)
            places = (scope.other_places, scope.inside_places) if scope is not None else ((), ())
            own, other = self._measure_weights(question, last)
            withdrawn = _withdraws_part(last, question)  # 其实是新的
            share = bool(fraction_part(last.rule, question, last.amount_yuan))  # 其中一半是二手设备呢
            return (bool(read_conditions(last.rule, question, *places)) or withdrawn or share) and own >= other
        own, other = self._measure_weights(question, last)
        # 搞错了,合同金额是120万: a correction of the amount just calculated, in no measure's words
        return own > 0 and own >= other or own == other == 0 and says(question.lower(), reading_cues().restate)

    def _measure_weights(self, question: str, last: Request) -> tuple[int, int]:
        """(words of the last calculation's measure in the question — its triggers, its amount's
        and its excluded part's words —, the most words of any other measure)."""
        lowered = question.lower()
        words = list(last.rule.excluded.keywords if last.rule.excluded else ())
        if stated_amounts(question) and last.rule.amount is not None:
            # (合同里另外还有50万是传感器,一共230万: a figure of the same contract)
            words += [w for w in last.rule.amount.patterns if w not in words]
        own = trigger_hits(last.rule, question) + sum(1 for w in words if w.lower() in lowered)
        other = max((trigger_hits(r, question) for r in self.resources.rules.rules if r.id != last.rule.id),
                    default=0)
        return own, other

    def _continues_calculation(self, question: str, last: Request, scope: Scope) -> bool:
        """New figures or facts for the last calculator, and no other calculator's topic that
        outweighs its own words."""
        own, other = self._measure_weights(question, last)
        if other > own:
            return False
        # (按30%算不是2.1个亿吗: only the asker's own figure — checked against the last calculation)
        guess_only = bool(find_amounts(question)) and not stated_amounts(question, currency=None) \
            and last.amount_yuan is not None
        facts = read_conditions(last.rule, question, scope.other_places, scope.inside_places)
        # (科技局那边对人形有什么支持, after 人形首台套's calculation: a fact said before, asking
        # what there is in no words of money, is a question of its own; 这个奖是发给我们还是发给
        # 整机厂 asks about the calculation)
        new_facts = {k: v for k, v in facts.items() if last.conditions.get(k) != v}
        asks_what = says(question.lower(), reading_cues().what_asks) and not asks_about_money(question)
        return bool(stated_amounts(question) or guess_only or self._place_only(last, question, scope)
                    or new_facts or (facts and not asks_what)
                    or _withdraws_part(last, question)
                    or fraction_part(last.rule, question, last.amount_yuan))  # 其中一半是二手设备呢

    @staticmethod
    def _place_only(last: Request, question: str, scope: Scope) -> dict[str, bool]:
        """A follow-up that names only a place (那在桐庐呢) after a calculation whose place-bound
        condition was stated: that condition, settled by where the place is."""
        named = [*scope.inside_places, *scope.other_places]
        if len(named) != 1 or any(e.weight >= 1.0 for e in scope.words) \
                or len(question) > PLACE_ONLY_MAX_CHARS:
            return {}
        return {c.name: not scope.other_places for c in last.rule.conditions
                if c.outside_place and c.name in last.conditions}

    def _elliptic_kinds(self, last: Request, question: str) -> dict[str, bool]:
        """A follow-up naming a kind by its modifier and 的 (四足的呢, after 人形首台套): for each of
        the last measure's conditions on a product's kind, whether that modifier is of its kind —
        when the measure's document writes the modifier before one of the condition's heads
        (四足机器人 beside 人形机器人), so it names a product, not a firm or a place."""
        doc = self.resources.corpus.document(last.rule.doc_id)
        if doc is None:
            return {}
        text = " ".join(a.text for a in doc.articles)
        out: dict[str, bool] = {}
        for m in _ELLIPTIC_KIND.finditer(question):
            modifier = m.group(1)
            for c in last.rule.conditions:
                if c.kinds is None or c.name in out:
                    continue
                if any(t.lower() in modifier.lower() for t in c.true):
                    out[c.name] = True
                elif any(modifier + h in text for h in c.kinds.heads):
                    out[c.name] = False
        return out

    def updated(self, last: Request, question: str, scope: Scope) -> Request:
        """The last calculation with what a follow-up changes: a new amount, a part of the amount
        named (其中800万卖给了关联方: the rest still counts), a fact."""
        mentions = actual_amounts(question, stated_amounts(question))
        examples = [m for m in mentions if any(e.start() < m.start < e.end() or e.start() <= m.start <= e.start(1)
                                                for e in _EXAMPLE.finditer(question))]
        if examples and len(examples) < len(mentions):
            mentions = examples  # 要是过了一个亿呢 比如1.3亿: the figure given as the example is the one meant
        before = last
        last, mentions = _without_withdrawn(last, question, mentions)
        withdrawn = last is not before
        stated_parts = {y for _, y in last.excluded_parts} | ({last.excluded_yuan} if last.excluded_yuan else set())
        if mentions and last.amount_yuan is not None and not withdrawn \
                and not says(question.lower(), reading_cues().restate) and all(m.yuan in stated_parts for m in mentions) \
                and not (last.rule.excluded is not None and names_undenied(question.lower(), last.rule.excluded.keywords)):
            # 那5000万也算上呢 (after 2亿, 里面有5000万卖给关联方): the part said again by its figure
            # alone — it is still that part, whatever the asker hopes it adds (不对,那800万其实是新设备
            # says it is something else; 设备里有1000万是…旧设备 names a part of its own, as large as 厂房)
            mentions = []
        if withdrawn and last.amount_yuan is not None:
            # 不对 厂房是租的 没算在投资里 3000万全是新设备: the total said again beside the part taken
            # out is no new figure, nor a part
            mentions = [m for m in mentions if m.yuan != last.amount_yuan]
        if last.amount_yuan and len(mentions) >= 2:
            # 再多卖1万,刚好1000万呢 (after 999万): the amount that is the one before plus another
            # stated is the new amount; the other is how much it grew
            grown = [m for m in mentions if any(o is not m and m.yuan == last.amount_yuan + o.yuan for o in mentions)]
            if grown and len(mentions) == 2 and _off_list(last, question, next(o for o in mentions if o is not grown[0])):
                # 合同里另外还有50万是传感器,一共230万 (after 应用软件180万): a part of a kind off the
                # article's list beside the purchase before — their total is no new purchase amount
                return last
            if grown and len(mentions) == 2 and last.rule.excluded is not None:
                added = next(o for o in mentions if o is not grown[0])
                roles = amount_roles(last.rule, question, mentions)
                if roles[mentions.index(added)] == "excluded":
                    # 漏了 厂房还有1个亿 之前没算 总投资是4.8亿 (after 3.8亿 with its land): a part the
                    # total had left out — the new total, the part beside the ones before
                    named = excluded_parts(last.rule, question, mentions, roles)
                    return replace(last, amount_yuan=grown[0].yuan, excluded_yuan=last.excluded_yuan + added.yuan,
                                   conditions={**last.conditions, **last.rule.excluded.settles},
                                   excluded_kinds=last.excluded_kinds | excluded_kinds(last.rule, question),
                                   excluded_parts=last.excluded_parts + named, items=())
            mentions = grown[:1] or mentions
        if last.amount_yuan and last.excluded_yuan:
            # 剩下那1700万里有200万是买的二手设备: the base worked out before, named to place a
            # part inside it, is no new figure
            base = last.amount_yuan - last.excluded_yuan
            others = [m for m in mentions if m.yuan != base]
            mentions = others if others and len(others) < len(mentions) else mentions
        amount, excluded = split_amounts(last.rule, question, mentions)
        roles = amount_roles(last.rule, question, mentions)
        spec, lowered = last.rule.excluded, question.lower()
        read_parts = excluded_parts(last.rule, question, mentions, roles)
        parts = [m for m in mentions if m.yuan != last.amount_yuan]
        if last.amount_yuan is not None and parts and (
                all(r == "excluded" for r in roles)
                or (spec is not None and names_undenied(lowered, spec.keywords)
                    and all(m.yuan < last.amount_yuan for m in parts)
                    and not _figure_beside_part(question, mentions, roles)
                    and not _total_said_again(last, question, mentions, roles))):
            # a part of the amount before (这1.2亿里有3000万是卖给参股公司的,他们算关联方);
            # 还有一台二手注塑机300万 adds to the part named before, a plain figure corrects it
            additive = says(question, reading_cues().additive)
            if last.amount_is_base and additive and all(r == "excluded" for r in roles) and spec is not None:
                # 卖给非关联客户950万, then 另外卖给母公司200万: beside the base, which still counts
                return replace(last, conditions={**last.conditions, **spec.settles},
                               excluded_kinds=last.excluded_kinds | excluded_kinds(last.rule, question),
                               excluded_parts=last.excluded_parts + read_parts)
            if says(question, reading_cues().beside_total) and all(r == "excluded" for r in roles) \
                    and spec is not None and spec.reduces != "amount":
                # We'd also buy land for RMB 3 million on top of that: a part beside the total stated
                # before — the total grows by it, and the part is left out of the base
                return replace(last, amount_yuan=last.amount_yuan + sum(m.yuan for m in parts),
                               excluded_yuan=last.excluded_yuan + sum(m.yuan for m in parts),
                               conditions={**last.conditions, **spec.settles},
                               excluded_kinds=last.excluded_kinds | excluded_kinds(last.rule, question),
                               excluded_parts=last.excluded_parts + read_parts, items=())
            amount, excluded = None, sum(m.yuan for m in parts)
            kinds = excluded_kinds(last.rule, question)
            if last.excluded_parts and read_parts and all(kind for kind, _ in read_parts) \
                    and any(kind == k for kind, _ in read_parts for k, _ in last.excluded_parts):
                # 不对 厂房是600万 另外还有200万旧设备: a part named again corrects that part, one
                # added beside it (an additive word before its amount) adds; the others stand
                read_parts = _merged_parts(last.excluded_parts, read_parts, _added_parts(question, mentions, roles))
                excluded = sum(y for _, y in read_parts)
            elif not (says(lowered, reading_cues().restate) and not additive and spec is not None
                      and spec.reduces == "amount") and (
                    additive or (kinds and last.excluded_kinds and not kinds & last.excluded_kinds)):
                # (不对,关联的是2200万: a measure with one kind of part — sales to affiliates — is
                # told that part again by a correction; land beside a plant adds)
                excluded += last.excluded_yuan  # 设备里有200万是二手的, after 土地 and 厂房
                read_parts = last.excluded_parts + read_parts
        keywords = [k.lower() for k in spec.keywords] if spec is not None else []
        same_total = all(m.yuan == last.amount_yuan and any(k in clause_at(lowered, m.start).text for k in keywords)
                         for m in mentions)
        if mentions and any(k in lowered for k in keywords) and not says(lowered, reading_cues().another) and (
                same_total or (says(lowered, reading_cues().unchanged) and not excluded and not read_parts
                               and "excluded" not in roles)):
            # 不对 总投资是0.9亿,土地厂房旧设备那几块不变: a new total, the parts named as they were —
            # they still stand; the total said again in a clause naming a part is still the total
            # (那子公司那笔也算上行不行 按1500万算: the affiliates' part stays out; not: we will lease the
            # building, so the whole RMB 20 million goes to equipment)
            excluded, read_parts = last.excluded_yuan, last.excluded_parts
        conditions = {**last.conditions, **self._place_only(last, question, scope),
                      **self._elliptic_kinds(last, question),
                      **read_conditions(last.rule, readable(question, scope), scope.other_places,
                                        scope.inside_places)}
        if excluded and last.rule.excluded is not None:
            conditions.update(last.rule.excluded.settles)
        if last.amount_yuan is not None and _buys_more(question):
            c = last.rule.list_condition
            if c is not None and conditions.get(c.name) is False and last.conditions.get(c.name) is not False:
                # 同一次还买了他们家的减速器200万: another thing bought, off the list — the
                # purchase on the list still counts, alone
                conditions[c.name] = last.conditions.get(c.name, c.default)
                amount = last.amount_yuan
            elif c is not None and conditions.get(c.name) is not False and amount is not None \
                    and amount != last.amount_yuan and says(question, reading_cues().same_purchase) \
                    and not says(question, reading_cues().totals):  # (…一共130万: the total itself)
                # 漏说了,同一次采购里还有工具包40万: another listed thing of the same purchase — its
                # amount joins the one stated before (80万 + 40万)
                amount = last.amount_yuan + amount
        amount = amount if amount is not None else last.amount_yuan
        part = listed_part(last.rule, question, mentions)
        if part is not None and last.rule.list_condition is not None:
            # 150万里有50万是买的相机硬件,软件本身100万: the listed products' part is the purchase
            amount = part
            conditions[last.rule.list_condition.name] = True
        # (And if half of that 20 million was second-hand equipment?: a share of the total before, the
        # total pointed back at, is the part)
        share = fraction_part(last.rule, question, last.amount_yuan) \
            if not excluded and all(m.yuan == last.amount_yuan for m in mentions) else 0
        excluded, read_parts = (share, ()) if share else (excluded, read_parts) if mentions else \
            (last.excluded_yuan, last.excluded_parts)
        if amount is not None and excluded > amount:
            # a new total (另一个项目 实投4亿): the old part does not belong to it
            excluded, read_parts = 0, ()
        kinds = last.excluded_kinds if withdrawn else last.excluded_kinds | excluded_kinds(last.rule, question)
        count = read_count(last.rule, question)  # 我们有3个场景都入选了: the ceiling per unit, three times
        return replace(last, amount_yuan=amount, excluded_yuan=excluded, conditions=conditions,
                       excluded_kinds=kinds, excluded_parts=read_parts,
                       count=count if count > 1 else last.count,
                       items=() if mentions else last.items)  # a new amount replaces units stated one by one

    def carry(self, retrieval: Retrieval, state: ConversationState, step: int = 0) -> Retrieval:
        """The previous turn's article first (or its neighbour, for 下一条/上一条) — of the articles it
        cited, the one the question's own topic words find first, when they anchor it and do not find
        the first at all (示范场景那个谁负责 after a list of the articles that give money: 第7条, not
        the list's first)."""
        pick = state.last_articles[:1]
        top = retrieval.hits[0].article if retrieval.hits else None
        found = {(h.article.doc_id, h.article.number) for h in retrieval.hits[:CARRY_RIVALS]}
        if step == 0 and top is not None and (top.doc_id, top.number) in state.last_articles[1:] \
                and state.last_articles[0] not in found \
                and retrieval.scope.anchor >= CARRY_TOPIC_MIN and not _only_money_asks(retrieval.scope):
            pick = ((top.doc_id, top.number),)
        carried = [self.resources.corpus.article(d, n + step) for d, n in pick]
        first = [Hit(a, 1.0, reason="fused") for a in carried if a is not None]
        rest = [h for h in retrieval.hits if all(h.article is not f.article for f in first)]
        # (what the question asks that no library text specifies — its tax, an e-mail address —
        # is said, as for a question asked alone)
        gaps = retrieval.scope.gaps if retrieval.in_scope else tuple(
            self.resources.retriever.judge.gaps.of(retrieval.scope.corrected))
        scope = retrieval.scope if retrieval.in_scope else replace(
            retrieval.scope, verdict="partial" if gaps else "covered", gaps=gaps,
            reason="follow-up on the previous answer")
        return replace(retrieval, hits=first + rest, scope=scope)


CARRY_RIVALS = 2
"""The follow-up's own best hits among which the last answer's first article must be missing for
another article it cited to be carried instead."""
CARRY_TOPIC_MIN = 0.5
"""How strongly a follow-up's own words must find one of the articles the last answer cited (示范场景,
0.77) for it to be carried instead of that answer's first; 谁负责 alone (0.005) keeps the first."""


def _off_list(last: Request, question: str, part: Mention) -> bool:
    """The amount is of a kind off the list of what the last calculation's article pays for (a
    sensor beside 第2条's chips and software): its clause names such a kind and nothing listed."""
    listing = last.rule.list_condition
    if listing is None or listing.kinds is None:
        return False
    clause = clause_at(question.lower(), part.start).text
    return any(h.lower() in clause for h in listing.kinds.heads) and not any(p.lower() in clause for p in listing.true)


def _added_parts(question: str, mentions: list[Mention], roles: list[AmountRole]) -> list[bool]:
    """For each excluded part of a follow-up, in order: whether an additive word (另外还有, 还有一台)
    stands between the amount before it and its own amount — a part added, not one corrected."""
    out: list[bool] = []
    prev_end = 0
    for m, role in zip(mentions, roles):
        if role == "excluded":
            out.append(says(question[prev_end:m.start], reading_cues().additive))
        prev_end = m.end
    return out


def _merged_parts(before: tuple[tuple[str, int], ...], parts: tuple[tuple[str, int], ...],
                  added: list[bool]) -> tuple[tuple[str, int], ...]:
    """The parts stated before with a follow-up's: a part of a kind named before corrects it
    (厂房 400万 → 600万) unless it is said to be added; any other part is added."""
    merged = list(before)
    for (kind, yuan), more in zip(parts, added + [False] * len(parts)):
        at = next((i for i, (k, _) in enumerate(merged) if k == kind), -1)
        if at >= 0 and not more:
            merged[at] = (kind, yuan)
        else:
            merged.append((kind, yuan))
    return tuple(merged)


def _total_said_again(last: Request, question: str, mentions: list[Mention], roles: list[AmountRole]) -> bool:
    """A main amount written right after the measure's own amount words (搞错了,总投资是900万,土地400万):
    the total said again, not a part of the one before."""
    patterns = [p.lower() for p in last.rule.amount.patterns] if last.rule.amount is not None else []
    lowered = question.lower()
    for m, role in zip(mentions, roles):
        clause = clause_at(lowered, m.start)
        if role == "main" and any(p in lowered[clause.start:m.start] for p in patterns):
            return True
    return False


def _figure_beside_part(question: str, mentions: list[Mention], roles: list[AmountRole]) -> bool:
    """A figure of its own with a part put beside it after it (不对 是800万 另外1600万是卖给母公司的:
    800万 is the figure said again, not a part; 另外 is one of `beside`)."""
    for i, (m, r) in enumerate(zip(mentions, roles)):
        for n, s in zip(mentions[i + 1:], roles[i + 1:]):
            if r == "main" and s == "excluded" and says(question[m.end:n.start], reading_cues().beside):
                return True
    return False


def _buys_more(question: str) -> bool:
    """The question adds a purchase to one stated before (同一次还买了他们家的减速器, 另外还采购了):
    an `additive` word right before a purchase verb — not a purchase put instead (如果买的是…也是260万)."""
    c, lowered = reading_cues(), question.lower()
    verbs = (*c.purchase_verbs, "买", "采购")
    if any(a + v in lowered for a in (*c.additive, *c.also) for v in verbs):
        return True
    # 同一次采购里还有工具包40万: the same purchase named, and something added to it
    return says(lowered, c.same_purchase) and any(a in lowered for a in c.additive)


def _said_otherwise_after(lowered: str, end: int, keywords: tuple[str, ...]) -> bool:
    """After the amount at `end`, a `restate` word says what it really is, naming no part (旧设备那
    1000万说错了,其实是全新设备): the part named with the amount is withdrawn."""
    rest = lowered[end:]
    at = max((rest.rfind(w.lower()) for w in reading_cues().restate if w.lower() in rest), default=-1)
    return at >= 0 and not any(k.lower() in rest[at:] for k in keywords)


def _said_to_be_other(lowered: str, kind: str) -> bool:
    """A part named by its head word alone, in a clause with a `restate` word and without the
    word that made it a part (旧设备 → 搞错了,那批设备其实是新的: 设备 without 旧): it is something
    else, no part. A kind named whole (设备其实也是旧的, 二手的) is not withdrawn so."""
    if not kind or kind in lowered:
        return False
    head = next((kind[i:] for i in range(1, len(kind) - 1) if kind[i:] in lowered), "")
    if not head:
        return False
    at = lowered.find(head)
    clause = clause_at(lowered, at).text
    modifier = kind[:len(kind) - len(head)]
    return says(clause, reading_cues().restate) and modifier not in clause


def _withdraws_part(last: Request, question: str) -> bool:
    """The follow-up takes a part of the last calculation out, with no new amount (厂房是租的,
    那批设备其实是新的)."""
    return _without_withdrawn(last, question, [])[0] is not last


def _without_withdrawn(last: Request, question: str, mentions: list[Mention]) -> tuple[Request, list[Mention]]:
    """The last calculation without the excluded parts a follow-up takes out, and the amounts
    left to read: a part said to cost nothing (厂房是租的没花钱: its kind in a clause with a
    `no_cost` word), or one said to be something else (刚才那800万其实是新买的设备: a `restate`
    word, and an amount equal to the part in a clause naming no part word — that amount is read no
    further)."""
    spec = last.rule.excluded
    if spec is None or not last.excluded_parts:
        return last, mentions
    c, lowered = reading_cues(), question.lower()
    out: list[tuple[str, int]] = []
    for kind, yuan in last.excluded_parts:
        at = lowered.find(kind) if kind else -1
        while at >= 0:
            clause = clause_at(lowered, at)
            free = [clause.text.find(w.lower()) for w in c.no_cost if w.lower() in clause.text]
            if any(not negated(lowered, clause.start + f) for f in free):
                out.append((kind, yuan))
                break
            at = lowered.find(kind, at + 1)
    if says(question, c.restate) and not mentions:
        out += [p for p in last.excluded_parts if p not in out and _said_to_be_other(lowered, p[0])]
    restated: list[Mention] = []
    if says(question, c.restate):
        for m in mentions:
            clause = clause_at(lowered, m.start)
            named = [clause.text.find(k.lower()) for k in spec.keywords if k.lower() in clause.text]
            same = [p for p in last.excluded_parts if p[1] == m.yuan]
            if same and (not any(not negated(lowered, clause.start + n) for n in named)
                         or _said_otherwise_after(lowered, m.end, spec.keywords)):
                restated.append(m)
                out += [p for p in same[:1] if p not in out]
    if not out:
        return last, mentions
    kept = list(last.excluded_parts)
    for p in out:
        kept.remove(p)
    return replace(last, excluded_yuan=max(0, last.excluded_yuan - sum(y for _, y in out)),
                   excluded_parts=tuple(kept), excluded_kinds=frozenset(k for k, _ in kept if k)), \
        [m for m in mentions if m not in restated]


__all__ = ["FollowUps", "readable"]
