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
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from catalogue import querysets
from catalogue.choices import AwardOutcome, CreditRole, LocationKind
from core.models import (
    Searchable,
    SlugMixin,
    Timestamped,
    Verification,  # noqa: F401  (the claims' vocabulary, re-exported)
    Verified,
)
from core.languages import names_in_reading_order
from core.text_search import compose_search_text

FIRST_FILM_YEAR = 1890
LAST_FILM_YEAR = 2100
YEAR_VALIDATORS = [MinValueValidator(FIRST_FILM_YEAR), MaxValueValidator(LAST_FILM_YEAR)]
YEAR_RANGE_MESSAGE = f"Year must be between {FIRST_FILM_YEAR} and {LAST_FILM_YEAR}."


class Claim(Verified):
    """Something a document states: it keeps the sources that state it and an editor's
    verdict on it, so a document's error is kept as its claim and marked, never repeated."""

    sources = models.ManyToManyField(
        "catalogue.Source", blank=True, related_name="%(app_label)s_%(class)s_claims"
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

    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=Kind)
    url = models.URLField(blank=True)
    publisher = models.CharField(max_length=200, blank=True)
    filename = models.CharField(max_length=255, blank=True, help_text="The uploaded file's name.")
    text = models.TextField(blank=True, help_text="The document's full text, as received.")
    sha256 = models.CharField(
        max_length=64, blank=True, help_text="Digest of the text; recognises a re-import."
    )
    added_at = models.DateTimeField(auto_now_add=True)

    objects = querysets.SourceQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["sha256"], condition=~Q(sha256=""), name="source_unique_sha256"
            ),
        ]

    def __str__(self):
        return self.title


class Country(models.Model):
    """A production country; historical states (the Soviet Union) are countries too."""

    code = models.CharField(max_length=3, unique=True, help_text="ISO 3166 code (SU: USSR).")
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)

    objects = querysets.CountryQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code,)


class Genre(SlugMixin):
    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=100)

    objects = querysets.SlugQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Organisation(SlugMixin):
    """A studio, or a body that gives awards (an academy, a festival)."""

    class Kind(models.TextChoices):
        STUDIO = "studio", _("Studio")
        AWARD_BODY = "award_body", _("Award body")
        FESTIVAL = "festival", _("Film festival")

    slug = models.SlugField(max_length=120, unique=True)
    name = models.CharField(max_length=200)
    native_name = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=20, choices=Kind, db_index=True)
    country = models.ForeignKey(Country, null=True, blank=True, on_delete=models.PROTECT)

    objects = querysets.OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_awards_url(self):
        """Its awards: the awards index narrowed to it, scrolled to its section."""
        return f"{reverse('catalogue:award-index')}?organisation={self.slug}#{self.slug}"


class Place(SlugMixin):
    """A city, region or building a film is set in or was filmed at."""

    slug = models.SlugField(max_length=120, unique=True)
    name = models.CharField(max_length=200)
    native_name = models.CharField(max_length=200, blank=True)
    country = models.ForeignKey(Country, null=True, blank=True, on_delete=models.PROTECT)

    objects = querysets.SlugQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Person(SlugMixin, Searchable, Timestamped, Claim):
    """Anyone credited on, awarded for, or depicted in a film."""

    slug = models.SlugField(max_length=120, unique=True)
    name = models.CharField(max_length=200, help_text="Name in Latin script, as usually written.")
    native_name = models.CharField(max_length=200, blank=True, help_text="E.g. Cyrillic.")
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True)
    death_year = models.PositiveSmallIntegerField(null=True, blank=True)
    imdb_id = models.CharField(
        "IMDb ID",
        max_length=12,
        blank=True,
        validators=[RegexValidator(r"^nm\d{7,9}$", "An IMDb person ID looks like nm0580081.")],
    )
    wikidata_id = models.CharField(
        "Wikidata ID",
        max_length=16,
        blank=True,
        validators=[RegexValidator(r"^Q\d+$", "A Wikidata ID looks like Q12345.")],
    )

    history = HistoricalRecords(excluded_fields=["search_text"])
    objects = querysets.PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("catalogue:person-detail", kwargs={"slug": self.slug})

    def names_in(self, language):
        """[leading, second] Names for a reader of `language`: the native name leads in Russian."""
        return names_in_reading_order(self.name, self.native_name, "", language)

    def compose_search_text(self):
        """A person's name and native name."""
        return compose_search_text([self.name, self.native_name])


