"""The drill's policy from its options, and its data folder: shared by ``pager-lab drill``
and ``pager-lab why`` (which rebuilds a drill's policy from its --json setup)."""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

from pager_lab.core.errors import ConfigError
from pager_lab.core.escalation import DEFAULT_TIMEOUT_MINUTES, EscalationLevel, EscalationPolicy
from pager_lab.core.lab_config import Lab, load_lab
from pager_lab.core.schedule_io import load_schedule, load_schedules

__all__ = ["drill_policy", "load_lab_folder"]


def drill_policy(args: argparse.Namespace, lab: Lab, default: EscalationPolicy) -> EscalationPolicy:
    """The policy the options ask for: --schedule first, then --escalation, else *default*
    (with --timeout on every level, if given)."""
    timeout = args.timeout if args.timeout is not None else DEFAULT_TIMEOUT_MINUTES
    levels: list[EscalationLevel] = []
    if args.schedule is not None:
        levels.append(EscalationLevel((load_schedule(args.schedule),), timeout))
    if args.escalation is not None:
        names = [n.strip() for n in args.escalation.split(",")]
        if not all(names):
            raise ConfigError("", "--escalation", args.escalation, "names separated by commas")
        for name in names:
            if name not in lab.responders:
                known = ", ".join(lab.responders)
                raise ConfigError(
                    "",
                    "--escalation",
                    name,
                    f"a responder in {lab.folder / 'responders.toml'} ({known})",
                )
        levels += [EscalationLevel((n,), timeout) for n in names]
    if levels:
        return EscalationPolicy("command line", tuple(levels))
    if args.timeout is None:
        return default
    return replace(default, levels=tuple(replace(lv, timeout=timeout) for lv in default.levels))


def load_lab_folder(folder: Path) -> Lab:
    """The data folder, with its ``schedules/`` available to policies as ``schedule:<name>``."""
    schedules = load_schedules(folder / "schedules") if (folder / "schedules").is_dir() else {}
    return load_lab(folder, schedules)
