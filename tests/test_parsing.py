"""Article structure: `assistant.ingest.parsing.parse_policy` on the seed, today's fixtures, one small
fixture per numbering style (tests/fixtures/styles/) and three realistic fictional documents
(tests/fixtures/library/)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.errors import ParseError
from assistant.ingest.parsing import NO_NUMBERED_ITEM, ParsedDocument, departments_of, parse_policy, split_title

from .conftest import CORPUS, FIXTURES, SEED_DEPARTMENTS, SEED_TITLES

SEED = CORPUS / "hangzhou-intelligent-robots-2024-draft.txt"
STYLES = FIXTURES / "styles"
LIBRARY = FIXTURES / "library"
ALL_TEXTS = sorted([SEED, *FIXTURES.glob("*.txt"), *STYLES.glob("*.txt"), *LIBRARY.glob("*.txt")])
ALL_TEXTS = [p for p in ALL_TEXTS if p.name != "nostructure.txt"]


def parse(path: Path) -> ParsedDocument:
    return parse_policy(path.read_text(encoding="utf-8"), str(path))


def by_number(doc: ParsedDocument) -> dict[int, object]:
    return {a.number: a for a in doc.articles}


# --------------------------------------------------------------------------- the seed (1、)


def test_seed_articles_titles_and_departments() -> None:
    doc = parse(SEED)
    assert doc.style == "arabic"
    assert [a.number for a in doc.articles] == list(range(19))
    assert {a.number: a.title for a in doc.articles} == SEED_TITLES
    for a in doc.articles[1:]:
        assert list(a.departments) == SEED_DEPARTMENTS[a.number], a.number
        assert a.label == f"{a.number}、" and a.kind == "article" and a.section == ""
    assert doc.articles[0].kind == "preamble" and doc.articles[0].departments == ()
    assert doc.title == "杭州市促进智能机器人产业高质量发展的实施意见(征求意见稿)"


def test_seed_texts_are_the_source_lines_without_markers() -> None:
    lines = SEED.read_text(encoding="utf-8").splitlines()
    doc = parse(SEED)
    assert doc.articles[0].text == "\n".join(lines[:5])
    assert doc.articles[0].text.startswith("力争到2026年")
    for a in doc.articles[1:]:
        line = next(ln for ln in lines if ln.startswith(f"{a.number}、"))
        assert a.text == line[len(f"{a.number}、"):]


@pytest.mark.parametrize("path", ALL_TEXTS, ids=lambda p: p.name)
def test_every_text_line_is_a_verbatim_substring(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    doc = parse(path)
    assert doc.articles, path
    for a in doc.articles:
        assert a.text, (path.name, a.number)
        for line in a.text.split("\n"):
            assert line in source, (path.name, a.number, line)
        assert a.title
    assert [a.number for a in doc.articles] == list(range(doc.articles[0].number,
                                                          doc.articles[0].number + len(doc.articles)))
    kinds = [a.kind for a in doc.articles]
    assert kinds == sorted(kinds, key=["preamble", "article", "appendix"].index)


# --------------------------------------------------------------------------- today's fixtures


def test_di_yi_tiao() -> None:
    doc = parse(FIXTURES / "tiao.txt")
    arts = by_number(doc)
    assert doc.style == "tiao" and list(arts) == [0, 1, 2, 3, 4]
    assert arts[2].title == "支持无人机整机研发" and arts[2].label == "第二条"
    assert arts[3].departments == ("市交通运输局", "市邮政管理局")
    assert arts[3].text == "拓展低空物流场景。鼓励快递企业开展无人机配送试点。\n(责任单位:市交通运输局、市邮政管理局)"
    assert arts[0].title == doc.title == "杭州市无人机产业促进办法(示例)"
    assert arts[1].title == "为了促进无人机产业发展…"


def test_yi_dun_hao_with_body_on_the_same_line() -> None:
    doc = parse(FIXTURES / "cn-sections.txt")
    assert [(a.number, a.label, a.title) for a in doc.articles[1:]] == [
        (1, "一、", "培育数字贸易主体"), (2, "二、", "完善数字基础设施"), (3, "三、", "加强人才保障")]
    assert doc.articles[2].departments == ("市经信局", "市通信管理局")
    assert doc.title == "关于支持数字贸易发展的若干意见"


def test_paren_items_under_parts_numbered_across_parts() -> None:
    arts = parse(FIXTURES / "nested.txt").articles
    assert [a.number for a in arts] == [0, 1, 2, 3, 4]
    assert arts[3].section == "二、保障措施" and arts[3].label == "二、(三)"
    assert arts[3].title == "加强要素保障"
    # The first part's introduction is the part's, as every part's is: it leads into its first item.
    assert arts[0].text == "关于加快生物医药产业发展的实施意见"
    assert arts[1].label == "一、(一)" and arts[1].text.startswith("到2027年,生物医药产业规模显著提升。\n")
    assert all("总体要求" not in a.text for a in arts)


def test_a_page_cut_before_its_first_items_numbers_on_from_where_it_opens() -> None:
    text = ("工业和信息化部等七部门关于印发《智能检测装备产业发展行动计划(2023—2025年)》的通知\n"
            "(四)产业生态优化工程\n实施产业生态优化工程,从优质企业培育等五个方面着手。\n"
            "1. 培育优质企业。培育一批专精特新企业。\n2. 加强标准研制。研制一批基础标准。\n"
            "3. 完善产业公共服务。建设一批计量测试中心。\n")
    arts = parse_policy(text).articles
    assert [a.label for a in arts] == ["", "(四)1.", "(四)2.", "(四)3."]
    assert arts[1].section == "(四)产业生态优化工程"
    assert arts[1].text.startswith("实施产业生态优化工程") and "产业生态优化工程" not in arts[0].text


def test_paren_items_restarting_per_part() -> None:
    arts = parse(FIXTURES / "nested-restart.txt").articles
    assert [a.number for a in arts] == [0, 1, 2, 3, 4]
    assert [a.label for a in arts[1:]] == ["一、(一)", "一、(二)", "二、(一)", "二、(二)"]
    assert [a.section for a in arts[1:]] == ["一、扩大展会规模"] * 2 + ["二、提升服务水平"] * 2


def test_no_numbered_item_is_one_unit_with_a_warning() -> None:
    text = (FIXTURES / "nostructure.txt").read_text(encoding="utf-8")
    doc = parse(FIXTURES / "nostructure.txt")
    assert doc.style == "none" and doc.body == []
    assert [(a.number, a.kind, a.label) for a in doc.articles] == [(0, "preamble", "")]
    assert doc.articles[0].text == "\n".join(ln.strip() for ln in text.splitlines() if ln.strip())
    assert doc.warnings == (NO_NUMBERED_ITEM,) and "one unit" in NO_NUMBERED_ITEM


def test_heading_items_nest_to_the_unit_with_the_full_path() -> None:
    doc = parse_policy("前言。\n一、聚力招大引强,打造链式产业集群\n(一)大力招引先进制造业\n"
                       "1.加速落地重大项目。给予补助。\n2.招引生物医药。给予补助。\n"
                       "(二)培育本地企业。对企业给予奖励。\n1.甲。\n2.乙。\n二、强化保障\n"
                       "(一)加强组织。建立机制。\n")
    assert [(a.label, a.section) for a in doc.body] == [
        ("一、(一)1.", "一、聚力招大引强,打造链式产业集群 (一)大力招引先进制造业"),
        ("一、(一)2.", "一、聚力招大引强,打造链式产业集群 (一)大力招引先进制造业"),
        ("一、(二)", "一、聚力招大引强,打造链式产业集群"),
        ("二、(一)", "二、强化保障")]
    assert doc.body[2].text == "培育本地企业。对企业给予奖励。\n1.甲。\n2.乙。"
    assert all("大力招引先进制造业" not in a.text for a in doc.articles)


@pytest.mark.parametrize("text", ["", "\n\n", "  \r\n\u3000 \n"])
def test_empty_text_fails_naming_the_file(text: str) -> None:
    with pytest.raises(ParseError, match="empty.txt: the text is empty"):
        parse_policy(text, "empty.txt")


# --------------------------------------------------------------------------- styles


def test_chapters_group_articles_and_items_stay_in_text() -> None:
    doc = parse(STYLES / "chapters.txt")
    arts = by_number(doc)
    assert doc.style == "tiao" and list(arts) == list(range(8))
    assert [a.label for a in doc.articles[1:]] == [f"第{n}条" for n in "一二三四五六七"]
    assert [a.section for a in doc.articles[1:]] == [
        "第一章 总则", "第一章 总则", "第二章 创新支持 第一节 研发支持",
        "第二章 创新支持 第一节 研发支持", "第二章 创新支持 第二节 应用推广", "第三章 附则", "第三章 附则"]
    assert all("章" not in a.title for a in doc.articles)
    assert "(一)取得型号合格证的" in arts[3].text and "2.奖励资金由区财政承担50%。" in arts[3].text
    assert arts[3].departments == ("市经信局", "市科技局")
    assert arts[3].title == "支持企业开展低空飞行器研发…"
    assert arts[4].departments == ("市发改委", "市财政局", "市规划资源局")
    assert arts[5].departments == ("市邮政管理局", "市交通运输局")  # inline 牵头单位
    assert "第二章" not in arts[2].text and "第一节" not in arts[2].text


def test_headings_alone_on_their_line_notice_and_appendices() -> None:
    doc = parse(STYLES / "headings.txt")
    arts = by_number(doc)
    assert doc.title == "杭州市支持人工智能产业发展若干措施(示例)"
    pre = arts[0]
    assert pre.kind == "preamble" and pre.text.startswith("杭政办函【2024】66号")
    assert "(此件公开发布)" in pre.text and pre.text.endswith("为加快人工智能产业发展,制定以下措施。")
    assert [(a.label, a.title) for a in doc.body] == [
        ("一、", "加强算力供给"), ("二、", "支持模型研发"), ("三、", "拓展应用场景"), ("四、", "强化人才保障")]
    # The heading is the title and starts its own article, not the end of the previous one.
    assert arts[1].text.startswith("加强算力供给\n统筹建设公共算力平台")
    assert "支持模型研发" not in arts[1].text
    assert arts[1].departments == ("市数据资源局", "市经信局")
    assert arts[2].departments == ("市科技局",)  # full-width bracket and colon
    assert "(一)智能制造场景" in arts[3].text and arts[3].departments == ("市经信局",)
    assert arts[4].departments == ("市委人才办", "市人力社保局", "市教育局")
    assert [(a.number, a.label, a.title, a.kind) for a in doc.articles[5:]] == [
        (5, "附件1", "重点支持方向", "appendix"), (6, "附件2", "申报材料清单", "appendix")]
    assert arts[5].text == "重点支持方向\n1.通用大模型。\n2.行业大模型。"
    assert arts[6].text == "申报材料清单\n1.申请表。\n2.营业执照复印件。"


def test_parts_with_items_numbered_across_parts_and_a_part_with_its_own_body() -> None:
    doc = parse(STYLES / "parts-continuing.txt")
    assert doc.style == "cn"
    assert [(a.label, a.section, a.title) for a in doc.body] == [
        ("一．", "", "总体目标"),  # a part with body text and no items is an article
        ("二．(一)", "二．主要任务", "扩大数据供给"),
        ("二．(二)", "二．主要任务", "促进数据流通"),
        ("三.(三)", "三.保障措施", "加强组织领导"),
        ("三.(四)", "三.保障措施", "加大资金支持"),
    ]
    arts = by_number(doc)
    assert arts[1].text == "总体目标\n到2027年,数据要素市场体系基本建成。"
    # A part's introduction goes with its first item; sub-items stay in the item's text.
    assert arts[2].text.startswith("围绕供给、流通、应用三个环节推进。\n扩大数据供给。")
    assert "1、建设公共数据开放平台。" in arts[2].text and "(2)医疗数据。" in arts[2].text
    assert arts[3].departments == ("市数据资源局",)
    assert all("主要任务" not in a.text for a in doc.articles)
    assert arts[0].title.startswith("关于公开征求《杭州市数据要素市场培育行动方案")


def test_parts_restarting_items_and_a_part_with_body_text_is_the_article() -> None:
    doc = parse(STYLES / "parts-restart.txt")
    assert [(a.label, a.section, a.title) for a in doc.body] == [
        ("一、（一）", "一、扩大展会规模", "支持举办国际展会"),
        ("一、（二）", "一、扩大展会规模", "支持品牌展会"),
        ("二、", "", "加强场馆建设"),
        ("三、（一）", "三、优化服务保障", "提升通关便利"),
        ("三、（二）", "三、优化服务保障", "加强宣传推介"),
    ]
    arts = by_number(doc)
    assert "（一）新建场馆" in arts[3].text and "（二）改造场馆" in arts[3].text
    assert arts[3].departments == ("市商务局", "市财政局", "市规划资源局")
    assert arts[1].departments == ("市商务局",)
    assert arts[4].departments == ("杭州海关", "市商务局")


def test_announcement_before_tiao_articles() -> None:
    doc = parse(STYLES / "announcement.txt")
    assert doc.title == "杭州市低空经济促进条例(草案)"
    pre = doc.articles[0]
    assert pre.title == "关于公开征求《杭州市低空经济促进条例(草案)》意见的公告"
    assert "征求意见截止时间为2024年6月30日" in pre.text
    assert [a.label for a in doc.body] == ["第一条", "第二条", "第三条"]


def test_arabic_dot_items() -> None:
    doc = parse(STYLES / "arabic-dot.txt")
    assert doc.style == "arabic"
    assert [(a.label, a.title) for a in doc.body] == [
        ("1.", "培育跨境电商主体"), ("2.", "建设海外仓"), ("3.", "优化通关服务")]
    assert doc.body[0].departments == ("市商务局", "杭州海关")


# --------------------------------------------------------------------------- library documents

HZ_FINAL_TITLES = [
    "加强核心零部件攻关", "提升机器人“大脑”“小脑”能力", "推动整机产品首台套突破", "强化科技创新主体",
    "培育优质企业梯队", "加大产业化项目招引支持", "打造示范应用场景", "深化智能制造场景应用",
    "拓展生活服务场景", "拓展城市建设与治理场景", "支持企业拓展国际市场", "发放具身智能算力券",
    "建设具身智能数据训练场", "强化人才引育", "完善产业服务平台和生态", "强化组织保障"]
HZ_FINAL_DEPARTMENTS = [
    "市经信局、市科技局", "市经信局、市数据资源局", "市经信局、市财政局", "市科技局、市市场监管局",
    "市经信局、市科技局", "市经信局、市投资促进局、市财政局", "市经信局、市发改委、市国资委", "市经信局",
    "市文广旅游局、市商务局、市卫健委、市民政局、市教育局",
    "市建委、市应急管理局、市城管局、市交通运输局、市公安局、市消防救援支队", "市商务局",
    "市数据资源局、市经信局、市财政局", "市经信局、市科技局、市数据资源局",
    "市委人才办、市人力社保局、市教育局、市经信局", "市经信局、市科技局、市市场监管局",
    "市经信局、市财政局、市科技局、市投资促进局"]
CN = "一二三四五六七八九十"
CN_1_23 = [*CN, *(f"十{c}" for c in CN[:9]), "二十", "二十一", "二十二", "二十三"]


def test_hz_robots_final() -> None:
    doc = parse(LIBRARY / "hz-robots-2025-final.txt")
    assert doc.style == "cn"
    assert doc.title == "杭州市促进智能机器人产业高质量发展的实施意见"
    assert len(doc.articles) == 18  # preamble + 16 measures + appendix
    pre = doc.articles[0]
    assert pre.text.startswith("杭政办函〔2025〕17号\n各区、县(市)人民政府")
    assert "力争到2027年" in pre.text and "(此件公开发布)" in pre.text
    assert pre.title == doc.title
    body = doc.body
    assert [a.label for a in body] == [f"{n}、" for n in CN_1_23[:16]]
    assert [a.title for a in body] == HZ_FINAL_TITLES
    assert ["、".join(a.departments) for a in body] == HZ_FINAL_DEPARTMENTS
    assert all(not a.section for a in doc.articles)
    # Measures with two body paragraphs keep both, each heading starts its own article.
    assert body[1].text.count("\n") == 2 and "单家整机企业每年最高奖励80万元" in body[1].text
    assert body[0].text.split("\n")[0] == "加强核心零部件攻关"
    appendix = doc.articles[-1]
    assert (appendix.number, appendix.kind, appendix.label, appendix.title) == (
        17, "appendix", "附件", "智能机器人重点产品目录")
    assert appendix.text.count("\n") == 6 and appendix.text.endswith("端侧智能芯片。")
    assert "附件" not in body[-1].text and "本意见自2025年4月18日起施行" in body[-1].text


QT_SECTIONS = (["第一章 总则"] * 4 + ["第二章 创新能力提升"] * 5 + ["第三章 企业培育与集聚"] * 5
               + ["第四章 应用推广与要素保障"] * 5 + ["第五章 附则"] * 4)
QT_DEPARTMENTS = {
    5: "区科技局、区经信局、区财政局", 6: "区经信局、区科技局", 7: "区经信局、区市场监管局",
    8: "区科技局、区财政局", 10: "区投资促进局、区经信局、区财政局", 11: "区经信局、区统计局",
    13: "区财政局、区金融服务中心", 14: "区委人才办、区人力社保局、区经信局", 15: "区经信局、区商务局",
    17: "区规划资源分局、区经信局、区投资促进局", 19: "区财政局、区经信局"}


def test_qt_robots_measures() -> None:
    doc = parse(LIBRARY / "qt-robots-2025-measures.txt")
    assert doc.style == "tiao"
    assert doc.title == "杭州市钱塘区促进机器人产业发展若干规定"
    assert len(doc.articles) == 24
    body = doc.body
    assert [a.label for a in body] == [f"第{n}条" for n in CN_1_23]
    assert [a.section for a in body] == QT_SECTIONS
    assert {a.number: "、".join(a.departments) for a in body if a.departments} == QT_DEPARTMENTS
    arts = by_number(doc)
    assert arts[0].title == "杭州市钱塘区人民政府关于印发《杭州市钱塘区促进机器人产业发展若干规定》的通知"
    assert arts[0].text.endswith("(此件公开发布)\n杭州市钱塘区促进机器人产业发展若干规定")
    assert "第一章" not in arts[0].text
    # Items (一)(二)(三) restart in each article and stay in its text.
    for n in (5, 10, 11):
        assert "(一)" in arts[n].text and "(三)" in arts[n].text
    assert arts[22].title == "本规定由区经信局负责解释"
    assert arts[23].text == "本规定自2025年7月15日起施行,有效期至2028年7月14日。"
    assert arts[5].text.endswith("牵头单位:区科技局;配合单位:区经信局、区财政局")


def test_hz_embodied_draft() -> None:
    doc = parse(LIBRARY / "hz-embodied-2025-draft.txt")
    assert doc.title == "杭州市具身智能机器人产业三年行动方案(2025—2027年)(征求意见稿)"
    assert len(doc.articles) == 20  # announcement and preamble + 19 items
    pre = doc.articles[0]
    assert pre.title.startswith("关于公开征求《杭州市具身智能机器人产业三年行动方案")
    assert "联系电话:0571-85150321" in pre.text and pre.text.endswith("制定本行动方案。")
    body = doc.body
    parens = [f"({n})" for n in CN_1_23[:19]]
    assert [a.label for a in body] == (
        [f"一.{p}" for p in parens[:3]] + [f"二.{p}" for p in parens[3:14]]
        + [f"三.{p}" for p in parens[14:]])
    assert [a.section for a in body] == ["一.总体要求"] * 3 + ["二.重点任务"] * 11 + ["三.保障措施"] * 5
    assert [a.title for a in body[:4]] == ["指导思想", "基本原则", "发展目标", "突破具身智能模型算法"]
    assert body[9].title == "拓展重点应用场景" and body[10].title == "支持用户首购首用"
    # 1. and (1) sub-items stay in their item.
    assert body[2].text.count("\n") == 3 and "3.应用场景加快拓展。" in body[2].text
    assert "(1)在汽车及零部件行业" in body[9].text and "3.家庭与康养服务场景。" in body[9].text
    assert all(not a.departments for a in doc.articles)
    assert all(a.kind != "appendix" for a in doc.articles)


# --------------------------------------------------------------------------- details


def test_department_clause_variants() -> None:
    assert departments_of("(责任单位:市科技局、市经信局。列第一位的为牵头单位,下同。)") == ("市科技局", "市经信局")
    assert departments_of("（责任单位：市经信局）") == ("市经信局",)
    assert departments_of("(责任单位:市经信局)") == ("市经信局",)
    assert departments_of("给予奖励。牵头单位:区经信局;配合单位:区科技局、区财政局") == (
        "区经信局", "区科技局", "区财政局")
    assert departments_of("牵头单位：区经信局；配合单位：区科技局，区财政局") == (
        "区经信局", "区科技局", "区财政局")
    assert departments_of("(配合单位:市经信局;牵头单位:市商务局)") == ("市商务局", "市经信局")
    assert departments_of("(责任单位:各区、县(市)政府,市经信局)") == ("各区、县(市)政府", "市经信局")
    assert departments_of("(责任单位:市经信局)…(责任单位:市经信局、市财政局)") == ("市经信局", "市财政局")
    assert departments_of("列第一位的为牵头单位,下同。") == ()


def test_split_title() -> None:
    assert split_title("加强人才保障。引进人才。") == ("加强人才保障", "引进人才。")
    assert split_title("发展目标:") == ("发展目标", "")
    assert split_title("为了促进无人机产业发展,根据有关规定,制定本办法。")[0] == "为了促进无人机产业发展…"


def test_announcement_list_before_the_body_is_not_the_article_run() -> None:
    text = "\n".join([
        "关于公开征求《某某措施》意见的公告",
        "一、征求意见时间:2025年1月1日至2025年1月31日。",
        "二、反馈方式:电子邮件。",
        "某某措施",
        "一、支持研发。给予补助。", "二、支持应用。给予奖励。", "三、支持人才。给予补贴。"])
    doc = parse_policy(text)
    assert [a.title for a in doc.body] == ["支持研发", "支持应用", "支持人才"]
    assert "反馈方式" in doc.articles[0].text


def test_appended_regulation_with_its_own_tiao_is_an_appendix() -> None:
    text = "\n".join([
        "关于印发某某措施的通知", "一、支持研发。给予补助。", "二、支持应用。给予奖励。",
        "附件:某某资金管理办法", "第一条 为规范资金管理,制定本办法。", "第二条 资金用于研发补助。"])
    doc = parse_policy(text)
    assert doc.style == "cn" and [a.label for a in doc.articles] == ["", "一、", "二、", "附件"]
    assert doc.articles[-1].text.endswith("第二条 资金用于研发补助。")


def test_out_of_sequence_sub_lists_do_not_break_the_numbering() -> None:
    text = "\n".join([
        "1、支持研发。给予补助:", "1.首次认定的给予奖励;", "2.再次认定的给予补助。",
        "2、支持应用。给予奖励。", "3、支持人才。给予补贴。"])
    doc = parse_policy(text)
    assert [a.label for a in doc.articles] == ["1、", "2、", "3、"]
    assert doc.articles[0].number == 1
    assert doc.articles[0].text == "支持研发。给予补助:\n1.首次认定的给予奖励;\n2.再次认定的给予补助。"


def test_marker_without_text_takes_the_next_line_as_title() -> None:
    doc = parse_policy("第一条\n总则内容。\n第二条\n附则内容。")
    assert [(a.label, a.title, a.text) for a in doc.articles] == [
        ("第一条", "总则内容", "总则内容。"), ("第二条", "附则内容", "附则内容。")]


def test_crlf_bom_and_full_width_spaces() -> None:
    text = "\ufeff关于某某的意见\r\n\u3000\u3000一、支持研发。给予补助。\r\n\u3000\u3000二、支持应用。\r\n"
    doc = parse_policy(text)
    assert doc.title == "关于某某的意见"
    assert [a.text for a in doc.body] == ["支持研发。给予补助。", "支持应用。"]


def test_parsing_twenty_articles() -> None:
    """(How fast parsing is belongs to `make bench`, not to a unit test.)"""
    lines = ["关于某某产业发展的若干措施"] + [
        f"{n}、支持第{n}类项目。对符合条件的企业,按投资额的10%给予补助,最高不超过100万元。"
        f"(责任单位:市经信局、市科技局)" for n in range(1, 21)]
    assert len(parse_policy("\n".join(lines)).body) == 20


def test_articles_are_frozen() -> None:
    art = parse(FIXTURES / "tiao.txt").articles[1]
    with pytest.raises(AttributeError):
        art.title = "x"  # type: ignore[misc]
    assert re.fullmatch(r"第.条", art.label)


def test_chapter_introductions_are_kept_with_the_next_article() -> None:
    text = "\n".join([
        "某某办法", "第一章 总则", "第一条 为了促进发展,制定本办法。",
        "第二章 支持措施", "本章规定的支持措施由市经信局组织实施。", "第一节 研发支持",
        "本节适用于研发项目。", "第二条 支持研发。", "第三条 支持转化。"])
    doc = parse_policy(text)
    arts = {a.number: a for a in doc.articles}
    assert arts[1].text == "为了促进发展,制定本办法。"
    assert arts[2].text == "本章规定的支持措施由市经信局组织实施。\n本节适用于研发项目。\n支持研发。"
    assert arts[2].title == "支持研发" and arts[2].section == "第二章 支持措施 第一节 研发支持"
    source_lines = text.split("\n")
    covered = [ln for a in doc.articles for ln in a.text.split("\n")]
    sections = {"第一章 总则", "第二章 支持措施", "第一节 研发支持"}
    assert all(any(ln.endswith(c) for c in covered) for ln in source_lines if ln not in sections)


@pytest.mark.parametrize("path", ALL_TEXTS, ids=lambda p: p.name)
def test_no_source_line_is_lost(path: Path) -> None:
    doc = parse(path)
    texts = [ln for a in doc.articles for ln in a.text.split("\n")]
    sections = {a.section for a in doc.articles if a.section}
    labels = {a.label for a in doc.articles}
    for line in (ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()):
        if not line or line in labels or any(line in s.split(" ") or s.endswith(line) or line in s for s in sections):
            continue
        assert any(line.endswith(t) and len(line) - len(t) <= 8 for t in texts if t), line


def test_a_page_printed_as_one_long_line_keeps_its_structure() -> None:
    """Paragraphs joined by spaces on one line (a notice as some pages print it) are cut before
    each numbered item."""
    body = "各市人民政府: 现将《行动计划》印发给你们,请结合实际抓好贯彻落实。 " + "为主动适应经济新常态," * 40 + \
        "特制定本行动计划。 一、总体要求 (一)指导思想。坚持创新发展理念。 (二)基本原则。市场主导,政府引导。"
    doc = parse_policy(body)
    assert [a.label for a in doc.articles if a.number] == ["一、(一)", "一、(二)"]
    assert doc.articles[-1].title == "基本原则" and doc.articles[-1].section == "一、总体要求"


def test_a_pages_hard_wrap_does_not_end_a_sentence() -> None:
    from assistant.lang.reading import hard_wrap, sentences
    from assistant.lang.sentences import split_sentences

    text = ("推进未来工厂建设,对当年评为省级未来工厂、省级智能工厂、\n绍兴市级数字化车间的,\n"
            "分别给予 100 万元、10 万元奖励。\n发展目标\n(二)加快推进数字产业化。")
    assert split_sentences(text) == [
        "推进未来工厂建设,对当年评为省级未来工厂、省级智能工厂、\n绍兴市级数字化车间的,\n"
        "分别给予 100 万元、10 万元奖励。", "发展目标\n", "(二)加快推进数字产业化。"]
    assert [s.text for s in sentences(text)][0].endswith("10 万元奖励")
    assert not hard_wrap("加快推进工业经济高质量发展若干政策的通知文件\n发布日期", 22)
    assert not hard_wrap("做强做大数字核心企业,当年\n(三)全力推进", 13)


def test_question_marks_left_by_a_lost_full_width_indent_do_not_hide_articles() -> None:
    """A page converted to an encoding without full-width spaces prints its indent as `??`: the
    articles after it are still articles (a reposted 条例 read as one preamble before)."""
    text = ("某市促进产业发展条例\n第一章 总则\n??第一条 为了促进产业发展,制定本条例。\n"
            "??第二条 本条例所称产业,是指相关产业。\n? ?本条例适用于本市。\n??第三条 市人民政府应当加强领导。")
    doc = parse_policy(text)
    assert [a.label for a in doc.body] == ["第一条", "第二条", "第三条"]
    assert doc.article(2) is not None and doc.article(2).text.split("\n")[-1] == "本条例适用于本市。"
    assert parse_policy("问题?\n一、总则。").articles[0].text.startswith("问题?")


def test_a_notices_list_of_attachments_is_no_article() -> None:
    """`附件:` then `1.…(2024版)` `2.…`: the titles of what is attached, inside the notice; the
    attachment's own 一、/(一) items are the units."""
    doc = parse_policy("工业和信息化部公告\n现予以公告。\n附件:\n1.工业机器人行业规范条件(2024版)\n"
                       "2.工业机器人行业规范条件管理实施办法(2024版)\n工业和信息化部\n附件1\n工业机器人行业规范条件(2024版)\n"
                       "一、总则\n(一)本规范条件适用于工业机器人企业。\n(二)鼓励企业自愿申请规范公告。\n"
                       "二、基本要求\n(三)从事工业机器人相关业务时间不少于三年。")
    assert [(a.number, a.label) for a in doc.articles] == [(0, ""), (1, "一、(一)"), (2, "一、(二)"), (3, "二、(三)")]
    assert "1.工业机器人行业规范条件(2024版)" in doc.articles[0].text


