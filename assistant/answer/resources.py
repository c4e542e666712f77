"""The resources an assistant answers from, built lazily and rebuilt together: the embeddings,
the index (opened, and synced with the corpus, on first use), the corpus, the retriever, the
政策体检 matcher and the rule book — and `reload`/`open_ready` to pick up a changed library."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Callable

from ..calc.calculators import RuleBook, rulebook_for
from ..config import Settings
from ..index.encoders import Encoder, query_encoder
from ..index.policy_index import PolicyIndex, Progress, open_index
from ..ingest.corpus import Corpus
from ..retrieve.retrieval import FusionRetriever

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings

    from ..match.matching import Matcher


class Resources:
    """One library's resources, each made on first use (a lock guards them: many questions may
    ask at once)."""

    def __init__(self, settings: Settings, embeddings: Embeddings | None = None,
                 index: PolicyIndex | None = None, progress: Progress | None = None) -> None:
        self.settings = settings
        self._embeddings = embeddings
        self.encoder: Encoder = embeddings or query_encoder(self.settings) or self.embeddings
        """What the index and retrieval embed with: the embeddings given, else the backend without
        LangChain when it has such a form (a cold answer then never imports LangChain's
        `Embeddings`), else `embeddings`."""
        self.progress = progress
        self._index = index
        self._retriever: FusionRetriever | None = None
        self._matcher: Matcher | None = None
        self._lock = threading.Lock()

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
                self._retriever = FusionRetriever(index, self.encoder,
                                                  measures=[r.phrases for r in self.rules.rules])
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


__all__ = ["Resources"]
