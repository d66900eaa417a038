"""What a newcomer found in the terminal drill driver: files overwritten, unfinished drills
lost, script-file surprises, plain markers, leaking messages, scenario names, housekeeping."""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import ROOT, ctrl_c_reaches_it, one_line_error, pager_lab


@pytest.mark.parametrize(
    "name", [".pager-lab-class.db", ".pager-lab-class.db-wal", ".pager-lab-class.db-shm",
             "drill-ada-db-runaway-query-seed0.json", "drill-ada-db-runaway-query-seed0-2.json"],
)  # fmt: skip
def test_the_class_store_and_saved_for_later_drills_are_git_ignored(name: str):
    out = subprocess.run(["git", "check-ignore", "--no-index", "-q", name], cwd=ROOT, check=False)
    assert out.returncode == 0, f"{name} is not in .gitignore"


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_help_lists_make_install():
    out = subprocess.run(
        ["make", "-s", "help"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert any(line.startswith("make install ") for line in out.stdout.splitlines()), out.stdout


BEST = "ack\ndeclare-sev2\nrunbook\ndashboard\npg-activity\nterminate-query\nstatus\nresolve\n"
POOR = "ack\nrestart-db\npg-activity\nterminate-query\nresolve\n"
UNREACHABLE = "postgresql://ta@127.0.0.1:1/class"


def play(tmp_path: Path, *extra: str, answers: str = BEST, stdin: str = ""):
    script = tmp_path / "answers.txt"
    if not script.exists():
        script.write_text(answers, "utf-8")
    return pager_lab(
        "drill", "--scenario", "db-runaway-query", "--script", str(script), *extra,
        cwd=tmp_path, stdin=stdin,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        (("--json", "answers.txt"), "--script and --json both name"),
        (("--json", "same.json", "--postmortem", "./same.json"), "--json and --postmortem both"),
    ],
)
def test_one_file_named_twice_is_refused_before_the_drill_and_left_alone(tmp_path, extra, says):
    (tmp_path / "same.json").write_text("keep me")
    out = play(tmp_path, *extra)
    one_line_error(out, says)
    assert out.stdout == ""  # refused before the alert
    assert (tmp_path / "answers.txt").read_text() == BEST
    assert (tmp_path / "same.json").read_text() == "keep me"


def test_the_seed_drill_refuses_one_file_for_json_and_postmortem(tmp_path):
    out = pager_lab("drill", "--json", "x.md", "--postmortem", "x.md", cwd=tmp_path, stdin="a\n")
    one_line_error(out, "--json and --postmortem both name 'x.md'")
    assert not (tmp_path / "x.md").exists()


def test_a_drill_saved_for_later_is_never_overwritten_by_the_next_attempt(tmp_path):
    first = play(tmp_path, "--handle", "ada", "--store", UNREACHABLE, answers=POOR)
    saved = tmp_path / "drill-ada-db-runaway-query-seed0.json"
    assert first.returncode == 1 and saved.is_file(), first.stdout + first.stderr
    before = saved.read_text()
    second = play(tmp_path, "--handle", "ada", "--store", UNREACHABLE, answers=POOR)
    again = tmp_path / "drill-ada-db-runaway-query-seed0-2.json"
    assert second.returncode == 1 and again.is_file()
    assert f"saved the drill to {again.name};" in second.stdout
    assert saved.read_text() == before
    play(tmp_path, "--handle", "ada", "--store", UNREACHABLE, answers=POOR)
    assert (tmp_path / "drill-ada-db-runaway-query-seed0-3.json").is_file()


def test_a_script_that_runs_out_keeps_the_json_and_postmortem_and_says_not_recorded(tmp_path):
    store = tmp_path / "class.db"
    out = play(
        tmp_path, "--json", "d.json", "--postmortem", "pm.md", "--handle", "ada",
        "--store", str(store), answers="ack\ndeclare-sev2\n",
    )  # fmt: skip
    line = one_line_error(
        out, "drill stopped: --script", "answers.txt line 2)", "ran out of answers"
    )
    assert out.returncode == 1, line
    assert "not recorded for ada: the drill did not finish" in out.stdout
    document = json.loads((tmp_path / "d.json").read_text("utf-8"))
    assert document["finished"] is False and document["save"]["outcome"] == ""
    assert document["save"]["events"][:2] == [["choose", "ack"], ["choose", "declare-sev2"]]
    assert (tmp_path / "pm.md").read_text("utf-8").startswith("#")
    submit = pager_lab(
        "class", "submit", "d.json", "--handle", "ada", "--store", str(store), cwd=tmp_path
    )
    one_line_error(submit, "d.json: the drill did not finish", "it is not recorded")


def test_input_that_ends_on_stdin_keeps_the_json(tmp_path):
    out = pager_lab(
        "drill", "--scenario", "db-runaway-query", "--json", "d.json", stdin="ack\n",
        cwd=tmp_path,
    )  # fmt: skip
    one_line_error(out, "drill stopped: input ended while waiting")
    assert json.loads((tmp_path / "d.json").read_text("utf-8"))["finished"] is False


def test_inline_comments_blank_lines_and_a_byte_order_mark_are_fine_in_a_script(tmp_path):
    lines = BEST.splitlines()
    text = "\ufeff" + lines[0] + "   # yes, it's mine\n\n   \n" + "\n\n".join(lines[1:]) + "\n"
    (tmp_path / "answers.txt").write_text(text, "utf-8")
    out = play(tmp_path, "--json", "d.json")
    assert out.returncode == 0, out.stderr
    assert json.loads((tmp_path / "d.json").read_text("utf-8"))["finished"] is True


def test_a_missing_script_is_reported_before_the_alert(tmp_path):
    out = pager_lab(
        "drill", "--scenario", "db-runaway-query", "--script", "nosuch.txt", cwd=tmp_path
    )
    line = one_line_error(out, "--script 'nosuch.txt' does not exist: expected a file of answers")
    assert line.startswith("pager-lab: error: --script")
    assert out.stdout == ""


@pytest.mark.parametrize("how", [("--plain",), ()])
def test_plain_output_gives_a_word_for_every_emoji_that_carried_meaning(tmp_path, how, monkeypatch):
    # resolve too soon (refused), restart (temporary), resolve (too early)
    answers = "ack\nresolve\nrestart-db\ndashboard\ndashboard\ndashboard\nresolve\n"
    if not how:
        monkeypatch.setenv("NO_COLOR", "1")
    out = play(tmp_path, *how, answers=answers)
    for word in ("[refused] The signals are still bad", "[temporary] Restart the database"):
        assert word in out.stdout, out.stdout
    assert not any(ord(c) > 0x2000 for c in out.stdout), "an emoji is left"


@pytest.mark.parametrize(
    ("emoji", "kind", "word"),
    [("🔥", "act", "[worse] "), ("🩹", "act", "[temporary] "), ("⛔", "warn", "[refused] "),
     ("⚠️ ", "warn", "[too early] "), ("➖", "act", "")],
)  # fmt: skip
def test_library_marks_turn_each_meaningful_emoji_into_a_word(emoji, kind, word):
    from pager_lab.cli.terminal import LIBRARY_MARKS, plain_text
    from pager_lab.core.drill import Message

    assert plain_text(Message(kind, f"{emoji} Done."), LIBRARY_MARKS) == f"{word}Done."
    assert plain_text(Message("ok", "✅ Fixed."), LIBRARY_MARKS) == "[ok] Fixed."


def _submit(tmp_path: Path, save: dict):
    played = tmp_path / "edited.json"
    played.write_text(json.dumps({"save": save}), "utf-8")
    return pager_lab(
        "class", "submit", str(played), "--handle", "t", "--store", str(tmp_path / "c.db")
    )


def _save(tmp_path: Path) -> dict:
    out = play(tmp_path, "--json", "d.json")
    assert out.returncode == 0, out.stderr
    return json.loads((tmp_path / "d.json").read_text("utf-8"))["save"]


def test_a_hand_edited_save_is_one_line_not_a_traceback(tmp_path):
    save = _save(tmp_path)
    inf = _submit(tmp_path, save | {"seed": 1e400})
    one_line_error(inf, "seed = inf: expected a whole number >= 0")
    no_start = _submit(tmp_path, {k: v for k, v in save.items() if k != "start"})
    one_line_error(no_start, "the field 'start' is missing")
    assert _submit(tmp_path, save).returncode == 0


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        (("--step-minutes", "3"), "--step-minutes 3 is the seed drill's option"),
        (("--pace", "1"), "--pace 1 is the seed drill's option"),
        (("--alert-name", "disk-full"), "--alert-name 'disk-full' is the seed drill's option"),
        (("--timeout", "5"), "--timeout 5 is the seed drill's option"),
    ],
)
def test_seed_drill_options_are_refused_with_a_scenario_not_ignored(tmp_path, extra, says):
    out = play(tmp_path, *extra)
    one_line_error(out, says, "a --scenario drill does not use it")
    assert out.stdout == ""


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (("--script", "good-db.txt"),
         "pager-lab: error: --script 'good-db.txt' plays a drill-library scenario: "
         "give --scenario NAME too"),
        (("lint", "--list"),
         "pager-lab: error: --list cannot be used with 'drill lint' (it takes only a folder)"),
        (("--scenario", "db-runaway-query", "--seed", "-1"),
         "pager-lab drill: error: argument --seed: '-1': expected an integer >= 0 "
         "(see pager-lab drill --help)"),
    ],
)  # fmt: skip
def test_messages_read_as_sentences_without_python_inside(tmp_path, args, line):
    out = pager_lab("drill", *args, cwd=tmp_path)
    assert one_line_error(out) == line
    assert "PosixPath" not in out.stderr and "True" not in out.stderr


