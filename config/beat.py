"""celery beat's scheduler: django-celery-beat's, with one rule for tasks that never ran.

django-celery-beat counts a periodic task that has never run as last run when
its row was last saved, and beat saves every row of ``CELERY_BEAT_SCHEDULE``
each time it starts. The first source sweep would then come one
``SOURCE_CHECK_INTERVAL`` after the first start, and every restart before it
would push it back again. Here an interval task that has never run is due at
once. A task that has run keeps its ``last_run_at`` in the database, which a
restart never touches, so a restart never postpones a run that is due: one
that fell due while beat was away runs as soon as beat is back. Crontab tasks
(the daily RTI chase) keep their times of day.
"""

from django.utils import timezone
from django_celery_beat.schedulers import DatabaseScheduler, ModelEntry


class NeverRunIsDueEntry(ModelEntry):
    def __init__(self, model, app=None):
        if model.last_run_at is None and model.interval_id is not None:
            model.last_run_at = timezone.now() - model.interval.schedule.run_every
        super().__init__(model, app=app)


class Scheduler(DatabaseScheduler):
    Entry = NeverRunIsDueEntry
