"""Storing and removing pictures: the write side every upload path (admin, API) goes through."""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from pictures.models import PICTURE_MODELS
from pictures.renditions import delete_renditions, make_renditions
from pictures.validation import PictureRejected, check_minimum_size, clean_upload

__all__ = ["PictureRejected", "add_picture", "remove_stored_files", "store_picture"]


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
    (pictures.validation.clean_upload)."""
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
    previous = {"name": picture.file.name, "renditions": picture.renditions} if picture.pk else None
    if clean is not None:
        # Stored under its content hash; the row keeps the name, the renditions follow it.
        picture.file.save(f"upload.{clean.extension}", ContentFile(clean.content), save=False)
        picture.width, picture.height = clean.width, clean.height  # the field's reading reset them
        picture.renditions = make_renditions(picture, ContentFile(clean.content, picture.file.name))
    try:
        with transaction.atomic():
            _settle_primary(picture)
            picture.save()
    except Exception:
        if clean is not None and (previous is None or previous["name"] != picture.file.name):
            remove_stored_files(picture)
        raise
    if previous and clean is not None and previous["name"] != picture.file.name:
        transaction.on_commit(lambda: _remove_unused(previous["name"], previous["renditions"]))
    return picture


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


def remove_stored_files(picture):
    """Delete the stored original and renditions of `picture` unless another row uses them
    (an original is named by its content hash, so the same file may serve two rows)."""
    _remove_unused(picture.file.name, picture.renditions, exclude=picture)


def _remove_unused(name, renditions, exclude=None):
    if not name:
        return
    for model in PICTURE_MODELS.values():
        others = model.objects.filter(file=name)
        if isinstance(exclude, model) and exclude.pk:
            others = others.exclude(pk=exclude.pk)
        if others.exists():
            return
    delete_renditions(renditions)
    default_storage.delete(name)
