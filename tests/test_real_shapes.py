"""Documents in the shapes real government texts come in (issue 17): a notice wrapping measures,
a regulation with 目录 and chapters, a single-article text cut mid-sentence, a web page whose
title is only in <title>, a docx whose title has the Title style — and the questions that name a
document, its place or its shape."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.answer.chain import Assistant
from assistant.cli import cli
from assistant.config import load_settings
from assistant.ingest.sources import drop_page_noise, page_title, read_source
from assistant.ingest.library import add_document
from assistant.ingest.corpus import Corpus
from assistant.ingest.parsing import parse_policy
from assistant.retrieve.references import namings
from assistant.retrieve.doc_places import lookup, own_place, place_index, relation
from assistant.ingest.structure import chapters, defined_terms, purpose_article

from .conftest import CORPUS, FIXTURES, FakeEmbeddings, seed_with

SHAPES = FIXTURES / "shapes"


def parse(name: str):
    return parse_policy(read_source(SHAPES / name).text, name)


# --------------------------------------------------------------------------- structure


def test_a_single_article_cut_mid_sentence_is_a_document() -> None:
    doc = parse("one-article-cut.txt")
    assert [(a.label, a.title) for a in doc.body] == [("一、", "支持首台套产品")]
    assert doc.body[0].text.endswith("(责任单位:区经信局、区财政")


def test_a_toc_is_preamble_and_chapters_are_read_once() -> None:
    doc = parse("regulation-toc.txt")
    assert [a.label for a in doc.body] == ["第一条", "第二条", "第三条", "第四条", "第五条"]
    assert [a.section for a in doc.body] == ["第一章 总则", "第一章 总则", "第二章 产业发展",
                                             "第二章 产业发展", "第三章 附则"]
    assert doc.articles[0].text.split("\n")[1:5] == ["目  录", "第一章 总则", "第二章 产业发展", "第三章 附则"]


def test_a_heading_with_items_yields_its_items_even_a_single_one() -> None:
    doc = parse("notice-measures.txt")
    assert [(a.label, a.section) for a in doc.body] == [
        ("一、（一）", "一、分担创新成本"), ("一、（二）", "一、分担创新成本"),
        ("二、（一）", "二、拓展应用场景"), ("三、", "")]
    assert [a.label for a in doc.articles if a.kind == "appendix"] == ["附件"]


def test_web_page_furniture_is_dropped() -> None:
    text = read_source(SHAPES / "notice-measures.txt").text
    assert "打印本页" not in text and "首页 >" not in text and "扫一扫" not in text and "字号" not in text
    assert drop_page_noise(["当前位置：首页 > 政策", "一、支持研发。", "关闭窗口", "大"]) == ["一、支持研发。"]
    assert page_title("关于印发若干措施的通知_通知公告_浙江省人民政府门户网站") == "关于印发若干措施的通知"


def test_the_notice_wrapper_is_read() -> None:
    from assistant.ingest.metadata import read_metadata

    text = read_source(SHAPES / "notice-measures.txt").text
    meta = read_metadata(text)
    assert (meta.title, meta.doc_number, meta.issuer, str(meta.date), meta.status) == (
        "浙江省支持人形机器人创新发展若干措施", "浙政办发〔2025〕12号", "浙江省人民政府办公厅",
        "2025-03-01", "正式")
    assert meta.addressee == "各市、县（市、区）人民政府，省政府直属各单位"
    assert dict(meta.found_by)["status"] == "it has a 文号"


# --------------------------------------------------------------------------- titles and status


def _docx(path: Path) -> Path:
    import docx

    d = docx.Document()
    d.add_paragraph("关于加快机器人产业发展的十条举措", style="Title")
    d.add_paragraph("为推动机器人产业发展,提出如下举措。")
    d.add_paragraph("一、支持整机研发。对整机企业研发投入给予10%补助。")
    d.add_paragraph("二、支持场景开放。对示范场景给予20万元奖励。")
    d.save(str(path))
    return path


def test_titles_and_status_from_the_file_with_reasons(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    cut = add_document(corpus, SHAPES / "one-article-cut.txt").meta
    assert cut.title == "关于加快具身智能机器人产业发展的十条举措(征求意见稿)"
    assert cut.status == "征求意见稿"
    assert cut.found_by["title"] == "first line of the text"
    assert cut.found_by["status"] == "征求意见稿 in the title"
    page = add_document(corpus, SHAPES / "page-title-toc.html").meta
    assert page.title == "余杭区智能机器人产业发展实施方案" and page.found_by["title"] == "HTML <title>"
    word = add_document(corpus, _docx(tmp_path / "ten-measures.docx")).meta
    assert word.title == "关于加快机器人产业发展的十条举措"
    assert word.found_by["title"] == "docx Title style"
    reg = add_document(corpus, SHAPES / "regulation-toc.txt").meta
    assert (reg.title, reg.status, reg.found_by["status"]) == (
        "杭州市智能机器人产业促进条例（草案修改稿）", "草案", "草案 in the title")
    result = CliRunner().invoke(cli, ["docs", "--json"], env={"POLICY_CORPUS_DIR": str(corpus)})
    assert result.exit_code == 0, result.output
    listed = {d["doc_id"]: d for d in map(json.loads, result.output.splitlines())}
    assert listed["page-title-toc"]["found_by"]["title"] == "HTML <title>"
    assert listed["one-article-cut"]["status"] == "征求意见稿"


# --------------------------------------------------------------------------- places


def test_place_hierarchy() -> None:
    yuhang = own_place(["余杭区", "杭州市", "Yuhang"])
    hangzhou = own_place(["杭州", "杭州市"])
    zhejiang = own_place(["浙江省"])
    assert (yuhang.name, hangzhou.name, zhejiang.name) == ("余杭区", "杭州市", "浙江省")
    assert relation(yuhang, hangzhou) == "inside" and relation(hangzhou, yuhang) == "contains"
    assert relation(yuhang, yuhang) == "same"
    assert relation(lookup("宁波市")[0], hangzhou) == "other"


# --------------------------------------------------------------------------- routing


@pytest.fixture(scope="module")
def shapes(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    root = tmp_path_factory.mktemp("shapes")
    corpus = root / "corpus"
    shutil.copytree(CORPUS, corpus)
    for name in ("notice-measures.txt", "regulation-toc.txt", "page-title-toc.html"):
        add_document(corpus, SHAPES / name)
    settings = load_settings().with_(corpus_dir=corpus, index_dir=root / "index")
    return Assistant(settings, embeddings=FakeEmbeddings())


def _first(answer) -> tuple[str, str]:
    assert answer.found, answer.answer
    c = answer.citations[0]
    return c.doc_id, c.article_label


def test_structure_of_a_document(shapes: Assistant) -> None:
    reg = shapes.corpus.document("regulation-toc")
    assert chapters(reg) == ["第一章 总则", "第二章 产业发展", "第三章 附则"]
    assert purpose_article(reg)[0].label == "第一条"
    assert defined_terms(reg)["产业服务中心"].label == "第二条"


def test_an_article_number_is_resolved_in_the_document_named(shapes: Assistant) -> None:
    assert _first(shapes.ask("条例草案修改稿第三条讲的是什么?")) == ("regulation-toc", "第三条")


def test_a_document_named_by_its_number(shapes: Assistant) -> None:
    answer = shapes.ask("浙政办发〔2025〕12号里租用算力按多少比例补助?")
    assert _first(answer) == ("notice-measures", "一、（二）")


def test_structure_questions(shapes: Assistant) -> None:
    chapters_answer = shapes.ask("智能机器人产业促进条例草案修改稿一共有几章?")
    assert _first(chapters_answer) == ("regulation-toc", "公告与前言")
    assert "共3章" in chapters_answer.answer
    addressee = shapes.ask("人形机器人创新发展若干措施的主送单位是哪些?")
    assert _first(addressee) == ("notice-measures", "公告与前言")
    assert "各市、县（市、区）人民政府" in addressee.answer
    assert _first(shapes.ask("条例里的产业服务中心是指什么?")) == ("regulation-toc", "第二条")
    assert _first(shapes.ask("制定这个条例的目的是什么?")) == ("regulation-toc", "第一条")


def test_a_comparison_cites_both_documents(shapes: Assistant) -> None:
    answer = shapes.ask("条例和若干措施在应用场景上有什么不同?")
    assert answer.found
    assert {c.doc_id for c in answer.citations[:2]} == {"regulation-toc", "notice-measures"}
    assert "对比:" in answer.answer


def test_a_place_routes_to_its_document(shapes: Assistant) -> None:
    index = place_index(shapes.corpus)
    assert index.own["page-title-toc"].name == "余杭区"
    assert index.own["notice-measures"].name == "浙江省"
    assert _first(shapes.ask("余杭区建设中试平台最高补助多少?"))[0] == "page-title-toc"


def test_a_place_listed_in_passing_is_not_a_link(shapes: Assistant) -> None:
    answer = shapes.ask("宁波的人形机器人产业发展目标是什么?")
    assert not answer.found, answer.answer


def test_joint_issuers_signed_over_several_lines_are_all_read() -> None:
    from assistant.ingest.metadata import read_metadata

    text = ("关于印发某方案的通知\n某部〔2022〕1号\n各有关单位:\n现将《某方案》印发给你们,请认真贯彻落实。\n"
            "工业和信息化部 教育部 公安部\n农业农村部 卫生健康委 应急部\n能源局 邮政局\n2023年1月18日")
    meta = read_metadata(text)
    assert meta.issuer == "工业和信息化部 教育部 公安部 农业农村部 卫生健康委 应急部 能源局 邮政局"
    assert str(meta.date) == "2023-01-18"


def test_a_doc_number_with_its_year_names_only_that_document(tmp_path: Path) -> None:
    import shutil

    from assistant.ingest.corpus import Corpus
    from assistant.ingest.library import add_document
    from assistant.retrieve.references import namings

    from .conftest import CORPUS, FIXTURES

    corpus_dir = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus_dir)
    add_document(corpus_dir, FIXTURES / "real-r3" / "xs-industry-opinions-2023.docx")
    corpus = Corpus.load(corpus_dir)
    assert namings("绍政办发〔2024〕4号还有效吗", corpus) == []  # another year's number 4
    assert [n.doc.doc_id for n in namings("萧委〔2023〕4号是个什么文件", corpus)] == ["xs-industry-opinions-2023"]
    assert [n.doc.doc_id for n in namings("4号文是什么", corpus)] == ["xs-industry-opinions-2023"]


def test_a_question_asking_who_issued_asks_for_the_issuer() -> None:
    from assistant.retrieve.gaps import _ISSUED_BY

    assert _ISSUED_BY.search("这个政策意见是哪两个单位一起发的?")
    assert _ISSUED_BY.search("是哪天印发的,几个部门联合印发的?")
    assert not _ISSUED_BY.search("哪个部门发的补贴多")


def test_a_site_banner_and_encoding_debris_leave_the_issuer_readable() -> None:
    from assistant.ingest.metadata import read_metadata

    banner = read_metadata("嵊州市人民政府\n>> 走进嵊州 >> 投资政策\n加快推进工业经济高质量发展若干政策\n一、甲。\n二、乙。")
    assert (banner.issuer, dict(banner.found_by)["issuer"]) == (
        "嵊州市人民政府", "the page's site banner (the issuer's own site)")
    signed = read_metadata("某市推动某产业行动方案\n各镇、乡人民政府:\n现印发给你们。\n东阳市人民政府? ??\n"
                           "2026年1月15日? ?\n一、甲。\n二、乙。")
    assert (signed.issuer, str(signed.date)) == ("东阳市人民政府", "2026-01-15")


def test_a_district_is_named_without_its_level_word() -> None:
    """临安区's document is asked about as 临安 (as 义乌市's as 义乌): the short name is a
    mention of the district, not of no place."""
    from types import SimpleNamespace

    class _Corpus:
        documents = [SimpleNamespace(doc_id="d", meta=SimpleNamespace(jurisdiction=["临安区", "杭州市"])),
                     SimpleNamespace(doc_id="c", meta=SimpleNamespace(jurisdiction=["义乌市"]))]

    index = place_index(_Corpus())
    assert [p.name for p in index.most_specific("临安2024年的经济政策要求什么?")] == ["临安区"]
    assert [p.name for p in index.most_specific("义乌的政策")] == ["义乌市"]


def test_a_first_line_naming_a_file_titles_the_document_without_its_extension(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    source = tmp_path / "digest.txt"
    source.write_text("杭州市数字经济政策精华汇编2024.docx\n前言为服务企业发展,梳理形成了政策精华汇编。\n"
                      "一、软件和信息技术服务业\n对软件企业给予奖励。\n二、人工智能\n对人工智能企业给予支持。\n", encoding="utf-8")
    meta = add_document(corpus, source).meta
    assert (meta.title, meta.found_by["title"]) == ("杭州市数字经济政策精华汇编2024", "first line of the text")


def test_titles_from_a_news_lead_a_bracketed_version_and_without_a_site_label(tmp_path: Path) -> None:
    """A repost opening with the news (《…行动方案》(以下简称《行动方案》)正式发布) is that document;
    an <h1> with (草案修改征求意见稿) on the line under it keeps the version; 【浙江】 before a page's
    title line is the site's label."""
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    lead = tmp_path / "lead.txt"
    lead.write_text("3月10日,市政府新闻办召开新闻发布会,会上《武汉市2025年人工智能产业发展行动方案》"
                    "(以下简称《行动方案》)正式发布。\n为推动人工智能产业发展,现制定本行动方案。\n"
                    "一、工作思路和目标\n以“用数据、建场景”为主线。\n二、重点任务\n打造算力高地。\n", encoding="utf-8")
    meta = add_document(corpus, lead).meta
    assert meta.title == "武汉市2025年人工智能产业发展行动方案"
    assert meta.found_by["title"] == "not stated in the text: the document its news lead announces (《…》正式发布)"
    page = tmp_path / "draft.html"
    page.write_text("<html><head><title>广东省制造业高质量发展促进条例</title></head><body>"
                    "<p>近日,条例草案发布并公开征求意见。</p><h1>广东省制造业高质量发展促进条例</h1>"
                    "<p>(草案修改征求意见稿)</p><p>第一章 总则</p><p>第一条 为了促进制造业高质量发展,制定本条例。</p>"
                    "<p>第二条 本条例适用于本省行政区域内的活动。</p></body></html>", encoding="utf-8")
    draft = add_document(corpus, page).meta
    assert (draft.title, draft.status) == ("广东省制造业高质量发展促进条例(草案修改征求意见稿)", "征求意见稿")
    labelled = tmp_path / "plan.txt"
    labelled.write_text("【浙江】宁波市制造业高质量发展“十四五”规划\n一、发展现状\n制造业基础扎实。\n"
                        "二、发展目标\n到2025年产值增长。\n", encoding="utf-8")
    assert add_document(corpus, labelled).meta.title == "宁波市制造业高质量发展“十四五”规划"
    issuers = tmp_path / "notice.txt"  # (R30: a label naming the issuers is the notice title's own part)
    issuers.write_text("【浙江省经信厅浙江省财政厅】关于组织实施2026年度示范项目计划的通知\n一、申报条件\n"
                       "企业注册在省内。\n二、申报时间\n即日起至6月30日。\n", encoding="utf-8")
    assert add_document(corpus, issuers).meta.title == "浙江省经信厅浙江省财政厅关于组织实施2026年度示范项目计划的通知"