def test_a_notice_printed_as_one_line_is_titled_by_its_heading() -> None:
    doc = parse_policy("关于开展第二批工业机器人行业规范公告申报工作的通知工信厅通装函〔2025〕207号各省、自治区工业和信息化"
                       "主管部门:有关事项通知如下:一、各省负责组织本地区企业申报工作。")
    assert doc.title == "关于开展第二批工业机器人行业规范公告申报工作的通知"


def test_a_speech_explaining_a_draft_is_titled_by_the_draft_it_explains() -> None:
    doc = parse_policy("(2025年10月28日在杭州市第十四届人民代表大会常务委员会第三十次会议上)\n杭州市人民政府\n"
                       "主任、副主任、秘书长、各位委员:\n根据会议安排,下面我代表市政府对提请审议的《杭州市促进具身智能机器人"
                       "产业发展条例(草案)》(以下简称《条例(草案)》)作如下说明。\n一、立法必要性\n必要性主要体现在三个方面。")
    assert doc.title == "关于《杭州市促进具身智能机器人产业发展条例(草案)》的说明"


def test_the_tail_of_a_heading_broken_over_lines_is_no_title() -> None:
    doc = parse_policy("天津市滨海新区人民政府办公室关于印发\n滨海新区发展新一代人工智能行动计划\n2019-2021)的通知\n"
                       "各管委会:\n现将行动计划印发给你们。\n一、总体要求\n培育壮大人工智能核心产业。\n二、主要任务\n建设平台。")
    assert doc.title == "滨海新区发展新一代人工智能行动计划"


