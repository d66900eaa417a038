"""The course map: the numbered notebooks, in order, with what each teaches."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["DATA_DIR", "NOTEBOOKS", "Notebook", "course_map", "data_path"]


@dataclass(frozen=True)
class Notebook:
    """One lab notebook in ``notebooks/``."""

    number: int
    file: str
    title: str
    teaches: str


NOTEBOOKS: tuple[Notebook, ...] = (
    Notebook(0, "00_start_here.ipynb", "Start here", "how the lab works and the map"),
    Notebook(
        1,
        "01_incident_lifecycle.ipynb",
        "The incident lifecycle",
        "answer a page: trigger, ack, triage, resolve (Scenarios A and B)",
    ),
    Notebook(2, "02_runbooks.ipynb", "Runbooks", "read, write and lint runbooks"),
    Notebook(
        3,
        "03_on_call_schedules.ipynb",
        "On-call schedules",
        "rotations, overrides, time zones and gaps",
    ),
    Notebook(4, "04_webhooks.ipynb", "Webhooks", "send pages to Slack and a local receiver"),
    Notebook(5, "05_alert_streams.ipynb", "Alert streams", "simulate a month of alerts"),
    Notebook(6, "06_mtta_mttr.ipynb", "MTTA and MTTR", "measure response honestly"),
    Notebook(7, "07_burnout_what_if.ipynb", "Burnout what-ifs", "team size, noise and sleep"),
    Notebook(8, "08_postmortem.ipynb", "Post-mortem", "from a timeline to a blameless draft"),
)
"""Every notebook of the course, in order."""


def course_map() -> str:
    """The notebooks as a numbered list, for the start-here notebook."""
    return "\n".join(f"{n.number:02d}  {n.title:<24} {n.teaches}" for n in NOTEBOOKS)


DATA_DIR = Path(__file__).resolve().parents[2] / "data"
"""The bundled data folder (scenarios, schedules, runbooks, events, sweeps)."""


def data_path(relative: str) -> Path:
    """A bundled data file, wherever the notebook runs from."""
    path = DATA_DIR / relative
    if not path.exists():
        raise FileNotFoundError(f"no bundled data file {relative!r} under {DATA_DIR}")
    return path
