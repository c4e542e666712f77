"""The web server: one FastAPI app with a lean JSON API beside the Gradio app, behind one ASGI layer
that sets security headers, limits each client's rate, refuses uploads when they are off, and —
when POLICY_UI_AUTH is set — requires a login (throttled, expiring, hashed passwords allowed).

JSON API (no Gradio state, no queue): `POST /api/ask`, `POST /api/rate`, `POST /api/match`,
`GET /api/docs`, `GET /api/health`. The Gradio endpoints (`/ask`, `/rate`, `/lookup`, …) stay.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import logging
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Awaitable, Callable, Mapping
from urllib.parse import parse_qs

from fastapi import Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from assistant.config import Settings
from assistant.lang.text import loads

from .security import Credentials, LoginThrottle, RateLimiter, SessionSigner

log = logging.getLogger("policy-assistant.server")

COOKIE = "pa_session"
STAFF_PATHS = ("/staff", "/gradio_api/call/unanswered", "/gradio_api/run/unanswered",
               "/gradio_api/api/unanswered", "/gradio_api/call/v2/unanswered")
"""The staff area outside Gradio's page: without a login, 401 (API) or a redirect to /login. The
public tabs stay open to everyone; the staff tabs' handlers check the login themselves."""
UPLOAD_PATHS = ("/gradio_api/upload", "/upload")
GRADIO_NAMED = re.compile(r"^/gradio_api/(?:api|run|call|call/v2)/([^/]*)/?$")
"""Gradio's routes that call an endpoint by its API name (only public endpoints may be called)."""
GRADIO_POSTS = ("/gradio_api/queue/join", "/gradio_api/cancel", "/gradio_api/reset",
                "/gradio_api/upload", "/gradio_api/component_server")
"""The other Gradio POST routes the web page uses; every other Gradio POST is refused."""
MAX_HEADER_BYTES = 16 * 1024
"""All request headers together (names and values); more is refused with 431 before any parsing."""
MAX_COOKIE_BYTES = 8 * 1024
"""The Cookie header(s) of one request."""
MAX_COOKIE_PAIR = 4096
_COOKIE_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,256}")
_COOKIE_VALUE = re.compile(r'[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*|"[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*"')
"""RFC 6265 cookie-name and cookie-value: no backslash, no quote inside, no space, comma or
semicolon. Anything else is dropped before any cookie parser (ours, Starlette's, Gradio's) sees it:
Python's `http.cookies` unquotes backslashes in quadratic time before 3.11.10 (CVE-2024-7592)."""
MAX_BODY = 64 * 1024
"""JSON API bodies larger than this are refused (a question is at most 2,000 characters)."""
MAX_UPLOAD = 20 * 1024 * 1024
CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
       "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
       "connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'")
"""Only this server: no CDN, no other origin, no framing (Gradio needs inline scripts)."""
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]
@dataclass(frozen=True)
class Endpoint:
    """A callable Gradio endpoint: how many inputs it takes, and its named parameters
    (name, has a default) as `/gradio_api/call/v2/<name>` takes them."""

    inputs: int
    params: tuple[tuple[str, bool], ...] = ()


ASGIApp = Callable[[dict, Callable[[], Awaitable[dict]], Callable[[dict], Awaitable[None]]], Awaitable[None]]

LOGIN_PAGE = """<!doctype html><html lang="zh"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>政策助手 登录</title>
<style>body{{font-family:system-ui,"PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei",sans-serif;
max-width:360px;margin:12vh auto;padding:0 16px}}input,button{{width:100%;padding:8px;margin:6px 0;
box-sizing:border-box}}.err{{color:#b42318}}</style></head><body><h2>政策助手(内部)请登录</h2>
<p class="err">{message}</p><form method="post" action="/login">
<input name="username" placeholder="用户名" autocomplete="username" required>
<input name="password" type="password" placeholder="密码" autocomplete="current-password" required>
<button type="submit">登录</button></form><p><a href="/">返回政策助手(无需登录)</a></p></body></html>"""


LOGGED_IN = ('<!doctype html><html lang="zh"><head><meta charset="utf-8">'
             '<meta http-equiv="refresh" content="0;url=/"></head><body><a href="/">已登录,进入政策助手</a>'
             '</body></html>')


