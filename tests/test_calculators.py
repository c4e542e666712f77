from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from assistant.calc.calculators import calculate, load_rulebook, read_conditions, split_amounts
from assistant.lang.amounts import find_amounts
from assistant.cli import cli
from assistant.errors import AmountError, RuleError
from assistant.ops.evaluation import load_questions
from assistant.answer.tools import make_tools

from .conftest import CORPUS, DEV

BOOK = load_rulebook(CORPUS)
FIRST_SET = BOOK.get("first_set_subsidy")
PROCUREMENT = BOOK.get("procurement_reward")
INDUSTRY = BOOK.get("industrialization_funding")
DEMO = BOOK.get("demo_scenario_reward")
YES = {"humanoid": True, "recognized": True, "non_affiliated": True}


@pytest.mark.parametrize("sales, amount", [
    (999_999, 0), (1_000_000, 100_000), (5_000_000, 500_000), (9_999_000, 999_900),
    (10_000_000, 500_000), (90_000_000, 4_500_000), (100_000_000, 2_000_000),
    (120_000_000, 2_400_000), (1_000_000_000, 10_000_000),
])
def test_first_set_tiers(sales: int, amount: int) -> None:
    calc = calculate(FIRST_SET, sales, conditions=YES)
    assert calc.amount_yuan == amount and calc.eligible == (amount > 0)
    assert calc.cap_yuan == 10_000_000 and calc.article == 3


def test_first_set_notes_the_jump_and_the_department() -> None:
    notes = " ".join(calculate(FIRST_SET, 30_000_000, conditions=YES).notes)
    assert "跳变" in notes and "市经信局" in notes


def test_unknown_condition_is_stated_with_the_other_outcome() -> None:
    calc = calculate(FIRST_SET, 30_000_000)
    assert calc.inputs["assumed"] == ["humanoid", "recognized", "non_affiliated"]
    assert any("未说明" in n and "不符合条件" in n for n in calc.notes)
    known = calculate(FIRST_SET, 30_000_000, conditions=YES)
    assert "assumed" not in known.inputs and not any("未说明" in n for n in known.notes)


def test_failed_condition_is_not_eligible() -> None:
    calc = calculate(FIRST_SET, 30_000_000, conditions={"humanoid": True, "non_affiliated": False})
    assert (calc.eligible, calc.amount_yuan) == (False, 0)
    assert "非关联方" in calc.steps[0]


@pytest.mark.parametrize("purchase, amount", [(999_999, 0), (1_000_000, 100_000),
                                              (1_500_000, 150_000), (10_000_000, 500_000)])
def test_procurement(purchase: int, amount: int) -> None:
    assert calculate(PROCUREMENT, purchase).amount_yuan == amount


def test_industrialisation_threshold_on_total_rate_on_base() -> None:
    calc = calculate(INDUSTRY, 30_000_000, 10_000_000, {"humanoid": False})
    assert calc.amount_yuan == 6_000_000
    # The threshold is checked on the total, even if the base falls below it.
    assert calculate(INDUSTRY, 10_000_000, 6_000_000, {"humanoid": False}).amount_yuan == 1_200_000
    assert calculate(INDUSTRY, 8_000_000, conditions={"humanoid": False}).eligible is False
    assert calculate(INDUSTRY, 5_000_000, conditions={"humanoid": True}).amount_yuan == 1_500_000
    assert calculate(INDUSTRY, 400_000_000, conditions={"humanoid": True}).amount_yuan == 100_000_000
    unknown = calculate(INDUSTRY, 8_000_000)
    assert unknown.eligible is False and any("240万元" in n for n in unknown.notes)


def test_ceiling_rule() -> None:
    calc = calculate(DEMO)
    assert (calc.eligible, calc.amount_yuan, calc.cap_yuan) == (True, 500_000, 500_000)


@pytest.mark.parametrize("amount", [0, -1, 10 ** 13 + 1])
def test_bad_amounts(amount: int) -> None:
    with pytest.raises(AmountError):
        calculate(FIRST_SET, amount)


def test_excluded_larger_than_total_and_missing_amount() -> None:
    with pytest.raises(AmountError, match="不能超过"):
        calculate(INDUSTRY, 10_000_000, 20_000_000)
    with pytest.raises(AmountError, match="请提供"):
        calculate(FIRST_SET, None)
    with pytest.raises(RuleError):
        calculate(FIRST_SET, 1_000_000, conditions={"colour": True})


# --- properties ---------------------------------------------------------------------------------
AMOUNTS = st.integers(min_value=1, max_value=10 ** 13)


