"""The package's public face: what ``__all__`` promises imports, is documented, and is light."""

from __future__ import annotations

import importlib
import inspect
import subprocess
import sys

import pytest

import pager_lab

LAYERS = ["core", "sim", "alerting", "analysis", "classroom", "course", "cli"]


@pytest.mark.parametrize("name", sorted(set(pager_lab.__all__) - {"__version__"}))
def test_every_public_name_imports_and_has_a_docstring(name):
    value = getattr(pager_lab, name)
    doc = inspect.getdoc(value)
    assert doc and doc.strip(), f"pager_lab.{name} has no docstring"


def test_the_version_is_a_string():
    assert isinstance(pager_lab.__version__, str) and pager_lab.__version__.count(".") == 2


@pytest.mark.parametrize("layer", LAYERS)
def test_each_layer_documents_what_it_may_import_and_exports_what_exists(layer):
    package = importlib.import_module(f"pager_lab.{layer}")
    assert package.__doc__ and "import" in package.__doc__
    for name in package.__all__:
        value = getattr(package, name)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert inspect.getdoc(value), f"pager_lab.{layer}.{name} has no docstring"


def test_an_unknown_name_is_an_attribute_error_that_names_it():
    with pytest.raises(AttributeError, match="no attribute 'simulat'"):
        _ = pager_lab.simulat  # type: ignore[attr-defined]


def test_importing_the_package_loads_neither_pandas_simpy_nor_matplotlib():
    code = (
        "import sys, pager_lab, pager_lab.core, pager_lab.sim, pager_lab.analysis, pager_lab.cli;"
        "print(sorted(m for m in ('pandas', 'simpy', 'matplotlib', 'numpy', 'requests')"
        " if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout


def test_reading_one_name_loads_only_what_it_needs():
    code = "import sys, pager_lab; pager_lab.Drill; print('pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("layer", LAYERS)
def test_no_export_is_shadowed_by_a_module_of_the_same_name(layer):
    """``from pager_lab.course import course_map`` once gave the module, not the function."""
    import pkgutil

    package = importlib.import_module(f"pager_lab.{layer}")
    for module in pkgutil.walk_packages(package.__path__, f"pager_lab.{layer}."):
        importlib.import_module(module.name)
    shadowed = [name for name in package.__all__ if inspect.ismodule(getattr(package, name))]
    assert not shadowed, f"pager_lab.{layer} exports modules instead of {shadowed}"
