"""The catalogue: films, people, credits, awards, places and the documents that state them.

Every claim a document makes (a credit, an award, a fact, a title, a location) keeps the
sources that stated it and an editorial verification status, so a document's error is
recorded as the document's claim and marked disputed, never repeated as truth.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from catalogue import querysets
from catalogue.choices import AwardOutcome, CreditRole, LocationKind
from core.addresses import slug_url
from core.languages import names_in_reading_order
from core.models import (
    ChangeTimed,
    Searchable,
    SlugMixin,
    Timestamped,
    Verification,  # noqa: F401  (the claims' vocabulary, re-exported)
    Verified,
)
from core.text_search import compose_search_text

FIRST_FILM_YEAR = 1890
LAST_FILM_YEAR = 2100
YEAR_VALIDATORS = [MinValueValidator(FIRST_FILM_YEAR), MaxValueValidator(LAST_FILM_YEAR)]
YEAR_RANGE_MESSAGE = format_lazy(
    _("Year must be between {first} and {last}."), first=FIRST_FILM_YEAR, last=LAST_FILM_YEAR
)


class Claim(Verified):
    """Something a document states: it keeps the sources that state it and an editor's
    verdict on it, so a document's error is kept as its claim and marked, never repeated."""

    sources = models.ManyToManyField(
        "catalogue.Source",
        blank=True,
        related_name="%(app_label)s_%(class)s_claims",
        verbose_name=_("sources"),
    )

    class Meta:
        abstract = True


class Source(SlugMixin):
    """A document the catalogue was built from (an article, a list, an upload)."""

    class Kind(models.TextChoices):
        LISTICLE = "listicle", _("Web listicle")
        ENCYCLOPEDIA = "encyclopedia", _("Encyclopedia article")
        CURATED_LIST = "curated_list", _("Curated list")
        LETTERBOXD = "letterboxd", _("Letterboxd list export")
        EDITORIAL = "editorial", _("Editorial research")

    slug_source_field = "title"

    slug = models.SlugField(max_length=120, unique=True, verbose_name=_("slug"))
    title = models.CharField(max_length=300, verbose_name=_("title"))
    kind = models.CharField(max_length=20, choices=Kind, verbose_name=_("kind"))
    url = models.URLField(blank=True, verbose_name=_("url"))
    publisher = models.CharField(max_length=200, blank=True, verbose_name=_("publisher"))
    filename = models.CharField(
        max_length=255,
        blank=True,
        help_text=_("The uploaded file's name."),
        verbose_name=_("filename"),
    )
    text = models.TextField(
        blank=True, help_text=_("The document's full text, as received."), verbose_name=_("text")
    )
    sha256 = models.CharField(
        max_length=64,
        blank=True,
        help_text=_("Digest of the text; recognises a re-import."),
        verbose_name=_("sha256"),
    )
    added_at = models.DateTimeField(auto_now_add=True, verbose_name=_("added at"))

    objects = querysets.SourceQuerySet.as_manager()

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["sha256"], condition=~Q(sha256=""), name="source_unique_sha256"
            ),
        ]

    def __str__(self):
        return self.title


class Country(ChangeTimed):
    """A production country; historical states (the Soviet Union) are countries too."""

    code = models.CharField(
        max_length=3, unique=True, help_text=_("ISO 3166 code (SU: USSR)."), verbose_name=_("code")
    )
    name = models.CharField(max_length=100, verbose_name=_("name"))
    slug = models.SlugField(max_length=100, unique=True, verbose_name=_("slug"))

    objects = querysets.CountryQuerySet.as_manager()

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code,)


GENRE_NAME_TAKEN = _(
    "Another genre already has this name: a reader could not tell them apart in the filter."
)


