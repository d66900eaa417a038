"""The simulation's tables are bit-identical to the recorded fingerprints (refactors keep them)."""

from __future__ import annotations

import json

import pytest

from tests.sim.fingerprints import FILE, cases, fingerprints

RECORDED = json.loads(FILE.read_text())


def test_every_case_is_recorded():
    assert sorted(RECORDED) == sorted(f"{name}@{seed}" for name, seed in cases())


@pytest.mark.parametrize(("name", "seed"), list(cases()))
def test_tables_match_their_recorded_fingerprints(name, seed):
    assert fingerprints(name, seed) == RECORDED[f"{name}@{seed}"], (
        f"{name} seed {seed}: the tables changed. If that was meant (a new behaviour or new "
        "random streams), run `python -m tests.sim.fingerprints --write` and say why in the commit"
    )
