"""English questions get English answers (issue 18, finding 6): the explanation, calculation lines,
notes, the not-covered reply and follow-ups in English, the quote verbatim Chinese with its
article's number and title, every figure from the calculator."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from assistant.cli import cli
from assistant.lang.language import question_language


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):  # noqa: A002
        return runner.invoke(cli, list(args), input=input, catch_exceptions=False)

    return invoke


@pytest.mark.parametrize("question, previous, lang", [
    ("How much is the subsidy for humanoid robot first-set sales of 30 million yuan?", "zh", "en"),
    ("What is the 首台套 subsidy for 3000万 of sales?", "zh", "en"),  # a Chinese term inside English
    ("首台套销售额3000万元 subsidy how much?", "zh", "zh"),  # half Chinese stays Chinese
    ("人形机器人首台套销售额3000万元补助多少?", "en", "zh"),
    ("是", "en", "en"), ("8000万呢?", "en", "en"), ("yes", "zh", "zh"),  # too few letters: the conversation's
    ("那如果是8000万呢?", "en", "zh"),
])
def test_the_question_language_is_the_share_of_latin_letters(question: str, previous: str, lang: str) -> None:
    assert question_language(question, previous) == lang  # type: ignore[arg-type]


# The expected outputs, read and checked by hand: every figure is the calculator's, the quotes are the
# article's own sentences, the titles Chinese with their glossary English.
AMOUNT_ANSWER = "\n\n".join([
    '**Basis: 《杭州市促进智能机器人产业高质量发展的实施意见(征求意见稿)》 (Implementation Opinions of Hangzhou on Promoting the High-Quality Development of the Intelligent Robot Industry (draft for comment)), Article 3 (第3条 加强核心零部件和整机制造关键技术攻关 — Key technologies of core components and whole machines)**',
    '**Amount: CNY 1,500,000 (150万元)**',
    'Calculation:\n1. Sales to non-affiliated buyers: CNY 30,000,000 (3000万元), which reaches the threshold of CNY 1,000,000 (100万元).\n2. The CNY 10,000,000 (1000万元) tier is reached: 5% applies.\n3. CNY 30,000,000 (3000万元) × 5% = CNY 1,500,000 (150万元)\n4. Within the maximum of CNY 10,000,000 (1000万元).',
    'Maximum: CNY 10,000,000 (1000万元).',
    'Notes:\n- Read literally, the rate of the highest tier the sales reach (the threshold included) applies to all of the sales, so the amount jumps at a threshold (e.g. 9,999,000 yuan → 999,900 yuan, 10,000,000 yuan → 500,000 yuan).\n- The responsible department (市经信局) has the final interpretation; other intelligent-robot “first set” products receive the smart IoT industry subsidies, for which this article sets no amount.',
    '> 经认定的智能机器人领域“首台套”产品享受智能物联产业奖补政策,其中人形机器人“首台套”产品对非关联方销售额达100万元、1000万元、1亿元的,按销售额的10%、5%、2%给予补助,单个产品最高补助1000万元。',
    'Responsible department: 市经信局 (Municipal Bureau of Economy and Information Technology)',
    'Related articles: Article 1 (第1条 总体发展目标 — Overall development goals); Article 4 (第4条 强化科技创新主体建设 — Strengthening innovators in science and technology)',
    "_《杭州市促进智能机器人产业高质量发展的实施意见(征求意见稿)》 (Implementation Opinions of Hangzhou on Promoting the High-Quality Development of the Intelligent Robot Industry (draft for comment)) is a 征求意见稿 (draft for comment); the officially issued policy and the responsible departments' interpretation prevail._",
])
AMOUNT_STEPS = [
    'Sales to non-affiliated buyers: CNY 30,000,000 (3000万元), which reaches the threshold of CNY 1,000,000 (100万元).',
    'The CNY 10,000,000 (1000万元) tier is reached: 5% applies.',
    'CNY 30,000,000 (3000万元) × 5% = CNY 1,500,000 (150万元)',
    'Within the maximum of CNY 10,000,000 (1000万元).',
]
AMOUNT_NOTES = [
    'Read literally, the rate of the highest tier the sales reach (the threshold included) applies to all of the sales, so the amount jumps at a threshold (e.g. 9,999,000 yuan → 999,900 yuan, 10,000,000 yuan → 500,000 yuan).',
    'The responsible department (市经信局) has the final interpretation; other intelligent-robot “first set” products receive the smart IoT industry subsidies, for which this article sets no amount.',
]
LOOKUP_ANSWER = "\n\n".join([
    '**Basis: 《杭州市促进智能机器人产业高质量发展的实施意见(征求意见稿)》 (Implementation Opinions of Hangzhou on Promoting the High-Quality Development of the Intelligent Robot Industry (draft for comment)), Article 16 (第16条 搭建服务平台 — Service platforms)**',
    '> 建设杭州市智能机器人产业创新中心,发挥创新引领、检测验证、标准制定、模拟训练、交流展示、科研转化、产业孵化等功能,力争三年建成省级创新中心,积极争取国家级创新平台,打造新质生产力的杭州地标。结合城西科创大走廊、城东智造大走廊建设,打造2-3个智能机器人产业平台,力争成为人工智能的政策洼地和产业高地。',
    'Responsible department: 市经信局 (Municipal Bureau of Economy and Information Technology)',
    'Related articles: Article 18 (第18条 优化产业生态 — A better industrial ecosystem); Article 13 (第13条 拓展城市建设与治理场景 — Urban construction and governance scenarios)',
    "_《杭州市促进智能机器人产业高质量发展的实施意见(征求意见稿)》 (Implementation Opinions of Hangzhou on Promoting the High-Quality Development of the Intelligent Robot Industry (draft for comment)) is a 征求意见稿 (draft for comment); the officially issued policy and the responsible departments' interpretation prevail._",
])
NOT_COVERED = 'Sorry, 《杭州市促进智能机器人产业高质量发展的实施意见(征求意见稿)》 (Implementation Opinions of Hangzhou on Promoting the High-Quality Development of the Intelligent Robot Industry (draft for comment)) does not cover this question, so it cannot be answered from the policy text. For questions, please contact 市经信局高端装备处(汽车产业处) (the High-End Equipment Division (Automotive Industry Division) of the Municipal Bureau of Economy and Information Technology).'
FOLLOW_UP = "\n\n".join([
    '**Basis: 《杭州市促进智能机器人产业高质量发展的实施意见(征求意见稿)》 (Implementation Opinions of Hangzhou on Promoting the High-Quality Development of the Intelligent Robot Industry (draft for comment)), Article 3 (第3条 加强核心零部件和整机制造关键技术攻关 — Key technologies of core components and whole machines)**',
    '**Amount: CNY 4,000,000 (400万元)**',
    'Calculation:\n1. Sales to non-affiliated buyers: CNY 80,000,000 (8000万元), which reaches the threshold of CNY 1,000,000 (100万元).\n2. The CNY 10,000,000 (1000万元) tier is reached: 5% applies.\n3. CNY 80,000,000 (8000万元) × 5% = CNY 4,000,000 (400万元)\n4. Within the maximum of CNY 10,000,000 (1000万元).',
    'Maximum: CNY 10,000,000 (1000万元).',
    'Notes:\n- Read literally, the rate of the highest tier the sales reach (the threshold included) applies to all of the sales, so the amount jumps at a threshold (e.g. 9,999,000 yuan → 999,900 yuan, 10,000,000 yuan → 500,000 yuan).\n- The responsible department (市经信局) has the final interpretation; other intelligent-robot “first set” products receive the smart IoT industry subsidies, for which this article sets no amount.',
    '> 经认定的智能机器人领域“首台套”产品享受智能物联产业奖补政策,其中人形机器人“首台套”产品对非关联方销售额达100万元、1000万元、1亿元的,按销售额的10%、5%、2%给予补助,单个产品最高补助1000万元。',
    'Responsible department: 市经信局 (Municipal Bureau of Economy and Information Technology)',
    "_《杭州市促进智能机器人产业高质量发展的实施意见(征求意见稿)》 (Implementation Opinions of Hangzhou on Promoting the High-Quality Development of the Intelligent Robot Industry (draft for comment)) is a 征求意见稿 (draft for comment); the officially issued policy and the responsible departments' interpretation prevail._",
    'Sources:\n  《杭州市促进智能机器人产业高质量发展的实施意见(征求意见稿)》, Article 3 (第3条 加强核心零部件和整机制造关键技术攻关 — Key technologies of core components and whole machines) (responsible department: 市经信局 (Municipal Bureau of Economy and Information Technology))',
])


AMOUNT_Q = "How much is the subsidy for humanoid robot first-set sales of 30 million yuan to unrelated buyers?"


def test_an_english_amount_question(run) -> None:
    res = run("ask", "--json", AMOUNT_Q)
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert set(data) == {"question", "answer", "found", "citations", "calculation", "lang"}
    assert data["lang"] == "en" and data["found"] is True
    assert data["answer"] == AMOUNT_ANSWER
    calc = data["calculation"]
    assert (calc["tool"], calc["article"], calc["eligible"], calc["amount_yuan"], calc["cap_yuan"]) == \
        ("first_set_subsidy", 3, True, 1_500_000, 10_000_000)
    assert calc["steps"] == AMOUNT_STEPS and calc["notes"] == AMOUNT_NOTES
    first = data["citations"][0]
    assert (first["article"], first["title"], first["departments"]) == (3, "加强核心零部件和整机制造关键技术攻关", ["市经信局"])
    assert f"> {first['quote']}" in data["answer"]  # the quote verbatim, Chinese


def test_an_english_lookup_and_its_readable_sources(run) -> None:
    data = json.loads(run("ask", "--json", "What does article 16 say?").stdout)
    assert (data["answer"], data["lang"], data["calculation"]) == (LOOKUP_ANSWER, "en", None)
    text = run("ask", "What does article 16 say?").stdout
    assert text.startswith(LOOKUP_ANSWER + "\n\nSources:\n  《杭州市促进智能机器人产业高质量发展的实施意见(征求意见稿)》, "
                           "Article 16 (第16条 搭建服务平台 — Service platforms) (responsible department: "
                           "市经信局 (Municipal Bureau of Economy and Information Technology))\n")
    assert "来源" not in text and "责任单位" not in text


def test_an_english_question_not_covered(run) -> None:
    data = json.loads(run("ask", "--json", "How do I apply for a housing provident fund loan?").stdout)
    assert (data["found"], data["citations"], data["answer"], data["lang"]) == (False, [], NOT_COVERED, "en")


def test_a_chinese_question_keeps_its_chinese_answer_and_keys(run) -> None:
    data = json.loads(run("ask", "--json", "人形机器人首台套对非关联方销售额3000万元补助多少?").stdout)
    assert "lang" not in data and data["answer"].startswith("**依据:")
    assert data["calculation"]["steps"][-1] == "未超过最高1000万元。"


def test_follow_ups_in_an_english_conversation_stay_english(run) -> None:
    """是 and 8000万呢? have too few letters to tell: the conversation's language holds."""
    out = run("chat", input="How much is the subsidy for humanoid first-set sales of 30 million yuan?\n是\n8000万呢?\n\n").stdout
    turns = out.split("问> ")
    assert "**Please confirm**: Are the buyers unaffiliated (not a parent, a subsidiary or a company of your group)? " \
        "(reply yes or no)" in turns[1]
    assert "**Amount: CNY 1,500,000 (150万元)**" in turns[2] and "Please confirm" not in turns[2]
    assert turns[3].rstrip("\n") == FOLLOW_UP