def test_items_numbered_in_sequence_inside_a_flattened_line_are_units() -> None:
    """A page printed as one line lists 1 .… 2 .… 3 .… with nothing but the numbers between them."""
    items = "".join(f"{i} .关于推进第{i}项产业高质量发展的实施意见(自2023年8月{i}日起施行,有效期至2026年12月31日)"
                    for i in range(1, 6))
    doc = parse_policy("杭州市数字经济政策精华汇编\n前言" + "为服务企业发展,实现政策放大组合效应。" * 12 + "涉及政策" + items)
    assert [a.label for a in doc.articles] == ["", "1.", "2.", "3.", "4.", "5."]
    assert doc.articles[2].text.startswith("关于推进第2项")
    # with 一、 items of its own the line keeps them as its structure
    assert [a.label for a in parse_policy("一、起草背景" + "为服务企业发展。" * 40 + "二、依据" + items[:200]).articles][:1] != ["1."]


def test_an_article_heading_in_square_brackets_is_its_title() -> None:
    """第一条【立法目的】为了…: the heading a draft regulation gives each article."""
    doc = parse_policy("某省制造业促进条例\n第一条【立法目的】为了促进制造业高质量发展,制定本条例。\n"
                       "第二条【适用范围】本条例适用于本省行政区域内的活动。\n", "x.txt")
    assert [(a.label, a.title) for a in doc.articles if a.number] == [("第一条", "立法目的"), ("第二条", "适用范围")]


