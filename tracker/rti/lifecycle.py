"""Writes that change published data: one place each, one transaction each."""

from datetime import date

from django.db import transaction

from ..models import RTIRequest, RTIStatus
from . import deadlines as rti


@transaction.atomic
def rti_requests_mark_deemed_refused(*, today: date) -> list[int]:
    """Move every request whose decision deadline has passed to "deemed refused".

    Returns the ids changed. Each change is saved through the model so that
    it appears in the request's history.
    """
    changed = []
    waiting = RTIRequest.objects.select_for_update().filter(
        status__in=[RTIStatus.FILED, RTIStatus.TRANSFERRED]
    )
    for request in waiting:
        if rti.is_deemed_refused(request, today):
            request.status = RTIStatus.DEEMED_REFUSED
            request._change_reason = "No decision within the statutory period (RTI Act s.7(2))"
            request.save(update_fields=["status", "updated_at"])
            changed.append(request.pk)
    return changed
