"""Submit a drill played in the terminal: ``pager-lab drill --scenario X --json FILE`` saves the
session; ``pager-lab class submit FILE --handle H`` replays it through the engine and records it.

The score is recomputed from the replayed session, never read from the file, so an edited score
counts for nothing. ``finished_at`` comes from the drill's own clock (its start plus the simulated
minutes played), as every driver records it: submitting the same file twice, or a drill that a
driver (``drill --handle``, ``gm --handle``) already recorded, stores nothing new (the same
content, the same idempotency key).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pager_lab.classroom.record import result_from_session
from pager_lab.classroom.results import DrillResult
from pager_lab.classroom.store import ResultsStore
from pager_lab.core.drill_restore import saved_session
from pager_lab.core.drill_scenario import DrillScenario
from pager_lab.core.drill_session import DrillSession
from pager_lab.core.errors import ConfigError, PagerLabError

__all__ = ["load_played_drill", "played_result", "submit_drill"]

EXPECTED = "the JSON that `pager-lab drill --scenario NAME --json FILE` writes"


def _document(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(str(path), "file", str(path), f"an existing file: {EXPECTED}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(str(path), "file", str(path), f"a readable file ({exc})") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(
            str(path), f"line {exc.lineno} column {exc.colno}", exc.msg, EXPECTED
        ) from None
    if isinstance(document, dict) and document.get("finished") is False:  # stopped early
        raise PagerLabError(
            f"{path}: the drill did not finish (input ended or Ctrl-C), so it is not "
            "recorded: play it to the end, then submit that file"
        )
    return saved_session(document, str(path))


def load_played_drill(path: Path, library: Mapping[str, DrillScenario]) -> DrillSession:
    """The session saved in *path*, replayed on its scenario from *library*."""
    save = _document(path)
    name = save.get("scenario")
    if name not in library:
        raise ConfigError(str(path), "save.scenario", name, f"one of {', '.join(library)}")
    try:
        return DrillSession.from_dict(save, library[str(name)])
    except PagerLabError as exc:
        raise PagerLabError(f"{path}: the saved drill does not replay on {name}: {exc}") from None


def played_result(handle: str, path: Path, library: Mapping[str, DrillScenario]) -> DrillResult:
    """*handle*'s result of the drill saved in *path*, finished by the drill's own clock (so
    its key is the one a driver recording the same drill computed)."""
    return result_from_session(handle, load_played_drill(path, library))


def submit_drill(
    store: ResultsStore, handle: str, path: Path, library: Mapping[str, DrillScenario]
) -> tuple[DrillResult, bool]:
    """Record *handle*'s drill saved in *path*; the result and whether it was new."""
    result = played_result(handle, path, library)
    return result, store.add(result)
