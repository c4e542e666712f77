"""政策体检: labelled profiles, fields from corpus data, documents in force only, reports, front doors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.calc.calculators import load_rulebook
from assistant.cli import cli
from assistant.ingest.corpus import Corpus
from assistant.match.matching import Matcher, MatchError
from assistant.match.report import markdown_report, pdf_report

from .conftest import CORPUS, FIXTURES, ROOT

PROFILES = [json.loads(line) for line in (ROOT / "tests" / "data" / "profiles.jsonl")
            .read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("case", PROFILES, ids=[p["id"] for p in PROFILES])
def test_labelled_profiles(matcher: Matcher, case: dict) -> None:
    profile = matcher.from_text(case["text"]) if "text" in case else case["profile"]
    result = matcher.match(profile)
    got = sorted([[i.article, i.status, i.amount_yuan] for i in result.items], key=str)
    assert got == sorted(case["expected"], key=str), case["note"]
    certain = sum(a or 0 for _, s, a in case["expected"] if s == "eligible")
    possible = certain + sum(a or 0 for _, s, a in case["expected"] if s == "needs_info")
    assert (result.total_certain_yuan, result.total_possible_yuan) == (certain, possible)


def test_at_least_fifteen_labelled_profiles() -> None:
    assert len(PROFILES) >= 15


def test_items_carry_quote_departments_and_status(matcher: Matcher) -> None:
    result = matcher.match({"makes_humanoid": True, "first_set_sales_yuan": 30_000_000,
                            "sales_unaffiliated": True})
    item = next(i for i in result.items if i.article == 3)
    article = matcher.corpus.article(item.doc_id, 3)
    assert item.quote in article.text and item.departments == ["市经信局"]
    assert item.doc_status == "征求意见稿" and "3000万元 × 5% = 150万元" in item.steps
    needs = next(i for i in result.items if i.status == "needs_info")
    assert needs.missing and needs.missing_labels


def test_fields_come_from_the_rule_data(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    path = corpus / "hangzhou-intelligent-robots-2024-draft.rules.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["rules"].append({"id": "talent_bonus", "article": 17, "name": "人才奖励", "description": "d",
                          "kind": "ceiling", "cap_yuan": 100000,
                          "conditions": [{"name": "phd", "label": "引进博士", "default": False, "requires": True}],
                          "profile": {"conditions": {"phd": "hired_phd"}}})
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    m = Matcher(Corpus.load(corpus), load_rulebook(corpus))
    assert "hired_phd" in m.model.model_fields
    assert [(i.article, i.status, i.amount_yuan) for i in m.match({"hired_phd": True}).items] == \
        [(17, "eligible", 100000)]


def test_unknown_field_is_a_clear_error(matcher: Matcher) -> None:
    with pytest.raises(MatchError, match="nonsense"):
        matcher.validate({"nonsense": 1})
    with pytest.raises(MatchError, match="first_set_sales_yuan"):
        matcher.validate({"first_set_sales_yuan": -5})


def test_a_replaced_draft_is_not_counted_twice(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    for name in ("hz-robots-2025-final.txt", "hz-robots-2025-final.rules.json"):
        shutil.copy(FIXTURES / "library" / name, corpus / name)
    (corpus / "hz-robots-2025-final.meta.json").write_text(json.dumps(
        {"doc_id": "hz-robots-2025-final", "status": "正式", "supersedes": ["hz-robots-2024-draft"],
         "jurisdiction": ["杭州", "杭州市"]}), encoding="utf-8")
    m = Matcher(Corpus.load(corpus), load_rulebook(corpus))
    result = m.match({"makes_humanoid": True, "first_set_sales_yuan": 500_000_000,
                      "sales_unaffiliated": True})
    first_set = [i for i in result.items if i.article == 3]
    assert [(i.doc_id, i.amount_yuan) for i in first_set] == [("hz-robots-2025-final", 8_000_000)]
    assert result.skipped_documents == ["hz-robots-2024-draft"]


def test_reports_render_chinese_with_the_same_figures(matcher: Matcher, tmp_path: Path) -> None:
    result = matcher.match({"location": "杭州市滨江区", "makes_humanoid": True,
                            "first_set_sales_yuan": 30_000_000, "sales_unaffiliated": True,
                            "plans_overseas_exhibitions": True})
    labels = {f.name: f.label for f in matcher.schema.fields.values()}
    try:
        data = pdf_report(result, labels)
    except Exception as exc:  # noqa: BLE001 - only a missing CJK font may skip this test
        pytest.skip(f"no CJK font on this machine: {exc}")
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        text = "".join(page.extract_text() or "" for page in pdf.pages)
    assert "政策体检报告" in text and "人形机器人首台套补助" in text
    assert f"{result.total_certain_yuan:,}" in text and "1,500,000" in text
    md = markdown_report(result, labels)
    assert f"{result.total_certain_yuan:,}" in md and "第14条" in md


def test_match_command(tmp_path: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(cli, ["match", "--json", "--text",
                              "我们是杭州的人形机器人企业,首台套产品对非关联方卖了3000万元"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert {"profile", "items", "total_certain_yuan", "total_possible_yuan"} <= set(data)
    assert data["total_certain_yuan"] == 1_500_000
    item = data["items"][0]
    assert {"doc_id", "article", "title", "status", "amount_yuan", "steps", "missing", "departments",
            "quote"} <= set(item)
    profile = tmp_path / "p.json"
    profile.write_text(json.dumps({"makes_robots": True, "first_purchase_local_yuan": 3_000_000,
                                   "supplier_unaffiliated": True, "supplier_in_hangzhou": True}),
                       encoding="utf-8")
    res = runner.invoke(cli, ["match", str(profile), "--json", "--report", str(tmp_path / "r.md")])
    assert res.exit_code == 0 and json.loads(res.stdout)["total_certain_yuan"] == 300_000
    assert "300,000" in (tmp_path / "r.md").read_text(encoding="utf-8")
    for args in (["match"], ["match", "--text", "  "], ["match", str(tmp_path / "missing.json")]):
        res = runner.invoke(cli, args)
        assert res.exit_code == 2 and "Traceback" not in res.output
    profile.write_text('{"first_set_sales_yuan": "lots"}', encoding="utf-8")
    res = runner.invoke(cli, ["match", str(profile)])
    assert res.exit_code == 2 and "first_set_sales_yuan" in res.stderr


def test_chat_question_runs_a_match(assistant) -> None:
    a = assistant.ask("我们是杭州的人形机器人整机企业,首台套产品对非关联方卖了3000万元,能享受哪些政策?")
    assert a.found and "政策体检结果" in a.answer and "150万元" in a.answer
    assert a.citations[0].article == 3 and "请补充" in a.answer


def _item(result, article: int):
    return next(i for i in result.items if i.article == article)


def test_a_pending_recognition_gives_the_amount_it_will_have(matcher: Matcher) -> None:
    """首台套认定还在申请中: 待补充 with the amount once recognised, not a certain amount."""
    result = matcher.match_text("我们在滨江做人形机器人,首台套认定还在申请中,对非关联方销售额400万元。")
    item = _item(result, 3)
    assert (item.status, item.amount_yuan) == ("needs_info", 400_000)
    assert result.profile["pending"] == ["first_set_subsidy"]
    settled = _item(matcher.match_text("我们在滨江做人形机器人,首台套已经认定,对非关联方销售额400万元。"), 3)
    assert (settled.status, settled.amount_yuan) == ("eligible", 400_000)


def test_a_planned_investment_alone_is_pending(matcher: Matcher) -> None:
    planned = matcher.match_text("萧山的机器人整机企业,产业化项目计划投资1.5个亿,已经通过行业先进水平认定,但还没开始投。")
    item = _item(planned, 6)
    assert (item.status, item.amount_yuan) == ("needs_info", 45_000_000)
    actual = _item(matcher.match_text("萧山的机器人整机企业,产业化项目实际投资1.5个亿,已经通过行业先进水平认定。"), 6)
    assert (actual.status, actual.amount_yuan) == ("eligible", 45_000_000)


def test_a_count_multiplies_a_per_project_ceiling(matcher: Matcher) -> None:
    two = _item(matcher.match_text("临平区服务机器人整机厂,我们有两个项目都评上了市智能机器人示范应用场景。"), 7)
    one = _item(matcher.match_text("临平区服务机器人整机厂,我们有一个项目评上了市智能机器人示范应用场景。"), 7)
    assert (two.status, two.amount_yuan, one.amount_yuan) == ("eligible", 1_000_000, 500_000)


def test_an_amount_passed_over_keeps_its_own_conditions(matcher: Matcher) -> None:
    """Two purchases: the affiliated one's clause does not decide the first one's condition."""
    text = ("我们是富阳的一家AGV整机企业。今年首次采购了两笔:一笔是杭州一家非关联公司研发的智能芯片180万元,"
            "另一笔80万的调度软件是从我们自己的关联公司买的。")
    item = _item(matcher.match_text(text), 2)
    assert (item.status, item.amount_yuan) == ("eligible", 180_000)


def test_tag_expressions_read_what_words_cannot(matcher: Matcher) -> None:
    result = matcher.match_text("余杭区做外骨骼机器人,明年打算去拉斯维加斯参加CES展,还在牵头制定外骨骼机器人的团体标准。")
    assert {(i.article, i.status) for i in result.items} >= {(14, "no_amount"), (4, "no_amount")}
    assert result.profile["sets_standards"] is True and result.profile["plans_overseas_exhibitions"] is True
    other = matcher.match_text("我们在余杭区做外骨骼机器人,去参加了客户的产品展示会。").profile
    assert (other["sets_standards"], other["plans_overseas_exhibitions"]) == (None, None)


def test_a_project_in_hangzhou_counts_where_the_measure_is_for_a_project(matcher: Matcher) -> None:
    """政策体检 of an enterprise outside Hangzhou: its purchase reward needs a Hangzhou buyer, its
    scenario project selected in Hangzhou is judged where the project is."""
    result = matcher.match_text("我们公司注册在湖州德清,做四足机器人整机。今年第一次向杭州滨江一家非关联公司采购了运动控制软件,"
                                "金额260万。另外我们有两个项目在杭州入选了市级智能机器人示范应用场景。")
    assert (_item(result, 2).status, _item(result, 7).status, _item(result, 7).amount_yuan) == \
        ("not_eligible", "eligible", 1_000_000)
    assert result.profile["places"] == {"demo_scenario_reward": "杭州市"}


def test_what_is_still_being_applied_for_states_no_condition(matcher: Matcher) -> None:
    """行业先进水平还没认定,正在申报: not a 'no', a pending measure (待补充 with its amount)."""
    item = _item(matcher.match_text("西湖区的整机企业,产业化项目实际投资1500万元(其中厂房300万),行业先进水平还没认定,正在申报。"), 6)
    assert (item.status, item.amount_yuan) == ("needs_info", 3_600_000)
    refused = _item(matcher.match_text("西湖区的整机企业,产业化项目实际投资1500万元(其中厂房300万),没有通过行业先进水平认定。"), 6)
    assert refused.status == "not_eligible"


def test_an_amount_goes_to_a_field_of_its_own_clauses_measure(matcher: Matcher) -> None:
    """子公司 in a purchase's clause names the supplier, so 600万 is the purchase, not affiliated sales."""
    result = matcher.match_text("我们是萧山的人形机器人整机厂,首台套已经认定。累计销售4000万,其中1500万是卖给集团内兄弟公司的。"
                                "另外我们第一次采购的智能芯片是从我们持股51%的杭州子公司买的,600万。")
    assert result.profile["first_purchase_local_yuan"] == 6_000_000
    assert (_item(result, 2).status, _item(result, 3).amount_yuan) == ("not_eligible", 1_250_000)


