"""Reading what people write: clauses, negation scoped to its clause, the asker's own guesses and
planned figures — one reader for chat questions, follow-ups, forms and 政策体检 text.

The cue words are data (`data/cues.json`, read by `cues.py`), shared by every reader. Every fact keeps the span it was
read from (`start`, `end` in the original text), so answers and reports can show what was read.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Iterable
from functools import lru_cache

from . import places
from .cues import cues, numerals, pattern, pattern_source, words_pattern
from .amounts import Mention, find_amounts
from .lexical import function_words, is_cjk, tokenizer_for

NEGATION_REACH = 16
"""Characters before a phrase, within its clause, in which a negator negates it (没有通过行业先进
水平的认定: 没有 is 6 characters before 行业先进)."""


@dataclass(frozen=True)
class Span:
    """A piece of the original text."""

    text: str
    start: int
    end: int


@lru_cache(maxsize=256)
def _split_cached(text: str, breaks: str) -> tuple[Span, ...]:
    return tuple(_split(text, breaks))


HARD_WRAP_LINE = 20
"""A line at least this long that ends inside a sentence was wrapped by the page (a PDF's hard
line breaks), not ended."""
_ITEM_START = pattern("item_start")


def hard_wrap(text: str, i: int) -> bool:
    """Is the line break at text[i] a page's wrap inside a sentence rather than its end? The line
    ends with a comma or 顿号, or it is a long line of prose ending with no punctuation at all;
    and the next line does not start a numbered item."""
    if text[i] != "\n" or i == 0:
        return False
    line = text[text.rfind("\n", 0, i) + 1:i].rstrip()
    if not line or _ITEM_START.match(text, i + 1):
        return False
    last = line[-1]
    if last in ",，、":
        return True
    # a long line of prose (it has a comma; a title, a name list or a `发布日期:` field has not)
    return (len(line) >= HARD_WRAP_LINE and (last.isalnum() or "\u4e00" <= last <= "\u9fff")
            and bool(re.search(r"[,，、;；]", line)) and not re.search(r"[:：>|]", line))


def _thousands_comma(text: str, i: int) -> bool:
    """A comma grouping a number's digits (5,600万, 1,200,000 yuan): part of the number, no clause
    break — a digit before it, exactly three digits after it."""
    return text[i] in ",，" and 0 < i and text[i - 1].isdigit() and text[i + 1:i + 4].isdigit() \
        and len(text[i + 1:i + 4]) == 3 and not text[i + 4:i + 5].isdigit()


def _split(text: str, breaks: str) -> list[Span]:
    out, start = [], 0
    for i, ch in enumerate(text):
        if (ch in breaks and not hard_wrap(text, i) and not _thousands_comma(text, i)) or _full_stop(text, i):
            if i > start:
                out.append(Span(text[start:i], start, i))
            start = i + 1
    if start < len(text):
        out.append(Span(text[start:], start, len(text)))
    return out


def blank_spans(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """The text with the spans replaced by spaces (same length, offsets kept)."""
    chars = list(text)
    for a, b in spans:
        for i in range(max(0, a), min(b, len(chars))):
            chars[i] = " "
    return "".join(chars)


_VERB_OBJECT = pattern("english_verb_object")
"""What follows an English -ing word used as a verb (building a second line, building our plant)."""


def whole_words(text: str, words: Iterable[str]) -> str:
    """The text with English words blanked where they are only part of a longer word or negated
    by a prefix (unaffiliated, non-affiliated are no affiliate), and an -ing word followed by its
    object (we're building a second line: the verb, not a building): offsets kept."""
    for word in (w.lower() for w in words if w.isascii() and w[:1].isalpha()):
        at = text.find(word)
        while at >= 0:
            end = at + len(word)
            if text[at - 1:at].isalpha() or text[:at].endswith(("non-", "non ")) \
                    or (word.endswith("ing") and not text[end:end + 1].isalpha() and _VERB_OBJECT.match(text, end)):
                text = text[:at] + " " * len(word) + text[at + len(word):]
            at = text.find(word, at + 1)
    return text


def _full_stop(text: str, i: int) -> bool:
    """An English sentence's full stop: a period after a letter or a closing bracket or quote,
    before a space or the end (not 9.9 million, not e.g. inside a word)."""
    return text[i] == "." and i > 0 and (text[i - 1].isalpha() and text[i - 1].isascii()
                                         or text[i - 1] in ")\"'") \
        and (i + 1 == len(text) or text[i + 1].isspace())


def sentences(text: str) -> list[Span]:
    return list(_split_cached(text, cues().sentence_breaks))


def clauses(text: str) -> list[Span]:
    """Clauses: sentences cut at commas, colons, brackets (English commas too)."""
    c = cues()
    return list(_split_cached(text, c.sentence_breaks + c.clause_breaks))


def sentence_at(text: str, at: int) -> Span:
    return next((sp for sp in sentences(text) if sp.start <= at < sp.end or at == sp.end), Span(text, 0, len(text)))


def clause_at(text: str, at: int) -> Span:
    spans = clauses(text)
    i = bisect.bisect_right([sp.start for sp in spans], at) - 1
    for span in spans[max(0, i - 1):i + 2]:
        if span.start <= at < span.end or at == span.end:
            return span
    return Span(text, 0, len(text))


@lru_cache(maxsize=1)
def _negation_pattern() -> re.Pattern[str]:
    c = cues()
    # Longer non-negations first, so 不含 is consumed before 不 can match.
    words = [re.escape(w) for w in c.not_negation] + [f"(?P<neg>{'|'.join(re.escape(n) for n in c.negators)})"]
    return re.compile("|".join(words), re.IGNORECASE)


def negators_in(text: str, lo: int = 0, hi: int | None = None) -> list[tuple[int, str]]:
    """(start offset, word) of the negators in text[lo:hi] (not the words that only look like
    one); English negators count as whole words of the whole text."""
    hi = len(text) if hi is None else hi
    out = []
    for m in _negation_pattern().finditer(text, lo, hi):
        if m.group("neg") is None:
            continue
        word = m.group("neg")
        if word.isascii() and word[-1].isalpha():  # English: whole words only
            before, after = text[m.start() - 1:m.start()], text[m.end():m.end() + 1]
            if re.match(r"[A-Za-z]", before) or (re.match(r"[A-Za-z]", after) and not word.endswith("-")):
                continue
        out.append((m.start(), word))
    return out


_KEYWORD_GAP = re.compile(r"[\u4e00-\u9fff]\s+[\u4e00-\u9fff]")
"""A space between two Chinese words: how a terse question separates its keyword groups."""


_QUOTED_TITLE = re.compile(r"《([^《》]{4,80})》")


def quoted_title_pattern() -> re.Pattern[str]:
    """The pattern of a name in 《》 (group 1 the name), for readers that need where it stands."""
    return _QUOTED_TITLE


def quoted_titles(text: str) -> list[str]:
    """The names a text writes in 《》 (《浙江省培育建设“未来工厂”试行方案》), in order."""
    return _QUOTED_TITLE.findall(text)


def negated(text: str, start: int) -> bool:
    """Whether the phrase starting at `start` is negated: a negator before it in the same clause,
    at most NEGATION_REACH characters back. A predicate's negation stops at 的 (没关系的杭州公司),
    a copula's does not (不是我们的关联方); 非/无 negate only the word after them."""
    clause = clause_at(text, start)
    lo = max(clause.start, start - NEGATION_REACH)
    c = cues()
    for at, word in negators_in(text, lo, start):
        between = text[at + len(word):start]
        if word not in c.copula_negators and any(b in between for b in c.scope_breaks):
            continue
        if _KEYWORD_GAP.search(text[at + len(word):start + 1]):
            # 没关联 我们整机在萧山, 不是人形的 非关联卖了800万: a terse question's next keyword group
            # (up to the phrase itself) is not negated
            continue
        if word not in c.prefix_negators:
            return True
        if between == "" or any(between.startswith(d) for d in c.determiners):
            return True
    return False


def left_open(text: str, start: int) -> bool:
    """Whether the phrase at `start` is asked about, not stated (是不是子公司, 不清楚是否关联,
    关联方的销售算不算)."""
    clause = clause_at(text, start)
    before = text[max(clause.start, start - NEGATION_REACH):start]
    after = text[start:clause.end].lower()
    return any(q in before for q in cues().open_question) or any(q in after for q in cues().open_after)


_SHORT_OF = pattern("short_of")
_SHORT_OF_AFTER = pattern("short_of_after")
_APPROACHING = pattern("approaching_mark")
_POINTED_BACK = pattern("amount_pointed_back")


def guessed(text: str, mention: Mention) -> bool:
    """An amount the asker estimates for themselves (是不是能拿500万, 我们自己算的是…=300万), or
    measures theirs against (离1000万差一点): not a fact to compute with."""
    clause = clause_at(text, mention.start)
    before = text[clause.start:mention.start].lower()
    if _SHORT_OF.search(before) and _SHORT_OF_AFTER.search(text[mention.end:clause.end]):
        return True  # (卖了999万,离1000万差一点: the mark the asker measures against)
    if _APPROACHING.search(before):
        return True  # (95万 差一点到100万: the mark the asker's figure approaches)
    return estimated(text, mention)


def estimated(text: str, mention: Mention) -> bool:
    """An amount the asker estimates they will get (是不是能拿500万, 按30%算不是2.1个亿吗, …=300万)."""
    clause = clause_at(text, mention.start)
    before = text[clause.start:mention.start].lower()
    if any(g.lower() in before for g in cues().guess) or _RATE_APPLIED.search(before):
        return True  # (按30%算不是2.1个亿吗: the asker's own result of the rate)
    return "×" in text[clause.start:clause.end] or "=" in text[clause.start:mention.start]


def english_at(text: str, at: int) -> bool:
    """The sentence holding `at` has no Chinese character: there an amount's own words follow it
    (15 million for land use rights), where Chinese puts them before (土地1500万)."""
    sentence = next((s for s in sentences(text) if s.start <= at < s.end), None)
    return sentence is not None and not is_cjk(sentence.text)


def english_words_of(text: str, mentions: list[Mention], i: int) -> tuple[str, str]:
    """(the words after the i-th amount up to the next amount or the clause's end, the words before
    it in its clause — since the amount before it when one of the clause comes first), lower case: an English
    amount's own words (RMB 80 million excluding land; 15 million for land use rights)."""
    m = mentions[i]
    clause = clause_at(text, m.start)
    hi = min([clause.end] + [n.start for n in mentions[i + 1:i + 2]])
    earlier = i > 0 and mentions[i - 1].end > clause.start
    # (of which land 10 million and used equipment 5 million: after an earlier amount of its clause,
    # the words since that amount)
    after = text[m.end:max(m.end, hi)]
    # (…and used equipment 5 million.: an amount with no words after it, after another one of its
    # clause, is named by the words since that one — not one with words of its own after it: 10
    # million for plant construction and 55 million for new lines)
    before = "" if earlier and re.search(r"[a-z\u4e00-\u9fff]", after, re.IGNORECASE) else \
        text[mentions[i - 1].end:m.start] if earlier else text[clause.start:m.start]
    return after.lower(), before.lower()


def clause_before(text: str, at: int) -> str:
    """The text of `at`'s clause before it, lower-cased (what a cue before a word must be in)."""
    return text[clause_at(text, at).start:at].lower()


def puts_at_place(before: str) -> bool:
    """The words before a place put something there: 在, 落户, 位于, located in, the asker's own
    word right before it (我们湖州德清的项目: where we are), or an English preposition as a word of
    its own (a production project in Linping, Hangzhou)."""
    c = cues()
    b = before.rstrip().lower()
    if b.endswith(tuple(w.lower() for w in (*c.at_place, *c.location_cues))):
        return True
    if b.endswith(tuple(w for w in c.self_words if is_cjk(w))):
        return True
    last = re.search(r"[a-z]+$", b)
    return bool(last and last.group(0) in c.at_place_english and (last.start() == 0 or not b[last.start() - 1].isalpha()))


def counterpart_before(text: str, at: int) -> bool:
    """A word that follows, in its clause, a mention of the enterprise's customers (客户是…, 卖给…),
    or stands between 给 and 供货 (主要给外地整机厂供货): it describes them, not the enterprise
    (我们的软件卖给各家整机厂)."""
    before = clause_before(text, at)
    c = cues()
    if any(w in before for w in c.counterpart_cues) or _SOLD_TO.search(before):
        return True
    clause = clause_at(text, at)
    return any(m.start(1) <= at - clause.start < m.end(1) for m in _SUPPLIED.finditer(clause.text.lower()))


def another_firm_before(text: str, at: int) -> bool:
    """A word that follows, in its clause, a firm the text introduces (滨江一家跟我们没关系的整机企业):
    it describes that firm, not the enterprise — unless the clause starts with the enterprise
    itself (我们是一家整机企业)."""
    before = clause_before(text, at)
    c = cues()
    for d in c.firm_determiners:
        i = before.rfind(d)
        lead = before[:i].strip()
        if i >= 0 and len(lead) <= FIRM_LEAD_MAX and not lead.endswith(c.firm_prepositions) \
                and not any(w in lead for w in (*c.self_words, *c.location_cues)):
            return True
    return False


FIRM_LEAD_MAX = 4
"""Characters before a firm's determiner that still leave the firm what its clause is about (滨江一家)."""


_SOLD_TO = pattern("sold_to")
_SUPPLIED = pattern("supplied_customer")
_RATE_APPLIED = pattern("rate_applied")


def bought_before(text: str, at: int) -> bool:
    """A word that follows, in its clause, a purchase (采购了一批芯片, bought chips): it is what the
    enterprise buys, not what it makes."""
    before = clause_before(text, at)
    return any(v in before for v in cues().purchase_verbs)


SELLER_NAME_REACH = 4
"""Characters between a word and the firm noun it names (芯片企业, 芯片设计公司)."""


def seller_named_at(text: str, at: int) -> bool:
    """A word inside the name of a firm the enterprise buys from (向无关联的杭州芯片企业采购智能芯片):
    a firm noun follows it closely and a purchase follows in its clause — it is what the seller
    is, not what the enterprise makes."""
    clause = clause_at(text, at)
    after = text[at:clause.end]
    c = cues()
    nouns = [after.find(n) for n in c.entity_nouns if 0 < after.find(n) <= SELLER_NAME_REACH + len(n)]
    return bool(nouns) and any(v in after[min(nouns):] for v in c.purchase_verbs)


def planned(text: str, mention: Mention) -> bool:
    """An amount marked as planned (原计划投资2000万), not actual."""
    before = clause_before(text, mention.start)
    if "实际" in before:
        return False
    return any(p.lower() in before for p in cues().planned)


def so_far(text: str, mention: Mention) -> bool:
    """An amount marked as what is in so far (目前实际到位800万), not the final figure."""
    before = clause_before(text, mention.start).lower()
    return any(w.lower() in before for w in cues().so_far)


@lru_cache(maxsize=1)
def _pending_pattern() -> re.Pattern[str]:
    """A not-yet adverb right before a step of getting support (还没申请, 尚未去评审, 正在申报, with
    up to two fillers between them: 还没做任何认定); a
    one-character step ends its word or goes on with one of `pending_step_ends` (还没批, 还没批下来;
    not 正在批量生产)."""
    c = cues()
    ends = "".join(map(re.escape, c.pending_step_ends))
    steps = [re.escape(s) if len(s) > 1 else re.escape(s) + f"(?:(?![\u4e00-\u9fff])|(?=[{ends}]))"
             for s in c.pending_steps]
    adverbs, fillers = "|".join(map(re.escape, c.pending_adverbs)), "|".join(map(re.escape, c.pending_fillers))
    # 还没做过行业先进水平认定: after a filler verb, the step's object may come before the step
    return re.compile(f"(?:{adverbs})(?:(?:{fillers}){{0,2}}|(?:{fillers})+{pattern_source('pending_object')})"
                      "(?:" + "|".join(steps) + ")")


def pending(text: str) -> bool:
    """A clause that states its facts as not settled yet (首台套认定还在申请中, 还没开始投): one of
    the pending phrases, a not-yet adverb before a step of getting support (认定还没申请), or a
    step with an ongoing adverb anywhere in the clause (认定仍在核查, certification not finished yet)."""
    c = cues()
    lowered = text.lower()
    if any(p.lower() in lowered for p in c.pending) or _pending_pattern().search(text):
        return True
    # (材料已经交了: an application's words with a done marker between them, 材料交了)
    plain = _done_markers().sub("", text)
    if (says(text, c.applied) or says(plain, c.applied)) and not says(text, c.granted):
        return True  # 产品已申报首台套: applied for, not yet held
    return says(text, c.pending_ongoing) and any(  # 批 alone: 正在批量生产
        not _done_before(lowered, m.start()) for m in _words_regex(tuple(s for s in c.pending_steps if len(s) > 1))
        .finditer(text))


@lru_cache(maxsize=1)
def _done_markers() -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, sorted(cues().done_markers, key=len, reverse=True))))


