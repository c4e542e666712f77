"""Reading what people write: negation scoped to its clause, guesses and planned figures, what was
bought, the asked-for thing — through the reader and through whole answers."""

from __future__ import annotations

import pytest

from assistant.lang.amounts import find_amounts
from assistant.answer.conversation import Conversation
from assistant.lang.reading import (enumerated_items, asked_benefit, asked_things, clauses, guessed, negated, planned, sentences,
                               stated_amounts)


@pytest.mark.parametrize("text, phrase, expected", [
    ("跟我们没有任何股权关系", "股权关系", True),
    ("与我司无任何股权或关联关系", "关联关系", True),
    ("都不是关联方", "关联方", True),
    ("没有通过行业先进水平的认定", "行业先进", True),
    ("我们不生产整机,主要给客户做集成", "整机", True),
    ("我们不生产零件,做整机", "整机", False),        # another clause
    ("首次采购非关联杭州企业的工具包", "杭州企业", False),  # 非 makes one word: 非关联
    ("从一家没关系的杭州公司买", "杭州公司", False),      # the head after 的 is not negated
    ("不含土地的投资是4亿", "投资", False),             # 不含 is an exclusion
    ("物流无人机", "机", False),                       # 无人机 is a product
    ("We are not a humanoid maker", "humanoid", True),
    ("non-affiliated", "affiliated", True),
])
def test_negation_reaches_its_clause_only(text: str, phrase: str, expected: bool) -> None:
    assert negated(text, text.find(phrase)) is expected


def test_clauses_keep_their_offsets() -> None:
    text = "萧山,工业机器人整机。项目投资5亿,其中土地1.2亿"
    assert [(c.text, c.start) for c in clauses(text)] == [
        ("萧山", 0), ("工业机器人整机", 3), ("项目投资5亿", 11), ("其中土地1.2亿", 18)]


def test_guesses_and_planned_figures() -> None:
    text = "卖了5000万,是不是能拿500万?"
    assert [(m.text, guessed(text, m)) for m in find_amounts(text)] == [("5000万", False), ("500万", True)]
    assert [m.yuan for m in stated_amounts("我们自己算的是1.5亿×2%=300万")] == []
    text = "原计划投资2000万,现在实际投资总额只有900万"
    assert [planned(text, m) for m in find_amounts(text)] == [True, False]


def test_the_asked_for_thing() -> None:
    words = ["杭州", "买", "新能源", "汽车", "有没有", "购车", "补贴"]
    asked = asked_benefit("杭州买新能源汽车有没有购车补贴", words)
    assert asked is not None and asked.benefit == "补贴" and asked.things == ("购车", "汽车")
    assert asked_things("物流无人机飞行要去哪里申请空域", ["物流", "无人机", "飞行", "要", "去", "哪里",
                                                   "申请", "空域"]) == ["空域"]
    assert asked_things("机器人关键技术岗位纳入紧缺人才目录,原文在哪条", ["目录", "原文", "在", "哪条"]) == []


@pytest.mark.parametrize("question, words, things", [
    # a place says whose money it is; a space is no boundary
    ("机器人企业在科创板上市 杭州奖励多少", ["机器人", "企业", "在", "科", "创板", "上市", "杭州", "奖励", "多少"],
     ("上市", "创板")),
    # what comes before a figure is not what the money is for
    ("智能机器人产业化项目 实投2.5亿 资助多少", ["智能", "机器人", "产业化", "项目", "实投", "2.5", "亿", "资助", "多少"],
     ()),
    # a clause naming an article (那条) is not what the money is for
    ("项目招引那条,资助的投资门槛是多少?", ["项目", "招引", "那条", ",", "资助", "的", "投资", "门槛", "是", "多少", "?"],
     ()),
])
def test_what_money_is_asked_for(question: str, words: list[str], things: tuple[str, ...]) -> None:
    asked = asked_benefit(question, words)
    assert asked is not None and asked.things == things


