"""policy-assistant: cited answers about Hangzhou's intelligent-robot industry policy."""

from .config import load_settings as load_settings  # noqa: F401 - also sets offline defaults
from .errors import PolicyAssistantError as PolicyAssistantError  # noqa: F401

__all__ = ["load_settings", "PolicyAssistantError"]
