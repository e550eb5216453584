"""One moderator rule: every moderator page asks for a permission, and roles grant them.

Staff status and a group's name decide nothing: staff without the role is refused
everywhere, a superuser (even without staff) passes everywhere, as does a moderator
and an administrator through their roles, and a volunteer is refused everywhere.
"""

import copy

import pytest
from django.contrib.auth.models import Permission
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.roles import ROLE_GRANTS, Role
from moderation.models import SubmissionStatus
from tests.factories import SourceFactory, UserFactory
from tests.support.data import built_once, moderated_rows
from tests.support.people import person, person_with_role, signed_in
from tracker import permissions
from tracker.models import ArchivedText, ReviewItem, SourceVersion

pytestmark = pytest.mark.django_db

PEOPLE = ["anonymous", "staff without the role", "superuser, not staff", "moderator", "volunteer"]
ALLOWED = {"superuser, not staff", "moderator"}


@pytest.fixture(scope="module")
def people_and_entries_once(django_db_setup, django_db_blocker):
    """The people of ``PEOPLE``, and what the moderators' pages act on (a published and a
    withdrawn deployment, a pending submission, a changed source with an archived version),
    built once for the module (``built_once``) with the archive closed to the public."""
    with override_settings(ARCHIVE_PUBLIC=False), built_once(django_db_blocker):
        staff = person("staff-sunil", "Sunil", None)
        staff.is_staff = True
        staff.save()
        people = {
            "anonymous": None,
            "staff without the role": staff,
            "superuser, not staff": UserFactory(username="root", is_superuser=True, is_staff=False),
            "moderator": (moderator := person_with_role(Role.MODERATOR)),
            "volunteer": (volunteer := person_with_role(Role.VOLUNTEER)),
        }
        rows = moderated_rows(
            volunteer=volunteer,
            withdrawn_by=moderator,
            entity_type="agency",
            data={"name": "Pending agency"},
            submitted_at=timezone.now(),
        )
        source = SourceFactory(title="Station cameras story", health="changed")
        ReviewItem.objects.create(source=source, reason="changed", new_excerpt="Fifty cameras")
        version = SourceVersion.objects.create(
            source=source,
            text=ArchivedText.objects.create(sha256="0" * 64, text="Fifty cameras at the station."),
            fetched_at=timezone.now(),
            url=source.url,
            http_status=200,
            warc_path="none.warc.gz",
        )
        yield (
            people,
            {
                "deployment": rows.deployment,
                "withdrawn": rows.withdrawn,
                "pending": rows.pending,
                "source": source,
                "version": version,
            },
        )


@pytest.fixture
def people(people_and_entries_once, db):
    """The module's people: this test's own copies."""
    return copy.deepcopy(people_and_entries_once[0])


@pytest.fixture
def world(people_and_entries_once, db):
    """The module's entries: this test's own copies (its changes are rolled back)."""
    return copy.deepcopy(people_and_entries_once[1])


# (surface, method, url(world), POST data): every page only moderators may use.
SURFACES = [
    ("review queue", "get", lambda w: reverse("moderation:queue"), None),
    (
        "a submission's review",
        "get",
        lambda w: reverse("moderation:review", args=[w["pending"].pk]),
        None,
    ),
    (
        "a decision",
        "post",
        lambda w: reverse("moderation:review", args=[w["pending"].pk]),
        {"decision": "reject", "note": "Not an agency."},
    ),
    ("entries", "get", lambda w: reverse("moderation:entries"), None),
    (
        "withdraw an entry",
        "post",
        lambda w: reverse("moderation:entry-withdraw", args=["deployment", w["deployment"].pk]),
        {"reason": "Wrong"},
    ),
    (
        "restore an entry",
        "post",
        lambda w: reverse("moderation:entry-restore", args=["deployment", w["withdrawn"].pk]),
        {},
    ),
    ("sources needing attention", "get", lambda w: reverse("moderation:sources"), None),
    (
        "mark a source reviewed",
        "post",
        lambda w: reverse("moderation:source-reviewed", args=[w["source"].pk]),
        {},
    ),
    (
        "check a source now",
        "post",
        lambda w: reverse("moderation:source-check", args=[w["source"].pk]),
        {},
    ),
    (
        "an archived copy",
        "get",
        lambda w: reverse("tracker:archived-copy", args=[w["source"].pk, w["version"].pk]),
        None,
    ),
]


