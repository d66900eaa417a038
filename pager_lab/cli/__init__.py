"""The ``pager-lab`` command line: one module per command group, and the
terminal driver of the drill engine.

It sits on top and may import every other layer.
"""

from typing import TYPE_CHECKING

from pager_lab._lazy import lazy_exports

_EXPORTS = {
    "DrillInterrupted": ".terminal",
    "main": ".app",
    "run_terminal_drill": ".terminal",
}
__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

if TYPE_CHECKING:  # what type checkers and editors see; at run time names load lazily
    from .app import main
    from .terminal import DrillInterrupted, run_terminal_drill