@pytest.mark.parametrize("question, thing", [
    ("杭州买新能源汽车有没有购车补贴", "购车补贴"),
    ("养老机构每张床位运营补贴多少", "运营补贴"),
    ("芯片设计公司流片费用有补贴吗", "流片补贴"),
    ("购买新能源汽车个人有补贴吗?", "汽车补贴"),  # 第8条 names 汽车 as a sector, gives no money
    ("机器人企业在科创板上市 杭州奖励多少", "上市奖励"),  # 第18条's 上市辅导 is a service, not the reward
])
def test_money_the_policy_does_not_give_is_not_covered_with_related(assistant, question, thing) -> None:
    a = assistant.ask(question)
    assert not a.found and a.citations == [] and a.related
    assert f"没有规定“{thing}”" in a.answer and "不是本问题的依据" in a.answer
    assert "related" in a.to_dict() and a.to_dict()["citations"] == []


@pytest.mark.parametrize("question, article, amount", [
    ("首次采购杭州非关联企业的智能芯片200万元,奖励多少?", 2, 200_000),
    ("人形机器人首台套的补助是怎么算的?卖了3000万", 3, 1_500_000),
    ("引进项目落地,人形机器人产业化项目实际投资800万有什么资助", 6, 2_400_000),
])
def test_money_the_policy_gives_is_still_answered(assistant, question, article, amount) -> None:
    a = assistant.ask(question)
    assert a.found and a.citations[0].article == article and a.calculation.amount_yuan == amount


def test_only_what_article_2_lists_is_rewarded(assistant) -> None:
    a = assistant.ask("在杭整机厂首次采购杭州一家非关联企业的伺服电机300万,奖励多少?")
    assert a.calculation.eligible is False and a.calculation.inputs["listed_product"] is False
    assert "只适用于智能芯片、应用软件和工具包" in a.answer
    a = assistant.ask("我们首次买了杭州企业的运动控制工具包150万能奖多少")
    assert a.calculation.amount_yuan == 150_000


def test_a_supplier_elsewhere_is_a_condition_not_another_jurisdiction(assistant) -> None:
    a = assistant.ask("在杭整机厂,第一次买了上海一家公司研发的机器人工具包,花了200万,这个采购奖励能申请不")
    assert a.found and a.calculation.eligible is False
    assert a.calculation.inputs["hangzhou_supplier"] is False
    assert not assistant.ask("上海的机器人企业有什么补贴").found


def test_facts_stay_with_their_measure(assistant) -> None:
    conv = Conversation()
    assistant.ask("人形 首台套 卖了3000万 补多少", conv)
    part = assistant.ask("其中一部分卖给了关联方,大概800万", conv)
    assert part.calculation.amount_yuan == 1_100_000  # (3000万 − 800万) × 5%
    chip = assistant.ask("另外我们首次采购杭州一家企业的智能芯片200万,奖励多少?", conv)
    assert chip.calculation.tool == "procurement_reward" and chip.calculation.amount_yuan == 200_000


def test_a_part_named_later_recomputes_without_a_marker(assistant) -> None:
    conv = Conversation()
    assistant.ask("请问人形机器人产业化项目,实际投资800万,最多能资助多少?", conv)
    a = assistant.ask("哦800万里面有200万是买的二手设备", conv)
    assert a.found and a.calculation.amount_yuan == 1_800_000


@pytest.mark.parametrize("text, phrase, expected", [
    ("供应商不是我们的关联方", "关联方", True),         # a copula's negation reaches past 的
    ("项目达不到行业先进水平", "行业先进", True),         # 达不到 is a negation, 不到 alone is not
    ("Bruno sells from a subsidiary", "subsidiary", False),  # 'no' inside a word
    ("the supplier isn’t our subsidiary", "subsidiary", True),
])
def test_negation_forms_found_in_review(text: str, phrase: str, expected: bool) -> None:
    assert negated(text, text.find(phrase)) is expected


