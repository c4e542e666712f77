"""Conversations without a language model: follow-ups carry the article or the calculation,
clarifying questions are answered with 是/否, and state stays bounded."""

from __future__ import annotations

import pytest
from assistant.answer.conversation import MAX_TURNS, leans_on_previous, points_back, questions_in, yes_no
from assistant.answer.chain import Conversation
from assistant.models import Answer
from assistant.ops.store import conversation_from_dict, conversation_to_dict


def test_the_follow_up_rule() -> None:
    assert leans_on_previous("它的责任单位是谁?") and leans_on_previous("那如果销售额是8亿呢?")
    assert leans_on_previous("And which departments are responsible for it?")
    assert not leans_on_previous("智能机器人产业化项目实际投资总额达到多少可以申请资助,资助比例和上限分别是多少?")
    assert yes_no("是的") is True and yes_no("不是。") is False and yes_no("人形机器人") is None


def test_pronoun_follow_up_stays_on_the_article(assistant) -> None:
    conv = Conversation()
    assert assistant.ask("第8条讲了什么?", conv).citations[0].article == 8
    follow = assistant.ask("它的责任单位是谁?", conv)
    assert follow.found and follow.citations[0].article == 8 and "市经信局" in follow.answer
    original = assistant.ask("原文怎么说的?", conv)
    assert original.citations[0].article == 8


def test_english_follow_up(assistant) -> None:
    conv = Conversation()
    assistant.ask("Which article covers medical and elderly-care robots?", conv)
    follow = assistant.ask("And which departments are responsible for it?", conv)
    assert follow.citations[0].article == 11 and "市卫健委" in follow.answer


def test_next_and_previous_article(assistant) -> None:
    conv = Conversation()
    assistant.ask("第十四条讲什么?", conv)
    assert assistant.ask("下一条呢?", conv).citations[0].article == 15
    assert assistant.ask("上一条呢?", conv).citations[0].article == 14


def test_a_follow_up_with_its_own_topic_moves_on(assistant) -> None:
    conv = Conversation()
    assistant.ask("第十一条讲什么?", conv)
    assert assistant.ask("文旅教娱那条呢?", conv).citations[0].article == 9


def test_a_new_topic_is_not_carried(assistant) -> None:
    conv = Conversation()
    assistant.ask("第8条讲了什么?", conv)
    assert not assistant.ask("杭州小客车摇号怎么申请?", conv).found
    other = assistant.ask("减速器研发有支持吗?", conv)
    assert other.citations[0].article == 3


def test_clarifying_question_then_yes_or_no(assistant) -> None:
    conv = Conversation()
    first = assistant.ask("人形机器人首台套销售额3000万元补助多少?", conv)
    assert first.clarification is not None and first.clarification.condition == "non_affiliated"
    assert "若为“否”" in first.answer  # both outcomes shown in the first reply
    assert "需要确认" in first.answer
    yes = assistant.ask("是的", conv)
    assert yes.calculation.inputs["non_affiliated"] is True and yes.calculation.amount_yuan == 1_500_000
    assert "assumed" not in yes.calculation.inputs
    conv = Conversation()
    assistant.ask("人形机器人首台套销售额3000万元补助多少?", conv)
    no = assistant.ask("不是", conv)
    assert no.calculation.eligible is False and no.calculation.amount_yuan == 0


def test_facts_stated_in_an_earlier_turn_still_hold(assistant) -> None:
    """A caller who said the project is humanoid, then gives figures, gets the humanoid threshold
    (and is told so); saying otherwise later wins."""
    conv = Conversation()
    assistant.ask("人形机器人产业化项目的投资资助门槛是多少?", conv)
    answer = assistant.ask("我们实际投资总额600万,其中厂房200万,已经认定先进水平了,最多补多少?", conv)
    assert answer.calculation.amount_yuan == 1_200_000 and "沿用前面对话" in answer.answer
    answer = Conversation()
    alone = assistant.ask("我们实际投资总额600万,其中厂房200万,已经认定先进水平了,最多补多少?", answer)
    assert alone.calculation.amount_yuan == 0 and "沿用" not in alone.answer
    conv = Conversation()
    assistant.ask("我们做人形机器人,产业化项目投资资助门槛是多少?", conv)
    later = assistant.ask("另一个项目是工业机械臂,不是人形机器人,实际投资总额600万,能补多少?", conv)
    assert later.calculation.amount_yuan == 0 and "沿用" not in later.answer


def test_a_total_said_again_keeps_the_parts_stated_before(assistant) -> None:  # noqa: ANN001
    """AJ: 不对 总投资是0.9亿,土地厂房旧设备那几块不变 dropped the 3500万 of land, plant and used
    equipment stated before (30% of 9000万); another project's total does not take them."""
    conv = Conversation()
    first = assistant.ask("人形机器人产业化项目 实际投资0.8亿 包含土地0.2亿 厂房0.1亿 旧设备0.05亿 已认定先进 "
                          "最多资助多少", conv)
    assert first.calculation.amount_yuan == 13_500_000
    again = assistant.ask("不对 总投资是0.9亿,土地厂房旧设备那几块不变", conv)
    assert again.calculation.amount_yuan == 16_500_000  # (9000万 − 3500万) × 30%
    other = assistant.ask("另一个项目 实际投资600万 人形 能补多少", conv)
    assert other.calculation.amount_yuan == 1_800_000
    # the total said again in a clause naming the affiliate: the affiliates' part still stays out
    conv = Conversation()
    assistant.ask("人形首台套已经认定 对外卖了1500万 补多少", conv)
    assert assistant.ask("哦其中300万卖给了子公司", conv).calculation.amount_yuan == 600_000
    both = assistant.ask("那子公司那笔也算上行不行 按1500万算", conv).calculation
    assert both.eligible and both.amount_yuan == 600_000


def test_a_fair_named_after_another_article_is_a_question_of_its_own(assistant) -> None:  # noqa: ANN001
    """AJ: 我们想参加汉诺威工业展 有补贴吗, after 第13条's scenarios, stayed on 第13条."""
    conv = Conversation()
    assert assistant.ask("建德一家做消防救援机器人的 有没有相关场景", conv).citations[0].article == 13
    assert assistant.ask("我们想参加汉诺威工业展 有补贴吗", conv).citations[0].article == 14


