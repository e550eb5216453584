"""Pages and requests: which public pages to visit, reading what a page lists, and the
valid proposal that the moderation tests post and then vary.

- ``PAGES``: every public path of the site (lists, states, figures, feeds, sitemap, the
  map's layers); ``PUBLIC_PAGES``: the pages a reader opens in a browser, by name, a
  path in braces naming a detail page of the data set (``tests/browser/test_phone.py``),
  answering 200 or the status ``PAGE_STATUS`` gives.
- ``ACCOUNT_PAGES``, ``VOLUNTEER_PAGES``, ``MODERATOR_PAGES``: the signed-in pages, a
  path with ``{name}`` naming a submission of ``data.contributions``.
- ``row_titles`` (a site list page) and ``ids`` (an API list page): what a page lists.
- ``deployment_post`` and ``NEW_DEPLOYMENT_URL``: a valid new-deployment form;
  ``as_browser_sends``: the POST of a form as it opened (a correction's starting point).
- ``token_client`` and ``api_submit``: the API's submission endpoint as a volunteer's
  script would use it (``deployment_body``: a valid proposal to it).
- Fixture ``generous_throttle``: API rates no test reaches.
"""

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import AgencyFactory

PAGES = [
    "/",
    "/deployments/",
    "/agencies/",
    "/hotspots/",
    "/rti/",
    "/states/",
    "/states/in-up/",
    "/stats/",
    "/changes/",
    "/data/",
    "/about/",
    "/feeds/deployments/",
    "/feeds/states/in-up/",
    "/sitemap.xml",
    "/map/deployments.geojson",
    "/map/hotspots.geojson",
    "/map/panel/",
]

LANGUAGES = {"en": "", "hi": "/hi"}

# Every public page: (name, path). A path in braces is looked up in the site's data, so
# pages that other features add later are one line each.
PUBLIC_PAGES = [
    ("home", "/"),
    ("home-filtered", "/?state=IN-UP&technology=facial_recognition"),  # the panel starts open
    ("deployments", "/deployments/"),
    ("deployments-filtered", "/deployments/?state=IN-UP&q=hotspots"),
    ("deployment", "{deployment}"),
    ("agencies", "/agencies/"),
    ("agency", "{agency}"),
    ("hotspots", "/hotspots/"),
    ("hotspot", "{hotspot}"),
    ("rti", "/rti/"),
    ("rti-request", "{rti_request}"),
    ("rti-overdue", "/rti/overdue/"),
    ("rti-calculator", "/rti/calculator/"),
    (
        "rti-calculator-answer",
        "/rti/calculator/?received_on=2024-01-10&reply_received_on=2024-03-01",
    ),
    ("states", "/states/"),
    ("state", "/states/in-up/"),
    ("stats", "/stats/"),
    ("changes", "/changes/"),
    ("data", "/data/"),
    ("about", "/about/"),
    ("search", "/search/?q=lucknow"),
    ("search-hindi", "/search/?q=%E0%A4%B2%E0%A4%96%E0%A4%A8%E0%A4%8A"),  # लखनऊ
    # Trust: a reader's dispute, its thanks, a withdrawn entry's tombstone.
    ("dispute", "{dispute}"),
    ("dispute-claim", "{dispute-claim}"),
    ("dispute-sent", "{dispute-sent}"),
    ("withdrawn", "{withdrawn}"),
    # RTI and reach: a campaign, the letter forms, the data releases, an embed.
    ("rti-campaign", "{campaign}"),
    ("rti-letter", "/rti/letters/"),
    ("rti-request-letters", "{letters}"),
    ("data-releases", "/data/releases/"),
    ("embed-deployment", "{embed}"),
    ("embed-map", "/embed/map/"),
]
# The status a public page answers with, when it is not 200.
PAGE_STATUS = {"withdrawn": 410}


