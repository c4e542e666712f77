"""The Gradio app: 智能问答, 条文检索, 补贴计算器, 政策体检, 文件库, and for staff 未解答问题 and
上传文件. Layout only; behaviour is in `ui.handlers`, serving in `ui.server`. Offline by design:
analytics off, system fonts, no CDN assets, never a share link."""

from __future__ import annotations

from functools import partial
from typing import Any, Callable

from assistant.config import Settings, load_settings  # sets the offline environment first

import gradio as gr  # noqa: E402  (after assistant.config)

from assistant.chain import Assistant  # noqa: E402
from assistant.feedback import FeedbackStore  # noqa: E402

from .handlers import ALL_DOCUMENTS, CHOICES, EXAMPLES, Handlers  # noqa: E402

SYSTEM_FONTS = ["system-ui", "-apple-system", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei",
                "Noto Sans CJK SC", "sans-serif"]
CSS = """
.pa-card {border: 1px solid #d0d7de; border-radius: 8px; padding: 10px 12px; margin: 8px 0;}
.pa-head {font-weight: 600; margin-bottom: 4px;}
.pa-score {font-weight: 400; color: #57606a; font-size: 0.85em; margin-left: 6px;}
.pa-dept {color: #57606a; font-size: 0.9em; margin-bottom: 6px;}
.pa-text {line-height: 1.7;}
.pa-text mark {background: #fff3b0; padding: 0 1px;}
.pa-warn {color: #9a6700;}
.pa-banner {background: #fff8c5; border: 1px solid #d4a72c; border-radius: 6px; padding: 8px 12px;}
@media (max-width: 640px) { .pa-card {padding: 8px;} }
"""
CACHE_CLEANUP = (600, 1800)
"""Every 10 minutes, files Gradio copied for this app (reports offered for download) older than
30 minutes are deleted: public 政策体检 calls do not fill the disk."""
SESSION_TTL = 3600
"""Seconds a browser session's state lives without use (Gradio state is not kept forever)."""


def theme() -> gr.themes.Base:
    return gr.themes.Soft(font=SYSTEM_FONTS, font_mono=["ui-monospace", "Consolas", "monospace"])


def calculator_form(h: Handlers, rule: Any, open_: bool, multi: bool) -> None:
    """One form per rule of the rule book: its amount, excluded part and conditions."""
    title = f"第{rule.article}条 {rule.name}"
    if multi:
        title = f"《{h.assistant.corpus.document(rule.doc_id).short_title}》{title}" \
            if h.assistant.corpus.document(rule.doc_id) else title
    with gr.Accordion(title, open=open_):
        amount = gr.Textbox(label=rule.amount_label, visible=rule.needs_amount)
        excluded = gr.Textbox(label=f"其中{rule.excluded_label}(可不填)", visible=rule.excluded is not None)
        choices = [gr.Radio(CHOICES, value="不确定", label=c.label) for c in rule.conditions]
        button = gr.Button("计算", variant="primary")
        out = gr.Markdown()
        button.click(partial(h.calculate, rule.id), [amount, excluded, *choices], out,
                     api_name=f"calc_{rule.cli.replace('-', '_')}")


def match_tab(h: Handlers) -> None:
    """政策体检: a form built from the profile model of this library."""
    gr.Markdown("填写企业情况(不确定的可不填),查看可申请的全部政策、金额和责任单位,并导出报告。")
    with gr.Row():
        location = gr.Textbox(label="企业注册地(如 杭州市滨江区)", scale=1)
        text = gr.Textbox(label="或用一段话描述企业情况(可选)", scale=2,
                          placeholder="例如:我们是杭州的人形机器人整机企业,首台套产品对非关联方销售3000万元……")
    fields = h.profile_fields()
    inputs: list[Any] = []
    with gr.Accordion("企业情况(是/否)", open=True):
        with gr.Row():
            for f in [f for f in fields if f.kind != "amount"]:
                inputs.append(gr.Radio(CHOICES, value="不确定", label=f.label, min_width=220))
    with gr.Accordion("金额(元,可写 3000万、1.2亿)", open=True):
        with gr.Row():
            for f in [f for f in fields if f.kind == "amount"]:
                inputs.append(gr.Textbox(label=f.label, min_width=220))
    ordered = [f for f in fields if f.kind != "amount"] + [f for f in fields if f.kind == "amount"]
    run = gr.Button("开始体检", variant="primary", elem_id="pa-match")
    result = gr.Markdown(elem_id="pa-match-result")
    with gr.Row():
        md_file = gr.File(label="报告(Markdown)", interactive=False)
        pdf_file = gr.File(label="报告(PDF)", interactive=False)

    def submit(loc: str, desc: str, *values: str) -> tuple[str, Any, Any]:
        by_name = dict(zip([f.name for f in ordered], values))
        return h.match_form(loc, desc, *[by_name.get(f.name, "") for f in fields])

    run.click(submit, [location, text, *inputs], [result, md_file, pdf_file], api_visibility="private")


