"""The classroom: a class's drill results in one store, and the instructor's debrief.

``DrillResult`` is one student's finished drill (a handle, never a name);
``ResultsStore`` keeps a class's results in SQLite or any SQLAlchemy database
(PostgreSQL tested); the debrief turns the store's tables into plots and tables.

It sits above ``pager_lab.analysis`` and below ``pager_lab.course``: it may import
``pager_lab.analysis``, ``pager_lab.sim``, ``pager_lab.alerting`` and ``pager_lab.core``.
"""

from typing import TYPE_CHECKING

from pager_lab._lazy import lazy_exports

_EXPORTS = {
    "DrillResult": ".results",
    "PathStep": ".results",
    "ResultsStore": ".store",
    "StoreError": ".target",
    "check_handle": ".results",
    "upgrade": ".migrate",
}
__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

if TYPE_CHECKING:  # what type checkers and editors see; at run time names load lazily
    from .migrate import upgrade
    from .results import DrillResult, PathStep, check_handle
    from .store import ResultsStore
    from .target import StoreError