class Genre(SlugMixin, ChangeTimed):
    """A genre; its name is unique in each language (modeltranslation repeats the constraint
    for name_en and name_ru), since readers pick genres by name on the browse page."""

    slug = models.SlugField(max_length=100, unique=True, verbose_name=_("slug"))
    name = models.CharField(max_length=100, verbose_name=_("name"))

    objects = querysets.SlugQuerySet.as_manager()

    class Meta:
        verbose_name = _("genre")
        verbose_name_plural = _("genres")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name"],
                name="genre_name_unique",
                violation_error_message=GENRE_NAME_TAKEN,
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        """No two genres a reader could mistake: the constraint compares names as written,
        this in any case and across the languages (a genre named «Драма» in its English
        column would show beside «Драма» on a Russian page). Genres are few: compared here."""
        super().clean()
        mine = {name.casefold() for name in (self.name_en, self.name_ru) if name}
        for other in Genre.objects.exclude(pk=self.pk).values("name_en", "name_ru"):
            if mine & {name.casefold() for name in other.values() if name}:
                raise ValidationError(GENRE_NAME_TAKEN)


class Organisation(SlugMixin, ChangeTimed):
    """A studio, or a body that gives awards (an academy, a festival)."""

    class Kind(models.TextChoices):
        STUDIO = "studio", _("Studio")
        AWARD_BODY = "award_body", _("Award body")
        FESTIVAL = "festival", _("Film festival")

    slug = models.SlugField(max_length=120, unique=True, verbose_name=_("slug"))
    name = models.CharField(max_length=200, verbose_name=_("name"))
    native_name = models.CharField(max_length=200, blank=True, verbose_name=_("native name"))
    kind = models.CharField(max_length=20, choices=Kind, db_index=True, verbose_name=_("kind"))
    country = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("country")
    )

    objects = querysets.OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_awards_url(self):
        """Its awards: the awards index narrowed to it, scrolled to its section."""
        return f"{reverse('catalogue:award-index')}?organisation={self.slug}#{self.slug}"


class Place(SlugMixin, ChangeTimed):
    """A city, region or building a film is set in or was filmed at."""

    slug = models.SlugField(max_length=120, unique=True, verbose_name=_("slug"))
    name = models.CharField(max_length=200, verbose_name=_("name"))
    native_name = models.CharField(max_length=200, blank=True, verbose_name=_("native name"))
    country = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("country")
    )

    objects = querysets.SlugQuerySet.as_manager()

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Person(SlugMixin, Searchable, Timestamped, Claim):
    """Anyone credited on, awarded for, or depicted in a film."""

    slug = models.SlugField(max_length=120, unique=True, verbose_name=_("slug"))
    name = models.CharField(
        max_length=200,
        help_text=_("Name in Latin script, as usually written."),
        verbose_name=_("name"),
    )
    native_name = models.CharField(
        max_length=200, blank=True, help_text=_("E.g. Cyrillic."), verbose_name=_("native name")
    )
    birth_year = models.PositiveSmallIntegerField(
        null=True, blank=True, verbose_name=_("birth year")
    )
    death_year = models.PositiveSmallIntegerField(
        null=True, blank=True, verbose_name=_("death year")
    )
    imdb_id = models.CharField(
        _("IMDb ID"),
        max_length=12,
        blank=True,
        validators=[RegexValidator(r"^nm\d{7,9}$", _("An IMDb person ID looks like nm0580081."))],
    )
    wikidata_id = models.CharField(
        _("Wikidata ID"),
        max_length=16,
        blank=True,
        validators=[RegexValidator(r"^Q\d+$", _("A Wikidata ID looks like Q12345."))],
    )

    history = HistoricalRecords(excluded_fields=["search_text"])
    objects = querysets.PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_url("catalogue:person-detail", self.slug)

    def names_in(self, language):
        """[leading, second] Names for a reader of `language`: the native name leads in Russian."""
        return names_in_reading_order(self.name, self.native_name, "", language)

    def compose_search_text(self):
        """A person's name and native name."""
        return compose_search_text([self.name, self.native_name])


