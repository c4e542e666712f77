"""The 政策体检 tab and `/api/match`: a company's profile from the form (a description in words fills
what the form leaves open), the measures it matches with Markdown and PDF reports, and the profile
as an editable table (项目 / 值 / 原文) that recomputes."""

from __future__ import annotations

import html
import logging
import uuid
from dataclasses import replace
from typing import Any

from assistant.answer.chain import Assistant, validate_question
from assistant.answer.compose import document_notices
from assistant.errors import PolicyAssistantError
from assistant.lang.amounts import format_yuan, parse_amount
from assistant.lang.text import inert
from assistant.match.matching import MatchError, summary_markdown

from .downloads import Downloads
from .forms import NO, YES
from .render import SORRY, WARN, inert_markdown, match_html, strong

log = logging.getLogger("policy-assistant.ui")
NOTHING_FOUND = ("根据填写的信息,暂未找到适用的条款。请补充企业所在地、主营产品,以及销售额、采购额、"
                 "投资额等信息。")
MEASURE_KEYS = ("pending", "counts", "places")
"""Profile keys about a measure as a whole (rows of their own in the 政策体检 table)."""
PROFILE_HEAD = ["项目", "值", "原文"]
"""The columns of the profile table."""


LOCATION_LABEL = "企业注册地"
"""The profile table's row of the registration place."""


