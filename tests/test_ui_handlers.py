"""The web app's handlers as plain functions (no server): the chat (streamed, the path the UI
uses), clarifying buttons, feedback tied to the asker, look-up with a document filter, calculators,
政策体检, the library, the answer log and its CSV export."""

from __future__ import annotations

import csv
import sqlite3
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.cli import cli
from assistant.ops.feedback import FeedbackError, FeedbackStore, csv_safe
from assistant.models import Answer
from ui.handlers import Handlers
from ui.render import WARN, highlight, user_text


@pytest.fixture
def store(tmp_path: Path) -> FeedbackStore:
    return FeedbackStore(tmp_path / "logs" / "fb.sqlite3")


@pytest.fixture
def h(assistant, store: FeedbackStore) -> Handlers:
    return Handlers(assistant, store)


def last(h: Handlers, message: str, history=None, session: str = "s", refs=None):
    """The final step of the streamed chat (what the page shows at the end)."""
    steps = list(h.chat_stream(message, history or [], session, refs or []))
    return steps[-1]


def test_chat_streams_then_shows_sources(h: Handlers) -> None:
    steps = list(h.chat_stream("手术机器人有政策支持吗?", [], "s1", []))
    assert steps[0][0][-1]["content"] == "…" and steps[0][1] == ""
    history, box, refs, ask = steps[-1]
    assert box == "" and len(history) == 2 and len(refs) == 1 and refs[0][0] and refs[0][1]
    reply = history[1]["content"]
    assert "第11条" in reply and "来源" in reply and "市卫健委" in reply and ask is False


def test_two_questions_in_one_message_get_an_answer_each(h: Handlers) -> None:
    """示范应用场景有什么奖励?一年评几个? (web rounds 8 and 11): the amount, then the count as a
    follow-up on the same article, each in a bubble headed by its question, each rateable."""
    history, _, refs, ask = last(h, "示范应用场景有什么奖励?一年评几个?", session="two")
    assert [m["role"] for m in history] == ["user", "assistant", "assistant"]
    first, second = history[1]["content"], history[2]["content"]
    assert first.startswith("**示范应用场景有什么奖励?**") and "50万元" in first
    assert second.startswith("**一年评几个?**") and "每年评选不少于10个" in second and "第7条" in second
    assert [r[2] for r in refs] == [1, 2] and all(r[0] for r in refs) and ask is False


def test_a_guess_after_the_question_is_one_question(h: Handlers) -> None:
    history, _, refs, _ = last(h, "人形机器人首台套销售额3000万元补助多少?是不是150万?", session="guess")
    assert len(history) == 2 and len(refs) == 1 and "150万元" in history[1]["content"]


def test_user_html_is_shown_as_text(h: Handlers) -> None:
    history, *_ = last(h, "<form action='x'><img src='http://evil/x.png'>首台套</form>")
    assert history[0]["content"].startswith("&lt;form") and "<img" not in history[0]["content"]
    assert user_text("<b>") == "&lt;b&gt;"


def test_amount_follow_up_and_sessions_apart(h: Handlers) -> None:
    history, _, refs, _ = last(h, "人形机器人首台套销售额3000万元补助多少?", session="s2")
    assert "150万元" in history[-1]["content"] and "计算过程" in history[-1]["content"]
    history, _, refs, _ = last(h, "那如果销售额是8亿呢?", history, "s2", refs)
    assert "1000万元" in history[-1]["content"] and len(refs) == 2
    other, *_ = last(h, "那如果是8亿呢?", session="s3")
    assert "计算过程" not in other[-1]["content"]


def test_clarifying_question_shows_buttons_and_yes_continues(h: Handlers) -> None:
    history, _, refs, ask = last(h, "人形机器人首台套销售额3000万元补助多少?", session="s4")
    assert ask is True and "需要确认" in history[-1]["content"]
    history, _, refs, ask = last(h, "是", history, "s4", refs)
    assert ask is False and "150万元" in history[-1]["content"] and "问题未说明" not in history[-1]["content"]


