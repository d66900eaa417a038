"""Drill scenarios: the TOML format of the drill library, parsed and checked.

A scenario is one incident a student investigates and acts on in simulated minutes
(``data/drills/*.toml``; the README's "Drill library" section annotates a whole file).
:func:`parse_drill_scenario` turns a TOML *mapping* into a :class:`DrillScenario`
(pure: no I/O); :func:`load_drill_scenario` and :func:`load_drill_library` are the thin
loaders that read files, as ``load_runbook`` and ``load_schedule`` do. Every error names
the file, the key, the bad value and what was expected (:class:`ConfigError`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any

from pager_lab.core.drill_parts import (
    COMM_IDS,
    RESERVED_IDS,
    Action,
    BestPath,
    Diagnostic,
    Fault,
    Injection,
    Signal,
)
from pager_lab.core.drill_toml import (
    parse_actions,
    parse_best_paths,
    parse_diagnostics,
    parse_faults,
    parse_injections,
    parse_signals,
    parse_vary,
    text_list,
)
from pager_lab.core.errors import ConfigError
from pager_lab.core.incident import Severity
from pager_lab.core.runbook import Runbook, load_runbook
from pager_lab.core.tomlfile import check_keys, read_toml, require, require_number, require_table

__all__ = [
    "DIFFICULTIES",
    "DrillScenario",
    "load_drill_library",
    "load_drill_scenario",
    "parse_drill_scenario",
]

DIFFICULTIES = ("easy", "medium", "hard")
_TOP = {
    "scenario",
    "alert",
    "vary",
    "signals",
    "faults",
    "diagnostics",
    "actions",
    "comms",
    "injections",
    "best_paths",
}
_SCENARIO = {
    "name",
    "title",
    "difficulty",
    "lesson",
    "service",
    "depends_on",
    "severity",
    "severity_guidance",
    "root_cause",
    "contributing_factors",
    "runbook",
    "limit_minutes",
    "impact_signal",
    "jitter",
    "herrings",
    "responder",
}
_COMMS = {"required", "harmful", "sme", "commander", "explain"}


@dataclass(frozen=True)
class DrillScenario:
    """One incident of the drill library: what fires, what is wrong, what helps."""

    name: str
    """The scenario's id, e.g. ``db-runaway-query`` (also its file's stem)."""
    title: str
    difficulty: str
    """``easy``, ``medium`` or ``hard``."""
    lesson: str
    """The one thing it teaches (shown in ``--list`` and the debrief)."""
    service: str
    depends_on: tuple[str, ...]
    alert: str
    """The alert's text, fired at minute 0."""
    severity: Severity
    """The right severity to declare."""
    severity_guidance: str
    root_cause: str
    contributing_factors: tuple[str, ...]
    runbook_file: str
    """The runbook's path relative to the data folder (``runbooks/x.md``), or ``""``."""
    limit_minutes: float
    """Simulated minutes after which the drill ends unresolved ("out of time")."""
    impact_signal: str
    """The signal that is an error rate in percent: customer impact integrates it."""
    jitter: float
    """How much a seed varies fault growth and recurrence delays (a fraction, 0-0.5)."""
    responder: str
    herrings: int | None
    """How many of the red-herring diagnostics a seed offers (``None``: all of them)."""
    signals: tuple[Signal, ...]
    faults: tuple[Fault, ...]
    diagnostics: tuple[Diagnostic, ...]
    actions: tuple[Action, ...]
    injections: tuple[Injection, ...]
    best_paths: tuple[BestPath, ...]
    comms_required: tuple[str, ...] = ()
    """What a good response communicates: ``declare``, ``status``, ``page-ic``, ``page-sme``."""
    comms_harmful: tuple[str, ...] = ()
    """Communication that does harm here (waking people for a flapping alert)."""
    comms_explain: str = ""
    """Why the communication matters (or does not) in this incident: for the debrief."""
    sme: str = "the subject-matter expert"
    commander: str = "the incident commander"
    vary: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Text variables a seed picks from, used as ``{name}`` in any text."""
    runbook: Runbook | None = None
    """The parsed runbook, when a loader resolved :attr:`runbook_file`."""
    source: str = ""
    """The file it came from."""

    def diagnostic(self, ident: str) -> Diagnostic | None:
        """The diagnostic with id *ident*, if any."""
        return next((d for d in self.diagnostics if d.id == ident), None)

    def action(self, ident: str) -> Action | None:
        """The action with id *ident*, if any."""
        return next((a for a in self.actions if a.id == ident), None)

    def fault(self, name: str) -> Fault | None:
        """The fault called *name*, if any."""
        return next((f for f in self.faults if f.name == name), None)

    def __repr__(self) -> str:
        return f"DrillScenario({self.name!r}, {self.difficulty}, {len(self.actions)} actions)"


def _scenario_table(data: Mapping[str, Any], where: str) -> dict[str, Any]:
    """The ``[scenario]`` table's plain fields, checked."""
    s = require_table(
        require(data, "scenario", dict, where, "", "a [scenario] table"), where, "scenario"
    )
    check_keys(s, _SCENARIO, where, "scenario")
    out: dict[str, Any] = {}
    for key in ("name", "title", "lesson", "root_cause"):
        out[key] = require(s, key, str, where, "scenario", "text")
        if not out[key].strip():
            raise ConfigError(where, f"scenario.{key}", out[key], "non-empty text")
    out["difficulty"] = require(s, "difficulty", str, where, "scenario", "easy, medium or hard")
    if out["difficulty"] not in DIFFICULTIES:
        raise ConfigError(where, "scenario.difficulty", out["difficulty"], "easy, medium or hard")
    raw_sev = require(s, "severity", str, where, "scenario", "SEV1-SEV4")
    try:
        out["severity"] = Severity.parse(raw_sev)
    except ValueError:
        raise ConfigError(where, "scenario.severity", raw_sev, "one of SEV1-SEV4") from None
    for key in ("service", "severity_guidance", "runbook"):
        out[key] = require(s, key, str, where, "scenario", "text", "")
    out["responder"] = require(s, "responder", str, where, "scenario", "a name", "you")
    out["depends_on"] = text_list(s, "depends_on", where, "scenario")
    out["contributing_factors"] = text_list(s, "contributing_factors", where, "scenario")
    out["limit_minutes"] = float(
        require_number(s, "limit_minutes", where, "scenario", minimum=10, maximum=1440, default=120)
    )
    out["jitter"] = float(
        require_number(s, "jitter", where, "scenario", minimum=0, maximum=0.5, default=0.0)
    )
    herrings = require_number(
        s, "herrings", where, "scenario", minimum=1, integer=True, default=None
    )
    out["herrings"] = herrings
    out["impact_signal"] = require(
        s, "impact_signal", str, where, "scenario", "a signal name", "error_rate"
    )
    return out


