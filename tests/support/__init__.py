"""Small helpers shared by tests, and by the benchmarks that drive the same browser."""

import time

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Deployments drawn on the home map: single markers plus what each cluster says it holds.
COUNT_ON_MAP = """() => {
  const clusters = [...document.querySelectorAll('#map .marker-cluster span')]
    .reduce((sum, span) => sum + parseInt(span.textContent, 10), 0);
  const single = document.querySelectorAll('#map .leaflet-marker-icon.deployment-marker').length;
  return clusters + single;
}"""


def wait_for(condition, timeout=30, interval=0.1):
    """Poll ``condition`` until it is true; fail the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout} s")