def test_bad_input_is_a_friendly_reply(h: Handlers) -> None:
    assert last(h, "   ") == ([], "", [], False)
    history, _, refs, _ = last(h, "人形机器人首台套销售额0元补助多少?")
    assert history[-1]["content"].startswith(WARN) and refs == [[None, "", 1]]
    history, *_ = last(h, "机" * 2001)
    assert "2000" in history[-1]["content"]
    history, *_ = last(h, "??!!。。")
    assert "no words" in history[-1]["content"]


def test_failing_request_never_raises(h: Handlers, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*a, **k):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(h.assistant, "ask", boom)
    result = h.ask("手术机器人有政策支持吗?", "s")
    assert "error" in result and "disk" not in result["error"]
    monkeypatch.setattr(h.assistant, "ask_stream", boom)
    history, *_ = last(h, "手术机器人有政策支持吗?")
    assert "disk" not in history[-1]["content"] and history[-1]["content"].startswith(WARN)


def test_api_ask_validates_sessions_and_is_stateless_without_one(h: Handlers) -> None:
    assert "session_id" in h.ask("手术机器人有政策支持吗?", "x" * 100)["error"]
    assert "session_id" in h.ask("手术机器人有政策支持吗?", "<script>")["error"]
    before = len(h.chat_tab._sessions)
    out = h.ask("手术机器人有政策支持吗?")
    assert out["found"] and out["answer_id"] and out["answer_token"] and len(h.chat_tab._sessions) == before


def test_not_covered_is_logged_and_listed(h: Handlers) -> None:
    last(h, "杭州小客车摇号怎么申请?")
    rows = h.unanswered()
    assert rows and rows[0][2] == "杭州小客车摇号怎么申请?"


def test_feedback_belongs_to_the_asker(h: Handlers, store: FeedbackStore) -> None:
    _, _, refs, _ = last(h, "工作专班怎么建立?")
    assert "谢谢" in h.rate_last(refs, False, "希望给出联系电话")
    fb = store.feedback_for(refs[0][0])
    assert fb[0]["rating"] == -1 and fb[0]["comment"] == "希望给出联系电话"
    assert "谢谢" in h.rate_message(1, True, refs)
    assert [f["rating"] for f in store.feedback_for(refs[0][0])] == [-1, 1]  # every event kept
    answer_id, token, _ = refs[0]
    other = h.ask("手术机器人有政策支持吗?")
    assert h.rate_answer(answer_id, other["answer_token"], True)[0] is False  # someone else's token
    assert h.rate_answer(answer_id, token, "no")[0] is False
    assert h.rate_answer(1.7, token, True)[0] is False
    assert h.rate_answer(2 ** 63, token, True)[0] is False
    assert h.rate_answer("abc", token, True)[0] is False
    assert h.rate_answer(answer_id, token, True, "x" * 3000)[0] is False
    assert "请先提问" in h.rate_last([], True, "")


def test_lookup_ranks_highlights_and_filters(h: Handlers) -> None:
    html, reply = h.lookup("减速器")
    first = html.index("1. 第3条")
    assert first >= 0 and "2. " not in html  # no padding with articles that lack the word
    assert "<mark>减速器</mark>" in html and "市经信局" in html
    assert reply.startswith("您好") and "第3条" in reply and "征求意见稿" in reply
    doc_id = h.assistant.corpus.documents[0].doc_id
    assert "第3条" in h.lookup("减速器", doc_id)[0]
    assert "未涉及" in h.lookup("减速器", "no-such-document")[0]
    html, reply = h.lookup("杭州公积金怎么提取?")
    assert "未涉及" in html and "市经信局高端装备处" in reply
    html, reply = h.lookup("")
    assert "empty" in html and reply == ""


def test_highlight_escapes_html() -> None:
    assert highlight("<b>减速器</b>", ["减速器"]) == "&lt;b&gt;<mark>减速器</mark>&lt;/b&gt;"


