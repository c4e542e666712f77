"""Every widget and endpoint of the web app behind one object (what the layout, the JSON API and
the tests hold): the tabs' handlers over one `Assistant`, each method its part's. They never raise:
bad input and library errors become friendly replies, and a user never sees a traceback or an
internal message.

The parts, one module and one idea each: `ui.chat` (sessions, questions, ratings), `ui.lookup`
(articles by query or number), `ui.calculate` (the calculator forms), `ui.checkup` (政策体检),
`ui.library` (the documents), `ui.upload` (uploads and their background indexing), `ui.supervisor`
(dashboard, unanswered questions).
What they share is made here once and passed to them: the assistant, the answer log, the loaded
library (`watch`), the state shared with other instances and the folder of downloads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from assistant.answer.chain import Assistant
from assistant.ingest.site import Site
from assistant.ops.feedback import FeedbackStore

from .calculate import CalculatorHandlers
from .chat import ChatHandlers
from .checkup import CheckupHandlers
from .downloads import Downloads
from .library import LibraryHandlers
from .lookup import LookupHandlers
from .supervisor import DashboardHandlers
from .upload import UploadHandlers
from .watch import LibraryWatch


class Handlers:
    """Everything the UI and the JSON API do, as plain methods (each one a part's)."""

    def __init__(self, assistant: Assistant, store: FeedbackStore) -> None:
        from .shared import SharedState

        self.assistant = assistant
        self.store = store
        self.staff_user: Any = lambda request: None
        """request → the logged-in staff user or None (set by the server, which owns the login)."""
        self.watch = LibraryWatch(assistant)
        self.shared = SharedState.of(store, assistant, reload=self.watch.reload)
        """Conversations and the library in the database when several instances share it."""
        self.downloads = Downloads()

        self.chat_tab = ChatHandlers(assistant, store, self.shared)
        self.lookup_tab = LookupHandlers(assistant)
        self.calculator_tab = CalculatorHandlers(assistant)
        self.checkup_tab = CheckupHandlers(assistant, self.downloads)
        self.library_tab = LibraryHandlers(assistant)
        self.upload_tab = UploadHandlers(assistant, self.watch, self.shared)
        self.dashboard_tab = DashboardHandlers(assistant, store, self.downloads)

        self.library_version = self.watch.version

        self.new_session = self.chat_tab.new_session
        self.ask = self.chat_tab.ask
        self.chat_stream = self.chat_tab.chat_stream
        self.chat = self.chat_tab.chat
        self.quick_answers = self.chat_tab.quick_answers
        self.rate_answer = self.chat_tab.rate_answer
        self.rate = self.chat_tab.rate
        self.rate_message = self.chat_tab.rate_message
        self.rate_last = self.chat_tab.rate_last

        self.document_choices = self.lookup_tab.document_choices
        self.lookup = self.lookup_tab.lookup
        self.article_text = self.lookup_tab.article_text
        self.article_reply = self.lookup_tab.article_reply

        self.calculate = self.calculator_tab.calculate

        self.profile_fields = self.checkup_tab.profile_fields
        self.match_form = self.checkup_tab.match_form
        self.match_view = self.checkup_tab.match_view
        self.recompute = self.checkup_tab.recompute
        self.read_location = self.checkup_tab.read_location
        self.match_json = self.checkup_tab.match_json

        self.documents_json = self.library_tab.documents_json
        self.library_rows = self.library_tab.library_rows
        self.library_html = self.library_tab.library_html
        self.document_header = self.library_tab.document_header
        self.document_markdown = self.library_tab.document_markdown

        self.upload = self.upload_tab.upload
        self.index_in_background = self.upload_tab.index_in_background
        self.upload_status = self.upload_tab.upload_status
        self.wait_for_index = self.upload_tab.wait_for_index

        self.unanswered = self.dashboard_tab.unanswered
        self.dashboard = self.dashboard_tab.dashboard
        self.dashboard_csv = self.dashboard_tab.dashboard_csv

    def site(self) -> Site:
        """The library's own texts for the page (title, placeholders, examples: `site.json`)."""
        return self.assistant.corpus.site

    @property
    def upload_root(self) -> Path | None:
        """Uploads are accepted only from under this folder (see `UploadHandlers.upload_root`)."""
        return self.upload_tab.upload_root

    @upload_root.setter
    def upload_root(self, root: Path | None) -> None:
        self.upload_tab.upload_root = root