def test_ask_json_keeps_defaults_and_lists_assumptions(assistant) -> None:
    a = assistant.ask("人形机器人首台套销售额3000万元补助多少?")
    assert a.clarification is None  # no conversation: no question back
    assert a.calculation.inputs["assumed"] == ["non_affiliated"]


def test_history_is_bounded() -> None:
    conv = Conversation()
    for i in range(MAX_TURNS + 5):
        conv.record(f"q{i}", Answer(f"q{i}", "a", True), None)
    assert len(conv.history) == MAX_TURNS and conv.history[0][0] == "q5"


def test_a_supplier_place_settles_the_supplier_condition(assistant) -> None:
    """A supplier named in Hangzhou is a Hangzhou supplier; a later place alone (那在桐庐呢) moves
    the supplier there, inside or outside the city."""
    conv = Conversation()
    first = assistant.ask("我们是滨江的整机企业,第一次从杭州一家非关联公司采购了智能芯片,金额200万,奖励多少", conv)
    assert first.calculation.inputs["hangzhou_supplier"] is True
    assert "hangzhou_supplier" not in first.calculation.inputs.get("assumed", [])
    assert assistant.ask("如果供应商在宁波呢?", conv).calculation.amount_yuan == 0
    back = assistant.ask("那在桐庐呢", conv)
    assert (back.calculation.inputs["hangzhou_supplier"], back.calculation.amount_yuan) == (True, 200_000)
    assert assistant.ask("在绍兴诸暨呢", conv).calculation.amount_yuan == 0


def test_a_fact_of_the_last_measure_without_its_words_updates_it(assistant) -> None:
    conv = Conversation()
    assistant.ask("首次采购杭州非关联企业的工具包,300万,在杭整机企业,奖励多少", conv)
    later = assistant.ask("其实供应商是我们的关联公司,我们持股40%", conv)
    assert (later.calculation.inputs["non_affiliated"], later.calculation.amount_yuan) == (False, 0)
    conv = Conversation()
    assistant.ask("临安的整机企业,从余杭的芯片公司采购芯片450万,双方无关联,奖励多少", conv)
    again = assistant.ask("补充一下,我们前年就已经从他们那买过芯片了", conv)
    assert (again.calculation.inputs["first_purchase"], again.calculation.amount_yuan) == (False, 0)


def test_an_english_follow_up_without_a_topic_stays_on_the_article(assistant) -> None:
    conv = Conversation()
    assistant.ask("How much can a recognized humanoid robot first-of-its-kind (首台套) product get if it sold "
                  "RMB 50 million to unrelated buyers?", conv)
    answer = assistant.ask("Which department is responsible?", conv)
    assert answer.citations[0].article == 3 and "市经信局" in answer.answer


def test_the_enterprise_place_and_the_supplier_place_are_read_apart(assistant) -> None:
    """我们是 Ningbo 的 OEM buying from Hangzhou: the buyer is outside (no reward), the supplier is
    not; a later 'Hangzhou-based OEM in Yuhang' settles the buyer inside."""
    conv = Conversation()
    first = assistant.ask("我们是 Ningbo 的 robot OEM,首次从杭州非关联 company 采购 AI chips 300万,能拿 reward 吗?", conv)
    assert (first.calculation.inputs["hangzhou_whole_machine"], first.calculation.inputs["hangzhou_supplier"]) \
        == (False, True)
    later = assistant.ask("What if we were a Hangzhou-based OEM, say in Yuhang District — how much then?", conv)
    assert (later.calculation.inputs["hangzhou_whole_machine"], later.calculation.amount_yuan) == (True, 300_000)


def test_what_the_enterprise_said_of_itself_holds_for_every_measure(assistant) -> None:
    """不做整机 said in a first, general turn still holds when the next turn asks for the purchase
    reward (it needs a whole-machine maker); a fact of another measure would not."""
    conv = Conversation()
    assistant.ask("我们是钱塘的谐波减速器零部件企业,不做整机,政策支持吗", conv)
    answer = assistant.ask("我们从杭州非关联企业首次买了200万的应用软件,能拿第2条那个10%奖励吗", conv)
    assert (answer.calculation.inputs["hangzhou_whole_machine"], answer.calculation.amount_yuan) == (False, 0)
    assert "沿用前面对话" in answer.answer


def test_a_condition_asked_about_is_not_carried_as_a_fact(assistant) -> None:
    """关联方的销售算不算 asks whether affiliated sales count; the next figure is still computed."""
    conv = Conversation()
    assistant.ask("首台套 3000万 补多少", conv)
    assistant.ask("关联方的销售算不算", conv)
    answer = assistant.ask("那1亿呢", conv)
    assert (answer.calculation.eligible, answer.calculation.amount_yuan) == (True, 2_000_000)


def test_a_purchase_stated_in_a_follow_up_with_colloquial_unrelatedness(assistant) -> None:
    """跟我们没关系的公司 and AI芯片 are the library's 非关联 and 人工智能 (vocabulary synonyms)."""
    conv = Conversation()
    assistant.ask("你好,我们是滨江做机器人整机的,想问下采购芯片有没有奖励", conv)
    answer = assistant.ask("是从杭州一家跟我们没关系的公司买的AI芯片,第一次买,花了260万", conv)
    assert answer.found and (answer.calculation.eligible, answer.calculation.amount_yuan) == (True, 260_000)


def test_a_part_named_besides_the_last_one_adds_to_it(assistant) -> None:
    """除了地以外厂房也是自建的 adds 厂房 to 地; 还有…旧设备 adds again."""
    conv = Conversation()
    first = assistant.ask("萧山有个工业机器人产业化项目,已经认定具有行业先进水平,实际投资6000万,其中买地1000万,其余是设备,能资助多少", conv)
    second = assistant.ask("不好意思说错了,除了地以外厂房也是自建的,花了2000万", conv)
    third = assistant.ask("还有500万是从老厂搬过来的旧设备", conv)
    assert [a.calculation.amount_yuan for a in (first, second, third)] == [15_000_000, 9_000_000, 7_500_000]


def test_an_asking_word_is_no_topic_of_a_follow_up(assistant) -> None:
    """土地 厂房 算不算: 算不算 asks, it names nothing the library lacks."""
    conv = Conversation()
    assistant.ask("项目资助 投资门槛", conv)
    answer = assistant.ask("土地 厂房 算不算", conv)
    assert answer.found and answer.citations[0].article == 6


