"""Hostile and broken input against every page and endpoint that takes input: never a 5xx,
never a write from a refused request, never markup that runs.

The corpus: XSS payloads, SQL-like strings, 10 kB strings, NUL and control characters,
invalid UTF-8, wrong types, negative and huge page numbers, unknown slugs, malformed JSON,
deeply nested JSON and wrong content types.
"""

import json
from urllib.parse import quote, urlencode

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from api.parsers import LONE_SURROGATE
from api.serializers import (
    BLANK_FORM_VALUE,
    READ_ONLY_FIELD,
    REPEATED_FORM_VALUE,
    UNKNOWN_FIELD,
)
from catalogue.models import Award, Film, Verification
from discovery.filters import (
    NO_NUL,
    AwardFilter,
    CuratedListFilter,
    FilmFilter,
    OrganisationFilter,
    PersonFilter,
)
from lists.models import CuratedList, CuratedListEntry
from tests import factories
from tests.helpers import error_fields, json_ld_blocks

pytestmark = pytest.mark.django_db

XSS = "<script>alert(1)</script>"
XSS_BREAKOUT = "</script><script>alert(2)</script>"
XSS_ATTRIBUTE = '"><img src=x onerror=alert(3)>'
HOSTILE_MARKUP = (XSS, XSS_BREAKOUT, XSS_ATTRIBUTE)

STRINGS = {
    "xss": XSS,
    "xss breakout": XSS_BREAKOUT,
    "xss attribute": XSS_ATTRIBUTE,
    "sql": "' OR 1=1; DROP TABLE catalogue_film; --",
    "sql union": "1 UNION SELECT username, password FROM auth_user",
    "10 kB": "ж" * 5000 + "x" * 5000,
    "nul": "film\x00name",
    "control characters": "\x01\x02\x07\x1b[31m\r\n\t\x7f",
    "right-to-left override": "abc\u202edef",
    "emoji": "🎬🍿",
    "percent": "100%_%%",
    "negative": "-1",
    "zero": "0",
    "huge number": "99999999999999999999999999",
    "float overflow": "1e309",
    "not a number": "NaN",
    "list-like": "[1,2]",
    "empty": "",
    "whitespace": "   ",
}
# Per parameter, the payloads that reach the most code (the rest go in one request, below).
CORE = ["xss", "sql", "10 kB", "nul", "huge number", "negative"]
# Raw query strings that a form could not even produce.
# (%ED%A0%80 is U+D800 in CESU-8: a lone surrogate smuggled in as bytes.)
RAW_QUERIES = ["%ff%fe%fd", "%00", "a=%", "=&=&", "q=%E2%82", "page=" + "9" * 400]
RAW_QUERIES += ["q=%ED%A0%80", "genre=%ED%A0%80"]


def hostile_markup_echoed(response):
    """Did a payload come back as live markup (only HTML and XML are rendered)?"""
    content_type = response.get("Content-Type", "")
    if not content_type.startswith(("text/html", "application/xml", "application/atom+xml")):
        return False
    body = response.content.decode(errors="replace")
    return any(payload in body for payload in HOSTILE_MARKUP)


def assert_survives(response, label):
    assert response.status_code < 500, f"{label}: {response.status_code}"
    assert not hostile_markup_echoed(response), f"{label}: unescaped markup"


def query_parameters(filterset):
    return sorted(filterset.base_filters)


# --- GET endpoints with query parameters ----------------------------------------------

SITE_SEARCHES = {
    "catalogue:search": ["q", "page"],
    "catalogue:film-browse": [*query_parameters(FilmFilter), "page"],
    "lists:list-index": ["page"],
    "lists:home": ["page", "q"],
    "catalogue:award-index": [*query_parameters(AwardFilter), "page"],
}
API_SEARCHES = {
    "api:film-list": [*query_parameters(FilmFilter), "page", "page_size", "format"],
    "api:person-list": [*query_parameters(PersonFilter), "page"],
    "api:award-list": [*query_parameters(AwardFilter), "page"],
    "api:organisation-list": [*query_parameters(OrganisationFilter), "page"],
    "api:list-list": [*query_parameters(CuratedListFilter), "page"],
    "api:search": ["q", "page", "type"],
    "api:film-export": [*query_parameters(FilmFilter)],
}


