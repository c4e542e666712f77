"""The one loader of the readers' cue words: every word list and pattern a reader matches text
with lives in `assistant/data/*.json`, read here (the package holds the mechanisms).

* `cues()`: the word lists of `data/cues.json` (negation, self-reference, guesses, benefits…).
* `pattern(name)`: a regular expression of `data/patterns.json`, compiled once. A pattern may hold
  `⟨name⟩` placeholders for the character sets of `data/numerals.json` (`⟨digits⟩`: 零〇一二两…九,
  `⟨units⟩`: 十百千, `⟨big_units⟩`: 万亿, and their `financial_` forms 壹贰…, 拾佰仟, 萬億), and
  `⟨pattern:name⟩` for another pattern of the file (a full date inside the sentences that date).
* `numerals()`: the Chinese digits and units with their values (`data/numerals.json`).
* `amount_words()`: currencies and the words around amounts (`data/amounts.json`).
* `data(name)`: any other JSON file of `assistant/data/`, parsed once.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, cast

DATA = Path(__file__).parent.parent / "data"


@lru_cache(maxsize=None)
def data(name: str) -> Any:
    """A JSON file of `assistant/data/`, parsed once (treat it as read-only)."""
    return json.loads((DATA / name).read_text(encoding="utf-8"))


@dataclass(frozen=True, kw_only=True)
class Numerals:
    """The Chinese numerals of `data/numerals.json` (see its `_doc`)."""

    digits: dict[str, int]
    units: dict[str, int]
    big_units: dict[str, int]
    financial_digits: dict[str, int]
    financial_units: dict[str, int]
    financial_big_units: dict[str, int]
    money_units: dict[str, int]
    point: str
    approximate: str
    minus: str

    def chars(self, name: str) -> str:
        """The characters of one table (`digits`, `units`, …), in their order in the file."""
        return "".join(getattr(self, name))


@lru_cache(maxsize=1)
def numerals() -> Numerals:
    raw = data("numerals.json")
    plain = {**raw["digits"], **raw["units"], **raw["big_units"]}

    def variants(table: dict[str, str]) -> dict[str, int]:  # 壹 → the value of 一
        return {ch: plain[of] for ch, of in table.items()}

    return Numerals(digits=dict(raw["digits"]), units=dict(raw["units"]), big_units=dict(raw["big_units"]),
                    financial_digits=variants(raw["financial_digits"]),
                    financial_units=variants(raw["financial_units"]),
                    financial_big_units=variants(raw["financial_big_units"]),
                    money_units=dict(raw["money_units"]), point=raw["point"], approximate=raw["approximate"],
                    minus=raw["minus"])


@dataclass(frozen=True, kw_only=True)
class AmountWords:
    """The words of amounts of `data/amounts.json` (see its `_doc`)."""

    currency_names: dict[str, str]
    currency_after: tuple[tuple[str, str], ...]
    currency_after_english: tuple[tuple[str, str], ...]
    currency_before: tuple[tuple[str, str], ...]
    currency_before_last: str
    not_yuan_after: tuple[str, ...]
    kuai_followers: str
    vague_before: tuple[str, ...]
    english_not_counted: tuple[str, ...]
    digit_word_tails: str


@lru_cache(maxsize=1)
def amount_words() -> AmountWords:
    raw = data("amounts.json")

    def pairs(rows: list[list[str]]) -> tuple[tuple[str, str], ...]:
        return tuple((a, b) for a, b in rows)

    return AmountWords(currency_names=dict(raw["currency_names"]), currency_after=pairs(raw["currency_after"]),
                       currency_after_english=pairs(raw["currency_after_english"]),
                       currency_before=pairs(raw["currency_before"]),
                       currency_before_last=raw["currency_before_last"],
                       not_yuan_after=tuple(raw["not_yuan_after"]), kuai_followers=raw["kuai_followers"],
                       vague_before=tuple(raw["vague_before"]),
                       english_not_counted=tuple(raw["english_not_counted"]),
                       digit_word_tails=raw["digit_word_tails"])


_PLACEHOLDER = re.compile(r"⟨(?:(words|pattern):)?(\w+)⟩")


def words_pattern(words: Iterable[str]) -> str:
    """An alternation of words, longest first; an English word only as a whole word (we, not were)."""
    return "|".join(rf"\b{re.escape(w)}\b" if w.isascii() else re.escape(w)
                    for w in sorted(words, key=len, reverse=True))


def _fill(m: re.Match[str]) -> str:
    kind, name = m.group(1), m.group(2)
    if kind == "words":
        return words_pattern(data("cues.json")[name])
    if kind == "pattern":
        return pattern_source(name)
    return numerals().chars(name)


def pattern_source(name: str) -> str:
    """The source of a pattern of `data/patterns.json`, its `⟨…⟩` placeholders filled: `⟨digits⟩`
    and the other numeral tables by their characters, `⟨words:NAME⟩` by the words of the list NAME
    of `data/cues.json` (`words_pattern`), `⟨pattern:NAME⟩` by the source of the pattern NAME (as
    written, without a group around it)."""
    entry = data("patterns.json")[name]
    source = entry if isinstance(entry, str) else entry["pattern"]
    return _PLACEHOLDER.sub(_fill, source)


@lru_cache(maxsize=None)
def compiled(name: str) -> re.Pattern[str]:
    """A pattern of `data/patterns.json`, compiled (`"ignore_case"` → re.IGNORECASE, `"dot_all"`
    → re.DOTALL, `"multi_line"` → re.MULTILINE)."""
    entry = data("patterns.json")[name]
    options = entry if isinstance(entry, dict) else {}
    flags = ((re.IGNORECASE if options.get("ignore_case") else 0) | (re.DOTALL if options.get("dot_all") else 0)
             | (re.MULTILINE if options.get("multi_line") else 0))
    return re.compile(pattern_source(name), flags)


class _Deferred:
    """A pattern compiled on its first use: modules name their patterns at import, and a cold
    `ask` uses few of the ~200 (a document's metadata readers, for one, only run in `add`)."""

    __slots__ = ("_name",)

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> object:
        return getattr(compiled(self._name), attr)


@lru_cache(maxsize=None)
def pattern(name: str) -> re.Pattern[str]:
    """A pattern of `data/patterns.json` by name, compiled once, on its first use."""
    return cast("re.Pattern[str]", _Deferred(name))


@dataclass(frozen=True, kw_only=True)
class Cues:
    """The cue lists of `data/cues.json` (see its `_doc`)."""

    negators: tuple[str, ...]
    prefix_negators: tuple[str, ...]
    copula_negators: tuple[str, ...]
    determiners: tuple[str, ...]
    scope_breaks: tuple[str, ...]
    not_negation: tuple[str, ...]
    open_question: tuple[str, ...]
    open_after: tuple[str, ...]
    self_words: tuple[str, ...]
    guess: tuple[str, ...]
    place_deixis: tuple[str, ...]
    aspect_words: tuple[str, ...]
    mention_words: tuple[str, ...]
    policy_words: tuple[str, ...]
    money_asks: tuple[str, ...]
    figure_asks: tuple[str, ...]
    threshold_asks: tuple[str, ...]
    what_asks: tuple[str, ...]
    figure_gap: str
    figure_things: tuple[str, ...]
    """Rates a question may ask of a measure (租赁利率有没有优惠): a figure asked of them."""
    additive: tuple[str, ...]
    rest: tuple[str, ...]
    restate: tuple[str, ...]
    range_joiners: tuple[str, ...]
    fractions: dict[str, float]
    whole_text_asks: tuple[str, ...]
    item_modifiers: tuple[str, ...]
    item_heads: tuple[str, ...]
    amount_fillers: tuple[str, ...]
    beside: tuple[str, ...]
    no_cost: tuple[str, ...]
    text_words: tuple[str, ...]
    conversation_words: tuple[str, ...]
    potential_markers: str
    kind_suffixes: tuple[str, ...]
    event_after: tuple[str, ...]
    done_markers: tuple[str, ...]
    totals: tuple[str, ...]
    product_endings: tuple[str, ...]
    asks_before: tuple[str, ...]
    asks_after: tuple[str, ...]
    asks_yes_no: tuple[str, ...]
    yes_no_ends: str
    asks_exists: tuple[str, ...]
    exists_ends: str
    exists_plain: tuple[str, ...]
    benefits: tuple[str, ...]
    object_fillers: tuple[str, ...]
    planned: tuple[str, ...]
    pending: tuple[str, ...]
    pending_adverbs: tuple[str, ...]
    pending_fillers: tuple[str, ...]
    pending_steps: tuple[str, ...]
    pending_ongoing: tuple[str, ...]
    pending_step_ends: tuple[str, ...]
    document_nouns: tuple[str, ...]
    after_part: tuple[str, ...]
    article_deixis: tuple[str, ...]
    interrogatives: tuple[str, ...]
    exclusions: tuple[str, ...]
    article_units: str
    location_cues: tuple[str, ...]
    former_place: tuple[str, ...]
    count_fillers: tuple[str, ...]
    site_verbs: tuple[str, ...]
    reference_words: tuple[str, ...]
    so_far: tuple[str, ...]
    open_endings: tuple[str, ...]
    same_purchase: tuple[str, ...]
    """Words that put a thing bought into the purchase stated before (同一次采购里还有…)."""
    english_makers: tuple[str, ...]
    """Who makes something (component makers): the kind of asker, never a topic of its own."""
    """Words before a place where someone no longer is (总部原在上海, formerly in): not where they are."""
    product_intro: tuple[str, ...]
    supplier_cues: tuple[str, ...]
    counterpart_cues: tuple[str, ...]
    entity_nouns: tuple[str, ...]
    at_place: tuple[str, ...]
    at_place_english: tuple[str, ...]
    head_modifies: tuple[str, ...]
    purchase_verbs: tuple[str, ...]
    trade_verbs: tuple[str, ...]
    also: tuple[str, ...]
    each: tuple[str, ...]
    all_of: tuple[str, ...]
    opposites: tuple[tuple[str, str], ...]
    sum_asks: tuple[str, ...]
    firm_determiners: tuple[str, ...]
    firm_prepositions: tuple[str, ...]
    beside_total: tuple[str, ...]
    another: tuple[str, ...]
    unchanged: tuple[str, ...]
    applied: tuple[str, ...]
    granted: tuple[str, ...]
    renamed_county_endings: tuple[str, ...]
    district_ending: str
    clause_breaks: str
    sentence_breaks: str
    status_words: dict[str, tuple[str, ...]]
    county_suffixes: tuple[str, ...]
    document_number_suffixes: tuple[str, ...]
    enumeration_leads: tuple[str, ...]
    enumeration_joiners: tuple[str, ...]
    enumeration_ends: tuple[str, ...]
    enumeration_modifier_ends: tuple[str, ...]
    benefit_verbs: tuple[tuple[str, str], ...]
    costs: tuple[str, ...]
    passive: tuple[str, ...]
    counters: str
    verb_endings: tuple[str, ...]


@lru_cache(maxsize=1)
def cues() -> Cues:
    raw = data("cues.json")

    def longest(words: list[str]) -> tuple[str, ...]:
        return tuple(sorted(words, key=len, reverse=True))

    return Cues(
        negators=longest(raw["negators"]), prefix_negators=tuple(raw["prefix_negators"]),
        copula_negators=tuple(raw["copula_negators"]), determiners=tuple(raw["determiners"]),
        scope_breaks=tuple(raw["scope_breaks"]), not_negation=longest(raw["not_negation"]),
        open_question=longest(raw["open_question"]), open_after=longest(raw["open_after"]), self_words=longest(raw["self"]),
        guess=longest(raw["guess"]), place_deixis=tuple(raw["place_deixis"]), aspect_words=tuple(raw["aspect_words"]), mention_words=tuple(raw["mention_words"]),
        policy_words=tuple(raw["policy_words"]), money_asks=tuple(w.lower() for w in raw["money_asks"]),
        figure_asks=tuple(w.lower() for w in raw["figure_asks"]),
        threshold_asks=tuple(w.lower() for w in raw["threshold_asks"]),
        what_asks=tuple(w.lower() for w in raw["what_asks"]), figure_gap=raw["figure_gap"],
        figure_things=tuple(w.lower() for w in raw["figure_things"]),
        additive=tuple(raw["additive"]), rest=tuple(raw["rest"]), restate=tuple(raw["restate"]), range_joiners=tuple(raw["range_joiners"]), fractions=dict(raw["fractions"]), whole_text_asks=tuple(raw["whole_text_asks"]),
        item_modifiers=tuple(raw["item_modifiers"]), item_heads=tuple(raw["item_heads"]), amount_fillers=longest(raw["amount_fillers"]), beside=tuple(raw["beside"]), no_cost=tuple(raw["no_cost"]),
        text_words=tuple(raw["text_words"]),
        conversation_words=tuple(raw["conversation_words"]),
        potential_markers=raw["potential_markers"],
        kind_suffixes=tuple(raw["kind_suffixes"]), event_after=tuple(raw["event_after"]),
        done_markers=tuple(raw["done_markers"]), totals=tuple(raw["totals"]),
        product_endings=tuple(raw["product_endings"]),
        asks_before=longest(raw["asks"]["before"]), asks_after=longest(raw["asks"]["after"]),
        asks_yes_no=tuple(raw["asks"]["yes_no"]), yes_no_ends=raw["asks"]["yes_no_ends"],
        asks_exists=tuple(raw["asks"]["exists"]), exists_ends=raw["asks"]["exists_ends"],
        exists_plain=tuple(raw["asks"]["exists_plain"]),
        benefits=longest(raw["benefits"]), object_fillers=longest(raw["object_fillers"]),
        planned=longest(raw["planned"]), pending=longest(raw["pending"]),
        pending_adverbs=longest(raw["pending_adverbs"]), pending_fillers=longest(raw["pending_fillers"]),
        pending_steps=longest(raw["pending_steps"]), pending_ongoing=longest(raw["pending_ongoing"]),
        pending_step_ends=tuple(raw["pending_step_ends"]), document_nouns=tuple(raw["document_nouns"]),
        after_part=longest(raw["after_part"]),
        article_deixis=longest(raw["article_deixis"]), interrogatives=tuple(raw["interrogatives"]),
        exclusions=tuple(raw["exclusions"]), article_units=raw["article_units"],
        location_cues=longest(raw["location_cues"]), former_place=longest(raw["former_place"]), count_fillers=longest(raw["count_fillers"]), site_verbs=longest(raw["site_verbs"]), reference_words=longest(raw["reference_words"]), so_far=longest(raw["so_far"]), open_endings=longest(raw["open_endings"]), same_purchase=tuple(raw["same_purchase"]),
        english_makers=tuple(raw["english_makers"]),
        product_intro=tuple(raw["product_intro"]),
        supplier_cues=longest(raw["supplier_cues"]),
        entity_nouns=tuple(w.lower() for w in raw["entity_nouns"]), at_place=tuple(raw["at_place"]),
        at_place_english=tuple(raw["at_place_english"]), head_modifies=tuple(raw["head_modifies"]),
        purchase_verbs=tuple(w.lower() for w in raw["purchase_verbs"]),
        trade_verbs=tuple(w.lower() for w in raw["trade_verbs"]), also=tuple(raw["also"]), each=tuple(w.lower() for w in raw["each"]), all_of=tuple(w.lower() for w in raw["all_of"]), opposites=tuple((a.lower(), b.lower()) for a, b in raw["opposites"]),
        sum_asks=tuple(w.lower() for w in raw["sum_asks"]), firm_determiners=tuple(raw["firm_determiners"]),
        firm_prepositions=tuple(raw["firm_prepositions"]),
        beside_total=tuple(w.lower() for w in raw["beside_total"]),
        another=tuple(w.lower() for w in raw["another"]),
        unchanged=tuple(w.lower() for w in raw["unchanged"]),
        applied=tuple(raw["applied"]),
        granted=tuple(raw["granted"]),
        renamed_county_endings=tuple(raw["renamed_county_endings"]),
        district_ending=raw["district_ending"][0],
        counterpart_cues=tuple(w.lower() for w in raw["counterpart_cues"]), clause_breaks=raw["clause_breaks"],
        sentence_breaks=raw["sentence_breaks"],
        status_words={status: tuple(words) for status, words in raw["status_words"].items()},
        county_suffixes=tuple(raw["county_suffixes"]), document_number_suffixes=tuple(raw["document_number_suffixes"]),
        costs=tuple(raw["costs"]),
        passive=tuple(raw["passive"]),
        benefit_verbs=tuple(sorted(raw["benefit_verbs"].items(), key=lambda kv: -len(kv[0]))),
        counters=raw["counters"], verb_endings=tuple(raw["verb_endings"]),
        enumeration_leads=longest(raw["enumerations"]["leads"]),
        enumeration_joiners=longest(raw["enumerations"]["joiners"]),
        enumeration_ends=longest(raw["enumerations"]["ends"]),
        enumeration_modifier_ends=longest(raw["enumerations"]["modifier_ends"]))