def test_a_condition_asked_about_is_not_stated(assistant) -> None:
    a = assistant.ask("我们采购芯片300万，供应商是否子公司不清楚，能奖多少")
    assert "non_affiliated" in a.calculation.inputs["assumed"]


def test_own_product_named_later_in_the_sentence(assistant) -> None:
    a = assistant.ask("我们是一家机器人公司，产品是人形机器人，首台套销售额3000万能补多少")
    assert a.calculation.inputs["humanoid"] is True and a.calculation.amount_yuan == 1_500_000


@pytest.mark.parametrize("text, location, supplier_inside", [
    ("公司注册在浙江省杭州市，是整机企业，首次采购芯片300万", "杭州市", None),
    ("我们从苏州采购了芯片300万，公司注册在杭州滨江", "杭州市滨江区", False),
    ("公司地址延安路100号，是整机企业，首次采购本地芯片300万", "", None),
])
def test_the_enterprise_place_and_the_supplier_place(assistant, text, location, supplier_inside) -> None:
    profile = assistant.matcher.from_text(text)
    assert profile["location"] == location and profile["supplier_in_hangzhou"] is supplier_inside


def test_a_common_thing_asked_for_and_absent_is_not_covered(assistant) -> None:
    answer = assistant.ask("2024世界人工智能大会在哪里开")
    assert (answer.found, answer.gaps) == (False, [])


def test_an_english_full_stop_ends_a_sentence_but_a_decimal_point_does_not() -> None:
    text = "The project has been recognized as industry-advanced. Our robot sold RMB 9.9 million."
    assert [s.text.strip() for s in sentences(text)] == [
        "The project has been recognized as industry-advanced", "Our robot sold RMB 9.9 million"]


def test_what_a_yes_no_question_asks_to_be_allowed() -> None:
    """能报销吗: 报销 is asked for; 能不能自己出 asks nothing by 不能自己."""
    assert asked_things("手术机器人做的手术医保能报销吗", ["手术", "机器人", "做", "的", "手术", "医保", "能",
                                                 "报销", "吗"]) == ["报销"]
    assert asked_things("区县能不能自己出机器人专项招引政策", ["区县", "能", "不能自己", "出", "机器人", "专项",
                                                   "招引", "政策"]) == []


@pytest.mark.parametrize("question, thing", [
    ("机器人企业购买厂房有没有补贴?", "厂房补贴"),  # 第6条 leaves 厂房 out of what it funds
    # 第7条 names it in a clause after its money (重点支持…参评人工智能标杆示范项目)
    ("人工智能标杆示范项目 奖励金额", "人工智能标杆示范项目奖励"),
])
def test_money_for_what_an_article_excludes_is_not_provided(assistant, question: str, thing: str) -> None:
    answer = assistant.ask(question)
    assert not answer.found and f"没有规定“{thing}”" in answer.answer


@pytest.mark.parametrize("question", ["工业机器人首台套(不是人形的)补助比例是多少", "四足机器人首台套 能补多少钱"])
def test_a_stated_fact_that_rules_a_measure_out_is_said_without_asking_for_the_amount(assistant, question) -> None:
    """第3条's ratio is for humanoid 首台套 only: no request for the sales figure, the unmet condition
    and its note instead, and the figure asked for is what the text does not give."""
    answer = assistant.ask(question)
    assert answer.found and answer.citations[0].article == 3 and answer.calculation is None
    assert "如需计算具体金额" not in answer.answer
    assert "条件不满足:产品为人形机器人“首台套”产品——否,不适用本条。" in answer.answer
    assert answer.gaps == ["具体金额或比例"]


def test_what_the_question_itself_leaves_out_is_not_what_money_is_for(assistant) -> None:
    answer = assistant.ask("智能机器人产业化项目 实际投资5个亿 全是新设备 资助能拿多少")
    assert answer.found and answer.calculation.amount_yuan == 100_000_000
    answer = assistant.ask("人形机器人产业化项目 实际投资5亿 不含土地厂房旧设备 资助多少")
    assert answer.found and answer.calculation.amount_yuan == 100_000_000