class Film(SlugMixin, Searchable, Timestamped, Claim):
    """A film. Its own verification says whether the film is known to exist as described."""

    slug_source_field = "title"

    slug = models.SlugField(max_length=120, unique=True, verbose_name=_("slug"))
    title = models.CharField(
        max_length=300, help_text=_("Primary (usually English) title."), verbose_name=_("title")
    )
    original_title = models.CharField(
        max_length=300, blank=True, help_text=_("E.g. Cyrillic."), verbose_name=_("original title")
    )
    original_language = models.CharField(
        max_length=8,
        blank=True,
        help_text=_("BCP 47, e.g. ru."),
        verbose_name=_("original language"),
    )
    romanized_title = models.CharField(
        max_length=300, blank=True, verbose_name=_("romanized title")
    )
    release_year = models.PositiveSmallIntegerField(
        validators=YEAR_VALIDATORS, db_index=True, verbose_name=_("release year")
    )
    release_date = models.DateField(null=True, blank=True, verbose_name=_("release date"))
    runtime_minutes = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1)], verbose_name=_("runtime minutes")
    )
    countries = models.ManyToManyField(
        Country, blank=True, related_name="films", verbose_name=_("countries")
    )
    genres = models.ManyToManyField(
        Genre, blank=True, related_name="films", verbose_name=_("genres")
    )
    studios = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="films",
        limit_choices_to={"kind": Organisation.Kind.STUDIO},
        verbose_name=_("studios"),
    )
    synopsis = models.TextField(
        blank=True, help_text=_("A short summary."), verbose_name=_("synopsis")
    )
    plot = models.TextField(
        blank=True, help_text=_("The long plot, as the source gives it."), verbose_name=_("plot")
    )
    admissions = models.PositiveBigIntegerField(
        null=True,
        blank=True,
        help_text=_("Cinema tickets sold, where a source states it."),
        verbose_name=_("admissions"),
    )
    box_office_note = models.CharField(
        max_length=300, blank=True, verbose_name=_("box office note")
    )
    imdb_id = models.CharField(
        _("IMDb ID"),
        max_length=12,
        blank=True,
        validators=[RegexValidator(r"^tt\d{7,9}$", _("An IMDb title ID looks like tt0079579."))],
    )
    tmdb_id = models.PositiveIntegerField(_("TMDB ID"), null=True, blank=True)
    wikidata_id = models.CharField(
        _("Wikidata ID"),
        max_length=16,
        blank=True,
        validators=[RegexValidator(r"^Q\d+$", _("A Wikidata ID looks like Q12345."))],
    )
    kinopoisk_id = models.PositiveIntegerField(_("Kinopoisk ID"), null=True, blank=True)
    is_published = models.BooleanField(
        _("published"),
        default=True,
        db_index=True,
        help_text=_(
            "Visitors see the film. A list import creates unpublished films; they go "
            "public when an editor publishes them or a list that holds them."
        ),
    )
    letterboxd_id = models.CharField(
        _("Letterboxd ID"),
        max_length=100,
        blank=True,
        help_text=_("Letterboxd's film ID (Wikidata P6127): the slug of letterboxd.com/film/…/."),
        validators=[
            RegexValidator(r"^[a-z0-9]+(-[a-z0-9]+)*$", _("A Letterboxd ID looks like stalker."))
        ],
    )

    history = HistoricalRecords(excluded_fields=["search_text"])
    objects = querysets.FilmQuerySet.as_manager()

    class Meta:
        verbose_name = _("film")
        verbose_name_plural = _("films")
        ordering = ["release_year", "title"]
        indexes = [
            # Browse and the API order by title or by the default (year, title); keyset-ready.
            models.Index(fields=["title", "id"], name="film_title_idx"),
            models.Index(fields=["release_year", "title", "id"], name="film_year_title_idx"),
            # Every public listing and count starts from the published films, by decade when
            # one is chosen: read from this index alone, without visiting the table's rows.
            models.Index(
                fields=["release_year", "id"],
                condition=Q(is_published=True),
                name="film_published_year_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(release_year__gte=FIRST_FILM_YEAR, release_year__lte=LAST_FILM_YEAR),
                name="film_release_year_in_range",
                violation_error_message=YEAR_RANGE_MESSAGE,
            ),
            models.CheckConstraint(
                condition=Q(runtime_minutes__isnull=True) | Q(runtime_minutes__gt=0),
                name="film_runtime_positive",
            ),
            models.CheckConstraint(condition=~Q(title=""), name="film_title_not_empty"),
            models.UniqueConstraint(
                fields=["imdb_id"], condition=~Q(imdb_id=""), name="film_unique_imdb_id"
            ),
            models.UniqueConstraint(
                fields=["wikidata_id"], condition=~Q(wikidata_id=""), name="film_unique_wikidata_id"
            ),
            models.UniqueConstraint(
                fields=["letterboxd_id"],
                condition=~Q(letterboxd_id=""),
                name="film_unique_letterboxd_id",
            ),
            models.UniqueConstraint(fields=["tmdb_id"], name="film_unique_tmdb_id"),
            models.UniqueConstraint(fields=["kinopoisk_id"], name="film_unique_kinopoisk_id"),
        ]

    def __str__(self):
        return f"{self.title} ({self.release_year})"

    @property
    def letterboxd_uri(self):
        """The film's page on Letterboxd, when its Letterboxd ID is known."""
        return f"https://letterboxd.com/film/{self.letterboxd_id}/" if self.letterboxd_id else ""

    def get_absolute_url(self):
        return slug_url("catalogue:film-detail", self.slug)

    def names_in(self, language):
        """[leading, second] Names for a reader of `language`: the original title leads in
        Russian, the English one in English."""
        return names_in_reading_order(
            self.title, self.original_title, self.original_language, language
        )

    def compose_search_text(self, titles=None, people=None):
        """Everything a film may be searched by: all titles, credited names, the synopsis.

        `titles` (FilmTitle rows) and `people` (credited Person rows) default to the film's
        own: prefetch `titles` and `credits__person` for many films, or pass rows in memory.
        """
        if titles is None:
            titles = self.titles.all()
        if people is None:
            people = [credit.person for credit in self.credits.all()]
        names = [self.title, self.original_title, self.romanized_title]
        names += [title.title for title in titles]
        people_names = []
        for person in people:
            people_names += [person.name, person.native_name]
        return compose_search_text(names, people_names, self.synopsis)

    @property
    def decade(self):
        return self.release_year - self.release_year % 10

    def clean(self):
        super().clean()
        if self.release_date and self.release_date.year != self.release_year:
            raise ValidationError(
                {"release_date": _("The release date must fall in the release year.")}
            )


