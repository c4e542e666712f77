"""A conversation: what earlier turns leave for the next one, and the one rule that decides whether
a question leans on them (a follow-up).

- After an answer, the next question may carry its article: "它的责任单位是谁?", "原文怎么说的?",
  "And which departments are responsible for it?" stay on the article just cited.
- After a calculation, new figures or facts re-run it: "那如果销售额是8亿呢?", "如果是卖给关联方呢?".
- After a clarifying question, "是的" / "不是" answers it and the calculation continues.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Literal

from ..lang.cues import pattern
from ..lang.reading import cues
from ..models import Answer, Clarification

if TYPE_CHECKING:
    from ..calc.calculators import Request

MAX_TURNS = 20
"""Turns kept per conversation (older ones are dropped: memory stays bounded)."""
SHORT_QUESTION = 20
"""A question this short (characters) that names no topic of its own leans on the previous turn
("那第二条呢?", "原文怎么说的?", "责任单位是谁?"); longer questions carry their own topic."""

FOLLOW_UP_MARKERS = pattern("follow_up_start")
"""Openings and endings that make a question lean on the one before (那…呢, 如果…, what if …)."""
PRONOUNS = pattern("follow_up_pointer")
"""Words that point back at what was just discussed."""
RELATIVE_THAT = pattern("relative_that")
"""English `that` opening a relative clause (a fund that would co-invest): no pointer."""
QUESTION_OF_ITS_OWN = pattern("question_of_its_own")
"""A sentence that asks a question of its own (a question word), not a tag question or a guess."""
YES = pattern("answer_yes")
NO = pattern("answer_no")

NEXT = pattern("next_article")
PREVIOUS = pattern("previous_article")

FollowUp = Literal["calculation", "article", "answer", "step", None]


def relative_step(question: str) -> int:
    """+1 for 下一条呢?, -1 for 上一条, 0 otherwise."""
    if NEXT.search(question):
        return 1
    if PREVIOUS.search(question):
        return -1
    return 0


def points_back(question: str) -> bool:
    """A pronoun pointing at what was just discussed — not one before a document noun (this
    policy: the whole document, which every turn is about)."""
    nouns = cues().document_nouns
    relative = [r.end(1) for r in RELATIVE_THAT.finditer(question)]
    for m in PRONOUNS.finditer(question):
        if m.group().lower() == "that" and any(0 < m.start() - end <= 2 for end in relative):
            continue
        after = re.match(r"\s+([A-Za-z]+)", question[m.end():])
        if not (m.group().isascii() and after and after.group(1).lower() in nouns):
            return True
    return False


def leans_on_previous(question: str) -> bool:
    """The follow-up rule: a marker (那…呢, 如果…), a pronoun (它, 这条, it), or a short question."""
    q = question.strip()
    return bool(FOLLOW_UP_MARKERS.search(q) or points_back(q)) or _size(q) <= SHORT_QUESTION


def _size(question: str) -> int:
    """A question's length in characters, an English word counting as two (Which department is
    responsible? is as short as 责任单位是谁?)."""
    words = re.findall(r"[A-Za-z][A-Za-z'-]*", question)
    rest = re.sub(r"[A-Za-z][A-Za-z'-]*|\s", "", question)
    return len(rest) + 2 * len(words)


def questions_in(message: str) -> tuple[str, ...]:
    """The questions one message asks, in order: each sentence ending in a question mark when every
    sentence asks one of its own (示范应用场景有什么奖励?一年评几个? — answered in turn, the second
    as a follow-up of the first); else the message whole (能补多少?是不是500万? ends with a guess,
    我们卖了800万?能补多少? states a fact, 原文怎么说?谢谢 thanks)."""
    parts = [p.strip() for p in re.split(r"(?<=[?？])", message) if p.strip()]
    if len(parts) < 2 or not all(p[-1] in "?？" and QUESTION_OF_ITS_OWN.search(p) for p in parts):
        return (message,)
    guesses = cues().guess
    if any(g in p.lower() for p in parts[1:] for g in guesses):
        return (message,)
    return tuple(parts)


def yes_no(question: str) -> bool | None:
    """True for 是/是的/yes, False for 不是/否/no, None for anything else."""
    if YES.match(question):
        return True
    if NO.match(question):
        return False
    return None


@dataclass(frozen=True)
class TurnRecord:
    question: str
    answer: Answer


@dataclass
class Conversation:
    """What a conversation keeps between turns; updated once per turn by `record`."""

    last_request: "Request | None" = None
    """The calculation the previous turns asked for (re-run by follow-ups)."""
    last_articles: tuple[tuple[str, int], ...] = ()
    """(doc_id, article) of the previous answer's citations, best first."""
    pending: Clarification | None = None
    """A clarifying question waiting for 是/否."""
    history: list[tuple[str, Answer]] = field(default_factory=list)
    """(question, answer) pairs, oldest first (at most MAX_TURNS)."""
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def record(self, question: str, answer: Answer, request: "Request | None") -> None:
        """Remember one finished turn (the only place conversation state changes): its citations,
        its calculation request (kept for follow-ups until another replaces it), a pending
        clarifying question, and the turn itself."""
        with self._lock:
            kept = self.last_request
            if request is not None and request.amount_yuan is None and kept is not None \
                    and kept.amount_yuan is not None and kept.rule.id == request.rule.id:
                # 原文最高不超过多少 after a calculation of 600万: a turn on the same measure that
                # states no amount keeps the figures stated before, with its own facts
                request = replace(kept, conditions={**kept.conditions, **request.conditions})
            if request is not None:
                self.last_request = request
            if answer.citations:
                self.last_articles = tuple((c.doc_id, c.article) for c in answer.citations)
            self.pending = answer.clarification
            self.history.append((question, answer))
            del self.history[:-MAX_TURNS]

    def reset(self) -> None:
        with self._lock:
            self.last_request = None
            self.last_articles = ()
            self.pending = None
            self.history.clear()

    def snapshot(self) -> "ConversationState":
        with self._lock:
            return ConversationState(self.last_request, self.last_articles, self.pending,
                                     tuple(self.history))


@dataclass(frozen=True)
class ConversationState:
    """A read-only view of a conversation at the start of a turn (what the chain steps see)."""

    last_request: "Request | None" = None
    last_articles: tuple[tuple[str, int], ...] = ()
    pending: Clarification | None = None
    history: tuple[tuple[str, Answer], ...] = ()
