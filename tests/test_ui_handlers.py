"""The web app's handlers as plain functions (no server)."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.cli import cli
from assistant.feedback import FeedbackError, FeedbackStore
from assistant.models import Answer
from ui.handlers import Handlers, highlight


@pytest.fixture
def store(tmp_path: Path) -> FeedbackStore:
    return FeedbackStore(tmp_path / "logs" / "fb.sqlite3")


@pytest.fixture
def h(assistant, store: FeedbackStore) -> Handlers:
    return Handlers(assistant, store)


def test_chat_lookup_shows_sources(h: Handlers) -> None:
    history, box, ids = h.chat("手术机器人有政策支持吗?", [], "s1", [])
    assert box == "" and len(history) == 2 and len(ids) == 1 and ids[0]
    reply = history[1]["content"]
    assert history[1]["role"] == "assistant"
    assert "第11条" in reply and "来源" in reply and "市卫健委" in reply


def test_chat_amount_then_follow_up(h: Handlers) -> None:
    history, _, ids = h.chat("人形机器人首台套销售额3000万元补助多少?", [], "s2", [])
    assert "150万元" in history[-1]["content"] and "计算过程" in history[-1]["content"]
    history, _, ids = h.chat("那如果销售额是8亿呢?", history, "s2", ids)
    assert "1000万元" in history[-1]["content"] and len(ids) == 2
    # Another session does not share the conversation.
    other, _, _ = h.chat("那如果是8亿呢?", [], "s3", [])
    assert "计算过程" not in other[-1]["content"]


def test_chat_bad_input_is_a_friendly_reply(h: Handlers) -> None:
    assert h.chat("   ", [], "s", []) == ([], "", [])
    history, _, ids = h.chat("人形机器人首台套销售额0元补助多少?", [], "s", [])
    assert history[-1]["content"].startswith("⚠️") and ids == [None]
    history, _, _ = h.chat("机" * 2001, [], "s", [])
    assert "2000" in history[-1]["content"]


def test_failing_request_never_raises(h: Handlers, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*a, **k):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(h.assistant, "ask", boom)
    result = h.ask("手术机器人有政策支持吗?", "s")
    assert "error" in result and "disk" not in result["error"]


def test_not_covered_is_logged_and_listed(h: Handlers, store: FeedbackStore) -> None:
    h.chat("杭州小客车摇号怎么申请?", [], "s", [])
    rows = h.unanswered()
    assert rows and rows[0][1] == "杭州小客车摇号怎么申请?"


def test_feedback_stored_with_comment(h: Handlers, store: FeedbackStore) -> None:
    _, _, ids = h.chat("工作专班怎么建立?", [], "s", [])
    assert "谢谢" in h.rate_last(ids, False, "希望给出联系电话")
    fb = store.feedback_for(ids[0])
    assert fb[0]["rating"] == -1 and fb[0]["comment"] == "希望给出联系电话"
    assert "谢谢" in h.rate_message(1, True, ids)
    assert store.feedback_for(ids[0])[-1]["rating"] == 1
    assert "请先提问" in h.rate_last([], True, "")
    assert "反馈未保存" in h.rate(999999, True, "")
    assert "反馈未保存" in h.rate(ids[0], True, "x" * 3000)


def test_lookup_ranks_and_highlights(h: Handlers) -> None:
    html, reply = h.lookup("减速器")
    assert html.index("1. 第3条") < html.index("2. 第")
    assert "<mark>减速器</mark>" in html and "市经信局" in html
    assert reply.startswith("您好") and "第3条" in reply and "征求意见稿" in reply
    html, reply = h.lookup("杭州公积金怎么提取?")
    assert "未涉及" in html and "市经信局高端装备处" in reply
    html, reply = h.lookup("")
    assert "empty" in html and reply == ""


def test_highlight_escapes_html() -> None:
    assert highlight("<b>减速器</b>", ["减速器"]) == "&lt;b&gt;<mark>减速器</mark>&lt;/b&gt;"


@pytest.mark.parametrize("value, expected", [
    (16, "第16条 搭建服务平台"), ("第3条", "第3条 加强核心零部件"), (0, "公开征求"),
    (99, "没有第99条"), ("abc", "请输入条款编号"), (None, "请输入条款编号"),
])
def test_article_jump(h: Handlers, value, expected: str) -> None:
    assert expected in h.article_text(value)


def test_calculator_forms_compute_through_the_assistant(h: Handlers) -> None:
    out = h.calculate("first_set_subsidy", "3000万", "", "是", "是")
    assert "150万元" in out and "第3条" in out
    assert "600万元" in h.calculate("industrialization", "3000万", "1000万", "否", "是")
    assert "240万元" in h.calculate("industrialization", "800万", "", "不确定", "不确定")  # alternative
    assert "15万元" in h.calculate("procurement", "150万", "", "是", "是", "是", "是")
    assert "50万元" in h.calculate("demo-scenario", "", "", "是")
    assert h.calculate("first-set", "abc", "", "是", "是").startswith("⚠️")
    assert h.calculate("first-set", "-5", "", "是", "是").startswith("⚠️")
    assert h.calculate("no-such-rule", "5", "").startswith("⚠️")


def test_policy_text_shows_status_and_dates(h: Handlers) -> None:
    md = h.document_markdown()
    assert "征求意见稿" in md and "2024-04-08" in md and "2024-05-08" in md
    assert md.count("#### ") == 19


def test_store_survives_restart_and_uses_wal(tmp_path: Path) -> None:
    path = tmp_path / "fb.sqlite3"
    first = FeedbackStore(path)
    aid = first.log_answer(Answer("q", "a", True))
    first.add_feedback(aid, 1, "好")
    again = FeedbackStore(path)
    assert again.rows()[0]["rating"] == 1
    mode = sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"
    with pytest.raises(FeedbackError):
        again.add_feedback(aid, 0)


def test_store_is_safe_under_concurrent_users(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "fb.sqlite3")
    errors: list[Exception] = []

    def user(n: int) -> None:
        try:
            for i in range(20):
                aid = store.log_answer(Answer(f"q{n}-{i}", "a", i % 2 == 0), session=str(n))
                store.add_feedback(aid, 1 if i % 3 else -1, f"c{n}")
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=user, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(store.rows()) == 160 and len(store.rows(only_unanswered=True)) == 80


def test_unwritable_store(tmp_path: Path) -> None:
    blocker = tmp_path / "f"
    blocker.write_text("x")
    with pytest.raises(FeedbackError):
        FeedbackStore(blocker / "db.sqlite3").log_answer(Answer("q", "a", True))


def test_logs_export_csv(h: Handlers, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                         store: FeedbackStore) -> None:
    monkeypatch.setenv("POLICY_DB", str(store.path))
    _, _, ids = h.chat("人形机器人首台套销售额3000万元补助多少?", [], "s", [])
    h.chat("杭州小客车摇号怎么申请?", [], "s", [])
    h.rate_last(ids, True, "清楚")
    out = tmp_path / "logs.csv"
    res = CliRunner().invoke(cli, ["logs", "export", "--csv", str(out)])
    assert res.exit_code == 0 and "2 rows" in res.output
    text = out.read_text(encoding="utf-8-sig")
    assert "第3条" in text and "1500000" in text and "清楚" in text
    res = CliRunner().invoke(cli, ["logs", "unanswered"])
    assert "小客车" in res.output and "首台套" not in res.output
    res = CliRunner().invoke(cli, ["logs", "export", "--csv", str(tmp_path / "no" / "dir" / "x.csv")])
    assert res.exit_code == 2


def test_chat_stream_without_a_model_gives_the_answer(h: Handlers) -> None:
    steps = list(h.chat_stream("手术机器人有政策支持吗?", [], "st", []))
    history, box, ids = steps[-1]
    assert steps[0][0][-1]["content"] == "…"
    assert "第11条" in history[-1]["content"] and ids and ids[0]
    steps = list(h.chat_stream("人形机器人首台套销售额0元补助多少?", [], "st", []))
    assert steps[-1][0][-1]["content"].startswith("⚠️") and steps[-1][2] == [None]


def test_chat_stream_shows_tokens_then_checked_answer(assistant, store: FeedbackStore) -> None:
    from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
    from langchain_core.messages import AIMessage

    from assistant.llm import LLMComposer

    from .test_llm import with_composer

    text = "根据第11条, 支持 手术机器人 推广应用。"
    model = GenericFakeChatModel(messages=iter([AIMessage(content=text)]))
    h = Handlers(with_composer(assistant, LLMComposer(model)), store)
    steps = list(h.chat_stream("手术机器人有政策支持吗?", [], "st2", []))
    partial = [s[0][-1]["content"] for s in steps[1:-1]]
    assert any(p.endswith("▌") for p in partial) and len(partial) >= 2
    final = steps[-1][0][-1]["content"]
    assert final.startswith(text) and "引用来源" in final and steps[-1][2][0]
