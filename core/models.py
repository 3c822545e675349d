"""Abstract models every floor shares: a claim with its sources and verdict, a slugged row,
a row with a search key, timestamps."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.spelling import make_slug


class Verification(models.TextChoices):
    UNVERIFIED = "unverified", _("Unverified")
    CONFIRMED = "confirmed", _("Confirmed")
    DISPUTED = "disputed", _("Disputed")


class SlugMixin(models.Model):
    """Fills an empty slug from the row's display name, transliterating Cyrillic."""

    slug_source_field = "name"

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = make_slug(getattr(self, self.slug_source_field))
        super().save(*args, **kwargs)

    def natural_key(self):
        return (self.slug,)


def free_slug(base, taken, next_number=None):
    """`base`, or `base-2`, `base-3`… whichever is not in `taken`. A caller making many slugs
    passes the same `next_number` dict each time: it remembers where each base got to."""
    next_number = {} if next_number is None else next_number
    slug, number = base, next_number.get(base, 2)
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    next_number[base] = number
    return slug


def unique_slug(model, text, *, fallback_suffix=""):
    """A slug for a new row of `model` made from `text`: its slug, else the slug with
    `fallback_suffix` (a film's year), else numbered (-2, -3…). One query."""
    base = make_slug(text, max_length=100) or model._meta.model_name
    taken = set(model._default_manager.filter(slug__startswith=base).values_list("slug", flat=True))
    if base not in taken or not fallback_suffix:
        return free_slug(base, taken)
    return free_slug(f"{base}-{fallback_suffix}", taken)


class Verified(models.Model):
    """A row an editor has judged: unverified, confirmed or disputed, with a note saying why
    (and the correction when it is wrong)."""

    verification = models.CharField(
        max_length=12,
        choices=Verification,
        default=Verification.UNVERIFIED,
        db_index=True,
        verbose_name=_("verification"),
    )
    verification_note = models.TextField(
        blank=True,
        help_text=_("Why it is disputed or how it was confirmed; the correction if known."),
        verbose_name=_("verification note"),
    )

    class Meta:
        abstract = True

    @property
    def is_disputed(self):
        return self.verification == Verification.DISPUTED


class Timestamped(models.Model):
    """A row that knows when it was created and last changed (pages' Last-Modified use it)."""

    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        abstract = True


class ChangeTimed(models.Model):
    """A row that knows when it last changed: reference rows (countries, genres, places,
    organisations) the API's `updated_since` reads."""

    updated_at = models.DateTimeField(auto_now=True, db_index=True, verbose_name=_("updated at"))

    class Meta:
        abstract = True


class Searchable(models.Model):
    """A row found by the text search through its folded `search_text` key, which the row
    composes from its names and prose (`compose_search_text`) and its app keeps current."""

    search_text = models.TextField(blank=True, editable=False, verbose_name=_("search text"))

    class Meta:
        abstract = True

    def compose_search_text(self):
        raise NotImplementedError


class MissedInvalidation(models.Model):
    """A committed write whose response-cache invalidation could not reach Redis. The first
    request to see Redis again makes every cached response stale and deletes these rows
    (core/response_cache.py), so a page cached before the write is not served after it."""

    missed_at = models.DateTimeField(auto_now_add=True, verbose_name=_("missed at"))

    class Meta:
        verbose_name = _("missed cache invalidation")
        verbose_name_plural = _("missed cache invalidations")

    def __str__(self):
        return f"cache invalidation missed at {self.missed_at:%Y-%m-%d %H:%M:%S}"


class ReadDocument(models.Model):
    """What a public API read answers about one object, in one language, as its serializer
    gave it, or the blocks of a visitor's page about one object as its template rendered them
    (pages/documents.py): the read model served instead of rebuilding the answer from a dozen
    tables.

    Stale documents are deleted when a write commits (`core/read_documents.py`), by the tags
    the response cache gives that write; a document is rebuilt by the next read that misses
    it, or in bulk by `build_read_documents`."""

    kind = models.CharField(max_length=40, verbose_name=_("kind"))
    key = models.CharField(max_length=255, verbose_name=_("key"))
    language = models.CharField(max_length=10, verbose_name=_("language"))
    # The release that built it: another release's documents may have another shape.
    release = models.CharField(max_length=100, verbose_name=_("release"))
    body = models.TextField(verbose_name=_("body"))
    # The tags of the rows it shows, also as rows (ReadDocumentTag) for deleting by tag.
    tags = models.TextField(verbose_name=_("tags"))
    # The clock's generation it was built in: a write that changes everything starts a new one.
    generation = models.BigIntegerField(default=0, verbose_name=_("generation"))
    # At most READ_DOCUMENT_HOURS after it was built, and no later than the next scheduled
    # publication (which changes what it should say without any write).
    valid_until = models.DateTimeField(verbose_name=_("valid until"))
    built_at = models.DateTimeField(auto_now=True, verbose_name=_("built at"))

    class Meta:
        verbose_name = _("read document")
        verbose_name_plural = _("read documents")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "key", "language"], name="read_document_unique_key"
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.key} ({self.language})"


class ReadDocumentTag(models.Model):
    """One tag of a document's rows ("catalogue.person:12"): a write to that row deletes it."""

    document = models.ForeignKey(
        ReadDocument,
        on_delete=models.DB_CASCADE,
        related_name="tag_rows",
        verbose_name=_("read document"),
    )
    tag = models.CharField(max_length=100, db_index=True, verbose_name=_("tag"))

    class Meta:
        verbose_name = _("read document tag")
        verbose_name_plural = _("read document tags")

    def __str__(self):
        return self.tag


class ReadDocumentClock(models.Model):
    """One row: `ticks` counts the commits that deleted documents, so a document built while
    one committed is not stored (it may show rows as they were before); `generation` counts
    the writes that made every document stale, so those are forgotten with one UPDATE."""

    ticks = models.BigIntegerField(default=0, verbose_name=_("ticks"))
    generation = models.BigIntegerField(default=0, verbose_name=_("generation"))

    class Meta:
        verbose_name = _("read document clock")
        verbose_name_plural = _("read document clocks")

    def __str__(self):
        return f"generation {self.generation}, tick {self.ticks}"
