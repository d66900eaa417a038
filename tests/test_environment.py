"""environment.yml (Binder/conda) and pyproject.toml + requirements.lock must agree."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
# conda-forge names that differ from PyPI's.
CONDA_NAME = {"tzdata": "python-tzdata"}


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _runtime() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return [_name(r) for r in project["dependencies"]]


def _lock() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==", 1)
            pins[_name(name)] = version.strip()
    return pins


def _conda() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pins = {}
    for dep in env["dependencies"]:
        if isinstance(dep, str) and "=" in dep:
            name, version = dep.split("=", 1)
            pins[name.strip().lower()] = version.strip()
    return pins


def test_every_runtime_dependency_is_pinned_in_the_lock():
    lock = _lock()
    missing = [name for name in _runtime() if name not in lock]
    assert not missing, f"requirements.lock lacks {missing}: run `make lock`"


def test_environment_yml_lists_the_runtime_dependencies_at_the_locked_versions():
    lock, conda = _lock(), _conda()
    problems = []
    for name in _runtime():
        conda_name = CONDA_NAME.get(name, name)
        if conda_name not in conda:
            problems.append(f"{conda_name} missing from environment.yml")
        elif conda[conda_name] != lock[name]:
            problems.append(
                f"{conda_name}: environment.yml {conda[conda_name]} != lock {lock[name]}"
            )
    extra = set(conda) - {CONDA_NAME.get(n, n) for n in _runtime()} - {"python"}
    problems += [f"{name} is in environment.yml but not a runtime dependency" for name in extra]
    assert not problems, "; ".join(problems)


def test_environment_yml_installs_the_package_for_binder():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_sections = [d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d]
    assert pip_sections and "-e ." in pip_sections[0]
