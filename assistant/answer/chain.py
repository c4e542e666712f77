"""The answer chain (LCEL): route → retrieve → calculate → compose, each step a function from one
frozen value to the next; the conversation is read once at the start (a snapshot) and updated once
at the end (`Conversation.record`).

`Assistant` is the facade: it keeps the steps and the API (ask, ask_stream, calculate) and draws
on collaborators, one idea each — `resources.Resources` (the index, corpus, retriever, matcher and
rules, built lazily and reloaded together), `followups.FollowUps` (how a question leans on the
previous turn) and `choice.DocumentChoice` (which passage or document answers, and what a named
document cannot state). The composer is a swappable step, so a language-model composer plugs in
without touching retrieval.
"""

from __future__ import annotations

import re
import threading
from contextlib import nullcontext
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Callable, Iterator

from ..calc.calculators import (Request, Rule, RuleBook, Unspecified, asks_about_money, calculate,
                                deciding_conditions, excluded_kinds, excluded_parts, read_amounts, read_conditions,
                                listed_part, read_count, read_items, trigger_hits, unmet_condition)
from ..config import Settings, load_settings
from ..errors import InvalidQuestionError
from ..index.encoders import Encoder
from ..index.policy_index import PolicyIndex, Progress
from ..ingest.corpus import Corpus
from ..ingest.structure import STRUCTURE_FACETS, chapter_reference
from ..lang.amounts import find_amounts, format_yuan
from ..lang.cues import pattern
from ..lang.language import Said, question_language
from ..lang.reading import actual_amounts, estimated, stated_amounts
from ..lang.script import simplified
from ..lang.text import well_formed
from ..models import Answer, Calculation, Clarification, Route
from ..retrieve.retrieval import FusionRetriever, Retrieval
from .choice import DocumentChoice
from .compose import Composer, Context, ExtractiveComposer
from .conversation import Conversation, ConversationState, FollowUp, leans_on_previous, relative_step, yes_no
from .followups import FollowUps, readable
from .resources import Resources

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings
    from langchain_core.runnables import Runnable

    from ..match.matching import Matcher, MatchResult

MAX_QUESTION_CHARS = 2000
"""Longer questions are refused with a clear message."""
MATCH_QUESTION = pattern("asks_which_policies")
"""An enterprise describing itself and asking what it can claim: a 政策体检 from the question."""

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
_CEILING_ASKED = pattern("ceiling_asked")
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


FEEDBACK_FACETS = frozenset({"consultation", "contact"})
"""Facets of a question about commenting on a draft: answered from its notice, also when the
question names the article commented on."""


