"""Who may do what: anonymous visitors, editors (staff in the Editors group) and superusers,
across every admin page and action, every API write and every way to see a draft list.

The intended rights are written out below, independently of the group migration, so a
permission granted by mistake (or a new admin page nobody classified) fails here.
"""

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from knox.models import AuthToken

from catalogue.models import Award, Film
from lists.admin_import import ConfirmImportForm
from lists.importing import import_list
from lists.models import CuratedList, CuratedListEntry
from tests import factories

pytestmark = pytest.mark.django_db

VIEW_ADD_CHANGE = {"view", "add", "change"}
EVERYTHING = VIEW_ADD_CHANGE | {"delete"}

# What an editor is meant to do in the admin, model by model. Anything not listed (users,
# groups, API tokens, login attempts, and any model registered later) is closed to editors.
EDITOR_RIGHTS = {
    "catalogue.film": VIEW_ADD_CHANGE,
    "catalogue.person": VIEW_ADD_CHANGE,
    "catalogue.organisation": VIEW_ADD_CHANGE,
    "catalogue.place": VIEW_ADD_CHANGE,
    "catalogue.country": VIEW_ADD_CHANGE,
    "catalogue.genre": VIEW_ADD_CHANGE,
    "catalogue.source": VIEW_ADD_CHANGE,
    # The claims a document made can be removed again.
    "catalogue.award": EVERYTHING,
    "catalogue.credit": EVERYTHING,
    "catalogue.fact": EVERYTHING,
    # Draft lists can be deleted by editors; published ones only by a superuser.
    "lists.curatedlist": EVERYTHING,
    "lists.curatedlistentry": EVERYTHING,
    # A wrong or unlicensed picture must be removable by the editors who add them.
    "pictures.filmpicture": EVERYTHING,
    "pictures.personpicture": EVERYTHING,
    "pictures.listcover": EVERYTHING,
}

ALLOWED, REFUSED, LOGIN = "allowed", "refused", "login page"


@pytest.fixture
def client_as(client, editor, superuser, staff_user):
    def log_in(role):
        client.logout()
        if role == "editor":
            client.force_login(editor)
        elif role == "superuser":
            client.force_login(superuser)
        elif role == "staff":  # staff in no group: the admin lets them in, to nothing
            client.force_login(staff_user)
        return client

    return log_in


def outcome(response):
    if response.status_code == 200:
        return ALLOWED
    if response.status_code == 302 and reverse("admin:login") in response["Location"]:
        return LOGIN
    assert response.status_code in (302, 403), response.status_code  # never a 500
    return REFUSED


# --- Objects to open in each model's admin -------------------------------------------------


def make_object(model, superuser):
    label = model._meta.label_lower
    makers = {
        "auth.user": lambda: superuser,
        "auth.group": lambda: Group.objects.get(name="Editors"),
        "knox.authtoken": lambda: AuthToken.objects.create(user=superuser)[0],
        "axes.accessattempt": lambda: AccessAttempt.objects.create(
            username="x", ip_address="203.0.113.1", failures_since_start=1
        ),
        "axes.accesslog": lambda: AccessLog.objects.create(
            username="x", ip_address="203.0.113.1", attempt_time=timezone.now()
        ),
        "axes.accessfailurelog": lambda: AccessFailureLog.objects.create(
            username="x", ip_address="203.0.113.1", attempt_time=timezone.now()
        ),
        "catalogue.film": factories.FilmFactory,
        "catalogue.person": factories.PersonFactory,
        "catalogue.award": factories.AwardFactory,
        "catalogue.credit": factories.CreditFactory,
        "catalogue.fact": factories.FactFactory,
        "catalogue.organisation": factories.OrganisationFactory,
        "catalogue.place": factories.PlaceFactory,
        "catalogue.country": lambda: factories.CountryFactory(code="FR", name="France"),
        "catalogue.genre": lambda: factories.GenreFactory(name="Comedy"),
        "catalogue.source": factories.SourceFactory,
        "lists.curatedlist": factories.DraftListFactory,
        "lists.curatedlistentry": factories.CuratedListEntryFactory,
    }
    return makers[label]() if label in makers else None