def test_an_english_description_reads_unaffiliated_sales_and_each_sentence_apart(matcher: Matcher) -> None:
    result = matcher.match_text("We are a humanoid robot maker in Binjiang, Hangzhou. The project has been recognized "
                                "as industry-advanced. Our humanoid robot passed 首台套 recognition and we sold 5 units "
                                "to unaffiliated customers for RMB 9.9 million. We exhibit at trade fairs in Munich.")
    assert result.profile["first_set_sales_yuan"] == 9_900_000
    assert (_item(result, 3).status, _item(result, 3).amount_yuan) == ("eligible", 990_000)
    assert _item(result, 14).status == "no_amount"


def test_a_sector_scenario_or_product_an_article_lists_fits_that_article(matcher: Matcher) -> None:
    """政策体检 lists the scenario articles (第8–13条, no amount) for what their own lists name:
    智能分拣 (智能分拣机), 纺织; a negated product fits nothing."""
    result = matcher.match_text("我们是建德的物流机器人企业,产品主要用于智能分拣和自动码垛。")
    assert (_item(result, 10).status, _item(result, 10).amount_yuan) == ("no_amount", None)
    assert _item(matcher.match_text("我们是萧山一家纺织厂,打算用机器人做新技改。"), 8).status == "no_amount"
    assert not any(i.article == 11 for i in matcher.match_text("我们在滨江做巡检机器人,不做外骨骼机器人。").items)


def test_excluded_parts_listed_together_add_up(matcher: Matcher) -> None:
    result = matcher.match_text("我们是钱塘区的机器人企业,产业化项目已认定行业先进水平,实际投资总额4200万元,"
                                "其中土地款800万元、厂房1200万元。")
    assert (_item(result, 6).status, _item(result, 6).amount_yuan) == ("eligible", 6_600_000)


