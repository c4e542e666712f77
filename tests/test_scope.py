"""The scope judgement: evidence that generalises (specificity from general usage, anchors, typos,
places, named policies, document facets, gaps). The labelled rounds are gated in test_rounds.py."""

from __future__ import annotations


import pytest

from assistant.lang.lexical import specificity



@pytest.fixture(scope="module")
def judge(assistant):
    return assistant.retriever.judge


def test_framing_words_weigh_little_and_topic_words_a_lot() -> None:
    spec = specificity()
    for framing in ("干嘛", "自己", "提到", "想", "like", "help"):
        assert spec.weight(framing) < 1.0, framing
    for topic in ("公积金", "摇号", "个人所得税", "passport"):
        assert spec.weight(topic) > 1.4, topic


@pytest.mark.parametrize("question", [
    "揭榜挂帅到底是干嘛用的啊",
    "听说政府会把减速器研发列进重点支持,真的假的",
    "想问下我们公司想建概念验证中心,政策里提到过吗",
    "那个出海行动是哪个部门在管",
    "灵巧手这块有没有说法",
    "整个政策的发展目标是啥",  # round AV: 整个 is a determiner, no topic missing
])
def test_colloquial_questions_with_a_policy_term_are_covered(judge, question: str) -> None:
    assert judge.judge(question).covered, judge.judge(question).evidence()


@pytest.mark.parametrize("wrong, right", [
    ("揭膀挂帅是什么", "揭榜挂帅"), ("首台陶补助多少", "首台套"), ("征球意见什么时候截止", "征求意见"),
    ("康复机器仁有支持吗", "康复机器人"),
    ("整机企业 首采 杭州非关联企业的力传感期 400万 奖多少", "力传感器"),  # round AU: 期 cut off alone
])
def test_one_character_typos_of_policy_terms_are_corrected(judge, wrong: str, right: str) -> None:
    scope = judge.judge(wrong)
    assert right in scope.corrected and scope.covered


def test_dictionary_words_are_not_corrected_into_policy_terms(judge) -> None:
    scope = judge.judge("市财政局负责什么")
    assert "市财政局" in scope.corrected


def test_only_typos_that_sound_alike_are_corrected_across_words(judge) -> None:
    """产线 (production line) is not a typo of 产业, nor 杭州投(个) of 杭州市: a pinyin input method
    turns a word into one that sounds like it."""
    question = "我们打算在杭州投个几千万搞人形机器人产线,大概能补多少?"
    assert judge.judge(question).corrected == question


def test_words_of_an_example_weigh_little(judge) -> None:
    """A trade fair's or a city's name in an example is not evidence against the question."""
    scope = judge.judge("Will the city subsidize our booth at an overseas robotics trade fair, "
                        "e.g. Automatica in Munich?")
    assert scope.covered, scope.evidence()
    assert judge.judge("展会补贴有吗,比如慕尼黑的Automatica").covered


def test_a_year_the_library_names_and_a_compound_s_head_are_evidence(judge) -> None:
    """到2026年 picks out the targets; 年产值 is a kind of 产值 (the text says 工业产值)."""
    scope = judge.judge("2026年全市机器人年产值目标定的是多少")
    assert scope.covered, scope.evidence()
    words = {e.word: e for e in scope.words}
    assert words["2026年"].how == "verbatim" and words["年产值"].found == "产值"
    assert not judge.judge("2026年杭州住房公积金缴存比例是多少").covered


def test_an_english_word_brings_every_sense_the_library_has(assistant) -> None:
    """select → 拣选 (logistics, 第10条) and 评选 (demonstration scenarios, 第7条): the ranking, not
    the first dictionary sense, decides."""
    answer = assistant.ask("How are demonstration application scenarios selected, and how many each year?")
    assert answer.citations[0].article == 7


@pytest.mark.parametrize("question", [
    "杭州住房公积金每月能提取多少", "小客车指标摇号几号开奖", "个人所得税专项附加扣除怎么填报",
    "杭州明天会下雨吗", "扫地机器人哪个牌子好用", "给我讲个关于机器人的笑话",
    "What is the best hotpot restaurant in Hangzhou?",
])
def test_topics_elsewhere_are_refused(judge, question: str) -> None:
    assert not judge.judge(question).covered, judge.judge(question).evidence()


