"""``python -m pager_lab`` runs the ``pager-lab`` command line."""

import sys

from pager_lab.cli.app import main

sys.exit(main())