def build_app(handlers: Handlers, staff: bool = False, uploads: bool = False) -> gr.Blocks:
    """The layout. Staff views (未解答问题, 上传文件) only when the app has a login."""
    h = handlers
    with gr.Blocks(title="杭州智能机器人政策助手", analytics_enabled=False,
                   delete_cache=CACHE_CLEANUP) as demo:
        gr.Markdown("## 杭州市智能机器人产业政策助手")
        gr.Markdown(h.document_header(), elem_classes=["pa-banner"])
        session = gr.State(h.new_session, time_to_live=SESSION_TTL)
        refs = gr.State(list, time_to_live=SESSION_TTL)

        with gr.Tab("智能问答", id="chat"):
            chatbot = gr.Chatbot(label="对话", height=520, elem_id="pa-chatbot",
                                 feedback_options=("Like", "Dislike"), sanitize_html=True,
                                 placeholder="请输入关于杭州智能机器人产业政策的问题")
            with gr.Row():
                box = gr.Textbox(placeholder="例如:人形机器人首台套销售额3000万元补助多少?", show_label=False,
                                 scale=5, elem_id="pa-question", max_length=2000)
                send = gr.Button("提问", variant="primary", scale=1, elem_id="pa-send")
            with gr.Row(visible=False) as quick:
                yes = gr.Button("是", elem_id="pa-yes")
                no = gr.Button("否", elem_id="pa-no")
            gr.Examples(EXAMPLES, inputs=box, label="示例问题")
            with gr.Row():
                comment = gr.Textbox(label="对最近一条回答的意见(可选)", scale=4, max_length=2000)
                up = gr.Button("👍 有帮助", scale=1)
                down = gr.Button("👎 没帮助", scale=1)
            status = gr.Markdown("")
            clear = gr.Button("新对话")

            def show(visible: bool) -> Any:
                return gr.update(visible=bool(visible))

            def chat(message: str, history: Any, sid: str, rs: Any) -> Any:
                for hist, cleared, new_refs, ask in h.chat_stream(message, history, sid, rs):
                    yield hist, cleared, new_refs, show(ask)

            outputs = [chatbot, box, refs, quick]
            for trigger in (send.click, box.submit):
                trigger(chat, [box, chatbot, session, refs], outputs, api_visibility="private")
            yes.click(partial(chat, "是"), [chatbot, session, refs], outputs, api_visibility="private")
            no.click(partial(chat, "否"), [chatbot, session, refs], outputs, api_visibility="private")
            up.click(lambda rs, c: h.rate_last(rs, True, c), [refs, comment], [status],
                     api_visibility="private")
            down.click(lambda rs, c: h.rate_last(rs, False, c), [refs, comment], [status],
                       api_visibility="private")

            def on_like(rs: list, c: str, data: gr.LikeData) -> str:
                return h.rate_message(data.index, bool(data.liked), rs, c)

            chatbot.like(on_like, [refs, comment], [status], api_visibility="private")
            clear.click(lambda: ([], h.new_session(), [], "", gr.update(visible=False)), None,
                        [chatbot, session, refs, status, quick], api_visibility="private")

        with gr.Tab("条文检索", id="lookup"):
            with gr.Row():
                query = gr.Textbox(label="关键词或问题", placeholder="例如:减速器 / 出海 / 责任单位",
                                   scale=4, elem_id="pa-lookup", max_length=2000)
                doc_filter = gr.Dropdown(h.document_choices(), value="", label="文件", scale=2)
                find = gr.Button("检索", variant="primary", scale=1)
            with gr.Row():
                number = gr.Textbox(label="直达第N条(数字)", max_length=12, scale=1)
                jump = gr.Button("打开", scale=1)
            reply = gr.Textbox(label="答复口径(可复制)", lines=4, buttons=["copy"], interactive=False)
            results = gr.HTML()
            article_view = gr.Markdown()
            find.click(h.lookup, [query, doc_filter], [results, reply], api_name="lookup")
            query.submit(h.lookup, [query, doc_filter], [results, reply], api_visibility="private")
            jump.click(h.article_text, [number, doc_filter], [article_view], api_name="article")
            number.submit(h.article_text, [number, doc_filter], [article_view], api_visibility="private")

        with gr.Tab("补贴计算器", id="calc"):
            gr.Markdown("金额可写作 3000万、1.2亿元、5000元 或 30000000。条件不确定时选“不确定”,结果会说明假设。")
            rules = h.assistant.rules.rules
            multi = len({r.doc_id for r in rules}) > 1
            for i, rule in enumerate(rules):
                calculator_form(h, rule, open_=i == 0, multi=multi)

        with gr.Tab("政策体检", id="match"):
            match_tab(h)

        with gr.Tab("文件库", id="library"):
            gr.Dataframe(value=h.library_rows(), headers=["文件", "文号", "状态", "日期", "版本", "编号"],
                         interactive=False, wrap=True)
            choice = gr.Dropdown([(label, value) for label, value in h.document_choices() if value],
                                 label="打开文件")
            text = gr.Markdown(h.document_markdown(), elem_id="pa-document")
            choice.change(h.document_markdown, [choice], [text], api_visibility="private")

        if staff:
            with gr.Tab("未解答问题", id="unanswered"):
                gr.Markdown("政策未覆盖(found=false)的提问,用于发现语料缺口。")
                table = gr.Dataframe(headers=["时间", "问题"], interactive=False)
                gr.Button("刷新").click(h.unanswered, None, table, api_name="unanswered")
            if uploads:
                with gr.Tab("上传文件", id="upload"):
                    gr.Markdown("加入新的政策文件(.txt、.docx、.pdf、.html)。元数据从文件中读取,"
                                "也可逐行填写覆盖,如 `status=正式`、`doc_number=杭政办函〔2024〕66号`。")
                    upload = gr.File(label="政策文件", file_types=[".txt", ".docx", ".pdf", ".html", ".htm"])
                    meta = gr.Textbox(label="元数据(可选,每行 KEY=VALUE)", lines=3)
                    replace = gr.Checkbox(label="替换同名文件(更新已有文件,编号不变)", value=False)
                    done = gr.Markdown()
                    gr.Button("加入文件库", variant="primary").click(h.upload, [upload, meta, replace], [done],
                                                                   api_visibility="private")
                    progress = gr.Markdown()
                    gr.Button("刷新进度").click(h.upload_status, None, [progress], api_visibility="private")

        # API-only endpoints for integrations (the lean JSON API is in ui.server).
        def ask(question: str, session_id: str = "") -> dict:
            """A question in a session (CONTRACT.md JSON plus answer_id and answer_token)."""
            return h.ask(question, session_id, "api")

        def rate(answer_id: int, token: str, liked: bool, comment: str = "") -> str:
            """👍 (liked=true) or 👎 for an answer, with the token returned with it."""
            return h.rate(answer_id, token, liked, comment)

        def match(request: dict) -> dict:
            """政策体检: {"profile": {...}} or {"text": "…"}."""
            return h.match_json(request)

        gr.api(ask, api_name="ask")
        gr.api(rate, api_name="rate")
        gr.api(match, api_name="match")
    return demo


def make_handlers(settings: Settings | None = None,
                  progress: Callable[[str, int, int], None] | None = None) -> Handlers:
    settings = settings or load_settings()
    assistant = Assistant(settings, progress=progress)
    pending = assistant.open_ready()  # the index (or the part of the library it holds) before serving
    handlers = Handlers(assistant, FeedbackStore(settings.db_path))
    if pending:  # documents added or changed since the index was built: embedded while serving
        handlers._index_in_background("新增或修改的文件")
    return handlers


def launch(host: str | None = None, port: int | None = None, block: bool = True,
           progress: Callable[[str, int, int], None] | None = None,
           settings: Settings | None = None) -> Any:
    """Build the index if needed and serve the app and the JSON API (never a share link)."""
    from .security import Credentials
    from .server import serve

    settings = settings or load_settings()
    Credentials.parse(settings.ui_auth)  # a malformed POLICY_UI_AUTH fails before any work
    handlers = make_handlers(settings, progress)
    return serve(handlers, settings, host or settings.ui_host, port or settings.ui_port, block=block)
