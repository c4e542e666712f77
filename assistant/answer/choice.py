"""Document-aware choice: which passage or document answers a question, given retrieval and the
scope verdict — the calculator a money question is about, the article a question about a
document's structure, chapter or announcement points to — and what the document a question names
cannot state (a year, a unit, a thing it never mentions, the final version of a draft)."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from ..calc.calculators import Rule, Unspecified, asks_about_money, trigger_hits, triggers_in
from ..ingest.parsing import title_bigrams
from ..ingest.structure import (asks_chapter_topic, chapter_described, asks_final_version, chapter_articles, listed_chapter,
                                masked_figure, structure_article, years_unstated)
from ..lang.amounts import find_amounts
from ..lang.cues import data, pattern
from ..lang.bridge import ENGLISH_STOP_ZIPF
from ..lang.lexical import function_words, is_cjk, specificity, tokenizer_for
from ..lang.reading import (asked_benefit, asked_things, clause_at, clauses, money_text, named_outside_exclusions,
                             quoted_title_pattern, quoted_titles, sentences)
from ..lang.reading import AskedBenefit, cut_mid_sentence, names_text, stated_amounts
from ..lang.reading import cues as reading_cues
from ..models import DRAFTS, Hit
from ..retrieve.gaps import asks_issue_date, facet_phrases, forms_of
from ..retrieve.library_text import spelled_out
from ..retrieve.doc_places import place_index
from ..retrieve.references import without_spans
from ..retrieve.retrieval import Retrieval, compares
from .compose import ASKS_COUNT, cited_number
from .resources import Resources

RULE_RANK_SCORES = (3.0, 2.0, 1.0)
"""A rule's article ranked first, second or third by retrieval …"""
RULE_TRIGGER_SCORE = 1.5
"""… and the rule's own words in the question (采购, 首台套, 算力券) …"""
RULE_AMOUNT_SCORE = 1.5
"""… an amount the question states after the rule's own amount words in its clause (首次采购六维力
传感器150万: 第2条's 采购) as much again …"""
RULE_MIN_SCORE = 2.5
"""… must together reach this: first place alone, or second/third place with the rule's words."""
EFFECTIVE = pattern("effective_date")
"""The sentence that says when a document is in force."""
THING_MIN_WEIGHT = 1.0
"""The thing a benefit is asked for (购车 of 购车补贴) must be at least this specific (the scope
judgement's word weights) to decide that the library does not give it: 费用, 拿到 or 政府 say
nothing about what the money is for."""
THING_MIN_WEIGHT_UNCHOSEN = 0.2
ASKED_THING_MIN_WEIGHT = 0.05
"""A thing a question asks for by its grammar (大会在哪里开, 标准号是多少) and the library has no trace
of decides that it is not covered from this weight on: being asked for, even a common noun (大会)
is the point of the question."""
"""… and this specific when no calculator or money article answers the question at all: then even
a common noun (汽车 of 购买新能源汽车个人有补贴吗) that no article with money mentions tells that
the policy does not give it."""
ARTICLE_WORD = pattern("article_label")
ASKS_WHICH_ARTICLES = pattern("asks_which_articles")
ENGLISH_THING_MIN_WEIGHT = 0.5
"""An English word this specific (the scope judgement's weights: office 0.1, rent 0.92) may say what
money is asked for."""