@pytest.fixture
def catalogue():
    entry = factories.CuratedListEntryFactory()
    factories.CreditFactory(film=entry.film)
    factories.AwardFactory(film=entry.film)
    return entry


@pytest.mark.parametrize("url_name", [*SITE_SEARCHES, *API_SEARCHES])
def test_query_parameters_never_break_a_page(client, catalogue, url_name):
    url = reverse(url_name)
    parameters = {**SITE_SEARCHES, **API_SEARCHES}[url_name]
    for parameter in parameters:
        for label in CORE:
            response = client.get(url, {parameter: STRINGS[label]})
            assert_survives(response, f"{url}?{parameter}= {label}")
        # The same parameter twice, and as a list.
        assert_survives(client.get(f"{url}?{parameter}=1&{parameter}=2"), f"{parameter} twice")
        assert_survives(client.get(f"{url}?{parameter}[]=1"), f"{parameter}[]")
    for label, value in STRINGS.items():
        response = client.get(url, dict.fromkeys(parameters, value))
        assert_survives(response, f"{url} every parameter = {label}")
    for raw in RAW_QUERIES:
        assert_survives(client.get(f"{url}?{raw}"), f"{url}?{raw}")


@pytest.mark.parametrize("page", ["-1", "0", "99999999999999999999", "abc", "1.5", "2" * 1000])
def test_page_numbers_out_of_range(client, catalogue, page):
    for url in [
        reverse("catalogue:film-browse"),
        reverse("lists:list-index"),
        reverse("catalogue:search") + "?q=film",
        reverse("api:film-list"),
        reverse("api:list-list"),
        reverse("api:person-list"),
    ]:
        response = client.get(url, {"page": page})

        if url.startswith("/api/"):
            # The API says what is wrong with the page number; the site shows a page.
            assert response.status_code in (200, 400, 404), f"{url} page={page}"
            assert response["Content-Type"].startswith("application/json")
        else:
            assert response.status_code in (200, 404), f"{url} page={page}"


@pytest.mark.parametrize(
    "slug",
    ["no-such-thing", "x" * 500, "0", "-", "_", quote(XSS, safe=""), "%00", "..%2F..%2Fetc"],
)
def test_unknown_slugs_are_404(client, slug):
    for prefix in ["/films/", "/people/", "/lists/", "/api/v1/films/", "/api/v1/people/"]:
        response = client.get(f"{prefix}{slug}/")

        assert response.status_code == 404, f"{prefix}{slug}/"
        assert not hostile_markup_echoed(response)
    for path in [
        f"/api/v1/lists/{slug}/",
        f"/api/v1/lists/{slug}/export.csv",
        f"/api/v1/lists/{slug}/entries/1/",
    ]:
        assert client.get(path).status_code in (404, 405), path


