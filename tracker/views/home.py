from django.http import HttpResponse


def home(request):
    return HttpResponse("")


deployments_geojson = hotspots_geojson = map_panel = home