class FilmRedirect(models.Model):
    """An old film address that now leads to another film: the slug of a duplicate merged
    into `film`, so links to the duplicate keep working (a permanent redirect)."""

    old_slug = models.SlugField(max_length=120, unique=True, verbose_name=_("old slug"))
    old_film_id = models.BigIntegerField(
        null=True,
        blank=True,
        db_index=True,
        help_text=_("The merged film's id: a list version naming it restores the film kept."),
        verbose_name=_("old film id"),
    )
    film = models.ForeignKey(
        Film, on_delete=models.CASCADE, related_name="redirects", verbose_name=_("film")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("film redirect")
        verbose_name_plural = _("film redirects")
        ordering = ["old_slug"]

    def __str__(self):
        return f"{self.old_slug} → {self.film.slug}"


class FilmTitle(Claim):
    """Another title a film is known by: English, working, translated or variant spelling."""

    class Kind(models.TextChoices):
        ENGLISH = "english", _("English title")
        VARIANT = "variant", _("Variant spelling")
        WORKING = "working", _("Working title")
        TRANSLATION = "translation", _("Translation")
        ROMANIZATION = "romanization", _("Romanization")

    film = models.ForeignKey(
        Film, on_delete=models.CASCADE, related_name="titles", verbose_name=_("film")
    )
    title = models.CharField(max_length=300, verbose_name=_("title"))
    kind = models.CharField(
        max_length=20, choices=Kind, default=Kind.VARIANT, verbose_name=_("kind")
    )
    language = models.CharField(
        max_length=8, blank=True, help_text=_("BCP 47, e.g. en, ru."), verbose_name=_("language")
    )
    note = models.CharField(max_length=300, blank=True, verbose_name=_("note"))

    objects = querysets.FilmTitleQuerySet.as_manager()

    class Meta:
        verbose_name = _("film title")
        verbose_name_plural = _("film titles")
        ordering = ["film", "kind", "title"]
        constraints = [
            models.UniqueConstraint(fields=["film", "title", "kind"], name="film_title_unique"),
            models.CheckConstraint(condition=~Q(title=""), name="film_title_alt_not_empty"),
        ]

    def __str__(self):
        return f"{self.title} ({self.get_kind_display()})"

    def natural_key(self):
        return (self.film.slug, self.title, self.kind)

    natural_key.dependencies = ["catalogue.film"]


class Credit(Claim):
    """A person's part in a film; an actor's credit names the character."""

    film = models.ForeignKey(
        Film, on_delete=models.CASCADE, related_name="credits", verbose_name=_("film")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="credits", verbose_name=_("person")
    )
    role = models.CharField(
        max_length=20, choices=CreditRole, db_index=True, verbose_name=_("role")
    )
    character = models.CharField(max_length=200, blank=True, verbose_name=_("character"))
    billing_order = models.PositiveSmallIntegerField(
        null=True, blank=True, verbose_name=_("billing order")
    )

    history = HistoricalRecords()
    objects = querysets.CreditQuerySet.as_manager()

    class Meta:
        verbose_name = _("credit")
        verbose_name_plural = _("credits")
        ordering = ["film", "role", "billing_order", "person__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["film", "person", "role", "character"], name="credit_unique"
            ),
        ]

    def __str__(self):
        if self.character:
            return gettext("{person} – {role} as {character} ({film})").format(
                person=self.person,
                role=self.get_role_display(),
                character=self.character,
                film=self.film.title,
            )
        return f"{self.person} – {self.get_role_display()} ({self.film.title})"

    def natural_key(self):
        return (self.film.slug, self.person.slug, self.role, self.character)

    natural_key.dependencies = ["catalogue.film", "catalogue.person"]