def test_a_page_heading_naming_the_document_and_a_number_set_apart() -> None:
    """Page 2 of a repost: `2020《…试行方案》全文一览(2)` names the document; `3` on a line of its
    own and `建设路径及措施` under it are one numbered heading, never the title."""
    doc = parse_policy("2020《浙江省培育建设“未来工厂”试行方案》全文一览(2)\n3\n建设路径及措施\n"
                       "(一)制定建设要求。参照国家有关智能制造评价指标体系。\n(二)遴选入库工厂。每年遴选一批。")
    assert doc.title == "浙江省培育建设“未来工厂”试行方案"
    assert "3、建设路径及措施" in doc.articles[0].text


def test_a_one_line_issuing_notice_with_addressees_and_a_spaced_numeral() -> None:
    """R17's page printed as one line: 关于印发…实施细则的通知 火炬开发区管委会、…: then 一 、 with a
    space: the document it issues, and its (一) items under 一、."""
    from assistant.ingest.sources import read_source  # noqa: PLC0415

    doc = parse_policy(read_source(FIXTURES / "real-r17" / "r17-zhongshan-ai-plus-rules.txt").text)
    assert doc.title == "中山市推进“人工智能+”产业创新发展政策实施细则"
    assert [a.label for a in doc.articles] == ["", "一、(一)", "一、(二)", "一、(三)"]


