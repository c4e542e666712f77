"""One source for every calculator: a rule that exists only in a corpus's rules.json works in the
chat, the LangChain tools, `calc` and the web form; the calculator tab and the chat agree."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.answer.chain import Assistant
from assistant.cli import cli
from assistant.config import load_settings
from assistant.ops.feedback import FeedbackStore
from assistant.answer.tools import make_tools
from ui.handlers import Handlers

from .conftest import CORPUS, FakeEmbeddings

TALENT_RULE = {
    "id": "talent_housing_allowance", "aliases": ["talent-housing"], "article": 17,
    "name": "人才安居补贴(测试规则)",
    "description": "测试语料专用:引进的机器人关键技术岗位人才,按年薪的5%给予安居补贴,最高20万元。",
    "kind": "tiered_rate",
    "amount": {"name": "salary_yuan", "label": "年薪", "option": "salary", "patterns": ["年薪", "工资"]},
    "triggers": ["安居补贴", "年薪"],
    "tiers": [{"from_yuan": 0, "rate": "0.05"}], "cap_yuan": 200000,
    "conditions": [{"name": "key_post", "label": "属于机器人关键技术岗位", "default": True,
                    "requires": True, "option": "key-post", "true": ["关键技术岗位"]}],
}


@pytest.fixture(scope="module")
def test_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("rules-corpus")
    corpus = root / "corpus"
    shutil.copytree(CORPUS, corpus)
    path = corpus / "hangzhou-intelligent-robots-2024-draft.rules.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["rules"].append(TALENT_RULE)
    for rule in data["rules"]:
        if rule["id"] == "first_set_subsidy":
            rule["cap_yuan"] = 2_000_000  # the final policy lowers the cap: only the data changes
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return corpus


@pytest.fixture(scope="module")
def other(test_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    settings = load_settings().with_(corpus_dir=test_corpus,
                                     index_dir=tmp_path_factory.mktemp("rules-index"))
    return Assistant(settings, embeddings=FakeEmbeddings())


def test_a_new_rule_in_the_chat(other: Assistant) -> None:
    a = other.ask("引进一名机器人关键技术岗位人才,年薪300万元,安居补贴多少?")
    assert a.calculation is not None and a.calculation.tool == "talent_housing_allowance"
    assert a.calculation.amount_yuan == 150_000 and a.citations[0].article == 17


def test_a_new_rule_as_a_tool(other: Assistant) -> None:
    tools = {t.name: t for t in make_tools(other)}
    out = tools["talent_housing_allowance"].invoke({"salary_yuan": 5_000_000, "key_post": True})
    assert out["amount_yuan"] == 200_000 and out["cap_yuan"] == 200_000


def test_a_new_rule_in_calc(test_corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLICY_CORPUS_DIR", str(test_corpus))
    runner = CliRunner()
    listing = runner.invoke(cli, ["calc", "--list"])
    assert listing.exit_code == 0 and "talent-housing" in listing.stdout
    res = runner.invoke(cli, ["calc", "talent-housing", "--salary", "300万", "--key-post", "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["amount_yuan"] == 150_000
    res = runner.invoke(cli, ["calc", "talent_housing_allowance", "--salary", "abc"])
    assert res.exit_code == 2 and "abc" in res.stderr
    assert runner.invoke(cli, ["calc", "no-such-rule"]).exit_code == 2


def test_a_new_rule_in_the_web_form(other: Assistant, tmp_path: Path) -> None:
    from ui.app import build_app

    h = Handlers(other, FeedbackStore(tmp_path / "fb.sqlite3"))
    assert "15万元" in h.calculate("talent_housing_allowance", "300万", "", "是")
    demo = build_app(h)
    names = {d.get("api_name") for d in demo.config["dependencies"]}
    assert "calc_talent_housing" in names


def test_calculator_tab_and_chat_agree(other: Assistant, tmp_path: Path) -> None:
    """The old bug: the tab read the environment's corpus (cap 1000万), the chat its own (200万)."""
    h = Handlers(other, FeedbackStore(tmp_path / "fb.sqlite3"))
    chat = other.ask("人形机器人首台套对非关联方销售额10亿元,补助多少?")
    assert chat.calculation.amount_yuan == 2_000_000
    tab = h.calculate("first_set_subsidy", "10亿", "", "是", "是")
    assert "200万元" in tab and "1000万元" not in tab.split("上限")[0]
