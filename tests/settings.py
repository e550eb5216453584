"""The suite's settings: the site's own, in development mode.

Only the environment can switch development mode on (``config/settings.py``), so
the suite sets it here, before the settings load; the processes tests start
inherit it, and tests of production mode give their own environment.
"""

import os

os.environ.setdefault("PANOPTIC_DEV", "1")

from config.settings import *  # noqa: E402, F403