def test_unknown_api_paths_are_json_404s(client):
    response = client.get(f"/api/v1/{quote(XSS, safe='')}/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


# --- API writes -----------------------------------------------------------------------

WRONG_TYPES = [None, 123, -1, 10**30, 1.5, True, [], {}, ["a"], {"a": 1}, "", XSS, "x" * 10_000]


def counts():
    return (Film.objects.count(), CuratedList.objects.count(), CuratedListEntry.objects.count())


def post_json(client, method, url, data):
    return getattr(client, method)(url, data=json.dumps(data), content_type="application/json")


def assert_refusal_writes_nothing(client, method, url, data, label):
    before = counts()
    if isinstance(data, bytes):
        response = getattr(client, method)(
            url, data=data, content_type="application/x-www-form-urlencoded"
        )
    else:
        response = post_json(client, method, url, data)
    assert response.status_code < 500, f"{label}: {response.status_code} {response.content[:300]}"
    if response.status_code >= 400:
        assert counts() == before, f"{label}: refused, but something was written"
        assert response["Content-Type"].startswith("application/json"), label
    return response


@pytest.mark.parametrize("field", ["title", "slug", "release_year", "countries", "genres"])
def test_film_writes_with_wrong_types(superuser_client, catalogue, field):
    url = reverse("api:film-list")
    detail = f"{url}{catalogue.film.slug}/"
    base = {"title": "A film", "release_year": 1975}
    for value in [*WRONG_TYPES, *STRINGS.values()]:
        label = f"{field}={value!r:.40}"
        created = assert_refusal_writes_nothing(
            superuser_client, "post", url, {**base, field: value}, f"POST {label}"
        )
        if created.status_code == 201:
            Film.objects.filter(pk=created.json()["id"]).delete()
        assert_refusal_writes_nothing(superuser_client, "patch", detail, {field: value}, label)


@pytest.mark.parametrize("field", ["title", "slug", "status", "published_at", "featured"])
def test_list_writes_with_wrong_types(superuser_client, catalogue, field):
    url = reverse("api:list-list")
    detail = f"{url}{catalogue.curated_list.slug}/"
    for value in [*WRONG_TYPES, "2026-13-45T99:00", "published"]:
        label = f"{field}={value!r:.40}"
        created = assert_refusal_writes_nothing(
            superuser_client, "post", url, {"title": "A list", field: value}, f"POST {label}"
        )
        if created.status_code == 201:
            CuratedList.objects.filter(pk=created.json()["id"]).delete()
        assert_refusal_writes_nothing(superuser_client, "patch", detail, {field: value}, label)


@pytest.mark.parametrize("field", ["film", "position", "blurb", "verification"])
def test_entry_writes_with_wrong_types(superuser_client, catalogue, field):
    entries = f"{reverse('api:list-list')}{catalogue.curated_list.slug}/entries/"
    other = factories.FilmFactory()
    for value in [*WRONG_TYPES, 0, 32768, 2**63, "no-such-film"]:
        label = f"{field}={value!r:.40}"
        base = {"film": other.slug, "position": 2}
        created = assert_refusal_writes_nothing(
            superuser_client, "post", entries, {**base, field: value}, f"POST {label}"
        )
        if created.status_code == 201:
            CuratedListEntry.objects.filter(pk=created.json()["id"]).delete()
        assert_refusal_writes_nothing(
            superuser_client, "patch", f"{entries}{catalogue.pk}/", {field: value}, label
        )
    for entry_id in ["0", "-1", "abc", "9" * 30]:
        response = post_json(superuser_client, "patch", f"{entries}{entry_id}/", {"blurb": "x"})
        assert response.status_code == 404


BROKEN_BODIES = {
    "truncated JSON": ("application/json", b'{"title": '),
    "not UTF-8": ("application/json", b"\xff\xfe not utf-8"),
    "nested 100000 deep": ("application/json", b"[" * 100_000 + b"]" * 100_000),
    "lone surrogate": ("application/json", b'{"title": "a\\ud800"}'),
    "NaN": ("application/json", b'{"title": "x", "release_year": NaN}'),
    "null": ("application/json", b"null"),
    "array": ("application/json", b"[]"),
    "bare string": ("application/json", b'"just a string"'),
    "empty JSON body": ("application/json", b""),
    "text/plain": ("text/plain", b"title=A film"),
    "XML": ("application/xml", b"<film><title>x</title></film>"),
    "broken multipart": ("multipart/form-data", b"not really multipart"),
}


@pytest.mark.parametrize("name", BROKEN_BODIES)
def test_malformed_bodies_and_wrong_content_types(superuser_client, catalogue, name):
    content_type, body = BROKEN_BODIES[name]
    targets = [
        ("post", reverse("api:film-list")),
        ("patch", f"{reverse('api:film-list')}{catalogue.film.slug}/"),
        ("post", reverse("api:list-list")),
        ("patch", f"{reverse('api:list-list')}{catalogue.curated_list.slug}/"),
        ("post", f"{reverse('api:list-list')}{catalogue.curated_list.slug}/entries/"),
    ]
    before = counts()
    for method, url in targets:
        response = getattr(superuser_client, method)(url, data=body, content_type=content_type)

        if method == "patch" and response.status_code == 200:
            continue  # nothing to change is a valid partial update (an empty body, say)
        assert 400 <= response.status_code < 500, f"{method} {url}: {response.status_code}"
    assert counts() == before


def test_form_encoded_writes_with_broken_bytes(superuser_client, catalogue):
    body = b"title=%ff%fe%00&release_year=%00&position=%ff"
    for url in [reverse("api:film-list"), reverse("api:list-list")]:
        assert_refusal_writes_nothing(superuser_client, "post", url, body, url)


@pytest.mark.parametrize("url_name", ["api:film-list", "api:list-list"])
@pytest.mark.parametrize("title", ["🎬🍿", "!!!"])
def test_a_title_with_nothing_to_make_a_slug_of_breaks_no_page(superuser_client, url_name, title):
    """Created without a slug, the row must still get a usable one, or be refused."""
    data = {"title": title, "release_year": 1975, "status": "published"}
    data["published_at"] = "2020-01-01T00:00:00Z"

    response = post_json(superuser_client, "post", reverse(url_name), data)

    assert response.status_code in (201, 400)
    if response.status_code == 201:
        assert response.json()["slug"], "created with an empty slug: its pages cannot be linked"
    superuser_client.logout()
    for name in ["lists:home", "lists:list-index", "catalogue:film-browse", "sitemap"]:
        assert superuser_client.get(reverse(name)).status_code == 200, name


def test_malformed_json_is_a_400_and_a_wrong_content_type_a_415(superuser_client):
    url = reverse("api:film-list")

    malformed = superuser_client.post(url, data=b'{"title": ', content_type="application/json")
    wrong_type = superuser_client.post(url, data=b"<film/>", content_type="application/xml")

    assert malformed.status_code == 400
    assert "JSON" in error_fields(malformed)["detail"][0]
    assert wrong_type.status_code == 415


# --- Lone surrogates, NUL characters and unknown fields -------------------------------

WRITE_TARGETS = [
    "POST films",
    "PUT film",
    "PATCH film",
    "POST lists",
    "PUT list",
    "PATCH list",
    "POST entries",
    "PUT entry",
    "PATCH entry",
]


def write_target(name, entry):
    """(method, URL, a body the endpoint accepts) for every write of the API."""
    films = reverse("api:film-list")
    lists = reverse("api:list-list")
    entries = f"{lists}{entry.curated_list.slug}/entries/"
    film = {"title": "A film", "release_year": 1975}
    list_entry = {"film": factories.FilmFactory().slug, "position": 7}
    return {
        "POST films": ("post", films, film),
        "PUT film": ("put", f"{films}{entry.film.slug}/", film),
        "PATCH film": ("patch", f"{films}{entry.film.slug}/", film),
        "POST lists": ("post", lists, {"title": "A list"}),
        "PUT list": ("put", f"{lists}{entry.curated_list.slug}/", {"title": "A list"}),
        "PATCH list": ("patch", f"{lists}{entry.curated_list.slug}/", {"title": "A list"}),
        "POST entries": ("post", entries, list_entry),
        "PUT entry": ("put", f"{entries}{entry.pk}/", list_entry),
        "PATCH entry": ("patch", f"{entries}{entry.pk}/", list_entry),
    }[name]


def send_form(client, method, url, data):
    return getattr(client, method)(
        url, data=urlencode(data, doseq=True), content_type="application/x-www-form-urlencoded"
    )


# json.dumps sends each as a \u escape, as a client would; "marker" must not come back.
LONE_SURROGATES = {
    "in a value": lambda body: {**body, "title": "marker\ud800"},
    "as a choice": lambda body: {**body, "status": "marker\ud800", "verification": "\ud800"},
    "high half at the end": lambda body: {**body, "title": "marker\udbff"},
    "low half alone": lambda body: {**body, "title": "\udc00marker"},
    "in a key": lambda body: {**body, "marker\ud800": "x"},
    "deep in a list": lambda body: {**body, "nested": [{"deeper": ["marker", "\udfff"]}]},
}


@pytest.mark.parametrize("placement", LONE_SURROGATES)
@pytest.mark.parametrize("target", WRITE_TARGETS)
def test_a_lone_surrogate_anywhere_in_json_is_a_400_that_does_not_echo_it(
    superuser_client, catalogue, target, placement
):
    method, url, body = write_target(target, catalogue)
    before = counts()

    response = post_json(superuser_client, method, url, LONE_SURROGATES[placement](body))

    assert response.status_code == 400
    assert error_fields(response) == {"detail": [LONE_SURROGATE]}
    assert "marker" not in response.content.decode()
    assert counts() == before


def test_a_complete_surrogate_pair_escape_is_text(superuser_client):
    body = json.dumps({"title": "\U0001f3ac Film", "release_year": 1975})
    assert "\\ud83c\\udfac" in body  # the pair, escaped

    response = superuser_client.post(
        reverse("api:film-list"), data=body, content_type="application/json"
    )

    assert response.status_code == 201
    assert Film.objects.get(pk=response.json()["id"]).title == "\U0001f3ac Film"


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/films/?q=%ED%A0%80",
        "/api/v1/films/?genre=%ED%A0%80",
        "/api/v1/films/export.csv?q=%ED%A0%80",
        "/api/v1/people/?q=%ED%A0%80",
        "/api/v1/lists/?q=%ED%A0%80",
        "/api/v1/search/?q=%ED%A0%80",
        "/api/v1/films/%ED%A0%80/",
        "/search/?q=%ED%A0%80",
        "/films/?genre=%ED%A0%80",
        "/films/?q=%ED%A0%80",
    ],
)
def test_a_surrogate_smuggled_into_a_url_as_cesu_8_is_handled(client, catalogue, url):
    response = client.get(url)

    assert response.status_code in (200, 400, 404)
    response.getvalue().decode("utf-8")  # the answer is UTF-8: no surrogate came back


