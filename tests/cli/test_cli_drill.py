"""`pager-lab drill` and `runbook lint` through a real subprocess with piped stdin."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.helpers import DATA, pager_lab


def test_scenario_a_resolved_by_alice(tmp_path: Path):
    out = pager_lab("drill", "--json", str(tmp_path / "t.json"), stdin="ack\n\n\nrestart\n")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith(
        "🚨 ALERT: Database Connection Failed\n📟 Paging Alice...\nAre you Alice? (ack/ignore): "
    )
    assert "✅ Incident Acknowledged by Alice." in out.stdout
    assert "🛠️  Investigating... (Check Logs, Metrics)" in out.stdout
    assert "SELECT * FROM pg_stat_activity WHERE state = 'active';" in out.stdout
    assert "💡 Found root cause: Database CPU 100%." in out.stdout
    assert "Action (restart/ignore): " in out.stdout
    assert "✅ Service Restarted. Incident Resolved." in out.stdout
    assert "Time to acknowledge: 1.0 min" in out.stdout
    data = json.loads((tmp_path / "t.json").read_text())
    assert data["acknowledged_by"] == "Alice" and data["state"] == "resolved"
    assert data["outcome"] == "resolved"
    kinds = [e["kind"] for e in data["timeline"]]
    assert kinds == ["triggered", "paged", "acknowledged", "triaged", "action", "resolved"]
    assert data["timeline"][0]["timestamp"] == "2026-11-27T03:00:00+00:00"


def test_scenario_b_bob_acknowledges(tmp_path: Path):
    out = pager_lab(
        "drill", "--postmortem", str(tmp_path / "pm.md"), stdin="ignore\nack\n\n\nrestart\n"
    )
    assert out.returncode == 0, out.stderr
    assert "❌ Alice did not answer. Escalating...\n📟 Paging Bob..." in out.stdout
    assert "✅ Incident Acknowledged by Bob." in out.stdout
    assert "Time to acknowledge: 6.0 min" in out.stdout
    postmortem = (tmp_path / "pm.md").read_text()
    assert "# Post-mortem (draft): Database Connection Failed" in postmortem
    assert "| +5.0 |" in postmortem and "Acknowledged by Bob" in postmortem
    assert "Escalation worked: level 2" in postmortem


def test_everybody_ignores():
    out = pager_lab("drill", stdin="ignore\ni\nIGNORE\n")
    assert out.returncode == 0, out.stderr
    assert out.stdout.count("did not answer. Escalating...") == 2  # Charlie is the last level
    assert "❌ Charlie did not answer.\n💀 Major Outage! No one answered." in out.stdout
    assert "💀 Major Outage! No one answered." in out.stdout
    assert "Time to acknowledge: not reached" in out.stdout


def test_a_typo_reprompts_instead_of_counting_as_ignore():
    out = pager_lab("drill", stdin="yes\nack\n\n\nrestart\n")
    assert out.returncode == 0, out.stderr
    assert "'yes' is not an answer here" in out.stdout
    assert out.stdout.count("Are you Alice? (ack/ignore): ") == 2
    assert "Acknowledged by Alice" in out.stdout


@pytest.mark.parametrize("stdin", ["", "ack\n"])
def test_end_of_input_is_one_line_and_non_zero(stdin: str):
    out = pager_lab("drill", stdin=stdin)
    assert out.returncode == 1
    assert out.stderr.startswith("pager-lab: drill stopped: input ended")
    assert len(out.stderr.strip().splitlines()) == 1
    assert "Traceback" not in out.stderr


def test_options_change_alert_escalation_and_runbook(tmp_path: Path):
    rb = tmp_path / "rb.md"
    rb.write_text("# Runbook: Disk Full\n## Steps:\n1. Delete old logs\n")
    out = pager_lab(
        "drill",
        "--alert",
        "Disk Full",
        "--escalation",
        "Bob,Charlie",  # names from data/responders.toml: an unknown one is refused
        "--runbook",
        str(rb),
        stdin="i\na\n2\nno\nr\n",
    )
    assert out.returncode == 0, out.stderr
    assert "🚨 ALERT: Disk Full" in out.stdout and "Paging Charlie" in out.stdout
    assert "1. Delete old logs" in out.stdout


def test_bad_input_is_one_line_on_stderr():
    out = pager_lab("drill", "--at", "2026-11-27T03:00")
    assert out.returncode == 2
    assert "has no UTC offset" in out.stderr and len(out.stderr.strip().splitlines()) == 1
    out = pager_lab("drill", "--alert-name", "nope")
    assert out.returncode == 2 and "--alert-name = 'nope'" in out.stderr
    assert "Traceback" not in out.stderr


def test_runbook_lint_is_clean_on_bundled_data():
    out = pager_lab("runbook", "lint", str(DATA))
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.startswith("ok: 1 alert, 1 runbook")


def test_runbook_lint_lists_problems_and_exits_1(tmp_path: Path):
    shutil.copytree(DATA, tmp_path / "d", ignore=shutil.ignore_patterns("schedules", "scenarios"))
    (tmp_path / "d" / "runbooks" / "orphan.md").write_text("# Runbook: Orphan\n## Steps:\n1. x\n")
    alerts = tmp_path / "d" / "alerts.toml"
    alerts.write_text(alerts.read_text() + '\n[alerts.cpu]\nsummary = "CPU"\npolicy = "database"\n')
    out = pager_lab("runbook", "lint", str(tmp_path / "d"))
    assert out.returncode == 1
    assert "alert 'cpu' has no runbook" in out.stdout
    assert "orphan.md is used by no alert" in out.stdout


def test_runbook_lint_reports_every_broken_runbook_and_goes_on(tmp_path: Path):
    shutil.copytree(DATA, tmp_path / "d", ignore=shutil.ignore_patterns("schedules", "scenarios"))
    for name in ("a.md", "b.md"):
        (tmp_path / "d" / "runbooks" / name).write_text("# Runbook: Broken\nno steps\n")
    out = pager_lab("runbook", "lint", str(tmp_path / "d"))
    assert out.returncode == 1 and "Traceback" not in out.stderr
    broken = [line for line in out.stdout.splitlines() if "## Steps:" in line]
    assert len(broken) == 2 and "a.md" in broken[0] and "b.md" in broken[1]


@pytest.mark.parametrize("how", ["NO_COLOR", "--plain"])
def test_plain_output_has_no_emoji_and_keeps_every_line(how: str, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    rich = pager_lab("drill", stdin="ignore\nack\n\n\nrestart\n")
    if how == "NO_COLOR":
        monkeypatch.setenv("NO_COLOR", "1")
    plain = pager_lab(
        "drill", *(["--plain"] if how == "--plain" else []), stdin="ignore\nack\n\n\nrestart\n"
    )
    assert plain.returncode == 0, plain.stderr
    assert plain.stdout.isascii(), [c for c in plain.stdout if not c.isascii()]
    assert plain.stdout.startswith("ALERT: Database Connection Failed\nPaging Alice...\n")
    assert "[missed] Alice did not answer. Escalating...\nPaging Bob..." in plain.stdout
    assert "[ok] Service Restarted. Incident Resolved." in plain.stdout
    assert len(plain.stdout.splitlines()) == len(rich.stdout.splitlines())
    assert "🚨" in rich.stdout


def test_plain_drill_warnings_carry_no_emoji(tmp_path: Path):
    out = pager_lab(
        "drill", "--plain", "--notify", "local", "--notify-port", "1",
        "--notify-retries", "0", "--outbox", str(tmp_path / "o.db"),
        stdin="ack\n\n\nrestart\n",
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert "notification queued" in out.stderr
    assert "⚠" not in out.stderr + out.stdout