def test_a_follow_up_asking_a_figure_the_article_lacks_states_the_gap(assistant) -> None:
    conv = Conversation()
    assistant.ask("第11条讲的是什么", conv)
    answer = assistant.ask("补贴多少钱一台", conv)
    assert answer.citations[0].article == 11 and answer.gaps == ["具体金额或比例"]


def test_a_short_follow_up_asking_the_cap_stays_on_the_measure(assistant) -> None:
    """封顶多少 after a 首台套 amount: the last article's cap, not an article about caps."""
    conv = Conversation()
    assistant.ask("人形首台套 非关联 800万 补多少", conv)
    answer = assistant.ask("封顶多少", conv)
    assert answer.citations[0].article == 3


def test_a_part_of_another_kind_adds_to_the_parts_named_before(assistant) -> None:
    """土地 and 厂房 were named; 二手 equipment is another excluded kind: it adds to them (3200 − 1000
    − 800 − 200 = 1200万 × 30%), and the kinds named so far survive a stored conversation."""
    conv = Conversation()
    first = assistant.ask("我们在萧山,人形机器人项目已经认定行业先进水平了,实际总投资3200万,"
                          "其中土地1000万 厂房800万 设备1400万", conv)
    assert first.calculation.amount_yuan == 4_200_000
    then = assistant.ask("设备里有200万是二手的", conv)
    assert then.calculation.amount_yuan == 3_600_000 and then.calculation.inputs["excluded_yuan"] == 20_000_000
    rules = assistant.resources.rules
    stored = conversation_from_dict(conversation_to_dict(conv.snapshot()), rules)
    assert stored.last_request.excluded_kinds == frozenset({"土地", "厂房", "二手"})


def test_a_part_said_to_cost_nothing_or_to_be_something_else_leaves_the_excluded_parts(assistant) -> None:
    """土地1000万 and 厂房800万 were excluded; 厂房是租的没花钱 takes the 厂房 part out, and 那800万其实是
    新买的设备 says the same 800万 was new equipment: (4000 − 1000) × 30% = 900万, once, not twice.
    The parts survive a stored conversation."""
    conv = Conversation()
    first = assistant.ask("人形机器人项目落在临平,已经认定行业先进水平,实际投资4000万,土地1000万,厂房800万,"
                          "能资助多少", conv)
    assert first.calculation.amount_yuan == 6_600_000
    rules = assistant.resources.rules
    stored = conversation_from_dict(conversation_to_dict(conv.snapshot()), rules)
    assert stored.last_request.excluded_parts == (("土地", 10_000_000), ("厂房", 8_000_000))
    then = assistant.ask("哦搞错了,厂房是租的没花钱,刚才那800万其实是新买的设备", conv)
    assert then.calculation.amount_yuan == 9_000_000 and then.calculation.inputs["excluded_yuan"] == 10_000_000
    conv = Conversation()
    assistant.ask("人形机器人项目落在临平,已经认定行业先进水平,实际投资4000万,土地1000万,厂房800万", conv)
    assert assistant.ask("不对,那800万其实是新设备", conv).calculation.amount_yuan == 9_000_000


def test_a_part_named_by_its_head_word_and_said_to_be_otherwise_is_withdrawn(assistant) -> None:
    """旧设备200万 was excluded; 那批设备其实是新的 names the part by 设备 alone, with 其实 and
    without 旧: the part goes, 1200万 × 30% = 360万. 设备其实也是旧的 keeps it."""
    conv = Conversation()
    first = assistant.ask("萧山 人形机器人产业化项目 已认定先进水平 实际投资1200万 其中旧设备200万 能补多少", conv)
    assert first.calculation.amount_yuan == 3_000_000
    then = assistant.ask("搞错了,那批设备其实是新的", conv)
    assert then.calculation.amount_yuan == 3_600_000 and then.calculation.inputs["excluded_yuan"] == 0
    conv = Conversation()
    assistant.ask("萧山 人形机器人产业化项目 已认定先进水平 实际投资1200万 其中旧设备200万 能补多少", conv)
    kept = assistant.ask("对,那批设备其实也是旧的", conv)
    assert kept.calculation is None or kept.calculation.amount_yuan == 3_000_000


def test_the_supplier_asking_for_the_purchase_reward_is_not_the_buyer(assistant) -> None:
    """我们供应商这边能拿 — the asker sold the chips: 第2条 rewards the whole-machine buyer, 0 元 for
    the supplier (not a gap: 供应商 is a fact of the measure). The buyer then gets 50万 until it is
    said to be the supplier's controlling shareholder. (我们供应商是杭州的 is the buyer's supplier.)"""
    conv = Conversation()
    first = assistant.ask("我们是桐庐做智能芯片的,滨江一家非关联整机厂第一次买了我们500万的芯片,"
                          "我们供应商这边能拿那个奖励吗", conv)
    assert (first.found, first.citations[0].article, first.calculation.eligible) == (True, 2, False)
    assert assistant.ask("那整机厂能拿多少", conv).calculation.amount_yuan == 500_000
    assert assistant.ask("等下,整机厂老板其实是我们公司的控股股东,这样还能拿吗", conv).calculation.eligible is False
    buyer = assistant.ask("我们是整机厂,我们供应商是杭州的非关联企业,首次采购芯片200万,我们能拿多少")
    assert buyer.calculation.amount_yuan == 200_000


def test_a_kind_named_by_its_modifier_and_de_is_that_kind(assistant) -> None:
    """四足的呢 after 人形首台套: the document writes 四足机器人, so 四足 names a product of another
    kind — 0 元; 那人形的呢 brings the humanoid back. (子公司的呢 is no product kind: no 子公司机器人.)"""
    conv = Conversation()
    assert assistant.ask("人形 首台套 非关联 800万 补多少", conv).calculation.amount_yuan == 800_000
    assert assistant.ask("四足的呢 同样800万", conv).calculation.eligible is False
    assert assistant.ask("那人形的呢", conv).calculation.amount_yuan == 800_000
    conv = Conversation()
    assistant.ask("人形 首台套 非关联 800万 补多少", conv)
    assert assistant.ask("卖给子公司的呢", conv).calculation.eligible is False  # affiliated, not another kind
    assert assistant.follow_ups._elliptic_kinds(conv.snapshot().last_request, "子公司的呢") == {}


