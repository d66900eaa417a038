"""What ``pager-lab alertmanager up`` leaves for the commands that use it.

A state file (``--state``, default :data:`DEFAULT_STATE`) holds the pid of the process that
runs Alertmanager and the lab's receiver, and their ports: ``down``, ``fire``, ``replay`` and
``drill --alertmanager`` find them there.
"""

from __future__ import annotations

import json
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pager_lab.alerting.alertmanager import AlertmanagerError, process_alive
from pager_lab.alerting.am_config import load_routing
from pager_lab.core.routing_config import RoutingConfig

__all__ = [
    "DEFAULT_STATE",
    "UpState",
    "command_hint",
    "nothing_up",
    "receiver_messages",
    "routing_of",
    "running",
]

DEFAULT_STATE = Path(".pager-lab-alertmanager.json")


@dataclass(frozen=True)
class UpState:
    """What ``up`` left for ``down``, ``fire``, ``replay`` and ``drill --alertmanager``."""

    pid: int
    """The process running Alertmanager and the receiver (``up --foreground``)."""
    alertmanager_pid: int
    port: int
    """Alertmanager's API port on 127.0.0.1."""
    receiver_port: int
    """The lab's receiver's port on 127.0.0.1 (``GET /messages`` lists what it stored)."""
    folder: str
    config: str | None
    """The routing file ``up --config`` was given, resolved (``None``: the defaults)."""

    @classmethod
    def read(cls, file: Path) -> UpState | None:
        try:
            raw = json.loads(file.read_text(encoding="utf-8"))
            return cls(**{k: raw[k] for k in cls.__dataclass_fields__})
        except FileNotFoundError:
            return None
        except (ValueError, KeyError, TypeError, OSError) as exc:
            why = {"KeyError": f"no {exc} in it", "JSONDecodeError": "not JSON"}.get(
                type(exc).__name__, getattr(exc, "strerror", None) or type(exc).__name__
            )
            raise AlertmanagerError(
                f"{file} is not a state file `pager-lab alertmanager up` wrote ({why}): "
                "give the --state file it wrote, or remove this one"
            ) from None


def command_hint(verb: str, state_file: Path) -> str:
    """The command a hint names, with ``--state FILE`` when the user gave another file."""
    where = "" if state_file == DEFAULT_STATE else f" --state {state_file}"
    return f"`pager-lab alertmanager {verb}{where}`"


def nothing_up(state_file: Path) -> AlertmanagerError:
    """What every command says when no Alertmanager is up: one message."""
    return AlertmanagerError(
        f"no Alertmanager is up here (no live process in {state_file}): "
        f"start one with {command_hint('up', state_file)}"
    )


def running(state_file: Path) -> UpState:
    """What ``up`` left in *state_file*, if its process is alive; else one line saying how
    to start one."""
    state = UpState.read(state_file)
    if state is None or not process_alive(state.pid):
        raise nothing_up(state_file)
    return state


def routing_of(config: str | Path | None) -> RoutingConfig:
    """The routing of a file with a ``[routing]`` table; Alertmanager's defaults for ``None``."""
    return load_routing(Path(config)) if config is not None else RoutingConfig()


def receiver_messages(port: int) -> list[dict[str, Any]]:
    """Every post the lab's receiver of ``alertmanager up`` stored (``GET /messages``)."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/messages", timeout=10) as answer:
            return list(json.loads(answer.read()))
    except (OSError, ValueError) as exc:
        raise AlertmanagerError(
            f"the lab's receiver on 127.0.0.1:{port} did not answer ({exc}): "
            "is `pager-lab alertmanager up` still running?"
        ) from None