def test_a_wrong_answer_in_a_script_says_what_the_question_accepts(tmp_path):
    out = play(tmp_path, answers="ackk\n")
    line = one_line_error(out, "answers.txt line 1: answer = 'ackk': expected one of ")
    assert "type one of" not in line


def test_the_seed_drill_still_defaults_its_alert_and_step(tmp_path):
    out = pager_lab("drill", "--json", "d.json", stdin="ack\n\n\nrestart\n", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    document = json.loads((tmp_path / "d.json").read_text("utf-8"))
    assert document["setup"]["alert_name"] == "database-connection-failed"


def test_a_scenario_name_in_any_case_plays_that_scenario(tmp_path):
    (tmp_path / "a.txt").write_text(BEST)
    out = pager_lab(
        "drill", "--scenario", "DB-Runaway-Query", "--script", "a.txt", "--json", "d.json",
        cwd=tmp_path,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    document = json.loads((tmp_path / "d.json").read_text("utf-8"))
    assert document["save"]["scenario"] == "db-runaway-query" and document["finished"]


@pytest.mark.parametrize(
    ("typed", "hint"),
    [("db-runaway-qeury", "did you mean 'db-runaway-query'?"), ("DB-RUNAWAY", "did you mean")],
)
def test_a_scenario_typo_suggests_the_closest_name(tmp_path, typed, hint):
    out = pager_lab("drill", "--scenario", typed, cwd=tmp_path)
    line = one_line_error(out, f"no drill scenario {typed!r}", hint, "pager-lab drill --list")
    assert out.stdout == "", line


def test_a_name_like_no_scenario_gets_the_list_without_a_guess(tmp_path):
    line = one_line_error(pager_lab("drill", "--scenario", "zzz", cwd=tmp_path), "'zzz'")
    assert "did you mean" not in line and "db-runaway-query" in line


def test_ctrl_c_keeps_the_json_and_says_not_recorded(tmp_path):
    proc = subprocess.Popen(
        [sys.executable, "-m", "pager_lab", "drill", "--scenario", "db-runaway-query",
         "--json", "d.json", "--handle", "ada", "--store", str(tmp_path / "c.db")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path,
        env=os.environ | {"PYTHONIOENCODING": "utf-8"},
        preexec_fn=ctrl_c_reaches_it,
    )  # fmt: skip
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(b"ack\n")
    proc.stdin.flush()
    seen, deadline = b"", time.monotonic() + 60
    while seen.count(b"Your move") < 1 and time.monotonic() < deadline:  # waiting for answer 2
        if select.select([proc.stdout], [], [], 1)[0]:
            seen += os.read(proc.stdout.fileno(), 4096)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "not recorded for ada: the drill did not finish" in (seen + out).decode()
    assert "interrupted (Ctrl-C)" in err.decode() and b"Traceback" not in err
    document = json.loads((tmp_path / "d.json").read_text("utf-8"))
    assert document["finished"] is False and document["save"]["events"][0] == ["choose", "ack"]