@pytest.mark.parametrize("text, title", [
    # a 关于 heading broken over two lines lacks its kind on the first
    ("温政发〔2013〕78号\n温州市人民政府\n关于进一步加大企业技术改造力度\n促进机器换人的实施意见\n各县(市、区)人民政府:\n"
     "一、指导思想\n(一)指导思想。深入贯彻落实。\n(二)主要目标。争取到2015年。", "关于进一步加大企业技术改造力度促进机器换人的实施意见"),
    # a table row of a short label and its value: the value
    ("内容概述 | 无锡市数字化转型促进条例 |\n第一章 总 则\n第一条 为了促进本市数字化转型,制定本条例。\n第二条 本条例适用于本市。",
     "无锡市数字化转型促进条例"),
])
def test_titles_broken_over_lines_or_set_in_a_table_row(text: str, title: str) -> None:
    assert parse_policy(text).title == title


def test_an_announcement_that_publishes_a_regulation_is_titled_by_the_regulation() -> None:
    """R21: a 人大常委会公告 over the text of the 条例 it publishes (…已由…会议通过,现予公布)."""
    doc = parse_policy("温州市数据条例\n温州市人民代表大会常务委员会公告\n〔十四届〕第12号\n《温州市数据条例》已由温州市第十四届"
                       "人民代表大会常务委员会第二十次会议于2024年6月20日通过,现予公布,自2024年10月1日起施行。\n"
                       "第一条 为了促进数据依法有序流动,制定本条例。\n第二条 本市行政区域内的数据活动适用本条例。\n")
    assert doc.title == "温州市数据条例"


