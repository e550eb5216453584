"""Helpers shared by the page families: filtering through tracker.filters, paging."""

from django.core.paginator import InvalidPage, Paginator
from django.http import Http404

from ..models import Agency, Deployment, PurposeClass, PurposeTag, State

PAGE_SIZE = 25


def filtered(filterset_class, request, queryset):
    """Apply the shared FilterSet (the API's too) to ``queryset`` with the page's GET parameters.

    Returns the FilterSet; its ``.qs`` is empty and its ``.errors`` name the
    bad parameters when any value is invalid.
    """
    params = request.GET.copy()
    params.pop("page", None)
    return filterset_class(params, queryset=queryset, request=request)


def paginate(request, queryset, per_page=PAGE_SIZE, count=None):
    """One page of ``queryset``; a page number past the end or not a number is a 404.

    ``count``, when the caller already knows it (cached), saves counting the rows again.
    """
    paginator = Paginator(queryset, per_page)
    if count is not None:
        paginator.count = count  # a cached_property: set, it is never computed
    number = request.GET.get("page") or 1
    try:
        return paginator.page(number)
    except InvalidPage as error:  # not a number, or past the end
        raise Http404(str(error)) from error


def state_choices():
    """(code, name) of every state and union territory, for filter controls."""
    return list(State.objects.order_by("name").values_list("code", "name"))


def deployment_filter_choices():
    """Choices for the home map's filter controls (a handful of small queries)."""
    published = Deployment.objects.published()
    agencies = (
        Agency.objects.published()
        .filter(led_deployments__in=published)
        .distinct()
        .order_by("name")
        .values_list("pk", "name")
    )
    years = published.filter(announced_on__isnull=False).dates("announced_on", "year", order="DESC")
    return {
        "states": state_choices(),
        "agencies": [(str(pk), name) for pk, name in agencies],
        "years": [(str(d.year), str(d.year)) for d in years],
        "purposes": [*PurposeClass.choices, *PurposeTag.choices],
    }
