"""Retrieval: lexical (BM25) and dense evidence fused per article, explicit article references
resolved per document, and the scope judgement (`scope.py`) that decides whether the library
covers a question at all."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np
from typing import Any, Sequence


from ..index.encoders import Encoder
from ..index.policy_index import PolicyIndex
from ..lang.cues import data, pattern
from ..lang.lexical import function_words, is_cjk, specificity
from ..lang.reading import says, word_spans
from ..models import DRAFTS, Hit
from ..lang import places as places_mod
from .doc_places import Place, has_own_document, place_index, relation
from .references import (STATUS_WORDS, Naming, article_references, find_references, namings,
                         resolve, title_shares, without_spans)
from .gaps import asks_department, draft_only_phrases, facet_phrases, only_of_drafts
from .scope import Scope, ScopeJudge, ScopeParams

ANCHOR_BONUS = 0.02
"""Added to the ordering (not the score) of articles that hold the question's strongest anchor:
it decides near ties only (fused scores run from 0 to 1)."""
PART_TERMS_MAX = 3
"""A word the index holds only inside longer library terms reaches at most this many of them."""
SHORT_NAME_BONUS = 0.3
"""Added to the ordering of the article that gives a document it cites the short name a question
asking a document's facts (文号, 发布日期) writes (以下简称《省遴选通知》): the question points at that
article as by its number."""
VERBATIM_BONUS = 0.06
"""Added to the ordering of the one near-top article that holds a long stretch of the question
word for word (达到产业化水平的人形机器人整机产品 in 第1条, 城市建设与治理场景 in 第13条's title): a
caller quoting a text decides near ties, more than one anchor word does (ANCHOR_BONUS)."""
VERBATIM_MIN = 8
"""Characters of the question an article must hold word for word …"""
VERBATIM_LEAD = 2
"""… this many more than any other of the near-top articles."""
VERBATIM_POOL = 5
"""The near-top articles compared (by fused score)."""
TITLE_QUOTED_MIN = 4
"""A heading this long (characters) written in the question names its article."""
HEADING_TAIL_SHARE = 0.6
"""A heading's last part a question writes names its article when it is this much of the heading."""
LEXICAL_WEIGHT = 0.5
"""Weight of BM25 in the fused score (dense gets the rest); see `make calibrate`."""
QUERY_FULL_WEIGHT = 2.0
"""A query word at least this specific in general usage counts fully in BM25 …"""
QUERY_WEIGHT_FLOOR = 0.2
"""… a common one (企业, 支持, 有) at least this much."""
SUPERSEDED_WEIGHT = 0.8
"""A replaced document's articles (a draft whose final version is in the library) count this much:
the version in force answers first, the other is still cited beside it."""
REPEALED_OF_PLACE_WEIGHT = 0.5
"""A repealed document of the place a question names counts this much (others of no place asked: 0)."""
NOT_IN_FORCE_WEIGHT = 0.6
"""When a question asks for what is current (现行, 最新, in force), documents not in force count
this much."""
ASKS_CURRENT = pattern("asks_current")
CITY_LEVEL = pattern("asks_city_level")
DISTRICT_LEVEL = pattern("asks_district_level")
OTHER_LEVEL_WEIGHT = 0.7
"""A question that says 市里 (or 区里) counts documents of the other level this much."""
PLACE_WEIGHTS = {"same": 1.0, "inside": 0.8, "contains": 0.75, "other": 0.5, None: 0.8}
"""A question that names a place (at any level) counts each document by how its own place
relates to it: the place's own document fully, a wider area's document (the city's, for a district
asked) a little less, a document of a place inside the one asked less, another place's least;
a document with no place of its own in between."""
COMPARED_NAMED = 0.4
"""A comparison question names its documents this strongly at least (part of a title will do)."""
TITLE_AFFINITY = 1.0
"""With a place named: a document counts up to this much more when the question holds its whole
title (the words of its subject: 智能机器人, not 人工智能)."""
ASKS_OLD = pattern("asks_old")
LOCAL_LEVEL = pattern("local_level")
MAX_DENSE_CHARS = 400
"""Only this much of a question is embedded (a longer one says nothing more; bounded cost)."""

__all__ = ["LEXICAL_WEIGHT", "FusionRetriever", "Retrieval", "article_references"]


@dataclass
class Retrieval:
    """Ranked hits plus the scope verdict and the evidence behind it."""

    hits: list[Hit]
    scope: Scope
    references: list[int] = field(default_factory=list)
    """Article numbers the question named."""
    documents: list[str] = field(default_factory=list)
    """doc_ids the question named (文号, alias, title)."""
    best_by_doc: dict[str, Hit] = field(default_factory=dict)
    """The best-ranked article of every document that has another version (what that version
    says on the point)."""
    compared: list[str] = field(default_factory=list)
    """doc_ids of two documents a comparison question names (their articles come first)."""
    unstated: str = ""
    """What the question asks that the document it names does not state (a chapter its text
    lacks, its final version, a year it never mentions, a figure printed as `**`): the answer
    says so, with the nearby articles as related only."""
    name_spans: tuple[tuple[int, int], ...] = ()
    """Spans of the question that name a document or a place: they say which document, not
    which of its sentences answers."""
    listed: int = 0
    """How many of the first hits together answer a question asking for a list of articles
    (哪些条款写明了具体金额): each is cited and quoted."""

    @property
    def in_scope(self) -> bool:
        return self.scope.covered

    @property
    def reason(self) -> str:
        return self.scope.reason

    @property
    def evidence(self) -> dict[str, Any]:
        return self.scope.evidence() | {"references": self.references, "documents": self.documents}


def _minmax(values: dict[str, float], keys: list[str]) -> dict[str, float]:
    vals = [values.get(k, 0.0) for k in keys]
    if not vals:
        return {}
    lo, hi = min(vals), max(vals)
    if hi - lo < 1e-12:
        return {k: 0.0 for k in keys}
    return {k: (values.get(k, lo) - lo) / (hi - lo) for k in keys}


NAME_FREE_MIN_WEIGHT = 0.5
"""The question words left once names are set aside must weigh this much (more than one grammar word) for an
item to be put before the header."""
KIND_WORD_MAX = 3
"""A word this short ending in a kind of document (复函, 来函, 通知) names which document."""
_DOCUMENT_KINDS = tuple(data("document_text.json")["document_kinds"])
NAME_FREE_LEAD = 2.0
"""How many times the header's score (BM25 over a question's words that do not name a document)
a document's item must have to come before its header: a header holding some of those words
(会议通过, 落款) keeps its place."""


class FusionRetriever:
    """Fuses BM25 and dense evidence per article; refuses questions the library does not cover.

    A plain class, so answering a question never imports LangChain's runnables and tracers (a
    cold `ask` would pay ~0.4 s for them); `langchain_retriever.PolicyRetriever` is the same
    retrieval as a LangChain retriever.
    """

    def __init__(self, index: PolicyIndex, embeddings: Encoder, *, k: int = 4,
                 lexical_weight: float = LEXICAL_WEIGHT, scope_params: ScopeParams | None = None,
                 measures: Sequence[Sequence[str]] = ()) -> None:
        self.index = index
        """The opened index."""
        self.embeddings = embeddings
        """The same embeddings the index was built with."""
        self.k = k
        """Articles returned when a call does not say."""
        self.lexical_weight = lexical_weight
        """Weight of BM25 evidence in the fused score."""
        self._judge = ScopeJudge(index.corpus, index.tokenizer, index.bridge, scope_params, index.typo_terms,
                                 measures)
        self._stop = function_words()
        self._spec = specificity()

    @property
    def judge(self) -> ScopeJudge:
        return self._judge

    def warm(self) -> None:
        """Pay the one-time costs of the first questions now (`ScopeJudge.warm`)."""
        self._judge.warm()

    def _asking_department(self, text: str) -> frozenset[str]:
        """The words of a question that ask which department is responsible: two or more words the
        vocabulary reads as a department role (哪个部门牵头, 牵头部门都有谁), or one in words that ask
        for the department (谁牵头); one alone otherwise (我们牵头做了个标准) may be a topic of its own."""
        roles = set(data("cues.json")["department_roles"])
        vocab = self.index.corpus.vocabulary
        found = frozenset(t for t in self.index.tokenizer.cut(text, search=False) if roles & set(vocab.expansions(t)))
        # (创新中心谁牵头: one role word, asked as the facet asks it)
        return found if len(found) >= 2 or found and asks_department(text) else frozenset()

    def _query_weight(self, token: str) -> float:
        """A query token's BM25 weight: its general specificity, between QUERY_WEIGHT_FLOOR and 1."""
        return min(1.0, max(QUERY_WEIGHT_FLOOR, self._spec.weight(token) / QUERY_FULL_WEIGHT))

    def _lexical_query(self, scope: Scope, text: str, asking: frozenset[str] = frozenset()) \
            -> tuple[list[str], list[float]]:
        """BM25 query tokens (the question's words without function words and department-role
        words, plus the library terms its synonyms and English words stand for), each weighted by
        its general specificity."""
        tok = self.index.tokenizer
        vocab = self.index.corpus.vocabulary
        # 哪个部门牵头: `asking`, words the vocabulary reads as a department role (牵头, 部门 →
        # 责任单位), ask who is responsible; as themselves they would pick out 第4条's 牵头开展技术交易
        tokens = [t for t in tok.cut(text) if t not in self._stop and t not in asking]
        shares = [1.0] * len(tokens)
        extra = list(scope.expansions)
        words = tok.cut(text, search=False)
        for i, t in enumerate(words):
            pairs = ("".join(words[max(0, i - 1):i + 1]), "".join(words[i:i + 2]))
            if any(len(p) > len(t) and is_cjk(p) and self._judge.text.in_measures(p.lower()) for p in pairs):
                continue  # 标准制定: a measure the articles name, not 制定 (drafting) with its synonyms
            extra += vocab.expansions(t)
            extra += self._holding_terms(t)
        extra += self._cut_synonyms(text.lower(), words)
        for term in dict.fromkeys(extra):
            senses = term.split("、")  # one English word's senses share its weight
            for sense in senses:
                more = [t for t in tok.cut(sense) if t not in self._stop]
                tokens += more
                shares += [1.0 / len(senses)] * len(more)
        weights = [share * self._query_weight(t) for t, share in zip(tokens, shares)]
        return tokens, weights

    def _cut_synonyms(self, text: str, words: list[str]) -> list[str]:
        """The terms of everyday words the tokenizer cut in two (机器狗 → 机器/狗, 招人 → 招/人): a
        synonym written across word boundaries, never inside one word (工厂 of 智能工厂, 算力 of
        算力券: that word is what the question says)."""
        spans = word_spans(text, words)
        starts, ends = {a for a, _, _ in spans}, {b for _, b, _ in spans}
        vocab = self.index.corpus.vocabulary
        out: list[str] = []
        for key, terms in vocab.synonyms.items():
            if len(key) < 2 or not is_cjk(key) or key in words:
                continue
            for m in re.finditer(re.escape(key), text):
                if m.start() in starts and m.end() in ends:
                    out += terms
                    break
        return out

    def _holding_terms(self, word: str) -> list[str]:
        """The library's own terms that start with a word the index has only inside them (四足 of
        四足机器人, which the tokenizer keeps whole): at most PART_TERMS_MAX of them, else none. A
        term of its own (服务机器人, a kind) is no part of the longer ones (护理服务机器人)."""
        idf = self.index.bm25.idf
        terms = self.index.corpus.vocabulary.terms
        if len(word) < 2 or not is_cjk(word) or word in idf or word in self._stop or word in terms:
            return []
        holders = [t for t in terms if t.startswith(word) and t != word and t.lower() in idf]
        return holders if len(holders) <= PART_TERMS_MAX else []

    def rank(self, question: str, scope: Scope | None = None,
             skip: tuple[tuple[int, int], ...] = ()) -> tuple["Ranking", Scope]:
        """Every article scored (numpy arrays, no object per article) and the scope verdict.
        `skip`: spans of the question that name a document (they say nothing about which of its
        articles is meant)."""
        scope = scope or self._judge.judge(question)
        text = without_spans(scope.corrected, skip) if skip else scope.corrected
        if not text.strip():
            text = scope.corrected
        # 我们是系统集成商 不做整机: what the asker does not make is no topic to rank by
        unmade = tuple(m.span() for m in _NOT_MADE.finditer(scope.corrected))
        kept = without_spans(text, unmade)
        text = kept if kept.strip() else text
        asking = self._asking_department(scope.corrected)
        tokens, weights = self._lexical_query(scope, text, asking)
        lex = _minmax_array(self.index.bm25.score_array(tokens, weights))
        dense_text = text[:MAX_DENSE_CHARS]
        if scope.english and scope.expansions:
            dense_text += " " + " ".join(scope.expansions)
        dense = _minmax_array(self.index.dense_array(self.embeddings.embed_query(dense_text)))
        w = self.lexical_weight
        fused = w * lex + (1 - w) * dense
        bonus = None
        anchored = self._anchored(scope, asking, without_spans(scope.corrected, unmade) if unmade else None)
        if anchored:
            bonus = np.zeros(len(lex))
            bonus[list(anchored)] = ANCHOR_BONUS
        quoted = self._quoted(text, fused)
        if quoted is not None:
            bonus = np.zeros(len(lex)) if bonus is None else bonus
            bonus[quoted] += VERBATIM_BONUS
        for i in self._titled(text, exclude=quoted):
            bonus = np.zeros(len(lex)) if bonus is None else bonus
            bonus[i] += VERBATIM_BONUS
        named = [where for name, where in self.short_names.items() if name in scope.corrected]
        for i in {i for where in named for i in where} if named and facet_phrases(scope.corrected) else ():
            # 依据的省遴选通知文号是什么: the article that gives the document it cites that name
            # (《…通知》(通告〔2021〕6号,以下简称《省遴选通知》)) holds what it says of it
            bonus = np.zeros(len(lex)) if bonus is None else bonus
            bonus[i] += SHORT_NAME_BONUS
        return Ranking(self.index, fused, lex, dense, bonus), scope

    def _quoted(self, text: str, fused: Any) -> int | None:
        """The one near-top article holding the longest stretch of the question word for word,
        when it is long (VERBATIM_MIN) and longer than any other's by VERBATIM_LEAD; else None."""
        n = min(VERBATIM_POOL, len(fused))
        if n < 2 or len(text) < VERBATIM_MIN:
            return None
        pool = np.argpartition(-fused, n - 1)[:n]
        articles = self.index.article_list
        spans = sorted(((_longest_stretch(text, f"{articles[int(i)].title}\n{articles[int(i)].text}"), int(i))
                        for i in pool), reverse=True)
        (best, i), (second, _) = spans[0], spans[1]
        return i if best >= VERBATIM_MIN and best - second >= VERBATIM_LEAD else None

    @cached_property
    def _headings(self) -> list[tuple[int, str]]:
        """(position, heading) of the numbered articles with a heading of their own at least
        TITLE_QUOTED_MIN characters long (not a sentence's opening words)."""
        return [(i, a.title.strip()) for i, a in enumerate(self.index.article_list)
                if a.number and len(a.title.strip()) >= TITLE_QUOTED_MIN and "…" not in a.title]

    @cached_property
    def short_names(self) -> dict[str, list[int]]:
        """Short names texts give the documents they cite (以下简称《省遴选通知》) → the positions
        of the articles that give them (the scope judge reads them)."""
        position = self.index.position
        return {name: [position[id(a)] for a in articles if id(a) in position]
                for name, articles in self._judge.cited_short_names.items()}

    def _head_names_asked(self, hits: list[Hit], asked: str) -> bool:
        """Whether the first hit gives a document it cites a short name the question writes."""
        at = self.index.position.get(id(hits[0].article)) if hits else None
        return any(name in asked and at in where for name, where in self.short_names.items()) \
            and bool(facet_phrases(asked))

    @cached_property
    def _heading_tails(self) -> list[tuple[int, str]]:
        """(position, tail) of the headings' last parts a caller names an item by (发展目标 of
        总体发展目标): at least TITLE_QUOTED_MIN characters and HEADING_TAIL_SHARE of the heading,
        written at the end of no other heading."""
        tails = [(i, title[k:]) for i, title in self._headings for k in range(1, len(title))
                 if len(title) - k >= TITLE_QUOTED_MIN and (len(title) - k) >= HEADING_TAIL_SHARE * len(title)]
        return [(i, tail) for i, tail in tails
                if not any(j != i and title.endswith(tail) for j, title in self._headings)]

    def _titled(self, text: str, exclude: int | None = None) -> list[int]:
        """The articles whose own heading the question writes word for word (征求意见时间, 立法目的
        of 第一条【立法目的】), or its last part (发展目标里 示范场景要建多少个): the caller names the
        item."""
        whole = [i for i, title in self._headings if title in text and i != exclude]
        return whole + [i for i, tail in self._heading_tails
                        if tail in text and i != exclude and i not in whole]

    def _anchored(self, scope: Scope, asking: frozenset[str] = frozenset(), text: str | None = None) \
            -> frozenset[int]:
        """Articles holding the question's strongest anchor (a specific library word that picks
        out few articles, such as 以旧换新) that the ranked `text` still writes: between two
        articles the evidence otherwise scores alike, the one with it comes first."""
        # 哪个部门牵头: words asking who is responsible (`asking`; every article says) pick out no
        # article
        # (牵头 of 第4条's 牵头开展技术交易)
        anchors = [e for e in scope.words if e.anchor >= self._judge.params.anchor_min and e.word not in asking
                   and (text is None or e.word.lower() in text.lower())]
        if not anchors:
            return frozenset()
        return self._judge.text.articles_with(max(anchors, key=lambda e: e.anchor).found)

    def retrieve(self, question: str, k: int | None = None) -> Retrieval:
        """Ranked articles with the fused evidence and the scope verdict."""
        k = self.k if k is None else k
        corpus = self.index.corpus
        names = namings(question, corpus)
        if len(names) < 2 and (compares(question, documents=True) or compares(question) and (
                not names or len(place_index(corpus).named(question)) >= 2)):
            # the second document of a comparison (东阳和宁波的…分别: 分别 of two places' documents;
            # …实施意见,主线和关键分别是什么: of two things of the one named; 鲁政字〔2019〕84号对…
            # 分别怎么要求: of one named only under the comparison's threshold)
            names = namings(question, corpus, COMPARED_NAMED)
            if len(names) < 2:
                names += self._place_documents(question, names)[:2 - len(names)]
        if len(names) >= 2 and compares(question):  # the documents compared, in the order named
            names = sorted(names[:2], key=lambda n: max(n.spans, key=lambda sp: (sp[1] - sp[0], -sp[0]),
                                                        default=(len(question), 0))[0]) + names[2:]
        named = [n.doc.doc_id for n in names]
        # The names of a document and of its place say which document, not which article.
        place_spans = tuple((a, _zone_end(question, b)) for a, b, _ in place_index(corpus).mentions(question))
        # A document named only by a status word (征求意见稿,意见收到哪天为止) is still asked about
        # as that: only names with words of their own are no facet of the question.
        statuses = {w for words in STATUS_WORDS.values() for w in words}
        named_spans = _merged(tuple(sp for n in names[:2]
                                    if any(question[a:b].lower() not in statuses for a, b in n.spans)
                                    for sp in _with_version(question, n.spans, n.doc.title)),
                              NAME_SPAN_MIN, question)
        placeless = bool(named) and named_spans != () and place_index(corpus).own.get(named[0]) is None \
            and _names_its_title(question, names[0].doc.title)
        scope = self._judge.judge(question, named=named_spans, named_placeless=placeless)
        if "consultation" in scope.facets and only_of_drafts(question, "consultation") \
                and self._asks_of_issued_documents(question, named):
            # 深圳各区…报送推荐材料的截止日期是哪天: a deadline the notice's text sets, not a consultation's
            unasked = re.sub("|".join(map(re.escape, draft_only_phrases("consultation"))), " ", question)
            scope = replace(self._judge.judge(unasked, named=named_spans, named_placeless=placeless),
                            corrected=scope.corrected)
        ranking, scope = self.rank(question, scope, skip=(names[0].spans if names else ()) + place_spans)
        spans = (names[0].spans if names else ()) + place_spans
        refs = find_references(question)
        referenced: list[Hit] = []
        for ref in refs:
            for art in resolve(ref, corpus, question):
                hit = ranking.hit_of(art)
                if all(h.article is not art for h in referenced):
                    referenced.append(hit)
        numbers = [r.number for r in refs]
        if referenced:
            # A named document's article first; else one whose own label is the reference as
            # written (第三条 in a 第N条 document), then documents in force, then the best fit.
            # With words of its own, the question's content decides between documents; a bare
            # 第三条 goes to a document whose own label it is, then to one in force.
            written = {question[r.start:r.end].replace(" ", "") for r in refs}
            in_force = {d.doc_id for d in corpus.documents if d.in_force}
            content = any(w.weight >= 1.0 and w.credit > 0 for w in scope.words)
            status_named = {d.doc_id for d in corpus.documents if d.meta.status and any(
                w in question.lower() for w in STATUS_WORDS.get(d.meta.status, ()))}
            referenced.sort(key=lambda h: (h.article.doc_id not in named[:1],
                                           h.article.doc_id not in status_named,
                                           -h.score if content else 0.0,
                                           h.article.label.strip() not in written,
                                           h.article.doc_id not in in_force, -h.score))
            for h in referenced:
                h.reason, h.score = "reference", 1.0
            rest = ranking.top(k, exclude={id(h.article) for h in referenced})
            covered = Scope("covered", "explicit article reference", **_scope_fields(scope))
            return Retrieval((referenced + rest)[:k], covered, numbers, named, name_spans=spans)
        if refs:
            return Retrieval([], Scope("not_covered", f"no article {refs[0].number} in the library",
                                       **_scope_fields(scope)), numbers, named)
        if not scope.covered:
            return Retrieval([], scope, numbers, named)
        unlisted = self._place_without_document(question) if not named else None
        if unlisted:
            return Retrieval([], replace(scope, verdict="not_covered",
                                         reason=f"about another place ({unlisted})"), numbers, named)
        ranking = ranking.weighted(self._doc_weights(question, named), named[:1])
        hits = ranking.top(k)
        if named and not scope.meta and not self._head_names_asked(hits, scope.corrected):
            hits = _item_before_announcement(hits, without_spans(question, spans))
        if not scope.meta and not scope.facets:  # (主送哪些单位, 按照哪个指引: the header's own facts)
            hits = self._item_before_name_words(hits, without_spans(scope.corrected, spans)
                                                if len(scope.corrected) == len(question) else question)
        if len(named) >= 2 and compares(question):
            # 条例和行动方案对…有什么不同: each named document's best article, side by side.
            # in the order the question names them
            firsts = [h for h in (ranking.best_of(d) for d in named[:2]) if h is not None]
            hits = firsts + [h for h in hits if all(h.article is not f.article for f in firsts)]
            hits = hits[:max(k, len(firsts))]
        return Retrieval(hits, scope, numbers, named, ranking.best_by_doc(),
                         compared=[h.article.doc_id for h in hits[:2]] if len(named) >= 2
                         and compares(question) else [], name_spans=spans)

    def _item_before_name_words(self, hits: list[Hit], asked: str) -> list[Hit]:
        """A document's header (article 0) first only for what it holds beyond the document's
        names: a question naming a document in its own words (深圳具身智能机器人的行动计划定的…目标
        是多少) matches the header's title line, which says which document, not what it says.
        Scored again without the words of the document's title, short names and the names its
        header cites (《…》, a forwarded notice's) and places, the document's item among the hits that holds most of the rest comes
        first when it holds NAME_FREE_LEAD times as much of it as the header does."""
        if not hits or hits[0].article.number != 0:
            return hits
        head = hits[0].article
        if self._head_names_asked(hits, asked):
            return hits  # (依据的省遴选通知文号: the header that names it so is what is asked)
        items = [h for h in hits[1:] if h.article.doc_id == head.doc_id and h.article.number]
        doc = self.index.corpus.document(head.doc_id)
        if not items or doc is None:
            return hits
        names = " ".join([doc.title, doc.meta.short_title or "", *doc.meta.aliases,
                          *re.findall(r"《([^《》]+)》", head.text)])
        kinds = _DOCUMENT_KINDS
        tokens = [t for t in self.index.tokenizer.cut(asked) if t not in self._stop and t not in names
                  and not t.isdigit() and not (len(t) >= 2 and places_mod.resolve(t))  # (肇庆: where, not what)
                  and not (len(t) <= KIND_WORD_MAX and t.endswith(kinds))]  # (复函, 通知: which document)
        weights = [self._query_weight(t) for t in tokens]
        if sum(weights) < NAME_FREE_MIN_WEIGHT:
            return hits  # (是关于什么的通知: nothing left that an item could hold)
        scores = self.index.bm25.score_array(tokens, weights)
        position = self.index.position

        def held(article: Any) -> float:
            # its BM25 score, and the words it holds verbatim though the index cut them otherwise
            # (以…为主线 indexed as 为主/线: 主线 is still there)
            text = f"{article.title}{article.text}"
            return float(scores[position[id(article)]]) + sum(
                w for t, w in zip(tokens, weights) if len(t) >= 2 and t in text)

        item = max(items, key=lambda h: held(h.article))  # (the first of equals)
        best, own = held(item.article), held(head)
        if best > 0 and best >= NAME_FREE_LEAD * own:
            return [item] + [h for h in hits if h is not item]
        return hits

    def _asks_of_issued_documents(self, question: str, named: list[str]) -> bool:
        """Whether the documents the question names — else those of the one place it names — are
        all issued ones, with no consultation of their own (a notice, not a draft)."""
        corpus = self.index.corpus
        places = place_index(corpus)
        asked = places.most_specific(question)
        ids = named[:1] or ([d.doc_id for d in corpus.documents if places.own.get(d.doc_id) == asked[0]]
                            if len(asked) == 1 else [])
        docs = [d for d in map(corpus.document, ids) if d is not None]
        return bool(docs) and all(d.meta.status not in DRAFTS and d.meta.consultation is None for d in docs)

    def _place_documents(self, question: str, names: list[Naming]) -> list[Naming]:
        """For a comparison: the documents of the places it names (滨江区具身智能政策和…), one per
        place, the one whose title the question shares most first."""
        corpus = self.index.corpus
        places = place_index(corpus)
        taken = {n.doc.doc_id for n in names}
        shares = title_shares(question, corpus)
        out: list[Naming] = []
        for start, end, named_places in places.mentions(question):
            own = [d for d in corpus.documents if d.doc_id not in taken and places.own.get(d.doc_id) is not None
                   and any(relation(p, places.own[d.doc_id]) == "same" for p in named_places)
                   and any(relation(p, places.own[d.doc_id]) == "same" for p in places.most_specific(question))]
            if own:
                best = max(own, key=lambda d: (shares.get(d.doc_id, 0.0), d.in_force))
                taken.add(best.doc_id)
                out.append(Naming(best, COMPARED_NAMED, ((start, end),)))
        return out

    def _place_without_document(self, question: str) -> str | None:
        """A place inside the library's area but with no document of its own (a city a provincial
        document lists in passing), named as the subject of a policy or target (宁波的…目标) and not
        as where the asker is: the name, else None."""
        cues = _place_cues()
        corpus = self.index.corpus
        own = place_index(corpus)
        if any(own.mentions(question)):
            return None  # a place with a document of its own (or above one) is named
        for m in places_mod.find_places(question, self._judge.places.inside):
            if not m.places or not places_mod.inside(m.places, self._judge.places.inside):
                continue
            if m.text.lower() in corpus.jurisdictions \
                    or any(has_own_document(corpus, p.adcode) for p in m.places):
                continue
            before, after = question[max(0, m.start - 8):m.start], question[m.end:m.end + 16]
            if any((after.startswith(c) if len(c) == 1 else says(after, (c,))) for c in cues["policy_after"]) \
                    and not says(before, cues["asker_before"]):
                return m.text
            if _titled_after(question[m.end:]) and not says(before, cues["asker_before"]) \
                    and not self._judge.policies.referenced(question):
                return m.text  # 郑州场景驱动人工智能创新发展行动方案的文号: a document of that place by its title
        return None

    def _doc_weights(self, question: str, named: list[str]) -> list[float]:
        """Per document: the version in force first (replaced drafts count less), repealed
        documents left out (0) unless named or old versions are asked for, the level asked for
        (市里/区里) preferred."""
        current, old = bool(ASKS_CURRENT.search(question)), bool(ASKS_OLD.search(question))
        # 广东征求意见稿里…: a draft asked for by its status is no replaced version here
        draft = any(w in question.lower() for status in ("征求意见稿", "草案") for w in STATUS_WORDS.get(status, ()))
        corpus = self.index.corpus
        places = place_index(corpus)
        asked = places.most_specific(question)
        # A district or county named asks about its level, whatever else 市里 refers to.
        city = bool(CITY_LEVEL.search(question))
        district = bool(DISTRICT_LEVEL.search(question)) or any(p.rank == 2 for p in asked)
        # Title words of the subject only: every document of the place shares the place's name.
        subject = without_spans(question, tuple((a, b) for a, b, _ in places.mentions(question)))
        shares = title_shares(subject, corpus) if asked else {}
        out = []
        for doc in corpus.documents:
            weight = 1.0
            if asked and doc.doc_id not in named[:1]:
                # Among a place's documents (one per subject), the title words asked decide.
                weight *= PLACE_WEIGHTS[_closest(asked, places.own.get(doc.doc_id))] \
                    * (1.0 + TITLE_AFFINITY * shares.get(doc.doc_id, 0.0))
            if doc.doc_id not in named:
                if doc.meta.status == "废止" and not old:
                    # (衢州这个实施意见…: a repealed document of the very place asked is still what
                    # the caller asks about, after any in force; its answer says it is repealed)
                    weight = weight * REPEALED_OF_PLACE_WEIGHT \
                        if asked and _closest(asked, places.own.get(doc.doc_id)) == "same" else 0.0
                if doc.doc_id in corpus.superseded_by and not old and not draft:
                    weight *= SUPERSEDED_WEIGHT
                if current and not doc.in_force:
                    weight *= NOT_IN_FORCE_WEIGHT
                local = any(LOCAL_LEVEL.search(j) for j in doc.meta.jurisdiction)
                if (city and local and not district) or (district and not local and not city):
                    weight *= OTHER_LEVEL_WEIGHT
            out.append(weight)
        return out


@lru_cache(maxsize=1)
def _comparison_cues() -> tuple[str, ...]:
    data = json.loads((Path(__file__).parent.parent / "data" / "comparison_cues.json").read_text(encoding="utf-8"))
    return tuple(data["zh"]) + tuple(data["en"])


def _distributive_cues() -> tuple[str, ...]:
    return tuple(data("comparison_cues.json")["distributive"])


_TITLE_END = pattern("title_end")
TITLE_AFTER_PLACE = (6, 40)
"""Characters of a document's title after its place's name (场景驱动人工智能创新发展行动方案)."""


@lru_cache(maxsize=1)
def _titled_pattern() -> re.Pattern[str]:
    kinds = "|".join(map(re.escape, data("document_text.json")["document_kinds"]))
    lo, hi = TITLE_AFTER_PLACE
    return re.compile(rf"(.{{{lo},{hi}}}?(?:{kinds})){_TITLE_END.pattern}")


def _titled_after(rest: str) -> bool:
    """The words right after a place, to the end of their clause, are a document's title: a run of
    TITLE_AFTER_PLACE characters that ends in a kind of document (行动方案, 实施意见) before 的 or the
    clause's end, asking nothing itself (哪些政策, 有没有…措施 ask what there is)."""
    clause = re.split(r"[,，。;；?？!！\s]", rest, maxsplit=1)[0]
    m = _titled_pattern().match(clause)
    return m is not None and not any(w in m.group(1) for w in data("cues.json")["interrogatives"])


@lru_cache(maxsize=1)
def _place_cues() -> dict[str, tuple[str, ...]]:
    data = json.loads((Path(__file__).parent.parent / "data" / "place_subject_cues.json").read_text(encoding="utf-8"))
    return {k: tuple(v) for k, v in data.items() if not k.startswith("_")}


def compares(question: str, *, documents: bool = False) -> bool:
    """Does the question ask for a comparison (有什么不同, 区别, 相比, compare …)? `documents`: by
    a cue that compares documents, not only one that hands things out (分别, 各自)."""
    lowered = question.lower()
    spread = _distributive_cues() if documents else ()
    return any(cue in lowered for cue in _comparison_cues() if cue not in spread)


def _closest(asked: list[Place], own: Place | None) -> str | None:
    """The closest relation between a document's place and any place the question names."""
    if own is None:
        return None
    order = ("same", "inside", "contains", "other")
    return min((relation(a, own) for a in asked), key=order.index)


NAME_SPAN_MIN = 3
"""A stretch of a question naming a document hides its facet words only when it is this long (a
title's 意见 inside 公开征求意见时间 is the question's own word)."""


def _with_version(question: str, spans: tuple[tuple[int, int], ...], title: str) -> tuple[tuple[int, int], ...]:
    """Each span with the bracket right after it when the document's title holds that bracket
    (…促进条例(草案修改征求意见稿)): the version is part of the name, not a question about it."""
    out = []
    for a, b in spans:
        m = _VERSION_BRACKET.match(question, b)
        if m and m.group(1) in title:
            b = m.end()
        out.append((a, b))
    return tuple(out)


_VERSION_BRACKET = re.compile(r"\s*[(（]([^()（）]{1,20})[)）]")


def _merged(spans: tuple[tuple[int, int], ...], least: int, text: str) -> tuple[tuple[int, int], ...]:
    """Spans that overlap or are apart only by brackets (条例(草案)) joined; stretches shorter
    than `least` left out."""
    out: list[list[int]] = []
    for a, b in sorted(spans):
        if out and (a <= out[-1][1] or not text[out[-1][1]:a].strip("()（）《》 ")):
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return tuple((a, b) for a, b in out if b - a >= least)


def _minmax_array(values: Any) -> Any:
    lo, hi = float(values.min(initial=0.0)), float(values.max(initial=0.0))
    if hi - lo < 1e-12:
        return np.zeros_like(values, dtype=np.float64)
    return (values - lo) / (hi - lo)


ITEM_STRETCH_MIN = 4
"""Characters of the question (its document's name left out) a numbered item must hold word for
word, more than the announcement does, to come before it."""


_ZONE = pattern("zone_after_place")
_NOT_MADE = pattern("not_made")


def _zone_end(text: str, end: int) -> int:
    """Where a place's name ends with the development zone written right after it (淄博|高新区)."""
    m = _ZONE.match(text, end)
    return m.end() if m else end


def _item_before_announcement(hits: list[Hit], asked: str) -> list[Hit]:
    """When a question names a document and its announcement (article 0) ranks first, the
    document's first numbered item among the hits comes first instead if it holds a longer
    stretch of what is asked word for word (at least ITEM_STRETCH_MIN characters): the question
    quotes the item, not the notice around it."""
    if not hits or hits[0].article.number != 0:
        return hits
    doc = hits[0].article.doc_id
    item = next((h for h in hits[1:] if h.article.doc_id == doc and h.article.number), None)
    if item is None:
        return hits
    head = hits[0].article
    mine = _longest_stretch(asked, f"{item.article.title}\n{item.article.text}")
    if mine >= ITEM_STRETCH_MIN and mine > _longest_stretch(asked, f"{head.title}\n{head.text}"):
        return [item] + [h for h in hits if h is not item]
    return hits


def _longest_stretch(question: str, text: str) -> int:
    """Characters of the longest piece of the question (spaces apart) that the text (an article's
    title and text) holds."""
    best = 0
    for part in question.split():
        for start in range(len(part) - best):
            end = start + best + 1
            while end <= len(part) and part[start:end] in text:
                best, end = end - start, end + 1
    return best


ORDER_DECIMALS = 4
"""Decimal places of a fused score that rank hits; closer scores keep the library's order."""


class Ranking:
    """Fused, lexical and dense scores of every article as arrays (index order); Hit objects are
    made only for the articles that are shown."""

    def __init__(self, index: PolicyIndex, scores: Any, lexical: Any, dense: Any,
                 order_bonus: Any | None = None) -> None:
        self.index, self.scores, self.lexical, self.dense = index, scores, lexical, dense
        self.order_bonus = order_bonus
        self.order_key = scores if order_bonus is None else scores + order_bonus

    def hit(self, i: int) -> Hit:
        return Hit(self.index.article_list[i], round(float(self.scores[i]), 6),
                   round(float(self.lexical[i]), 6), round(float(self.dense[i]), 6))

    def hit_of(self, article: Any) -> Hit:
        return self.hit(self.index.position[id(article)])

    def top(self, n: int, exclude: set[int] = frozenset()) -> list[Hit]:  # type: ignore[assignment]
        m = min(len(self.order_key), n + len(exclude))
        if m <= 0:
            return []
        part = np.argpartition(-self.order_key, m - 1)[:m]
        out = []
        # scores equal to ORDER_DECIMALS places rank in the library's order: the float noise of
        # another machine's embeddings (0.536283 vs 0.53626) does not reorder them
        key = np.round(self.order_key[part], ORDER_DECIMALS)
        for i in part[np.lexsort((part, -key))]:
            if self.scores[i] <= -1.0 or id(self.index.article_list[i]) in exclude:
                continue
            out.append(self.hit(int(i)))
            if len(out) == n:
                break
        return out

    def weighted(self, doc_weights: list[float], first_docs: list[str]) -> "Ranking":
        """Scores times their document's weight (0 leaves a document out); the first named
        document's articles ordered first."""
        w = np.asarray(doc_weights, dtype=np.float64)[self.index.doc_of]
        scores = np.where(w > 0, self.scores * w, -2.0)
        bonus = self.order_bonus
        if first_docs:
            ids = self.index.doc_position
            first = np.where(self.index.doc_of == ids.get(first_docs[0], -1), 10.0, 0.0)
            bonus = first if bonus is None else bonus + first
        return Ranking(self.index, scores, self.lexical, self.dense, bonus)

    def best_of(self, doc_id: str) -> Hit | None:
        """The best-ranked article of one document (its preamble only when nothing else scores)."""
        d = self.index.doc_position.get(doc_id)
        if d is None:
            return None
        start, end = self.index.doc_ranges[d]
        if end <= start:
            return None
        i = start + int(np.argmax(self.order_key[start:end]))
        return self.hit(i)

    def best_by_doc(self) -> dict[str, Hit]:
        """The best article of every document that has another version in the library (what
        that version says on the point); other documents are not needed for it."""
        out: dict[str, Hit] = {}
        corpus = self.index.corpus
        versioned = set(corpus.superseded_by) | set(corpus.superseded_by.values())
        for d, (start, end) in enumerate(self.index.doc_ranges):
            if corpus.documents[d].doc_id in versioned and end > start:
                i = start + int(np.argmax(self.scores[start:end]))
                if self.scores[i] > -1.0:
                    out[self.index.corpus.documents[d].doc_id] = self.hit(i)
        return out


def _scope_fields(scope: Scope) -> dict[str, Any]:
    return {name: getattr(scope, name) for name in (
        "words", "coverage", "anchor", "missing", "gaps", "other_places", "other_policies",
        "facets", "corrected", "expansions", "english", "meta")}


TITLE_PHRASE_MIN = 5
"""A question names a document by its title when it writes a phrase of the title this long
(通用人工智能 of 打造通用人工智能产业创新和应用高地若干政策), not a few shared words (促进, 条例)."""


def _names_its_title(question: str, title: str) -> bool:
    """The question writes a phrase of the title (TITLE_PHRASE_MIN characters), and the kinds of
    document it names (条例, 若干政策, 目录) are the title's too: 深圳经济特区人工智能产业促进条例
    does not name a library's 促进具身智能机器人产业高质量发展条例 that shares a few of its words."""
    phrase = any(title[i:i + TITLE_PHRASE_MIN] in question for i in range(len(title) - TITLE_PHRASE_MIN + 1))
    asked = [k for k in data("document_text.json")["document_kinds"] if k in question]
    return phrase and (not asked or any(k in title for k in asked))
