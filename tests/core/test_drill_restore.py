"""``restore_drill(path)`` and ``load_drill_scenario(NAME)``: back to a saved drill."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pager_lab.core import ConfigError, DrillSession, load_drill_scenario, restore_drill
from tests.helpers import DATA, pager_lab

BEST = "ack\ndeclare-sev2\nrunbook\ndashboard\npg-activity\nterminate-query\nstatus\nresolve\n"


def _played() -> DrillSession:
    session = DrillSession(load_drill_scenario("db-runaway-query"), 3)
    for answer in ("ack", "declare-sev2", "dashboard", "wait"):
        session.choose(answer)
    return session


def test_load_drill_scenario_takes_a_bundled_name_or_a_path():
    by_name = load_drill_scenario("db-runaway-query")
    by_path = load_drill_scenario(DATA / "drills" / "db-runaway-query.toml")
    assert by_name == by_path and by_name.runbook is not None
    with pytest.raises(ConfigError, match=r"'db-runaway': expected a scenario file or one of: "):
        load_drill_scenario("db-runaway")


@pytest.mark.parametrize("wrap", ["bare", "save", "session"])
def test_restore_drill_reads_a_save_a_drill_json_and_a_gm_save(tmp_path: Path, wrap: str):
    session = _played()
    save = session.to_dict()
    body = save if wrap == "bare" else {wrap: save, "transcript": [], "score": []}
    file = tmp_path / "saved.json"
    file.write_text(json.dumps(body))
    restored = restore_drill(file)
    assert restored.to_dict() == save
    assert [s.choice for s in restored.path] == ["ack", "declare-sev2", "dashboard", "wait"]


def test_restore_drill_reads_what_pager_lab_drill_json_wrote(tmp_path: Path):
    script = tmp_path / "answers.txt"
    script.write_text(BEST)
    file = tmp_path / "d.json"
    out = pager_lab("drill", "--scenario", "db-runaway-query", "--seed", "2",
                    "--script", str(script), "--json", str(file))  # fmt: skip
    assert out.returncode == 0, out.stderr
    restored = restore_drill(file, DATA)
    assert restored.outcome == "resolved" and restored.seed == 2
    assert restored.to_dict() == json.loads(file.read_text())["save"]


def test_restore_drill_names_a_file_that_is_not_a_save(tmp_path: Path):
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"timeline": []}))
    with pytest.raises(ConfigError, match=r"other.json: format = None: expected a saved drill"):
        restore_drill(other)
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    with pytest.raises(ConfigError, match=r"broken.json: .* a readable JSON file"):
        restore_drill(broken)