def trusted_networks(value: str) -> tuple[Any, ...]:
    """`ui_trusted_proxies` (comma-separated addresses or networks) as ip networks."""
    from assistant.errors import ConfigError

    out = []
    for part in (p.strip() for p in (value or "").split(",")):
        if not part:
            continue
        try:
            out.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            raise ConfigError(f"ui_trusted_proxies: {part!r} is not an IP address or network") from None
    return tuple(out)


def _in(address: str, networks: tuple[Any, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in networks)


def client_address(scope: dict, trusted: tuple[Any, ...] = ()) -> str:
    """The client a request comes from: the connection's peer; only when that peer is a trusted
    proxy, the last address of X-Forwarded-For that is not itself a trusted proxy."""
    client = scope.get("client") or ("unknown", 0)
    address = str(client[0])
    if not trusted or not _in(address, trusted):
        return address
    forwarded = ",".join(v.decode("latin-1") for k, v in scope.get("headers", [])
                         if k == b"x-forwarded-for")
    for hop in reversed([h.strip() for h in forwarded.split(",") if h.strip()][-16:]):
        if not _in(hop, trusted):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return address
    return address


def clean_cookie_header(value: bytes) -> bytes:
    """The well-formed `name=value` pairs of a Cookie header (RFC 6265), in one linear pass;
    oversized pairs and values with backslashes, inner quotes or odd characters are dropped."""
    kept = []
    for pair in value.split(b";"):
        pair = pair.strip()
        if not pair or len(pair) > MAX_COOKIE_PAIR:
            continue
        name, sep, val = pair.decode("latin-1").partition("=")
        if sep and _COOKIE_NAME.fullmatch(name.strip()) and _COOKIE_VALUE.fullmatch(val.strip()):
            kept.append(f"{name.strip()}={val.strip()}")
    return "; ".join(kept).encode("latin-1")


def _cookie(scope: dict, name: str) -> str | None:
    """One cookie's value, read linearly (no `http.cookies`)."""
    for key, value in scope.get("headers", []):
        if key != b"cookie" or len(value) > MAX_COOKIE_BYTES:
            continue
        for pair in value.decode("latin-1").split(";"):
            key_text, sep, val = pair.strip().partition("=")
            if sep and key_text.strip() == name:
                val = val.strip()
                if len(val) >= 2 and val[0] == val[-1] == '"':
                    val = val[1:-1]
                return val
    return None


def _safe_headers(scope: dict) -> tuple[int, str] | list[tuple[bytes, bytes]]:
    """The request's headers with the Cookie header cleaned, or (status, message) when they are
    too large to serve."""
    headers = scope.get("headers", [])
    total = sum(len(k) + len(v) for k, v in headers)
    if total > MAX_HEADER_BYTES:
        return 431, "请求头过大。"
    cookies = [v for k, v in headers if k == b"cookie"]
    if not cookies:
        return list(headers)
    if sum(len(v) for v in cookies) > MAX_COOKIE_BYTES:
        return 431, "Cookie 过大,请清除本站的 Cookie 后重试。"
    joined = clean_cookie_header(b"; ".join(cookies))
    out = [(k, v) for k, v in headers if k != b"cookie"]
    return out + ([(b"cookie", joined)] if joined else [])


def _header(scope: dict, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return ""


async def _send_json(send: Callable, status: int, payload: dict, extra: list | None = None) -> None:
    body = json.dumps(payload, ensure_ascii=False).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json; charset=utf-8"),
                            (b"content-length", str(len(body)).encode())] + SECURITY_HEADERS + (extra or [])})
    await send({"type": "http.response.body", "body": body})


async def _send_html(send: Callable, status: int, text: str, extra: list | None = None) -> None:
    body = text.encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/html; charset=utf-8"),
                            (b"content-length", str(len(body)).encode()),
                            (b"cache-control", b"no-store")] + SECURITY_HEADERS + (extra or [])})
    await send({"type": "http.response.body", "body": body})


async def _read_body(receive: Callable, limit: int) -> bytes | None:
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return None
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body"):
            return b"".join(chunks)


def _fn_index(body: bytes) -> int | None:
    """The Gradio event a queue/join body runs (its `fn_index`), None when it names none."""
    try:
        data = loads(body or b"{}")
    except ValueError:
        return None
    index = data.get("fn_index") if isinstance(data, dict) else None
    return index if isinstance(index, int) else None


PAGE_EVENTS_PER_QUESTION = 10
"""The budget of the page's own events (load, change, chained steps) per question of the budget: a
page load runs about six, a question two or three."""
PAGE_TRIGGERS = ("load", "change", "then")
"""The triggers of the events a page runs by itself."""


