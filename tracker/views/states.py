"""One page per state or union territory, and an index of them."""

from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from ..catalogue import stats
from ..catalogue.selectors import agency_rows, deployment_rows, hotspot_rows, rti_request_rows
from ..catalogue.visibility import public_q
from ..middleware import public_page
from ..models import Agency, Deployment, Hotspot, RTIRequest, State

STATE_PAGE_ROWS = 100


@require_safe
@public_page
def state_index(request):
    states = State.objects.annotate(
        deployment_count=Count("deployment", filter=public_q("deployment"))
    ).order_by("name")
    return render(request, "tracker/state_index.html", {"states": states})


@require_safe
@public_page
def state_detail(request, code):
    state = State.objects.filter(code__iexact=code).first()
    if state is None:
        raise Http404(f"no state or union territory {code}")
    if code != state.slug:
        return redirect("tracker:state-detail", code=state.slug, permanent=True)
    deployments = Deployment.objects.published().filter(state=state)
    context = {
        "state": state,
        "deployment_count": deployments.count(),
        "deployments": deployment_rows(deployments)[:STATE_PAGE_ROWS],
        "page_rows": STATE_PAGE_ROWS,
        "by_technology": stats.deployments_by("technology", queryset=deployments),
        "by_status": stats.deployments_by("status", queryset=deployments),
        "agencies": agency_rows(Agency.objects.published().filter(state=state)),
        "hotspots": hotspot_rows(Hotspot.objects.published().filter(state=state)),
        "rti_requests": rti_request_rows(
            RTIRequest.objects.published().filter(authority__state=state)
        ),
    }
    return render(request, "tracker/state_detail.html", context)
