"""Submission forms: one per kind of entry, the same for new entries, corrections and the API.

They validate like the admin would (the model's own fields and constraints),
add sources, attachments and a honeypot, and turn a valid proposal into the
JSON a submission stores. Nothing here saves an entry.
"""

import json

from django import forms
from django.contrib.gis.geos import GEOSException, GEOSGeometry, MultiPolygon
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, URLValidator
from django.utils.translation import gettext_lazy as _

from accounts.forms import HONEYPOT, HoneypotMixin
from tracker import uploads
from tracker.forms import SiteForm
from tracker.models import Agency, Deployment, Hotspot, Publication, RTIRequest
from tracker.models.review import DISPUTE_REASON_MAX

from .entities import PROPOSABLE_FIELDS, field_to_json
from .evidence import EvidenceFormSet, cited_sources, has_claims
from .models import EntityType

SOURCE_SLOTS = 3
# The form's own error when an evidence row is wrong (the row says what).
EVIDENCE_PROBLEM = _("Check the evidence: a row below has a problem.")
MAX_AREA_VERTICES = 500
MAX_AREA_CHARACTERS = 100_000  # 500 points as GeoJSON, with room to spare


class WebLinkField(forms.URLField):
    """A link to a web page: http or https only, checked once (one message per problem)."""

    default_validators = [URLValidator(schemes=["http", "https"])]

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 2000)
        super().__init__(assume_scheme="https", **kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Several files at once; each checked by content and size. Cleans to [(file, type)]."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > uploads.MAX_ATTACHMENTS:
            raise ValidationError(
                _("Attach at most %(count)d files.") % {"count": uploads.MAX_ATTACHMENTS}
            )
        checked, errors = [], []
        for upload in files:
            upload = super().clean(upload, initial)
            try:
                checked.append((upload, uploads.attachment_check(upload)))
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return checked


class ContributionForm(HoneypotMixin):
    """What every submission form has: sources, attachments, the honeypot."""

    sources_required = True

    attachments = AttachmentsField(
        label=_("Attachments"),
        required=False,
        help_text=_("PDF, PNG or JPEG, at most 10 MB each. Only moderators see them."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, SOURCE_SLOTS + 1):
            self.fields[f"source_url_{n}"] = WebLinkField(
                label=_("Source link %(n)d") % {"n": n}, required=False
            )
            self.fields[f"source_title_{n}"] = forms.CharField(
                label=_("Title of source %(n)d") % {"n": n}, required=False, max_length=500
            )

    def clean(self):
        cleaned = super().clean()
        sources = []
        for n in range(1, SOURCE_SLOTS + 1):
            url = cleaned.get(f"source_url_{n}")
            if url:
                title = (cleaned.get(f"source_title_{n}") or "").strip()
                sources.append({"url": url, "title": title or url[:500]})
        cleaned["sources"] = sources
        if self.sources_required and not sources and "source_url_1" not in self.errors:
            self.add_error(
                "source_url_1", _("Give at least one source: a link to where this is reported.")
            )
        return cleaned


class LocationMixin(forms.Form):
    """A point as latitude and longitude: typed, or picked on the map when JavaScript runs."""

    location_required = False

    latitude = forms.FloatField(
        label=_("Latitude"), required=False, min_value=-90, max_value=90, help_text=_("e.g. 26.85")
    )
    longitude = forms.FloatField(
        label=_("Longitude"),
        required=False,
        min_value=-180,
        max_value=180,
        help_text=_("e.g. 80.95"),
    )

    def clean(self):
        cleaned = super().clean()
        lat, lon = cleaned.get("latitude"), cleaned.get("longitude")
        if "latitude" in self.errors or "longitude" in self.errors:
            return cleaned
        if (lat is None) != (lon is None):
            self.add_error(
                "latitude" if lat is None else "longitude",
                _("Give both latitude and longitude, or neither."),
            )
        elif lat is None and self.location_required:
            self.add_error("latitude", _("Pick the place on the map or type its coordinates."))
        cleaned["location"] = None if lat is None or lon is None else [lon, lat]
        return cleaned


def published_agencies():
    return Agency.objects.filter(publication=Publication.PUBLISHED).order_by("name")


class ProposalForm(ContributionForm, LocationMixin, forms.ModelForm):
    """A proposal of one kind of entry. For kinds with claims it carries the evidence
    rows (``evidence_formset``, rendered by ``moderation/includes/evidence_fields.html``);
    a valid form's ``cleaned_data["evidence"]`` holds them as items (``moderation.evidence``).

    ``target``: the published entry a correction is for (its cited sources are offered to
    the evidence rows); ``evidence_initial``: rows to start from.
    """

    entity_type = None

    def __init__(self, *args, target=None, evidence_initial=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("lead_agency", "agency", "authority"):
            if name in self.fields:
                self.fields[name].queryset = published_agencies()
        for name in ("camera_count", "cost_inr"):
            if name in self.fields:
                self.fields[name].validators.append(MinValueValidator(0))
                self.fields[name].widget.attrs["min"] = 0
        self.evidence_initial = evidence_initial
        self.evidence_formset = self._evidence_formset(target)

    def _evidence_formset(self, target):
        if not has_claims(self.entity_type):
            return None
        return EvidenceFormSet(
            self.data if self.is_bound else None,
            cited=cited_sources(target),
            source_slots=SOURCE_SLOTS,
            initial=self.evidence_initial,
        )

    def target_set(self, target):
        """The entry a correction is for, before validation (``submission_propose``)."""
        if self.evidence_formset is not None:
            self.evidence_formset = self._evidence_formset(target)
            self._errors = None  # validate again with the entry's sources

    def source_slot_urls(self) -> list:
        """The URL each source row holds (None when empty), in order: evidence rows name
        the proposal's sources by their place."""
        cleaned = getattr(self, "cleaned_data", {})
        return [cleaned.get(f"source_url_{n}") for n in range(1, SOURCE_SLOTS + 1)]

    def full_clean(self):
        super().full_clean()
        formset = self.evidence_formset
        if formset is None or not self.is_bound:
            return
        valid = formset.is_valid()
        items = formset.resolve(self.source_slot_urls())  # every row says what is wrong
        if not valid or items is None:
            self.add_error(None, EVIDENCE_PROBLEM)
        else:
            self.cleaned_data["evidence"] = items

    def raw_input(self) -> dict:
        """What was typed, valid or not, for "Save as draft"."""
        raw = {
            name: self.data.get(name, "")
            for name in self.fields
            if name not in ("attachments", HONEYPOT)
        }
        if self.evidence_formset is not None:
            raw["evidence"] = self.evidence_formset.raw_rows()
        return raw

    def proposal(self) -> dict:
        """The valid proposal as JSON: every proposable field."""
        meta = self._meta.model._meta
        data = {}
        for name in PROPOSABLE_FIELDS[self.entity_type]:
            if name == "location":
                data[name] = self.cleaned_data.get("location")
            elif name == "area":
                data[name] = self.cleaned_data.get("area")
            else:
                data[name] = field_to_json(meta.get_field(name), self.cleaned_data.get(name))
        return data


def _model_fields(entity_type):
    return [f for f in PROPOSABLE_FIELDS[entity_type] if f not in ("location", "area")]


class DeploymentProposalForm(ProposalForm):
    entity_type = EntityType.DEPLOYMENT

    class Meta:
        model = Deployment
        fields = _model_fields(EntityType.DEPLOYMENT)
        widgets = {"announced_on": forms.DateInput(attrs={"type": "date"})}


class AgencyProposalForm(ProposalForm):
    entity_type = EntityType.AGENCY

    class Meta:
        model = Agency
        fields = _model_fields(EntityType.AGENCY)
        field_classes = {"website": WebLinkField}


class HotspotProposalForm(ProposalForm):
    entity_type = EntityType.HOTSPOT
    location_required = True

    area = forms.CharField(
        label=_("Area (optional)"),
        required=False,
        max_length=MAX_AREA_CHARACTERS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A polygon as GeoJSON, for a hotspot that covers an area."),
    )

    class Meta:
        model = Hotspot
        fields = _model_fields(EntityType.HOTSPOT)
        widgets = {"identified_on": forms.DateInput(attrs={"type": "date"})}

    def clean_area(self):
        text = (self.cleaned_data.get("area") or "").strip()
        if not text:
            return None
        try:
            json.loads(text)
            shape = GEOSGeometry(text, srid=4326)
        except (ValueError, GEOSException, TypeError, RecursionError):
            raise ValidationError(_("Give the area as a GeoJSON polygon.")) from None
        if shape.geom_type == "Polygon":
            shape = MultiPolygon(shape, srid=4326)
        if shape.geom_type != "MultiPolygon" or not shape.valid:
            raise ValidationError(_("Give the area as a GeoJSON polygon.")) from None
        if shape.num_coords > MAX_AREA_VERTICES:
            raise ValidationError(_("The area has too many points."))
        xmin, ymin, xmax, ymax = shape.extent
        if xmin < -180 or xmax > 180 or ymin < -90 or ymax > 90:
            raise ValidationError(_("The area's coordinates are out of range."))
        return shape.geojson


class RTIRequestProposalForm(ProposalForm):
    """An RTI request needs its application text instead of a source."""

    entity_type = EntityType.RTI_REQUEST
    sources_required = False

    class Meta:
        model = RTIRequest
        fields = _model_fields(EntityType.RTI_REQUEST)
        widgets = {
            "filed_on": forms.DateInput(attrs={"type": "date"}),
            "received_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application_text"].required = True
        del self.fields["latitude"], self.fields["longitude"]


PROPOSAL_FORMS = {
    EntityType.DEPLOYMENT: DeploymentProposalForm,
    EntityType.AGENCY: AgencyProposalForm,
    EntityType.HOTSPOT: HotspotProposalForm,
    EntityType.RTI_REQUEST: RTIRequestProposalForm,
}


def form_initial(data: dict) -> dict:
    """Form values for stored JSON (a published entry's or a submission's)."""
    initial = {k: v for k, v in data.items() if k not in ("location", "area")}
    if data.get("location"):
        initial["longitude"], initial["latitude"] = data["location"]
    if data.get("area"):
        initial["area"] = (
            data["area"] if isinstance(data["area"], str) else json.dumps(data["area"])
        )
    return initial


def sources_initial(sources: list) -> dict:
    initial = {}
    for n, source in enumerate(sources[:SOURCE_SLOTS], start=1):
        initial[f"source_url_{n}"] = source.get("url", "")
        initial[f"source_title_{n}"] = source.get("title", "")
    return initial


class DecisionForm(SiteForm):
    """A moderator's decision with a note (e-mailed to the volunteer; the approval note is also
    public in the entry's history), bound to the version of the submission reviewed.

    Nothing is chosen to begin with: a decision is never made by default.
    """

    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[
            ("approve", _("Approve and publish")),
            ("request_changes", _("Ask for changes")),
            ("reject", _("Reject")),
        ],
        error_messages={"required": _("Choose a decision: approve, ask for changes or reject.")},
    )
    note = forms.CharField(
        label=_("Note to the volunteer"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # The version reviewed (moderation.services.review_version), as the page was rendered.
    reviewed_version = forms.CharField(
        widget=forms.HiddenInput,
        max_length=100,
        error_messages={"required": _("This page is out of date: open the submission again.")},
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") in ("request_changes", "reject") and not cleaned.get("note"):
            self.add_error("note", _("Say what should change, or why it is rejected."))
        return cleaned

    @classmethod
    def again(cls, *, version, note, problem):
        """The form for a review to do again: on ``version``, the note kept, nothing
        chosen, and ``problem`` said (in the page's error summary)."""
        form = cls({"note": note, "reviewed_version": version})
        form.full_clean()
        form.errors.pop("decision", None)  # not a mistake: asked again on purpose
        form.add_error(None, problem)
        return form


class WithdrawForm(SiteForm):
    reason = forms.CharField(
        label=_("Reason for withdrawal (public)"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DisputeForm(HoneypotMixin):
    """A reader's "this is wrong": which claim (or the entry as a whole), why, and
    optionally a source that shows it."""

    claim = forms.ChoiceField(label=_("What is wrong"), required=False)
    reason = forms.CharField(
        label=_("Why is it wrong?"),
        max_length=DISPUTE_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Say what is wrong and what is right, as precisely as you can."),
        error_messages={
            "required": _("Say why it is wrong."),
            "max_length": _("Keep it under %(limit_value)d characters (it has %(show_value)d)."),
        },
    )
    source_url = WebLinkField(label=_("A source that shows it"), required=False)

    def __init__(self, *args, claims=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["claim"].choices = [("", _("The entry as a whole")), *claims]

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("Say why it is wrong."))
        return reason


class DisputeOutcomeForm(SiteForm):
    """A moderator's outcome of a dispute, public on the entry's history."""

    outcome = forms.ChoiceField(
        label=_("Outcome"),
        widget=forms.RadioSelect,
        choices=[
            ("upheld", _("Upheld: the entry is (or will be) corrected")),
            ("dismissed", _("Dismissed: the entry stays as it is")),
        ],
        error_messages={"required": _("Choose an outcome: upheld or dismissed.")},
    )
    note = forms.CharField(
        label=_("Note (public, on the entry's history)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say what was corrected, or why nothing was.")},
    )


class VerificationForm(SiteForm):
    """A re-check of a published deployment against one of its live sources."""

    source = forms.ModelChoiceField(
        label=_("The source you checked"),
        queryset=None,
        empty_label=None,
        error_messages={"required": _("Choose the source you checked.")},
    )
    note = forms.CharField(
        label=_("What you checked"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirm = forms.BooleanField(
        label=_("The source, live today, still supports what the entry says."),
        error_messages={
            "required": _(
                "Confirm that the source still supports the entry; if it does not, "
                "suggest a correction instead."
            )
        },
    )

    def __init__(self, *args, sources, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = sources