def _replay(body: bytes) -> Callable[[], Awaitable[dict]]:
    """A `receive` that hands an already read body on (then waits like a live connection)."""
    sent = False

    async def receive() -> dict:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.Event().wait()
        return {"type": "http.disconnect"}

    return receive


LOGOUT_PAGE = """<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>退出登录</title></head>
<body><form method="post" action="/logout"><button type="submit">退出登录</button></form></body></html>"""


class Guard:
    """The ASGI layer in front of everything (pure ASGI, so Gradio's event streams pass through)."""

    def __init__(self, app: ASGIApp, settings: Settings, uploads: bool,
                 endpoints: Mapping[str, "Endpoint | int"] | None = None,
                 page_events: frozenset[int] = frozenset()) -> None:
        self.app = app
        self.page_events = page_events
        """Gradio event ids the page runs by itself (on load, on a value's change, after an event
        already counted): counted against `page_limiter`, never against the questions' budget."""
        self.page_limiter = RateLimiter(settings.ui_rate_per_minute * PAGE_EVENTS_PER_QUESTION)
        self.endpoints = None if endpoints is None else {
            k: v if isinstance(v, Endpoint) else Endpoint(int(v)) for k, v in endpoints.items()}
        """Gradio API name → number of inputs (None: calls are passed on unchecked)."""
        self.credentials = Credentials.parse(settings.ui_auth)
        self.signer = SessionSigner(lifetime=settings.ui_session_minutes * 60)
        self.throttle = LoginThrottle()
        self.limiter = RateLimiter(settings.ui_rate_per_minute)
        self.uploads = uploads and self.credentials is not None
        self.trusted = trusted_networks(settings.ui_trusted_proxies)
        self.secure_cookie = settings.ui_secure_cookie

    def user(self, scope: dict) -> str | None:
        """The logged-in user of a request (None without a valid session)."""
        return self.signer.user(_cookie(scope, COOKIE))

    def _cookie_flags(self) -> str:
        return "; Path=/; HttpOnly; SameSite=Strict" + ("; Secure" if self.secure_cookie else "")

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = _safe_headers(scope)
        if isinstance(headers, tuple):
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1009})
            else:
                await _send_json(send, headers[0], {"error": headers[1]})
            return
        scope = dict(scope, headers=headers)
        path = scope.get("path", "")
        method = scope.get("method")
        address = client_address(scope, self.trusted)
        scope["client"] = (address, (scope.get("client") or ("", 0))[1])
        origin = _header(scope, b"origin")
        foreign = bool(origin) and origin.rstrip("/") not in self._own_origins(scope)
        if scope["type"] == "http" and method == "OPTIONS" and foreign:
            await _send_json(send, 403, {"error": "不接受其他网站的跨域请求。"})
            return
        admitted = await self._admit(scope, path, address, receive, send)
        if admitted is None:
            return
        receive = admitted
        if path.startswith(UPLOAD_PATHS):
            if not self.uploads or (self.credentials and self.user(scope) is None):
                await _send_json(send, 403, {"error": "上传未开放。"})
                return
            length = _header(scope, b"content-length")
            if length.isdigit() and int(length) > MAX_UPLOAD:
                await _send_json(send, 413, {"error": "文件过大(最大 20 MB)。"})
                return
        if self.credentials is not None:
            if path in ("/login", "/login/"):
                await self._login(scope, receive, send)
                return
            if path in ("/logout", "/logout/"):
                if method != "POST":
                    # A GET (an <img src="/logout"> in a page) logs nobody out.
                    await _send_html(send, 405, LOGOUT_PAGE, [(b"allow", b"POST")])
                    return
                self.signer.revoke(_cookie(scope, COOKIE))
                # The conversation is kept in the browser's storage (a hotline's shared PC): leaving
                # the staff session clears it, so the next person does not see the caller's question.
                await _send_html(send, 303, "", [(b"location", b"/"),
                                                 (b"set-cookie", f"{COOKIE}=; Max-Age=0{self._cookie_flags()}".encode()),
                                                 (b"clear-site-data", b'"storage"')])
                return
            if path.startswith(STAFF_PATHS):
                if self.user(scope) is None:
                    if path.startswith("/gradio_api/") or method != "GET":
                        await _send_json(send, 401, {"error": "请先登录。"})
                    else:
                        await _send_html(send, 303, "", [(b"location", b"/login")])
                    return
                if not path.startswith("/gradio_api/"):
                    await _send_html(send, 303, "", [(b"location", b"/")])
                    return

        if scope["type"] == "http" and method == "POST" and path.startswith("/gradio_api/"):
            named = GRADIO_NAMED.match(path)
            if named is None and not path.startswith(GRADIO_POSTS):
                await _send_json(send, 404, {"error": "没有这个接口。"})
                return
            if named is not None and self.endpoints is not None:
                body = await self._checked_call(named.group(1), receive, send, "/call/v2/" in path)
                if body is None:
                    return
                receive = _replay(body)

        started: dict[str, bool] = {}

        async def with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                status = int(message.get("status", 200))
                if status >= 500 and path.startswith("/gradio_api/"):
                    # Gradio answers bad input with a bare 500: the caller gets a 400 with a message.
                    started["replaced"] = True
                    await _send_json(send, 400, {"error": "请求无法处理:请检查接口名称和输入。"})
                    return
                kept = [(k, v) for k, v in message.get("headers", [])
                        if not (foreign and k.lower().startswith(b"access-control-"))]
                present = {k.lower() for k, _ in kept}
                message = dict(message, headers=kept + [h for h in SECURITY_HEADERS if h[0] not in present])
            elif started.get("replaced"):
                return
            await send(message)

        await self.app(scope, receive, with_headers)

    async def _admit(self, scope: dict, path: str, address: str, receive: Callable,
                     send: Callable) -> Callable | None:
        """A request within its client's budget: the `receive` to go on with (a body read again when
        it had to be read), else None after a 429 (or 413). Only POSTs count; the page's own events
        (reloading it runs its load events) against `page_limiter`, everything else against
        `limiter`."""
        if scope["type"] != "http" or scope.get("method") != "POST":
            return receive
        limiter = self.limiter
        if self.page_events and path.startswith("/gradio_api/queue/join"):
            body = await _read_body(receive, MAX_BODY)
            if body is None:
                await _send_json(send, 413, {"error": "请求过大。"})
                return None
            receive = _replay(body)
            if _fn_index(body) in self.page_events:
                limiter = self.page_limiter
        if not limiter.allow(address):
            await _send_json(send, 429, {"error": "提问太频繁,请稍后再试(每分钟次数有限)。"},
                             [(b"retry-after", b"20")])
            return None
        return receive

    @staticmethod
    def _own_origins(scope: dict) -> set[str]:
        host = _header(scope, b"host")
        return {f"http://{host}", f"https://{host}"} if host else set()

    async def _checked_call(self, name: str, receive: Callable, send: Callable,
                            named_args: bool = False) -> bytes | None:
        """The body of a Gradio API call when it names a public endpoint and gives all its
        inputs; otherwise None after a 404/400/413 with a message (Gradio itself would answer 500
        or an error event without one, and would run private endpoints too)."""
        assert self.endpoints is not None
        if name not in self.endpoints:
            await _send_json(send, 404, {"error": f"没有名为 {name[:40]} 的接口。",
                                         "endpoints": sorted(self.endpoints)})
            return None
        body = await _read_body(receive, MAX_BODY)
        if body is None:
            await _send_json(send, 413, {"error": "请求过大。"})
            return None
        try:
            data = loads(body or b"{}")
        except ValueError:
            data = None
        endpoint = self.endpoints[name]
        if named_args:
            # /call/v2/<name> takes the parameters by name: {"question": "…", "session_id": "…"}
            names = [p for p, _ in endpoint.params]
            if not isinstance(data, dict):
                await _send_json(send, 400, {"error": f"请求体必须是 JSON 对象,按名称给出参数:{', '.join(names)}。"})
                return None
            unknown = [k for k in data if k not in names]
            missing = [p for p, has_default in endpoint.params if not has_default and p not in data]
            if unknown or missing:
                what = f"未知参数 {unknown[0][:40]}" if unknown else f"缺少参数 {missing[0]}"
                await _send_json(send, 400, {"error": f"接口 {name}:{what}(参数:{', '.join(names) or '无'})。"})
                return None
            return body
        values = data.get("data") if isinstance(data, dict) else None
        if not isinstance(values, list):
            await _send_json(send, 400, {"error": '请求体必须是 JSON 对象 {"data": [...]}。'})
            return None
        if len(values) < endpoint.inputs:
            await _send_json(send, 400, {"error": f"接口 {name} 需要 {endpoint.inputs} 个输入,"
                                                  f"收到 {len(values)} 个。"})
            return None
        return body

    async def _login(self, scope: dict, receive: Callable, send: Callable) -> None:
        address = client_address(scope)  # already the proxy-resolved address (see __call__)
        wait = self.throttle.locked_for(address)
        if wait > 0:
            await _send_html(send, 429, LOGIN_PAGE.format(
                message=f"尝试次数过多,请 {int(wait // 60) + 1} 分钟后再试。"))
            return
        if scope.get("method") != "POST":
            await _send_html(send, 200, LOGIN_PAGE.format(message=""))
            return
        body = await _read_body(receive, 4096)
        form = parse_qs(body.decode("utf-8", "replace")) if body is not None else {}
        user = (form.get("username") or [""])[0][:256]
        password = (form.get("password") or [""])[0]
        wait = self.throttle.locked_for(address, user=user)
        if wait > 0:
            await _send_html(send, 429, LOGIN_PAGE.format(
                message=f"该用户尝试次数过多,请 {int(wait // 60) + 1} 分钟后再试。"))
            return
        assert self.credentials is not None
        if self.credentials.check(user, password):
            self.throttle.succeeded(address, user)
            token = self.signer.issue(user)
            cookie = f"{COOKIE}={token}{self._cookie_flags()}; Max-Age={int(self.signer.lifetime)}"
            # 200 (not a redirect) so API clients such as gradio_client see a success.
            await _send_html(send, 200, LOGGED_IN, [(b"set-cookie", cookie.encode())])
            return
        delay = self.throttle.failed(address, user=user)
        await asyncio.sleep(delay)
        await _send_html(send, 401, LOGIN_PAGE.format(message="用户名或密码错误。"))