def _comms(data: Mapping[str, Any], where: str) -> dict[str, Any]:
    c = require_table(data.get("comms", {}), where, "comms")
    check_keys(c, _COMMS, where, "comms")
    out: dict[str, Any] = {}
    for key in ("required", "harmful"):
        names = text_list(c, key, where, "comms")
        for name in names:
            if name not in COMM_IDS:
                raise ConfigError(where, f"comms.{key}", name, f"one of {', '.join(COMM_IDS)}")
        out[f"comms_{key}"] = names
    out["comms_explain"] = require(c, "explain", str, where, "comms", "text", "")
    out["sme"] = require(c, "sme", str, where, "comms", "a name", "the subject-matter expert")
    out["commander"] = require(
        c, "commander", str, where, "comms", "a name", "the incident commander"
    )
    return out


def _check_ids(
    diagnostics: tuple[Diagnostic, ...],
    actions: tuple[Action, ...],
    where: str,
    sink: list[ConfigError] | None = None,
) -> None:
    """Every choice id is unique and none shadows a built-in choice (each error into *sink*
    when one is given, else the first raised)."""
    seen: dict[str, str] = {}
    ids = [(f"diagnostics[{i}].id", d.id) for i, d in enumerate(diagnostics)]
    ids += [(f"actions[{i}].id", a.id) for i, a in enumerate(actions)]
    for key, ident in ids:
        if ident in RESERVED_IDS:
            builtin = ", ".join(RESERVED_IDS)
            _fail(sink, ConfigError(where, key, ident, f"an id other than the built-in {builtin}"))
        elif ident in seen:
            _fail(sink, ConfigError(where, key, ident, f"a unique id (also used by {seen[ident]})"))
        seen[ident] = key