def test_a_total_stated_as_unaffiliated_keeps_an_affiliated_part_beside_it(matcher: Matcher) -> None:
    """卖给非关联客户2300万元,另外还有400万元卖给了集团内的兄弟公司: 2300万 is already the base; the
    sentence speaks of first-set sales, so its 集团内 says nothing of the chip supplier."""
    result = matcher.match_text("我们是余杭区的人形机器人整机企业,人形机器人已认定首台套。今年卖给非关联客户2300万元,"
                                "另外还有400万元卖给了集团内的兄弟公司。我们还第一次从杭州一家芯片公司"
                                "(和我们没有任何股权或关联关系)采购了智能芯片,花了180万元。")
    assert [(_item(result, n).status, _item(result, n).amount_yuan) for n in (3, 2)] == \
        [("eligible", 1_150_000), ("eligible", 180_000)]


def test_what_is_left_after_a_part_is_the_base(matcher: Matcher) -> None:
    result = matcher.match_text("我们是滨江区的人形机器人整机企业,人形机器人被认定为首台套产品,今年一共卖了1000万,"
                                "其中200万是卖给我们控股子公司的,剩下800万是卖给外面的客户。")
    assert (_item(result, 3).status, _item(result, 3).amount_yuan) == ("eligible", 800_000)


def test_a_short_pending_clause_speaks_of_the_clause_before_it(matcher: Matcher) -> None:
    result = matcher.match_text("我们在钱塘区落了一个人形机器人产业化项目,实际投资已经到位900万元,全部是新购设备。"
                                "行业先进水平的认定材料已经交上去了,还没出结果。")
    assert (_item(result, 6).status, _item(result, 6).amount_yuan) == ("needs_info", 2_700_000)


def test_a_supplier_in_the_same_group_is_affiliated(matcher: Matcher) -> None:
    result = matcher.match_text("临平区人形机器人整机企业。今年首次从杭州的一家芯片公司采购了400万元智能芯片,"
                                "不过这家芯片公司和我们同属一个集团。")
    assert (_item(result, 2).status, _item(result, 2).amount_yuan) == ("not_eligible", 0)


def test_a_measure_held_by_an_amount_does_not_reach_into_the_next_sentence(matcher: Matcher) -> None:
    """The last sentence names no measure: what it says (同属一个集团) is read for the purchase too,
    not kept for the first-set sales of the sentence before it."""
    result = matcher.match_text("我们是滨江的人形机器人整机企业。我们第一次从杭州一家芯片公司采购了智能芯片,花了180万元。"
                                "人形机器人已认定首台套。今年卖给非关联客户2300万元。那家供应商和我们同属一个集团。")
    assert (_item(result, 2).status, _item(result, 3).amount_yuan) == ("not_eligible", 1_150_000)


def test_of_two_purchases_the_one_that_qualifies_counts(matcher: Matcher) -> None:
    """Each purchase's conditions come from its own stretch of text, up to where the next purchase
    is named again (另外还从…): the affiliate's chips do not rule out the unrelated firm's toolkit."""
    result = matcher.match_text("我们是上城区的工业机器人整机企业。今年第一次从杭州一家芯片公司买了300万元的芯片,"
                                "但那家是我们控股的子公司;另外还首次从杭州另一家软件企业(跟我们没有关联)"
                                "采购了工具包200万元。")
    assert (_item(result, 2).status, _item(result, 2).amount_yuan) == ("eligible", 200_000)


def test_a_repeat_purchase_is_not_a_first_purchase(matcher: Matcher) -> None:
    result = matcher.match_text("我们是余杭的服务机器人整机企业,前年第一次从杭州一家芯片公司采购时已经拿过采购奖励,"
                                "今年又从这家采购了300万元的芯片。")
    assert (_item(result, 2).status, _item(result, 2).amount_yuan) == ("not_eligible", 0)


def test_an_english_description_names_its_district_and_its_amounts_own_words(matcher: Matcher) -> None:
    """Binjiang is Hangzhou's district; an English amount's own words follow it (for land)."""
    profile = matcher.from_text("We are a humanoid robot maker in Binjiang District. Our industrialization "
                                "project has been recognized as industry-advanced. Actual investment is RMB 50 "
                                "million: 10 million for land and 40 million for new production equipment.")
    assert (profile["location"], profile["industrialization_investment_yuan"],
            profile["industrialization_land_buildings_used_yuan"]) == ("杭州市滨江区", 50_000_000, 10_000_000)


def test_a_hyphenated_word_does_not_name_a_measure(matcher: Matcher) -> None:
    profile = matcher.from_text("We are a foreign-invested robot maker in Hangzhou. This year we bought "
                                "chips for the first time from an unaffiliated Hangzhou company, RMB 2 million.")
    assert (profile["location"], profile["makes_robots"], profile["first_purchase_local_yuan"]) == \
        ("杭州市", True, 2_000_000)


def test_whom_an_enterprise_sells_to_does_not_describe_it(matcher: Matcher) -> None:
    result = matcher.match_text("我们是拱墅区的一家软件公司,做机器人运动控制算法,客户是各家整机厂。")
    # a measure's condition on what the enterprise is, said only of its customers: it is not one
    assert result.profile.get("makes_robots") is False
    assert [(i.article, i.status) for i in result.items if i.article == 2] == [(2, "no_amount")]


def test_the_customers_a_component_maker_supplies_are_not_what_it_is(matcher: Matcher) -> None:
    """Round AE: 主要给外地整机厂供货 — the 整机厂 are its customers; its own purchase of software
    is then no whole-machine maker's purchase."""
    result = matcher.match_text("临安一家做灵巧手和触觉传感器的公司,主要给外地整机厂供货,想申报市重点科研项目。"
                                "今年第一次采购了杭州一家非关联公司的仿真软件,150万。")
    assert result.profile["makes_robots"] is False
    assert (_item(result, 2).status, _item(result, 2).amount_yuan) == ("not_eligible", 0)


def test_an_enterprise_selling_the_listed_software_is_not_the_buyer(matcher: Matcher) -> None:
    """Round AE: the seller of the toolkits article 2 rewards the buying of gets no reward itself."""
    for text in ("We are a robot software company registered in Xihu District, Hangzhou. We sell motion-control "
                 "toolkits to robot makers; our first deal with an unaffiliated humanoid OEM in Qiantang was "
                 "RMB 1.8 million.",
                 "我们是西湖区一家机器人软件公司,把运动控制工具包卖给机器人整机厂,跟钱塘一家无关联的人形机器人整机厂的第一单是180万。"):
        result = matcher.match_text(text)
        assert (_item(result, 2).status, _item(result, 2).amount_yuan) == ("not_eligible", 0), text
    result = matcher.match_text("我们是滨江的整机厂,把机器人卖给医院,今年首次采购杭州非关联企业的芯片150万。")
    assert (_item(result, 2).status, _item(result, 2).amount_yuan) == ("eligible", 150_000)