NUL_SEARCHES = ["api:film-list", "api:search", "api:person-list", "api:list-list"]


@pytest.mark.parametrize("url_name", NUL_SEARCHES)
def test_a_nul_character_in_q_is_a_400_naming_q(client, url_name):
    response = client.get(reverse(url_name), {"q": "film\x00name"})

    assert response.status_code == 400
    assert list(error_fields(response)) == ["q"]


@pytest.mark.parametrize("url_name", NUL_SEARCHES)
def test_the_schema_says_q_may_not_contain_nul(client, url_name):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    path = reverse(url_name)
    (q,) = [p for p in schema["paths"][path]["get"]["parameters"] if p["name"] == "q"]

    assert q["schema"]["pattern"] == NO_NUL
    assert q["schema"]["maxLength"] == 200


@pytest.mark.parametrize("encoding", ["json", "form"])
@pytest.mark.parametrize("target", WRITE_TARGETS)
def test_an_unknown_field_is_a_400_naming_it(superuser_client, catalogue, target, encoding):
    method, url, body = write_target(target, catalogue)
    send = post_json if encoding == "json" else send_form
    before = counts()

    refused = send(superuser_client, method, url, {**body, "relase_year": "1975"})
    assert refused.status_code == 400
    assert error_fields(refused) == {"relase_year": [UNKNOWN_FIELD]}
    assert counts() == before

    # The same write without it goes through: the field alone was the problem.
    assert send(superuser_client, method, url, body).status_code in (200, 201)


