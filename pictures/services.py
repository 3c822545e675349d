"""Storing and removing pictures: the write side every upload path (admin, API) goes through."""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from pictures.models import PICTURE_MODELS
from pictures.renditions import delete_renditions, make_renditions
from pictures.validation import PictureRejected, check_minimum_size, clean_upload

__all__ = [
    "ORIGINAL_GONE",
    "PictureRejected",
    "add_picture",
    "original_is_stored",
    "remove_stored_files",
    "store_picture",
]

ORIGINAL_GONE = _(
    "The picture file of this version is no longer stored, so it cannot be brought back: "
    "nothing was changed. Upload the picture again instead."
)


def picture_model_for(owner):
    """The picture model whose pictures show `owner` (a Film, Person or CuratedList)."""
    for model in PICTURE_MODELS.values():
        if isinstance(owner, model._meta.get_field(model.owner_field).related_model):
            return model
    raise TypeError(f"Kinoteka keeps no pictures of {type(owner).__name__}.")


def add_picture(owner, upload, **fields):
    """A new picture of `owner` from `upload`, with its credit and licence in `fields`.
    Raises ValidationError (fields) or PictureRejected (the file); nothing is stored then."""
    model = picture_model_for(owner)
    picture = model(**{model.owner_field: owner}, **fields)
    return store_picture(picture, upload)


def store_picture(picture, upload=None, clean=None):
    """Save `picture` (new or changed), replacing its file with the cleaned `upload` when one
    is given: the original and every rendition are stored before the row, and removed again
    if the row cannot be saved. A primary picture demotes the object's previous primary; the
    first picture of a kind becomes primary. `clean` is an upload already checked
    (pictures.validation.clean_upload).

    A replaced original is kept (the picture's earlier versions name it, so a revert can
    bring it back); its renditions are removed and made again from it on a revert."""
    if upload is not None:
        clean = clean_upload(upload)
    if clean is not None:
        picture.content_hash = clean.content_hash
        picture.width, picture.height = clean.width, clean.height
    picture.full_clean(exclude=["file", "content_hash"])
    if clean is not None:
        check_minimum_size(clean, picture.kind)
    if clean is None and not picture.file:
        raise ValidationError({"file": _("Choose a picture to upload.")})
    previous = _saved_file(picture)
    if clean is not None:
        # Stored under its content hash; the row keeps the name, the renditions follow it.
        picture.file.save(f"upload.{clean.extension}", ContentFile(clean.content), save=False)
        picture.width, picture.height = clean.width, clean.height  # the field's reading reset them
        picture.renditions = make_renditions(picture, ContentFile(clean.content, picture.file.name))
    elif previous and previous["name"] != picture.file.name:
        # Back to an earlier original (a revert): its renditions were removed with it.
        picture.renditions = _renditions_from_stored(picture)
    try:
        with transaction.atomic():
            _settle_primary(picture)
            picture.save()
    except Exception:
        if clean is not None and (previous is None or previous["name"] != picture.file.name):
            _remove_unused(picture.file.name, picture.renditions, exclude=picture)
        raise
    if previous and previous["name"] != picture.file.name:
        transaction.on_commit(
            lambda: _remove_replaced_renditions(previous["name"], previous["renditions"])
        )
    return picture


def original_is_stored(name):
    """Whether the original `name` (a picture's or one of its versions' `file`) is still in
    the storage: a version whose original is gone cannot be brought back."""
    return bool(name) and default_storage.exists(name)


def _saved_file(picture):
    """The original and renditions of `picture`'s row as saved (None for a new picture): the
    instance may already hold another file (an upload, or the version a revert restores)."""
    if not picture.pk:
        return None
    saved = type(picture).objects.filter(pk=picture.pk).values("file", "renditions").first()
    return {"name": saved["file"], "renditions": saved["renditions"]} if saved else None


def _renditions_from_stored(picture):
    if not original_is_stored(picture.file.name):
        raise ValidationError({"file": ORIGINAL_GONE})
    with default_storage.open(picture.file.name) as stored:
        content = stored.read()
    return make_renditions(picture, ContentFile(content, picture.file.name))


def _settle_primary(picture):
    """One primary per object and kind: the given picture's word wins."""
    owner_id = getattr(picture, f"{picture.owner_field}_id")
    # Two uploads for one object at once would both find no primary and both claim it: the
    # owner's row lock puts them one after the other.
    owner_model = type(picture)._meta.get_field(picture.owner_field).related_model
    list(owner_model._default_manager.select_for_update().filter(pk=owner_id).values("pk"))
    siblings = (
        type(picture)
        .objects.filter(**{picture.owner_field: owner_id}, kind=picture.kind)
        .exclude(pk=picture.pk)
    )
    if picture.is_primary:
        # Saved one by one (at most one row), so the demotion is a version in its history.
        for sibling in siblings.filter(is_primary=True):
            sibling.is_primary = False
            sibling.save(update_fields=["is_primary", "updated_at"])
    elif not siblings.filter(is_primary=True).exists():
        picture.is_primary = True


def remove_stored_files(picture, picture_id):
    """Delete the stored files of a deleted `picture`: its original and renditions, and the
    originals its earlier versions kept, unless another picture (or one of that picture's
    versions) uses them: an original is named by its content hash, so the same file may
    serve two rows. `picture_id` is its id (a deleted instance's `pk` is None)."""
    _remove_unused(picture.file.name, picture.renditions, exclude=picture)
    history = type(picture).history.filter(id=picture_id).exclude(file=picture.file.name)
    for name in set(history.values_list("file", flat=True)):
        _remove_unused(name, [], exclude=picture)


def _used_by_a_row(name, exclude=None):
    for model in PICTURE_MODELS.values():
        others = model.objects.filter(file=name)
        if isinstance(exclude, model) and exclude.pk:
            others = others.exclude(pk=exclude.pk)
        if others.exists():
            return True
    return False


def _kept_by_a_version(name):
    """Whether a version of a picture that still exists names the original `name`."""
    return any(
        model.history.filter(file=name, id__in=model.objects.values("pk")).exists()
        for model in PICTURE_MODELS.values()
    )


def _remove_unused(name, renditions, exclude=None):
    if not name or _used_by_a_row(name, exclude) or _kept_by_a_version(name):
        return
    delete_renditions(renditions)
    default_storage.delete(name)


def _remove_replaced_renditions(name, renditions):
    """A replaced original stays for its versions; its renditions go unless a row shows it."""
    if name and not _used_by_a_row(name):
        delete_renditions(renditions)