@given(AMOUNTS, st.booleans(), st.booleans())
def test_never_above_cap_never_negative(amount: int, humanoid: bool, other: bool) -> None:
    for rule, conds in ((FIRST_SET, {"humanoid": humanoid, "non_affiliated": other}),
                        (PROCUREMENT, {"non_affiliated": other}),
                        (INDUSTRY, {"humanoid": humanoid, "recognized_advanced": other})):
        calc = calculate(rule, amount, conditions=conds)
        assert 0 <= calc.amount_yuan <= rule.cap_yuan
        assert calc.eligible == (calc.amount_yuan > 0)


@given(st.sampled_from([t.from_yuan for t in FIRST_SET.tiers]))
def test_thresholds_inclusive(threshold: int) -> None:
    assert calculate(FIRST_SET, threshold, conditions=YES).eligible
    assert calculate(FIRST_SET, threshold, conditions=YES).amount_yuan > 0


@given(st.integers(min_value=1_000_000, max_value=10 ** 12), st.integers(min_value=1, max_value=10 ** 8))
def test_monotonic_within_a_tier(a: int, delta: int) -> None:
    b = a + delta
    tier = lambda x: max(t.from_yuan for t in FIRST_SET.tiers if x >= t.from_yuan)  # noqa: E731
    if tier(a) == tier(b):
        assert calculate(FIRST_SET, a, conditions=YES).amount_yuan <= \
            calculate(FIRST_SET, b, conditions=YES).amount_yuan


# --- rule data ----------------------------------------------------------------------------------
def test_changing_the_data_file_changes_the_result(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    path = next(corpus.glob("*.rules.json"))
    data = json.loads(path.read_text(encoding="utf-8"))
    data["rules"][1]["cap_yuan"] = 2_000_000
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    rule = load_rulebook(corpus).get("first-set")
    assert calculate(rule, 1_000_000_000, conditions=YES).amount_yuan == 2_000_000


def test_invalid_rule_data(tmp_path: Path) -> None:
    (tmp_path / "x.rules.json").write_text(json.dumps({"rules": [
        {"id": "r", "article": 1, "name": "n", "description": "d", "kind": "tiered_rate"}]}))
    with pytest.raises(RuleError, match="needs tiers"):
        load_rulebook(tmp_path)
    (tmp_path / "x.rules.json").write_text("{broken")
    with pytest.raises(RuleError, match="cannot read"):
        load_rulebook(tmp_path)


# --- reading questions --------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("人形机器人首台套对非关联方销售额", {"humanoid": True, "recognized": True, "non_affiliated": True}),
    ("人形机器人还没认定首台套", {"humanoid": True, "recognized": False}),
    ("非人形的服务机器人", {"humanoid": False}),
    ("卖给关联企业", {"non_affiliated": False}),
    ("卖了500万", {}),
])
def test_read_conditions(text: str, expected: dict) -> None:
    assert read_conditions(FIRST_SET, text) == expected


def test_split_amounts_excluded_items() -> None:
    q = "智能机器人产业化项目实际投资3000万元,其中厂房1000万元,土地500万元"
    assert split_amounts(INDUSTRY, q, find_amounts(q)) == (30_000_000, 15_000_000)


def test_dev_amount_questions_exact(assistant) -> None:
    """All dev amount questions: eligibility and amount exact, the rule's article cited first."""
    for q in load_questions(DEV):
        if q.kind != "amount":
            continue
        a = assistant.ask(q.question)
        assert a.calculation is not None, q.id
        assert (a.calculation.eligible, a.calculation.amount_yuan) == (q.eligible, q.amount_yuan), q.id
        assert a.citations[0].article in q.articles, q.id
        assert a.citations[0].article == a.calculation.article


def test_answer_gives_wan_and_yuan_steps_and_quote(assistant) -> None:
    a = assistant.ask("人形机器人首台套销售额3000万元补助多少?")
    assert "150万元" in a.answer and "1,500,000 元" in a.answer
    assert "3000万元 × 5% = 150万元" in a.answer
    assert a.citations[0].quote in a.answer and "1000万元" in a.citations[0].quote
    assert "市经信局" in a.answer


def test_unspecified_amount_says_so(assistant) -> None:
    a = assistant.ask("参加国际专业展会能补助多少钱?")
    assert a.found and a.calculation is None
    assert a.citations[0].article == 14 and "没有规定具体金额" in a.answer


def test_rate_question_without_amount_asks_for_it(assistant) -> None:
    a = assistant.ask("人形机器人产业化项目的资助比例是多少?")
    assert a.calculation is None and a.citations[0].article == 6
    assert "请提供实际投资总额" in a.answer


