"""Submission forms: one per kind of entry, the same for new entries, corrections and the API.

They validate like the admin would (the model's own fields and constraints), offer
every fact the entry's public page shows, add sources, attachments and a honeypot
(and a correction's "why"), and turn a valid proposal into the JSON a submission
stores. Each lays its fields out in ``sections`` for the page. Nothing here saves
an entry.
"""

import json
from dataclasses import dataclass

from django import forms
from django.contrib.gis.geos import GEOSException, GEOSGeometry, MultiPolygon
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, URLValidator
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from accounts.forms import HONEYPOT, HoneypotMixin
from tracker import uploads
from tracker.forms import SiteForm
from tracker.ingest.normalise import normalise_url
from tracker.models import (
    Agency,
    AgencyKind,
    AgencyLevel,
    DatePrecision,
    Deployment,
    Hotspot,
    LinkedDatabase,
    Publication,
    PurposeTag,
    RTIRequest,
    State,
    Vendor,
)
from tracker.models.review import DISPUTE_REASON_MAX

from .duplicates import agencies_named
from .entities import (
    DATE_PRECISIONS,
    NEW_AGENCY_KEY,
    NEW_VENDORS_KEY,
    PROPOSABLE_FIELDS,
    RELATED,
    field_to_json,
)
from .evidence import EvidenceFormSet, cited_sources, has_claims
from .models import EntityType

SOURCE_SLOTS = 3
VENDOR_SLOTS = 2
DATABASE_SLOTS = 3
# The form's own error when an evidence row is wrong (the row says what).
EVIDENCE_PROBLEM = _("Check the evidence: a row below has a problem.")
MAX_AREA_VERTICES = 500
MAX_LINKED_IDS = 50

MARKDOWN_HELP = _(
    "You can use Markdown: **bold**, *italic*, [a link](https://…), lists starting with - or "
    "1., > for a quotation and `code`. Headings, images and HTML are not shown."
)
PRECISION_CHOICES = [
    (DatePrecision.DAY, _("The exact day")),
    (DatePrecision.MONTH, _("Only the month")),
    (DatePrecision.YEAR, _("Only the year")),
]
MAX_AREA_CHARACTERS = 100_000  # 500 points as GeoJSON, with room to spare


class WebLinkField(forms.URLField):
    """A link to a web page: http or https only, checked once (one message per problem)."""

    default_validators = [URLValidator(schemes=["http", "https"])]

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 2000)
        super().__init__(assume_scheme="https", **kwargs)

    def validate(self, value):
        super().validate(value)
        try:
            normalise_url(value)  # URLValidator lets a port above 65535 through
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class LinesField(forms.CharField):
    """One value per line: blank lines and repeats dropped. Cleans to a list."""

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, *, item_max_length=200, max_items=20, **kwargs):
        self.item_max_length, self.max_items = item_max_length, max_items
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list | tuple) else value

    def clean(self, value):
        text = super().clean(value) or ""
        items = list(dict.fromkeys(" ".join(line.split()) for line in text.splitlines()))
        items = [item for item in items if item]
        if len(items) > self.max_items:
            raise ValidationError(_("Give at most %(count)d.") % {"count": self.max_items})
        for item in items:
            if len(item) > self.item_max_length:
                raise ValidationError(
                    _("“%(item)s…” is too long: at most %(count)d characters each.")
                    % {"item": item[:30], "count": self.item_max_length}
                )
        return items


