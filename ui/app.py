"""The Gradio app: 智能问答, 条文检索, 补贴计算器, 政策体检, 文件库 for everyone, and for logged-in staff
看板, 未解答问题 and 上传文件. Layout only; behaviour is in `ui.handlers` (one part per tab), serving in `ui.server`.
Offline by design: analytics off, system fonts, no CDN assets, never a share link."""

from __future__ import annotations

from functools import partial
from typing import Any

import assistant.config  # noqa: F401 - sets the offline environment first

import gradio as gr  # noqa: E402  (after assistant.config)

from assistant.lang.text import book_title  # noqa: E402

from .calculate import form_amount_label, settled_by_split  # noqa: E402
from .checkup import PROFILE_HEAD  # noqa: E402
from .forms import CHOICES  # noqa: E402
from .handlers import Handlers  # noqa: E402
from .render import WARN  # noqa: E402

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
.pa-banner {background: #fff8c5; border: 1px solid #d4a72c; border-radius: 6px; padding: 6px 12px;}
.pa-banner summary {cursor: pointer; white-space: nowrap; overflow: hidden; text-overflow: ellipsis;}
.pa-hidden {display: none !important;}
.pa-table {border-collapse: collapse; width: 100%;}
.pa-table th, .pa-table td {border: 1px solid #d0d7de; padding: 4px 8px; text-align: left; vertical-align: top;}
.pa-badge {font-weight: 600; margin-right: 4px;}
.pa-amount {float: right; font-weight: 600;}
.pa-eligible .pa-badge {color: #1a7f37;} .pa-needs_info .pa-badge {color: #9a6700;}
.pa-not_eligible .pa-badge {color: #cf222e;} .pa-no_amount .pa-badge {color: #57606a;}
.pa-narrow {display: none;}
#pa-user {text-align: right;}
#pa-chatbot .message-wrap {padding-top: 36px;}
@media (max-width: 640px) {
  .pa-card {padding: 8px;}
  .pa-wide {display: none !important;}
  .pa-narrow {display: block;}
  #pa-chatbot {height: 52vh !important; max-height: 52vh !important;}
  #pa-quick {gap: 6px !important; margin: 0 !important;}
  #pa-quick button {min-height: 30px !important; padding: 2px 8px !important;}
  .pa-amount {float: none; display: block;}
  h2 {font-size: 1.1em !important; margin: 0 !important;}
}
"""
def _refused(message: str) -> Exception:
    """What a staff action refused says, in Chinese (not Gradio's English "Error" badge), without a
    traceback in the server log: an expected refusal (no login, a bad date) is no fault."""
    return gr.Error(message, title="提示", print_exception=False)


CACHE_CLEANUP = (600, 1800)
"""Every 10 minutes, files Gradio copied for this app (reports offered for download) older than
30 minutes are deleted: public 政策体检 calls do not fill the disk."""

HEAD = """<script>
(() => {
  // A new answer shows from its first line (Gradio's autoscroll would show its last): when a new
  // answer appears or its placeholder is replaced, its top is brought to the top of the chat for
  // a moment (Gradio may scroll after us), then the reader scrolls freely.
  let last = null, lastText = '';
  const scroller = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const s = getComputedStyle(p).overflowY;
      if ((s === 'auto' || s === 'scroll') && p.scrollHeight > p.clientHeight) return p;
    }
    return null;
  };
  const toTop = (el) => {
    const box = scroller(el);
    if (!box) return;
    const top = el.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop;
    box.scrollTop = Math.max(0, top - 48);
  };
  const follow = () => {
    const chat = document.getElementById('pa-chatbot');
    if (!chat) return;
    const bots = chat.querySelectorAll('.message.bot');
    const el = bots.length ? bots[bots.length - 1] : null;
    if (!el) { last = null; return; }
    const text = el.textContent || '';
    const placeholder = lastText.trim() === '…' && text.trim() !== '…';
    if (el !== last || placeholder) {
      last = el;
      for (const ms of [0, 150, 500, 1200]) setTimeout(() => toTop(el), ms);
    }
    lastText = text;
  };
  new MutationObserver(follow).observe(document.documentElement, {childList: true, subtree: true, characterData: true});
  // Gradio's own tooltips in Chinese (some are fixed English strings in its frontend).
  const words = {'More tabs': '更多栏目', 'Copy message': '复制', 'Like': '赞', 'Dislike': '踩', 'Clear': '清空对话',
                 'Copy': '复制', 'Copied!': '已复制', 'Copy conversation': '复制对话', 'Retry': '重试', 'Undo': '撤销',
                 'Edit': '编辑', 'Download': '下载', 'Fullscreen': '全屏', 'Clear conversation': '清空对话'};
  const translate = () => {
    for (const el of document.querySelectorAll('[aria-label], [title]')) {
      for (const attr of ['aria-label', 'title']) {
        const v = el.getAttribute(attr);
        if (v && words[v]) el.setAttribute(attr, words[v]);
      }
    }
  };
  new MutationObserver(translate).observe(document.documentElement, {childList: true, subtree: true, attributes: true, attributeFilter: ['aria-label', 'title']});
  // Library views follow the library: when its version changes, the views are rebuilt.
  setInterval(async () => {
    const shown = document.querySelector('#pa-libver textarea, #pa-libver input');
    if (!shown || !shown.value) return;
    try {
      const r = await fetch('/api/library', {cache: 'no-store'});
      if (!r.ok) return;
      const v = (await r.json()).version;
      if (v && v !== shown.value) {
        const b = document.querySelector('#pa-refresh button') || document.getElementById('pa-refresh');
        if (b) b.click();
      }
    } catch (e) {}
  }, 2000);
})();
</script>"""
SESSION_TTL = 3600
"""Seconds a browser session's state lives without use (Gradio state is not kept forever)."""
HISTORY_KEY = "pa-chat-history"
HISTORY_SECRET = "policy-assistant-local-history"
"""The conversation is kept in the visitor's own browser (localStorage, per device); the key only
keeps it unreadable to other scripts of the page, it protects nothing on the server."""
I18N = gr.I18n(**{lang: {"chatbot.copy_message": "复制", "chatbot.like": "赞", "chatbot.dislike": "踩",
                         "chatbot.clear": "清空对话", "chatbot.copy_conversation": "复制对话",
                         "chatbot.retry": "重试", "common.more_tabs": "更多",
                         "tabs.more_tabs": "更多", "common.copy": "复制", "common.clear": "清空",
                         # (web round 27: the status line a screen reader hears read common.complete)
                         "common.complete": "完成", "common.error": "出错", "common.loading": "加载中",
                         "common.progress": "进度", "status.queue_position": "排队位置"}
                  for lang in ("en", "zh-CN")})


def theme() -> gr.themes.Base:
    return gr.themes.Soft(font=SYSTEM_FONTS, font_mono=["ui-monospace", "Consolas", "monospace"])


def calculator_form(h: Handlers, rule: Any, open_: bool, multi: bool, api: bool = True) -> None:
    """One form per rule of the rule book: its amount, excluded part and conditions. A condition
    the split into total and excluded part already states (sales to affiliates) is not asked."""
    title = f"第{rule.article}条 {rule.name}"
    doc = h.assistant.corpus.document(rule.doc_id)
    if multi and doc is not None:
        title = f"{book_title(doc.short_title)}{title}"
    settled = settled_by_split(rule)
    with gr.Accordion(title, open=open_):
        amount = gr.Textbox(label=form_amount_label(rule), visible=rule.needs_amount)
        excluded = gr.Textbox(label=f"其中{rule.excluded_label}(可不填)", visible=rule.excluded is not None)
        choices = [gr.Radio(CHOICES, value="不确定", label=c.label, visible=c.name not in settled)
                   for c in rule.conditions]
        button = gr.Button("计算", variant="primary")
        out = gr.Markdown()
        kwargs: dict[str, Any] = {"api_name": f"calc_{rule.cli.replace('-', '_')}"} if api \
            else {"api_visibility": "private"}
        button.click(partial(h.calculate, rule.id), [amount, excluded, *choices], out, **kwargs)


def match_tab(h: Handlers) -> None:
    """政策体检: a form built from the profile model of this library; what was read comes back as
    an editable table, and 重新计算 runs the corrected profile."""
    gr.Markdown("填写企业情况或用一段话描述,查看可申请的全部政策、金额和责任单位,并导出报告。")
    site = h.site()
    with gr.Row():
        location = gr.Textbox(label=site.location_label, scale=1)
        text = gr.Textbox(label="或用一段话描述企业情况(可选)", scale=2, elem_id="pa-match-text",
                          placeholder=site.description_placeholder)
    fields = h.profile_fields()
    inputs: list[Any] = []
    with gr.Accordion("企业情况(是/否)", open=False):
        with gr.Row():
            for f in [f for f in fields if f.kind != "amount"]:
                inputs.append(gr.Radio(CHOICES, value="不确定", label=f.label, min_width=220))
    with gr.Accordion("金额(元,可写 3000万、1.2亿)", open=False):
        with gr.Row():
            for f in [f for f in fields if f.kind == "amount"]:
                inputs.append(gr.Textbox(label=f.label, min_width=220))
    ordered = [f for f in fields if f.kind != "amount"] + [f for f in fields if f.kind == "amount"]
    run = gr.Button("开始体检", variant="primary", elem_id="pa-match")
    gr.Markdown("**读取到的企业情况**(可直接修改“值”,清空表示不确定,然后点“重新计算”):")
    table = gr.Dataframe(headers=PROFILE_HEAD, datatype=["str", "str", "str"], interactive=True,
                         # (3, "fixed"): three columns the user cannot add to; gradio 6 still takes the
                         # pair (Dataframe.__process_counts) though its annotation names only an int
                         column_count=(3, "fixed"),  # type: ignore[arg-type]
                         wrap=True, elem_id="pa-profile", type="array")
    again = gr.Button("重新计算", elem_id="pa-recompute")
    result = gr.HTML(elem_id="pa-match-result")
    with gr.Row():
        md_file = gr.File(label="报告(Markdown)", interactive=False)
        pdf_file = gr.File(label="报告(PDF)", interactive=False)

    def submit(loc: str, desc: str, *values: str) -> tuple[Any, ...]:
        by_name = dict(zip([f.name for f in ordered], values))
        shown = h.match_view(loc, desc, *[by_name.get(f.name, "") for f in fields])
        # the registration place read from the description fills an empty box (web round 8)
        read = "" if (loc or "").strip() else h.read_location(shown[3])
        return (*shown, gr.update(value=read) if read else gr.update())

    outputs = [result, md_file, pdf_file, table]
    run.click(submit, [location, text, *inputs], [*outputs, location], api_visibility="private")
    again.click(h.recompute, [table], outputs, api_visibility="private")


def staff_tabs(h: Handlers, uploads: bool) -> list[Any]:
    """看板, 未解答问题 and 上传文件: hidden until the visitor is a logged-in staff member (each
    handler checks the login again)."""
    from .dashboard import default_range

    def staff(request: gr.Request) -> str | None:
        return h.staff_user(request)

    tabs: list[tuple[gr.Tab, tuple[Any, ...] | None]] = []
    with gr.Tab("看板", id="dashboard", visible=False) as board_tab:
        with gr.Row():
            # (computed on each page load: a page opened after midnight defaults to the new day)
            start = gr.Textbox(label="开始日期(北京时间)", value=lambda: default_range()[0].isoformat(), max_length=10)
            end = gr.Textbox(label="结束日期", value=lambda: default_range()[1].isoformat(), max_length=10)
            go = gr.Button("查询", variant="primary")
        summary = gr.Markdown(elem_id="pa-dash-summary")
        with gr.Row():
            per_day = gr.BarPlot(x="日期", y="提问数", color="结果", title="每日提问", y_lim=[0, None],
                                  x_label_angle=-45, elem_id="pa-dash-days")
            shares = gr.BarPlot(x="结果", y="提问数", color="结果", title="已解答 / 未覆盖", y_lim=[0, None],
                                elem_id="pa-dash-share")  # (one colour per result, as 每日提问 gives them)
        top = gr.Dataframe(headers=["文件", "条款", "引用次数"], label="引用最多的条款", interactive=False)
        ratings = gr.Dataframe(headers=["时间", "评价", "意见", "问题"], label="评价与意见", interactive=False,
                               wrap=True)
        topics = gr.Dataframe(headers=["主题", "次数", "最近的问题"], label="未覆盖的问题(按主题)",
                              interactive=False, wrap=True)
        export = gr.DownloadButton("导出 CSV", elem_id="pa-dash-export")

        def show(a: str, b: str, request: gr.Request) -> tuple[Any, ...]:
            import pandas as pd

            if staff(request) is None:
                raise _refused("请先登录。")
            try:
                board = h.dashboard(a, b)
            except ValueError as exc:
                # said in the summary line, the panels left as they were (no "Error" badge on each)
                return (f"⚠️ {exc}", *(gr.update() for _ in range(6)))
            days = pd.DataFrame(board.per_day(), columns=["日期", "结果", "提问数"])
            share = pd.DataFrame([r[:2] for r in board.shares()], columns=["结果", "提问数"])
            return (board.summary(), days, share, board.top_articles(), board.ratings(),
                    board.unanswered_topics(), gr.update(value=h.dashboard_csv(board)))

        outs = [summary, per_day, shares, top, ratings, topics, export]
        go.click(show, [start, end], outs, api_visibility="private")
        board_tab.select(show, [start, end], outs, api_visibility="private")
    tabs.append((board_tab, (show, [start, end], outs)))

    with gr.Tab("未解答问题", id="unanswered", visible=False) as open_tab:
        gr.Markdown("文件库未覆盖的提问(北京时间,最新在前),用于发现政策文件的缺口。")
        table = gr.Dataframe(headers=["时间", "渠道", "问题", "当时的答复"], interactive=False, wrap=True,
                             elem_id="pa-unanswered")

        def unanswered(request: gr.Request) -> list[list[str]]:
            if staff(request) is None:
                raise _refused("请先登录。")
            return h.unanswered()

        gr.Button("刷新").click(unanswered, None, table, api_name="unanswered")
        open_tab.select(unanswered, None, table, api_visibility="private")
    tabs.append((open_tab, (unanswered, None, [table])))

    if uploads:
        with gr.Tab("上传文件", id="upload", visible=False) as up_tab:
            gr.Markdown("加入新的政策文件(.txt、.docx、.pdf、.html)。元数据从文件中读取,"
                        "也可逐行填写覆盖,如 `status=正式`、`doc_number=杭政办函〔2024〕66号`。")
            upload = gr.File(label="政策文件", file_types=[".txt", ".docx", ".pdf", ".html", ".htm"],
                             elem_id="pa-upload")
            meta = gr.Textbox(label="元数据(可选,每行 KEY=VALUE)", lines=3)
            replace = gr.Checkbox(label="替换同名文件(更新已有文件,编号不变)", value=False)
            done = gr.Markdown(elem_id="pa-upload-done")

            def add(file: Any, pairs: str, again: bool, request: gr.Request) -> str:
                if staff(request) is None:
                    raise _refused("请先登录。")
                return h.upload(file, pairs, again)

            def progress(request: gr.Request) -> str:
                if staff(request) is None:
                    raise _refused("请先登录。")
                return h.upload_status()

            gr.Button("加入文件库", variant="primary", elem_id="pa-upload-add").click(
                add, [upload, meta, replace], [done], api_visibility="private")
            status = gr.Markdown(elem_id="pa-upload-progress")
            gr.Button("刷新进度").click(progress, None, [status], api_visibility="private")
        tabs.append((up_tab, None))
    return tabs


def build_app(handlers: Handlers, staff: bool = False, uploads: bool = False) -> gr.Blocks:
    """The layout. The public tabs are open to everyone; the staff area (看板, 未解答问题, 上传文件)
    exists only when the app has a login and shows only to a logged-in staff member."""
    h = handlers
    site = h.site()
    with gr.Blocks(title=site.title, analytics_enabled=False,
                   delete_cache=CACHE_CLEANUP) as demo:
        with gr.Row(equal_height=True):
            gr.Markdown(f"## {site.heading}")
            user = gr.HTML("", elem_id="pa-user")
        banner = gr.HTML(h.document_header())
        libver = gr.Textbox(h.library_version(), elem_id="pa-libver", elem_classes=["pa-hidden"],
                            show_label=False, container=False)
        refresh = gr.Button("刷新文件库", elem_id="pa-refresh", elem_classes=["pa-hidden"])
        session = gr.State(h.new_session, time_to_live=SESSION_TTL)
        refs = gr.State(list, time_to_live=SESSION_TTL)
        stored = gr.BrowserState({}, storage_key=HISTORY_KEY, secret=HISTORY_SECRET)

        with gr.Tab("智能问答", id="chat"):
            chatbot = gr.Chatbot(show_label=False, height=520, elem_id="pa-chatbot", autoscroll=False,
                                 feedback_options=("Like", "Dislike"), sanitize_html=True, buttons=["copy"],
                                 placeholder=site.chat_placeholder)
            with gr.Row(visible=False, elem_id="pa-quick") as quick:
                yes = gr.Button("是", elem_id="pa-yes", min_width=60)
                no = gr.Button("否", elem_id="pa-no", min_width=60)
            with gr.Row():
                box = gr.Textbox(placeholder=site.question_placeholder, show_label=False,
                                 scale=5, elem_id="pa-question", max_length=2000)
                send = gr.Button("提问", variant="primary", scale=1, elem_id="pa-send", min_width=70)
            comment = gr.Textbox(label="评价意见(可选):写好后点回答下方的 赞 或 踩", max_length=2000,
                                 elem_id="pa-comment")
            status = gr.Markdown("", elem_id="pa-status")
            if site.examples:
                gr.Examples(list(site.examples), inputs=box, label="示例问题")
            clear = gr.Button("新对话(清空本机保存的对话记录)", elem_id="pa-clear")

            def show(visible: bool) -> Any:
                return gr.update(visible=bool(visible))

            def answers(message: str, history: Any) -> tuple[Any, Any]:
                yes_label, no_label = h.quick_answers(message, history)
                return gr.update(value=yes_label), gr.update(value=no_label)

            def chat(message: str, history: Any, sid: str, rs: Any) -> Any:
                for hist, cleared, new_refs, ask in h.chat_stream(message, history, sid, rs):
                    yield (hist, cleared, new_refs, show(ask), *answers(message, history))

            def save(history: Any, sid: str, rs: Any) -> dict:
                return {"history": history or [], "session": sid, "refs": rs or []}

            outputs = [chatbot, box, refs, quick, yes, no]
            for trigger in (send.click, box.submit):
                trigger(chat, [box, chatbot, session, refs], outputs, api_visibility="private").then(
                    save, [chatbot, session, refs], [stored], api_visibility="private")
            for button in (yes, no):  # its label is the answer sent (是/否, Yes/No)
                button.click(chat, [button, chatbot, session, refs], outputs,
                             api_visibility="private").then(save, [chatbot, session, refs], [stored],
                                                             api_visibility="private")

            def on_like(rs: list, c: str, data: gr.LikeData) -> tuple[str, str]:
                message = h.rate_message(data.index, bool(data.liked), rs, c)
                return message, ("" if message.startswith("已收到") else c)

            chatbot.like(on_like, [refs, comment], [status, comment], api_visibility="private")

            def reset() -> tuple[Any, ...]:
                return [], h.new_session(), [], "", gr.update(visible=False), "", {}

            cleared = [chatbot, session, refs, status, quick, comment, stored]
            clear.click(reset, None, cleared, api_visibility="private")
            chatbot.clear(reset, None, cleared, api_visibility="private")

        with gr.Tab("条文检索", id="lookup"):
            with gr.Row():
                query = gr.Textbox(label="关键词或问题", placeholder=site.lookup_placeholder,
                                   scale=4, elem_id="pa-lookup", max_length=2000)
                doc_filter = gr.Dropdown(h.document_choices(), value="", label="文件", scale=2,
                                         elem_id="pa-doc-filter")
                find = gr.Button("检索", variant="primary", scale=1, elem_id="pa-find")
            with gr.Row():
                number = gr.Textbox(label="直达第N条(如 16 或 十六)", max_length=12, scale=1, elem_id="pa-number")
                jump = gr.Button("打开", scale=1, elem_id="pa-jump")
            article_view = gr.Markdown(elem_id="pa-article")
            reply = gr.Textbox(label="答复口径(可复制)", lines=4, buttons=["copy"], interactive=False, elem_id="pa-reply")
            results = gr.HTML(elem_id="pa-results")
            # a search shows its results and the 答复口径 of the best one: an article opened before
            # is closed, so the screen never shows one article beside another's reply
            closed = "() => ''"
            find.click(h.lookup, [query, doc_filter], [results, reply], api_name="lookup").then(
                None, None, [article_view], js=closed)
            query.submit(h.lookup, [query, doc_filter], [results, reply], api_visibility="private").then(
                None, None, [article_view], js=closed)
            to_article = "() => document.getElementById('pa-article')?.scrollIntoView({block: 'start'})"
            jump.click(h.article_text, [number, doc_filter], [article_view], api_name="article").then(
                h.article_reply, [number, doc_filter], [reply], api_visibility="private").then(None, js=to_article)
            number.submit(h.article_text, [number, doc_filter], [article_view],
                          api_visibility="private").then(
                h.article_reply, [number, doc_filter], [reply], api_visibility="private").then(None, js=to_article)

        with gr.Tab("补贴计算器", id="calc"):
            gr.Markdown("金额可写作 3000万、1.2亿元、5000元 或 30000000。条件不确定时选“不确定”,结果会说明假设。")
            first_rules = list(h.assistant.rules.rules)
            multi = len({r.doc_id for r in first_rules}) > 1
            for i, rule in enumerate(first_rules):
                calculator_form(h, rule, open_=i == 0, multi=multi)
            known = {r.id for r in first_rules}

            @gr.render(inputs=[libver])
            def added_calculators(_version: str) -> None:
                """Calculators of rule files added after start-up (they follow the library)."""
                rules = [r for r in h.assistant.rules.rules if r.id not in known]
                many = len({r.doc_id for r in h.assistant.rules.rules}) > 1
                for rule in rules:
                    calculator_form(h, rule, open_=False, multi=many, api=False)

        with gr.Tab("政策体检", id="match"):
            match_tab(h)

        with gr.Tab("文件库", id="library"):
            library = gr.HTML(h.library_html(), elem_id="pa-library")
            # the first document open, named in the list (not every document's text under one name)
            opened = [(label, value) for label, value in h.document_choices() if value]
            first = opened[0][1] if opened else None
            choice = gr.Dropdown(opened, value=first, label="打开文件", elem_id="pa-open-doc")
            text = gr.Markdown(h.document_markdown(first), elem_id="pa-document")
            choice.change(h.document_markdown, [choice], [text], api_visibility="private")

        staff_area = staff_tabs(h, uploads) if staff else []

        def library_views() -> tuple[Any, ...]:
            version = h.library_version()
            choices = h.document_choices()
            opened = [(label, value) for label, value in choices if value]
            first = opened[0][1] if opened else None
            return (version, h.document_header(), gr.update(choices=choices), h.library_html(),
                    gr.update(choices=opened, value=first), h.document_markdown(first))

        views = [libver, banner, doc_filter, library, choice, text]
        refresh.click(library_views, None, views, api_visibility="private")

        def on_load(saved: Any, request: gr.Request) -> tuple[Any, ...]:
            who = h.staff_user(request) if staff else None
            if not staff:
                badge = ""
            elif who:
                badge = (f"工作人员:<b>{_esc(who)}</b> · <form method='post' action='/logout' "
                         "style='display:inline'><button type='submit' class='pa-logout'>退出</button></form>")
            else:
                badge = "<a href='/login'>工作人员登录</a>"
            saved = saved if isinstance(saved, dict) else {}
            history = saved.get("history") if isinstance(saved.get("history"), list) else []
            sid = saved.get("session") if isinstance(saved.get("session"), str) else h.new_session()
            rs = saved.get("refs") if isinstance(saved.get("refs"), list) else []
            tabs = [gr.update(visible=bool(who)) for _ in staff_area]
            return (badge, *library_views(), history, sid, rs, *tabs)

        demo.load(on_load, [stored], [user, *views, chatbot, session, refs, *[t for t, _ in staff_area]],
                  api_visibility="private")

        # API-only endpoints for integrations (the lean JSON API is in web.server).
        def ask(question: str, session_id: str = "") -> dict:
            """A question in a session (CONTRACT.md JSON plus answer_id and answer_token)."""
            return h.ask(question, session_id, "api")

        def rate(answer_id: int, token: str, liked: bool, comment: str = "") -> str:
            """赞 (liked=true) or 踩 for an answer, with the token returned with it."""
            return h.rate(answer_id, token, liked, comment)

        def match(request: dict) -> dict:
            """政策体检: {"profile": {...}} or {"text": "…"}."""
            return h.match_json(request)

        gr.api(ask, api_name="ask")
        gr.api(rate, api_name="rate")
        gr.api(match, api_name="match")
    return demo


def _esc(text: str) -> str:
    import html

    return html.escape(text)


__all__ = ["CSS", "HEAD", "I18N", "WARN", "build_app", "theme"]