def admin_pages(model, model_admin, obj):
    """(page, url) for every admin page of the model, custom ones included."""
    info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    pages = [("changelist", reverse(f"{info}_changelist")), ("add", reverse(f"{info}_add"))]
    if obj is not None:
        for page in ("change", "delete", "history"):
            pages.append((page, reverse(f"{info}_{page}", args=[obj.pk])))
        history = getattr(obj, "history", None)
        if history is not None and history.exists():
            version = history.first().history_id
            url = reverse(f"{info}_simple_history", args=[obj.pk, version])
            pages.append(("history version", url))
    for pattern in model_admin.get_urls():
        name = getattr(pattern, "name", None) or ""
        standard = {f"{info[6:]}_{page}" for page in ("changelist", "add", "change", "delete")}
        if not name or name in standard | {f"{info[6:]}_history", f"{info[6:]}_simple_history"}:
            continue
        try:
            url = reverse(f"admin:{name}", args=[obj.pk] if obj is not None else [])
        except NoReverseMatch:
            url = reverse(f"admin:{name}")
        pages.append((name, url + PAGE_QUERIES.get(name, lambda: "")()))
    return pages


def two_films_to_merge():
    duplicate, survivor = factories.FilmFactory.create_batch(2)
    return f"?duplicate={duplicate.pk}&survivor={survivor.pk}"


# The query string a custom page needs to show itself (rather than explain what it lacks).
PAGE_QUERIES = {"catalogue_film_merge": two_films_to_merge}


def superuser_outcome(model_admin, page, request):
    """The admin's own design limits even superusers (e.g. entries are added in their list)."""
    if page == "add" and not model_admin.has_add_permission(request):
        return REFUSED
    if page == "delete" and not model_admin.has_delete_permission(request):
        return REFUSED
    return ALLOWED


def editor_outcome(label, page, expected_for_superuser):
    rights = EDITOR_RIGHTS.get(label, set())
    needed = {
        "changelist": "view",
        "add": "add",
        "change": "view",
        "delete": "delete",
        "history": "view",
        "history version": "view",
        "catalogue_verification_queue": "view",
        "lists_curatedlist_import": "add",
        "lists_curatedlist_publish": "change",
        "catalogue_film_merge": "change",
    }.get(page, "superuser only")  # e.g. a user's password change page
    if needed in rights and expected_for_superuser == ALLOWED:
        return ALLOWED
    return REFUSED


@pytest.mark.parametrize(
    "model", list(admin.site._registry), ids=lambda model: model._meta.label_lower
)
def test_admin_pages(client_as, rf, superuser, model):
    model_admin = admin.site._registry[model]
    label = model._meta.label_lower
    obj = make_object(model, superuser)
    request = rf.get("/")
    request.user = superuser
    mismatches = []
    for page, url in admin_pages(model, model_admin, obj):
        for_superuser = superuser_outcome(model_admin, page, request)
        expected = {
            "anonymous": LOGIN,
            "editor": editor_outcome(label, page, for_superuser),
            "superuser": for_superuser,
        }
        for role, wanted in expected.items():
            got = outcome(client_as(role).get(url))
            if got != wanted:
                mismatches.append(f"{role} {page} {url}: {got}, intended {wanted}")
    assert mismatches == []


def test_every_admin_model_is_classified_or_closed_to_editors(editors_group):
    """A newly registered model is closed to editors until someone adds it above."""
    granted = {
        f"{p.content_type.app_label}.{p.content_type.model}"
        for p in Permission.objects.filter(group=editors_group).select_related("content_type")
    }
    registered = {model._meta.label_lower for model in admin.site._registry}
    assert registered & granted == set(EDITOR_RIGHTS) & registered


