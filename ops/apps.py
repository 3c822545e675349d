from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running the site: health checks for load balancers, backup and restore."""

    name = "ops"
    verbose_name = "Operations"