def test_the_affiliated_part_said_again_by_its_own_word_corrects_that_part(assistant) -> None:
    """AT ratd06b: 关联那部分其实是500万 corrects the part sold to affiliates (200万 → 500万), not the
    total: (1100万 − 500万) × 10% = 60万."""
    conv = Conversation()
    assert assistant.ask("人形首台套 已认定 销售1100万 其中200万卖给关联公司", conv).calculation.amount_yuan == 900_000
    assert assistant.ask("噢搞错了 关联那部分其实是500万", conv).calculation.amount_yuan == 600_000


def test_asking_for_the_wording_in_english_stays_on_the_article(assistant) -> None:
    """wording, clause: words for the text itself, not a topic the library lacks."""
    conv = Conversation()
    assert assistant.ask("首台套 非关联 800万 补多少", conv).calculation.amount_yuan == 800_000
    follow = assistant.ask("what's the exact wording of that clause?", conv)
    assert follow.found and follow.citations[0].article == 3


def test_this_policy_points_at_the_document_not_the_last_article() -> None:
    from assistant.answer.conversation import leans_on_previous  # noqa: PLC0415
    assert not leans_on_previous("Does this policy give any rent subsidy for foreign-owned labs in the city?")
    assert leans_on_previous("Which department is responsible for this measure, and who do we call?")
    assert leans_on_previous("What does it say about the cap on the amount for each project?")


def test_a_short_question_whose_topic_the_last_article_lacks_moves_on(assistant) -> None:
    """人才 and 高端 are not in 第6条: the short question is a new one, not about that article."""
    conv = Conversation()
    assert assistant.ask("第6条讲什么?", conv).citations[0].article == 6
    assert assistant.ask("以后招些高端人才有啥政策", conv).citations[0].article == 17
    assert assistant.ask("上限多少", conv).citations[0].article == 17  # no topic of its own: stays


def test_a_money_follow_up_stays_on_an_article_without_money(assistant) -> None:
    """能补多少 after 第14条: 第14条 gives no figure; another article's calculator must not answer."""
    conv = Conversation()
    assert assistant.ask("机器人企业出国参展 有补助吗 哪条", conv).citations[0].article == 14
    follow = assistant.ask("能补多少 按什么比例", conv)
    assert follow.citations[0].article == 14 and follow.gaps == ["具体金额或比例"]


def test_a_word_every_article_holds_names_no_topic_to_stay_on(assistant) -> None:
    """情感陪伴机器人呢 after 第14条: 机器人 is in 第14条 as in every article; 情感陪伴 is 第12条's."""
    conv = Conversation()
    assert assistant.ask("第十四条讲什么?", conv).citations[0].article == 14
    assert assistant.ask("那情感陪伴机器人呢", conv).citations[0].article == 12


def test_a_part_named_after_an_amount_already_without_it_is_beside_it(assistant) -> None:
    """卖给非关联客户600万, then 另外卖给母公司300万: the 600万 still counts whole."""
    conv = Conversation()
    first = assistant.ask("人形机器人首台套已认定,卖给非关联客户600万,补助多少?", conv)
    assert first.calculation is not None and first.calculation.amount_yuan == 600_000
    second = assistant.ask("另外还卖给母公司300万,这个影响吗?", conv)
    assert second.calculation is not None and second.calculation.amount_yuan == 600_000


def test_this_project_subsidy_points_at_the_last_calculation(assistant) -> None:
    """Which bureaus are responsible for this project subsidy?: bureaus and subsidy name no topic
    outside 第6条 (the last calculation's article)."""
    conv = Conversation()
    assistant.ask("Humanoid robot plant in Qiantang, assessed as industry-advanced. Total actual investment RMB 500 "
                  "million: land 80 million, buildings 60 million, the rest new equipment. Max subsidy?", conv)
    assert assistant.ask("Which bureaus are responsible for this project subsidy?", conv).citations[0].article == 6


def test_a_domain_named_alone_after_another_moves_to_its_article(assistant) -> None:
    """那生活服务 after 商贸物流呢: 生活服务 is one of 第7条's five domains, 第12条's heading."""
    conv = Conversation()
    assistant.ask("商贸物流呢", conv)
    assert assistant.ask("那生活服务", conv).citations[0].article == 12


def test_each_fact_that_rules_a_measure_out_is_said(assistant) -> None:
    """供应商是子公司, then 供应商在上海: both reasons, not only the first one again (web round 7)."""
    conv = Conversation()
    assistant.ask("在杭整机企业首次从杭州一家公司采购应用软件450万,能拿多少", conv)
    assistant.ask("如果供应商是我们的子公司呢", conv)
    calc = assistant.ask("那如果供应商在上海呢", conv).calculation
    said = " ".join(str(s) for s in calc.steps)
    assert calc.amount_yuan == 0 and "供应商与采购方无关联关系——否" in said and "供应商为杭州企业" in said


def test_a_follow_up_asking_what_the_text_leaves_open_is_no_recalculation(assistant) -> None:
    """首台套的认定标准和申报材料: criteria and materials, not 认定 stated for the last amount."""
    conv = Conversation()
    assistant.ask("人形机器人认定首台套,卖600万给外部客户,补多少", conv)
    answer = assistant.ask("首台套的认定标准和申报材料 要准备啥", conv)
    assert answer.calculation is None and answer.gaps == ["申报材料", "认定与评审标准"]


def test_a_count_stated_in_a_follow_up_multiplies_the_ceiling(assistant) -> None:
    conv = Conversation()
    assistant.ask("智能机器人示范应用场景 每个奖多少", conv)
    answer = assistant.ask("我们有3个场景都入选了 最多能拿多少", conv)
    assert answer.calculation.amount_yuan == 1_500_000


def test_another_thing_bought_off_the_list_leaves_the_listed_purchase(assistant) -> None:
    """同一次还买了…减速器: the toolkit still counts, alone; a reducer bought instead does not."""
    conv = Conversation()
    assistant.ask("临安的机器人整机企业 首次采购杭州非关联企业的工具包 1,250,000元", conv)
    more = assistant.ask("补充一下 同一次还买了他们家的减速器 200万 现在奖励多少", conv)
    conv = Conversation()
    assistant.ask("我们是富阳的整机企业,第一次买,对方是滨江的芯片公司 跟我们没关联,金额260万", conv)
    instead = assistant.ask("如果买的是他们家的减速器呢 也是260万", conv)
    assert (more.calculation.amount_yuan, instead.calculation.amount_yuan) == (125_000, 0)