@pytest.mark.parametrize("target", WRITE_TARGETS)
def test_a_read_only_field_in_a_write_is_a_400_naming_it(superuser_client, catalogue, target):
    method, url, body = write_target(target, catalogue)

    response = post_json(superuser_client, method, url, {**body, "id": 12345})

    assert response.status_code == 400
    assert error_fields(response) == {"id": [READ_ONLY_FIELD]}


@pytest.mark.parametrize(
    ("target", "field"),
    [
        ("POST films", "verification"),
        ("POST films", "slug"),
        ("PATCH film", "release_year"),
        ("POST lists", "status"),
        ("PATCH list", "published_at"),
        ("PATCH list", "featured"),
        ("POST entries", "position"),
        ("PATCH entry", "verification"),
    ],
)
def test_a_blank_form_value_is_a_400_not_a_default(superuser_client, catalogue, target, field):
    method, url, body = write_target(target, catalogue)
    before = counts()

    response = send_form(superuser_client, method, url, {**body, field: ""})

    assert response.status_code == 400
    assert error_fields(response) == {field: [BLANK_FORM_VALUE]}
    assert counts() == before


def test_a_blank_form_value_is_fine_where_blank_text_is(superuser_client):
    data = {"title": "A list", "introduction": ""}

    response = send_form(superuser_client, "post", reverse("api:list-list"), data)

    assert response.status_code == 201


