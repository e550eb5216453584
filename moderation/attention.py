"""Reads for the moderators' source pages: the sources needing attention, each with its
open review items, recent checks and archived versions, and what changed between its
last two versions. (Claiming, recording and closing items stay in
``tracker.checking.records``.)"""

from django.db.models import Prefetch, Q

from tracker.checking.text import text_diff
from tracker.models import ReviewItem, Source, SourceCheck, SourceHealth, SourceVersion

VERSIONS_SHOWN = 5
ATTENTION_HEALTH = (
    SourceHealth.CHANGED,
    SourceHealth.BROKEN,
    SourceHealth.REDIRECTED,
    SourceHealth.BLOCKED,
)


def sources_needing_attention(*, include_reviewed: bool = False, history: int = 10):
    """Sources with review items no moderator has looked at yet (with ``include_reviewed``,
    also every source still unhealthy), newest first, each with
    ``open_items`` (and what cites it) and its ``recent_checks``."""
    open_items = ReviewItem.objects.filter(reviewed_at__isnull=True).select_related(
        "citation__deployment", "citation__agency", "citation__hotspot", "citation__rti_request"
    )
    wanted = Q(pk__in=ReviewItem.objects.filter(reviewed_at__isnull=True).values("source"))
    if include_reviewed:
        wanted |= Q(health__in=ATTENTION_HEALTH)
    return (
        Source.objects.filter(wanted)
        .order_by("-last_checked_at", "-id")
        .prefetch_related(
            Prefetch("review_items", queryset=open_items, to_attr="open_items"),
            Prefetch(
                "checks", queryset=SourceCheck.objects.all()[:history], to_attr="recent_checks"
            ),
            Prefetch(
                "versions",
                queryset=SourceVersion.objects.select_related("text")[:VERSIONS_SHOWN],
                to_attr="recent_versions",
            ),
        )
    )


def version_diff(source) -> list[tuple[str, str]]:
    """The text diff between a source's two latest archived versions (see
    ``sources_needing_attention``), or [] when there are not two."""
    versions = getattr(source, "recent_versions", None)
    if versions is None:
        versions = list(source.versions.select_related("text")[:2])
    if len(versions) < 2:
        return []
    return text_diff(versions[1].text.text, versions[0].text.text)