class DocumentChoice:
    """Chooses, over one assistant's resources, what answers a question and what its document
    cannot state."""

    def __init__(self, resources: Resources) -> None:
        self.resources = resources

    def choose(self, question: str, retrieval: Retrieval) -> Rule | Unspecified | None:
        """The calculator (or amount-less article) a money question is about: the rule whose
        article retrieval ranks highest, words of the rule in the question counting as one place
        up. Only the named document's rules when the question names one; a replaced document's
        rules only when it is named."""
        rank = {(h.article.doc_id, h.article.number): i for i, h in enumerate(retrieval.hits)}
        replaced = self.resources.corpus.superseded_by
        named = retrieval.documents[:1]
        top = retrieval.hits[0].article if retrieval.hits else None
        if not named and top is not None and _states_figures(top.text):
            # The best article states its own figures: another document's calculator (or its
            # "no amount" article) must not answer for it.
            named = [top.doc_id]
        best: tuple[float, Rule | Unspecified] | None = None
        candidates: list[Rule | Unspecified] = [*self.resources.rules.rules, *self.resources.rules.unspecified]
        for item in candidates:
            if named and item.doc_id not in named:
                continue
            if item.doc_id in replaced and item.doc_id not in named:
                continue
            r = rank.get((item.doc_id, item.article))
            score = (RULE_RANK_SCORES[r] if r is not None and r < len(RULE_RANK_SCORES) else 0.0) \
                + (RULE_TRIGGER_SCORE if trigger_hits(item, question) or _states_step_of(item, question) else 0.0) \
                + (RULE_AMOUNT_SCORE if isinstance(item, Rule) and _states_amount_of(item, question) else 0.0)
            if score >= RULE_MIN_SCORE and (best is None or score > best[0]):
                best = (score, item)
        return best[1] if best else None

    def not_provided(self, question: str, chosen: Rule | Unspecified | None,
                      retrieval: Retrieval) -> str:
        """The money a question asks for when the library does not give it: the benefit word
        comes right after a thing (购车补贴, 安家补贴, 流片费用有补贴吗) that the article the
        question would be calculated from does not mention — or no article with money does."""
        asked = asked_benefit(question, self.resources.retriever.index.tokenizer.cut(question, search=False))
        if asked is not None and not asked.things and retrieval.scope.english:
            return self._english_not_provided(question, asked.benefit, chosen, retrieval)
        lowered = question.lower()
        money = asked if asked is not None else AskedBenefit(next(b for b in reading_cues().benefits if is_cjk(b)), ()) \
            if any(w in lowered for w in reading_cues().money_asks) and self.figure_asked(question) \
            and not stated_amounts(question) else None
        triggers = [t.lower() for t in (chosen.triggers if chosen is not None else ())]
        conditions_stated = [question[a:b] for c in (chosen.conditions if isinstance(chosen, Rule) else ())
                             for a, b in c.stated_spans(question)]
        if money is not None and chosen is not None and not any(
                not any(sp.lower() in t or t in sp.lower() for t in triggers) for sp in conditions_stated):
            # (萧山 整机基地 实际投资12亿…已认定先进水平 资助多少: a question stating the measure's
            # own conditions asks for its money, whatever word of the article stands beside it;
            # 开源算法平台想申报市级开源开放示范平台,能给多少钱: money asked without a benefit word)
            beside = self._anchor_beside_money(question, chosen, retrieval)
            if beside and asked is not None and asked.things:
                # 租厂房生产减速器,有没有厂房租金补贴: the thing written before the benefit word is
                # what the money is asked for, not the most specific word beside it (减速器)
                return self._money_thing(question, asked, chosen, retrieval) or money.phrase(beside)
            if beside:
                return money.phrase(beside)
        if asked is None or not asked.things:
            return ""
        return self._money_thing(question, asked, chosen, retrieval) or ""

    def _money_thing(self, question: str, asked: AskedBenefit, chosen: Rule | Unspecified | None,
                     retrieval: Retrieval) -> str | None:
        """The money asked for a thing (the words before the benefit word, nearest first) the
        library does not give: its phrase; '' when a thing is what the money is for; None when no
        thing decides."""
        items, texts, triggers = self._money_texts(chosen, retrieval)
        texts += [" ".join([item.name, *item.triggers, getattr(item, "description", "")]) for item in items]
        kinds = [t for t in triggers if len(t) >= 2]
        named = [d for d in self.resources.corpus.documents if d.doc_id in retrieval.documents] \
            or self.resources.corpus.documents  # (the documents the question names, when it names any)
        names = " ".join(f"{d.title} {d.meta.short_title or ''} {' '.join(d.meta.aliases)}" for d in named)
        whole = [a.text for item in items for a in [self.resources.corpus.article(item.doc_id, item.article)]
                 if a is not None]
        library = [a.text for d in self.resources.corpus.documents if d.doc_id in {i.doc_id for i in items}
                   for a in d.articles]
        paid = [t for a in library for t in _money_sentences(a)]
        placed = {*retrieval.scope.inside_places, *retrieval.scope.other_places}
        facts = [sp for c in chosen.conditions for sp in c.stated_spans(question)] if isinstance(chosen, Rule) else []
        events = [m.span(1) for m in _EVENT_NAME.finditer(question)]
        for word in asked.things:  # nearest first
            at = question.find(word)
            if any(a <= at < b for a, b in events):
                continue  # 参加汉诺威工业展,有补贴吗: the fair's name, not what the money is for
            # 我们作为卖方自己能拿吗: a fact of the measure's conditions, not a thing money is for
            fact = any(a <= at and at + len(word) <= b for a, b in facts)
            if word in names:
                continue  # 按行动方案奖励多少: a document's name, not what the money is for
            if word in placed:
                continue  # 回到建德,资助上限多少: a place the question names (萧山, 建德), whose money it asks
            if any(_spelled_out_in(word, t) for t in texts):
                return ""  # 首采奖励, 智改贴息: what the money text writes in full (首次采购, 智能化改造)
            stated = _stretch_in(question, word, whole)
            if len(stated) <= len(word):
                # 应用示范工厂奖励多少: a thing another article of the document names whole, and
                # never in a sentence that gives money (上年度研发费用 of another measure is no gap)
                longer = _stretch_in(question, word, library)
                stated = longer if not any(longer in t for t in paid) else stated
            # 示范应用场景参评人工智能标杆示范项目: the stretch stops after a measure's own words
            cuts = [stated.rfind(k) + len(k) for k in kinds if k in stated and not stated.endswith(k)]
            stated = stated[max(cuts):] if cuts and len(stated) - max(cuts) > len(word) else stated
            if len(stated) > len(word) and len(stated) >= STATED_THING_MIN \
                    and not any(stated in t for t in texts) and not any(k in stated for k in kinds):
                # 人工智能标杆示范项目奖励: the article names the thing, but in a clause without
                # the money (重点支持…参评人工智能标杆示范项目): the money is not for it
                if not fact:
                    return asked.phrase(stated)
                continue
            if any(named_outside_exclusions(t, word) for t in texts) or any(k in word for k in kinds):
                return ""  # 落地项目有什么资助: 项目 is what the article funds; 控制软件 is a 软件
            if chosen is not None and not any(word in t for t in library) and self._kind_of_funded(word, texts):
                return ""  # 牵头制定了一项行业标准 能拿补助吗: a 标准, and the article funds 标准制定
            # (what a cost was for that the library has no trace of — CE认证的费用能补吗 — needs
            # less weight to tell)
            traceless = asked.cost and any(e.word == word and e.credit == 0 for e in retrieval.scope.words)
            least = THING_MIN_WEIGHT if chosen is not None and not traceless else THING_MIN_WEIGHT_UNCHOSEN
            if specificity().weight(word) >= least and not ARTICLE_WORD.search(word) \
                    and word not in function_words() and not fact \
                    and not _preposition_phrase(word):  # (按省标准: 按 and the province, no thing)
                return asked.phrase(word)  # 房租补贴, 流片(费用)补贴, (新能源)汽车补贴
        return None

    def _kind_of_funded(self, word: str, texts: list[str]) -> bool:
        """Whether the word, which the library never writes whole, is a kind of what a money text
        names: its last part (the head of a Chinese compound, 标准 of 行业标准) is written there, and
        what stands before it says no more than a common word does (行业, not 新能源 of 新能源汽车).
        (工业机器人, which an article names without money, is no kind of the 机器人 of another's.)"""
        parts = self.resources.retriever.index.tokenizer.cut(word, search=True)
        heads = [p for p in parts if len(p) >= 2 and len(p) < len(word) and word.endswith(p)]
        return any(specificity().weight(word[:-len(h)]) < THING_MIN_WEIGHT
                   and any(h in t for t in texts) for h in heads)

    def _anchor_beside_money(self, question: str, chosen: Rule | Unspecified, retrieval: Retrieval) -> str:
        """The question's anchor (its most specific word, such as 以旧换新) when the measure was
        chosen only because retrieval ranks its article first — none of the measure's own words
        is in the question, or only words the anchor's own sentence holds too (软件 of 支持智能机器人
        软件申报软件“首版次”) — and the article names the anchor outside its money sentences (纳入
        以旧换新范围, beside 每个示范应用场景…50万元): the money is for something else, the policy
        gives none for what is asked; '' otherwise."""
        measures: list[Rule | Unspecified] = [*self.resources.rules.rules, *self.resources.rules.unspecified]
        article = self.resources.corpus.article(chosen.doc_id, chosen.article)
        c = reading_cues()
        asking = (*c.benefits, *c.money_asks, *c.figure_asks)
        anchors = [e for e in retrieval.scope.words
                   if e.credit >= 1.0 and e.anchor >= self.resources.retriever.judge.params.anchor_min
                   and not any(a in e.word or a in (e.found or "") for a in asking)]  # 封顶: how it is asked
        if article is None or not anchors:
            return ""
        anchor = max(anchors, key=lambda e: e.anchor)
        found = anchor.found or anchor.word
        own = [t.text.lower() for t in sentences(article.text) if found in t.text]
        if any(not any(t.lower() in s for s in own) for t in triggers_in(chosen, question)):
            return ""  # a word of the measure the anchor's sentence does not explain: asked of it
        money = [article.title, *(t.text for t in sentences(article.text)
                                  if money_text(t.text) or any(b in t.text for b in c.benefits))]
        triggers = [t for item in measures for t in item.triggers]
        if found in article.text and not any(found in t for t in money) \
                and not any(found in t or t in found for t in triggers):
            return anchor.word
        return ""

    def _money_texts(self, chosen: Rule | Unspecified | None, retrieval: Retrieval) \
            -> tuple[list[Rule | Unspecified], list[str], list[str]]:
        """What money a question could be answered from: the measures (the chosen one, else all),
        their articles' headings and money sentences (支持用户首购首用: 上市 in 上市辅导等精准服务 is not
        what a reward is for) — with the best articles' when no calculator was chosen (a document
        without rules) —, and the triggers of every measure of the library (a thing some measure
        funds, 投资 of 第6条, is never a thing the library does not provide)."""
        measures: list[Rule | Unspecified] = [*self.resources.rules.rules, *self.resources.rules.unspecified]
        items = [chosen] if chosen is not None else measures
        texts = [t for item in items for a in [self.resources.corpus.article(item.doc_id, item.article)]
                 if a is not None for t in [a.title, *_money_sentences(a.text)]]
        if chosen is None:
            texts += [t for h in retrieval.hits[:3] if _money_sentences(h.article.text)
                      for t in [h.article.title, *_money_sentences(h.article.text)]]
        return items, texts, [t for item in measures for t in item.triggers]

    def _english_not_provided(self, question: str, benefit: str, chosen: Rule | Unspecified | None,
                              retrieval: Retrieval) -> str:
        """The English form (office rent subsidy, a subsidy for hiring graduates): the word right
        before the benefit word, else the words right after its `for`, say what the money is for;
        not provided when the library lacks the word or its translations (rent → 租赁, only in
        融资租赁) appear in no money sentence and no measure's triggers. A word asking for a figure
        (maximum grant) or a common word (what subsidy) names no thing."""
        m = re.search(rf"\b{re.escape(benefit)}\b", question, re.IGNORECASE)
        if m is None:
            return ""
        # the two words before it, nearest first (loan interest subsidy: interest, then loan)
        before = re.search(r"(?:([A-Za-z][A-Za-z-]*)\s+)?([A-Za-z][A-Za-z-]*)\s+$", question[:m.start()])
        after = re.match(r"\s+for\s+([A-Za-z][A-Za-z-]*)(?:\s+([A-Za-z][A-Za-z-]*))?(?:\s+([A-Za-z][A-Za-z-]*))?",
                         question[m.end():])
        candidates = [before.group(2)] if before else []
        if before and before.group(1) and specificity().zipf(before.group(2).lower()) < ENGLISH_STOP_ZIPF:
            candidates.append(before.group(1))  # not after an article or pronoun (covers the subsidy)
        following = [w for w in (after.groups() if after else ()) if w]
        # (for attending overseas trade fairs: a verb the library lacks, then what is attended)
        gerund = following[0].lower() if len(following) > 1 and following[0].lower().endswith(GERUND) else ""
        candidates += following[:3] if gerund else following[:2]
        evidence = {e.word.lower(): e for e in retrieval.scope.words}
        _, texts, triggers = self._money_texts(chosen, retrieval)
        kinds = [t.lower() for t in triggers]
        asks = [a for a in (*reading_cues().figure_asks, *reading_cues().money_asks) if a.isascii()]
        for word in (w.lower() for w in candidates):
            if any(a in word for a in asks):
                return ""  # maximum grant: the figure is asked, not a thing
            e = evidence.get(word)
            if e is None or e.weight < ENGLISH_THING_MIN_WEIGHT:
                continue
            senses = [w for w in (e.found or "").split("、") if w]
            if e.credit > 0 and any(w in t for w in senses for t in texts) \
                    or any(w == k or k in w for w in [word, *senses] for k in kinds):
                return ""  # purchase subsidy: 采购 is what 第2条's money is for
            if word == gerund:
                continue  # attending (陪护 in no money sentence): how the thing is used, it comes next
            return f"{word} {benefit}"
        return ""

    @staticmethod
    def figure_asked(question: str) -> str:
        """The figure gap when a question asks for a figure of money (多少, 比例) or of a rate or
        discount (租赁利率有没有优惠 多少): '' otherwise."""
        c = reading_cues()
        lowered = question.lower()
        about = asks_about_money(question) or any(w in lowered for w in c.figure_things)
        return c.figure_gap if about and any(w in lowered for w in c.figure_asks) else ""

    def referenced_figure(self, question: str) -> str:
        """The figure gap when a question asks for a figure of a policy the library's text only
        refers to (享受智能物联产业奖补政策, 专项招引政策): '' otherwise."""
        gap = self.figure_asked(question)
        return gap if gap and self.resources.retriever.judge.policies.referenced(question) else ""

    def figure_not_given(self, question: str, retrieval: Retrieval) -> str:
        """What the text does not specify when a question asks for a figure of money (多少, 比例,
        how much) or whether a kind of money is given (有没有补助) and the article that answers it
        gives none (按规定予以补助, 加大政策支持力度): the gap to state, '' otherwise."""
        if not retrieval.hits:
            return ""
        c = reading_cues()
        top = retrieval.hits[0].article.text.lower()
        rates = [w for w in c.figure_things if w in question.lower()]
        if rates and not any(w in top for w in rates):
            return c.figure_gap  # 租赁利率有优惠吗 of an article whose money is a reward
        if any(money_text(s.text) for s in sentences(retrieval.hits[0].article.text)):
            return ""
        asked = asked_things(question, self.resources.retriever.index.tokenizer.cut(question, search=False))
        if any(w in c.benefits for w in asked):
            return c.figure_gap  # 新能源汽车零部件项目 有没有投资补助: whether money is given, of an article giving none
        return self.figure_asked(question)

    def absent_thing(self, question: str, retrieval: Retrieval) -> str:
        """The thing a question asks about (标准号是多少, 去哪里申请空域) when the library has no
        trace of it (no verbatim, synonym, bridge or typo match) and it is specific: whatever else
        the question shares with an article, the policy does not give what is asked."""
        asked = asked_things(question, self.resources.retriever.index.tokenizer.cut(question, search=False))
        evidence = {e.word: e for e in retrieval.scope.words}
        facet_words = self._facets_of_cited(question)
        for word in asked:
            e = evidence.get(word)
            if e is not None and e.credit == 0 and e.weight >= ASKED_THING_MIN_WEIGHT \
                    and not any(word in f or f in word for f in facet_words):
                return word
        return _figure_of_absent(question, retrieval)

    def opposite_of_cited(self, question: str, retrieval: Retrieval) -> str:
        """The thing a question asks money for with a modifier the best article names it only with
        the opposite of (参加国内展会有补贴吗 of 第14条's 国际专业展会): that modifier and thing, which
        the policy does not cover; '' otherwise."""
        if not retrieval.hits or not asks_about_money(question):
            return ""  # (一定要达到国际先进吗 of 国内领先: the article answers what it requires)
        text = retrieval.hits[0].article.text.lower()
        lowered = question.lower()
        for a, b in reading_cues().opposites:
            for x, y in ((a, b), (b, a)):
                at = lowered.find(x)
                if at < 0 or x in text or y not in text:
                    continue
                clause = clause_at(lowered, at)
                thing = lowered[at + len(x):min(clause.end, at + len(x) + OPPOSITE_REACH)]
                for yat in (m.start() for m in re.finditer(re.escape(y), text)):
                    near = text[yat + len(y):yat + len(y) + OPPOSITE_REACH]
                    shared = next((thing[i:i + 2] for i in range(len(thing) - 1)
                                   if is_cjk(thing[i:i + 2]) and thing[i:i + 2] in near), "")
                    if shared:
                        return question[at:at + len(x)] + question[at + len(x):at + thing.find(shared) + len(x) + 2]
        return ""

    def figure_of_absent(self, question: str, retrieval: Retrieval) -> str:
        """A figure asked of words the whole library lacks (保费补贴比例): the phrase the policy
        does not give, '' otherwise — also when a measure's own words are in it (安居补贴多少 of a
        rule whose trigger is 安居补贴: the rule data knows it though the text does not)."""
        phrase = _figure_of_absent(question, retrieval)
        measures: list[Rule | Unspecified] = [*self.resources.rules.rules, *self.resources.rules.unspecified]
        if any(len(t) >= 2 and t in phrase for item in measures for t in item.triggers):
            return ""
        return phrase

    def money_articles(self, question: str, retrieval: Retrieval) -> Retrieval | None:
        """A question asking which articles give money (哪些条款写明了具体金额, 哪几条是直接给钱的)
        and naming no topic of its own: the articles of its document (the named one, else the best
        hit's) with a sentence that gives money — a benefit word and an amount or a rate —, in
        their order; None for any other question (哪几条给首台套补助 names its topic). A question
        that names no document and finds no article asks it of a library of one document."""
        if not ASKS_WHICH_ARTICLES.search(question) or not asks_about_money(question):
            return None
        c = reading_cues()
        money_words = (*c.benefits, *c.money_asks, *c.figure_asks)
        if any(e.weight >= THING_MIN_WEIGHT and not any(m in e.word or e.word in m for m in money_words)
               for e in retrieval.scope.words):
            return None
        docs = self.resources.corpus.documents
        doc_id = retrieval.documents[0] if retrieval.documents else (
            retrieval.hits[0].article.doc_id if retrieval.hits else docs[0].doc_id if len(docs) == 1 else "")
        doc = self.resources.corpus.document(doc_id)
        if doc is None:
            return None
        giving = [a for a in doc.articles if a.number and any(money_text(s.text) for s in sentences(a.text))]
        if not giving:
            return None
        rest = [h for h in retrieval.hits if h.article not in giving]
        scope = retrieval.scope if retrieval.in_scope else replace(
            retrieval.scope, verdict="covered", reason="the articles of the document that give money")
        return replace(retrieval, hits=[Hit(a, 1.0, reason="fused") for a in giving] + rest, scope=scope,
                       listed=len(giving))

    def structure_first(self, question: str, retrieval: Retrieval) -> Retrieval | None:
        """A question about the shape of a document (chapters, 主送, a defined term, its purpose)
        answered from the article its structure points to, in the document it names (else the
        best hit's); None when the structure has no such article."""
        doc_id = retrieval.documents[0] if retrieval.documents else (
            retrieval.hits[0].article.doc_id if retrieval.hits else "")
        doc = self.resources.corpus.document(doc_id)
        if doc is None:
            return None
        art = structure_article(question, retrieval.scope.facets, doc)
        if art is None:
            return None
        rest = [h for h in retrieval.hits if h.article is not art]
        return replace(retrieval, hits=[Hit(art, 1.0, reason="fused")] + rest)

    def chapter(self, question: str, retrieval: Retrieval, number: int) -> Retrieval:
        """A question about a chapter (第N章) of the named document (else the best hit's): its
        first article when the library holds its text; its name from the 目录 when only the
        目录 lists it and its name or topic is asked; otherwise not covered (a partial document
        whose chapter the library does not hold, or no such chapter)."""
        doc_id = retrieval.documents[0] if retrieval.documents else (
            retrieval.hits[0].article.doc_id if retrieval.hits else "")
        doc = self.resources.corpus.document(doc_id)
        if doc is None:
            return retrieval
        held = chapter_articles(doc, number)
        if held:
            rest = [h for h in retrieval.hits if h.article is not held[0]]
            return replace(retrieval, hits=[Hit(held[0], 1.0, reason="fused")] + rest)
        listed = listed_chapter(doc, number)
        first = doc.article(0)
        described = chapter_described(doc, number)
        if described is not None and not listed:
            # a 解读 of a document with chapters (《操作指引》共计十章…第一章总则…): the item that
            # describes the chapter
            rest = [h for h in retrieval.hits if h.article is not described]
            return replace(retrieval, hits=[Hit(described, 1.0, reason="fused")] + rest)
        if listed and asks_chapter_topic(question) and first is not None:
            scope = replace(retrieval.scope, meta=True,
                            facets=tuple(dict.fromkeys((*retrieval.scope.facets, "chapters"))))
            rest = [h for h in retrieval.hits if h.article is not first]
            return replace(retrieval, hits=[Hit(first, 1.0, reason="fused")] + rest, scope=scope)
        if listed:  # a partial text: its 目录 lists the chapter, the library does not hold it
            return replace(retrieval, unstated=f"{listed}的条文(本库收录的文本不完整,目录列有这一章)")
        return replace(retrieval, unstated=f"第{number}章")

    def announcement_first(self, retrieval: Retrieval, question: str = "") -> Retrieval:
        """A question about a document itself is answered from its announcement (article 0), or,
        for when it is in force, from the article that says so (本意见自…起施行) — not for when it
        was issued (哪天印发的: the notice's date). A question that names no document and no topic
        (这个政策现在正式生效了吗) asks it of the library's own policy (its first document), not of
        whichever text its words happen to rank first."""
        home = self.resources.corpus.documents[0].doc_id
        scope = retrieval.scope
        topical = scope.anchor >= self.resources.retriever.judge.params.anchor_min or bool(
            retrieval.name_spans or scope.inside_places or scope.other_places)  # (广州…条例: named)
        doc_id = retrieval.documents[0] if retrieval.documents else (
            retrieval.hits[0].article.doc_id if retrieval.hits and topical else home)
        art = self.resources.corpus.article(doc_id, 0)
        doc = self.resources.corpus.document(doc_id)
        facets = set(retrieval.scope.facets)
        if doc is not None and doc.in_force and {"date", "status"} & facets \
                and not ("status" not in facets and asks_issue_date(question)):
            art = next((a for a in reversed(doc.articles) if a.number and EFFECTIVE.search(a.text)), art)
        if doc is not None and facets & {"consultation", "contact"} and facets <= {"consultation", "contact"}:
            # 一、征求意见时间 / 二、参与方式 …联系电话: the numbered item of the notice that states it
            stated = [v for v in (doc.meta.phone, doc.meta.email) if v] if "contact" in facets else []
            lowered = question.lower()
            # (意见可以发哪个电子邮箱: the item with the e-mail, not the one with the phone before it)
            asked = [v for v, labels in ((doc.meta.email, "email_labels"), (doc.meta.phone, "phone_labels"))
                     if v and any(w in lowered for w in data("document_text.json")[labels])]
            stated = asked or stated
            art = next((a for a in doc.articles if a.number and (
                any(v in a.text for v in stated) if stated
                else pattern("comments_sentence").search(a.title)
                and pattern("consultation_range").search(a.text))), art)
        if art is None:
            return retrieval
        rest = [h for h in retrieval.hits if h.article is not art]
        return replace(retrieval, hits=[Hit(art, 1.0, reason="fused")] + rest)

    def unstated(self, question: str, retrieval: Retrieval) -> Retrieval:
        """What the document a question names cannot state: the final version of a draft the
        library holds only as a draft (正式印发的文号), a year its text never mentions (到2020年
        in a text cut before its targets), a 文号 it does not carry, a specific thing only other
        documents mention — not covered; a figure its text prints as a
        placeholder (超过**EFLOPS) — answered with that gap stated."""
        doc = self.resources.corpus.document(retrieval.documents[0]) if retrieval.documents else None
        quoted = quoted_titles(question)
        holder = next((a for t in quoted if doc is not None and t not in _document_text(doc)
                       for a in self.resources.corpus.articles.values() if t in re.sub(r"\s+", "", a.text)), None)
        # (东莞市政府2024年的“一号文”…文号是多少, naming no document: the one its best item is of; not
        # for a status word alone, 若干政策征求意见稿里…: that asks of a draft the library may lack)
        asked_facts = set(retrieval.scope.facets) & (CITED_FACETS - {"status"})
        top = doc or (self.resources.corpus.document(retrieval.hits[0].article.doc_id)
                      if retrieval.hits and asked_facts else None)
        if holder is None and top is not None and set(retrieval.scope.facets) & CITED_FACETS:
            holder = _citing_item(question, top, set(retrieval.scope.facets))  # (what is asked of a document the item cites: its 文号)
        if holder is not None:
            # 《…专项资金项目实施细则》文号是多少: the passage of another library text naming that
            # document answers, not the document the question's other words name
            rest = [h for h in retrieval.hits if h.article is not holder]
            return replace(retrieval, hits=[Hit(holder, 1.0, reason="fused"), *rest],
                           documents=[holder.doc_id, *(d for d in retrieval.documents if d != holder.doc_id)])
        if doc is not None:
            reason = ""
            if doc.meta.status in DRAFTS and doc.doc_id not in self.resources.corpus.superseded_by \
                    and asks_final_version(question):
                reason = f"正式印发版本的内容(本库只有其{doc.meta.status})"
            asked = without_spans(question, retrieval.name_spans)
            others = [d for d in map(self.resources.corpus.document, retrieval.documents[1:2]) if d is not None]
            unstated = [] if compares(question) else [
                y for y in years_unstated(asked, doc) if all(y in years_unstated(asked, d) for d in others)]
            if not reason and unstated:
                reason = f"{unstated[0]}年的内容(本库收录的文本未提及{unstated[0]}年)"
            cited = cited_number(doc, question)
            if not reason and retrieval.scope.meta and set(retrieval.scope.facets) == {"number"} \
                    and not doc.meta.doc_number and cited is None:
                # asked only for a 文号 it does not carry, nor writes after the title asked (a 解读
                # writes its plan's: 《…规划》(穗开管办〔2021〕8号,以下简称《规划》))
                reason = "文号(本库收录的文本未标注文号)"
            absent = "" if reason or others or compares(question) else self._absent_in(
                asked, doc, retrieval, named=True,  # (文号 of the title its 解读 writes it after: how it asks;
                # 是落实省里哪个文件的…文号是多少 of a text citing one with its 文号)
                facet_words=facet_phrases(asked) if cited or _DOCUMENT_NUMBER.search(_document_text(doc)) else None)
            if absent:
                reason = f"{absent}(本库收录的该文件文本未提及)"
            missing = [] if reason or others or compares(question) else \
                self.resources.retriever.judge.gaps.absent_from(asked, _document_text(doc))
            if missing:  # 烟台…条例从哪天起施行: the page stops before it says
                reason = f"{missing[0]}(本库收录的该文件文本未写明)"
            unit = "" if reason or others or compares(question) else _unit_never_used(asked, doc)
            if unit:
                reason = _unit_gap(unit, "该文件")
            if not reason and not compares(question) and self.figure_asked(asked) \
                    and not any(_states_figures(_document_text(d)) for d in (doc, *others)):
                # 扬州算力券按合同金额的多少比例补贴: a text (a page cut before its amounts) that
                # states no amount or ratio at all does not state this one
                reason = f"{self.figure_asked(asked)}(本库收录的该文件文本没有金额或比例)"
            if reason:
                return replace(retrieval, unstated=reason)
        place_docs = self._place_documents(question) if doc is None and not compares(question) else []
        if place_docs and self.figure_asked(without_spans(question, retrieval.name_spans)) \
                and not any(_states_figures(_document_text(d)) for d in place_docs):
            # 扬州算力券…最多能领多少: no text of the place asked states any amount or ratio
            return replace(retrieval, unstated=f"{self.figure_asked(question)}(本库收录的该地文件文本没有金额或比例)")
        own = place_docs[0] if len(place_docs) == 1 else None
        if own is not None:  # the place asked has one document: what it never mentions, it does not state
            asked = without_spans(question, retrieval.name_spans)
            unsaid = years_unstated(asked, own)  # (湖南…到2030年…: a text that stops at 2027)
            if unsaid:
                return replace(retrieval, unstated=f"{unsaid[0]}年的内容(本库收录的该地文件文本未提及{unsaid[0]}年)")
            absent = self._absent_in(asked, own, retrieval, facet_words=facet_phrases(asked))
            if absent and not any(absent in _document_text(d) for d in self._placeless_documents()):
                # (漳州…标注券: a document that says only 我市 may be 漳州's too, and it has them)
                return replace(retrieval, unstated=f"{absent}(本库收录的该地文件文本未提及)")
            missing = self.resources.retriever.judge.gaps.absent_from(asked, _document_text(own))
            if missing:  # 浙江…示范项目的申报截止时间: the one text of the place never says
                return replace(retrieval, unstated=f"{missing[0]}(本库收录的该地文件文本未写明)")
            unit = _unit_never_used(asked, own)
            if unit:
                return replace(retrieval, unstated=_unit_gap(unit, "该地文件"))
        if retrieval.hits and ASKS_COUNT.search(question) and not retrieval.scope.meta:
            clause, mark = masked_figure(retrieval.hits[0].article, without_spans(question, retrieval.name_spans))
            if mark:
                return replace(retrieval, unstated=f"{clause}的具体数值(原文以“{mark}”代替)")
        return retrieval

    def _place_documents(self, question: str) -> list[Any]:
        """The documents of the one place a question names (嵊州 → its policies), else []."""
        places = place_index(self.resources.corpus)
        asked = places.most_specific(question)
        if len(asked) != 1:
            return []
        return [d for d in self.resources.corpus.documents if places.own.get(d.doc_id) == asked[0]]

    def _facets_of_cited(self, question: str) -> list[str]:
        """The facet words (文号) a question asks of a document a library text cites under the short
        name the question writes (依据的省遴选通知文号是什么): they name no thing the text lacks."""
        names = self.resources.retriever.short_names
        return facet_phrases(question) if any(n in question for n in names) else []

    def _placeless_documents(self) -> list[Any]:
        """The documents whose place the library cannot tell and that speak of their own area
        without naming it (我市, 本市): they may be of any place."""
        places = place_index(self.resources.corpus)
        return [d for d in self.resources.corpus.documents if places.own.get(d.doc_id) is None
                and (_OUR_AREA.search(_document_text(d)) or _OWN_AREA.search(_document_text(d)))]

    def _absent_in(self, question: str, doc: Any, retrieval: Retrieval, named: bool = False,
                   facet_words: list[str] | None = None) -> str:
        """A specific thing the question asks for (by its grammar, or what money is asked for)
        that the library holds elsewhere but the document the question names never mentions
        (萧山的政策意见对首版次软件奖励多少, when only another document speaks of 首版次软件): that
        document does not state it, and a neighbour must not answer for it. `named`: the question
        names the document (not only its place): then a figure asked of a specific word the whole
        library lacks (罚款多少) is not stated either."""
        cut = self.resources.retriever.index.tokenizer.cut(question, search=False)
        benefit = asked_benefit(question, cut)
        asked = [*asked_things(question, cut), *(benefit.things if benefit is not None else ())]
        evidence = {e.word: e for e in retrieval.scope.words}
        text = _document_text(doc)
        if benefit is not None:
            for word in benefit.things:
                whole = benefit.phrase(word)  # 算力券 of 青岛的“算力券”…补贴多少: the word the question writes
                if whole in evidence and whole in question and whole not in text and evidence[whole].credit >= 1.0 \
                        and (evidence[whole].found or whole) not in text:
                    return whole
        # (the question comes without the spans naming documents and places)
        # (繁昌区经信局征求意见的电子邮件联系人、电话和邮箱: of a place's document, words asking its
        # contact are no things it lacks; 依据的省遴选通知文号: nor the 文号 of a document it cites)
        facet_words = [*(facet_words or []), *self._facets_of_cited(question)]
        for word in asked:
            e = evidence.get(word)
            if any(word in f or f in word for f in facet_words):
                continue
            if (e is None or e.credit < 1.0 or e.how in ("translation", "parts")
                    or specificity().weight(word) < THING_MIN_WEIGHT
                    or ARTICLE_WORD.search(word) or word in function_words()):
                continue
            plain = _BRACKETS.sub("", text)  # (首台(套) is 首台套)
            if word not in plain and (not e.found or e.found not in plain) and not _spelled_out_in(word, text) \
                    and not any(f in plain for f in forms_of(word)):  # (电子邮箱 written 电子邮件)
                return word
        if named and not retrieval.scope.facets and not retrieval.scope.meta:
            outside = _outside_other_titles(text, doc)
            for e in retrieval.scope.words:
                # 营商环境…有哪些改革任务 of a notice that names 《…营商环境…实施方案》 among the plans
                # it issues and holds only another: the thing is only in a title it does not hold
                if is_cjk(e.word) and e.word in question and e.credit >= 1.0 and e.word in text \
                        and e.word not in outside and specificity().weight(e.word) >= THING_MIN_WEIGHT:
                    return _phrase_around(question, e.word, text)
        if not named or retrieval.scope.facets or retrieval.scope.meta:
            # 一共几章, 落款日期: words asking about the document, not things it lacks; a document
            # found by its place only (杭州…总产值想做到多少) is not named as the one to read
            return ""
        sents = [t for t in re.split(f"[{re.escape(reading_cues().sentence_breaks)}]", text.rstrip()) if t.strip()]
        cut_off = bool(sents) and cut_mid_sentence(text)
        for word in asked:
            # 存储总量要达到多少 of a page cut at 存储总量达: the thing is in the sentence the page stops
            # in, its figure is not — and no other sentence holding it writes a number
            if cut_off and len(word) >= 2 and word in sents[-1] and _figure_asked_after(question, word) \
                    and specificity().weight(word) >= THING_MIN_WEIGHT \
                    and not any(_FIGURE_CHARS.search(t) for t in sents if word in t):
                return f"{_stretch_in(question, word, [text]) or word}的具体数值"
        if all(a.number == 0 for a in doc.articles) and not asks_about_money(question):
            # 到2025年产业规模达到多少 of a page holding only the notice around the plan: the thing
            # the figure is of, which the text never writes
            thing = _figure_thing_absent(question, retrieval, text)
            if thing:
                return f"{thing}的具体数值"
        for e in retrieval.scope.words:
            # a figure asked of a specific word the whole library lacks (罚款多少, 密度的目标是多少):
            # the named document never states it
            if e.credit == 0 and e.word in question and e.word not in text and is_cjk(e.word) \
                    and specificity().weight(e.word) >= THING_MIN_WEIGHT and e.word not in function_words() \
                    and not ARTICLE_WORD.search(e.word) and not names_text(e.word) \
                    and _figure_asked_after(question, e.word) \
                    and e.word not in reading_cues().object_fillers \
                    and not e.word.startswith(tuple(w for w in reading_cues().figure_asks if is_cjk(w))):
                return e.word  # (一共几批, 最高奖补多少: how it is asked)
        return ""


