"""Every student notebook runs top to bottom; each exercise says "not answered yet", no error.

The student edition is built into a temporary folder (the same code as ``make student``) and
run with nbclient, as a student pressing Run All would.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from pager_lab.course.editions import write_student_edition
from tests.helpers import need_alertmanager

ROOT = Path(__file__).resolve().parent
AUTHORED = sorted((ROOT.parent / "notebooks").glob("[0-9]*.ipynb"))


@pytest.fixture(scope="module")
def student_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("student")
    write_student_edition(ROOT.parent / "notebooks", folder)
    return folder


def _shown(cell: nbformat.NotebookNode) -> str:
    return "".join(
        "".join(o.get("text", "")) + "".join(o.get("data", {}).get("text/plain", ""))
        for o in cell.get("outputs", [])
    )


@pytest.mark.parametrize("name", [p.name for p in AUTHORED], ids=lambda n: n[:2])
def test_run_all_on_the_student_edition(
    name: str, student_folder: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.delenv("PAGER_LAB_SLACK_WEBHOOK_URL", raising=False)
    if name == "11_alert_routing.ipynb":
        need_alertmanager()  # it starts a real Alertmanager
    notebook = nbformat.read(student_folder / name, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(student_folder)}},
    )
    client.execute()  # raises CellExecutionError, naming the cell, on any error
    exercises = [c for c in notebook.cells if c.cell_type == "code" and "check_" in c.source]
    assert exercises, f"{name}: no exercise"
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            assert output["output_type"] != "error", f"{name}: {output.get('ename')}"
            assert "Traceback" not in _shown(cell), f"{name}: a traceback"
    for cell in exercises:
        shown = _shown(cell)
        assert "not answered yet" in shown.lower(), f"{name}: the check showed {shown!r}"
        assert "Well done" not in shown, f"{name}: passed before the student answered"
