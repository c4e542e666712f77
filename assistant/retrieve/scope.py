"""Scope: does the library cover a question, cover it in part, or not at all — and on what evidence.

Evidence for a question being covered:
- its specific words are in the library, verbatim, through a synonym of the library's vocabulary,
  through the English bridge, or with one wrong character (a typo of a library term);
- a word that picks out a few articles (首台套, 揭榜挂帅) is an *anchor*: strong positive evidence.

Evidence against:
- another jurisdiction (a place of China outside every document's own, from the gazetteer), unless
  the library's own place is named too;
- another named policy (a 《title》 or a '…指导意见/行动计划' name that matches no library document);
- specific words the library lacks, weighted by how specific they are in *general* usage
  (wordfreq), so that 干嘛, 提到 or `like` weigh nothing and 公积金, 摇号 or `passport` a lot.

A question whose anchor outweighs what is missing, or whose specific words are mostly found, is
covered; when it also asks for something the text lacks (材料, 电话, 交税 …) the answer is graded:
the closest article with the gap stated. Constants are calibrated by `scripts/calibrate.py`.

The judge draws the verdict; what it weighs is read by its collaborators: `library_text` (what the
article texts contain), `typos`, `question_places`, `named_policies`, `gaps` (document facets and
what the text never specifies) and `evidence` (the question's topic words).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace
from typing import Any, Iterable

from ..ingest.corpus import Corpus, title_kind
from ..lang import reading
from ..lang.amounts import find_amounts
from ..lang.cues import pattern
from ..lang.lexical import Tokenizer, is_cjk, specificity
from ..lang.places import warm as warm_places
from ..models import Verdict
from .evidence import EvidenceReader, WordEvidence
from .gaps import Gaps, facet_phrases, facets
from .library_text import LibraryText
from .named_policies import NamedPolicies
from .question_places import PlaceReader, counterpart_place, policy_of_other_place
from .scope_params import ScopeParams
from .typos import TypoCorrector


@dataclass(frozen=True)
class Scope:
    """The verdict and the evidence behind it."""

    verdict: Verdict
    reason: str
    words: tuple[WordEvidence, ...] = ()
    coverage: float = 0.0
    anchor: float = 0.0
    missing: float = 0.0
    gaps: tuple[str, ...] = ()
    other_places: tuple[str, ...] = ()
    inside_places: tuple[str, ...] = ()
    """Places the question names inside the library's jurisdiction (杭州, 桐庐)."""
    other_policies: tuple[str, ...] = ()
    facets: tuple[str, ...] = ()
    """Document facets asked about (status, consultation, contact, drafter, number, date)."""
    corrected: str = ""
    """The question with typos of library terms corrected (what retrieval searches)."""
    expansions: tuple[str, ...] = ()
    """Library terms the question reaches through synonyms and the English bridge."""
    english: bool = False
    meta: bool = False
    """The question is about the document itself (status, consultation, contact …)."""
    name_words: tuple[str, ...] = ()
    """Words of the question only inside the spans naming a document by a name of its kind: they
    find it, and never count as one article's support for what is asked of it (北京市自动驾驶汽车
    条例…事故后的责任: 条例's own words in its 第一条); its coverage leaves them out only when what
    is asked besides them is missing."""

    @property
    def covered(self) -> bool:
        return self.verdict != "not_covered"

    def evidence(self) -> dict[str, object]:
        return {"verdict": self.verdict, "reason": self.reason, "coverage": round(self.coverage, 3),
                "anchor": round(self.anchor, 3), "missing": round(self.missing, 3),
                "gaps": list(self.gaps), "other_places": list(self.other_places),
                "other_policies": list(self.other_policies), "facets": list(self.facets),
                "words": [(w.word, round(w.weight, 2), w.found, w.how) for w in self.words]}


_ORGANIZATION = pattern("organization")
"""Names of departments and bodies (市科技局, 市委人才办): issuers and contacts, not measures."""
_LOCATIVE_PLACE = pattern("locative_place")
_REFERENCE = pattern("scope_article_reference")
MEASURE_REACH = 2
"""Characters before or after a facet word (制定) that may make it part of a measure (标准制定)."""