@pytest.mark.parametrize(
    ("target", "field", "values"),
    [
        ("POST films", "release_year", ["1975", "1976"]),
        ("PATCH list", "status", ["draft", "published"]),
        ("POST entries", "position", ["3", "4"]),
    ],
)
def test_a_form_value_given_twice_is_a_400(superuser_client, catalogue, target, field, values):
    method, url, body = write_target(target, catalogue)

    response = send_form(superuser_client, method, url, {**body, field: values})

    assert response.status_code == 400
    assert error_fields(response) == {field: [REPEATED_FORM_VALUE]}


def test_a_many_valued_field_may_repeat_in_a_form(superuser_client):
    factories.CountryFactory(code="SU", name="Soviet Union")
    factories.CountryFactory(code="RU", name="Russia")
    data = {"title": "A film", "release_year": "1975", "countries": ["SU", "RU"]}

    response = send_form(superuser_client, "post", reverse("api:film-list"), data)

    assert response.status_code == 201
    assert sorted(country["code"] for country in response.json()["countries"]) == ["RU", "SU"]


def test_the_browsable_apis_form_token_is_not_an_unknown_field(superuser_client):
    data = {"title": "A film", "release_year": 1975, "csrfmiddlewaretoken": "token"}

    response = send_form(superuser_client, "post", reverse("api:film-list"), data)

    assert response.status_code == 201


