"""``python -m cnncore``: list the scenarios or run one (see ``cnncore.cli``)."""

import sys

from cnncore.cli import main

sys.exit(main())