def test_a_pending_recognition_leaves_what_the_product_is(matcher: Matcher) -> None:
    """Round AE: 其中一款人形机器人正在申请首台套认定 — pending is the recognition; the product is a
    humanoid, so the 首台套 amount is what it would be once recognised."""
    result = matcher.match_text("滨江区一家机器人整机企业。其中一款人形机器人正在申请首台套认定,目前非关联销售额320万。")
    assert result.profile["makes_humanoid"] is True
    assert (_item(result, 3).status, _item(result, 3).amount_yuan) == ("needs_info", 320_000)


def test_a_breakdown_of_the_total_is_no_other_project(matcher: Matcher) -> None:
    """Round AE: digits grouped by commas (5,600万) and the parts listed after the total (新设备2,000万)
    keep the recognition stated in the same sentence with the project."""
    result = matcher.match_text("钱塘区一家物流机器人企业,生产AMR整机。新工厂项目实际投资总额5,600万:土地1,000万、"
                                "厂房2,000万、从老厂搬来的旧设备600万,新设备和研发投入2,000万,已通过行业先进水平认定。")
    assert (_item(result, 6).status, _item(result, 6).amount_yuan) == ("eligible", 6_000_000)


def test_listed_items_named_by_their_specific_half(matcher: Matcher) -> None:
    """Round AE: 消防灭火机器人 names 第13条's 消防救援; a common half (管理 of 应急管理) names nothing."""
    result = matcher.match_text("建德市一家做消防灭火机器人的整机企业。")
    assert result.profile.get("scenario_city") is True
    assert matcher.match_text("余杭一家机器人整机企业,企业管理很规范。").profile.get("scenario_city") is None


def test_system_integration_for_state_firms_is_article_7(matcher: Matcher) -> None:
    result = matcher.match_text("萧山的工业机器人系统集成商,自己不生产整机。今年给本地一家国企做了机器人集成,国企用融资租赁方式采购。")
    assert [(i.article, i.status) for i in result.items if i.article == 7] == [(7, "no_amount")]


def test_english_demonstration_scene_pending(matcher: Matcher) -> None:
    result = matcher.match_text("We're a humanoid robot OEM in Binjiang, Hangzhou. We were shortlisted in this year's "
                                "demonstration application scene selection; the result is pending.")
    assert (_item(result, 7).status, _item(result, 7).amount_yuan) == ("needs_info", 500_000)


def test_a_stated_fact_rules_a_measure_out_without_an_amount(matcher: Matcher) -> None:
    """Not humanoid: the 首台套 article still supports the product, without an amount."""
    result = matcher.match_text("余杭一家做四足机器人的企业,我们的四足机器人已经认定了首台套。")
    assert (_item(result, 3).status, _item(result, 3).amount_yuan) == ("no_amount", None)


def test_a_negated_part_word_names_the_sales_without_the_part(matcher: Matcher) -> None:
    result = matcher.match_text("我们是滨江的人形机器人整机企业,人形机器人已经认定为首台套,"
                                "今年卖给外部客户(都不是关联方)1500万。")
    assert (_item(result, 3).status, _item(result, 3).amount_yuan) == ("eligible", 750_000)


def test_a_recognition_not_yet_applied_for_is_pending(matcher: Matcher) -> None:
    result = matcher.match_text("我们在萧山有一个人形机器人产业化项目,实际投资600万元,全部是新设备,"
                                "行业先进水平认定还没申请。")
    assert (_item(result, 6).status, _item(result, 6).amount_yuan) == ("needs_info", 1_800_000)


def test_sales_to_outside_customers_are_the_base_and_a_part_added_is_not_in_them(matcher: Matcher) -> None:
    """另外还有400万是卖给子公司的: added beside sales to external customers, not taken out of them."""
    result = matcher.match_text("我们是余杭的人形机器人整机企业,人形机器人已经认定为首台套产品,2024年卖给外部客户"
                                "2300万元,另外还有400万是卖给我们控股的子公司。")
    assert (_item(result, 3).status, _item(result, 3).amount_yuan) == ("eligible", 1_150_000)


def test_materials_handed_in_without_a_result_are_pending(matcher: Matcher) -> None:
    result = matcher.match_text("萧山的人形机器人产业化项目,实际投入2000万,全是设备。行业先进水平认定材料刚报上去,还没结果。")
    assert (_item(result, 6).status, _item(result, 6).amount_yuan) == ("needs_info", 6_000_000)


def test_a_project_chosen_in_the_selection_is_selected(matcher: Matcher) -> None:
    result = matcher.match_text("桐庐的机器人系统集成商。我们的项目今年已被评选为市智能机器人示范应用场景。")
    assert (_item(result, 7).status, _item(result, 7).amount_yuan) == ("eligible", 500_000)


def test_an_enterprise_seeking_financing_and_listing_services_fits_the_service_article(matcher: Matcher) -> None:
    result = matcher.match_text("余杭的机器人运营服务公司,我们正在找股权融资,也想找中介机构做上市辅导。")
    assert (_item(result, 18).status, _item(result, 18).amount_yuan) == ("no_amount", None)


def test_what_an_enterprise_buys_does_not_describe_it(matcher: Matcher) -> None:
    profile = matcher.from_text("我们是余杭区的人形机器人整机企业,今年第一次从杭州一家没有关联的公司采购了300万元的AI芯片。")
    assert profile.get("makes_chips_software") is None and profile["first_purchase_local_yuan"] == 3_000_000


def test_the_headline_never_hides_a_pending_measure_behind_0_yuan(matcher: Matcher) -> None:
    result = matcher.match_text("我们是余杭区的人形机器人整机企业,人形机器人已认定首台套。")
    assert (_item(result, 3).status, _item(result, 3).amount_yuan) == ("needs_info", None)
    assert result.totals == ("确定可获:0元", "补充材料后可能再获的金额待计算(见“待补充”各项)")
    sold = matcher.match_text("我们是余杭区的人形机器人整机企业,人形机器人已认定首台套,卖给非关联客户500万元。")
    assert sold.totals[0] == "确定可获:50万元"


def test_a_step_still_under_way_is_pending_whatever_verb_says_so(matcher: Matcher) -> None:
    """认定…还在办理 / 仍在核查: an ongoing adverb in the clause of a step of getting support."""
    result = matcher.match_text("拱墅的人形机器人公司,首台套认定目前仍在核查,今年卖给非关联客户2000万元。")
    assert (_item(result, 3).status, _item(result, 3).amount_yuan) == ("needs_info", 1_000_000)
    done = matcher.match_text("拱墅的人形机器人公司,首台套已经认定,还在扩大产能,今年卖给非关联客户2000万元。")
    assert (_item(done, 3).status, _item(done, 3).amount_yuan) == ("eligible", 1_000_000)


