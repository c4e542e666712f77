"""Score labelled rounds: question files (with dialogues) and 政策体检 description files.

    python scripts/score_round.py tests/data/round-e.jsonl tests/data/round-e-profiles.jsonl [--json]

Runs against the `assistant` package of the working directory (a round's first run is measured on
the code it was written for; description files need evaluate_profiles, which came with round E).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path.cwd()))

from assistant.answer.chain import make_assistant  # noqa: E402
from assistant.ops.evaluation import evaluate, evaluate_profiles, load_profile_cases, load_questions  # noqa: E402


def profiles(path: Path, matcher) -> dict:
    rep = evaluate_profiles(load_profile_cases(path), matcher)
    return {"checks": rep.checks, "right": rep.right, "failures": rep.failures}


def main(argv: list[str]) -> None:
    as_json = "--json" in argv
    assistant = make_assistant()
    out = {}
    for name in [a for a in argv if not a.startswith("--")]:
        path = Path(name)
        first = json.loads(next(ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()))
        if "expected" in first and ("text" in first or "profile" in first):
            out[path.name] = profiles(path, assistant.matcher)
        else:
            rep = evaluate(load_questions(path), assistant)
            turns = sum(1 for r in rep.rows if r["ok"])
            gap_stated = sum(1 for r in rep.rows if r["kind"] == "out_of_scope" and not r["ok"] and r.get("gaps"))
            out[path.name] = dict(rep.summary(), right=turns, rows=len(rep.rows), oos_gap_stated=gap_stated)
    if as_json:
        print(json.dumps(out, ensure_ascii=False, indent=1))
        return
    for name, r in out.items():
        if "checks" in r:
            print(f"{name}: checks {r['right']}/{r['checks']}; failing {[f['id'] for f in r['failures']]}")
        else:
            print(f"{name}: right {r['right']}/{r['rows']}, hit@1 {r['hit_at_1']}, amounts {r['amount_accuracy']}, "
                  f"oos {r['out_of_scope_accuracy']} (+{r['oos_gap_stated']} gap stated), "
                  f"refused {r['false_rejections']}; failing {[f['id'] for f in r['failures']]}")


if __name__ == "__main__":
    main(sys.argv[1:])
