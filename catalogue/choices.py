"""The closed vocabularies of catalogue claims: shared by models, querysets and filters."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CreditRole(models.TextChoices):
    DIRECTOR = "director", _("Director")
    WRITER = "writer", _("Writer")
    ACTOR = "actor", _("Actor")
    CINEMATOGRAPHER = "cinematographer", _("Cinematographer")
    EDITOR = "editor", _("Editor")
    COMPOSER = "composer", _("Composer")
    PRODUCER = "producer", _("Producer")
    PRODUCTION_DESIGNER = "production_designer", _("Production designer")
    SUBJECT = "subject", _("Subject (the film is about them)")


class AwardOutcome(models.TextChoices):
    WON = "won", _("Won")
    NOMINATED = "nominated", _("Nominated")


class LocationKind(models.TextChoices):
    SETTING = "setting", _("Set in")
    FILMING = "filming", _("Filmed in")
