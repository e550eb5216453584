"""What the tests share, one module per kind of help (docs/architecture.md, "Tests").

- ``tests/factories.py``: factory_boy factories, published unless told otherwise.
- ``data``: the shared data sets (named rows for the API, the site and the browser),
  the long lists of the paging tests, RTI requests with their events.
- ``people``: accounts with a role, signed in through the site.
- ``pages``: the public pages to visit, reading a list page, a valid proposal to post.
- ``browser``: Chromium through Playwright, and what the browser tests look for.
- ``servers``: real servers on loopback (an HTTP site to fetch, gunicorn, a throw-away
  PostgreSQL or Redis, an SMTP server) and the production environment.
- ``stack``: the production stack built from deploy/ (systemd units' commands, nginx).
- ``services``: the suite's own Redis databases per xdist worker, the broker, real
  Celery workers, running a source check.
- ``pmtiles_archive``: a tiny PMTiles archive of vector tiles, for the basemap tests.
- ``fuzz``: the schema fuzz's seed, chosen once per run and printed in its summary.
- ``wait_for`` (below): poll a condition with a deadline; no test sleeps a fixed time.

Their fixtures are registered for every test in ``tests/conftest.py``; a folder's
``conftest.py`` only switches on what that folder needs for every test it holds.
Test modules import from here and from ``tests.factories``, never from each other.
"""

import time


def wait_for(condition, what="the condition", timeout=30, interval=0.05):
    """Poll ``condition`` until it is true; fail the test after ``timeout`` seconds, saying
    ``what`` it waited for."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")
