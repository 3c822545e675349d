"""Pictures of films (posters, stills), people (portraits) and lists (covers).

Each picture is a claim like any other: an editor verifies it, and it names its author, its
source and the licence it is shown under. The stored original is the cleaned upload (metadata
stripped, orientation applied); the renditions pages serve are listed in `renditions`.
"""

import json

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import BooleanField, FilteredRelation, JSONField, OuterRef, Q, Value
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from catalogue.models import Film, Person
from core.models import Timestamped, Verified
from core.querysets import json_rows
from lists.models import CuratedList
from pictures import querysets
from pictures.choices import LICENCE_URLS, LICENCES_NEEDING_NOTE, Licence, PictureKind

ALT_TEXT_REQUIRED = _("Describe the picture for readers who cannot see it (alt text).")
LICENCE_NOTE_REQUIRED = _("Say why this picture may be shown under this licence.")
ONE_PRIMARY = _("This object already has a primary picture of this kind.")


def original_upload_to(picture, filename):
    """Originals are named by their content hash: the same file uploaded twice is stored once,
    and a name says nothing about the upload's original name."""
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"pictures/originals/{picture.content_hash[:2]}/{picture.content_hash}.{extension}"


class Picture(Verified, Timestamped):
    """A picture of one object, with the credit and licence it is shown under."""

    owner_field = None  # the name of the foreign key to the pictured object
    kinds = ()  # the kinds this object's pictures may be

    kind = models.CharField(max_length=10, choices=PictureKind, verbose_name=_("kind"))
    file = models.ImageField(
        upload_to=original_upload_to,
        width_field="width",
        height_field="height",
        max_length=200,
        verbose_name=_("file"),
    )
    width = models.PositiveIntegerField(editable=False, default=0, verbose_name=_("width"))
    height = models.PositiveIntegerField(editable=False, default=0, verbose_name=_("height"))
    content_hash = models.CharField(
        max_length=64, editable=False, db_index=True, verbose_name=_("content hash")
    )
    renditions = models.JSONField(
        default=list,
        blank=True,
        editable=False,
        help_text=_("The resized copies pages serve."),
        verbose_name=_("renditions"),
    )
    alt_text = models.CharField(
        max_length=300,
        help_text=_("What the picture shows, for readers who cannot see it."),
        verbose_name=_("alt text"),
    )
    caption = models.CharField(max_length=300, blank=True, verbose_name=_("caption"))
    author = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("Photographer, artist or studio, as credited."),
        verbose_name=_("author"),
    )
    source_url = models.URLField(
        _("source URL"), blank=True, help_text=_("Where the picture was found.")
    )
    licence = models.CharField(max_length=16, choices=Licence, verbose_name=_("licence"))
    licence_note = models.TextField(
        blank=True,
        help_text=_("Required for fair use and permission: why it may be shown."),
        verbose_name=_("licence note"),
    )
    is_primary = models.BooleanField(
        _("primary"), default=False, help_text=_("Shown on cards and at the top of the page.")
    )

    objects = querysets.PictureQuerySet.as_manager()
    # Every picture model keeps its versions, like the claims it illustrates: who changed
    # the credit or licence, and why (core/history.py).
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True

    def __str__(self):
        return gettext("{kind} of {owner}").format(kind=self.get_kind_display(), owner=self.owner)

    @property
    def owner(self):
        return getattr(self, self.owner_field)

    @property
    def licence_url(self):
        return LICENCE_URLS.get(self.licence, "")

    @property
    def aspect_ratio(self):
        return self.width / self.height if self.height else 0

    def clean(self):
        super().clean()
        errors = {}
        if self.kind and self.kind not in self.kinds:
            allowed = ", ".join(kind.label.lower() for kind in self.kinds)
            errors["kind"] = _("A picture of this object may be a {kinds}.").format(kinds=allowed)
        if not (self.alt_text or "").strip():
            errors["alt_text"] = ALT_TEXT_REQUIRED
        if self.licence in LICENCES_NEEDING_NOTE and not self.licence_note.strip():
            errors["licence_note"] = LICENCE_NOTE_REQUIRED
        if errors:
            raise ValidationError(errors)

    def get_constraints(self):
        """The constraints a form checks: all but one-primary-per-kind, because storing a
        primary picture demotes the previous one (pictures.services.store_picture). The
        database still holds that rule."""
        return [
            (model, [c for c in constraints if not c.name.endswith("_one_primary_per_kind")])
            for model, constraints in super().get_constraints()
        ]

    def get_absolute_url(self):
        return reverse(
            "catalogue:picture-detail", kwargs={"owner": self.owner_field, "pk": self.pk}
        )


