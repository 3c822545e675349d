"""After `seed --reset` the house works as the README says: the Editors role is back, an editor
can be created at once, and every seeded row has a first version a revert can go back to."""

from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from catalogue.models import Film
from lists.models import CuratedList
from lists.roles import EDITORS_GROUP, apply_roles, editor_permission_keys
from ops.management.commands.seed import SEED_REASON
from tests.helpers import change_form_data, entry_titles

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-Passphrase-42"


@pytest.fixture
def reset_seed():
    """`seed --reset` in the test's (rolled back) transaction; it flushes content types."""
    call_command("seed", "--reset", stdout=StringIO())
    yield
    ContentType.objects.clear_cache()


def group_permission_keys(name=EDITORS_GROUP):
    return {
        (permission.content_type.app_label, permission.codename)
        for permission in Group.objects.get(name=name).permissions.select_related("content_type")
    }


def make_editor(monkeypatch, username="anna"):
    monkeypatch.setenv("EDITOR_PASSWORD", PASSWORD)
    out = StringIO()
    call_command("create_editor", username, "--password-from-env", "EDITOR_PASSWORD", stdout=out)
    return User.objects.get(username=username), out.getvalue()


# --- Roles ------------------------------------------------------------------------------


@pytest.mark.usefixtures("reset_seed")
def test_after_a_reset_seed_create_editor_makes_an_editor_with_the_editors_rights(monkeypatch):
    editor, out = make_editor(monkeypatch)
    assert "Created editor" in out
    assert list(editor.groups.values_list("name", flat=True)) == [EDITORS_GROUP]
    assert group_permission_keys() == editor_permission_keys()
    assert editor.has_perm("lists.change_curatedlist")
    assert not editor.is_superuser

    client = Client()
    assert client.post(reverse("admin:login"), {"username": "anna", "password": PASSWORD})
    assert client.get(reverse("admin:lists_curatedlist_changelist")).status_code == 200


def test_create_editor_puts_back_a_missing_group_instead_of_sending_you_to_migrate(monkeypatch):
    Group.objects.filter(name=EDITORS_GROUP).delete()
    editor, _ = make_editor(monkeypatch)
    assert editor.groups.get().name == EDITORS_GROUP
    assert group_permission_keys() == editor_permission_keys()


def test_migrate_puts_back_the_group_with_exactly_its_permissions():
    group = Group.objects.get(name=EDITORS_GROUP)
    group.permissions.add(Permission.objects.get(codename="delete_user"))
    group.permissions.remove(*group.permissions.filter(codename="change_film"))
    call_command("migrate", verbosity=0)  # nothing to apply; post_migrate still runs
    assert group_permission_keys() == editor_permission_keys()
    Group.objects.filter(name=EDITORS_GROUP).delete()
    call_command("migrate", verbosity=0)
    assert group_permission_keys() == editor_permission_keys()


def test_applying_the_roles_twice_changes_nothing():
    first = apply_roles()[EDITORS_GROUP]
    second = apply_roles()[EDITORS_GROUP]
    assert first.pk == second.pk
    assert Group.objects.filter(name=EDITORS_GROUP).count() == 1
    assert group_permission_keys() == editor_permission_keys()


# --- Seeded history ---------------------------------------------------------------------


def history_models():
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in ("catalogue", "lists")
        and hasattr(model._meta, "simple_history_manager_attribute")
    ]


@pytest.mark.usefixtures("reset_seed")
def test_every_seeded_row_has_one_first_version_and_a_lists_holds_its_entries():
    for model in history_models():
        history = model.history
        assert history.count() == model.objects.count() > 0, model
        assert set(history.values_list("history_change_reason", flat=True)) == {SEED_REASON}
        assert set(history.values_list("history_type", flat=True)) == {"+"}
    love = CuratedList.objects.get(slug="soviet-films-about-love")
    (version,) = love.history.all()
    assert [row["film_title"] for row in version.entries_snapshot] == entry_titles(love)
    assert len(version.entries_snapshot) == 10

    call_command("seed", stdout=StringIO())  # loading again adds no second first version
    for model in history_models():
        assert model.history.count() == model.objects.count(), model


@pytest.mark.usefixtures("reset_seed")
def test_a_seeded_film_edited_once_can_be_reverted_to_its_first_version(monkeypatch):
    editor, _ = make_editor(monkeypatch)
    client = Client()
    client.force_login(editor)
    film = Film.objects.get(slug="the-cranes-are-flying")
    url = reverse("admin:catalogue_film_change", args=[film.pk])
    client.post(url, change_form_data(client.get(url), title="The Cranes Fly"))
    film.refresh_from_db()
    assert film.title == "The Cranes Fly"

    history = client.get(reverse("admin:catalogue_film_history", args=[film.pk]))
    assert "title: The Cranes Are Flying → The Cranes Fly" in history.text
    assert "Loaded from seed" in history.text
    first = film.history.earliest()
    version_url = reverse("admin:catalogue_film_simple_history", args=[film.pk, first.history_id])
    page = client.get(version_url)
    assert "title: The Cranes Fly → The Cranes Are Flying" in page.text
    client.post(version_url, change_form_data(page, confirm_revert="yes"))

    film.refresh_from_db()
    assert film.title == "The Cranes Are Flying"
    assert film.history.latest().history_change_reason.startswith("Reverted to the version of")
