"""The answer chain (LCEL): validate → route → retrieve → calculate → compose.

`Assistant` opens (and if needed builds) the index once and answers questions; the composer is a
swappable step, so a language-model composer plugs in without touching retrieval.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from langchain_core.embeddings import Embeddings
from langchain_core.runnables import Runnable, RunnableLambda

from .compose import Composer, Context, ExtractiveComposer
from .config import Settings, load_settings
from .embeddings import make_embeddings
from .errors import InvalidQuestionError
from .index import PolicyIndex, Progress, open_index
from .models import Answer
from .retrieval import PolicyRetriever

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
class Turn:
    """What the chain carries from step to step."""

    question: str
    route: str = "lookup"
    context: Context | None = None
    state: dict[str, Any] = field(default_factory=dict)


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
        self.composer: Composer = composer or ExtractiveComposer()
        self.chain: Runnable = (RunnableLambda(self._route, name="route")
                                | RunnableLambda(self._retrieve, name="retrieve")
                                | RunnableLambda(self._compose, name="compose"))

    # -- chain steps -------------------------------------------------------------------------
    def _route(self, turn: Turn) -> Turn:
        turn.question = validate_question(turn.question)
        turn.route = "lookup"
        return turn

    def _retrieve(self, turn: Turn) -> Turn:
        retrieval = self.retriever.retrieve(turn.question)
        turn.context = Context(turn.question, retrieval, self.index)
        return turn

    def _compose(self, turn: Turn) -> Answer:
        assert turn.context is not None
        return self.composer(turn.context)

    # -- public API --------------------------------------------------------------------------
    def ask(self, question: str) -> Answer:
        """Answer one question; raises InvalidQuestionError for unusable input."""
        return self.chain.invoke(Turn(question))


def make_assistant(settings: Settings | None = None,
                   progress: Callable[[str, int, int], None] | None = None) -> Assistant:
    """An assistant from settings (the config file and environment by default)."""
    return Assistant(settings=settings, progress=progress)
