"""Data classes shared across the package: documents, articles, hits, citations and answers."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Article:
    """One numbered article of a policy document (number 0 is the text before the first article)."""

    doc_id: str
    """Identifier of the document the article belongs to."""
    number: int
    """The article's own number; 0 for the announcement / preamble."""
    title: str
    """Heading phrase: the text before the first 。 (shortened when the article has no heading)."""
    text: str
    """The article exactly as written in the source, without its number marker."""
    departments: tuple[str, ...] = ()
    """Responsible departments, from `(责任单位:…)`."""
    label: str = ""
    """How the source numbers it (`2、`, `第二条`, `一(二)`), for display."""
    section: str = ""
    """Heading of the enclosing section when articles are nested under `一、`."""

    @property
    def display(self) -> str:
        """`第3条 加强核心零部件…` style name."""
        return f"第{self.number}条 {self.title}" if self.number else self.title


@dataclass
class Document:
    """A policy document from `corpus/` with its metadata and parsed articles."""

    doc_id: str
    """Stable identifier (metadata `doc_id`, else the file stem)."""
    title: str
    """Full title shown in citations."""
    path: str
    """Path of the source text."""
    articles: list[Article]
    """Articles in source order, article 0 first when present."""
    meta: dict[str, Any] = field(default_factory=dict)
    """Everything from the metadata file (status, dates, contact, jurisdiction, …)."""

    def article(self, number: int) -> Article | None:
        """The article with that number, or None."""
        for art in self.articles:
            if art.number == number:
                return art
        return None

    @property
    def status(self) -> str:
        """Document status, e.g. 征求意见稿."""
        return str(self.meta.get("status", ""))

    @property
    def contact(self) -> str:
        """Contact named in the announcement, used when a question is not covered."""
        return str(self.meta.get("contact", ""))


@dataclass(frozen=True)
class Chunk:
    """A piece of an article that is embedded and indexed."""

    chunk_id: str
    doc_id: str
    article: int
    text: str


@dataclass
class Hit:
    """An article retrieved for a question, with the evidence that ranked it."""

    article: Article
    score: float
    """Fused score in [0, 1] (1.0 for an explicit reference)."""
    lexical: float = 0.0
    """Normalised BM25 evidence."""
    dense: float = 0.0
    """Normalised embedding-similarity evidence."""
    reason: str = "fused"
    """`reference` when the question named the article, else `fused`."""


@dataclass
class Citation:
    """A cited article with a verbatim quote, as in CONTRACT.md."""

    doc_id: str
    doc_title: str
    article: int
    title: str
    quote: str
    departments: list[str]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Calculation:
    """A deterministic calculator's result, as in CONTRACT.md."""

    tool: str
    doc_id: str
    article: int
    inputs: dict[str, Any]
    eligible: bool
    amount_yuan: int
    cap_yuan: int | None
    steps: list[str]
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Answer:
    """What the assistant says to one question."""

    question: str
    answer: str
    """Markdown text shown to the user."""
    found: bool
    citations: list[Citation] = field(default_factory=list)
    calculation: Calculation | None = None
    notice: str = ""
    """Operational notice (e.g. language model unavailable); not part of the contract."""

    def to_dict(self) -> dict[str, Any]:
        """The `ask --json` object of CONTRACT.md (plus `notice` when there is one: an extension)."""
        data: dict[str, Any] = {
            "question": self.question,
            "answer": self.answer,
            "found": self.found,
            "citations": [c.to_dict() for c in self.citations],
            "calculation": self.calculation.to_dict() if self.calculation else None,
        }
        if self.notice:
            data["notice"] = self.notice
        return data
