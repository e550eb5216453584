"""Admin for every model, with django-leaflet's map widget (assets served locally)."""

from django.contrib import admin
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _
from leaflet.admin import LeafletGeoAdminMixin
from simple_history.admin import SimpleHistoryAdmin

from . import models as m
from .catalogue.geography import plausibly_in_state_sql
from .clock import rti_today
from .models.sources import HEALTH_FIELDS
from .publication import entity_publish, entity_save, entity_withdraw
from .rti.lifecycle import event_sort_key, rti_event_problems, rti_request_refresh


class CitationInline(admin.TabularInline):
    model = m.Citation
    extra = 0
    autocomplete_fields = ["source"]
    fields = ["source", "claim", "quote"]


class EntityAdmin(LeafletGeoAdminMixin, SimpleHistoryAdmin):
    """Shared admin behaviour: map widget, history, publication filter, demo flag."""

    list_filter = ["publication", "is_demo"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [CitationInline]
    actions = ["publish", "withdraw"]

    def save_model(self, request, obj, form, change):
        entity_save(entity=obj, actor=request.user, reason="Edited in the admin")

    @admin.action(description=_("Publish the selected entries"), permissions=["change"])
    def publish(self, request, queryset):
        for obj in queryset:
            entity_publish(entity=obj, actor=request.user, reason="Published in the admin")

    @admin.action(description=_("Withdraw the selected entries"), permissions=["change"])
    def withdraw(self, request, queryset):
        for obj in queryset:
            entity_withdraw(entity=obj, actor=request.user, reason="Withdrawn in the admin")


@admin.register(m.Agency)
class AgencyAdmin(EntityAdmin):
    list_display = ["name", "kind", "level", "state", "city", "wikidata_id", "publication"]
    list_filter = ["kind", "level", "state", *EntityAdmin.list_filter]
    search_fields = ["name", "short_name", "city", "wikidata_id"]
    autocomplete_fields = ["parent"]
    prepopulated_fields = {"slug": ["name"]}


class LinkedDatabaseInline(admin.TabularInline):
    model = m.LinkedDatabase
    extra = 0


@admin.register(m.Deployment)
class DeploymentAdmin(EntityAdmin):
    list_display = [
        "title",
        "lead_agency",
        "technology",
        "status",
        "state",
        "location_in_state",
        "publication",
    ]
    list_filter = [
        "technology",
        "status",
        "purpose_class",
        "confidence",
        "state",
        *EntityAdmin.list_filter,
    ]
    search_fields = ["title", "summary", "city", "lead_agency__name", "vendors__name"]
    autocomplete_fields = ["lead_agency", "partner_agencies", "vendors"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [LinkedDatabaseInline, CitationInline]
    list_select_related = ["lead_agency", "state"]
    date_hierarchy = "announced_on"

    def get_queryset(self, request):
        # The "point in state" column, computed with the page's rows rather than once per row.
        return super().get_queryset(request).annotate(point_in_state=plausibly_in_state_sql())

    @admin.display(description=_("point in state"), boolean=True)
    def location_in_state(self, deployment):
        """A warning for moderators, not a rule: None when there is nothing to compare."""
        return deployment.point_in_state


@admin.register(m.Hotspot)
class HotspotAdmin(EntityAdmin):
    list_display = ["name", "kind", "city", "state", "camera_count", "publication"]
    list_filter = ["kind", "state", *EntityAdmin.list_filter]
    search_fields = ["name", "city", "notes"]
    autocomplete_fields = ["agency", "deployments"]
    prepopulated_fields = {"slug": ["name"]}


class RTIEventFormSet(BaseInlineFormSet):
    """Refuses events that cannot have happened in that order (tracker.rti.lifecycle)."""

    def clean(self):
        super().clean()
        rows = [
            (
                form,
                (
                    form.cleaned_data["kind"],
                    form.cleaned_data["date"],
                    form.cleaned_data.get("outcome", ""),
                ),
            )
            for form in self.forms
            if getattr(form, "cleaned_data", None)
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("kind")
            and form.cleaned_data.get("date")
        ]
        problems = rti_event_problems(
            filed_on=self.instance.filed_on,
            received_on=self.instance.received_on,
            events=[pair for _form, pair in rows],
            today=rti_today(),
        )
        for index, field, message in problems:
            rows[index][0].add_error(field, message)


class RTIEventInline(admin.TabularInline):
    model = m.RTIEvent
    formset = RTIEventFormSet
    fields = ["kind", "date", "note", "outcome", "exemption_sections", "amount"]
    extra = 0


class RTIDocumentInline(admin.TabularInline):
    model = m.RTIDocument
    fields = ["original_name", "event", "published_at", "text"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    max_num = 0


class CurrentStatusFilter(admin.SimpleListFilter):
    """The status as of today (computed by the database, never stored)."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return m.RTIStatus.choices

    def queryset(self, request, queryset):
        return queryset.filter(status=self.value()) if self.value() else queryset


@admin.register(m.RTIRequest)
class RTIRequestAdmin(EntityAdmin):
    list_display = ["title", "authority", "filed_on", "current_status", "outcome", "publication"]
    list_filter = [
        CurrentStatusFilter,
        "outcome",
        "route",
        "life_or_liberty",
        *EntityAdmin.list_filter,
    ]
    search_fields = ["title", "reference_number", "application_text", "authority__name"]
    autocomplete_fields = ["authority", "deployments", "agencies"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [RTIEventInline, RTIDocumentInline, CitationInline]
    date_hierarchy = "filed_on"
    readonly_fields = [
        "current_status",
        "decision_due_on",
        "replied_on",
        "first_appeal_due_on",
        "second_appeal_due_on",
        "overdue_since",
        *EntityAdmin.readonly_fields,
    ]
    raw_id_fields = ["owner"]

    @admin.display(description=_("status"))
    def current_status(self, obj):
        return obj.status_line if hasattr(obj, "status") else "—"

    def save_related(self, request, form, formsets, change):
        """The status and deadlines follow from the events just saved; the newest event
        added is announced."""
        super().save_related(request, form, formsets, change)
        added = [
            event
            for formset in formsets
            if formset.model is m.RTIEvent
            for event in formset.new_objects
        ]
        newest = max(added, key=lambda e: event_sort_key(e.kind, e.date, e.pk), default=None)
        rti_request_refresh(rti_request=form.instance, event=newest)


@admin.register(m.Vendor)
class VendorAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "wikidata_id"]
    search_fields = ["name", "wikidata_id"]


class SourceCheckInline(admin.TabularInline):
    model = m.SourceCheck
    extra = 0
    can_delete = False
    fields = ["checked_at", "outcome", "http_status", "final_url", "bytes", "duration_ms", "error"]
    readonly_fields = fields
    ordering = ["-checked_at"]
    max_num = 0


@admin.register(m.Source)
class SourceAdmin(SimpleHistoryAdmin):
    list_display = ["title", "publisher", "kind", "health", "last_checked_at"]
    list_filter = ["health", "kind", "language", "is_demo"]
    search_fields = ["title", "url", "publisher"]
    readonly_fields = HEALTH_FIELDS
    inlines = [SourceCheckInline]


@admin.register(m.SourceCheck)
class SourceCheckAdmin(admin.ModelAdmin):
    list_display = ["source", "checked_at", "outcome", "http_status", "duration_ms"]
    list_filter = ["outcome"]
    search_fields = ["source__url", "source__title"]
    list_select_related = ["source"]


@admin.register(m.Citation)
class CitationAdmin(SimpleHistoryAdmin):
    list_display = ["source", "deployment", "agency", "hotspot", "rti_request", "claim"]
    search_fields = ["source__title", "claim", "quote"]
    autocomplete_fields = ["source", "deployment", "agency", "hotspot", "rti_request"]
    list_select_related = ["source", "deployment", "agency", "hotspot", "rti_request"]


@admin.register(m.ReviewItem)
class ReviewItemAdmin(admin.ModelAdmin):
    list_display = ["source", "reason", "created_at", "reviewed_at"]
    list_filter = ["reason", ("reviewed_at", admin.EmptyFieldListFilter)]
    search_fields = ["source__url", "source__title"]


@admin.register(m.StateBoundary)
class StateBoundaryAdmin(LeafletGeoAdminMixin, admin.ModelAdmin):
    list_display = ["state"]
    search_fields = ["state__name"]


@admin.register(m.State)
class StateAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]


@admin.register(m.LinkedDatabase)
class LinkedDatabaseAdmin(admin.ModelAdmin):
    list_display = ["name", "deployment", "is_public", "storage"]
    search_fields = ["name"]


@admin.register(m.RTIReminder)
class RTIReminderAdmin(admin.ModelAdmin):
    """What the daily chase has sent: read-only, it is the record that keeps it from repeating."""

    list_display = ["rti_request", "deadline", "due_on", "sent_on", "recipients"]
    list_filter = ["deadline", "sent_on"]
    readonly_fields = list_display

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(m.RTICampaign)
class RTICampaignAdmin(admin.ModelAdmin):
    list_display = ["title", "created_at"]
    search_fields = ["title", "application_text"]
    readonly_fields = ["created_by", "created_at"]
