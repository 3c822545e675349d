"""Who may open which admin page and run which action: anonymous, editor, superuser.

Anonymous visitors are sent to the login page everywhere. Editors (the Editors group)
work on everything in the catalogue and the lists, but never manage users or groups,
never delete films, people or reference data, and never delete a published list.
"""

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.urls import reverse

from catalogue.models import Verification
from lists.models import CuratedList
from tests.factories import (
    AwardFactory,
    CountryFactory,
    CreditFactory,
    CuratedListEntryFactory,
    CuratedListFactory,
    DraftListFactory,
    FactFactory,
    FilmFactory,
    GenreFactory,
    OrganisationFactory,
    PersonFactory,
    PlaceFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

OK, FORBIDDEN, LOGIN, REFUSED = 200, 403, "login", "refused"


def published_list():
    return CuratedListEntryFactory(curated_list=CuratedListFactory()).curated_list


def draft_list():
    return CuratedListEntryFactory(curated_list=DraftListFactory()).curated_list


def make_user():
    return User.objects.create_user("someone")


# model admin -> (object maker, editor may add, editor may delete this object)
ADMINS = {
    "catalogue.film": (FilmFactory, True, False),
    "catalogue.person": (PersonFactory, True, False),
    "catalogue.award": (AwardFactory, True, True),
    "catalogue.credit": (CreditFactory, True, True),
    "catalogue.fact": (FactFactory, True, True),
    "catalogue.organisation": (OrganisationFactory, True, False),
    "catalogue.place": (PlaceFactory, True, False),
    "catalogue.country": (CountryFactory, True, False),
    "catalogue.genre": (GenreFactory, True, False),
    "catalogue.source": (SourceFactory, True, False),
    "lists.curatedlist": (draft_list, True, True),
    "lists.curatedlistentry": (CuratedListEntryFactory, False, True),
}
HISTORY_ADMINS = [
    "catalogue.film",
    "catalogue.person",
    "catalogue.award",
    "catalogue.credit",
    "catalogue.fact",
    "lists.curatedlist",
    "lists.curatedlistentry",
]
AUTH_ADMINS = {"auth.user": make_user, "auth.group": lambda: Group.objects.get(name="Editors")}


def admin_url(label, page, obj=None):
    app_label, model_name = label.split(".")
    args = [obj.pk] if page in ("change", "delete", "history") else []
    return reverse(f"admin:{app_label}_{model_name}_{page}", args=args)


def get_as(client, role, users, url):
    if role != "anonymous":
        client.force_login(users[role])
    return client.get(url)


def outcome(response):
    if response.status_code == 302 and "/admin/login/" in response["Location"]:
        return LOGIN
    if response.status_code == 302:
        return REFUSED
    return response.status_code


@pytest.fixture
def users(request, django_user_model):
    """The users a test logs in as, made on demand and without hashing a password."""

    class Users(dict):
        def __missing__(self, role):
            if role == "superuser":
                user = request.getfixturevalue("superuser")
            else:
                user = request.getfixturevalue("editor")
            self[role] = user
            return user

    return Users()


def expected(role, allowed):
    if role == "anonymous":
        return LOGIN
    if role == "superuser":
        return OK
    return OK if allowed else FORBIDDEN


ROLES = ["anonymous", "editor", "superuser"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("label", ADMINS)
def test_changelist_and_change_pages(client, users, role, label):
    obj = ADMINS[label][0]()
    for page in ("changelist", "change"):
        response = get_as(client, role, users, admin_url(label, page, obj))
        assert outcome(response) == expected(role, True), page


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("label", ADMINS)
def test_add_page(client, users, role, label):
    may_add = ADMINS[label][1]
    response = get_as(client, role, users, admin_url(label, "add"))
    if label == "lists.curatedlistentry" and role == "superuser":
        # Entries are added in their list (where their place is chosen), by anyone.
        assert outcome(response) == FORBIDDEN
    else:
        assert outcome(response) == expected(role, may_add)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("label", ADMINS)
def test_delete_page(client, users, role, label):
    maker, _, may_delete = ADMINS[label]
    response = get_as(client, role, users, admin_url(label, "delete", maker()))
    assert outcome(response) == expected(role, may_delete)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("label", HISTORY_ADMINS)
def test_history_page(client, users, role, label):
    response = get_as(client, role, users, admin_url(label, "history", ADMINS[label][0]()))
    assert outcome(response) == expected(role, True)


@pytest.mark.parametrize("role", ROLES)
def test_delete_page_of_a_published_list(client, users, role):
    url = admin_url("lists.curatedlist", "delete", published_list())
    response = get_as(client, role, users, url)
    assert outcome(response) == {"anonymous": LOGIN, "editor": REFUSED, "superuser": OK}[role]


@pytest.mark.usefixtures("editors_group")
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("label", AUTH_ADMINS)
@pytest.mark.parametrize("page", ["changelist", "add", "change", "delete"])
def test_user_and_group_management(client, users, role, label, page):
    response = get_as(client, role, users, admin_url(label, page, AUTH_ADMINS[label]()))
    assert outcome(response) == expected(role, False)


@pytest.mark.parametrize("role", ROLES)
def test_admin_index_and_verification_queue(client, users, role):
    for url in (reverse("admin:index"), reverse("admin:catalogue_verification_queue")):
        assert outcome(get_as(client, role, users, url)) == expected(role, True), url


@pytest.mark.parametrize("role", ["editor", "superuser"])
def test_editors_see_no_user_management_on_the_index(client, users, role):
    response = get_as(client, role, users, reverse("admin:index"))
    assert ('href="/admin/auth/user/"' in response.text) is (role == "superuser")


# --- Actions ------------------------------------------------------------------------------


def post_as(client, role, users, url, data):
    if role != "anonymous":
        client.force_login(users[role])
    return client.post(url, data)


LISTS = "admin:lists_curatedlist_changelist"
FILMS = "admin:catalogue_film_changelist"


def run_action(client, role, users, changelist, action, obj, **confirmation):
    """Run a changelist action on one object as `role`; deleting needs `post="yes"`."""
    data = {"action": action, "_selected_action": [obj.pk], **confirmation}
    return post_as(client, role, users, reverse(changelist), data)


@pytest.mark.parametrize("role", ROLES)
def test_publish_action(client, users, role):
    curated_list = draft_list()
    run_action(client, role, users, LISTS, "publish_selected", curated_list)
    curated_list.refresh_from_db()
    assert curated_list.is_published is (role != "anonymous")


@pytest.mark.parametrize("role", ROLES)
def test_unpublish_action(client, users, role):
    curated_list = published_list()
    run_action(client, role, users, LISTS, "unpublish_selected", curated_list)
    curated_list.refresh_from_db()
    assert curated_list.is_published is (role == "anonymous")


@pytest.mark.parametrize("role", ROLES)
def test_delete_action_on_a_published_list(client, users, role):
    curated_list = published_list()
    run_action(client, role, users, LISTS, "delete_selected", curated_list, post="yes")
    still_there = CuratedList.objects.filter(pk=curated_list.pk).exists()
    assert still_there is (role != "superuser")


@pytest.mark.parametrize("role", ROLES)
def test_delete_action_on_films(client, users, role):
    film = FilmFactory()
    run_action(client, role, users, FILMS, "delete_selected", film, post="yes")
    assert film.__class__.objects.filter(pk=film.pk).exists() is (role != "superuser")


@pytest.mark.parametrize("role", ROLES)
def test_verification_queue_action(client, users, role):
    fact = FactFactory()
    post_as(
        client,
        role,
        users,
        reverse("admin:catalogue_verification_queue") + "?kind=facts",
        {"selected": [fact.pk], "verdict": "confirmed"},
    )
    fact.refresh_from_db()
    confirmed = fact.verification == Verification.CONFIRMED
    assert confirmed is (role != "anonymous")


def test_staff_without_the_editors_group_cannot_use_the_queue(client, staff_user):
    client.force_login(staff_user)
    response = client.get(reverse("admin:catalogue_verification_queue"))
    assert response.status_code == 403


def test_viewer_may_see_the_queue_but_not_change_verdicts(client, staff_user):
    staff_user.user_permissions.add(Permission.objects.get(codename="view_fact"))
    client.force_login(staff_user)
    fact = FactFactory()
    url = reverse("admin:catalogue_verification_queue") + "?kind=facts"
    assert client.get(url).status_code == 200
    response = client.post(url, {"selected": [fact.pk], "verdict": "confirmed"})
    assert response.status_code == 403
    fact.refresh_from_db()
    assert fact.verification == Verification.UNVERIFIED