def test_a_named_item_of_a_notice_and_of_a_regulation_is_cited(tmp_path: Path) -> None:
    """征求意见时间 (a notice's item heading) and 立法目的 (第一条【立法目的】) named in the question
    decide the item over the announcement; a phone number is cited from the item that states it."""
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    notice = tmp_path / "hefei-draft.txt"
    notice.write_text("关于公开征求《合肥市关于促进专精特新中小企业高质量发展的决定(征求意见稿)》意见的公告\n"
                      "市工信局起草了《合肥市关于促进专精特新中小企业高质量发展的决定(征求意见稿)》,现面向社会公开征求意见。\n"
                      "一、征求意见时间\n2025年7月4日至2025年8月2日。\n二、参与方式\n通过以下方式反馈:\n"
                      "1.合肥市工业和信息化局网站政企互动栏目。\n2.联系电话:0551-63537876。\n三、成果运用\n"
                      "对提出的意见和建议认真研究吸纳。\n", encoding="utf-8")
    regulation = tmp_path / "gd-regulation.txt"
    regulation.write_text("广东省制造业高质量发展促进条例\n(草案修改征求意见稿)\n第一章 总则\n"
                          "第一条【立法目的】为了促进制造业高质量发展,加快推进新型工业化,制定本条例。\n"
                          "第二条【适用范围】本条例适用于本省行政区域内制造业产业发展与平台建设等活动。\n"
                          "第三条【发展原则和目标】促进制造业高质量发展,应当遵循市场主导、政府引导的原则。\n", encoding="utf-8")
    ids = [add_document(corpus, p).doc_id for p in (notice, regulation)]
    bot = Assistant(load_settings().with_(corpus_dir=corpus, index_dir=tmp_path / "index"), embeddings=FakeEmbeddings())
    first = bot.ask("合肥专精特新决定征求意见稿的征求意见时间是什么时候到什么时候?").citations[0]
    assert (first.doc_id, first.article) == (ids[0], 1)
    phone = bot.ask("对合肥促进专精特新中小企业高质量发展的决定(征求意见稿)有意见,打哪个电话反馈?").citations[0]
    assert (phone.doc_id, phone.article) == (ids[0], 2)
    purpose = bot.ask("广东省制造业高质量发展促进条例(草案修改征求意见稿)的立法目的是什么?").citations[0]
    assert (purpose.doc_id, purpose.article) == (ids[1], 1)


