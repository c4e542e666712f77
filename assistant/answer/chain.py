"""The answer chain (LCEL): route → retrieve → calculate → compose, each step a function from one
frozen value to the next; the conversation is read once at the start (a snapshot) and updated once
at the end (`Conversation.record`).

`Assistant` opens (and if needed syncs) the index once and answers questions; the composer is a
swappable step, so a language-model composer plugs in without touching retrieval.
"""

from __future__ import annotations

import re
import threading
from contextlib import nullcontext
from dataclasses import dataclass, replace
from typing import Any, Callable, Iterator

from typing import TYPE_CHECKING

from ..lang.cues import pattern
from ..lang.amounts import find_amounts
from ..calc.calculators import (Request, Rule, RuleBook, Unspecified, amount_roles, asks_about_money, calculate,
                          deciding_conditions, read_conditions, read_count, rulebook_for,
                          split_amounts, trigger_hits)
from .compose import ASKS_COUNT, Composer, Context, ExtractiveComposer
from ..config import Settings, load_settings
from ..ingest.corpus import Corpus
from .conversation import (Conversation, ConversationState, FollowUp, leans_on_previous,
                           relative_step, yes_no)
from ..index.encoders import Encoder, query_encoder
from ..errors import InvalidQuestionError
from ..index.policy_index import PolicyIndex, Progress, open_index
from ..lang.language import Said, question_language
from ..lang.lexical import function_words, specificity
from ..models import DRAFTS, Answer, Calculation, Clarification, Hit, Route
from ..retrieve.doc_places import place_index
from ..retrieve.references import without_spans
from ..retrieve.retrieval import FusionRetriever, Retrieval, compares
from ..lang.reading import cues as reading_cues
from ..lang.reading import (actual_amounts, asked_benefit, asked_things, money_text, named_outside_exclusions,
                            sentences, stated_amounts)
from ..retrieve.scope import Scope
from ..ingest.structure import (STRUCTURE_FACETS, asks_chapter_topic, asks_final_version, chapter_articles,
                               chapter_reference, listed_chapter, masked_figure, structure_article,
                               years_unstated)
from ..lang.script import simplified
from ..lang.text import well_formed

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings

    from ..match.matching import Matcher, MatchResult
    from langchain_core.runnables import Runnable

MAX_QUESTION_CHARS = 2000
"""Longer questions are refused with a clear message."""
RULE_RANK_SCORES = (3.0, 2.0, 1.0)
"""A rule's article ranked first, second or third by retrieval …"""
RULE_TRIGGER_SCORE = 1.5
"""… and the rule's own words in the question (采购, 首台套, 算力券) …"""
RULE_MIN_SCORE = 2.5
"""… must together reach this: first place alone, or second/third place with the rule's words."""
MATCH_QUESTION = pattern("asks_which_policies")
"""An enterprise describing itself and asking what it can claim: a 政策体检 from the question."""
EFFECTIVE = pattern("effective_date")
"""The sentence that says when a document is in force."""
THING_MIN_WEIGHT = 1.0
"""The thing a benefit is asked for (购车 of 购车补贴) must be at least this specific (the scope
judgement's word weights) to decide that the library does not give it: 费用, 拿到 or 政府 say
nothing about what the money is for."""
THING_MIN_WEIGHT_UNCHOSEN = 0.2
ASKED_THING_MIN_WEIGHT = 0.05
"""A thing a question asks for by its grammar (大会在哪里开, 标准号是多少) and the library has no trace
of decides that it is not covered from this weight on: being asked for, even a common noun (大会)
is the point of the question."""
"""… and this specific when no calculator or money article answers the question at all: then even
a common noun (汽车 of 购买新能源汽车个人有补贴吗) that no article with money mentions tells that
the policy does not give it."""
ARTICLE_WORD = pattern("article_label")
PLACE_ONLY_MAX_CHARS = 16
"""A follow-up naming a place and nothing specific (那在桐庐呢, 要是在诸暨呢) is at most this long."""
CARRY_MAX_MISSING = 1.5
"""A short question with a specific word of its own that the library lacks (摇号, 公积金) is a new
topic, not a follow-up on the previous article (same scale as `ScopeJudge` weights)."""

__all__ = ["Assistant", "Conversation", "MAX_QUESTION_CHARS", "make_assistant", "validate_question"]


ANALYSIS_CHARS = 300
"""Only this much of a question (after repeated runs are collapsed) is analysed: a longer one says
nothing more, and every question costs about the same however it is padded."""
LONG_QUESTION_CHARS = 60
"""A question analysing more characters than this (after `focus`) costs several times a normal
one; such questions are answered one at a time (the long lane), so a burst of them cannot hold up
everybody else's questions. About 1 in 20 real questions is this long."""
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_REPEATS = pattern("repeated_piece")
"""A repeated unit without digits or numerals: 哈哈哈哈, never the zeros of 12000000 or 1111万."""
_WORDY = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")