def test_impossible_amount_in_question(assistant) -> None:
    with pytest.raises(AmountError):
        assistant.ask("人形机器人首台套销售额0元补助多少?")


def test_follow_ups_rerun_the_last_calculator(assistant) -> None:
    from assistant.answer.chain import Conversation

    conv = Conversation()
    first = assistant.ask("人形机器人首台套销售额3000万元补助多少?", conv)
    assert first.calculation.amount_yuan == 1_500_000
    second = assistant.ask("那如果销售额是8亿呢?", conv)
    assert second.calculation.inputs["sales_yuan"] == 800_000_000
    assert second.calculation.amount_yuan == 10_000_000 and second.citations[0].article == 3
    third = assistant.ask("如果是卖给关联方呢?", conv)
    assert third.calculation.eligible is False
    # A new, unrelated question is not a follow-up.
    other = assistant.ask("首次采购杭州非关联企业的智能芯片200万元,奖励多少?", conv)
    assert other.calculation.tool == "procurement_reward" and other.calculation.amount_yuan == 200_000
    assert len(conv.history) == 4


def test_no_follow_up_without_a_conversation(assistant) -> None:
    a = assistant.ask("那如果是8亿呢?")
    assert a.calculation is None


# --- tools and CLI ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def tools(assistant) -> dict:
    return {t.name: t for t in make_tools(assistant)}


def test_tools_have_typed_schemas_and_descriptions(tools: dict) -> None:
    assert set(tools) == {r.tool for r in BOOK.rules}
    for t in tools.values():
        assert t.description.split("\n")[0].strip()
        assert t.args_schema is not None
    schema = tools["first_set_subsidy"].args_schema.model_json_schema()
    assert schema["properties"]["sales_yuan"]["type"] == "integer"
    assert "sales_yuan" in schema["required"] and "humanoid" not in schema.get("required", [])


def test_tool_invocation(tools: dict) -> None:
    out = tools["first_set_subsidy"].invoke({"sales_yuan": 30_000_000, "humanoid": True,
                                             "non_affiliated": True})
    assert out["amount_yuan"] == 1_500_000 and out["article"] == 3
    out = tools["industrialization_funding"].invoke({"total_investment_yuan": 30_000_000,
                                                     "excluded_yuan": 10_000_000})
    assert out["amount_yuan"] == 6_000_000
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        tools["first_set_subsidy"].invoke({"sales_yuan": -1})


def test_calc_cli() -> None:
    runner = CliRunner()
    res = runner.invoke(cli, ["calc", "first-set", "--sales", "3000万", "--humanoid", "--non-affiliated",
                              "--json"])
    assert res.exit_code == 0
    data = json.loads(res.stdout)
    assert data["amount_yuan"] == 1_500_000 and data["inputs"]["sales_yuan"] == 30_000_000
    res = runner.invoke(cli, ["calc", "industrialization", "--investment", "3000万", "--excluded", "一千万"])
    assert res.exit_code == 0 and "600万元" in res.output and "加大项目招引力度" in res.output
    assert runner.invoke(cli, ["calc", "demo-scenario", "--json"]).exit_code == 0
    assert runner.invoke(cli, ["calc", "procurement", "--amount", "150万"]).exit_code == 0


@pytest.mark.parametrize("value", ["-5", "0", "abc", "2e20", "200000亿"])
def test_calc_cli_bad_amounts(value: str) -> None:
    res = CliRunner().invoke(cli, ["calc", "first-set", "--sales", value])
    assert res.exit_code == 2 and res.stderr.startswith("Error: ") and "Traceback" not in res.output


def test_ask_json_calculation_contract() -> None:
    res = CliRunner().invoke(cli, ["ask", "--json", "人形机器人首台套销售额3000万元补助多少?"])
    data = json.loads(res.stdout)
    calc = data["calculation"]
    for key in ("tool", "doc_id", "article", "inputs", "eligible", "amount_yuan", "cap_yuan", "steps",
                "notes"):
        assert key in calc
    assert calc["inputs"]["sales_yuan"] == 30_000_000 and calc["inputs"]["humanoid"] is True
    assert data["citations"][0]["article"] == 3
    res = CliRunner().invoke(cli, ["ask", "--json", "人形机器人首台套销售额-5万元补助多少?"])
    assert res.exit_code == 2 and "大于0" in res.stderr


def test_counting_question_is_not_a_money_question(assistant) -> None:
    a = assistant.ask("示范应用场景的总目标是多少个?")
    assert a.calculation is None and a.citations[0].article in (1, 7)