def test_which_after_the_asking_phrase_asks_about_what_follows() -> None:
    from assistant.lang.lexical import tokenizer_for
    from assistant.lang.reading import asked_things

    tok = tokenizer_for(())
    q = "滨江打算在哪个产业优势的基础上打造人工智能产业中心?"
    assert asked_things(q, tok.cut(q, search=False)) == []
    q = "软件著作权登记怎么办理,要多长时间"
    assert asked_things(q, tok.cut(q, search=False)) == ["登记"]


def test_what_a_policy_text_lists() -> None:
    """Items between 、 marks: the first after its lead word, the last up to 等, 及 splitting two;
    a list without 等 runs on into its sentence, and the 责任单位 bracket lists nothing."""
    text = ("面向汽车、电子、纺织等装备制造领域,拓展高空、地下管廊及封闭空间作业等应用场景,"
            "支持机关事业单位、国有企业采用智能机器人提升生产效率、促进创新发展。(责任单位:市经信局、市发改委)")
    assert enumerated_items(text) == ("汽车", "电子", "纺织", "高空", "地下管廊", "封闭空间作业", "机关事业单位")


@pytest.mark.parametrize("question, thing", [
    # asked as a verb; 杭州 says whose money; the library writes 专精特新小巨人 whole (第1条)
    ("评上专精特新小巨人,杭州奖多少钱", "专精特新小巨人奖励"),
    ("家里扫地机器人以旧换新,一台能补多少钱", "以旧换新补贴"),  # 一台 counts, it is not the thing
])
def test_a_benefit_asked_as_a_verb_for_a_thing_the_policy_only_mentions(assistant, question: str,
                                                                       thing: str) -> None:
    answer = assistant.ask(question)
    assert not answer.found and f"没有规定“{thing}”" in answer.answer


@pytest.mark.parametrize("question, article", [
    ("示范应用场景 评上了 奖多少", 7),  # 评上 is what happened, not what the money is for
    ("我们机器人公司明年要去德国汉诺威参展,出国展会费用能补吗?补多少", 14),  # the clause says what
    ("同一年我们有两个项目都入选了智能机器人示范应用场景,合计最多能拿多少奖励", 7),  # 合计 is no thing
])
def test_what_happened_or_a_total_is_not_what_money_is_for(assistant, question: str, article: int) -> None:
    answer = assistant.ask(question)
    assert answer.found and answer.citations[0].article == article


@pytest.mark.parametrize("question, thing", [
    ("我们租的厂房,房租能补贴多少钱一平米", "房租补贴"),  # 能补贴: the noun 补贴, not the verb 能补
    ("软件首版次认定下来奖励多少钱", "首版次奖励"),  # 下来 is grammar, 认定 too common to decide
])
def test_the_thing_money_is_asked_for_past_grammar_words(assistant, question: str, thing: str) -> None:
    answer = assistant.ask(question)
    assert not answer.found and f"没有规定“{thing}”" in answer.answer


def test_a_thing_some_measure_funds_is_not_refused_whichever_article_ranks_first(assistant) -> None:
    """投资 is what 第6条 funds: even when 第4条 (no calculator) ranks first, the question is covered."""
    answer = assistant.ask("我们是上海的人形机器人公司 打算来钱塘建产线 投资有补助吗")
    assert answer.found and 6 in [c.article for c in answer.citations]


