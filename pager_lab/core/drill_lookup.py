"""A drill scenario found by the name a person typed: any case, and a typo answered with the
closest name (the terminal drill's ``--scenario`` and the game master's, one rule)."""

from __future__ import annotations

from collections.abc import Sequence

from pager_lab.core.errors import PagerLabError
from pager_lab.core.names import closest_name

__all__ = ["scenario_name"]


def scenario_name(typed: str, names: Sequence[str], where: str) -> str:
    """The scenario *typed* names, in any case (``DB-Runaway-Query``); a typo is refused
    with the closest name suggested (difflib), then the whole list."""
    by_case = {name.casefold(): name for name in names}
    found = by_case.get(typed.strip().casefold())
    if found is not None:
        return found
    close = closest_name(typed.strip(), names, key=str.casefold)
    hint = f"did you mean {close!r}? " if close else ""
    raise PagerLabError(
        f"{where}: there is no drill scenario {typed!r}: {hint}the scenarios are "
        f"{', '.join(names)} (pager-lab drill --list)"
    )
