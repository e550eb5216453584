"""Who may use which page and write endpoint: anonymous, volunteer, moderator, administrator.

"login" is a redirect to the site's sign-in; "forbidden" a 403; "unauthenticated" a 401
(the API); "ok" means the page or action worked.
"""

import copy
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from rest_framework.authtoken.models import Token

from accounts.roles import Role
from moderation.models import Attachment, Submission, SubmissionStatus
from tests.support.data import built_once, moderated_rows
from tests.support.pages import deployment_post
from tests.support.people import person, person_with_role, signed_in

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "volunteer", "moderator", "administrator"]
SIGNED_IN = {"volunteer": "ok", "moderator": "ok", "administrator": "ok"}
EVERYONE = {"anonymous": "ok", **SIGNED_IN}
ACCOUNT_ONLY = {"anonymous": "login", **SIGNED_IN}
MODERATORS_ONLY = {
    "anonymous": "login",
    "volunteer": "forbidden",
    "moderator": "ok",
    "administrator": "ok",
}
API_VOLUNTEERS = {"anonymous": "unauthenticated", **SIGNED_IN}


def outcome(response):
    if response.status_code in (301, 302):
        location = response["Location"]
        if "/accounts/login/" in location:
            return "login"
        if "/admin/login/" in location:
            return "admin-login"
        return "ok"
    return {200: "ok", 201: "ok", 401: "unauthenticated", 403: "forbidden", 404: "missing"}.get(
        response.status_code, str(response.status_code)
    )


@pytest.fixture(scope="module")
def people_and_entries_once(django_db_setup, django_db_blocker, tmp_path_factory):
    """The four roles' people, a published and a withdrawn deployment, and a volunteer's
    pending submission with an attachment, built once for the module (``built_once``)."""
    with (
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")),
        built_once(django_db_blocker),
    ):
        users = {
            "anonymous": None,
            "volunteer": (volunteer := person_with_role(Role.VOLUNTEER)),
            "moderator": person_with_role(Role.MODERATOR),
            "administrator": (administrator := person_with_role(Role.ADMINISTRATOR)),
        }
        rows = moderated_rows(
            volunteer=volunteer,
            withdrawn_by=administrator,
            entity_type="deployment",
            data={"title": "Pending proposal"},
        )
        attachment = Attachment.objects.create(
            submission=rows.pending,
            file=SimpleUploadedFile("reply.pdf", b"%PDF-1.4\n", "application/pdf"),
            original_name="reply.pdf",
            content_type="application/pdf",
            size=9,
        )
        yield {
            "users": users,
            "deployment": rows.deployment,
            "withdrawn": rows.withdrawn,
            "pending": rows.pending,
            "attachment": attachment,
        }


@pytest.fixture
def world(people_and_entries_once, db):
    """The module's people and entries: this test's own copy (its changes are rolled back)."""
    return copy.deepcopy(people_and_entries_once)


def own_submission(user):
    return Submission.objects.create(
        volunteer=user,
        kind="new",
        entity_type="agency",
        data={"name": "Own draft"},
        status=SubmissionStatus.DRAFT,
    )