def test_an_ongoing_adverb_makes_a_clause_pending_only_with_a_step_in_it() -> None:
    from assistant.lang import reading  # noqa: PLC0415
    assert reading.pending("首台套认定目前仍在核查")
    assert reading.pending("the certification is not finished yet")
    assert not reading.pending("我们正在批量生产人形机器人")
    assert reading.pending("项目还没批下来")
    assert not reading.pending("we are still expanding the plant")
    assert not reading.pending("yesterday the assessment was completed")
    # the ongoing adverb is the project's (under construction); the recognition is done
    assert not reading.pending("正在建设的人形机器人产业化项目已认定为行业先进水平")
    assert not reading.pending("the plant is still being built and was already certified")
    assert reading.pending("正在建设的项目,认定还在走流程")
    assert reading.pending("另外首台套认定还没下来")  # (AQ raqp17: 下来, as 出来)
    assert reading.pending("We applied for first-of-its-kind recognition and are waiting for the result")
    assert not reading.pending("we are waiting for customers")


def test_a_benefit_kept_inside_one_word_names_its_thing_by_the_rest_of_it() -> None:
    from assistant.lang.reading import AskedBenefit  # noqa: PLC0415
    assert asked_benefit("能领创新券吗", ["能", "领创新券", "吗"]) == AskedBenefit("券", ("创新",))
    assert asked_benefit("消费券有多少", ["消费券", "有", "多少"]) == AskedBenefit("券", ("消费",))


def test_a_voucher_the_policy_never_mentions_is_not_provided(assistant) -> None:  # noqa: ANN001
    answer = assistant.ask("机器人公司能领算力券吗,额度多少?")
    assert not answer.found and "算力券" in answer.answer


def test_a_question_whether_the_text_mentions_a_thing_asks_about_the_thing(assistant) -> None:  # noqa: ANN001
    """提到, 写明: words about the text saying something, no topic the library lacks."""
    answer = assistant.ask("有提到产业基金吗")
    assert answer.found and answer.citations[0].article == 15


def test_a_word_of_a_kind_is_read_by_its_stem(assistant) -> None:  # noqa: ANN001
    """消费类: of the kind 消费 (第12条's 个人消费机器人)."""
    evidence = {e.word: e for e in assistant.retriever._judge.judge("消费类的机器人有支持吗").words}
    assert (evidence["消费类"].found, evidence["消费类"].how) == ("消费", "parts")
    answer = assistant.ask("扫地、家务机器人,儿童陪伴机器人这种消费类的,文件里有没有")
    assert answer.found and answer.citations[0].article == 12


def test_which_articles_give_money_lists_every_one_of_them(assistant) -> None:  # noqa: ANN001
    for question in ("哪些条款写明了具体的补助或奖励金额", "哪些条款是直接给钱的、写了具体金额的?"):
        answer = assistant.ask(question)
        assert answer.found and answer.calculation is None
        assert [c.article for c in answer.citations] == [2, 3, 6, 7]
        assert "给出具体金额或比例的条款共4条:第2条、第3条、第6条、第7条。" in answer.answer
    assert assistant.ask("哪几条给首台套补助").citations[0].article == 3  # a topic of its own


@pytest.mark.parametrize("question, thing", [
    # 以旧换新 is in 第7条, in a sentence of its own: the money (50万) is for 示范应用场景
    ("以旧换新买服务机器人,个人消费者一台补多少钱", "以旧换新补贴"),
    # 认定 happened (后); 应用示范工厂 is 第8条's, which gives no money
    ("智能机器人应用示范工厂 认定后奖励多少", "智能机器人应用示范工厂奖励"),
    # round X: 第2条's money is for a purchase; its 软件 here is the 软件 of 支持…软件申报软件“首版次”
    ("我们的控制软件申报首版次成功了,有多少奖励", "首版次奖励"),
    # round Y: what happened (入选了) in a keyword group of its own; the group before it is the thing
    ("机器人应用示范工厂 入选了 能奖多少", "机器人应用示范工厂奖励"),
    # the thing as the article writes it stops after the measure's own words (示范应用场景)
    ("我们的示范应用场景参评人工智能标杆示范项目 要是评上 额外能奖多少", "参评人工智能标杆示范项目奖励"),
])
def test_money_asked_for_what_an_article_names_beside_its_money_is_not_provided(assistant, question: str,
                                                                               thing: str) -> None:
    answer = assistant.ask(question)
    assert not answer.found and f"没有规定“{thing}”" in answer.answer
    # the measure's own purchase of software is still its money
    bought = assistant.ask("整机厂首次采购杭州非关联企业开发的应用软件200万 奖励多少")
    assert bought.calculation is not None and bought.calculation.amount_yuan == 200_000


