"""FilterSets copy their filters shallowly (tracker.catalogue.filters.PublicFilterSet) and
their forms share their fields (GeoFilterForm): two alive at once still filter by, validate
and show their own parameters, and a method filter calls its own."""

from tracker.catalogue.filters import DeploymentFilter
from tracker.models import Deployment


def test_two_filtersets_at_once_keep_their_own_parameters(world):
    rows = Deployment.objects.published()
    mumbai = DeploymentFilter({"agency": "mumbai-police", "near": "72.88,19.08"}, queryset=rows)
    lucknow = DeploymentFilter({"agency": "lucknow-police"}, queryset=rows)
    assert set(lucknow.qs) == {world.lucknow, world.mumbai}  # lead or partner
    assert set(mumbai.qs) == {world.mumbai}
    assert mumbai.filters["agency"].parent is mumbai
    assert lucknow.filters["agency"].parent is lucknow
    assert getattr(DeploymentFilter.base_filters["agency"], "parent", None) is None
    assert mumbai.form.__class__ is lucknow.form.__class__ and mumbai.form is not lucknow.form


def test_two_filter_forms_at_once_keep_their_own_values_and_errors(world):
    rows = Deployment.objects.published()
    wrong = DeploymentFilter({"state": "not a state", "year": "19x"}, queryset=rows)
    right = DeploymentFilter({"state": "IN-UP", "year": str(world.lucknow.announced_on.year)}, rows)
    assert not wrong.is_valid() and right.is_valid()
    assert set(wrong.form.errors) == {"state", "year"} and not right.form.errors
    assert set(right.qs) == {world.lucknow}
    assert 'value="not a state"' in str(wrong.form["state"])
    assert 'value="IN-UP"' in str(right.form["state"])
    blank = DeploymentFilter({}, queryset=rows)
    assert blank.is_valid() and 'value="' not in str(blank.form["state"])
    right.form.fields.pop("year")  # one form's field list is its own
    assert "year" in blank.form.fields and "year" in DeploymentFilter({}, rows).form.fields


def test_the_apis_filtersets_hold_only_the_parameters_given_and_filter_the_same(world):
    """The API's FilterSets (``given_only``) validate and apply only the parameters given:
    the same rows, the same errors as a FilterSet holding every filter."""
    rows = Deployment.objects.published()
    cases = [
        {},
        {"state": "IN-UP"},
        {"agency": "mumbai-police", "near": "72.88,19.08", "radius_km": "50"},
        {"radius_km": "5"},  # without near it changes nothing
        {"status": "in_use", "ordering": "-title"},
        {"state": "not a state", "year": "19x"},
    ]
    for data in cases:
        given, every = DeploymentFilter(data, rows, given_only=True), DeploymentFilter(data, rows)
        assert set(given.filters) == set(data)
        assert given.is_valid() == every.is_valid()
        assert given.form.errors == every.form.errors
        assert list(given.qs) == list(every.qs)