def test_units_stated_one_by_one_survive_a_stored_conversation_and_give_way_to_a_new_amount(assistant) -> None:
    conv = Conversation()
    first = assistant.ask("人形机器人首台套两款产品都认定了,A款非关联销售3000万,B款非关联销售1200万,两款合计能补多少", conv)
    stored = conversation_from_dict(conversation_to_dict(conv.snapshot()), assistant.resources.rules)
    assert first.calculation.amount_yuan == 2_100_000 and stored.last_request.items == (30_000_000, 12_000_000)
    then = assistant.ask("不对,其实只有一款,卖了5000万", conv)
    assert then.calculation.amount_yuan == 2_500_000


def test_a_part_beside_the_total_grows_it_and_stays_out_of_the_base(assistant) -> None:
    """on top of that: the 3 million of land is beside the 8 million stated, not inside it."""
    conv = Conversation()
    first = assistant.ask("We're planning a humanoid robot production project in Qiantang. Actual investment RMB 8 "
                          "million (equipment + R&D, no land). Assuming it's recognised as industry-advanced, how much "
                          "funding could we get?", conv)
    then = assistant.ask("We'd also buy land for RMB 3 million on top of that. Does that raise the funding?", conv)
    assert (first.calculation.amount_yuan, then.calculation.amount_yuan) == (2_400_000, 2_400_000)
    assert then.calculation.inputs["total_investment_yuan"] == 11_000_000


def test_a_supplier_our_major_shareholder_invested_in_is_affiliated(assistant) -> None:
    conv = Conversation()
    assistant.ask("滨江整机厂,第一次从杭州一家芯片公司采购,180万,没关联,能奖多少", conv)
    answer = assistant.ask("对了,那家芯片公司是我们大股东投的,这样还能拿吗", conv)
    assert answer.calculation.amount_yuan == 0 and answer.calculation.inputs["non_affiliated"] is False


def test_a_seller_named_by_its_customer_still_asks_for_itself(assistant) -> None:
    """有个杭州的整机客户第一次买我们的软件…我们能拿10%吗: 买我们 names the enterprise, whatever the
    clause says of the customer before it."""
    answer = assistant.ask("有个杭州的整机客户第一次买我们的软件,150万,跟我们没有任何关联,我们能拿10%吗")
    assert answer.calculation.amount_yuan == 0


def test_a_part_named_again_corrects_it_and_one_said_added_adds(assistant) -> None:
    """Round X: 不对 厂房是600万 另外还有200万旧设备 — 厂房 corrects the 400万 said before (not a third
    part beside it), 旧设备 is added; 不对 (that was wrong) negates nothing after it."""
    conv = Conversation()
    first = assistant.ask("萧山新建人形机器人产线,实际投资3000万,其中厂房500万,已认定行业先进,能资助多少", conv)
    then = assistant.ask("不对,厂房是800万,另外还有300万旧设备", conv)
    assert (first.calculation.amount_yuan, then.calculation.amount_yuan) == (7_500_000, 5_700_000)
    assert then.calculation.inputs["excluded_yuan"] == 11_000_000


def test_a_benefit_word_asks_about_money_and_an_absent_one_is_not_provided(assistant) -> None:
    """Round X: 贴多少 asks about money as 补多少 does (a benefit's name alone, 保险补偿 or 贷款贴息,
    may name a measure asked about); the policy names 融资租赁 but gives no 贴息 for it. A money
    question with no amount to compute that asks for a thing the text lacks (利率) is not covered
    either."""
    from assistant.calc.calculators import asks_about_money

    assert asks_about_money("设备租金能贴多少") and asks_about_money("损失能补偿多少")
    assert not asks_about_money("首台套保险补偿里整机装备按什么方式支持")
    rent = assistant.ask("我们通过融资租赁把机器人租给国有企业 租金贴息 能贴多少")
    assert not rent.found and "贴息" in rent.answer
    rate = assistant.ask("产业化项目 贷款贴息 利率是多少")
    assert not rate.found and rate.calculation is None


def test_a_follow_up_whose_words_another_article_holds_more_of_moves_there(assistant) -> None:  # noqa: ANN001
    """第1条 names 示范应用场景 in its targets; 评选 of them is 第7条's: the follow-up moves, and
    the reward then asked 'of the selected ones' is 第7条's ceiling."""
    conv = Conversation()
    assert assistant.ask("2026年发展目标中 示范应用场景打算建多少个", conv).citations[0].article == 1
    assert assistant.ask("那示范场景一年评选几个", conv).citations[0].article == 7
    reward = assistant.ask("评上的奖励是多少", conv)
    assert reward.calculation is not None and reward.calculation.amount_yuan == 500_000


def test_the_base_worked_out_before_named_again_places_a_part_inside_it(assistant) -> None:  # noqa: ANN001
    conv = Conversation()
    first = assistant.ask("项目实际投资5000万,其中土地1500万、厂房500万,已认定行业先进,资助多少", conv)
    assert first.calculation.amount_yuan == 9_000_000  # (5000 − 2000) × 30%
    after = assistant.ask("剩下的3000万里有1000万是旧设备", conv)
    assert after.calculation.amount_yuan == 6_000_000  # (5000 − 3000) × 30%


def test_an_english_part_named_after_its_amount_is_corrected_alone(assistant) -> None:  # noqa: ANN001
    conv = Conversation()
    first = assistant.ask("Our new line: actual investment RMB 40 million, of which RMB 10 million is the factory "
                          "building and RMB 5 million land, the rest new machines. Recognised as industry-advanced. "
                          "How much can we get?", conv)
    assert first.calculation.amount_yuan == 7_500_000  # (40 − 15) × 30%
    after = assistant.ask("Sorry, the land was RMB 8 million, not 5.", conv)
    assert after.calculation.amount_yuan == 6_600_000  # (40 − 18) × 30%


def test_an_amount_that_is_the_one_before_plus_another_is_the_new_amount(assistant) -> None:  # noqa: ANN001
    conv = Conversation()
    assert assistant.ask("人形首台套 非关联销售 ¥9,980,000 补多少", conv).calculation.amount_yuan == 998_000
    after = assistant.ask("要是再多卖2万,正好1000万呢", conv)
    assert after.calculation.amount_yuan == 500_000  # 1000万 × 5%, not 2万


def test_a_follow_up_on_another_articles_topic_leaves_the_calculation(assistant) -> None:  # noqa: ANN001
    conv = Conversation()
    assistant.ask("桐庐 智能机器人产业化项目 已认定行业先进水平 实际投资4000万 含土地1000万 资助多少", conv)
    after = assistant.ask("另外我们的AGV能参与物流场景的推广吗", conv)
    assert after.calculation is None and after.citations[0].article == 10