TRIGGER_HEAD = 2
"""Characters at the end of a Chinese trigger that name its kind (应用场景 → 场景)."""


def _preposition_phrase(word: str) -> bool:
    """A two-character token that is a function word and one character no dictionary lists together
    (按省 of 按省标准, 在杭): a preposition's phrase the tokenizer joined, never a thing asked for —
    unlike a word of the dictionary that starts so (上市)."""
    return len(word) == 2 and word[0] in function_words() and not tokenizer_for(()).is_word(word)


def _states_step_of(item: Rule | Unspecified, question: str) -> bool:
    """The question states one of the measure's own steps (评上, 入选: a condition's `true`
    phrase, not negated) of a thing named by the head of one of its triggers (巡检机器人的场景,
    假如评上了能拿多少: 场景 of 应用场景)."""
    if not isinstance(item, Rule):
        return False
    heads = {t[-TRIGGER_HEAD:] for t in item.triggers if is_cjk(t) and len(t) >= 2 * TRIGGER_HEAD}
    if not any(h in question for h in heads):
        return False
    return any(c.read(question) is True for c in item.conditions if c.requires and c.true)


def _states_amount_of(rule: Rule, question: str) -> bool:
    """The question states an amount right after the rule's own amount words in its clause
    (采购六维力传感器150万: a purchase amount)."""
    patterns = [p.lower() for p in rule.amount.patterns] if rule.amount is not None else []
    for m in find_amounts(question):
        clause = clause_at(question, m.start)
        before = question[clause.start:m.start].lower()
        if any(p in before for p in patterns):
            return True
    return False


