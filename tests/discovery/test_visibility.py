"""Drafts are seen by those whose permissions let them view lists (editors, superusers), never
merely because they are staff: on the list page, the film page, the API and the search."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from rest_framework.test import APIClient

from discovery.search import search
from discovery.visibility import may_see_drafts, visible_lists
from tests.factories import CuratedListEntryFactory, CuratedListFactory, DraftListFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft_entry():
    CuratedListFactory(slug="published-love", title="Published love stories")
    return CuratedListEntryFactory(
        curated_list=DraftListFactory(slug="draft-love", title="Draft love stories")
    )


@pytest.fixture
def list_viewer(django_user_model):
    """Not staff, but holding the permission to view lists."""
    user = django_user_model.objects.create_user("viewer")
    user.user_permissions.add(Permission.objects.get(codename="view_curatedlist"))
    return user


def sees_the_draft_everywhere(user, draft_entry, client):
    """Whether `user` sees the draft list on its page, in the film's "appears in", in the API
    and in the search: the answers must agree."""
    api = APIClient()
    if user is not None:
        client.force_login(user)
        api.force_authenticate(user)
    draft = draft_entry.curated_list
    answers = {
        "policy": may_see_drafts(user),
        "visible_lists": visible_lists(user).filter(pk=draft.pk).exists(),
        "list page": client.get(draft.get_absolute_url()).status_code == 200,
        "film page": draft.title in client.get(draft_entry.film.get_absolute_url()).text,
        "api detail": api.get(reverse("api:list-detail", args=[draft.slug])).status_code == 200,
        "api ?list=": bool(
            api.get(reverse("api:film-list"), {"list": draft.slug}).json()["results"]
        ),
        "search": any(found.pk == draft.pk for found in search("love stories", user=user).lists),
    }
    assert len(set(answers.values())) == 1, answers
    return answers["policy"]


def test_visitors_see_no_draft(draft_entry, client):
    assert not sees_the_draft_everywhere(None, draft_entry, client)


def test_staff_without_the_editors_role_see_no_draft(staff_user, draft_entry, client):
    assert not sees_the_draft_everywhere(staff_user, draft_entry, client)


def test_editors_see_drafts(editor, draft_entry, client):
    assert sees_the_draft_everywhere(editor, draft_entry, client)


def test_superusers_see_drafts(superuser, draft_entry, client):
    assert sees_the_draft_everywhere(superuser, draft_entry, client)


def test_the_permission_not_the_staff_flag_decides(list_viewer, draft_entry, client):
    assert sees_the_draft_everywhere(list_viewer, draft_entry, client)
