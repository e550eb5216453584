"""What every page's header needs from moderation: how many submissions wait for review,
for moderators only (one indexed count, made only when a page shows it)."""

from functools import cached_property

from accounts.roles import is_moderator

from .models import Submission, SubmissionStatus


class ReviewQueue:
    def __init__(self, user):
        self.user = user

    @cached_property
    def shown(self) -> bool:
        return self.user.is_authenticated and is_moderator(self.user)

    @cached_property
    def count(self) -> int:
        return Submission.objects.filter(status=SubmissionStatus.PENDING).count()


def review_queue(request):
    """``review_queue.shown`` and ``review_queue.count``: read lazily, so a page for an
    anonymous reader neither reads the session nor counts anything."""
    user = getattr(request, "user", None)
    return {"review_queue": ReviewQueue(user) if user is not None else None}
