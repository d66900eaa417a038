"""ipywidgets front ends: the pager console (a drill driver) and the what-if panel.

They call the engine only; testable without a browser (``Button.click()``,
setting ``.value``).
"""

from pager_lab.course.widgets.clock import WallClock
from pager_lab.course.widgets.pager_console import PagerConsole
from pager_lab.course.widgets.what_if import WhatIfPanel

__all__ = ["PagerConsole", "WallClock", "WhatIfPanel"]