def test_english_api_answer(assistant) -> None:
    """/api/ask's handler: the same English answer, its markdown with English source labels."""
    import tempfile
    from pathlib import Path

    from assistant.ops.feedback import FeedbackStore
    from ui.handlers import Handlers

    with tempfile.TemporaryDirectory() as tmp:
        h = Handlers(assistant, FeedbackStore(Path(tmp) / "fb.sqlite3"))
        data = h.ask(AMOUNT_Q)
    assert data["answer"] == AMOUNT_ANSWER and data["lang"] == "en"
    assert "<summary>Sources (3)</summary>" in data["markdown"] and "引用来源" not in data["markdown"]
    assert "<strong>Source: 《杭州市促进智能机器人产业高质量发展的实施意见(征求意见稿)》, Article 3 (第3条 " \
        "加强核心零部件和整机制造关键技术攻关 — Key technologies of core components and whole machines)</strong>" in data["markdown"]


def test_a_sentence_keeps_its_message_through_copies_and_unknown_terms_stay_chinese() -> None:
    import copy
    import pickle

    from assistant.lang.language import Said, english

    said = Said("首次采购金额300万元,达到100万元门槛。", "calc.threshold", label="首次采购金额", amount=3_000_000,
                minimum=1_000_000)
    for again in (pickle.loads(pickle.dumps(said)), copy.deepcopy(said)):
        assert again == said and english(again) == \
            "First purchase amount: CNY 3,000,000 (300万元), which reaches the threshold of CNY 1,000,000 (100万元)."
    assert english(Said("x", "calc.threshold", label="某项新金额", amount=1, minimum=0)) == \
        "某项新金额: CNY 1 (1元), which reaches the threshold of CNY 0 (0元)."  # no gloss: the Chinese label
    assert english("词表里没有的句子。") == "词表里没有的句子。"


