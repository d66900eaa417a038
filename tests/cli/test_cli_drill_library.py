"""`pager-lab drill --list / --scenario / --script / lint` through a real subprocess."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.helpers import DATA, one_line_error, pager_lab

BEST = "ack\ndeclare-sev2\nrunbook\ndashboard\npg-activity\nterminate-query\nstatus\nresolve\n"


def test_list_names_every_scenario_with_its_difficulty_and_lesson():
    out = pager_lab("drill", "--list")
    assert out.returncode == 0, out.stderr
    names = [line.split()[0] for line in out.stdout.splitlines() if not line.startswith(" ")]
    assert names == sorted(p.stem for p in (DATA / "drills").glob("*.toml"))
    assert "db-runaway-query       easy" in out.stdout and "lesson: Find the cause" in out.stdout


def test_a_script_plays_the_best_path_to_full_marks(tmp_path: Path):
    script = tmp_path / "answers.txt"
    script.write_text("# the best path\n" + BEST)
    out = pager_lab(
        "drill", "--scenario", "db-runaway-query", "--seed", "2", "--script", str(script),
        "--json", str(tmp_path / "d.json"), "--postmortem", str(tmp_path / "pm.md"),
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("🚨 ALERT: Database Connection Failed\n📟 Paging you...\n")
    assert "You are on call. Acknowledge? (ack/ignore): ack\n" in out.stdout
    assert "Are you you" not in out.stdout
    assert "Choices (type the number or the name" in out.stdout
    assert "✅ Incident resolved at +11 min." in out.stdout  # resolving takes its minute
    assert (
        "Score: 100/100 (resolved)" in out.stdout and "Best path: ack → declare-sev2" in out.stdout
    )
    data = json.loads((tmp_path / "d.json").read_text())
    assert data["score"]["total"] == 100 and data["score"]["time_to_resolve"] == 11
    assert data["save"]["seed"] == 2 and data["save"]["events"][0] == ["choose", "ack"]
    assert data["debrief"]["missed"] == [] and data["incident"]["state"] == "resolved"
    assert "## Contributing factors" in (tmp_path / "pm.md").read_text()


def test_stdin_answers_reprompt_on_a_typo_and_plain_output_is_ascii():
    out = pager_lab("drill", "--scenario", "db-runaway-query", "--plain",
                    stdin="ack\ndance\n" + BEST[4:])  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert "'dance' is not an answer here" in out.stdout
    assert out.stdout.isascii(), [c for c in out.stdout if not c.isascii()][:5]
    assert "[ok] Incident resolved" in out.stdout


def test_seeds_vary_the_incident():
    outputs = {pager_lab("drill", "--scenario", "db-runaway-query", "--seed", str(seed),
                         stdin=BEST).stdout for seed in (0, 1, 2, 3)}  # fmt: skip
    assert len(outputs) > 1
    again = pager_lab("drill", "--scenario", "db-runaway-query", "--seed", "1", stdin=BEST)
    assert again.stdout in outputs


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["--scenario", "nope"], ["no drill scenario 'nope'", "db-runaway-query"]),
        (["--seed", "3"], ["--seed 3 plays a drill-library scenario", "--scenario NAME too"]),
        (["--scenario", "db-runaway-query", "--seed", "-1"], ["--seed"]),
        (["--scenario", "db-runaway-query", "--seed", "x"], ["--seed"]),
        (
            ["--scenario", "db-runaway-query", "--escalation", "Bob"],
            ["--escalation 'Bob' is the seed drill's option"],
        ),
        (["--scenario", "db-runaway-query", "--script", "/nonexistent/a.txt"], ["a.txt"]),
        (["lint", "/nonexistent/drills"], ["/nonexistent/drills"]),
        (["dance"], ["drill = 'dance'", "'lint'"]),
        (["lint", "a", "b"], ["drill lint = 'a b'", "at most one folder"]),
        (["--escalate", "Bob"], ["unrecognized arguments: --escalate"]),
        (["--list", "extra"], ["'extra'"]),
        (
            ["--list", "--scenario", "db-runaway-query"],
            ["--scenario 'db-runaway-query' cannot be used with --list"],
        ),
        (["lint", "--seed", "2"], ["--seed 2 cannot be used with 'drill lint'"]),
    ],
)
def test_bad_inputs_get_one_line(args: list[str], fragments: list[str]):
    one_line_error(pager_lab("drill", *args), *fragments)


def test_a_script_with_a_wrong_answer_names_the_file_and_line(tmp_path: Path):
    script = tmp_path / "s.txt"
    script.write_text("ack\n# look first\ndashbord\n")
    out = pager_lab("drill", "--scenario", "db-runaway-query", "--script", str(script))
    one_line_error(out, f"{script} line 3: answer = 'dashbord'", "dashboard")


def test_a_script_that_ends_early_stops_with_one_line(tmp_path: Path):
    script = tmp_path / "s.txt"
    script.write_text("ack\n")
    out = pager_lab("drill", "--scenario", "db-runaway-query", "--script", str(script))
    one_line_error(out, "drill stopped: --script", "ran out of answers (after", "s.txt line 1)")


def test_drill_lint_is_clean_on_the_bundled_library():
    out = pager_lab("drill", "lint")
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.startswith("ok: 9 drill scenario(s)")


def test_drill_lint_lists_every_broken_scenario_and_goes_on(tmp_path: Path):
    shutil.copytree(DATA / "drills", tmp_path / "drills")
    shutil.copytree(DATA / "runbooks", tmp_path / "runbooks")
    bad_key = tmp_path / "drills" / "memory-leak.toml"
    bad_key.write_text(bad_key.read_text().replace("jitter = 0.2", "jiter = 0.2"))
    dangling = tmp_path / "drills" / "sev1-comms.toml"
    dangling.write_text(dangling.read_text().replace('requires = ["flag-audit"]',
                                                     'requires = ["flag-log"]'))  # fmt: skip
    out = pager_lab("drill", "lint", str(tmp_path / "drills"))
    assert out.returncode == 1 and "Traceback" not in out.stderr
    lines = out.stdout.splitlines()
    assert len(lines) == 2, lines
    assert "memory-leak.toml: scenario.jiter = 0.2: expected no such key here" in lines[0]
    assert "sev1-comms.toml: actions[0].requires = 'flag-log'" in lines[1]


def test_the_seed_drill_with_another_alert_shows_no_database_runbook_or_cause():
    out = pager_lab("drill", "--alert", "Disk full", stdin="ack\n\n\nrestart\n")
    assert out.returncode == 0, out.stderr
    assert "🚨 ALERT: Disk full" in out.stdout
    assert "pg_stat_activity" not in out.stdout and "Database CPU 100%" not in out.stdout
    assert "Runbook:" not in out.stdout
    assert "💡 Root cause unknown" in out.stdout


def test_script_lines_after_the_end_are_reported_not_ignored(tmp_path: Path):
    script = tmp_path / "s.txt"
    script.write_text(BEST + "wait\n")
    out = pager_lab("drill", "--scenario", "db-runaway-query", "--script", str(script))
    assert out.returncode == 0
    assert out.stderr.strip() == (
        f"pager-lab: warning: {script} line 9 and after were not used: "
        "the drill had ended (resolved)"
    )


@pytest.mark.parametrize("name", sorted(p.stem for p in (DATA / "drills").glob("*.toml")))
@pytest.mark.parametrize("seed", [0, 1])
def test_every_message_of_every_scenario_is_plain_ascii_with_plain(
    name: str, seed: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    from pager_lab.cli.app import main
    from pager_lab.core.drill_scenario import load_drill_scenario
    from pager_lab.core.drill_session import DrillSession

    scenario = load_drill_scenario(DATA / "drills" / f"{name}.toml")
    probe = DrillSession(scenario, seed)
    probe.choose("ack")
    offered = [c.id for c in probe.choices() if c.id != "resolve"]  # this seed's choices
    script = tmp_path / "all.txt"
    script.write_text("\n".join(["ack", *offered, "resolve", *["wait"] * 20]) + "\n")
    main(["drill", "--scenario", name, "--seed", str(seed), "--plain", "--script", str(script)])
    printed = capsys.readouterr().out
    assert printed.isascii(), sorted({c for c in printed if not c.isascii()})
    assert "Score:" in printed and "Side by side (yours | best):" in printed


def test_drill_lint_of_a_data_folder_lints_its_drills_folder(tmp_path: Path):
    shutil.copytree(DATA / "drills", tmp_path / "mydata" / "drills")
    shutil.copytree(DATA / "runbooks", tmp_path / "mydata" / "runbooks")
    out = pager_lab("drill", "lint", str(tmp_path / "mydata"))
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.startswith("ok: 9 drill scenario(s)")
    (tmp_path / "empty").mkdir()
    out = pager_lab("drill", "lint", str(tmp_path / "empty"))
    one_line_error(out, "a data folder with a drills/ folder", str(tmp_path / "empty" / "drills"))


def _broken_copy(tmp_path: Path, *edits: tuple[str, str]) -> Path:
    shutil.copytree(DATA / "runbooks", tmp_path / "runbooks")
    (tmp_path / "drills").mkdir()
    text = (DATA / "drills" / "db-runaway-query.toml").read_text()
    for old, new in edits:
        assert text.count(old) >= 1, old
        text = text.replace(old, new, 1)
    (tmp_path / "drills" / "db-runaway-query.toml").write_text(text)
    return tmp_path / "drills"


def test_drill_lint_reports_every_key_and_value_error_of_a_file_not_only_the_first(
    tmp_path: Path,
):
    folder = _broken_copy(
        tmp_path,
        ('difficulty = "easy"', 'difficulty = "medum"'),
        ("cost = 4", 'cost = "two"'),  # restart-db, actions[0]
        ("cost = 2", "cost = -1"),  # logs, diagnostics[0]
    )
    out = pager_lab("drill", "lint", str(folder))
    assert out.returncode == 1 and "Traceback" not in out.stderr
    lines = out.stdout.splitlines()
    assert len(lines) == 3, lines
    assert "scenario.difficulty = 'medum'" in lines[0]
    assert any("diagnostics[0].cost = -1" in line for line in lines), lines
    assert any("actions[0].cost = 'two'" in line for line in lines), lines
    assert all(line.startswith(str(folder / "db-runaway-query.toml")) for line in lines)


def test_drill_lint_reports_every_dangling_reference_beside_a_value_error(tmp_path: Path):
    folder = _broken_copy(
        tmp_path,
        ('difficulty = "easy"', 'difficulty = "medum"'),
        ('shows = "runaway_query"', 'shows = "runaway_qery"'),
        ('requires = ["pg-activity"]', 'requires = ["pg-activty"]'),
    )
    out = pager_lab("drill", "lint", str(folder))
    lines = out.stdout.splitlines()
    assert out.returncode == 1 and len(lines) == 3, lines
    assert "scenario.difficulty = 'medum'" in lines[0]
    assert any(".shows = 'runaway_qery'" in line for line in lines), lines
    assert any(".requires = 'pg-activty'" in line for line in lines), lines


def test_drill_lint_says_one_line_of_a_toml_file_that_is_no_scenario_at_all(tmp_path: Path):
    (tmp_path / "drills").mkdir()
    (tmp_path / "drills" / "pyproject.toml").write_text('[project]\nname = "x"\n')
    out = pager_lab("drill", "lint", str(tmp_path / "drills"))
    lines = out.stdout.splitlines()
    assert out.returncode == 1 and len(lines) == 1, lines
    assert "pyproject.toml" in lines[0] and "project" in lines[0]