def _figure_of_absent(question: str, retrieval: Retrieval) -> str:
    """A figure asked right after words the whole library lacks (预留份额比例, 出资比例多少): the
    policy does not state it. The phrase is those words with the figure word after them; '' when
    the word nearest the figure word is in the library (首台套补助比例) or says nothing specific."""
    asks = reading_cues().figure_asks
    at = min((i for i in (question.find(a) for a in asks if is_cjk(a)) if i > 0), default=-1)
    if at < 0 or compares(question):  # 苏州和河北的单项最高额度谁更高: each document's own figure
        return ""
    clause = clause_at(question, at)
    before = [e for e in retrieval.scope.words if is_cjk(e.word) and 0 <= question.rfind(e.word, clause.start, at)]
    if not before:
        return ""
    nearest = max(before, key=lambda e: question.rfind(e.word, clause.start, at) + len(e.word))
    end = question.rfind(nearest.word, clause.start, at) + len(nearest.word)
    benefits, reach = (*reading_cues().benefits, *reading_cues().object_fillers), at
    # (贷款贴息几个点: a kind of money the library never names is itself what the policy lacks)
    while nearest.word in benefits and reach - end <= 1 \
            and (nearest.credit > 0 or nearest.word in reading_cues().object_fillers):
        # 保费补贴比例: the figure of the benefit for 保费, the word before the benefit word; 薪资标准多少:
        # of 薪资, the word before the filler
        start = end - len(nearest.word)
        prior = [e for e in before if question.rfind(e.word, clause.start, start) >= 0
                 and question.rfind(e.word, clause.start, start) + len(e.word) == start]
        if not prior:
            break
        nearest, reach, end = prior[0], start, start
    if nearest.credit > 0 or reach - end > 1 or nearest.weight < THING_MIN_WEIGHT \
            or nearest.word in function_words() or nearest.word in reading_cues().object_fillers:
        return ""
    start = end - len(nearest.word)
    absent = {e.word for e in retrieval.scope.words if e.credit == 0}
    while True:  # 预留 before 份额: the thing the figure is of, as the question writes it
        left = next((w for w in absent if question.endswith(w, clause.start, start)), "")
        if not left:
            break
        start -= len(left)
    figure = next(a for a in asks if question.startswith(a, at))
    return question[start:at] + figure


