"""The regression gate: every labelled round — questions, dialogues and 政策体检 descriptions — is
run whole, and the ids it fails must be exactly those in tests/data/known-failures.json. One new
failure fails the suite (a floor such as hit@1 ≥ 0.95 would hide it); a fixed one must be taken
off the list (scripts/known_failures.py prints the current sets)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.ops.evaluation import evaluate, evaluate_profiles, load_profile_cases, load_questions

from .conftest import ROOT

KNOWN = json.loads((ROOT / "tests" / "data" / "known-failures.json").read_text(encoding="utf-8"))
DATA = ROOT / "tests" / "data"
QUESTION_ROUNDS = [ROOT.parent / "shared" / "eval" / "dev.jsonl"] + sorted(
    p for p in DATA.glob("*.jsonl") if p.name.startswith(("calibration", "round-"))
    and not p.name.endswith("-profiles.jsonl"))
PROFILE_ROUNDS = [DATA / "profiles.jsonl"] + sorted(DATA.glob("round-*-profiles.jsonl"))


def test_every_round_is_in_the_gate() -> None:
    names = {p.name for p in QUESTION_ROUNDS + PROFILE_ROUNDS if p.exists()}
    real = {f"real-{p.stem.split('-')[0]}" for p in (DATA / "real").glob("r*-questions.jsonl")}
    assert names | {"library-questions.jsonl"} | real == set(KNOWN), \
        "add the round to known-failures.json (scripts/known_failures.py)"


@pytest.mark.parametrize("path", [p for p in QUESTION_ROUNDS if p.exists()], ids=lambda p: p.stem)
def test_question_round_fails_exactly_the_known_ids(assistant, path: Path) -> None:
    report = evaluate(load_questions(path), assistant)
    assert sorted(report.failing_ids) == KNOWN[path.name], report.failures


@pytest.mark.parametrize("path", PROFILE_ROUNDS, ids=lambda p: p.stem)
def test_description_round_fails_exactly_the_known_ids(assistant, path: Path) -> None:
    report = evaluate_profiles(load_profile_cases(path), assistant.matcher)
    assert sorted(report.failing_ids) == KNOWN[path.name], report.failures