# --- conditions and amounts read from the question (issue: answers to unseen questions) ----------
@pytest.mark.parametrize("text, expected", [
    ("我们的四足机器狗被认定为首台套,按人形机器人那个比例能补多少", False),
    ("我们的AGV首台套产品卖了3000万", False),
    ("Our exoskeleton robot sold 8 million yuan", False),
    ("我们的产品不是人形机器人", False),
    ("我们是做人形机器人的,首台套卖了3000万", True),
    ("首台套卖了500万", None),
])
def test_humanoid_read_from_the_product_named(text: str, expected: bool | None) -> None:
    assert FIRST_SET.condition("humanoid").read(text) is expected


def test_non_humanoid_first_set_gets_the_policy_answer(assistant) -> None:
    a = assistant.ask("我们做外骨骼机器人,首台套产品卖给非关联医院3000万元,能补多少?")
    assert a.calculation.eligible is False and a.calculation.amount_yuan == 0
    assert "智能物联产业奖补政策" in a.answer and "按“是”计算" not in a.answer


@pytest.mark.parametrize("question, total, excluded", [
    ("总投资5亿,不含土地厂房是4亿", 500_000_000, 100_000_000),
    ("实际投资总额800万,里面有100万是买的旧设备", 8_000_000, 1_000_000),
    ("实际总投资1亿2000万,其中土地和厂房占2000万", 120_000_000, 20_000_000),
    ("投资4亿元(不含土地厂房旧设备)", 400_000_000, 0),
])
def test_base_and_excluded_parts(question: str, total: int, excluded: int) -> None:
    assert split_amounts(INDUSTRY, question, find_amounts(question)) == (total, excluded)


def test_outside_place_settles_the_supplier() -> None:
    cond = PROCUREMENT.condition("hangzhou_supplier")
    assert cond.read("采购了一家上海公司研发的芯片", other_places=("上海",)) is False
    assert cond.read("采购了一家杭州本地公司的芯片") is True


def test_foreign_currency_is_not_calculated(assistant) -> None:
    a = assistant.ask("人形机器人首台套对非关联方销售300万美元,补助多少?")
    assert a.calculation is None and "不是人民币" in a.answer and a.citations[0].article == 3


def test_fixed_sums_per_tier_and_a_bonus(tmp_path: Path) -> None:
    (tmp_path / "x.rules.json").write_text(json.dumps({"doc_id": "x", "rules": [
        {"id": "revenue", "article": 1, "name": "营收奖励", "description": "d", "kind": "tiered_rate",
         "amount": {"name": "revenue_yuan", "label": "营业收入"}, "min_yuan": 100_000_000,
         "tiers": [{"from_yuan": 100_000_000, "amount_yuan": 500_000},
                   {"from_yuan": 500_000_000, "amount_yuan": 1_000_000}],
         "conditions": [{"name": "open", "label": "对外开放", "default": False}],
         "bonus": {"condition": "open", "amount_yuan": 300_000}}]}, ensure_ascii=False), encoding="utf-8")
    rule = load_rulebook(tmp_path).get("revenue")
    assert calculate(rule, 600_000_000, conditions={"open": False}).amount_yuan == 1_000_000
    assert calculate(rule, 600_000_000, conditions={"open": True}).amount_yuan == 1_300_000
    assert calculate(rule, 90_000_000).eligible is False
    bad = json.loads((tmp_path / "x.rules.json").read_text(encoding="utf-8"))
    bad["rules"][0]["tiers"][0]["rate"] = "0.1"
    (tmp_path / "x.rules.json").write_text(json.dumps(bad), encoding="utf-8")
    with pytest.raises(RuleError, match="either a rate or an amount_yuan"):
        load_rulebook(tmp_path)


def test_malformed_rule_file_names_the_file_and_field(tmp_path: Path) -> None:
    (tmp_path / "y.rules.json").write_text(json.dumps({"rules": [
        {"id": "r", "article": "three", "name": "n", "description": "d", "kind": "ceiling",
         "cap_yuan": 5}]}), encoding="utf-8")
    with pytest.raises(RuleError, match=r"y\.rules\.json.*rules\.0\.article"):
        load_rulebook(tmp_path)


def test_sales_partly_to_an_affiliate_count_the_rest(assistant) -> None:
    a = assistant.ask("人形机器人首台套今年卖了1500万,其中600万卖给了控股股东,其余卖给独立客户,补助多少?")
    assert a.calculation.inputs["affiliated_sales_yuan"] == 6_000_000
    assert (a.calculation.eligible, a.calculation.amount_yuan) == (True, 900_000)
    assert any("扣除对关联方的销售额600万元" in s for s in a.calculation.steps)