def json_api(app: Any, handlers: Any) -> None:
    """The lean JSON routes (computed in a thread pool; no Gradio session state)."""
    async def body_of(request: Request) -> dict | JSONResponse:
        raw = await request.body()
        if len(raw) > MAX_BODY:
            return JSONResponse({"error": "请求过大。"}, status_code=413)
        try:
            data = loads(raw or b"{}")
        except ValueError:
            return JSONResponse({"error": "请求体必须是 JSON 对象。"}, status_code=400)
        if not isinstance(data, dict):
            return JSONResponse({"error": "请求体必须是 JSON 对象。"}, status_code=400)
        return data

    @app.post("/api/ask")
    async def api_ask(request: Request) -> Any:
        data = await body_of(request)
        if isinstance(data, JSONResponse):
            return data
        result = await run_in_threadpool(handlers.ask, data.get("question"), data.get("session_id") or "",
                                         "api")
        return JSONResponse(result, status_code=400 if "error" in result and "answer" not in result else 200)

    @app.post("/api/rate")
    async def api_rate(request: Request) -> Any:
        data = await body_of(request)
        if isinstance(data, JSONResponse):
            return data
        ok, message = await run_in_threadpool(handlers.rate_answer, data.get("answer_id"),
                                              data.get("token"), data.get("liked"),
                                              data.get("comment") or "")
        return JSONResponse({"ok": ok, "message": message}, status_code=200 if ok else 400)

    @app.post("/api/match")
    async def api_match(request: Request) -> Any:
        data = await body_of(request)
        if isinstance(data, JSONResponse):
            return data
        result = await run_in_threadpool(handlers.match_json, data)
        return JSONResponse(result, status_code=400 if "error" in result else 200)

    @app.get("/api/docs")
    async def api_docs() -> Any:
        return JSONResponse(await run_in_threadpool(handlers.documents_json))

    @app.get("/api/library")
    async def api_library() -> Any:
        """The loaded library's version (the page polls it to follow uploads and `add`)."""
        version = await run_in_threadpool(handlers.library_version)
        return JSONResponse({"version": version}, headers={"cache-control": "no-store"})

    @app.get("/api/health")
    async def api_health() -> Any:
        return {"ok": True}


