from tests.roles import (  # noqa: F401  (fixtures)
    administrator,
    fresh_rate_limits,
    moderator,
    other_volunteer,
    volunteer,
)
