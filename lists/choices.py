"""The closed vocabularies of curated lists."""

from django.db import models


class ListStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