def _figure_thing_absent(question: str, retrieval: Retrieval, text: str) -> str:
    """The word nearest before a figure ask, in its clause (产业总体规模要超过多少: 规模), when `text`
    never writes it and it names a thing: not grammar (weight 0), a function word, a filler or a
    word for the text itself (那篇文章); '' otherwise."""
    asks = reading_cues().figure_asks
    at = min((i for i in (question.find(a) for a in asks if is_cjk(a)) if i > 0), default=-1)
    if at < 0:
        return ""
    clause = clause_at(question, at)
    words = sorted(((question.rfind(e.word, clause.start, at), e.word) for e in retrieval.scope.words
                    if is_cjk(e.word) and len(e.word) >= 2), reverse=True)
    for start, word in words:
        if start < 0 or word in function_words():
            continue
        if specificity().weight(word) < FIGURE_THING_MIN_WEIGHT and start + len(word) == at:
            continue  # 达到 of 达到多少: how the figure is asked
        if any(word[i:j] in text for i in range(len(word)) for j in range(i + 2, len(word) + 1)):
            return ""  # 相关企业大约多少家: the text writes what the figure is of (or part of it: 年产值)
        if word in reading_cues().object_fillers or names_text(word) or ARTICLE_WORD.search(word) \
                or specificity().weight(word) < FIGURE_THING_MIN_WEIGHT:
            continue
        return word
    return ""