@pytest.mark.parametrize("value, expected", [
    (16, "第16条 搭建服务平台"), ("第3条", "第3条 加强核心零部件"), (0, "公开征求"),
    (99, "没有第99条"), ("abc", "请输入条款编号"), (None, "请输入条款编号"), ("1e999", "请输入条款编号"),
])
def test_article_jump(h: Handlers, value, expected: str) -> None:
    assert expected in h.article_text(value)


def test_an_article_opened_by_its_number_gets_its_reply_script(h: Handlers) -> None:
    """Web round 4: 答复口径 stayed empty after a jump; it quotes the whole article opened."""
    reply = h.article_reply(14)
    assert reply.startswith("您好,您咨询的问题在《杭州市促进智能机器人产业高质量发展的实施意见(征求意见稿)》第14条“实施机器人“出海”行动”中有规定:“")
    assert "对参加国际专业展会和出国商务洽谈的机器人产业重点企业,依规给予经费补助。" in reply and "该条责任单位为市商务局。" in reply
    assert h.article_reply(99) == "" and h.article_reply("abc") == ""


def test_an_article_past_the_last_says_how_many_there_are(h: Handlers) -> None:
    assert h.article_text(19) == "没有第19条:所选文件共 18 条(第1–18条;0 为公告与前言)。"


def test_calculator_forms_compute_through_the_assistant(h: Handlers) -> None:
    out = h.calculate("first_set_subsidy", "3000万", "", "是", "是")
    assert "150万元" in out and "第3条" in out
    assert "600万元" in h.calculate("industrialization", "3000万", "1000万", "否", "是")
    assert "240万元" in h.calculate("industrialization", "800万", "", "不确定", "不确定")  # alternative
    assert "3000万元" in h.calculate("industrialization", "1亿", "0", "否", "是")  # an excluded 0 is fine
    assert "15万元" in h.calculate("procurement", "150万", "", "是", "是", "是", "是")
    assert "50万元" in h.calculate("demo-scenario", "", "", "是")
    assert h.calculate("first-set", "abc", "", "是", "是").startswith(WARN)
    assert h.calculate("first-set", "-5", "", "是", "是").startswith(WARN)
    assert h.calculate("first-set", "3000万美元", "", "是", "是").startswith(WARN)
    assert h.calculate("no-such-rule", "5", "").startswith(WARN)


def test_policy_check_form_and_reports(h: Handlers) -> None:
    fields = h.profile_fields()
    values = ["" for _ in fields]
    names = [f.name for f in fields]
    values[names.index("makes_humanoid")] = "是"
    values[names.index("sales_unaffiliated")] = "是"
    values[names.index("first_set_sales_yuan")] = "3000万"
    text, md, pdf = h.match_form("杭州市滨江区", "", *values)
    assert "150万元" in text and "第3条" in text and md and Path(md).read_text(encoding="utf-8")
    text, _, _ = h.match_form("", "我们是杭州的人形机器人企业,首台套对非关联方卖了1亿元", *["" for _ in fields])
    assert "200万元" in text
    values[names.index("first_set_sales_yuan")] = "很多"
    assert h.match_form("", "", *values)[0].startswith(WARN)
    assert "error" in h.match_json({"profile": {"nonsense": True}})
    assert h.match_json({"text": "我们是杭州的人形机器人企业,首台套对非关联方卖了1亿元"})["total_certain_yuan"] == 2_000_000
    assert "error" in h.match_json("not a dict")


