"""What ``why`` returns: the chain behind one page, link by link, and its page id check.

Shared by every kind of run that can be explained: a simulation (:mod:`pager_lab.sim.why`),
a drill and an ingest replay (``pager_lab.cli.why_drill``, ``pager_lab.analysis.replay_routing``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pager_lab.core.errors import ConfigError

__all__ = ["STEPS", "PageExplanation", "WhyLink", "check_page_id"]

STEPS = ("alert", "dedup", "urgency", "escalation", "schedule", "window")
"""The links of the chain, in order."""


@dataclass(frozen=True)
class WhyLink:
    """One link of the chain: which step decided, and what it decided, in words."""

    step: str
    """One of :data:`STEPS`."""
    lines: tuple[str, ...]


@dataclass(frozen=True)
class PageExplanation:
    """Why one page went to one person: the chain of decisions, link by link.

    ``print()`` it (or show it in a notebook) to read the chain.
    """

    page_id: int
    """The page's row in the run's pages table (``pages.csv``)."""
    responder: str
    incident_id: str
    links: tuple[WhyLink, ...]

    def link(self, step: str) -> WhyLink:
        """The link of *step* (one of :data:`STEPS`)."""
        for link in self.links:
            if link.step == step:
                return link
        raise KeyError(f"no step {step!r}: the steps are {', '.join(STEPS)}")

    @property
    def notes(self) -> list[str]:
        """Lines where the reconstruction disagrees with what the run recorded (none expected)."""
        return [line for link in self.links for line in link.lines if line.startswith("note:")]

    def text(self) -> str:
        """The chain as text, one numbered link per step."""
        out = [f"Why was {self.responder} paged? (page {self.page_id}, {self.incident_id})"]
        for number, link in enumerate(self.links, 1):
            first, *rest = link.lines
            out.append(f"{number}. {link.step:<10} {first}")
            out += [f"   {'':<10} {line}" for line in rest]
        return "\n".join(out)

    def __str__(self) -> str:
        return self.text()

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """IPython shows the chain itself."""
        printer.text(self.text())

    def __repr__(self) -> str:
        return (
            f"PageExplanation(page={self.page_id}, responder={self.responder!r}, "
            f"incident={self.incident_id!r})"
        )


def check_page_id(
    page_id: object, pages: int, where: str = "", counted: str = "rows of pages.csv"
) -> int:
    """*page_id* as a row number of a pages table of *pages* rows, or a clear error."""
    valid = (
        f"a page id from 0 to {pages - 1} ({counted})"
        if pages
        else ("a page id, but this run sent no pages")
    )
    try:
        number = int(str(page_id).strip()) if not isinstance(page_id, int) else page_id
    except ValueError:
        raise ConfigError(where, "PAGE_ID", page_id, valid) from None
    if isinstance(number, bool) or not 0 <= number < pages:
        raise ConfigError(where, "PAGE_ID", page_id, valid)
    return number
