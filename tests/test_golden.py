"""Golden `ask --json` snapshots: the exact JSON the CLI prints for representative questions,
stored under tests/golden/ (one file per question, the CLI's stdout byte for byte). Any change to
an answer's text, citations or calculation shows here as a diff to read, not only as a hit@1 figure.

The seed questions run on the real seed index and the real default embeddings (the session's
assistant); the library questions on the 4-document test library (tests/fixtures/library/, real
embeddings too). `ask` itself runs through click, as `policy-assistant ask --json` does; only the
assistant it builds is the one the session already built.

After an intended change, regenerate and review the diff:

    PA_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py   (or `make golden`)
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

import assistant.cli as cli_module
from assistant.answer.chain import Assistant

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("PA_UPDATE_GOLDEN") == "1"

SEED = {
    "seed-lookup-in-force": "这个杭州智能机器人的实施意见现在正式生效了没有?",
    "seed-lookup-drafter": "这份实施意见是哪个部门起草的?",
    "seed-lookup-article": "第十六条的内容是什么?",
    "seed-lookup-topic": "手术机器人有政策支持吗?",
    "seed-amount-eligible": "我们是杭州做服务机器人整机的,第一次从一家跟我们没有关联关系的杭州软件公司"
                            "买了一套应用软件和工具包,合同150w,能拿多少奖励?",
    "seed-amount-capped": "我司在杭州做人形机器人整机,首次采购杭州某芯片公司(非关联)研发的智能芯片,"
                          "金额1千2百万,奖励能有多少",
    "seed-amount-affiliate": "我们是杭州的机器人整机企业,首次采购了集团旗下一家杭州子公司研发的控制软件,"
                             "300万,能按10%拿30万吗?",
    "seed-not-covered-other-city": "深圳市对人形机器人企业的首台套补贴标准是多少?",
    "seed-not-covered-topic": "杭州小客车摇号怎么申请?",
    "seed-english-status": "Is Hangzhou's intelligent robot policy already in force, or is it still a draft "
                           "for public comment?",
    "seed-english-article": "Which article covers the medical and elderly care scenarios?",
}
LIBRARY = {
    "library-lookup-number": "杭州市促进智能机器人产业高质量发展的实施意见的文号是多少?",
    "library-lookup-departments": "17号文第二条的责任单位是谁?哪个局牵头?",
    "library-amount": "我们是在杭州的机器人整机厂,第一次向一家没有关联关系的杭州芯片公司采购智能芯片,"
                      "单个合同200万元,能拿多少奖励?",
}


def _ask_json(monkeypatch: pytest.MonkeyPatch, built: Assistant, question: str) -> str:
    """`policy-assistant ask --json QUESTION`'s stdout, answered by `built`."""
    monkeypatch.setattr(cli_module, "_assistant", lambda **kwargs: built)
    res = CliRunner().invoke(cli_module.cli, ["ask", "--json", question])
    assert res.exit_code == 0, res.output
    return res.stdout


def _check(name: str, question: str, out: str) -> None:
    path = GOLDEN / f"{name}.json"
    assert json.loads(out)["question"] == question
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(out, encoding="utf-8")
    if not path.exists():
        pytest.fail(f"no snapshot {path.name}: run PA_UPDATE_GOLDEN=1 pytest tests/test_golden.py")
    assert out == path.read_text(encoding="utf-8"), (
        f"`ask --json` changed for {name}; if intended, regenerate with PA_UPDATE_GOLDEN=1 and review the diff")


@pytest.mark.parametrize("name", sorted(SEED))
def test_seed_answers_match_their_snapshots(name: str, assistant: Assistant,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    _check(name, SEED[name], _ask_json(monkeypatch, assistant, SEED[name]))


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_library_answers_match_their_snapshots(name: str, real_library: Assistant,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    _check(name, LIBRARY[name], _ask_json(monkeypatch, real_library, LIBRARY[name]))


def test_every_snapshot_has_its_question() -> None:
    """No stale snapshot: each file under tests/golden/ belongs to a question above."""
    assert sorted(p.stem for p in GOLDEN.glob("*.json")) == sorted({*SEED, *LIBRARY})