def test_a_ceiling_per_project_counts_the_projects(assistant) -> None:
    a = assistant.ask("我们有两个项目都评上了示范应用场景,一共能奖励多少?")
    assert a.calculation.amount_yuan == 1_000_000 and a.calculation.inputs["count"] == 2


def test_a_count_multiplies_a_per_unit_ceiling_in_chinese_and_english() -> None:
    from assistant.calc.calculators import read_count

    rule = next(r for r in BOOK.rules if r.per_unit is not None and not r.needs_amount)  # 第7条's ceiling
    assert read_count(rule, "我们有两个场景被评上了") == 2
    assert read_count(rule, "We had three scenarios selected this year") == 3
    assert read_count(rule, "We had 4 demonstration projects selected") == 4
    assert read_count(rule, "one of our scenarios was selected") == 1
    assert read_count(rule, "示范场景奖励多少") == 1
    # round AU (raup20): the things a list joins before the noun, all of them selected
    assert read_count(rule, "我们在两家医院做的手术辅助和康复场景今年都评上了市智能机器人示范应用场景。") == 2
    assert read_count(rule, "我们的物流场景评上了示范应用场景") == 1


@pytest.mark.parametrize("question, split", [
    # hotline keyword style: spaces, no commas; the total's own words name it
    ("智能机器人产业化项目 实际投资2亿 含厂房5000万 旧设备1000万 最多资助", (200_000_000, 60_000_000)),
    ("人形项目 实投 三千万 设备全新 无土地厂房 资助多少", (30_000_000, 0)),
    ("总投资4亿 不含土地厂房", (400_000_000, 0)),
])
def test_split_amounts_in_keyword_style(question: str, split: tuple[int, int]) -> None:
    assert split_amounts(INDUSTRY, question, find_amounts(question)) == split


def test_a_ceiling_is_stated_in_the_rules_own_unit() -> None:
    """每个项目 is the seed rule's unit (its first per-unit noun); a ceiling without one has none."""
    assert calculate(DEMO).steps[0] == "本条只规定上限:每个项目不超过50万元。"
    scenes = DEMO.model_copy(update={"per_unit": DEMO.per_unit.model_copy(update={"nouns": ("场景",)})})
    assert calculate(scenes).steps[0] == "本条只规定上限:每个场景不超过50万元。"
    whole = DEMO.model_copy(update={"per_unit": None})
    assert calculate(whole).steps[0] == "本条只规定上限:不超过50万元。"


def test_an_amount_right_after_the_part_and_an_after_word_is_the_base(assistant) -> None:  # noqa: ANN001
    """扣掉土地和厂房以后1.2亿: what is left after the part, not the part itself."""
    answer = assistant.ask("人形机器人产业化项目已认定先进,实际投资2亿,扣掉土地和厂房以后1.2亿,资助多少")
    assert answer.calculation is not None and answer.calculation.amount_yuan == 36_000_000


def test_the_askers_own_estimate_is_answered(assistant) -> None:
    """Round AU (raud08b): a caller checking a figure (是不是能拿500万) hears whether the text gives it."""
    differs = assistant.ask("我们人形机器人首台套卖了5000万,是不是能拿500万?")
    assert differs.calculation.amount_yuan == 2_500_000
    assert "您估算的500万元与按条文计算的金额不一致:按条文计算为250万元,以上面的计算为准。" in differs.answer
    same = assistant.ask("我们人形机器人首台套卖了5000万,是不是能拿250万?")
    assert "您估算的250万元与按条文计算的金额一致。" in same.answer


@pytest.mark.parametrize("question, article, amount", [
    # round AV (rav080): 这5亿 points back at the total; the land and plant are outside it
    ("智能机器人产业化项目 钱塘 已认定行业先进水平 实际投资5亿 土地厂房另算不在这5亿里 最多给多少", 6, 100_000_000),
    # round AV (ravd12c): 子公司 is the buyer; the seller the purchase names is 非关联
    ("杭州子公司(做整机)首次采购了杭州一家非关联企业的智能芯片200万", 2, 200_000),
])
def test_who_and_which_amount_a_clause_speaks_of(assistant, question: str, article: int, amount: int) -> None:
    calc = assistant.ask(question).calculation
    assert (calc.article, calc.amount_yuan) == (article, amount)


def test_which_money_has_a_figure_lists_the_articles(assistant) -> None:
    """Round AV (ravd10b): 有什么钱是明确给了数的 — the articles that give an amount or a rate."""
    answer = assistant.ask("有什么钱是明确给了数的")
    assert "给出具体金额或比例的条款共4条:第2条、第3条、第6条、第7条。" in answer.answer
