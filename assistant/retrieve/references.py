"""Article references in questions (`第13条`, `第十三条`, `article 13`, `66号文第三条`,
`征求意见稿第3条`, `一、(二)`), resolved per document of the library."""

from __future__ import annotations

import math
import re
import weakref
from dataclasses import dataclass
from functools import lru_cache
from typing import AbstractSet, Any

from ..ingest.corpus import Corpus, title_bigrams
from ..models import Article, Document
from ..lang.cues import cues, data, pattern
from ..lang.numerals import NUMERAL_CHARS, chinese_int

_REF = pattern("article_reference")
_DOC_NUMBER = pattern("document_number")
_BARE_NUMBER = pattern("bare_document_number")
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
            n = chinese_int(m.group(1) or m.group(2) or m.group(3))
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


STATUS_WORDS = cues().status_words
"""Words that name a version by its status (`status_words` of data/cues.json)."""
_YEAR = pattern("reference_year")


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


_KIND = pattern("document_kind")


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
    kinds_of: dict[str, tuple[str, ...]]
    """doc_id → the kinds of its title and of the title it explains (解读; 实施细则)."""
    subjects: dict[str, tuple[set[str], float]]
    """title → the bigrams of its subject (its place names left out) and their total rarity."""
    shared_aliases: set[str]
    """Aliases that also occur in another document's names (they name none of them)."""
    cores: dict[str, list[tuple[str, bool]]]
    """doc_id → its titles without the brackets after them (what a short name abbreviates), and
    whether each names a place."""


_TITLE_INDEXES: "weakref.WeakKeyDictionary[Corpus, _TitleIndex]" = weakref.WeakKeyDictionary()


def _title_index(corpus: Corpus) -> _TitleIndex:
    cached = _TITLE_INDEXES.get(corpus)
    if cached is not None:
        return cached
    titles_of: dict[str, list[str]] = {}
    explained = _explained_titles(corpus)
    for doc in corpus.documents:
        titles = [t for t in (doc.title, doc.meta.short_title, *inner_titles(doc.title),
                              explained.get(doc.doc_id, "")) if t]
        # a title with its quotation marks left out, as a question may write it (“十四五” → 十四五)
        titles += [u for t in titles if (u := _QUOTES.sub("", t)) != t and u not in titles]
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
    # (《…实施细则》解读: also named by the kind of what it explains, when that kind is no other
    # document's, the library lacking the document explained)
    explained_kinds = [k for k in map(_title_kind, explained.values()) if k]
    kinds_of = {d.doc_id: tuple(k for k in (_title_kind(d.title),) if k) + tuple(
        k for k in (_title_kind(explained.get(d.doc_id, "")),)
        if k and k not in kinds and explained_kinds.count(k) == 1) for d in corpus.documents}
    kinds.update({k: 1 for ks in kinds_of.values() for k in ks if k not in kinds})
    # Bigrams every title shares (智能, 机器人) name no particular document: weight by rarity.
    doc_grams = {d: set().union(*(_bigrams(t) for t in ts)) if ts else set() for d, ts in titles_of.items()}
    df: dict[str, int] = {}
    for grams_of in doc_grams.values():
        for g in grams_of:
            df[g] = df.get(g, 0) + 1
    n_docs = len(doc_grams) or 1
    idf = {g: math.log(1 + n_docs / c) for g, c in df.items()}
    # fsum: a sum over a set is rounded the same whatever order the set iterates in (ties between
    # titles must not depend on the hash seed).
    family = {d: [(t, _bigrams(t), math.fsum(idf.get(g, 1.0) for g in _bigrams(t))) for t in ts]
              for d, ts in titles_of.items()}
    subjects = {t: _bigrams(_without_places(t, corpus)) for ts in titles_of.values() for t in ts}
    # An alias another document's title or aliases also hold (征求意见稿) names none of them.
    names_of = {d.doc_id: " ".join([*titles_of[d.doc_id], *d.meta.aliases]) for d in corpus.documents}
    shared = {a for d in corpus.documents for a in d.meta.aliases
              if any(a in names for other, names in names_of.items() if other != d.doc_id)}
    built = _TitleIndex(family, idf, kinds, kinds_of,
                        {t: (g, math.fsum(idf.get(x, 1.0) for x in g)) for t, g in subjects.items()},
                        shared, {d: [(_core(t), bool(_place_spans(_core(t), corpus))) for t in ts]
                                 for d, ts in titles_of.items()})
    _TITLE_INDEXES[corpus] = built
    return built


