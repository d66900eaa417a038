"""Where a results store lives: a SQLite file or any SQLAlchemy URL, and how to show it safely.

A URL's password is never printed: :func:`masked` shows ``postgresql://ta:***@host/class``,
and :func:`scrub` removes the password from any text (a driver's error message) before it
reaches a user.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from pager_lab.core.errors import PagerLabError

__all__ = [
    "DEFAULT_STORE",
    "ENCODE_HINT",
    "STORE_ENV",
    "StoreError",
    "default_target",
    "masked",
    "scrub",
    "store_url",
]

STORE_ENV = "PAGER_LAB_CLASS_STORE"
"""The environment variable naming the class's store (a file or a URL) when none is given."""
ENCODE_HINT = "in a password write '@' as %40, ':' as %3A and '/' as %2F"
"""How to put a reserved character in a store URL's password (RFC 3986 percent-encoding)."""
DEFAULT_STORE = ".pager-lab-class.db"
"""The embedded default: one SQLite file in the working folder, zero set-up."""


class StoreError(PagerLabError):
    """The results store cannot be opened, reached or used; the message is one line for a user
    and never contains a password."""


def default_target() -> str:
    """The store named by :data:`STORE_ENV`, else :data:`DEFAULT_STORE`."""
    return os.environ.get(STORE_ENV) or DEFAULT_STORE


def store_url(target: str | Path) -> URL:
    """The SQLAlchemy URL of *target*: a URL as given, or a file path as a SQLite URL."""
    text = str(target).strip()
    if not text:
        raise StoreError("store = '': expected a SQLite file or a SQLAlchemy URL")
    if isinstance(target, Path) or "://" not in text:
        return URL.create("sqlite", database=str(Path(text).expanduser().resolve()))
    scheme, rest = text.split("://", 1)
    shown = f"{scheme}://…"  # nothing after the scheme: it may hold a password
    if rest.split("/", 1)[0].count("@") > 1:
        raise StoreError(
            f"store = {shown!r}: more than one '@' before the host; a password's '@', ':'"
            f" and '/' must be percent-encoded ({ENCODE_HINT})"
        )
    try:
        url = make_url(text)
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number
        raise StoreError(
            f"store = {shown!r}: not a database URL (expected e.g. "
            "postgresql+psycopg://user:PASSWORD@host:5432/class, a numeric port, or a SQLite"
            f" file; {ENCODE_HINT})"
        ) from None
    if url.drivername == "postgresql":  # SQLAlchemy's default driver is psycopg2: we ship psycopg 3
        url = url.set(drivername="postgresql+psycopg")
    if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
        raise StoreError(
            f"store = {text!r}: an in-memory SQLite store would forget every result"
            " (expected a file, e.g. sqlite:///class.db or class.db)"
        )
    return url


def masked(url: URL) -> str:
    """*url* as text with its password replaced by ``***`` (a SQLite store shows its file)."""
    if url.get_backend_name() == "sqlite":
        return str(url.database)
    return url.render_as_string(hide_password=True)


def scrub(text: str, url: URL) -> str:
    """*text* (e.g. a driver's error) without *url*'s password, on one line."""
    if url.password:
        text = text.replace(str(url.password), "***")
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return first
