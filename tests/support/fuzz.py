"""The seed of the schema fuzz (tests/api/test_schema.py): ours, unless a run names
another (``API_FUZZ_SEED=N``) or asks for a new one (``API_FUZZ_RANDOM=1``).

A new seed is drawn once, in the process that starts the run, and handed to every
worker through the environment, so all of them draw the same cases; the run's
summary prints it (``pytest_terminal_summary``) for replaying."""

import os
import random

OUR_SEED = 20051012


def fuzz_seed_choose():
    """In the starting process: a new seed into the environment when one is asked for."""
    if os.environ.get("API_FUZZ_RANDOM") and not os.environ.get("API_FUZZ_SEED"):
        os.environ["API_FUZZ_SEED"] = str(random.SystemRandom().randrange(2**32))


def fuzz_seed() -> int:
    return int(os.environ.get("API_FUZZ_SEED") or OUR_SEED)
