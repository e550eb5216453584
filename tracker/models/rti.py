"""RTI requests under the RTI Act 2005 and what happened to them.

A request stores only what its facts and events fix: the dates things
happened and the dates things are due (``tracker.rti.lifecycle`` derives them
on every save). What depends on today, its current status, whether it is
overdue or deemed refused, its next deadline and its appeal windows, is
computed by the database at read time (``RTIRequestQuerySet.current``),
against the RTI clock (``tracker.clock``) passed in as a parameter. Every
query through ``RTIRequest.objects`` carries these columns, so every page,
filter, feed, export and API answer agrees at every moment.
"""

import secrets
from pathlib import PurePath

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.indexes import GinIndex
from django.db.models import Case, F, Q, Value, When
from django.db.models.expressions import Expression
from django.db.models.functions import Least
from django.utils.translation import gettext_lazy as _

from ..clock import rti_now, rti_today
from .base import ChoiceLabels, PublicEntity, PublishedQuerySet, WithoutDocumentManager
from .vocab import RTI_WAITING_STATUSES, RTIEventKind, RTIOutcome, RTIRoute, RTIStatus


def _clock_reading(compiler):
    """One reading of the RTI clock per compiled query: now, and today in India."""
    reading = getattr(compiler, "_rti_clock", None)
    if reading is None:
        now = rti_now()
        reading = compiler._rti_clock = (now, rti_today(now=now))
    return reading


class ClockNow(Expression):
    """The RTI clock's moment, as a parameter of the query (never SQL's ``now()``)."""

    output_field = models.DateTimeField()
    reads_the_clock = True  # never compiled once and kept (``api.sql_pages``)

    def as_sql(self, compiler, connection):
        return "%s::timestamptz", [_clock_reading(compiler)[0]]


class ClockToday(Expression):
    """Today in India by the RTI clock, as a parameter (never ``CURRENT_DATE``)."""

    output_field = models.DateField()
    reads_the_clock = True

    def as_sql(self, compiler, connection):
        return "%s::date", [_clock_reading(compiler)[1]]


def _flag(condition):
    return Case(When(condition, then=Value(True)), default=Value(False))


# What the clock decides, as conditions on the stored dates.
OVERDUE = Q(overdue_since__lte=ClockNow())
DEEMED_REFUSED = Q(replied_on__isnull=True, closed_on__isnull=True) & Q(
    deemed_refused_from__lte=ClockNow()
)
OPEN = Q(closed_on__isnull=True)
# Each deadline that can be "still open", in the engine's order (ties go to the first).
PENDING_DEADLINES = (
    (
        "decision",
        "decision_due_on",
        OPEN & Q(replied_on__isnull=True, deemed_refused_from__gt=ClockNow()),
    ),
    (
        "first_appeal",
        "first_appeal_due_on",
        OPEN & Q(first_appeal_filed_on__isnull=True, first_appeal_due_on__gte=ClockToday()),
    ),
    (
        "first_appeal_decision",
        "first_appeal_decision_due_on",
        OPEN
        & Q(first_appeal_decided_on__isnull=True, first_appeal_decision_due_on__gte=ClockToday()),
    ),
    (
        "first_appeal_decision_extended",
        "first_appeal_decision_latest_on",
        OPEN
        & Q(
            first_appeal_decided_on__isnull=True, first_appeal_decision_latest_on__gte=ClockToday()
        ),
    ),
    (
        "second_appeal",
        "second_appeal_due_on",
        OPEN & Q(second_appeal_filed_on__isnull=True, second_appeal_due_on__gte=ClockToday()),
    ),
)


def _window_state(due, done):
    """An applicant's deadline judged like the engine's: met, late, closed, pending, expired."""
    return Case(
        When(**{f"{due}__isnull": True}, then=Value(None)),
        When(Q(**{f"{done}__isnull": False, f"{done}__lte": F(due)}), then=Value("met")),
        When(**{f"{done}__isnull": False}, then=Value("late")),
        When(closed_on__isnull=False, then=Value("closed")),
        When(**{f"{due}__gte": ClockToday()}, then=Value("pending")),
        default=Value("expired"),
        output_field=models.CharField(),
    )