def validate_question(question: Any) -> str:
    """The question stripped; InvalidQuestionError when empty, too long, not text or without a
    single word."""
    if not isinstance(question, str):
        raise InvalidQuestionError("the question must be text")
    q = _CONTROL.sub("", well_formed(question)).strip()
    if not q:
        raise InvalidQuestionError("the question is empty: type a question about the policy")
    if len(q) > MAX_QUESTION_CHARS:
        raise InvalidQuestionError(f"the question is {len(q)} characters long; "
                                   f"the limit is {MAX_QUESTION_CHARS}")
    if not _WORDY.search(q):
        raise InvalidQuestionError("the question has no words: type a question about the policy")
    return q


def focus(question: str) -> str:
    """What is analysed of a question: runs of a repeated character or short unit collapsed to
    three (哈哈哈哈哈…, 机器人机器人…), then the first ANALYSIS_CHARS characters."""
    return _REPEATS.sub(lambda m: m.group(1) * 3, question)[:ANALYSIS_CHARS]


# --- the values passed from step to step --------------------------------------------------------
@dataclass(frozen=True)
class Turn:
    """The input: a question and what the conversation knew before it."""

    question: str
    state: ConversationState | None = None


@dataclass(frozen=True)
class Routed:
    question: str
    """As asked (validated)."""
    search: str
    """What retrieval searches (a language model may make a follow-up standalone)."""
    route: Route
    state: ConversationState | None


@dataclass(frozen=True)
class Retrieved:
    routed: Routed
    retrieval: Retrieval
    follow: FollowUp = None
    """How the question leans on the previous turn (None: it stands alone)."""


@dataclass(frozen=True)
class Prepared:
    """Everything the composer needs, and the calculation request the conversation keeps."""

    context: Context
    request: Request | None = None
    follow: FollowUp = None


def _money_sentences(text: str) -> list[str]:
    """The sentences of an article that give money (a benefit word or an amount)."""
    benefits = reading_cues().benefits
    return [s.text for s in sentences(text) if money_text(s.text) or any(b in s.text for b in benefits)]