def test_library_views(h: Handlers) -> None:
    rows = h.library_rows()
    assert rows and rows[0][1:4] == ["杭州市经济和信息化局(市经信局)", "—", "征求意见稿"]
    md = h.document_markdown()
    assert "征求意见稿" in md and md.count("#### ") == 19
    header = h.document_header()
    assert "2024-04-08" in header and "2024-05-08" in header and "征求意见稿" in header
    # the status once in the one-line summary: the short name already says 征求意见稿
    assert "<summary>依据文件(1):《杭州智能机器人实施意见(征求意见稿)》</summary>" in header
    assert h.documents_json()[0]["doc_id"] == "hz-robots-2024-draft"
    # the phone card names the issuer and leaves a missing 文号 out (web rounds 9 and 11: a bare "— ·")
    card = h.library_html().split("<div class='pa-narrow'>", 1)[1]
    assert "— ·" not in card and "(市经信局) · <b>征求意见稿</b>" in card


def test_store_survives_restart_and_uses_wal(tmp_path: Path) -> None:
    path = tmp_path / "fb.sqlite3"
    first = FeedbackStore(path)
    aid, token = first.log_answer(Answer("q", "a", True))
    first.add_feedback(aid, token, 1, "好")
    again = FeedbackStore(path)
    assert again.rows()[0]["rating"] == 1
    mode = sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"
    with pytest.raises(FeedbackError):
        again.add_feedback(aid, token, 0)
    with pytest.raises(FeedbackError):
        again.add_feedback(aid, "wrong-token", 1)


def test_store_is_safe_under_concurrent_users(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "fb.sqlite3")
    errors: list[Exception] = []

    def user(n: int) -> None:
        try:
            for i in range(20):
                aid, token = store.log_answer(Answer(f"q{n}-{i}", "a", i % 2 == 0), session=str(n))
                store.add_feedback(aid, token, 1 if i % 3 else -1, f"c{n}")
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=user, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(store.rows()) == 160 and len(store.rows(only_unanswered=True)) == 80


def test_unwritable_store(tmp_path: Path) -> None:
    blocker = tmp_path / "f"
    blocker.write_text("x")
    with pytest.raises(FeedbackError):
        FeedbackStore(blocker / "db.sqlite3").log_answer(Answer("q", "a", True))


@pytest.mark.parametrize("cell", ["=1+1", "+cmd", "-2", "@SUM(A1)", "\t=1", "\r=1", "  =HYPERLINK()"])
def test_csv_cells_cannot_be_formulas(cell: str) -> None:
    assert csv_safe(cell).startswith("'")
    assert csv_safe("首台套") == "首台套" and csv_safe(5) == 5


def test_logs_export_csv(h: Handlers, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                         store: FeedbackStore) -> None:
    monkeypatch.setenv("POLICY_DB", str(store.path))
    _, _, refs, _ = last(h, "人形机器人首台套销售额3000万元补助多少?")
    last(h, "=HYPERLINK(\"http://x\")杭州小客车摇号怎么申请?")
    h.rate_last(refs, True, "@清楚")
    out = tmp_path / "logs.csv"
    res = CliRunner().invoke(cli, ["logs", "export", "--csv", str(out)])
    assert res.exit_code == 0 and "2 rows" in res.output
    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert any("第3条" in r["articles"] for r in rows) and any(r["amount_yuan"] == "1500000" for r in rows)
    for r in rows:
        for value in r.values():
            assert not value.lstrip(" \t\r").startswith(("=", "+", "-", "@")), value
    assert any(r["comment"] == "'@清楚" for r in rows)
    res = CliRunner().invoke(cli, ["logs", "unanswered"])
    assert "小客车" in res.output and "首台套" not in res.output
    res = CliRunner().invoke(cli, ["logs", "export", "--csv", str(tmp_path / "no" / "dir" / "x.csv")])
    assert res.exit_code == 2


def test_chat_stream_shows_tokens_then_checked_answer(assistant, store: FeedbackStore) -> None:
    from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
    from langchain_core.messages import AIMessage

    from assistant.answer.llm import LLMComposer

    from .test_llm import with_composer

    text = "根据第11条, 支持 手术机器人 推广应用。"
    model = GenericFakeChatModel(messages=iter([AIMessage(content=text)]))
    h = Handlers(with_composer(assistant, LLMComposer(model)), store)
    steps = list(h.chat_stream("手术机器人有政策支持吗?", [], "st2", []))
    partial = [s[0][-1]["content"] for s in steps[1:-1]]
    assert any(p.endswith("▌") for p in partial) and len(partial) >= 2
    final = steps[-1][0][-1]["content"]
    assert final.startswith(text) and "引用来源" in final and steps[-1][2][0][0]