class Award(Claim):
    """A win or nomination: an organisation's category in one ceremony year, for a film."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="awards",
        verbose_name=_("organisation"),
    )
    category = models.CharField(max_length=200, verbose_name=_("category"))
    ceremony_year = models.PositiveSmallIntegerField(
        validators=YEAR_VALIDATORS, db_index=True, verbose_name=_("ceremony year")
    )
    ceremony_name = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("53rd Academy Awards"),
        verbose_name=_("ceremony name"),
    )
    film = models.ForeignKey(
        Film, on_delete=models.PROTECT, related_name="awards", verbose_name=_("film")
    )
    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="awards",
        verbose_name=_("person"),
    )
    nominee_country = models.ForeignKey(
        Country,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The country named as the nominee (a foreign-language film's Oscar)."),
        verbose_name=_("nominee country"),
    )
    nominee_note = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("Who was named when neither a person nor a country: 'the film crew'."),
        verbose_name=_("nominee note"),
    )
    outcome = models.CharField(
        max_length=10, choices=AwardOutcome, db_index=True, verbose_name=_("outcome")
    )

    history = HistoricalRecords()
    objects = querysets.AwardQuerySet.as_manager()

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["-ceremony_year", "organisation__name", "category"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ceremony_year__gte=FIRST_FILM_YEAR, ceremony_year__lte=LAST_FILM_YEAR),
                name="award_ceremony_year_in_range",
                violation_error_message=YEAR_RANGE_MESSAGE,
            ),
            models.UniqueConstraint(
                fields=["organisation", "category", "ceremony_year", "film", "person"],
                name="award_unique",
            ),
        ]

    def __str__(self):
        return (
            f"{self.organisation} {self.ceremony_year}: {self.category} "
            f"({self.get_outcome_display().lower()}) – {self.film.title}"
        )

    @property
    def ceremony_label(self):
        """The ceremony as a reader names it: "53rd Academy Awards, 1981" or "Cannes 1958"."""
        if self.ceremony_name:
            return f"{self.ceremony_name}, {self.ceremony_year}"
        return f"{self.organisation.name} {self.ceremony_year}"

    def natural_key(self):
        return (
            self.organisation.slug,
            self.category,
            self.ceremony_year,
            self.film.slug,
            self.person.slug if self.person_id else None,
        )

    natural_key.dependencies = ["catalogue.organisation", "catalogue.film", "catalogue.person"]


class FilmLocation(Claim):
    """Where a film is set (with its period) or where it was filmed: never confused."""

    film = models.ForeignKey(
        Film, on_delete=models.CASCADE, related_name="locations", verbose_name=_("film")
    )
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, related_name="film_locations", verbose_name=_("place")
    )
    kind = models.CharField(
        max_length=10, choices=LocationKind, db_index=True, verbose_name=_("kind")
    )
    period = models.CharField(
        max_length=100, blank=True, help_text=_("Narrative period: 1958."), verbose_name=_("period")
    )
    period_start_year = models.SmallIntegerField(
        null=True, blank=True, verbose_name=_("period start year")
    )
    period_end_year = models.SmallIntegerField(
        null=True, blank=True, verbose_name=_("period end year")
    )
    note = models.CharField(max_length=300, blank=True, verbose_name=_("note"))

    objects = querysets.FilmLocationQuerySet.as_manager()

    class Meta:
        verbose_name = _("film location")
        verbose_name_plural = _("film locations")
        ordering = ["film", "kind", "period_start_year", "place__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["film", "place", "kind", "period"], name="film_location_unique"
            ),
        ]

    def __str__(self):
        period = f", {self.period}" if self.period else ""
        return f"{self.get_kind_display()} {self.place}{period}"

    def natural_key(self):
        return (self.film.slug, self.place.slug, self.kind, self.period)

    natural_key.dependencies = ["catalogue.film", "catalogue.place"]


class AdaptedWork(Claim):
    """The novel, play, story or comic a film is based on."""

    class Kind(models.TextChoices):
        NOVEL = "novel", _("Novel")
        NOVELLA = "novella", _("Novella")
        PLAY = "play", _("Play")
        STORY = "story", _("Short story")
        GRAPHIC_NOVEL = "graphic_novel", _("Graphic novel")
        OTHER = "other", _("Other")

    film = models.ForeignKey(
        Film, on_delete=models.CASCADE, related_name="adapted_works", verbose_name=_("film")
    )
    title = models.CharField(
        max_length=300, blank=True, help_text=_("Blank when not stated."), verbose_name=_("title")
    )
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.OTHER, verbose_name=_("kind"))
    author = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="adapted_works",
        verbose_name=_("author"),
    )
    published_year = models.SmallIntegerField(
        null=True, blank=True, verbose_name=_("published year")
    )

    objects = querysets.AdaptedWorkQuerySet.as_manager()

    class Meta:
        verbose_name = _("adapted work")
        verbose_name_plural = _("adapted works")
        ordering = ["film", "title"]
        constraints = [
            models.UniqueConstraint(fields=["film", "title"], name="adapted_work_unique"),
        ]

    def __str__(self):
        title = self.title or gettext("(untitled)")
        if self.author_id:
            return gettext("{kind} {title} by {author}").format(
                kind=self.get_kind_display(), title=title, author=self.author
            )
        return f"{self.get_kind_display()} {title}"

    def natural_key(self):
        return (self.film.slug, self.title)

    natural_key.dependencies = ["catalogue.film"]


class Fact(Timestamped, Claim):
    """A statement about a film (trivia, production, reception), as a document made it."""

    class Kind(models.TextChoices):
        TRIVIA = "trivia", _("Trivia")
        PRODUCTION = "production", _("Production")
        RECEPTION = "reception", _("Reception")
        PLOT = "plot", _("Plot")

    film = models.ForeignKey(
        Film, on_delete=models.CASCADE, related_name="facts", verbose_name=_("film")
    )
    key = models.SlugField(
        max_length=80, help_text=_("A short stable name for the fact."), verbose_name=_("key")
    )
    kind = models.CharField(
        max_length=20, choices=Kind, default=Kind.TRIVIA, verbose_name=_("kind")
    )
    text = models.TextField(verbose_name=_("text"))

    history = HistoricalRecords()
    objects = querysets.FactQuerySet.as_manager()

    class Meta:
        verbose_name = _("fact")
        verbose_name_plural = _("facts")
        ordering = ["film", "kind", "key"]
        constraints = [
            models.UniqueConstraint(fields=["film", "key"], name="fact_unique_key"),
            models.CheckConstraint(condition=~Q(text=""), name="fact_text_not_empty"),
        ]

    def __str__(self):
        return f"{self.film.title}: {self.text[:60]}"

    def natural_key(self):
        return (self.film.slug, self.key)

    natural_key.dependencies = ["catalogue.film"]