class Assistant:
    """Answers questions about the corpus with citations (and, for amounts, calculations).

    The index is opened on first use, so `Assistant(settings).calculate(...)` (the calculator
    forms, tools and `calc` command) never waits for an index build.
    """

    def __init__(self, settings: Settings | None = None, embeddings: Embeddings | None = None,
                 composer: Composer | None = None, index: PolicyIndex | None = None,
                 progress: Progress | None = None,
                 rewriter: Callable[[str, list[tuple[str, Answer]]], str] | None = None) -> None:
        self.settings = settings or load_settings()
        self._embeddings = embeddings
        self.encoder: Encoder = embeddings or query_encoder(self.settings) or self.embeddings
        """What the index and retrieval embed with: the embeddings given, else the backend without
        LangChain when it has such a form (a cold answer then never imports LangChain's
        `Embeddings`), else `embeddings`."""
        self.progress = progress
        self.rewriter = rewriter
        self._index = index
        self._retriever: FusionRetriever | None = None
        self._matcher: Matcher | None = None
        self._lock = threading.Lock()
        self._long_lane = threading.Lock()
        if composer is None and self.settings.llm_base_url:
            from .llm import LLMComposer, QuestionRewriter, make_chat_model

            model = make_chat_model(self.settings)
            composer = LLMComposer(model)
            self.rewriter = self.rewriter or QuestionRewriter(model)
        self.composer: Composer = composer or ExtractiveComposer()
        self._runnables: tuple[Runnable, Runnable] | None = None

    def _steps(self, turn: Turn) -> Prepared:
        """route → retrieve → calculate, called directly: the same steps as `prepare`, without
        importing LangChain's runnables (and their tracers) for a single answer."""
        return self.calculate_step(self.retrieve(self.route(turn)))

    def _build_runnables(self) -> tuple[Runnable, Runnable]:
        with self._lock:
            if self._runnables is None:
                from langchain_core.runnables import RunnableLambda

                prepare = (RunnableLambda(self.route, name="route")
                           | RunnableLambda(self.retrieve, name="retrieve")
                           | RunnableLambda(self.calculate_step, name="calculate"))
                self._runnables = (prepare, prepare | RunnableLambda(self.compose, name="compose"))
            return self._runnables

    @property
    def prepare(self) -> Runnable:
        """The steps up to the answer's context as a LangChain runnable (built on first use)."""
        return self._build_runnables()[0]

    @property
    def chain(self) -> Runnable:
        """The whole answer as a LangChain runnable, `prepare | compose` (built on first use)."""
        return self._build_runnables()[1]

    @property
    def embeddings(self) -> Embeddings:
        """The settings' embeddings as LangChain `Embeddings` (made on first use; the same model
        and query cache as `encoder`)."""
        if self._embeddings is None:
            from ..index.embeddings import make_embeddings

            self._embeddings = make_embeddings(self.settings)
        return self._embeddings

    @property
    def index(self) -> PolicyIndex:
        """The index, opened (and synced with the corpus) on first use."""
        with self._lock:
            if self._index is None:
                self._index = open_index(self.settings, self.encoder, progress=self.progress)
            return self._index

    def open_ready(self) -> bool:
        """Open the index over the part of the library it already holds when a document is new
        or changed since it was built (see `index.ready_corpus`); True when a full sync (`reload`)
        is still due. Otherwise the index is opened (and synced) as usual and False returned."""
        from ..index.policy_index import ready_corpus, sync_index

        part = ready_corpus(self.settings, self.encoder)
        if part is None:
            self.index  # noqa: B018 - open (and sync) the whole index now
            return False
        index = sync_index(self.settings, self.encoder, corpus=part)
        with self._lock:
            self._index, self._retriever, self._matcher = index, None, None
        return True

    def reload(self, progress: Callable[[str, int, int], None] | None = None) -> None:
        """Pick up a changed corpus (a document added or removed): sync the index — only what
        changed is embedded — and rebuild what depends on it. Questions keep being answered from
        the previous index meanwhile."""
        index = open_index(self.settings, self.encoder, progress=progress)
        with self._lock:
            self._index, self._retriever, self._matcher = index, None, None

    @property
    def corpus(self) -> Corpus:
        return self.index.corpus

    @property
    def retriever(self) -> FusionRetriever:
        index = self.index
        with self._lock:
            if self._retriever is None:
                self._retriever = FusionRetriever(index, self.encoder)
            return self._retriever

    @property
    def matcher(self) -> Matcher:
        """政策体检 over this corpus (rebuilt when a rules file changes)."""
        rules, corpus = self.rules, self.corpus
        with self._lock:
            if self._matcher is None or self._matcher.rules is not rules:
                from ..match.matching import Matcher  # 政策体检 only: not imported for other answers

                self._matcher = Matcher(corpus, rules)
            return self._matcher

    @property
    def rules(self) -> RuleBook:
        """The rule book of this assistant's corpus (reloaded when a rules file changes)."""
        return rulebook_for(self.settings.corpus_dir)

    # -- chain steps -------------------------------------------------------------------------
    def route(self, turn: Turn) -> Routed:
        question = validate_question(turn.question)
        search = focus(simplified(question).text)  # read in simplified characters, shown as asked
        state = turn.state
        if self.rewriter is not None and state is not None and state.history \
                and leans_on_previous(question):
            search = self.rewriter(question, list(state.history))
        route: Route = "match" if MATCH_QUESTION.search(search) else (
            "amount" if asks_about_money(search) else "lookup")
        return Routed(question, search, route, state)

    def retrieve(self, routed: Routed) -> Retrieved:
        retrieval = self.retriever.retrieve(routed.search)
        state = routed.state
        follow = self._follow_up(routed, retrieval)
        if follow in ("article", "step", "calculation") and state is not None:
            retrieval = self._carry(retrieval, state, relative_step(routed.question) if follow == "step" else 0)
        elif retrieval.in_scope and not retrieval.references \
                and chapter_reference(routed.search) is not None:
            retrieval = self._chapter(routed.search, retrieval, chapter_reference(routed.search) or 0)
        elif retrieval.in_scope and not retrieval.references \
                and set(retrieval.scope.facets) & set(STRUCTURE_FACETS) \
                and self._structure_first(routed.search, retrieval) is not None:
            retrieval = self._structure_first(routed.search, retrieval)  # type: ignore[assignment]
        elif retrieval.scope.meta and retrieval.in_scope and not retrieval.references:
            retrieval = self._announcement_first(retrieval)
        if follow is None and retrieval.in_scope and not retrieval.references:
            retrieval = self._unstated(routed.search, retrieval)
        route: Route = "meta" if retrieval.scope.meta and follow is None and not retrieval.references \
            and routed.route != "match" else routed.route
        return Retrieved(replace(routed, route=route), retrieval, follow)

    def calculate_step(self, retrieved: Retrieved) -> Prepared:
        routed, retrieval = retrieved.routed, retrieved.retrieval
        state, follow = routed.state, retrieved.follow
        notes: list[str] = []
        not_provided = ""
        calc_article = None
        request: Request | None = None
        match: MatchResult | None = None
        if follow == "answer" and state is not None and state.pending and state.last_request:
            answer = yes_no(routed.question)
            request = replace(state.last_request, conditions={
                **state.last_request.conditions, state.pending.condition: bool(answer)})
        elif follow == "calculation" and state is not None and state.last_request:
            request = self._updated(state.last_request, routed.search, retrieval.scope)
        elif routed.route == "match":
            match = self.matcher.match_text(routed.search, retrieval.scope.other_places)
        elif routed.route == "amount" and retrieval.in_scope:
            chosen = self._choose(routed.search, retrieval)
            not_provided = "" if retrieval.references else self._not_provided(
                self._readable(routed.search, retrieval.scope), chosen, retrieval)
            if not_provided:
                chosen = None
            if isinstance(chosen, Unspecified):
                calc_article = self.corpus.article(chosen.doc_id, chosen.article)
                notes.append(Said(f"{chosen.text}具体标准请咨询责任单位。", "chain.unspecified", text=chosen.text))
            elif isinstance(chosen, Rule):
                mentions = actual_amounts(routed.search, stated_amounts(routed.search))
                foreign = [m for m in find_amounts(routed.search) if m.currency != "CNY"]
                amount, excluded = split_amounts(chosen, routed.search, mentions)
                conditions = read_conditions(chosen, self._readable(routed.search, retrieval.scope),
                                             retrieval.scope.other_places, retrieval.scope.inside_places)
                carried = self._stated_before(chosen, conditions, state, retrieval.scope)
                notes += [Said(f"沿用前面对话中的说明:“{c.label}”按“{'是' if v else '否'}”计算。",
                               "chain.carried", label=c.label, value=v)
                          for c in chosen.conditions for n, v in carried.items() if c.name == n]
                conditions.update(carried)
                if excluded and amount and chosen.excluded is not None:
                    conditions.update(chosen.excluded.settles)  # the rest is what counts
                request = Request(chosen, amount, excluded, conditions,
                                  read_count(chosen, routed.search))
                calc_article = self.corpus.article(chosen.doc_id, chosen.article)
                if foreign and amount is None:
                    notes.append(Said(f"问题中的金额“{foreign[0].text}”不是人民币:政策的金额以人民币(元)计,"
                                      f"请换算成人民币后再计算。", "chain.foreign", amount=foreign[0].text))
                elif chosen.needs_amount and amount is None and not retrieval.scope.gaps:
                    notes.append(Said(f"如需计算具体金额,请提供{chosen.amount_label}"
                                      f"(例如“{chosen.amount_label}3000万元”)。", "chain.amount_needed",
                                      label=chosen.amount_label))
        if retrieval.unstated and follow is None and match is None and request is None:
            not_provided = retrieval.unstated
        if not not_provided and follow is None and retrieval.in_scope and not retrieval.references \
                and match is None and request is None and not retrieval.scope.meta:
            not_provided = self._absent_thing(self._readable(routed.search, retrieval.scope), retrieval)
        calculation: Calculation | None = None
        clarification: Clarification | None = None
        if request is not None and request.ready:
            calculation = request.run()
            calc_article = self.corpus.article(request.rule.doc_id, request.rule.article)
            if state is not None:
                deciding = deciding_conditions(request.rule, request.amount_yuan,
                                               request.excluded_yuan, request.conditions)
                if deciding:
                    clarification = Clarification(deciding[0].name, deciding[0].question)
        route: Route = "amount" if calculation is not None else routed.route
        previous = state.history[-1][1].lang if state is not None and state.history else "zh"
        ctx = Context(routed.search, retrieval, self.corpus, route, routed.question, calculation,
                      calc_article, tuple(notes), clarification, follow in ("article", "step"), match,
                      not_provided, question_language(routed.question, previous))  # type: ignore[arg-type]
        return Prepared(ctx, request, follow)

    def compose(self, prepared: Prepared) -> Answer:
        return self.composer(prepared.context)

    # -- helpers -----------------------------------------------------------------------------
    def _follow_up(self, routed: Routed, retrieval: Retrieval) -> FollowUp:
        """How a question leans on the previous turn (the one place this is decided)."""
        state, q = routed.state, routed.search
        if state is None or not state.history:
            return None
        if state.pending is not None and state.last_request is not None and yes_no(q) is not None:
            return "answer"
        if retrieval.references:
            return None
        if not leans_on_previous(q):
            last = state.last_request
            if last is not None and self._adds_to_calculation(q, last):
                return "calculation"
            return None
        if relative_step(q) and state.last_articles:
            return "step"
        last = state.last_request
        if last is not None and self._continues_calculation(q, last, retrieval.scope):
            return "calculation"
        scope = retrieval.scope
        if not state.last_articles or scope.meta or scope.other_places or scope.other_policies:
            return None
        # A question with a topic of its own (文旅那条呢?, 摇号怎么办?) is not about the last
        # article, pronoun or not; one without (它的责任单位是谁?, 原文呢?) is.
        anchored = scope.anchor >= self.retriever.judge.params.anchor_min
        if anchored and self._only_departments(scope):
            anchored = False  # 这个是科技局管还是经信局管: who is in charge of the last article
        if anchored or scope.missing >= CARRY_MAX_MISSING:
            return None
        return "article"

    def _only_departments(self, scope: Scope) -> bool:
        """Every specific word the question has found is part of a department's name."""
        departments = {d.removeprefix("市") for a in self.corpus.articles.values() for d in a.departments}
        found = [e.word.removeprefix("市") for e in scope.words if e.credit > 0 and e.weight >= 1.0]
        return bool(found) and all(w in departments for w in found)

    def _stated_before(self, rule: Rule, known: dict[str, bool], state: ConversationState | None,
                       scope: Scope) -> dict[str, bool]:
        """Conditions of `rule` the question leaves open but an earlier question of the same
        conversation stated (the latest statement wins): what a caller said about their project
        two turns ago still holds; what they said about the enterprise itself (我们是零部件企业,
        不做整机: a subject field of the profile) holds for every measure."""
        subjects = {c for c, f in rule.profile.conditions.items() if f in self.matcher.schema.subjects}
        out: dict[str, bool] = {}
        for earlier, answer in reversed(state.history if state is not None else ()):
            measure = answer.calculation.tool if answer.calculation is not None else None
            same = measure == rule.tool or (measure is None and trigger_hits(rule, earlier))
            for name, value in read_conditions(rule, earlier, scope.other_places).items():
                if name not in known and (same or name in subjects):
                    out.setdefault(name, value)  # a fact stated for another measure stays with it
        return out

    def _adds_to_calculation(self, question: str, last: Request) -> bool:
        """A statement without a follow-up marker that still adds to the last calculation: an
        amount named as its excluded part or with its amount's words (哦800万里面有200万是买的二手
        设备), and no other calculator's words."""
        if last.amount_yuan is None and last.rule.needs_amount:
            return False  # nothing was calculated yet: the question stands alone
        if not stated_amounts(question):
            # 那家公司跟我们是同一个集团的,算关联企业,这样还能拿吗; 其实供应商是我们的关联公司:
            # a fact of the same measure, and no other measure's words
            return bool(read_conditions(last.rule, question)) \
                and not any(trigger_hits(r, question) for r in self.rules.rules if r.id != last.rule.id)
        own, other = self._measure_weights(question, last)
        return own > 0 and own >= other

    def _measure_weights(self, question: str, last: Request) -> tuple[int, int]:
        """(words of the last calculation's measure in the question — its triggers, its amount's
        and its excluded part's words —, the most words of any other measure)."""
        lowered = question.lower()
        words = list(last.rule.excluded.keywords if last.rule.excluded else ())
        own = trigger_hits(last.rule, question) + sum(1 for w in words if w.lower() in lowered)
        other = max((trigger_hits(r, question) for r in self.rules.rules if r.id != last.rule.id),
                    default=0)
        return own, other

    def _continues_calculation(self, question: str, last: Request, scope: Scope) -> bool:
        """New figures or facts for the last calculator, and no other calculator's topic that
        outweighs its own words."""
        own, other = self._measure_weights(question, last)
        if other > own:
            return False
        return bool(stated_amounts(question) or self._place_only(last, question, scope)
                    or read_conditions(last.rule, question, scope.other_places, scope.inside_places))

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

    def _updated(self, last: Request, question: str, scope: Scope) -> Request:
        """The last calculation with what a follow-up changes: a new amount, a part of the amount
        named (其中800万卖给了关联方: the rest still counts), a fact."""
        mentions = actual_amounts(question, stated_amounts(question))
        amount, excluded = split_amounts(last.rule, question, mentions)
        roles = amount_roles(last.rule, question, mentions)
        spec, lowered = last.rule.excluded, question.lower()
        parts = [m for m in mentions if m.yuan != last.amount_yuan]
        if last.amount_yuan is not None and parts and (
                all(r == "excluded" for r in roles)
                or (spec is not None and any(k.lower() in lowered for k in spec.keywords)
                    and all(m.yuan < last.amount_yuan for m in parts))):
            # a part of the amount before (这1.2亿里有3000万是卖给参股公司的,他们算关联方);
            # 还有一台二手注塑机300万 adds to the part named before, a plain figure corrects it
            amount, excluded = None, sum(m.yuan for m in parts)
            if any(w in question for w in reading_cues().additive):
                excluded += last.excluded_yuan
        conditions = {**last.conditions, **self._place_only(last, question, scope),
                      **read_conditions(last.rule, self._readable(question, scope), scope.other_places,
                                        scope.inside_places)}
        if excluded and last.rule.excluded is not None:
            conditions.update(last.rule.excluded.settles)
        amount = amount if amount is not None else last.amount_yuan
        excluded = excluded if mentions else last.excluded_yuan
        if amount is not None and excluded > amount:
            excluded = 0  # a new total (另一个项目 实投4亿): the old part does not belong to it
        return replace(last, amount_yuan=amount, excluded_yuan=excluded, conditions=conditions)

    @staticmethod
    def _readable(text: str, scope: Scope) -> str:
        """The text conditions are read from: with the typos the scope judgement corrected
        (人行机器人 → 人形机器人), when it corrected any."""
        return scope.corrected if scope.corrected and len(scope.corrected) == len(text) else text

    def _carry(self, retrieval: Retrieval, state: ConversationState, step: int = 0) -> Retrieval:
        """The previous turn's article first (or its neighbour, for 下一条/上一条)."""
        carried = [self.corpus.article(d, n + step) for d, n in state.last_articles[:1]]
        first = [Hit(a, 1.0, reason="fused") for a in carried if a is not None]
        rest = [h for h in retrieval.hits if all(h.article is not f.article for f in first)]
        scope = retrieval.scope if retrieval.in_scope else replace(
            retrieval.scope, verdict="covered", reason="follow-up on the previous answer")
        return replace(retrieval, hits=first + rest, scope=scope)

    def _structure_first(self, question: str, retrieval: Retrieval) -> Retrieval | None:
        """A question about the shape of a document (chapters, 主送, a defined term, its purpose)
        answered from the article its structure points to, in the document it names (else the
        best hit's); None when the structure has no such article."""
        doc_id = retrieval.documents[0] if retrieval.documents else (
            retrieval.hits[0].article.doc_id if retrieval.hits else "")
        doc = self.corpus.document(doc_id)
        if doc is None:
            return None
        art = structure_article(question, retrieval.scope.facets, doc)
        if art is None:
            return None
        rest = [h for h in retrieval.hits if h.article is not art]
        return replace(retrieval, hits=[Hit(art, 1.0, reason="fused")] + rest)

    def _unstated(self, question: str, retrieval: Retrieval) -> Retrieval:
        """What the document a question names cannot state: the final version of a draft the
        library holds only as a draft (正式印发的文号), a year its text never mentions (到2020年
        in a text cut before its targets), a 文号 it does not carry, a specific thing only other
        documents mention — not covered; a figure its text prints as a
        placeholder (超过**EFLOPS) — answered with that gap stated."""
        doc = self.corpus.document(retrieval.documents[0]) if retrieval.documents else None
        if doc is not None:
            reason = ""
            if doc.meta.status in DRAFTS and doc.doc_id not in self.corpus.superseded_by \
                    and asks_final_version(question):
                reason = f"正式印发版本的内容(本库只有其{doc.meta.status})"
            asked = without_spans(question, retrieval.name_spans)
            others = [d for d in map(self.corpus.document, retrieval.documents[1:2]) if d is not None]
            unstated = [] if compares(question) else [
                y for y in years_unstated(asked, doc) if all(y in years_unstated(asked, d) for d in others)]
            if not reason and unstated:
                reason = f"{unstated[0]}年的内容(本库收录的文本未提及{unstated[0]}年)"
            if not reason and retrieval.scope.meta and set(retrieval.scope.facets) == {"number"} \
                    and not doc.meta.doc_number:
                reason = "文号(本库收录的文本未标注文号)"  # asked only for a 文号 it does not carry
            absent = "" if reason or others or compares(question) else self._absent_in(asked, doc, retrieval)
            if absent:
                reason = f"{absent}(本库收录的该文件文本未提及)"
            unit = "" if reason or others or compares(question) else _unit_never_used(asked, doc)
            if unit:
                reason = f"以“{unit}”计的具体数值(本库收录的该文件文本没有以{unit}计的数字)"
            if reason:
                return replace(retrieval, unstated=reason)
        own = self._place_document(question) if doc is None and not compares(question) else None
        if own is not None:  # the place asked has one document: what it never mentions, it does not state
            asked = without_spans(question, retrieval.name_spans)
            absent = self._absent_in(asked, own, retrieval)
            if absent:
                return replace(retrieval, unstated=f"{absent}(本库收录的该地文件文本未提及)")
            unit = _unit_never_used(asked, own)
            if unit:
                return replace(retrieval, unstated=f"以“{unit}”计的具体数值(本库收录的该地文件文本没有以{unit}计的数字)")
        if retrieval.hits and ASKS_COUNT.search(question) and not retrieval.scope.meta:
            clause, mark = masked_figure(retrieval.hits[0].article, without_spans(question, retrieval.name_spans))
            if mark:
                return replace(retrieval, unstated=f"{clause}的具体数值(原文以“{mark}”代替)")
        return retrieval

    def _place_document(self, question: str) -> Any:
        """The one document of the one place a question names (嵊州 → its policy), else None."""
        places = place_index(self.corpus)
        asked = places.most_specific(question)
        if len(asked) != 1:
            return None
        own = [d for d in self.corpus.documents if places.own.get(d.doc_id) == asked[0]]
        return own[0] if len(own) == 1 else None

    def _absent_in(self, question: str, doc: Any, retrieval: Retrieval) -> str:
        """A specific thing the question asks for (by its grammar, or what money is asked for)
        that the library holds elsewhere but the document the question names never mentions
        (萧山的政策意见对首版次软件奖励多少, when only another document speaks of 首版次软件): that
        document does not state it, and a neighbour must not answer for it."""
        cut = self.retriever.index.tokenizer.cut(question, search=False)
        benefit = asked_benefit(question, cut)
        asked = [*asked_things(question, cut), *(benefit.things if benefit is not None else ())]
        evidence = {e.word: e for e in retrieval.scope.words}
        text = _document_text(doc)
        # (the question comes without the spans naming documents and places)
        for word in asked:
            e = evidence.get(word)
            if (e is None or e.credit < 1.0 or e.how in ("translation", "parts")
                    or specificity().weight(word) < THING_MIN_WEIGHT
                    or ARTICLE_WORD.search(word) or word in function_words()):
                continue
            if word not in text and (not e.found or e.found not in text):
                return word
        return ""

    def _chapter(self, question: str, retrieval: Retrieval, number: int) -> Retrieval:
        """A question about a chapter (第N章) of the named document (else the best hit's): its
        first article when the library holds its text; its name from the 目录 when only the
        目录 lists it and its name or topic is asked; otherwise not covered (a partial document
        whose chapter the library does not hold, or no such chapter)."""
        doc_id = retrieval.documents[0] if retrieval.documents else (
            retrieval.hits[0].article.doc_id if retrieval.hits else "")
        doc = self.corpus.document(doc_id)
        if doc is None:
            return retrieval
        held = chapter_articles(doc, number)
        if held:
            rest = [h for h in retrieval.hits if h.article is not held[0]]
            return replace(retrieval, hits=[Hit(held[0], 1.0, reason="fused")] + rest)
        listed = listed_chapter(doc, number)
        first = doc.article(0)
        if listed and asks_chapter_topic(question) and first is not None:
            scope = replace(retrieval.scope, meta=True,
                            facets=tuple(dict.fromkeys((*retrieval.scope.facets, "chapters"))))
            rest = [h for h in retrieval.hits if h.article is not first]
            return replace(retrieval, hits=[Hit(first, 1.0, reason="fused")] + rest, scope=scope)
        if listed:  # a partial text: its 目录 lists the chapter, the library does not hold it
            return replace(retrieval, unstated=f"{listed}的条文(本库收录的文本不完整,目录列有这一章)")
        return replace(retrieval, unstated=f"第{number}章")

    def _announcement_first(self, retrieval: Retrieval) -> Retrieval:
        """A question about a document itself is answered from its announcement (article 0), or,
        for when it is in force, from the article that says so (本意见自…起施行)."""
        doc_id = retrieval.documents[0] if retrieval.documents else (
            retrieval.hits[0].article.doc_id if retrieval.hits else self.corpus.documents[0].doc_id)
        art = self.corpus.article(doc_id, 0)
        doc = self.corpus.document(doc_id)
        if doc is not None and doc.in_force and {"date", "status"} & set(retrieval.scope.facets):
            art = next((a for a in reversed(doc.articles) if a.number and EFFECTIVE.search(a.text)), art)
        if art is None:
            return retrieval
        rest = [h for h in retrieval.hits if h.article is not art]
        return replace(retrieval, hits=[Hit(art, 1.0, reason="fused")] + rest)

    def _not_provided(self, question: str, chosen: Rule | Unspecified | None,
                      retrieval: Retrieval) -> str:
        """The money a question asks for when the library does not give it: the benefit word
        comes right after a thing (购车补贴, 安家补贴, 流片费用有补贴吗) that the article the
        question would be calculated from does not mention — or no article with money does."""
        asked = asked_benefit(question, self.retriever.index.tokenizer.cut(question, search=False))
        if asked is None or not asked.things:
            return ""
        items: list[Rule | Unspecified] = [chosen] if chosen is not None \
            else [*self.rules.rules, *self.rules.unspecified]
        # the money's own sentences and the article's heading (支持用户首购首用): 上市 in
        # 上市辅导等精准服务 is not what a reward is for
        texts = [t for item in items for a in [self.corpus.article(item.doc_id, item.article)]
                 if a is not None for t in [a.title, *_money_sentences(a.text)]]
        texts += [" ".join([item.name, *item.triggers, getattr(item, "description", "")]) for item in items]
        if chosen is None:  # articles with money but no calculator (a document without rules)
            texts += [t for h in retrieval.hits[:3] if _money_sentences(h.article.text)
                      for t in [h.article.title, *_money_sentences(h.article.text)]]
        kinds = [t for item in items for t in item.triggers if len(t) >= 2]
        names = " ".join(f"{d.title} {d.meta.short_title or ''} {' '.join(d.meta.aliases)}"
                         for d in self.corpus.documents)
        for word in asked.things:  # nearest first
            if word in names:
                continue  # 按行动方案奖励多少: a document's name, not what the money is for
            if any(named_outside_exclusions(t, word) for t in texts) or any(k in word for k in kinds):
                return ""  # 落地项目有什么资助: 项目 is what the article funds; 控制软件 is a 软件
            least = THING_MIN_WEIGHT if chosen is not None else THING_MIN_WEIGHT_UNCHOSEN
            if specificity().weight(word) >= least and not ARTICLE_WORD.search(word) \
                    and word not in function_words():
                return asked.phrase(word)  # 房租补贴, 流片(费用)补贴, (新能源)汽车补贴
        return ""

    def _absent_thing(self, question: str, retrieval: Retrieval) -> str:
        """The thing a question asks about (标准号是多少, 去哪里申请空域) when the library has no
        trace of it (no verbatim, synonym, bridge or typo match) and it is specific: whatever else
        the question shares with an article, the policy does not give what is asked."""
        asked = asked_things(question, self.retriever.index.tokenizer.cut(question, search=False))
        evidence = {e.word: e for e in retrieval.scope.words}
        for word in asked:
            e = evidence.get(word)
            if e is not None and e.credit == 0 and e.weight >= ASKED_THING_MIN_WEIGHT:
                return word
        return ""

    def _choose(self, question: str, retrieval: Retrieval) -> Rule | Unspecified | None:
        """The calculator (or amount-less article) a money question is about: the rule whose
        article retrieval ranks highest, words of the rule in the question counting as one place
        up. Only the named document's rules when the question names one; a replaced document's
        rules only when it is named."""
        rank = {(h.article.doc_id, h.article.number): i for i, h in enumerate(retrieval.hits)}
        replaced = self.corpus.superseded_by
        named = retrieval.documents[:1]
        top = retrieval.hits[0].article if retrieval.hits else None
        if not named and top is not None and _states_figures(top.text):
            # The best article states its own figures: another document's calculator (or its
            # "no amount" article) must not answer for it.
            named = [top.doc_id]
        best: tuple[float, Rule | Unspecified] | None = None
        candidates: list[Rule | Unspecified] = [*self.rules.rules, *self.rules.unspecified]
        for item in candidates:
            if named and item.doc_id not in named:
                continue
            if item.doc_id in replaced and item.doc_id not in named:
                continue
            r = rank.get((item.doc_id, item.article))
            score = (RULE_RANK_SCORES[r] if r is not None and r < len(RULE_RANK_SCORES) else 0.0) \
                + (RULE_TRIGGER_SCORE if trigger_hits(item, question) else 0.0)
            if score >= RULE_MIN_SCORE and (best is None or score > best[0]):
                best = (score, item)
        return best[1] if best else None

    # -- public API --------------------------------------------------------------------------
    def ask(self, question: str, conversation: Conversation | None = None) -> Answer:
        """Answer one question (in a conversation when given); raises InvalidQuestionError for
        unusable input and AmountError for an impossible amount."""
        state = conversation.snapshot() if conversation is not None else None
        with self._lane(question):
            prepared = self._steps(Turn(question, state))
            answer = self.compose(prepared)
        if conversation is not None:
            conversation.record(answer.question, answer, prepared.request)
        return answer

    def ask_stream(self, question: str,
                   conversation: Conversation | None = None) -> Iterator[str | Answer]:
        """Text chunks as a language model writes them (none without one), then the Answer."""
        state = conversation.snapshot() if conversation is not None else None
        with self._lane(question):
            prepared = self._steps(Turn(question, state))
        answer: Answer | None = None
        for item in self.composer.stream(prepared.context):
            if isinstance(item, Answer):
                answer = item
            else:
                yield item
        assert answer is not None
        if conversation is not None:
            conversation.record(answer.question, answer, prepared.request)
        yield answer

    def _lane(self, question: Any) -> Any:
        """The long lane (a lock) for a long question, nothing for a normal one."""
        long = isinstance(question, str) and len(focus(question)) > LONG_QUESTION_CHARS
        return self._long_lane if long else nullcontext()

    def calculate(self, key: str, amount_yuan: int | None = None, excluded_yuan: int = 0,
                  conditions: dict[str, bool | None] | None = None) -> Calculation:
        """Run a calculator of this assistant's rule book by id or alias (the one entry point of
        tools, the CLI and the web forms). Conditions given as None count as unknown."""
        rule = self.rules.get(key)
        known = {k: v for k, v in (conditions or {}).items() if v is not None}
        return calculate(rule, amount_yuan, excluded_yuan, known)


