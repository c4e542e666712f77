"""Real public documents as found (tests/fixtures/real, addresses in sources.tsv): every one is
accepted by `add`, with the title, 文号, status and date its text (or file) states, the reasons
recorded, and the questions that name a document, its place or its shape routed to it."""

from __future__ import annotations

import csv
import json
import shutil
import sys
from pathlib import Path

import pytest

from assistant.answer.chain import Assistant
from assistant.config import load_settings
from assistant.errors import PolicyAssistantError
from assistant.ingest.library import add_document
from assistant.ingest.parsing import parse_policy
from assistant.ingest.structure import chapters

from .conftest import CORPUS, FIXTURES, ROOT, FakeEmbeddings

REAL = FIXTURES / "real"

# stem: (title, 文号, status, date) — what the stored text itself states (sources.tsv has more).
EXPECTED = {
    "hz-humanoid-measures-2024.docx": ("杭州市促进人形机器人产业创新发展的若干政策措施", "杭政办函〔2024〕66号", "正式", "2024-12-20"),
    "hz-embodied-chain-draft-2025.txt": ("杭州市具身智能机器人“强链补链”三年行动方案(2025-2027年)(征求意见稿)", None, "征求意见稿", None),
    "hz-robot-opinion-draft-2024.html": ("杭州市促进智能机器人产业高质量发展的实施意见(征求意见稿)", None, "征求意见稿", None),
    "hz-embodied-regs-draft-2025.txt": ("促进具身智能机器人产业高质量发展条例(修改稿)", None, "草案", None),
    "zj-humanoid-plan-2024.html": ("浙江省人形机器人产业创新发展实施方案(2024—2027年)", None, "正式", "2024-09-02"),
    "yh-ai-plan-2025.html": ("余杭区加快建设人工智能创新高地核心承载地实施方案(2025年版)", None, "正式", "2025-10-17"),
    # The text states no title: what it does, from its preamble (…关于发展新一代人工智能重大决策部署…特制定以下意见).
    "bj-ai-opinions-2025.txt": ("关于发展新一代人工智能的意见", None, "正式", "2025-05-09"),
    "hz-ai-measures-2025.docx": ("杭州市加快建设人工智能创新高地的若干政策举措", None, "正式", "2025-06-13"),
    "zj-ai-guideline-2023.txt": ("浙江省人民政府办公厅关于加快人工智能产业发展的指导意见", "浙政办发〔2023〕65号", "正式", None),
    "cn-firstset-insurance-2025.html": (
        "工业和信息化部办公厅财政部办公厅金融监管总局办公厅关于组织实施2025年首台(套)重大技术装备保险补偿政策的通知",
        "工信厅联合重装〔2025〕46号", "正式", "2025-09-10"),
    "zj-firstset-award-2024.txt": ("2024年度浙江省制造业首台(套)装备应用奖励申报通知", None, "正式", None),
}

REAL_R2 = FIXTURES / "real-r2"
EXPECTED_R2 = {
    # the TOC's 第七章 激励和保障措施 is no title; the 公告's number (its issuer on the line above) is its 文号
    "zj-digital-economy-regs-2020.txt": ("浙江省数字经济促进条例", "浙江省第十三届人民代表大会常务委员会公告第44号",
                                         "正式", "2020-12-24"),
    "zj-ai-plus-draft-2024.docx": ("浙江省“人工智能+”行动计划(2024—2027年)(征求意见稿)", None, "征求意见稿", "2024-10-08"),
    "hz-ai-zone-draft-2019.html": ("杭州国家新一代人工智能创新发展试验区建设行动方案(征求意见稿)", None, "征求意见稿",
                                   "2019-11-20"),
    # a title broken over two lines (…产业发展高地 / 实施方案(2025 年版) / (征求意见稿))
    "hz-ai-highland-draft-2025.txt": ("杭州市建设人工智能产业发展高地实施方案(2025年版)(征求意见稿)", None, "征求意见稿", None),
    # issuers printed over the title: an issued document
    "hz-future-factory-2021.html": ("关于加快建设“未来工厂”的若干意见", None, "正式", None),
    # a page's metadata table (发文字号: | …, 成文日期: | …) and the notice heading carrying the 文号
    "zj-robotplus-2017.txt": ("浙江省人民政府关于印发浙江省“机器人+”行动计划的通知", "浙政发〔2017〕26号", "正式", "2017-07-06"),
}


def _corpus(dest: Path) -> Path:
    corpus = dest / "corpus"
    shutil.copytree(CORPUS, corpus)
    for name in EXPECTED:
        add_document(corpus, REAL / name)
    return corpus


