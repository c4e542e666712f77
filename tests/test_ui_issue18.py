"""Issue 18 checks that need no browser: wording of ceilings, the PDF report without a system
font, the dashboard's figures, the look-up's article numbers and results, library signatures."""

from __future__ import annotations

import datetime as dt
import json



def test_a_ceiling_reads_at_most(assistant, tmp_path) -> None:
    from assistant.ops.feedback import FeedbackStore
    from ui.handlers import Handlers

    h = Handlers(assistant, FeedbackStore(tmp_path / "fb.sqlite3"))
    out = h.calculate("demo_scenario_reward", "", "", "是")
    assert "最高可获" in out and "可获金额" not in out


def test_pdf_report_needs_no_system_font(monkeypatch, assistant) -> None:
    import io

    import pdfplumber

    from assistant.match import report

    monkeypatch.setattr(report, "FONT_CANDIDATES", ())
    monkeypatch.setattr(report, "SYSTEM_FONT_DIRS", ())
    m = assistant.matcher
    result = m.match(m.from_text("我们是杭州的人形机器人企业,首台套对非关联方卖了3000万元,准备出海"))
    with pdfplumber.open(io.BytesIO(report.pdf_report(result))) as pdf:
        pages = [page.extract_text().replace(" ", "") for page in pdf.pages]
    first = pages[0]
    assert "政策体检报告" in first and "150万元" in first and "状态" in first  # summary table
    assert [page.rstrip().splitlines()[-1] for page in pages] == [
        f"第{n}页/共{len(pages)}页" for n in range(1, len(pages) + 1)]  # page numbers
    md = report.markdown_report(result)
    assert "(征求意见稿)》(征求意见稿)" not in md


def test_a_rating_lands_on_the_answer_at_that_position(assistant, tmp_path) -> None:
    from assistant.ops.feedback import FeedbackStore
    from ui.handlers import Handlers

    store = FeedbackStore(tmp_path / "fb.sqlite3")
    h = Handlers(assistant, store)
    history, _, refs, _ = h.chat("第十六条的内容是什么?", [], "s1", [])
    history, _, refs, _ = h.chat("手术机器人有政策支持吗?", history, "s1", refs)
    assert [r[2] for r in refs] == [1, 3]
    assert "谢谢" in h.rate_message(1, False, refs, "太长")  # the first answer, shown at index 1
    assert [f["comment"] for f in store.feedback_for(refs[0][0])] == ["太长"]
    assert store.feedback_for(refs[1][0]) == []
    assert "没有可评价" in h.rate_message(0, True, refs)  # the user's own message


def test_article_numbers_in_words() -> None:
    from ui.lookup import article_number

    assert [article_number(x) for x in ("十四", "第十四条", "16", 16, "第16条", "零")] == [14, 14, 16, 16, 16, 0]
    assert [article_number(x) for x in ("abc", "", "-3", "1e9", None)] == [None] * 5


def test_dashboard_figures_in_beijing_time() -> None:
    from ui.dashboard import Dashboard

    cits = json.dumps([{"doc_id": "d", "doc_title": "文件", "article": 3, "article_label": "第3条",
                        "title": "攻关"},
                       {"doc_id": "d", "doc_title": "文件", "article": 4, "article_label": "第4条",
                        "title": "主体"}], ensure_ascii=False)  # 第4条: a related article, not counted
    rows = [
        {"created_at": "2026-12-01T17:30:00+0000", "question": "首台套补多少", "found": 1, "citations": cits,
         "calculation": None, "rating": -1, "comment": "太长", "feedback_at": "2026-12-01T17:31:00+0000",
         "channel": "chat"},
        {"created_at": "2026-12-01T15:00:00+0000", "question": "公积金怎么取", "found": 0, "citations": "[]",
         "calculation": None, "rating": None, "comment": None, "feedback_at": None, "channel": "api"},
    ]
    board = Dashboard.build(rows, dt.date(2026, 12, 1), dt.date(2026, 12, 2), lambda q: q[:3])
    assert board.per_day() == [["12-01", "已解答", 0], ["12-01", "未覆盖", 1],
                               ["12-02", "已解答", 1], ["12-02", "未覆盖", 0]]  # 17:30 UTC is 01:30 next day
    assert board.shares() == [["已解答", 1, 50.0], ["未覆盖(拒答)", 1, 50.0]]
    assert board.top_articles() == [["文件", "第3条 攻关", 1]]
    assert board.ratings() == [["2026-12-02 01:31", "踩", "太长", "首台套补多少"]]
    assert board.unanswered_topics() == [["公积金", 1, "公积金怎么取"]]


def test_the_dashboard_csv_names_documents_by_their_titles(tmp_path) -> None:  # noqa: ANN001
    """《文件》第3条, not the internal id d:第3条 (web round 7)."""
    import csv

    from ui.dashboard import Dashboard

    cits = json.dumps([{"doc_id": "d", "doc_title": "文件", "article": 3, "article_label": "第3条"}], ensure_ascii=False)
    rows = [{"created_at": "2026-12-01T01:30:00+0000", "question": "首台套补多少", "found": 1, "citations": cits,
             "calculation": None, "rating": None, "comment": None, "feedback_at": None, "channel": "chat"}]
    board = Dashboard.build(rows, dt.date(2026, 12, 1), dt.date(2026, 12, 2), lambda q: q[:3])
    with open(board.write_csv(tmp_path / "b.csv"), encoding="utf-8-sig") as fh:
        table = list(csv.reader(fh))
    assert table[1][4] == "《文件》第3条"
