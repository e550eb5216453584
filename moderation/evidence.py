"""Evidence in proposals: which cited source supports which claim of a deployment.

A self-contained part of the submission and correction forms (``EvidenceFormSet``:
rows of claim, source, optional quote and page), its checks, the diff a
moderator reads and the step of approval that writes it.

A submission stores its evidence (``Submission.evidence``) as items keyed by claim
and source URL::

    {"claim": "cost", "url": "https://...", "quote": "...", "page": "12"}
    {"claim": "cost", "url": "https://...", "remove": true}   (a correction taking it away)

For a new entry every item is an addition; a correction keeps only the items that
differ from the published entry's evidence (``evidence_changes``), like its fields.
Evidence can only point at a source the entry cites: one of the proposal's own
sources, or (for a correction) one the entry cites already.
"""

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from tracker.forms import SiteForm
from tracker.ingest.normalise import normalise_url
from tracker.models import Citation, Claim, Deployment, Evidence, Source
from tracker.models.evidence import PAGE_MAX, QUOTE_MAX

from .models import EntityType

# Only deployments have claims that cite evidence.
CLAIM_ENTITY_TYPES = (EntityType.DEPLOYMENT,)
MAX_EVIDENCE = 30  # ten claims, three sources each
EXTRA_ROWS = 3
PREFIX = "evidence"

# How a row names its source: one of the proposal's sources by its place in the form,
# a source the entry cites by id (the site's form), or any cited source by URL (the API).
NEW_REF, CITED_REF, URL_REF = "new:", "cited:", "url:"


def has_claims(entity_type) -> bool:
    return entity_type in CLAIM_ENTITY_TYPES


def _key(item):
    return (item["claim"], item["url"])


def entity_evidence(entity) -> list[dict]:
    """A published entry's evidence as items (sources' URLs are stored normalised)."""
    if not isinstance(entity, Deployment):
        return []
    rows = Evidence.objects.filter(citation__deployment=entity).select_related("citation__source")
    return [
        {"claim": e.claim, "url": e.citation.source.url, "quote": e.quote, "page": e.page}
        for e in rows.order_by("claim", "citation__source__url")
    ]


def evidence_changes(current: list[dict], proposed: list[dict]) -> list[dict]:
    """The proposed items that change the current evidence: new or altered ones, and the
    removals of existing ones. The rest is left out, like a correction's unchanged fields."""
    now = {_key(item): item for item in current}
    changes = []
    for item in proposed:
        old = now.get(_key(item))
        if item.get("remove"):
            if old is not None:
                changes.append({"claim": item["claim"], "url": item["url"], "remove": True})
        elif old is None or (old["quote"], old["page"]) != (item["quote"], item["page"]):
            changes.append(item)
    return changes


def evidence_merged(current: list[dict], changes: list[dict]) -> list[dict]:
    """The evidence an entry would have with ``changes`` applied (for a correction's form)."""
    merged = {_key(item): {**item} for item in current}
    for item in changes:
        if item.get("remove"):
            if _key(item) in merged:
                merged[_key(item)]["remove"] = True
        else:
            merged[_key(item)] = {**item}
    return list(merged.values())


# ---------------------------------------------------------------- the form component


class EvidenceForm(SiteForm):
    """One row: a claim, the source supporting it, an optional quote and page."""

    claim = forms.ChoiceField(label=_("Claim"), choices=[("", "—"), *Claim.choices], required=False)
    source = forms.CharField(label=_("Source"), required=False, max_length=2100)
    quote = forms.CharField(
        label=_("Quote (optional)"),
        required=False,
        max_length=QUOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The words of the source that support the claim."),
    )
    page = forms.CharField(
        label=_("Page (optional)"),
        required=False,
        max_length=PAGE_MAX,
        widget=forms.TextInput(attrs={"size": 6}),
    )

    def __init__(self, *args, source_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].widget = forms.Select(choices=[("", "—"), *source_choices])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("DELETE"):
            return cleaned
        filled = any(cleaned.get(name) for name in ("claim", "source", "quote", "page"))
        if filled and not cleaned.get("claim"):
            self.add_error("claim", _("Say which claim this source supports."))
        if filled and not cleaned.get("source"):
            self.add_error("source", _("Choose the source that supports this claim."))
        return cleaned