@pytest.mark.parametrize(("text", "title", "reason"), [
    ("▵\n点击上方蓝字,关注\n为做好认定工作,现决定组织开展2025年浙江省隐形冠军企业认定和复核工作。现将有关事项通知如下:\n"
     "一、认定条件\n企业连续经营3年以上。\n二、申报时间\n4月30日前。\n",
     "关于开展2025年浙江省隐形冠军企业认定和复核工作的通知", "notice"),
    ("一、制定背景\n为加快推动人形机器人产业创新发展,由市工信局牵头起草《昆山市人形机器人产业2025年工作方案》。\n"
     "二、主要内容\n方案分为三部分。\n", "《昆山市人形机器人产业2025年工作方案》解读", "interprets"),
    # R26: a page's caption (官网截图) is no title; a notice says on what it gives notice (现就…有关事项通知如下)
    ("官网截图\n各省、自治区、直辖市工业和信息化主管部门:\n为加快制造强国建设,工业和信息化部、财政部联合组织开展2018年"
     "工业强基工程实施方案等申报工作。现将有关事项通知如下:\n一、总体要求\n坚持需求牵引。\n二、重点方向\n围绕十大领域。\n",
     "关于开展2018年工业强基工程实施方案等申报工作的通知", "notice"),
    ("各省、自治区、直辖市财政厅(局)、中小企业主管部门:\n根据《关于开展中小企业数字化转型城市试点工作的通知》要求,"
     "现就2024年中小企业数字化转型城市试点申报工作有关事项通知如下:\n一、总体要求\n深入开展试点工作。\n"
     "二、重点任务\n聚焦企业需求。\n", "关于2024年中小企业数字化转型城市试点申报工作的通知", "notice"),
    # R34 (宁波): the work the notice plans to carry out (现拟在重点领域开展…工作,…现将有关事项通知如下)
    ("甬经信软〔2022〕75号\n各区(县、市)经信局:\n为贯彻落实有关文件精神,现拟在重点领域开展首版次软件申报认定工作,"
     "支持一批首版次软件推广应用,现将有关事项通知如下:\n一、申报条件\n在本市注册。\n二、申报时间\n即日起。\n",
     "关于开展首版次软件申报认定工作的通知", "notice"),
    # R35 (杭州 2025): a city's own version of a provincial policy whose notice it names (…印发关于…的通知),
    # made 结合我市实际: the policy's title without the province
    ("为进一步提振市场信心,根据《浙江省人民政府印发关于推动经济高质量发展若干政策(2025年版)的通知》(浙政发〔2025〕3号)"
     "等文件精神,结合我市实际,制定以下政策。\n一、推动教育科技人才一体发展\n市财政预算安排132.3亿元。\n"
     "二、推动产业高质量发展\n支持制造业。\n", "关于推动经济高质量发展若干政策(2025年版)", "preamble"),
])
def test_a_title_from_what_a_text_without_one_says_it_is(tmp_path: Path, text: str, title: str, reason: str) -> None:
    """A line of symbols is decoration; a text that starts with 一、 states no title; a notice says
    what it organises (组织开展…工作。现将有关事项通知如下); an interpretation whose opening section
    is 制定背景 names what was drafted (起草《…》)."""
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    src = tmp_path / "untitled.txt"
    src.write_text(text, encoding="utf-8")
    meta = add_document(corpus, src).meta
    assert meta.title == title and reason in meta.found_by["title"]