def test_a_third_party_supplier_is_unrelated(assistant) -> None:  # noqa: ANN001
    conv = Conversation()
    assistant.ask("滨江 机器人整机 首次采购 杭州 芯片 800万 奖多少 供应商是我们的子公司", conv)
    after = assistant.ask("换成从拱墅一家第三方买呢,金额不变", conv)
    assert after.calculation.eligible and after.calculation.amount_yuan == 500_000


def test_a_passive_verb_does_not_hide_a_follow_up_about_the_last_article(assistant) -> None:  # noqa: ANN001
    conv = Conversation()
    assistant.ask("示范应用场景一年评几个", conv)
    after = assistant.ask("我们养老院的场景被评上了,奖励多少", conv)
    assert after.calculation is not None and after.calculation.amount_yuan == 500_000


@pytest.mark.parametrize("message, parts", [
    ("示范应用场景有什么奖励?一年评几个?", ("示范应用场景有什么奖励?", "一年评几个?")),
    ("首台套怎么补？哪个部门负责？", ("首台套怎么补？", "哪个部门负责？")),
    ("What does article 3 say? Who is responsible?", ("What does article 3 say?", "Who is responsible?")),
    ("能补多少?是不是500万?", ("能补多少?是不是500万?",)),  # a guess
    ("我们卖了800万?能补多少?", ("我们卖了800万?能补多少?",)),  # a fact with a question mark
    ("原文怎么说?谢谢", ("原文怎么说?谢谢",)),
    ("第3条?", ("第3条?",)),
])
def test_the_questions_of_one_message(message: str, parts: tuple[str, ...]) -> None:
    assert questions_in(message) == parts


def test_the_seller_asking_for_itself_is_not_the_buyer(assistant) -> None:
    """AB: after a buyer's purchase reward, 我们作为卖方自己能拿吗 recomputes with the asker as the seller:
    not a whole-machine maker buying, 0 元 — not a 卖方奖励 the policy lacks."""
    conv = Conversation()
    first = assistant.ask("余杭一家整机厂第一次买我们的应用软件,200万,跟我们没有关联,他们能拿多少", conv)
    assert first.calculation is not None and first.calculation.amount_yuan == 200_000
    seller = assistant.ask("那我们作为卖方自己能拿这个奖励吗", conv)
    assert seller.found and seller.calculation is not None and seller.calculation.amount_yuan == 0


def test_a_supplier_named_by_what_it_sells_is_placed_where_it_is_registered(assistant) -> None:
    """AB: 芯片公司其实注册在湖州,只在杭州有个销售点 — the chip firm's place, not the buyer's: the
    purchase reward recomputes to 0 (a supplier outside Hangzhou)."""
    conv = Conversation()
    assistant.ask("富阳一家整机企业 首次采购杭州非关联公司的智能芯片 150万 奖多少", conv)
    moved = assistant.ask("芯片公司其实注册在湖州,只在杭州有个销售点", conv)
    assert moved.calculation is not None and moved.calculation.amount_yuan == 0
    assert moved.calculation.eligible is False and any("供应商为杭州企业" in step for step in moved.calculation.steps)


def test_an_english_follow_up_on_tax_states_the_gap(assistant) -> None:
    """AB: "And on tax: …?" after a calculation stays on its article but says the text does not
    specify tax; a relative `that` (a fund that would co-invest) points at nothing said before."""
    conv = Conversation()
    assistant.ask("Our humanoid project in Yuhang: actual investment RMB 20 million, recognised as industry-advanced. "
                  "How much funding?", conv)
    tax = assistant.ask("And on tax: any income tax cut for such projects?", conv)
    assert tax.found and "税收处理" in tax.gaps
    assert not points_back("Is there a city fund that would invest alongside us?")
    assert points_back("Does that apply to us?")


def test_a_trade_fair_named_with_its_city_abroad_is_a_venue(assistant) -> None:
    """AB: exhibiting at a fair the library has never heard of, in a city abroad: 第14条, not refused."""
    answer = assistant.ask("We will exhibit at Intec in Leipzig next spring. Does the draft support overseas trade "
                           "shows, and which bureau is responsible?")
    assert answer.found and answer.citations[0].article == 14


def test_a_part_the_total_had_left_out_grows_the_total_and_joins_the_parts(assistant) -> None:
    """AC: after 2亿 with 3000万 of land, 漏了 厂房还有5000万 总投资是2.5亿: the new total and both parts —
    (2.5亿 − 3000万 − 5000万) × 30% = 5100万."""
    conv = Conversation()
    first = assistant.ask("滨江 智能机器人产业化项目 认定了行业先进 实际投资总额2亿元 其中土地款3000万", conv)
    assert first.calculation is not None and first.calculation.amount_yuan == 51_000_000
    grown = assistant.ask("漏了 厂房还有5000万 之前没算 总投资是2.5亿", conv)
    assert grown.calculation is not None and grown.calculation.amount_yuan == 51_000_000
    assert grown.calculation.inputs["total_investment_yuan"] == 250_000_000
    assert grown.calculation.inputs["excluded_yuan"] == 80_000_000


def test_the_figure_given_as_an_example_is_the_one_meant(assistant) -> None:
    """AD: 要是过了一个亿呢 比如1.3亿 — the threshold named, then the example: 1.3亿 × 2% = 260万."""
    conv = Conversation()
    assistant.ask("人形 首台套 非关联 800万 补多少", conv)
    follow = assistant.ask("要是过了一个亿呢 比如1.3亿", conv)
    assert follow.calculation is not None and follow.calculation.amount_yuan == 2_600_000


def test_another_places_own_money_is_no_recalculation_there(assistant) -> None:
    """AC: after a purchase reward, 嘉兴那边有没有类似的奖励 asks about 嘉兴's own policy (not covered),
    not for the last calculation redone there."""
    conv = Conversation()
    assistant.ask("我们是富阳的整机厂 首次采购杭州一家非关联公司的芯片 200万 有奖励吗", conv)
    other = assistant.ask("嘉兴那边有没有类似的奖励", conv)
    assert other.found is False and other.calculation is None


