from datetime import UTC, datetime, timedelta

from django.db import migrations

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def stamps_as_microseconds(apps, schema_editor):
    """A review version names when the corrected entry last changed in microseconds since
    1970 (which the database computes for the queue), no longer as an ISO 8601 time."""
    Approval = apps.get_model("moderation", "Approval")
    for approval in Approval.objects.exclude(version__endswith="/new").exclude(version=""):
        revision, _, stamp = approval.version.partition("/")
        if stamp.isdigit():
            continue
        try:
            changed = datetime.fromisoformat(stamp)
        except ValueError:
            continue
        microseconds = (changed - EPOCH) // timedelta(microseconds=1)
        approval.version = f"{revision}/{microseconds}"
        approval.save(update_fields=["version"])


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0005_approval_version_reviewed"),
    ]

    operations = [
        migrations.RunPython(stamps_as_microseconds, migrations.RunPython.noop),
    ]