class RTIRequestQuerySet(PublishedQuerySet):
    def current(self):
        """The columns that depend on today, computed by the database against the clock."""
        return self.annotate(
            read_at=ClockNow(),
            status=Case(
                When(
                    Q(recorded_status__in=RTI_WAITING_STATUSES) & DEEMED_REFUSED,
                    then=Value(RTIStatus.DEEMED_REFUSED.value),
                ),
                default=F("recorded_status"),
                output_field=models.CharField(),
            ),
            overdue=_flag(OVERDUE),
            deemed_refused=_flag(DEEMED_REFUSED),
            next_deadline_on=Least(
                *(Case(When(pending, then=F(due))) for _key, due, pending in PENDING_DEADLINES),
                output_field=models.DateField(),
            ),
            first_appeal_state=_window_state("first_appeal_due_on", "first_appeal_filed_on"),
            second_appeal_state=_window_state("second_appeal_due_on", "second_appeal_filed_on"),
        ).annotate(
            next_deadline=Case(
                *(
                    When(pending & Q(**{due: F("next_deadline_on")}), then=Value(key))
                    for key, due, pending in PENDING_DEADLINES
                ),
                default=Value(""),
                output_field=models.CharField(),
            )
        )


class RTIRequestManager(WithoutDocumentManager.from_queryset(RTIRequestQuerySet)):
    def get_queryset(self):
        return super().get_queryset().current()


