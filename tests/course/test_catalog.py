"""The course map: every notebook with its minutes, the minimum path marked and totalled."""

from __future__ import annotations

from pager_lab.course.catalog import MINIMUM_PATH, NOTEBOOKS, course_map


def test_the_map_marks_the_minimum_path_and_adds_up_the_minutes():
    lines = course_map().splitlines()
    rows = lines[1:-1]
    assert len(rows) == len(NOTEBOOKS)
    for row, notebook in zip(rows, NOTEBOOKS, strict=True):
        assert row.startswith("*" if notebook.essential else " ")
        assert f"{notebook.number:02d}  {notebook.title}" in row
        assert f" {notebook.minutes} " in row
    assert [n.number for n in MINIMUM_PATH] == [0, 1, 2, 6, 8]
    assert lines[-1] == "* minimum path: 00, 01, 02, 06, 08 (110 min); the whole course: 355 min"


def test_every_notebook_takes_a_plausible_time():
    assert all(5 <= n.minutes <= 60 for n in NOTEBOOKS)
