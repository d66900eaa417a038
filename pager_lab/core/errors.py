"""The errors pager_lab raises, so callers can catch one family."""

from __future__ import annotations

__all__ = ["ConfigError", "InvalidAnswer", "InvalidTransition", "PagerLabError"]


class PagerLabError(Exception):
    """Base class of every error pager_lab raises on purpose."""


class ConfigError(PagerLabError, ValueError):
    """A configuration file or object is invalid.

    The message names the file (when there is one), the key path, the bad
    value and what was expected, so it can be shown to a user as one line.
    """

    def __init__(self, where: str, key: str, value: object, expected: str) -> None:
        self.where = where
        self.key = key
        self.value = value
        self.expected = expected
        prefix = f"{where}: " if where else ""
        super().__init__(f"{prefix}{key} = {value!r}: expected {expected}")


class InvalidTransition(PagerLabError):
    """An incident was asked to do something its current state does not allow."""

    def __init__(self, incident_id: str, state: str, action: str, reason: str = "") -> None:
        self.incident_id = incident_id
        self.state = state
        self.action = action
        detail = f" ({reason})" if reason else ""
        super().__init__(f"incident {incident_id} is {state}: cannot {action}{detail}")


class InvalidAnswer(PagerLabError, ValueError):
    """A drill answer that the current prompt does not accept."""

    def __init__(self, answer: str, allowed: tuple[str, ...]) -> None:
        self.answer = answer
        self.allowed = allowed
        super().__init__(f"{answer!r} is not an answer here: type one of {', '.join(allowed)}")