_NOTICE_INNER = pattern("notice_inner_title")


_EXPLAINED = pattern("explained_title")
_QUOTES = re.compile(r"[“”‘’\"]")
EXPLAINED_HELD = 0.8
"""Another document whose title holds at least this share of the character pairs of the name an
explanation gives (the document itself, or a 审议报告 on it): the name is not the explanation's."""


def inner_titles(title: str) -> list[str]:
    """Shorter names a title contains: the document a notice issues (`…关于印发浙江省“机器人+”行动
    计划的通知` → `浙江省“机器人+”行动计划`)."""
    out = []
    core = _core(title)
    m = _NOTICE_INNER.search(core)
    if m:
        out.append(m.group(1))
    named = re.findall(r"《([^《》]{4,80})》", title)
    if len(named) == 1 and _title_kind(named[0]) and title.rstrip().endswith("》"):
        # 八部门联合印发《“人工智能+制造”专项行动实施意见》: a headline's one named document, the last
        # thing it says (not 关于《…》的说明 or 《…》政策解读, which explain it)
        out.append(named[0])
    return list(dict.fromkeys(t for t in out if t and t != title))


def _explained_titles(corpus: Corpus) -> dict[str, str]:
    """doc_id → the title of the document its title says it explains (关于《《重庆市…行动计划》的政策问答),
    when no other document of the library has it in its title (the document itself, another report on
    it): questions about it name the explanation."""
    held = {d.doc_id: title_bigrams(d.title) for d in corpus.documents}
    out = {}
    for doc in corpus.documents:
        m = _EXPLAINED.search(_core(doc.title))
        if m is None:
            continue
        grams = title_bigrams(m.group(1))
        if grams and not any(len(grams & g) / len(grams) >= EXPLAINED_HELD
                             for d, g in held.items() if d != doc.doc_id):
            out[doc.doc_id] = m.group(1)
    return out


def _core(title: str) -> str:
    """A title without the brackets after it ((征求意见稿), (2024—2027年))."""
    return re.sub(r"(?:[(（][^()（）]{1,20}[)）]\s*)+$", "", title or "").strip()


ABBREVIATION_MIN = 2
"""Characters of a title's subject (its place and its kind left out) a short name must keep."""


def _abbreviation(text: str, core: str, place_spans: list[tuple[int, int]],
                  place_free: bool = False) -> tuple[int, tuple[int, int]]:
    """How a text abbreviates a title (`杭州人工智能试验区行动方案` for `杭州国家新一代人工智能创新
    发展试验区建设行动方案`, `高地方案` for `…产业发展高地实施方案`): the longest stretch of the text
    ending in the title's last two characters (its kind: 方案, 计划, 意见) whose characters all occur
    in the title in that order. Returns (the characters of it that are neither the kind nor a
    place's name, its span); (0, (0, 0)) when there is none or it keeps no two characters of the
    title together. A text naming a place abbreviates a title only when the stretch holds it, or
    (`place_free`) the title names no place and the document belongs to the place named."""
    if len(core) < 6:
        return 0, (0, 0)
    anchor = core[-2:]
    best, span = 0, (0, 0)
    start = text.find(anchor)
    while start >= 0:
        i, j = start - 1, len(core) - 3
        together, previous = False, None
        while i >= 0 and j >= 0:
            at = core.rfind(text[i], 0, j + 1)
            if at < 0 or not re.match(r"[\u4e00-\u9fff\w+]", text[i]):
                break
            together = together or (previous is not None and previous == at + 1)
            previous, j, i = at, at - 1, i - 1
        lo, hi = i + 1, start + 2
        kept = sum(1 for k in range(lo, start) if not any(a <= k < b for a, b in place_spans))
        places_inside = [a for a, b in place_spans if lo <= a and b <= hi]
        if together and kept >= ABBREVIATION_MIN and kept > best \
                and (not place_spans or places_inside or place_free):
            best, span = kept, (lo, hi)
        start = text.find(anchor, start + 1)
    return best, span