def _fail(sink: list[ConfigError] | None, error: ConfigError) -> None:
    """Raise *error*, or add it to *sink* (``drill lint`` collects every error)."""
    if sink is None:
        raise error
    sink.append(error)


def _check_references(sc: Any, where: str, sink: list[ConfigError] | None = None) -> None:
    """Faults, signals and steps that are named must exist (each dangling one into *sink*
    when one is given, else the first raised). *sc* has a scenario's parts."""

    def _must(name: str, known: set[str], where: str, key: str, what: str) -> None:
        if name not in known:
            _fail(sink, ConfigError(where, key, name, f"{what} ({', '.join(sorted(known))})"))

    faults = {f.name for f in sc.faults}
    signals = {s.name for s in sc.signals}
    steps = {d.id for d in sc.diagnostics} | {a.id for a in sc.actions}
    if sc.impact_signal is not None:
        _must(sc.impact_signal, signals, where, "scenario.impact_signal", "one of the signals")
    for i, f in enumerate(sc.faults):
        for drive in f.drives:
            _must(drive.signal, signals, where, f"faults[{i}].drives.signal", "a signal")
    for i, d in enumerate(sc.diagnostics):
        for name in d.signals:
            _must(name, signals, where, f"diagnostics[{i}].signals", "a signal")
        if d.shows:
            _must(d.shows, faults, where, f"diagnostics[{i}].shows", "a fault")
    for i, a in enumerate(sc.actions):
        for j, e in enumerate(a.effects):
            _must(e.fault, faults, where, f"actions[{i}].effects[{j}].fault", "a fault")
            if e.if_active:
                _must(e.if_active, faults, where, f"actions[{i}].effects[{j}].if_active", "a fault")
        for name in a.requires:
            _must(name, steps, where, f"actions[{i}].requires", "a diagnostic or action id")
    for i, inj in enumerate(sc.injections):
        for name in (*inj.starts, *inj.fixes):
            _must(name, faults, where, f"injections[{i}].starts/fixes", "a fault")


_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def _texts(value: Any) -> Iterator[str]:
    """Every string inside *value* (a scenario part, a tuple, a mapping), depth first."""
    if isinstance(value, str):
        yield value
    elif is_dataclass(value) and not isinstance(value, (type, Runbook)):
        for f in fields(value):
            yield from _texts(getattr(value, f.name))
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from _texts(item)


LIVE_PLACEHOLDERS = frozenset({"running_for"})
"""Placeholders the session fills as it plays (a table cell's ``{running_for}``)."""


def _check_placeholders(sc: DrillScenario, where: str) -> None:
    """Every ``{name}`` in a text is a ``[vary]`` variable (a typo would show as is)."""
    for text in _texts(sc):
        for name in _PLACEHOLDER.findall(text):
            if name not in sc.vary and name not in LIVE_PLACEHOLDERS:
                known = ", ".join(sorted(sc.vary)) or "none"
                raise ConfigError(where, "{" + name + "}", text, f"a [vary] variable ({known})")


def _alert_text(data: Mapping[str, Any], where: str) -> str:
    """The ``[alert]`` table's ``summary``: what the pager shows."""
    alert = require_table(
        require(data, "alert", dict, where, "", "an [alert] table"), where, "alert"
    )
    check_keys(alert, {"summary"}, where, "alert")
    return require(alert, "summary", str, where, "alert", "the alert's text")


