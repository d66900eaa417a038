"""Webhook URLs are secrets: kept out of output, logs, exception text, reprs and notebooks.

A :class:`WebhookURL` shows only a redacted form: scheme, host and port, and
``/…`` when there is more; user-info (``hook:SECRET@``), path, query and
fragment never show;
the full URL leaves the object only when a request is sent. Every URL made
here is also registered with a logging filter that scrubs it from any log
record (urllib3 logs the request path, which is the secret part of a Slack
webhook URL, when it retries).
"""

from __future__ import annotations

import logging
import os
from urllib.parse import urlsplit

from pager_lab.core.errors import ConfigError

__all__ = ["SLACK_ENV", "WebhookURL", "register_secret", "scrub"]

SLACK_ENV = "PAGER_LAB_SLACK_WEBHOOK_URL"
"""The environment variable a Slack incoming-webhook URL is read from."""

_SECRETS: set[str] = set()


def scrub(text: str) -> str:
    """*text* with every known webhook URL (and its path) replaced by ``<redacted>``."""
    for secret in sorted(_SECRETS, key=len, reverse=True):
        text = text.replace(secret, "<redacted>")
    return text


def register_secret(secret: str) -> None:
    """Scrub *secret* (a routing key, a token) from every log record and error text from now on."""
    if secret:
        _guard_loggers()
        _SECRETS.add(secret)


class _ScrubFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if _SECRETS:
            message = scrub(record.getMessage())
            record.msg, record.args = message, None
        return True


_FILTER = _ScrubFilter()


def _guard_loggers() -> None:
    """Filters apply only to the logger a record is made on: cover every HTTP logger."""
    names = {
        "urllib3",
        "urllib3.connectionpool",
        "urllib3.util.retry",
        "urllib3.connection",
        "urllib3.response",
        "urllib3.poolmanager",
        "requests",
    }
    names |= {n for n in logging.root.manager.loggerDict if n.startswith(("urllib3", "requests"))}
    for name in names:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)


class WebhookURL:
    """A webhook URL that never shows itself."""

    __slots__ = ("_url",)

    def __init__(self, url: str, source: str = "argument") -> None:
        parts = urlsplit(url.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            # Do not echo the value: it may be a secret pasted in the wrong place.
            raise ConfigError("", source, "<hidden>", "an http:// or https:// webhook URL")
        self._url = url.strip()
        _guard_loggers()
        _SECRETS.add(self._url)
        secret_parts = (parts.path if len(parts.path) > 1 else "", parts.query, parts.fragment)
        _SECRETS.update(p for p in (*secret_parts, parts.password, parts.username) if p)

    @classmethod
    def from_env(cls, variable: str = SLACK_ENV) -> WebhookURL:
        value = os.environ.get(variable, "").strip()
        if not value:
            raise ConfigError(
                "",
                variable,
                "",
                "a Slack incoming-webhook URL in this environment "
                f"variable (export {variable}=...), or --notify local",
            )
        return cls(value, variable)

    def reveal(self) -> str:
        """The real URL: only for the request itself."""
        return self._url

    @property
    def redacted(self) -> str:
        """``scheme://host[:port]/… (redacted)``: no user-info, path, query or fragment."""
        parts = urlsplit(self._url)
        host = parts.netloc.rpartition("@")[2]
        more = len(parts.path) > 1 or parts.query or parts.fragment or "@" in parts.netloc
        return f"{parts.scheme}://{host}{'/…' if more else ''} (redacted)"

    @property
    def plain_http(self) -> bool:
        """True for ``http://``: the secret would travel unencrypted."""
        return urlsplit(self._url).scheme == "http"

    def __repr__(self) -> str:
        return f"WebhookURL({self.redacted!r})"

    __str__ = __repr__

    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("a WebhookURL is a secret and is not pickled or stored")