class EntryIdsField(forms.CharField):
    """Published entries named by the numbers in their addresses, separated by commas or
    spaces (``/deployments/12-lucknow-safe-city/`` is 12). Cleans to a sorted id list."""

    def __init__(self, *, model, **kwargs):
        self.model = model
        super().__init__(max_length=1000, **kwargs)

    def prepare_value(self, value):
        return ", ".join(str(v) for v in value) if isinstance(value, list | tuple) else value

    def clean(self, value):
        text = super().clean(value) or ""
        parts = [part for part in text.replace(",", " ").split() if part]
        if len(parts) > MAX_LINKED_IDS:
            raise ValidationError(_("Give at most %(count)d.") % {"count": MAX_LINKED_IDS})
        if not all(part.isascii() and part.isdigit() for part in parts):
            raise ValidationError(_("Give the numbers from the entries' addresses, like 12, 40."))
        ids = sorted({int(part) for part in parts})
        found = set(
            self.model.objects.filter(pk__in=ids, publication=Publication.PUBLISHED).values_list(
                "pk", flat=True
            )
        )
        missing = [str(pk) for pk in ids if pk not in found]
        if missing:
            raise ValidationError(
                _("No published entry has the number %(numbers)s.")
                % {"numbers": ", ".join(missing)}
            )
        return ids


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


@dataclass(frozen=True)
class Fieldset:
    """Layout: fields that answer one question together, under a legend; ``collapsed``
    folds them away (a disclosure) unless one of them has a value or an error."""

    legend: str
    names: tuple
    collapsed: bool = False


@dataclass(frozen=True)
class Pair:
    """Layout: two fields side by side on wide screens (a date and its precision)."""

    names: tuple


@dataclass
class Section:
    """A heading and the form's bound fields under it, some of them in groups."""

    title: str
    items: list  # BoundField or Group


@dataclass
class Group:
    """Bound fields laid out together: a fieldset (with a legend) or a pair."""

    fields: list
    legend: str = ""
    name: str = ""
    collapsed: bool = False
    is_group = True

    @property
    def open(self):
        return any(field.errors or field.value() not in (None, "", []) for field in self.fields)