def test_a_heading_that_lost_its_numeral_before_the_second_is_the_first() -> None:
    """R26 (瑞安): the page printed 、主要目标 for 一、主要目标; with 二、 after it and no 一、, it is 一、."""
    doc = parse_policy("瑞安行动方案\n为推动制造业高质量发展,制定本方案。\n、主要目标\n到2025年,亩均增加值达到220万元。\n"
                       "二、工作任务\n(一)实施空间腾换行动\n整治低效工业用地。\n", "x.txt")
    assert [a.label for a in doc.articles if a.label] == ["一、", "二、(一)"]
    untouched = parse_policy("方案\n、说明\n一、目标\n达到。\n二、任务\n整治。\n", "y.txt")
    assert [a.label for a in untouched.articles if a.label] == ["一、", "二、"]


def test_an_announcement_heading_carries_the_document_the_page_names() -> None:
    """R26 (浙江): 《浙江省公共数据条例》全文公布 over …人民代表大会第六次会议公告 / 第3号 / 目录: the 条例."""
    doc = parse_policy("《浙江省公共数据条例》全文公布\n浙江省第十三届人民代表大会第六次会议公告\n第3号\n目 录\n第一章 总则\n"
                       "第二章 公共数据平台\n第一章 总则\n第一条 为了加强公共数据管理,制定本条例。\n第二条 本条例适用于本省。\n", "z.txt")
    assert doc.title == "浙江省公共数据条例"


def test_a_list_bullet_is_no_part_of_a_title() -> None:
    doc = parse_policy("- 浙江省经济和信息化厅关于公布2021年度浙江省首台(套)产品名单的通知\n文号:浙经信装备〔2021〕226号\n"
                       "一、名单\n确定首台(套)产品256项。\n二、奖励\n按规定给予奖励。\n", "x.txt")
    assert doc.title == "浙江省经济和信息化厅关于公布2021年度浙江省首台(套)产品名单的通知"


