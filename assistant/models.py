"""Data shared across the package: documents and their metadata, articles, hits, citations, answers."""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Status = Literal["征求意见稿", "草案", "正式", "废止"]
ArticleKind = Literal["preamble", "article", "appendix"]
HitReason = Literal["fused", "reference"]
Route = Literal["lookup", "amount", "meta", "match"]
Verdict = Literal["covered", "partial", "not_covered"]

IN_FORCE: tuple[Status, ...] = ("正式",)
"""Statuses of documents that are in force (a draft or a repealed text is not)."""
DRAFTS: tuple[Status, ...] = ("征求意见稿", "草案")
"""Statuses of a text not yet in force (a draft for comment, a 草案 before a legislature)."""


@functools.lru_cache(maxsize=1)
def status_names() -> dict[str, str]:
    """Other words for a status (施行, 现行有效, 失效…) → the status they mean (data/status_names.json)."""
    from pathlib import Path

    raw = json.loads((Path(__file__).parent / "data" / "status_names.json").read_text(encoding="utf-8"))
    return {k: v for k, v in raw.items() if not k.startswith("_")}


class Consultation(BaseModel):
    """The public-comment period of a draft."""

    model_config = ConfigDict(extra="forbid", defer_build=True)
    start: dt.date | None = None
    end: dt.date | None = None


