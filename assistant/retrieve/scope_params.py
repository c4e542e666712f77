"""The named constants of the scope judgement (calibrated by `scripts/calibrate.py`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ScopeParams:
    """The constants of the judgement (see `scripts/calibrate.py` for how they were chosen)."""

    coverage_threshold: float = 0.5
    """Share of the question's specific weight found in the library at which it counts as covered."""
    anchor_min: float = 1.5
    """Anchor strength (specificity × selectivity) that makes a question covered on its own …"""
    anchor_margin: float = 0.0
    """… provided it exceeds the most specific missing word by this much."""
    single_char_scale: float = 0.25
    """One Chinese character says little about a topic (领, 评, 年)."""
    partial_credit: float = 0.5
    """A compound the library words differently whose parts it has (意见反馈 ~ 意见或建议)."""
    translation_credit: float = 0.6
    """An English word reached through the dictionary bridge is weaker evidence than a verbatim one."""
    spread_discount: float = 0.5
    """A word found in every article (机器人 in a robot policy) names the library's domain, not a
    topic in it: its weight counts this much less, times its spread."""
    typo_min: float = 1.0
    """Only a library term at least this specific is a typo correction."""
    domain_spread: float = 0.8
    """A word found in at least this share of articles names the library's domain (机器人) …"""
    domain_only_missing: float = 0.5
    """… and when it is all a question has in common with the library while a word at least this
    specific is missing (机器人餐厅, a joke about robots), the topic is elsewhere."""
    support_min: float = 2.0
    """Specific words found together in one article (短期 + 产出 in the article on project
    attraction) at least this heavy, and heavier than what is missing, cover a question …"""
    support_word: float = 0.5
    """… counting words at least this specific …"""
    support_spread: float = 0.5
    """… that are in at most this share of articles."""
    name_free_found: float = 0.3
    """A question that names a document is judged on its words besides the name (and its asking
    words) when one of them this specific is missing from the library and none this specific is
    found: the name finds the document, it does not show that the library holds what is asked of it."""
    code_weight: float = 3.0
    """A code-like term found verbatim (1+3+5, MEMS, 5G) is as specific as a rare word."""
    untranslated_english: float = 0.7
    """An English word with no translation into the library is weaker evidence against a question
    than a Chinese word the library lacks: the bridge knows only part of English."""
    year_weight: float = 2.0
    """A year the library names (到2026年) is specific evidence, a little less than a code."""
    measure_words_min: int = 3
    """A question stating an amount with this many distinct words of one calculator (its rule
    data's triggers, amount and excluded words, conditions) is about that measure."""
    example_scale: float = 0.25
    """A word inside an example (e.g. Automatica in Munich, 比如宇树的机器狗) illustrates the topic
    and weighs this much of its specificity: a trade fair's or a firm's name is never in a policy."""


__all__ = ["ScopeParams"]