def test_a_notices_own_numbered_lines_are_its_preamble_when_the_document_it_names_follows() -> None:
    """R21: a 公告 asking for comments on 《…行动计划》 lists how to send them (1.信函 2.邮件), signs,
    then gives the plan under its own heading: the plan's 一、二、 are the units, the notice is unit 0."""
    doc = parse_policy("衢州市经信局关于《衢州市智能工厂培育三年行动计划》公开征求意见的公告\n"
                       "1.通过信函的方式将意见寄至市经信局。\n2.通过电子邮件方式将意见发送至邮箱。\n"
                       "意见反馈截止时间:2024年3月18日\n附件:衢州市智能工厂培育三年行动计划\n衢州市经济和信息化局\n"
                       "2024年3月9日\n关于衢州市智能工厂培育\n三年行动计划\n(征求意见稿)\n"
                       "一、指导思想\n以智能制造为主攻方向。\n二、主要目标\n到2026年培育智能工厂30家。\n")
    assert [a.label for a in doc.articles] == ["", "一、", "二、"]
    assert "意见反馈截止时间" in doc.articles[0].text
    assert "(征求意见稿)" in doc.title


def test_a_title_goes_on_in_a_line_of_several_brackets() -> None:
    doc = parse_policy("重庆市数据条例\n(草案)(征求意见稿)\n第一条 为了促进数据利用,制定本条例。\n第二条 本条例适用于本市。\n")
    assert doc.title == "重庆市数据条例(草案)(征求意见稿)"


