"""``python -m benchmarks.loadgen``: see ``benchmarks.loadgen.cli``."""

import sys

from benchmarks.loadgen.cli import main

sys.exit(main())
