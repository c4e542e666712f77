"""Benchmarks (`make bench`): warm ask latency, cold CLI wall time, index build time, memory.

Figures go into the README; they are never asserted by unit tests.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from assistant.chain import Assistant
from assistant.config import load_settings
from assistant.embeddings import make_embeddings
from assistant.evaluation import load_questions
from assistant.index import build_index

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "eval" / "dev.jsonl"


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main() -> None:
    settings = load_settings()
    emb = make_embeddings(settings)

    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        build_index(settings.with_(index_dir=Path(tmp)), emb)
        build_s = time.perf_counter() - t

    assistant = Assistant(settings)  # builds the real index if missing or stale
    questions = [q.question for q in load_questions(DEV)] if DEV.exists() else ["手术机器人有政策支持吗?"]
    for q in questions:  # warm-up
        assistant.ask(q)
    from assistant.embeddings import _cached_query

    lat, cached = [], []
    for _ in range(5):
        for q in questions:
            _cached_query.cache_clear()  # a question not asked before: the model runs
            t = time.perf_counter()
            assistant.ask(q)
            lat.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()  # the same question again: its query vector is cached
            assistant.ask(q)
            cached.append((time.perf_counter() - t) * 1000)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    cold = []
    env = dict(os.environ)
    cli = str(Path(sys.executable).parent / "policy-assistant")
    for q in ("人形机器人首台套销售额3000万元补助多少?", "手术机器人有政策支持吗?", "第十六条的内容是什么?"):
        t = time.perf_counter()
        out = subprocess.run([cli, "ask", "--json", q], capture_output=True, text=True, env=env)
        cold.append(time.perf_counter() - t)
        if out.returncode != 0:
            raise SystemExit(f"cold ask failed: {out.stderr}")
    result = {
        "index_build_s": round(build_s, 2),
        "warm_ask_ms": {"n": len(lat), "p50": round(statistics.median(lat), 1),
                        "p95": round(pct(lat, 95), 1), "max": round(max(lat), 1)},
        "warm_ask_repeated_question_ms": {"p50": round(statistics.median(cached), 1),
                                          "p95": round(pct(cached, 95), 1)},
        "cold_cli_ask_s": {"runs": [round(c, 2) for c in cold], "max": round(max(cold), 2)},
        "warm_process_max_rss_mb": round(rss_mb),
        "targets": "warm p50 <= 40 ms, p95 <= 80 ms; cold CLI <= 2.5 s; index build <= 10 s",
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
