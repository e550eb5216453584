from .home import home


def deployment_detail(request, pk, slug=None):
    return home(request)


agency_detail = hotspot_detail = rti_detail = deployment_detail
