"""Issue 19: what an outside probe found beyond `make probe` — each defect reproduced at the unit
level (the ASGI guard with a small app behind it, handlers, ingest and library functions)."""

from __future__ import annotations

import asyncio
import http.cookies
import json
from typing import Any

import pytest

from assistant.config import load_settings
from ui.security import LoginThrottle, SessionSigner
from ui.server import COOKIE, MAX_HEADER_BYTES, Guard, _cookie


class Echo:
    """A downstream app that records what reached it and answers with a chosen status."""

    def __init__(self, status: int = 200, body: bytes = b'{"ok": true}', extra: list | None = None) -> None:
        self.status, self.body, self.extra = status, body, extra or []
        self.scopes: list[dict] = []

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        from starlette.requests import Request

        self.scopes.append(scope)
        self.cookies = Request(scope).cookies  # Starlette's own cookie parser, as Gradio uses it
        await send({"type": "http.response.start", "status": self.status,
                    "headers": [(b"content-type", b"application/json")] + self.extra})
        await send({"type": "http.response.body", "body": self.body})


def call(app: Any, path: str, method: str = "GET", headers: list | None = None, body: bytes = b"",
         client: str = "127.0.0.1") -> tuple[int, dict[bytes, bytes], bytes]:
    sent: list[dict] = []
    done = False

    async def receive() -> dict:
        nonlocal done
        if not done:
            done = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {"type": "http", "method": method, "path": path, "headers": headers or [],
             "client": (client, 5555), "query_string": b"", "scheme": "http", "root_path": "",
             "server": ("127.0.0.1", 7860)}
    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    out = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], {k.lower(): v for k, v in start["headers"]}, out


def guard(app: Any = None, endpoints: dict | None = None, **settings: Any) -> Guard:
    return Guard(app or Echo(), load_settings(**settings), uploads=True, endpoints=endpoints)


# -- 1. cookies and headers ---------------------------------------------------------------------

def test_quadratic_cookie_never_reaches_a_cookie_parser(monkeypatch) -> None:
    """A quoted value of backslashes made http.cookies (ours and Starlette's) take seconds."""
    real = http.cookies._unquote

    def refuse(value: str) -> str:
        if "\\" in value:
            raise AssertionError("http.cookies must not unquote backslashes from a client")
        return real(value)

    monkeypatch.setattr(http.cookies, "_unquote", refuse)
    echo = Echo()
    g = guard(echo)
    evil = b'a="' + b"\\" * 4000 + b'"; theme=dark'
    status, _, _ = call(g, "/api/health", headers=[(b"cookie", evil)])
    assert status == 200 and echo.cookies == {"theme": "dark"}
    assert dict(echo.scopes[-1]["headers"])[b"cookie"] == b"theme=dark"


def test_oversized_headers_and_cookies_are_refused_before_parsing() -> None:
    echo = Echo()
    g = guard(echo)
    status, _, body = call(g, "/api/health", headers=[(b"cookie", b"a=" + b"x" * 10_000)])
    assert status == 431 and "Cookie" in json.loads(body)["error"] and not echo.scopes
    status, _, body = call(g, "/api/health", headers=[(b"x-pad", b"y" * MAX_HEADER_BYTES)])
    assert status == 431 and json.loads(body)["error"] == "请求头过大。"


def test_session_cookie_read_linearly() -> None:
    scope = {"headers": [(b"cookie", b'x=1; pa_session="alice|1|n|m"; y=2')]}
    assert _cookie(scope, COOKIE) == "alice|1|n|m"
    assert _cookie({"headers": [(b"cookie", b"x=1")]}, COOKIE) is None


# -- 2. logout ------------------------------------------------------------------------------------

def test_forged_tokens_are_not_remembered_and_revocations_expire() -> None:
    signer = SessionSigner(secret=b"k" * 32, lifetime=60, max_revoked=3)
    assert signer.revoke("u|1|" + "n" * 1_000_000 + "|mac") is False
    assert signer.revoke("x" * 100) is False and signer.revoked == 0
    tokens = [signer.issue("staff", now=1000 + i) for i in range(5)]
    assert all(signer.revoke(t, now=1010) for t in tokens)
    assert signer.revoked == 3  # bounded
    assert signer.user(tokens[-1], now=1011) is None
    signer.revoke(signer.issue("staff", now=1100), now=1100)
    assert signer.revoked == 1  # the expired ones were let go