def create_app(handlers: Any, settings: Settings) -> Guard:
    """FastAPI with the JSON API, the Gradio app mounted at `/`, all behind the Guard."""
    import gradio as gr
    from fastapi import FastAPI

    from .app import CSS, HEAD, I18N, build_app, theme

    guard_box: dict[str, Guard] = {}
    staff = Credentials.parse(settings.ui_auth) is not None
    demo = build_app(handlers, staff=staff, uploads=settings.ui_uploads and staff)
    demo.queue(default_concurrency_limit=settings.ui_concurrency, max_size=256)
    demo.state_session_capacity = STATE_SESSIONS
    api = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    json_api(api, handlers)

    def staff_user(request: Any) -> str | None:
        """The logged-in staff user of a Gradio request (None for the public)."""
        guard = guard_box.get("guard")
        cookies = getattr(request, "cookies", None) or {}
        return guard.signer.user(cookies.get(COOKIE)) if guard is not None and staff else None

    handlers.staff_user = staff_user
    app = gr.mount_gradio_app(api, demo, path="/", show_error=False, footer_links=[], theme=theme(), css=CSS,
                              head=HEAD, i18n=I18N, max_file_size=MAX_UPLOAD if staff else 1,
                              enable_monitoring=False, ssr_mode=False)
    # The documented API: public endpoints, not the page's own load events (gr.State defaults).
    params = {name.lstrip("/"): tuple((p.get("parameter_name"), bool(p.get("parameter_has_default")))
                                      for p in info.get("parameters", []))
              for name, info in demo.get_api_info().get("named_endpoints", {}).items()}
    endpoints = {f.api_name: Endpoint(len(f.inputs), params.get(f.api_name, ())) for f in demo.fns.values()
                 if f.api_name and getattr(f, "api_visibility", "public") == "public"
                 and not (f.targets and all(t[1] == "load" for t in f.targets))}
    from gradio.utils import get_upload_folder

    handlers.upload_root = Path(get_upload_folder())  # uploads only from Gradio's own upload folder
    page_events = frozenset(i for i, f in demo.fns.items()
                            if f.targets and all(t[1] in PAGE_TRIGGERS for t in f.targets))
    guard = Guard(app, settings, uploads=settings.ui_uploads, endpoints=endpoints, page_events=page_events)
    guard_box["guard"] = guard
    if getattr(handlers, "shared", None) is not None:  # several instances: state in the database
        handlers.shared.start(guard, settings.library_poll_seconds)
    return guard


