"""Answer logs and feedback in SQLite (WAL): every answer with its question, citations and time;
👍/👎 with an optional comment; unanswered questions listed for corpus maintainers."""

from __future__ import annotations

import csv
import hashlib
import hmac
import json
import re
import secrets
import sqlite3
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from .errors import PolicyAssistantError
from .models import Answer

SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    session TEXT NOT NULL DEFAULT '',
    channel TEXT NOT NULL DEFAULT '',
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    found INTEGER NOT NULL,
    citations TEXT NOT NULL,
    calculation TEXT,
    token_hash TEXT
);
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    answer_id INTEGER NOT NULL REFERENCES answers(id),
    created_at TEXT NOT NULL,
    rating INTEGER NOT NULL CHECK (rating IN (-1, 1)),
    comment TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS answers_found ON answers(found);
CREATE INDEX IF NOT EXISTS feedback_time ON feedback(created_at);
CREATE INDEX IF NOT EXISTS feedback_answer ON feedback(answer_id);
"""
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


class FeedbackError(PolicyAssistantError):
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
    """Thread-safe access to the log database (one short connection per operation)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._init_lock = threading.Lock()
        self._ready = False

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise FeedbackError(f"{self.path}: cannot open the log database ({exc})") from exc
        try:
            conn.execute("PRAGMA busy_timeout = 10000")
            conn.execute("PRAGMA synchronous = NORMAL")  # WAL: durable at checkpoints, never corrupt
            with self._init_lock:
                if not self._ready:
                    conn.execute("PRAGMA journal_mode = WAL")
                    conn.executescript(SCHEMA)
                    columns = {r[1] for r in conn.execute("PRAGMA table_info(answers)")}
                    if "token_hash" not in columns:  # a log written before answer tokens
                        conn.execute("ALTER TABLE answers ADD COLUMN token_hash TEXT")
                    self._ready = True
            yield conn
        except sqlite3.Error as exc:
            raise FeedbackError(f"{self.path}: {exc}") from exc
        finally:
            conn.close()

    def log_answer(self, answer: Answer, session: str = "", channel: str = "") -> tuple[int, str]:
        """Store an answer; returns its id and the token that lets its asker rate it."""
        token = secrets.token_urlsafe(16)
        with self._connect() as conn:
            cur = conn.execute(
                "INSERT INTO answers (created_at, session, channel, question, answer, found, citations,"
                " calculation, token_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (_now(), valid_session(session), channel if channel in CHANNELS else "api",
                 answer.question[:MAX_FIELD], answer.answer, int(answer.found),
                 json.dumps([c.to_dict() for c in answer.citations], ensure_ascii=False),
                 json.dumps(answer.calculation.to_dict(), ensure_ascii=False)
                 if answer.calculation else None, _token_hash(token)))
            return int(cur.lastrowid or 0), token

    def add_feedback(self, answer_id: int, token: str, rating: int, comment: str = "") -> int:
        """👍 (1) or 👎 (-1) with an optional comment, by whoever got the answer (its token).
        Every rating is kept as an event; the latest one is the answer's current rating."""
        if isinstance(answer_id, bool) or not isinstance(answer_id, int) or not 0 < answer_id < 2 ** 62:
            raise FeedbackError("answer_id must be the whole number returned with the answer")
        if rating not in (1, -1) or isinstance(rating, bool):
            raise FeedbackError("rating must be 1 (👍) or -1 (👎)")
        comment = (comment or "").strip()
        if len(comment) > MAX_COMMENT:
            raise FeedbackError(f"the comment is longer than {MAX_COMMENT} characters")
        with self._connect() as conn:
            row = conn.execute("SELECT token_hash FROM answers WHERE id = ?", (answer_id,)).fetchone()
            if row is None or not isinstance(token, str) or not row[0] \
                    or not hmac.compare_digest(row[0], _token_hash(token)):
                raise FeedbackError("no answer with that id and token (only the asker can rate it)")
            (count,) = conn.execute("SELECT COUNT(*) FROM feedback WHERE answer_id = ?", (answer_id,)).fetchone()
            if count >= MAX_RATINGS_PER_ANSWER:
                raise FeedbackError(f"this answer has already been rated {count} times")
            cur = conn.execute("INSERT INTO feedback (answer_id, created_at, rating, comment) "
                               "VALUES (?, ?, ?, ?)", (answer_id, _now(), rating, comment))
            return int(cur.lastrowid or 0)

    def rows(self, only_unanswered: bool = False, limit: int | None = None) -> list[dict[str, Any]]:
        """Answers with their latest feedback, newest first."""
        sql = ("SELECT a.id, a.created_at, a.session, a.channel, a.question, a.answer, a.found, "
               "a.citations, a.calculation, f.rating, f.comment, f.created_at AS feedback_at "
               "FROM answers a LEFT JOIN feedback f ON f.id = "
               "(SELECT MAX(id) FROM feedback WHERE answer_id = a.id)")
        if only_unanswered:
            sql += " WHERE a.found = 0"
        sql += " ORDER BY a.id DESC"
        if limit:
            sql += f" LIMIT {int(limit)}"
        with self._connect() as conn:
            conn.row_factory = sqlite3.Row
            return [dict(r) for r in conn.execute(sql).fetchall()]

    def feedback_for(self, answer_id: int) -> list[dict[str, Any]]:
        with self._connect() as conn:
            conn.row_factory = sqlite3.Row
            return [dict(r) for r in conn.execute(
                "SELECT * FROM feedback WHERE answer_id = ? ORDER BY id", (answer_id,)).fetchall()]

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