def test_logout_is_a_post_that_checks_the_signature() -> None:
    g = guard(ui_auth="staff:pw")
    token = g.signer.issue("staff")
    cookie = [(b"cookie", f"{COOKIE}={token}".encode())]
    status, _, body = call(g, "/logout", headers=cookie)
    assert status == 405 and b'method="post"' in body
    assert g.signer.user(token) == "staff"  # an <img src="/logout"> logs nobody out
    forged = [(b"cookie", f"{COOKIE}=staff|1|{'n' * 400}|bad".encode())]
    call(g, "/logout", "POST", headers=forged)
    assert g.signer.revoked == 0
    status, headers, _ = call(g, "/logout", "POST", headers=cookie)
    assert status == 303 and g.signer.user(token) is None and g.signer.revoked == 1
    # web round 9: the chat kept in the browser's storage went on showing the caller's question
    assert dict(headers)[b"clear-site-data"] == b'"storage"'


# -- 3, 15. Gradio's routes -----------------------------------------------------------------------

ENDPOINTS = {"ask": 2, "lookup": 2}


@pytest.mark.parametrize("path", ["/gradio_api/api/submit", "/gradio_api/run/chat", "/gradio_api/call/upload",
                                  "/gradio_api/call/v2/submit", "/gradio_api/api/nope/"])
def test_private_and_unknown_endpoints_are_not_callable(path) -> None:
    echo = Echo()
    status, _, body = call(guard(echo, ENDPOINTS), path, "POST", body=b'{"data": ["a", "b", "c"]}')
    assert status == 404 and json.loads(body)["endpoints"] == ["ask", "lookup"] and not echo.scopes


def test_call_v2_takes_named_parameters() -> None:
    from ui.server import Endpoint

    echo = Echo()
    g = guard(echo, {"ask": Endpoint(2, (("question", False), ("session_id", True)))})
    status, _, body = call(g, "/gradio_api/call/v2/ask", "POST", body=b'{"data": ["q", ""]}')
    assert status == 400 and json.loads(body)["error"] == "接口 ask:未知参数 data(参数:question, session_id)。"
    status, _, body = call(g, "/gradio_api/call/v2/ask", "POST", body=b'{"session_id": "s"}')
    assert status == 400 and json.loads(body)["error"] == "接口 ask:缺少参数 question(参数:question, session_id)。"
    assert call(g, "/gradio_api/call/v2/ask", "POST", body=b'{"question": "q"}')[0] == 200 and len(echo.scopes) == 1


@pytest.mark.parametrize("path", ["/gradio_api/api/ask", "/gradio_api/call/ask", "/gradio_api/run/ask"])
def test_named_calls_need_all_inputs(path) -> None:
    echo = Echo()
    status, _, body = call(guard(echo, ENDPOINTS), path, "POST", body=b'{"data": []}')
    assert status == 400 and json.loads(body)["error"] == "接口 ask 需要 2 个输入,收到 0 个。"
    status, _, _ = call(guard(echo, ENDPOINTS), path, "POST", body=b'{"data": ["q", ""]}')
    assert status == 200 and len(echo.scopes) == 1


def test_other_gradio_posts_are_refused_and_the_page_routes_pass() -> None:
    echo = Echo()
    g = guard(echo, ENDPOINTS)
    assert call(g, "/gradio_api/process_recording", "POST")[0] == 404
    assert call(g, "/gradio_api/stream/abc", "POST")[0] == 404
    assert call(g, "/gradio_api/queue/join", "POST", body=b"{}")[0] == 200


def test_every_computing_route_is_rate_limited() -> None:
    g = guard(Echo(), ENDPOINTS, ui_rate_per_minute=2)
    for path in ("/gradio_api/api/ask", "/api/rate", "/gradio_api/queue/join"):
        g.limiter._buckets.clear()
        codes = [call(g, path, "POST", body=b'{"data": ["q", ""]}')[0] for _ in range(3)]
        assert codes == [200, 200, 429], path


def test_gradio_500_becomes_a_400_with_a_message() -> None:
    g = guard(Echo(500, b'{"error": null}'), ENDPOINTS)
    status, _, body = call(g, "/gradio_api/queue/join", "POST", body=b"{}")
    assert status == 400 and json.loads(body)["error"] == "请求无法处理:请检查接口名称和输入。"