class BaseEvidenceFormSet(forms.BaseFormSet):
    """The evidence rows of a proposal.

    ``cited``: the sources the entry corrected cites already (None for a new entry).
    ``source_slots``: how many sources the host form proposes (its source rows, in
    order). After validation, ``resolve(source_urls)`` turns the rows into items.
    """

    def __init__(self, data=None, *args, cited=(), source_slots=0, **kwargs):
        kwargs.setdefault("prefix", PREFIX)
        if data is not None and f"{kwargs['prefix']}-TOTAL_FORMS" not in data:
            # A client that sends no evidence (an older form, a program): no rows.
            data = data.copy()
            data[f"{kwargs['prefix']}-TOTAL_FORMS"] = "0"
            data[f"{kwargs['prefix']}-INITIAL_FORMS"] = "0"
        self.cited = list(cited)
        self.source_slots = source_slots
        super().__init__(data, *args, **kwargs)

    def source_choices(self):
        slots = [
            (f"{NEW_REF}{n}", _("Source %(n)d of this proposal") % {"n": n})
            for n in range(1, self.source_slots + 1)
        ]
        cited = [
            (f"{CITED_REF}{source.pk}", _("Already cited: %(title)s") % {"title": source.title})
            for source in self.cited
        ]
        return [*slots, *cited]

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "source_choices": self.source_choices()}

    def _rows(self):
        for form in self.forms:
            if form.errors:  # its own errors say what is wrong
                continue
            cleaned = getattr(form, "cleaned_data", None) or {}
            if cleaned.get("claim") or cleaned.get("source") or cleaned.get("DELETE"):
                yield form, cleaned

    def resolve(self, source_urls) -> list[dict] | None:
        """The rows as items, each source as its URL; ``source_urls``: the URL the host
        form's source row n holds (None when empty), in order. None if a row is wrong
        (its errors are on it)."""
        cited_by_id = {str(source.pk): source.url for source in self.cited}
        cited_urls = set(cited_by_id.values())
        items, seen, wrong = [], set(), False
        for form, cleaned in self._rows():
            ref = cleaned.get("source") or ""
            url = None
            if ref.startswith(NEW_REF) and ref[len(NEW_REF) :].isdigit():
                n = int(ref[len(NEW_REF) :])
                if 1 <= n <= len(source_urls) and source_urls[n - 1]:
                    url = normalise_url(source_urls[n - 1])
                elif 1 <= n <= len(source_urls):
                    form.add_error(
                        "source",
                        _("Source %(n)d is empty: give its link, or choose another.") % {"n": n},
                    )
                    wrong = True
                    continue
            elif ref.startswith(CITED_REF):
                url = cited_by_id.get(ref[len(CITED_REF) :])
            elif ref.startswith(URL_REF):
                try:
                    candidate = normalise_url(ref[len(URL_REF) :])
                except ValueError:  # not a URL at all (a bad port or IPv6 literal)
                    candidate = None
                proposed = {normalise_url(u) for u in source_urls if u}
                url = candidate if candidate in cited_urls | proposed else None
            if url is None:
                form.add_error(
                    "source",
                    _("Evidence can only point at a source this entry cites: give it as a source."),
                )
                wrong = True
                continue
            if cleaned.get("DELETE"):
                items.append({"claim": cleaned["claim"], "url": url, "remove": True})
                continue
            key = (cleaned["claim"], url)
            if key in seen:
                form.add_error(None, _("This source is given twice for the same claim."))
                wrong = True
                continue
            seen.add(key)
            items.append(
                {
                    "claim": cleaned["claim"],
                    "url": url,
                    "quote": (cleaned.get("quote") or "").strip(),
                    "page": (cleaned.get("page") or "").strip(),
                }
            )
        return None if wrong else items

    def raw_rows(self) -> list[dict]:
        """The rows as typed, for a draft that keeps raw input (valid or not)."""
        rows = []
        for form in self.forms:
            raw = {name: form[name].value() or "" for name in ("claim", "source", "quote", "page")}
            if any(raw.values()):
                rows.append({k: str(v)[:QUOTE_MAX] for k, v in raw.items()})
        return rows