def test_a_follow_up_moving_the_project_into_the_city_recalculates(assistant) -> None:
    """AG: after 我们湖州德清的…项目 (outside Hangzhou: 0), 如果项目落到余杭未来科技城呢 … 设备投资1.2亿 —
    落到 puts the project in 余杭: 1.2亿 × 30% = 3600万."""
    conv = Conversation()
    first = assistant.ask("我们湖州德清的 机器人产业化项目 认定了先进水平 投资1.2亿 能拿多少资助", conv)
    assert first.calculation.amount_yuan == 0
    moved = assistant.ask("如果项目落到余杭未来科技城呢,先进水平认定也有,设备投资1.2亿,不含土地厂房", conv)
    assert (moved.calculation.eligible, moved.calculation.amount_yuan) == (True, 36_000_000)


def test_who_leads_asked_after_an_article_is_that_articles_department(assistant) -> None:
    """AH: 哪个部门牵头 after 第9条 — 牵头 and 部门 name a department's role (→ 责任单位), no topic of
    their own: the last article's departments."""
    conv = Conversation()
    assistant.ask("我们在桐庐想做个机器人主题的体验馆+竞技场,政策有对应的吗", conv)
    assert assistant.ask("哪个部门牵头", conv).citations[0].article == 9


def test_a_part_taken_out_beside_the_total_said_again(assistant) -> None:
    """AH: 含厂房800万 (660万), then 不对 厂房是租的 没算在投资里 3000万全是新设备 — the plant leaves the
    parts and 3000万 is the total said again (900万); then 其中500万是…二手设备 (750万)."""
    conv = Conversation()
    first = assistant.ask("钱塘区 人形机器人产业化项目 已经认定行业先进了 实际投资3000万 含厂房800万 能资助多少", conv)
    assert first.calculation.amount_yuan == 6_600_000
    assert assistant.ask("不对 厂房是租的 没算在投资里 3000万全是新设备和研发投入", conv).calculation.amount_yuan == 9_000_000
    assert assistant.ask("哦还有,其中500万是从别的厂收的二手设备", conv).calculation.amount_yuan == 7_500_000


def test_an_english_follow_up_naming_an_exhibition_moves_to_its_article(assistant) -> None:
    """AH: after 第3条 (torque sensors), We'll exhibit at Automatica in Munich — exhibit is 展会: 第14条."""
    conv = Conversation()
    assistant.ask("We're a German-invested torque sensor maker in Xiaoshan. Does the draft support force/torque sensor R&D?", conv)
    answer = assistant.ask("We'll exhibit at Automatica in Munich next month. Any support for that?", conv)
    assert answer.citations[0].article == 14


def test_a_yes_no_question_whether_something_exists_is_a_question_of_its_own() -> None:
    """Web round 17: 青岛的“模型券”每个最高补助多少?杭州这份征求意见稿里有类似政策吗? — two questions,
    answered in turn (the first no longer answered from the second's document)."""
    assert questions_in("青岛的“模型券”每个最高补助多少?杭州这份征求意见稿里有类似政策吗?") == (
        "青岛的“模型券”每个最高补助多少?", "杭州这份征求意见稿里有类似政策吗?")


def test_another_listed_thing_of_the_same_purchase_adds_to_it(assistant) -> None:
    """AI: 应用软件80万 (under the threshold), then 漏说了,同一次采购里还有工具包40万 — one purchase of
    120万: 12万; a total said instead (同一个合同里还有芯片 一共是130万) is the total, not added."""
    conv = Conversation()
    assert assistant.ask("余杭整机企业,首次采购了非关联杭州公司研发的应用软件80万,能奖吗", conv).calculation.amount_yuan == 0
    assert assistant.ask("漏说了,同一次采购里还有工具包40万", conv).calculation.amount_yuan == 120_000
    conv = Conversation()
    assistant.ask("整机厂 第一次采购 杭州 非关联 工具包 60万 能奖多少", conv)
    assert assistant.ask("哦 同一个合同里还有芯片 一共是130万", conv).calculation.amount_yuan == 130_000


def test_a_figure_said_again_with_a_part_beside_it_is_the_base(assistant) -> None:
    """AK: 非关联销售额大概2400万, then 不对 是800万 另外1600万是卖给母公司的 — 800万 is the figure said
    again with the affiliates' part beside it (10%: 80万), not a part of 2400万; a new total with its
    part inside (不对 是3000万 其中1600万卖给母公司) leaves 1400万 (5%: 70万)."""
    conv = Conversation()
    assistant.ask("人形机器人首台套 怎么补", conv)
    assistant.ask("我们已经认定了 非关联销售额大概2400万", conv)
    assert assistant.ask("不对 是800万 另外1600万是卖给母公司的", conv).calculation.amount_yuan == 800_000
    conv = Conversation()
    assistant.ask("人形机器人首台套 已认定 销售额2400万 怎么补", conv)
    assert assistant.ask("不对 是3000万 其中1600万卖给母公司", conv).calculation.amount_yuan == 700_000


def test_whether_a_part_counts_is_asked_of_the_measure_before(assistant) -> None:
    """AL rald13c: after 第6条's amounts, 厂房要算进去吗 — 算进去吗 asks whether 厂房 counts (`open_after`),
    no topic the library lacks: 第6条, not refused."""
    conv = Conversation()
    assistant.ask("我们桐庐做巡检四足整机的 想在建德投个产业化项目 实际投资1200万 不含土地 全新设备 已经认定行业先进 能拿多少", conv)
    assistant.ask("要是改成人形机器人项目 投600万呢", conv)
    follow = assistant.ask("厂房要算进去吗", conv)
    assert follow.found and follow.citations[0].article == 6


def test_what_the_text_says_points_back_at_the_article_discussed(assistant) -> None:
    """AL rald16c: after 第3条's amounts in English, so selling more gets us less?? what does the text
    say exactly — a pointer at the article just discussed, not a question the library lacks words for."""
    conv = Conversation()
    assistant.ask("Our humanoid robot is a recognised 首台套 product. Sales RMB 9.5 million, all to unrelated buyers. "
                  "How much subsidy?", conv)
    assistant.ask("sorry, 10.5 million", conv)
    follow = assistant.ask("so selling more gets us less?? what does the text say exactly", conv)
    assert follow.found and follow.citations[0].article == 3


