"""Print (or with --write, store) the exact ids each labelled round fails today, for the
regression gate in tests/test_rounds.py. Run it after a mechanism change, read the diff of
tests/data/known-failures.json, and commit it only when every change is understood: a new id is a
regression, a removed one a fix.

    python scripts/known_failures.py [--write] [--library]
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.answer.chain import make_assistant  # noqa: E402
from assistant.ops.evaluation import evaluate, evaluate_profiles, load_profile_cases, load_questions  # noqa: E402

DATA = ROOT / "tests" / "data"
# The same rounds as tests/test_rounds.py: every calibration/round file beside the profiles.
QUESTION_ROUNDS = ["../shared/eval/dev.jsonl"] + sorted(
    f"tests/data/{p.name}" for p in DATA.glob("*.jsonl")
    if p.name.startswith(("calibration", "round-")) and not p.name.endswith("-profiles.jsonl"))
PROFILE_ROUNDS = ["tests/data/profiles.jsonl"] + sorted(
    f"tests/data/{p.name}" for p in DATA.glob("round-*-profiles.jsonl"))
OUT = ROOT / "tests" / "data" / "known-failures.json"


def main() -> None:
    assistant = make_assistant()
    known: dict[str, list[str]] = {}
    for name in QUESTION_ROUNDS:
        path = (ROOT / name).resolve()
        if path.exists():
            known[path.name] = sorted(evaluate(load_questions(path), assistant).failing_ids)
    if "--library" in sys.argv:  # the 4-document library set (builds a library with real embeddings)
        from assistant.answer.chain import Assistant
        from assistant.config import load_settings
        from tests.test_library import _library

        root = Path(tempfile.mkdtemp())
        library = Assistant(load_settings().with_(corpus_dir=_library(root), index_dir=root / "index"))
        known["library-questions.jsonl"] = sorted(evaluate(
            load_questions(ROOT / "tests" / "data" / "library-questions.jsonl"), library).failing_ids)
    elif OUT.exists():
        previous = json.loads(OUT.read_text(encoding="utf-8"))
        if "library-questions.jsonl" in previous:
            known["library-questions.jsonl"] = previous["library-questions.jsonl"]
    from tests.test_real_documents import REAL_ROUNDS, real_round_failing

    for set_name in sorted(REAL_ROUNDS):  # the real-document rounds (hash embeddings, as the test)
        known[f"real-{set_name.lower()}"] = real_round_failing(set_name, Path(tempfile.mkdtemp()))
    for name in PROFILE_ROUNDS:
        known[Path(name).name] = sorted(
            evaluate_profiles(load_profile_cases(ROOT / name), assistant.matcher).failing_ids)
    text = json.dumps(known, ensure_ascii=False, indent=1) + "\n"
    if "--write" in sys.argv:
        OUT.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