def test_an_english_benefit_for_a_thing_no_measure_funds_is_not_provided(assistant) -> None:
    """rent → 租赁 only as 融资租赁, graduates nowhere: the policy gives no such money."""
    for q in ("Is there a rent subsidy for labs of robot firms?", "Do you give a subsidy for hiring graduates?"):
        answer = assistant.ask(q)
        assert not answer.found and "does not provide" in answer.answer, q
    assert assistant.ask("What is the maximum purchase subsidy for chips?").found


def test_quadruped_is_the_drafts_four_legged_robot(assistant) -> None:
    answer = assistant.ask("Is there anything for quadruped robot companies?")
    assert answer.found and answer.citations[0].article in (3, 9)


def test_a_name_in_the_frame_of_an_origin_or_a_place_is_no_topic(assistant) -> None:  # noqa: ANN001
    """Singapore-owned, the old Xiasha development zone: who and where; an EU Horizon grant is what is
    asked."""
    answer = assistant.ask("Hi, we're a Singapore-owned robotics company that just set up in Qiantang (the old "
                           "Xiasha development zone). Does the draft support going to overseas trade fairs?")
    assert answer.found and answer.citations[0].article == 14
    assert not assistant.ask("Is there an EU Horizon grant for humanoid robot research?").found


def test_two_english_words_of_one_library_term_are_found_in_full(assistant) -> None:  # noqa: ANN001
    """dexterous (巧手) beside hands (灵巧手): one term of 第3条."""
    answer = assistant.ask("Hi, we're a German-invested company in Qiantang making dexterous robot hands and "
                           "grippers. Is there any support for us in this draft?")
    assert answer.found and answer.citations[0].article == 3