DONE_REACH = 12
"""Characters before a step in which a done marker (已, already) says the step is done."""


def _done_before(lowered: str, at: int) -> bool:
    """A done marker right before the step at `at` (已认定, 已经通过认定, already certified)."""
    before = lowered[max(0, at - DONE_REACH):at]
    return any(before.endswith(m) or (m.isascii() and m in before) or (not m.isascii() and m in before[-4:])
               for m in cues().done_markers)


def names_undenied(lowered: str, words: tuple[str, ...] | list[str]) -> bool:
    """One of the words in the (lowercased) text other than denied: 关联企业 of 非关联企业 is none,
    nor 土地 of 没有土地厂房."""
    for w in words:
        at = lowered.find(w.lower())
        while at >= 0:
            if not negated(lowered, at):
                return True
            at = lowered.find(w.lower(), at + 1)
    return False


def says(text: str, words: tuple[str, ...]) -> bool:
    """One of the words is in the text, an English one as a whole word (yet, not yesterday; also,
    not also-ran), case aside."""
    return bool(words) and _words_regex(words).search(text) is not None


@lru_cache(maxsize=64)
def _words_regex(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(words_pattern(words), re.IGNORECASE)


def amount_ranges(text: str, mentions: list[Mention]) -> list[tuple[Mention, Mention]]:
    """(lower, upper) for two amounts joined by nothing but a range joiner (80万到150万之间,
    100-200万): one amount not settled yet."""
    joiners = {j.lower() for j in cues().range_joiners}
    return [(a, b) for a, b in zip(mentions, mentions[1:])
            if text[a.end:b.start].strip().lower() in joiners and a.yuan < b.yuan]


def stated_amounts(text: str, currency: str | None = "CNY") -> list[Mention]:
    """The amounts a text states as facts: the asker's own guesses left out."""
    found = [m for m in find_amounts(text) if currency is None or m.currency == currency]
    # (实际投资5亿 土地厂房另算不在这5亿里: 这5亿 is the total said before, not a part of it)
    found = [m for i, m in enumerate(found)
             if not (_POINTED_BACK.search(text[max(0, m.start - 4):m.start]) and any(o.yuan == m.yuan for o in found[:i]))]
    return [m for m in found if not guessed(text, m)]


def actual_amounts(text: str, mentions: list[Mention]) -> list[Mention]:
    """Planned amounts left out when the text also states actual ones. The amounts after a
    planned one in its sentence are its parts (计划投4000万,土地1500万,厂房1000万), planned too,
    unless their clause says they are actual (实际投资3000万)."""
    marked: list[bool] = []
    for i, m in enumerate(mentions):
        sentence = sentence_at(text, m.start)
        # (the amount right before it: 原计划3000万,实际投了2600万,其中400万: 400万 is the actual's)
        part = i > 0 and marked[i - 1] and mentions[i - 1].start >= sentence.start \
            and "实际" not in clause_before(text, m.start)
        marked.append(planned(text, m) or part)
    actual = [m for m, p in zip(mentions, marked) if not p]
    return actual if actual else mentions


def self_word_pattern() -> str:
    """A regular expression alternative of how an enterprise names itself."""
    return words_pattern(cues().self_words)


@dataclass(frozen=True)
class AskedBenefit:
    """A kind of money a question asks for (购车补贴), and the words right before the benefit
    word that may name what it is for (购车; 流片费用 → 费用, 流片), nearest first."""

    benefit: str
    things: tuple[str, ...]
    cost: bool = False
    """The things name what a cost was for (CE认证的费用能补吗): the money is asked for that cost."""

    def phrase(self, thing: str) -> str:
        return thing + self.benefit


QUOTES = "“”‘’\"'「」『』《》"


def _head_of_compound(text: str, words: list[str], at: int) -> str:
    """When the tokenizer kept the benefit word inside one word with what it is for (算力券,
    领算力券): that word's part before it, without one-character fillers in front (领, 能)."""
    pos = 0
    for word in words:
        start = text.find(word, pos)
        if start < 0:
            return ""
        pos = start + len(word)
        if start < at < pos:
            head = text[start:at]
            fillers = {f for f in cues().object_fillers if len(f) == 1}
            while head and head[0] in fillers:
                head = head[1:]
            if head in cues().object_fillers:
                return ""  # 最高奖补: 最高 says how much, not what the money is for
            return head if len(head) >= 2 and is_cjk(head) else ""
        if start > at:
            return ""
    return ""


def _inside_word(text: str, words: list[str]) -> dict[int, str]:
    """For each offset inside one of the tokenizer's words, that word's part before it (保费: 1 →
    保); offsets at word boundaries are not keys."""
    out: dict[int, str] = {}
    pos = 0
    for word in words:
        start = text.find(word, pos)
        if start < 0:
            return {}
        out.update({start + i: word[:i] for i in range(1, len(word))})
        pos = start + len(word)
    return out


def _ends_word(prefix: str, filler: str, fillers: tuple[str, ...]) -> bool:
    """A one-character filler ends a word of the dictionary with what comes before it in its
    token (保费: 保 + 费), unless that is fillers too."""
    return bool(prefix) and not _all_fillers(prefix, fillers) and tokenizer_for(()).is_word(prefix + filler)


def _all_fillers(part: str, fillers: tuple[str, ...]) -> bool:
    """The text is made of fillers only ('' counts)."""
    while part:
        f = next((f for f in fillers if part.endswith(f)), "")
        if not f:
            return False
        part = part[:-len(f)]
    return True


def asked_benefit(text: str, words: list[str], reach: int = 2) -> AskedBenefit | None:
    """The money the question asks for: the first benefit word, and the `reach` topic words that
    directly precede it in its clause (fillers such as 有/的/能 skipped). `words` is the question
    cut into words (the tokenizer is the caller's)."""
    c = cues()
    lowered = text.lower()
    found = [(lowered.find(b.lower()), b, b) for b in c.benefits if b.lower() in lowered]
    nouns = [(i, b) for i, b, _ in found]
    found += [(at, v, noun) for v, noun in c.benefit_verbs if v in lowered
              for at in [lowered.find(v)]
              if not any(at <= i < at + len(v) for i, _ in nouns)]  # 房租能补贴: the noun 补贴
    if not found:
        return None
    at, said, benefit = min(found)
    verb = said != benefit  # 奖多少: the benefit is asked for as a verb
    clause = clause_at(text, at)
    head = _head_of_compound(text, words, at)
    if head:
        return AskedBenefit(benefit, (head,))  # 算力券, 领算力券: one word with the benefit at its end
    end = at
    inside = _inside_word(text, words)
    while True:
        # (保费补贴: 费 ends the dictionary word 保费, no filler; 流片费补贴: a word of its own;
        # 拿 of 能拿, 能 of 后能: no word of the dictionary)
        filler = next((f for f in c.object_fillers if text.endswith(f, clause.start, end)
                       and (len(f) > 1 or not _ends_word(inside.get(end - 1, ""), f, c.object_fillers))), "")
        if not filler:
            break
        end -= len(filler)
    things: list[str] = []
    cost = False
    said_more = False  # the benefit's clause has words of its own (出国展会费用能补吗)
    event = False  # the word before was 后 (认定后奖励多少)
    figures = stated_amounts(text, None)  # (the asker's own guess, 是不是给500万, states no figure)
    start = clause.start
    if figures and (end == clause.start or text[end - 1].isspace()):
        # 在杭整机 首次采购 0.05亿 智能芯片 供应商杭企 非关联 奖励?: a keyword of its own after the
        # figures it asks about, not money for the keyword before it
        return AskedBenefit(benefit, ())
    for word in reversed(words):
        if len(things) >= reach or not word.strip():
            continue
        spaced = False
        while end > start and (text[end - 1].isspace() or text[end - 1] in QUOTES):
            spaced = spaced or text[end - 1].isspace()
            end -= 1  # 上市 杭州奖励: a space is no boundary of what the money is for; quotes
            # around the thing (“链主工厂”奖励) are not a word of it
        if spaced and said_more:
            verb = False  # 应用示范工厂 评上了奖多少: before the happening's keyword group, the thing
        if not text.endswith(word, start, end):
            if things or said_more or end != clause.start or start == 0 or figures:
                continue  # (a question stating its figures asks about them, not about a thing)
            # 在科创板上市,市里奖励多少: nothing in the benefit's own clause says what the money
            # is for, so the clause before it does
            start = clause_at(text, max(0, clause.start - 2)).start
            end = clause.start - 1
            if not text.endswith(word, start, end):
                continue
        end -= len(word)
        if word in c.article_deixis or (word[:1] == "第" and word[-1:] in c.article_units) \
                or (word in c.figure_asks and not things and text[end + len(word):at].isspace()) \
                or (start < clause.start and _negated_verb(word)):
            # 项目招引那条,资助的门槛: the clause names an article, not what money is for; 门槛是多少
            # 资助比例: a keyword group asking its own figure; 申报了没评上,还能拿奖励吗: the clause
            # before says what did not happen, not what the money is for
            break
        if event:
            event = False
            continue  # 认定后奖励多少: 认定 is what happened, not what the money is for
        if word in c.event_after and not things:
            event = True
            continue
        if _either_or(word) or _potential(word):
            continue  # 够不够拿奖励, 够得上奖励吗: a yes-or-no question's verb asks, it is nothing money is for
        if _happened_or_text(text, word, end, first=not things):
            # (原文 asks for the text: the clause says no more of what the money is for)
            said_more = said_more or word in c.text_words
            continue
        if word in c.costs and not things:
            verb, cost = False, True  # CE认证的费用能补吗: the cost's own words say what the money is for
            continue
        if any(end < m.end <= at for m in figures):
            break  # 实投2.5亿 资助多少: what comes before a figure is not what the money is for
        if excluded_at(text, end):
            continue  # 不含土地厂房旧设备 资助多少: what is left out is not what the money is for
        if word in function_words() and (end + len(word) < at or word.endswith(c.verb_endings)):
            continue  # 上市成功以后奖励多少: 以后 is grammar (一次性奖励: right before it, a kind)
        if _counted_unit(word) or word in c.place_deixis or _place_name(word):
            continue  # 一台能补多少, 每台补多少: how many; 杭州奖励多少: whose money, not what it is for
        if verb and (len(word) < 3 or word.endswith(c.verb_endings)):
            said_more = said_more or (re.fullmatch(r"[\u4e00-\u9fff]{2,}", word) is not None
                                      and word not in c.object_fillers)
            continue  # 评上了奖多少, 这样算下来补多少: what happened, not what the money is for
        if word not in c.object_fillers and word not in c.place_deixis and not negated(text, end) \
                and re.fullmatch(r"[\u4e00-\u9fff]{2,}", word) and not _place_name(word):
            things.append(word)  # 杭州奖励多少: a place says whose money, not what it is for
    return AskedBenefit(benefit, tuple(things), cost and bool(things))


def _either_or(word: str) -> bool:
    """A verb with its negation, asking yes or no (够不够, 算不算, 行没行)."""
    return len(word) == 3 and word[0] == word[2] and word[1] in cues().negators


def _negated_verb(word: str) -> bool:
    """A word the tokenizer joined to the negator before it (没评 of 没评上, 未获): a happening
    that did not happen — unless the word is no negation (无人机)."""
    c = cues()
    return len(word) > 1 and word.startswith(c.negators) and not word.startswith(c.not_negation)


def _potential(word: str) -> bool:
    """A verb with a potential complement (够得上, 拿得到, 评不上): whether something can be done."""
    c = cues()
    return len(word) == 3 and word[1] in c.potential_markers and word.endswith(c.verb_endings)


def names_text(word: str) -> bool:
    """The word names the policy text itself (条款, 原文), also with a counter before it (那篇文章:
    篇文章): never a thing the text lacks."""
    return any(word.endswith(t) for t in cues().text_words if is_cjk(t))


def _happened_or_text(text: str, word: str, at: int, *, first: bool) -> bool:
    """The word at `at`, before a benefit word, names what happened or the text itself, not what the
    money is for: a verb and its complement before 的 (评上的奖励多少), when nearest the benefit
    (`first`); a passive verb (被评); the text asked for (原文资助上限多少)."""
    c = cues()
    if first and len(word) == 2 and word.endswith(c.verb_endings) and text.startswith("的", at + 2):
        return True
    if len(word) > 1 and word.startswith(c.passive):
        return True  # 场景被评上了奖励多少: a passive verb (被评) is what happened
    return word in c.text_words


def _counted_unit(word: str) -> bool:
    """每台, 一台, 两个: a number (or 每) and a counter character."""
    if len(word) != 2 or word[1] not in cues().counters:
        return False
    return word[0] == "每" or word[0].isdigit() or word[0] in numerals().digits


def _place_name(word: str) -> bool:
    return bool(places.resolve(word)) or places.is_abroad(word)


_WHICH = pattern("which_after")
"""After 哪 (在哪个, 是哪些): the question asks which one of what follows."""


EXISTS_PHRASE_WORDS = 3
"""The words after 有没有 that may make one phrase ending in the kind of money asked for (有没有投资补助)."""


def word_spans(text: str, words: list[str]) -> list[tuple[int, int, str]]:
    """(start, end, word) of each word of a tokenisation of the text, found in order (a word the
    text does not hold as written is skipped)."""
    out: list[tuple[int, int, str]] = []
    at = 0
    for w in words:
        i = text.find(w, at)
        if i < 0:
            continue
        out.append((i, i + len(w), w))
        at = i + len(w)
    return out


CUT_LINE_MIN = 20
"""A last line at least this long that ends without a sentence break is a text cut mid-sentence."""
_TAIL_CLOSING = pattern("text_tail_closing")


def cut_mid_sentence(text: str) -> bool:
    """The text stops in the middle of a sentence (a page stored only in part): its last line, past
    the brackets and quotes that may close it, is no link and ends on a joining word or comma, or is
    as long as a sentence and ends without a sentence break."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    last = lines[-1] if lines else ""
    while (shorter := _TAIL_CLOSING.sub("", last).rstrip()) != last:
        last = shorter
    if not last or "://" in last:
        return False
    c = cues()
    if last.endswith(c.enumeration_joiners) or last.endswith(c.open_endings) or last[-1] in "，,、":
        return True  # 县级以上地方人民政府及, 存在如下情形的装备不得: it stops on a joining word or a modal
    return len(last) >= CUT_LINE_MIN and last[-1] not in c.sentence_breaks


def formerly_at(text: str, at: int) -> bool:
    """The place at `at` is where someone no longer is (总部原在上海, formerly in)."""
    return text[:at].rstrip().lower().endswith(cues().former_place)


def _asked_yes_no(text: str, bounds: list[tuple[int, int, str]]) -> list[str]:
    """What a yes/no question asks to be allowed (医保能报销吗: 报销; 能进医保吗: 医保; 能进医保报销吗:
    医保 and 报销, the words up to the 吗), given the text's word boundaries."""
    c = cues()
    out: list[str] = []
    for phrase in c.asks_yes_no:
        for m in re.finditer(re.escape(phrase), text):
            after = [(s, e, w) for s, e, w in bounds if s >= m.start()][:3]
            if not after or after[0][0] != m.start() or not after[0][2].startswith(phrase):
                continue
            verb = after[0][2][len(phrase):]  # 能进 as one word: the verb 进 is in it
            after = after[1:] if verb or after[0][2] == phrase else []
            if not verb and after and after[0][0] != m.end():
                continue
            if not verb and len(after) >= 2 and len(after[0][2]) == 1 and after[1][0] == after[0][1]:
                verb, after = after[0][2], after[1:]  # a one-character verb before its object
            if len(verb) > 1:
                continue
            out += [w for _, e, w in after[:1] if text[e:e + 1] and text[e] in c.yes_no_ends]
            if len(after) >= 2 and after[1][0] == after[0][1] and text[after[1][1]:after[1][1] + 1] \
                    and text[after[1][1]] in c.yes_no_ends:
                out += [after[0][2], after[1][2]]
    return out


_MODAL_BARE_VERB = pattern("modal_bare_verb")


def asked_things(text: str, words: list[str]) -> list[str]:
    """The words a question asks about (标准号 of 标准号是多少, 空域 of 去哪里申请空域): the last
    words before an asking phrase and the first after an asking verb, in their clause (fillers
    such as 的 skipped). `words` is the question cut into words."""
    c = cues()
    out: list[str] = []
    bounds = word_spans(text, words)  # word boundaries of the text, from the caller's tokenisation
    covered: list[tuple[int, int]] = []
    for phrase in sorted(c.asks_before, key=len, reverse=True):
        for m in re.finditer(re.escape(phrase), text):
            if any(a <= m.start() and m.end() <= b for a, b in covered):
                continue  # (是多少 inside 的数量是多少: the longer phrase asks)
            covered.append(m.span())
            clause = clause_at(text, m.start())
            end = m.start()
            while True:
                if end > clause.start and text[end - 1] == " ":
                    end -= 1  # 注册证 怎么办: a space between the thing and its asking phrase
                    continue
                filler = next((f for f in c.object_fillers if text.endswith(f, clause.start, end)), "")
                if not filler:
                    break
                end -= len(filler)
            if _WHICH.match(text, m.end()):
                continue  # 打算在哪个产业…: asks which 产业, not about the word before it
            prev = [w for s, e, w in bounds if e == end and s >= clause.start]
            out += prev
    for phrase in c.asks_after:
        for m in re.finditer(re.escape(phrase), text):
            nxt = [w for s, e, w in bounds if s == m.end()]
            out += nxt
    out += _asked_yes_no(text, bounds)
    for m in _MODAL_BARE_VERB.finditer(text):  # 医保能不能报: whether 医保 gives it
        clause = clause_at(text, m.start())
        end = m.start()
        while end > clause.start and text[end - 1] == " ":
            end -= 1
        # (出国展会费用能补吗: a cost is what is paid back, not a payer the library lacks)
        out += [w for s, e, w in bounds if e == end and s >= clause.start and w not in c.costs]
    for phrase in c.asks_exists:  # 租赁利息有没有贴息: a kind of money, the end of its clause
        for m in re.finditer(re.escape(phrase), text):
            clause = clause_at(text, m.start())
            # (有没有投资补助: the kind of money ends the phrase the words after it make)
            after = [(s, e, w) for s, e, w in bounds if m.end() <= s < clause.end][:EXISTS_PHRASE_WORDS]
            for k, (s, e, w) in enumerate(after):
                if k and after[k - 1][1] != s:
                    break  # not one phrase
                if w in c.benefits and (e >= clause.end or (text[e:e + 1] and text[e] in c.exists_ends)):
                    out.append(w)
                    break
    for phrase in c.exists_plain:  # 融资租赁有贴息吗: a kind of money right before 吗
        for m in re.finditer(re.escape(phrase), text):
            out += [w for s, e, w in bounds if s == m.end() and w in c.benefits
                    and text[e:e + 1] and text[e] in c.yes_no_ends]
    return [w for w in dict.fromkeys(out) if re.fullmatch(r"[\u4e00-\u9fff]{2,}", w)
            and w not in c.text_words and w not in c.place_deixis and w not in c.aspect_words
            and not w.startswith(c.negators)]  # 能不能自己出: 不能自己 asks nothing


def _list_start(text: str, at: int) -> int:
    """Where the list holding the word at `at` starts: its bracket or its clause."""
    c = cues()
    return max([text.rfind(b, 0, at) for b in "((" + c.sentence_breaks + ",,"] + [0])


def excluded_at(text: str, at: int) -> bool:
    """Whether the word at `at` stands in an exclusion (不含土地厂房旧设备, 无土地厂房)."""
    return any(x in text[_list_start(text, at):at] for x in cues().exclusions)


def without_exclusions(text: str) -> str:
    """The text with what its exclusions leave out blanked (不含土地厂房 → 不含    ), offsets kept:
    a part a total leaves out names no part of an amount after it (计划投资1500万(不含土地厂房),
    目前实际到位800万)."""
    # (only the exclusions of more than one character: 无 also opens 无关联的公司, no exclusion)
    words = [x for x in cues().exclusions if len(x) > 1]
    return "".join(" " if ch.isalnum() and any(x in text[_list_start(text, at):at] for x in words) else ch
                   for at, ch in enumerate(text))


def named_outside_exclusions(text: str, word: str, *, whole_item: bool = True) -> bool:
    """Whether the word occurs in the text other than inside an exclusion (不含土地、厂房、旧设备:
    厂房 there is left out of the money, not funded by it). With `whole_item`, only a listed item
    equal to the word is excluded (设备 is not: 旧设备 is)."""
    c = cues()
    at = text.find(word)
    while at >= 0:
        lo = _list_start(text, at)
        hi = min([k for k in (text.find(b, at) for b in "、))" + c.sentence_breaks + ",, ") if k >= 0]
                 + [len(text)])
        before = text[lo:at]
        marker = max((before.rfind(x) + len(x) for x in c.exclusions if x in before), default=-1)
        if marker < 0:
            return True
        if whole_item:
            item_start = max(lo + marker, text.rfind("、", 0, at) + 1)
            if text[item_start:hi].strip() != word:
                return True
        at = text.find(word, at + 1)
    return False


def money_text(text: str) -> bool:
    """A text that gives money: a benefit word (补助, 奖励 …) and an amount or a rate."""
    lowered = text.lower()
    return any(b.lower() in lowered for b in cues().benefits) and bool(
        pattern("money_figure").search(text))


ENUMERATION_ITEM_CHARS = (2, 12)
"""Shortest and longest listed item kept (视、触、听: single characters name no field of work;
a longer piece is a sentence, not an item)."""


def enumerated_items(text: str) -> tuple[str, ...]:
    """The things a text lists (汽车、电子、纺织等装备制造领域 → 汽车, 电子, 纺织): in each clause
    holding 、, the pieces between the marks; the first starts after the clause's last lead word
    (面向, 拓展), the last ends at 等 (without 等 the last piece is not kept: it runs on),
    and 和/及 split a piece in two (地下管廊及封闭空间作业). A policy article's lists name what it
    supports (its scenarios, sectors and products), so a description naming one fits the article."""
    c = cues()
    out: list[str] = []
    text = re.sub(r"[((][^()()]*[))]", "。", text)  # (责任单位:…) lists no field of work
    for clause in _split(text, c.sentence_breaks + ",,;;::"):
        pieces = clause.text.split("、")
        if len(pieces) < 2:
            continue
        first = pieces[0]
        lead_end = max((first.rfind(w) + len(w) for w in c.enumeration_leads if w in first), default=-1)
        if lead_end < 0:
            lead_end = max(0, len(first) - len(pieces[1]))  # no lead word: as long as its neighbour
        pieces[0] = first[lead_end:]
        if len(pieces[0]) > ENUMERATION_ITEM_CHARS[1]:
            # 以智能机器人为主题的体验馆、竞技场: a modifier the list shares, then the first item
            cut = max((pieces[0].rfind(w) + len(w) for w in c.enumeration_modifier_ends if w in pieces[0]),
                      default=0)
            pieces[0] = pieces[0][cut:]
        last = pieces[-1]
        end = min((last.find(w) for w in c.enumeration_ends if w in last), default=-1)
        if end >= 0:
            pieces[-1] = last[:end]
        else:
            pieces.pop()  # without 等 the last piece runs on into the sentence (提升生产效率、促进创新发展)
        for piece in pieces:
            for part in re.split("|".join(map(re.escape, c.enumeration_joiners)), piece) \
                    if c.enumeration_joiners else [piece]:
                part = part.strip(" “”\"'()()")
                lo, hi = ENUMERATION_ITEM_CHARS
                if lo <= len(part) <= hi and re.fullmatch(r"[\u4e00-\u9fffA-Za-z0-9]+", part):
                    out.append(part)
    return tuple(dict.fromkeys(out))