class ContributionForm(HoneypotMixin):
    """What every submission form has: sources, attachments, the honeypot; a correction's
    required "why"."""

    sources_required = True

    attachments = AttachmentsField(
        label=_("Attachments"),
        required=False,
        help_text=_(
            "PDF, PNG or JPEG, at most 10 MB each, up to 5 files. Only moderators see them."
        ),
    )

    def __init__(self, *args, target_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.target_id = target_id  # the entry a correction is for; None for a new one
        correction = target_id is not None
        for n in range(1, SOURCE_SLOTS + 1):
            self.fields[f"source_url_{n}"] = WebLinkField(
                label=_("Source link %(n)d") % {"n": n},
                required=n == 1 and self.sources_required,
                help_text=_("Where this is reported: a news article, a tender, an order.")
                if n == 1
                else "",
            )
            self.fields[f"source_title_{n}"] = forms.CharField(
                label=_("Title of source %(n)d") % {"n": n}, required=False, max_length=500
            )
        if correction:
            self.fields["why"] = forms.CharField(
                label=_("Why should it change?"),
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_(
                    "Say what is wrong and how you know. Moderators read it, and it is shown "
                    "in the entry's public history."
                ),
            )

    def full_clean(self):
        # The first source is marked required for people; the check with its own message is
        # in clean(), so the field itself accepts empty.
        if "source_url_1" in self.fields:
            self.fields["source_url_1"].required = False
        super().full_clean()
        if "source_url_1" in self.fields:
            self.fields["source_url_1"].required = self.sources_required

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

    def contribution_names(self):
        """The fields every submission form ends with, in the page's order."""
        names = ["why"] if "why" in self.fields else []
        for n in range(1, SOURCE_SLOTS + 1):
            names += [f"source_url_{n}", f"source_title_{n}"]
        return [*names, "attachments", HONEYPOT]

    def contribution_sections(self):
        """The sections every submission form ends with."""
        sources = [
            Group(
                [self[f"source_url_{n}"], self[f"source_title_{n}"]],
                legend=_("Source %(n)d") % {"n": n},
                name=f"source-{n}",
                collapsed=n > 1,
            )
            for n in range(1, SOURCE_SLOTS + 1)
        ]
        sections = []
        if "why" in self.fields:
            sections.append(Section(_("Why"), [self["why"]]))
        sections.append(Section(_("Sources"), sources))
        sections.append(Section(_("Documents"), [self["attachments"]]))
        return sections


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


def _area_clean(text):
    """A polygon or multipolygon as GeoJSON text (typed, or drawn on the map), as the
    GeoJSON of a MultiPolygon; None when empty."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        json.loads(text)
        shape = GEOSGeometry(text, srid=4326)
    except (ValueError, GEOSException, TypeError, RecursionError):
        raise ValidationError(_("Give the area as a GeoJSON polygon.")) from None
    if shape.hasz:  # heights, as GPS and drawing tools give them: the outline is kept
        flat = shape.ogr
        flat.set_3d(False)
        shape = GEOSGeometry(flat.wkb, srid=4326)
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


def _formfield(db_field, **kwargs):
    """A model's form field, links checked like every link of these forms."""
    if isinstance(db_field, models.URLField):
        return WebLinkField(
            label=capfirst(db_field.verbose_name),
            required=not db_field.blank,
            help_text=db_field.help_text,
        )
    return db_field.formfield(**kwargs)


class ProposalMeta:
    formfield_callback = _formfield


class ProposalForm(ContributionForm, LocationMixin, forms.ModelForm):
    """A proposal of one kind of entry. For kinds with claims it carries the evidence
    rows (``evidence_formset``, rendered by ``moderation/includes/evidence_fields.html``);
    a valid form's ``cleaned_data["evidence"]`` holds them as items (``moderation.evidence``).

    ``target``: the published entry a correction is for (its cited sources are offered to
    the evidence rows); ``evidence_initial``: rows to start from.
    """

    entity_type = None
    # (heading, [field name, Fieldset or Pair]): the page's layout; fields left out of
    # every section are not shown. Set per kind of entry.
    layout = ()

    def __init__(self, *args, target=None, evidence_initial=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("lead_agency", "agency", "authority", "parent", "partner_agencies"):
            if name in self.fields:
                self.fields[name].queryset = published_agencies()
        if "agencies" in self.fields:
            self.fields["agencies"].queryset = published_agencies()
        for name in ("camera_count", "cost_inr"):
            if name in self.fields:
                self.fields[name].validators.append(MinValueValidator(0))
                self.fields[name].widget.attrs["min"] = 0
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        for date, precision in DATE_PRECISIONS.items():
            if precision in self.fields:
                self.fields[precision].choices = PRECISION_CHOICES
                self.fields[precision].required = False
                self.fields[precision].label = _("%(date)s: how precise is it?") % {
                    "date": self.fields[date].label
                }
        self.order_fields(self._layout_names() + self.contribution_names())
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

    def _layout_names(self):
        names = []
        for _heading, items in self.layout:
            for item in items:
                names += [item] if isinstance(item, str) else list(item.names)
        return names

    def sections(self):
        """The form's fields by section, in the page's order, then sources, the correction's
        reason and documents."""
        found = []
        for heading, items in self.layout:
            bound = []
            for item in items:
                if isinstance(item, str):
                    if item in self.fields:
                        bound.append(self[item])
                    continue
                fields = [self[name] for name in item.names if name in self.fields]
                if fields:
                    bound.append(
                        Group(
                            fields,
                            legend=getattr(item, "legend", ""),
                            name=item.names[0],
                            collapsed=getattr(item, "collapsed", False),
                        )
                    )
            if bound:
                found.append(Section(heading, bound))
        return found + self.contribution_sections()

    def clean(self):
        cleaned = super().clean()
        for precision in DATE_PRECISIONS.values():
            if precision in self.fields and not cleaned.get(precision):
                cleaned[precision] = DatePrecision.DAY
        return cleaned

    def proposal(self) -> dict:
        """The valid proposal as JSON: every proposable field."""
        meta = self._meta.model._meta
        data = {}
        for name in PROPOSABLE_FIELDS[self.entity_type]:
            if name in ("location", "area"):
                data[name] = self.cleaned_data.get(name)
            elif name in RELATED:
                data[name] = self.related_value(name)
            else:
                data[name] = field_to_json(meta.get_field(name), self.cleaned_data.get(name))
        return data

    def related_value(self, name):
        value = self.cleaned_data.get(name)
        if value is None:
            return []
        return sorted(obj.pk if hasattr(obj, "pk") else obj for obj in value)


def _model_fields(entity_type):
    return [
        f
        for f in PROPOSABLE_FIELDS[entity_type]
        if f not in ("location", "area", "linked_databases", "vendors")
    ]


class DeploymentProposalForm(ProposalForm):
    """A deployment, with its lead agency chosen from the site or proposed with it, vendors
    picked or added, and the databases it is linked to."""

    entity_type = EntityType.DEPLOYMENT

    purpose_tags = forms.MultipleChoiceField(
        label=_("What it is used for"),
        choices=PurposeTag.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    vendors = forms.ModelMultipleChoiceField(
        label=_("Vendors on the site"),
        queryset=Vendor.objects.order_by("name"),
        to_field_name="name",
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Choose every company that supplies it. Add others below."),
    )

    class Meta(ProposalMeta):
        model = Deployment
        fields = _model_fields(EntityType.DEPLOYMENT)
        widgets = {
            "partner_agencies": forms.SelectMultiple(attrs={"size": 6}),
            "summary": forms.Textarea(attrs={"rows": 6}),
            "cost_covers": forms.TextInput(),
            "court_cases": forms.Textarea(attrs={"rows": 3}),
            "data_retention": forms.Textarea(attrs={"rows": 3}),
            "accuracy_claims": forms.Textarea(attrs={"rows": 3}),
            "legal_basis": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "summary": MARKDOWN_HELP,
            "state": _("Leave it empty for a deployment across India."),
            "partner_agencies": _("Other agencies that take part."),
            "camera_count": _("As reported; leave it empty when not known."),
            "cost_inr": _("In rupees, as a whole number (1 crore is 10000000)."),
            "cost_covers": _("e.g. cameras and five years of maintenance"),
            "funding_source": _("e.g. Nirbhaya Fund, Smart Cities Mission"),
            "legal_basis": _("The law, order or rule it relies on, if any is stated."),
            "data_retention": _("How long images and matches are kept, as stated."),
            "accuracy_claims": _("What the agency or vendor claims about accuracy."),
        }

    layout = (
        (
            _("What it is"),
            ["title", "technology", "purpose_class", "purpose_tags", "status", "summary"],
        ),
        (
            _("Who runs it"),
            [
                "lead_agency",
                Fieldset(
                    _("The lead agency is not on the site: propose it"),
                    (
                        "new_agency_name",
                        "new_agency_short_name",
                        "new_agency_kind",
                        "new_agency_level",
                        "new_agency_state",
                        "new_agency_city",
                        "new_agency_website",
                    ),
                    collapsed=True,
                ),
                "partner_agencies",
                "vendors",
                *[
                    Fieldset(
                        _("A vendor not on the site (%(n)d)") % {"n": n},
                        (
                            f"new_vendor_name_{n}",
                            f"new_vendor_country_{n}",
                            f"new_vendor_website_{n}",
                        ),
                        collapsed=True,
                    )
                    for n in range(1, VENDOR_SLOTS + 1)
                ],
            ],
        ),
        (
            _("When"),
            [Pair((date, precision)) for date, precision in DATE_PRECISIONS.items()],
        ),
        (
            _("Where"),
            ["state", "district", "city", "latitude", "longitude", "location_precision"],
        ),
        (
            _("Scale and money"),
            ["camera_count", "cost_inr", "cost_covers", "funding_source"],
        ),
        (
            _("Law and data"),
            [
                "legal_basis",
                "legal_basis_url",
                "court_cases",
                "data_retention",
                "accuracy_claims",
                *[
                    Fieldset(
                        _("Linked database %(n)d") % {"n": n},
                        (f"database_name_{n}", f"database_public_{n}", f"database_storage_{n}"),
                        collapsed=n > 1,
                    )
                    for n in range(1, DATABASE_SLOTS + 1)
                ],
            ],
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_agency"].required = False
        self.fields["lead_agency"].requirement_note = _("required, or propose it below")
        self.fields["lead_agency"].help_text = _(
            "Choose it from the agencies on the site; if it is not there, propose it below."
        )
        self._new_agency_fields()
        for n in range(1, VENDOR_SLOTS + 1):
            self.fields[f"new_vendor_name_{n}"] = forms.CharField(
                label=_("Vendor's name"), required=False, max_length=200
            )
            self.fields[f"new_vendor_country_{n}"] = forms.CharField(
                label=_("Country"), required=False, max_length=80
            )
            self.fields[f"new_vendor_website_{n}"] = WebLinkField(
                label=_("Website"), required=False
            )
        for n in range(1, DATABASE_SLOTS + 1):
            self.fields[f"database_name_{n}"] = forms.CharField(
                label=_("Name"),
                required=False,
                max_length=200,
                help_text=_("e.g. CCTNS") if n == 1 else "",
            )
            self.fields[f"database_public_{n}"] = forms.TypedChoiceField(
                label=_("Public or private"),
                required=False,
                choices=[("", _("Not known")), ("true", _("Public")), ("false", _("Private"))],
                coerce=lambda value: value == "true",
                empty_value=None,
            )
            self.fields[f"database_storage_{n}"] = forms.ChoiceField(
                label=_("Storage"),
                required=False,
                choices=LinkedDatabase.Storage.choices,
                initial=LinkedDatabase.Storage.UNKNOWN,
            )
        self.order_fields(self._layout_names() + self.contribution_names())

    def _new_agency_fields(self):
        self.fields["new_agency_name"] = forms.CharField(
            label=_("Agency's name"),
            required=False,
            max_length=200,
            help_text=_("Its full name. A moderator publishes it with the deployment, or neither."),
        )
        self.fields["new_agency_short_name"] = forms.CharField(
            label=_("Short name"), required=False, max_length=60
        )
        self.fields["new_agency_kind"] = forms.ChoiceField(
            label=_("Kind of agency"),
            required=False,
            choices=[("", "---------"), *AgencyKind.choices],
        )
        for name in ("new_agency_name", "new_agency_kind"):
            self.fields[name].requirement_note = _("required for a new agency")
        self.fields["new_agency_level"] = forms.ChoiceField(
            label=_("Level"), required=False, choices=[("", "---------"), *AgencyLevel.choices]
        )
        self.fields["new_agency_state"] = forms.ModelChoiceField(
            label=_("State"), required=False, queryset=State.objects.order_by("name")
        )
        self.fields["new_agency_city"] = forms.CharField(
            label=_("City"), required=False, max_length=100
        )
        self.fields["new_agency_website"] = WebLinkField(label=_("Website"), required=False)

    def clean(self):
        cleaned = super().clean()
        name = " ".join((cleaned.get("new_agency_name") or "").split())
        agency_given = bool(cleaned.get("lead_agency"))
        if agency_given and name:
            self.add_error(
                "new_agency_name",
                _("Choose an agency from the list or propose a new one, not both."),
            )
        elif not agency_given and not name and "lead_agency" not in self.errors:
            self.add_error(
                "lead_agency",
                _("Choose the lead agency, or propose it below if it is not on the site."),
            )
        elif name:
            names = [name, cleaned.get("new_agency_short_name") or ""]
            taken = agencies_named(names)
            if taken:
                self.add_error(
                    "new_agency_name",
                    _("“%(name)s” is on the site already: choose it in the list above.")
                    % {"name": taken[0].name},
                )
            if not cleaned.get("new_agency_kind"):
                self.add_error("new_agency_kind", _("Choose the kind of agency."))
        for n in range(1, DATABASE_SLOTS + 1):
            if not cleaned.get(f"database_name_{n}") and (
                cleaned.get(f"database_public_{n}") is not None
            ):
                self.add_error(f"database_name_{n}", _("Give the database's name."))
        return cleaned

    def related_value(self, name):
        if name == "vendors":
            return sorted(self._vendor_names(), key=str.casefold)
        if name == "linked_databases":
            databases = {}
            for n in range(1, DATABASE_SLOTS + 1):
                db_name = " ".join((self.cleaned_data.get(f"database_name_{n}") or "").split())
                if db_name:
                    databases[db_name] = {
                        "name": db_name,
                        "is_public": self.cleaned_data.get(f"database_public_{n}"),
                        "storage": self.cleaned_data.get(f"database_storage_{n}")
                        or LinkedDatabase.Storage.UNKNOWN,
                    }
            return sorted(databases.values(), key=lambda item: item["name"].casefold())
        return super().related_value(name)

    def _new_vendors(self):
        """Vendors typed in, that are not on the site yet (by name, any case)."""
        found = {}
        for n in range(1, VENDOR_SLOTS + 1):
            name = " ".join((self.cleaned_data.get(f"new_vendor_name_{n}") or "").split())
            if name and not Vendor.objects.filter(name__iexact=name).exists():
                found.setdefault(
                    name.casefold(),
                    {
                        "name": name,
                        "country": (self.cleaned_data.get(f"new_vendor_country_{n}") or "").strip(),
                        "website": self.cleaned_data.get(f"new_vendor_website_{n}") or "",
                    },
                )
        return list(found.values())

    def _vendor_names(self):
        names = {v.name.casefold(): v.name for v in self.cleaned_data.get("vendors") or []}
        for n in range(1, VENDOR_SLOTS + 1):
            typed = " ".join((self.cleaned_data.get(f"new_vendor_name_{n}") or "").split())
            if typed:
                existing = Vendor.objects.filter(name__iexact=typed).first()
                name = existing.name if existing else typed
                names.setdefault(name.casefold(), name)
        return list(names.values())

    def proposal(self) -> dict:
        data = super().proposal()
        new_vendors = self._new_vendors()
        if new_vendors:
            data[NEW_VENDORS_KEY] = new_vendors
        name = " ".join((self.cleaned_data.get("new_agency_name") or "").split())
        if name:
            state = self.cleaned_data.get("new_agency_state")
            data["lead_agency"] = None
            data[NEW_AGENCY_KEY] = {
                "name": name,
                "short_name": (self.cleaned_data.get("new_agency_short_name") or "").strip(),
                "kind": self.cleaned_data.get("new_agency_kind") or AgencyKind.OTHER,
                "level": self.cleaned_data.get("new_agency_level") or "",
                "state": state.pk if state else None,
                "city": (self.cleaned_data.get("new_agency_city") or "").strip(),
                "website": self.cleaned_data.get("new_agency_website") or "",
            }
        return data


class AgencyProposalForm(ProposalForm):
    entity_type = EntityType.AGENCY

    aliases = LinesField(
        label=_("Other names"),
        required=False,
        help_text=_("Other names it is known by, one per line."),
    )

    class Meta(ProposalMeta):
        model = Agency
        fields = _model_fields(EntityType.AGENCY)
        widgets = {
            "pio_address": forms.Textarea(attrs={"rows": 3}),
            "appellate_authority": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "parent": _("The agency it is part of, if that one is on the site."),
            "pio_address": _("Where RTI requests to it are sent."),
        }

    layout = (
        (_("What it is"), ["name", "short_name", "aliases", "kind", "level", "parent"]),
        (_("Where"), ["state", "city", "latitude", "longitude"]),
        (
            _("How to reach it"),
            ["website", "pio_address", "rti_portal_url", "appellate_authority"],
        ),
        (_("About it"), ["description"]),
    )

    def clean(self):
        cleaned = super().clean()
        names = [cleaned.get("name"), cleaned.get("short_name"), *(cleaned.get("aliases") or [])]
        taken = agencies_named([n for n in names if n], exclude_id=self.target_id)
        if taken and "name" not in self.errors:
            self.add_error(
                "name",
                _("“%(name)s” is on the site already, under this or another name.")
                % {"name": taken[0].name},
            )
        return cleaned


class HotspotProposalForm(ProposalForm):
    entity_type = EntityType.HOTSPOT
    location_required = True

    area = forms.CharField(
        label=_("Area"),
        required=False,
        max_length=MAX_AREA_CHARACTERS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Draw it on the map above, or give a polygon as GeoJSON, for a hotspot that "
            "covers an area."
        ),
    )
    deployments = EntryIdsField(
        model=Deployment,
        label=_("Deployments covering it"),
        required=False,
        help_text=_(
            "The numbers in their addresses on this site, separated by commas "
            "(/deployments/12-… is 12)."
        ),
    )

    class Meta(ProposalMeta):
        model = Hotspot
        fields = [f for f in _model_fields(EntityType.HOTSPOT) if f != "deployments"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    layout = (
        (_("What it is"), ["name", "kind", "camera_count", "agency", "deployments"]),
        (_("Where"), ["state", "city", "latitude", "longitude", "area"]),
        (_("When and notes"), ["identified_on", "notes"]),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("latitude", "longitude"):
            self.fields[name].requirement_note = _("required")

    def clean_area(self):
        return _area_clean(self.cleaned_data.get("area"))


class RTIRequestProposalForm(ProposalForm):
    """An RTI request needs its application text instead of a source."""

    entity_type = EntityType.RTI_REQUEST
    sources_required = False

    deployments = EntryIdsField(
        model=Deployment,
        label=_("Deployments it is about"),
        required=False,
        help_text=_(
            "The numbers in their addresses on this site, separated by commas "
            "(/deployments/12-… is 12)."
        ),
    )

    class Meta(ProposalMeta):
        model = RTIRequest
        fields = [f for f in _model_fields(EntityType.RTI_REQUEST) if f != "deployments"]
        widgets = {
            "application_text": forms.Textarea(attrs={"rows": 8}),
            "agencies": forms.SelectMultiple(attrs={"size": 6}),
        }
        help_texts = {"agencies": _("Other agencies it asks about.")}

    layout = (
        (
            _("The request"),
            ["title", "authority", "reference_number", "filed_by", "application_text"],
        ),
        (_("When and how"), ["filed_on", "received_on", "route"]),
        (
            _("What applies to it"),
            ["life_or_liberty", "third_party", "security_org"],
        ),
        (_("Related entries"), ["deployments", "agencies"]),
    )

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
    initial = {
        k: v
        for k, v in data.items()
        if k not in ("location", "area", "linked_databases", NEW_AGENCY_KEY, NEW_VENDORS_KEY)
    }
    if data.get("location"):
        initial["longitude"], initial["latitude"] = data["location"]
    if data.get("area"):
        initial["area"] = (
            data["area"] if isinstance(data["area"], str) else json.dumps(data["area"])
        )
    known_vendors = set(
        Vendor.objects.filter(name__in=data.get("vendors") or []).values_list("name", flat=True)
    )
    if "vendors" in data:
        initial["vendors"] = [name for name in data["vendors"] if name in known_vendors]
        for n, item in enumerate(data.get(NEW_VENDORS_KEY) or [], start=1):
            initial[f"new_vendor_name_{n}"] = item.get("name", "")
            initial[f"new_vendor_country_{n}"] = item.get("country", "")
            initial[f"new_vendor_website_{n}"] = item.get("website", "")
    for n, item in enumerate(data.get("linked_databases") or [], start=1):
        initial[f"database_name_{n}"] = item.get("name", "")
        public = item.get("is_public")
        initial[f"database_public_{n}"] = "" if public is None else str(public).lower()
        initial[f"database_storage_{n}"] = item.get("storage", "")
    for key, value in (data.get(NEW_AGENCY_KEY) or {}).items():
        initial[f"new_agency_{key}"] = value
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
