"""Detail pages: every field in plain language, a small map, cited sources, relations, history."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from ..catalogue import selectors
from ..middleware import public_page
from ..models import Agency, Deployment, Hotspot, RTIRequest
from ..rti import deadlines as rti


def _detail(request, *, selector, model, pk, slug, template, extra=None):
    try:
        obj = selector(pk=pk)
    except model.DoesNotExist:
        raise Http404(f"no published {model._meta.verbose_name} {pk}") from None
    if slug != obj.slug:
        return redirect(selectors.detail_url(obj), permanent=True)
    context = {
        "object": obj,
        "citations": list(obj.citations.all()),
        "history": selectors.history_entries(obj),
    }
    if extra:
        context.update(extra(obj))
    return render(request, template, context)


@require_safe
@public_page
def deployment_detail(request, pk, slug=None):
    return _detail(
        request,
        selector=selectors.deployment_detail,
        model=Deployment,
        pk=pk,
        slug=slug,
        template="tracker/deployment_detail.html",
        extra=lambda d: {"lead_agency": selectors.published_or_none(d.lead_agency)},
    )


@require_safe
@public_page
def agency_detail(request, pk, slug=None):
    return _detail(
        request,
        selector=selectors.agency_detail,
        model=Agency,
        pk=pk,
        slug=slug,
        template="tracker/agency_detail.html",
        extra=lambda a: {
            "parent": selectors.published_or_none(a.parent),
            "related_rows": selectors.RELATED_ROWS,
        },
    )


@require_safe
@public_page
def hotspot_detail(request, pk, slug=None):
    return _detail(
        request,
        selector=selectors.hotspot_detail,
        model=Hotspot,
        pk=pk,
        slug=slug,
        template="tracker/hotspot_detail.html",
        extra=lambda h: {"agency": selectors.published_or_none(h.agency)},
    )


@require_safe
@public_page
def rti_detail(request, pk, slug=None):
    return _detail(
        request,
        selector=selectors.rti_request_detail,
        model=RTIRequest,
        pk=pk,
        slug=slug,
        template="tracker/rti_detail.html",
        extra=lambda r: {
            "authority": selectors.published_or_none(r.authority),
            "decision_due": rti.request_decision_due(r),
        },
    )
