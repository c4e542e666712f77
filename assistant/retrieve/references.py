"""Article references in questions (`第13条`, `第十三条`, `article 13`, `66号文第三条`,
`征求意见稿第3条`, `一、(二)`), resolved per document of the library."""

from __future__ import annotations

import math
import re
import weakref
from dataclasses import dataclass
from functools import lru_cache

from ..ingest.corpus import Corpus
from ..models import Article, Document
from ..lang.numerals import NUMERAL_CHARS, chinese_int

_REF = re.compile(
    rf"第\s*(\d{{1,3}}|[{NUMERAL_CHARS}]{{1,4}})\s*[条点项]"
    r"|\b(?:article|art\.?|section|clause|item|measure)\s*(?:no\.?\s*)?(\d{1,3})\b",
    re.IGNORECASE)
_DOC_NUMBER = re.compile(r"[〔\[(（【]?\s*(\d{4})\s*[〕\])）】]?\s*(\d{1,4})\s*号")
_BARE_NUMBER = re.compile(r"(\d{1,4})\s*号(?:文|文件)?")
_LABEL_NUMERAL = re.compile(rf"\d+|[{NUMERAL_CHARS}]+")


@dataclass(frozen=True)
class Reference:
    """`第N条` (or `article N`) as written, with the text before it that may name a document."""

    number: int
    start: int
    end: int
    context: str
    """Up to 20 characters before the reference (`66号文`, `征求意见稿`, `人形机器人政策`)."""


def find_references(question: str) -> list[Reference]:
    """Article references in order of appearance (each number once)."""
    out: list[Reference] = []
    seen: set[int] = set()
    for m in _REF.finditer(question):
        try:
            n = chinese_int(m.group(1) or m.group(2))
        except ValueError:
            continue
        if n in seen:
            continue
        seen.add(n)
        out.append(Reference(n, m.start(), m.end(), question[max(0, m.start() - 20):m.start()]))
    return out


def article_references(question: str) -> list[int]:
    """Article numbers the question names, in order."""
    return [r.number for r in find_references(question)]


def _bigrams(text: str) -> set[str]:
    text = re.sub(r"[(（][^)）]*[)）]|[《》\s]", "", text)
    return {text[i:i + 2] for i in range(len(text) - 1)}


STATUS_WORDS = {"征求意见稿": ("征求意见稿", "草案", "草稿", "draft", "consultation"),
                 "草案": ("草案", "草稿", "draft"), "废止": ("废止", "repealed"),
                 "正式": ("正式版", "正式稿", "正式文件", "定稿", "最终版", "final version")}
"""Words that name a version by its status (正式 alone is not one: 正式生效了吗 asks about force)."""
_YEAR = re.compile(r"(20\d{2})\s*年")


@dataclass(frozen=True)
class Naming:
    """A document a question names, how strongly, and where (the spans that name it)."""

    doc: Document
    score: float
    spans: tuple[tuple[int, int], ...]


def _title_spans(text: str, title: str, min_len: int = 2) -> list[tuple[int, int]]:
    """Maximal pieces of the text (at least `min_len` characters) that occur in the title."""
    spans, i = [], 0
    while i < len(text):
        best = 0
        for j in range(i + min_len, len(text) + 1):
            if text[i:j] in title:
                best = j - i
            else:
                break
        if best >= min_len and re.search(r"[\u4e00-\u9fff]", text[i:i + best]):
            spans.append((i, i + best))
            i += best
        else:
            i += 1
    return spans


_KIND = re.compile(r"(实施意见|指导意见|若干措施|若干政策|政策措施|若干规定|管理办法|实施办法|实施细则|"
                   r"行动方案|行动计划|实施方案|工作方案|条例|规定|办法|措施|方案|计划|意见)$")


@lru_cache(maxsize=4096)
def _title_kind(title: str) -> str:
    """The kind of document a title ends with (实施意见, 若干规定, 行动方案 …)."""
    m = _KIND.search(re.sub(r"[(（][^)）]*[)）]", "", title or "").strip())
    # Two-character kinds are too common in questions (有什么规定, 什么意见) to name a document,
    # except 条例, which only ever means a regulation.
    return m.group(1) if m and (len(m.group(1)) >= 4 or m.group(1) == "条例") else ""


