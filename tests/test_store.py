"""The store on SQLite (the default) and PostgreSQL (when a cluster can be started): the answer
log and ratings behave the same, the schema is Alembic's, conversations and the library version
are shared by every process that opens the database."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from assistant.ops.feedback import FeedbackError, FeedbackStore
from assistant.models import Answer, Calculation, Citation, Clarification
from assistant.ops.store import (HEAD, MIGRATIONS, ConversationStore, Database, StoredConversation,
                             StoreError, bump_library_version, conversation_from_dict,
                             conversation_to_dict, library_version, shared_secret)


def test_log_rate_and_list(db_url: str, tmp_path: Path) -> None:
    store = FeedbackStore(db_url)
    found = Answer("第十六条是什么?", "搭建服务平台……", True,
                   [Citation("d", "文件", 16, "搭建服务平台", "原文", ["市经信局"], "第十六条")])
    aid, token = store.log_answer(found, session="s-1", channel="chat")
    missed_id, _ = store.log_answer(Answer("摇号怎么办?", "不在范围", False), channel="nonsense")
    assert store.add_feedback(aid, token, 1, "好") >= 1
    store.add_feedback(aid, token, -1, "再想想")
    rows = store.rows()
    assert [r["id"] for r in rows] == [missed_id, aid]
    assert rows[1]["rating"] == -1 and rows[1]["comment"] == "再想想" and rows[1]["session"] == "s-1"
    assert rows[0]["channel"] == "api" and rows[0]["rating"] is None
    assert [r["question"] for r in store.rows(only_unanswered=True)] == ["摇号怎么办?"]
    assert len(store.rows(limit=1)) == 1
    assert [f["rating"] for f in store.feedback_for(aid)] == [1, -1]
    with pytest.raises(FeedbackError):
        store.add_feedback(aid, "wrong-token", 1)
    with pytest.raises(FeedbackError):
        store.add_feedback(missed_id + 1000, token, 1)
    with pytest.raises(FeedbackError):
        store.add_feedback(aid, token, 0)
    for _ in range(3):
        store.add_feedback(aid, token, 1)
    with pytest.raises(FeedbackError, match="already been rated 5 times"):
        store.add_feedback(aid, token, 1)  # a flood is refused on every backend
    n = store.export_csv(tmp_path / "out.csv")
    assert n == 2 and "第十六条是什么?" in (tmp_path / "out.csv").read_text(encoding="utf-8-sig")
    again = FeedbackStore(db_url)  # another process's view: same rows
    assert [r["id"] for r in again.rows()] == [missed_id, aid]


def test_concurrent_writers(db_url: str) -> None:
    store = FeedbackStore(db_url)
    errors: list[Exception] = []

    def user(n: int) -> None:
        try:
            for i in range(15):
                aid, token = store.log_answer(Answer(f"q{n}-{i}", "a", i % 2 == 0), session=str(n))
                store.add_feedback(aid, token, 1 if i % 3 else -1, f"c{n}")
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=user, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(store.rows()) == 90 and len(store.rows(only_unanswered=True)) == 42


def test_schema_is_alembic_head(db_url: str) -> None:
    from alembic.script import ScriptDirectory
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    assert ScriptDirectory.from_config(config).get_current_head() == HEAD
    db = Database(db_url)
    with db.begin() as conn:
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == HEAD
        tables = set(sa.inspect(conn).get_table_names())
    assert {"answers", "feedback", "conversations", "revoked_sessions", "login_failures", "lockouts",
            "rate_buckets", "library_state", "app_secrets"} <= tables
    db.dispose()


def test_a_log_written_before_migrations_is_upgraded_in_place(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)
    conn.executescript("""
        CREATE TABLE answers (id INTEGER PRIMARY KEY AUTOINCREMENT, created_at TEXT NOT NULL,
            session TEXT NOT NULL DEFAULT '', channel TEXT NOT NULL DEFAULT '', question TEXT NOT NULL,
            answer TEXT NOT NULL, found INTEGER NOT NULL, citations TEXT NOT NULL, calculation TEXT);
        CREATE TABLE feedback (id INTEGER PRIMARY KEY AUTOINCREMENT, answer_id INTEGER NOT NULL
            REFERENCES answers(id), created_at TEXT NOT NULL, rating INTEGER NOT NULL
            CHECK (rating IN (-1, 1)), comment TEXT NOT NULL DEFAULT '');
        INSERT INTO answers (created_at, question, answer, found, citations)
            VALUES ('2026-01-01T00:00:00', '旧问题', '旧回答', 1, '[]');""")
    conn.commit()
    conn.close()
    store = FeedbackStore(path)
    assert [r["question"] for r in store.rows()] == ["旧问题"]
    aid, token = store.log_answer(Answer("新问题", "新回答", True))
    assert store.add_feedback(aid, token, 1) >= 1 and aid == 2
    mode = sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_unreachable_database_is_a_clear_error() -> None:
    store = FeedbackStore("postgresql://nobody@127.0.0.1:1/none")
    with pytest.raises(FeedbackError, match="127.0.0.1:1"):
        store.log_answer(Answer("q", "a", True))


def test_conversation_survives_serialisation(assistant) -> None:  # noqa: ANN001
    rules = assistant.rules
    rule = rules.rules[0]
    from assistant.calc.calculators import Request
    from assistant.answer.conversation import ConversationState

    calc = Calculation(rule.tool, rule.doc_id, rule.article, {"a": 1}, True, 300000, 500000, ["x"], [])
    answer = Answer("问题", "回答", True, [Citation("d", "文件", 2, "t", "q", ["市经信局"], "第2条")], calc,
                    notice="n", clarification=Clarification("humanoid", "是人形吗?"), gaps=["申报时间"],
                    related=[Citation("d", "文件", 5, "t5", "q5", [], "第5条")])
    state = ConversationState(Request(rule, 3_000_000, 0, {"humanoid": True}, 2), (("d", 2),),
                              Clarification("humanoid", "是人形吗?"), (("问题", answer),))
    back = conversation_from_dict(conversation_to_dict(state), rules)
    assert back == state


def test_conversation_shared_between_processes(db_url: str, assistant) -> None:  # noqa: ANN001
    """Two instances (two Database objects on one URL): a turn recorded by one is seen by the
    other's next snapshot."""
    rules = assistant.rules
    one = StoredConversation("sess-1", ConversationStore(Database(db_url)), lambda: rules)
    other = StoredConversation("sess-1", ConversationStore(Database(db_url)), lambda: rules)
    assert other.snapshot().history == ()
    first = assistant.ask("人形机器人首台套销售额3000万元,不是卖给关联方,补助多少?", one)
    assert first.calculation is not None
    then = assistant.ask("那如果销售额是8000万呢?", other)
    assert then.calculation is not None and then.calculation.tool == first.calculation.tool
    assert then.calculation.inputs != first.calculation.inputs
    assert len(one.snapshot().history) == 2


def test_library_version_and_secret_are_shared(db_url: str) -> None:
    a, b = Database(db_url), Database(db_url)
    assert library_version(a) == 0
    assert bump_library_version(a) == 1 and bump_library_version(b) == 2
    assert library_version(b) == 2 == library_version(a)
    assert shared_secret(a, "session") == shared_secret(b, "session")
    assert len(shared_secret(a, "session")) == 32
    with pytest.raises(StoreError):
        Database("sqlite:////proc/no/such/dir/x.sqlite3").engine  # noqa: B018