class RTICampaign(models.Model):
    """One application sent to many public authorities: a request per authority, linked."""

    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=120, allow_unicode=True)
    application_text = models.TextField(_("application"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
        help_text=_("Never shown publicly."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("RTI campaign")
        verbose_name_plural = _("RTI campaigns")

    def __str__(self):
        return self.title


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
    # Derived from the facts and events by tracker.rti.lifecycle on every save; never typed
    # by hand, and none of them depends on today (see the module's docstring).
    recorded_status = models.CharField(
        _("status from the events"),
        max_length=22,
        choices=RTIStatus.choices,
        default=RTIStatus.FILED,
        editable=False,
    )
    decision_due_on = models.DateField(_("decision due on"), null=True, blank=True, editable=False)
    deemed_refused_from = models.DateTimeField(
        _("deemed refused from"), null=True, blank=True, editable=False, db_index=True
    )
    replied_on = models.DateField(_("reply received on"), null=True, blank=True, editable=False)
    first_appeal_due_on = models.DateField(
        _("first appeal due by"), null=True, blank=True, editable=False
    )
    first_appeal_filed_on = models.DateField(
        _("first appeal filed on"), null=True, blank=True, editable=False
    )
    first_appeal_decision_due_on = models.DateField(
        _("first appeal decision due on"), null=True, blank=True, editable=False
    )
    first_appeal_decision_latest_on = models.DateField(
        _("first appeal decision due at the latest on"), null=True, blank=True, editable=False
    )
    first_appeal_decided_on = models.DateField(
        _("first appeal decided on"), null=True, blank=True, editable=False
    )
    second_appeal_due_on = models.DateField(
        _("second appeal due by"), null=True, blank=True, editable=False
    )
    second_appeal_filed_on = models.DateField(
        _("second appeal filed on"), null=True, blank=True, editable=False
    )
    closed_on = models.DateField(_("withdrawn or closed on"), null=True, blank=True, editable=False)
    overdue_since = models.DateTimeField(
        _("overdue since"), null=True, blank=True, editable=False, db_index=True
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=RTIOutcome.choices, blank=True)
    exemption_sections = models.CharField(_("exemption sections cited"), max_length=200, blank=True)
    campaign = models.ForeignKey(
        RTICampaign,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("campaign"),
        help_text=_("The same application sent to several authorities."),
    )
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

    objects = RTIRequestManager()

    def __str__(self):
        return self.title

    # What the facts and events fix, and storing it (``tracker.rti.lifecycle``'s
    # ``rti_request_derived`` and ``rti_request_refresh``): set at start-up by
    # ``tracker.apps``, since the models sit below the RTI engine.
    derived_columns = None
    refresh = None

    def save(self, *args, **kwargs):
        """Whatever path saves a request, its derived dates are complete at once."""
        derived = type(self).derived_columns(self, events=None if self.pk else [])
        for name, value in derived.items():
            setattr(self, name, value)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, *derived}
        super().save(*args, **kwargs)

    @property
    def status_label(self):
        """The current status (from ``RTIRequest.objects``, which computes it)."""
        return RTIStatus(self.status).label

    @property
    def status_line(self):
        """The status, with the outcome only where it says more ("Reply received ·
        Information not held", never "Refused · Refused")."""
        label = self.status_label
        if self.outcome and self.status == RTIStatus.REPLY_RECEIVED:
            return f"{label} · {self.get_outcome_display()}"
        return label


class RecordedEventManager(models.Manager):
    """Events that happened as far as the site is concerned: a volunteer's proposed event
    stays out of every deadline, page and answer until a moderator accepts it."""

    def get_queryset(self):
        return super().get_queryset().filter(proposed=False)


class ProposedEventManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(proposed=True)


class RTIEvent(ChoiceLabels):
    rti_request = models.ForeignKey(RTIRequest, models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=24, choices=RTIEventKind.choices)
    date = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    outcome = models.CharField(
        _("outcome"),
        max_length=20,
        choices=RTIOutcome.choices,
        blank=True,
        help_text=_("For a reply: what the PIO decided."),
    )
    exemption_sections = models.CharField(
        _("exemption sections cited"),
        max_length=200,
        blank=True,
        help_text=_("For a reply that refuses some information, e.g. 8(1)(g), 8(1)(j)."),
    )
    amount = models.DecimalField(
        _("amount (₹)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("For a fee asked for or paid."),
    )
    proposed = models.BooleanField(
        _("proposed"), default=False, help_text=_("Waiting for a moderator's review.")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
        help_text=_("Never shown publicly."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RecordedEventManager()
    proposals = ProposedEventManager()
    every = models.Manager()

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("RTI event")
        base_manager_name = "every"
        default_manager_name = "objects"

    def __str__(self):
        return f"{self.get_kind_display()} ({self.date})"

    @property
    def is_recorded(self):
        return not self.proposed

    def save(self, *args, **kwargs):
        """Whatever path records an event, its request's dates follow at once."""
        super().save(*args, **kwargs)
        self._request_refresh()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        self._request_refresh()
        return result

    def _request_refresh(self):
        rti_request = RTIRequest._base_manager.filter(pk=self.rti_request_id).first()
        if rti_request is not None:
            RTIRequest.refresh(rti_request=rti_request)


def rti_document_path(instance, filename):
    """A random name (never the uploader's), keeping only a known extension."""
    extension = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}.get(
        instance.content_type, ""
    )
    return str(PurePath("rti") / "documents" / (secrets.token_hex(16) + extension))


class RTIDocument(models.Model):
    """A document of a request (a reply, an order, a fee letter). Private until a
    moderator publishes it; a redacted copy, when uploaded, is published instead of the
    original, which stays private. Served only through the site's views, never by URL."""

    rti_request = models.ForeignKey(RTIRequest, models.CASCADE, related_name="documents")
    event = models.ForeignKey(
        RTIEvent, models.SET_NULL, null=True, blank=True, related_name="documents"
    )
    file = models.FileField(_("original"), upload_to=rti_document_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=50)
    size = models.PositiveIntegerField(_("size"), default=0)
    redacted_file = models.FileField(
        _("redacted copy"), upload_to=rti_document_path, max_length=200, blank=True
    )
    redacted_content_type = models.CharField(max_length=50, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    text = models.TextField(
        _("extracted text"), blank=True, help_text=_("From the published copy's text layer.")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("RTI document")
        verbose_name_plural = _("RTI documents")
        permissions = [
            ("publish_rtidocument", "Can publish, redact and unpublish RTI documents"),
        ]

    def __str__(self):
        return self.original_name

    @property
    def is_published(self):
        return self.published_at is not None

    @property
    def public_name(self):
        """The name the public sees. A redacted copy gets a neutral one: the original's name
        was the uploader's and may carry what the copy had removed (an applicant's name)."""
        if not self.redacted_file:
            return self.original_name
        return f"rti-{self.rti_request_id}-document-{self.pk}"

    @property
    def public_file(self):
        """What the public may download once published: the redacted copy, if any."""
        return self.redacted_file or self.file

    @property
    def public_content_type(self):
        return self.redacted_content_type if self.redacted_file else self.content_type


class RTIReminder(models.Model):
    """A notice the daily chase sent: an appeal-deadline reminder, or a deemed refusal
    announced to webhooks (``deadline`` "deemed_refused"); at most one per deadline, so
    the chase can run any number of times."""

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


class RTICalendarState(models.Model):
    """The holiday calendar the stored due dates were counted with (its fingerprint):
    when the calendar changes, open requests are counted again
    (``tracker.rti.holidays.rti_calendar_apply``)."""

    key = models.CharField(max_length=20, primary_key=True, default="site")
    fingerprint = models.CharField(max_length=64)
    applied_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("RTI holiday calendar in use")