@dataclass
class _TitleIndex:
    """What naming needs of a library, computed once per corpus: each document's family of titles
    (versions share them) with their bigrams, bigram rarity, and how many families have each kind
    of title."""

    family: dict[str, list[tuple[str, set[str], float]]]
    """doc_id → (title, its bigrams, the total rarity of its bigrams)."""
    idf: dict[str, float]
    kinds: dict[str, int]
    subjects: dict[str, tuple[set[str], float]]
    """title → the bigrams of its subject (its place names left out) and their total rarity."""


_TITLE_INDEXES: "weakref.WeakKeyDictionary[Corpus, _TitleIndex]" = weakref.WeakKeyDictionary()


def _title_index(corpus: Corpus) -> _TitleIndex:
    cached = _TITLE_INDEXES.get(corpus)
    if cached is not None:
        return cached
    titles_of: dict[str, list[str]] = {}
    for doc in corpus.documents:
        titles = [t for t in (doc.title, doc.meta.short_title) if t]
        for other in [corpus.superseded_by.get(doc.doc_id, ""), *doc.meta.supersedes]:
            other_doc = corpus.document(other)
            if other_doc is not None:
                titles += [t for t in (other_doc.title, other_doc.meta.short_title) if t]
        titles_of[doc.doc_id] = titles
    kinds: dict[str, int] = {}
    seen: set[frozenset[str]] = set()
    for doc in corpus.documents:
        fam = frozenset([doc.doc_id, corpus.superseded_by.get(doc.doc_id, ""), *doc.meta.supersedes]) - {""}
        kind = _title_kind(doc.title)
        if kind and fam not in seen:
            seen.add(fam)
            kinds[kind] = kinds.get(kind, 0) + 1
    # Bigrams every title shares (智能, 机器人) name no particular document: weight by rarity.
    doc_grams = {d: set().union(*(_bigrams(t) for t in ts)) if ts else set() for d, ts in titles_of.items()}
    df: dict[str, int] = {}
    for grams_of in doc_grams.values():
        for g in grams_of:
            df[g] = df.get(g, 0) + 1
    n_docs = len(doc_grams) or 1
    idf = {g: math.log(1 + n_docs / c) for g, c in df.items()}
    family = {d: [(t, _bigrams(t), sum(idf.get(g, 1.0) for g in _bigrams(t))) for t in ts]
              for d, ts in titles_of.items()}
    subjects = {t: _bigrams(_without_places(t, corpus)) for ts in titles_of.values() for t in ts}
    built = _TitleIndex(family, idf, kinds,
                        {t: (g, sum(idf.get(x, 1.0) for x in g)) for t, g in subjects.items()})
    _TITLE_INDEXES[corpus] = built
    return built


SUBJECT_NAMED = 0.5
"""With a place named, the share of a title's subject words (rare ones weigh more) a text must
hold to name it by its title."""


def _names_subject(subject: set[str], title_subject: tuple[set[str], float], idf: dict[str, float],
                   share: float) -> bool:
    grams, total = title_subject
    return bool(total) and sum(idf.get(g, 1.0) for g in subject & grams) / total >= share


def _has_place(text: str, corpus: Corpus) -> bool:
    from .doc_places import place_index

    return bool(place_index(corpus).mentions(text))


def _without_places(text: str, corpus: Corpus) -> str:
    from .doc_places import place_index

    return without_spans(text, tuple((a, b) for a, b, _ in place_index(corpus).mentions(text)))


def title_shares(text: str, corpus: Corpus) -> dict[str, float]:
    """Per document: the share of its title's weight (rare bigrams count more) the text contains,
    its best title; documents sharing nothing are left out."""
    grams = _bigrams(text)
    titles = _title_index(corpus)
    out: dict[str, float] = {}
    for doc_id, family in titles.family.items():
        best = 0.0
        for _, tg, total in family:
            common = grams & tg
            if common and total:
                best = max(best, sum(titles.idf.get(g, 1.0) for g in common) / total)
        if best:
            out[doc_id] = best
    return out


NAMED = 0.8
"""How strongly a text must name a document (文号 3, alias 2, its whole title 2, a weaker clue 1)."""

