"""The supervisors' 看板 and 未解答问题 tabs: the dashboard for a date range (questions grouped by their
most specific word), its CSV, and the questions the library did not cover."""

from __future__ import annotations

import uuid
from typing import Any

from assistant.answer.chain import Assistant
from assistant.errors import PolicyAssistantError
from assistant.ops.feedback import FeedbackStore

from .dashboard import Dashboard, default_range, parse_day, shown
from .downloads import Downloads


class DashboardHandlers:
    """The answer log as supervisors read it."""

    def __init__(self, assistant: Assistant, store: FeedbackStore, downloads: Downloads) -> None:
        self.assistant = assistant
        self.store = store
        self.downloads = downloads

    def unanswered(self, limit: int = 100) -> list[list[str]]:
        """Questions the library did not cover, newest first: Beijing time, channel, question,
        what the assistant replied."""
        try:
            return [[shown(r["created_at"]), r["channel"], r["question"], r["answer"][:200]]
                    for r in self.store.rows(True, limit)]
        except PolicyAssistantError as exc:
            return [["—", "", str(exc), ""]]

    def topic(self, question: str) -> str:
        """The most specific word of a question (how the dashboard groups unanswered ones)."""
        from assistant.lang import places
        from assistant.lang.lexical import specificity, tokenizer_for
        from assistant.lang.reading import cues

        c = cues()
        asking = {*c.money_asks, *c.figure_asks, *(b.lower() for b in c.benefits)}
        try:
            # what a question is about, not how it asks (能补, 多少, 补贴: the group 房租, not 能补)
            words = [w for w in self.assistant.index.tokenizer.cut(question, search=False)
                     if len(w) >= 2 and not w.isdigit() and w.lower() not in asking
                     and not w.startswith(c.interrogatives)]
        except Exception:  # noqa: BLE001
            words = []
        if not words:
            return question.strip()[:8]
        spec = specificity()
        try:
            # the things money is asked for name the group (厂房租金补贴 … 每平方米补多少: 租金, not how
            # much per square metre)
            from assistant.lang.reading import asked_benefit

            asked = asked_benefit(question, self.assistant.index.tokenizer.cut(question, search=False))
            things = [t for t in (asked.things if asked else ()) if len(t) >= 2 and not places.resolve(t)]
            if things:
                # the nearest thing, or the word of the question right after it (办公室 房租 能补:
                # the head of the compound the reading took as a verb's object)
                thing = things[0]
                after = question[question.find(thing) + len(thing):]
                # (a dictionary word: 展位费能补贴 cut 展位/费能 names no 费能)
                return next((w for w in words if after.startswith(w) and tokenizer_for(()).is_word(w)), thing)
        except Exception:  # noqa: BLE001
            pass
        # where the asker is (滨江区) is no topic either: 房租 is, in 滨江区的企业有没有房租补贴
        words = [w for w in words if not (places.resolve(w) or places.is_abroad(w))] or words
        try:
            # words of the library's domain (智能机器人, in most of its articles) name no topic in it
            judge = self.assistant.retriever.judge
            limit = judge.params.support_spread
            words = [w for w in words if judge.text.spread(w.lower()) < limit] or words
        except Exception:  # noqa: BLE001
            pass
        return max(words, key=lambda w: (spec.weight(w), len(w)))

    def dashboard(self, start: str | None = "", end: str | None = "") -> Any:
        """The staff dashboard for a date range (Beijing dates; empty = the last 30 days)."""
        first, last = default_range()
        begin, finish = parse_day(start, first), parse_day(end, last)
        if begin > finish:
            raise ValueError("开始日期晚于结束日期。")
        return Dashboard.build(self.store.rows(), begin, finish, self.topic, self.senses)

    @staticmethod
    def senses(word: str) -> frozenset[str]:
        """The Chinese headwords whose dictionary definitions use an English word (renting → 房租)."""
        from assistant.lang.bridge import cedict_senses

        return cedict_senses(word)

    def dashboard_csv(self, board: Any) -> str:
        """The dashboard as a CSV file to download: its path."""
        path = self.downloads.folder / f"questions-{board.start.isoformat()}-{board.end.isoformat()}-{uuid.uuid4().hex[:6]}.csv"
        return str(board.write_csv(path))
