"""The answer chain (LCEL): validate → route → retrieve → calculate → compose.

`Assistant` opens (and if needed builds) the index once and answers questions; the composer is a
swappable step, so a language-model composer plugs in without touching retrieval.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

from langchain_core.embeddings import Embeddings
from langchain_core.runnables import Runnable, RunnableLambda

from .amounts import find_amounts
from .calculators import (Request, Rule, RuleBook, Unspecified, asks_about_money, read_conditions,
                          rulebook_for, split_amounts, trigger_hits)
from .compose import Composer, Context, ExtractiveComposer
from .config import Settings, load_settings
from .embeddings import make_embeddings
from .errors import InvalidQuestionError
from .index import PolicyIndex, Progress, open_index
from .models import Answer
from .retrieval import PolicyRetriever, Retrieval

FOLLOW_UP = re.compile(r"^(那|那么|如果|要是|假如|假设|若|换成|改成|改为|再问)|呢\s*[?？]?\s*$|^what if",
                       re.IGNORECASE)

MAX_QUESTION_CHARS = 2000


def validate_question(question: Any) -> str:
    """The question stripped; InvalidQuestionError when empty or too long."""
    if not isinstance(question, str):
        raise InvalidQuestionError("the question must be text")
    q = question.strip()
    if not q:
        raise InvalidQuestionError("the question is empty: type a question about the policy")
    if len(q) > MAX_QUESTION_CHARS:
        raise InvalidQuestionError(f"the question is {len(q)} characters long; "
                                   f"the limit is {MAX_QUESTION_CHARS}")
    return q


@dataclass
class Conversation:
    """State kept across turns: follow-ups such as “那如果销售额是8亿呢?” re-run the last calculator."""

    last_request: Request | None = None
    """The calculation the previous turns asked for."""
    history: list[tuple[str, Answer]] = field(default_factory=list)
    """(question, answer) pairs, oldest first."""

    def reset(self) -> None:
        self.last_request = None
        self.history.clear()


@dataclass
class Turn:
    """What the chain carries from step to step."""

    question: str
    conversation: Conversation | None = None
    route: str = "lookup"
    """`amount` when the question asks about money, else `lookup`."""
    retrieval: Retrieval | None = None
    context: Context | None = None
    search_question: str = ""
    """The question used for retrieval (a model may rewrite a follow-up into a standalone one)."""


class Assistant:
    """Answers questions about the corpus with citations (and, for amounts, calculations)."""

    def __init__(self, settings: Settings | None = None, embeddings: Embeddings | None = None,
                 composer: Composer | None = None, index: PolicyIndex | None = None,
                 progress: Progress | None = None) -> None:
        self.settings = settings or load_settings()
        self.embeddings = embeddings or make_embeddings(self.settings)
        if index is None:
            kwargs = {"progress": progress} if progress else {}
            index = open_index(self.settings, self.embeddings, **kwargs)
        self.index = index
        self.retriever = PolicyRetriever(index=index, embeddings=self.embeddings)
        self.rules: RuleBook = rulebook_for(self.settings.corpus_dir)
        self.rewriter: Callable[[str, list[tuple[str, Answer]]], str] | None = None
        if composer is None and self.settings.llm_base_url:
            from .llm import LLMComposer, QuestionRewriter, make_chat_model

            model = make_chat_model(self.settings)
            composer = LLMComposer(model)
            self.rewriter = QuestionRewriter(model)
        self.composer: Composer = composer or ExtractiveComposer()
        self.prepare: Runnable = (RunnableLambda(self._route, name="route")
                                  | RunnableLambda(self._retrieve, name="retrieve")
                                  | RunnableLambda(self._calculate, name="calculate"))
        self.chain: Runnable = self.prepare | RunnableLambda(self._compose, name="compose")

    # -- chain steps -------------------------------------------------------------------------
    def _route(self, turn: Turn) -> Turn:
        turn.question = validate_question(turn.question)
        turn.search_question = turn.question
        conv = turn.conversation
        if self.rewriter is not None and conv is not None and conv.history \
                and (FOLLOW_UP.search(turn.question) or len(turn.question) <= 20):
            turn.search_question = self.rewriter(turn.question, conv.history)
        turn.route = "amount" if asks_about_money(turn.search_question) else "lookup"
        return turn

    def _retrieve(self, turn: Turn) -> Turn:
        turn.retrieval = self.retriever.retrieve(turn.search_question)
        turn.context = Context(turn.search_question, turn.retrieval, self.index,
                               asked=turn.question)
        return turn

    def _choose(self, question: str, retrieval: Retrieval) -> Rule | Unspecified | None:
        """The calculator (or amount-less article) a money question is about: the retrieved
        article ranked highest among those whose rule words the question uses."""
        if not retrieval.in_scope:
            return None
        rank = {(h.article.doc_id, h.article.number): i for i, h in enumerate(retrieval.hits)}
        scored = []
        for item in [*self.rules.rules, *self.rules.unspecified]:
            hits, r = trigger_hits(item, question), rank.get((item.doc_id, item.article))
            if hits or r == 0:
                scored.append((r if r is not None else len(rank) + 1, -hits, item))
        scored.sort(key=lambda t: (t[0], t[1]))
        return scored[0][2] if scored else None

    def _follow_up(self, question: str, conv: Conversation | None) -> Request | None:
        """A follow-up to the last calculation: new figures or facts, and no other topic."""
        if conv is None or conv.last_request is None:
            return None
        last = conv.last_request
        if any(trigger_hits(r, question) for r in self.rules.rules if r.id != last.rule.id):
            return None
        mentions = find_amounts(question)
        conds = read_conditions(last.rule, question)
        standalone = trigger_hits(last.rule, question) > 0 and not FOLLOW_UP.search(question)
        if not (mentions or conds) or standalone \
                or not (FOLLOW_UP.search(question) or len(question) <= 20):
            return None
        amount, excluded = split_amounts(last.rule, question, mentions)
        return Request(last.rule,
                       amount if amount is not None else last.amount_yuan,
                       excluded if mentions else last.excluded_yuan,
                       {**last.conditions, **conds})

    def _calculate(self, turn: Turn) -> Turn:
        ctx, retrieval = turn.context, turn.retrieval
        assert ctx is not None and retrieval is not None
        request = self._follow_up(turn.question, turn.conversation)
        question = turn.search_question
        if request is None and turn.route == "amount":
            chosen = self._choose(question, retrieval)
            if isinstance(chosen, Unspecified):
                ctx.calc_article = self.index.article(chosen.doc_id, chosen.article)
                ctx.extra_notes.append(f"{chosen.text}具体标准请咨询责任单位。")
            elif isinstance(chosen, Rule):
                mentions = find_amounts(question)
                amount, excluded = split_amounts(chosen, question, mentions)
                request = Request(chosen, amount, excluded, read_conditions(chosen, question))
                if chosen.needs_amount and amount is None:
                    ctx.extra_notes.append(f"如需计算具体金额,请提供{chosen.amount_label}"
                                           f"(例如“{chosen.amount_label}3000万元”)。")
                    if turn.conversation is not None:
                        turn.conversation.last_request = request
                    request = None
        if request is not None and (request.amount_yuan is not None or not request.rule.needs_amount):
            ctx.calculation = request.run()
            ctx.calc_article = self.index.article(request.rule.doc_id, request.rule.article)
            turn.route = "amount"
            if turn.conversation is not None:
                turn.conversation.last_request = request
        return turn

    def _compose(self, turn: Turn) -> Answer:
        assert turn.context is not None
        return self.composer(turn.context)

    # -- public API --------------------------------------------------------------------------
    def ask(self, question: str, conversation: Conversation | None = None) -> Answer:
        """Answer one question (in a conversation when given); raises InvalidQuestionError for
        unusable input and AmountError for an impossible amount."""
        answer = self.chain.invoke(Turn(question, conversation))
        if conversation is not None:
            conversation.history.append((answer.question, answer))
        return answer

    def ask_stream(self, question: str,
                   conversation: Conversation | None = None) -> Iterator[str | Answer]:
        """Text chunks as a language model writes them (none without one), then the Answer."""
        turn = self.prepare.invoke(Turn(question, conversation))
        assert turn.context is not None
        stream = getattr(self.composer, "stream", None)
        answer: Answer | None = None
        if stream is None:
            answer = self.composer(turn.context)
        else:
            for item in stream(turn.context):
                if isinstance(item, Answer):
                    answer = item
                else:
                    yield item
        assert answer is not None
        if conversation is not None:
            conversation.history.append((answer.question, answer))
        yield answer


def make_assistant(settings: Settings | None = None,
                   progress: Callable[[str, int, int], None] | None = None) -> Assistant:
    """An assistant from settings (the config file and environment by default)."""
    return Assistant(settings=settings, progress=progress)
