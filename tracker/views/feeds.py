"""Atom feeds of new and changed published deployments (overall and per state) and RTI
requests (all, and the overdue ones)."""

from django.contrib.syndication.views import Feed
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..catalogue.links import detail_url
from ..catalogue.selectors.tombstones import public_titles, was_published
from ..catalogue.visibility import public_or_none
from ..markup import markdown_html
from ..models import Deployment, Publication, RTIRequest, State
from ..models.rti import OVERDUE as RTI_OVERDUE
from ..rti.deadlines import DEADLINE_LABELS

FEED_ITEMS = 50
DEMO_LABEL = _("Demo data")
WITHDRAWN_LABEL = _("Withdrawn")


class EntryFeed(Feed):
    """An Atom feed of published entries: each item links to its page, is dated by its
    creation and last change, and has a guid per version (``guid_prefix``-id-updated)."""

    feed_type = Atom1Feed
    public_page = True  # PrivacyMiddleware: never a cookie
    guid_prefix = ""
    item_guid_is_permalink = False

    def item_link(self, item):
        return detail_url(item)

    def item_guid(self, item):
        return f"{self.guid_prefix}-{item.pk}-{item.updated_at.isoformat()}"

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.updated_at


class DeploymentFeed(EntryFeed):
    """Newest changes first: an entry's ``updated`` is when it last changed."""

    guid_prefix = "deployment"
    title = _("Panoptic Tracker: new, changed and withdrawn deployments")
    subtitle = _(
        "Facial-recognition and AI-camera deployments in India, as they are added or updated."
    )

    def link(self):
        return reverse("tracker:deployment-list")

    def deployments(self, obj):
        """Published deployments and withdrawals (of deployments once published), newest
        change first; a withdrawal carries the title it had when last published."""
        qs = (
            Deployment.objects.filter(
                Q(publication=Publication.PUBLISHED)
                | Q(publication=Publication.WITHDRAWN) & Q(was_published(Deployment))
            )
            .select_related("lead_agency", "state")
            .defer("area")
        )
        if obj is not None:
            qs = qs.filter(state=obj)
        items = list(qs.order_by("-updated_at", "-id")[:FEED_ITEMS])
        gone = [item.pk for item in items if item.publication == Publication.WITHDRAWN]
        titles = public_titles(Deployment, gone)
        for item in items:
            if item.publication == Publication.WITHDRAWN:
                item.public_title = titles.get(item.pk, "")
        return items

    def items(self, obj=None):
        return self.deployments(obj)

    def item_title(self, item):
        if item.publication == Publication.WITHDRAWN:
            return _("Withdrawn: %(title)s") % {"title": item.public_title}
        return item.title

    def item_description(self, item):
        """HTML: the facts line escaped, the summary through the site's sanitiser; for a
        withdrawal, only its public reason."""
        if item.publication == Publication.WITHDRAWN:
            return format_html(
                "<p>{}</p>", _("Withdrawn: %(reason)s") % {"reason": item.withdrawn_reason}
            )
        place = ", ".join(p for p in [item.city, item.state.name if item.state else ""] if p)
        parts = [item.get_technology_display(), item.get_status_display(), place]
        if item.is_demo:
            parts.insert(0, DEMO_LABEL)
        facts = format_html("<p>{}</p>", " · ".join(str(p) for p in parts if p))
        return facts + markdown_html(item.summary)

    def item_categories(self, item):
        if item.publication == Publication.WITHDRAWN:
            return [WITHDRAWN_LABEL]
        categories = [item.get_technology_display(), item.get_status_display()]
        return [*categories, DEMO_LABEL] if item.is_demo else categories


class StateDeploymentFeed(DeploymentFeed):
    def get_object(self, request, code):
        state = State.objects.filter(code__iexact=code).first()
        if state is None:
            raise Http404(f"no state or union territory {code}")
        return state

    def title(self, obj):
        return _("Panoptic Tracker: deployments in %(state)s") % {"state": obj.name}

    def link(self, obj):
        return reverse("tracker:state-detail", kwargs={"code": obj.slug})

    def items(self, obj):
        return self.deployments(obj)


class RTIFeed(EntryFeed):
    """RTI requests, newest change first; each entry says the status as of the moment the
    feed is read (the database's columns, like every other page)."""

    guid_prefix = "rti"
    title = _("Panoptic Tracker: RTI requests")
    subtitle = _("Right to Information requests about the systems, and what happened to them.")

    def link(self):
        return reverse("tracker:rti-list")

    def items(self):
        return (
            RTIRequest.objects.published()
            .select_related("authority")
            .order_by("-updated_at", "-id")[:FEED_ITEMS]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        authority = public_or_none(item.authority)
        parts = [authority.name if authority else "", item.status_line]
        if item.overdue:
            parts.append(str(_("Overdue")))
        if item.next_deadline:
            parts.append(
                _("Next deadline: %(what)s, by %(due)s")
                % {"what": DEADLINE_LABELS[item.next_deadline], "due": item.next_deadline_on}
            )
        return format_html("<p>{}</p>", " · ".join(str(p) for p in parts if p))

    def item_categories(self, item):
        return [item.status_label, *([str(_("Overdue"))] if item.overdue else [])]


class OverdueRTIFeed(RTIFeed):
    """Requests whose authority owes an overdue decision: an entry appears, dated, at the
    moment the deadline passes, with no job having to run."""

    title = _("Panoptic Tracker: overdue RTI requests")
    subtitle = _("Requests whose public authority owes a decision past its deadline, as of now.")

    def link(self):
        return reverse("tracker:rti-overdue")

    def items(self):
        return (
            RTIRequest.objects.published()
            .filter(RTI_OVERDUE)
            .select_related("authority")
            .order_by("-overdue_since", "-id")[:FEED_ITEMS]
        )

    def item_guid(self, item):
        return f"rti-{item.pk}-overdue-{item.overdue_since.isoformat()}"

    def item_updateddate(self, item):
        return max(item.overdue_since, item.updated_at)
