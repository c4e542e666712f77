"""Answer logs and feedback in the store (SQLite in WAL mode by default, PostgreSQL when shared): every answer with its question, citations and time;
👍/👎 with an optional comment; unanswered questions listed for corpus maintainers."""

from __future__ import annotations

import csv
import hashlib
import hmac
import json
import re
import secrets
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

import sqlalchemy as sa

from ..models import Answer
from .store import StoreError, database_url, open_database, sqlite_url
from .store import answers as answers_table
from .store import feedback as feedback_table

if TYPE_CHECKING:
    from ..config import Settings

MAX_COMMENT = 2000
MAX_RATINGS_PER_ANSWER = 5
"""Rating events kept per answer (a change of mind is kept; a flood is refused)."""
MAX_FIELD = 4000
"""Questions, sessions and channels longer than this are cut when logged."""
CHANNELS = ("chat", "api", "lookup", "match", "cli")
"""Where an answer was given (anything else is logged as `api`)."""
_SESSION = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
CSV_FORMULA = ("=", "+", "-", "@", "\t", "\r")
"""Cells starting with these would run as formulas in a spreadsheet (OWASP CSV injection)."""


def csv_safe(value: Any) -> Any:
    """A text cell a spreadsheet shows as text: one that starts (after blanks) with a formula
    character, or with a tab or carriage return, gets a leading ' (OWASP CSV injection)."""
    if isinstance(value, str) and value and (
            value[0] in "\t\r" or value.lstrip(" \t\r\n").startswith(CSV_FORMULA)):
        return "'" + value
    return value


def valid_session(session: str) -> str:
    """A session id as given when it is a plain short token, else a hash of it (never stored raw)."""
    session = (session or "").strip()
    if _SESSION.match(session):
        return session
    return "h-" + hashlib.sha256(session.encode("utf-8", "replace")).hexdigest()[:24]


class FeedbackError(StoreError):
    """The log database cannot be used, or a feedback entry is invalid."""


def _token_hash(token: str) -> str:
    return hashlib.sha256(str(token).encode()).hexdigest()


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S%z")


@dataclass
class LogRow:
    id: int
    created_at: str
    question: str
    found: bool
    rating: int | None
    comment: str


