"""The Gradio app: 智能问答, 条文检索, 补贴计算器, 政策原文 and 反馈. Layout only; behaviour is in
`ui.handlers`. Offline by design: analytics off, system fonts, no CDN assets, never `share=True`."""

from __future__ import annotations

import os
from functools import partial
from typing import Any, Callable

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import gradio as gr  # noqa: E402

from assistant.chain import Assistant  # noqa: E402
from assistant.config import Settings, load_settings  # noqa: E402
from assistant.errors import ConfigError  # noqa: E402
from assistant.feedback import FeedbackStore  # noqa: E402

from .handlers import CHOICES, EXAMPLES, Handlers  # noqa: E402

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


def theme() -> gr.themes.Base:
    return gr.themes.Soft(font=SYSTEM_FONTS, font_mono=["ui-monospace", "Consolas", "monospace"])


def calculator_form(h: Handlers, rule: Any, open_: bool) -> None:
    """One form per rule of the rule book: its amount, excluded part and conditions."""
    title = f"{rule.doc_id} 第{rule.article}条 {rule.name}" if len(
        {r.doc_id for r in h.assistant.rules.rules}) > 1 else f"第{rule.article}条 {rule.name}"
    with gr.Accordion(title, open=open_):
        amount = gr.Textbox(label=rule.amount_label, visible=rule.needs_amount)
        excluded = gr.Textbox(label=f"其中{rule.excluded_label}(可不填)", visible=rule.excluded is not None)
        choices = [gr.Radio(CHOICES, value="不确定", label=c.label) for c in rule.conditions]
        button = gr.Button("计算", variant="primary")
        out = gr.Markdown()
        button.click(partial(h.calculate, rule.id), [amount, excluded, *choices], out,
                     api_name=f"calc_{rule.cli.replace('-', '_')}")


def build_app(handlers: Handlers) -> gr.Blocks:
    h = handlers
    with gr.Blocks(title="杭州智能机器人政策助手", analytics_enabled=False) as demo:
        gr.Markdown("## 杭州市智能机器人产业政策助手")
        gr.Markdown(h.document_header(), elem_classes=["pa-banner"])
        session = gr.State(h.new_session)
        answer_ids = gr.State(list)

        with gr.Tab("智能问答", id="chat"):
            chatbot = gr.Chatbot(label="对话", height=520, elem_id="pa-chatbot",
                                 feedback_options=("Like", "Dislike"),
                                 placeholder="请输入关于《杭州市促进智能机器人产业高质量发展的实施意见》的问题")
            with gr.Row():
                box = gr.Textbox(placeholder="例如:人形机器人首台套销售额3000万元补助多少?", show_label=False,
                                 scale=5, elem_id="pa-question", max_length=2000)
                send = gr.Button("提问", variant="primary", scale=1, elem_id="pa-send")
            gr.Examples(EXAMPLES, inputs=box, label="示例问题")
            with gr.Row():
                comment = gr.Textbox(label="对最近一条回答的意见(可选)", scale=4)
                up = gr.Button("👍 有帮助", scale=1)
                down = gr.Button("👎 没帮助", scale=1)
            status = gr.Markdown("")
            clear = gr.Button("新对话")

            send.click(h.chat_stream, [box, chatbot, session, answer_ids], [chatbot, box, answer_ids],
                       api_visibility="private")
            box.submit(h.chat_stream, [box, chatbot, session, answer_ids], [chatbot, box, answer_ids],
                       api_visibility="private")
            up.click(lambda ids, c: h.rate_last(ids, True, c), [answer_ids, comment], [status],
                     api_visibility="private")
            down.click(lambda ids, c: h.rate_last(ids, False, c), [answer_ids, comment], [status],
                       api_visibility="private")

            def on_like(ids: list, c: str, data: gr.LikeData) -> str:
                return h.rate_message(data.index, bool(data.liked), ids, c)

            chatbot.like(on_like, [answer_ids, comment], [status], api_visibility="private")
            clear.click(lambda: ([], h.new_session(), [], ""), None, [chatbot, session, answer_ids, status],
                        api_visibility="private")

        with gr.Tab("条文检索", id="lookup"):
            with gr.Row():
                query = gr.Textbox(label="关键词或问题", placeholder="例如:减速器 / 出海 / 责任单位",
                                   scale=4, elem_id="pa-lookup")
                find = gr.Button("检索", variant="primary", scale=1)
            with gr.Row():
                number = gr.Number(label="直达第N条", precision=0, minimum=0, scale=1)
                jump = gr.Button("打开", scale=1)
            reply = gr.Textbox(label="答复口径(可复制)", lines=4, buttons=["copy"], interactive=False)
            results = gr.HTML()
            article_view = gr.Markdown()
            find.click(h.lookup, [query], [results, reply], api_name="lookup")
            query.submit(h.lookup, [query], [results, reply], api_visibility="private")
            jump.click(h.article_text, [number], [article_view], api_name="article")
            number.submit(h.article_text, [number], [article_view], api_visibility="private")

        with gr.Tab("补贴计算器", id="calc"):
            gr.Markdown("金额可写作 3000万、1.2亿元、5000元 或 30000000。条件不确定时选“不确定”,结果会说明假设。")
            for i, rule in enumerate(h.assistant.rules.rules):
                calculator_form(h, rule, open_=i == 0)

        with gr.Tab("政策原文", id="policy"):
            gr.Markdown(h.document_markdown())

        with gr.Tab("未解答问题", id="unanswered"):
            gr.Markdown("政策未覆盖(found=false)的提问,用于发现语料缺口。")
            table = gr.Dataframe(headers=["时间", "问题"], interactive=False)
            gr.Button("刷新").click(h.unanswered, None, table, api_name="unanswered")

        # API-only endpoints for integrations and the end-to-end tests (stateless, session by id).
        gr.api(h.ask, api_name="ask")
        gr.api(h.rate, api_name="rate")
    return demo


def make_handlers(settings: Settings | None = None,
                  progress: Callable[[str, int, int], None] | None = None) -> Handlers:
    settings = settings or load_settings()
    return Handlers(Assistant(settings, progress=progress), FeedbackStore(settings.db_path))


def auth_pair(value: str) -> tuple[str, str] | None:
    """`user:password` from POLICY_UI_AUTH, or None."""
    if not value:
        return None
    user, sep, password = value.partition(":")
    if not sep or not user or not password:
        raise ConfigError("POLICY_UI_AUTH must look like user:password")
    return user, password


def launch(host: str | None = None, port: int | None = None, block: bool = True,
           progress: Callable[[str, int, int], None] | None = None,
           settings: Settings | None = None) -> Any:
    """Build the index if needed and serve the app (never with share=True)."""
    settings = settings or load_settings()
    auth = auth_pair(settings.ui_auth)
    demo = build_app(make_handlers(settings, progress))
    demo.queue(default_concurrency_limit=settings.ui_concurrency, max_size=256)
    demo.launch(server_name=host or settings.ui_host, server_port=port or settings.ui_port,
                share=False, auth=auth, auth_message="政策助手(内部)请登录" if auth else None,
                theme=theme(), css=CSS, prevent_thread_lock=not block, quiet=not block,
                show_error=False, footer_links=[], enable_monitoring=False)
    return demo