def test_every_real_document_is_accepted_with_what_it_states(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    got = {}
    for name in EXPECTED:
        meta = add_document(corpus, REAL / name).meta
        got[name] = (meta.title, meta.doc_number, meta.status,
                     meta.date.isoformat() if meta.date else None)
        assert set(meta.found_by) >= {"title", "status"}, (name, meta.found_by)
    assert got == EXPECTED
    assert sorted(p.name for p in REAL.iterdir() if p.suffix != ".tsv" and p.name != "README.md") \
        == sorted(EXPECTED)


def test_every_second_round_document_is_listed_with_what_it_states(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    got, found_by, issuers = {}, {}, {}
    for name in EXPECTED_R2:
        meta = add_document(corpus, REAL_R2 / name).meta
        got[name] = (meta.title, meta.doc_number, meta.status,
                     meta.date.isoformat() if meta.date else None)
        found_by[name] = meta.found_by
        issuers[name] = meta.issuer
    assert got == EXPECTED_R2
    assert sorted(p.name for p in REAL_R2.iterdir() if p.suffix != ".tsv") == sorted(EXPECTED_R2)
    assert found_by["zj-digital-economy-regs-2020.txt"]["doc_number"] == "公告 number line of the text"
    assert found_by["hz-future-factory-2021.html"]["status"] == "issuers named over the title (an issued document)"
    assert issuers["hz-future-factory-2021.html"] == "中共杭州市委 杭州市人民政府"
    assert issuers["hz-ai-highland-draft-2025.txt"] == "市发改委"  # 市发改委同有关部门研究起草了《…》
    assert found_by["zj-robotplus-2017.txt"]["date"] == "date under the 落款"  # (。 浙江省人民政府 2017年7月6日 in its line)


def test_a_text_without_a_title_is_named_by_what_it_does_and_where_it_comes_from(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    meta = add_document(corpus, REAL / "bj-ai-opinions-2025.txt").meta
    assert meta.found_by["title"].startswith("not stated in the text: what it does")
    assert meta.issuer == "杭州高新区(滨江)"
    assert meta.found_by["issuer"] == "the page's 来源 (the issuer's own site)"
    assert meta.jurisdiction[:3] == ["滨江区", "杭州", "杭州市"]


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    root = tmp_path_factory.mktemp("real")
    settings = load_settings().with_(corpus_dir=_corpus(root), index_dir=root / "index")
    return Assistant(settings, embeddings=FakeEmbeddings())


def _first(answer) -> tuple[str, str]:
    assert answer.found, answer.answer
    c = answer.citations[0]
    return c.doc_id, c.article_label


def test_units_follow_one_rule(real: Assistant) -> None:
    labels = {d.doc_id: [a.ref for a in d.articles if a.kind == "article" and a.number]
              for d in real.corpus.documents}
    assert labels["hz-ai-measures-2025"] == ["一、(一)", "一、(二)"]  # a heading over its items
    assert labels["hz-humanoid-measures-2024"] == ["一、", "二、"]  # a heading over a paragraph
    assert labels["yh-ai-plan-2025"] == ["一、", "二、(一)"]
    assert labels["hz-embodied-regs-draft-2025"] == [f"第{n}条" for n in "一二三四五六"]
    # a heading, its one lead sentence, then its first item — the page cut inside it: that item
    assert labels["hz-embodied-chain-draft-2025"] == ["一、(一)"]


def test_chapters_come_from_the_toc_of_a_cut_regulation(real: Assistant) -> None:
    regs = real.corpus.document("hz-embodied-regs-draft-2025")
    assert chapters(regs) == ["第一章 总则", "第二章 技术创新", "第三章 基础设施", "第四章 产业发展",
                              "第五章 应用赋能", "第六章 安全管理", "第七章 附则"]
    answer = real.ask("具身智能机器人条例修改稿一共有几章?")
    assert _first(answer) == ("hz-embodied-regs-draft-2025", "公告与前言") and "共7章" in answer.answer


def test_named_documents_and_their_articles(real: Assistant) -> None:
    assert _first(real.ask("66号文第二条讲的是什么?")) == ("hz-humanoid-measures-2024", "二、")
    assert _first(real.ask("条例草案修改稿第三条怎么规定的?")) == ("hz-embodied-regs-draft-2025", "第三条")
    assert _first(real.ask("条例里具身智能机器人是指什么?")) == ("hz-embodied-regs-draft-2025", "第三条")
    addressee = real.ask("人形机器人若干政策措施的主送单位有哪些?")
    assert _first(addressee) == ("hz-humanoid-measures-2024", "公告与前言")
    assert "各区、县(市)人民政府" in addressee.answer


def test_the_place_a_question_names(real: Assistant) -> None:
    assert _first(real.ask("余杭区人工智能核心产业营业收入的目标是多少?")) == ("yh-ai-plan-2025", "一、")


def test_a_comparison_names_two_documents_and_cites_both(real: Assistant) -> None:
    answer = real.ask("浙江省指导意见和杭州若干政策举措在算力上有什么不同?")
    assert [c.doc_id for c in answer.citations[:2]] == ["zj-ai-guideline-2023", "hz-ai-measures-2025"]
    assert "**对比:《杭州市加快建设人工智能创新高地的若干政策举措》一、(一)" in answer.answer


def test_figures_stated_in_one_document_are_not_answered_with_another_s_no_amount(real: Assistant) -> None:
    answer = real.ask("承担竞争类市重点科研项目的企业,补助比例和上限是多少?")
    assert _first(answer) == ("hz-ai-measures-2025", "一、(二)")
    assert "没有规定具体金额" not in answer.answer and "最高补助300万元" in answer.answer


def test_money_asked_for_a_thing_the_best_article_states_is_answered(real: Assistant) -> None:
    # A real document has no rule file: the article that states the figures answers.
    answer = real.ask("采购智能算力服务的用户企业,算力券补贴比例是多少?")
    assert _first(answer) == ("hz-ai-measures-2025", "一、(一)")
    assert "30%" in answer.answer


@pytest.fixture(scope="module")
def real_r2(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    root = tmp_path_factory.mktemp("real-r2")
    corpus = root / "corpus"
    shutil.copytree(CORPUS, corpus)
    for name in EXPECTED_R2:
        add_document(corpus, REAL_R2 / name)
    settings = load_settings().with_(corpus_dir=corpus, index_dir=root / "index")
    return Assistant(settings, embeddings=FakeEmbeddings())


def test_a_short_name_abbreviating_a_title_names_its_document(real_r2: Assistant) -> None:
    # 高地方案 for …产业发展高地实施方案; the 征求意见稿 after it is part of the name, not a question
    # about the consultation; the sentence with the figure asked is quoted
    answer = real_r2.ask("高地方案征求意见稿提出具有行业重大影响力的行业应用大模型要达到多少个?")
    assert _first(answer) == ("hz-ai-highland-draft-2025", "公告与前言")
    assert "行业应用大模型 25 个以上" in answer.citations[0].quote and "公开征求意见时间" not in answer.answer
    answer = real_r2.ask("杭州人工智能试验区行动方案(征求意见稿)提出到2023年形成多少项标志性重大科技成果?")
    assert _first(answer) == ("hz-ai-zone-draft-2019", "二、") and "10项以上" in answer.citations[0].quote


def test_the_document_a_notice_issues_and_an_alias_drafts_share(real_r2: Assistant) -> None:
    # the notice 浙江省人民政府关于印发浙江省“机器人+”行动计划的通知 is named by the plan it issues
    assert _first(real_r2.ask("浙江“机器人+”行动计划的指导思想提出以什么为导向、以什么为引领?"))[0] == "zj-robotplus-2017"
    # the seed's alias 征求意见稿 is shared by every draft: the title named decides
    answer = real_r2.ask("对浙江“人工智能+”行动计划征求意见稿提意见,截止日期是哪天?")
    assert _first(answer) == ("zj-ai-plus-draft-2024", "公告与前言") and "2024年10月17日" in answer.answer


def test_a_chapter_is_answered_from_the_document_or_said_to_be_missing(real_r2: Assistant) -> None:
    answer = real_r2.ask("浙江数字经济促进条例第七章是什么?")
    assert _first(answer) == ("zj-digital-economy-regs-2020", "公告与前言")
    assert "第七章 激励和保障措施" in answer.answer
    answer = real_r2.ask("浙江省数字经济促进条例第八章规定了哪些法律责任?")
    assert not answer.found and "第八章 法律责任的条文" in answer.answer
    assert answer.related[0].doc_id == "zj-digital-economy-regs-2020"


def test_what_a_named_document_cannot_state_is_not_answered(real_r2: Assistant) -> None:
    final = real_r2.ask("浙江省“人工智能+”行动计划正式印发的文号是什么?")
    assert not final.found and "正式印发版本" in final.answer
    year = real_r2.ask("浙江省“机器人+”行动计划提出到2020年全省在役工业机器人要达到多少台?")
    assert not year.found and "未提及2020年" in year.answer
    masked = real_r2.ask("杭州人工智能产业发展高地方案征求意见稿提出2025年全市智算规模要超过多少EFLOPS?")
    assert not masked.found and "原文以“**”代替" in masked.answer
    # 链主工厂 is named beside a target, not in any sentence that gives money
    money = real_r2.ask("杭州对新认定的“链主工厂”奖励多少钱?")
    assert not money.found and "链主" in money.answer


def test_a_comparison_cites_both_documents_in_the_order_named(real_r2: Assistant) -> None:
    answer = real_r2.ask("浙江省“机器人+”行动计划和浙江省数字经济促进条例,哪个先出台?")
    assert [c.doc_id for c in answer.citations[:2]] == ["zj-robotplus-2017", "zj-digital-economy-regs-2020"]


def test_a_district_without_a_document_of_its_own_as_the_payer_is_another_place(real: Assistant) -> None:
    # 萧山区对…补贴: the district's own subsidy; the library holds none of 萧山's documents
    assert not real.ask("萧山区对机器人企业有什么补贴?").found


def test_the_documents_a_text_was_made_under_come_from_its_announcement(real: Assistant) -> None:
    answer = real.ask("2025年首台(套)保险补偿政策通知是根据哪两份文件组织实施的?")
    assert _first(answer) == ("cn-firstset-insurance-2025", "公告与前言")
    assert "制定依据:《关于进一步完善首台(套)重大技术装备首批次新材料保险补偿政策的意见》" in answer.answer


REAL_R3 = FIXTURES / "real-r3"
REAL_R4 = FIXTURES / "real-r4"
REAL_R5 = FIXTURES / "real-r5"
REAL_R6 = FIXTURES / "real-r6"
REAL_R7 = FIXTURES / "real-r7"
REAL_R8 = FIXTURES / "real-r8"
REAL_R9 = FIXTURES / "real-r9"
REAL_R10 = FIXTURES / "real-r10"
REAL_R11 = FIXTURES / "real-r11"
REAL_R12 = FIXTURES / "real-r12"
REAL_R13 = FIXTURES / "real-r13"
REAL_R14 = FIXTURES / "real-r14"
REAL_R15 = FIXTURES / "real-r15"
REAL_R16 = FIXTURES / "real-r16"
REAL_R17 = FIXTURES / "real-r17"
REAL_R18 = FIXTURES / "real-r18"
REAL_R19 = FIXTURES / "real-r19"
REAL_R20 = FIXTURES / "real-r20"
REAL_R21 = FIXTURES / "real-r21"
REAL_R22 = FIXTURES / "real-r22"
REAL_R23 = FIXTURES / "real-r23"
REAL_R24 = FIXTURES / "real-r24"
REAL_R25 = FIXTURES / "real-r25"
REAL_R26 = FIXTURES / "real-r26"
REAL_R27 = FIXTURES / "real-r27"
REAL_R28 = FIXTURES / "real-r28"
REAL_R29 = FIXTURES / "real-r29"
REAL_R30 = FIXTURES / "real-r30"
REAL_R31 = FIXTURES / "real-r31"
REAL_R32 = FIXTURES / "real-r32"
REAL_R33 = FIXTURES / "real-r33"
REAL_R34 = FIXTURES / "real-r34"
REAL_R35 = FIXTURES / "real-r35"
REAL_R36 = FIXTURES / "real-r36"
REAL_R37 = FIXTURES / "real-r37"
REAL_R38 = FIXTURES / "real-r38"
REAL_R39 = FIXTURES / "real-r39"
REAL_R40 = FIXTURES / "real-r40"
REAL_R41 = FIXTURES / "real-r41"
REAL_R42 = FIXTURES / "real-r42"
REAL_R43 = FIXTURES / "real-r43"
REAL_R44 = FIXTURES / "real-r44"
REAL_R45 = FIXTURES / "real-r45"
REAL_R46 = FIXTURES / "real-r46"
REAL_R47 = FIXTURES / "real-r47"
REAL_ROUNDS = {"R1": REAL, "R2": REAL_R2, "R3": REAL_R3, "R4": REAL_R4, "R5": REAL_R5, "R6": REAL_R6,
               "R7": REAL_R7, "R8": REAL_R8, "R9": REAL_R9, "R10": REAL_R10,
               "R11": REAL_R11, "R12": REAL_R12, "R13": REAL_R13,
               "R14": REAL_R14, "R15": REAL_R15, "R16": REAL_R16, "R17": REAL_R17, "R18": REAL_R18,
               "R19": REAL_R19, "R20": REAL_R20, "R21": REAL_R21, "R22": REAL_R22, "R23": REAL_R23, "R24": REAL_R24, "R25": REAL_R25, "R26": REAL_R26, "R27": REAL_R27, "R28": REAL_R28, "R29": REAL_R29, "R30": REAL_R30, "R31": REAL_R31, "R32": REAL_R32, "R33": REAL_R33, "R34": REAL_R34, "R35": REAL_R35, "R36": REAL_R36, "R37": REAL_R37, "R38": REAL_R38, "R39": REAL_R39, "R40": REAL_R40, "R41": REAL_R41, "R42": REAL_R42, "R43": REAL_R43, "R44": REAL_R44, "R45": REAL_R45, "R46": REAL_R46, "R47": REAL_R47}
"""The real-document rounds: their documents (tests/fixtures/…, sources.tsv) and questions
(tests/data/real/<set>-questions.jsonl, scored as scripts/eval_real.py scores them)."""


def real_round_failing(set_name: str, root: Path) -> list[str]:
    """The ids a real-document round fails on the project's library plus that round's documents,
    with the hash embeddings of the tests (lexical evidence only; scripts/eval_real.py gives the
    figures with the real ones)."""
    if str(ROOT / "scripts") not in sys.path:
        sys.path.insert(0, str(ROOT / "scripts"))
    import eval_real  # noqa: PLC0415 - the round's own scorer

    fixtures = REAL_ROUNDS[set_name]
    with open(fixtures / "sources.tsv", encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f, delimiter="\t") if r["set"].strip() == set_name]
    corpus = root / "corpus"
    shutil.copytree(CORPUS, corpus)
    stem_ids = {}
    for r in rows:
        try:
            stem_ids[r["stem"]] = add_document(corpus, fixtures / f"{r['stem']}.{r['format']}").doc_id
        except PolicyAssistantError:
            continue  # a document `add` rejects: its questions count as failed (R3's one-article notice)
    bot = Assistant(load_settings().with_(corpus_dir=corpus, index_dir=root / "index"),
                    embeddings=FakeEmbeddings())
    questions = [json.loads(line) for line in (ROOT / "tests" / "data" / "real" / f"{set_name.lower()}-questions.jsonl")
                 .read_text(encoding="utf-8").splitlines() if line.strip()]
    scored = [eval_real.score(q, bot.ask(q["question"]).to_dict(), None, stem_ids, {}, bot.corpus)
              for q in questions]
    return sorted(r["id"] for r in scored if not r["right"])


@pytest.mark.parametrize("set_name", sorted(REAL_ROUNDS))
def test_real_round_fails_exactly_the_known_ids(set_name: str, tmp_path: Path) -> None:
    known = json.loads((ROOT / "tests" / "data" / "known-failures.json").read_text(encoding="utf-8"))
    assert real_round_failing(set_name, tmp_path) == known[f"real-{set_name.lower()}"]


REAL_R3 = FIXTURES / "real-r3"
EXPECTED_R3 = {
    "bj-manufacturing-2020.html": ("关于推进“新制造业计划”建设制造业高质量发展示范区的若干意见", None, None, "2020-03-01"),
    # a notice with no numbered item: one unit (unit 0), accepted with a warning
    "cn-robotplus-app-2023.txt": ("工业和信息化部等十七部门关于印发“机器人+”应用行动实施方案的通知",
                                  "工信部联通装〔2022〕187号", "正式", "2023-01-18"),
    "cn-smartmfg-pilot-2021.txt": ("关于开展2021年度智能制造试点示范行动的通知", "工信厅联通装函〔2021〕263号", "正式", None),
    # the plan's own title line under its notice names it (as 浙政办发〔2025〕12号's measures in the shapes)
    "dy-ai-plan-2026.html": ("东阳市推动人工智能创新发展行动方案", "东政发〔2026〕1号", "正式", "2026-01-15"),
    # (a news page of its issue, dated by its 时间: line)
    "nb-ai-plan-2025.docx": ("宁波市人工智能创新发展行动方案(2025—2030年)", None, None, "2025-10-14"),
    # a notice issuing five policies is the document, not the first of them
    "sx-4151-policy-2025.html": ("绍兴市人民政府办公室关于印发先进制造业强市建设“4151”计划专项政策等五个政策的通知", None,
                                 "正式", "2025-02-10"),
    "sz-industry-policy-2023.txt": ("加快推进工业经济高质量发展若干政策", None, None, "2023-06-09"),
    "xs-industry-opinions-2023.docx": ("中共杭州市萧山区委杭州市萧山区人民政府关于萧山区加快建设现代化产业体系的若干政策意见",
                                       "萧委〔2023〕4号", "正式", "2023-01-29"),
}


def test_every_third_round_document_is_accepted_with_what_it_states(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    got, counts, warned = {}, {}, {}
    for name in EXPECTED_R3:
        added = add_document(corpus, REAL_R3 / name)
        meta = added.meta
        got[name] = (meta.title, meta.doc_number, meta.status, meta.date.isoformat() if meta.date else None)
        counts[name], warned[name] = added.articles, bool(added.warnings)
    assert got == EXPECTED_R3
    assert sorted(p.name for p in REAL_R3.iterdir() if p.suffix != ".tsv") == sorted(EXPECTED_R3)
    assert counts["cn-robotplus-app-2023.txt"] == 0 and warned["cn-robotplus-app-2023.txt"]
    assert counts["xs-industry-opinions-2023.docx"] == 3 and not warned["xs-industry-opinions-2023.docx"]
    labels = [a.label for a in parse_policy((corpus / "xs-industry-opinions-2023.txt").read_text(encoding="utf-8")).body]
    assert labels == ["一、(一)1.", "一、(一)2.", "一、(一)3."]


def test_what_the_named_place_s_document_never_mentions_is_not_answered_from_another(real: Assistant) -> None:
    # 保险补偿 is a national notice's; 余杭区's own plan never speaks of insurance
    answer = real.ask("余杭区对人形机器人企业的首台套保险补偿有多少?")
    assert not answer.found
    assert "本库收录的该地文件文本未提及" in answer.answer
    assert real.ask("余杭区加快建设人工智能创新高地核心承载地实施方案的发展目标是什么?").found


def _small_library(tmp_path: Path, *files: Path) -> Assistant:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    for f in files:
        add_document(corpus, f)
    return Assistant(load_settings().with_(corpus_dir=corpus, index_dir=tmp_path / "index"),
                     embeddings=FakeEmbeddings())


def test_a_place_named_with_the_title_of_a_document_without_a_place_is_its_place(tmp_path: Path) -> None:
    """The page of 安徽's measures says only 我省: a question naming 安徽 and a phrase of its title
    asks about it, not about another jurisdiction's policy."""
    bot = _small_library(tmp_path, REAL_R7 / "r7-anhui-tyai.txt",
                         FIXTURES / "real" / "hz-embodied-regs-draft-2025.txt")
    answer = bot.ask("安徽那个《打造通用人工智能产业创新和应用高地若干政策》里,加快智算中心建设这一条的责任单位是哪个部门?")
    assert answer.found and answer.citations[0].doc_id == "r7-anhui-tyai"
    # a few shared words (促进…条例) do not make another place's title this library's document
    assert not bot.ask("深圳经济特区人工智能产业促进条例对人工智能是怎么定义的?").found


def test_a_district_named_asks_for_its_own_document_before_its_city_s(tmp_path: Path) -> None:
    """富阳 named (as 富阳, without 区): 富阳区's own document, not the city's that also applies
    there, even when the question speaks of 市里 (the city's document its own one carries out)."""
    bot = _small_library(tmp_path, REAL_R4 / "fy-future-factory-2022.docx")
    answer = bot.ask("富阳那份未来工厂实施意见是为了落实市里哪个文件?")
    assert answer.found and answer.citations[0].doc_id == "fy-future-factory-2022"


def test_a_word_every_draft_shares_does_not_name_another_place_s_draft(tmp_path: Path) -> None:
    """余杭 named with 征求意见稿: 余杭区's own draft, not the city's draft whose alias the word is."""
    bot = _small_library(tmp_path, REAL_R8 / "r8-yuhang-gaozhiliang-2025-zqyj.docx")
    answer = bot.ask("余杭征求意见稿对新获批的企业牵头建设的全省重点实验室给多少奖励?")
    assert answer.found and answer.citations[0].doc_id == "r8-yuhang-gaozhiliang-2025-zqyj"
    assert bot.ask("征求意见稿第3条讲什么?").citations[0].doc_id == "hz-robots-2024-draft"


def test_a_place_named_picks_its_document_among_those_sharing_a_title(tmp_path: Path) -> None:
    """河南 and 石家庄 both have a 数字经济促进条例: naming 河南 names only 河南's; what its text never
    mentions (罚款多少: no document of the library writes 罚款) it does not state."""
    bot = _small_library(tmp_path, REAL_R9 / "r9-henan-szjj-tiaoli.html", REAL_R9 / "r9-sjz-szjj-caoan.txt")
    assert bot.retriever.retrieve("河南省数字经济促进条例的适用范围是什么?").documents == ["r9-henan-szjj-tiaoli"]
    answer = bot.ask("河南省数字经济促进条例里,数据安全方面单位罚款是多少?")
    assert answer.answer.startswith("《河南省数字经济促进条例》没有规定“罚款")


def test_title_words_another_document_writes_as_its_topic_name_no_document(tmp_path: Path) -> None:
    """中小企业数字化 begins the action plan's title, but the pilot notice speaks of 中小企业数字化转型
    throughout: a question using the words asks about the topic, so the notice's text answers it."""
    bot = _small_library(tmp_path, REAL_R10 / "r10-miit-sme-digital-2025.html",
                         REAL_R10 / "r10-sme-digital-pilot-notice-2022.txt")
    assert bot.retriever.retrieve("中小企业数字化转型试点要培育多少“小灯塔”企业?").documents == []
    assert bot.retriever.retrieve("中小企业数字化赋能专项行动方案的目标是什么?").documents == ["r10-miit-sme-digital-2025"]


def test_an_interpretation_without_a_title_line_is_titled_by_the_document_it_interprets(tmp_path: Path) -> None:
    """The 解读 page opens: …联合印发《中小企业数字化赋能专项行动方案(2025—2027年)》…解读如下; a question
    naming that title and 解读 names the interpretation, not the plan."""
    bot = _small_library(tmp_path, REAL_R10 / "r10-miit-sme-digital-2025.html",
                         REAL_R10 / "r10-miit-sme-digital-jiedu.txt")
    doc = bot.corpus.document("r10-miit-sme-digital-jiedu")
    assert doc is not None and doc.title == "《中小企业数字化赋能专项行动方案(2025—2027年)》解读"
    assert bot.retriever.retrieve("中小企业数字化赋能专项行动方案的解读怎么说背景?").documents[0] \
        == "r10-miit-sme-digital-jiedu"


def _library_with(tmp_path: Path, *paths: Path) -> Assistant:
    """The project's library plus real documents, with the tests' hash embeddings."""
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    for path in paths:
        add_document(corpus, path)
    return Assistant(load_settings().with_(corpus_dir=corpus, index_dir=tmp_path / "index"), embeddings=FakeEmbeddings())


def test_a_figure_asked_of_texts_that_state_none_is_not_given(tmp_path: Path) -> None:
    """Two 扬州 算力券 pages cut before any amount: 最多能领多少 is not stated by either, and no other
    place's document answers for them."""
    bot = _library_with(tmp_path, *(REAL_R18 / stem for stem in ("r18-yangzhou-compute-voucher-rules.txt", "r18-yangzhou-compute-voucher-opinion.docx")))
    answer = bot.ask("扬州算力券按合同金额的多少比例补贴?单家企业每年最多能领多少?")
    assert not answer.found and "本库收录的该地文件文本没有金额或比例" in answer.answer


def test_a_document_that_says_only_our_city_may_be_the_places_own(tmp_path: Path) -> None:
    """R5 after 漳州市培育扶持人工智能产业若干措施 was titled from its issuing sentence: 漳州 then had one
    document of its own, and 标注券 — in the other 漳州 text, which says only 我市 — was refused as
    never mentioned by 漳州's documents; a text of no place that speaks of 我市 may be the place's."""
    bot = _library_with(tmp_path, *(REAL_R5 / stem for stem in ("zz-ai-measures.txt", "zz-genai-measures-2025.txt")))
    answer = bot.ask("漳州工业企业有数据标注需求,标注券A类按合同金额的多少支持?")
    assert answer.found and answer.citations[0].doc_id == "zz-genai-measures-2025"


def test_r32_documents_named_cited_defined_and_of_a_place_are_answered(tmp_path: Path) -> None:
    """R32: a library document named by its title without its issuer (工信部办公厅那个《关于推动工业互联网
    加快发展的通知》,文号是多少) is asked its own 文号; a cited document's short name (依据的省遴选通知文号)
    points at the header that gives it; a term defined in a sentence (数字经济智慧产业是指…) is a
    definition; a repealed document of the place asked (衢州这个实施意见…) still answers, after any in
    force; 截止日期 of an issued notice asks for the date its text sets, not a consultation; a draft
    whose page heading names its drafter (繁昌区经信局:《…》) is that place's."""
    bot = _library_with(tmp_path, *(REAL_R32 / stem for stem in ("r32-miit-gyhlw.docx", "r32-shenzhen-zjtx.html", "r32-quzhou-szjj.html", "r32-fanchang-szhzx.docx")))
    number = bot.ask("工信部办公厅那个《关于推动工业互联网加快发展的通知》,文号是多少?什么时候发布的?")
    assert number.found and "工信厅信管〔2020〕8号" in number.answer and "2020年3月20日" in number.answer
    cited = bot.ask("深圳市工信局做2021年省级专精特新中小企业遴选推荐,依据的省遴选通知文号是什么?")
    assert cited.found and cited.citations[0].article == 0 and "通告〔2021〕6号" in cited.citations[0].quote
    defined = bot.ask("衢州的实施意见里“数字经济智慧产业”是怎么定义的?")
    assert defined.citations[0].doc_id == "r32-quzhou-szjj" and defined.citations[0].article_label == "一、(一)"
    repealed = bot.ask("衢州这个实施意见说是为落实市委什么战略体系要求?")
    assert repealed.citations[0].doc_id == "r32-quzhou-szjj" and "废止" in repealed.answer
    deadline = bot.ask("深圳各区工信部门报送专精特新推荐材料的截止日期是哪天?")
    assert "未载明公开征求意见的时间" not in deadline.answer
    # 繁昌区 (a county the gazetteer knew as 繁昌县) is the place of its 经信局's draft; asking its
    # contact, 邮箱 is no thing its text lacks
    contact = bot.ask("繁昌区经信局征求意见的电子邮件联系人、电话和邮箱是什么?")
    assert contact.found and contact.citations[0].doc_id == "r32-fanchang-szhzx"


def test_r33_a_reported_policy_and_an_email_written_otherwise_are_found(tmp_path: Path) -> None:
    """R33: 《福建省首台(套)重大技术装备认定和扶持实施细则》, which a library news page names with its
    brackets (or most of whose words a question's shorter name shares), is no other policy; 发邮件发到哪个邮箱 of a notice that writes 电子邮件 is no gap."""
    bot = _library_with(tmp_path, *(REAL_R33 / stem for stem in ("r33-fujian-shoutaitao-xize-baodao.txt", "r33-suzhou-ai-yingyong-tiaoli-zqyj.docx")))
    reported = bot.ask("《福建省首台(套)重大技术装备认定和扶持实施细则》是哪两个部门修订印发的?")
    assert reported.found and reported.citations[0].doc_id == "r33-fujian-shoutaitao-xize-baodao"
    # named without brackets and shortened, the same policy (福建首台套实施细则) — but a 条例 the seed's
    # notice does not cite (杭州市促进具身智能机器人产业发展条例) is another policy
    short = bot.ask("福建首台套实施细则把认定领域明晰为哪些产业所需的重大技术装备?")
    assert short.found and short.citations[0].doc_id == "r33-fujian-shoutaitao-xize-baodao"
    assert not bot.ask("杭州市促进具身智能机器人产业发展条例什么时候开始施行?").found
    mail = bot.ask("对苏州人工智能应用促进条例征求意见稿有意见,发邮件发到哪个邮箱?")
    assert "suzhouailaw@163.com" in mail.answer and not mail.gaps


def test_r34_what_is_asked_of_a_named_document_is_judged_without_its_name(tmp_path: Path) -> None:
    """R34: 广东省制造业高质量发展促进条例对违反规定的法律责任是怎么规定的 — the 条例's name finds it,
    and does not make 法律责任 (which no library text has) covered: refused. Asked of the same kind
    of name, what the text does hold (第四条's 县级以上人民政府) and how a question asks (一共, 表述)
    stay covered. 按当年投资额的百分之几 asks for the rate 临海's 一、(一) gives (6%)."""
    bot = _library_with(tmp_path, *(REAL_R34 / stem for stem in ("r34-gd-zzytl.txt", "r34-linhai-zzqs.txt")))
    assert not bot.ask("广东省制造业高质量发展促进条例对违反规定的法律责任是怎么规定的?").found
    held = bot.ask("广东省制造业高质量发展促进条例里县级以上人民政府应当加强什么?")
    assert held.found and held.citations[0].doc_id == "r34-gd-zzytl"
    rate = bot.ask("我们在临海买生产性设备,投资够50万元了,按智造强市若干意见能按当年投资额的百分之几拿补助?")
    assert rate.found and (rate.citations[0].doc_id, rate.citations[0].article_label) == ("r34-linhai-zzqs", "一、(一)")


def test_web22_related_articles_of_another_place_are_not_named_beside_the_basis(tmp_path: Path) -> None:
    """Web round 22: 相关条款 beside 杭州's 第3条 named 临海's 若干意见 — a document of another place
    is not related to the basis (unless the question names it); the same document's and placeless
    ones are."""
    from types import SimpleNamespace

    from assistant.answer.compose import _of_related_places, citation

    bot = _library_with(tmp_path, REAL_R34 / "r34-linhai-zzqs.txt")
    seed = bot.corpus.article("hz-robots-2024-draft", 3)
    other = bot.corpus.article("hz-robots-2024-draft", 6)
    linhai = next(a for a in bot.corpus.document("r34-linhai-zzqs").articles if a.number)
    cits = [citation(a, bot.corpus.title_of(a.doc_id), "") for a in (seed, other, linhai)]
    ctx = SimpleNamespace(corpus=bot.corpus, retrieval=SimpleNamespace(documents=[]), question="")
    assert [c.doc_id for c in _of_related_places(ctx, cits[1:], cits[0])] == ["hz-robots-2024-draft"]
    named = SimpleNamespace(corpus=bot.corpus, retrieval=SimpleNamespace(documents=["r34-linhai-zzqs"]), question="")
    assert len(_of_related_places(named, cits[1:], cits[0])) == 2