class FeedbackStore:
    """The answer log and ratings in the store (SQLite by default, PostgreSQL when several
    instances share one): thread-safe, one committed transaction per write."""

    def __init__(self, path: Path | str, shared: bool | None = None) -> None:
        """`path`: a SQLite file, or a database URL (`postgresql://…`, `sqlite:///…`)."""
        url = str(path) if "://" in str(path) else sqlite_url(path)
        self.path = Path(path) if "://" not in str(path) else None
        self.db = open_database(url, shared)

    @classmethod
    def from_settings(cls, settings: "Settings") -> "FeedbackStore":
        return cls(database_url(settings), settings.shared_state)

    @contextmanager
    def _begin(self, write: bool = False) -> Iterator[Any]:
        try:
            with self.db.begin(write) as conn:
                yield conn
        except StoreError as exc:
            raise FeedbackError(str(exc)) from exc

    def log_answer(self, answer: Answer, session: str = "", channel: str = "") -> tuple[int, str]:
        """Store an answer; returns its id and the token that lets its asker rate it."""
        token = secrets.token_urlsafe(16)
        with self._begin(write=True) as conn:
            new_id = conn.execute(sa.insert(answers_table).values(
                created_at=_now(), session=valid_session(session),
                channel=channel if channel in CHANNELS else "api", question=answer.question[:MAX_FIELD],
                answer=answer.answer, found=int(answer.found),
                citations=json.dumps([c.to_dict() for c in answer.citations], ensure_ascii=False),
                calculation=json.dumps(answer.calculation.to_dict(), ensure_ascii=False)
                if answer.calculation else None,
                token_hash=_token_hash(token)).returning(answers_table.c.id)).scalar_one()
            return int(new_id), token

    def add_feedback(self, answer_id: int, token: str, rating: int, comment: str = "") -> int:
        """👍 (1) or 👎 (-1) with an optional comment, by whoever got the answer (its token).
        Every rating is kept as an event; the latest one is the answer's current rating."""
        if isinstance(answer_id, bool) or not isinstance(answer_id, int) or not 0 < answer_id < 2 ** 31:
            raise FeedbackError("answer_id must be the whole number returned with the answer")
        if rating not in (1, -1) or isinstance(rating, bool):
            raise FeedbackError("rating must be 1 (👍) or -1 (👎)")
        comment = (comment or "").strip()
        if len(comment) > MAX_COMMENT:
            raise FeedbackError(f"the comment is longer than {MAX_COMMENT} characters")
        with self._begin(write=True) as conn:
            stored = conn.execute(sa.select(answers_table.c.token_hash)
                                  .where(answers_table.c.id == answer_id)).first()
            if stored is None or not isinstance(token, str) or not stored[0] \
                    or not hmac.compare_digest(stored[0], _token_hash(token)):
                raise FeedbackError("no answer with that id and token (only the asker can rate it)")
            count = conn.execute(sa.select(sa.func.count()).select_from(feedback_table)
                                 .where(feedback_table.c.answer_id == answer_id)).scalar() or 0
            if count >= MAX_RATINGS_PER_ANSWER:
                raise FeedbackError(f"this answer has already been rated {count} times")
            new_id = conn.execute(sa.insert(feedback_table).values(
                answer_id=answer_id, created_at=_now(), rating=rating, comment=comment)
                .returning(feedback_table.c.id)).scalar_one()
            return int(new_id)

    def rows(self, only_unanswered: bool = False, limit: int | None = None) -> list[dict[str, Any]]:
        """Answers with their latest feedback, newest first."""
        a, f = answers_table, feedback_table
        inner = f.alias("later")
        latest = (sa.select(sa.func.max(inner.c.id)).where(inner.c.answer_id == a.c.id)
                  .correlate(a).scalar_subquery())
        query = (sa.select(a.c.id, a.c.created_at, a.c.session, a.c.channel, a.c.question, a.c.answer,
                           a.c.found, a.c.citations, a.c.calculation, f.c.rating, f.c.comment,
                           f.c.created_at.label("feedback_at"))
                 .select_from(a.outerjoin(f, f.c.id == latest)).order_by(a.c.id.desc()))
        if only_unanswered:
            query = query.where(a.c.found == 0)
        if limit:
            query = query.limit(int(limit))
        with self._begin() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def feedback_for(self, answer_id: int) -> list[dict[str, Any]]:
        with self._begin() as conn:
            return [dict(r._mapping) for r in conn.execute(
                sa.select(feedback_table).where(feedback_table.c.answer_id == answer_id)
                .order_by(feedback_table.c.id))]

    def export_csv(self, dest: Path, only_unanswered: bool = False) -> int:
        """Write every logged answer (with its latest feedback) as CSV; returns the row count."""
        rows = self.rows(only_unanswered)
        fields = ["id", "created_at", "session", "channel", "question", "found", "rating", "comment",
                  "feedback_at", "articles", "amount_yuan", "answer"]
        try:
            with open(dest, "w", newline="", encoding="utf-8-sig") as fh:
                w = csv.DictWriter(fh, fieldnames=fields, extrasaction="ignore")
                w.writeheader()
                for r in rows:
                    cits = json.loads(r["citations"] or "[]")
                    calc = json.loads(r["calculation"]) if r["calculation"] else None
                    row = {**r, "found": bool(r["found"]),
                           "articles": " ".join(f"{c.get('doc_id', '')}:{c.get('article_label') or c['article']}"
                                                for c in cits),
                           "amount_yuan": calc["amount_yuan"] if calc else ""}
                    w.writerow({k: csv_safe(v) for k, v in row.items()})
        except OSError as exc:
            raise FeedbackError(f"{dest}: cannot write the CSV ({exc.strerror or exc})") from exc
        return len(rows)
