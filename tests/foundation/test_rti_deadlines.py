"""RTI Act deadlines: the worked examples of the design, as a table."""

from datetime import date, datetime

import pytest

from tracker.rti import deadlines as rti


@pytest.mark.parametrize(
    "received,options,due",
    [
        (date(2024, 1, 10), {}, date(2024, 2, 9)),
        (date(2024, 1, 10), {"via_apio": True}, date(2024, 2, 14)),
        (date(2024, 1, 10), {"third_party": True}, date(2024, 2, 19)),
        (date(2024, 1, 10), {"security_org": True}, date(2024, 2, 24)),
    ],
)
def test_decision_due(received, options, due):
    assert rti.decision_due(received, **options) == due


def test_life_or_liberty_is_48_hours():
    assert rti.life_or_liberty_due(datetime(2024, 3, 1, 10, 0)) == datetime(2024, 3, 3, 10, 0)