SUBJECT_NAMED = 0.5
"""With a place named, the share of a title's subject words (rare ones weigh more) a text must
hold to name it by its title."""


def _names_subject(subject: AbstractSet[str], title_subject: tuple[set[str], float], idf: dict[str, float],
                   share: float) -> bool:
    grams, total = title_subject
    return bool(total) and math.fsum(idf.get(g, 1.0) for g in subject & grams) / total >= share


def _has_place(text: str, corpus: Corpus) -> bool:
    from .doc_places import place_index

    return bool(place_index(corpus).mentions(text))


def _belongs(doc: Document, text: str, corpus: Corpus) -> bool:
    """Does the document's own place relate to a place the text names (the same, above or
    inside it)?"""
    from .doc_places import place_index, relation

    index = place_index(corpus)
    own = index.own.get(doc.doc_id)
    return own is not None and any(relation(p, own) != "other" for p in index.most_specific(text))


def _another_place_s(doc: Document, text: str, corpus: Corpus) -> bool:
    """Does the text name a place that has a document of its own, other than this document's
    place (余杭 named: a word every draft shares does not name 杭州市's draft)?"""
    from .doc_places import place_index, relation

    index = place_index(corpus)
    asked = index.most_specific(text)
    own = index.own.get(doc.doc_id)
    if not asked or (own is not None and any(relation(p, own) == "same" for p in asked)):
        return False
    return any(relation(p, other) == "same" for d, other in index.own.items() if d != doc.doc_id
               for p in asked)


def _one_place_named(spans: tuple[tuple[int, int], ...]) -> bool:
    """The text names one place (a place written with the ones above it, 深圳市龙华区, is one)."""
    merged = 0
    end = -1
    for a, b in sorted(spans):
        merged += a != end
        end = b
    return merged == 1


def _placed_elsewhere(doc: Document, text: str, corpus: Corpus) -> bool:
    """The document has a place of its own, and the text names another that has a document (a
    document without a place — a cut page — may still be the one asked about)."""
    from .doc_places import place_index

    return place_index(corpus).own.get(doc.doc_id) is not None and _another_place_s(doc, text, corpus)


def _places_named(text: str, corpus: Corpus) -> list[Any]:
    """The places the text names: the library's own place names (上海城市数字化 is 上海, whatever
    海城市 the gazetteer reads), else the gazetteer's (郑州, a place with no document)."""
    from ..lang.places import find_places
    from .doc_places import place_index

    own = [p for _, _, ps in place_index(corpus).mentions(text) for p in ps]
    # (the gazetteer's thousands of names are read only when no place of the library is named)
    return own or [p for m in find_places(text) for p in m.places]


def _only_other_places(doc: Document, named: list[Any], corpus: Corpus) -> bool:
    """The document has a place of its own and the text names places (`named`), none of them that
    place, one inside it or one it lies in (郑州 of 浦东新区's plan)."""
    from .doc_places import place_index, relation

    own = place_index(corpus).own.get(doc.doc_id)
    return own is not None and bool(named) and all(relation(p, own) == "other" for p in named)


def _place_spans(text: str, corpus: Corpus) -> list[tuple[int, int]]:
    from .doc_places import place_index

    return [(a, b) for a, b, _ in place_index(corpus).mentions(text)]


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
                best = max(best, math.fsum(titles.idf.get(g, 1.0) for g in common) / total)
        if best:
            out[doc_id] = best
    return out


