"""Curated, themed lists of films with an editor's blurb and a trivia fact per entry."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from catalogue.models import Film, Source
from core.addresses import slug_url
from core.models import Searchable, SlugMixin, Timestamped, Verified
from core.text_search import compose_search_text
from lists import querysets
from lists.choices import ListStatus


class ListVersion(models.Model):
    """What each historical version of a list holds beyond the list's own fields: all its
    entries as they stood (id, position, film, blurb, fact, verification), so reverting to
    the version restores exactly that list. Written by `lists/history.py`."""

    entries_snapshot = models.JSONField(
        null=True, blank=True, editable=False, verbose_name=_("entries snapshot")
    )

    class Meta:
        abstract = True


class CuratedList(SlugMixin, Searchable, Timestamped):
    """A themed, ordered list of films; visitors see it only once published."""

    Status = ListStatus

    slug_source_field = "title"

    slug = models.SlugField(max_length=120, unique=True, verbose_name=_("slug"))
    title = models.CharField(max_length=300, verbose_name=_("title"))
    introduction = models.TextField(blank=True, verbose_name=_("introduction"))
    status = models.CharField(
        max_length=10, choices=Status, default=Status.DRAFT, db_index=True, verbose_name=_("status")
    )
    published_at = models.DateTimeField(
        null=True, blank=True, db_index=True, verbose_name=_("published at")
    )
    featured = models.BooleanField(
        default=False, help_text=_("Shown first on the home page."), verbose_name=_("featured")
    )
    source = models.ForeignKey(
        Source,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="curated_lists",
        help_text=_("The document the list was built or imported from."),
        verbose_name=_("source"),
    )

    history = HistoricalRecords(excluded_fields=["search_text"], bases=[ListVersion])
    objects = querysets.CuratedListQuerySet.as_manager()

    class Meta:
        verbose_name = _("curated list")
        verbose_name_plural = _("curated lists")
        ordering = ["-published_at", "title"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="published_list_has_published_at",
                violation_error_message=_("A published list needs a publication date."),
            ),
            models.CheckConstraint(condition=~Q(title=""), name="curated_list_title_not_empty"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return slug_url("lists:list-detail", self.slug)

    def compose_search_text(self):
        """A list's title (its name) and introduction (prose)."""
        return compose_search_text([self.title], prose=self.introduction)

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED


class CuratedListEntry(Verified):
    """One ranked film in a list, with the document's blurb and fact kept verbatim."""

    curated_list = models.ForeignKey(
        CuratedList,
        on_delete=models.CASCADE,
        related_name="entries",
        verbose_name=_("curated list"),
    )
    film = models.ForeignKey(
        Film, on_delete=models.PROTECT, related_name="list_entries", verbose_name=_("film")
    )
    position = models.PositiveSmallIntegerField(
        help_text=_("1 is the top of the list."), verbose_name=_("position")
    )
    blurb = models.TextField(
        blank=True,
        help_text=_("The description, verbatim from the source."),
        verbose_name=_("blurb"),
    )
    fact = models.TextField(
        blank=True,
        help_text=_("The trivia fact, verbatim from the source."),
        verbose_name=_("fact"),
    )
    verification_note = models.TextField(
        blank=True,
        help_text=_("What in the blurb or fact is wrong, and the correction if known."),
        verbose_name=_("verification note"),
    )

    history = HistoricalRecords()
    objects = querysets.CuratedListEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("curated list entry")
        verbose_name_plural = _("curated list entries")
        ordering = ["curated_list", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["curated_list", "position"],
                name="list_entry_unique_position",
                violation_error_message=_("Another entry of this list already has that position."),
            ),
            models.UniqueConstraint(
                fields=["curated_list", "film"],
                name="list_entry_unique_film",
                violation_error_message=_("This film is already in the list."),
            ),
            models.CheckConstraint(
                condition=Q(position__gte=1), name="list_entry_position_positive"
            ),
        ]

    def __str__(self):
        return f"{self.position}. {self.film.title}"

    def natural_key(self):
        return (self.curated_list.slug, self.film.slug)

    natural_key.dependencies = ["lists.curatedlist", "catalogue.film"]