def test_a_share_of_a_cost_covered_asks_for_a_figure_article_14_does_not_give(assistant) -> None:  # noqa: ANN001
    """what percentage of the booth cost is covered: a figure of money (covered), and 第14条 says only
    依规给予经费补助 — the gap is stated."""
    answer = assistant.ask("For trade fairs abroad, e.g. Automatica in Munich, what percentage of the booth cost "
                           "is covered?")
    assert answer.citations[0].article == 14 and answer.gaps == ["具体金额或比例"]


def test_a_subsidy_named_by_two_words_before_it_is_not_provided(assistant) -> None:  # noqa: ANN001
    """loan interest subsidy: interest, then loan (not after an article: covers the subsidy)."""
    answer = assistant.ask("Is there also a loan interest subsidy on top of that?")
    assert not answer.found and "loan subsidy" in answer.answer
    assert assistant.ask("We sold our certified first-of-its-kind humanoid robot to a German client for about "
                         "2 million US dollars. Which rule covers the subsidy and what rates apply?").found


def test_british_spelling_and_a_plant_named_after_a_district(assistant) -> None:  # noqa: ANN001
    """recognised is recognized (认定); the Qiantang plant is no plan of 钱塘's own."""
    answer = assistant.ask("OK. We're expanding the Qiantang plant: actual investment RMB 18,000,000, all new "
                           "equipment, recognised as industry-advanced.")
    assert answer.citations[0].article == 6 and answer.calculation.amount_yuan == 5_400_000