def test_other_jurisdictions_and_named_policies(judge) -> None:
    assert judge.judge("深圳对人形机器人首台套补贴多少").other_places == ("深圳",)
    assert not judge.judge("Shanghai humanoid robot subsidies").covered
    # The asker's own location elsewhere does not make the question about another policy.
    assert judge.judge("我们是上海的企业,搬到杭州后首台套补助怎么算").covered
    # A district of the library's city asked about as a policy maker, without a document of its own.
    assert not judge.judge("滨江区有没有机器人房租补贴政策").covered
    assert judge.judge("我们公司在滨江区,人形机器人首台套能补多少").covered
    assert judge.judge("《长三角机器人产业协同发展纲要》里怎么说人才").other_policies
    assert judge.judge("工信部的人形机器人创新发展指导意见提出了什么").other_policies


@pytest.mark.parametrize("question, facet", [
    ("这个文件正式实施了没有", "status"), ("意见反馈到几号截止", "consultation"),
    ("起草单位是哪个部门", "drafter"), ("Who drafted this policy?", "drafter"),
    ("这个实施意见是哪天印发的", "date"),  # R37 rr37036: 哪天…印发, as 哪天发布
    ("这个意见是依据国家哪个规划制定的", "basis"),  # R37 rr37038: 依据…哪个, a word between
])
def test_questions_about_the_document_itself(judge, question: str, facet: str) -> None:
    scope = judge.judge(question)
    assert scope.meta and facet in scope.facets


def test_code_like_terms_and_words_found_together(judge) -> None:
    assert judge.judge("1+3+5是什么意思").covered  # a term the tokenizer splits into nothing
    scope = judge.judge("对项目的短期产出要求有没有放宽")  # specific words together in one article
    assert scope.covered


def test_gaps_are_named_not_refused(judge) -> None:
    scope = judge.judge("首台套补助申报需要准备哪些材料")
    assert scope.verdict == "partial" and scope.gaps == ("申报材料",)


def test_criteria_of_a_recognition_the_text_only_names_are_a_gap(judge) -> None:
    """经认定的…“首台套”产品, 每年评选…场景: the text never states the criteria."""
    assert judge.judge("首台套认定标准是什么").gaps == ("认定与评审标准",)
    assert judge.judge("示范应用场景的评选标准有哪些").gaps == ("认定与评审标准",)


def test_graded_answer_cites_and_names_the_gap(assistant) -> None:
    a = assistant.ask("首台套补助申报需要准备哪些材料?")
    assert a.found and a.citations[0].article == 3 and a.gaps == ["申报材料"]
    assert "条文未规定申报材料" in a.answer and "市经信局" in a.answer


def test_meta_answers_come_from_the_metadata(assistant) -> None:
    a = assistant.ask("这个政策现在还能提意见吗?")
    assert a.found and a.citations[0].article == 0
    assert "2024年5月8日截止" in a.answer and "市经信局高端装备处" in a.answer
    a = assistant.ask("Is this policy already in force?")  # in English since finding 6 of issue 18
    assert a.found and a.lang == "en" and "is a 征求意见稿 (draft for comment) and not yet in force" in a.answer


def test_question_words_are_no_topic(assistant) -> None:
    """哪些方面, 哪几个 ask; they name nothing the library could lack."""
    for question, article in [("机器人出海行动提到杭州在哪些方面有产业优势", 14), ("强化组织保障 由哪几个部门负责", 15)]:
        answer = assistant.ask(question)
        assert answer.found and answer.citations[0].article == article


def test_a_document_question_states_what_the_document_lacks(assistant) -> None:
    answer = assistant.ask("市经信局高端装备处的电话是多少")
    assert answer.found and answer.gaps == ["联系电话与地址"] and "条文未规定联系电话与地址" in answer.answer


@pytest.mark.parametrize("question", ["这个政策有效期几年,到哪年结束", "正式稿大概什么时候出"])
def test_when_a_draft_takes_effect_is_a_gap_the_text_states(assistant, question: str) -> None:
    """The seed draft says nothing of its final version, its effective date or its validity."""
    answer = assistant.ask(question)
    assert answer.found and answer.gaps == ["施行时间与有效期"] and answer.citations[0].article == 0


@pytest.mark.parametrize("question, article", [
    ("城市建设与治理场景涉及哪些部门,全部列一下", 13),  # 全部列: a rare jieba entry of 全部 + 列
    ("项目投资资助算实际投资额的时候,哪些不算在里面", 6),  # 算在里面: 算 + 在 + 里面
])
def test_a_chance_pairing_of_common_words_is_no_rare_topic(assistant, question: str, article: int) -> None:
    answer = assistant.ask(question)
    assert answer.found and answer.citations[0].article == article


def test_two_content_words_of_a_rare_entry_stay_a_term(assistant) -> None:
    """国家补贴 (国家 + 补贴) and 等级证书 are terms the library lacks, not chance pairings."""
    judge = assistant.retriever.judge
    assert judge.words.split_weight("国家补贴") == float("inf") and judge.words.split_weight("全部列") < 0.3


