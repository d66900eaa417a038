"""ipywidgets front ends: the pager console and the drill console (drill drivers), the drill app
(``make play``) and the what-if panel.

They call the engine only; testable without a browser (``Button.click()``,
setting ``.value``).
"""

from pager_lab.course.widgets.clock import WallClock
from pager_lab.course.widgets.drill_app import DrillApp
from pager_lab.course.widgets.drill_console import DrillConsole
from pager_lab.course.widgets.pager_console import PagerConsole
from pager_lab.course.widgets.what_if import WhatIfPanel

__all__ = ["DrillApp", "DrillConsole", "PagerConsole", "WallClock", "WhatIfPanel"]