@pytest.mark.parametrize(("question", "article"), [
    ("Which bureau is responsible for the robot 'going global' (出海) measure?", 14),  # a Chinese term inside
    ("Can key robot R&D positions be put on the shortage-talent catalogue? which article", 17),
])
def test_english_questions_reach_their_article(assistant, question: str, article: int) -> None:  # noqa: ANN001
    answer = assistant.ask(question)
    assert answer.found and answer.citations[0].article == article


def test_the_quick_answers_speak_the_conversations_language() -> None:
    from ui.chat import ChatHandlers

    english = [{"role": "user", "content": "Our humanoid robot sold 30 million to unrelated buyers, how much?"}]
    assert ChatHandlers.quick_answers("yes", english) == ("Yes", "No")  # a yes keeps the language
    assert ChatHandlers.quick_answers("人形机器人首台套卖了3000万能补多少", english) == ("是", "否")


def test_the_registration_place_read_from_a_description_is_offered_back() -> None:
    """Web round 8: 余杭区 was read but the 注册地 box stayed empty."""
    from ui.checkup import CheckupHandlers

    rows = [["企业注册地", "杭州市余杭区", "我们是余杭区的"], ["研制或生产人形机器人", "是", "人形"]]
    assert CheckupHandlers.read_location(rows) == "杭州市余杭区" and CheckupHandlers.read_location([]) == ""


def test_makers_name_who_asks_and_a_gap_is_glossed(assistant) -> None:  # noqa: ANN001
    """AG: component makers — makers says who asks (no topic the library lacks), component is 零部件:
    第3条. A gap named in an English answer carries its English (税收处理 (tax treatment))."""
    answer = assistant.ask("OK, so what does the policy say about supporting component makers like us?")
    assert answer.found and answer.citations[0].article == 3
    assert "(tax treatment)" in english_gap_sentence(assistant)


def english_gap_sentence(assistant) -> str:  # noqa: ANN001
    answer = assistant.ask("We're a Japanese-invested robot component maker in Xiaoshan. "
                           "Are imported components exempt from tariffs?")
    return next((line for line in answer.answer.splitlines() if "does not specify" in line), answer.answer)


def test_a_humanoid_production_project_in_english_takes_the_humanoid_threshold(assistant) -> None:
    """Web round 28: "a humanoid robot production project" of 8 million yuan — 人形 (500万), not an
    ordinary robot project below 1000万."""
    calc = assistant.ask("We are a robot company in Hangzhou. We plan a humanoid robot production project with total "
                         "actual investment of 8 million yuan. How much funding can we get?").calculation
    assert (calc.article, calc.eligible, calc.amount_yuan) == (6, True, 2_400_000)