@pytest.mark.parametrize(
    ("role", "wanted"), [("anonymous", LOGIN), ("editor", ALLOWED), ("superuser", ALLOWED)]
)
def test_everyone_signed_in_to_the_admin_manages_their_own_api_tokens(client_as, role, wanted):
    assert outcome(client_as(role).get(reverse("admin-own-tokens"))) == wanted


def test_editors_hold_no_permission_on_users_groups_or_tokens(editors_group):
    apps = set(editors_group.permissions.values_list("content_type__app_label", flat=True))

    assert apps <= {"catalogue", "lists", "pictures"}


def test_an_editor_cannot_make_themselves_a_superuser(client_as, editor):
    response = client_as("editor").post(
        reverse("admin:auth_user_change", args=[editor.pk]),
        {"username": "editor", "is_staff": "on", "is_superuser": "on", "is_active": "on"},
    )

    assert response.status_code == 403
    editor.refresh_from_db()
    assert not editor.is_superuser


def test_an_editor_cannot_delete_a_published_list(client_as):
    published = factories.CuratedListFactory()

    response = client_as("editor").post(
        reverse("admin:lists_curatedlist_delete", args=[published.pk]), {"post": "yes"}
    )

    assert response.status_code in (302, 403)
    assert CuratedList.objects.filter(pk=published.pk).exists()


# --- Admin actions ------------------------------------------------------------------------


def run_action(client, model, action, objects):
    info = f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
    return client.post(
        reverse(info),
        {"action": action, "_selected_action": [obj.pk for obj in objects], "post": "yes"},
    )


@pytest.mark.parametrize(
    ("role", "deleted"), [("anonymous", False), ("editor", False), ("superuser", True)]
)
def test_bulk_deleting_films(client_as, role, deleted):
    films = factories.FilmFactory.create_batch(2)

    run_action(client_as(role), Film, "delete_selected", films)

    assert Film.objects.filter(pk__in=[f.pk for f in films]).exists() is not deleted


@pytest.mark.parametrize(
    ("role", "deleted"), [("anonymous", False), ("editor", True), ("superuser", True)]
)
def test_bulk_deleting_awards(client_as, role, deleted):
    awards = factories.AwardFactory.create_batch(2)

    run_action(client_as(role), Award, "delete_selected", awards)

    assert Award.objects.filter(pk__in=[a.pk for a in awards]).exists() is not deleted


@pytest.mark.parametrize(
    ("role", "published"), [("anonymous", False), ("editor", True), ("superuser", True)]
)
def test_publishing_lists_from_the_changelist(client_as, role, published):
    draft = factories.CuratedListEntryFactory(curated_list=factories.DraftListFactory())
    draft_list = draft.curated_list

    run_action(client_as(role), CuratedList, "publish_selected", [draft_list])

    draft_list.refresh_from_db()
    assert draft_list.is_published is published


@pytest.fixture
def view_only_staff(staff_user):
    """Staff who may look at lists and entries but change nothing."""
    staff_user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_curatedlist", "view_curatedlistentry"])
    )
    return staff_user


@pytest.mark.parametrize(
    ("role", "moved"),
    [("anonymous", False), ("view-only staff", False), ("editor", True), ("superuser", True)],
)
def test_moving_a_list_entry_by_one_place(client_as, view_only_staff, role, moved):
    curated_list = factories.DraftListFactory()
    first = factories.CuratedListEntryFactory(curated_list=curated_list, position=1)
    factories.CuratedListEntryFactory(curated_list=curated_list, position=2)
    if role == "view-only staff":
        client = client_as("anonymous")
        client.force_login(view_only_staff)
    else:
        client = client_as(role)
    data = {
        "title_en": curated_list.title,
        "slug": curated_list.slug,
        "entries-TOTAL_FORMS": "2",
        "entries-INITIAL_FORMS": "2",
        "covers-TOTAL_FORMS": "0",  # the list's cover pictures, none
        "covers-INITIAL_FORMS": "0",
        "_move": "0:down",
    }
    for index, entry in enumerate(curated_list.entries.order_by("position")):
        data |= {
            f"entries-{index}-id": entry.pk,
            f"entries-{index}-curated_list": curated_list.pk,
            f"entries-{index}-film": entry.film_id,
            f"entries-{index}-position": entry.position,
            f"entries-{index}-verification": "unverified",
        }

    response = client.post(reverse("admin:lists_curatedlist_change", args=[curated_list.pk]), data)

    assert response.status_code in (302, 403)
    first.refresh_from_db()
    assert (first.position == 2) is moved