def test_an_english_step_not_done_yet_is_pending(matcher: Matcher) -> None:
    result = matcher.match_text("A humanoid robot maker in Fuyang. Our humanoid industrialization project has an actual "
                                "investment of RMB 8 million in new equipment; its industry-advanced certification "
                                "is not finished yet.")
    assert (_item(result, 6).status, _item(result, 6).amount_yuan) == ("needs_info", 2_400_000)
    recognised = matcher.match_text("A humanoid robot maker in Fuyang. Our humanoid industrialization project has an "
                                    "actual investment of RMB 8 million in new equipment, recognised as "
                                    "industry-advanced.")
    assert (_item(recognised, 6).status, _item(recognised, 6).amount_yuan) == ("eligible", 2_400_000)


def test_a_component_or_chip_maker_without_a_first_set_product_gets_article_3s_support(matcher: Matcher) -> None:
    """第3条 supports 核心零部件研发制造 and 智能芯片攻关 beside its 首台套 subsidy."""
    for text in ("临平的谐波减速器厂家,只做零部件。", "我们是余杭的类脑计算芯片设计公司。"):
        item = _item(matcher.match_text(text), 3)
        assert (item.status, item.amount_yuan) == ("no_amount", None), text


def test_a_fact_still_being_checked_is_pending(matcher: Matcher) -> None:
    result = matcher.match_text("余杭的整机企业,首次采购一家杭州公司的工具包200万,双方的关联关系目前还在核查。")
    assert (_item(result, 2).status, _item(result, 2).amount_yuan) == ("needs_info", 200_000)


def test_an_english_specialised_sme_fits_article_5(matcher: Matcher) -> None:
    result = matcher.match_text("A gripper maker in Yuhang. We hope to be recognised as a 'little giant' SME.")
    assert _item(result, 5).status == "no_amount"


def test_a_humanoid_component_team_without_a_first_set_product_gets_article_3s_support(matcher: Matcher) -> None:
    result = matcher.match_text("富阳的创业团队,研发人形机器人用的减速器和电机。")
    assert (_item(result, 3).status, _item(result, 3).amount_yuan) == ("no_amount", None)


def test_a_part_a_measure_leaves_out_keeps_its_clause_on_that_measure(matcher: Matcher) -> None:
    """从德国买的二手设备 is 第6条's 旧设备, not a purchase of 第2条: the recognition stated after it
    is the project's."""
    result = matcher.match_text("余杭的仓储物流机器人整机企业。新上产业化项目实际投资2800万,其中800万是从德国买的二手设备,"
                                "厂房是租的,已认定行业先进水平。")
    assert (_item(result, 6).status, _item(result, 6).amount_yuan) == ("eligible", 6_000_000)


def test_english_parts_each_written_before_their_amount_add_up(matcher: Matcher) -> None:
    result = matcher.match_text("We are an industrial robot maker in Qiantang. Industrialisation project: actual "
                                "investment RMB 90 million, of which land RMB 15 million and plant buildings RMB 25 "
                                "million; the rest is new equipment.")
    assert result.profile["industrialization_land_buildings_used_yuan"] == 40_000_000
    assert _item(result, 6).amount_yuan == 15_000_000


def test_a_recognition_done_for_a_project_under_construction_is_no_pending_fact(matcher: Matcher) -> None:
    """正在建设的…项目已认定为行业先进水平 (web round 6): 正在 is the building's, 已 the recognition's."""
    result = matcher.match_text("余杭区的人形机器人整机企业。正在建设的人形机器人产业化项目已认定为行业先进水平,"
                                "实际投资总额6000万元,其中厂房1000万元。")
    assert (_item(result, 6).status, _item(result, 6).amount_yuan) == ("eligible", 15_000_000)


def test_sales_stated_as_to_outside_customers_settle_that_they_are_unaffiliated(matcher: Matcher) -> None:
    """对外部客户销售额2400万元: a total stated without the affiliated part says the rest is to
    non-affiliates — 5% of 2400万, not 待补充."""
    item = _item(matcher.match_text("滨江区人形机器人整机企业,双足人形机器人去年通过了首台套认定,"
                                    "今年对外部客户销售额2400万元。"), 3)
    assert (item.status, item.amount_yuan) == ("eligible", 1_200_000)


def test_a_range_of_amounts_is_pending_with_its_upper_end(matcher: Matcher) -> None:
    """金额还在谈,80万到150万之间: not settled; the favourable case is 150万 (10% = 15万)."""
    item = _item(matcher.match_text("西湖区人形机器人整机企业。准备第一次采购杭州一家无关联公司的智能芯片,"
                                    "金额还在谈,80万到150万之间。"), 2)
    assert (item.status, item.amount_yuan) == ("needs_info", 150_000)


def test_an_investor_seeking_fund_support_and_offering_financing_services(matcher: Matcher) -> None:
    """第15条 统筹利用…产业基金集群等政策; 第18条 专业中介服务机构 (股权融资): no amounts."""
    result = matcher.match_text("萧山的一家股权投资机构,专投机器人早期项目。想知道市里的产业基金会不会支持机器人项目,"
                                "以及政策里对我们这种做融资服务的机构有没有支持。")
    assert [(i.article, i.status) for i in result.items if i.article in (15, 18)] == [
        (15, "no_amount"), (18, "no_amount")]


def test_an_item_named_by_its_core_and_products_by_their_usual_names(matcher: Matcher) -> None:
    """康复外骨骼 … 进医院、进养老院: 外骨骼 of 外骨骼机器人, 医院 of 智慧医院 (第11条); 物流AMR: the
    usual name of an autonomous mobile robot (第10条)."""
    health = matcher.match_text("做康复外骨骼的,公司在西湖区,也想知道我们的产品进医院、进养老院这块有没有政策。")
    assert (11, "no_amount") in {(i.article, i.status) for i in health.items}
    logistics = matcher.match_text("临安青山湖科技城的机器人整机企业,做物流AMR。")
    assert (10, "no_amount") in {(i.article, i.status) for i in logistics.items}


def test_a_thing_of_its_own_after_the_parts_is_no_part(matcher: Matcher) -> None:
    """其中土地400万、厂房500万、新设备1300万: 新设备 is not a third part (2200 − 900 = 1300万 × 30%)."""
    item = _item(matcher.match_text("建德的机器人零部件企业,不做整机。今年新建项目总投资2200万,其中土地400万、厂房500万、"
                                    "新设备1300万,已经认定具有行业先进水平。"), 6)
    assert (item.status, item.amount_yuan) == ("eligible", 3_900_000)