class CheckupHandlers:
    """The 政策体检 form, its editable profile table and its reports."""

    def __init__(self, assistant: Assistant, downloads: Downloads) -> None:
        self.assistant = assistant
        self.downloads = downloads

    def profile_fields(self) -> list[Any]:
        return list(self.assistant.matcher.schema.fields.values())

    def _form_profile(self, location: str, text: str, values: tuple[str, ...]) -> dict[str, Any]:
        """A profile from the 体检 form: a description in words fills what the form leaves open."""
        return self._form_read(location, text, values)[0]

    def _form_read(self, location: str, text: str, values: tuple[str, ...]) -> tuple[dict[str, Any], list[Any]]:
        """(the form's profile, what the description was read into with its spans, where the form
        did not override it)."""
        matcher = self.assistant.matcher
        profile: dict[str, Any] = {}
        facts: list[Any] = []
        if (text or "").strip():
            profile, facts = matcher.read_text(text)
        if (location or "").strip():
            profile["location"] = location.strip()[:100]
        for f, value in zip(self.profile_fields(), values):
            value = (value or "").strip()
            if f.kind == "amount":
                if value:
                    profile[f.name] = parse_amount(value, f.label)
            elif value in (YES, NO):
                profile[f.name] = value == YES
        return profile, [x for x in facts if profile.get(x.field) == x.value]

    def match_form(self, location: str, text: str, *values: str) -> tuple[str, Any, Any]:
        """The 体检 form: (result markdown, Markdown report file, PDF report file)."""
        try:
            result = self.assistant.matcher.match(self._form_profile(location, text, values))
        except (PolicyAssistantError, MatchError) as exc:
            return f"{WARN}{html.escape(str(exc))}", None, None
        except Exception:  # noqa: BLE001
            log.exception("match failed")
            return f"{WARN}{SORRY}", None, None
        if not result.items:
            return NOTHING_FOUND, None, None
        md_path, pdf_path = self._reports_for(result)
        notice = document_notices(self.assistant.corpus, [i.doc_id for i in result.items])
        body = inert_markdown(summary_markdown(result)) + (f"\n\n_{inert(notice)}_" if notice else "")
        return strong(body), md_path, pdf_path

    def match_view(self, location: str, text: str, *values: str) -> tuple[str, Any, Any, list[list[str]]]:
        """(result HTML, Markdown report, PDF report, the profile as read: 项目 / 值 / 原文)."""
        try:
            profile, facts = self._form_read(location, text, values)
        except (PolicyAssistantError, MatchError) as exc:
            return f"<p class='pa-warn'>{WARN}{html.escape(str(exc))}</p>", None, None, []
        return self._match_outputs(profile, facts)

    @staticmethod
    def read_location(rows: list[list[str]]) -> str:
        """The registration place a description was read into (the profile table's 企业注册地 row)."""
        return next((r[1] for r in rows if len(r) >= 2 and r[0] == LOCATION_LABEL and r[1]), "")

    def recompute(self, rows: Any) -> tuple[str, Any, Any, list[list[str]]]:
        """重新计算 from the edited profile table (a cleared value counts as unknown)."""
        try:
            profile = self.profile_from_rows(rows)
        except (PolicyAssistantError, MatchError) as exc:
            return f"<p class='pa-warn'>{WARN}{html.escape(str(exc))}</p>", None, None, self._rows_list(rows)
        outputs = self._match_outputs(profile)
        before = {r[0]: r for r in self._rows_list(rows) if len(r) >= 3}
        kept = []
        for row in outputs[3]:  # the source of a value the user did not change stays with it
            old = before.get(row[0])
            source = (old[2] if old[1] == row[1] else "(已修改)") if old is not None else row[2]
            kept.append([row[0], row[1], source])
        return outputs[0], outputs[1], outputs[2], kept

    def _match_outputs(self, profile: dict[str, Any], facts: list[Any] | None = None) \
            -> tuple[str, Any, Any, list[list[str]]]:
        try:
            result = self.assistant.matcher.match(profile)
            if facts:
                result = replace(result, read=list(facts))
        except (PolicyAssistantError, MatchError) as exc:
            return f"<p class='pa-warn'>{WARN}{html.escape(str(exc))}</p>", None, None, []
        except Exception:  # noqa: BLE001
            log.exception("match failed")
            return f"<p class='pa-warn'>{WARN}{SORRY}</p>", None, None, []
        rows = self.profile_rows(result)
        if not result.items:
            return f"<p>{NOTHING_FOUND}</p>", None, None, rows
        md_path, pdf_path = self._reports_for(result)
        notice = document_notices(self.assistant.corpus, [i.doc_id for i in result.items])
        return match_html(result, notice), md_path, pdf_path, rows

    def _field_labels(self) -> dict[str, str]:
        labels = {"location": LOCATION_LABEL, "name": "企业名称"}
        labels.update({f.name: f.label for f in self.profile_fields()})
        return labels

    def _measure_labels(self) -> dict[tuple[str, str], str]:
        """Rows for what a description says about a measure as a whole (profile `pending`,
        `counts`, `places`): (key, rule id) → the row's label."""
        out: dict[tuple[str, str], str] = {}
        for rule in self.assistant.rules.rules:
            out[("pending", rule.id)] = f"{rule.name}:尚未确定(申报中或计划数)"
            if rule.per_unit is not None:
                out[("counts", rule.id)] = f"{rule.name}:{rule.per_unit.nouns[0]}个数"
            if rule.profile.project_place:
                out[("places", rule.id)] = f"{rule.name}:项目所在地"
        return out

    def _measure_rows(self, profile: dict[str, Any]) -> list[list[str]]:
        labels = self._measure_labels()
        rows = []
        for rule_id in profile.get("pending") or []:
            if ("pending", rule_id) in labels:
                rows.append([labels[("pending", rule_id)], "是", ""])
        for key in ("counts", "places"):
            for rule_id, value in (profile.get(key) or {}).items():
                if (key, rule_id) in labels:
                    rows.append([labels[(key, rule_id)], str(value), ""])
        return rows

    def profile_rows(self, result: Any) -> list[list[str]]:
        """Each field that was read or that an item still needs: label, value, source text."""
        data = result.to_dict() if hasattr(result, "to_dict") else dict(result)
        profile = data.get("profile") or {}
        read = getattr(result, "read", None) or data.get("read") or []
        sources: dict[str, list[str]] = {}
        for r in read if isinstance(read, list) else []:
            r = r.to_dict() if hasattr(r, "to_dict") else r
            if isinstance(r, dict) and isinstance(r.get("field"), str):
                sources.setdefault(r["field"], []).append(str(r.get("text") or ""))
        kinds = {f.name: f.kind for f in self.profile_fields()}
        needed = [m for i in data.get("items", []) for m in i.get("missing", []) if m in kinds]
        names = [n for n, v in profile.items() if v not in (None, "", [], {})
                 and n not in MEASURE_KEYS] + needed
        rows = []
        for name in dict.fromkeys(names):
            value = profile.get(name)
            if value is None or value == "":
                shown_value = ""
            elif kinds.get(name) == "amount":
                shown_value = format_yuan(int(value))
            elif isinstance(value, bool):
                shown_value = "是" if value else "否"
            else:
                shown_value = str(value)
            rows.append([self._field_labels().get(name, name), shown_value, ";".join(sources.get(name, []))])
        return rows + self._measure_rows(profile)

    @staticmethod
    def _rows_list(rows: Any) -> list[list[str]]:
        if hasattr(rows, "values") and hasattr(rows, "columns"):  # a pandas DataFrame
            rows = rows.values.tolist()
        return [[("" if c is None else str(c)) for c in r] for r in (rows or [])]

    def profile_from_rows(self, rows: Any) -> dict[str, Any]:
        """The profile the edited table states (labels back to fields; 是/否, amounts, text)."""
        by_label = {label: name for name, label in self._field_labels().items()}
        measures = {label: key for key, label in self._measure_labels().items()}
        kinds = {f.name: f for f in self.profile_fields()}
        profile: dict[str, Any] = {}
        for row in self._rows_list(rows):
            if len(row) < 2:
                continue
            label, value = row[0].strip(), row[1].strip()
            if label in measures and value:
                self._measure_value(profile, measures[label], label, value)
                continue
            name = by_label.get(label)
            if name is None:
                raise MatchError(f"表中没有“{label[:30]}”这一项。")
            if not value:
                continue
            f = kinds.get(name)
            if f is None:
                profile[name] = value[:100]
            elif f.kind == "amount":
                profile[name] = parse_amount(value, f.label)
            elif value in (YES, NO):
                profile[name] = value == YES
            else:
                raise MatchError(f"“{f.label}”请填 是 或 否(收到“{value[:20]}”)。")
        return profile

    @staticmethod
    def _measure_value(profile: dict[str, Any], key: tuple[str, str], label: str, value: str) -> None:
        kind, rule_id = key
        if kind == "pending":
            if value not in (YES, NO):
                raise MatchError(f"“{label}”请填 是 或 否(收到“{value[:20]}”)。")
            if value == YES:
                profile.setdefault("pending", []).append(rule_id)
        elif kind == "counts":
            if not value.isdigit() or not 1 <= int(value) <= 100:
                raise MatchError(f"“{label}”请填 1 到 100 的整数(收到“{value[:20]}”)。")
            profile.setdefault("counts", {})[rule_id] = int(value)
        else:
            profile.setdefault("places", {})[rule_id] = value[:100]

    def _reports_for(self, result: Any) -> tuple[str | None, str | None]:
        from assistant.match.report import ReportError, markdown_report, pdf_report

        labels = {f.name: f.label for f in self.profile_fields()}
        self.downloads.prune()
        stem = self.downloads.folder / f"policy-check-{uuid.uuid4().hex[:8]}"
        md = stem.with_suffix(".md")
        md.write_text(markdown_report(result, labels), encoding="utf-8")
        try:
            pdf = stem.with_suffix(".pdf")
            pdf.write_bytes(pdf_report(result, labels, self.assistant.settings.pdf_font or None))
        except ReportError:
            log.warning("no CJK font for the PDF report")
            return str(md), None
        return str(md), str(pdf)

    def match_json(self, data: Any) -> dict[str, Any]:
        """The `/api/match` body: {"profile": {...}} or {"text": "…"} → CONTRACT.md's object."""
        if not isinstance(data, dict):
            return {"error": "请求体必须是 JSON 对象:{\"profile\": {...}} 或 {\"text\": \"…\"}。"}
        matcher = self.assistant.matcher
        try:
            if isinstance(data.get("text"), str) and data["text"].strip():
                return matcher.match_text(validate_question(data["text"])).to_dict()
            elif isinstance(data.get("profile"), dict):
                profile = matcher.validate(data["profile"])
            else:
                return {"error": "请提供 profile(对象)或 text(企业情况描述)。"}
            return matcher.match(profile).to_dict()
        except (PolicyAssistantError, MatchError) as exc:
            return {"error": str(exc)}
        except Exception:  # noqa: BLE001
            log.exception("match failed")
            return {"error": SORRY}
