"""Roles: the Editors group (lists/roles.py, applied after every migrate), and
`manage.py create_editor`."""

import io

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command
from django.urls import reverse

# The group is applied after every migrate and flush; the fixture makes sure of it.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("editors_group")]


def editor_permissions():
    group = Group.objects.get(name="Editors")
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }


def test_editors_add_change_and_view_everything_in_catalogue_and_lists():
    permissions = editor_permissions()
    for model in ["catalogue.film", "catalogue.person", "catalogue.award", "lists.curatedlist"]:
        app_label, name = model.split(".")
        for action in ("add", "change", "view"):
            assert f"{app_label}.{action}_{name}" in permissions


def test_editors_see_history():
    assert {"catalogue.view_historicalfilm", "lists.view_historicalcuratedlistentry"} <= (
        editor_permissions()
    )


def test_editors_delete_claims_entries_and_lists_but_not_films_or_people():
    permissions = editor_permissions()
    assert {
        "catalogue.delete_credit",
        "catalogue.delete_award",
        "catalogue.delete_fact",
        "lists.delete_curatedlistentry",
        "lists.delete_curatedlist",
    } <= permissions
    assert not {"catalogue.delete_film", "catalogue.delete_person", "catalogue.delete_source"} & (
        permissions
    )


def test_editors_hold_no_user_management_or_other_apps_permissions():
    apps = {permission.split(".")[0] for permission in editor_permissions()}
    assert apps == {"catalogue", "lists", "pictures"}


def test_editors_group_has_exactly_the_expected_number_of_permissions():
    # 15 models x add/change/view, 7 history views, 8 deletes; 3 picture models x all four.
    assert len(editor_permissions()) == 15 * 3 + 7 + 8 + 3 * 4


def test_create_editor_from_an_environment_variable(client, monkeypatch):
    monkeypatch.setenv("EDITOR_PASSWORD", "a-long-Passphrase-42")
    out = io.StringIO()
    call_command(
        "create_editor",
        "anna",
        "--email",
        "anna@example.com",
        "--password-from-env",
        "EDITOR_PASSWORD",
        stdout=out,
    )
    anna = User.objects.get(username="anna")
    assert (anna.is_staff, anna.is_superuser, anna.email) == (True, False, "anna@example.com")
    assert list(anna.groups.values_list("name", flat=True)) == ["Editors"]
    assert "Created editor" in out.getvalue()
    login = {"username": "anna", "password": "a-long-Passphrase-42"}
    assert client.post(reverse("admin:login"), login).status_code == 302
    assert client.get(reverse("admin:catalogue_film_changelist")).status_code == 200


def test_create_editor_prompts_for_the_password_twice(monkeypatch):
    answers = iter(["a-long-Passphrase-42", "a-long-Passphrase-42"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    call_command("create_editor", "boris", stdout=io.StringIO())
    assert User.objects.get(username="boris").check_password("a-long-Passphrase-42")


def test_create_editor_refuses_mismatched_passwords(monkeypatch):
    answers = iter(["a-long-Passphrase-42", "another-Passphrase-42"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    with pytest.raises(CommandError, match="differ"):
        call_command("create_editor", "boris")
    assert not User.objects.filter(username="boris").exists()


def test_create_editor_refuses_a_weak_password(monkeypatch):
    monkeypatch.setenv("EDITOR_PASSWORD", "123")
    with pytest.raises(CommandError):
        call_command("create_editor", "anna", "--password-from-env", "EDITOR_PASSWORD")
    assert not User.objects.filter(username="anna").exists()


def test_create_editor_refuses_an_unset_variable(monkeypatch):
    monkeypatch.delenv("EDITOR_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="EDITOR_PASSWORD"):
        call_command("create_editor", "anna", "--password-from-env", "EDITOR_PASSWORD")


def test_create_editor_turns_an_existing_user_into_an_editor(monkeypatch):
    User.objects.create_user("clara")
    monkeypatch.setenv("EDITOR_PASSWORD", "a-long-Passphrase-42")
    call_command(
        "create_editor", "clara", "--password-from-env", "EDITOR_PASSWORD", stdout=io.StringIO()
    )
    clara = User.objects.get(username="clara")
    assert clara.is_staff and clara.groups.filter(name="Editors").exists()


@pytest.mark.parametrize(
    "username, email",
    [("", ""), ("bad name!", ""), ("x" * 151, ""), ("anna", "not-an-address")],
)
def test_create_editor_refuses_a_name_or_address_the_admin_would_not_take(
    monkeypatch, username, email
):
    monkeypatch.setenv("EDITOR_PASSWORD", "a-long-Passphrase-42")
    with pytest.raises(CommandError, match="Username|Email"):
        call_command(
            "create_editor", username, "--email", email, "--password-from-env", "EDITOR_PASSWORD"
        )
    assert not User.objects.exists()
