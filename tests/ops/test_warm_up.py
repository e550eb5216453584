"""Each gunicorn worker builds the gazetteer every search reads before its first request,
and starts all the same when the database is not there yet."""

import logging
import runpy

import pytest
from django.db import connection

from config import wsgi
from tests.support.servers import ROOT
from tracker.catalogue import places


@pytest.fixture
def no_gazetteer(monkeypatch):
    monkeypatch.setattr(places, "_gazetteer", None)


@pytest.mark.django_db(transaction=True)
def test_a_new_worker_builds_the_gazetteer_before_its_first_request(no_gazetteer):
    gunicorn_settings = runpy.run_path(str(ROOT / "deploy/gunicorn.conf.py"))
    gunicorn_settings["post_worker_init"](worker=None)
    assert places._gazetteer is not None
    assert places.other_script_names("kanpur")[1] == [["Kanpur", "कानपुर", "कानपूर"]]
    assert connection.connection is None  # nothing left open outside a request


def test_a_database_not_there_yet_leaves_it_to_the_first_search(
    no_gazetteer, caplog, tmp_path, django_db_blocker
):
    host = connection.settings_dict["HOST"]
    connection.close()
    connection.settings_dict["HOST"] = str(tmp_path)  # no server listens there
    try:
        with django_db_blocker.unblock(), caplog.at_level(logging.WARNING, logger="config.wsgi"):
            wsgi.warm_up()
    finally:
        connection.close()
        connection.settings_dict["HOST"] = host
    assert places._gazetteer is None
    assert "warm-up left to the first request" in caplog.text
    assert "connection" in caplog.text