def outcome(response):
    if response.status_code == 302 and "/accounts/login/" in response["Location"]:
        return "sign in"
    return {200: "ok", 302: "ok", 403: "refused", 404: "refused"}.get(
        response.status_code, str(response.status_code)
    )


@pytest.mark.parametrize("who", PEOPLE)
@pytest.mark.parametrize(
    ("surface", "method", "url", "data"), SURFACES, ids=[s[0] for s in SURFACES]
)
def test_every_moderator_surface_gives_one_answer_per_person(
    world, people, who, surface, method, url, data
):
    client = signed_in(people[who])
    target = url(world)
    response = client.get(target) if method == "get" else client.post(target, data)
    if who in ALLOWED:
        expected = "ok"
    elif who == "anonymous" and surface != "an archived copy":
        expected = "sign in"
    else:
        expected = "refused"  # an archived copy hides that it exists: 404
    assert outcome(response) == expected, f"{surface} as {who}"


def test_a_refused_person_changes_nothing(world, people):
    staff = signed_in(people["staff without the role"])
    staff.post(reverse("moderation:review", args=[world["pending"].pk]), {"decision": "reject"})
    staff.post(reverse("moderation:source-reviewed", args=[world["source"].pk]))
    world["pending"].refresh_from_db()
    assert world["pending"].status == SubmissionStatus.PENDING
    assert ReviewItem.objects.filter(reviewed_at__isnull=True).count() == 1


def test_the_administrator_role_holds_every_permission_without_superuser(administrator):
    administrator = type(administrator).objects.get(pk=administrator.pk)
    assert not administrator.is_superuser
    every = Permission.objects.values_list("content_type__app_label", "codename")
    assert every.exists()
    assert all(administrator.has_perm(f"{app}.{codename}") for app, codename in every)


def test_each_permission_a_role_names_exists_and_its_group_holds_it():
    for role, grants in ROLE_GRANTS.items():
        held = set(
            Permission.objects.filter(group__name=role).values_list(
                "content_type__app_label", "codename"
            )
        )
        for grant in grants:
            if grant != "*":
                assert tuple(grant.split(".")) in held, f"{role}: {grant}"
    moderators = Permission.objects.filter(group__name=Role.MODERATOR)
    assert {
        f"tracker.{p.codename}" for p in moderators.filter(content_type__app_label="tracker")
    } == {
        permissions.SOURCE_REVIEW,
        permissions.ARCHIVE_READ,
        permissions.RTI_REMINDERS,
        permissions.VERIFY,
        permissions.RTI_EVENT_RECORD,
        permissions.RTI_DOCUMENT_PUBLISH,
        permissions.RTI_CAMPAIGN_CREATE,
    }


def test_a_permission_given_alone_opens_exactly_its_pages(world):
    """Roles are only bundles: one permission given directly opens its pages and no more."""
    reviewer = person("source-only", "Source reviewer", None)
    app, codename = permissions.SOURCE_REVIEW.split(".")
    reviewer.user_permissions.add(
        Permission.objects.get(content_type__app_label=app, codename=codename)
    )
    client = signed_in(reviewer)
    assert client.get(reverse("moderation:sources")).status_code == 200
    assert client.get(reverse("moderation:queue")).status_code == 403
    archived = reverse("tracker:archived-copy", args=[world["source"].pk, world["version"].pk])
    assert client.get(archived).status_code == 404
