"""TOML configuration: the bundled data loads, and every malformed case names file, key, value."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pager_lab.core.errors import ConfigError
from pager_lab.core.lab_config import load_lab


def test_bundled_data_loads(data_dir: Path):
    lab = load_lab(data_dir)
    assert set(lab.responders) == {"Alice", "Bob", "Charlie"}
    policy = lab.policies["database"]
    assert [lv.targets for lv in policy.levels] == [("Alice",), ("Bob",), ("Charlie",)]
    alert = lab.alerts["database-connection-failed"]
    assert alert.summary == "Database Connection Failed"
    assert lab.runbook_path(alert).is_file()


@pytest.fixture
def lab_copy(tmp_path: Path, data_dir: Path) -> Path:
    for name in ("responders.toml", "policies.toml", "alerts.toml"):
        shutil.copy(data_dir / name, tmp_path / name)
    return tmp_path


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1))


CASES = [
    ("policies.toml", 'targets = ["Bob"]', "targets = []", r"levels\[1\]\.targets = \[\]"),
    ("policies.toml", 'targets = ["Bob"]', 'targets = ["Bobby"]', r"targets = 'Bobby'"),
    ("policies.toml", "timeout_minutes = 5", "timeout_minutes = -1", r"timeout_minutes = -1"),
    ("policies.toml", "repeat = 0", "repeat = 10", r"repeat = 10: expected an integer >= 0"),
    ("policies.toml", "repeat = 0", "repeat = 0\nloops = 2", r"policies\.database\.loops = 2"),
    ("policies.toml", 'targets = ["Bob"]', 'targets = ["Bob", "Bob"]', r"each target once"),
    ("responders.toml", "[responders.Bob]", "[responders.Alice]", r"syntax"),
    ("responders.toml", '"Europe/Dublin"', '"Mars/Olympus"', r"time_zone = 'Mars/Olympus'"),
    ("alerts.toml", 'severity = "SEV2"', 'severity = "SEV7"', r"severity = 'SEV7'"),
    ("alerts.toml", 'policy = "database"', 'policy = "web"', r"policy = 'web'"),
    ("alerts.toml", 'service = "database"', 'servce = "database"', r"servce"),
]


@pytest.mark.parametrize(("file", "old", "new", "match"), CASES)
def test_malformed_files_name_the_file_key_and_value(lab_copy: Path, file, old, new, match):
    _edit(lab_copy / file, old, new)
    with pytest.raises(ConfigError, match=match) as err:
        load_lab(lab_copy)
    assert str(lab_copy / file) in str(err.value)


def test_missing_file_is_named(tmp_path: Path):
    with pytest.raises(ConfigError, match=r"responders\.toml"):
        load_lab(tmp_path)


def test_a_policy_level_can_target_a_schedule(lab_copy: Path, data_dir: Path):
    from datetime import UTC, datetime

    from pager_lab.core.schedule_io import load_schedules

    _edit(lab_copy / "policies.toml", 'targets = ["Alice"]', 'targets = ["schedule:primary"]')
    lab = load_lab(lab_copy, load_schedules(data_dir / "schedules"))
    level = lab.policies["database"].levels[0]
    assert level.responders_at(datetime(2026, 12, 25, 3, tzinfo=UTC)) == ("Dana",)
    with pytest.raises(ConfigError, match="schedule:primary"):
        load_lab(lab_copy)