def picture_constraints(owner_field, kinds, prefix):
    """The database's half of the rules in Picture.clean(), and one primary per kind."""
    return [
        models.UniqueConstraint(
            fields=[owner_field, "kind"],
            condition=Q(is_primary=True),
            name=f"{prefix}_one_primary_per_kind",
            violation_error_message=ONE_PRIMARY,
        ),
        models.CheckConstraint(
            condition=Q(kind__in=[kind.value for kind in kinds]), name=f"{prefix}_kind_allowed"
        ),
        models.CheckConstraint(
            condition=~Q(alt_text=""),
            name=f"{prefix}_alt_text_not_empty",
            violation_error_message=ALT_TEXT_REQUIRED,
        ),
        models.CheckConstraint(
            condition=~Q(licence__in=[licence.value for licence in LICENCES_NEEDING_NOTE])
            | ~Q(licence_note=""),
            name=f"{prefix}_licence_note_when_needed",
            violation_error_message=LICENCE_NOTE_REQUIRED,
        ),
    ]


FILM_KINDS = (PictureKind.POSTER, PictureKind.STILL)


class FilmPicture(Picture):
    """A film's poster or a still from it."""

    owner_field = "film"
    kinds = FILM_KINDS

    film = models.ForeignKey(
        Film, on_delete=models.CASCADE, related_name="pictures", verbose_name=_("film")
    )

    class Meta:
        verbose_name = _("film picture")
        verbose_name_plural = _("film pictures")
        ordering = ["film", "-is_primary", "kind", "created_at"]
        constraints = picture_constraints("film", FILM_KINDS, "film_picture")


class PersonPicture(Picture):
    """A portrait of a person."""

    owner_field = "person"
    kinds = (PictureKind.PORTRAIT,)

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="pictures", verbose_name=_("person")
    )
    kind = models.CharField(
        max_length=10, choices=PictureKind, default=PictureKind.PORTRAIT, verbose_name=_("kind")
    )

    class Meta:
        verbose_name = _("person picture")
        verbose_name_plural = _("person pictures")
        ordering = ["person", "-is_primary", "created_at"]
        constraints = picture_constraints("person", (PictureKind.PORTRAIT,), "person_picture")


class ListCover(Picture):
    """The cover picture of a curated list."""

    owner_field = "curated_list"
    kinds = (PictureKind.COVER,)

    curated_list = models.ForeignKey(
        CuratedList, on_delete=models.CASCADE, related_name="covers", verbose_name=_("curated list")
    )
    kind = models.CharField(
        max_length=10, choices=PictureKind, default=PictureKind.COVER, verbose_name=_("kind")
    )

    class Meta:
        verbose_name = _("list cover")
        verbose_name_plural = _("list covers")
        ordering = ["curated_list", "-is_primary", "created_at"]
        constraints = picture_constraints("curated_list", (PictureKind.COVER,), "list_cover")


PICTURE_MODELS = {model.owner_field: model for model in (FilmPicture, PersonPicture, ListCover)}


