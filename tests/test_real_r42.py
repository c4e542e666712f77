"""R42's first run (real documents, issue 17): a district's repost labelled 【余杭区】, an issuer's
【label】, a 函 that states no title, and a summary page whose two measures follow a colon on one line."""

from __future__ import annotations


import pytest

from assistant.ingest.library import add_document
from assistant.ingest.parsing import parse_policy
from assistant.ingest.sources import read_source

from .conftest import FIXTURES

R42 = FIXTURES / "real-r42"


@pytest.mark.parametrize("name, title, issuer, places", [
    # 【余杭区】关于开展2021年度浙江省首版次软件产品申报工作的通知: the district's, though the title names 浙江省
    ("r42_yuhang_sbc2021.html", "关于开展2021年度浙江省首版次软件产品申报工作的通知", None, ["余杭区", "浙江省"]),
    # 【台州市经信局】关于…: the label is the issuer
    ("r42_taizhou_sts2024.txt", "台州市经信局关于组织申报2024年度台州市首台(套)装备认定工作的通知",
     "台州市经信局", ["台州市"]),
    # 为配合做好国家《…》(工信部科〔2017〕315号)(以下简称…)总结评估工作,我厅将…,现将有关事项函告如下
    ("r42_hubei_ai_pinggu.txt", "关于配合做好国家《促进新一代人工智能产业发展三年行动计划(2018-2020)》总结评估工作的函",
     "湖北省经济和信息化厅办公室", ["湖北省"]),
    # a summary page: its <h1>, not the 办法 it links to under 政策文件
    ("r42_shunde_jqr.html", "顺德(伦教)智能装备和智慧家居产业园建设扶持-战略性新兴产业扶持(机器人产业扶持)",
     "顺德区经济促进局", ["顺德区"]),
])
def test_titles_issuers_and_places(corpus_copy, name: str, title: str, issuer: str | None, places: list[str]) -> None:  # noqa: ANN001
    meta = add_document(corpus_copy, R42 / name).meta
    assert (meta.title, meta.issuer, meta.jurisdiction[:len(places)]) == (title, issuer, places)


def test_a_site_section_label_is_no_place_of_a_city_plan(corpus_copy) -> None:  # noqa: ANN001
    """【浙江】宁波市制造业高质量发展“十四五”规划: 宁波市's, not 浙江省's."""
    meta = add_document(corpus_copy, FIXTURES / "real-r13" / "r13-ningbo-manufacturing-14th-plan.txt").meta
    assert meta.jurisdiction[:2] == ["宁波市", "Ningbo"]


def test_two_measures_after_a_colon_on_one_line_are_two_items() -> None:
    """扶持标准 / 机器人相关重大招商项目可另外申请以下产业扶持: 1.销售奖励。… 2.市场推广奖励。…"""
    path = R42 / "r42_shunde_jqr.html"
    doc = parse_policy(read_source(path).text, str(path))
    assert [(a.label, a.title) for a in doc.articles if a.number] == [("1.", "销售奖励"), ("2.", "市场推广奖励")]


def test_a_figure_in_chinese_numerals_answers_how_many_years() -> None:
    """顺德's 2.市场推广奖励 asked 累计最多享受几年: the sentence of 三年, not the tiers' digits."""
    from assistant.lang.sentences import best_quote

    path = R42 / "r42_shunde_jqr.html"
    item = next(a for a in parse_policy(read_source(path).text, str(path)).articles if a.label == "2.")
    assert best_quote(item, "伦教产业园机器人市场推广补助每个企业累计最多享受几年?", prefer_numbers=True).endswith(
        "每个企业累计最多享受不超过三年的补助。")


def test_a_department_with_what_it_includes_in_brackets_is_one() -> None:
    """Web round 27: 武汉's 责任单位 showed cut inside its bracket."""
    from assistant.ingest.parsing import departments_of

    assert departments_of("(责任单位:各区人民政府〈含开发区、长江新区、风景区管委会,下同〉)") == \
        ("各区人民政府〈含开发区、长江新区、风景区管委会〉",)


def test_a_wechat_reposts_furniture_is_dropped() -> None:
    """Web round 27: 萧山's notice as a WeChat account reposted it (点击上方蓝字,关注…; ▲将我们设为「星标★」…)."""
    text = read_source(FIXTURES / "real-r41" / "r41-xiaoshan-cxxzxqy.txt").text
    assert "点击上方蓝字" not in text and "星标" not in text and "各相关单位:" in text


def test_a_figure_asked_of_a_thing_before_a_filler_word_the_policy_lacks() -> None:
    """Round AU (rau116): 紧缺人才目录…薪资标准多少 — 标准 is how the figure is asked; 薪资 is what of,
    and the policy names no salary: not covered, not 第17条 quoted as if it answered."""
    from assistant.answer.chain import make_assistant

    answer = make_assistant().ask("紧缺人才目录 具体列了哪些机器人岗位 薪资标准多少")
    assert not answer.found and "没有规定“薪资标准多少”" in answer.answer


def test_r43_a_page_run_into_one_line_keeps_its_title_and_its_bracketed_items(corpus_copy) -> None:  # noqa: ANN001
    """R43 (永春's 专精特新 方案): title, preamble and (三)(四)(五) on one line with no space between."""
    path = FIXTURES / "real-r43" / "yongchun_zjtx.txt"
    doc = parse_policy(read_source(path).text, str(path))
    assert [a.label for a in doc.articles if a.number] == ["(三)", "(四)", "(五)"]
    meta = add_document(corpus_copy, path).meta
    assert (meta.title, meta.status) == ("永春县促进专精特新企业发展行动方案(征求意见稿)(2023-2025年)", "征求意见稿")


def test_r43_a_docx_titled_by_its_file_name_drops_the_extension(corpus_copy) -> None:  # noqa: ANN001
    """R43 (杭州's 低空经济 方案 from a document-sharing site): Title style …的通知.docx."""
    meta = add_document(corpus_copy, FIXTURES / "real-r43" / "hz_lowalt.docx").meta
    assert meta.title == "杭州市低空经济高质量发展实施方案(2024—2027年)"


def test_a_figure_of_a_kind_of_money_the_policy_never_names() -> None:
    """Round AV (rav109): 贷款贴息几个点 — the seed names no 贴息; 第8条's 工业机器人 is no answer to it."""
    from assistant.answer.chain import make_assistant

    answer = make_assistant().ask("企业设备更新买工业机器人 贷款贴息几个点")
    assert not answer.found and "没有规定“贴息几个点”" in answer.answer


def test_a_modifier_opposite_to_the_articles_is_not_covered() -> None:
    """Web round 28: 参加国内展会有补贴吗 — 第14条 is for 国际专业展会; it said 依规给予经费补助 unwarned."""
    from assistant.answer.chain import make_assistant

    bot = make_assistant()
    domestic = bot.ask("参加国内展会有补贴吗?")
    assert not domestic.found and "没有规定“国内展会”" in domestic.answer
    assert bot.ask("参加国际展会有补贴吗?").citations[0].article == 14