# How strongly each kind of clue names a document (`namings`): the strongest clue counts, then the
# version preferences below are added.
DOC_NUMBER_SCORE = 3.0
"""Its 文号 (杭政办函〔2024〕66号, 66号文): named outright."""
ALIAS_SCORE = 2.0
"""One of its aliases (the metadata's `aliases`); a longer alias a little more (`ALIAS_LENGTH_UNIT`)."""
ALIAS_LENGTH_UNIT = 100
"""An alias adds its length over this (1/100 a character): of two aliases found, the longer wins."""
TITLE_SCALE = 2.0
"""Its title: the share of the title's weight (rare bigrams weigh more) found, times this — a
whole title counts as much as an alias."""
TITLE_MIN_BIGRAMS = 4
"""Fewer bigrams shared with a title than this is no naming by that title."""
WEAK_SCORE = 1.0
"""A weaker clue when nothing stronger names it: its status and year together (2024年的征求意见稿),
its issuer and year (省政府办公厅2025年印发的措施), or its kind when it is the only family of
documents of that kind (实施意见, 若干规定, 行动方案)."""
STATUS_BONUS = 1.0
"""The text names its status (征求意见稿, 正式版, 废止): that version before the others."""
YEAR_BONUS = 0.5
"""The text gives its year (of issue or consultation)."""
IN_FORCE_BONUS = 0.3
"""In force: of two versions named alike, the one that applies."""
SUPERSEDED_PENALTY = 0.3
"""Replaced by another document: after the one that replaced it."""
TITLE_SPAN_MIN = 4
"""Characters of the title a text must show for the title's place in it to count as a span."""


def _by_number(text: str, doc: Document, numbers: set[str]) -> tuple[float, list[tuple[int, int]]]:
    """DOC_NUMBER_SCORE and where when the text gives the document's 文号 (in full or as 66号文)."""
    number = doc.meta.doc_number or ""
    m = _DOC_NUMBER.search(number)
    if not (number and (number in text or (m and m.group(2) in numbers))):
        return 0.0, []
    for pat in (number, f"{m.group(2)}号文" if m else "", f"{m.group(2)}号" if m else ""):
        at = text.find(pat) if pat else -1
        if at >= 0:
            return DOC_NUMBER_SCORE, [(at, at + len(pat))]
    return DOC_NUMBER_SCORE, []


def _by_alias(text: str, doc: Document, score: float) -> tuple[float, list[tuple[int, int]]]:
    """`score` raised to the best alias of the document the text contains, and where they are."""
    spans = []
    for alias in doc.meta.aliases:
        at = text.find(alias) if alias else -1
        if at >= 0:
            score = max(score, ALIAS_SCORE + len(alias) / ALIAS_LENGTH_UNIT)
            spans.append((at, at + len(alias)))
    return score, spans


def _by_title(grams: set[str], subject: set[str] | None, titles: _TitleIndex, doc: Document,
              threshold: float, score: float) -> tuple[float, list[str]]:
    """`score` raised to the best share of one of the document's titles (its versions share their
    titles) the text holds, and the titles it names; with a place named (`subject`: the text's
    bigrams without its places), most of a title's subject must be there too."""
    named = []
    for title, tg, total in titles.family[doc.doc_id]:
        common = grams & tg
        if total and len(common) >= TITLE_MIN_BIGRAMS and (subject is None or _names_subject(
                subject, titles.subjects.get(title, (set(), 0.0)), titles.idf,
                SUBJECT_NAMED * threshold / NAMED)):
            share = sum(titles.idf.get(g, 1.0) for g in common) / total
            if share * TITLE_SCALE > score:
                score = share * TITLE_SCALE
            named.append(title)
    return score, named


def _by_weak_clue(text: str, doc: Document, titles: _TitleIndex, by_status: bool, by_year: bool,
                  score: float, threshold: float) -> tuple[float, list[tuple[int, int]]]:
    """`score` raised to WEAK_SCORE by a weaker clue (see there) while it is under `threshold`."""
    spans = []
    kind = _title_kind(doc.title)
    if score < threshold and by_status and by_year:
        score = WEAK_SCORE  # 2024年的征求意见稿, the 2024 consultation draft
    if score < threshold and by_year and _issuer_named(text, doc.meta.issuer or ""):
        score = WEAK_SCORE  # 省政府办公厅2025年印发的措施: its issuer and year
    if score < threshold and kind and kind in text and titles.kinds.get(kind) == 1:
        score = WEAK_SCORE  # 实施意见, 若干规定, 行动方案: the only family of documents of that kind
        at = text.find(kind)
        spans.append((at, at + len(kind)))
    return score, spans


