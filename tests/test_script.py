"""Texts in traditional characters (`assistant.lang.script`): a mainland document reposted in
traditional characters, with pinyin annotations left in brackets, is read in simplified ones; a
simplified text is left exactly as it is; a question typed in traditional characters reaches the
documents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.answer.chain import Turn
from assistant.ingest.library import add_document
from assistant.ingest.sources import SUFFIXES, read_source
from assistant.lang.script import TRADITIONAL_SHARE, simplified, table, traditional_share

from .conftest import CORPUS, FIXTURES

R6 = FIXTURES / "real-r6"
TRADITIONAL = {"real-r4": {"cd-ai-measures-draft.html", "cn-humanoid-guideline-2023.txt", "fy-future-factory-2022.docx",
                           "hz-ai-highland-2025.txt", "sz-ai-regs-2022.txt", "zj-firstset-2019.txt",
                           "zj-srdi-opinions-2022.txt"},
               "real-r6": {"r6-changzhou-tiaoli.txt", "r6-changzhou-zqyj.docx", "r6-jiaxing-ai-2024.docx",
                           "r6-miit-znc2025.docx", "r6-most-sz.html", "r6-yinzhou-224x.txt"},
               "real-r7": {"r7-binjiang-gaozhiliang-2025.html", "r7-bj-shuzijingji-zqyj.html",
                           "r7-gd-shuzijingji-tiaoli.txt", "r7-gd-shuzijingji-zqyj.docx", "r7-guowuyuan-ai-plus.docx",
                           "r7-hz-ai-quanchanyelian.html"},
               "real-r8": {"r8-sts-baoxian-yijian-2024.docx", "r8-yuhang-gaozhiliang-2025-zqyj.docx",
                           "r8-zj-sts-2024-gongbu.txt"},
               "real-r9": {"r9-henan-szjj-tiaoli.html", "r9-sjz-szjj-caoan.txt"},
               "real-r10": {"r10-changping-robot-qa.html", "r10-gd-ai-robot-measures-2025.docx",
                            "r10-hohhot-sme-digital-pilot.docx", "r10-miit-sme-digital-2025.html",
                            "r10-miit-sme-digital-jiedu.txt", "r10-sjz-digital-economy-regs.txt"},
               "real-r11": {"r11-zj-wlgc-tdpy-2025.html"},
               "real-r12": {"r12-shanghai-new-infra.docx"},
               "real-r13": {"r13-guangdong-manufacturing-regulation-draft.html", "r13-pinghu-hq-policies-2025.html"},
               "real-r14": {"r14-hz-jiebang-equipment-notice.txt", "r14-kunshan-humanoid-interpretation.txt",
                            "r14-wuhu-smart-factory-measures.docx", "r14-zj-first-set-2021-list.html",
                            "r14-zj-future-factory-2022-notice.txt"},
               "real-r15": {"r15-beijing-autonomous-vehicle-regulation.html", "r15-hangzhou-city-brain-draft.txt",
                            "r15-hangzhou-city-brain-regulation.html", "r15-xihu-ai-measures.docx",
                            "r15-zhejiang-sme-clusters-2025.docx"},
               "real-r16": {"r16-gs-xydai-fa.html", "r16-gz-znwlqc-tl.html", "r16-zj-wlgc-sxfa.txt",
                            "r16-zj-zxwqy-tl.txt"},
               "real-r18": {"r18-jx-county-ai-plus-plan.txt", "r18-miit-new-info-infrastructure-notice.html",
                            "r18-wuxi-digital-transformation-regulation.docx"},
               "real-r19": {"r19-beijing-suanliquan-fangan.html", "r19-chengdu-ai-gaodi-xize-zqyj.docx",
                            "r19-guangzhou-yanglao-jiqiren-shidian.txt", "r19-hangzhou-jingji-zhengce-2026.txt",
                            "r19-jiangsu-rengong-zhineng-jia.docx", "r19-longhua-zhuanjingtexin-cuoshi.txt"},
               "real-r20": {"r20-beijing-data-element-opinions.docx", "r20-hohhot-ai-plus-plan.txt",
                            "r20-shandong-digital-economy-measures.html", "r20-xilingol-data-industry-plan.docx"},
               "real-r21": {"r21-anhui-gyhlw-zhengce.html", "r21-jiangsu-szjj-tiaoli.html"},
               "real-r22": {"r22-bj-aijia-jihua.html", "r22-bj-tyai-cuoshi.docx", "r22-zjtx-shishi-jiedu.html"},
               "real-r23": {"r23-datong-ai-measures-2025.html", "r23-dongguan-robot-plan-2025.docx",
                            "r23-hunan-shoutaotao-catalog-2020.txt", "r23-longhua-ai-guide-jiedu-2022.txt",
                            "r23-sucheng-digital-economy-2022.docx"},
               "real-r24": {"r24-guangzhou-ai-2020.docx", "r24-xiamen-ai-2025.docx", "r24-xinchang-jiedu.txt"},
               "real-r25": {"r25-shandong-ai-kjcx.docx"},
               "real-r27": {"r27-chongqing-robot-plan-news.txt", "r27-zhejiang-machine-tool-plan.docx"},
               "real-r28": {"r28-gz-bigdata-tiaoli.docx", "r28-jl-bigdata-tiaoli.html", "r28-ln-ai-fangan.html"},
               "real-r30": {"r30-jiangxi-szjj.docx", "r30-ningde-kfq.docx"},
               "real-r32": {"r32-fanchang-szhzx.docx", "r32-guangzhou-jqrsb.txt"},
               "real-r33": {"r33-guangzhou-gaoduanzhuangbei-chanyelian.html"},
               "real-r34": {"r34-gd-zzytl.txt", "r34-hz-sbgx.html", "r34-js-gyrj.docx", "r34-miit-gyhlw.txt",
                            "r34-sz-sanshou.html"},
               "real-r35": {"r35-henan-aiplus.html", "r35-hz-2025-zhengce.txt", "r35-hz-znwl-tiaoli.txt"},
               "real-r36": {"chuanganqi_xingdong.txt", "tianjin_zhongxiao_tiaoli.txt", "vr_jiedu.docx"},
               "real-r37": {"r37_firstset_insurance_2015.txt", "r37_yiwu_devzone_jiedu.html"},
               "real-r39": {"r39-miit-nongye-jiqiren.docx"},
               "real-r40": {"r40-miit-ylrobot-han.txt"},
               "real-r41": {"r41-longhua-ruanjian-jiedu.html", "r41-qingdao-jscxsf-ai.txt", "r41-wuhan-zxqy-yaodian.docx"},
               "real-r42": {"r42_anhui_sts_ml2016.txt", "r42_gyly_sbgx.txt", "r42_sh_szzx_cuoshi.docx"},
               "real-r43": {"fj_ai2025.txt", "js_zgsz.txt", "lyg_aigov.txt", "sz_icv.html", "yongchun_zjtx.txt"},
               "real-r44": {"r44_gd_5g_gongchang.html", "r44_huzhou_gnyz.docx"},
               "real-r45": {"fj_xinjijian_xingdongjihua.docx", "sd_szjj_tiaoli.docx", "zhejiang_gongyezhongzhen_jiedu.txt"},
               "real-r46": {"gd-ai-mfg-jiedu.html", "miit-2020-mfg-internet.docx"},
               "real-r47": {"gwy_szjj_14_5.html", "hohhot_szzx_zjxz.docx", "most_xian_syq_han.html"}}


def _sources() -> list[Path]:
    files = [p for p in FIXTURES.rglob("*") if p.suffix.lower() in SUFFIXES and p.name != "sources.tsv"]
    return sorted(files + list(CORPUS.glob("*.txt")))


def test_the_table_maps_single_characters_and_leaves_simplified_ones_alone() -> None:
    t2s = table()
    assert len(t2s) > 4000
    assert all(len(k) == 1 and len(v) == 1 and k != v for k, v in t2s.items())
    assert (t2s["條"], t2s["興"], t2s["質"], t2s["於"], t2s["徵"]) == ("条", "兴", "质", "于", "征")
    assert "么" not in t2s and "瞭" not in t2s  # a simplified character; one the table keeps as written


def test_a_traditional_text_is_converted_and_its_pinyin_removed() -> None:
    read = simplified("嘉興市推動人工智能高質(zhì)量發(fā)展實施方案\n第二條 本市行政區（qū）域內的LPR(MaaS)")
    assert read.text == "嘉兴市推动人工智能高质量发展实施方案\n第二条 本市行政区域内的LPR(MaaS)"
    assert read.converted == 8 and read.pinyin == 3 and read.share >= TRADITIONAL_SHARE
    assert "traditional characters" in read.note and "3 pinyin" in read.note
    assert read.alike("嘉興市(xīng)") == "嘉兴市"


def test_a_simplified_text_is_left_as_it_is() -> None:
    text = "嘉兴市推动人工智能高质量发展实施方案,于2024年印发(2024—2027年)(LPR)。"
    read = simplified(text)
    assert read.text == text and read.note == "" and traditional_share(text) == 0
    # a few traditional characters in a simplified text (a quoted name) do not make it traditional
    mixed = "关于" + "支持人工智能发展的若干措施" * 5 + "(臺灣)"
    assert simplified(mixed).text == mixed


@pytest.mark.parametrize("path", _sources(), ids=lambda p: str(p.relative_to(p.parents[1])))
def test_every_fixture_is_read_as_written_unless_it_is_traditional(path: Path) -> None:
    text = read_source(path)
    expected_traditional = path.name in TRADITIONAL.get(path.parent.name, set())
    assert bool(text.changed) == expected_traditional
    if path.suffix == ".txt" and not expected_traditional:  # byte for byte what the file holds
        raw = path.read_text(encoding="utf-8-sig")
        assert simplified(raw).text == raw


def test_a_traditional_regulation_is_read_with_its_articles_title_and_place(tmp_path: Path) -> None:
    added = add_document(tmp_path, R6 / "r6-changzhou-tiaoli.txt")
    stored = added.text_path.read_text(encoding="utf-8")
    assert "第一条 为了加快发展新质生产力" in stored and "條" not in stored
    assert added.articles == 6 and added.meta.title == "常州市促进智能制造发展条例"
    assert "traditional characters" in (added.meta.text_changed or "")
    assert any("traditional characters" in w for w in added.warnings)
    saved = json.loads((tmp_path / f"{added.doc_id}.meta.json").read_text(encoding="utf-8"))
    assert "traditional characters" in saved["text_changed"]


def test_a_traditional_notice_names_its_place(tmp_path: Path) -> None:
    meta = add_document(tmp_path, R6 / "r6-jiaxing-ai-2024.docx").meta
    assert meta.title == "嘉兴市推动人工智能高质量发展实施方案"
    assert meta.issuer == "嘉兴市人民政府办公室" and "嘉兴市" in meta.jurisdiction
    assert "pinyin" in (meta.text_changed or "")


def test_a_question_in_traditional_characters_is_read_in_simplified_ones(assistant) -> None:  # noqa: ANN001
    routed = assistant.route(Turn("購買機器人的補貼是多少?"))
    assert routed.question == "購買機器人的補貼是多少?"
    assert routed.search == "购买机器人的补贴是多少?"


def test_a_toneless_pinyin_annotation_is_removed_when_it_reads_the_character_before_it() -> None:
    """R20: a page wrote 关(guan) 于(yu) and 企业(ye) without tone marks; a bracket that is not a
    reading of the character before it stays (LPR, MaaS, 关(xyz))."""
    text = "印发《关(guan) 于(yu) 更好发挥数据要素作用的实施意见》,各国有企业(ye) ,贷款市场报价利率(LPR),出行即服务(MaaS),关(xyz)"
    out = simplified(text)
    assert out.text == "印发《关 于 更好发挥数据要素作用的实施意见》,各国有企业 ,贷款市场报价利率(LPR),出行即服务(MaaS),关(xyz)"
    assert "3 pinyin annotations in brackets removed" in out.note
