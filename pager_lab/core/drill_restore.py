"""Restoring a saved drill from its file: ``restore_drill("session.json")``.

Three files hold a drill session's save (:meth:`DrillSession.to_dict`): the save itself,
``pager-lab drill --scenario NAME --json FILE`` (under ``"save"``) and ``pager-lab gm
--save FILE`` (under ``"session"``). The save names its scenario; :func:`restore_drill`
finds it in a data folder's ``drills/`` (default: the bundled ``data/``) and replays the
saved events on it, so the restored session is the one that was played.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pager_lab.core.drill_debrief import debrief_drill
from pager_lab.core.drill_scenario import BUNDLED_DATA, load_drill_scenario
from pager_lab.core.drill_score import score_drill
from pager_lab.core.drill_session import SAVE_FORMAT, DrillSession
from pager_lab.core.errors import ConfigError

__all__ = ["drill_document", "restore_drill", "saved_session"]

_WRAPPERS = ("save", "session")
"""Where a bigger file keeps the save: ``drill --json`` in "save", ``gm --save`` in "session"."""


def drill_document(session: DrillSession) -> str:
    """The JSON ``pager-lab drill --json`` writes and ``class submit`` reads: the save (replayed,
    never trusted), score, debrief and incident; ``finished`` says whether the drill ended."""
    document = {
        "finished": session.finished,
        "save": session.to_dict(),
        "score": score_drill(session).to_dict(),
        "debrief": debrief_drill(session).to_dict(),
        "incident": session.incident.to_dict(),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def saved_session(data: Any, where: str = "saved drill") -> dict[str, Any]:
    """The session's save inside *data*: the save itself, or a ``drill --json`` or
    ``gm --save`` file's (``"save"`` / ``"session"``); the error names the format found."""
    key = "format"
    found_format: Any = type(data).__name__
    if isinstance(data, dict):
        if data.get("format") == SAVE_FORMAT:
            return data
        found_format = data.get("format")
        for wrapper in _WRAPPERS:
            inner = data.get(wrapper)
            if isinstance(inner, dict):
                if inner.get("format") == SAVE_FORMAT:
                    return inner
                key, found_format = f"{wrapper}.format", inner.get("format")
    raise ConfigError(
        where,
        key,
        found_format,
        f"a saved drill ({SAVE_FORMAT!r}): a file from `pager-lab drill --scenario NAME --json "
        "FILE`, `pager-lab gm --save FILE` or DrillSession.to_dict()",
    )


def restore_drill(path: str | Path, data_folder: str | Path | None = None) -> DrillSession:
    """The drill session saved in *path*, replayed on its scenario from *data_folder*
    (``data_folder/drills/NAME.toml``; default: the bundled data)."""
    file = Path(path)
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ConfigError(str(file), "file", str(file), f"a readable JSON file ({exc})") from None
    save = saved_session(data, str(file))
    name = save.get("scenario")
    if not isinstance(name, str) or not name:
        raise ConfigError(str(file), "scenario", name, "the name of a drill scenario")
    folder = Path(data_folder) if data_folder is not None else BUNDLED_DATA
    scenario = load_drill_scenario(folder / "drills" / f"{name}.toml", folder)
    return DrillSession.from_dict(save, scenario)
