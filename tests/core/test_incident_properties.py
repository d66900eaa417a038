"""A Hypothesis state machine drives an incident with any sequence of actions."""

from __future__ import annotations

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from pager_lab.core.clock import ManualClock
from pager_lab.core.errors import InvalidTransition
from pager_lab.core.incident import Incident, IncidentState, Severity

PEOPLE = st.sampled_from(["Alice", "Bob", "Charlie"])


class IncidentMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.clock = ManualClock()
        self.incident = Incident("INC-P", "prop", self.clock)
        self.frozen: list | None = None

    def _try(self, action) -> None:
        before = list(self.incident.timeline)
        state = self.incident.state
        try:
            action()
        except InvalidTransition:
            assert self.incident.timeline == before, "a refused action changed the timeline"
            assert self.incident.state is state
        if self.incident.state is IncidentState.RESOLVED and self.frozen is None:
            self.frozen = list(self.incident.timeline)

    @rule(minutes=st.floats(min_value=0, max_value=120, allow_nan=False))
    def wait(self, minutes: float) -> None:
        self.clock.advance(minutes)

    @rule(who=PEOPLE, level=st.integers(1, 3))
    def page(self, who: str, level: int) -> None:
        self._try(lambda: self.incident.page(who, level))

    @rule(who=PEOPLE, level=st.integers(1, 3))
    def no_answer(self, who: str, level: int) -> None:
        self._try(lambda: self.incident.no_answer(who, level))

    @rule(who=PEOPLE)
    def acknowledge(self, who: str) -> None:
        self._try(lambda: self.incident.acknowledge(who))

    @rule(who=PEOPLE, sev=st.sampled_from(list(Severity)), help_=st.booleans())
    def triage(self, who: str, sev: Severity, help_: bool) -> None:
        self._try(lambda: self.incident.triage(who, sev, help_))

    @rule(who=PEOPLE)
    def resolve(self, who: str) -> None:
        self._try(lambda: self.incident.resolve(who))

    @rule()
    def ack_timeout(self) -> None:
        self._try(self.incident.acknowledgement_timeout)

    @rule()
    def auto_resolve(self) -> None:
        self._try(self.incident.auto_resolve)

    @rule(who=PEOPLE)
    def act(self, who: str) -> None:
        self._try(lambda: self.incident.act(who, "restart"))

    @invariant()
    def ack_never_after_resolve(self) -> None:
        ack, res = self.incident.acknowledged_at, self.incident.resolved_at
        if ack is not None and res is not None:
            assert ack <= res

    @invariant()
    def exactly_one_state(self) -> None:
        assert sum(self.incident.state is s for s in IncidentState) == 1

    @invariant()
    def timeline_times_never_decrease(self) -> None:
        times = [e.at for e in self.incident.timeline]
        assert times == sorted(times)

    @invariant()
    def resolved_never_changes(self) -> None:
        if self.frozen is not None:
            assert self.incident.state is IncidentState.RESOLVED
            assert self.incident.timeline == self.frozen


TestIncidentMachine = IncidentMachine.TestCase