# The pages of people who are signed in, by who sees them: (name, path), a path with
# {name} filled in from ``data.contributions``. Account pages anyone reaches come first.
ACCOUNT_PAGES = [
    ("sign-in", "/accounts/login/"),
    ("sign-up", "/accounts/signup/"),
    ("password-reset", "/accounts/password/reset/"),
]
VOLUNTEER_PAGES = [
    ("profile", "/accounts/profile/"),
    ("e-mail-addresses", "/accounts/email/"),
    ("password-change", "/accounts/password/change/"),
    ("sign-out", "/accounts/logout/"),
    ("contribute", "/submit/"),
    ("new-deployment", "/submit/deployment/"),
    ("new-agency", "/submit/agency/"),
    ("new-hotspot", "/submit/hotspot/"),
    ("new-rti-request", "/submit/rti_request/"),
    ("correction", "{correct}"),
    ("my-submissions", "/submissions/"),
    ("my-submission", "/submissions/{pending}/"),
    ("my-correction", "/submissions/{correction}/"),
    ("edit-draft", "/submissions/{draft}/edit/"),
    ("withdraw", "/submissions/{pending}/withdraw/"),
    # Trust, RTI and reach: re-checking, a dispute signed in, an own RTI request's next
    # event, a webhook that was disabled, with its delivery log.
    ("verify-queue", "/verify/"),
    ("verify-entry", "/verify/{stale}/"),
    ("dispute", "/report/deployment/{published}/?claim=camera_count"),
    ("rti-event-propose", "/rti/{own_rti}/events/new/"),
    ("webhook", "/accounts/profile/webhooks/{webhook}/"),
]
MODERATOR_PAGES = [
    ("queue", "/moderation/"),
    ("review", "/moderation/submissions/{pending}/"),
    ("review-correction", "/moderation/submissions/{correction}/"),
    ("entries", "/moderation/entries/"),
    ("sources", "/moderation/sources/"),
    ("profile", "/accounts/profile/"),
    # Trust: disputes in the queue and one to decide; the four-eyes decision is on
    # "review" (another moderator approved) and "review-correction" (this one did).
    ("queue-disputes", "/moderation/?kind=disputes"),
    ("dispute-review", "/moderation/disputes/{dispute}/"),
    ("verify-queue", "/verify/"),
    ("verify-entry", "/verify/{stale}/"),
    # RTI: recording an event, publishing documents, a new campaign.
    ("rti-event-record", "/rti/{rti}/events/new/"),
    ("rti-documents", "/moderation/rti/{rti}/documents/"),
    ("rti-campaign-new", "/moderation/rti/campaigns/new/"),
]


def row_titles(response):
    """The linked titles in the result table's row headers."""
    body = response.content.decode()
    table = body[body.index("<tbody>") : body.index("</tbody>")]
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', table)


def ids(response):
    """Ids of a JSON list page, in order."""
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


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
        "fax_number": "",
    }
    data.update(overrides)
    return data


def deployment_body(**fields):
    """The JSON body of a valid new-deployment proposal to the API."""
    agency = AgencyFactory(name="Pune Police", city="Pune", state_id="IN-MH")
    return {
        "entity_type": "deployment",
        "fields": {
            "title": "Pune traffic ANPR",
            "lead_agency": agency.pk,
            "technology": "plate_recognition",
            "purpose_class": "surveillance",
            "status": "in_use",
            "state": "IN-MH",
            "city": "Pune",
            "latitude": 18.52,
            "longitude": 73.85,
            **fields,
        },
        "sources": [{"url": "https://news.example.org/pune-anpr", "title": "Pune ANPR"}],
    }


NEW_DEPLOYMENT_URL = reverse("moderation:submit-new", args=["deployment"])

SUBMISSIONS_API_URL = "/api/v1/submissions/"


def token_client(user):
    """A client sending ``user``'s API token, as a script would."""
    from rest_framework.authtoken.models import Token

    client = Client()
    client.defaults["HTTP_AUTHORIZATION"] = "Token " + Token.objects.create(user=user).key
    return client


def api_submit(client, body):
    """POST ``body`` as JSON to the submissions endpoint."""
    return client.post(SUBMISSIONS_API_URL, json.dumps(body), content_type="application/json")


def current_version(submission):
    """The version a moderator's review page of ``submission`` shows now."""
    from moderation.entities import entity_model
    from moderation.models import Submission, SubmissionKind
    from moderation.services import review_version

    submission = Submission.objects.get(pk=submission.pk)
    entity = None
    if submission.kind != SubmissionKind.NEW:
        model = entity_model(submission.entity_type)
        entity = model.objects.filter(pk=submission.target_id).first()
    return review_version(submission, entity)


def decision_post(submission, decision, note=""):
    """POST data of the review page's decision form, on the version stored now."""
    return {"decision": decision, "note": note, "reviewed_version": current_version(submission)}


def approve(submission, moderator, note="", base_url=""):
    """A moderator's approval of the version stored now (the service, as the page calls it);
    the ``Decision`` (its ``entity`` is the published entry once applied)."""
    from moderation.services import submission_decide

    return submission_decide(
        submission_id=submission.pk,
        moderator=moderator,
        decision="approve",
        note=note,
        reviewed_version=current_version(submission),
        base_url=base_url,
    )


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


@pytest.fixture
def generous_throttle(settings):
    """Rates no test reaches, for folders whose tests make many API requests; throttling
    itself is tested with its own rates."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/min", "user": "100000/min"},
    }