# -- 4. proxies and lockout -----------------------------------------------------------------------

def test_forwarded_for_is_ignored_unless_the_proxy_is_trusted() -> None:
    g = guard(Echo(), ui_rate_per_minute=2)
    codes = [call(g, "/api/ask", "POST", headers=[(b"x-forwarded-for", f"10.0.0.{i}".encode())])[0]
             for i in range(4)]
    assert codes == [200, 200, 429, 429]
    echo = Echo()
    g = guard(echo, ui_rate_per_minute=2, ui_trusted_proxies="127.0.0.1")
    codes = [call(g, "/api/ask", "POST", headers=[(b"x-forwarded-for", f"1.2.3.4, 10.0.0.{i}".encode())])[0]
             for i in range(4)]
    assert codes == [200, 200, 200, 200] and echo.scopes[-1]["client"][0] == "10.0.0.3"
    codes = [call(g, "/api/ask", "POST", client="8.8.8.8", headers=[(b"x-forwarded-for", f"10.1.0.{i}".encode())])[0]
             for i in range(3)]
    assert codes == [200, 200, 429]  # not from the proxy: its header is not believed


def test_lockout_per_user_as_well_as_per_address() -> None:
    t = LoginThrottle(lock_after=5, user_lock_after=8, window=600, lockout=900)
    for i in range(8):
        t.failed(f"10.0.0.{i}", now=100 + i, user="staff")  # a fresh address each time
    assert t.locked_for("10.9.9.9", now=110, user="staff") > 800
    assert t.locked_for("10.9.9.9", now=110, user="other") == 0
    assert t.locked_for("10.0.0.1", now=110) == 0


# -- 16, 18. origins and cookies ------------------------------------------------------------------

def test_other_local_origins_get_no_cors_grant() -> None:
    allow = [(b"access-control-allow-origin", b"http://127.0.0.1:9999"),
             (b"access-control-allow-credentials", b"true")]
    g = guard(Echo(extra=allow))
    host = [(b"host", b"127.0.0.1:7860")]
    _, headers, _ = call(g, "/gradio_api/info", headers=host + [(b"origin", b"http://127.0.0.1:9999")])
    assert b"access-control-allow-origin" not in headers
    assert call(g, "/gradio_api/info", "OPTIONS", headers=host + [(b"origin", b"http://localhost:9999")])[0] == 403
    _, headers, _ = call(g, "/gradio_api/info", headers=host + [(b"origin", b"http://127.0.0.1:7860")])
    assert headers[b"access-control-allow-origin"] == b"http://127.0.0.1:9999"


def test_secure_cookie_setting() -> None:
    from ui.security import hash_password

    g = guard(ui_auth=f"staff:{hash_password('pw', 1000)}", ui_secure_cookie=True)
    status, headers, _ = call(g, "/login", "POST", body=b"username=staff&password=pw",
                              headers=[(b"content-type", b"application/x-www-form-urlencoded")])
    assert status == 200 and b"; Secure" in headers[b"set-cookie"]
    g = guard(ui_auth=f"staff:{hash_password('pw', 1000)}")
    _, headers, _ = call(g, "/login", "POST", body=b"username=staff&password=pw")
    assert b"Secure" not in headers[b"set-cookie"] and b"HttpOnly" in headers[b"set-cookie"]


# -- 5. document text rendered as HTML -------------------------------------------------------------

EVIL_TITLE = '杭州市促进智能机器人产业高质量发展的实施意见<img src="/logout">'
EVIL_TEXT = '<form action="/x"><input type="password" name="p"></form>[请点此登录](http://evil.example/)'