def test_a_report_is_titled_by_what_it_reports_on_never_by_its_bracketed_occasion() -> None:
    """R22: a 论证报告 opens with (…在…会议上) and says it reports on a task about 《…(草案)》."""
    doc = parse_policy("(2025年6月29日在宁波市第十六届人民代表大会常务委员会第九次会议上)\n宁波市人大常委会立法咨询委员会\n"
                       "宁波市人民代表大会常务委员会:\n我委接受法制委下达的关于《宁波市数据条例(草案)》的论证任务后,经讨论,"
                       "现提出本《论证报告》,供审议参考。\n论证范围:\n1.制定本条例的权限是否成立?\n2.制定本条例的必要性如何?\n"
                       "3.本条例的内容与上位法是否一致?\n")
    assert doc.title == "关于《宁波市数据条例(草案)》的论证报告"


def test_items_numbered_in_a_line_after_spaces_are_units() -> None:
    """R22: a page that prints 1. … 2. … 3. … in one line under its 一、 heading, and 4. 5. under 二、."""
    doc = parse_policy("近日,工信部形成了《制造场景指引(征求意见稿)》,现公开征求意见。\n一、工厂建设环节\n"
                       "1. 工厂规划 搭建设计平台,缩短建设周期。 2. 基础设施 建设算力网络。 3. 数字孪生 构建孪生模型。\n"
                       "二、产品研发环节\n4. 数字化设计 部署设计工具。 5. 虚拟验证 搭建验证环境。\n")
    assert [a.label for a in doc.articles][1:] == ["一、1.", "一、2.", "一、3.", "二、4.", "二、5."]


def test_marked_items_bulleted_fields_and_a_year_after_the_number_are_read() -> None:
    """R31: ★（四） (a measure newly added) was no item, its text joined to （三）; 一、2022年…项目
    was no item (a digit after 、), so its (一)(二) lost their parent; `• 发文字号:津政办发[2017]112号`
    gave no 文号 behind its list bullet."""
    marked = parse_policy("广德若干政策\n一、支持企业\n（一）支持配套企业。给予补助。\n"
                          "★（二）鼓励企业开展军民合作。奖励10万元。\n", "x.txt")
    assert [a.label for a in marked.articles] == ["", "一、（一）", "一、（二）"]
    assert "奖励10万元" in marked.articles[2].text and "奖励10万元" not in marked.articles[1].text
    year = parse_policy("申报工作开启\n一、2022年杭州市制造业企业技术改造项目\n(一)申报范围\n1000万元以上的项目。\n"
                        "(二)企业申报材料\n申报表。\n", "x.txt")
    assert [a.label for a in year.articles] == ["", "一、(一)", "一、(二)"]
    from assistant.ingest.metadata import read_metadata

    page = ("天津市人民政府办公厅关于印发天津市智能科技行动计划的通知\n  • 发文字号:津政办发[2017]112号\n"
            "各区人民政府:\n现将行动计划印发给你们。\n一、总体要求\n加快发展。\n")
    number = read_metadata(page, parse_policy(page, "x.txt")).doc_number
    assert number is not None and "112号" in number


def test_a_title_broken_under_a_line_that_opens_with_a_place_is_joined() -> None:
    """R31's parse of the round's earlier pages: 湖北省人民政府办公厅关于加快推进 / 人工智能产业发展的实施意见
    was titled by its second half; a second half that names a place of its own stays a title."""
    broken = parse_policy("湖北省人民政府办公厅关于加快推进\n人工智能产业发展的实施意见\n各市人民政府:\n一、总体要求\n加快发展。\n",
                          "x.txt")
    assert broken.title == "湖北省人民政府办公厅关于加快推进人工智能产业发展的实施意见"


def test_articles_a_page_ran_into_one_line_are_units() -> None:
    """R32 (福建省大数据发展条例): 第一章 总 则第一条 为了…。第二条 本省… — a page that ran a regulation's
    articles together; an article's number inside a sentence (依照本条例第三条规定) is no article."""
    doc = parse_policy("福建省大数据发展条例\n第一章 总 则第一条 为了促进大数据发展,制定本条例。第二条 本省适用本条例。\n"
                       "本条例所称大数据,是指数据集合。第三条 大数据发展应当遵循统筹规划的原则。\n"
                       "依照本条例第三条规定的原则执行。第四条 县级以上人民政府应当加强领导。\n", "x.txt")
    assert [a.label for a in doc.articles] == ["", "第一条", "第二条", "第三条", "第四条"]
    assert doc.articles[3].text.endswith("依照本条例第三条规定的原则执行。")


def test_a_menu_item_is_no_title() -> None:
    """R32 (繁昌): a consultation page's menu (- 征集公告 / - 起草说明 / - 我要留言) under its heading;
    征集公告 ends like a title but is one item of the menu."""
    doc = parse_policy("- 征集公告\n- 起草说明\n- 我要留言\n为引导和支持制造业数字化转型,现制定如下政策。\n"
                       "一、支持企业数字化改造\n给予补助。\n", "x.txt")
    assert doc.title != "征集公告"


def test_a_field_table_row_is_no_preamble_heading() -> None:
    """Web round 22 (杭州 以旧换新): 索引号: | 002489401/… | 公开方式: | 主动公开 | — the page's fields, not
    the heading its 相关条款 line shows for the preamble."""
    doc = parse_policy("索引号: | 002489401/2024-00913 | 公开方式: | 主动公开 |\n各区、县(市)人民政府:\n"
                       "现将《若干举措》印发给你们。\n一、实施设备更新行动\n到2027年设备投资增长。\n二、实施以旧换新行动\n"
                       "推动汽车以旧换新。\n")
    assert doc.articles[0].kind == "preamble" and not doc.articles[0].title.startswith("索引号")


def test_articles_run_into_lines_without_a_space_are_cut_in_their_run() -> None:
    """R36 (天津 条例): 第一章总 则第一条为了…。第二条本条例所称…, and 第四条 at the start of a sentence in
    the next line — without a space after 条, cut only as the next number of the run; 依照第九条规定
    inside a sentence is no article."""
    doc = parse_policy("天津市促进中小企业发展条例\n第一章总 则第一条为了改善环境,制定本条例。第二条本条例所称中小企业,"
                       "是指依法设立的企业。第三条市政府应当加强领导。\n市政府应当确定重点产业。第四条市中小企业部门负责"
                       "组织实施,依照第九条规定办理。\n")
    assert [a.label for a in doc.articles if a.number] == ["第一条", "第二条", "第三条", "第四条"]