STATE_SESSIONS = 500
"""Gradio keeps per-session component state for at most this many sessions (default 10,000: the
memory that grew with REST traffic)."""


SHUTDOWN_GRACE = 3
"""Seconds a stopping server waits for open requests and event streams before closing them."""


@dataclass
class Server:
    """A running server (`close()` stops it)."""

    url: str
    uvicorn_server: Any
    thread: threading.Thread | None
    guard: Guard

    def close(self) -> None:
        self.uvicorn_server.should_exit = True
        if self.thread is not None:
            self.thread.join(timeout=10)


MALLOC_ARENAS = 2
"""glibc gives each thread that allocates its own malloc arena and keeps their freed memory: with
the server's thread pool that is RSS which grows with traffic and is never returned."""


def limit_malloc_arenas(arenas: int = MALLOC_ARENAS) -> bool:
    """Cap glibc's malloc arenas (M_ARENA_MAX) for this process; False where that is not glibc."""
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    if not name:
        return False
    try:
        return bool(ctypes.CDLL(name).mallopt(-8, arenas))  # -8: M_ARENA_MAX
    except (OSError, AttributeError):
        return False


def serve(handlers: Any, settings: Settings, host: str, port: int, block: bool = True) -> Server:
    """Run the app with uvicorn (in this thread when `block`, else in a background thread)."""
    import uvicorn

    limit_malloc_arenas()
    guard = create_app(handlers, settings)
    config = uvicorn.Config(guard, host=host, port=port, log_level="warning", access_log=False,
                            timeout_keep_alive=5, limit_concurrency=512, ws="none",
                            proxy_headers=False,  # the Guard decides whom to trust (ui_trusted_proxies)
                            timeout_graceful_shutdown=SHUTDOWN_GRACE)
    server = uvicorn.Server(config)
    url = f"http://{host}:{port}/"
    if block:
        server.run()
        return Server(url, server, None, guard)
    thread = threading.Thread(target=server.run, name="policy-assistant-web", daemon=True)
    thread.start()
    for _ in range(400):
        if server.started:
            break
        time.sleep(0.05)
    return Server(url, server, thread, guard)


__all__ = ["Guard", "Server", "create_app", "serve"]
