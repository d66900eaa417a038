"""A minimal stand-in for a drill session behind the server (tests of the server alone)."""

from __future__ import annotations

from typing import Any

from pager_lab.core.drill import StaleAnswer
from pager_lab.core.errors import InvalidAnswer


class FakeGame:
    """Two prompts, a message list, a clock; counts what was applied."""

    def __init__(self) -> None:
        self.minutes = 0.0
        self.prompt = 1
        self.messages: list[str] = ["ALERT: fake"]
        self.applied: list[str] = []
        self.ticks: list[float] = []

    def player_state(self) -> dict[str, Any]:
        return {
            "clock": {"minutes": self.minutes},
            "prompt": {"number": self.prompt, "text": "ack?", "answers": ["ack", "ignore"]},
            "messages": [{"kind": "info", "text": m} for m in self.messages],
        }

    def gm_state(self) -> dict[str, Any]:
        return self.player_state() | {"hidden": {"root_cause": "the fake's secret"}}

    def play(self, verb: str, body: dict[str, Any]) -> dict[str, Any]:
        if verb == "answer":
            if body.get("prompt") != self.prompt:
                raise StaleAnswer(str(body.get("text")), f"question {self.prompt} is current")
            if body.get("text") not in ("ack", "ignore"):
                raise InvalidAnswer(str(body.get("text")), ("ack", "ignore"))
            self.prompt += 1
        self.applied.append(f"{verb}:{body.get('text') or body.get('name')}")
        self.messages.append(f"{verb} applied")
        return self.player_state()

    def inject(self, body: dict[str, Any]) -> dict[str, Any]:
        self.messages.append(f"INJECTED: {body.get('text')}")
        return self.gm_state()

    def tick(self, minutes: float) -> None:
        self.ticks.append(minutes)
        self.minutes += minutes