@pytest.mark.parametrize(
    ("role", "may_filter"), [("anonymous", False), ("staff", False), ("editor", True)]
)
def test_the_film_autocomplete_with_a_list_left_out(client_as, staff_user, role, may_filter):
    entry = factories.CuratedListEntryFactory()
    client = client_as("anonymous" if role == "staff" else role)
    if role == "staff":
        client.force_login(staff_user)

    response = client.get(
        reverse("admin:autocomplete"),
        {
            "term": entry.film.title,
            "app_label": "lists",
            "model_name": "curatedlistentry",
            "field_name": "film",
            "exclude_list": entry.curated_list_id,
        },
    )

    assert (response.status_code == 200) is may_filter
    assert response.status_code in (200, 302, 403)


@pytest.mark.parametrize(
    ("role", "imported"),
    [("anonymous", False), ("view-only staff", False), ("editor", True), ("superuser", True)],
)
def test_confirming_an_import_with_the_editors_choices(client_as, view_only_staff, role, imported):
    """The preview's choices (skip, new film, directors) go through the import page's own check."""
    if role == "view-only staff":
        client = client_as("anonymous")
        client.force_login(view_only_staff)
    else:
        client = client_as(role)
    document = "Stalker (1979)\nDescription: The Zone.\n\nMirror (1975)\nDescription: Memory.\n"
    url = reverse("admin:lists_curatedlist_import")
    # The signed payload is what an editor's preview would carry; anyone may hold a copy.
    payload = ConfirmImportForm.sign(
        text=document,
        filename="",
        options={"title": None, "replace": False, "create_credits": False},
        report=import_list(document, dry_run=True),
    )

    response = client.post(url, {"payload": payload, "choice-2": "skip"})

    assert response.status_code in (302, 403)
    assert CuratedList.objects.exists() is imported


@pytest.mark.parametrize(
    ("role", "published"),
    [("anonymous", False), ("staff", False), ("editor", True), ("superuser", True)],
)
def test_publishing_films_from_the_changelist(client_as, role, published):
    stub = factories.FilmFactory(is_published=False)

    run_action(client_as(role), Film, "publish_selected", [stub])

    stub.refresh_from_db()
    assert stub.is_published is published


@pytest.mark.parametrize(
    ("role", "published"),
    [("anonymous", False), ("staff", False), ("editor", True), ("superuser", True)],
)
def test_confirming_the_publication_of_a_list_with_unpublished_films(client_as, role, published):
    stub = factories.FilmFactory(is_published=False)
    entry = factories.CuratedListEntryFactory(curated_list=factories.DraftListFactory(), film=stub)

    client_as(role).post(reverse("admin:lists_curatedlist_publish", args=[entry.curated_list.pk]))

    stub.refresh_from_db()
    assert stub.is_published is published
    assert CuratedList.objects.get().is_published is published


@pytest.mark.parametrize(
    ("role", "merged"),
    [("anonymous", False), ("staff", False), ("editor", True), ("superuser", True)],
)
def test_merging_films(client_as, role, merged):
    duplicate, survivor = factories.FilmFactory.create_batch(2)
    client = client_as(role)

    opened = client.get(
        reverse("admin:catalogue_film_merge"),
        {"duplicate": duplicate.pk, "survivor": survivor.pk},
    )
    client.post(
        reverse("admin:catalogue_film_merge"),
        {"duplicate": duplicate.pk, "survivor": survivor.pk},
    )

    assert (opened.status_code == 200) is merged
    assert Film.objects.filter(pk=duplicate.pk).exists() is not merged


