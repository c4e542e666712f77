"""End-to-end: the app on loopback, asked through gradio_client (a real client)."""

from __future__ import annotations

import pytest

from assistant.feedback import FeedbackStore

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def client(live_app):
    from gradio_client import Client

    return Client(live_app["url"], verbose=False, analytics_enabled=False, download_files=False)


def test_lookup_question(client) -> None:
    out = client.predict("手术机器人有政策支持吗?", "e2e-1", api_name="/ask")
    assert out["found"] is True and out["citations"][0]["article"] == 11
    assert out["answer_id"]


def test_amount_question_and_follow_up(client) -> None:
    first = client.predict("人形机器人首台套销售额3000万元补助多少?", "e2e-2", api_name="/ask")
    assert first["calculation"]["amount_yuan"] == 1_500_000
    follow = client.predict("那如果是8亿呢?", "e2e-2", api_name="/ask")
    assert follow["calculation"]["inputs"]["sales_yuan"] == 800_000_000
    assert follow["calculation"]["amount_yuan"] == 10_000_000


def test_feedback_is_stored_and_read_back(client, live_app) -> None:
    out = client.predict("工作专班怎么建立?", "e2e-3", api_name="/ask")
    status = client.predict(out["answer_id"], False, "请补充联系方式", api_name="/rate")
    assert "谢谢" in status
    fb = FeedbackStore(live_app["db"]).feedback_for(out["answer_id"])
    assert fb[-1]["rating"] == -1 and fb[-1]["comment"] == "请补充联系方式"


def test_bad_input_is_friendly(client) -> None:
    out = client.predict("   ", "e2e-4", api_name="/ask")
    assert "empty" in out["error"]


def test_lookup_and_article_endpoints(client) -> None:
    html, reply = client.predict("减速器", api_name="/lookup")
    assert "<mark>减速器</mark>" in html and "第3条" in reply
    assert "搭建服务平台" in client.predict(16, api_name="/article")
    assert "150万元" in client.predict("3000万", "是", "是", api_name="/calc_first_set")