def test_what_a_description_says_of_a_measure_is_a_row_that_recomputes(h: Handlers) -> None:
    """两个项目 and 申请中 come back as their own editable rows; changing them changes the result."""
    text = "临平区的人形机器人整机厂,我们有两个项目都评上了市智能机器人示范应用场景。首台套认定还在申请中,对非关联方销售额400万元。"
    html_out, _, _, rows = h.match_view("", text)
    labels = {r[0]: r[1] for r in rows}
    assert labels["示范应用场景奖励:项目个数"] == "2"
    assert labels["人形机器人首台套补助:尚未确定(申报中或计划数)"] == "是"
    edited = [[r[0], "1" if r[0].endswith("个数") else ("否" if r[0].endswith("计划数)") else r[1]), r[2]]
              for r in rows]
    again, _, _, rows_after = h.recompute(edited)
    assert WARN not in again
    after = {r[0]: r[1] for r in rows_after}
    assert after["示范应用场景奖励:项目个数"] == "1" and "人形机器人首台套补助:尚未确定(申报中或计划数)" not in after
    assert "50万元" in again and "40万元" in again
    bad, _, _, _ = h.recompute([["示范应用场景奖励:项目个数", "两", ""]])
    assert "请填 1 到 100 的整数" in bad


def test_a_measure_too_long_for_its_cell_is_cut_after_a_clause_with_an_ellipsis():
    from ui.render import clipped

    assert clipped("首次采购奖励", 30) == "首次采购奖励"
    assert clipped("支持智能机器人云脑平台、仿真开发平台建设研发机构,对首次采购的给予奖励", 30) \
        == "支持智能机器人云脑平台、仿真开发平台建设研发机构…"
    assert clipped("一二三四五六七八九十一二三四五六七八九十", 10) == "一二三四五六七八九…"


def test_a_refused_staff_action_says_so_in_chinese_without_a_traceback_in_the_log():
    """Web rounds 9 and 11: an English "Error" badge, and a traceback in the server log for each
    dashboard call made without a login."""
    from ui.app import _refused

    error = _refused("请先登录。")
    assert (error.message, error.title, error.print_exception) == ("请先登录。", "提示", False)


def test_the_library_says_a_text_without_articles_and_a_text_cut_mid_sentence(tmp_path: Path) -> None:
    """Web rounds 15 and 16: a news page listed as "0 条", an excerpt as "1 条" — a text without
    numbered units is 不分条, one whose last line stops mid-sentence says so; the seed draft (its
    last sentence closed, the departments in brackets after it) is 18 条."""
    import shutil  # noqa: PLC0415

    from assistant.ingest.corpus import load_corpus  # noqa: PLC0415
    from assistant.ingest.library import add_document  # noqa: PLC0415
    from ui.library import units  # noqa: PLC0415

    from .conftest import CORPUS, FIXTURES  # noqa: PLC0415

    shutil.copytree(CORPUS, tmp_path / "corpus")
    for name in ("r27-shenzhen-high-end-equipment.html", "r27-chongqing-robot-plan-news.txt"):
        add_document(tmp_path / "corpus", FIXTURES / "real-r27" / name)
    shown = {d.doc_id: units(d) for d in load_corpus(tmp_path / "corpus")}
    assert shown == {"hz-robots-2024-draft": "18", "r27-shenzhen-high-end-equipment": "1(文本在句中截断)",
                     "r27-chongqing-robot-plan-news": "不分条"}