def test_a_heading_broken_after_a_joining_word_is_one_title() -> None:
    """关于印发浦江县推动大规模设备更新和 / 消费品以旧换新若干举措的通知: the two lines are one heading,
    and the notice names its document."""
    doc = parse_policy("浦江县人民政府\n关于印发浦江县推动大规模设备更新和\n消费品以旧换新若干举措的通知\n"
                       "各乡镇人民政府、街道办事处:\n现将《浦江县推动大规模设备更新和消费品以旧换新若干举措》印发给你们。\n"
                       "一、推动设备更新\n对企业设备更新给予补助。\n二、推动以旧换新\n开展汽车以旧换新。\n", "x.txt")
    assert doc.title == "浦江县推动大规模设备更新和消费品以旧换新若干举措"


def test_a_draft_and_the_regulation_of_nearly_its_title_are_versions(tmp_path: Path) -> None:
    """杭州城市大脑数字赋能城市治理促进条例(草案)(征求意见稿) beside 杭州城市大脑赋能城市治理促进条例: the
    regulation replaces the draft; a question about the 条例 is answered from it, one naming the
    征求意见稿 from the draft."""
    corpus, ids = seed_with(tmp_path, {
        "brain-regulation.txt": "杭州城市大脑赋能城市治理促进条例\n第一条 为了推进城市大脑建设,提升城市治理现代化水平,制定本条例。\n"
                                "第二条 本条例所称城市大脑,是指由中枢、系统与平台、数字驾驶舱和应用场景等要素组成的数字系统。\n",
        "brain-draft.txt": "杭州城市大脑数字赋能城市治理促进条例(草案)(征求意见稿)\n第一条 为了规范城市大脑建设,制定本条例。\n"
                           "第二条 本条例所称城市大脑,是指按照全市统一标准建设的数字系统。\n"})
    bot = Assistant(load_settings().with_(corpus_dir=corpus, index_dir=tmp_path / "index"), embeddings=FakeEmbeddings())
    assert bot.corpus.superseded_by[ids[1]] == ids[0]
    assert bot.ask("按照杭州城市大脑条例,城市大脑是由哪些要素组成的?").citations[0].doc_id == ids[0]
    assert bot.ask("城市大脑条例征求意见稿里城市大脑是怎么定义的?").citations[0].doc_id == ids[1]


def test_a_named_documents_item_quoted_comes_before_its_notice() -> None:
    """长春人工智能实施意见要落实吉林省哪份人工智能发展规划: when the announcement ranks first, the document's
    item that holds a longer stretch of what is asked (落实吉林省新一代人工智能发展规划) comes first; an item
    that quotes less than the notice does not."""
    from assistant.models import Article, Hit
    from assistant.retrieve.retrieval import _item_before_announcement

    notice = Article("cc", 0, "长春市人民政府关于加快推进人工智能产业发展的实施意见", "各县(市)、区人民政府:为加快推进人工智能产业发展,提出如下实施意见。")
    item = Article("cc", 1, "总体要求", "深入落实吉林省新一代人工智能发展规划,以应用示范为重点。")
    hits = [Hit(notice, 0.9), Hit(item, 0.8)]
    assert [h.article.number for h in _item_before_announcement(hits, "要落实吉林省哪份人工智能发展规划?")] == [1, 0]
    assert [h.article.number for h in _item_before_announcement(hits, "是哪天印发的?")] == [0, 1]


def test_a_district_plan_is_no_later_version_of_its_citys_draft_and_each_is_named_by_its_place(tmp_path: Path) -> None:
    """R21: 杭州市数字政府建设十四五规划(征求意见稿) and 萧山区数字政府建设“十四五”规划 share their subject, but a
    district's document replaces no city draft; a question naming 萧山区 and writing 十四五 without quotes
    names the district's."""
    corpus, ids = seed_with(tmp_path, {
        "city.txt": "杭州市数字政府建设十四五规划(征求意见稿)\n一、发展基础\n杭州数字政府建设走在前列。\n"
                    "二、总体要求\n到2025年基本建成整体智治的数字政府。\n",
        "district.txt": "萧山区数字政府建设“十四五”规划\n各镇人民政府、街道办事处,区政府各部门:\n"
                        "一、发展基础\n萧山区数字政府建设成效明显。\n二、主要目标\n到2025年建成掌上办事之区。\n"})
    bot = Assistant(load_settings().with_(corpus_dir=corpus, index_dir=tmp_path / "index"), embeddings=FakeEmbeddings())
    assert ids[0] not in bot.corpus.superseded_by
    assert [n.doc.doc_id for n in namings("萧山区数字政府十四五规划的主要目标是什么?", bot.corpus)][:1] == [ids[1]]


def test_a_qa_page_is_named_by_the_plan_it_explains_and_another_places_kind_names_nothing(tmp_path: Path) -> None:
    """R21: 关于《《重庆市…行动计划(2023—2027年)》的政策问答 is named by the plan's name; 金华's 行动计划,
    the only one of its kind, is not named by a question about 重庆's."""
    corpus, ids = seed_with(tmp_path, {
        "qa.html": "<html><head><title>关于《《重庆市智能装备产业集群高质量发展行动计划(2023—2027年)》的政策问答</title>"
                   "</head><body><p>《重庆市智能装备产业集群高质量发展行动计划(2023—2027年)》的发展目标?</p>"
                   "<p>到2027年,全市智能装备产业营业收入突破5000亿元。</p></body></html>",
        "plan.txt": "金华市重点细分行业智能制造三年行动计划\n一、工作思路\n以智能制造为主攻方向。\n二、主要目标\n"
                    "到2026年,培育智能工厂50家。\n"})
    library = Corpus.load(corpus)
    assert [n.doc.doc_id for n in namings("重庆智能装备产业集群行动计划的发展目标是什么?", library)][:1] == [ids[0]]
    assert ids[1] not in [n.doc.doc_id for n in namings("重庆那个智能装备行动计划的目标是什么?", library)]


