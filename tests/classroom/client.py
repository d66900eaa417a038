"""A tiny HTTP client for the session server's tests (standard library only)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any


def call(
    base: str,
    path: str,
    token: str | None = None,
    body: dict[str, Any] | None = None,
    *,
    query_token: bool = False,
) -> tuple[int, Any]:
    """(status, decoded body) of one request; POST when *body* is given."""
    headers = {"Content-Type": "application/json"}
    url = f"{base}{path}"
    if token is not None and query_token:
        url += f"?token={token}"
    elif token is not None:
        headers["Authorization"] = f"Bearer {token}"
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            status, raw, kind = answer.status, answer.read(), answer.headers["Content-Type"]
    except urllib.error.HTTPError as exc:
        status, raw, kind = exc.code, exc.read(), exc.headers["Content-Type"]
    if kind.startswith("application/json"):
        return status, json.loads(raw)
    return status, raw.decode()