ASKED_UNIT = pattern("asked_unit")
_FIGURE = pattern("figure_before_unit").pattern


def _document_text(doc: Any) -> str:
    """A document's title and the text of all its articles (what it states at all)."""
    return "\n".join([doc.title, *(a.text for a in doc.articles)])


def _unit_never_used(question: str, doc: Any) -> str:
    """The unit a question asks a figure in (多少万元, 几家) when the named document's text has no
    figure in that unit at all (a page cut before its amounts, 力争5年内有 家特色小镇): it does not
    state the figure, and another document must not answer for it."""
    m = ASKED_UNIT.search(question)
    if m is None:
        return ""
    unit = m.group(1)
    text = _document_text(doc)
    return "" if re.search(_FIGURE + re.escape(unit), text, re.IGNORECASE) else unit


_RATIO = pattern("ratio")


def _states_figures(text: str) -> bool:
    """Does an article state an amount or a ratio of its own?"""
    return bool(_RATIO.search(text)) or any(m.currency == "CNY" for m in find_amounts(text))


def make_assistant(settings: Settings | None = None,
                   progress: Callable[[str, int, int], None] | None = None) -> Assistant:
    """An assistant from settings (the config file and environment by default)."""
    return Assistant(settings=settings or load_settings(), progress=progress)