class DocumentMeta(BaseModel):
    """`<stem>.meta.json`: what is known about a document besides its text. Every field is optional
    in the file; `policy-assistant add` fills what the text says."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    doc_id: str | None = Field(None, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")
    """Stable identifier used in citations (else the file stem)."""
    title: str | None = None
    """Full title shown in citations."""
    short_title: str | None = None
    """A short name for lists and banners."""
    doc_number: str | None = None
    """文号, e.g. 杭政办函〔2024〕66号."""
    issuer: str | None = None
    """The body that issued (or published) the document."""
    drafter: str | None = None
    """The department that drafted it, when the text says so."""
    date: dt.date | None = None
    """Issue date."""
    status: Status | None = None
    """征求意见稿, 草案, 正式 or 废止."""
    consultation: Consultation | None = None
    """Public-comment period of a draft."""
    contact: str | None = None
    """Whom to contact (named in the announcement)."""
    phone: str | None = None
    email: str | None = None
    effective_from: dt.date | None = None
    effective_until: dt.date | None = None
    addressee: str | None = None
    """主送: whom an issuing notice is addressed to (`各区、县(市)人民政府,市政府各部门…`)."""
    found_by: dict[str, str] = Field(default_factory=dict)
    """Where `add` read each field (title, doc_number, issuer, date, status): `title line of the
    text`, `HTML <title>`, `草案 in the title` … (shown by `docs --json`)."""
    jurisdiction: list[str] = Field(default_factory=list)
    """Places the document applies to (its own place names are never 'another place')."""
    aliases: list[str] = Field(default_factory=list)
    """Names people use for it (征求意见稿, 66号文, 人形机器人政策), for references."""
    supersedes: list[str] = Field(default_factory=list)
    """doc_ids of documents this one replaces (a final version replaces its draft)."""
    basis: list[str] = Field(default_factory=list)
    """Titles of documents it names as its basis."""
    source: str | None = None
    """Where the text came from."""
    text_changed: str | None = None
    """How `add` changed the file's text before storing it: `converted from traditional characters
    to simplified (…)`, `… pinyin annotations in brackets removed` (None: stored as read)."""

    @field_validator("status", mode="before")
    @classmethod
    def _status_name(cls, value: Any) -> Any:
        """施行 (as the README and people write it) means 正式, 失效 means 废止, and so on."""
        if isinstance(value, str):
            value = value.strip()
            return status_names().get(value, value)
        return value

    def dates(self) -> list[str]:
        """Its dates in words: 印发 …, 征求意见 …~…, 施行 …~… (those it has)."""
        out = []
        if self.date:
            out.append(f"印发 {self.date}")
        if self.consultation and self.consultation.start:
            out.append(f"征求意见 {self.consultation.start}~{self.consultation.end}")
        if self.effective_from:
            out.append(f"施行 {self.effective_from}"
                       + (f"~{self.effective_until}" if self.effective_until else ""))
        return out


@dataclass(frozen=True)
class Article:
    """One article of a policy document (number 0 is the text before the first article)."""

    doc_id: str
    """Identifier of the document the article belongs to."""
    number: int
    """Position in its document: 0 for the announcement / preamble, then 1, 2, …"""
    title: str
    """Heading: a heading line, else the text before the first 。 (shortened when long)."""
    text: str
    """The article exactly as written in the source, without its number marker."""
    departments: tuple[str, ...] = ()
    """Responsible departments (lead first)."""
    label: str = ""
    """How the source numbers it (`2、`, `第二条`, `一、(二)`, `附件1`)."""
    section: str = ""
    """Heading of the enclosing chapter or part."""
    kind: ArticleKind = "article"

    @property
    def ref(self) -> str:
        """How people name the article: the source's own label (第三条, 一、(二)); `N、` and bare
        numbers read as 第N条; the announcement/preamble as 公告与前言."""
        if self.number == 0:
            return "公告与前言"
        label = self.label.strip()
        if not label or re.fullmatch(r"\d+\s*[、.．]?", label):
            return f"第{self.number}条"
        return label

    @property
    def display(self) -> str:
        """`第3条 加强核心零部件…` / `一、(二) 建设…` / `公告与前言:关于…`."""
        if self.number == 0:
            return self.title
        ref = self.ref
        return f"{ref}{'' if ref.endswith(('、', '.', '．')) else ' '}{self.title}".strip()


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
    meta: DocumentMeta = field(default_factory=DocumentMeta)
    """What the metadata file (or the text) says about it."""

    def article(self, number: int) -> Article | None:
        """The article at that position, or None."""
        for art in self.articles:
            if art.number == number:
                return art
        return None

    @property
    def status(self) -> str:
        """Document status, e.g. 征求意见稿 ('' when unknown)."""
        return self.meta.status or ""

    @property
    def in_force(self) -> bool:
        return self.meta.status in IN_FORCE

    @property
    def contact(self) -> str:
        """Contact named in the announcement, used when a question is not covered."""
        return self.meta.contact or ""

    @property
    def short_title(self) -> str:
        return self.meta.short_title or self.title

    @property
    def last_number(self) -> int:
        return max((a.number for a in self.articles), default=0)


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
    reason: HitReason = "fused"
    """`reference` when the question named the article, else `fused`."""


@dataclass
class Citation:
    """A cited article with a verbatim quote, as in CONTRACT.md (plus `article_label`)."""

    doc_id: str
    doc_title: str
    article: int
    title: str
    quote: str
    departments: list[str]
    article_label: str = ""
    """How the source names the article (第三条, 一、(二), 第3条)."""

    @property
    def display(self) -> str:
        if not self.article:
            return self.title
        label = self.article_label
        return f"{label}{'' if label.endswith(('、', '.', '．')) else ' '}{self.title}".strip()

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
    ceiling_only: bool = False
    """The article sets only a ceiling (不超过50万元): the amount is that ceiling, not a computed
    sum. Not part of CONTRACT.md's object."""
    at_most: bool = False
    """The amount is the most one can get (最高可获): a ceiling, or a rate the article gives as a
    maximum (按不高于…的30%). Not part of CONTRACT.md's object."""
    amount_unset: bool = False
    """Only conditions under which the article still supports the case without an amount of its
    own failed (another 首台套 product: 智能物联产业奖补政策): the policy sets no amount for it. Not
    part of CONTRACT.md's object."""

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("ceiling_only")
        data.pop("at_most")
        data.pop("amount_unset")
        return data


@dataclass(frozen=True)
class Clarification:
    """A question back to the user: a condition that decides eligibility was not stated."""

    condition: str
    """The rule's condition name (e.g. `humanoid`)."""
    question: str
    """What to ask (e.g. 您的产品是人形机器人“首台套”产品吗?)."""
    options: tuple[str, ...] = ("是", "否")


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
    clarification: Clarification | None = None
    """Asked in a conversation when an unstated condition decides eligibility."""
    gaps: list[str] = field(default_factory=list)
    """What the question asks that the cited text does not specify (a graded answer)."""
    related: list[Citation] = field(default_factory=list)
    """Nearby articles of a question the library does not answer (never its basis)."""
    lang: str = "zh"
    """The language the answer is written in (`en` for an English question); the quotes stay Chinese."""

    def to_dict(self) -> dict[str, Any]:
        """The `ask --json` object of CONTRACT.md; `notice`, `gaps` and `clarification` are
        extensions present only when set."""
        data: dict[str, Any] = {
            "question": self.question,
            "answer": self.answer,
            "found": self.found,
            "citations": [c.to_dict() for c in self.citations],
            "calculation": self.calculation.to_dict() if self.calculation else None,
        }
        if self.notice:
            data["notice"] = self.notice
        if self.gaps:
            data["gaps"] = list(self.gaps)
        if self.related:
            data["related"] = [c.to_dict() for c in self.related]
        if self.lang != "zh":
            data["lang"] = self.lang
        if self.clarification is not None:
            data["clarification"] = {"condition": self.clarification.condition,
                                     "question": self.clarification.question,
                                     "options": list(self.clarification.options)}
        return data
