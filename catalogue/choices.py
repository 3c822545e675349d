"""The closed vocabularies of catalogue claims: shared by models, querysets and filters."""

from django.db import models


class CreditRole(models.TextChoices):
    DIRECTOR = "director", "Director"
    WRITER = "writer", "Writer"
    ACTOR = "actor", "Actor"
    CINEMATOGRAPHER = "cinematographer", "Cinematographer"
    EDITOR = "editor", "Editor"
    COMPOSER = "composer", "Composer"
    PRODUCER = "producer", "Producer"
    PRODUCTION_DESIGNER = "production_designer", "Production designer"
    SUBJECT = "subject", "Subject (the film is about them)"


class AwardOutcome(models.TextChoices):
    WON = "won", "Won"
    NOMINATED = "nominated", "Nominated"


class LocationKind(models.TextChoices):
    SETTING = "setting", "Set in"
    FILMING = "filming", "Filmed in"
