"""Review-queue benchmark: the first page of /moderation/ with 10,000 pending submissions.

On its own database (bench_queue, created and dropped here) it adds 10,000
pending submissions from 200 volunteers and 2,000 open source review items,
then times GET /moderation/ for a signed-in moderator through the Django test
client (the whole view: queries, two pagers, template), plus the filtered
first page (one kind, older than a week). Target: under 200 ms.
BENCH_SUBMISSIONS changes the size.
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchlib import admin_connection  # noqa: E402 (bench/ is the script's folder)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

DB_NAME = "bench_queue"
SUBMISSIONS = int(os.environ.get("BENCH_SUBMISSIONS", "10000"))
TARGET_MS = 200


def main():
    sys.stdout.reconfigure(line_buffering=True)
    import django
    from django.conf import settings

    db = settings.DATABASES["default"]
    with admin_connection(db) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DB_NAME}")
        admin.execute(f"CREATE DATABASE {DB_NAME}")
    db["NAME"] = DB_NAME
    django.setup()
    try:
        return run()
    finally:
        from django.db import connections

        connections.close_all()
        with admin_connection(db) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {DB_NAME}")


def populate():
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from accounts.roles import Role, role_grant
    from moderation.models import EntityType, Submission, SubmissionStatus
    from tracker.models import ReviewItem, Source

    User = get_user_model()
    volunteers = User.objects.bulk_create(
        [User(username=f"v{n}", first_name=f"Volunteer {n}") for n in range(200)]
    )
    moderator = User.objects.create(username="moderator", first_name="Moderator")
    role_grant(user=moderator, role=Role.MODERATOR)
    now = timezone.now()
    kinds = EntityType.values
    Submission.objects.bulk_create(
        [
            Submission(
                volunteer=volunteers[n % len(volunteers)],
                kind="new",
                entity_type=kinds[n % len(kinds)],
                data={"title": f"Proposed entry {n}", "city": "Lucknow", "summary": "x" * 400},
                entry_name=f"Proposed entry {n}",
                sources=[{"url": f"https://news.example.org/{n}", "title": f"Story {n}"}],
                status=SubmissionStatus.PENDING,
                submitted_at=now - timedelta(minutes=5 * n),
            )
            for n in range(SUBMISSIONS)
        ],
        batch_size=2000,
    )
    sources = Source.objects.bulk_create(
        [Source(url=f"https://news.example.org/s{n}", title=f"Source {n}") for n in range(2000)]
    )
    ReviewItem.objects.bulk_create(
        [ReviewItem(source=s, reason=ReviewItem.Reason.BROKEN) for s in sources]
    )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return moderator


def timed(client, url, repeat=30):
    from django.db import connection, reset_queries

    client.get(url)  # warm caches (templates, translations)
    times = []
    for _ in range(repeat):
        reset_queries()
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    return statistics.median(times), max(times), len(connection.queries), response


def run():
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)
    print(f"populating: {SUBMISSIONS} pending submissions, 2000 open source review items")
    moderator = populate()
    client = Client()
    client.force_login(moderator, backend="django.contrib.auth.backends.ModelBackend")
    from django.conf import settings

    settings.DEBUG = True  # to count queries; the timing includes that small overhead
    failures = 0
    for label, url in (
        ("first page", "/moderation/"),
        ("filtered (deployments, older than a week)", "/moderation/?kind=deployment&age=7"),
        ("page 200", "/moderation/?page=200"),
    ):
        median, worst, queries, response = timed(client, url)
        rows = response.content.count(b"/moderation/submissions/")
        ok = median < TARGET_MS
        failures += not ok
        print(
            f"queue {label}: median {median:.1f} ms, worst {worst:.1f} ms, {queries} queries, "
            f"{rows} submissions listed (target < {TARGET_MS} ms: {'ok' if ok else 'MISSED'})"
        )
    print(f"load average during the run: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
