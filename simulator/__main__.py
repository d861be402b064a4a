"""Lets `python -m simulator` behave like the `simulator` console script."""

import sys

from simulator.cli import main

sys.exit(main())
