"""State several instances share through the store (each `Database` object stands for one
instance's process): logins, lockouts, rate limits, conversations and the library version."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.ops.feedback import FeedbackStore
from assistant.ops.store import Database, bump_library_version
from ui.handlers import Handlers
from ui.security import LoginThrottle, RateLimiter, SessionSigner
from ui.shared import (SharedLoginThrottle, SharedRateLimiter, SharedSessionSigner, SharedState,
                       install)


def test_a_login_is_valid_and_revoked_on_every_instance(db_url: str) -> None:
    one, other = SharedSessionSigner(Database(db_url), 600), SharedSessionSigner(Database(db_url), 600)
    token = one.issue("staff", now=1000.0)
    assert other.user(token, now=1100.0) == "staff"
    assert SessionSigner(lifetime=600).user(token, now=1100.0) is None  # a stranger's secret
    assert other.user(token, now=1700.0) is None  # expired
    assert other.revoke(token, now=1200.0) is True
    assert one.user(token, now=1201.0) is None and other.revoked == 1
    forged = token[:-2] + ("11" if token.endswith("00") else "00")  # (a MAC may end in 00: 1 run in 256)
    assert one.revoke(forged, now=1200.0) is False  # forged: not stored
    second = one.issue("staff", now=1300.0)
    assert other.user(second, now=1301.0) == "staff"
    one.prune(now=1000.0 + 600 + 1)
    assert other.revoked == 0


def test_a_lockout_on_one_instance_holds_on_the_other(db_url: str) -> None:
    one = SharedLoginThrottle(Database(db_url), lock_after=3, window=60, lockout=300)
    other = SharedLoginThrottle(Database(db_url), lock_after=3, window=60, lockout=300)
    assert one.failed("10.0.0.1", now=100.0) == 0.5
    assert other.failed("10.0.0.1", now=101.0) == 1.0
    assert other.locked_for("10.0.0.1", now=101.5) == 0.0
    one.failed("10.0.0.1", now=102.0)
    assert other.locked_for("10.0.0.1", now=103.0) == pytest.approx(299.0)
    assert one.locked_for("10.0.0.2", now=103.0) == 0.0
    other.succeeded("10.0.0.1")
    assert one.locked_for("10.0.0.1", now=104.0) == 0.0


def test_a_user_name_locks_out_from_any_address(db_url: str) -> None:
    one = SharedLoginThrottle(Database(db_url), lock_after=50, user_lock_after=3, lockout=60)
    other = SharedLoginThrottle(Database(db_url), lock_after=50, user_lock_after=3, lockout=60)
    for i, throttle in enumerate((one, other, one)):
        throttle.failed(f"10.0.0.{i}", now=10.0 + i, user="staff")
    assert other.locked_for("10.9.9.9", now=13.0, user="staff") == pytest.approx(59.0)
    assert other.locked_for("10.9.9.9", now=13.0, user="other") == 0.0


def test_rate_limit_bucket_is_shared(db_url: str) -> None:
    one, other = SharedRateLimiter(Database(db_url), 3), SharedRateLimiter(Database(db_url), 3)
    assert [one.allow("c", 0.0), other.allow("c", 0.0), one.allow("c", 0.0), other.allow("c", 0.0)] \
        == [True, True, True, False]
    assert one.allow("d", 0.0) is True
    assert other.allow("c", 20.0) is True  # 3 per 60 s: one token back after 20 s
    one.prune(now=1000.0)
    assert other.allow("c", 1000.0) is True


def test_install_replaces_the_guard_state(db_url: str) -> None:
    class FakeGuard:
        signer = SessionSigner(lifetime=60)
        throttle = LoginThrottle(lock_after=4)
        limiter = RateLimiter(7)

    guard = FakeGuard()
    install(guard, Database(db_url))
    assert isinstance(guard.signer, SharedSessionSigner) and guard.signer.lifetime == 60
    assert isinstance(guard.throttle, SharedLoginThrottle) and guard.throttle.lock_after == 4
    assert isinstance(guard.limiter, SharedRateLimiter) and guard.limiter.capacity == 7


def test_conversations_continue_on_another_instance(db_url: str, assistant) -> None:  # noqa: ANN001
    one = Handlers(assistant, FeedbackStore(db_url, shared=True))
    other = Handlers(assistant, FeedbackStore(db_url, shared=True))
    assert one.shared is not None
    first = one.ask("人形机器人首台套销售额3000万元,不是卖给关联方,补助多少?", "conv-1")
    then = other.ask("那如果销售额是8000万呢?", "conv-1")
    assert first["calculation"]["tool"] == then["calculation"]["tool"] == "first_set_subsidy"
    assert then["calculation"]["inputs"]["sales_yuan"] == 80_000_000
    assert "assumed" not in then["calculation"]["inputs"]  # the facts stated on the first instance
    alone = other.ask("那如果销售额是8000万呢?", "conv-2")
    assert alone["calculation"]["inputs"]["assumed"] == ["humanoid", "recognized", "non_affiliated"]


def test_not_shared_on_sqlite_by_default(tmp_path: Path, assistant) -> None:  # noqa: ANN001
    assert Handlers(assistant, FeedbackStore(tmp_path / "fb.sqlite3")).shared is None


def test_an_instance_follows_the_library_version(db_url: str) -> None:
    class Counting:
        reloads = 0

        def reload(self) -> None:
            self.reloads += 1

    assistant = Counting()
    state = SharedState(Database(db_url), assistant)
    assert state.follow() is False and assistant.reloads == 0
    bump_library_version(Database(db_url))  # another instance added a document
    assert state.follow() is True and assistant.reloads == 1
    assert state.follow() is False
    state.library_changed()  # this instance's own change: no reload of its own
    assert state.follow() is False and assistant.reloads == 1


def test_an_upload_on_one_instance_reaches_the_other(tmp_path: Path, corpus_copy: Path) -> None:
    """The staff upload bumps the library version; the other instance's poll reloads its assistant
    and answers from the new document."""
    from assistant.answer.chain import Assistant
    from assistant.config import load_settings
    from assistant.index.embeddings import HashEmbeddings

    url = "sqlite:///" + str(tmp_path / "shared.sqlite3")

    def instance(name: str) -> Handlers:
        settings = load_settings().with_(corpus_dir=corpus_copy, index_dir=tmp_path / f"index-{name}")
        return Handlers(Assistant(settings, embeddings=HashEmbeddings()), FeedbackStore(url, shared=True))

    one, other = instance("one"), instance("other")
    question = "新建低空飞行器起降场有什么补助?"
    assert other.ask(question)["found"] is False
    source = tmp_path / "low-altitude.txt"
    source.write_text("杭州市低空起降场建设补助办法(试行)\n一、新建低空飞行器起降场并投入运营的,"
                      "每个起降场最高补助80万元。责任单位:市发改委\n二、本办法自发布之日起施行。\n",
                      encoding="utf-8")
    assert one.upload(str(source), "doc_id=hz-lowalt-2026").startswith("已加入")
    assert one.wait_for_index(120)  # embedded in the background, then the version is bumped
    assert one.shared is not None and other.shared is not None
    assert one.shared.follow() is False  # its own change: already loaded
    assert other.shared.follow() is True
    out = other.ask(question)
    assert out["found"] is True and out["citations"][0]["doc_id"] == "hz-lowalt-2026"


def test_without_the_database_logins_fail_closed_and_questions_pass() -> None:
    down = Database("postgresql://nobody@127.0.0.1:1/none")
    throttle = SharedLoginThrottle(down, max_delay=4.0)
    assert throttle.locked_for("10.0.0.1") == 60.0
    assert throttle.failed("10.0.0.1") == 4.0
    throttle.succeeded("10.0.0.1")  # logged, not raised
    assert SharedRateLimiter(down, 3).allow("c") is True