class Film(SlugMixin, Searchable, Timestamped, Claim):
    """A film. Its own verification says whether the film is known to exist as described."""

    slug_source_field = "title"

    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=300, help_text="Primary (usually English) title.")
    original_title = models.CharField(max_length=300, blank=True, help_text="E.g. Cyrillic.")
    original_language = models.CharField(max_length=8, blank=True, help_text="BCP 47, e.g. ru.")
    romanized_title = models.CharField(max_length=300, blank=True)
    release_year = models.PositiveSmallIntegerField(validators=YEAR_VALIDATORS, db_index=True)
    release_date = models.DateField(null=True, blank=True)
    runtime_minutes = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1)]
    )
    countries = models.ManyToManyField(Country, blank=True, related_name="films")
    genres = models.ManyToManyField(Genre, blank=True, related_name="films")
    studios = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="films",
        limit_choices_to={"kind": Organisation.Kind.STUDIO},
    )
    synopsis = models.TextField(blank=True, help_text="A short summary.")
    plot = models.TextField(blank=True, help_text="The long plot, as the source gives it.")
    admissions = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="Cinema tickets sold, where a source states it."
    )
    box_office_note = models.CharField(max_length=300, blank=True)
    imdb_id = models.CharField(
        "IMDb ID",
        max_length=12,
        blank=True,
        validators=[RegexValidator(r"^tt\d{7,9}$", "An IMDb title ID looks like tt0079579.")],
    )
    tmdb_id = models.PositiveIntegerField("TMDB ID", null=True, blank=True)
    wikidata_id = models.CharField(
        "Wikidata ID",
        max_length=16,
        blank=True,
        validators=[RegexValidator(r"^Q\d+$", "A Wikidata ID looks like Q12345.")],
    )
    kinopoisk_id = models.PositiveIntegerField("Kinopoisk ID", null=True, blank=True)
    is_published = models.BooleanField(
        "published",
        default=True,
        db_index=True,
        help_text="Visitors see the film. A list import creates unpublished films; they go "
        "public when an editor publishes them or a list that holds them.",
    )
    letterboxd_id = models.CharField(
        "Letterboxd ID",
        max_length=100,
        blank=True,
        help_text="Letterboxd's film ID (Wikidata P6127): the slug of letterboxd.com/film/…/.",
        validators=[
            RegexValidator(r"^[a-z0-9]+(-[a-z0-9]+)*$", "A Letterboxd ID looks like stalker.")
        ],
    )

    history = HistoricalRecords(excluded_fields=["search_text"])
    objects = querysets.FilmQuerySet.as_manager()

    class Meta:
        ordering = ["release_year", "title"]
        indexes = [
            # Browse and the API order by title or by the default (year, title); keyset-ready.
            models.Index(fields=["title", "id"], name="film_title_idx"),
            models.Index(fields=["release_year", "title", "id"], name="film_year_title_idx"),
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
        return reverse("catalogue:film-detail", kwargs={"slug": self.slug})

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
                {"release_date": "The release date must fall in the release year."}
            )


class FilmRedirect(models.Model):
    """An old film address that now leads to another film: the slug of a duplicate merged
    into `film`, so links to the duplicate keep working (a permanent redirect)."""

    old_slug = models.SlugField(max_length=120, unique=True)
    old_film_id = models.BigIntegerField(
        null=True,
        blank=True,
        db_index=True,
        help_text="The merged film's id: a list version naming it restores the film kept.",
    )
    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="redirects")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
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

    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="titles")
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.VARIANT)
    language = models.CharField(max_length=8, blank=True, help_text="BCP 47, e.g. en, ru.")
    note = models.CharField(max_length=300, blank=True)

    objects = querysets.FilmTitleQuerySet.as_manager()

    class Meta:
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

    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="credits")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="credits")
    role = models.CharField(max_length=20, choices=CreditRole, db_index=True)
    character = models.CharField(max_length=200, blank=True)
    billing_order = models.PositiveSmallIntegerField(null=True, blank=True)

    history = HistoricalRecords()
    objects = querysets.CreditQuerySet.as_manager()

    class Meta:
        ordering = ["film", "role", "billing_order", "person__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["film", "person", "role", "character"], name="credit_unique"
            ),
        ]

    def __str__(self):
        part = f" as {self.character}" if self.character else ""
        return f"{self.person} – {self.get_role_display()}{part} ({self.film.title})"

    def natural_key(self):
        return (self.film.slug, self.person.slug, self.role, self.character)

    natural_key.dependencies = ["catalogue.film", "catalogue.person"]


class Award(Claim):
    """A win or nomination: an organisation's category in one ceremony year, for a film."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="awards")
    category = models.CharField(max_length=200)
    ceremony_year = models.PositiveSmallIntegerField(validators=YEAR_VALIDATORS, db_index=True)
    ceremony_name = models.CharField(max_length=200, blank=True, help_text="53rd Academy Awards")
    film = models.ForeignKey(Film, on_delete=models.PROTECT, related_name="awards")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="awards"
    )
    nominee_note = models.CharField(
        max_length=200, blank=True, help_text="Who was named when not a person: 'Soviet Union'."
    )
    outcome = models.CharField(max_length=10, choices=AwardOutcome, db_index=True)

    history = HistoricalRecords()
    objects = querysets.AwardQuerySet.as_manager()

    class Meta:
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

    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="locations")
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="film_locations")
    kind = models.CharField(max_length=10, choices=LocationKind, db_index=True)
    period = models.CharField(max_length=100, blank=True, help_text="Narrative period: 1958.")
    period_start_year = models.SmallIntegerField(null=True, blank=True)
    period_end_year = models.SmallIntegerField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)

    objects = querysets.FilmLocationQuerySet.as_manager()

    class Meta:
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

    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="adapted_works")
    title = models.CharField(max_length=300, blank=True, help_text="Blank when not stated.")
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.OTHER)
    author = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="adapted_works"
    )
    published_year = models.SmallIntegerField(null=True, blank=True)

    objects = querysets.AdaptedWorkQuerySet.as_manager()

    class Meta:
        ordering = ["film", "title"]
        constraints = [
            models.UniqueConstraint(fields=["film", "title"], name="adapted_work_unique"),
        ]

    def __str__(self):
        by = f" by {self.author}" if self.author_id else ""
        return f"{self.get_kind_display()} {self.title or '(untitled)'}{by}"

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

    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="facts")
    key = models.SlugField(max_length=80, help_text="A short stable name for the fact.")
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.TRIVIA)
    text = models.TextField()

    history = HistoricalRecords()
    objects = querysets.FactQuerySet.as_manager()

    class Meta:
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
