"""`python -m generator …`: the same command line as the `kb` console script."""

import sys

from .cli import main

sys.exit(main())
