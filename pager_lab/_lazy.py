"""Lazy exports for package ``__init__`` modules (PEP 562).

A package lists what it exports and where each name lives; a name's module is
imported the first time the name is read. ``import pager_lab`` therefore loads
neither pandas, SimPy nor matplotlib, and the command line starts fast.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["lazy_exports"]


def lazy_exports(
    package: str, exports: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for *package*, whose *exports* map name → module.

    A module path starting with ``.`` is relative to *package*.
    """

    def __getattr__(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module, package), name)
        return value

    def __dir__() -> list[str]:
        return sorted(exports)

    return __getattr__, __dir__