@pytest.mark.parametrize("question, article", [
    ("建概念验证中心 最高补助多少万", 4),  # 按规定予以补助: supported, no figure
    ("参加国外展会的经费补助是多少", 14),  # 依规给予经费补助
])
def test_a_figure_the_answering_article_does_not_give_is_a_gap(assistant, question: str, article: int) -> None:
    answer = assistant.ask(question)
    assert (answer.found, answer.citations[0].article, answer.gaps) == (True, article, ["具体金额或比例"])
    # said once: by the article's own note (第14条只规定…) or by the gap sentence
    assert answer.answer.count("没有规定具体金额或比例") + answer.answer.count("条文未规定具体金额或比例") == 1


def test_a_district_named_in_english_is_a_place_inside(assistant) -> None:
    answer = assistant.ask("We are a robot arm maker in Xiaoshan. Is there any funding for a new factory "
                           "project under this draft?")
    assert answer.found  # (Xiaoshan was a rare word the library lacks)
    inside, other = assistant.retriever.judge.places.read("a robot maker in Xiaoshan", [])
    assert (inside, other) == (["xiaoshan"], [])


def test_an_english_name_two_places_share_is_the_local_one(assistant) -> None:
    """Fuyang: 阜阳 the city of Anhui, and 富阳 the district of Hangzhou — a Hangzhou library reads
    it as its own."""
    assert assistant.retriever.judge.places.read("our project in Fuyang", []) == (["fuyang"], [])


def test_a_body_an_article_supports_is_a_measure_not_a_contact(judge, assistant) -> None:
    """概念验证中心 ends like an organization (…中心) but the library names it only as a thing an
    article supports: asking 找谁 about it asks for that article's department, not the notice's contact."""
    assert not judge.judge("建了概念验证中心的话可以联系谁申请支持").meta
    assert judge.judge("起草单位是市经信局吗").meta  # a department the library names as one
    answer = assistant.ask("建了概念验证中心的话可以联系谁申请支持")
    assert answer.citations[0].article == 4


def test_a_facet_word_inside_a_measure_the_articles_name_is_the_measure(judge, assistant) -> None:
    """制定 asks who drafted the document, but 标准制定 is what 第4条 and 第16条 support."""
    assert not judge.judge("标准制定方面文件怎么支持").meta
    assert judge.judge("这个文件是谁制定的").meta
    assert assistant.ask("标准制定方面文件怎么支持").citations[0].article in (4, 16)


def test_a_policy_of_another_kind_with_the_same_words_is_another_policy(assistant) -> None:  # noqa: ANN001
    """杭州市促进具身智能机器人产业发展条例 shares most words with the seed's title, but a 条例 is no
    实施意见: the library does not hold it."""
    assert not assistant.ask("杭州市促进具身智能机器人产业发展条例从哪天起施行?").found
    # the draft (named) never says when it takes effect: not stated (round X's and R20's near misses)
    seed = assistant.ask("杭州市促进智能机器人产业高质量发展的实施意见什么时候施行")
    assert not seed.found and "施行时间与有效期(本库收录的该文件文本未写明)" in seed.answer


def test_how_long_asks_no_consultation_unless_it_names_it(assistant) -> None:  # noqa: ANN001
    """多长时间 of 省级创新中心 建成 is 第16条's 力争三年建成; of 征求意见, the consultation period."""
    assert assistant.ask("省级创新中心 多长时间建成").citations[0].article == 16
    assert assistant.ask("征求意见多长时间").citations[0].article == 0


@pytest.mark.parametrize("question, gaps", [
    ("市重点科研项目 揭榜挂帅 单个项目最多支持多少经费", ["具体金额或比例"]),  # 按规定给予补助
    ("场景在哪报 一般几月份开始", ["申报流程", "申报时间"]),
])
def test_what_an_article_leaves_open_is_stated(assistant, question: str, gaps: list[str]) -> None:  # noqa: ANN001
    answer = assistant.ask(question)
    assert answer.found and answer.gaps == gaps


def test_an_english_cobot_project_is_a_robot_project(assistant) -> None:  # noqa: ANN001
    answer = assistant.ask("We plan a new cobot production line: total investment RMB 30 million, of which 8 million "
                           "for the factory building. Assuming it is recognized as industry-advanced, how much could we get?")
    assert answer.calculation.amount_yuan == 6_600_000


