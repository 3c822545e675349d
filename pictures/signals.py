"""A deleted picture's files go once the deletion is committed (the admin deletes rows
directly, so a service alone would miss them)."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from pictures.models import PICTURE_MODELS
from pictures.services import remove_stored_files


def _remove_files_of_deleted(sender, instance, **kwargs):
    picture_id = instance.pk  # Django clears it once the row is deleted
    transaction.on_commit(lambda: remove_stored_files(instance, picture_id))


for _model in PICTURE_MODELS.values():
    receiver(post_delete, sender=_model, dispatch_uid=f"pictures-files-{_model.__name__}")(
        _remove_files_of_deleted
    )
