"""One student's finished drill, as the class results store keeps it.

A :class:`DrillResult` names the student by a **handle** only (``student-07``, ``ada``):
no e-mail address, no full name, nothing else about the person (folded to lower case when
recorded: ``Carol`` and ``carol`` are one student), so a class's store holds
no personal data beyond what ``pager-lab class forget HANDLE`` deletes. Times are simulated
minutes from the alert; ``finished_at`` is a time-zone aware wall-clock timestamp.

Every result has an idempotency :attr:`DrillResult.key` computed from its content: writing
the same result twice (a retry after a dropped connection) stores it once.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from pager_lab.core.errors import ConfigError

__all__ = [
    "HANDLE_RULE",
    "HELPFUL",
    "NOT_ACTIONS",
    "WRONG",
    "DrillResult",
    "PathStep",
    "check_handle",
]

HANDLE_RULE = "1-32 letters, digits, '.', '_' or '-', starting with a letter or digit"
"""What a handle may be (a pseudonym: an e-mail address or a full name is refused)."""
_HANDLE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,31}")
_SCENARIO = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
_WORD = re.compile(r"[a-z][a-z -]{0,23}")
HELPFUL = frozenset({"ack", "runbook", "clue", "fixes", "relief", "comm", "resolved"})
"""The drill engine's verdicts (``core.drill_base.Step``) of a step that moved the incident on."""
WRONG = frozenset(
    {
        "ignore",
        "red herring",
        "repeat",
        "no effect",
        "refused",
        "worse",
        "harmful",
        "too soon",
        "resolved too early",
    }
)
"""Verdicts of a step that wasted time or made things worse (``wait`` is neither: sometimes
waiting is right)."""
NOT_ACTIONS = frozenset({"diagnostic", "runbook"})
"""Step kinds that only look: a wasted look is a red herring, never a *wrong action*."""
_NAME_CHARS = 64


def check_handle(handle: object, where: str = "") -> str:
    """*handle* folded to lower case if it is a valid student handle, else a
    :class:`ConfigError` saying why (``Carol`` and ``carol`` are one student everywhere:
    recorded, reported, exported and forgotten as ``carol``)."""
    if not isinstance(handle, str) or not _HANDLE.fullmatch(handle):
        hint = " (a handle, not an e-mail address)" if "@" in str(handle) else ""
        raise ConfigError(where, "handle", handle, f"{HANDLE_RULE}{hint}")
    return handle.lower()


def _minutes(name: str, value: object, *, optional: bool = True) -> float | None:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ConfigError("", name, value, "a finite number of minutes")
    if value < 0:
        raise ConfigError("", name, value, "minutes at or after the alert (>= 0)")
    return float(value)


@dataclass(frozen=True)
class PathStep:
    """One step a student took, as the drill engine judged it: when, what kind, which, verdict."""

    minute: float
    """Simulated minutes from the alert when the step was taken."""
    kind: str
    """The engine's kind: ``page``, ``runbook``, ``diagnostic``, ``action``, ``comm``,
    ``time`` or ``end``."""
    name: str
    """The choice, as the scenario names it (``terminate-query``, ``declare-sev2``)."""
    verdict: str
    """The engine's verdict (``clue``, ``fixes``, ``no effect``, ``worse``, ...): see
    :data:`HELPFUL` and :data:`WRONG`."""

    def __post_init__(self) -> None:
        _minutes("path.minute", self.minute, optional=False)
        for key, value in (("path.kind", self.kind), ("path.verdict", self.verdict)):
            if not isinstance(value, str) or not _WORD.fullmatch(value):
                raise ConfigError("", key, value, "1-24 lower-case letters, spaces or '-'")
        if not isinstance(self.name, str) or not 0 < len(self.name) <= _NAME_CHARS:
            raise ConfigError("", "path.name", self.name, f"1-{_NAME_CHARS} characters")

    @property
    def helped(self) -> bool:
        """Whether the step moved the incident on."""
        return self.verdict in HELPFUL

    @property
    def wrong(self) -> bool:
        """An action, message or answer to the page that wasted time or made things worse."""
        return self.verdict in WRONG and self.kind not in NOT_ACTIONS


@dataclass(frozen=True)
class DrillResult:
    """A finished drill: who (a handle), which scenario and seed, the path, times, impact, score."""

    handle: str
    scenario: str
    seed: int
    path: tuple[PathStep, ...]
    time_to_acknowledge: float | None
    """Minutes from the alert to the acknowledgement; None if never acknowledged."""
    time_to_mitigate: float | None
    """Minutes until customers stopped being hurt (maybe temporarily); None if never."""
    time_to_resolve: float | None
    """Minutes until the incident was resolved; None if the student gave up."""
    impact_minutes: float
    """Customer impact: error-budget minutes burned, from the scenario's state model."""
    score: float
    """The drill's score (0-100), rounded to 0.1 (57.7, never 57.70000000000001)."""
    finished_at: datetime
    """When the student finished, time-zone aware (stored in UTC)."""
    key: str = field(init=False, repr=False, compare=False)
    """Idempotency key: a digest of everything above, the same for a retried write."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "handle", check_handle(self.handle))  # folded to lower case
        if not isinstance(self.scenario, str) or not _SCENARIO.fullmatch(self.scenario):
            raise ConfigError(
                "", "scenario", self.scenario, "a scenario name like db-runaway-query"
            )
        if (
            isinstance(self.seed, bool)
            or not isinstance(self.seed, int)
            or not 0 <= self.seed < 2**63
        ):
            raise ConfigError("", "seed", self.seed, "a whole number from 0 to 2**63 - 1")
        for name in ("time_to_acknowledge", "time_to_mitigate", "time_to_resolve"):
            object.__setattr__(self, name, _minutes(name, getattr(self, name)))
        object.__setattr__(
            self, "impact_minutes", _minutes("impact_minutes", self.impact_minutes, optional=False)
        )
        if not isinstance(self.score, int | float) or not 0 <= self.score <= 100:
            raise ConfigError("", "score", self.score, "a number from 0 to 100")
        # one decimal everywhere: the line a driver prints, the report and the export agree
        object.__setattr__(self, "score", round(float(self.score), 1))
        if not isinstance(self.finished_at, datetime) or self.finished_at.utcoffset() is None:
            raise ConfigError("", "finished_at", self.finished_at, "a time-zone aware timestamp")
        object.__setattr__(self, "finished_at", self.finished_at.astimezone(UTC))
        object.__setattr__(self, "path", tuple(self.path))
        if not all(isinstance(step, PathStep) for step in self.path):
            raise ConfigError("", "path", self.path, "a sequence of PathStep")
        object.__setattr__(self, "key", self._digest())

    def _digest(self) -> str:
        content = {
            "handle": self.handle,
            "scenario": self.scenario,
            "seed": self.seed,
            "path": [[s.minute, s.kind, s.name, s.verdict] for s in self.path],
            "times": [self.time_to_acknowledge, self.time_to_mitigate, self.time_to_resolve],
            "impact": self.impact_minutes,
            "score": self.score,
            "finished_at": self.finished_at.isoformat(),
        }
        text = json.dumps(content, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()[:32]

    @property
    def resolved(self) -> bool:
        """Whether the student resolved the incident."""
        return self.time_to_resolve is not None

    @property
    def wrong_actions(self) -> tuple[str, ...]:
        """The names of the wrong steps (:attr:`PathStep.wrong`), in order."""
        return tuple(step.name for step in self.path if step.wrong)
