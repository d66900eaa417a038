"""The notebooks as committed: executed (or strict nbval compares nothing), clean, complete."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from pager_lab.course.catalog import NOTEBOOKS

FOLDER = Path(__file__).resolve().parent.parent / "notebooks"
FILES = sorted(FOLDER.glob("[0-9]*.ipynb"))
ADDRESS = re.compile(r"0x[0-9a-fA-F]{6,}")
# Figures each notebook shows as a PNG (nbval skips image/png, so strict nbval stays exact).
FIGURES = {
    "03_on_call_schedules": 1,
    "05_alert_streams": 3,
    "06_mtta_mttr": 2,
    "07_burnout_what_if": 3,
    "09_drill_library": 1,
    "10_your_own_data": 3,
    "11_alert_routing": 1,
    "12_classroom_debrief": 3,
}


def code_cells(path: Path) -> list[dict]:
    cells = json.loads(path.read_text())["cells"]
    return [c for c in cells if c["cell_type"] == "code" and "".join(c["source"]).strip()]


def test_the_course_map_lists_exactly_the_notebooks_on_disk():
    assert [n.file for n in NOTEBOOKS] == [p.name for p in FILES]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_code_cell_is_stored_executed_in_order(path: Path):
    counts = [c["execution_count"] for c in code_cells(path)]
    assert None not in counts, f"{path.name}: run `make execute-notebooks` before committing"
    assert counts == list(range(1, len(counts) + 1)), f"{path.name}: run top to bottom"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_outputs_are_clean(path: Path):
    for cell in code_cells(path):
        for output in cell["outputs"]:
            assert output["output_type"] != "error", f"{path.name}: a stored error"
            assert output.get("name") != "stderr", f"{path.name}: stderr in a stored output"
            text = "".join(output.get("text", "")) + "".join(
                output.get("data", {}).get("text/plain", "")
            )
            assert not ADDRESS.search(text), f"{path.name}: a memory address in an output"
            assert "/work/" not in text and "/tmp/" not in text, f"{path.name}: a local path"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_each_notebook_has_objectives_takeaways_and_a_passing_self_check(path: Path):
    cells = json.loads(path.read_text())["cells"]
    markdown = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    assert "Learning objectives" in markdown and "Key takeaways" in markdown
    checks = [c for c in code_cells(path) if "check_" in "".join(c["source"])]
    assert checks, f"{path.name}: no self-check cell"
    for cell in checks:
        shown = "".join("".join(o.get("data", {}).get("text/plain", "")) for o in cell["outputs"])
        assert shown.startswith("✅ Well done"), f"{path.name}: its own check does not pass"
    assert "<details>" in markdown, f"{path.name}: the solution is not hidden"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_figure_is_stored_as_an_image_never_as_text(path: Path):
    images = 0
    for cell in code_cells(path):
        for output in cell["outputs"]:
            data = output.get("data", {})
            images += "image/png" in data
            text = "".join(output.get("text", "")) + "".join(data.get("text/plain", ""))
            assert "<Figure size" not in text, f"{path.name}: a figure stored as text: {text!r}"
    assert images == FIGURES.get(path.stem, 0), f"{path.name}: {images} figures stored as PNG"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_exercise_has_its_answer_in_a_solution_region(path: Path):
    for cell in code_cells(path):
        source = "".join(cell["source"])
        if "check_" not in source:
            continue
        assert "### BEGIN SOLUTION" in source and "### END SOLUTION" in source, path.name
        before, rest = source.split("### BEGIN SOLUTION", 1)
        after = rest.split("### END SOLUTION", 1)[1]
        outside = before + after
        assert "= ..." in before, f"{path.name}: the student's `...` placeholder is missing"
        assert "solutions" not in outside, f"{path.name}: `solutions` used outside the region"


def test_the_start_here_map_shows_the_catalogs_minutes_and_minimum_path():
    cells = json.loads((FOLDER / "00_start_here.ipynb").read_text())["cells"]
    markdown = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    rows = re.findall(r"^\| (\d\d)(\\\*)? \| \[[^]]+\]\(([^)]+)\) \| (\d+) \|", markdown, re.M)
    shown = [(file, int(minutes), bool(star)) for _, star, file, minutes in rows]
    assert shown == [(n.file, n.minutes, n.essential) for n in NOTEBOOKS]
    path = " → ".join(f"{n.number:02d}" for n in NOTEBOOKS if n.essential)
    assert path in markdown
    assert f"about {sum(n.minutes for n in NOTEBOOKS if n.essential)} minutes" in markdown
