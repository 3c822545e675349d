"""Picture objects in the API, like TMDB's /images: each with its renditions' URLs and sizes,
its credit, licence and verification."""

from rest_framework import serializers

from pictures.choices import Licence, PictureKind
from pictures.display import rendition_urls
from pictures.models import gallery


class RenditionSerializer(serializers.Serializer):
    format = serializers.CharField()
    type = serializers.CharField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    url = serializers.URLField()


class PictureSerializer(serializers.Serializer):
    """A stored picture (read only)."""

    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=PictureKind.choices)
    is_primary = serializers.BooleanField()
    alt_text = serializers.CharField()
    caption = serializers.CharField()
    author = serializers.CharField()
    source_url = serializers.CharField()
    licence = serializers.ChoiceField(choices=Licence.choices)
    licence_url = serializers.CharField()
    licence_note = serializers.CharField()
    verification = serializers.CharField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    page_url = serializers.SerializerMethodField()
    renditions = serializers.SerializerMethodField()

    def get_page_url(self, picture) -> str:
        return self.context["request"].build_absolute_uri(picture.get_absolute_url())

    @staticmethod
    def _absolute(request, url):
        return url if "://" in url else request.build_absolute_uri(url)

    def get_renditions(self, picture) -> list[dict]:
        request = self.context["request"]
        rows = rendition_urls(picture)
        for row in rows:
            row["url"] = self._absolute(request, row["url"])
        return RenditionSerializer(rows, many=True).data


class GallerySerializer(serializers.ListSerializer):
    """An object's pictures in display order, from the JSON column its query brought
    (pictures.models.gallery_column) rather than a query of their own."""

    def __init__(self, picture_model, **kwargs):
        self.picture_model = picture_model
        super().__init__(child=PictureSerializer(), source="*", read_only=True, **kwargs)

    def get_attribute(self, instance):
        return gallery(instance, self.picture_model)


class PictureUploadSerializer(serializers.Serializer):
    """An editor's upload: the file and what must be said about it."""

    file = serializers.FileField()
    kind = serializers.ChoiceField(choices=PictureKind.choices)
    alt_text = serializers.CharField(max_length=300)
    caption = serializers.CharField(max_length=300, required=False, default="")
    author = serializers.CharField(max_length=200, required=False, default="")
    source_url = serializers.URLField(required=False, default="")
    licence = serializers.ChoiceField(choices=Licence.choices)
    licence_note = serializers.CharField(required=False, default="")
    is_primary = serializers.BooleanField(required=False, default=False)