EvidenceFormSet = formset_factory(
    EvidenceForm,
    formset=BaseEvidenceFormSet,
    extra=EXTRA_ROWS,
    can_delete=True,
    can_delete_extra=False,
    max_num=MAX_EVIDENCE,
    validate_max=True,
    absolute_max=MAX_EVIDENCE,
)


def evidence_rows_initial(items, *, source_urls, cited) -> list[dict]:
    """Rows for stored items: a proposal's own source by its place, a cited one by id."""
    slot_of = {normalise_url(url): n for n, url in enumerate(source_urls, start=1) if url}
    cited_id = {source.url: source.pk for source in cited}
    rows = []
    for item in items:
        if item["url"] in slot_of:
            ref = f"{NEW_REF}{slot_of[item['url']]}"
        elif item["url"] in cited_id:
            ref = f"{CITED_REF}{cited_id[item['url']]}"
        else:
            ref = f"{URL_REF}{item['url']}"
        row = {"claim": item["claim"], "source": ref}
        row.update({"quote": item.get("quote", ""), "page": item.get("page", "")})
        if item.get("remove"):
            row["DELETE"] = True
        rows.append(row)
    return rows


def cited_sources(entity):
    """The sources a published entry cites, for evidence rows that point at them."""
    if entity is None:
        return []
    field = {
        "Deployment": "deployment",
        "Agency": "agency",
        "Hotspot": "hotspot",
        "RTIRequest": "rti_request",
    }[type(entity).__name__]
    return list(Source.objects.filter(**{f"citations__{field}": entity}).order_by("title", "id"))


# ---------------------------------------------------------------- approval


def evidence_apply(*, entity, items):
    """Write a submission's evidence on ``entity`` (its citations attached already).

    Raises ValidationError when an item's source is no longer cited by the entry."""
    for item in items:
        citation = Citation.objects.filter(deployment=entity, source__url=item["url"]).first()
        if citation is None:
            raise ValidationError(
                _("The evidence points at %(url)s, which the entry no longer cites.")
                % {"url": item["url"]}
            )
        if item.get("remove"):
            Evidence.objects.filter(citation=citation, claim=item["claim"]).delete()
        else:
            Evidence.objects.update_or_create(
                citation=citation,
                claim=item["claim"],
                defaults={"quote": item.get("quote", ""), "page": item.get("page", "")},
            )


# ---------------------------------------------------------------- the diff


@dataclass(frozen=True)
class EvidenceChange:
    """One line of the evidence diff, in readable words."""

    action: str  # "added", "changed", "removed"
    claim: str
    source: str
    url: str
    old: str
    new: str


def _words(item):
    if item is None:
        return "—"
    parts = []
    if item.get("quote"):
        parts.append(f"“{item['quote']}”")
    if item.get("page"):
        parts.append(str(_("page %(page)s") % {"page": item["page"]}))
    return " · ".join(parts) or "—"


def evidence_display_changes(*, current: list[dict], changes: list[dict], titles=None):
    """The evidence part of a diff: each change against the entry's current evidence.
    ``titles``: {url: title} for sources, where known."""
    now = {_key(item): item for item in current}
    titles = titles or {}
    labels = dict(Claim.choices)
    lines = []
    for item in changes:
        old = now.get(_key(item))
        if item.get("remove"):
            action, new = "removed", None
        else:
            action, new = ("added" if old is None else "changed"), item
        lines.append(
            EvidenceChange(
                action=action,
                claim=str(labels.get(item["claim"], item["claim"])),
                source=titles.get(item["url"], item["url"]),
                url=item["url"],
                old=_words(old),
                new=_words(new) if new is not None else "—",
            )
        )
    return lines