def test_a_part_named_only_to_deny_it_is_no_part(assistant) -> None:  # noqa: ANN001
    """Web round 21: after 6000万 with 2000万 土地厂房, 实际投资总额只有900万元(全是新设备,没有土地厂房)
    states a new total — 没有土地厂房 names no part; a non-humanoid project under 1000万 gets 0."""
    conv = Conversation()
    first = assistant.ask("我们是杭州的人形机器人企业,新建的人形机器人产业化项目已经认定具有行业先进水平,"
                          "实际投资总额6000万元,其中土地和厂房2000万元,最多能拿多少资助?", conv)
    second = assistant.ask("如果不是人形机器人,而是普通工业机器人产业化项目,实际投资总额只有900万元"
                           "(全是新设备,没有土地厂房),还能拿吗?", conv)
    assert (first.calculation.amount_yuan, second.calculation.amount_yuan) == (12_000_000, 0)
    assert (second.calculation.inputs["total_investment_yuan"], second.calculation.inputs["excluded_yuan"]) \
        == (9_000_000, 0)


def test_a_kind_of_money_one_article_gives_moves_the_follow_up_there(assistant) -> None:  # noqa: ANN001
    """AM ramd13d: after 第2条's reward, Who is responsible for the project funding? — 资助 (funding)
    is 第6条's money alone: a topic of its own, not a question about 第2条."""
    conv = Conversation()
    assistant.ask("We plan a new production line, RMB 15 million, all new equipment, recognized as industry-advanced. "
                  "How much funding?", conv)
    assistant.ask("Can we also get the 10% reward? We bought chips for RMB 2 million from an unrelated Hangzhou chip "
                  "firm, first time.", conv)
    follow = assistant.ask("Who is responsible for the project funding?", conv)
    assert follow.citations[0].article == 6


def test_a_part_said_to_be_something_else_after_its_amount_is_withdrawn(assistant) -> None:  # noqa: ANN001
    """AN rand12b: 旧设备那1000万说错了,其实是全新设备 — the part named with its amount, then said to be
    new equipment: it leaves the excluded parts (1.5 亿's 30% of 5000万 → of 6000万)."""
    conv = Conversation()
    first = assistant.ask("富阳 智能机器人产业化项目 实际投资1亿 含土地2000万 厂房3000万 旧设备1000万 已认定行业先进 最多资助多少", conv)
    second = assistant.ask("旧设备那1000万说错了,其实是全新设备", conv)
    assert (first.calculation.amount_yuan, second.calculation.amount_yuan) == (12_000_000, 15_000_000)


def test_a_count_the_last_article_gives_is_asked_of_it(assistant) -> None:  # noqa: ANN001
    """AN rand11b: 人形整机产品要几项 after 2026年产值目标 — 第1条 counts them (不少于3项), and every
    topic word is there: the follow-up stays, though 第3条 ranks first for the words alone."""
    conv = Conversation()
    assistant.ask("2026年产值目标", conv)
    assert assistant.ask("人形整机产品要几项", conv).citations[0].article == 1


def test_a_bare_phrase_follow_up_asks_the_last_article_again(assistant) -> None:  # noqa: ANN001
    """AK rakd15c: 人形整机产品呢 after 发展目标里 示范场景要建多少个 — the same question of a phrase the
    last article holds (第1条's 人形机器人整机产品不少于3项), not 第3条's 首台套."""
    conv = Conversation()
    assistant.ask("发展目标里 示范场景要建多少个", conv)
    assert assistant.ask("人形整机产品呢", conv).citations[0].article == 1


def test_a_word_about_the_conversation_is_no_topic(assistant) -> None:  # noqa: ANN001
    """AQ raqd13d: 换个话题,人才方面有什么 — 话题 names the conversation, not a topic the library lacks."""
    conv = Conversation()
    assistant.ask("我们是做减速器的", conv)
    a = assistant.ask("换个话题,人才方面有什么", conv)
    assert a.found and a.citations[0].article == 17


def test_a_total_said_again_with_its_part_replaces_the_one_before(assistant) -> None:  # noqa: ANN001
    """AQ raqd06b: 搞错了,总投资是900万,土地还是400万 after 1500万 with 400万 of land — 900万 is the
    new total (under the 1000万 threshold: 0), not a part of 1500万; as a humanoid project 150万."""
    conv = Conversation()
    first = assistant.ask("钱塘区做AGV的,产业化项目认定了行业先进水平,投资1500万,含土地400万,能资助多少", conv)
    assert first.calculation.amount_yuan == 3_300_000
    again = assistant.ask("搞错了,总投资是900万,土地还是400万", conv)
    assert (again.calculation.eligible, again.calculation.amount_yuan) == (False, 0)
    humanoid = assistant.ask("如果是人形机器人产业化项目呢,也是900万含土地400万", conv)
    assert humanoid.calculation.amount_yuan == 1_500_000


def test_a_part_said_again_by_its_figure_stays_that_part(assistant) -> None:
    """Round AU (raud08b): 2亿 with 5000万 sold to affiliates, then 那5000万也算上呢 是不是能到400万 —
    the affiliates' part said again, not a new sales figure (250万 before): still 1.5亿 × 2%."""
    conv = Conversation()
    assert assistant.ask("人形首台套 今年销售2亿 里面有5000万卖给关联方 补多少", conv).calculation.amount_yuan == 3_000_000
    assert assistant.ask("那5000万也算上呢 是不是能到400万", conv).calculation.amount_yuan == 3_000_000


def test_a_part_off_the_list_beside_the_purchase_before_leaves_it_as_it_was(assistant) -> None:
    """Round AU (raud13b): 应用软件 1,800,000元, then 合同里另外还有50万是传感器,一共230万 — the sensor is
    off 第2条's list and their total no new purchase amount (refused before)."""
    conv = Conversation()
    first = assistant.ask("上城区服务机器人整机企业,首次采购非关联杭州企业的应用软件,合同1,800,000元,奖多少", conv)
    assert first.calculation.amount_yuan == 180_000
    then = assistant.ask("合同里另外还有50万是传感器,一共230万,那奖多少", conv)
    assert (then.calculation.article, then.calculation.amount_yuan) == (2, 180_000)


def test_a_follow_up_naming_one_of_the_listed_articles_goes_to_it(assistant) -> None:
    """Round AV (ravd10c): after the list of articles that give money (第2条、第3条、第6条、第7条),
    示范场景那个谁负责 is about 第7条, not the list's first."""
    conv = Conversation()
    assistant.ask("有什么钱是明确给了数的", conv)
    assert assistant.ask("示范场景那个谁负责", conv).citations[0].article == 7
