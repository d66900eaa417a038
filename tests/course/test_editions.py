"""The student edition: answers out, outputs cleared, a student's work never overwritten."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

from pager_lab.course.editions import ANSWER_ELSEWHERE, main, student_edition

ROOT = Path(__file__).resolve().parents[2]
AUTHORED = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))


def authored_notebook() -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell(
            "my_order = ...  # your list\n### BEGIN SOLUTION\nmy_order = ['trigger']\n"
            "### END SOLUTION\ncheck(my_order)",
            outputs=[nbformat.v4.new_output("stream", text="Well done")],
            execution_count=1,
        ),
        nbformat.v4.new_markdown_cell(
            "<details><summary>Show a hint</summary>\n\nlook up\n\n</details>\n\n"
            "<!-- BEGIN SOLUTION -->\n<details><summary>Show the answer</summary>\n\n"
            "trigger first\n\n</details>\n<!-- END SOLUTION -->"
        ),
    ]
    return notebook


def test_a_solution_region_is_removed_and_the_placeholder_kept():
    student = student_edition(authored_notebook())
    code, text = student.cells
    assert "my_order = ...  # your list" in code.source
    assert "trigger" not in code.source and "SOLUTION" not in code.source
    assert "check(my_order)" in code.source
    assert code.outputs == [] and code.execution_count is None
    assert "look up" in text.source and "trigger first" not in text.source
    assert ANSWER_ELSEWHERE in text.source


def test_the_authored_notebook_is_not_changed():
    authored = authored_notebook()
    before = json.dumps(authored, sort_keys=True)
    student_edition(authored)
    assert json.dumps(authored, sort_keys=True) == before


@pytest.mark.parametrize("path", AUTHORED, ids=lambda p: p.stem)
def test_no_answer_and_no_solutions_reach_the_student(path: Path):
    authored = nbformat.read(path, as_version=4)
    student = student_edition(authored)
    for cell in student.cells:
        assert "SOLUTION" not in cell.source, f"{path.name}: a solution marker left"
        assert "solutions" not in cell.source or cell.cell_type == "markdown", path.name
        for details in re.findall(r"<details>.*?</details>", cell.source, flags=re.S):
            assert "Show the answer" not in details, f"{path.name}: an answer in <details>"
        assert not cell.get("outputs"), f"{path.name}: an output left in the student edition"
    exercises = [c for c in student.cells if c.cell_type == "code" and "check_" in c.source]
    assert exercises and all("= ..." in c.source for c in exercises), path.name


def test_make_student_writes_what_is_missing_and_keeps_what_a_student_edited(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    target = tmp_path / "student"
    assert main(["student", "--from", str(ROOT / "notebooks"), "--to", str(target)]) == 0
    assert sorted(p.name for p in target.glob("*.ipynb")) == [p.name for p in AUTHORED]
    first = capsys.readouterr().out
    assert first.count("wrote ") == len(AUTHORED) and "kept" not in first

    edited = target / AUTHORED[0].name
    edited.write_text(edited.read_text().replace("my_order = ...", "my_order = ['mine']"))
    (target / AUTHORED[1].name).unlink()
    assert main(["student", "--from", str(ROOT / "notebooks"), "--to", str(target)]) == 0
    second = capsys.readouterr().out
    assert f"wrote {AUTHORED[1].name}" in second
    assert f"kept {AUTHORED[0].name}" in second and "not overwritten" in second
    assert "my_order = ['mine']" in edited.read_text()


def test_an_unclosed_solution_region_names_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    broken = authored_notebook()
    broken.cells[0].source = "### BEGIN SOLUTION\nx = 1"
    source = tmp_path / "authored"
    source.mkdir()
    nbformat.write(broken, source / "09_broken.ipynb")
    assert main(["student", "--from", str(source), "--to", str(tmp_path / "out")]) == 1
    error = capsys.readouterr().err
    assert "09_broken.ipynb" in error and "no end solution" in error
    assert "Traceback" not in error


def test_a_missing_source_folder_is_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    assert main(["student", "--from", str(tmp_path / "nowhere"), "--to", str(tmp_path)]) == 1
    error = capsys.readouterr().err.strip()
    assert "nowhere" in error and "no authored notebooks" in error and "\n" not in error