def test_a_news_lead_that_puts_a_draft_up_for_comment_titles_the_page(tmp_path: Path) -> None:
    """R22: 近日,…修订形成了《…(征求意见稿)》,现公开征求社会各界意见: the page is that draft."""
    corpus, ids = seed_with(tmp_path, {
        "page.txt": "近日,为推动制造业数字化转型,工信部修订形成了《智能工厂建设指引(2026年版)(征求意见稿)》,"
                    "现公开征求社会各界意见。\n一、工厂建设环节\n1. 工厂规划 搭建设计平台。 2. 基础设施 建设算力网络。\n"})
    assert Corpus.load(corpus).document(ids[0]).title == "智能工厂建设指引(2026年版)(征求意见稿)"


def test_an_untitled_opinion_that_carries_out_a_guidance_is_its_implementing_opinion(tmp_path: Path) -> None:
    """R22: a page with no title whose preamble says 根据《国务院关于积极推进“互联网+”行动的指导意见》…特制定本
    意见: 关于积极推进“互联网+”行动的实施意见, as a question names it; and a report on a draft (关于《…(草案)》的
    论证报告) is named by the draft when the library lacks it."""
    corpus, ids = seed_with(tmp_path, {
        "page.txt": "各区、县(市)人民政府,市政府各部门:\n为深化互联网与经济融合,加快推进宁波智慧应用发展,根据《国务院关于"
                    "积极推进“互联网+”行动的指导意见》精神,结合宁波实际,特制定本意见。\n一、明确工作目标\n"
                    "到2020年基本形成融合发展格局。\n二、实施重点行动\n大力发展众创空间。\n",
        "report.txt": "(2025年6月29日在宁波市人大常委会会议上)\n宁波市人大常委会立法咨询委员会\n"
                      "我委接受法制委下达的关于《宁波市促进低空经济发展条例(草案)》的论证任务后,现提出本《论证报告》。\n"
                      "论证范围:\n1.制定本条例的权限是否成立?\n2.制定本条例的必要性如何?\n"})
    library = Corpus.load(corpus)
    assert library.document(ids[0]).title == "关于积极推进“互联网+”行动的实施意见"
    assert [n.doc.doc_id for n in namings("宁波“互联网+”实施意见的工作目标是什么?", library)][:1] == [ids[0]]
    assert [n.doc.doc_id for n in namings("宁波低空经济条例草案的论证范围有哪几项?", library)][:1] == [ids[1]]


def test_an_article_a_named_document_lacks_is_found_in_another_named_one(tmp_path: Path) -> None:
    """R22: the 草案 page stops at 第五条; the 解读 page of the 条例 quotes its 第二十条. A question about
    …条例第二十条 is answered from the 解读, not refused."""
    corpus, ids = seed_with(tmp_path, {
        "draft.txt": "温州市数字贸易促进条例(草案)\n第一条 为了促进数字贸易发展,制定本条例。\n第二条 本条例适用于本市。\n",
        "page.html": "<html><head><title>《温州市数字贸易促进条例》</title></head><body><p>《温州市数字贸易促进条例》"
                     "已经批准,将于6月1日起施行。</p><p>第二十条 支持建设数字化采购、数字支付与结算等公共服务平台。</p>"
                     "<p>具体解读</p><p>公共服务平台是提供服务的重要载体。</p></body></html>"})
    bot = Assistant(load_settings().with_(corpus_dir=corpus, index_dir=tmp_path / "index"), embeddings=FakeEmbeddings())
    answer = bot.ask("温州数字贸易条例第二十条支持建设哪些公共服务平台?")
    assert answer.found and answer.citations[0].doc_id == ids[1]


# --------------------------------------------------------------------------- round R23


def test_a_notices_appended_document_is_the_text_its_own_list_the_header() -> None:
    """R23: a consultation notice lists how to send comments (1. 2. 3.) and appends the draft it names
    (附件1 / 台州市低空经济促进条例 / (征求意见稿) / 第一条…): the draft's 第…条 are the articles."""
    doc = parse_policy("现将我局起草的《台州市低空经济促进条例(征求意见稿)》向社会公开征求意见。\n意见可以通过下列方式提出:\n"
                       "1.登录市政府网站提出意见;\n2.发送电子邮件;\n3.寄送信函。\n附件:1.《台州市低空经济促进条例(征求意见稿)》\n"
                       "台州市交通运输局\n2025年3月1日\n附件1\n台州市低空经济促进条例\n(征求意见稿)\n"
                       "第一条 为了促进低空经济发展,制定本条例。\n第二条 本条例适用于本市行政区域。\n"
                       "第三条 市人民政府统筹全市低空经济发展。\n", "notice.txt")
    assert [a.label for a in doc.body] == ["第一条", "第二条", "第三条"]
    assert "3.寄送信函" in doc.articles[0].text


def test_a_notice_with_an_appended_measure_of_its_own_keeps_its_items() -> None:
    """An appendix the notice does not name as what it publishes (a form) leaves the notice's items."""
    doc = parse_policy("关于开展2025年智能工厂申报的通知\n各区县经信局:\n一、申报条件\n企业在本市注册。\n二、申报材料\n申报书一份。\n"
                       "附件1\n申报书格式\n第一条 企业名称。\n第二条 项目概况。\n", "notice.txt")
    assert [a.label for a in doc.body] == ["一、", "二、"]


def test_a_document_is_the_place_its_purpose_clause_makes_it_for(tmp_path: Path) -> None:
    """R23: an untitled plan that names its city once, in its purpose clause (为…推动东莞成为…,按照《广东省…》
    等文件精神,制定本行动计划), is that city's; the province of a document it cites is not its place."""
    corpus, ids = seed_with(tmp_path, {
        "plan.txt": "为抢抓低空经济赛道机遇,推动绍兴成为长三角低空经济发展高地,按照《浙江省低空经济发展行动方案》等文件"
                    "精神,制定本行动计划。\n一、工作目标\n到2027年低空经济规模突破百亿元。\n二、重点任务\n建设起降场。\n"})
    assert own_place(Corpus.load(corpus).document(ids[0]).meta.jurisdiction).name == "绍兴市"