@pytest.fixture(scope="module")
def evil_handlers(tmp_path_factory: pytest.TempPathFactory):
    """The seed library whose title carries an image tag and whose 第11条 a form and a link."""
    import shutil
    from pathlib import Path

    from assistant.answer.chain import Assistant
    from assistant.ops.feedback import FeedbackStore
    from ui.handlers import Handlers

    from .conftest import CORPUS, FakeEmbeddings

    root = tmp_path_factory.mktemp("evil")
    corpus = root / "corpus"
    shutil.copytree(CORPUS, corpus)
    meta_file = next(corpus.glob("*.meta.json"))
    meta = json.loads(meta_file.read_text(encoding="utf-8"))
    meta["title"] = EVIL_TITLE
    meta["issuer"] = '<b onclick="x">市经信局</b>'
    meta_file.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    text_file = Path(str(meta_file).replace(".meta.json", ".txt"))
    lines = text_file.read_text(encoding="utf-8").split("\n")
    lines = [ln.replace("带动手术机器人", EVIL_TEXT + "带动手术机器人") for ln in lines]
    text_file.write_text("\n".join(lines), encoding="utf-8")
    settings = load_settings().with_(corpus_dir=corpus, index_dir=root / "index", db_path=root / "fb.sqlite3")
    return Handlers(Assistant(settings, embeddings=FakeEmbeddings()), FeedbackStore(settings.db_path))


def _live_markup(text: str) -> list[str]:
    return [bad for bad in ("<img", "<form", "<input", "<b ", "](http") if bad in text]


def test_document_text_is_inert_wherever_it_is_rendered(evil_handlers) -> None:
    h = evil_handlers
    header = h.document_header()
    assert _live_markup(header) == [] and "&lt;img src=&quot;/logout&quot;&gt;" in header
    assert _live_markup(h.document_markdown()) == []
    article = h.article_text(11)
    assert _live_markup(article) == [] and "&#91;请点此登录&#93;(http&#58;//evil.example/)" in article
    history, *_ = h.chat("手术机器人有政策支持吗?", [], "s1", [])
    reply = history[-1]["content"]
    assert "第11条" in reply and _live_markup(reply) == []
    assert "<details>" in reply  # the assistant's own fold still works


# -- 6. decompression bombs ---------------------------------------------------------------------

def test_docx_bomb_is_refused_from_its_directory(tmp_path, monkeypatch) -> None:
    import zipfile

    from assistant.ingest import sources as ingest
    from assistant.errors import ParseError

    monkeypatch.setattr(ingest, "MAX_DOCX_XML_BYTES", 2 * 2**20)
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document>" + " " * (3 * 2**20) + "</w:document>")
    assert path.stat().st_size < 50_000
    with pytest.raises(ParseError, match=r"bomb.docx: the .docx inflates to 3 MB \(3 MB of XML\)"):
        ingest.read_source(path)


def _pdf_with_stream(payload: bytes) -> bytes:
    import zlib

    data = zlib.compress(payload, 9)
    return (b"%PDF-1.4\n1 0 obj << /Length " + str(len(data)).encode() + b" /Filter /FlateDecode >>\nstream\n"
            + data + b"\nendstream\nendobj\ntrailer << >>\n%%EOF\n")


def test_pdf_stream_bomb_is_refused_before_reading(tmp_path, monkeypatch) -> None:
    from assistant.ingest import sources as ingest
    from assistant.errors import ParseError

    monkeypatch.setattr(ingest, "MAX_PDF_INFLATED", 4 * 2**20)
    path = tmp_path / "bomb.pdf"
    path.write_bytes(_pdf_with_stream(b"0" * (5 * 2**20)))

    def never(*_a: Any) -> Any:
        raise AssertionError("the PDF must not be parsed")

    monkeypatch.setattr(ingest, "_pdf_pages_pdfplumber", never)
    with pytest.raises(ParseError, match="streams inflate to more than 4 MB"):
        ingest.read_source(path)
    ingest.check_pdf_streams(_pdf_with_stream(b"0" * (3 * 2**20)), "ok.pdf")  # under the cap: fine


# -- 9. HTML in linear time -----------------------------------------------------------------------

def test_nested_unclosed_html_is_read_without_quadratic_tree_edits(tmp_path, monkeypatch) -> None:
    """Inserting line breaks into a deep tree walked the subtree per element (172 KB: 22.6 s)."""
    from bs4.element import PageElement

    from assistant.ingest.sources import read_source

    def refuse(*_a: Any, **_k: Any) -> None:
        raise AssertionError("no tree edits per element")

    monkeypatch.setattr(PageElement, "insert_after", refuse)
    monkeypatch.setattr(PageElement, "insert_before", refuse)
    path = tmp_path / "deep.html"
    path.write_text("<html><body><div id='zoom'>" + "".join(f"<p>{i}、第{i}项措施内容。" for i in range(1, 400))
                    + "</div></body></html>", encoding="utf-8")
    lines = read_source(path).lines
    assert lines[:2] == ["1、第1项措施内容。", "2、第2项措施内容。"] and len(lines) == 399