def strip_figures(question: str) -> str:
    """The question without article references and amounts (they are read elsewhere and say
    nothing about the topic)."""
    from ..lang.amounts import find_amounts

    text = _REFERENCE.sub(" ", question)
    for m in reversed(find_amounts(text)):
        text = text[:m.start] + " " + text[m.end:]
    return text


# --- the judge ------------------------------------------------------------------------------------
def _located(text: str, name: str, names: list[str]) -> bool:
    """The place is where something is (项目在绍兴, 他们公司在上海, located in …), or follows such a
    place directly (绍兴柯桥)."""
    at = text.lower().find(name.lower())
    if at < 0:
        return False
    before = reading.clause_before(text, at).rstrip()
    return reading.puts_at_place(before) or any(before.endswith(n.lower()) and _located(text, n, names)
                                                 for n in names if n != name)


_REPORTED_SOURCE = pattern("reported_source")
_CITED_SHORT_NAME = pattern("cited_short_name")
CITED_NAME_MIN = 2
"""Characters of its own (besides its kind) a short name a text gives a document it cites must have
for a question naming it to ask of that document (《省遴选通知》: 省遴选; not 《指导意见》)."""


def cited_name_of_its_own(name: str) -> bool:
    """Whether a short name says more than a kind of document (省遴选通知, not 指导意见, 意见)."""
    kind = title_kind(name)
    return len(name) > CITED_NAME_MIN and len(name) - len(kind) >= CITED_NAME_MIN


