"""Two instances of the app on one PostgreSQL and one Chroma server, as a hotline runs them behind
a proxy: a conversation alternating between them keeps its facts, a staff login made on one works
on the other and a logout on one ends it on the other, a lockout earned on one holds on the other,
a document added while they run is answered by both within 10 s (embedded once), and killing one
with SIGKILL under load loses no acknowledged answer or rating."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from assistant.ops.feedback import FeedbackStore

from .conftest import CORPUS, free_port

pytestmark = pytest.mark.slow

NEW_DOC = """杭州市低空起降场建设补助办法(试行)
一、新建低空飞行器起降场并投入运营的,按起降场建设投资给予补助,每个起降场最高不超过80万元。责任单位:市发改委
二、本办法自发布之日起施行。
"""
QUESTION = "新建低空飞行器起降场有什么补助?"


def _request(url: str, payload: dict | None = None, cookie: str = "", form: dict | None = None,
             timeout: float = 30) -> tuple[int, dict | str, dict]:
    data, headers = None, {}
    if payload is not None:
        data, headers["content-type"] = json.dumps(payload).encode(), "application/json"
    if form is not None:
        data = urllib.parse.urlencode(form).encode()
        headers["content-type"] = "application/x-www-form-urlencoded"
    if cookie:
        headers["cookie"] = cookie
    req = urllib.request.Request(url, data=data, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            status, body, head = resp.status, resp.read(), dict(resp.headers)
    except urllib.error.HTTPError as err:
        status, body, head = err.code, err.read(), dict(err.headers)
    text = body.decode("utf-8", "replace")
    try:
        return status, json.loads(text), head
    except ValueError:
        return status, text, head


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _staff(base: str, cookie: str) -> str:
    """Where the staff area sends this cookie: `/` (logged in) or `/login`."""
    req = urllib.request.Request(base + "staff", headers={"cookie": cookie} if cookie else {})
    try:
        urllib.request.build_opener(_NoRedirect).open(req, timeout=30)
    except urllib.error.HTTPError as err:
        assert err.code == 303, err.code
        return err.headers["location"]
    raise AssertionError("the staff area answered without a redirect")


def _wait(url: str, proc: subprocess.Popen | None = None, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"{url}: the process exited with {proc.returncode}")
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not come up within {seconds} s")


@pytest.fixture
def chroma_server(tmp_path: Path):  # noqa: ANN201 - the server's port
    chroma = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    if not Path(chroma).exists():
        pytest.skip("the chroma server command is not installed")
    port = free_port()
    proc = subprocess.Popen([chroma, "run", "--path", str(tmp_path / "chroma"), "--host", "127.0.0.1",
                             "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait(f"http://127.0.0.1:{port}/api/v2/heartbeat", proc, 60)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_two_instances_share_everything(tmp_path: Path, pg_url: str, chroma_server: int) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    env = {k: v for k, v in os.environ.items() if not k.startswith("POLICY_")}
    env.update(POLICY_DATABASE_URL=pg_url, POLICY_CORPUS_DIR=str(corpus), POLICY_CHROMA_HOST="127.0.0.1",
               POLICY_CHROMA_PORT=str(chroma_server), POLICY_UI_AUTH="staff:s3cret-pass",
               POLICY_UI_RATE_PER_MINUTE="100000", POLICY_LIBRARY_POLL_SECONDS="1")
    procs: dict[str, subprocess.Popen] = {}
    bases: dict[str, str] = {}
    logs = {}

    def start(name: str) -> None:
        port = free_port()
        logs[name] = open(tmp_path / f"{name}.log", "wb")
        procs[name] = subprocess.Popen(
            [sys.executable, "-m", "assistant", "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=dict(env, POLICY_INDEX_DIR=str(tmp_path / f"index-{name}")), stdout=logs[name],
            stderr=subprocess.STDOUT)
        bases[name] = f"http://127.0.0.1:{port}/"

    try:
        start("a")  # the first instance embeds the library into the Chroma server …
        _wait(bases["a"] + "api/health", procs["a"])
        start("b")  # … the second finds the vectors there
        _wait(bases["b"] + "api/health", procs["b"])
        a, b = bases["a"], bases["b"]
        assert json.loads((tmp_path / "index-b" / "manifest.json").read_text())["embedded"] == 0

        # A staff login made on one instance is valid on the other.
        status, _, head = _request(a + "login", form={"username": "staff", "password": "s3cret-pass"})
        assert status == 200
        cookie = head["set-cookie"].split(";")[0]
        assert _staff(b, "") == "/login"
        assert _staff(b, cookie) == "/"  # the staff area opens on the other instance

        # A conversation alternating between the instances keeps its facts.
        _, first, _ = _request(a + "api/ask", {"question": "人形机器人首台套销售额3000万元,不是卖给关联方,补助多少?",
                                               "session_id": "conv-1"}, cookie)
        _, then, _ = _request(b + "api/ask", {"question": "那如果销售额是8000万呢?", "session_id": "conv-1"}, cookie)
        _, back, _ = _request(a + "api/ask", {"question": "那如果是卖给关联方呢?", "session_id": "conv-1"}, cookie)
        assert first["calculation"]["tool"] == then["calculation"]["tool"] == "first_set_subsidy"
        assert then["calculation"]["inputs"]["sales_yuan"] == 80_000_000
        assert "assumed" not in then["calculation"]["inputs"]
        assert back["calculation"]["inputs"]["sales_yuan"] == 80_000_000
        assert back["calculation"]["eligible"] is False

        # A document added while both run is answered by both within 10 s (embedded once).
        _, before, _ = _request(b + "api/ask", {"question": QUESTION}, cookie)
        assert before["found"] is False
        source = tmp_path / "low-altitude.txt"
        source.write_text(NEW_DOC, encoding="utf-8")
        added = subprocess.run([sys.executable, "-m", "assistant", "add", str(source), "--meta",
                                "doc_id=hz-lowalt-2026"], env=dict(env, POLICY_INDEX_DIR=str(tmp_path / "index-cli")),
                               capture_output=True, text=True, timeout=120)
        assert added.returncode == 0, added.stderr
        assert "library version" in added.stdout
        done = time.monotonic()
        seen: dict[str, float] = {}
        while len(seen) < 2 and time.monotonic() - done < 10:
            for name, base in bases.items():
                if name not in seen:
                    _, out, _ = _request(base + "api/ask", {"question": QUESTION}, cookie)
                    if out.get("found") and out["citations"][0]["doc_id"] == "hz-lowalt-2026":
                        seen[name] = time.monotonic() - done
            time.sleep(0.3)
        assert set(seen) == {"a", "b"}, f"answered after the add by {seen} only"
        assert json.loads((tmp_path / "index-b" / "manifest.json").read_text())["embedded"] == 0
        _, listed, _ = _request(a + "api/docs", cookie=cookie)
        assert "hz-lowalt-2026" in {d["doc_id"] for d in listed}

        # Lockout on one instance holds on the other (the right password is refused there too).
        wrong = [threading.Thread(target=_request, args=(a + "login",),
                                  kwargs={"form": {"username": "staff", "password": f"bad{i}"}})
                 for i in range(5)]
        for t in wrong:
            t.start()
        for t in wrong:
            t.join()
        status, page, _ = _request(b + "login", form={"username": "staff", "password": "s3cret-pass"})
        assert status == 429 and "尝试次数过多" in page

        # A logout on one instance ends the session on the other.
        _request(b + "logout", cookie=cookie, form={})  # a POST (a GET logs nobody out)
        assert _staff(a, cookie) == "/login"

        # SIGKILL one instance under load: every acknowledged answer and rating is stored.
        answers: list[int] = []
        ratings: list[int] = []
        lock = threading.Lock()
        stop = threading.Event()

        def client(n: int) -> None:
            i = 0
            while not stop.is_set() and i < 500:
                i += 1
                base = bases["a" if (n + i) % 2 else "b"]
                try:
                    _, out, _ = _request(base + "api/ask", {"question": f"手术机器人有政策支持吗?{n}-{i}"}, cookie,
                                         timeout=10)
                    with lock:
                        answers.append(out["answer_id"])
                    status, rated, _ = _request(base + "api/rate", {"answer_id": out["answer_id"],
                                                                    "token": out["answer_token"],
                                                                    "liked": i % 2 == 0}, cookie, timeout=10)
                    if status == 200 and rated["ok"]:
                        with lock:
                            ratings.append(out["answer_id"])
                except (OSError, KeyError, TypeError):
                    continue  # the killed instance: not acknowledged; go on with the other

        threads = [threading.Thread(target=client, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        time.sleep(4)
        os.kill(procs["a"].pid, signal.SIGKILL)
        status, out, _ = _request(b + "api/ask", {"question": "第十六条的内容是什么?"}, cookie)
        assert status == 200 and out["found"]  # (the pause after the kill is `make load`'s figure)
        time.sleep(2)
        stop.set()
        for t in threads:
            t.join(timeout=30)
        assert len(answers) >= 20 and len(ratings) >= 10
        store = FeedbackStore(pg_url)
        logged = {r["id"] for r in store.rows()}
        assert set(answers) <= logged
        assert all(store.feedback_for(x) for x in ratings)
    finally:
        for proc in procs.values():
            if proc.poll() is None:
                proc.terminate()
        for proc in procs.values():
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        for fh in logs.values():
            fh.close()
