"""RTI events from the site and the API: a moderator's counts at once, a volunteer's is a
submission in the same queue as every other proposal.

A volunteer who filed a request (its owner) proposes what happened next: the
event is stored in tracker as *proposed* (shown in the request's timeline to its
owner and moderators, counted by nothing) and a submission of kind "RTI event"
points at it. Approval accepts it (``tracker.rti.lifecycle.rti_event_accept``,
which checks the order again); rejection or withdrawal discards it with its
documents. The order rules are the lifecycle's, through ``RTIEventForm``.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tracker import permissions
from tracker.models import RTIEvent, RTIRequest
from tracker.rti.forms import RTIEventForm
from tracker.rti.lifecycle import rti_event_accept, rti_event_discard, rti_event_record

from .entities import PROPOSABLE_FIELDS, field_to_json
from .models import EntityType, Submission
from .services import SubmissionConflict, SubmissionInvalid, submission_propose


class RTIEventProposalForm(RTIEventForm):
    """The event form as the submission service reads it: a proposal, no sources."""

    def clean(self):
        data = super().clean()
        data["sources"] = []
        return data

    def proposal(self) -> dict:
        event = self.event()
        meta = RTIEvent._meta
        data = {
            name: field_to_json(meta.get_field(name), getattr(event, meta.get_field(name).attname))
            for name in PROPOSABLE_FIELDS[EntityType.RTI_EVENT]
        }
        # What the queue and the volunteer's list call it.
        data["title"] = f"{event.get_kind_display()}: {self.rti_request.title}"[:300]
        return data


def may_record(user, rti_request) -> bool:
    """A moderator records at once."""
    return user.is_authenticated and user.has_perm(permissions.RTI_EVENT_RECORD)


def may_propose(user, rti_request) -> bool:
    """The request's owner (the volunteer who submitted it) proposes."""
    return (
        user.is_authenticated
        and user.is_active
        and rti_request.owner_id == user.pk
        and user.has_perm("moderation.add_submission")
    )


def rti_event_submit(*, user, client, rti_request: RTIRequest, form, language="en"):
    """Record (moderator) or propose (owner) the event the bound ``form`` describes.

    Returns ``(event, submission)``; the submission is None for a moderator's event.
    Raises ``SubmissionInvalid`` (errors on the form, nothing stored) or another
    ``SubmissionRefused`` of the submission service.
    """
    if may_record(user, rti_request):
        if not form.is_valid():
            raise SubmissionInvalid
        event = rti_event_record(rti_request=rti_request, by=user, **form.record_kwargs())
        return event, None
    if not may_propose(user, rti_request):
        raise SubmissionConflict(
            _("Only the volunteer who filed this request, or a moderator, can record its events.")
        )
    with transaction.atomic():
        submission = submission_propose(
            volunteer=user,
            client=client,
            entity_type=EntityType.RTI_EVENT,
            form=form,
            language=language,
        )
        event = rti_event_record(
            rti_request=rti_request, by=user, proposed=True, **form.record_kwargs()
        )
        submission.target_id = event.pk
        submission.save(update_fields=["target_id"])
    return event, submission


def proposed_event(submission: Submission) -> RTIEvent | None:
    return RTIEvent.proposals.filter(pk=submission.target_id).first()


def rti_event_submission_approve(submission: Submission):
    """Inside the approval's transaction: the proposed event counts from now on."""
    event = proposed_event(submission)
    if event is None:
        raise SubmissionConflict(_("The proposed event is gone; it cannot be approved."))
    try:
        return rti_event_accept(event=event)
    except ValidationError as error:
        raise SubmissionConflict(
            _("The event no longer fits the request's story: %(errors)s")
            % {"errors": "; ".join(error.messages)}
        ) from None


def rti_event_submission_drop(submission: Submission):
    """Rejected or withdrawn: the proposed event and its documents go."""
    event = proposed_event(submission)
    if event is not None:
        rti_event_discard(event=event)
