"""Detail pages: every field in plain language, a small map, cited sources, relations, history."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from ..catalogue.links import detail_url
from ..catalogue.selectors import details
from ..catalogue.selectors.history import history_entries
from ..catalogue.visibility import public_or_none
from ..clock import rti_today
from ..middleware import public_page
from ..models import Agency, Deployment, Hotspot
from ..rti.statistics import rti_authority_statistics


def _detail(request, *, selector, model, pk, slug, template, extra=None):
    try:
        obj = selector(pk=pk)
    except model.DoesNotExist:
        raise Http404(f"no published {model._meta.verbose_name} {pk}") from None
    if slug != obj.slug:
        return redirect(detail_url(obj), permanent=True)
    context = {
        "object": obj,
        "citations": list(obj.citations.all()),
        "history": history_entries(obj),
    }
    if extra:
        context.update(extra(obj))
    return render(request, template, context)


@require_safe
@public_page
def deployment_detail(request, pk, slug=None):
    return _detail(
        request,
        selector=details.deployment_detail,
        model=Deployment,
        pk=pk,
        slug=slug,
        template="tracker/deployment_detail.html",
        extra=lambda d: {"lead_agency": public_or_none(d.lead_agency)},
    )


@require_safe
@public_page
def agency_detail(request, pk, slug=None):
    return _detail(
        request,
        selector=details.agency_detail,
        model=Agency,
        pk=pk,
        slug=slug,
        template="tracker/agency_detail.html",
        extra=lambda a: {
            "parent": public_or_none(a.parent),
            "rti_statistics": rti_authority_statistics(agency=a, today=rti_today()),
            "related_rows": details.RELATED_ROWS,
        },
    )


@require_safe
@public_page
def hotspot_detail(request, pk, slug=None):
    return _detail(
        request,
        selector=details.hotspot_detail,
        model=Hotspot,
        pk=pk,
        slug=slug,
        template="tracker/hotspot_detail.html",
        extra=lambda h: {"agency": public_or_none(h.agency)},
    )
