"""What a policy text says about itself: `read_metadata(text, parsed=None) -> TextMetadata`.

Pure functions over the text (one paragraph per line, as `ingest.read_source` gives it): title,
文号, issuer, date, status, consultation period, contact, effective period and basis. Every field
is optional; a field the text does not state is None (or empty).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from ..errors import ParseError
from ..lang.cues import data, pattern, pattern_source
from ..lang.places import find_places
from .parsing import ParsedDocument, clean_lines, find_title, parse_policy

Status = Literal["征求意见稿", "草案", "正式", "废止"]
DRAFT_STATUSES: tuple[Status, ...] = ("征求意见稿", "草案")
"""The statuses of a text not yet issued."""
REPEALED: Status = "废止"
"""The status of a text no longer in force."""

_WORDS = data("document_text.json")
_CN_DIGIT: dict[str, int] = _WORDS["year_digits"]
DATE = pattern_source("full_date")
"""A full date: 2024年12月20日, 二〇二四年十二月二十日, 2024-12-20, 2024/12/20, 2024.12.20."""
_DOC_NUMBER_LINE = pattern("document_number_line")
_ANNOUNCEMENT_NUMBER = pattern("announcement_number")
_TITLE_THEN_NUMBER = pattern("title_then_document_number")
"""A 公告's number (`公告第 44 号`, its issuer on the line above or before it)."""
_ORG_SUFFIX = tuple(_WORDS["organisation_endings"])
_REPEALED = pattern("repealed")
_CONSULTING = pattern("asks_public_comments")
_NOTICE = pattern("issuing_notice")
_CONTACT_SENTENCE = pattern("contact_sentence")
_LABEL = pattern("contact_label")
_PHONE = pattern("phone_number")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_BASIS_KEY = pattern("basis_lead")
_MAKING = pattern("making_sentence")
_DRAFTED = pattern("drafted_by")