@pytest.mark.parametrize("question, thing", [
    ("机关事业单位采购机器人 政府采购有没有预留份额比例", "预留份额比例"),
    ("市级引导基金对子基金出资比例多少", "出资比例"),
])
def test_a_figure_asked_of_words_the_library_lacks_is_not_provided(assistant, question: str, thing: str) -> None:
    answer = assistant.ask(question)
    assert not answer.found and f"没有规定“{thing}”" in answer.answer
    assert assistant.ask("首台套补助比例多少").found  # 首台套: the library's own


def test_an_amount_stated_with_a_measures_own_words_chooses_that_measure(assistant) -> None:  # noqa: ANN001
    """采购…150万 is 第2条's purchase, though 力传感器 ranks 第3条 first: not eligible, the purchase
    list names no sensor."""
    answer = assistant.ask("整机厂,首次从杭州非关联企业采购六维力传感器150万,按那个10%能奖多少")
    assert answer.found and answer.citations[0].article == 2
    assert answer.calculation is not None and answer.calculation.amount_yuan == 0


def test_a_word_abbreviating_a_library_phrase_is_found(assistant) -> None:  # noqa: ANN001
    """总体目标 for 第1条's 总体发展目标: Chinese abbreviations leave out what lies between."""
    evidence = {e.word: e for e in assistant.retriever._judge.judge("总体目标的责任单位是谁").words}
    assert (evidence["总体目标"].found, evidence["总体目标"].how, evidence["总体目标"].credit) == \
        ("总体发展目标", "abbreviation", 1.0)
    assert assistant.ask("总体目标的责任单位是谁").citations[0].article == 1


def test_an_amount_stated_as_the_whole_is_the_amount(assistant) -> None:  # noqa: ANN001
    from assistant.calc.calculators import split_amounts  # noqa: PLC0415
    from assistant.lang.reading import stated_amounts  # noqa: PLC0415

    rule = next(r for r in assistant.rules.rules if r.article == 6)
    text = "后来又追加了300万新设备,现在一共1200万,都是新设备"
    assert split_amounts(rule, text, stated_amounts(text)) == (12_000_000, 0)


@pytest.mark.parametrize("text", ["我们其实是绍兴的整机厂,从滨江一家芯片公司买,首单200万",
                                  "we're a whole-machine maker in Shaoxing actually, buying from a Binjiang chip firm"])
def test_a_clause_the_enterprise_starts_with_itself_names_its_own_place(assistant, text: str) -> None:  # noqa: ANN001
    from assistant.calc.calculators import read_conditions  # noqa: PLC0415

    rule = next(r for r in assistant.rules.rules if r.article == 2)
    scope = assistant.retriever._judge.judge(text)
    read = read_conditions(rule, text, scope.other_places, scope.inside_places)
    assert (read["hangzhou_whole_machine"], read["hangzhou_supplier"]) == (False, True)


@pytest.mark.parametrize("text, listed", [
    ("整机企业 首次采购非关联杭州企业生产的减速机 600万 奖励多少", False),  # a machine, not on 第2条's list
    ("采购了一台检测仪 150万", False),
    ("首次采购杭州企业的运动控制软件300万", True),
    ("首次采购了一批,花了200万", None),  # nothing named
    ("采购 伺服电机 600万", False),  # a terse question: the keyword after the verb
    ("智能芯片采购奖励 申请表在哪下载 要交哪些材料", True),  # 材料 is no purchase; 芯片 before the verb is
])
def test_a_thing_bought_named_as_a_machine_is_not_on_the_purchase_list(assistant, text: str,  # noqa: ANN001
                                                                        listed: bool | None) -> None:
    rule = next(r for r in assistant.rules.rules if r.article == 2)
    assert rule.condition("listed_product").read(text) is listed