def _figure_asked_after(question: str, word: str) -> bool:
    """The clause of `word` asks for a figure after it (罚款多少, 密度的目标是多少)."""
    at = question.find(word)
    clause = clause_at(question, at)
    rest = question[at + len(word):clause.end].lower()
    return any(a in rest for a in reading_cues().figure_asks)


_BRACKETS = re.compile(r"[()（）]")
GERUND = "ing"
"""The ending of an English verb used as a noun (attending, hiring): after `for`, its object says
what money is for."""
OPPOSITE_REACH = 8
"""Characters after a modifier, in the question and in the article, where the thing it modifies is
(国内的机器人展会 / 国际专业展会: 展会)."""
FIGURE_THING_MIN_WEIGHT = 0.2
"""Specificity below which a word before a figure ask is part of how it asks (达到, 超过 of 达到多少),
not the thing the figure is of (规模 0.33, 产业 0.27)."""

STATED_THING_MIN = 4
"""Characters a thing must have, as an article writes it, for the article's naming it outside
its money clauses to say the money is not for it (示范项目, not 项目)."""


def _stretch_in(question: str, word: str, texts: list[str]) -> str:
    """The word of the question with as much of the question before it as one of `texts` also
    writes (项目 → 人工智能标杆示范项目)."""
    at = question.find(word)
    if at < 0:
        return word
    start, end = at, at + len(word)
    while start > 0 and any(question[start - 1:end] in t for t in texts):
        start -= 1
    return question[start:end]


