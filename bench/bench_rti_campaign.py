"""RTI campaign benchmark: one application to 30 authorities, through gunicorn with DEBUG off.

On its own database (bench_rti_campaign, created and dropped here) it makes 30
published authorities in one state and a moderator, starts gunicorn, signs the
moderator in, and times: creating the campaign through the site's form (the POST
that makes the 30 linked requests; target under 2 s), then the campaign's public
page (each authority's status and the response figures; target: median under
150 ms). The campaign service alone is timed too. BENCH_AUTHORITIES changes the
size.
"""

import http.client
import os
import re
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_site  # noqa: E402 (the gunicorn start-up and its environment are shared)
from benchlib import admin_connection, load  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

DB_NAME = "bench_rti_campaign"
AUTHORITIES = int(os.environ.get("BENCH_AUTHORITIES", "30"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "15"))
CREATE_TARGET_S = 2.0
PAGE_TARGET_MS = 150


def setup():
    # The session made here must be read by the server: the same secret key.
    os.environ["SECRET_KEY"] = bench_site.server_environment({})["SECRET_KEY"]
    import django
    from django.conf import settings

    db = settings.DATABASES["default"]
    with admin_connection(db) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {DB_NAME}")
    db["NAME"] = DB_NAME
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return db


def make_people_and_authorities():
    from django.contrib.auth import get_user_model

    from accounts.roles import Role, role_grant
    from tracker.models import Agency, Publication

    for n in range(AUTHORITIES * 2):
        Agency.objects.create(
            name=f"Bench District Police {n:03d}",
            kind="police",
            level="district",
            state_id="IN-UP" if n < AUTHORITIES else "IN-MH",
            pio_address=f"{n} Collectorate Road",
            publication=Publication.PUBLISHED,
        )
    moderator = get_user_model().objects.create_user("bench-moderator", "m@example.org", "x" * 20)
    role_grant(user=moderator, role=Role.MODERATOR)
    return moderator


def session_cookie(user):
    from django.test import Client

    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client.cookies["sessionid"].value


class Session:
    def __init__(self, port, sessionid):
        self.port, self.cookies = port, {"sessionid": sessionid}

    def request(self, method, path, body=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        headers = {"Cookie": cookie, "Host": "127.0.0.1"}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        start = time.perf_counter()
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        elapsed = time.perf_counter() - start
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";")[0]
        connection.close()
        return response.status, response.getheader("Location"), data, elapsed


def main():
    sys.stdout.reconfigure(line_buffering=True)
    db = setup()
    server = None
    try:
        moderator = make_people_and_authorities()
        from tracker.models import Agency, RTICampaign
        from tracker.rti.campaigns import rti_campaign_create

        authorities = Agency.objects.filter(state_id="IN-MH").order_by("name")
        start = time.perf_counter()
        rti_campaign_create(
            title="Service timing",
            application_text="Where are the cameras?",
            authorities=authorities,
            created_by=moderator,
        )
        service_s = time.perf_counter() - start

        bench_site.DB_NAME = DB_NAME
        port = bench_site.free_port()
        server = bench_site.run_server(port, db)
        session = Session(port, session_cookie(moderator))
        status, _, form_page, _ = session.request("GET", "/moderation/rti/campaigns/new/")
        assert status == 200, status
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', form_page).group(1)
        body = urlencode(
            {
                "csrfmiddlewaretoken": token.decode(),
                "title": "Face recognition in Uttar Pradesh's districts",
                "application_text": "Where are the cameras?\nHow accurate are they?\n"
                "Who can see the data?",
                "state": "IN-UP",
            }
        )
        status, location, _, create_s = session.request(
            "POST", "/moderation/rti/campaigns/new/", body
        )
        assert status == 302, status
        campaign = RTICampaign.objects.order_by("-pk").first()
        made = campaign.requests.count()
        assert made == AUTHORITIES, made
        path = location if location.startswith("/") else "/" + location.split("/", 3)[-1]
        public = bench_site.Client(port)
        status, page, cold = public.get(path)
        assert status == 200 and page, status
        times = [public.get(path)[2] for _ in range(REPEAT)]
        median_ms = statistics.median(times) * 1000
        print(f"load average: {load()}")
        print(
            f"campaign of {AUTHORITIES} authorities: service {service_s:.2f} s, "
            f"through the site's form {create_s:.2f} s (target < {CREATE_TARGET_S} s)"
        )
        print(
            f"campaign page {path}: cold {cold * 1000:.0f} ms, median {median_ms:.1f} ms, "
            f"p95 {bench_site.p95(times) * 1000:.1f} ms (target: median < {PAGE_TARGET_MS} ms)"
        )
        ok = create_s < CREATE_TARGET_S and median_ms < PAGE_TARGET_MS
        print("targets met" if ok else "TARGET MISSED")
        return 0 if ok else 1
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        from django.db import connections

        connections.close_all()
        with admin_connection(db) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")


if __name__ == "__main__":
    sys.exit(main())
