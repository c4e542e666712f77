"""Document metadata read from the text: `assistant.ingest.metadata.read_metadata`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pydantic import ValidationError

from assistant.ingest.metadata import TextMetadata, parse_date, read_metadata
from assistant.ingest.parsing import parse_policy

from .conftest import CORPUS, FIXTURES

SEED = CORPUS / "hangzhou-intelligent-robots-2024-draft.txt"
LIBRARY = FIXTURES / "library"
STYLES = FIXTURES / "styles"
D = dt.date


def meta_of(path: Path) -> TextMetadata:
    text = path.read_text(encoding="utf-8")
    return read_metadata(text, parse_policy(text, str(path)))


def test_seed_draft() -> None:
    m = meta_of(SEED)
    assert m.status == "征求意见稿"
    assert (m.consultation_start, m.consultation_end) == (D(2024, 4, 8), D(2024, 5, 8))
    assert m.contact == "市经信局高端装备处(汽车产业处)"
    assert m.issuer == m.drafter == "市经信局"
    assert m.title == "杭州市促进智能机器人产业高质量发展的实施意见(征求意见稿)"
    assert m.doc_number is None and m.date is None and m.effective_from is None
    assert m.phone is None and m.email is None and m.basis == ()


def test_hz_robots_final() -> None:
    m = meta_of(LIBRARY / "hz-robots-2025-final.txt")
    assert m.title == "杭州市促进智能机器人产业高质量发展的实施意见"
    assert m.doc_number == "杭政办函〔2025〕17号"
    assert m.issuer == "杭州市人民政府办公厅" and m.date == D(2025, 3, 18)
    assert m.status == "正式"
    assert (m.effective_from, m.effective_until) == (D(2025, 4, 18), D(2027, 12, 31))
    assert m.consultation_start is None and m.consultation_end is None and m.contact is None


def test_qt_measures() -> None:
    m = meta_of(LIBRARY / "qt-robots-2025-measures.txt")
    assert m.title == "杭州市钱塘区促进机器人产业发展若干规定"
    assert m.doc_number == "钱政发〔2025〕8号"  # not the 文号 of the document it cites
    assert m.issuer == "杭州市钱塘区人民政府" and m.date == D(2025, 6, 12)
    assert m.status == "正式"
    assert (m.effective_from, m.effective_until) == (D(2025, 7, 15), D(2028, 7, 14))
    assert m.basis == ("杭州市促进智能机器人产业高质量发展的实施意见",)


def test_hz_embodied_draft() -> None:
    m = meta_of(LIBRARY / "hz-embodied-2025-draft.txt")
    assert m.title == "杭州市具身智能机器人产业三年行动方案(2025—2027年)(征求意见稿)"
    assert m.doc_number is None
    assert m.status == "征求意见稿"
    assert m.issuer == "杭州市经济和信息化局" and m.drafter == "市经信局"
    assert m.date == D(2025, 8, 4)
    assert (m.consultation_start, m.consultation_end) == (D(2025, 8, 4), D(2025, 9, 3))
    assert m.contact == "杭州市经济和信息化局高端装备处" and m.contact_person == "周先生"
    assert m.phone == "0571-85150321" and m.email == "jszn_yj@example.com"
    assert m.effective_from is None  # 自印发之日起: not issued yet
    assert m.effective_until == D(2027, 12, 31)
    assert m.basis == ("杭州市促进智能机器人产业高质量发展的实施意见",)


def test_without_parsed_document_gives_the_same() -> None:
    for path in (SEED, *LIBRARY.glob("*.txt"), *STYLES.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        assert read_metadata(text) == read_metadata(text, parse_policy(text)), path.name


def test_style_fixtures() -> None:
    m = meta_of(STYLES / "headings.txt")
    assert (m.doc_number, m.issuer, m.date, m.status) == (
        "杭政办函【2024】66号", "杭州市人民政府办公厅", D(2024, 12, 20), "正式")
    m = meta_of(STYLES / "announcement.txt")
    assert m.status == "草案" and m.title == "杭州市低空经济促进条例(草案)"
    assert (m.consultation_start, m.consultation_end) == (None, D(2024, 6, 30))
    assert m.contact == "市交通运输局法规处" and m.phone == "(0571)87654321"
    assert m.issuer == "市交通运输局"
    m = meta_of(STYLES / "parts-continuing.txt")
    assert (m.consultation_start, m.consultation_end) == (D(2025, 5, 6), D(2025, 6, 5))
    assert (m.contact_person, m.phone, m.email) == ("李女士", "0571-87001234", "sjys@example.com")
    assert m.issuer == "杭州市数据资源管理局" and m.drafter == "市数据资源局"
    assert m.basis == ("关于构建数据基础制度更好发挥数据要素作用的意见",)
    m = meta_of(STYLES / "arabic-dot.txt")
    assert m.status is None
    assert (m.effective_from, m.effective_until) == (D(2025, 1, 20), D(2028, 1, 19))
    m = meta_of(STYLES / "chapters.txt")
    assert m.basis == ("杭州市促进智能机器人产业高质量发展的实施意见", "杭州市数字经济促进条例")
    assert m.effective_from == D(2025, 3, 1) and m.status is None


@pytest.mark.parametrize("line, number", [
    ("杭政办函〔2024〕66号", "杭政办函〔2024〕66号"),
    ("杭政办函[2024]66号", "杭政办函[2024]66号"),
    ("浙政发(2023)12号", "浙政发(2023)12号"),
    ("杭经信【2024】 5号", "杭经信【2024】5号"),
    ("发文字号:杭政办函〔2024〕66号", "杭政办函〔2024〕66号"),
    ("钱政发〔2025〕8号      签发人:张三", "钱政发〔2025〕8号"),
])
def test_doc_number_variants(line: str, number: str) -> None:
    text = f"{line}\n关于印发某某措施的通知\n一、支持研发。\n二、支持应用。"
    m = read_metadata(text)
    assert m.doc_number == number and m.status == "正式"


def test_status_rules() -> None:
    body = "\n一、支持研发。给予补助。\n二、支持应用。给予奖励。"
    assert read_metadata("某某措施(征求意见稿)" + body).status == "征求意见稿"
    assert read_metadata("杭州市某某条例(草案)" + body).status == "草案"
    assert read_metadata("某某措施" + body + "\n本措施自2026年1月1日起废止。").status is None
    assert read_metadata("某某措施(已废止)" + body).status == "废止"
    assert read_metadata("某某措施" + body + "\n本措施已于2024年1月1日废止。").status == "废止"
    assert read_metadata("某某措施\n有效性:失效" + body).status == "废止"
    # Another document being repealed does not repeal this one.
    final = "杭政发〔2024〕1号\n某某措施" + body + "\n原《某某旧措施》同时废止。"
    assert read_metadata(final).status == "正式"
    assert read_metadata("某某措施" + body).status is None
    notice = "各区人民政府:\n现将《某某措施》印发给你们,请认真贯彻执行。\n某某措施" + body
    assert read_metadata(notice).status == "正式"


def test_dates_and_periods() -> None:
    assert parse_date("2024年12月20日") == D(2024, 12, 20)
    assert parse_date("二〇二四年十二月二十日") == D(2024, 12, 20)
    assert parse_date("2024-12-20") == D(2024, 12, 20) == parse_date("2024/12/20")
    assert parse_date("5月8日", 2024) == D(2024, 5, 8)
    assert parse_date("2024年2月30日") is None and parse_date("5月8日") is None
    text = ("关于公开征求《某某办法(征求意见稿)》意见的公告\n公开征求意见时间为2024年4月8日至5月8日。"
            "\n某某办法(征求意见稿)\n第一条 支持研发。\n第二条 支持应用。")
    m = read_metadata(text)
    assert (m.consultation_start, m.consultation_end) == (D(2024, 4, 8), D(2024, 5, 8))
    m = read_metadata("某某局\n二〇二四年十二月二十日\n杭政发〔2024〕1号\n一、支持。\n二、支持。"
                      "\n本措施自印发之日起施行,有效期2年。")
    assert (m.issuer, m.date, m.status) == ("某某局", D(2024, 12, 20), "正式")
    assert (m.effective_from, m.effective_until) == (D(2024, 12, 20), D(2026, 12, 19))


def test_text_without_anything_stated() -> None:
    m = read_metadata((FIXTURES / "nostructure.txt").read_text(encoding="utf-8"))
    assert m == TextMetadata()
    assert read_metadata("") == TextMetadata()


def test_model_is_frozen_typed_and_maps_to_the_meta_file() -> None:
    m = meta_of(LIBRARY / "hz-embodied-2025-draft.txt")
    with pytest.raises(ValidationError):
        m.status = "正式"  # type: ignore[misc]
    with pytest.raises(ValidationError):
        TextMetadata(status="生效")  # type: ignore[arg-type]
    d = m.to_meta_dict()
    assert d["consultation"] == {"start": "2025-08-04", "end": "2025-09-03"}
    assert d["date"] == "2025-08-04" and d["status"] == "征求意见稿"
    assert d["basis"] == ["杭州市促进智能机器人产业高质量发展的实施意见"]
    assert "contact_person" not in d and "doc_number" not in d
    assert TextMetadata.model_validate_json(m.model_dump_json()) == m


def test_final_text_mentioning_its_draft_is_final() -> None:
    text = ("杭政办函〔2025〕17号\n各区人民政府:\n《某某措施》已经市政府同意,现印发给你们,请认真组织实施。"
            "\n某某措施\n在征求意见稿基础上修改完善,形成本措施。\n一、支持研发。\n二、支持应用。")
    assert read_metadata(text).status == "正式"
    assert read_metadata("某某措施\n本稿为征求意见稿。\n一、支持研发。\n二、支持应用。").status == "征求意见稿"


def test_issuer_named_by_the_issuing_notice_title_line() -> None:
    """A reposted notice with no 落款: the issuer is the one its own title line names
    (`某区人民政府关于<政策>的通知` above the policy's title), not nobody; a sentence holding the
    title (为深入贯彻落实…关于<政策>…) names no issuer."""
    text = ("某县人民政府关于进一步推动经济发展若干政策的通知\n各乡镇人民政府,县政府各部门:\n"
            "《关于进一步推动经济发展若干政策》已经县政府常务会议审议通过,现印发给你们。\n"
            "关于进一步推动经济发展若干政策\n为促进经济发展,制定本政策。\n一、支持企业。给予奖励。")
    meta = read_metadata(text)
    assert meta.title == "关于进一步推动经济发展若干政策"
    assert meta.issuer == "某县人民政府"
    sentence = ("关于进一步推动经济发展若干政策\n为深入贯彻落实省政府关于进一步推动经济发展若干政策,制定本政策。\n"
                "一、支持企业。给予奖励。")
    assert read_metadata(sentence).issuer is None


def test_issuer_from_the_organisation_given_to_contact() -> None:
    """A draft put up for comment with no 落款 and no issuer in its title: the department it names
    to contact (`联系电话:某区财政局 0571-…`) wrote it; a person to contact is no issuer."""
    text = ("关于推动经济发展的若干政策(征求意见稿)\n现予以公示,如有异议请提出意见和建议。\n"
            "联系人:王某\n联系电话:某区财政局 0571-89516150\n一、支持企业。给予奖励。")
    meta = read_metadata(text)
    assert meta.issuer == "某区财政局" and meta.contact_person == "王某"
    assert read_metadata(text.replace("某区财政局 ", "")).issuer is None


def test_a_forwarded_notice_is_issued_by_the_body_returns_go_to() -> None:
    """A district's page passing on a provincial notice (`现将《…》转发给你们`) with no 落款: the
    forwarder is the body the returns go to (`汇总表发送至某区经信局`), so the notice is that
    district's, not the province's; without the forwarding sentence nothing changes."""
    text = ("省经信厅关于做好2023年某省首台(套)申报工作的通知\n各相关企业:\n"
            "现将《2023年某省首台(套)申报工作的通知》转发给你们,请符合条件的企业积极申报。\n"
            "一、申报方式\n企业完成系统申报后,应将申报汇总表发送至某区经信局。")
    assert read_metadata(text).issuer == "某区经信局"
    assert read_metadata(text.replace("转发给你们", "印发给你们")).issuer == "省经信厅"


def test_a_regulation_adopted_by_the_congress_is_in_force() -> None:
    """A reposted 条例 with no notice around it says only that the congress adopted it
    ((…人民代表大会常务委员会第四十四次会议通过)): it is the final text, not one of unknown status."""
    text = ("某市促进产业发展条例\n(2022年9月22日某市第十五届人民代表大会常务委员会第四十四次会议通过)\n"
            "第一章 总则\n第一条 为了促进产业发展,制定本条例。\n第二条 本条例适用于本市。")
    assert read_metadata(text).status == "正式"
    assert read_metadata(text.replace("会议通过", "会议审议")).status is None


def test_a_consultation_heading_takes_the_dates_on_the_line_under_it() -> None:
    """一、征求意见时间 / 2025年7月4日至2025年8月2日。: the dates of the heading's item."""
    meta = read_metadata("关于公开征求《合肥市关于促进专精特新中小企业高质量发展的决定(征求意见稿)》意见的公告\n"
                         "现面向社会公开征求意见。\n一、征求意见时间\n2025年7月4日至2025年8月2日。\n二、参与方式\n"
                         "联系电话:0551-63537876。\n")
    assert (meta.consultation_start, meta.consultation_end) == (dt.date(2025, 7, 4), dt.date(2025, 8, 2))


def test_the_basis_of_the_making_sentence_comes_first_and_a_full_repeal_is_read() -> None:
    from assistant.ingest.metadata import read_metadata  # noqa: PLC0415

    text = ("浙江省经济和信息化委员会关于印发《浙江省优秀工业新产品、新技术评定办法》的通知【全文废止】\n"
            "提示:根据《关于公布行政规范性文件清理结果的通知》规定,继续有效。\n"
            "第一条 为鼓励企业开发新产品,根据省政府《\n关于加快工业转型升级的实施意见》(浙政发〔2008〕80号\n),"
            "按照《浙江省省级工业新产品项目管理办法》的要求,结合本省实际,制定本办法。\n第二条 由省经信委负责组织实施。")
    meta = read_metadata(text)
    assert meta.basis[:2] == ("关于加快工业转型升级的实施意见", "浙江省省级工业新产品项目管理办法")
    assert meta.status == "废止"


def test_a_regulation_adopted_by_its_congress_is_dated_by_that_line() -> None:
    """R26 (陕西): (2022 年 9 月 29 日陕西省第十三届人民代表大会 常务委员会第三十六次会议通过) — spaces
    inside: adopted (正式), dated 2022-09-29."""
    meta = read_metadata("陕西省大数据条例\n陕西省大数据条例 (2022 年 9 月 29 日陕西省第十三届人民代表大会 常务委员会第三十六次"
                         "会议通过) 目 录\n第一章 总 则\n第一条 为了加强数据资源管理,制定本条例。\n")
    assert (str(meta.date), meta.status) == ("2022-09-29", "正式")


def test_a_heading_with_its_document_number_on_the_same_line() -> None:
    """R28 (七台河): a page's search box (本站检索) above `…的实施意见 七政发〔2021〕5号`: the heading is
    the title, the number after it the 文号."""
    text = ("本站检索\n    首页 > 政务发布 > 政府文件发布 > 市政府文件\n\n"
            "七台河市人民政府关于促进新一代人工智能发展的实施意见 七政发〔2021〕5号\n\n 各县区人民政府,市政府各直属单位:\n\n"
            "为深入贯彻落实习近平总书记关于发展人工智能的重要指示和讲话精神,制定本实施意见。\n\n一、总体要求\n\n"
            "(一)指导思想。以保障科技安全、发展智能经济、建设智能社会为总体目标。\n")
    doc = parse_policy(text, "qth")
    meta = read_metadata(text, doc)
    assert doc.title == "七台河市人民政府关于促进新一代人工智能发展的实施意见"
    assert meta.doc_number == "七政发〔2021〕5号"


def test_joint_issuers_signed_over_two_lines_are_all_the_issuer() -> None:
    """Web round 16 (深圳): 深圳市工业和信息化局 深圳市科技创新局 / 深圳市财政局 / 2024年3月20日 — three
    issuers, not the last line's alone."""
    meta = read_metadata("深圳市关于推动高端装备产业集群高质量发展的若干措施\n深工信规〔2024〕4号\n各有关单位:\n"
                         "《深圳市关于推动高端装备产业集群高质量发展的若干措施》已经市政府同意。现印发给你们,请认真组织实施。\n"
                         "深圳市工业和信息化局 深圳市科技创新局\n深圳市财政局\n2024年3月20日\n")
    assert meta.issuer == "深圳市工业和信息化局 深圳市科技创新局 深圳市财政局"
    assert str(meta.date) == "2024-03-20"


def test_joint_issuers_signed_one_per_line_and_a_name_broken_over_two_lines() -> None:
    """R37 (广东 管理办法): three issuers, one per line above the date — all of them; 重庆's
    中共重庆市委网络安全和信息化 / 委员会办公室 is one name broken over two lines."""
    meta = read_metadata("某办法\n粤工信规字〔2022〕4号\n各有关单位:\n现将《某办法》印发给你们,请认真贯彻执行。\n"
                         "广东省工业和信息化厅\n广东省公安厅\n广东省交通运输厅\n2022年11月28日\n")
    assert meta.issuer == "广东省工业和信息化厅 广东省公安厅 广东省交通运输厅"
    meta = read_metadata("某计划\n各有关单位:\n现将《某计划》印发给你们,请认真贯彻执行。\n"
                         "重庆市经济和信息化委员会 中共重庆市委网络安全和信息化\n委员会办公室\n"
                         "重庆市发展和改革委员会 重庆市教育委员会\n2023年7月24日\n")
    assert meta.issuer == ("重庆市经济和信息化委员会 中共重庆市委网络安全和信息化委员会办公室 "
                           "重庆市发展和改革委员会 重庆市教育委员会")


def test_a_field_label_is_no_title_and_a_source_department_is_the_issuer() -> None:
    """Web round 16 (丽水): a policy summary page — 扶持标准 is a field label over the standard, not the
    title; 来源: 丽水市经济和信息化局 names the department."""
    path = FIXTURES / "real-r27" / "r27-lishui-robot-purchase-award.txt"
    meta = read_metadata(path.read_text(encoding="utf-8"))
    assert meta.issuer == "丽水市经济和信息化局"
    assert "扶持标准" != parse_policy(path.read_text(encoding="utf-8"), "ls").title


def test_page_labels_above_a_repost_headline_are_no_title(tmp_path: Path) -> None:
    """R28 (江西): 转自江西省教育厅:… / 创建时间:2026-01-19 / 江西省“人工智能+”行动方案发布 — the
    headline is the title, not the file name."""
    import shutil  # noqa: PLC0415

    from assistant.ingest.library import add_document  # noqa: PLC0415

    shutil.copytree(CORPUS, tmp_path / "corpus")
    added = add_document(tmp_path / "corpus", FIXTURES / "real-r28" / "r28-jx-aiplus-fabuhui.txt")
    assert added.meta.title == "江西省“人工智能+”行动方案发布"
    added = add_document(tmp_path / "corpus", FIXTURES / "real-r28" / "r28-jl-bigdata-tiaoli.html")
    assert added.meta.title == "吉林省大数据条例"  # not 条例全文 (a tab's label) joined to it


def test_an_untitled_regulation_of_this_city_takes_its_sources_place(tmp_path: Path) -> None:
    """R30 (湖州): (来源:湖州日报) / 转自:湖州日报 / 目录 … 第一条【立法目的】 为了推进智能网联车辆产业发展,
    …结合本市实际,制定本条例 — titled from its purpose clause (推进 too) with the place of its source,
    the source's bracket no part of it; its questions (湖州智能网联车辆条例…) then find it."""
    import shutil  # noqa: PLC0415

    from assistant.ingest.library import add_document  # noqa: PLC0415

    shutil.copytree(CORPUS, tmp_path / "corpus")
    added = add_document(tmp_path / "corpus", FIXTURES / "real-r30" / "r30-huzhou-icv.txt")
    assert added.meta.title == "湖州市推进智能网联车辆产业发展条例"


@pytest.mark.parametrize(("fixture", "title"), [
    ("real-r30/r30-ningbo-ctzz.txt", "宁波市全面改造提升传统制造业实施方案(2017-2020年)"),
    ("real-r32/r32-zhuhai-jqrgg.txt",
     "关于转发《广东省工业和信息化厅关于遴选广东省机器人骨干(培育)企业(第五批)的通知》的通知"),
    ("real-r32/r32-shenzhen-zjtx.html", "关于做好2021年省级专精特新中小企业遴选推荐工作的通知"),
    ("real-r32/r32-guangxi-xdai.html", "关于贯彻落实新一代人工智能发展规划的实施意见"),
    ("real-r32/r32-fanchang-szhzx.docx", "关于支持以数字化转型推动制造业高端化智能化绿色化发展若干政策(征求意见稿)"),
    ("real-r33/r33-meishan-xinyidai-ai-fangan.txt", "眉山市新一代人工智能发展实施方案"),
])
def test_an_untitled_notice_is_titled_by_what_its_opening_issues_forwards_or_does(
        tmp_path: Path, fixture: str, title: str) -> None:
    """Web round 18 and R32: 《…》…现印发给你们 (宁波, one line); 现将《…》转发给你们 (珠海); 为做好…工作,现就有关
    事项通知如下 under a <title> that is only the site's owner (深圳市工业和信息化局); 为贯彻落实《国务院关于
    印发…规划的通知》…提出以下实施意见 under <h1>新闻详情</h1> (广西); a docx heading 【…】繁昌区经信局:《…》
    (征求意见稿) over a menu (- 征集公告); R33 (眉山): 为全面贯彻落实《…四川省新一代人工智能发展实施方案的通知》…
    结合眉山实际,制定本实施方案 — the place's own version of the higher 实施方案."""
    import shutil  # noqa: PLC0415

    from assistant.ingest.library import add_document  # noqa: PLC0415

    shutil.copytree(CORPUS, tmp_path / "corpus")
    assert add_document(tmp_path / "corpus", FIXTURES / fixture).meta.title == title


def test_a_signature_run_into_a_line_an_attachment_above_it_and_a_bracketed_number_are_read() -> None:
    """Web round 18 (宁波): …认真贯彻实施。 宁波市人民政府 2017年10月31日 宁波市… in one line; R32 (珠海):
    2.…申报书 / 珠海市工业和信息化局 — the attachment's line is no half of the issuer; R32 (广西):
    (桂政发〔2018〕24号) under the heading."""
    one_line = read_metadata("各区县(市)人民政府: 《宁波市实施方案》已经审议通过,现印发给你们,请认真贯彻实施。 "
                             "宁波市人民政府 2017年10月31日 宁波市实施方案 一、总体要求 加快发展。")
    assert (one_line.issuer, str(one_line.date)) == ("宁波市人民政府", "2017-10-31")
    signed = read_metadata("各区:\n现将通知转发给你们。\n附件:1.广东省通知\n2.广东省机器人骨干企业申报书\n"
                           "珠海市工业和信息化局\n2020年4月23日\n")
    assert signed.issuer == "珠海市工业和信息化局"
    assert read_metadata("新闻详情\n(桂政发〔2018〕24号)\n各市人民政府:\n一、总体要求\n").doc_number == "桂政发〔2018〕24号"


def test_a_document_number_in_a_page_field_table_above_the_title() -> None:
    """R34 (临海): | 文号: | 临政发〔2025〕21号 | 成文日期: | … | — a page's table row above the title line."""
    meta = read_metadata("| 索引号: | LH331082-001/2025-141240 | 公开方式: | 主动公开 |\n"
                         "| 文号: | 临政发〔2025〕21号 | 成文日期: | 2025-12-15 |\n"
                         "| 临海市人民政府关于推进智造强市建设的若干意见 |\n"
                         "各镇人民政府:\n一、加快打造现代化产业体系\n对投资项目给予补助。\n二、强化企业培育\n给予奖励。\n")
    assert (meta.doc_number, meta.status) == ("临政发〔2025〕21号", "正式")
