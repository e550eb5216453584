"""The suite's own promise (tests/support/data.py): when a transactional test empties
every table, the reference data is put back at once and committed, so the tests after it
do not each load it again."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection

from tracker.ingest.reference import reference_data_present


@pytest.mark.django_db(transaction=True)
def test_emptied_tables_get_the_reference_data_back_committed():
    call_command("flush", interactive=False, verbosity=0)  # as a transactional test ends
    assert not connection.in_atomic_block
    assert reference_data_present()
    assert Group.objects.exists()
