"""The course map: the numbered notebooks, in order, with what each teaches."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["DATA_DIR", "MINIMUM_PATH", "NOTEBOOKS", "Notebook", "course_map", "data_path"]


@dataclass(frozen=True)
class Notebook:
    """One lab notebook in ``notebooks/``: what it teaches and how long a student needs for it."""

    number: int
    file: str
    title: str
    teaches: str
    minutes: int
    """Time to work through it with the exercise (a teaching estimate, measured in class)."""
    essential: bool = False
    """On the minimum path: the seed lab's story from the page to the post-mortem."""


NOTEBOOKS: tuple[Notebook, ...] = (
    Notebook(0, "00_start_here.ipynb", "Start here", "how the lab works and the map", 10, True),
    Notebook(
        1,
        "01_incident_lifecycle.ipynb",
        "The incident lifecycle",
        "answer a page: trigger, ack, triage, resolve (Scenarios A and B)",
        20,
        True,
    ),
    Notebook(2, "02_runbooks.ipynb", "Runbooks", "read, write and lint runbooks", 20, True),
    Notebook(
        3,
        "03_on_call_schedules.ipynb",
        "On-call schedules",
        "rotations, overrides, time zones and gaps",
        30,
    ),
    Notebook(4, "04_webhooks.ipynb", "Webhooks", "send pages to Slack and a local receiver", 25),
    Notebook(5, "05_alert_streams.ipynb", "Alert streams", "simulate a month of alerts", 25),
    Notebook(6, "06_mtta_mttr.ipynb", "MTTA and MTTR", "measure response honestly", 35, True),
    Notebook(7, "07_burnout_what_if.ipynb", "Burnout what-ifs", "team size, noise and sleep", 30),
    Notebook(
        8,
        "08_postmortem.ipynb",
        "Post-mortem",
        "from a timeline to a blameless draft",
        25,
        True,
    ),
    Notebook(
        9,
        "09_drill_library.ipynb",
        "The drill library",
        "investigate, act, communicate; compare scores",
        40,
    ),
    Notebook(
        10,
        "10_your_own_data.ipynb",
        "Your own data",
        "import an export, calibrate the model, check the fit, what-if",
        35,
    ),
    Notebook(
        11,
        "11_alert_routing.ipynb",
        "Alert routing",
        "a real Alertmanager: grouping, silences, inhibition",
        30,
    ),
    Notebook(
        12,
        "12_classroom_debrief.ipynb",
        "Classroom debrief",
        "instructors: collect a class's drill results and debrief them",
        30,
    ),
)
"""Every notebook of the course, in order."""

MINIMUM_PATH: tuple[Notebook, ...] = tuple(n for n in NOTEBOOKS if n.essential)
"""The shortest route through the course that still tells the whole story."""


def course_map() -> str:
    """The notebooks as a numbered table with minutes, ``*`` marking the minimum path."""
    lines = [f"    {'#':<3} {'notebook':<24} {'min':>4}  what you do"]
    for n in NOTEBOOKS:
        mark = "*" if n.essential else " "
        lines.append(f"{mark}   {n.number:02d}  {n.title:<24} {n.minutes:>4}  {n.teaches}")
    essential = sum(n.minutes for n in MINIMUM_PATH)
    total = sum(n.minutes for n in NOTEBOOKS)
    lines.append(
        f"* minimum path: {', '.join(f'{n.number:02d}' for n in MINIMUM_PATH)}"
        f" ({essential} min); the whole course: {total} min"
    )
    return "\n".join(lines)


DATA_DIR = Path(__file__).resolve().parents[2] / "data"
"""The bundled data folder (scenarios, schedules, runbooks, events, sweeps)."""


def data_path(relative: str) -> Path:
    """A bundled data file, wherever the notebook runs from."""
    path = DATA_DIR / relative
    if not path.exists():
        raise FileNotFoundError(f"no bundled data file {relative!r} under {DATA_DIR}")
    return path
