"""`PolicyRetriever`: the fused retrieval of `retrieval.FusionRetriever` as a LangChain retriever
(`invoke(question, k=…)` → one LangChain document per article, best first). Kept apart so that
answering a question does not import LangChain's runnables."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LCDocument
from langchain_core.embeddings import Embeddings
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from ..index.policy_index import PolicyIndex
from ..models import Hit
from .retrieval import LEXICAL_WEIGHT, FusionRetriever, Ranking, Retrieval
from .scope import Scope, ScopeJudge, ScopeParams

__all__ = ["PolicyRetriever", "hit_document"]


class PolicyRetriever(BaseRetriever):
    """Fuses BM25 and dense evidence per article; refuses questions the library does not cover.

    `invoke(question, k=…)` returns LangChain documents (one per article, best first) and an
    empty list for a question outside the library; `retrieve()` returns the full `Retrieval`.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True, extra="forbid")
    """Unknown keywords fail (`coverage_threshold=0.0` was once silently dropped)."""

    index: PolicyIndex
    """The opened index."""
    embeddings: Embeddings
    """The same embeddings the index was built with."""
    k: int = 4
    """Articles returned when a call does not say."""
    lexical_weight: float = LEXICAL_WEIGHT
    """Weight of BM25 evidence in the fused score."""
    scope_params: ScopeParams | None = None
    """Constants of the scope judgement (defaults: `ScopeParams()`)."""

    def model_post_init(self, __context: Any) -> None:
        self._fusion = FusionRetriever(self.index, self.embeddings, k=self.k,
                                       lexical_weight=self.lexical_weight, scope_params=self.scope_params)

    def _current(self) -> FusionRetriever:
        """The fusion with this retriever's fields as they are now (they may be reassigned)."""
        fusion = self._fusion
        fusion.k, fusion.lexical_weight = self.k, self.lexical_weight
        return fusion

    @property
    def judge(self) -> ScopeJudge:
        return self._fusion.judge

    def rank(self, question: str, scope: Scope | None = None,
             skip: tuple[tuple[int, int], ...] = ()) -> tuple[Ranking, Scope]:
        """See `FusionRetriever.rank`."""
        return self._current().rank(question, scope, skip)

    def retrieve(self, question: str, k: int | None = None) -> Retrieval:
        """Ranked articles with the fused evidence and the scope verdict."""
        return self._current().retrieve(question, k)

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun,
                                k: int | None = None) -> list[LCDocument]:
        result = self.retrieve(query, k)
        return [hit_document(h, self.index.doc_titles.get(h.article.doc_id, "")) for h in result.hits]


def hit_document(hit: Hit, doc_title: str) -> LCDocument:
    """A LangChain document for one hit (the article text, its identity and evidence)."""
    a = hit.article
    return LCDocument(page_content=a.text, metadata={
        "doc_id": a.doc_id, "doc_title": doc_title, "article": a.number, "article_label": a.ref,
        "title": a.title, "departments": list(a.departments), "score": hit.score,
        "lexical": hit.lexical, "dense": hit.dense, "reason": hit.reason})