# -- 14, 19. files that are not files, sizes, encodings --------------------------------------------

def test_fifo_and_device_symlinks_are_refused_with_exit_2(tmp_path, monkeypatch) -> None:
    import os

    from click.testing import CliRunner

    from assistant.cli import cli

    monkeypatch.setenv("POLICY_CORPUS_DIR", str(tmp_path))
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.txt"
    zero.symlink_to("/dev/zero")
    for path, kind in ((fifo, "a FIFO"), (zero, "a device")):
        res = CliRunner().invoke(cli, ["add", str(path), "--no-index"])
        assert res.exit_code == 2 and f"not a regular file ({kind})" in res.output
        assert res.exception is None or isinstance(res.exception, SystemExit)


def test_text_files_have_a_size_cap(tmp_path, monkeypatch) -> None:
    from assistant.ingest import sources as ingest
    from assistant.errors import ParseError

    monkeypatch.setitem(ingest.MAX_FILE_BYTES, "txt", 1000)
    path = tmp_path / "big.txt"
    path.write_text("第一条 " + "字" * 2000, encoding="utf-8")
    with pytest.raises(ParseError, match=r"big.txt: the file is too large \(0.0 MB; at most 0 MB"):
        ingest.read_source(path)


def test_utf16_with_a_bom_is_read_and_without_one_named(tmp_path) -> None:
    from assistant.errors import ParseError
    from assistant.ingest.sources import read_source

    text = "关于印发某办法的通知\n第一条 为了促进发展,制定本办法。\n第二条 本办法自发布之日起施行。"
    for encoding, bom in (("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")):
        path = tmp_path / f"u16-{encoding}.txt"
        path.write_bytes(bom + text.encode(encoding))
        assert read_source(path).text == text
    path = tmp_path / "nobom.txt"
    path.write_bytes("Article 1 ok\nArticle 2 fine".encode("utf-16-le"))
    with pytest.raises(ParseError, match="UTF-16 text without a byte-order mark"):
        read_source(path)


# -- 7, 11, 12, 13. the library ---------------------------------------------------------------------

SEED_STEM = "hangzhou-intelligent-robots-2024-draft"


def test_a_file_named_like_a_document_updates_it_keeping_its_id(corpus_copy, tmp_path) -> None:
    import shutil

    from assistant.ingest.corpus import Corpus
    from assistant.ingest.library import DocumentExistsError, add_document

    upload = tmp_path / "upload" / f"{SEED_STEM}.txt"
    upload.parent.mkdir()
    shutil.copy(corpus_copy / f"{SEED_STEM}.txt", upload)
    before = json.loads((corpus_copy / f"{SEED_STEM}.meta.json").read_text(encoding="utf-8"))
    with pytest.raises(DocumentExistsError, match="hz-robots-2024-draft"):
        add_document(corpus_copy, upload, replace=False)
    added = add_document(corpus_copy, upload, {"contact": "市经信局"})
    assert added.doc_id == "hz-robots-2024-draft" and added.replaced is True
    after = json.loads((corpus_copy / f"{SEED_STEM}.meta.json").read_text(encoding="utf-8"))
    assert after["doc_id"] == before["doc_id"] and after["short_title"] == before["short_title"]
    assert after["aliases"] == before["aliases"] and after["contact"] == "市经信局"
    assert [d.doc_id for d in Corpus.load(corpus_copy).documents] == ["hz-robots-2024-draft"]


def test_supersedes_must_name_another_document_of_the_library(corpus_copy) -> None:
    from assistant.errors import CorpusError
    from assistant.ingest.library import add_document

    from .test_library import LIBRARY

    final = LIBRARY / "hz-robots-2025-final.txt"
    with pytest.raises(CorpusError, match="supersedes names the document itself"):
        add_document(corpus_copy, final, {"supersedes": ["hz-robots-2025-final"]})
    with pytest.raises(CorpusError, match="supersedes names 'no-such-doc', which is not in the library"):
        add_document(corpus_copy, final, {"supersedes": ["no-such-doc"]})
    added = add_document(corpus_copy, final, {"supersedes": ["hz-robots-2024-draft"]})
    assert added.meta.supersedes == ["hz-robots-2024-draft"]