SHARED_ALIAS_OTHER = 0.2
"""A text that shares this much of another document's title is not about the owner of an alias
other documents' names share."""
KIND_REACH = 2
"""Characters between a document's words and a kind word (意见, 通知) that still make them its name."""
_DOCUMENT_KINDS = tuple(data("document_text.json")["document_kinds"])
NAMED = 0.8
"""How strongly a text must name a document (`NamingScores`: 文号 3, alias 2, its whole title 2, a
unique kind 1)."""


@dataclass(frozen=True, kw_only=True)
class NamingScores:
    """How much each clue names a document (`namings`): the strongest clue is the score, then the
    version preferences are added to it. Its scale: `NAMED` (0.8) names a document at all."""

    doc_number: float = 3.0
    """Its 文号 (杭政办函〔2025〕17号, 17号文): nothing names a document more surely."""
    alias: float = 2.0
    """One of its own aliases (plus a hundredth per character: the longer alias wins a tie)."""
    shared_alias: float = 1.0
    """An alias other documents share (征求意见稿): it names, but stays a word of the question."""
    title: float = 2.0
    """Its whole title: a title counts its IDF-weighted share of shared bigrams times this …"""
    title_min_bigrams: int = 4
    """… once the text shares at least this many of its bigrams."""
    abbreviation: float = 1.0
    """A short name whose characters occur in the title in order (高地方案) counts this …"""
    abbreviation_per_char: float = 1 / 8
    """… plus this much per character kept …"""
    abbreviation_max_extra: float = 1.0
    """… up to this much more (an eight-character abbreviation is as good as the whole title)."""
    weak_clue: float = 1.0
    """Clues that name a document only together, when nothing names it more: its status and year
    (2024年的征求意见稿), its issuer and year, or a kind only its family has (行动方案)."""
    title_span_min: int = 4
    """A named title's spans are kept when they hold at least this many characters."""
    title_written: float = 0.2
    """Added when a named title (without its brackets) is written out whole in the text: of two
    titles the text nearly holds (关于推动… and 关于进一步推动…), the one it writes."""
    status_named: float = 1.0
    """Added when the text names the document's status (征求意见稿, 正式版) …"""
    status_gap: int = 2
    """… and the status word belongs to the name it follows within this many characters
    (《…》(征求意见稿)): its span joins the name's."""
    year_named: float = 0.5
    """Added when the text names the year of its date or consultation."""
    issuer_named: float = 1.0
    """Added when the text writes the document's issuer (河北省司法厅那份…条例征求意见通告): of two
    documents named alike, the one that body issued."""
    issuer_min: int = 4
    """Characters of an issuer's name for it to count as written (not 市政府)."""
    in_force: float = 0.3
    """Added for a document in force: of two versions named alike, the one in force."""
    superseded: float = 0.3
    """Taken off a document a final version replaces."""


NAMING_SCORES = NamingScores()