def _preferred(score: float, doc: Document, corpus: Corpus, by_status: bool, by_year: bool) -> float:
    """The score with the version preferences: its status or year named, in force, not replaced."""
    if by_status:
        score += STATUS_BONUS
    if by_year:
        score += YEAR_BONUS
    if doc.in_force:
        score += IN_FORCE_BONUS
    if doc.doc_id in corpus.superseded_by:
        score -= SUPERSEDED_PENALTY
    return score


def namings(text: str, corpus: Corpus, threshold: float = NAMED) -> list[Naming]:
    """Documents a text names — by 文号 (`66号文`, `杭政办函〔2024〕66号`), an alias, or most of
    its title — best first. Two versions with the same title: the one whose status or year the
    text mentions, else the one in force. `threshold`: lower for a comparison, where naming a
    second document by part of its title is the point of the question."""
    out: list[Naming] = []
    numbers = {m.group(2) for m in _DOC_NUMBER.finditer(text)} | {m.group(1) for m in _BARE_NUMBER.finditer(text)}
    years = set(_YEAR.findall(text))
    lowered = text.lower()
    grams = _bigrams(text)
    # With a place named, its name alone does not name one of its documents: most of the words of
    # a title's subject must be there too (the place hierarchy routes the rest).
    subject = _bigrams(_without_places(text, corpus)) if _has_place(text, corpus) else None
    titles = _title_index(corpus)
    for doc in corpus.documents:
        score, spans = _by_number(text, doc, numbers)
        score, alias_spans = _by_alias(text, doc, score)
        score, named_titles = _by_title(grams, subject, titles, doc, threshold, score)
        by_status = any(w in lowered for w in STATUS_WORDS.get(doc.meta.status or "", ()))
        by_year = bool(doc.meta.date and str(doc.meta.date.year) in years or (
            doc.meta.consultation and doc.meta.consultation.start
            and str(doc.meta.consultation.start.year) in years))
        score, clue_spans = _by_weak_clue(text, doc, titles, by_status, by_year, score, threshold)
        if score < threshold:
            continue
        spans += alias_spans + clue_spans
        for title in named_titles:  # where the title is named (only for documents named at all)
            title_spans = _title_spans(text, title)
            if sum(b - a for a, b in title_spans) >= TITLE_SPAN_MIN:
                spans += title_spans
        out.append(Naming(doc, _preferred(score, doc, corpus, by_status, by_year), tuple(sorted(set(spans)))))
    out.sort(key=lambda n: -n.score)
    return out


def _issuer_named(text: str, issuer: str) -> bool:
    """The text names the issuer (浙江省人民政府办公厅, 省政府办公厅, 省府办公厅 …): the issuer
    itself, or it with its place and 人民 left out."""
    if len(issuer) < 4:
        return False
    if issuer in text:
        return True
    core = issuer.replace("人民政府", "政府")
    short = re.sub(r"^[\u4e00-\u9fff]{2,3}?(省|市|区|县)", r"\1", core)
    return any(len(form) >= 4 and form in text for form in (core, short))


def documents_named(text: str, corpus: Corpus) -> list[Document]:
    """Documents a text names, best first (see `namings`)."""
    return [n.doc for n in namings(text, corpus)]


def without_spans(text: str, spans: tuple[tuple[int, int], ...]) -> str:
    """The text with the spans blanked (a document's name says nothing about the article asked)."""
    chars = list(text)
    for a, b in spans:
        for i in range(a, min(b, len(chars))):
            chars[i] = " "
    return "".join(chars)


def label_number(article: Article) -> int | None:
    """The article's own number as its label writes it (第三条 → 3, 三、 → 3, 一、(二) → 2, 3、 → 3)."""
    found = _LABEL_NUMERAL.findall(article.label)
    if not found:
        return None
    try:
        return chinese_int(found[-1])
    except ValueError:
        return None


def resolve(ref: Reference, corpus: Corpus, question: str) -> list[Article]:
    """The articles a reference can mean: in the document(s) the question names, else in every
    document that has such an article (documents in force first)."""
    named = documents_named(ref.context, corpus) or documents_named(question, corpus)
    docs = named[:1] if named else sorted(corpus.documents, key=lambda d: not d.in_force)
    out = []
    for doc in docs:
        by_label = [a for a in doc.articles if a.kind == "article" and label_number(a) == ref.number
                    and "(" not in a.label and "（" not in a.label]
        art = by_label[0] if len(by_label) == 1 else doc.article(ref.number)
        if art is not None and art.number > 0:
            out.append(art)
    return out