def test_the_schema_says_write_bodies_allow_no_other_property(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    bodies = {
        name: component
        for name, component in schema["components"]["schemas"].items()
        if name.endswith("WriteRequest")
    }

    assert len(bodies) == 6  # films, lists and entries; each whole (POST, PUT) and patched
    for name, component in bodies.items():
        assert component["additionalProperties"] is False, name


# --- Admin ----------------------------------------------------------------------------


def changelist_urls():
    return [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
    ]


@pytest.mark.parametrize("url", changelist_urls())
def test_admin_changelist_search_sort_and_filters(client, superuser, catalogue, url):
    client.force_login(superuser)
    for parameter in ["q", "o", "p"]:
        for label in CORE:
            response = client.get(url, {parameter: STRINGS[label]})
            assert_survives(response, f"{url}?{parameter}= {label}")
    for label, value in STRINGS.items():
        response = client.get(url, {"q": value, "status": value, "verification": value, "e": value})
        assert_survives(response, f"{url} every filter = {label}")
    for raw in [*RAW_QUERIES, "o=999.-999", "p=-5", "release_year__gte=abc", "pk__in=a,b"]:
        assert_survives(client.get(f"{url}?{raw}"), f"{url}?{raw}")


def test_admin_autocomplete_with_hostile_terms(client, superuser, catalogue):
    client.force_login(superuser)
    url = reverse("admin:autocomplete")
    for label, value in STRINGS.items():
        for params in [
            {
                "term": value,
                "app_label": "lists",
                "model_name": "curatedlistentry",
                "field_name": "film",
            },
            {"term": value, "app_label": value, "model_name": value, "field_name": value},
        ]:
            response = client.get(url, params)
            # 400: a control character (the NUL payload) in any site address.
            assert response.status_code in (200, 400, 403, 404), f"autocomplete {label}"


def test_admin_film_form_with_hostile_values(client, superuser):
    client.force_login(superuser)
    url = reverse("admin:catalogue_film_add")
    for label, value in STRINGS.items():
        before = Film.objects.count()
        response = client.post(url, {"title": value, "slug": value, "release_year": value})
        assert_survives(response, f"film add {label}")
        if response.status_code == 200:  # the form again, with errors
            assert Film.objects.count() == before, label


def test_admin_verification_queue_with_hostile_input(client, superuser, catalogue):
    client.force_login(superuser)
    url = reverse("admin:catalogue_verification_queue")
    for label, value in STRINGS.items():
        response = client.get(url, {"kind": value, "status": value, "p": value})
        assert_survives(response, f"queue GET {label}")
        response = client.post(
            f"{url}?kind=awards",
            {"verdict": value, "note": value, "selected": [value, "-1", "0", "1.5", str(2**70)]},
        )
        assert_survives(response, f"queue POST {label}")
    assert not Award.objects.exclude(verification=Verification.UNVERIFIED).exists()


@pytest.mark.parametrize("forged_id", ["abc", "1.5", str(2**70), "-1 OR 1=1"])
def test_admin_action_with_a_forged_id_is_refused_with_a_message(
    client, superuser, catalogue, forged_id
):
    client.force_login(superuser)
    before = counts()

    response = client.post(
        reverse("admin:catalogue_award_changelist"),
        {"action": "delete_selected", "_selected_action": [forged_id], "post": "yes"},
        follow=True,
    )

    assert response.status_code == 200
    assert "Some selected rows do not exist; nothing was done." in response.text
    assert counts() == before


def test_admin_list_form_with_hostile_values(client, superuser, catalogue):
    client.force_login(superuser)
    url = reverse("admin:lists_curatedlist_add")
    for label, value in STRINGS.items():
        before = counts()
        response = client.post(url, {"title": value, "slug": value, "introduction": value})
        assert_survives(response, f"list add {label}")
        if response.status_code == 200:  # the form again, with errors
            assert counts() == before, label


# --- Import upload --------------------------------------------------------------------

UPLOADS = {
    "empty": b"",
    "binary": bytes(range(256)) * 40,
    "nul bytes": b"1. Film\x00 (1975)\n" * 20,
    "invalid utf-8": b"\xff\xfe\xfd list \x80\x81",
    "markup": f"# {XSS}\n\n1. {XSS_BREAKOUT} (1975)\n{XSS_ATTRIBUTE}\n".encode(),
    "sql": b"1. '; DROP TABLE lists_curatedlist; -- (1975)\n",
    "10 kB line": b"1. " + b"x" * 10_000 + b" (1975)\n",
    "csv with formula": b'Position,Name,Year\n1,=HYPERLINK("http://x"),1975\n',
    "too large": b"1. Film (1975)\n" * 80_000,
}


@pytest.mark.parametrize("name", UPLOADS)
def test_import_upload_with_bad_documents(client, superuser, name):
    client.force_login(superuser)
    url = reverse("admin:lists_curatedlist_import")
    before = counts()

    response = client.post(
        url,
        {"document": SimpleUploadedFile(f"{name}.txt", UPLOADS[name]), "title": XSS},
    )

    assert_survives(response, f"import {name}")
    assert counts() == before, "the upload step is a preview: nothing may be written"


def test_import_preview_confirm_with_a_forged_payload(client, superuser):
    client.force_login(superuser)
    before = counts()

    response = client.post(
        reverse("admin:lists_curatedlist_import"),
        {"payload": "forged:signature", "confirm": "1"},
    )

    assert response.status_code < 500
    assert counts() == before


# --- Stored XSS -----------------------------------------------------------------------


@pytest.fixture
def hostile_list():
    """Everything an editor types that the public sees, set to markup that tries to run."""
    curated_list = factories.CuratedListFactory(
        title=f"Best {XSS}", introduction=f"Intro {XSS_BREAKOUT} {XSS_ATTRIBUTE}", slug="hostile"
    )
    film = factories.FilmFactory(title=f"Film {XSS_BREAKOUT}", synopsis=XSS)
    entry = factories.CuratedListEntryFactory(
        curated_list=curated_list,
        film=film,
        position=1,
        blurb=f"{XSS} {XSS_BREAKOUT} {XSS_ATTRIBUTE}",
        fact=XSS_BREAKOUT,
    )
    credit = factories.CreditFactory(film=film, person=factories.PersonFactory(name=XSS))
    return entry, credit


def assert_inert(response, url):
    """No payload comes back as markup; JSON-LD holds it only as escaped JSON text."""
    body = response.content.decode()
    assert response.status_code == 200, url
    for payload in HOSTILE_MARKUP:
        assert payload not in body, f"{url} echoes {payload!r} unescaped"
    carried = []
    for block in json_ld_blocks(body):
        assert "<" not in block, f"{url}: JSON-LD carries a raw '<'"
        carried.append(json.dumps(json.loads(block), ensure_ascii=False))
    return carried


def test_a_hostile_blurb_is_inert_on_every_page_and_in_json_ld(client, superuser, hostile_list):
    entry, credit = hostile_list
    public_pages = [
        reverse("lists:home"),
        reverse("lists:list-index"),
        entry.curated_list.get_absolute_url(),
        entry.film.get_absolute_url(),
        credit.person.get_absolute_url(),
        reverse("catalogue:film-browse"),
        reverse("catalogue:search") + "?q=script",
        reverse("catalogue:search") + "?q=Best",
        reverse("lists:feed"),
        reverse("sitemap"),
    ]
    admin_pages = [
        reverse("admin:lists_curatedlist_changelist"),
        reverse("admin:lists_curatedlist_change", args=[entry.curated_list.pk]),
        reverse("admin:lists_curatedlist_history", args=[entry.curated_list.pk]),
        reverse("admin:catalogue_film_change", args=[entry.film.pk]),
        reverse("admin:catalogue_film_changelist") + "?q=script",
    ]
    json_ld = []
    for url in public_pages:
        json_ld += assert_inert(client.get(url), url)
    client.force_login(superuser)
    for url in admin_pages:
        assert_inert(client.get(url), url)

    # The payloads did reach the structured data, as text: the check above is not vacuous.
    assert any(XSS in text for text in json_ld)
    assert any(XSS_BREAKOUT in text for text in json_ld)


def test_the_hostile_text_is_kept_verbatim_as_data(client, hostile_list):
    """Escaping happens on output; the API returns the editor's text exactly (as JSON)."""
    entry, _ = hostile_list

    response = client.get(f"{reverse('api:list-list')}{entry.curated_list.slug}/")

    assert response["Content-Type"].startswith("application/json")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert XSS in json.dumps(response.json(), ensure_ascii=False)