# (name, method, url(world, user), data(world), expected by role)
CASES = [
    ("profile", "get", lambda w, u: reverse("accounts:profile"), None, ACCOUNT_ONLY),
    ("token create", "post", lambda w, u: reverse("accounts:token-create"), {}, ACCOUNT_ONLY),
    ("token revoke", "post", lambda w, u: reverse("accounts:token-revoke"), {}, ACCOUNT_ONLY),
    ("sign-up page", "get", lambda w, u: reverse("account_signup"), None, EVERYONE),
    ("sign-in page", "get", lambda w, u: reverse("account_login"), None, EVERYONE),
    ("password reset", "get", lambda w, u: reverse("account_reset_password"), None, EVERYONE),
    ("submit start", "get", lambda w, u: reverse("moderation:submit"), None, ACCOUNT_ONLY),
    *[
        (
            f"new {kind} form",
            "get",
            lambda w, u, kind=kind: reverse("moderation:submit-new", args=[kind]),
            None,
            ACCOUNT_ONLY,
        )
        for kind in ("deployment", "agency", "hotspot", "rti_request")
    ],
    (
        "send a new deployment",
        "post",
        lambda w, u: reverse("moderation:submit-new", args=["deployment"]),
        lambda w: deployment_post(agency=w["deployment"].lead_agency),
        ACCOUNT_ONLY,
    ),
    (
        "correction form",
        "get",
        lambda w, u: reverse(
            "moderation:submit-correction", args=["deployment", w["deployment"].pk]
        ),
        None,
        ACCOUNT_ONLY,
    ),
    (
        "my submissions",
        "get",
        lambda w, u: reverse("moderation:my-submissions"),
        None,
        ACCOUNT_ONLY,
    ),
    (
        "my submission",
        "get",
        lambda w, u: reverse("moderation:my-submission", args=[own_submission(u).pk if u else 1]),
        None,
        ACCOUNT_ONLY,
    ),
    (
        "edit my submission",
        "get",
        lambda w, u: reverse(
            "moderation:my-submission-edit", args=[own_submission(u).pk if u else 1]
        ),
        None,
        ACCOUNT_ONLY,
    ),
    (
        "withdraw my submission",
        "post",
        lambda w, u: reverse(
            "moderation:my-submission-withdraw", args=[own_submission(u).pk if u else 1]
        ),
        {},
        ACCOUNT_ONLY,
    ),
    (
        "the volunteer's attachment",
        "get",
        lambda w, u: reverse("moderation:attachment", args=[w["attachment"].pk]),
        None,
        ACCOUNT_ONLY,  # the volunteer owns it; moderators may read it
    ),
    ("review queue", "get", lambda w, u: reverse("moderation:queue"), None, MODERATORS_ONLY),
    (
        "review a submission",
        "get",
        lambda w, u: reverse("moderation:review", args=[w["pending"].pk]),
        None,
        MODERATORS_ONLY,
    ),
    (
        "approve a submission",
        "post",
        lambda w, u: reverse("moderation:review", args=[w["pending"].pk]),
        {"decision": "reject", "note": "No."},
        MODERATORS_ONLY,
    ),
    ("entries page", "get", lambda w, u: reverse("moderation:entries"), None, MODERATORS_ONLY),
    (
        "withdraw an entry",
        "post",
        lambda w, u: reverse("moderation:entry-withdraw", args=["deployment", w["deployment"].pk]),
        {"reason": "Wrong"},
        MODERATORS_ONLY,
    ),
    (
        "restore an entry",
        "post",
        lambda w, u: reverse("moderation:entry-restore", args=["deployment", w["withdrawn"].pk]),
        {},
        MODERATORS_ONLY,
    ),
    (
        "source review",
        "get",
        lambda w, u: reverse("moderation:sources"),
        None,
        MODERATORS_ONLY,
    ),
    (
        "the admin",
        "get",
        lambda w, u: "/admin/",
        None,
        {
            "anonymous": "admin-login",
            "volunteer": "admin-login",
            "moderator": "admin-login",  # moderators are not staff
            "administrator": "ok",
        },
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "method", "url", "data", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_site_permissions(world, role, name, method, url, data, expected):
    user = world["users"][role]
    client = signed_in(user)
    target = url(world, user)
    payload = data(world) if callable(data) else data
    response = client.get(target) if method == "get" else client.post(target, payload or {})
    assert outcome(response) == expected[role], f"{name} as {role}"


def api_client(user):
    client = Client()
    if user is not None:
        token = Token.objects.create(user=user)
        client.defaults["HTTP_AUTHORIZATION"] = f"Token {token.key}"
    return client


@pytest.mark.parametrize("role", ROLES)
def test_api_submissions_permissions(world, role):
    user = world["users"][role]
    client = api_client(user)
    body = {
        "entity_type": "agency",
        "fields": {"name": "State Home Department", "kind": "state_department"},
        "sources": [{"url": "https://news.example.org/home-dept"}],
    }
    post = client.post("/api/v1/submissions/", json.dumps(body), content_type="application/json")
    get = client.get("/api/v1/submissions/")
    assert outcome(post) == API_VOLUNTEERS[role]
    assert outcome(get) == API_VOLUNTEERS[role]


def test_a_session_cookie_does_not_authenticate_the_api(world):
    """Token only: a signed-in browser cannot be made to post submissions (no CSRF risk)."""
    client = signed_in(world["users"]["volunteer"])
    response = client.post(
        "/api/v1/submissions/",
        json.dumps({"entity_type": "agency", "fields": {}}),
        content_type="application/json",
    )
    assert response.status_code == 401


def test_an_account_without_a_role_cannot_submit(db):
    plain = person("norole", "No Role")  # e.g. an address not confirmed yet
    assert signed_in(plain).get(reverse("moderation:submit")).status_code == 403


def test_nobody_else_sees_a_volunteers_submission(world, other_volunteer):
    pk = world["pending"].pk
    client = signed_in(other_volunteer)
    assert client.get(reverse("moderation:my-submission", args=[pk])).status_code == 404
    assert client.get(reverse("moderation:my-submission-edit", args=[pk])).status_code == 404
    client.post(reverse("moderation:my-submission-withdraw", args=[pk]))
    world["pending"].refresh_from_db()
    assert world["pending"].status == SubmissionStatus.PENDING