@pytest.mark.parametrize("question, gaps", [
    ("今年示范应用场景申报几号截止", ["申报时间"]),  # 申报…截止: the halves of a phrase apart
    ("首台套申报需要准备哪些材料 网上在哪个系统报", ["申报材料", "申报流程"]),
    ("首台套产品认定 截止申报是几月几号", ["申报时间"]),  # round Y: 截止 before 申报
])
def test_a_facet_asked_in_two_halves_is_a_gap(assistant, question: str, gaps: list[str]) -> None:  # noqa: ANN001
    assert assistant.ask(question).gaps == gaps
    assert assistant.ask("征求意见几号截止").gaps == []  # the consultation's deadline is stated


def test_asking_for_the_wording_asks_for_no_thing(assistant) -> None:  # noqa: ANN001
    """原话 names the text itself (text_words), never a thing the policy lacks."""
    answer = assistant.ask("招引项目 降低投资和短期产出要求 是哪条 原话是什么")
    assert answer.found and answer.citations[0].article == 6


def test_a_question_words_tail_joined_to_the_next_word_is_no_topic(assistant) -> None:  # noqa: ANN001
    """AC: jieba cuts 能不能自己 as 能|不能自己; 不能自己 is the question word's tail and 自己, not a
    specific word the library lacks: 区县能不能自己出招引政策 is about 第6条."""
    answer = assistant.ask("县里能不能自己搞招引政策 文件咋说")
    assert answer.found and answer.citations[0].article == 6


def test_asking_for_the_specific_content_asks_for_no_thing(assistant) -> None:  # noqa: ANN001
    """AG: 机器人出海行动 具体内容是啥 — 具体内容 asks for the text (whole_text_asks), never a word
    the library lacks: 第14条, not a refusal."""
    answer = assistant.ask("机器人出海行动 具体内容是啥")
    assert answer.found and answer.citations[0].article == 14


@pytest.mark.parametrize("question, article", [
    ("机器狗(四足)在政策里有提到吗", 9),  # AF: 四足, held by the index only inside 四足机器人
    ("四足有支持吗", 9),
    ("机器狗有政策支持吗", 9),  # an everyday word the tokenizer cuts in two (机器/狗) keeps its synonym
    ("我们是德国独资的,在钱塘新区做机器人,招人方面这个意见有相关措施吗", 17),  # 招人: 招/人
    ("家政服务机器人推广有支持吗?", 12),  # 服务机器人 is a term of its own, no part of 护理服务机器人
])
def test_words_the_tokenizer_cut_otherwise_still_reach_their_terms(assistant, question: str, article: int) -> None:  # noqa: ANN001
    answer = assistant.ask(question)
    assert answer.found and answer.citations[0].article == article


def test_a_rate_asked_of_an_article_whose_money_is_a_reward_is_a_gap(assistant) -> None:  # noqa: ANN001
    """AG: 国企融资租赁机器人 租赁利率有没有优惠 多少 — 第7条 names 融资租赁 and gives 50万 rewards,
    no rate: the figure asked is what the text does not specify."""
    assert assistant.ask("国企融资租赁机器人 租赁利率有没有优惠 多少").gaps == ["具体金额或比例"]


def test_a_comparison_with_another_place_is_that_places_policy(assistant) -> None:  # noqa: ANN001
    """AG: 杭州的人形机器人政策和上海的比 哪个补得多 — the library holds no Shanghai policy: not
    covered, though 杭州 is named too."""
    assert not assistant.ask("杭州的人形机器人政策和上海的比 哪个补得多").found
    assert assistant.ask("杭州的人形机器人首台套补多少").found


def test_the_askers_own_place_before_a_measures_facts_is_where_the_project_is(assistant) -> None:  # noqa: ANN001
    """AG: 我们湖州德清的 机器人产业化项目 … 投资1.2亿 — where the asker is, stated with the measure's
    facts: 第6条 says a project outside Hangzhou gets nothing (not a refusal about 湖州)."""
    answer = assistant.ask("我们湖州德清的 机器人产业化项目 认定了先进水平 投资1.2亿 能拿多少资助")
    assert answer.found and answer.citations[0].article == 6
    assert (answer.calculation.eligible, answer.calculation.amount_yuan) == (False, 0)


@pytest.mark.parametrize("question, article", [
    ("今天5月10号了,机器人那个文件还能提修改意见不?", 0),  # AH: 修改意见 asks about the consultation
    ("我们纺织厂想上机器人做智能检测和自动配送,对应的是哪个场景", 8),  # AH: 对应 relates, it names no thing
    ("Different topic: does the draft have a section on logistics robots like AMRs and sorting machines?", 10),
])
def test_covered_questions_of_round_ah_are_answered(assistant, question: str, article: int) -> None:  # noqa: ANN001
    answer = assistant.ask(question)
    assert answer.found and answer.citations[0].article == article


