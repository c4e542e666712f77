"""kill -9 under load loses no acknowledged answer or rating (SQLite WAL, one commit per write)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from assistant.ops.feedback import FeedbackStore

from .conftest import CORPUS, free_port

pytestmark = pytest.mark.slow


def _post(url: str, payload: dict) -> dict:
    req = urllib.request.Request(url, data=json.dumps(payload).encode(),
                                 headers={"content-type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.loads(resp.read())


def test_kill_9_loses_nothing_acknowledged(tmp_path: Path, shared_index_dir: Path) -> None:
    port = free_port()
    db = tmp_path / "fb.sqlite3"
    env = dict(os.environ, POLICY_DB=str(db), POLICY_INDEX_DIR=str(shared_index_dir),
               POLICY_CORPUS_DIR=str(CORPUS), POLICY_UI_RATE_PER_MINUTE="100000")
    proc = subprocess.Popen([sys.executable, "-m", "assistant", "serve", "--host", "127.0.0.1",
                             "--port", str(port)], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(240):
            try:
                urllib.request.urlopen(base + "api/health", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        answers: list[int] = []
        ratings: list[int] = []
        lock = threading.Lock()
        stop = threading.Event()

        def client(n: int) -> None:
            i = 0
            while not stop.is_set():
                i += 1
                try:
                    out = _post(base + "api/ask", {"question": f"手术机器人有政策支持吗?{n}-{i}"})
                    with lock:
                        answers.append(out["answer_id"])
                    rated = _post(base + "api/rate", {"answer_id": out["answer_id"],
                                                       "token": out["answer_token"], "liked": i % 2 == 0})
                    if rated["ok"]:
                        with lock:
                            ratings.append(out["answer_id"])
                except Exception:  # noqa: BLE001 - the server dies mid-request: not acknowledged
                    return

        threads = [threading.Thread(target=client, args=(n,)) for n in range(6)]
        for t in threads:
            t.start()
        time.sleep(6)
        os.kill(proc.pid, signal.SIGKILL)
        stop.set()
        for t in threads:
            t.join(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=30)
    assert len(answers) >= 20 and len(ratings) >= 10
    store = FeedbackStore(db)
    logged = {r["id"] for r in store.rows()}
    assert set(answers) <= logged
    assert all(store.feedback_for(a) for a in ratings)