def test_external_sales_with_affiliated_sales_beside_them(matcher: Matcher) -> None:
    """对外销售2.8亿元,另外有5000万卖给关联公司: 2.8亿 is already without the part (2% = 560万)."""
    item = _item(matcher.match_text("萧山一家人形机器人公司,首台套已认定,今年对外销售2.8亿元,另外有5000万卖给关联公司。"), 3)
    assert (item.status, item.amount_yuan) == ("eligible", 5_600_000)


def test_a_humanoid_project_of_a_maker_of_other_robots_outside_hangzhou(matcher: Matcher) -> None:
    """嘉兴 服务机器人整机企业 … 在余杭新设了一个人形机器人产业化项目,实际投资800万 … 认定还没拿到: the
    project is humanoid (门槛500万) and in 余杭; 待补充 with 240万 once recognised."""
    item = _item(matcher.match_text("我们是嘉兴南湖的服务机器人整机企业。另外我们在余杭仓前新设了一个人形机器人产业化项目,"
                                    "实际投资800万,都是新设备,行业先进水平认定还没拿到。"), 6)
    assert (item.status, item.amount_yuan) == ("needs_info", 2_400_000)


def test_a_step_not_taken_for_a_planned_project_is_pending(matcher: Matcher) -> None:
    """计划在萧山投一个人形机器人产业化项目,预计投资3000万(不含土地厂房),还没开工,也没认定: the project is not
    made yet, nor its recognition: 待补充 with 900万; an actual project not recognised gets nothing."""
    planned = _item(matcher.match_text("我们总部在上海松江,做人形机器人整机。计划在萧山投一个人形机器人产业化项目,"
                                       "预计投资3000万(不含土地厂房),还没开工,也没认定。"), 6)
    assert (planned.status, planned.amount_yuan) == ("needs_info", 9_000_000)
    actual = _item(matcher.match_text("萧山的机器人整机企业,产业化项目实际投资1.5个亿,没有通过行业先进水平认定。"), 6)
    assert (actual.status, actual.amount_yuan) == ("not_eligible", 0)


def test_a_chip_seller_gets_no_purchase_reward_and_a_recognition_under_review_is_pending(assistant) -> None:  # noqa: ANN001
    sold = assistant.matcher.match_text("西湖区一家高校孵化的芯片公司,也卖智能芯片给整机厂。滨江一家跟我们没关系的整机企业今年"
                                        "第一次采购了我们150万的芯片。我们自己能拿那10%吗?")
    assert [(i.article, i.status, i.amount_yuan) for i in sold.items if i.article == 2] == [(2, "not_eligible", 0)]
    review = assistant.matcher.match_text("临安的人形机器人初创公司。首台套认定材料已经递交,还在审。目前这款人形机器人卖给非关联客户800万。")
    assert [(i.article, i.status, i.amount_yuan) for i in review.items if i.article == 3] == [(3, "needs_info", 800_000)]


def test_english_parts_and_shows_a_production_base_and_listed_scenarios(assistant) -> None:  # noqa: ANN001
    sensors = assistant.matcher.match_text(
        "We are a Japanese-invested maker of six-axis force/torque sensors in Qiantang District, Hangzhou. Most of "
        "our sensors go to humanoid robot OEMs in Hangzhou. We'd like support for attending trade shows in Japan.")
    assert {(i.article, i.status) for i in sensors.items} >= {(3, "no_amount"), (14, "no_amount")}
    base = assistant.matcher.match_text("公司总部在上海浦东,做人形机器人,正考虑在杭州未来科技城新设生产基地。规划投资1.2亿,"
                                        "其中设备8000万、厂房4000万,还没开始投,行业先进水平认定也没做。")
    assert [(i.article, i.status, i.amount_yuan) for i in base.items if i.article == 6] == [(6, "needs_info", 24_000_000)]
    kids = assistant.matcher.match_text("上城区做少儿编程和陪伴机器人的整机公司,产品主要卖给家庭和学校。")
    assert any(i.article == 12 for i in kids.items)  # 情感陪伴's core


def test_the_report_says_the_pending_total_as_the_screen_does(assistant) -> None:  # noqa: ANN001
    """Web round 8: the Markdown report's 可能合计 said 250万 where the screen said 待计算."""
    result = assistant.matcher.match_text("余杭区的人形机器人整机企业,首台套卖给非关联方5000万;计划建产业化项目,投资额还没定。")
    md = markdown_report(result)
    assert result.totals[1] in md and "补充信息后可能合计" not in md


def test_a_rate_given_as_a_maximum_is_said_as_a_ceiling_everywhere(assistant) -> None:  # noqa: ANN001
    """Web round 9: 第6条 资助 按不高于…的30%: 政策体检 counted 150万 in 确定可获 where the chat
    says "at most". The item, the headline, both reports and the chat say 最高; the JSON keeps
    total_certain_yuan as CONTRACT.md defines it and adds the ceiling part."""
    result = assistant.matcher.match_text(
        "我们是余杭区的人形机器人整机企业,首台套对非关联方卖了2000万元;新建产业化项目实际投资800万元,"
        "其中厂房300万元,已认定行业先进水平。")
    six, three = _item(result, 6), _item(result, 3)
    assert (six.status, six.amount_yuan, six.at_most) == ("eligible", 1_500_000, True)
    assert (three.status, three.amount_yuan, three.at_most) == ("eligible", 1_000_000, False)
    assert result.totals[0] == "确定可获:100万元;另可获最高150万元(条文只规定上限,以认定结果为准)"
    data = result.to_dict()
    assert (data["total_certain_yuan"], data["total_at_most_yuan"]) == (2_500_000, 1_500_000)
    md = markdown_report(result)
    assert f"**{result.totals[0]}**" in md and "最高150万元(1,500,000 元)" in md
    answer = assistant.ask("人形机器人产业化项目实际投资800万元,其中厂房300万元,已认定行业先进水平,能资助多少?")
    assert answer.calculation is not None and answer.calculation.amount_yuan == 1_500_000
    assert "**最高可获:150万元(1,500,000 元)**" in answer.answer
    assert "at_most" not in answer.calculation.to_dict()  # CONTRACT.md's calculation object