class ScopeJudge:
    """Weighs a question's evidence against one library (corpus + its vocabulary and bridge): the
    verdict, drawn from what its collaborators read — the library's text (`text`), typos
    (`typos`), places (`places`), named policies (`policies`), gaps (`gaps`) and word evidence
    (`words`)."""

    def __init__(self, corpus: Corpus, tokenizer: Tokenizer, bridge: dict[str, list[str]] | None = None,
                 params: ScopeParams | None = None, terms: Iterable[str] | None = None,
                 measures: Iterable[Iterable[str]] = ()) -> None:
        self.corpus = corpus
        self.measures = tuple(tuple(w.lower() for w in m if len(w) >= 2) for m in measures)
        """Each calculator's own words (its triggers, amount, excluded part and conditions, from the
        rule data): a question stating an amount with enough of one measure's words is about it."""
        self.tokenizer = tokenizer
        self.params = params or ScopeParams()
        spec = specificity()
        self.text = LibraryText(corpus)
        self.typos = TypoCorrector(self.text, tokenizer, spec, self.params.typo_min,
                                   corpus.vocabulary.terms, terms)
        self.places = PlaceReader(corpus, self.text)
        self.policies = NamedPolicies(corpus, self.text)
        self.gaps = Gaps(self.text)
        self.words = EvidenceReader(self.text, tokenizer, corpus.vocabulary, bridge or {}, self.params, spec)

    def warm(self) -> None:
        """What the first questions would otherwise pay for: the library text's character index
        and the table of readings typos are checked against, and jieba's part-of-speech tags."""
        self.text.prepare()
        self.typos.warm()
        warm_places()

    def judge(self, question: str, named: tuple[tuple[int, int], ...] = (), *,
              named_placeless: bool = False) -> Scope:
        """The verdict on a question: first its evidence (`_measure`), then what that evidence
        says (`_verdict`). `named`: spans of the question that name a document; the facet words
        inside them (征求意见稿 in 《…(征求意见稿)》) are its name, not a question about it.
        `named_placeless`: the document the question names has no place of its own in its text
        (a partial page that says only 我省): a place the question names may be its place."""
        base, topical, gaps, facet_text = self._measure(question, named)
        return self._verdict(base, topical, gaps, facet_text, named_placeless)

    def _measure(self, question: str, named: tuple[tuple[int, int], ...] = ()) \
            -> tuple[Scope, str, tuple[str, ...], str]:
        """Everything the verdict is drawn from: the question's topic words with their evidence,
        its places, named policies and facets, and the coverage, anchor and missing weight —
        as a `Scope` without its verdict yet; with the question without figures (`topical`), the
        facets the library does not specify (`gaps`) and the text facets are read from (the
        question with the document names blanked)."""
        p = self.params
        english = len(re.findall(r"[A-Za-z]", question)) > 2 * len(re.findall(r"[\u4e00-\u9fff]", question))
        corrected, fixes = (question, []) if english else self.typos.correct(question)
        topical = strip_figures(corrected)
        tokens = self.tokenizer.cut(topical, search=False)
        inside, other_places = self.places.read(topical, tokens)
        policies = self.policies.unknown(corrected)
        facet_text = reading.blank_spans(corrected, named) if named and len(corrected) == len(question) else corrected
        facet_text = reading.blank_spans(facet_text, self._facet_words_in_measures(facet_text))
        # 据…条例草案征求意见的报道,…多少家: where the facts come from, not a facet asked of it
        facet_text = reading.blank_spans(facet_text, tuple(m.span() for m in _REPORTED_SOURCE.finditer(facet_text)))
        asked = facets(facet_text)
        quoted = [t for t in reading.quoted_titles(corrected)
                  if not any(t in title for title in self.corpus.doc_titles.values()) and self.text.has(t.lower())]
        # (依据的省遴选通知文号是什么: a document a library text cites under a short name of its own —
        # 《…遴选工作的通知》(通告〔2021〕6号,以下简称《省遴选通知》))
        quoted += [t for t in self.cited_short_names if t in corrected]
        # (工信部办公厅那个《关于推动工业互联网加快发展的通知》,文号是多少: a library document named by its
        # title without its issuer is the document asked about)
        if quoted:
            # 《…专项资金项目实施细则》文号是多少: the 文号 (issuer, date) of a document a library text
            # names, asked of that text's passage — not of the library document itself
            asked = [f for f in asked if f not in ("number", "drafter", "date")]
        skip = {w.lower() for w in inside} | self.corpus.jurisdictions
        # A place is not a topic word, nor are the pieces the tokenizer cuts it into (上城区 → 城区).
        unplaced = topical
        for name in sorted({*inside, *other_places}, key=len, reverse=True):
            if is_cjk(name):
                unplaced = unplaced.replace(name, " ")
        # (在紫金港那边建个概念验证中心: a place by its locative word, though no gazetteer knows it)
        # (在西湖景区边上: the locative word with it — 边上 is no topic either)
        unplaced = _LOCATIVE_PLACE.sub(lambda m: m.group(0)[:m.start(1) - m.start(0)] + " ", unplaced)
        words = [w for w in dict.fromkeys(self.words.topic_words(unplaced, english)) if w not in skip
                 and w not in other_places]
        evidence = self.words.of_question(words, self.words.example_words(topical, english),
                                          self.words.codes(corrected), {right for _, right in fixes}, english)

        def effective(e: WordEvidence) -> float:
            if e.credit > 0:
                return e.weight * (1.0 - p.spread_discount * e.spread)
            return e.weight * (p.untranslated_english if english else 1.0)

        # (广东省制造业高质量发展促进条例对违反规定的法律责任是怎么规定的: the words naming a document
        # find it, they do not show that the library holds what is asked of it)
        name_words = _name_only_words(evidence, corrected, named) if len(corrected) == len(question) else ()
        # (一共, 怎么表述: how it is asked, no topic the library must hold)
        asking = {*reading.cues().object_fillers, *reading.cues().text_words, *reading.cues().figure_asks}
        # (人大常委会第几号公告: who issued it is asked of the document; 定位成什么, 来源单位: a word of
        # the question the library holds besides the name is enough)
        measured = [e for e in evidence if e.word not in name_words and e.word not in asking
                    and not _ORGANIZATION.search(e.word)] if name_words else list(evidence)
        if not any(e.credit < 1.0 and e.weight >= p.name_free_found for e in measured) \
                or any(e.credit >= 1.0 and e.weight >= p.name_free_found for e in measured):
            measured = list(evidence)  # (the coverage of the whole question; support still without the name)
        total = sum(effective(e) for e in measured)
        found = sum(effective(e) * e.credit for e in measured)
        coverage = found / total if total else 0.0
        anchor = max((e.anchor for e in measured), default=0.0)
        missing_words = [e for e in measured if e.credit < 1.0]
        missing = max((e.weight * (1 - e.credit) for e in missing_words), default=0.0)
        expansions = tuple(dict.fromkeys(e.found for e in evidence
                                         if e.how in ("synonym", "translation", "typo", "abbreviation") and e.found))
        gaps = tuple(self.gaps.of(corrected))
        base = Scope("not_covered", "", words=evidence, coverage=coverage, anchor=anchor, missing=missing,
                     other_places=tuple(other_places), inside_places=tuple(inside),
                     other_policies=tuple(policies),
                     facets=tuple(asked), corrected=corrected, expansions=expansions,
                     english=english, name_words=name_words)
        return base, topical, gaps, facet_text

    def _verdict(self, base: Scope, topical: str, gaps: tuple[str, ...], facet_text: str,
                 named_placeless: bool = False) -> Scope:
        """The measured question (`base`) judged: about another place or policy, about the
        document itself, only the library's domain words, covered (fully or with `gaps`), or not."""
        p = self.params
        evidence = base.words
        other_places, inside, missing = base.other_places, base.inside_places, base.missing
        # a supplier's or customer's place (卖给上海的经销商) is a fact of the question, not its jurisdiction
        jurisdictions = [o for o in other_places if not counterpart_place(topical, o)]
        # 我们项目在绍兴柯桥…实际投了3000万…能资助多少, 他们公司在上海: where someone is, stated
        # with a measure's facts and an amount, is a fact for its calculator (which says the place
        # is outside), not another place's policy
        located = all(_located(topical, o, jurisdictions) for o in jurisdictions) \
            and self._states_measure(base.corrected)
        if jurisdictions and not named_placeless and not located \
                and (not inside or policy_of_other_place(topical, jurisdictions)):
            return replace(base, reason=f"about another place ({'、'.join(other_places)})")
        if base.other_policies:
            return replace(base, reason=f"about another policy ({'、'.join(base.other_policies)})")
        if base.facets and self._about_document(evidence, facet_phrases(facet_text)):
            # what it asks of the document may still be missing (its phone number, an e-mail)
            return replace(base, verdict="covered", reason="about the document itself", meta=True, gaps=gaps)
        found_words = [e for e in evidence if e.credit > 0 and e.weight > 0.1]
        if found_words and missing >= p.domain_only_missing \
                and all(e.spread >= p.domain_spread for e in found_words):
            return replace(base, reason="only the library's domain words (机器人 …) are found")
        strong_anchor = base.anchor >= p.anchor_min and base.anchor > missing + p.anchor_margin
        support = self._article_support(tuple(e for e in evidence if e.word not in base.name_words))
        together = support >= p.support_min and support > missing
        if base.coverage >= p.coverage_threshold or strong_anchor or together:
            if gaps:
                return replace(base, verdict="partial",
                               reason=f"covered, but the text does not specify {'、'.join(gaps)}", gaps=gaps)
            return replace(base, verdict="covered", reason="covered")
        if self._states_measure(base.corrected):
            # 子公司实际投资0.8亿,其中土地3000万,剩下都是新设备,假设认定了行业先进,资助多少: a
            # calculator's facts with an amount, however many other words the library lacks
            return replace(base, verdict="covered", reason="a measure's facts with an amount")
        return replace(base, reason=f"specific words not in the library (coverage {base.coverage:.2f})")

    def _states_measure(self, question: str) -> bool:
        """The question states an amount and at least `measure_words_min` distinct words of one
        measure (none inside another found one: 投资 of 实际投资 is one word)."""
        if not self.measures or not any(m.currency == "CNY" and m.yuan for m in find_amounts(question)):
            return False
        lowered = question.lower()
        for words in self.measures:
            found = [w for w in words if w in lowered]
            distinct = [w for w in found if not any(w != o and w in o for o in found)]
            if len(distinct) >= self.params.measure_words_min:
                return True
        return False

    def _facet_words_in_measures(self, text: str) -> list[tuple[int, int]]:
        """Spans of facet words that, with the two characters before or after them, are a measure
        an article names (标准制定, 制定标准): the measure, not a question about the document."""
        spans = []
        for ph in set(facet_phrases(text)):
            if not is_cjk(ph):
                continue
            for m in re.finditer(re.escape(ph), text):
                i, j = m.span()
                around = (text[max(0, i - MEASURE_REACH):j], text[i:j + MEASURE_REACH])
                if any(len(f) == len(ph) + MEASURE_REACH and is_cjk(f) and self.text.in_measures(f.lower())
                       for f in around):
                    spans.append((i, j))
        return spans

    @functools.cached_property
    def cited_short_names(self) -> dict[str, tuple[Any, ...]]:
        """The short names library texts give the documents they cite (《…的通知》(…,以下简称《省遴选
        通知》)) → the articles that give them; names of a kind alone (指导意见) left out. Read once,
        for the verdict and the ranking."""
        out: dict[str, list[Any]] = {}
        for d in self.corpus.documents:
            for a in d.articles:
                for m in _CITED_SHORT_NAME.finditer(a.text):
                    if cited_name_of_its_own(m.group(1)):
                        out.setdefault(m.group(1), []).append(a)
        return {name: tuple(articles) for name, articles in out.items()}

    def _article_support(self, evidence: tuple[WordEvidence, ...]) -> float:
        """The heaviest set of specific found words that one article contains together."""
        words = [e for e in evidence if e.credit >= 1.0 and e.how != "parts"
                 and e.weight >= self.params.support_word and e.spread <= self.params.support_spread]
        if len(words) < 2:
            return 0.0
        totals: dict[int, float] = {}
        for e in words:
            for i in self.text.articles_with(e.found):
                totals[i] = totals.get(i, 0.0) + e.weight
        return max(totals.values(), default=0.0)

    def _about_document(self, evidence: tuple[WordEvidence, ...], phrases: list[str]) -> bool:
        """No word of the question (other than the facet's own words: 施行, 截止) picks out an
        article other than the announcement."""
        for e in evidence:
            if any(e.word in ph or ph in e.word for ph in phrases) \
                    or (_ORGANIZATION.search(e.word) and (e.credit < 1.0 or self.text.names_body(e.found))):
                continue  # 起草, 截止 … and 市科技局: who issued it is a question about the document
            if e.credit >= 1.0 and e.spread < 0.3 and e.found not in self.text.announcements \
                    and e.weight >= 0.8:
                return False
        return True


_ENDS_IN_KIND = re.compile(f"(?:{pattern('policy_kind').pattern})[)）》]*$")


def _name_only_words(evidence: tuple[WordEvidence, ...], question: str,
                     named: tuple[tuple[int, int], ...]) -> tuple[str, ...]:
    """The evidence words that occur in the question only inside the spans naming a document by
    a name of its kind (…促进条例, …行动方案; not a body named with the library's words, 杭州市智能
    机器人产业创新中心)."""
    named = tuple((a, b) for a, b in named if _ENDS_IN_KIND.search(question[a:b]))
    if not named:
        return ()
    outside = reading.blank_spans(question, named).lower()
    return tuple(e.word for e in evidence if e.word.lower() not in outside)


def scope_judge(corpus: Corpus, tokenizer: Tokenizer, bridge: dict[str, list[str]] | None = None,
                params: ScopeParams | None = None) -> ScopeJudge:
    return ScopeJudge(corpus, tokenizer, bridge, params)


__all__ = ["Scope", "ScopeJudge", "ScopeParams", "WordEvidence", "scope_judge"]