class TextMetadata(BaseModel):
    """What a policy text states about itself. Every field is optional (None when not stated)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: str | None = None
    """The document title (a title line, else the name in the announcement/notice heading)."""
    doc_number: str | None = None
    """文号 as written, e.g. 杭政办函〔2024〕66号, 钱政发〔2025〕8号 (also with [] () 【】)."""
    issuer: str | None = None
    """The issuing body: the 落款 line above the date of a notice or announcement, else the
    drafter."""
    drafter: str | None = None
    """The department the text says drafted it (`市经信局起草了《…》`)."""
    date: dt.date | None = None
    """Issue date (the date under the 落款, or 发布日期/印发日期)."""
    status: Status | None = None
    """征求意见稿, 草案, 正式 (has a 文号 or an issuing notice) or 废止; None when not evident."""
    consultation_start: dt.date | None = None
    """First day of the public-comment period."""
    consultation_end: dt.date | None = None
    """Last day of the public-comment period (also from 截至…)."""
    contact: str | None = None
    """Whom to contact: `请与…联系`, else 联系单位, else 联系人."""
    contact_person: str | None = None
    """联系人, e.g. 周先生."""
    phone: str | None = None
    """联系电话 as written, e.g. 0571-85150321."""
    email: str | None = None
    """电子邮箱."""
    effective_from: dt.date | None = None
    """First day in force (`自2025年4月18日起施行`; `自印发之日起` = the issue date of a final text)."""
    effective_until: dt.date | None = None
    """Last day in force (`有效期至…`, or `有效期N年` counted from effective_from)."""
    basis: tuple[str, ...] = ()
    """Titles in 《》 the text names as its basis (`根据《…》`)."""
    addressee: str | None = None
    """主送 of an issuing notice: the line addressed to (`各区、县(市)人民政府,市政府各部门:`)."""
    found_by: tuple[tuple[str, str], ...] = ()
    """(field, where it was read) for title, doc_number, issuer, date, status."""

    def to_meta_dict(self) -> dict[str, Any]:
        """The fields in the shape of `<stem>.meta.json` (consultation as {start, end}; ISO
        dates; fields that are not stated left out)."""
        out: dict[str, Any] = {}
        for name in ("title", "doc_number", "issuer", "drafter", "date", "status", "contact",
                     "phone", "email", "effective_from", "effective_until"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value.isoformat() if isinstance(value, dt.date) else value
        if self.consultation_start or self.consultation_end:
            out["consultation"] = {
                "start": self.consultation_start.isoformat() if self.consultation_start else None,
                "end": self.consultation_end.isoformat() if self.consultation_end else None}
        if self.basis:
            out["basis"] = list(self.basis)
        if self.addressee:
            out["addressee"] = self.addressee
        if self.found_by:
            out["found_by"] = dict(self.found_by)
        return out


# --------------------------------------------------------------------------- dates


def _cn_small(text: str) -> int:
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN_DIGIT.get(tens, 1) if tens else 1) * 10 + (_CN_DIGIT.get(ones, 0) if ones else 0)
    return _CN_DIGIT.get(text, 0)


def parse_date(text: str, year: int | None = None) -> dt.date | None:
    """A date written as 2024年12月20日, 二〇二四年十二月二十日, 2024-12-20 or 12月20日 (with `year`)."""
    text = text.strip()
    m = pattern("short_date_parts").fullmatch(text)
    if m:
        y = int(m.group(1)) if m.group(1) else year
        parts = (y, int(m.group(2)), int(m.group(3)))
    else:
        m = pattern("chinese_date_parts").fullmatch(text)
        if m:
            parts = (int("".join(str(_CN_DIGIT[c]) for c in m.group(1))),
                     _cn_small(m.group(2)), _cn_small(m.group(3)))
        else:
            m = re.fullmatch(r"(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})", text)
            if not m:
                return None
            parts = (int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if parts[0] is None:
        return None
    try:
        return dt.date(parts[0], parts[1], parts[2])
    except ValueError:
        return None


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


# --------------------------------------------------------------------------- fields


def _labelled_doc_number(lines: list[str]) -> tuple[str | None, str]:
    """(文号, where it was read) from a 文号 line (also a page's `发文字号: | …` cell)."""
    for ln in lines[:40]:
        m = _DOC_NUMBER_LINE.match(ln)
        if m:
            return re.sub(r"\s+", "", m.group(1)), "文号 line of the text"
    return None, ""


def _doc_number(lines: list[str]) -> tuple[str | None, str]:
    """(文号, where it was read): a 文号 line (also a page's `发文字号: | …` cell), else a 公告's
    number with its issuer (`浙江省…常务委员会` / `公告第 44 号`)."""
    labelled = _labelled_doc_number(lines)
    if labelled[0]:
        return labelled
    for ln in lines[:40]:
        m = _TITLE_THEN_NUMBER.match(ln.strip())
        if m:
            return re.sub(r"\s+", "", m.group(2)), "文号 after the heading on its line"
    for i, ln in enumerate(lines[:40]):
        m = _ANNOUNCEMENT_NUMBER.match(ln)
        if m:
            issuer = m.group(1) or (lines[i - 1] if i and is_org(lines[i - 1]) else "")
            if issuer:
                return re.sub(r"\s+", "", f"{issuer}公告{m.group(2)}"), "公告 number line of the text"
    return None, ""


def is_org(line: str) -> bool:
    return (2 <= len(line) <= 40 and not re.search(r"[。,，;；:：!！?？]", line)
            and line.endswith(_ORG_SUFFIX))


_SEAL = pattern("seal")
_ITEM_START = pattern("item_start")
"""(2.…申报书, an attachment's line above a 落款, is no first half of the organisation's name)"""
_REPORTED_ISSUE = pattern("reported_issue")
_TITLE_ISSUER = pattern("issuer_before_about")


def _signature(lines: list[str], i: int) -> str | None:
    """The 落款 above line i: one line, or an organisation's name broken over two (`…(代章)`)."""
    if i < 1:
        return None
    last = _SEAL.sub("", lines[i - 1])
    before = lines[i - 2] if i >= 2 else ""
    if before and not is_org(before) and not re.search(r"[。,，;；:：!！?？]", before) \
            and not _ITEM_START.match(before) and not any(m.start == 0 for m in find_places(last)) \
            and len(before) <= 30 and is_org(before + last) and len(before + last) <= 40:
        # (a name that starts with its place is whole: 扫描二维码下载附件 above it is the page's)
        return before + last  # 浙江省制造业高质量发展(数字经济发展) / 领导小组办公室(代章)
    if not is_org(last):
        return None
    # joint issuers signed over several lines, names separated by spaces (工业和信息化部 教育部 …
    # / … / 能源局 国防科工局 邮政局; 深圳市工业和信息化局 深圳市科技创新局 / 深圳市财政局): every
    # line of the block above the date
    block = [last]
    k = i - 2
    while k >= 0:
        line = lines[k]
        if _org_list(line):
            block.insert(0, line)
        elif _signer_line(line) and k >= 1 and _org_list(lines[k - 1]):
            block.insert(0, line)  # 广东省科学技术 between two signers: a name the page cut short
        elif line.split() and not is_org(line.split()[-1]) and " " not in block[0] and block[0].startswith(_ORG_SUFFIX) \
                and is_org(line.split()[-1] + block[0]) and _org_list(line.rsplit(" ", 1)[0] + " " + block[0]):
            block[0] = line + block[0]  # 中共重庆市委网络安全和信息化 / 委员会办公室: one name over two lines
        else:
            break
        k -= 1
    return " ".join(block)


SIGNER_LINE_MAX = 20


def _signer_line(line: str) -> bool:
    """A short line of no sentence starting with a place's name (广东省科学技术): a signer's name."""
    return len(line) <= SIGNER_LINE_MAX and " " not in line and any(m.start == 0 for m in find_places(line)) \
        and not re.search(r"[。,，;；:：!！?？《》\d]", line)


def _org_list(line: str) -> bool:
    """A line of organisations' names separated by spaces, or one organisation's name (a joint
    signature's line: 广东省工业和信息化厅 / 广东省公安厅 / 广东省交通运输厅, one per line)."""
    return len(line) <= 40 and is_org(line.split()[-1]) and not re.search(r"[。,，;；:：!！?？《》]", line) \
        and (" " in line or is_org(line))


def issuer_from_title(title: str) -> str | None:
    """The issuer a notice's title names (`浙江省人民政府办公厅关于…`)."""
    m = _TITLE_ISSUER.match(title or "")
    return m.group(1) if m and m.group(1).endswith(_ORG_SUFFIX) else None


_DEBRIS = re.compile(r"(?:[\s\u3000]*\?){2,}[\s\u3000]*$|^(?:[\s\u3000]*\?)+[\s\u3000]*(?=\d)")
"""Encoding debris a page left after a 落款 or its date (`东阳市人民政府? ??`, `2026年1月15日? ?`), or
before the date (`? 2025年9月11日`, a full-width space the page lost)."""


def _issuer_and_date(lines: list[str]) -> tuple[str | None, dt.date | None, str]:
    """(issuer, date, where they were read)."""
    full_date = re.compile(rf"^({DATE})$")
    lines = [_DEBRIS.sub("", ln) for ln in lines]
    for i, ln in enumerate(lines):
        m = full_date.match(ln)
        signed = _signature(lines, i) if m else None
        if m and signed:
            return signed, parse_date(m.group(1)), "落款 (signature) above the date"
        m = re.match(rf"^(\S.{{1,38}}?)\s+({DATE})$", ln)
        if m and is_org(m.group(1)):
            return m.group(1), parse_date(m.group(2)), "落款 (signature) beside the date"
    for ln in lines:
        # a page run into one line: the notice's sentence, then its 落款 and date between spaces
        # (…现印发给你们,请结合实际,认真贯彻实施。 宁波市人民政府 2017年10月31日 宁波市…)
        for m in re.finditer(rf"[。!！]\s+(\S{{2,38}}?)\s+({DATE})(?=\s|$)", ln):
            if is_org(m.group(1)):
                return m.group(1), parse_date(m.group(2)), "落款 (signature) and date inside a line the page ran together"
    # (a regulation's date is when its congress adopted it, not its page's 生成日期)
    for ln in lines[:10]:
        adopted = pattern("adopted_by_congress").search(ln)
        m = re.search(DATE, ln[:adopted.start()]) if adopted else None
        if m:  # (2022 年 9 月 29 日陕西省第十三届人民代表大会常务委员会第三十六次会议通过)
            return None, parse_date(m.group(0)), "the date its congress adopted it"
    for ln in lines:
        m = pattern("issue_date_label").search(ln)
        if m:
            return None, parse_date(m.group(1)), "发布/印发日期 line"
    for ln in lines[:10]:
        m = _REPORTED_ISSUE.match(ln)  # 2025年6月13日杭州市人民政府下发通知《…》
        if m and is_org(m.group(2)):
            return m.group(2), parse_date(m.group(1)), "the sentence reporting its issue"
    for ln in lines[:10]:
        m = re.fullmatch(rf"[•·\s]*({DATE})", ln)  # a page's date line under its heading
        if m:
            return None, parse_date(m.group(1)), "a date line at the top of the page"
    return None, None, ""


def _drafter(text: str) -> str | None:
    """The department a text says drafted it (市经信局起草了《…》; 市数据局牵头编制: 市数据局), never
    a verb (研究编制《…》) nor a body that names itself (我厅组织编制)."""
    for clause in re.split(r"[,，。;；\n]", text):
        m = _DRAFTED.search(clause.strip())
        if m:
            name = _ROLE_TAIL.sub("", m.group(1))
            if is_org(name) and not _OWN_BODY.match(name):
                return name
    return None


_ROLE_TAIL = pattern("drafter_role_tail")
_OWN_BODY = pattern("own_body")


def _forwarder(text: str) -> str | None:
    """The body that forwarded a notice it passes on (`现将《…》转发给你们`) without signing it:
    the one its addressees send their returns to (`汇总表发送至滨江区经信局`)."""
    if not pattern("forwarding_notice").search(text):
        return None
    for m in pattern("replies_sent_to").finditer(text):
        if is_org(m.group(1)):
            return m.group(1)
    return None


CONSULTATION_HEADING_MAX = 16
"""A line this short that names the consultation (一、征求意见时间) is a heading: its dates follow."""


def _consultation(text: str) -> tuple[dt.date | None, dt.date | None]:
    pieces = re.split(r"[。\n]", text)
    for i, sentence in enumerate(pieces):
        if not pattern("comments_sentence").search(sentence):
            continue
        if len(sentence.strip()) <= CONSULTATION_HEADING_MAX and i + 1 < len(pieces):
            sentence = f"{sentence} {pieces[i + 1]}"  # 一、征求意见时间 / 2025年7月4日至2025年8月2日
        m = pattern("consultation_range").search(sentence)
        if m:
            start = parse_date(m.group(1))
            end = parse_date(m.group(2), start.year if start else None)
            return start, end
        m = pattern("consultation_deadline").search(sentence)
        if m:
            return None, parse_date(m.group(1))
    return None, None


def _label_values(text: str) -> dict[str, str]:
    """`联系人:周先生` style values (several may share a line)."""
    out: dict[str, str] = {}
    matches = list(_LABEL.finditer(text))
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        value = text[m.end():end]
        value = re.split(r"[\n;；。]|[,，]\s*(?=\S)", value, maxsplit=1)[0].strip(" ,，、")
        label = m.group(1).lower()
        if value and label not in out:
            out[label] = value
    return out


def _contact(text: str) -> tuple[str | None, str | None, str | None, str | None]:
    """(contact, person, phone, email)."""
    values = _label_values(text)
    m = _CONTACT_SENTENCE.search(text)
    unit = next((values[k] for k in _WORDS["contact_unit_labels"] if k in values), None)
    person = values.get("联系人")
    contact = (m.group(1).strip() if m else None) or unit or person
    phone = None
    for key in _WORDS["phone_labels"]:
        if key in values:
            pm = _PHONE.search(values[key])
            if pm:
                phone = pm.group(0).strip()
                break
    if phone is None:
        near = pattern("near_phone").search(text)
        pm = _PHONE.search(near.group(0)) if near else None
        phone = pm.group(0).strip() if pm else None
    email = None
    for key in _WORDS["email_labels"]:
        if key in values:
            em = _EMAIL.search(values[key])
            if em:
                email = em.group(0)
                break
    if email is None:
        em = _EMAIL.search(text)
        email = em.group(0) if em else None
    return contact, person, phone, email


def _contact_organisation(text: str) -> str | None:
    """The organisation a text gives to contact (`联系单位:某区财政局`, or named before the number
    in `联系电话:某区财政局 0571-…`): the department that wrote it, when nothing else names one."""
    values = _label_values(text)
    for key in (*_WORDS["contact_unit_labels"], *_WORDS["phone_labels"]):
        value = values.get(key, "")
        number = _PHONE.search(value)
        name = (value[:number.start()] if number else value).strip(" ,，、")
        if is_org(name):
            return name
    return None


def _effective(text: str, issued: dt.date | None, final: bool) -> tuple[dt.date | None, dt.date | None]:
    start = until = None
    m = pattern("effective_from_date").search(text)
    if m:
        start = parse_date(m.group(1))
    elif final and issued and pattern("effective_on_issue").search(text):
        start = issued
    m = pattern("valid_until_date").search(text) or pattern("in_force_until_date").search(text)
    if m:
        until = parse_date(m.group(1))
    elif start:
        m = pattern("valid_for_years").search(text)
        if m:
            n = int(m.group(1)) if m.group(1).isdigit() else _cn_small(m.group(1))
            until = _add_years(start, n) - dt.timedelta(days=1)
    return start, until


def _basis(text: str) -> tuple[str, ...]:
    """The documents a text says it is based on (根据《…》, 按照《…》), those of its making sentence
    (…,制定本办法) first."""
    out: list[str] = []
    made: list[str] = []
    for m in _BASIS_KEY.finditer(text):
        clause, depth = [], 0
        for ch in text[m.end():m.end() + 400]:
            if ch in "《(（":
                depth += 1
            elif ch in "》)）":
                depth = max(0, depth - 1)
            elif depth == 0 and ch in ",，;；。\n":
                break
            clause.append(ch)
        sentence_end = text.find("。", m.end()) % (len(text) + 1)  # (a page may break a title over lines)
        making = bool(_MAKING.search(text[m.end():sentence_end + 1]))
        for title in re.findall(r"《([^》]{2,100})》", re.sub(r"\s+", "", "".join(clause))):
            if title not in out:
                out.append(title)
                if making:
                    made.append(title)
    return tuple(made + [t for t in out if t not in made])


def status_and_reason(text: str, title: str, repealed: bool,
                      doc_number: str | None) -> tuple[Status | None, str]:
    """The status a text shows, and where it shows it."""
    if repealed:
        return "废止", "the text says it is repealed"
    if "征求意见稿" in title or "意见稿" in title:
        return "征求意见稿", "征求意见稿 in the title"
    if "草案" in title:
        return "草案", "草案 in the title"
    for word in _WORDS["regulation_draft_words"]:  # a regulation's drafts
        if word in title:
            return "草案", f"{word} in the title"
    if _CONSULTING.search(text):  # an announcement asking for comments
        return "征求意见稿", "the text asks for public comments"
    if doc_number:  # a final text may mention the 征求意见稿 it came from
        return "正式", "it has a 文号"
    if _NOTICE.search(text):
        return "正式", "an issuing notice"
    if pattern("adopted_by_congress").search(text):
        return "正式", "adopted by a people's congress"
    if "征求意见稿" in text:
        return "征求意见稿", "征求意见稿 in the text"
    return None, ""


def _status(text: str, title: str, repealed: bool, doc_number: str | None) -> Status | None:
    return status_and_reason(text, title, repealed, doc_number)[0]


_ADDRESSEE = pattern("addressee_line")


def _addressee(lines: list[str]) -> str | None:
    """主送: a line of addressees ending in a colon (`各区、县(市)人民政府,市政府各部门:`)."""
    for ln in lines[:15]:
        m = _ADDRESSEE.match(ln)
        if m:
            return m.group(1)
    return None


def _issuer_heading(lines: list[str], title: str) -> str | None:
    """The issuers printed over a document's title (`中共杭州市委 杭州市人民政府`): the line right
    above the title line, every name in it an organisation's."""
    if not title:
        return None
    for i, ln in enumerate(lines):
        if i and (ln == title or title.startswith(ln)):
            names = re.split(r"[ \u3000]+", lines[i - 1].strip())
            if i == 1 and not any(find_places(n) for n in names):
                return None  # 资讯中心 over 解读《…》: the page's section, the first line of the page
            if names and all(is_org(n) for n in names):
                return " ".join(names)
            return None
    return None


def _notice_issuer(lines: list[str], title: str) -> str | None:
    """The issuer named by the title line of the notice that issues the document
    (`某区人民政府关于<title>的通知` above the policy's own title `<title>`)."""
    if not title:
        return None
    for ln in lines:
        if ln != title and title in ln and not re.search(r"[。,，;；:：]", ln):
            issuer = issuer_from_title(ln)
            if issuer and title not in issuer:
                return issuer
    return None


_SITE = pattern("site_source")


_BANNER = pattern("government_banner")
_BREADCRUMB = pattern("breadcrumb")


def _site_issuer(lines: list[str]) -> tuple[str, str] | None:
    """(issuer, how) of a page that names its government's own site: its 来源
    (`来源:杭州高新区(滨江)门户网站`), or the site's banner (`嵊州市人民政府` alone on the first
    line, the page's breadcrumb under it); a government's own site publishes its own documents. Else
    a 来源 naming a department alone (来源: 丽水市经济和信息化局)."""
    for ln in lines:
        m = _SITE.search(ln)
        if m:
            return m.group(1), "the page's 来源 (the issuer's own site)"
    if len(lines) >= 2 and _BANNER.match(lines[0]) and _BREADCRUMB.search(lines[1]):
        return lines[0], "the page's site banner (the issuer's own site)"
    for ln in lines:
        m = _SOURCE_ORG.search(ln)
        named = m and (m.group(1) or m.group(2))
        if named and is_org(named):
            return named, "the page's 来源 (a department)"
    return None


_SOURCE_ORG = pattern("source_organisation")


def read_metadata(text: str, parsed: ParsedDocument | None = None) -> TextMetadata:
    """Read title, 文号, issuer, date, status, consultation, contact, effective period and basis
    from a policy text. Pure: no I/O; never raises for a text without structure (fields stay None).
    """
    lines = clean_lines(text)
    joined = "\n".join(lines)
    if parsed is None:
        try:
            parsed = parse_policy(joined)
        except ParseError:
            parsed = None
    if parsed is not None:
        title = parsed.title
        pre = [a for a in parsed.articles if a.kind == "preamble"]
        front = "\n".join(a.text for a in parsed.articles[:2])
        head_lines = pre[0].text.split("\n") if pre else []
    else:
        title = find_title(lines[:30])
        front = joined
        head_lines = lines[:40]
    doc_number, number_how = _doc_number(head_lines or lines)
    if doc_number is None and head_lines:  # (a page's field table above its title: | 文号: | 临政发〔2025〕21号 |)
        doc_number, number_how = _labelled_doc_number(lines)
    issuer, issued, how = _issuer_and_date(head_lines or lines)
    if issuer is None and head_lines:
        # (a page's 时间: label at its top dates the page; a 落款 further down, when there is one,
        # names the issuer and the date it signed)
        whole = _issuer_and_date(lines)
        if whole[0] is not None or issued is None:
            issuer, issued, how = whole
    issuer_how = how
    if issuer is None:
        heading = _issuer_heading(head_lines or lines[:30], title or "")
        if heading:
            issuer, issuer_how = heading, "issuers named over the title"
    if issuer is None:
        noticed = _notice_issuer(head_lines or lines[:30], title or "")
        if noticed:
            issuer, issuer_how = noticed, "the title line of the notice issuing it"
    drafter = _drafter(joined)
    if issuer is None:
        forwarder = _forwarder(joined)
        if forwarder:
            issuer, issuer_how = forwarder, "the body a forwarded notice's returns go to"
    titled = issuer_from_title(title or "") if issuer is None else None
    repealed = bool(_REPEALED.search(joined))
    status, status_reason = status_and_reason(joined, title or "", repealed, doc_number)
    addressee = _addressee(head_lines or lines)
    if status is None and addressee:
        status, status_reason = "正式", "a 主送 line (an issued document)"
    if status is None and issuer_how == "issuers named over the title":
        status, status_reason = "正式", "issuers named over the title (an issued document)"
    if issuer is None and titled is None and drafter is None:
        site = _site_issuer(head_lines or lines[:10])
        if site:
            issuer, issuer_how = site
    found_by = [("title", "title line of the text")] if title else []
    if doc_number:
        found_by.append(("doc_number", number_how))
    if issuer:
        found_by.append(("issuer", issuer_how))
    elif titled:
        found_by.append(("issuer", "the title (…关于…)"))
    elif drafter:
        found_by.append(("issuer", "the department the text says drafted it"))
    contacted = _contact_organisation(joined) if issuer is None and titled is None and drafter is None \
        else None
    if contacted:
        found_by.append(("issuer", "the organisation given to contact"))
    if issued:
        found_by.append(("date", "date under the 落款" if how.startswith("落款") else how))
    if status:
        found_by.append(("status", status_reason))
    start, end = _consultation(joined) if status in DRAFT_STATUSES or "征求意见" in joined \
        else (None, None)
    contact, person, phone, email = _contact(joined)
    eff_from, eff_until = _effective(joined, issued, status == "正式")
    return TextMetadata(
        title=title or None, doc_number=doc_number, issuer=issuer or titled or drafter or contacted, drafter=drafter,
        date=issued, status=status, consultation_start=start, consultation_end=end,
        contact=contact, contact_person=person, phone=phone, email=email,
        effective_from=eff_from, effective_until=eff_until, basis=_basis(front),
        addressee=addressee, found_by=tuple(found_by))