def _money_sentences(text: str) -> list[str]:
    """The sentences of an article that give money (a benefit word or an amount), each up to its
    last clause that does: a clause after the money (…每个项目给予不超过50万元的奖励,重点支持…参评
    人工智能标杆示范项目) says what else is supported, not what the money is for."""
    benefits = reading_cues().benefits

    def gives(t: str) -> bool:
        return bool(money_text(t)) or any(b in t for b in benefits)

    out = []
    for s in sentences(text):
        if gives(s.text):
            ends = [c.end for c in clauses(s.text) if gives(c.text)]
            out.append(s.text[:max(ends)] if ends else s.text)
    return out


ASKED_UNIT = pattern("asked_unit")
_EVENT_NAME = pattern("event_name")
_OUR_AREA = pattern("our_area")
_OWN_AREA = pattern("own_jurisdiction_word")
_FIGURE_CHARS = pattern("figure_character")
_FIGURE = pattern("figure_before_unit").pattern


CITED_FACETS = {"number", "date", "drafter", "status"}
"""What a question may ask of a document another one cites (its 文号, when it was issued, by whom)."""
CITED_TITLE_MIN = 8
"""Characters of a title the question writes that another document's item cites (《…》)."""
CITED_STRETCH_MIN = 10
"""Characters of a cited title a question writes in a row that name that document (广东省制造业数字化转型)."""
OWN_WORDS_NAMED = 3
"""Bigrams of a document's own title beyond a title it cites that a question writes to name the
document itself (包头…试点示范城市实施意见 citing 中国制造2025: no other document is asked about)."""
NUMBER_AFTER_TITLE = 24
"""Characters after a cited title within which its 文号 is read as given with it."""
_DOCUMENT_NUMBER = pattern("document_number")
_YEAR = pattern("year_written")
_PUBLISHED = pattern("published_document")


