"""Connection set-up every request relies on."""

from django.db.backends.signals import connection_created
from django.dispatch import receiver

from core.text_search import set_trigram_threshold


@receiver(connection_created)
def configure_search_connection(sender, connection, **kwargs):
    """Each new PostgreSQL connection gets the search's pg_trgm threshold."""
    set_trigram_threshold(connection)
