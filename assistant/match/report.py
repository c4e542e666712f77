"""政策体检 reports for the enterprise to keep: Markdown and PDF (fpdf2 with an embedded CJK font).

The figures come from the `MatchResult` only, so the report and `match --json` always agree.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..config import local_today
from ..errors import PolicyAssistantError
from ..lang.amounts import format_yuan
from ..lang.text import book_title
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
"""System fonts with Chinese glyphs, tried in order after the packaged one."""
SYSTEM_FONT_DIRS = (Path("/usr/share/fonts"), Path.home() / ".fonts")
PACKAGED_FONT = ("noto_cjk_sans_otc", "NotoSansCJK-Regular.ttc", 2)
"""The font installed with the package (PyPI `noto-cjk-sans-otc`, SIL OFL): module, file, and the
face of the collection to use (2 = Noto Sans CJK SC). A PDF report needs no system font."""
STATUS_NAMES = {"eligible": "符合条件", "needs_info": "需补充信息", "no_amount": "政策未定金额",
                "not_eligible": "不符合条件"}


class ReportError(PolicyAssistantError):
    """A report cannot be written (no CJK font, unwritable file)."""


def packaged_font() -> Path | None:
    """The CJK font that arrives with `make install` (None when the package is missing)."""
    import importlib.util

    module, name, _ = PACKAGED_FONT
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / name
    return path if path.is_file() else None


def find_cjk_font(configured: str | Path | None = None) -> Path:
    """The CJK font to embed: the configured one, else the packaged one, else a system font."""
    if configured:
        path = Path(configured)
        if not path.is_file():
            raise ReportError(f"POLICY_PDF_FONT points to {path}, which is not a font file")
        return path
    packaged = packaged_font()
    if packaged is not None:
        return packaged
    for candidate in FONT_CANDIDATES:
        if Path(candidate).is_file():
            return Path(candidate)
    for pattern in ("*CJK*.tt[cf]", "*wqy*.tt[cf]", "*Hei*.tt[cf]", "*Song*.tt[cf]"):
        for root in SYSTEM_FONT_DIRS:
            if root.is_dir():
                found = next(iter(sorted(root.rglob(pattern))), None)
                if found:
                    return found
    raise ReportError("no font with Chinese glyphs found: reinstall (`make install` brings the "
                      "noto-cjk-sans-otc package) or set POLICY_PDF_FONT to a .ttf/.ttc file")


def truetype_subset(path: Path, face: int, text: str) -> bytes:
    """The glyphs of `text` from a CFF-outlined (OpenType/PostScript) font collection face, as a
    small TrueType font. Embedded as TrueType, the report's text stays extractable by every PDF
    reader (pdfminer reads no CFF font embedded with a custom CMap). About 1 s."""
    import io

    from fontTools import subset
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable

    font = TTFont(str(path), fontNumber=face, lazy=True)
    options = subset.Options()
    options.layout_features, options.name_IDs, options.hinting = [], ["*"], False
    options.notdef_outline = True
    sub = subset.Subsetter(options)
    sub.populate(text=text + "".join(chr(c) for c in range(32, 127)))
    sub.subset(font)
    if "CFF " in font:
        glyphs, order = font.getGlyphSet(), font.getGlyphOrder()
        glyf = newTable("glyf")
        glyf.glyphOrder, glyf.glyphs = order, {}
        for name in order:
            pen = TTGlyphPen(glyphs)
            glyphs[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
            glyf.glyphs[name] = pen.glyph()
        font["glyf"], font["loca"] = glyf, newTable("loca")
        maxp = font["maxp"]
        maxp.tableVersion = 0x00010000
        for attr in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                     "maxStackElements", "maxSizeOfInstructions", "maxComponentElements", "maxComponentDepth"):
            setattr(maxp, attr, 0)
        maxp.maxZones = 1
        for table in ("CFF ", "VORG"):
            if table in font:
                del font[table]
        font["head"].indexToLocFormat, font["head"].glyphDataFormat = 0, 0
        font["post"].formatType = 3.0
        font.sfntVersion = "\0\1\0\0"
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _doc_name(item: MatchItem) -> str:
    """《title》 and its status, unless the title already says it (…(征求意见稿)》)."""
    status = item.doc_status or "状态未注明"
    return book_title(item.doc_title) + ("" if status in item.doc_title else f"({status})")


def _money(item: MatchItem) -> str:
    if item.amount_yuan is None:
        return "未定额" if item.status == "no_amount" else "待计算"
    if not item.amount_yuan:
        return "0 元"
    return ("最高" if item.at_most else "") + f"{format_yuan(item.amount_yuan)}({item.amount_yuan:,} 元)"


def _profile_lines(result: MatchResult, labels: dict[str, str]) -> list[str]:
    out = []
    for name, value in result.profile.items():
        if value in (None, "") or isinstance(value, (list, dict)):
            continue  # pending / counts / places: each item's steps say what they change
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
    today = today or local_today()
    lines = ["# 政策体检报告", "", f"生成日期:{today.isoformat()}", "", "## 企业情况", ""]
    lines += [f"- {p}" for p in _profile_lines(result, labels or {})] or ["- (未提供)"]
    lines += ["", "## 结果", "",
              f"- **{result.totals[0]}**",
              f"- {result.totals[1]}", ""]  # as the screen says it (待计算 when a pending measure has no amount)
    lines += ["| 状态 | 文件 | 条款 | 措施 | 金额 | 责任单位 |", "|---|---|---|---|---|---|"]
    for i in result.items:
        lines.append(f"| {STATUS_NAMES[i.status]} | {_doc_name(i)} | "
                     f"{i.article_label} {i.title} | {i.measure} | {_money(i)} | {'、'.join(i.departments) or '—'} |")
    for i in result.items:
        lines += ["", f"### {STATUS_NAMES[i.status]}:{book_title(i.doc_title)}{i.article_label} {i.title}", ""]
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
    """The report as a PDF with the CJK font embedded (subset): a summary table first, then each
    measure; page numbers in the footer."""
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    today = today or local_today()
    font_path = find_cjk_font(font)

    class Report(FPDF):
        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("cjk", size=8)
            self.cell(0, 6, f"第 {self.page_no()} 页 / 共 {{nb}} 页", align="C")

    pdf = Report(format="A4")
    pdf.set_auto_page_break(auto=True, margin=18)
    if font_path.name == PACKAGED_FONT[1]:
        import tempfile

        text = markdown_report(result, labels, today) + "第页共状态条款措施金额责任单位未注明·【】原文“”"
        with tempfile.TemporaryDirectory(prefix="pa-font-") as tmp:
            subset_path = Path(tmp) / "report-font.ttf"
            subset_path.write_bytes(truetype_subset(font_path, PACKAGED_FONT[2], text))
            pdf.add_font("cjk", fname=str(subset_path))
    else:
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
        para(f"·{line}")
    pdf.ln(2)
    para("结果", 13, 8)
    para(result.totals[0], 12, 7)
    para(result.totals[1])
    if result.items:
        pdf.ln(2)
        pdf.set_font("cjk", size=9)
        from fpdf.fonts import FontFace

        with pdf.table(col_widths=(18, 40, 52, 30, 30), text_align="LEFT", line_height=5,
                       headings_style=FontFace(emphasis="", fill_color=(235, 235, 235))) as table:
            table.row(["状态", "条款", "措施", "金额", "责任单位"])
            for i in result.items:
                table.row([STATUS_NAMES[i.status], f"{i.article_label} {i.title}", i.measure,
                           _money(i), "、".join(i.departments) or "未注明"])
    for i in result.items:
        pdf.ln(3)
        para(f"【{STATUS_NAMES[i.status]}】{_doc_name(i)}{i.article_label} {i.title}", 11.5, 7)
        para(f"措施:{i.measure};金额:{_money(i)};责任单位:{'、'.join(i.departments) or '未注明'}", 9.5)
        for s in i.steps:
            para(f"·{s}", 9.5)
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