def test_meta_consultation_dates_and_status_names(corpus_copy) -> None:
    from assistant.ingest.library import add_document, parse_meta_options

    from .test_library import LIBRARY

    options = parse_meta_options(["consultation_start=2025-01-02", "consultation_end=2025-02-01",
                                  "status=施行"])
    assert options == {"consultation": {"start": "2025-01-02", "end": "2025-02-01"}, "status": "施行"}
    added = add_document(corpus_copy, LIBRARY / "qt-robots-2025-measures.txt", options)
    assert added.meta.status == "正式" and str(added.meta.consultation.end) == "2025-02-01"


def test_articles_beyond_999_are_warned_about(corpus_copy, tmp_path) -> None:
    from click.testing import CliRunner

    from assistant.cli import cli

    path = tmp_path / "long-measures.txt"
    path.write_text("某区促进产业发展的若干措施\n" + "\n".join(f"第{i}条 措施内容{i}。" for i in range(1, 1004)),
                    encoding="utf-8")
    res = CliRunner().invoke(cli, ["add", str(path), "--no-index"], env={"POLICY_CORPUS_DIR": str(corpus_copy)})
    assert res.exit_code == 0
    assert "warning: 4 article markers beyond 第999条 are not recognised" in res.stderr


# -- 8. damaged vectors ---------------------------------------------------------------------------

def test_empty_vectors_file_is_damage_and_rebuilt(tmp_path, fake_embeddings) -> None:
    from assistant.index.policy_index import VECTORS_FILE, open_index

    from .conftest import CORPUS

    settings = load_settings().with_(corpus_dir=CORPUS, index_dir=tmp_path / "index")
    first = open_index(settings, fake_embeddings)
    (tmp_path / "index" / VECTORS_FILE).write_bytes(b"")  # a power loss after the replace
    again = open_index(settings, fake_embeddings)
    assert again.vectors.shape == first.vectors.shape and again.vectors.shape[0] > 0
    assert (tmp_path / "index" / VECTORS_FILE).stat().st_size > 1000


# -- 9, 17, 19. uploads ---------------------------------------------------------------------------

@pytest.fixture
def library_handlers(corpus_copy, tmp_path):
    from assistant.answer.chain import Assistant
    from assistant.ops.feedback import FeedbackStore
    from ui.handlers import Handlers

    from .conftest import FakeEmbeddings

    settings = load_settings().with_(corpus_dir=corpus_copy, index_dir=tmp_path / "index",
                                     db_path=tmp_path / "fb.sqlite3")
    a = Assistant(settings, embeddings=FakeEmbeddings())
    a.index  # noqa: B018
    return Handlers(a, FeedbackStore(settings.db_path))


def test_upload_returns_at_once_and_indexes_in_the_background(library_handlers) -> None:
    import threading

    from .test_library import LIBRARY

    h = library_handlers
    release = threading.Event()
    real_reload = h.assistant.reload

    def slow_reload(progress=None) -> None:
        release.wait(30)
        real_reload(progress)

    h.assistant.reload = slow_reload
    done: list[str] = []
    caller = threading.Thread(target=lambda: done.append(h.upload(str(LIBRARY / "qt-robots-2025-measures.txt"))))
    caller.start()
    caller.join(5)
    try:
        assert done and "正在建立索引" in done[0] and "qt-robots-2025-measures" in done[0]
        assert "等待建立索引" in h.upload_status()
        assert h.ask("手术机器人有政策支持吗?")["found"] is True  # still answering meanwhile
    finally:
        release.set()
    assert h.wait_for_index(60) and h.upload_status() == "✅ 索引已更新,新文件可以回答了。"
    assert "qt-robots-2025-measures" in {d.doc_id for d in h.assistant.corpus.documents}


def test_upload_asks_before_replacing_and_shows_no_server_paths(library_handlers, tmp_path) -> None:
    import shutil

    h = library_handlers
    upload = tmp_path / "up" / f"{SEED_STEM}.txt"
    upload.parent.mkdir()
    shutil.copy(h.assistant.settings.corpus_dir / f"{SEED_STEM}.txt", upload)
    message = h.upload(str(upload))
    assert message.startswith("提示:文件库已有《杭州市促进智能机器人产业高质量发展的实施意见(征求意见稿)》(hz-robots-2024-draft)")
    bad = tmp_path / "up" / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00")
    message = h.upload(str(bad))
    assert "bad.txt" in message and str(tmp_path) not in message and "/" not in message


