"""Issue 18 checks that need no browser: wording of ceilings, the PDF report without a system
font, the dashboard's figures, the look-up's article numbers and results, library signatures."""

from __future__ import annotations

import datetime as dt
import json

import pytest


def test_a_ceiling_reads_at_most(assistant, tmp_path) -> None:
    from assistant.feedback import FeedbackStore
    from ui.handlers import Handlers

    h = Handlers(assistant, FeedbackStore(tmp_path / "fb.sqlite3"))
    out = h.calculate("demo_scenario_reward", "", "", "是")
    assert "最高可获" in out and "可获金额" not in out


def test_pdf_report_needs_no_system_font(monkeypatch, assistant) -> None:
    import io

    import pdfplumber

    from assistant import report

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