def parse_drill_scenario(
    data: Mapping[str, Any], where: str = "<drill>", runbooks: Mapping[str, Runbook] | None = None
) -> DrillScenario:
    """A scenario from a parsed TOML mapping; *runbooks* maps ``runbook`` paths to runbooks."""
    check_keys(data, _TOP, where, "")
    head = _scenario_table(data, where)
    alert = _alert_text(data, where)
    diagnostics = parse_diagnostics(data.get("diagnostics", []), where)
    actions = parse_actions(data.get("actions", []), where)
    _check_ids(diagnostics, actions, where)
    runbook = None
    if head["runbook"]:
        runbook = (runbooks or {}).get(head["runbook"])
        if runbooks is not None and runbook is None:
            raise ConfigError(
                where,
                "scenario.runbook",
                head["runbook"],
                "an existing runbook file (relative to the data folder)",
            )
    scenario = DrillScenario(
        **{k: v for k, v in head.items() if k != "runbook"},
        alert=alert,
        runbook_file=head["runbook"],
        signals=parse_signals(data.get("signals", []), where),
        faults=parse_faults(data.get("faults", []), where),
        diagnostics=diagnostics,
        actions=actions,
        injections=parse_injections(data.get("injections", []), where),
        best_paths=parse_best_paths(data.get("best_paths", []), where),
        vary=parse_vary(data.get("vary", {}), where),
        runbook=runbook,
        source=where,
        **_comms(data, where),
    )
    _check_references(scenario, where)
    _check_placeholders(scenario, where)
    return scenario


BUNDLED_DATA = Path(__file__).resolve().parents[2] / "data"
"""The lab's bundled data folder (``data/``: ``drills/``, ``runbooks/``, ...)."""


def load_drill_scenario(path: str | Path, data_folder: str | Path | None = None) -> DrillScenario:
    """Read one scenario file, or a bundled scenario by name (``"db-runaway-query"``:
    ``data/drills/db-runaway-query.toml``); its runbook is read from *data_folder* (default:
    the file's folder's parent, so ``data/drills/x.toml`` finds ``data/runbooks/...``)."""
    file = Path(path)
    bundled = BUNDLED_DATA / "drills" / f"{path}.toml"
    if not file.exists() and file.suffix == "" and len(file.parts) == 1:
        if not bundled.is_file():
            names = ", ".join(sorted(p.stem for p in (BUNDLED_DATA / "drills").glob("*.toml")))
            raise ConfigError("", "scenario", str(path), f"a scenario file or one of: {names}")
        file = bundled
    folder = Path(data_folder) if data_folder is not None else file.parent.parent
    data = read_toml(file)
    scenario = require_table(data.get("scenario", {}), str(file), "scenario")
    runbook_file = scenario.get("runbook", "")
    runbooks: dict[str, Runbook] = {}
    if isinstance(runbook_file, str) and runbook_file:
        target = folder / runbook_file
        if target.is_file():
            runbooks[runbook_file] = load_runbook(target)
    parsed = parse_drill_scenario(data, str(file), runbooks)
    if parsed.name != file.stem:
        raise ConfigError(str(file), "scenario.name", parsed.name, f"the file's name {file.stem!r}")
    return parsed


def load_drill_library(folder: str | Path) -> dict[str, DrillScenario]:
    """Every ``*.toml`` scenario in *folder* (``data/drills``), by name, in name order."""
    root = Path(folder)
    if not root.is_dir():
        raise ConfigError(str(root), "folder", str(root), "a folder of drill scenarios (*.toml)")
    return {f.stem: load_drill_scenario(f) for f in sorted(root.glob("*.toml"))}


def drill_runbook_names(folder: str | Path) -> set[str]:
    """The runbook file names the drill scenarios in *folder* use (a drill is a runbook's user
    too); none when there is no such folder."""
    root = Path(folder)
    if not root.is_dir():
        return set()
    return {Path(s.runbook_file).name for s in load_drill_library(root).values()}