def poster_prefetch(lookup="pictures"):
    """A film's primary poster into `film.primary_posters`; `lookup` reaches the films'
    pictures from the rows a page lists (e.g. "entries__film__pictures")."""
    return FilmPicture.objects.primary_prefetch(lookup, PictureKind.POSTER, "primary_posters")


def with_cover_joined(lists):
    """`lists` with each list's primary cover in `joined_cover` (or None), joined in the
    same query: list cards show covers at no query's cost. A list has at most one primary
    cover (a database constraint), so the join adds no rows."""
    primary = Q(covers__is_primary=True, covers__kind=PictureKind.COVER)
    # A list without a cover gets no `joined_cover` attribute at all: `cover_joined` says
    # the join was made, so the display does not query for it.
    return lists.annotate(
        joined_cover=FilteredRelation("covers", condition=primary),
        cover_joined=Value(True, output_field=BooleanField()),
    ).select_related("joined_cover")


# Pictures folded into a JSON column of the object's own query: a page or API detail showing
# one object's pictures (or each card's primary poster) costs no query of its own for them.


def pictures_column(model, primary_kind=None, owner="pk"):
    """A subquery: the pictures of the outer row (`owner` names its key) as JSON rows of every
    column, or only its primary picture of `primary_kind`; None when it has none."""
    pictures = model.objects.filter(**{model.owner_field: OuterRef(owner)})
    if primary_kind is not None:
        pictures = pictures.primary().of_kind(primary_kind)
    columns = {field.attname: field.attname for field in model._meta.concrete_fields}
    return json_rows(pictures, model.owner_field, **columns)


def pictures_from_rows(model, rows):
    """The pictures of a JSON column (pictures_column) as model rows, in display order."""
    names = [field.attname for field in model._meta.concrete_fields]
    pictures = []
    for row in rows or ():
        values = []
        for field in model._meta.concrete_fields:
            value = row.get(field.attname)
            if isinstance(field, JSONField):
                # SQLite's JSON_OBJECT carries a JSON column as its text.
                value = json.loads(value) if isinstance(value, str) else value
            else:
                value = field.to_python(value)
            values.append(value)
        pictures.append(model.from_db("default", names, values))
    return sorted(pictures, key=lambda p: (not p.is_primary, p.kind, p.created_at, p.pk))


def poster_column(owner="pk"):
    """A film's primary poster as a JSON column `primary_posters` reads (display.film_poster)."""
    return pictures_column(FilmPicture, PictureKind.POSTER, owner)


def portrait_column():
    return pictures_column(PersonPicture, PictureKind.PORTRAIT)


def cover_column():
    return pictures_column(ListCover, PictureKind.COVER)


def list_posters_column():
    """The primary posters of a list's films as one JSON column of the list, for
    spread_posters: a list page of 100 films costs no query for their posters."""
    posters = FilmPicture.objects.primary().of_kind(PictureKind.POSTER)
    posters = posters.filter(film__list_entries__curated_list=OuterRef("pk"))
    columns = {field.attname: field.attname for field in FilmPicture._meta.concrete_fields}
    return json_rows(posters, "film__list_entries__curated_list", **columns)


def spread_posters(films, rows):
    """Give each of `films` its primary poster (`primary_posters`, as poster_prefetch does)
    from JSON rows of posters (list_posters_column)."""
    by_film = {poster.film_id: poster for poster in pictures_from_rows(FilmPicture, rows)}
    for film in films:
        film.primary_posters = [by_film[film.pk]] if film.pk in by_film else []


def gallery_column(model):
    """All pictures of an object as a JSON column (the API's details: `gallery`)."""
    return pictures_column(model)


def gallery(obj, model):
    """An object's pictures in display order: from its `picture_rows` JSON column
    (gallery_column) when its query has it, else one query."""
    if hasattr(obj, "picture_rows"):
        return pictures_from_rows(model, obj.picture_rows)
    relation = model._meta.get_field(model.owner_field).remote_field.related_name
    return getattr(obj, relation).in_display_order()