def namings(text: str, corpus: Corpus, threshold: float = NAMED,
            scores: NamingScores = NAMING_SCORES) -> list[Naming]:
    """Documents a text names — by 文号 (`66号文`, `杭政办函〔2024〕66号`), an alias, or most of
    its title — best first. Two versions with the same title: the one whose status or year the
    text mentions, else the one in force (`scores`: how much each clue counts). `threshold`: lower
    for a comparison, where naming a second document by part of its title is the point of the
    question."""
    clues = _TextClues.of(text, corpus)
    titles = _title_index(corpus)
    out = [n for doc in corpus.documents
           if (n := _naming(doc, clues, titles, corpus, threshold, scores)) is not None]
    out = [n for n in out if not _topic_only(n, text, corpus, out, clues.place_spans)]
    out = [n for n in out if not any(_inside_named(n, m, text) for m in out if m is not n)]
    if len(out) > 1 and _one_place_named(clues.place_spans):
        # 建德…推动经济高质量发展若干政策: the title 台州's document shares is not 台州's when the
        # text names 建德 (and no other place; 深圳市龙华区 is one), which has a document of its
        # own among those named
        placed = [n for n in out if not _another_place_s(n.doc, text, corpus)]
        if placed:
            out = placed
    elif len(out) == 1 and _one_place_named(clues.place_spans) and _placed_elsewhere(out[0].doc, text, corpus):
        # 龙华区人工智能若干措施…: 大同's 若干措施 alone shares the words, but 深圳市龙华区 has a
        # document of its own, which the place then routes to
        out = []
    if out and not clues.numbers and not clues.pairs:
        # 郑州场景驱动人工智能创新发展行动方案的文号: 浦东's 行动方案 shares the title's words, but the
        # question names a place it is not of (and the library has no document of that place)
        named = _places_named(text, corpus)
        out = [n for n in out if not _only_other_places(n.doc, named, corpus)]
    out.sort(key=lambda n: -n.score)
    return out


@dataclass(frozen=True)
class _TextClues:
    """What a text says that may name a document, read once for all documents."""

    text: str
    lowered: str
    numbers: frozenset[str]
    """The bare numbers of the 文号 it writes (66 of 66号文)."""
    pairs: frozenset[tuple[str, str]]
    """(year, number) of each 文号 written with its year (2024, 4 of 绍政办发〔2024〕4号): it names
    only a document of that year and number."""
    years: frozenset[str]
    grams: AbstractSet[str]
    """Its bigrams (kept as built: the order of a title's shared bigrams is the order of its sum)."""
    subject: AbstractSet[str] | None
    """With a place named, the bigrams without it: its name alone does not name one of its
    documents, most of the words of a title's subject must be there too (the place hierarchy
    routes the rest)."""
    place_spans: tuple[tuple[int, int], ...]

    @classmethod
    def of(cls, text: str, corpus: Corpus) -> _TextClues:
        written = list(_DOC_NUMBER.finditer(text))
        numbers = {b.group(1) for b in _BARE_NUMBER.finditer(text)
                   if not any(w.start() <= b.start() < w.end() for w in written)}
        pairs = frozenset((w.group(1), w.group(2)) for w in written)
        subject = _bigrams(_without_places(text, corpus)) if _has_place(text, corpus) else None
        return cls(text, text.lower(), frozenset(numbers), pairs, frozenset(_YEAR.findall(text)), _bigrams(text),
                   subject, tuple(_place_spans(text, corpus)))


def _inside_named(n: Naming, m: Naming, text: str) -> bool:
    """`n`'s title is part of `m`'s, and the text writes what `m`'s title adds to it (《…行动方案》解读
    with 解读 in the text): the text names `m`, the longer title."""
    inner, outer = _core(n.doc.title), m.doc.title
    if len(inner) < TITLE_INSIDE_MIN or inner not in outer or inner == _core(outer):
        return False
    rest = [w for w in re.split(r"[《》\s]+", re.sub(r"[(（][^()（）]*[)）]", " ", outer.replace(inner, " ")))
            if len(w) >= 2]
    return bool(rest) and all(w in text for w in rest)


TITLE_INSIDE_MIN = 6
"""Characters a title must have to count as part of a longer one (not 条例 in …条例实施细则)."""