def test_shenzhens_newer_districts_are_places() -> None:
    """R23: 龙华区, 坪山区 (2016) and 光明区 (2018) of 深圳 are in the gazetteer beside 海口's 龙华区."""
    assert {p.adcode for p in lookup("龙华区")} >= {"440309", "460106"}
    assert [p.adcode for p in lookup("坪山区")] == ["440310"] and [p.adcode for p in lookup("光明区")] == ["440311"]
    assert own_place(["龙华区", "深圳市"]).adcode == "440309"


def test_a_district_named_routes_past_another_citys_document_sharing_the_title(tmp_path: Path) -> None:
    """R23: 龙华区人工智能若干措施… names 龙华区, whose 解读 page the library holds; 大同's 若干措施 shares
    the title's words but is another place's."""
    corpus, ids = seed_with(tmp_path, {
        "datong.txt": "大同市促进人工智能产业高质量发展若干措施\n一、支持算力建设\n对新建智算中心给予补助。\n"
                      "二、支持企业落户\n给予落户奖励。\n",
        "longhua.txt": "深圳市龙华区促进人工智能产业发展若干措施操作指引解读\n一、背景依据\n2021年9月,龙华区印发"
                       "《深圳市龙华区促进人工智能产业发展若干措施》(深龙华府办规〔2021〕9号),支持人工智能产业发展。\n"
                       "二、主要内容\n《操作指引》共计三章,分别是:第一章总则、第二章平台资助、第三章附则。\n"})
    bot = Assistant(load_settings().with_(corpus_dir=corpus, index_dir=tmp_path / "index"), embeddings=FakeEmbeddings())
    assert ids[0] not in [n.doc.doc_id for n in namings("龙华区人工智能若干措施从哪些方面支持产业?", bot.corpus)]
    numbered = bot.ask("深圳市龙华区促进人工智能产业发展若干措施的文号是多少?")
    assert (numbered.citations[0].doc_id, numbered.citations[0].article_label) == (ids[1], "一、")
    assert "未标注文号" not in numbered.answer and "深龙华府办规〔2021〕9号" in numbered.answer
    chapter = bot.ask("龙华区人工智能操作指引第一章总则讲什么?")
    assert chapter.found and (chapter.citations[0].doc_id, chapter.citations[0].article_label) == (ids[1], "二、")


def test_a_documents_name_in_its_header_says_which_document_not_which_item(tmp_path: Path) -> None:
    """R23: with the real embeddings a header (its title line and a news lead repeating the name)
    ranked first for 深圳具身智能机器人的行动计划定的…目标是多少. Ranked header first here, the
    words left once the document's names and place are set aside put the item holding them first;
    a question about the header's own words keeps it."""
    from assistant.models import Hit

    corpus, ids = seed_with(tmp_path, {
        "plan.html": "<html><head><title>温州市低空经济高质量发展行动计划(2025-2027年)</title></head><body>"
                     "<p>温州出台低空经济高质量发展行动计划</p><p>近日,温州市印发低空经济高质量发展行动计划"
                     "(2025-2027年),明确全市低空经济发展方向。</p><p>一、发展目标</p><p>到2027年,低空经济产业规模"
                     "达到300亿元,培育企业100家。</p><p>二、重点任务</p><p>建设通用机场。</p></body></html>"})
    bot = Assistant(load_settings().with_(corpus_dir=corpus, index_dir=tmp_path / "index"), embeddings=FakeEmbeddings())
    doc = bot.corpus.document(ids[0])
    header, goals, tasks = (Hit(a, 0.9 - 0.1 * i) for i, a in enumerate(doc.articles[:3]))
    retriever = bot.retriever
    moved = retriever._item_before_name_words([header, tasks, goals], "温州低空经济行动计划定的产业规模目标是多少?")
    assert [h.article.label for h in moved][:2] == ["一、", ""]
    kept = retriever._item_before_name_words([header, goals, tasks], "温州低空经济行动计划是近日印发的吗?")
    assert kept[0] is header




def test_a_pages_table_row_gives_the_number_without_a_colon() -> None:
    """Web round 12: 文号 萧发改〔2021〕98号 有效性 (a page's metadata table, one row per line) is the 文号."""
    from assistant.ingest.metadata import read_metadata

    text = ("索 引 号 H001/2023-00012 成文日期 2023-03-01\n发布机构 区经信局 主题分类 政务公开\n"
            "文号 滨经信〔2023〕12号 有效性\n关于印发《滨江区智能制造行动方案》的通知\n各街道:\n"
            "现将《滨江区智能制造行动方案》印发给你们。\n一、总体目标\n到2025年建成智能工厂10家。\n")
    assert read_metadata(text, parse_policy(text, "page.txt")).doc_number == "滨经信〔2023〕12号"


def test_a_document_whose_text_names_no_place_is_the_place_its_file_name_gives(tmp_path: Path) -> None:
    """R23/R24: a page that never names its city (佛山's measures, a 湖南 转发 notice) saved as
    foshan-ai-robot.docx is 佛山's; a pinyin several places share (taizhou) gives none."""
    corpus, ids = seed_with(tmp_path, {
        "foshan-ai-robot.txt": "一、支持关键技术攻关\n每年财政投入不超过1.5亿元。\n二、支持场景应用\n给予奖励。\n",
        "taizhou-plan.txt": "一、工作目标\n到2027年建成智能工厂20家。\n二、重点任务\n推进数字化改造。\n"})
    library = Corpus.load(corpus)
    assert own_place(library.document(ids[0]).meta.jurisdiction).name == "佛山市"
    assert own_place(library.document(ids[1]).meta.jurisdiction) is None


