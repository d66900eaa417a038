"""How the course's figures look and show: a colour-blind-safe palette, readable labels, captions.

The palette is Okabe and Ito's (2008) eight colours, distinguishable with the common colour-vision
deficiencies. A :class:`CourseFigure` shows itself as a PNG in any Jupyter front end, whatever
matplotlib backend is active (the plots never touch ``pyplot``), and its text form names what it
shows instead of its size.
"""

from __future__ import annotations

import io
import textwrap

from matplotlib.axes import Axes
from matplotlib.figure import Figure

__all__ = [
    "OKABE_ITO",
    "SEQUENTIAL_MAP",
    "CourseFigure",
    "add_caption",
    "new_figure",
    "png_bytes",
    "readable",
    "unit_of",
]

OKABE_ITO = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "bluish green": "#009E73",
    "vermillion": "#D55E00",
    "sky blue": "#56B4E9",
    "reddish purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}
"""Okabe & Ito (2008), *Color Universal Design*: safe for the common colour-vision deficiencies."""
SEQUENTIAL_MAP = "cividis"
"""A colour map designed to read the same with red-green colour-vision deficiency."""
PNG_DPI = 100

LABELS = {
    "team_size": "Team size (people)",
    "time_to_acknowledge": "Time to acknowledge",
    "time_to_resolve": "Time to resolve",
    "mtta_mean": "MTTA mean",
    "mtta_median": "MTTA median",
    "mtta_p90": "MTTA p90",
    "mttr_mean": "MTTR mean",
    "mttr_median": "MTTR median",
    "mttr_p90": "MTTR p90",
    "pages_per_person_week": "Pages per person-week",
    "sleep_pages_per_person_week": "Sleep-time pages per person-week",
    "shifts_over_budget": "Shifts over the SRE budget",
    "escalation_rate": "Escalation rate",
    "no_one_answered": "Escalation ran out (no answer in time)",
    "pages_gini": "Unfairness of pages (Gini)",
    "people_at_risk": "People at burnout risk",
    "people_left": "People who left",
    "runbook_coverage": "Runbook coverage",
}
UNITS = {
    "mtta": "minutes",
    "mttr": "minutes",
    "pages_per": "pages per person-week",
    "sleep_pages": "pages per person-week",
    "shifts_over": "fraction of shifts",
    "escalation_rate": "fraction of incidents",
    "no_one_answered": "incidents",
    "pages_gini": "Gini, 0 to 1",
    "people_": "people",
}


def readable(name: str) -> str:
    """A column or metric name as a person reads it (``team_size`` → ``Team size (people)``)."""
    return LABELS.get(name, name.replace("_", " ").capitalize())


def unit_of(metric: str) -> str:
    """The unit a headline metric is measured in, or ``""`` when it is not known."""
    return next((unit for prefix, unit in UNITS.items() if metric.startswith(prefix)), "")


def png_bytes(figure: Figure, dpi: float = PNG_DPI) -> bytes:
    """The figure as PNG bytes (for Jupyter's display and for image widgets)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


class CourseFigure(Figure):
    """A matplotlib figure that displays as a PNG in Jupyter and names its title as text."""

    def _repr_png_(self) -> bytes:
        return png_bytes(self)

    def __repr__(self) -> str:
        titles = [self.get_suptitle()] + [ax.get_title() for ax in self.axes]
        titles = [title for title in titles if title]
        return f"Figure: {titles[0]}" if titles else "Figure"


def new_figure(width: float = 7.0, height: float = 4.0, rows: int = 1) -> tuple[CourseFigure, Axes]:
    """A constrained-layout figure with the Okabe–Ito colour cycle; returns its first axes."""
    fig = CourseFigure(figsize=(width, height), layout="constrained")
    axes = fig.subplots(rows, 1, squeeze=False)[:, 0]
    for ax in axes:
        ax.set_prop_cycle(color=list(OKABE_ITO.values()))
    return fig, axes[0]


def add_caption(fig: Figure, text: str) -> None:
    """One line under the figure saying what to read in it (wrapped only if very long)."""
    fig.supxlabel(textwrap.fill(text, 110), fontsize="small", style="italic", color="#333333")