@pytest.mark.parametrize(
    ("role", "offered"),
    [("anonymous", False), ("staff", False), ("editor", True), ("superuser", True)],
)
def test_the_merge_action_opens_the_merge_page(client_as, role, offered):
    films = factories.FilmFactory.create_batch(2)

    response = run_action(client_as(role), Film, "merge_selected", films)

    opens_merge = response.status_code == 302 and "/merge/" in response["Location"]
    assert opens_merge is offered


@pytest.mark.parametrize("role", ["anonymous", "editor"])
def test_login_attempt_actions_are_for_superusers_only(client_as, role):
    attempt = AccessAttempt.objects.create(
        username="x", ip_address="203.0.113.1", failures_since_start=9
    )

    run_action(client_as(role), AccessAttempt, "delete_selected", [attempt])

    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()


# --- API writes ---------------------------------------------------------------------------

API_OK = {200, 201, 204}
API_REFUSED = {401, 403, 405}


def api(client, method, url, data=None):
    return getattr(client, method)(url, data=data, content_type="application/json")


@pytest.mark.parametrize(
    ("role", "may_write"), [("anonymous", False), ("editor", True), ("superuser", True)]
)
def test_api_film_writes(client_as, role, may_write):
    film = factories.FilmFactory(title="Original title")
    client = client_as(role)
    url = reverse("api:film-list")
    detail = f"{url}{film.slug}/"
    payload = {"title": "New film", "slug": f"new-film-{role}", "release_year": 1980}
    results = {
        "POST": api(client, "post", url, payload).status_code,
        "PUT": api(client, "put", detail, {**payload, "slug": film.slug}).status_code,
        "PATCH": api(client, "patch", detail, {"title": "Patched"}).status_code,
    }

    wanted = API_OK if may_write else API_REFUSED
    assert all(code in wanted for code in results.values()), results
    assert Film.objects.filter(slug=f"new-film-{role}").exists() is may_write
    film.refresh_from_db()
    assert (film.title == "Original title") is not may_write


@pytest.mark.parametrize(
    ("role", "may_delete_published_list"),
    [("anonymous", False), ("editor", False), ("superuser", True)],
)
def test_nobody_deletes_a_film_and_only_a_superuser_a_published_list_through_the_api(
    client_as, role, may_delete_published_list
):
    film = factories.FilmFactory()
    curated_list = factories.CuratedListFactory()
    client = client_as(role)

    film_response = api(client, "delete", f"{reverse('api:film-list')}{film.slug}/")
    list_response = api(client, "delete", f"{reverse('api:list-list')}{curated_list.slug}/")

    assert film_response.status_code in API_REFUSED
    assert Film.objects.filter(pk=film.pk).exists()
    assert (list_response.status_code == 204) is may_delete_published_list
    assert CuratedList.objects.filter(pk=curated_list.pk).exists() is not may_delete_published_list


@pytest.mark.parametrize(
    ("role", "may_write"), [("anonymous", False), ("editor", True), ("superuser", True)]
)
def test_api_list_and_entry_writes(client_as, role, may_write):
    entry = factories.CuratedListEntryFactory(blurb="Original blurb")
    curated_list = entry.curated_list
    other_film = factories.FilmFactory()
    client = client_as(role)
    lists_url = reverse("api:list-list")
    entries_url = f"{lists_url}{curated_list.slug}/entries/"
    results = {
        "POST list": api(
            client, "post", lists_url, {"title": "A new list", "slug": f"new-list-{role}"}
        ).status_code,
        "PATCH list": api(
            client, "patch", f"{lists_url}{curated_list.slug}/", {"title": "Patched"}
        ).status_code,
        "POST entry": api(
            client, "post", entries_url, {"film": other_film.slug, "position": 2}
        ).status_code,
        "PATCH entry": api(
            client, "patch", f"{entries_url}{entry.pk}/", {"blurb": "Patched blurb"}
        ).status_code,
    }

    wanted = API_OK if may_write else API_REFUSED
    assert all(code in wanted for code in results.values()), results
    assert CuratedList.objects.filter(slug=f"new-list-{role}").exists() is may_write
    assert curated_list.entries.filter(film=other_film).exists() is may_write
    entry.refresh_from_db()
    assert (entry.blurb == "Original blurb") is not may_write


