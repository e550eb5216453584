"""Building valid proposals for the moderation tests."""

from django.urls import reverse

from tests.factories import AgencyFactory


def deployment_post(agency=None, **overrides):
    """POST data for a valid new-deployment form."""
    agency = agency or AgencyFactory(name="Lucknow Police")
    data = {
        "title": "Lucknow station face recognition",
        "lead_agency": agency.pk,
        "technology": "facial_recognition",
        "purpose_class": "surveillance",
        "status": "in_use",
        "state": "IN-UP",
        "city": "Lucknow",
        "district": "",
        "latitude": "26.8320",
        "longitude": "80.9200",
        "location_precision": "locality",
        "camera_count": "40",
        "cost_inr": "",
        "announced_on": "",
        "summary": "Cameras at the railway station.",
        "source_url_1": "https://news.example.org/lucknow-station-frt",
        "source_title_1": "Station gets face recognition",
        "action": "submit",
        "homepage": "",
    }
    data.update(overrides)
    return data


NEW_DEPLOYMENT_URL = reverse("moderation:submit-new", args=["deployment"])


def as_browser_sends(form):
    """The POST a browser sends for an unchanged ``form`` as it opened: several values for a
    field that takes several, nothing for an unticked box, files left out."""
    post = {}
    for name in form.fields:
        if name == "attachments":
            continue
        value = form[name].value()
        if isinstance(value, list | tuple):
            post[name] = [str(item) for item in value]
        elif value is True:
            post[name] = "on"
        elif value not in (None, False):
            post[name] = str(value)
    return post
