"""政策体检 reports for the enterprise to keep: Markdown and PDF (fpdf2 with an embedded CJK font).

The figures come from the `MatchResult` only, so the report and `match --json` always agree.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .amounts import format_yuan
from .errors import PolicyAssistantError
from .matching import MatchItem, MatchResult

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simsun.ttc",
)
"""System fonts with Chinese glyphs, tried in order (Debian: fonts-wqy-microhei)."""
STATUS_NAMES = {"eligible": "符合条件", "needs_info": "需补充信息", "no_amount": "政策未定金额",
                "not_eligible": "不符合条件"}


class ReportError(PolicyAssistantError):
    """A report cannot be written (no CJK font, unwritable file)."""


def find_cjk_font(configured: str | Path | None = None) -> Path:
    """The CJK font to embed: the configured one, else the first system font found."""
    if configured:
        path = Path(configured)
        if not path.is_file():
            raise ReportError(f"POLICY_PDF_FONT points to {path}, which is not a font file")
        return path
    for candidate in FONT_CANDIDATES:
        if Path(candidate).is_file():
            return Path(candidate)
    for pattern in ("*CJK*.tt[cf]", "*wqy*.tt[cf]", "*Hei*.tt[cf]", "*Song*.tt[cf]"):
        for root in (Path("/usr/share/fonts"), Path.home() / ".fonts"):
            if root.is_dir():
                found = next(iter(sorted(root.rglob(pattern))), None)
                if found:
                    return found
    raise ReportError("no font with Chinese glyphs found: install fonts-wqy-microhei (Debian) or "
                      "set POLICY_PDF_FONT to a .ttf/.ttc file")


def _money(item: MatchItem) -> str:
    if item.amount_yuan is None:
        return "未定额" if item.status == "no_amount" else "待计算"
    return f"{format_yuan(item.amount_yuan)}({item.amount_yuan:,} 元)" if item.amount_yuan else "0 元"


def _profile_lines(result: MatchResult, labels: dict[str, str]) -> list[str]:
    out = []
    for name, value in result.profile.items():
        if value in (None, ""):
            continue
        label = labels.get(name, {"name": "企业名称", "location": "注册地"}.get(name, name))
        if isinstance(value, bool):
            text = "是" if value else "否"
        elif isinstance(value, int):
            text = f"{format_yuan(value)}"
        else:
            text = str(value)
        out.append(f"{label}:{text}")
    return out


def markdown_report(result: MatchResult, labels: dict[str, str] | None = None,
                    today: dt.date | None = None) -> str:
    """The whole report as Markdown."""
    today = today or dt.date.today()
    lines = [f"# 政策体检报告", "", f"生成日期:{today.isoformat()}", "", "## 企业情况", ""]
    lines += [f"- {p}" for p in _profile_lines(result, labels or {})] or ["- (未提供)"]
    lines += ["", "## 结果", "",
              f"- 确定可获:**{format_yuan(result.total_certain_yuan) if result.total_certain_yuan else '0 元'}**"
              f"({result.total_certain_yuan:,} 元)",
              f"- 补充信息后可能合计:{format_yuan(result.total_possible_yuan) if result.total_possible_yuan else '0 元'}"
              f"({result.total_possible_yuan:,} 元)", ""]
    lines += ["| 状态 | 文件 | 条款 | 措施 | 金额 | 责任单位 |", "|---|---|---|---|---|---|"]
    for i in result.items:
        lines.append(f"| {STATUS_NAMES[i.status]} | 《{i.doc_title}》({i.doc_status or '状态未注明'}) | "
                     f"{i.article_label} {i.title} | {i.measure} | {_money(i)} | {'、'.join(i.departments) or '—'} |")
    for i in result.items:
        lines += ["", f"### {STATUS_NAMES[i.status]}:《{i.doc_title}》{i.article_label} {i.title}", ""]
        if i.doc_status and i.doc_status != "正式":
            lines.append(f"文件状态:{i.doc_status}(非正式文件,以正式发布版本为准)")
            lines.append("")
        lines += [f"- {s}" for s in i.steps]
        if i.missing_labels:
            lines.append(f"- 还需确认:{'、'.join(i.missing_labels)}")
        if i.quote:
            lines += ["", f"> {i.quote}"]
    lines += ["", "---", "本报告依据政策原文和计算规则自动生成,金额为按条文测算的上限或估算,"
              "最终以责任部门审核为准。"]
    return "\n".join(lines) + "\n"


def pdf_report(result: MatchResult, labels: dict[str, str] | None = None,
               font: str | Path | None = None, today: dt.date | None = None) -> bytes:
    """The report as a PDF with the CJK font embedded (subset)."""
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    today = today or dt.date.today()
    font_path = find_cjk_font(font)
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_font("cjk", fname=str(font_path))
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def para(text: str, size: float = 10.5, height: float = 6.0) -> None:
        pdf.set_font("cjk", size=size)
        pdf.multi_cell(width, height, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    para("政策体检报告", 18, 10)
    para(f"生成日期:{today.isoformat()}", 9)
    pdf.ln(2)
    para("企业情况", 13, 8)
    for line in _profile_lines(result, labels or {}) or ["(未提供)"]:
        para(f"· {line}")
    pdf.ln(2)
    para("结果", 13, 8)
    para(f"确定可获:{format_yuan(result.total_certain_yuan) if result.total_certain_yuan else '0 元'}"
         f"({result.total_certain_yuan:,} 元)", 12, 7)
    para(f"补充信息后可能合计:{format_yuan(result.total_possible_yuan) if result.total_possible_yuan else '0 元'}"
         f"({result.total_possible_yuan:,} 元)")
    for i in result.items:
        pdf.ln(3)
        para(f"【{STATUS_NAMES[i.status]}】《{i.doc_title}》{i.article_label} {i.title}", 11.5, 7)
        para(f"文件状态:{i.doc_status or '状态未注明'};措施:{i.measure};金额:{_money(i)};"
             f"责任单位:{'、'.join(i.departments) or '—'}", 9.5)
        for s in i.steps:
            para(f"  - {s}", 9.5)
        if i.missing_labels:
            para(f"  还需确认:{'、'.join(i.missing_labels)}", 9.5)
        if i.quote:
            para(f"原文:“{i.quote}”", 9, 5.5)
    pdf.ln(4)
    para("本报告依据政策原文和计算规则自动生成,金额为按条文测算的上限或估算,最终以责任部门审核为准。", 8.5)
    return bytes(pdf.output())


def write_report(result: MatchResult, path: Path, labels: dict[str, str] | None = None,
                 font: str | Path | None = None) -> Path:
    """Write a `.pdf` or `.md` report (by the file's suffix)."""
    try:
        if path.suffix.lower() == ".pdf":
            path.write_bytes(pdf_report(result, labels, font))
        else:
            path.write_text(markdown_report(result, labels), encoding="utf-8")
    except OSError as exc:
        raise ReportError(f"{path}: cannot write the report ({exc.strerror or exc})") from exc
    return path
