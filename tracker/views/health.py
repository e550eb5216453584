"""/healthz: JSON for monitors and load balancers (see tracker.health)."""

from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from ..health import health_report
from ..middleware import public_page


@never_cache
@public_page
def healthz(request):
    healthy, report = health_report()
    return JsonResponse(report, status=200 if healthy else 503)