def _topic_only(n: Naming, text: str, corpus: Corpus, named: list[Naming],
                places: tuple[tuple[int, int], ...]) -> bool:
    """A document named only by words of its title that another document's own text writes as
    its topic (中小企业数字化 of 《中小企业数字化赋能专项行动方案》, when a pilot notice speaks of
    中小企业数字化转型试点 throughout): those words say what is asked about, not which document.
    A place, a 文号, the whole title or a kind word ending the words or right after them
    (实施意见, …创新发展指导意见) names a document."""
    if (n.doc.meta.doc_number and n.doc.meta.doc_number in text) or _core(n.doc.title) in text:
        return False
    if any(a < pe and ps < b for a, b in n.spans for ps, pe in places) \
            or any(kind in text[max(a, b - len(kind)):b + len(kind) + KIND_REACH]
                   for a, b in n.spans for kind in _DOCUMENT_KINDS):
        return False
    spans = [text[a:b] for a, b in n.spans if b - a >= 2]
    if not spans or any(sp.startswith(("(", "(")) for sp in spans):
        return False  # (2025—2027年): the bracket of a title names its document
    texts = _document_texts(corpus)
    def apart(m: Naming) -> bool:  # named by words of its own (解读), not only by n's
        return any(all(b <= a2 or b2 <= a for a2, b2 in n.spans) for a, b in m.spans)

    others = [d for d in corpus.documents if d.doc_id != n.doc.doc_id
              and all(d is not m.doc or apart(m) for m in named)]
    return any(all(sp.lower() in texts[d.doc_id] for sp in spans) for d in others)


_DOCUMENT_TEXTS: "weakref.WeakKeyDictionary[Corpus, dict[str, str]]" = weakref.WeakKeyDictionary()


def _document_texts(corpus: Corpus) -> dict[str, str]:
    """Each document's article texts without the titles they quote (《…》: a name, not a topic),
    lower-cased, joined (built once per corpus)."""
    cached = _DOCUMENT_TEXTS.get(corpus)
    if cached is None:
        cached = {d.doc_id: re.sub(r"《[^《》]*》", " ", "\n".join(a.text for a in d.articles)).lower()
                  for d in corpus.documents}
        _DOCUMENT_TEXTS[corpus] = cached
    return cached


def _naming(doc: Document, clues: _TextClues, titles: _TitleIndex, corpus: Corpus, threshold: float,
            sc: NamingScores) -> Naming | None:
    """How strongly the text names one document: its strongest clue, else the weak clues together,
    then the version preferences; None below the threshold."""
    text = clues.text
    score, spans = _number_naming(doc, clues, sc)
    alias_score, alias_spans = _alias_naming(text, doc, titles, corpus, sc)
    score = max(score, alias_score)
    spans += alias_spans
    title_score, named_titles = _title_naming(doc, clues, titles, threshold, sc)
    score = max(score, title_score)
    score, abbreviation_spans = _abbreviation_naming(doc, clues, titles, corpus, score, sc)
    spans += abbreviation_spans
    status = doc.meta.status or ""
    by_status = any(w in clues.lowered for w in STATUS_WORDS.get(status, ()))
    by_year = bool(doc.meta.date and str(doc.meta.date.year) in clues.years or (
        doc.meta.consultation and doc.meta.consultation.start
        and str(doc.meta.consultation.start.year) in clues.years))
    if score < threshold:
        score, weak_spans = _weak_naming(doc, clues, titles, by_status, by_year, threshold, sc, corpus)
        spans += weak_spans
    if score < threshold:
        return None
    for title in named_titles:  # where the title is named (only for documents named at all)
        title_spans = _title_spans(text, _core(title))  # its words, not its (征求意见稿)
        if sum(b - a for a, b in title_spans) >= sc.title_span_min:
            spans += title_spans
    if any(len(core) >= sc.title_span_min and core in text for core in map(_core, named_titles)):
        score += sc.title_written
    if by_status:
        score += sc.status_named
        for word in STATUS_WORDS.get(status, ()):  # 《…》(征求意见稿): part of its name
            at = clues.lowered.find(word)
            if at >= 0 and any(0 <= at - end <= sc.status_gap and not text[end:at].strip("()（）《》 ")
                               for _, end in spans):
                spans.append((at, at + len(word)))
    if by_year:
        score += sc.year_named
    issuer = doc.meta.issuer or ""
    if len(issuer) >= sc.issuer_min and issuer in text:
        score += sc.issuer_named
    if doc.in_force:
        score += sc.in_force
    if doc.doc_id in corpus.superseded_by:
        score -= sc.superseded
    return Naming(doc, score, tuple(sorted(set(spans))))


