"""Entry point for `python -m mintqo`."""

import sys

from mintqo.cli import main

sys.exit(main())
