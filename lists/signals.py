"""Keep a list's `search_text` key (title and introduction) current."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from lists.models import CuratedList


@receiver(post_save, sender=CuratedList)
def curated_list_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    search_text = instance.compose_search_text()
    if search_text != instance.search_text:
        CuratedList.objects.filter(pk=instance.pk).update(search_text=search_text)
        instance.search_text = search_text
