"""End-to-end: the server on loopback, asked through gradio_client and the plain JSON API."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request

import pytest

from assistant.ops.feedback import FeedbackStore

pytestmark = pytest.mark.slow


def http(url: str, data: bytes | dict | None = None, method: str | None = None,
         headers: dict | None = None) -> tuple[int, dict, bytes]:
    body = json.dumps(data).encode() if isinstance(data, dict) else data
    req = urllib.request.Request(url, data=body, method=method or ("POST" if body is not None else "GET"),
                                 headers={"content-type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


@pytest.fixture(scope="module")
def client(live_app):
    from gradio_client import Client

    return Client(live_app["url"], verbose=False, analytics_enabled=False, download_files=False)


def test_lookup_question(client) -> None:
    out = client.predict("手术机器人有政策支持吗?", "e2e-1", api_name="/ask")
    assert out["found"] is True and out["citations"][0]["article"] == 11
    assert out["answer_id"] and out["answer_token"]


def test_amount_question_and_follow_up(client) -> None:
    first = client.predict("人形机器人首台套销售额3000万元补助多少?", "e2e-2", api_name="/ask")
    assert first["calculation"]["amount_yuan"] == 1_500_000
    follow = client.predict("那如果是8亿呢?", "e2e-2", api_name="/ask")
    assert follow["calculation"]["inputs"]["sales_yuan"] == 800_000_000
    assert follow["calculation"]["amount_yuan"] == 10_000_000


def test_feedback_needs_the_answer_token(client, live_app) -> None:
    out = client.predict("工作专班怎么建立?", "e2e-3", api_name="/ask")
    status = client.predict(out["answer_id"], out["answer_token"], False, "请补充联系方式", api_name="/rate")
    assert "谢谢" in status
    assert "未保存" in client.predict(out["answer_id"], "guess", True, "", api_name="/rate")
    fb = FeedbackStore(live_app["db"]).feedback_for(out["answer_id"])
    assert [f["rating"] for f in fb] == [-1] and fb[-1]["comment"] == "请补充联系方式"


def test_bad_input_is_friendly(client) -> None:
    out = client.predict("   ", "e2e-4", api_name="/ask")
    assert "empty" in out["error"]
    assert "请输入条款编号" in client.predict("abc", "", api_name="/article")


def test_lookup_article_calculator_and_match_endpoints(client) -> None:
    html, reply = client.predict("减速器", "", api_name="/lookup")
    assert "<mark>减速器</mark>" in html and "第3条" in reply
    assert "搭建服务平台" in client.predict(16, "", api_name="/article")
    assert "150万元" in client.predict("3000万", "", "是", "是", api_name="/calc_first_set")
    result = client.predict({"text": "我们是杭州的人形机器人企业,首台套对非关联方卖了3000万元"}, api_name="/match")
    assert result["total_certain_yuan"] == 1_500_000


def test_json_api(live_app) -> None:
    url = live_app["url"]
    status, headers, body = http(url + "api/ask", {"question": "手术机器人有政策支持吗?"})
    out = json.loads(body)
    assert status == 200 and out["citations"][0]["article"] == 11 and out["answer_token"]
    assert {"question", "answer", "found", "citations", "calculation"} <= set(out)
    status, _, body = http(url + "api/rate", {"answer_id": out["answer_id"], "token": out["answer_token"],
                                              "liked": True})
    assert status == 200 and json.loads(body)["ok"] is True
    for bad in ({"answer_id": out["answer_id"], "token": "x", "liked": True},
                {"answer_id": str(out["answer_id"]), "token": out["answer_token"], "liked": True},
                {"answer_id": out["answer_id"], "token": out["answer_token"], "liked": "no"},
                {"answer_id": 2 ** 63, "token": "x", "liked": True}):
        status, _, body = http(url + "api/rate", bad)
        assert status == 400 and json.loads(body)["ok"] is False
    status, _, body = http(url + "api/ask", b"{not json")
    assert status == 400 and "JSON" in json.loads(body)["error"]
    status, _, _ = http(url + "api/ask", {"question": "机" * 70_000})
    assert status == 413
    status, _, body = http(url + "api/ask", b'{"question": "\\ud800\u624b\u672f\u673a\u5668\u4eba"}')
    assert status == 200 and json.loads(body)["question"] == "手术机器人"  # a lone surrogate is dropped
    status, _, body = http(url + "api/ask", b'{"question": ' + b"[" * 20_000 + b"]" * 20_000 + b"}")
    assert status == 400 and "JSON" in json.loads(body)["error"]
    status, _, body = http(url + "api/rate", b'{"answer_id": 1, "token": "\\udfff", "liked": true}')
    assert status == 400 and json.loads(body)["ok"] is False
    status, _, body = http(url + "api/ask", {"question": ""})
    assert status == 400 and "empty" in json.loads(body)["error"]
    status, _, body = http(url + "api/match", {"profile": {"first_set_sales_yuan": 30_000_000,
                                                           "makes_humanoid": True, "sales_unaffiliated": True}})
    assert status == 200 and json.loads(body)["total_certain_yuan"] == 1_500_000
    status, _, body = http(url + "gradio_api/call/nope", {"data": []})
    assert status == 404 and "ask" in json.loads(body)["endpoints"]
    status, _, body = http(url + "gradio_api/call/ask", {"data": []})
    assert status == 400 and "需要 2 个输入" in json.loads(body)["error"]
    status, _, body = http(url + "gradio_api/call/ask", {"data": ["工作专班怎么建立?", ""]})
    assert status == 200 and "event_id" in json.loads(body)
    status, _, body = http(url + "api/docs")
    assert status == 200 and json.loads(body)[0]["status"] == "征求意见稿"


def test_security_headers_and_no_uploads(live_app) -> None:
    url = live_app["url"]
    for path in ("", "api/health"):
        status, headers, _ = http(url + path)
        lowered = {k.lower(): v for k, v in headers.items()}
        assert status == 200 and lowered["x-frame-options"] == "DENY"
        assert "frame-ancestors 'none'" in lowered["content-security-policy"]
        assert lowered["x-content-type-options"] == "nosniff"
    status, _, _ = http(url + "gradio_api/upload", b"--x--", headers={"content-type": "multipart/form-data; boundary=x"})
    assert status == 403
    # Staff views are not served without a login.
    status, _, body = http(url + "gradio_api/info")
    assert status == 200 and b"unanswered" not in body


def _server(assistant, tmp_path, **changes):
    from ui.handlers import Handlers
    from ui.server import serve

    from .conftest import free_port

    settings = assistant.settings.with_(db_path=tmp_path / "fb.sqlite3", **changes)
    handlers = Handlers(assistant, FeedbackStore(settings.db_path))
    return serve(handlers, settings, "127.0.0.1", free_port(), block=False), handlers


def test_rate_limit_per_client(assistant, tmp_path) -> None:
    server, _ = _server(assistant, tmp_path, ui_rate_per_minute=3)
    try:
        codes = [http(server.url + "api/ask", {"question": "手术机器人有政策支持吗?"})[0] for _ in range(5)]
        assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]
    finally:
        server.close()


def test_page_loads_do_not_use_the_questions_budget(assistant, tmp_path) -> None:
    # web round 29: reloading the page 7 times in 20 s (six load events each) tripped 提问太频繁
    server, _ = _server(assistant, tmp_path, ui_rate_per_minute=3)
    try:
        page = sorted(server.guard.page_events)
        assert page  # the page's load, change and chained events
        join = server.url + "gradio_api/queue/join"
        loads = [http(join, {"data": [], "fn_index": page[0], "session_hash": f"s{i}"})[0] for i in range(12)]
        assert 429 not in loads
        codes = [http(server.url + "api/ask", {"question": "手术机器人有政策支持吗?"})[0] for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        clicked = min(set(range(max(page) + 2)) - set(page))  # an event a person starts (a click)
        assert http(join, {"data": [], "fn_index": clicked, "session_hash": "x"})[0] == 429
    finally:
        server.close()


def test_slow_request_does_not_block_others(assistant, tmp_path) -> None:
    import threading
    from concurrent.futures import ThreadPoolExecutor

    release = threading.Event()

    class SlowFor:
        """The real assistant, but one question is stuck until the test releases it."""

        def __init__(self, real):
            self.real = real

        def __getattr__(self, name):
            return getattr(self.real, name)

        def ask(self, question, conversation=None):
            if "慢" in question:
                release.wait(60)
            return self.real.ask(question, conversation)

    from ui.handlers import Handlers
    from ui.server import serve

    from .conftest import free_port

    settings = assistant.settings.with_(db_path=tmp_path / "fb.sqlite3", ui_concurrency=4)
    server = serve(Handlers(SlowFor(assistant), FeedbackStore(settings.db_path)), settings, "127.0.0.1",
                   free_port(), block=False)
    try:
        with ThreadPoolExecutor(2) as pool:
            slow = pool.submit(http, server.url + "api/ask", {"question": "慢 手术机器人有政策支持吗?"})
            time.sleep(0.5)
            status, _, body = http(server.url + "api/ask", {"question": "工作专班怎么建立?"})
            assert status == 200 and json.loads(body)["citations"][0]["article"] == 15
            assert not slow.done()  # answered while the stuck request still waits, not after it
            release.set()
            assert json.loads(slow.result(timeout=30)[2])["citations"][0]["article"] == 11
    finally:
        release.set()
        server.close()


def test_login_for_staff(assistant, tmp_path) -> None:
    from gradio_client import Client

    from ui.security import hash_password

    from ui.security import LoginThrottle

    server, _ = _server(assistant, tmp_path, ui_auth=f"staff:{hash_password('secret', 1000)}")
    server.guard.throttle = LoginThrottle(base_delay=0.01, max_delay=0.05)  # same rules, short waits
    try:
        status, headers, body = http(server.url)
        assert status == 200 and b"name=\"password\"" not in body  # the public app, no login form
        status, _, body = http(server.url + "api/ask", {"question": "手术机器人有政策支持吗?"})
        assert status == 200  # public tabs and the public API stay open
        status, _, body = http(server.url + "gradio_api/call/unanswered", {"data": []})
        assert status == 401  # the staff area needs the login
        form = {"content-type": "application/x-www-form-urlencoded"}
        status, _, _ = http(server.url + "login", b"username=staff&password=wrong", headers=form)
        assert status == 401
        ok = Client(server.url, auth=("staff", "secret"), verbose=False, analytics_enabled=False,
                    download_files=False)
        assert ok.predict("手术机器人有政策支持吗?", "a", api_name="/ask")["found"] is True
        assert "unanswered" in json.dumps(ok.view_api(print_info=False, return_format="dict"))
        for _ in range(5):
            http(server.url + "login", b"username=staff&password=wrong", headers=form)
        status, _, body = http(server.url + "login", b"username=staff&password=secret", headers=form)
        assert status == 429 and "尝试次数过多" in body.decode()  # locked out, even with the password
    finally:
        server.close()