def test_a_figure_of_a_policy_the_library_only_refers_to_is_a_gap(assistant) -> None:  # noqa: ANN001
    """第3条: 首台套 产品享受智能物联产业奖补政策 — that policy's figures are not in the library."""
    answer = assistant.ask("智能物联产业奖补政策 首台套具体补多少")
    assert answer.found and answer.calculation is None and answer.gaps == ["具体金额或比例"]
    assert answer.citations[0].article == 3
    assert assistant.ask("人形机器人首台套销售额3000万元补助多少?").calculation.amount_yuan == 1_500_000


def test_a_figure_of_a_policy_kind_the_article_encourages_is_a_gap_after_a_calculation(assistant) -> None:  # noqa: ANN001
    """第6条 鼓励区、县(市)制定专项招引政策: the county's own policy is one the library refers to and
    does not hold; after a calculation, asking what it gives is no re-run of 第6条's calculation."""
    conv = Conversation()
    first = assistant.ask("我们准备在桐庐投一个人形机器人产业化项目,520万,全是新设备,也能拿到行业先进认定,能资助多少", conv)
    assert first.calculation.amount_yuan == 1_560_000
    then = assistant.ask("桐庐县自己有没有机器人专项招引政策 给多少", conv)
    assert then.found and then.calculation is None and then.gaps == ["具体金额或比例"]
    assert then.citations[0].article == 6


def test_a_step_of_a_measure_with_the_head_of_its_trigger_chooses_it(assistant) -> None:  # noqa: ANN001
    """巡检机器人的场景, 假如评上了能拿多少: 评上 is 第7条's step (a condition's phrase) and 场景 the
    head of 应用场景 — its 50万 ceiling, not 第13条 (巡检, no money)."""
    answer = assistant.ask("我们在淳安千岛湖景区做了讲解+巡检机器人的场景,假如评上了能拿多少")
    assert answer.citations[0].article == 7 and answer.calculation.amount_yuan == 500_000


def test_money_a_measure_does_not_give_is_no_recalculation(assistant) -> None:  # noqa: ANN001
    """After 第7条's 50万, 参评人工智能标杆示范项目 … 评上还有额外多少奖励 asks for money the article
    names nothing for (重点支持…参评): not provided, not the 50万 again."""
    conv = Conversation()
    assert assistant.ask("我们做了一个巡检机器人的应用场景,假如评上了能拿多少", conv).calculation.amount_yuan == 500_000
    then = assistant.ask("再去参评人工智能标杆示范项目的话,评上还有额外多少奖励", conv)
    assert not then.found and then.calculation is None


@pytest.mark.parametrize(("question", "article"), [
    ("核安全保障 这种场景有没有写进去", 13),  # 写进去 names the text's saying it, no topic
    ("机器人行业协会建设 文件支持不", 18),  # 协会 is the document's 行业组织
    ("我们是柯桥过来在萧山开的纺织厂,想上机器人做智能检测,政策里有对应的场景吗", 8),  # 纺织厂: a 纺织 factory
])
def test_what_the_text_says_in_other_words_is_found(assistant, question: str, article: int) -> None:  # noqa: ANN001
    answer = assistant.ask(question)
    assert answer.found and answer.citations[0].article == article


@pytest.mark.parametrize(("question", "absent"), [
    ("首台套 保险补偿 保费补贴比例", "保费补贴比例"),  # the figure of a benefit for 保费, which the library lacks
    ("通过融资租赁买工业机器人,租赁利息有没有贴息", "贴息"),  # a kind of money asked to exist
    ("手术机器人收费能进医保吗", "医保"),  # 能进…吗: what a one-character verb takes
])
def test_the_thing_asked_for_is_not_provided(assistant, question: str, absent: str) -> None:  # noqa: ANN001
    answer = assistant.ask(question)
    assert not answer.found and f"没有规定“{absent}”" in answer.answer


