"""The name a person meant: the closest of the known names to what they typed.

One rule for every "did you mean ...?" the lab says (scenario names, TOML keys, metrics,
section and stage names in the self-checks): difflib's ratio, the best match only.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable

__all__ = ["closest_name"]


def closest_name(
    typed: str,
    names: Iterable[str],
    *,
    cutoff: float = 0.6,
    key: Callable[[str], str] | None = None,
) -> str | None:
    """The one of *names* closest to *typed* (difflib ratio at least *cutoff*), or None.

    *key* folds both sides before they are compared (``str.casefold`` for any case); the
    name returned is as given in *names*."""
    fold = key or (lambda name: name)
    by_key = {fold(name): name for name in names}
    match = difflib.get_close_matches(fold(typed), list(by_key), n=1, cutoff=cutoff)
    return by_key[match[0]] if match else None
