"""Runbook parsing and linting."""

from __future__ import annotations

from pathlib import Path

import pytest

from pager_lab.core.errors import ConfigError
from pager_lab.core.runbook import lint_runbooks, load_runbook, parse_runbook


def test_the_seed_runbook_parses(data_dir: Path):
    rb = load_runbook(data_dir / "runbooks" / "database-connection-failed.md")
    assert rb.title == "Database Connection Failed"
    assert rb.severity == "High"
    assert rb.symptoms == "500 Errors on Frontend."
    assert [s.text for s in rb.steps] == [
        "Check RDS CPU Utilization in CloudWatch.",
        "If CPU > 90%, check for long-running queries:",
        "Kill bad queries:",
        "If unresponsive, Reboot.",
    ]
    assert rb.steps[1].code == ("SELECT * FROM pg_stat_activity WHERE state = 'active';",)
    assert rb.steps[2].code == ("SELECT pg_terminate_backend(pid);",)
    assert rb.lines()[2] == "   SELECT * FROM pg_stat_activity WHERE state = 'active';"


def test_a_runbook_without_steps_is_rejected_with_its_file():
    with pytest.raises(ConfigError, match=r"disk\.md: Steps = '': expected a '## Steps:'"):
        parse_runbook("# Runbook: Disk Full\n## Severity: Low\n", "disk.md")


def test_a_runbook_without_title_is_rejected():
    with pytest.raises(ConfigError, match="title"):
        parse_runbook("## Steps:\n1. Look\n", "x.md")


def test_a_missing_runbook_file_is_a_config_error(tmp_path: Path):
    with pytest.raises(ConfigError, match=r"nope\.md"):
        load_runbook(tmp_path / "nope.md")


def test_lint_finds_alerts_without_runbooks_and_unused_runbooks(tmp_path: Path):
    files = [tmp_path / "a.md", tmp_path / "b.md"]
    missing, unused = lint_runbooks({"db": "runbooks/a.md", "cpu": None, "disk": "gone.md"}, files)
    assert missing == ["cpu", "disk"]
    assert unused == [str(tmp_path / "b.md")]


def test_a_runbook_only_the_drill_library_reads_is_used(tmp_path):
    from pager_lab.core import drill_runbook_names, lint_runbooks
    from tests.helpers import DATA

    files = sorted((DATA / "runbooks").glob("*.md"))
    alerts = {"database-connection-failed": "database-connection-failed.md"}
    _, unused_by_alerts = lint_runbooks(alerts, files)
    drills = drill_runbook_names(DATA / "drills")
    assert len(drills) == 9 and "db-runaway-query.md" in drills
    assert {Path(f).name for f in unused_by_alerts} == drills
    assert lint_runbooks(alerts, files, drills) == ([], [])
    assert drill_runbook_names(tmp_path / "no-drills-here") == set()
