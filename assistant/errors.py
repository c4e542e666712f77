"""Typed errors raised by the library; the CLI and the UI turn them into words."""

from __future__ import annotations


class PolicyAssistantError(Exception):
    """Base class of every error this package raises on purpose."""


class CorpusError(PolicyAssistantError):
    """The corpus directory or one of its files cannot be used."""


class ParseError(CorpusError):
    """A policy text has no recognisable article structure."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class ConfigError(PolicyAssistantError):
    """A configuration value is missing or invalid."""


class MissingDependencyError(PolicyAssistantError):
    """An optional backend was selected but its package is not installed."""

    def __init__(self, package: str, purpose: str, install: str) -> None:
        super().__init__(f"{purpose} needs the '{package}' package: install it with `{install}`")
        self.package = package
        self.install = install


class EmbeddingError(PolicyAssistantError):
    """The embedding backend failed to load or to embed."""


class IndexUnavailableError(PolicyAssistantError):
    """The index cannot be read, built or reached."""


class InvalidQuestionError(PolicyAssistantError):
    """A question is empty, too long or otherwise unusable."""


class AmountError(PolicyAssistantError):
    """An amount is missing, unparseable, not positive or absurd."""


class RuleError(PolicyAssistantError):
    """The calculator rule data is inconsistent."""


class LLMError(PolicyAssistantError):
    """The language-model endpoint failed, timed out or answered unusably."""


class GroundingError(LLMError):
    """A generated answer cites or states something its sources do not support."""