def test_article_0_of_all_documents_is_the_first_listed_documents(tmp_path: Path) -> None:
    """Web round 17: 条文检索 0 under 全部文件 opened 七台河's preamble (a document in force listed
    after the seed draft): the jump box follows the library's listing, the seed first."""
    import shutil  # noqa: PLC0415

    from assistant.answer.chain import Assistant  # noqa: PLC0415
    from assistant.config import load_settings  # noqa: PLC0415
    from assistant.ingest.library import add_document  # noqa: PLC0415
    from ui.lookup import LookupHandlers  # noqa: PLC0415

    from .conftest import CORPUS, FIXTURES, FakeEmbeddings  # noqa: PLC0415

    shutil.copytree(CORPUS, tmp_path / "corpus")
    add_document(tmp_path / "corpus", FIXTURES / "real-r28" / "r28-qth-ai-yijian.txt")
    bot = Assistant(load_settings().with_(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index"),
                    embeddings=FakeEmbeddings())
    assert LookupHandlers(bot).article_text(0).startswith("### 《杭州市促进智能机器人产业高质量发展的实施意见(征求意见稿)》")


def test_a_text_stopping_on_a_joining_word_is_cut_and_a_card_counts_before_the_note(tmp_path: Path) -> None:
    """Web round 20: 福建's 条例 stops at 第八条 县级以上地方人民政府及 (a short line, but on 及) and was not
    flagged; web rounds 18 and 19: a card read "1(文本在句中截断) 条" — now "8 条(文本在句中截断)"."""
    import shutil  # noqa: PLC0415

    from assistant.answer.chain import Assistant  # noqa: PLC0415
    from assistant.config import load_settings  # noqa: PLC0415
    from assistant.ingest.library import add_document  # noqa: PLC0415
    from assistant.index.embeddings import HashEmbeddings  # noqa: PLC0415
    from ui.library import LibraryHandlers  # noqa: PLC0415

    from .conftest import CORPUS, FIXTURES  # noqa: PLC0415

    shutil.copytree(CORPUS, tmp_path / "corpus")
    add_document(tmp_path / "corpus", FIXTURES / "real-r32" / "r32-fujian-dsjtl.docx")
    bot = Assistant(load_settings().with_(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index"),
                    embeddings=HashEmbeddings())
    handlers = LibraryHandlers(bot)
    row = next(r for r in handlers.library_rows() if r[0] == "福建省大数据发展条例")
    assert row[5] == "8(文本在句中截断)"
    assert "8 条(文本在句中截断)" in handlers.library_html()


def test_a_callers_amount_looked_up_is_computed(h: Handlers) -> None:
    """Web round 26: staff typed a caller's amount into 条文检索 (关键词或问题) and got the article but
    no figure — the calculator's result now heads the results and the 答复口径, as in the chat; a
    keyword gets none."""
    cards, reply = h.lookup("人形机器人首台套 非关联销售1.2亿 补多少")
    assert cards.startswith("<div class='pa-card' id='pa-lookup-amount'><div class='pa-head'>"
                            "可获金额:240万元(依据第3条计算)</div>")
    assert reply.startswith("可获金额:240万元(依据第3条计算)\n\n")
    cards, reply = h.lookup("减速器")
    assert "pa-lookup-amount" not in cards and not reply.startswith("可获金额")


def test_every_status_line_gradio_reads_out_is_in_our_words() -> None:
    """Web round 27: the page's text held `common.complete`, a key with no translation (our i18n
    replaces gradio's own for en and zh-CN): every key its status tracker asks for has our word."""
    import re
    from pathlib import Path

    import gradio

    from ui.app import I18N

    assets = Path(gradio.__file__).parent / "templates" / "frontend" / "assets"
    keys = {k for f in assets.glob("statustracker-*.js")
            for k in re.findall(r"i18n\(`([a-z_.]+)`\)", f.read_text(encoding="utf-8"))}
    assert keys and all(k in I18N.translations[lang] for lang in ("en", "zh-CN") for k in keys), keys
