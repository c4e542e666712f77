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


def _launch(handlers, settings, **kw):
    from ui.app import CSS, build_app, theme

    demo = build_app(handlers)
    demo.queue(default_concurrency_limit=settings.ui_concurrency)
    demo.launch(server_name="127.0.0.1", server_port=settings.ui_port, prevent_thread_lock=True,
                quiet=True, theme=theme(), css=CSS, **kw)
    return demo


def test_slow_request_does_not_block_others(assistant, tmp_path) -> None:
    import time

    from gradio_client import Client

    from ui.handlers import Handlers

    from .conftest import free_port

    class SlowFor:
        """The real assistant, but one question takes 4 s (a stuck request)."""

        def __init__(self, real):
            self.real = real

        def __getattr__(self, name):
            return getattr(self.real, name)

        def ask(self, question, conversation=None):
            if "慢" in question:
                time.sleep(4)
            return self.real.ask(question, conversation)

    settings = assistant.settings.with_(ui_port=free_port(), ui_concurrency=4)
    demo = _launch(Handlers(SlowFor(assistant), FeedbackStore(tmp_path / "fb.sqlite3")), settings)
    try:
        url = f"http://127.0.0.1:{settings.ui_port}/"
        slow_client = Client(url, verbose=False, analytics_enabled=False, download_files=False)
        fast_client = Client(url, verbose=False, analytics_enabled=False, download_files=False)
        slow = slow_client.submit("慢 手术机器人有政策支持吗?", "slow", api_name="/ask")
        time.sleep(0.5)
        t = time.perf_counter()
        out = fast_client.predict("工作专班怎么建立?", "fast", api_name="/ask")
        assert out["citations"][0]["article"] == 15
        assert time.perf_counter() - t < 3.0
        assert slow.result(timeout=30)["citations"][0]["article"] == 11
    finally:
        demo.close()


def test_optional_login(assistant, tmp_path) -> None:
    from gradio_client import Client

    from ui.app import auth_pair
    from ui.handlers import Handlers

    from .conftest import free_port

    assert auth_pair("") is None and auth_pair("staff:secret") == ("staff", "secret")
    with pytest.raises(Exception, match="user:password"):
        auth_pair("nopassword")
    settings = assistant.settings.with_(ui_port=free_port())
    demo = _launch(Handlers(assistant, FeedbackStore(tmp_path / "fb.sqlite3")), settings,
                   auth=("staff", "secret"))
    try:
        url = f"http://127.0.0.1:{settings.ui_port}/"
        with pytest.raises(ValueError, match="(?i)auth|login|credentials"):
            Client(url, verbose=False, analytics_enabled=False, download_files=False)
        ok = Client(url, auth=("staff", "secret"), verbose=False, analytics_enabled=False,
                    download_files=False)
        assert ok.predict("手术机器人有政策支持吗?", "a", api_name="/ask")["found"] is True
    finally:
        demo.close()