def _about_feedback(retrieval: Retrieval) -> bool:
    """The question asks only about commenting on the draft (我们对第6条有修改意见,反馈给哪个处室): the
    article it names is what the comments are on, the notice says where they go."""
    facets = set(retrieval.scope.facets)
    return bool(facets) and facets <= FEEDBACK_FACETS


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
        self.resources = Resources(self.settings, embeddings, index, progress)
        self.follow_ups = FollowUps(self.resources)
        self.choice = DocumentChoice(self.resources)
        self.rewriter = rewriter
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

    # -- resources (see `resources.Resources`) -------------------------------------------------
    @property
    def encoder(self) -> Encoder:
        return self.resources.encoder

    @property
    def embeddings(self) -> Embeddings:
        return self.resources.embeddings

    @property
    def index(self) -> PolicyIndex:
        return self.resources.index

    @property
    def corpus(self) -> Corpus:
        return self.resources.corpus

    @property
    def retriever(self) -> FusionRetriever:
        return self.resources.retriever

    @property
    def matcher(self) -> Matcher:
        return self.resources.matcher

    @property
    def rules(self) -> RuleBook:
        return self.resources.rules

    def open_ready(self) -> bool:
        return self.resources.open_ready()

    def warm(self) -> None:
        """What a server does before its first question: the retriever's one-time costs (at 200
        documents ~60 ms of the first questions' latency otherwise)."""
        self.retriever.warm()

    def reload(self, progress: Callable[[str, int, int], None] | None = None) -> None:
        self.resources.reload(progress)

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
        follow = self.follow_ups.kind(routed.state, routed.search, retrieval)
        if follow in ("article", "step", "calculation") and state is not None:
            retrieval = self.follow_ups.carry(retrieval, state, relative_step(routed.question) if follow == "step" else 0)
        elif not retrieval.references and not retrieval.scope.other_places \
                and (listed := self.choice.money_articles(routed.search, retrieval)) is not None:
            retrieval = listed
            routed = replace(routed, route="lookup")  # a list of articles, not an amount to compute
        elif retrieval.in_scope and not retrieval.references \
                and chapter_reference(routed.search) is not None:
            retrieval = self.choice.chapter(routed.search, retrieval, chapter_reference(routed.search) or 0)
        elif retrieval.in_scope and not retrieval.references \
                and set(retrieval.scope.facets) & set(STRUCTURE_FACETS) \
                and self.choice.structure_first(routed.search, retrieval) is not None:
            retrieval = self.choice.structure_first(routed.search, retrieval)  # type: ignore[assignment]
        elif retrieval.scope.meta and retrieval.in_scope and (not retrieval.references or _about_feedback(retrieval)):
            # (我们对第6条有修改意见,反馈给哪个处室: the article is what the comments are on; the
            # notice says where they go)
            retrieval = self.choice.announcement_first(retrieval, routed.search)
        if follow is None and retrieval.in_scope and not retrieval.references:
            retrieval = self.choice.unstated(routed.search, retrieval)
        route: Route = "meta" if retrieval.scope.meta and follow is None \
            and (not retrieval.references or _about_feedback(retrieval)) and routed.route != "match" else routed.route
        return Retrieved(replace(routed, route=route), retrieval, follow)

    def _without_amount(self, request: Request, retrieval: Retrieval, search: str) \
            -> tuple[Request, Retrieval, list[str]]:
        """A measure asked about without its amount: a stated fact that rules it out (工业机器人
        首台套(不是人形的)补助比例: with the figure asked as a gap), the ceiling when it is asked
        (最多能奖多少, 封顶多少), else a request for the amount."""
        chosen = request.rule
        failed = unmet_condition(chosen, request.conditions)
        if failed is not None:
            gap = self.choice.figure_asked(search)
            if gap:
                retrieval = replace(retrieval, scope=replace(retrieval.scope, gaps=(*retrieval.scope.gaps, gap)))
            return request, retrieval, list(failed[1])
        if chosen.cap_yuan is not None and _CEILING_ASKED.search(search):
            return replace(request, ceiling_asked=True), retrieval, []
        return request, retrieval, [Said(f"如需计算具体金额,请提供{chosen.amount_label}"
                                         f"(例如“{chosen.amount_label}3000万元”)。", "chain.amount_needed",
                                         label=chosen.amount_label)]

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
            not_provided = "" if retrieval.references else self.choice.not_provided(
                readable(routed.search, retrieval.scope), state.last_request.rule, retrieval)
            gap = self.choice.referenced_figure(routed.search)
            if gap:  # 桐庐县自己有没有专项招引政策 给多少: a policy the library only refers to
                retrieval = replace(retrieval, scope=replace(retrieval.scope, gaps=(*retrieval.scope.gaps, gap)))
            elif not not_provided:
                # 评上还有额外多少奖励 for 参评人工智能标杆示范项目: money the measure does not give
                request = self.follow_ups.updated(state.last_request, routed.search, retrieval.scope)
        elif routed.route == "match":
            match = self.matcher.match_text(routed.search, retrieval.scope.other_places)
            if retrieval.in_scope and retrieval.hits and retrieval.scope.anchor >= self.retriever.judge.params.anchor_min:
                # (…产品要是认定了首台套,按这个意见享受什么政策: the measure the question names first)
                top = (retrieval.hits[0].article.doc_id, retrieval.hits[0].article.number)
                match = replace(match, items=sorted(match.items, key=lambda i: (i.doc_id, i.article) != top))
        elif routed.route == "amount" and retrieval.in_scope:
            chosen = self.choice.choose(routed.search, retrieval)
            if follow in ("article", "step") and chosen is not None and retrieval.hits \
                    and not trigger_hits(chosen, routed.search) and (chosen.doc_id, chosen.article) != (
                        retrieval.hits[0].article.doc_id, retrieval.hits[0].article.number):
                chosen = None  # 补多少 after 第14条: that article's money (none stated), not another's
            not_provided = "" if retrieval.references else (
                self.choice.not_provided(readable(routed.search, retrieval.scope), chosen, retrieval)
                or self.choice.figure_of_absent(readable(routed.search, retrieval.scope), retrieval))
            if not_provided:
                chosen = None
            gap = self.choice.referenced_figure(routed.search)
            if chosen is not None and gap:
                # 智能物联产业奖补政策 首台套具体补多少: the figure of a policy the library only refers
                # to is not in its text
                chosen = None
                retrieval = replace(retrieval, scope=replace(retrieval.scope, gaps=(*retrieval.scope.gaps, gap)))
            if isinstance(chosen, Unspecified):
                calc_article = self.corpus.article(chosen.doc_id, chosen.article)
                notes.append(Said(f"{chosen.text}具体标准请咨询责任单位。", "chain.unspecified", text=chosen.text))
            elif isinstance(chosen, Rule):
                mentions = actual_amounts(routed.search, stated_amounts(routed.search))
                foreign = [m for m in find_amounts(routed.search) if m.currency != "CNY"]
                amount, excluded, roles = read_amounts(chosen, routed.search, mentions)
                part = listed_part(chosen, routed.search, mentions)
                if part is not None and amount is not None and part < amount:
                    # 采购150万,其中智能芯片100万、减速器50万: the listed products' part counts
                    notes.append(Said(f"采购额{format_yuan(amount)}中,只有所列产品的{format_yuan(part)}计入"
                                      f"(第{chosen.article}条所列以外的产品不计)。", "chain.listed_part",
                                      total=amount, part=part, article=chosen.article))
                    amount = part
                conditions = read_conditions(chosen, readable(routed.search, retrieval.scope),
                                             retrieval.scope.other_places, retrieval.scope.inside_places)
                carried = self.follow_ups.stated_before(chosen, conditions, state, retrieval.scope)
                notes += [Said(f"沿用前面对话中的说明:“{c.label}”按“{'是' if v else '否'}”计算。",
                               "chain.carried", label=c.label, value=v)
                          for c in chosen.conditions for n, v in carried.items() if c.name == n]
                conditions.update(carried)
                if amount and chosen.excluded is not None and (
                        excluded or {"excluded", "base"} <= set(roles) or {"excluded", "main"} <= set(roles)):
                    # the rest is what counts — also when the part is named beside sales already
                    # without it (卖给无关联的客户150万,另外卖给关联方200万)
                    conditions.update(chosen.excluded.settles)
                request = Request(rule=chosen, amount_yuan=amount, excluded_yuan=excluded, conditions=conditions,
                                  count=read_count(chosen, routed.search), items=read_items(chosen, routed.search),
                                  excluded_kinds=excluded_kinds(chosen, routed.search) if excluded else frozenset(),
                                  excluded_parts=excluded_parts(chosen, routed.search, mentions, roles)
                                  if excluded else (),
                                  amount_is_base=bool(amount) and roles.count("base") == 1 and not excluded
                                  and "main" not in roles)
                calc_article = self.corpus.article(chosen.doc_id, chosen.article)
                if foreign and amount is None:
                    notes.append(Said(f"问题中的金额“{foreign[0].text}”不是人民币:政策的金额以人民币(元)计,"
                                      f"请换算成人民币后再计算。", "chain.foreign", amount=foreign[0].text))
                elif chosen.needs_amount and amount is None and not retrieval.scope.gaps:
                    request, retrieval, said = self._without_amount(request, retrieval, routed.search)
                    notes += said
        if retrieval.unstated and follow is None and match is None and request is None:
            not_provided = retrieval.unstated
        if not not_provided and follow is None and retrieval.in_scope and not retrieval.references \
                and match is None and not retrieval.scope.meta \
                and (request is None or (request.amount_yuan is None and self.choice.figure_asked(routed.search))):
            # (a money question with no amount to compute that asks for a figure may ask it of a
            # thing the text lacks: 首台套 贷款贴息 利率是多少)
            not_provided = self.choice.absent_thing(readable(routed.search, retrieval.scope), retrieval)
        if not not_provided and follow is None and retrieval.in_scope and not retrieval.references \
                and match is None and not retrieval.scope.meta and (request is None or request.amount_yuan is None):
            # (参加国内展会有补贴吗: 第14条 is for 国际专业展会)
            not_provided = self.choice.opposite_of_cited(readable(routed.search, retrieval.scope), retrieval)
        calculation: Calculation | None = None
        clarification: Clarification | None = None
        if request is not None and request.ready:
            calculation = request.run()
            notes += _on_the_guess(routed.search, calculation)
            calc_article = self.corpus.article(request.rule.doc_id, request.rule.article)
            if state is not None and not request.ceiling_asked:
                deciding = deciding_conditions(request.rule, request.amount_yuan,
                                               request.excluded_yuan, request.conditions)
                if deciding:
                    clarification = Clarification(deciding[0].name, deciding[0].question)
        if calculation is None and match is None and follow in (None, "article", "step") and not not_provided \
                and retrieval.in_scope and not retrieval.scope.meta:
            gap = self.choice.figure_not_given(readable(routed.search, retrieval.scope), retrieval)
            if gap and gap not in retrieval.scope.gaps:  # 概念验证中心最高补助多少: 按规定予以补助
                retrieval = replace(retrieval, scope=replace(retrieval.scope, gaps=(*retrieval.scope.gaps, gap)))
        route: Route = "amount" if calculation is not None else routed.route
        previous = state.history[-1][1].lang if state is not None and state.history else "zh"
        ctx = Context(question=routed.search, retrieval=retrieval, corpus=self.corpus, route=route,
                      asked=routed.question, calculation=calculation, calc_article=calc_article,
                      notes=tuple(notes), clarification=clarification, carried=follow in ("article", "step"),
                      match=match, not_provided=not_provided,
                      lang=question_language(routed.question, previous))  # type: ignore[arg-type]
        return Prepared(ctx, request, follow)

    def compose(self, prepared: Prepared) -> Answer:
        return self.composer(prepared.context)

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


def _on_the_guess(question: str, calculation: Calculation) -> list[Said]:
    """What the calculation says of the asker's own estimate (卖了2亿 是不是能拿400万): the same, or
    not — a caller checking a figure hears which. Nothing when the question guesses none."""
    guesses = [m for m in find_amounts(question) if m.currency == "CNY" and m.yuan and estimated(question, m)]
    if not guesses or calculation.amount_unset:
        return []
    guess = guesses[-1].yuan
    if guess == calculation.amount_yuan:
        return [Said(f"您估算的{format_yuan(guess)}与按条文计算的金额一致。", "chain.guess_same", guess=guess)]
    return [Said(f"您估算的{format_yuan(guess)}与按条文计算的金额不一致:按条文计算为{format_yuan(calculation.amount_yuan)},"
                 f"以上面的计算为准。", "chain.guess_differs", guess=guess, amount=calculation.amount_yuan)]


def make_assistant(settings: Settings | None = None,
                   progress: Callable[[str, int, int], None] | None = None) -> Assistant:
    """An assistant from settings (the config file and environment by default)."""
    return Assistant(settings=settings or load_settings(), progress=progress)

