"""The seed of the schema fuzz (tests/api/test_schema.py): ours, unless a run names
another (``API_FUZZ_SEED=N``) or asks for a new one (``API_FUZZ_RANDOM=1``).

A new seed is drawn once, in the process that starts the run, and handed to every
worker through the environment, so all of them draw the same cases; the run's
summary prints it (``pytest_terminal_summary``) for replaying.

``API_FUZZ_PHASES`` names the schemathesis phases that run (default all three):
``examples`` (the schema's own examples), ``coverage`` (boundary and wrong-type values
for every parameter, about 4,500 requests whatever the number of examples) and
``fuzzing`` (``API_FUZZ_EXAMPLES`` generated requests per operation)."""

import os
import random

OUR_SEED = 20051012


def fuzz_seed_choose():
    """In the starting process: a new seed into the environment when one is asked for."""
    if os.environ.get("API_FUZZ_RANDOM") and not os.environ.get("API_FUZZ_SEED"):
        os.environ["API_FUZZ_SEED"] = str(random.SystemRandom().randrange(2**32))


def fuzz_seed() -> int:
    return int(os.environ.get("API_FUZZ_SEED") or OUR_SEED)


PHASES = ("examples", "coverage", "fuzzing")


def fuzz_phases() -> tuple[str, ...]:
    """The phases ``API_FUZZ_PHASES`` names (comma-separated), in schemathesis's order."""
    given = os.environ.get("API_FUZZ_PHASES", "").replace(" ", "")
    if not given:
        return PHASES
    names = set(given.split(","))
    if unknown := sorted(names - set(PHASES)):
        raise ValueError(
            f"API_FUZZ_PHASES: no phase {', '.join(map(repr, unknown))} "
            f"(choose from {', '.join(PHASES)})"
        )
    return tuple(name for name in PHASES if name in names)
