"""Why a webhook message was not delivered: Slack's permanent errors and the rest."""

from __future__ import annotations

from pager_lab.core.errors import PagerLabError

__all__ = ["SLACK_ERRORS", "RefusedError", "SlackError", "WebhookError"]

SLACK_ERRORS = {
    400: ("invalid_payload", "the message JSON is malformed: check `text` and `blocks`"),
    403: ("action_prohibited", "an admin restricted posting: ask the workspace admin"),
    404: ("channel_not_found", "the webhook's channel was deleted: create a new webhook"),
    410: ("channel_is_archived", "the channel is archived: unarchive it or make a new webhook"),
}
"""Slack's non-retryable webhook errors and what to do about each (REFERENCES.md)."""


class WebhookError(PagerLabError):
    """A message could not be delivered (the text never contains the URL).

    ``maybe_delivered`` is true when a request was sent but no answer came back
    (a read timeout or a connection dropped after sending): the receiver may
    have it, so it is re-sent with the same idempotency key.
    """

    def __init__(
        self, message: str, *, maybe_delivered: bool = False, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.maybe_delivered = maybe_delivered
        self.retry_after = retry_after
        """Seconds the receiver asked us to wait (``Retry-After``), if it said."""
        self.attempts = 1
        """Requests made for this message before giving up."""


class RefusedError(WebhookError):
    """The receiver refused the message for good (a 4xx other than 408/429): not retried."""


class SlackError(RefusedError):
    """Slack refused the message for good; retrying will not help."""

    def __init__(self, status: int, code: str, hint: str) -> None:
        self.status, self.code, self.hint = status, code, hint
        super().__init__(f"Slack answered {status} {code}: {hint}")
