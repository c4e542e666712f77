"""Every amount form through the whole chain: `ask --json`, `/api/ask` (the handler) and
`match --text` read the same exact integer — no padding guard, clause reader or guess filter may
rewrite a digit (12000000元 is 1200万, not 1.2万; 1111万 is not 111万)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from assistant.answer.conversation import Conversation
from assistant.cli import cli
from assistant.lang.amounts import format_yuan
from assistant.ops.feedback import FeedbackStore
from ui.handlers import Handlers

WAN = 10 ** 4
CN = "零一二三四五六七八九"


def chinese(n: int) -> str:
    """1..9999 in Chinese numerals (一千零五十)."""
    out, zero = "", False
    for d, unit in zip(f"{n:04d}", "千百十 "):
        if d == "0":
            zero = bool(out)
            continue
        out += ("零" if zero else "") + CN[int(d)] + unit.strip()
        zero = False
    return out


@st.composite
def amounts(draw: st.DrawFn) -> tuple[str, int]:
    """(a written amount, its value in yuan) in the forms people type."""
    wan = draw(st.integers(min_value=100, max_value=9999))  # 100万 … 9999万: every tier of 第3条
    form = draw(st.sampled_from(["digits", "digits_sep", "wan", "chinese_wan", "yi"]))
    if form == "digits":
        return f"{wan * WAN}元", wan * WAN
    if form == "digits_sep":
        return f"{wan * WAN:,}元", wan * WAN
    if form == "wan":
        return f"{wan}万", wan * WAN
    if form == "chinese_wan":
        return f"{chinese(wan)}万元", wan * WAN
    yi = draw(st.integers(min_value=1, max_value=9))
    return f"{yi}亿", yi * 10 ** 8


def expected_award(sales: int) -> int:
    """第3条 as the text reads (the reached tier's rate on the whole amount, cap 1000万)."""
    rate = 2 if sales >= 10 ** 8 else 5 if sales >= 10 ** 7 else 10
    return min(sales * rate // 100, 10_000_000)


@pytest.fixture(scope="module")
def handlers(assistant, tmp_path_factory: pytest.TempPathFactory) -> Handlers:
    return Handlers(assistant, FeedbackStore(tmp_path_factory.mktemp("fb") / "fb.sqlite3"))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(amounts())
@example(("12000000元", 12_000_000))
@example(("30000000元", 30_000_000))
@example(("1111万元", 11_110_000))
@example(("100000000元", 100_000_000))
def test_every_amount_form_through_every_surface(assistant, handlers: Handlers, written) -> None:
    text, value = written
    question = f"人形机器人首台套对非关联方销售额{text},补助多少?"
    api = handlers.ask(question)
    assert api["calculation"]["inputs"]["sales_yuan"] == value, question
    assert api["calculation"]["amount_yuan"] == expected_award(value)
    res = CliRunner().invoke(cli, ["ask", "--json", question], catch_exceptions=False)
    assert res.exit_code == 0 and json.loads(res.stdout)["calculation"]["inputs"]["sales_yuan"] == value
    described = f"我们是滨江区的人形机器人企业,首台套产品卖给无关联的客户{text}。"
    result = assistant.matcher.match_text(described)
    assert result.profile["first_set_sales_yuan"] == value
    fact = next(f for f in result.read if f.field == "first_set_sales_yuan")
    assert described[fact.start:fact.end] == fact.text and fact.value == value


def test_a_guess_is_not_the_amount(assistant) -> None:
    """卖了5000万,是不是能拿500万? — the asker's own figure is not the sales."""
    a = assistant.ask("人形机器人首台套卖了5000万,是不是能拿500万?")
    assert a.calculation.inputs["sales_yuan"] == 50_000_000 and a.calculation.amount_yuan == 2_500_000
    result = assistant.matcher.match_text("我们人形机器人首台套今年卖了1.5亿,我们自己算的是1.5亿×2%=300万")
    assert result.profile["first_set_sales_yuan"] == 150_000_000


def test_an_enterprise_elsewhere_is_not_in_hangzhou_whatever_it_makes(assistant) -> None:
    a = assistant.ask("公司在绍兴柯桥做机器人整机,从杭州一家非关联企业首次采购芯片500万,可以拿奖励吗,多少")
    assert (a.calculation.eligible, a.calculation.inputs["hangzhou_whole_machine"]) == (False, False)


def test_a_bare_benefit_keyword_after_figures_asks_about_them(assistant) -> None:
    a = assistant.ask("在杭整机 首次采购 0.05亿 智能芯片 供应商杭企 非关联 奖励?")
    assert a.found and a.calculation.amount_yuan == 500_000


def test_a_part_named_beside_the_sales_without_it_settles_the_rest(assistant) -> None:
    """150万 to unrelated customers is the base; the 200万 to an affiliate is named beside it."""
    a = assistant.ask("首台套认定的人形机器人,卖给无关联的客户150万,另外卖给关联方200万,补多少")
    assert (a.calculation.eligible, a.calculation.amount_yuan) == (True, 150_000)


def test_a_component_sold_as_first_set_is_no_humanoid_robot(assistant) -> None:
    a = assistant.ask("减速器卖了500万 都给非关联方 能申请首台套那个补助吗 我们不做整机")
    assert (a.calculation.eligible, a.calculation.inputs["humanoid"]) == (False, False)


def test_a_part_word_right_before_the_next_amount_is_that_amounts(assistant) -> None:
    """其中新设备2亿 厂房1亿: 厂房 names the 1亿, not the 2亿 before it."""
    a = assistant.ask("余杭 智能机器人产业化项目 实际投资3亿 其中新设备2亿 厂房1亿 已认定行业先进 最多资助多少")
    assert (a.calculation.inputs["excluded_yuan"], a.calculation.amount_yuan) == (100_000_000, 60_000_000)


def test_a_county_of_the_province_named_short_is_not_in_hangzhou(assistant) -> None:
    """德清 (湖州's 德清县), named without 县: an enterprise there is not 在杭."""
    a = assistant.ask("整机企业在德清,采购杭州非关联企业的软件 200万 首次,能奖20万不")
    assert (a.calculation.eligible, a.calculation.inputs["hangzhou_whole_machine"]) == (False, False)


def test_the_parts_after_a_planned_total_are_its_parts(assistant) -> None:  # noqa: ANN001
    """计划投4000万,土地1500万,厂房1000万: the total is planned, its parts with it — (4000 − 2500)
    × 30% = 450万, not a total taken from the parts."""
    answer = assistant.ask("人形机器人产业化项目,计划投4000万,土地1500万,厂房1000万,其余新设备,假设能认定先进水平")
    assert answer.calculation.amount_yuan == 4_500_000


@pytest.mark.parametrize(("question", "amount"), [
    ("机器人产业化项目 投2000万 一半是买厂房 另一半新设备 已认定先进", 3_000_000),
    ("人形机器人项目实际投资3000万,其中三分之一是土地,已认定先进", 6_000_000),
])
def test_a_part_stated_as_a_share_of_the_total(assistant, question: str, amount: int) -> None:  # noqa: ANN001
    assert assistant.ask(question).calculation.amount_yuan == amount


def test_a_humanoid_project_of_a_maker_of_other_robots(assistant) -> None:  # noqa: ANN001
    """建了一个人形机器人产业化项目: the project is humanoid (门槛500万) whatever the enterprise
    itself makes (机器人整机公司)."""
    answer = assistant.ask("我们是绍兴的一家机器人整机公司,在余杭投资600万建了一个人形机器人产业化项目,全部新设备,"
                           "已认定先进水平,能拿多少")
    assert answer.calculation.amount_yuan == 1_800_000


def test_a_part_named_beside_the_sales_is_not_inside_them(assistant) -> None:  # noqa: ANN001
    """对外销售2.8亿元,另外有5000万卖给关联公司: 另外 puts the affiliated sales beside the 2.8亿
    (2% = 560万); 其中2000万 puts them inside a total (6000 − 2000 = 4000万 × 5% = 200万)."""
    assert assistant.ask("萧山一家人形机器人公司,首台套已认定,今年对外销售2.8亿元,另外有5000万卖给关联公司,补多少"
                         ).calculation.amount_yuan == 5_600_000
    assert assistant.ask("人形首台套 一共卖了6000万,其中2000万卖给关联方,补多少").calculation.amount_yuan == 2_000_000


def test_a_stated_fact_that_rules_a_measure_out_gives_0_without_an_amount(assistant) -> None:  # noqa: ANN001
    """德清 (湖州) supplier: 第2条 needs a Hangzhou supplier — 0 元 whatever the purchase; a
    non-humanoid 首台套 (supported without an amount) is no 0."""
    answer = assistant.ask("我们是德清的公司(湖州那个德清),做机器人控制软件,跟客户没有任何关联。杭州的整机厂第一次买"
                           "我们的软件,他们能拿那个10%的奖励吗?")
    assert answer.calculation.amount_yuan == 0 and not answer.calculation.eligible
    assert assistant.ask("工业机器人首台套(不是人形的)补助比例").calculation is None


@pytest.mark.parametrize("question, topic", [
    ("办公室房租能补多少", "房租"),  # web round 8: not 能补
    ("人才公寓租金补贴标准是多少", "租金"),
    ("智能机器人企业研发费用加计扣除比例", "加计"),  # web round 10: not the library's domain word
    ("我们是滨江区的企业,有没有办公室租金补贴", "租金"),  # web round 12: not the asker's district
    ("我们是杭州的机器人企业,租的厂房,有没有厂房租金补贴?每平方米补多少?", "租金"),  # web 16: not 每平方米
    ("扩产贷款能贴息吗", "贷款"),  # web round 15: what the money is asked for, not 扩产
])
def test_the_dashboard_groups_a_question_by_what_it_is_about(handlers: Handlers, question: str, topic: str) -> None:
    assert handlers.dashboard_tab.topic(question) == topic


def test_a_word_split_by_chance_names_no_topic(handlers: Handlers) -> None:
    """Web round 23: 展位费能补贴 is cut 展位 / 费能 — the word after the thing is no dictionary word."""
    assert handlers.dashboard_tab.topic("去上海参加国内机器人展会的展位费能补贴吗?") == "展位"


def test_one_question_in_two_languages_is_one_topic() -> None:
    """Web round 23: 房租 and renting were two topics of one rent question."""
    import datetime as dt

    from ui.dashboard import Dashboard
    from ui.supervisor import DashboardHandlers

    rows = [{"created_at": f"2026-12-0{d}T03:00:00+0000", "question": q, "found": 0, "citations": "[]",
             "calculation": None, "rating": None, "comment": None, "feedback_at": None, "channel": "chat"}
            for d, q in ((1, "办公室房租能补多少"), (2, "Any subsidy for renting an office?"))]
    topics = {"办公室房租能补多少": "房租", "Any subsidy for renting an office?": "renting"}
    board = Dashboard.build(rows, dt.date(2026, 12, 1), dt.date(2026, 12, 2), topics.__getitem__,
                            DashboardHandlers.senses)
    assert board.unanswered_topics() == [["房租", 2, "Any subsidy for renting an office?"]]


def test_the_dashboard_dates_default_to_the_day_the_page_is_opened(handlers: Handlers, monkeypatch) -> None:  # noqa: ANN001
    """Web round 23: a page opened after midnight kept the day the server started as its end date."""
    import datetime as dt

    import ui.dashboard
    from ui.app import build_app

    demo = build_app(handlers, staff=True)
    boxes = {c.label: c for c in demo.blocks.values() if getattr(c, "label", None) in ("开始日期(北京时间)", "结束日期")}

    class Later(dt.datetime):
        @classmethod
        def now(cls, tz=None):  # noqa: ANN001, ANN206
            return dt.datetime(2031, 1, 2, 0, 30, tzinfo=tz)

    monkeypatch.setattr(ui.dashboard.dt, "datetime", Later)
    assert boxes["结束日期"].load_event_to_attach[0]() == "2031-01-02"
    assert boxes["开始日期(北京时间)"].load_event_to_attach[0]() == "2030-12-04"


@pytest.mark.parametrize("question, amount", [
    # each product its own tier and cap, the results added
    ("人形机器人首台套两款产品都认定了,A款非关联销售3000万,B款非关联销售12000000元,两款合计能补多少", 2_100_000),
    # one amount for each of two products: the per-product cap twice
    ("我们两个不同型号的人形产品都认定了首台套,各卖了8亿(非关联),一共能补多少", 20_000_000),
    # one amount of both products together: one calculation
    ("人形机器人首台套两款产品合计卖了3000万,能补多少", 1_500_000),
])
def test_several_products_of_a_per_product_measure(assistant, question: str, amount: int) -> None:  # noqa: ANN001
    assert assistant.ask(question).calculation.amount_yuan == amount


def test_several_products_are_said_one_by_one() -> None:
    from assistant.calc.calculators import calculate_items, load_rulebook  # noqa: PLC0415

    from .conftest import CORPUS  # noqa: PLC0415

    rule = next(r for r in load_rulebook(CORPUS).rules if r.article == 3)
    calc = calculate_items(rule, (30_000_000, 12_000_000), {"humanoid": True, "recognized": True, "non_affiliated": True})
    assert calc.steps == ["第1个产品:对非关联方销售额3000万元,可获150万元。", "3000万元 × 5% = 150万元",
                          "第2个产品:对非关联方销售额1200万元,可获60万元。", "1200万元 × 5% = 60万元",
                          "合计:150万元 + 60万元 = 210万元"]
    assert calc.inputs["items_yuan"] == [30_000_000, 12_000_000] and calc.amount_yuan == 2_100_000


def test_a_purchase_split_into_listed_and_other_products_counts_the_listed_part(assistant) -> None:  # noqa: ANN001
    """第2条's list: of 150万, the 100万 of chips counts, the 50万 of reducers does not — in chat and in
    政策体检 alike."""
    text = "滨江的四足机器人整机企业,今年第一次从杭州一家非关联供应商采购,合同150万,其中智能芯片100万、减速器50万"
    answer = assistant.ask(text + ",奖励多少")
    assert answer.calculation.amount_yuan == 100_000
    assert "采购额150万元中,只有所列产品的100万元计入(第2条所列以外的产品不计)。" in answer.answer
    checked = assistant.matcher.match_text(text + "。")
    assert [(i.article, i.status, i.amount_yuan) for i in checked.items if i.article == 2] == [(2, "eligible", 100_000)]


@pytest.mark.parametrize("text", [
    "余杭的整机企业,第一次采购,合同里杭州非关联公司的智能芯片150万+谐波减速器200万,一共350万",
    "整机企业首次采购杭州非关联企业智能芯片150万、减速器50万,合计200万",
])
def test_the_parts_of_a_purchase_before_their_total_count_the_listed_part(assistant, text) -> None:  # noqa: ANN001
    """The parts named first and their total after them: only the chips' 150万 counts (the buyer's
    整机 before the purchase verb names no part)."""
    answer = assistant.ask(text + ",奖励多少钱")
    assert answer.calculation.amount_yuan == 150_000


@pytest.mark.parametrize("question, cap", [
    ("采购芯片最多能奖多少", 500_000), ("采购芯片奖励封顶多少", 500_000), ("人形机器人首台套最高补多少", 10_000_000),
    ("What's the maximum purchase reward?", 500_000),
])
def test_the_ceiling_asked_without_an_amount_is_the_answer(assistant, question, cap) -> None:  # noqa: ANN001
    """AQ raqd11c: 最多能奖多少 states no amount — the measure's ceiling answers it (最高可获), with how
    the exact amount would be computed, not a request for the amount."""
    answer = assistant.ask(question)
    assert (answer.calculation.eligible, answer.calculation.amount_yuan) == (True, cap)
    if question.isascii():
        return
    assert f"本条最高不超过{format_yuan(cap)}" in answer.answer and "如需计算具体金额" not in answer.answer


def test_a_ratio_asked_without_an_amount_still_asks_for_it(assistant) -> None:  # noqa: ANN001
    """首台套补助比例是多少 asks no ceiling: the amount is asked for."""
    answer = assistant.ask("首台套补助比例是多少")
    assert answer.calculation is None and "如需计算具体金额,请提供对非关联方销售额" in answer.answer


def test_an_amount_with_enough_of_a_measures_own_words_is_covered(assistant) -> None:  # noqa: ANN001
    """Words the library lacks (分公司, 假定, 剩余) do not hide a calculation its rule data reads."""
    answer = assistant.ask("分公司实际投资1.2亿,其中土地2000万,剩余全是新设备,假定认定了行业先进,能资助多少")
    assert answer.found and answer.calculation.amount_yuan == 30_000_000  # (1.2亿 − 2000万) × 30%


@pytest.mark.parametrize("question, thing", [
    ("国企用融资租赁方式引进机器人 有贴息吗", "贴息"),  # 有…吗 asks whether a kind of money exists
    ("人形机器人出口做UL认证的费用 能补吗", "认证"),  # what a cost was for, traceless in the library
])
def test_money_for_a_thing_the_library_lacks_is_not_provided(assistant, question: str, thing: str) -> None:  # noqa: ANN001
    answer = assistant.ask(question)
    assert not answer.found and f"没有规定“{thing}" in answer.answer


def test_a_policy_named_with_its_words_in_another_order_is_one_the_text_refers_to(assistant) -> None:  # noqa: ANN001
    """The text has 专项招引政策 (鼓励区、县(市)制定…): a district's 招引专项政策 is referred to, not
    held — its figures are a gap, not 第6条's."""
    policies = assistant.retriever.judge.policies
    assert policies.referenced("余杭区自己出的机器人招引专项政策 补多少") == ["余杭区自己出的机器人招引专项政策"]
    assert policies.unknown("余杭区自己出的机器人招引专项政策 补多少") == []
    answer = assistant.ask("余杭区自己出的机器人招引专项政策 补多少")
    assert answer.calculation is None and "具体金额或比例" in answer.gaps


@pytest.mark.parametrize("question", [
    "物业管理类机器人 这种设备的补贴 是不是给100万",  # the asker's guess states no figure
    "智能机器人产业省级创新中心 建成后 奖励多少",  # 建成后: what happened; the 中心 is the thing
])
def test_money_for_what_an_article_names_without_money_is_not_provided(assistant, question: str) -> None:  # noqa: ANN001
    assert not assistant.ask(question).found


def test_examples_before_the_kind_they_illustrate_weigh_little(assistant) -> None:  # noqa: ANN001
    for question in ("拖地擦窗这类家务机器人 文件里有吗", "擦窗、做家务的家用机器人 意见里提到没有"):
        answer = assistant.ask(question)
        assert answer.found and answer.citations[0].article == 12


def test_whether_money_is_given_of_an_article_giving_none_states_the_gap(assistant) -> None:  # noqa: ANN001
    answer = assistant.ask("新能源汽车电池项目 有没有投资补助")
    assert answer.found and "具体金额或比例" in answer.gaps


def test_a_supplier_named_as_our_parent_is_affiliated(assistant) -> None:  # noqa: ANN001
    answer = assistant.ask("We are a robot maker in Binjiang. We bought AI chips for RMB 3 million from our Singapore "
                           "parent for the first time. How much is the reward?")
    assert answer.calculation is not None and not answer.calculation.eligible


@pytest.mark.parametrize("question, article", [
    ("我们项目在宁波北仑 智能机器人产业化 实际投了5000万 也认定行业先进了 这个政策能资助多少", 6),  # AC
    ("有家整机厂第一次买我们的芯片 200万 他们能拿多少奖励?他们公司在苏州", 2),  # AC: the buyer's place
])
def test_where_the_project_or_buyer_is_is_a_fact_of_the_calculation(assistant, question: str, article: int) -> None:  # noqa: ANN001
    """A place named as where the project or the buyer is, with a measure's facts and an amount: the
    calculator says 0 (outside Hangzhou), not "another place's policy"."""
    answer = assistant.ask(question)
    assert answer.found and answer.calculation is not None
    assert (answer.calculation.article, answer.calculation.amount_yuan) == (article, 0)
    assert assistant.ask("宁波的人形机器人首台套政策 卖了3000万 补多少").found is False


def test_is_there_still_money_asks_for_an_amount(assistant) -> None:  # noqa: ANN001
    """AC: 还有钱吗 after 没评上 asks for money: the calculator says 0 (not selected)."""
    answer = assistant.ask("报了示范应用场景 结果没评上 还有钱吗")
    assert answer.calculation is not None and (answer.calculation.article, answer.calculation.amount_yuan) == (7, 0)


def test_a_part_named_for_the_amount_before_is_not_the_next_ones(assistant) -> None:  # noqa: ANN001
    """AD: 其中1000万是从老厂搬来的旧设备,另外2000万新设备 — the 旧设备 clause is the 1000万's; the
    2000万 of new equipment stays in the base: (3000万 − 1000万) × 30% = 600万, not 0."""
    answer = assistant.ask("余杭一个智能机器人产业化项目,认定了先进水平,实际投资3000万,其中1000万是从老厂搬来的旧设备,"
                           "另外2000万新设备,资助多少")
    assert answer.calculation is not None and answer.calculation.amount_yuan == 6_000_000


def test_a_question_stating_the_measures_conditions_asks_for_its_money(assistant) -> None:
    """Round AE: 整机 stands beside the article's money in its text, but 已认定先进水平 is the
    measure's own condition: 12亿 − 2亿 − 3亿 = 7亿 × 30% = 2.1亿, capped at 1亿."""
    a = assistant.ask("萧山 智能机器人整机基地 实际投资12亿 土地2亿 厂房3亿 已认定先进水平 资助多少")
    assert a.found and a.calculation.amount_yuan == 100_000_000
    # a word of the measure that is only its trigger (软件) still leaves 首版次's money absent
    assert not assistant.ask("机器人软件评上首版次之后 奖励多少钱").found


def test_english_parts_named_before_their_amounts(assistant) -> None:
    """Round AE: of which land 10 million and used equipment 5 million — both parts, 3000万 × 30%."""
    a = assistant.ask("Intelligent robot production project in Xiaoshan, recognised as industry-advanced. Actual "
                      "investment RMB 45 million, of which land 10 million and used equipment 5 million. Max funding?")
    assert a.calculation.amount_yuan == 9_000_000


def test_a_rate_applied_before_an_amount_is_the_askers_result(assistant) -> None:
    conv = Conversation()
    assistant.ask("萧山 智能机器人产业化项目 实际投资12亿 土地2亿 厂房3亿 已认定先进水平 资助多少", conv)
    a = assistant.ask("按30%算不是2.1个亿吗", conv)
    assert a.calculation is not None and a.calculation.amount_yuan == 100_000_000


def test_a_correction_of_the_amount_recalculates(assistant) -> None:
    conv = Conversation()
    assert assistant.ask("整机厂 第一次采购 杭州非关联企业的应用软件 80万 有奖励么", conv).calculation.amount_yuan == 0
    a = assistant.ask("搞错了,合同金额是120万,80万只是首付款", conv)
    assert a.found and a.calculation.amount_yuan == 120_000


def test_the_relation_stated_of_the_seller_decides_affiliation(assistant) -> None:
    """Round AE: the affiliate named is the buyer (our sister company … buying … from that unrelated
    supplier); a later word about the seller itself corrects it."""
    a = assistant.ask("我们的兄弟公司从一家无关联的杭州芯片企业首次采购了150万芯片,它是滨江的整机厂,能拿多少")
    assert a.calculation.amount_yuan == 150_000
    a = assistant.ask("滨江整机厂,从一家无关联的公司买的芯片150万,不过那家公司是我们子公司")
    assert a.calculation.amount_yuan == 0


def test_an_english_purchase_of_ai_chips_names_the_listed_product(assistant) -> None:
    """Web round 14: our first purchase of AI chips — no "does not say it is a chip" note."""
    a = assistant.ask("We are a robot maker in Hangzhou. This is our first purchase of AI chips from an unrelated "
                      "Hangzhou chip designer, 3 million yuan. How much reward can we get?")
    assert a.calculation.amount_yuan == 300_000 and a.calculation.inputs["listed_product"] is True


def test_money_asked_without_a_benefit_word_for_a_listing(assistant) -> None:
    a = assistant.ask("我们是上城区做机器人大模型的,开源算法平台想申报市级开源开放示范平台,能给多少钱")
    assert not a.found
    assert assistant.ask("灵巧手和一体化关节研发能获得支持吗?").citations[0].article == 3


def test_a_correction_of_the_part_replaces_it(assistant) -> None:
    """Round AF: 不对,关联的是2200万 after 其中有1200万是卖给集团内关联公司的 — the part is 2200万, not
    both: 3000万 − 2200万 = 800万 × 10%."""
    conv = Conversation()
    assistant.ask("首台套 人形 卖了3000万 都是外部客户 补多少", conv)
    assert assistant.ask("等下,其中有1200万是卖给集团内关联公司的", conv).calculation.amount_yuan == 900_000
    assert assistant.ask("不对,关联的是2200万", conv).calculation.amount_yuan == 800_000


def test_a_correction_naming_the_listed_part_of_a_purchase(assistant) -> None:
    """Round AF: 150万里有50万是买的相机硬件,软件本身100万 — the listed part (software) is the purchase."""
    conv = Conversation()
    assistant.ask("我们在临安青山湖做工业机器人整机,第一次采购杭州另一家公司的视觉软件,150万,两家没关联,奖多少", conv)
    a = assistant.ask("哦算错了,150万里有50万是买的相机硬件,软件本身100万", conv)
    assert (a.calculation.eligible, a.calculation.amount_yuan) == (True, 100_000)


def test_the_amount_the_last_answer_asked_for(assistant) -> None:
    """Round AF: the answer asked for the first purchase amount; the next turn gives it (English,
    1.3 million before signing is money)."""
    conv = Conversation()
    assistant.ask("I'm with a Singapore-invested firm in Xihu district making robot control software. Is there "
                  "anything that rewards our customers for buying from us?", conv)
    a = assistant.ask("Our customer is a humanoid OEM in Yuhang, no equity ties with us; their first order is "
                      "RMB 0.9 million.", conv)
    assert (a.calculation.eligible, a.calculation.amount_yuan) == (False, 0)
    a = assistant.ask("They raised that first order to 1.3 million before signing.", conv)
    assert a.calculation.amount_yuan == 130_000


def test_that_articles_departments_in_full(assistant) -> None:
    conv = Conversation()
    assistant.ask("城市道路巡检的机器人政策怎么说", conv)
    assert assistant.ask("那条的责任单位全称都列一下", conv).citations[0].article == 13


def test_reimbursement_asked_of_an_article_without_a_figure_states_the_gap(assistant) -> None:
    a = assistant.ask("我们去迪拜做商务洽谈,机票住宿能报多少")
    assert not a.found or a.gaps


def test_a_fair_and_the_askers_ownership_are_no_topics(assistant) -> None:
    """Round AF: 汉诺威工博会 is where one exhibits (第14条); 德国独资 is who asks."""
    assert assistant.ask("去汉诺威工博会参展,这个政策有没有补助的说法").citations[0].article == 14
    assert assistant.ask("我们是德国独资的,在钱塘新区做机器人,招人方面这个意见有相关措施吗").found
    assert not assistant.ask("外资企业有什么特殊政策").found
    assert assistant.ask("扫地机 陪伴机器人 这种家用消费类的 政策怎么写的").citations[0].article == 12


def test_the_mark_a_figure_is_measured_against_is_no_fact(assistant) -> None:
    """AK: 卖给外部客户一共999万,离1000万差一点 — 1000万 is the band the asker falls short of, not
    the sales (10% of 999万)."""
    a = assistant.ask("我们人形机器人首台套去年认定了,卖给外部客户一共999万,离1000万差一点,补多少")
    assert a.calculation.amount_yuan == 999_000
    near = assistant.ask("人形机器人首台套 非关联销售额95万 差一点到100万 能补多少")  # (AM ram032)
    assert (near.calculation.eligible, near.calculation.inputs["sales_yuan"]) == (False, 950_000)


def test_a_yes_or_no_verb_is_nothing_money_is_for(assistant) -> None:
    """AP rap058: 够不够拿奖励 asks whether 99.5万 is enough — no 够不够奖励 the policy lacks: 0 元
    below the 100万 threshold."""
    a = assistant.ask("我们临平的,做移动机器人整机,第一次买杭州本地一家(无关联)公司的工具包,99.5万,够不够拿奖励?能拿多少")
    assert a.found and (a.calculation.eligible, a.calculation.amount_yuan) == (False, 0)


def test_a_verb_saying_whether_it_can_be_reached_is_nothing_money_is_for(assistant) -> None:
    """AR rar065: 98万,够得上奖励吗 — 够得上 asks whether 98万 reaches the threshold: 0 元."""
    a = assistant.ask("余杭的协作机器人整机厂,第一次从杭州一家没关联的公司采购视觉软件工具包,98万,够得上奖励吗")
    assert a.found and (a.calculation.eligible, a.calculation.amount_yuan) == (False, 0)


def test_a_keyword_group_asking_its_own_figure_is_not_what_money_is_for(assistant) -> None:
    """AR rar023: 实际投资门槛是多少 资助比例 — two asks of 第6条, not a 门槛资助 it lacks."""
    a = assistant.ask("人形机器人产业化项目 实际投资门槛是多少 资助比例")
    assert a.found and a.citations[0].article == 6


def test_the_same_controller_in_everyday_words_is_an_affiliation(assistant) -> None:
    """AJ raj078: 供应商跟我们是同一个实控人 (实控人, the everyday 实际控制人): affiliated, 0."""
    a = assistant.ask("余杭整机企业,采购的应用软件供应商跟我们是同一个实控人,首次采购150万,能拿多少奖励")
    assert (a.calculation.eligible, a.calculation.amount_yuan) == (False, 0)


def test_a_product_applied_for_is_not_yet_recognised(assistant) -> None:
    """Web round 19: 产品已申报首台套 in 政策体检 — applied for, not recognised: 第3条 waits (needs_info),
    while 已申报并已认定 holds."""
    text = ("我们是杭州市余杭区的一家人形机器人整机企业,产品已申报首台套,对非关联方销售额2000万元。")
    result = assistant.matcher.match_text(text)
    assert "first_set_subsidy" in result.profile.get("pending", [])
    held = assistant.matcher.match_text(text.replace("已申报首台套", "已申报首台套并已认定"))
    assert "first_set_subsidy" not in held.profile.get("pending", [])


def test_a_supplier_whose_chips_another_firm_buys_gets_no_purchase_reward(assistant) -> None:
    """AK rakp03: 去年临平一家机器人整机厂第一次采购我们的芯片 … 我们作为供应商能不能拿 — the 整机厂 is
    the buyer the text introduces, the enterprise the seller: 第2条 not eligible."""
    text = ("我们是滨江一家做机器人专用AI芯片的设计公司,芯片是自己研发的。去年临平一家机器人整机厂第一次采购我们的芯片,"
            "金额800万,双方没有任何关联。想问我们作为供应商能不能拿那个10%的奖励。")
    item = next(m for m in assistant.matcher.match_text(text).items if m.article == 2)
    assert (item.status, item.amount_yuan) == ("not_eligible", 0)


def test_a_third_purchase_is_no_first_one(assistant) -> None:
    """AL ral058: 已经是第三次采购了 这次600万 第一次才80万 — not the first purchase: 0 (第二次 was the only
    ordinal the rule data read)."""
    a = assistant.ask("我们是西湖区的整机企业 从滨江一家非关联芯片公司买芯片 已经是第三次采购了 这次600万 第一次才80万 能拿奖励吗")
    assert (a.calculation.eligible, a.calculation.amount_yuan) == (False, 0)


def test_a_word_of_two_initials_is_the_phrase_they_begin(assistant) -> None:  # noqa: ANN001
    """AM ramd15d: 首采奖励 — 首采, which no dictionary lists, is 首次采购 (the initials of two words a
    library phrase joins): 第2条's money, not a benefit the policy lacks."""
    a = assistant.ask("那买杭州芯片的首采奖励最高多少")
    assert a.found and a.citations[0].article == 2


def test_a_terse_keyword_group_after_a_negated_one_is_not_negated(assistant) -> None:  # noqa: ANN001
    """AN ran087: 首台套 工业机械臂 不是人形的 非关联卖了800万 — 不是 negates 人形, not the next keyword
    group (非关联): not a humanoid, so the policy sets no amount (the gap), never 'affiliated'."""
    a = assistant.ask("首台套 工业机械臂 不是人形的 非关联卖了800万 补多少")
    assert a.calculation.inputs["non_affiliated"] is True and "具体金额或比例" in a.gaps