_TITLE_NUMBER = pattern("title_number")
"""A long number with 号 (03154号): a title carrying it is named by it (short ones, 3号, name nothing
alone)."""


def _number_naming(doc: Document, clues: _TextClues, sc: NamingScores) -> tuple[float, list[tuple[int, int]]]:
    """The document's 文号 in the text (in full, or its number as 66号文 / 66号), and where."""
    number = doc.meta.doc_number or ""
    m = _DOC_NUMBER.search(number)
    if not number or not (number in clues.text or (m and ((m.group(1), m.group(2)) in clues.pairs
                                                          or m.group(2) in clues.numbers))):
        # 第03154号提案答复函: a number the title itself carries (a reply's proposal number)
        for found in _TITLE_NUMBER.finditer(clues.text):
            n = found.group(1)
            if re.search(rf"(?<!\d){n}(?!\d)", doc.title):
                return sc.doc_number, [found.span()]
        return 0.0, []
    suffixes = cues().document_number_suffixes
    for pat in (number, *(f"{m.group(2)}{suffix}" if m else "" for suffix in suffixes)):
        at = clues.text.find(pat) if pat else -1
        if at >= 0:
            return sc.doc_number, [(at, at + len(pat))]
    return sc.doc_number, []


def _title_naming(doc: Document, clues: _TextClues, titles: _TitleIndex, threshold: float,
                  sc: NamingScores) -> tuple[float, list[str]]:
    """The share of one of the document's titles the text holds (versions of one document share
    their titles: status and force decide between them), and the titles it names."""
    score, named = 0.0, []
    for title, tg, total in titles.family[doc.doc_id]:
        common = clues.grams & tg
        if total and len(common) >= sc.title_min_bigrams and (clues.subject is None or _names_subject(
                clues.subject, titles.subjects.get(title, (set(), 0.0)), titles.idf,
                SUBJECT_NAMED * threshold / NAMED)):
            share = math.fsum(titles.idf.get(g, 1.0) for g in common) / total
            score = max(score, share * sc.title)
            named.append(title)
    return score, named


def _abbreviation_naming(doc: Document, clues: _TextClues, titles: _TitleIndex, corpus: Corpus, score: float,
                         sc: NamingScores) -> tuple[float, list[tuple[int, int]]]:
    """A short name of one of the document's titles (高地方案, 杭州人工智能试验区行动方案), where it
    names the document more strongly than `score` (the clues before): the new score and its spans."""
    spans = []
    for core, placed in titles.cores[doc.doc_id]:
        free = bool(clues.place_spans) and not placed and _belongs(doc, clues.text, corpus)
        kept, span = _abbreviation(clues.text, core, list(clues.place_spans), free)
        abbreviation = sc.abbreviation + min(sc.abbreviation_max_extra, kept * sc.abbreviation_per_char)
        if kept and abbreviation > score:
            score = abbreviation
            spans.append(span)
    return score, spans


def _weak_naming(doc: Document, clues: _TextClues, titles: _TitleIndex, by_status: bool, by_year: bool,
                 threshold: float, sc: NamingScores, corpus: Corpus) -> tuple[float, list[tuple[int, int]]]:
    """Clues that name a document only together: its status and year (2024年的征求意见稿), its
    issuer and year (省政府办公厅2025年印发的措施), the kind only its family has (实施意见,
    若干规定, 行动方案) — unless the text names another place with a document of its own (重庆那个
    智能装备行动计划 is no 金华's 行动计划). Below the threshold: 0."""
    if by_status and by_year:
        return sc.weak_clue, []
    if by_year and _issuer_named(clues.text, doc.meta.issuer or ""):
        return sc.weak_clue, []
    for kind in titles.kinds_of.get(doc.doc_id, ()):
        if kind in clues.text and titles.kinds.get(kind) == 1 and not _placed_elsewhere(doc, clues.text, corpus):
            at = clues.text.find(kind)
            return sc.weak_clue, [(at, at + len(kind))]
    return 0.0, []


