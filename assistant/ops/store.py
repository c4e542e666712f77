"""The store behind the answer log and ratings and, when several instances share one database,
behind what they must agree on: conversations, login sessions and revoked tokens, failed logins
and lockouts, rate-limit buckets, and the library's version.

SQLite (`POLICY_DB`, a file under `var/`) is the embedded default; `POLICY_DATABASE_URL=
postgresql://…` makes PostgreSQL the store several instances share. The tables are SQLAlchemy
Core; the schema belongs to Alembic (`assistant/migrations`), brought to `head` the first time a
process opens the database (two instances starting at once take turns: an advisory lock on
PostgreSQL, an immediate transaction on SQLite).
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from contextlib import contextmanager
from dataclasses import fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from ..answer.conversation import MAX_TURNS, Conversation, ConversationState
from ..errors import PolicyAssistantError
from ..models import Answer, Calculation, Citation, Clarification

if TYPE_CHECKING:
    from sqlalchemy.dialects import postgresql, sqlite
    from ..calc.calculators import Request, RuleBook
    from ..config import Settings

HEAD = "0002"
"""The newest migration (a test checks it against assistant/migrations): a database already at
this revision is opened without importing Alembic."""
MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
UPGRADE_LOCK = 727_021
"""PostgreSQL advisory lock held while the schema is upgraded."""
CONVERSATION_IDLE_SECONDS = 1800
"""A stored conversation unused this long is forgotten (as in memory)."""

metadata = sa.MetaData()
answers = sa.Table(
    "answers", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("created_at", sa.Text, nullable=False),
    sa.Column("session", sa.Text, nullable=False, server_default=""),
    sa.Column("channel", sa.Text, nullable=False, server_default=""),
    sa.Column("question", sa.Text, nullable=False),
    sa.Column("answer", sa.Text, nullable=False),
    sa.Column("found", sa.Integer, nullable=False),
    sa.Column("citations", sa.Text, nullable=False),
    sa.Column("calculation", sa.Text),
    sa.Column("token_hash", sa.Text),
    sqlite_autoincrement=True)
feedback = sa.Table(
    "feedback", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("answer_id", sa.Integer, sa.ForeignKey("answers.id"), nullable=False),
    sa.Column("created_at", sa.Text, nullable=False),
    sa.Column("rating", sa.Integer, nullable=False),
    sa.Column("comment", sa.Text, nullable=False, server_default=""),
    sqlite_autoincrement=True)
conversations = sa.Table(
    "conversations", metadata,
    sa.Column("session_id", sa.String(64), primary_key=True),
    sa.Column("state", sa.Text, nullable=False),
    sa.Column("updated_at", sa.Float, nullable=False))
revoked_sessions = sa.Table(
    "revoked_sessions", metadata,
    sa.Column("nonce", sa.String(64), primary_key=True),
    sa.Column("expires_at", sa.Float, nullable=False))
app_secrets = sa.Table(
    "app_secrets", metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False))
login_failures = sa.Table(
    "login_failures", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("key", sa.String(200), nullable=False),
    sa.Column("at", sa.Float, nullable=False))
lockouts = sa.Table(
    "lockouts", metadata,
    sa.Column("key", sa.String(200), primary_key=True),
    sa.Column("until", sa.Float, nullable=False))
rate_buckets = sa.Table(
    "rate_buckets", metadata,
    sa.Column("client", sa.String(200), primary_key=True),
    sa.Column("tokens", sa.Float, nullable=False),
    sa.Column("last", sa.Float, nullable=False))
library_state = sa.Table(
    "library_state", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("updated_at", sa.Float, nullable=False))


class StoreError(PolicyAssistantError):
    """The database cannot be used (unreachable, unwritable, or a statement failed)."""


def engine_url(url: str) -> str:
    """A SQLAlchemy URL: `postgresql://…` (libpq's spelling) uses psycopg 3."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def sqlite_url(path: Path | str) -> str:
    return "sqlite:///" + str(Path(path).expanduser().absolute())


def database_url(settings: "Settings") -> str:
    """The store a settings object names: POLICY_DATABASE_URL, else the SQLite file POLICY_DB."""
    return settings.database_url or sqlite_url(settings.db_path)


def _where(url: str) -> str:
    """A URL fit for a message (no password)."""
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - an unparsable URL is named as given, without its secrets
        return url.split("@")[-1]


class Database:
    """One database (engine created and schema upgraded on first use; thread-safe)."""

    def __init__(self, url: str, shared: bool | None = None) -> None:
        self.url = engine_url(url)
        self.dialect = self.url.split(":", 1)[0].split("+", 1)[0]
        self.shared = (self.dialect != "sqlite") if shared is None else shared
        """Whether conversations, logins and counters live here (several instances) instead of
        in each process's memory."""
        self._engine: Engine | None = None
        self._lock = threading.Lock()

    @property
    def where(self) -> str:
        return _where(self.url)

    @property
    def engine(self) -> Engine:
        with self._lock:
            if self._engine is None:
                engine = self._create()
                try:
                    self._upgrade(engine)
                except BaseException:
                    engine.dispose()
                    raise
                self._engine = engine
            return self._engine

    def _create(self) -> Engine:
        try:
            if self.dialect == "sqlite":
                path = sa.engine.make_url(self.url).database
                if path and path != ":memory:":
                    Path(path).parent.mkdir(parents=True, exist_ok=True)
                engine = sa.create_engine(self.url, connect_args={"timeout": 10})
                _sqlite_behaviour(engine)
                return engine
            return sa.create_engine(self.url, pool_size=8, max_overflow=16, pool_pre_ping=True,
                                    pool_recycle=1800)
        except OSError as exc:
            raise StoreError(f"{self.where}: cannot open the database ({exc.strerror or exc})") from exc
        except (sa.exc.SQLAlchemyError, ImportError, ValueError) as exc:
            raise StoreError(f"{self.where}: cannot open the database ({exc})") from exc

    def _upgrade(self, engine: Engine) -> None:
        """Bring the schema to HEAD (Alembic is imported only when it is not there yet)."""
        try:
            with engine.connect() as conn:
                current = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
            if current == HEAD:
                return
        except sa.exc.SQLAlchemyError:
            pass  # no version table yet
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        try:
            with engine.connect() as conn:
                conn = conn.execution_options(pa_write=True)
                with conn.begin():
                    if self.dialect == "postgresql":
                        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": UPGRADE_LOCK})
                    config.attributes["connection"] = conn
                    command.upgrade(config, "head")
        except sa.exc.SQLAlchemyError as exc:
            raise StoreError(f"{self.where}: cannot prepare the database ({_reason(exc)})") from exc

    @contextmanager
    def begin(self, write: bool = False) -> Iterator[Connection]:
        """A transaction (committed when the block ends). `write` takes SQLite's write lock at
        the start, so a read followed by a write cannot fail halfway under concurrency."""
        engine = self.engine
        try:
            with engine.connect() as conn:
                if write:
                    conn = conn.execution_options(pa_write=True)
                with conn.begin():
                    yield conn
        except sa.exc.SQLAlchemyError as exc:
            raise StoreError(f"{self.where}: {_reason(exc)}") from exc

    def upsert(self, conn: Connection, table: sa.Table, values: dict[str, Any],
               keys: tuple[str, ...], update: dict[str, Any] | None = None) -> None:
        """Insert a row, or update it when its key exists (PostgreSQL and SQLite alike)."""
        stmt = self.insert(table).values(**values)
        changes = update if update is not None else {k: stmt.excluded[k] for k in values if k not in keys}
        conn.execute(stmt.on_conflict_do_update(index_elements=list(keys), set_=changes))

    def insert(self, table: sa.Table) -> postgresql.Insert | sqlite.Insert:
        """An INSERT in this database's dialect (both have ON CONFLICT … DO UPDATE / NOTHING)."""
        if self.dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            return pg_insert(table)
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        return sqlite_insert(table)

    def dispose(self) -> None:
        with self._lock:
            if self._engine is not None:
                self._engine.dispose()
                self._engine = None


def _reason(exc: sa.exc.SQLAlchemyError) -> str:
    orig = getattr(exc, "orig", None)
    return str(orig or exc).strip().splitlines()[0] if str(orig or exc).strip() else type(exc).__name__


def _sqlite_behaviour(engine: Engine) -> None:
    """WAL (readers never wait for the writer), a 10 s busy wait, durable at commit for a crashed
    process, and transactions begun by us: BEGIN IMMEDIATE for writes."""

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA busy_timeout = 10000")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("pa_write") else "BEGIN")


_databases: dict[tuple[str, bool | None], Database] = {}
_databases_lock = threading.Lock()


def open_database(url: str, shared: bool | None = None) -> Database:
    """The process's one Database for a URL (engines and their pools are shared)."""
    key = (engine_url(url), shared)
    with _databases_lock:
        db = _databases.get(key)
        if db is None:
            db = _databases[key] = Database(url, shared)
        return db


def database_for(settings: "Settings") -> Database:
    return open_database(database_url(settings), settings.shared_state)


# --- conversations -------------------------------------------------------------------------------
def conversation_to_dict(state: ConversationState) -> dict[str, Any]:
    """A conversation as JSON-ready data (the calculation request by its rule's id)."""
    req = state.last_request
    pending = state.pending
    return {
        "last_request": None if req is None else {
            "rule": req.rule.id, "amount_yuan": req.amount_yuan, "excluded_yuan": req.excluded_yuan,
            "conditions": dict(req.conditions), "count": req.count,
            "excluded_kinds": sorted(req.excluded_kinds), "amount_is_base": req.amount_is_base,
            "excluded_parts": [list(p) for p in req.excluded_parts], "items": list(req.items)},
        "last_articles": [list(a) for a in state.last_articles],
        "pending": None if pending is None else {"condition": pending.condition,
                                                 "question": pending.question,
                                                 "options": list(pending.options)},
        "history": [[q, _answer_data(a)] for q, a in state.history[-MAX_TURNS:]],
    }


def _answer_data(answer: Answer) -> dict[str, Any]:
    data = answer.to_dict()
    data["notice"], data["gaps"] = answer.notice, list(answer.gaps)
    return data


def _answer(data: dict[str, Any]) -> Answer:
    """An Answer back from `_answer_data` (every field Answer has; citation lists by name)."""
    kwargs: dict[str, Any] = {}
    for f in fields(Answer):
        if f.name not in data:
            continue
        value = data[f.name]
        if f.name in ("citations", "related"):
            value = [Citation(**c) for c in value or []]
        elif f.name == "calculation":
            value = Calculation(**value) if value else None
        elif f.name == "clarification":
            value = Clarification(value["condition"], value["question"], tuple(value["options"])) \
                if value else None
        elif f.name == "found":
            value = bool(value)
        kwargs[f.name] = value
    return Answer(**kwargs)


def conversation_from_dict(data: dict[str, Any], rules: "RuleBook") -> ConversationState:
    """The stored conversation, its calculation request bound to this library's rule (dropped
    when the library no longer has that rule)."""
    from ..calc.calculators import Request
    from ..errors import RuleError

    request: Request | None = None
    req = data.get("last_request")
    if req:
        try:
            request = Request(rules.get(req["rule"]), req["amount_yuan"], req["excluded_yuan"],
                              {str(k): bool(v) for k, v in req["conditions"].items()}, req["count"],
                              frozenset(str(k) for k in req.get("excluded_kinds") or ()),
                              bool(req.get("amount_is_base")),
                              tuple((str(k), int(y)) for k, y in req.get("excluded_parts") or ()),
                              tuple(int(y) for y in req.get("items") or ()))
        except RuleError:
            request = None
    pending = data.get("pending")
    return ConversationState(
        last_request=request,
        last_articles=tuple((str(d), int(n)) for d, n in data.get("last_articles") or ()),
        pending=Clarification(pending["condition"], pending["question"], tuple(pending["options"]))
        if pending else None,
        history=tuple((q, _answer(a)) for q, a in data.get("history") or ()))


class ConversationStore:
    """Conversations by session id, serialised as JSON in the `conversations` table."""

    def __init__(self, db: Database, idle_seconds: float = CONVERSATION_IDLE_SECONDS) -> None:
        self.db = db
        self.idle_seconds = idle_seconds

    def load(self, session_id: str, now: float | None = None) -> dict[str, Any] | None:
        now = time.time() if now is None else now
        with self.db.begin() as conn:
            row = conn.execute(sa.select(conversations.c.state, conversations.c.updated_at)
                               .where(conversations.c.session_id == session_id)).first()
        if row is None or now - row.updated_at >= self.idle_seconds:
            return None
        return json.loads(row.state)

    def save(self, session_id: str, data: dict[str, Any], now: float | None = None) -> None:
        now = time.time() if now is None else now
        with self.db.begin(write=True) as conn:
            self.db.upsert(conn, conversations, {"session_id": session_id, "updated_at": now,
                                                 "state": json.dumps(data, ensure_ascii=False)},
                           ("session_id",))

    def prune(self, now: float | None = None) -> int:
        now = time.time() if now is None else now
        with self.db.begin(write=True) as conn:
            return conn.execute(sa.delete(conversations).where(
                conversations.c.updated_at < now - self.idle_seconds)).rowcount or 0


class StoredConversation(Conversation):
    """A conversation whose state lives in the store: read at the start of every turn (so a turn
    answered by another instance counts), written when the turn is recorded."""

    def __init__(self, session_id: str, store: ConversationStore, rules: Callable[[], "RuleBook"]) -> None:
        super().__init__()
        self.session_id = session_id
        self.store = store
        self.rules = rules

    def _load(self) -> None:
        data = self.store.load(self.session_id)
        state = conversation_from_dict(data, self.rules()) if data else ConversationState()
        with self._lock:
            self.last_request, self.last_articles = state.last_request, state.last_articles
            self.pending, self.history = state.pending, list(state.history)

    def _save(self) -> None:
        with self._lock:
            state = ConversationState(self.last_request, self.last_articles, self.pending,
                                      tuple(self.history))
        self.store.save(self.session_id, conversation_to_dict(state))

    def snapshot(self) -> ConversationState:
        self._load()
        return super().snapshot()

    def record(self, question: str, answer: Answer, request: "Request | None") -> None:
        super().record(question, answer, request)
        self._save()

    def reset(self) -> None:
        super().reset()
        self._save()


# --- the library's version -----------------------------------------------------------------------
def library_version(db: Database) -> int:
    """How many times the library has changed (0 before the first change)."""
    with db.begin() as conn:
        return int(conn.execute(sa.select(library_state.c.version)
                                .where(library_state.c.id == 1)).scalar() or 0)


def bump_library_version(db: Database) -> int:
    """Record that the library changed (a document added or removed); returns the new version."""
    with db.begin(write=True) as conn:
        db.upsert(conn, library_state, {"id": 1, "version": 1, "updated_at": time.time()}, ("id",),
                  update={"version": library_state.c.version + 1, "updated_at": time.time()})
        return int(conn.execute(sa.select(library_state.c.version)
                                .where(library_state.c.id == 1)).scalar() or 0)


def library_changed(settings: "Settings") -> int | None:
    """After `add`/`remove`: bump the version instances poll, when they share a database."""
    db = database_for(settings)
    return bump_library_version(db) if db.shared else None


# --- secrets -------------------------------------------------------------------------------------
def shared_secret(db: Database, name: str) -> bytes:
    """A random secret every instance of the database reads the same (created on first use)."""
    with db.begin(write=True) as conn:
        value = conn.execute(sa.select(app_secrets.c.value).where(app_secrets.c.name == name)).scalar()
        if value is None:
            value = secrets.token_hex(32)
            conn.execute(db.insert(app_secrets).values(name=name, value=value)
                         .on_conflict_do_nothing(index_elements=["name"]))
            value = conn.execute(sa.select(app_secrets.c.value).where(app_secrets.c.name == name)).scalar()
    return bytes.fromhex(str(value))


__all__ = ["ConversationStore", "Database", "HEAD", "StoreError", "StoredConversation",
           "bump_library_version", "conversation_from_dict", "conversation_to_dict", "database_for",
           "database_url", "engine_url", "library_changed", "library_version", "metadata",
           "open_database", "shared_secret", "sqlite_url"]
