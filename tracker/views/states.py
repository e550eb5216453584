"""One page per state or union territory, and an index of them."""

from urllib.parse import urlencode

from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from ..catalogue import stats
from ..catalogue.datacache import cached
from ..catalogue.geography import state_extents
from ..catalogue.selectors.rows import agency_rows, deployment_rows, hotspot_rows, rti_request_rows
from ..middleware import public_page
from ..models import Agency, Deployment, Hotspot, RTIRequest, State

STATE_PAGE_ROWS = 100


@require_safe
@public_page
def state_index(request):
    def counts():
        return dict(
            Deployment.objects.published()
            .order_by()
            .values_list("state_id")
            .annotate(n=Count("id"))
            .values_list("state_id", "n")
        )

    by_state = cached("state-deployment-counts", counts)
    states = list(State.objects.order_by("name"))
    for state in states:
        state.deployment_count = by_state.get(state.code, 0)
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
    hotspots = Hotspot.objects.published().filter(state=state)

    def figures():
        return {
            "deployment_count": deployments.count(),
            "hotspot_count": hotspots.count(),
            "by_technology": stats.deployments_by("technology", queryset=deployments),
            "by_status": stats.deployments_by("status", queryset=deployments),
        }

    # A state can hold hundreds of thousands of camera points: the page lists the first
    # rows of each kind and links to the full, paginated list. Its map asks views.map for
    # what each view shows, with the state filter fixed, starting on the state's box.
    context = {
        "state": state,
        "map_query": urlencode({"state": state.code}),
        "map_extent": state_extents().get(state.code),
        **cached("state-figures", figures, state.code),
        "deployments": deployment_rows(deployments)[:STATE_PAGE_ROWS],
        "page_rows": STATE_PAGE_ROWS,
        "agencies": agency_rows(Agency.objects.published().filter(state=state))[:STATE_PAGE_ROWS],
        "hotspots": hotspot_rows(hotspots)[:STATE_PAGE_ROWS],
        "rti_requests": rti_request_rows(
            RTIRequest.objects.published().filter(authority__state=state)
        )[:STATE_PAGE_ROWS],
    }
    return render(request, "tracker/state_detail.html", context)
