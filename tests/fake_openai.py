"""A small OpenAI-compatible chat server for tests (real HTTP on loopback, streaming included).

The `model` field scripts the behaviour: good, invent, wrong-cite, slow, error, garbage, parrot.
"""

from __future__ import annotations

import json
import re
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def _good_answer(user: str) -> str:
    heads = re.findall(r"\[第(\d+)条\][^\n]*\n([^\n]+)", user)
    if not heads:
        return "未找到条文。"
    number, text = heads[0]
    first = re.split(r"(?<=。)", text)[0]
    answer = f"根据第{number}条:{first}"
    calc = re.search(r"可获金额:([^(*]+)", user)
    if calc:
        answer = f"可获{calc.group(1)}。" + answer
    return answer


def _rewrite(user: str) -> str:
    follow = re.search(r"<follow_up>(.*?)</follow_up>", user, re.S)
    text = follow.group(1) if follow else ""
    topic = re.sub(r"^(那么|那|如果是|如果|要是)", "", text)
    topic = re.sub(r"呢?[?？]?$", "", topic)
    return f"{topic}有什么政策支持?"


def script(model: str, messages: list[dict[str, Any]]) -> str:
    system = messages[0]["content"] if messages else ""
    user = messages[-1]["content"] if messages else ""
    if "改写" in system:
        return _rewrite(user)
    if model == "good":
        return _good_answer(user)
    if model == "invent":
        return _good_answer(user) + "另外还可获得额外奖励888万元。"
    if model == "wrong-cite":
        cited = {int(n) for n in re.findall(r"\[第(\d+)条\]", user)}
        other = next(n for n in range(1, 19) if n not in cited)
        return f"根据第{other}条,可以获得支持。"
    if model == "parrot":
        q = re.search(r"<question>\n(.*?)\n</question>", user, re.S)
        return q.group(1) if q else user
    return "好的。"


class _QuietServer(ThreadingHTTPServer):
    """Clients that time out on purpose hang up before a slow answer is written: that is not an
    error worth a traceback (printed from a server thread, it would land in whichever test is
    capturing stderr at the time)."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


class FakeOpenAI:
    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                return None

            def do_POST(self) -> None:  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                outer.requests.append(body)
                model = body.get("model", "good")
                if model == "slow":
                    time.sleep(3)
                if model == "error":
                    self._send(500, {"error": {"message": "internal error", "type": "server_error"}})
                    return
                if model == "garbage":
                    raw = b"<html>bad gateway</html>"
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(raw)))
                    self.end_headers()
                    self.wfile.write(raw)
                    return
                text = script(model, body.get("messages", []))
                if body.get("stream"):
                    self._stream(model, text)
                else:
                    self._send(200, {
                        "id": "chatcmpl-test", "object": "chat.completion", "created": int(time.time()),
                        "model": model,
                        "choices": [{"index": 0, "finish_reason": "stop",
                                     "message": {"role": "assistant", "content": text}}],
                        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}})

            def _send(self, code: int, payload: dict[str, Any]) -> None:
                raw = json.dumps(payload, ensure_ascii=False).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def _stream(self, model: str, text: str) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                pieces = [text[i:i + 6] for i in range(0, len(text), 6)] or [""]
                for piece in pieces + [None]:
                    chunk = {"id": "chatcmpl-test", "object": "chat.completion.chunk",
                             "created": int(time.time()), "model": model,
                             "choices": [{"index": 0, "delta": {"content": piece} if piece is not None else {},
                                          "finish_reason": None if piece is not None else "stop"}]}
                    self.wfile.write(f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode())
                    self.wfile.flush()
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()

        self.server = _QuietServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "FakeOpenAI":
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()