def test_descriptions_read_from_ys_first_run(assistant) -> None:  # noqa: ANN001
    """Round Y's descriptions: a step not taken yet with words between (还没做过认定) is pending, not
    refused; building a line is no building; an English part after of which, its verb right after
    it, is money; a customer's kind is not what the enterprise makes; machine vision is 第3条's and
    第8条's."""
    from assistant.lang.reading import pending

    assert pending("项目也还没做过行业先进水平认定") and not pending("没有通过行业先进水平认定")
    planned = assistant.matcher.match_text("我们是苏州的人形机器人公司,准备在杭州萧山设产业化基地,预计实际投资1000万,"
                                           "都是新设备,行业先进水平还没进行认定。")
    assert [(i.status, i.amount_yuan) for i in planned.items if i.article == 6] == [("needs_info", 3_000_000)]
    english = assistant.matcher.match_text(
        "We are a humanoid robot OEM in Binjiang with a first-of-its-kind certified model. Sales are RMB 5 million, "
        "of which 1 million went to our parent company. We are also building a new assembly line with actual "
        "investment of RMB 9 million, all new machines, not yet assessed.")
    assert english.profile["first_set_affiliated_sales_yuan"] == 1_000_000
    assert english.profile["industrialization_investment_yuan"] == 9_000_000
    assert {(i.article, i.status, i.amount_yuan) for i in english.items if i.article in (3, 6)} == {
        (3, "eligible", 400_000), (6, "needs_info", 2_700_000)}
    seller = assistant.matcher.match_text("我们是富阳的电机厂,今年卖给一家人形机器人整机厂一批伺服电机。")
    assert seller.profile.get("makes_humanoid") is not True
    vision = assistant.matcher.match_text("余杭一家做工业相机和机器视觉检测的公司,不做整机。")
    assert {(i.article, i.status) for i in vision.items} >= {(3, "no_amount"), (8, "no_amount")}


def _articles(matcher: Matcher, text: str) -> dict[int, tuple[str, int | None]]:
    return {i.article: (i.status, i.amount_yuan) for i in matcher.match_text(text).items}


def test_a_product_the_whole_document_names_puts_a_maker_in_no_scenario(matcher: Matcher) -> None:
    """人形机器人 is in five articles, among them 第9条's products: a humanoid maker that names no
    文旅教娱 scenario is not listed under 第9条 (web rounds 3–10); a 文旅 company is."""
    assert 9 not in _articles(matcher, "我们是滨江的人形机器人整机企业,首台套产品已认定,今年非关联销售2000万。")
    assert 9 in _articles(matcher, "我们是建德的文旅公司,在景区用四足机器人做导览。")


def test_a_negated_relation_with_a_determiner_is_still_no_relation(matcher: Matcher) -> None:
    items = _articles(matcher, "我们是拱墅区的机器人整机企业,第一次从余杭一家和我们没有任何关系的公司采购了智能芯片,合同额300万。")
    assert items[2] == ("eligible", 300_000)


def test_an_english_purchase_in_the_past_is_the_purchase_measure(matcher: Matcher) -> None:
    """bought … toolkits: 第2条's purchase, not more 首台套 sales of the sentence before."""
    items = _articles(matcher, "We are a humanoid robot maker in Binjiang. The product is recognised as 首台套; "
                               "sales were RMB 20 million, of which RMB 5 million went to our parent company. We also "
                               "bought toolkits for the first time from an unrelated Hangzhou company for RMB 2 million.")
    assert items[3] == ("eligible", 750_000) and items[2] == ("eligible", 200_000)  # 1500万 × 5%


def test_a_production_line_with_its_investment_is_the_project_measure(matcher: Matcher) -> None:
    items = _articles(matcher, "余杭的人形机器人整机企业,今年首次向滨江一家非关联公司买了大模型软件300万。另外我们在临平建了人形机器人"
                               "生产线,实际已投入900万,都是新设备,已认定行业先进水平。")
    assert items[2] == ("eligible", 300_000) and items[6] == ("eligible", 2_700_000)


def test_hiring_engineers_a_fund_and_trade_in_name_their_articles(matcher: Matcher) -> None:
    """AA: 招…工程师 is recruiting talent (第17条), a bare 基金 asks for fund support (第15条), a VC needs
    第18条's services, and wanting products in 以旧换新 is 第7条's support besides its reward."""
    items = _articles(matcher, "上城区的协作机器人公司,正在招运动控制工程师,也想了解政府有什么基金。")
    assert items[17] == ("no_amount", None) and items[15] == ("no_amount", None)
    assert _articles(matcher, "我们是一家专投硬科技的风投机构,在滨江。")[18] == ("no_amount", None)
    assert _articles(matcher, "临平的清洁机器人企业,希望产品进入以旧换新目录。")[7] == ("no_amount", None)


def test_an_english_project_in_a_hangzhou_district_is_judged_where_it_is(matcher: Matcher) -> None:
    """AB: a firm registered in Suzhou setting up a production project in Xiaoshan, Hangzhou: 第6条 is
    judged where the project is (a preposition puts it there as 在 does)."""
    result = matcher.match_text("We're an industrial robot maker registered in Suzhou. We are setting up a production "
                                "project in Xiaoshan, Hangzhou: actual investment RMB 30 million, all new equipment. "
                                "It has been recognised as industry-advanced.")
    assert result.profile["places"] == {"industrialization_funding": "杭州市萧山区"}
    assert (_item(result, 6).status, _item(result, 6).amount_yuan) == ("eligible", 9_000_000)


def test_sales_to_a_parent_named_by_its_country_are_the_affiliated_part(matcher: Matcher) -> None:
    """AB: …RMB 150 million in total, of which RMB 30 million went to our Japanese parent: the rest, 1.2亿,
    is the non-affiliated sales."""
    result = matcher.match_text("Our subsidiary in Binjiang District makes humanoid robots; the model is a certified "
                                "首台套 product. Sales: RMB 150 million in total, of which RMB 30 million went to our "
                                "Japanese parent.")
    assert result.profile["first_set_affiliated_sales_yuan"] == 30_000_000
    assert (_item(result, 3).status, _item(result, 3).amount_yuan) == ("eligible", 2_400_000)


def test_an_incubator_and_recruited_engineers_are_facts_of_their_articles(matcher: Matcher) -> None:
    """AB: running a robot incubator (第5条's 项目孵化产业化) and recruiting core technical staff (第17条)."""
    result = matcher.match_text("西湖区一家科技服务公司,运营一个机器人孵化器,正在招聘运动控制方向的核心技术人员。")
    assert {(i.article, i.status) for i in result.items} >= {(5, "no_amount"), (17, "no_amount")}
    hiring = matcher.match_text("我们在滨江做机器人,正在招运动控制和感知方向的核心技术人员。").profile
    assert hiring["recruits_talent"] is True


def test_one_controller_is_affiliation_and_exporting_is_going_abroad(matcher: Matcher) -> None:
    """AC: a supplier with 同一个实际控制人 is affiliated (第2条 0 元); a maker exporting to Europe goes
    abroad (第14条)."""
    result = matcher.match_text("余杭的AGV整机企业,今年第一次采购芯片,供应商是杭州的,但跟我们是同一个实际控制人,金额300万。"
                                "产品开始出口东南亚。")
    assert (_item(result, 2).status, _item(result, 2).amount_yuan) == ("not_eligible", 0)
    assert (14, "no_amount") in {(i.article, i.status) for i in result.items}


