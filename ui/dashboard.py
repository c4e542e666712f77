"""The staff dashboard: what hotline supervisors read off the answer log (questions per day,
answered / refused share, most-cited articles, ratings with their comments, unanswered questions
grouped by topic), for a date range, in Beijing time, exportable as CSV. Pure functions over
`FeedbackStore.rows()`; the layout is in `web.app`."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from assistant.config import LOCAL_TIME
from assistant.lang.text import book_title
from assistant.ops.feedback import csv_safe

TZ = LOCAL_TIME
"""Hotline staff read Beijing time; the log stores the server's local time with its offset."""
DEFAULT_DAYS = 30


def local_time(stamp: str) -> dt.datetime | None:
    """A logged `%Y-%m-%dT%H:%M:%S%z` time in Asia/Shanghai (None when unreadable)."""
    try:
        when = dt.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S%z")
    except (TypeError, ValueError):
        return None
    return when.astimezone(TZ)


def shown(stamp: str) -> str:
    when = local_time(stamp)
    return when.strftime("%Y-%m-%d %H:%M") if when else str(stamp)


def parse_day(text: str | None, default: dt.date) -> dt.date:
    """`2026-12-01` (or empty: the default); a malformed date raises ValueError with a message."""
    text = (text or "").strip()
    if not text:
        return default
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"日期“{text[:20]}”无法识别,请写成 2026-12-01 的格式。") from None


@dataclass
class Dashboard:
    """Everything the dashboard shows for one date range (Beijing dates, both ends included)."""

    start: dt.date
    end: dt.date
    rows: list[dict[str, Any]] = field(default_factory=list)
    topic: Callable[[str], str] = lambda q: q[:6]
    senses: Callable[[str], frozenset[str]] = lambda word: frozenset()
    """The Chinese words an English topic word may translate to (renting → 租, 房租, 租金…)."""

    @classmethod
    def build(cls, rows: list[dict[str, Any]], start: dt.date, end: dt.date,
              topic: Callable[[str], str],
              senses: Callable[[str], frozenset[str]] = lambda word: frozenset()) -> "Dashboard":
        kept = []
        for r in rows:
            when = local_time(r.get("created_at", ""))
            if when is not None and start <= when.date() <= end:
                kept.append({**r, "local": when})
        kept.sort(key=lambda r: r["local"])
        return cls(start, end, kept, topic, senses)

    # -- figures ---------------------------------------------------------------------------
    def per_day(self) -> list[list[Any]]:
        """[日期, 类别, 提问数] per day and outcome, every day of the range present."""
        counts: Counter[tuple[str, str]] = Counter()
        for r in self.rows:
            counts[(r["local"].strftime("%m-%d"), "已解答" if r["found"] else "未覆盖")] += 1
        out: list[list[Any]] = []
        day = self.start
        while day <= self.end and len(out) < 2 * 370:
            for kind in ("已解答", "未覆盖"):
                out.append([day.strftime("%m-%d"), kind, counts.get((day.strftime("%m-%d"), kind), 0)])
            day += dt.timedelta(days=1)
        return out

    def shares(self) -> list[list[Any]]:
        """[结果, 提问数, 占比%]: answered vs refused (not covered)."""
        total = len(self.rows)
        found = sum(1 for r in self.rows if r["found"])
        return [[name, n, round(100 * n / total, 1) if total else 0.0]
                for name, n in (("已解答", found), ("未覆盖(拒答)", total - found))]

    def top_articles(self, limit: int = 10) -> list[list[Any]]:
        """[文件, 条款, 引用次数], most cited first: the article each answer is based on (its first
        citation); the related articles listed beside it (相关条款) are not what callers asked about."""
        counts: Counter[tuple[str, str]] = Counter()
        for r in self.rows:
            try:
                cits = json.loads(r.get("citations") or "[]")
            except ValueError:
                continue
            for c in cits[:1]:
                if isinstance(c, dict):
                    label = c.get("article_label") or f"第{c.get('article')}条"
                    title = c.get("article_title") or c.get("title") or ""
                    counts[(c.get("doc_title") or c.get("doc_id") or "", f"{label} {title}".strip())] += 1
        return [[doc, art, n] for (doc, art), n in counts.most_common(limit)]

    def ratings(self) -> list[list[Any]]:
        """[时间, 评价, 意见, 问题], newest first (the latest rating of each answer)."""
        out = []
        for r in reversed(self.rows):
            if r.get("rating") in (1, -1):
                out.append([shown(r.get("feedback_at") or r["created_at"]), "赞" if r["rating"] == 1 else "踩",
                            r.get("comment") or "", r["question"]])
        return out

    def unanswered_topics(self) -> list[list[Any]]:
        """[主题, 次数, 最近的问题]: questions the library did not cover, grouped by their most
        specific word."""
        groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in self.rows:
            if not r["found"]:
                groups[self.topic(r["question"]) or "(其他)"].append(r)
        for word in [w for w in groups if w.isascii()]:
            # an English question's topic joins the Chinese one it translates (renting → 房租): one
            # question asked in two languages is one topic
            chinese = sorted(t for t in groups if not t.isascii() and t in self.senses(word))
            if chinese:
                groups[chinese[0]] = sorted([*groups[chinese[0]], *groups.pop(word)], key=lambda r: r["local"])
        ordered = sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        return [[topic, len(items), items[-1]["question"]] for topic, items in ordered]

    def summary(self) -> str:
        total = len(self.rows)
        found = sum(1 for r in self.rows if r["found"])
        up = sum(1 for r in self.rows if r.get("rating") == 1)
        down = sum(1 for r in self.rows if r.get("rating") == -1)
        share = f"{100 * found / total:.0f}%" if total else "—"
        return (f"{self.start.isoformat()} 至 {self.end.isoformat()}(北京时间):提问 {total} 条,"
                f"已解答 {found} 条({share}),未覆盖 {total - found} 条;评价:赞 {up},踩 {down}。")

    def write_csv(self, dest: Path) -> Path:
        """Every question of the range with its outcome, rating and comment (spreadsheet-safe)."""
        with open(dest, "w", newline="", encoding="utf-8-sig") as fh:
            w = csv.writer(fh)
            w.writerow(["时间(北京时间)", "渠道", "问题", "结果", "引用条款", "金额(元)", "评价", "意见"])
            for r in self.rows:
                try:
                    cits = json.loads(r.get("citations") or "[]")
                    calc = json.loads(r["calculation"]) if r.get("calculation") else None
                except ValueError:
                    cits, calc = [], None
                arts = " ".join(_cited(c) for c in cits if isinstance(c, dict))
                rating = "赞" if r.get("rating") == 1 else "踩" if r.get("rating") == -1 else ""
                w.writerow([csv_safe(v) for v in (
                    r["local"].strftime("%Y-%m-%d %H:%M:%S"), r.get("channel", ""), r["question"],
                    "已解答" if r["found"] else "未覆盖", arts,
                    calc.get("amount_yuan", "") if isinstance(calc, dict) else "", rating,
                    r.get("comment") or "")])
        return dest


def _cited(citation: dict[str, Any]) -> str:
    """《文件》第2条: a citation by its document's title, as callers and staff name it."""
    label = citation.get("article_label") or f"第{citation.get('article')}条"
    return f"{book_title(citation.get('doc_title') or citation.get('doc_id', ''))}{label}"


def default_range(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    today = today or dt.datetime.now(TZ).date()
    return today - dt.timedelta(days=DEFAULT_DAYS - 1), today