@pytest.mark.parametrize("question, thing", [
    ("康复机器人治疗费用能进医保报销吗", "医保"),  # AH: 能进 … 吗, two words up to the 吗
    ("康复外骨骼机器人 二类医疗器械注册证 怎么办 多久能下来", "注册证"),  # AH: a space before 怎么办
])
def test_the_thing_asked_that_the_library_lacks_is_said(assistant, question: str, thing: str) -> None:  # noqa: ANN001
    answer = assistant.ask(question)
    assert not answer.found and f"没有规定“{thing}”" in answer.answer


def test_a_fairs_name_is_no_thing_and_the_thing_before_the_benefit_word_is_named(assistant) -> None:  # noqa: ANN001
    """Web round 17: 参加汉诺威工业展,有补贴吗 — 工业展 is a fair (第14条, no amount), 汉诺威 its name;
    租厂房生产减速器,有没有厂房租金补贴 — the missing thing is 租金, not 减速器 (which 第3条 supports)."""
    fair = assistant.ask("另外,我们想去德国参加汉诺威工业展,有补贴吗?")
    assert fair.found and fair.citations[0].article == 14 and fair.gaps == ["具体金额或比例"]
    rent = assistant.ask("我们在杭州租厂房生产减速器,有没有厂房租金补贴?")
    assert not rent.found and "没有规定“租金补贴”" in rent.answer


def test_an_everyday_word_for_a_measure_reaches_it(assistant) -> None:  # noqa: ANN001
    """AI: 区里能不能单独出机器人专项招商政策? — 招商 is 招引 (第6条's 专项招引政策), not a word the
    library lacks."""
    answer = assistant.ask("区里能不能单独出机器人专项招商政策?投资强度要求会不会降")
    assert answer.found and answer.citations[0].article == 6


def test_a_rate_asked_whether_it_exists_is_a_gap_too(assistant) -> None:  # noqa: ANN001
    """AI: 国企通过融资租赁用机器人,租赁利率有优惠吗 — no 多少, still a rate 第7条 does not give."""
    assert assistant.ask("国企通过融资租赁用机器人,租赁利率有优惠吗").gaps == ["具体金额或比例"]


def test_preferential_policies_are_the_policys_support(assistant) -> None:  # noqa: ANN001
    """After AI: 机器人企业有什么优惠政策 — 优惠政策, everyday words for the support the policy gives,
    was a word the library lacks (a covered question refused); another place's stays not covered."""
    assert assistant.ask("机器人企业有什么优惠政策").found
    assert not assistant.ask("上海有什么优惠政策").found


def test_a_place_by_its_locative_word_is_no_topic(assistant) -> None:  # noqa: ANN001
    """AN ran015: 在紫金港那边建个概念验证中心 — 紫金港, which no gazetteer knows, is where (那边), not
    a topic the library lacks: 第4条's 概念验证中心 answers."""
    a = assistant.ask("公司想在紫金港那边建个概念验证中心,意见稿里有相关内容吗")
    assert a.found and a.citations[0].article == 4
    # AQ raq033: 在西湖景区边上 — a known place's name inside the phrase, and 边上 no topic either
    b = assistant.ask("想在西湖景区边上开个机器人主题体验馆,政策鼓励不")
    assert b.found and b.citations[0].article == 9


def test_comments_on_a_named_article_go_where_the_notice_says(assistant) -> None:  # noqa: ANN001
    """AQ raq003: 对第6条有修改意见,反馈给哪个处室 — 第6条 is what the comments are on; the notice
    says where they go (市经信局高端装备处)."""
    a = assistant.ask("我们对第6条有修改意见,反馈给哪个处室")
    assert a.citations[0].article == 0 and "请联系市经信局高端装备处(汽车产业处)" in a.answer


def test_how_questions_name_a_consultation_and_an_application_deadline(assistant) -> None:  # noqa: ANN001
    """AN ran003: 公告期 is the consultation's period; ran099: 截止报名 is when to apply, not the
    consultation (a gap of 第7条)."""
    period = assistant.ask("意见稿 公告期 起止日期")
    assert period.found and period.citations[0].article == 0
    swapped = assistant.ask("意见征求 起止时间")  # AP rap002: 征求意见 written the other way round
    assert swapped.found and swapped.citations[0].article == 0
    apply = assistant.ask("今年示范应用场景评选什么时候截止报名?")
    assert apply.citations[0].article == 7 and "申报时间" in apply.gaps
