"""RTI requests under the RTI Act 2005 and what happened to them."""

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.indexes import GinIndex
from django.utils.translation import gettext_lazy as _

from .base import ChoiceLabels, PublicEntity
from .vocab import RTIEventKind, RTIOutcome, RTIRoute, RTIStatus


class RTIRequest(PublicEntity):
    title = models.CharField(_("title"), max_length=300)
    reference_number = models.CharField(_("reference number"), max_length=100, blank=True)
    authority = models.ForeignKey(
        "tracker.Agency",
        models.PROTECT,
        related_name="rti_requests",
        verbose_name=_("public authority"),
    )
    filed_by = models.CharField(
        _("filed by"), max_length=120, blank=True, help_text=_("A display name; may be anonymous.")
    )
    filed_on = models.DateField(_("filed on"), null=True, blank=True)
    received_on = models.DateField(_("received by the authority on"), null=True, blank=True)
    received_at = models.DateTimeField(
        _("received at"), null=True, blank=True, help_text=_("For life-or-liberty requests.")
    )
    route = models.CharField(_("route"), max_length=10, choices=RTIRoute.choices, blank=True)
    life_or_liberty = models.BooleanField(_("concerns life or liberty"), default=False)
    third_party = models.BooleanField(_("involves third-party information"), default=False)
    security_org = models.BooleanField(
        _("security organisation, human-rights allegation"),
        default=False,
        help_text=_(
            "The authority is an intelligence or security organisation (Second Schedule) and "
            "the request concerns allegations of human-rights violations: 45 days, s.24(1)."
        ),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="rti_requests",
        verbose_name=_("filer's account"),
        help_text=_("Gets reminders of appeal deadlines; never shown publicly."),
    )
    application_text = models.TextField(_("application"), blank=True)
    attachment = models.FileField(_("application file"), upload_to="rti/", blank=True)
    # Derived from the facts and events by tracker.rti.lifecycle; never typed by hand.
    status = models.CharField(
        _("status"), max_length=22, choices=RTIStatus.choices, default=RTIStatus.FILED
    )
    decision_due_on = models.DateField(_("decision due on"), null=True, blank=True, editable=False)
    replied_on = models.DateField(_("reply received on"), null=True, blank=True, editable=False)
    overdue_since = models.DateTimeField(
        _("overdue since"), null=True, blank=True, editable=False, db_index=True
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=RTIOutcome.choices, blank=True)
    exemption_sections = models.CharField(_("exemption sections cited"), max_length=200, blank=True)
    deployments = models.ManyToManyField(
        "tracker.Deployment", blank=True, related_name="rti_requests", verbose_name=_("deployments")
    )
    agencies = models.ManyToManyField(
        "tracker.Agency",
        blank=True,
        related_name="related_rti_requests",
        verbose_name=_("related agencies"),
    )

    class Meta:
        ordering = ["-filed_on", "id"]
        verbose_name = _("RTI request")
        verbose_name_plural = _("RTI requests")
        # tracker.permissions.RTI_REMINDERS
        permissions = [("follow_rtirequest", "Is reminded of every RTI request's deadlines")]
        indexes = [
            GinIndex(
                fields=["search_document"], name="rtirequest_search_document", fastupdate=False
            )
        ]

    def __str__(self):
        return self.title


class RTIEvent(ChoiceLabels):
    rti_request = models.ForeignKey(RTIRequest, models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=24, choices=RTIEventKind.choices)
    date = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    attachment = models.FileField(_("attachment"), upload_to="rti/events/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("RTI event")

    def __str__(self):
        return f"{self.get_kind_display()} ({self.date})"


class RTIReminder(models.Model):
    """An appeal-deadline reminder that was sent: at most one per deadline, so the
    daily chase can run any number of times."""

    rti_request = models.ForeignKey(RTIRequest, models.CASCADE, related_name="reminders")
    deadline = models.CharField(_("deadline"), max_length=40)
    due_on = models.DateField(_("due on"))
    sent_on = models.DateField(_("sent on"))
    recipients = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("RTI reminder")
        constraints = [
            models.UniqueConstraint(
                fields=["rti_request", "deadline", "due_on"], name="rti_reminder_once"
            )
        ]

    def __str__(self):
        return f"{self.deadline} {self.due_on}"