def test_the_first_article_after_the_adoption_note_is_cut() -> None:
    """R37 (浦东 规定, a document-sharing page): …第四十六次会议通过)第一条为了…。第二条本规定… — after
    the bracket closing the adoption note an article starts, as after a sentence; the page's own
    numbers (1、 2、) are not the articles."""
    doc = parse_policy("某区促进创新应用规定\n1、公告 规定已由常委会通过。某区促进创新应用规定(2022年11月23日常委会"
                       "第四十六次会议通过)第一条为了规范创新应用,制定本规定。第二条本规定适用于在某区\n"
                       "2、行政区域内开展的活动。\n第三条创新应用应当坚持包容审慎的原则。\n第四条市人民政府应当建立机制。\n")
    assert [a.label for a in doc.articles if a.number] == ["第一条", "第二条", "第三条", "第四条"]
    assert doc.articles[1].text.startswith("为了规范创新应用")


def test_markup_markers_inside_words_are_no_text(tmp_path) -> None:  # noqa: ANN001
    """R36 (甘肃 条例): 第@@一@@条@@ 为了… — a page's markers inside its words are dropped when it is read."""
    from assistant.ingest.sources import read_source

    page = tmp_path / "page.txt"
    page.write_text("甘肃省促进中小企业发展条例@@\n第@@一@@条@@ 为了优化中小企业经营环境@@,制定本条例@@。\n"
                    "第@@二@@条@@ 本条例适用于本省@@。\n", encoding="utf-8")
    assert "@" not in read_source(page).text


def test_chapter_headings_run_into_a_line_lead_to_their_articles() -> None:
    """R40 (黑龙江 认定办法, a document-sharing page): 附件1…(修订)第一章总则第一条为…。第二条…。
    第二章申报条件及支持范围第三条申请… — a chapter's heading run in after a sentence's end or a
    bracket heads the article after it; the page's own numbers (1、 2、) are not the articles."""
    doc = parse_policy("某省示范应用认定办法\n1、附件1某省示范应用认定办法(修订)第一章总则第一条为规范认定,制定本办法。"
                       "第二条省工信厅负责组织认定工作。第二章申报条件及支持范围第三条申请企业应符合以下条件:(一)依法登记。"
                       "(二)无违\n2、法违规记录。第四条认定范围包括工业企业。第三章评价内容第五条主要从四个维度认定。\n", "x.txt")
    assert [a.label for a in doc.articles if a.number] == ["第一条", "第二条", "第三条", "第四条", "第五条"]
    assert doc.articles[3].text.endswith("法违规记录。")


def test_a_reposted_documents_intro_names_its_title() -> None:
    """Web round 25 (北京经开区's 若干政策 reposted by a news site): no heading, an intro that says the
    document was made and its content follows — the document's name is the title, not the file's."""
    doc = parse_policy("为深入落实《北京市人工智能实施方案(2023—2025年)》,推动人工智能发展,北京经开区围绕七个方面,"
                       "特制定《北京经济技术开发区关于加快打造AI原生产业创新高地的若干政策》。以下是该政策具体内容:\n"
                       "(一)推动算力赋能产业发展\n第一条 强化普惠算力供给。给予最高2000万元支持。\n"
                       "第二条 打造国产算力底座。给予10%的支持。\n", "beijing-jingkai.txt")
    assert doc.title == "北京经济技术开发区关于加快打造AI原生产业创新高地的若干政策"


def test_titles_from_a_pages_title_field_a_promulgation_and_a_repost() -> None:
    """R40: a comment form's field 标题 names the draft (not its first heading, 对标题的意见); a
    promulgation with a comma before 业经…批准 publishes the 条例 (not the province's approval over
    it); a repost's 《…》印发。以下是原文 names the measures."""
    form = parse_policy("法规草案意见征集问卷\n法规名称\n标题 广州市数字经济促进条例 (草案)\n对标题的意见\n"
                        "第一条 为了促进数字经济发展,制定本条例。\n对第一条的意见\n第二条 本条例适用于本市。\n", "x.html")
    assert form.title == "广州市数字经济促进条例(草案)"
    law = parse_policy("广州市第十六届人民代表大会常务委员会公告\n(第1号)\n广州市第十五届人民代表大会常务委员会第六十二次会议"
                       "于2021年12月31日通过的《广州市数字经济促进条例》,业经广东省第十三届人民代表大会常务委员会第四十一次会议"
                       "于2022年3月29日批准,现予公布,自2022年6月1日起施行。\n"
                       "广东省人民代表大会常务委员会关于批准《广州市数字经济促进条例》的决定\n"
                       "第一章 总 则\n第一条 为了促进数字经济发展,制定本条例。\n第二条 本条例适用于本市。\n", "x.docx")
    assert law.title == "广州市数字经济促进条例"
    repost = parse_policy("2月13日,《武汉市支持人工智能OPC创新发展若干措施》印发。以下是原文:\n"
                          "为抢抓人工智能发展机遇,加快打造国家科技创新中心,制定本措施。\n一、强化算力服务支撑。给予最高20万元补助。\n"
                          "二、支持模型应用。给予10万元奖励。\n", "x.txt")
    assert repost.title == "武汉市支持人工智能OPC创新发展若干措施"


def test_a_part_heading_with_text_of_its_own_is_a_unit_before_its_items() -> None:
    """R41 (福建 智能制造 措施): 一、明确目标与主攻方向, a paragraph of targets ending 主攻方向如下:, then
    (一)…(四), and 二、 whose (五) follows it directly — the targets are 一、's, not (一)'s."""
    doc = parse_policy("关于加快发展智能制造的措施\n现就加快发展智能制造提出如下措施:\n一、明确目标与主攻方向\n"
                       "到2020年累计实施“机器换工”10000台(套)以上。主攻方向如下:\n(一)数控一代。推动数字化控制技术应用。\n"
                       "(二)智能装备。突破伺服电机。\n二、推进试点示范\n(三)深化泉州“数控一代”示范。\n", "x.txt")
    assert [a.label for a in doc.articles if a.number] == ["一、", "一、(一)", "一、(二)", "二、(三)"]
    assert doc.articles[1].text.endswith("主攻方向如下:")