def test_an_anonymous_write_is_answered_401_with_a_token_challenge(client):
    response = api(client, "post", reverse("api:film-list"), {"title": "x"})

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")


# --- Draft lists --------------------------------------------------------------------------

DRAFT_TITLE = "Secret draft about Tarkovsky"


@pytest.fixture
def draft():
    entry = factories.CuratedListEntryFactory(
        curated_list=factories.DraftListFactory(title=DRAFT_TITLE, slug="secret-draft")
    )
    return entry


def draft_views(entry):
    """Every page and endpoint that shows a list or mentions one."""
    film = entry.film
    return {
        "site list page": entry.curated_list.get_absolute_url(),
        "API list detail": f"{reverse('api:list-list')}{entry.curated_list.slug}/",
        "API list export": reverse("api:list-export", args=[entry.curated_list.slug]),
    }, {
        "site home": reverse("lists:home"),
        "site list index": reverse("lists:list-index"),
        "site film page": film.get_absolute_url(),
        "site search": reverse("catalogue:search") + "?q=Tarkovsky",
        "API lists": reverse("api:list-list"),
        "API film detail": f"{reverse('api:film-list')}{film.slug}/",
        "API search": reverse("api:search") + "?q=Tarkovsky",
        "sitemap": reverse("sitemap"),
        "sitemap of lists": reverse("sitemap-section", args=["lists"]),
        "feed": reverse("lists:feed"),
    }


def test_visitors_see_no_trace_of_a_draft_list(client, draft):
    own_pages, mentions = draft_views(draft)

    for name, url in own_pages.items():
        assert client.get(url).status_code == 404, name
    for name, url in mentions.items():
        response = client.get(url)
        assert response.status_code == 200, name
        body = response.content.decode()
        assert DRAFT_TITLE not in body, name
        assert "secret-draft" not in body, name


@pytest.mark.parametrize("role", ["editor", "superuser"])
def test_editors_see_the_draft_list_itself(client_as, draft, role):
    own_pages, _ = draft_views(draft)
    client = client_as(role)

    for name, url in own_pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        # The CSV export has no title line; its rows are the entries.
        shown = draft.film.title if "export" in name else DRAFT_TITLE
        assert shown in response.getvalue().decode(), name


def test_editors_see_drafts_in_the_api_list(client_as, draft):
    response = client_as("editor").get(reverse("api:list-list"))

    assert DRAFT_TITLE in response.content.decode()


def test_a_list_published_for_the_future_is_still_hidden(client):
    scheduled = factories.CuratedListFactory(
        published_at=timezone.now() + timezone.timedelta(days=1)
    )

    assert client.get(scheduled.get_absolute_url()).status_code == 404
    assert client.get(f"{reverse('api:list-list')}{scheduled.slug}/").status_code == 404


def test_entries_of_a_draft_list_cannot_be_written_anonymously(client, draft):
    url = f"{reverse('api:list-list')}{draft.curated_list.slug}/entries/{draft.pk}/"

    response = api(client, "patch", url, {"blurb": "defaced"})

    assert response.status_code in API_REFUSED | {404}  # 404: the draft is not even revealed
    assert CuratedListEntry.objects.get(pk=draft.pk).blurb != "defaced"
