"""Keep a list's normalized `search_text` current."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from catalogue import search
from lists.models import CuratedList


@receiver(post_save, sender=CuratedList)
def curated_list_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        CuratedList.objects.filter(pk=instance.pk).update(
            search_text=search.list_search_text(instance)
        )