def test_the_seller_a_description_names_is_not_what_the_enterprise_makes(matcher: Matcher) -> None:
    """Web round 13: 向无关联的杭州芯片企业采购智能芯片 — 芯片 names the seller and what is bought; a
    humanoid maker does not make chips."""
    profile = matcher.match_text("我们是注册在余杭区的人形机器人整机企业,今年首次向无关联的杭州芯片企业采购智能芯片200万元。").profile
    assert profile["makes_chips"] is None and profile["makes_humanoid"] is True
    assert matcher.match_text("我们是滨江的芯片设计公司,给整机厂供货。").profile["makes_chips"] is True


def test_a_kind_word_naming_a_field_is_not_the_enterprises_product(matcher: Matcher) -> None:
    """AD: 我们还在引进机器人运动控制方面的海外高层次人才 — 机器人 names the talent's field, not a
    non-humanoid product: the humanoid maker's 首台套 sales keep 第3条 (6.5亿 → capped 1000万)."""
    result = matcher.match_text("拱墅人形机器人整机企业,已认定首台套的一款产品累计对非关联方销售6.5亿。"
                                "我们还在引进机器人运动控制方面的海外高层次人才。")
    assert (_item(result, 3).status, _item(result, 3).amount_yuan) == ("eligible", 10_000_000)


def test_a_former_place_is_not_where_the_enterprise_is(matcher: Matcher) -> None:
    """AG: 总部原在上海,准备把人形机器人生产搬到余杭 — the enterprise is moving to 余杭; 上海 is where
    it was. The planned project (厂房 left out) waits for its recognition: 1200万 × 30% once settled."""
    result = matcher.match_text("我们总部原在上海,准备把人形机器人生产搬到余杭。新项目实际投资预计2000万,其中厂房800万,"
                                "其余是新设备;行业先进水平认定还没申请。")
    assert result.profile["location"] == "杭州市余杭区"
    assert (_item(result, 6).status, _item(result, 6).amount_yuan) == ("needs_info", 3_600_000)


def test_a_supplier_the_enterprise_holds_shares_in_is_affiliated(matcher: Matcher) -> None:
    """AG: 从杭州一家我们持股30%的参股公司买的 — an affiliated supplier: 第2条 not eligible."""
    result = matcher.match_text("桐庐县的配送机器人整机企业。第一次采购软件是从杭州一家我们持股30%的参股公司买的,250万。")
    assert result.profile["supplier_unaffiliated"] is False
    assert (_item(result, 2).status, _item(result, 2).amount_yuan) == ("not_eligible", 0)


def test_robots_installed_for_customers_are_the_integrators_scenario(matcher: Matcher) -> None:
    """AG: an integrator 帮客户装了50台工业机器人 — the manufacturing scenario of 第8条 (工业机器人 is
    its own word: 年装备工业机器人), though the customers are named."""
    result = matcher.match_text("建德一家系统集成商,不生产机器人,主要给水泥厂和化工企业做机器人巡检、码垛改造。"
                                "今年帮客户装了50台工业机器人。")
    assert result.profile["scenario_manufacturing"] is True
    assert _item(result, 8).status == "no_amount"


def test_a_parts_maker_is_listed_under_the_article_for_parts_makers(matcher: Matcher) -> None:
    """Web round 17: 机器人核心零部件企业 … 我们不做整机 — 第5条 (整机及零部件企业做大做强, 专精特新) is
    for it too, beside 第3条."""
    result = matcher.match_text("我们是杭州市余杭区的机器人核心零部件企业,主要做谐波减速器和灵巧手。我们不做整机,也没有人形机器人产品。")
    assert {3, 5} <= {i.article for i in result.items}


def test_a_site_set_up_in_a_district_is_the_project_s_place(matcher) -> None:  # noqa: ANN001
    """AN ranp15, AM ramp14: 我们是上海的…公司,准备在滨江设全资子公司、建产业化基地,…预计实际投资4000万 — the
    project is where the clause before its own sets the site up (滨江), pending its recognition: 第6条
    needs information (up to 1200万), not 'registered outside'."""
    result = matcher.match_text("我们是上海的人形机器人公司,准备在滨江设全资子公司、建产业化基地,协议已签,"
                                "预计实际投资4000万(不含土地厂房),行业先进认定还没申请。")
    assert result.profile["places"] == {"industrialization_funding": "杭州市滨江区"}
    item = next(i for i in result.items if i.article == 6)
    assert (item.status, item.amount_yuan) == ("needs_info", 12_000_000)


@pytest.mark.parametrize("text, item", [
    # AS rasp10: 码垛机 is the tail 第10条's 自动码垛机 writes nowhere else
    ("萧山的码垛机器人整机厂。我们的码垛机主要卖给物流仓储。", (10, "no_amount", None)),
    # AS rasp18: 柔性拣选 of 智能物流柔性拣选
    ("滨江,做物流分拣系统集成,不生产机器人整机。主要项目是快递分拣中心的柔性拣选。", (10, "no_amount", None)),
    # AS rasp11: 体验馆, the first item of 以智能机器人为主题的体验馆、竞技场、演艺场
    ("钱塘下沙的人形机器人企业。我们还在园区开了一个机器人主题体验馆。", (9, "no_amount", None)),
    # AS rasp17: 引进一批研发人员 is bringing in talent (第17条)
    ("西湖区的灵巧手团队。人手不够,想引进一批研发人员。", (17, "no_amount", None)),
    # AR rarp01: 一家不相关的芯片公司 is an unrelated supplier
    ("我们是滨江区的人形机器人整机企业。今年第一次从杭州一家不相关的芯片公司采购了他们自研的AI推理芯片,合同金额180万。",
     (2, "eligible", 180_000)),
])
def test_description_words_from_the_articles_lists(matcher: Matcher, text: str, item: tuple) -> None:
    result = matcher.match_text(text)
    assert item in [(i.article, i.status, i.amount_yuan) for i in result.items]


@pytest.mark.parametrize("text, amount", [
    # round AV (ravp16, ravp10): a humanoid robot company, a maker of complete AMRs — whole-robot makers
    ("滨江人形机器人公司。首台套已认定,今年对非关联方销售额正好1000万元。首次采购杭州非关联企业的智能芯片700万。", 500_000),
    ("We are the Hangzhou subsidiary (Binjiang) of a Singapore robotics group and build complete AMRs locally. "
     "Our first purchase of navigation software from an unrelated Hangzhou vendor was RMB 2.3 million.", 230_000),
])
def test_a_robot_company_is_a_whole_robot_maker(matcher: Matcher, text: str, amount: int) -> None:
    item = _item(matcher.match_text(text), 2)
    assert (item.status, item.amount_yuan) == ("eligible", amount)


def test_a_robot_components_company_is_not_one(matcher: Matcher) -> None:
    item = _item(matcher.match_text("我们是一家机器人零部件公司,做减速器,首次采购杭州非关联企业的芯片200万"), 2)
    assert (item.status, item.amount_yuan) == ("not_eligible", 0)