def test_api_upload_only_from_the_upload_folder(library_handlers, tmp_path) -> None:
    from .test_library import LIBRARY

    h = library_handlers
    h.upload_root = tmp_path / "gradio"
    assert h.upload({"path": str(LIBRARY / "qt-robots-2025-measures.txt")}) == "提示:只能加入通过本页面上传的文件。"
    assert h.upload(str(tmp_path / "gradio" / ".." / "x.txt")) == "提示:只能加入通过本页面上传的文件。"


# -- 10. disk growth from public requests -----------------------------------------------------------

def test_reports_are_cleaned_up(library_handlers, monkeypatch) -> None:
    import ui.downloads as downloads_module

    monkeypatch.setattr(downloads_module, "MAX_REPORTS", 1)
    h = library_handlers
    for _ in range(4):
        text, md, _pdf = h.match_form("杭州市滨江区", "我们是杭州的人形机器人整机企业,首台套对非关联方卖了3000万元")
        assert md is not None and "首台套" in text
    assert len(list(h.downloads.folder.iterdir())) <= 3
    h.downloads.prune(now=__import__("time").time() + downloads_module.REPORT_SECONDS + 1)
    assert list(h.downloads.folder.iterdir()) == []


def test_ratings_are_limited_per_answer(library_handlers) -> None:
    from assistant.ops.feedback import MAX_RATINGS_PER_ANSWER

    h = library_handlers
    out = h.ask("手术机器人有政策支持吗?")
    results = [h.rate_answer(out["answer_id"], out["answer_token"], True, "x" * 2000)
               for _ in range(MAX_RATINGS_PER_ANSWER + 2)]
    assert [ok for ok, _ in results] == [True] * MAX_RATINGS_PER_ANSWER + [False, False]
    assert results[-1][1] == f"反馈未保存:this answer has already been rated {MAX_RATINGS_PER_ANSWER} times"


def test_server_start_serves_the_indexed_part_and_embeds_the_rest_in_the_background(corpus_copy, tmp_path) -> None:
    """A document added but not embedded (a crash mid-upload): the next start answers at once
    from what the index holds and embeds the new document in the background."""
    from assistant.answer.chain import Assistant
    from assistant.index.policy_index import is_stale, ready_corpus
    from assistant.ingest.library import add_document
    from ui.launch import make_handlers

    from .conftest import FakeEmbeddings
    from .test_library import LIBRARY

    settings = load_settings().with_(corpus_dir=corpus_copy, index_dir=tmp_path / "index", db_path=tmp_path / "fb.sqlite3")
    Assistant(settings, embeddings=FakeEmbeddings()).index  # noqa: B018 - the index of the seed
    add_document(corpus_copy, LIBRARY / "qt-robots-2025-measures.txt")  # then the crash
    part = ready_corpus(settings, FakeEmbeddings())
    assert part is not None and [d.doc_id for d in part.documents] == ["hz-robots-2024-draft"]

    import threading

    embedded = []
    gate = threading.Event()

    class Gated(FakeEmbeddings):
        def embed_documents(self, texts):  # noqa: ANN001, ANN201
            gate.wait(60)  # embedding the new document takes "minutes"
            embedded.append(len(texts))
            return super().embed_documents(texts)

    import ui.launch as app_module

    real = app_module.Assistant
    app_module.Assistant = lambda s, progress=None: real(s, embeddings=Gated(), progress=progress)
    started: list = []
    try:
        starter = threading.Thread(target=lambda: started.append(make_handlers(settings)))
        starter.start()
        starter.join(20)
    finally:
        app_module.Assistant = real
    try:
        assert started, "the server waited for the embedding before serving"
        h = started[0]
        assert h.ask("手术机器人有政策支持吗?")["found"] is True
        assert "qt-robots-2025-measures" not in {d.doc_id for d in h.assistant.corpus.documents}
    finally:
        gate.set()
    assert h.wait_for_index(120) and h.upload_status() == "✅ 索引已更新,新文件可以回答了。"
    assert "qt-robots-2025-measures" in {d.doc_id for d in h.assistant.corpus.documents}
    assert sum(embedded) > 0 and not is_stale(settings, FakeEmbeddings())