def _citing_item(question: str, doc: Any, facets: set[str] | None = None) -> Any:
    """The numbered item of `doc` that cites (《…》) a document the question names and the library
    does not hold as `doc` itself (深圳市龙华区促进人工智能产业发展若干措施…文号, asked of the 解读
    of its 操作指引): the one giving that document's 文号 right after its name first; None when
    no item cites one."""
    asked = re.sub(r"\s+", "", question)
    own = re.sub(r"\s+", "", doc.title)
    written = {g for g in title_bigrams(own) if g in asked}
    head = doc.article(0)
    # (现将…起草的《常州市…条例(草案)》…征求意见: the header names what the text itself is)
    itself = {re.sub(r"\s+", "", m.group(1)) for m in _PUBLISHED.finditer(head.text if head is not None else "")}
    # (东莞市政府2024年的“一号文”: a document named by the nickname the text quotes right before it)
    nicknames = re.findall(r"“([^“”]{2,10})”", asked)
    best, best_key = None, (2, 0)
    for a in doc.articles:
        if not a.number:
            continue
        text = re.sub(r"\s+", "", a.text)
        for m in re.finditer(r"《([^《》]+)》", text):
            title = m.group(1)
            nicknamed = any(text[:m.start()].endswith(f"“{n}”") for n in nicknames)
            # (广东省制造业数字化转型文件: a long stretch of the cited title, the rest left out)
            at = next((k for k in range(len(asked) - CITED_STRETCH_MIN + 1)
                       if asked[k:k + CITED_STRETCH_MIN] in title), -1)
            if at >= 0 and _other_kind_after(asked, at, title):
                at = -1  # (“未来工厂”、智能工厂和数字化车间认定通知 is no …关键要素 that shares its words)
            # (…解读里提到的广东省…文件: the document named is the one its text mentions)
            mentioned = at > 0 and any(w in asked[:at] for w in reading_cues().mention_words)
            # (a stretch alone names the cited document only after a word of mentioning: 常州转发的2018年
            # 示范智能车间申报通知 is the forwarding notice itself)
            if len(title) < CITED_TITLE_MIN or (title not in asked and not nicknamed and not mentioned) \
                    or title in itself \
                    or title_bigrams(own) <= title_bigrams(title) \
                    or len(written - title_bigrams(title)) >= OWN_WORDS_NAMED and not mentioned:
                continue  # (包头“中国制造2025”试点示范城市实施意见: its own title, which cites one)
            numbered = _DOCUMENT_NUMBER.search(text[m.end():m.end() + NUMBER_AFTER_TITLE]) is not None
            # (什么时候印发的: the item saying when, 2021年6月,《…》印发实施)
            dated = "date" in (facets or ()) and bool(
                _YEAR.search(text[max(0, m.start() - NUMBER_AFTER_TITLE):m.end() + NUMBER_AFTER_TITLE]))
            key = (0 if numbered or dated else 1, a.number)
            if key < best_key:
                best, best_key = a, key
    return best


def _other_kind_after(asked: str, at: int, title: str) -> bool:
    """The question's stretch of a cited title (from `at`) goes on into a kind of document the title
    is not (…数字化车间认定通知 against 《…数字化车间关键要素》)."""
    end = at
    while end < len(asked) and asked[at:end + 1] in title:
        end += 1
    after = asked[end:end + KIND_AFTER_REACH]
    kinds = [k for k in data("document_text.json")["document_kinds"] if k in after]
    return bool(kinds) and not any(k in title for k in kinds)


KIND_AFTER_REACH = 6
"""Characters after a question's stretch of a cited title where the kind it names is read."""


def _document_text(doc: Any) -> str:
    """A document's title, its sections' headings (一、…(由区经信科技局牵头)) and all its articles —
    their headings, texts and the departments read from them — (what it states at all)."""
    role = data("cues.json")["department_roles"][0]  # (the departments read from it are its 责任单位)
    sections = dict.fromkeys(a.section for a in doc.articles if getattr(a, "section", ""))
    return "\n".join([doc.title, *sections,
                      *(f"{a.title}\n{a.text}" + (f"\n{role}:{'、'.join(a.departments)}" if a.departments else "")
                        for a in doc.articles)])


def _phrase_around(question: str, word: str, text: str) -> str:
    """The word of the question with as much of the question on both sides as `text` also writes
    (营商 → 营商环境优化提升)."""
    at = question.find(word)
    if at < 0:
        return word
    start, end = at, at + len(word)
    while start > 0 and question[start - 1:end] in text:
        start -= 1
    while end < len(question) and question[start:end + 1] in text:
        end += 1
    return question[start:end]


def _spelled_out_in(word: str, text: str) -> bool:
    """The text writes in full what a two-character word no dictionary lists abbreviates (智改 of
    智能化改造: the initials of two dictionary words; not 资金, a word of its own)."""
    return bool(spelled_out(word, text, tokenizer_for(()).is_word))


def _outside_other_titles(text: str, doc: Any) -> str:
    """`text` without the titles in 《》 of other documents that its issuing sentences issue beside
    it (《A》《B》《C》已经市委、市政府同意,现印发给你们, of a page holding only A): the library holds
    their names, not their texts. Titles it only cites (依据《…》, 附件《…》) stay."""
    own = re.sub(r"\s+", "", doc.title)

    def issued(m: re.Match[str]) -> str:
        run = quoted_title_pattern().sub(lambda t: t.group(0) if t.group(1) in own else " ", m.group(1))
        return run + m.group(0)[len(m.group(1)):]
    return _ISSUED_TITLES.sub(issued, text)


_ISSUED_TITLES = pattern("issued_titles")


def _unit_never_used(question: str, doc: Any) -> str:
    """The unit a question asks a figure in (多少万元, 几家, a ratio: %) when the named document's
    text has no figure in that unit at all (a page cut before its amounts, 力争5年内有 家特色小镇): it does not
    state the figure, and another document must not answer for it."""
    text = _document_text(doc)
    m = ASKED_UNIT.search(question)
    if m is None:
        # 按保费的多少比例补偿: a ratio asked in words, of a text that writes no percentage at all
        return "%" if _RATIO_ASKED.search(question) and not _RATIO.search(text) else ""
    unit = m.group(1)
    return "" if re.search(_FIGURE + re.escape(unit), text, re.IGNORECASE) else unit


def _unit_gap(unit: str, whose: str) -> str:
    """The unstated figure in a unit the text never uses, in words (a ratio: 具体比例)."""
    if unit == "%":
        return f"具体比例(本库收录的{whose}文本没有百分比)"
    return f"以“{unit}”计的具体数值(本库收录的{whose}文本没有以{unit}计的数字)"


_RATIO = pattern("ratio")
_RATIO_ASKED = pattern("ratio_asked")


def _states_figures(text: str) -> bool:
    """Does an article state an amount or a ratio of its own?"""
    return bool(_RATIO.search(text)) or any(m.currency == "CNY" for m in find_amounts(text))


__all__ = ["DocumentChoice"]
