"""FilterSets copy their filters shallowly (tracker.catalogue.filters.PublicFilterSet): two
alive at once still filter by their own parameters, and a method filter calls its own."""

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