def _alias_naming(text: str, doc: Document, titles: _TitleIndex, corpus: Corpus,
                  sc: NamingScores) -> tuple[float, list[tuple[int, int]]]:
    """How strongly the document's aliases name it in the text, and where."""
    score, spans = 0.0, []
    for alias in doc.meta.aliases:
        at = text.find(alias) if alias else -1
        if at < 0:
            continue
        if alias in titles.shared_aliases:
            if _another_place_s(doc, text, corpus):
                continue
            # 征求意见稿 (other documents are drafts too) names its owner only when nothing else
            # in the text points at another document's title (征求意见稿第3条讲什么)
            rest = title_shares(without_spans(text, ((at, at + len(alias)),)), corpus)
            mine = rest.get(doc.doc_id, 0.0)
            if any(v >= SHARED_ALIAS_OTHER and v > mine for d, v in rest.items() if d != doc.doc_id):
                continue
            score = max(score, sc.shared_alias)  # a generic word: it names, but stays a word of the question
        else:
            score = max(score, sc.alias + len(alias) / 100)
            spans.append((at, at + len(alias)))
    return score, spans


def _issuer_named(text: str, issuer: str) -> bool:
    """The text names the issuer (浙江省人民政府办公厅, 省政府办公厅, 省府办公厅 …): the issuer
    itself, or it with its place and 人民 left out."""
    if len(issuer) < 4:
        return False
    if issuer in text:
        return True
    core = issuer.replace("人民政府", "政府")
    short = pattern("issuer_place").sub(r"\1", core)
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


_TIAO_LINE = pattern("tiao_line")
_TIAO_WRITTEN = pattern("tiao_written")


def _listing_article(doc: Document, number: int) -> Article | None:
    """In a document whose items are not 第N条 (a 政策解读 with 一、二、), the one item holding a
    line that starts with 第N条 (二、主要内容 listing 第一条…第四条 of the document it explains);
    None otherwise."""
    if any(a.label.strip().startswith("第") for a in doc.articles if a.number > 0):
        return None
    found = []
    for a in doc.articles:
        if a.number > 0 and any(_safe_int(m.group(1)) == number for m in _TIAO_LINE.finditer(a.text)):
            found.append(a)
    if not found:
        # (三、工作举措 saying 第一至第五条措施,强化…: the item that writes the number, in a range or not)
        found = [a for a in doc.articles if a.number > 0 and any(
            _written_covers(m, number) for m in _TIAO_WRITTEN.finditer(a.text))]
    return found[0] if len(found) == 1 else None


def _written_covers(m: re.Match[str], number: int) -> bool:
    first, last = _safe_int(m.group(1)), _safe_int(m.group(2)) if m.group(2) else None
    if first is None:
        return False
    return first == number if last is None else first <= number <= last


def _safe_int(numeral: str) -> int | None:
    try:
        return chinese_int(numeral)
    except ValueError:
        return None


def resolve(ref: Reference, corpus: Corpus, question: str) -> list[Article]:
    """The articles a reference can mean: in the first document the question names that has such
    an article, else in every document that has one (documents in force first)."""
    named = documents_named(ref.context, corpus) or documents_named(question, corpus)
    docs = named if named else sorted(corpus.documents, key=lambda d: not d.in_force)
    out = []
    for doc in docs:
        by_label = [a for a in doc.articles if a.kind == "article" and label_number(a) == ref.number
                    and "(" not in a.label and "（" not in a.label]
        art = by_label[0] if len(by_label) == 1 else doc.article(ref.number)
        listed = _listing_article(doc, ref.number) if named else None
        art = listed or art
        if art is not None and art.number > 0:
            out.append(art)
            if named:
                break  # the first named document that has it (a cut 草案 page lacks 第二十条, its 解读 has it)
    return out