def test_the_issuer_written_names_its_document_of_two_named_alike(tmp_path: Path) -> None:
    """R23: 河北省司法厅那份数字经济条例征求意见通告 names the draft the 司法厅 issued, not the
    regulation in force whose place and words it shares."""
    corpus, ids = seed_with(tmp_path, {
        "hebei-law.txt": "(2022年5月27日河北省第十三届人民代表大会常务委员会第三十次会议通过)\n第一条 为了促进数字经济"
                   "健康发展,制定本条例。\n第二条 本省行政区域内促进数字经济发展相关活动,适用本条例。\n",
        "draft.html": "<html><head><title>河北省司法厅关于《河北省数字经济促进条例(征求意见稿)》公开征求意见的通告"
                      "</title></head><body><p>河北省司法厅关于《河北省数字经济促进条例(征求意见稿)》公开征求意见的通告</p>"
                      "<p>第一条 为了促进数字经济发展,制定本条例。</p><p>第二条 本条例适用于本省。</p></body></html>"})
    library = Corpus.load(corpus)
    assert library.document(ids[1]).meta.issuer == "河北省司法厅"
    assert [n.doc.doc_id for n in namings("河北省司法厅那份数字经济条例征求意见通告是哪天发布的?", library)][:1] == [ids[1]]


def test_a_document_stating_no_department_does_not_say_who_leads(tmp_path: Path) -> None:
    """R24: 各项任务的牵头单位 of a plan that names no department is not stated (not covered); a
    section heading (一、…(由区经信局牵头)) states it."""
    corpus, ids = seed_with(tmp_path, {
        "plan.txt": "温岭市数字政府建设工作方案\n一、总体目标\n到2026年建成整体智治政府。\n二、主要任务\n建设数据平台。\n",
        "policy.txt": "温州市鹿城区关于推动经济高质量发展的若干政策\n一、推动科技创新(由区经信局牵头)\n(一)支持研发。"
                      "对研发投入给予补助。\n(二)支持平台。对新建平台给予奖励。\n"})
    bot = Assistant(load_settings().with_(corpus_dir=corpus, index_dir=tmp_path / "index"), embeddings=FakeEmbeddings())
    assert bot.ask("温岭数字政府建设工作方案里各项任务的牵头单位是哪些部门?").found is False
    led = bot.ask("鹿城区若干政策里推动科技创新这部分由哪个部门牵头?")
    assert led.found and led.citations[0].doc_id == ids[1]


def test_a_year_the_only_document_of_the_place_asked_never_mentions_is_not_stated(tmp_path: Path) -> None:
    """R24: 湖南…到2030年…多少, asked of the library's only 湖南 document in other words than its title,
    whose text stops at 2027: not stated, not answered from its 2027 targets."""
    corpus, ids = seed_with(tmp_path, {
        "hunan-ai.txt": "湖南省贯彻落实国务院“人工智能+”行动的实施方案\n一、总体目标\n到2027年,全省人工智能产业规模"
                        "突破2000亿元。\n二、重点任务\n建设算力平台。\n"})
    bot = Assistant(load_settings().with_(corpus_dir=corpus, index_dir=tmp_path / "index"), embeddings=FakeEmbeddings())
    assert bot.ask("湖南那个AI方案到2030年产业规模要到多少?").found is False
    assert bot.ask("湖南那个AI方案到2027年产业规模要到多少?").found is True


def test_an_issued_name_printed_over_two_lines_is_the_title() -> None:
    """R24: the page's 标 题 row names 关于印发厦门市…人工智能产业高质量发展若干措施的通知; the heading
    over the text breaks it in two lines (…人工智能产业 / 高质量发展若干措施): the whole name."""
    text = ("标 题:宁波市人民政府办公厅关于印发宁波市进一步推动低空经济产业高质量发展若干措施的通知\n发布日期:2026-02-17\n"
            "各区县(市)人民政府:\n现将《宁波市进一步推动低空经济产业高质量发展若干措施》印发给你们。\n宁波市人民政府办公厅\n"
            "2026年2月14日\n宁波市进一步推动低空经济产业\n高质量发展若干措施\n为推动低空经济发展,制定本措施。\n"
            "一、支持创新\n对新建平台给予最高3000万元支持。\n二、支持应用\n给予奖励。\n")
    assert parse_policy(text, "page.txt").title == "宁波市进一步推动低空经济产业高质量发展若干措施"


def test_a_toc_without_its_heading_lists_the_chapters(tmp_path: Path) -> None:
    """R26 (陕西): 第一章 … 第八章 in a row, then 第一章 again where the body starts: a 目录 without its
    目录 line; a chapter the cut text never reaches is named from it."""
    corpus, (doc_id,) = seed_with(tmp_path, {"shaanxi.txt": (
        "陕西省大数据条例\n第一章 总 则\n第二章 基础设施\n第三章 数据资源\n第四章 开发应用\n第五章 产业发展\n"
        "第六章 安全保障\n第七章 法律责任\n第八章 附 则\n第一章 总 则\n第一条 为了加强数据资源管理,制定本条例。\n"
        "第二条 本省行政区域内大数据的基础设施建设,适用本条例。\n")})
    bot = Assistant(load_settings().with_(corpus_dir=corpus, index_dir=tmp_path / "index"), embeddings=FakeEmbeddings())
    assert chapters(bot.corpus.document(doc_id))[4] == "第五章 产业发展"
    answer = bot.ask("陕西那个大数据条例的第五章是什么?")
    assert _first(answer) == (doc_id, "公告与前言") and "产业发展" in answer.answer


def test_navigation_and_advert_lines_are_page_noise() -> None:
    """R29 and web round 17: 导航 / 我要收藏 / 取消收藏 over a 解读, a 加盟电话 advert inside 温州's page."""
    from assistant.ingest.sources import drop_page_noise  # noqa: PLC0415

    assert drop_page_noise(["导航", "我要收藏", "取消收藏", "加盟电话:152-6623-5191", "一、制定背景"]) == ["一、制定背景"]
