"""One rule for every endpoint under /api/v1/: a query parameter it does not understand is
a 400 naming it, never silently ignored (``?sate=IN-UP`` would otherwise answer every row).

What an endpoint understands is what the OpenAPI schema documents for its operation (its
filters, paging, ``format`` and any parameter an ``extend_schema`` declares), plus its
FilterSet's filters, ``format`` and the paging parameters. So a new endpoint is covered
with nothing to add, and what it accepts cannot drift from its documentation. The schema
is generated once per process, at the first API request (about half a second), and kept.

Views the schema leaves out (the root, the schema and its docs) take only those three
unless ``query_parameters`` wraps them with the names they take.
"""

import threading

from django.http import JsonResponse

ANY = object()  # query_parameters(ANY): the view checks nothing (the API's 404 answer)
# DRF's format and the paging parameters mean the same on every endpoint.
ALWAYS = frozenset({"format", "limit", "offset"})
UNCHECKED_METHODS = {"OPTIONS"}  # CORS preflights carry the real request's query

_lock = threading.Lock()
_documented = None


def query_parameters(*names):
    """Declare what an undocumented view takes (or ``ANY``)."""

    def declare(view):
        view.query_parameters = ANY if ANY in names else frozenset(names)
        return view

    return declare


class Documented(dict):
    """{(view callback, HTTP method): the query parameters its operation documents}, and
    ``callbacks``: the views with at least one documented operation."""

    def __init__(self, found):
        super().__init__(found)
        self.callbacks = {callback for callback, _ in found}


def _documented_parameters():
    from drf_spectacular.generators import SchemaGenerator

    class Recorder(SchemaGenerator):
        def _get_paths_and_endpoints(self):
            self.recorded = super()._get_paths_and_endpoints()
            return self.recorded

    generator = Recorder()
    schema = generator.get_schema(request=None, public=True)
    found = {}
    for (_path, _regex, _method, callback), (path, _, method, _view) in zip(
        generator.endpoints, generator.recorded, strict=True
    ):
        operation = schema["paths"].get(path, {}).get(method.lower())
        if operation is None:  # left out of the schema
            continue
        found[(callback, method)] = frozenset(
            p["name"] for p in operation.get("parameters", []) if p["in"] == "query"
        )
    return Documented(found)


def documented_parameters():
    global _documented
    if _documented is None:
        with _lock:
            if _documented is None:
                _documented = _documented_parameters()
    return _documented


def _undeclared_method(view_func, method):
    """A method the schema gives this view none of: the view answers 405 itself."""
    method = "GET" if method == "HEAD" else method
    documented = documented_parameters()
    return (view_func, method) not in documented and view_func in documented.callbacks


def accepted_parameters(view_func, method):
    """The query parameters ``view_func`` takes for ``method``, or ``ANY``."""
    method = "GET" if method == "HEAD" else method
    declared = getattr(view_func, "query_parameters", None)
    if declared is ANY:
        return ANY
    accepted = set(ALWAYS) | set(declared or ())
    accepted |= documented_parameters().get((view_func, method), frozenset())
    filterset_class = getattr(getattr(view_func, "cls", None), "filterset_class", None)
    if filterset_class is not None:
        accepted |= set(filterset_class.base_filters)
    return accepted


def unknown_parameters(view_func, method, query) -> list[str]:
    if method in UNCHECKED_METHODS or _undeclared_method(view_func, method):
        return []
    accepted = accepted_parameters(view_func, method)
    if accepted is ANY:
        return []
    return sorted(set(query) - accepted)


class UnknownParametersMiddleware:
    """Answers 400 before any API view runs when the query names a parameter the view does
    not take: ``{"sate": ["Unknown parameter. This endpoint takes: ..."]}``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or "api" not in match.namespaces:
            return None
        unknown = unknown_parameters(view_func, request.method, request.GET)
        if not unknown:
            return None
        accepted = sorted(accepted_parameters(view_func, request.method))
        message = "Unknown parameter. This endpoint takes: " + ", ".join(accepted) + "."
        return JsonResponse({name: [message] for name in unknown}, status=400)
