"""/healthz (liveness, for load balancers) and /healthz/full (for monitoring); see
tracker.health."""

from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from ..health import health_report, liveness_report
from ..middleware import public_page


def _answer(check):
    ok, report = check()
    return JsonResponse(report, status=200 if ok else 503)


@never_cache
@public_page
def healthz(request):
    return _answer(liveness_report)


@never_cache
@public_page
def healthz_full(request):
    return _answer(health_report)