def test_a_word_ending_in_a_filler_character_keeps_it() -> None:
    """保费补贴: 费 ends the word 保费 (no filler, as 费 of 流片费补贴 is); 拿 of 能拿 is one."""
    assert asked_benefit("保费补贴比例多少", ["保费", "补贴", "比例", "多少"]).things == ("保费",)
    assert asked_benefit("流片费补贴多少", ["流片", "费", "补贴", "多少"]).things == ("流片",)
    assert asked_benefit("最多能拿多少资助", ["最多", "能拿", "多少", "资助"]).things == ()


@pytest.mark.parametrize(("question", "facet"), [
    ("采购芯片那个10%奖励 什么时候开始申报 截止到哪天", "申报时间"),
    ("首台套怎么认定 去哪申报", "申报流程"),
])
def test_an_application_window_or_procedure_the_text_does_not_give_is_a_gap(assistant, question: str,  # noqa: ANN001
                                                                            facet: str) -> None:
    answer = assistant.ask(question)
    assert answer.found and answer.gaps == [facet]


def test_how_much_one_gets_asks_for_money(assistant) -> None:  # noqa: ANN001
    """最多拿多少: 拿多少 asks about money (two selected scenarios: 2 × 50万)."""
    assert assistant.ask("我们有两个项目都评上了示范应用场景,一共最多拿多少").calculation.amount_yuan == 1_000_000


def test_a_negation_stops_at_a_terse_questions_next_keyword_group(assistant) -> None:  # noqa: ANN001
    """没关联 我们整机在萧山: 整机 is not negated; 没有 关联关系 still is."""
    from assistant.lang.reading import negated  # noqa: PLC0415

    text = "供应商杭州的 没关联 我们整机在萧山"
    assert not negated(text, text.find("整机")) and negated("没有 关联关系", 3)
    answer = assistant.ask("首采工具包花了1200万 供应商杭州的 没关联 我们整机在萧山,奖励是不是120万?")
    assert answer.calculation.amount_yuan == 500_000


@pytest.mark.parametrize("text, word, expected", [
    ("滨江一家跟我们没关系的整机企业今年第一次采购了我们150万的芯片", "整机企业", True),
    ("我们是一家整机企业", "整机企业", False),
    ("另外给一家汽车厂做的智能物流场景报了今年示范应用场景评选", "示范应用场景", False),
])
def test_a_word_after_a_firm_the_text_introduces_describes_that_firm(text: str, word: str, expected: bool) -> None:
    from assistant.lang.reading import another_firm_before  # noqa: PLC0415

    assert another_firm_before(text, text.find(word)) is expected


@pytest.mark.parametrize("question, amount", [
    ("滨江一家整机厂第一次采购了我们150万的芯片,我们能拿那10%奖励吗", 0),  # the reward is the buyer's
    ("临平一家整机厂第一次买我们的应用软件,300万,我们两家没有股权关系,他们能拿多少奖励", 300_000),
])
def test_a_seller_asking_for_itself_or_for_its_buyer(assistant, question: str, amount: int) -> None:  # noqa: ANN001
    assert assistant.ask(question).calculation.amount_yuan == amount


def test_a_comma_grouping_digits_is_no_clause_break() -> None:
    """Round AE: 实际投资总额5,600万 is one clause; 1,200,000 yuan too; a comma before words is a break."""
    text = "实际投资总额5,600万:土地1,000万,已通过认定。Sales 1,200,000 yuan, all first-set"
    assert [sp.text for sp in clauses(text)] == [
        "实际投资总额5,600万", "土地1,000万", "已通过认定", "Sales 1,200,000 yuan", " all first-set"]
