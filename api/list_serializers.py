"""Serializers of curated lists in the API: rows, detail with ordered entries, writes."""

from django.db import transaction
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.picture_serializers import GallerySerializer
from api.serializers import (
    SMALLINT_MAX,
    FilmSummarySerializer,
    IdentifierField,
    IdentityLinkField,
    PersonSummarySerializer,
    StrictInputMixin,
)
from catalogue.models import Film, Source
from catalogue.services import publish_films
from core.serializers import FieldsOnceModelSerializer, ModelCleanMixin
from lists.models import CuratedList, CuratedListEntry
from lists.services import UnpublishedFilmsError, unpublished_films
from pictures.models import ListCover


class CuratedListListSerializer(FieldsOnceModelSerializer):
    url = IdentityLinkField(view_name="api:list-detail", lookup_field="slug")
    entry_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = CuratedList
        fields = [
            "id",
            "slug",
            "url",
            "title",
            "status",
            "published_at",
            "featured",
            "entry_count",
            "updated_at",
        ]


class EntryFilmSerializer(FilmSummarySerializer):
    """The film of a list entry: its summary and directors."""

    directors = serializers.SerializerMethodField()
    imdb_id = IdentifierField()

    class Meta(FilmSummarySerializer.Meta):
        fields = FilmSummarySerializer.Meta.fields + ["imdb_id", "tmdb_id", "directors"]

    @extend_schema_field(PersonSummarySerializer(many=True))
    def get_directors(self, film):
        people = [credit.person for credit in film.director_credits]
        return PersonSummarySerializer(people, many=True, context=self.context).data


class CuratedListEntrySerializer(FieldsOnceModelSerializer):
    """A ranked entry: the source's blurb and fact verbatim, with the editors' verdict."""

    film = EntryFilmSerializer()

    class Meta:
        model = CuratedListEntry
        fields = ["id", "position", "film", "blurb", "fact", "verification", "verification_note"]


class SourceSummarySerializer(FieldsOnceModelSerializer):
    document_url = serializers.CharField(source="url", help_text="The document's own address.")

    class Meta:
        model = Source
        fields = ["slug", "title", "kind", "document_url", "publisher"]


class CuratedListDetailSerializer(FieldsOnceModelSerializer):
    url = IdentityLinkField(view_name="api:list-detail", lookup_field="slug")
    source = SourceSummarySerializer(allow_null=True)
    entries = CuratedListEntrySerializer(many=True)
    pictures = GallerySerializer(ListCover)

    class Meta:
        model = CuratedList
        fields = [
            "id",
            "slug",
            "url",
            "title",
            "introduction",
            "status",
            "published_at",
            "featured",
            "source",
            "entries",
            "pictures",
            "created_at",
            "updated_at",
        ]


class CuratedListWriteSerializer(StrictInputMixin, ModelCleanMixin, FieldsOnceModelSerializer):
    """Creating or changing a list's own fields (editors).

    Publishing a list (`status: published`) that holds unpublished films publishes them
    too, so it needs `publish_films: true`; without it the answer is a 400 naming them
    under `unpublished_films` (docs/publication.md).
    """

    slug = serializers.SlugField(max_length=120, required=False)
    url = IdentityLinkField(view_name="api:list-detail", lookup_field="slug")
    publish_films = serializers.BooleanField(
        required=False,
        write_only=True,
        help_text="Confirms publishing the list's unpublished films with it.",
    )

    class Meta:
        model = CuratedList
        fields = [
            "id",
            "slug",
            "url",
            "title",
            "introduction",
            "status",
            "published_at",
            "featured",
            "publish_films",
        ]
        validators = []
        extra_kwargs = {"slug": {"validators": []}}

    def validate(self, attrs):
        confirmed = attrs.pop("publish_films", False)
        attrs = super().validate(attrs)
        self.films_to_publish = []
        going_public = attrs.get("status") == CuratedList.Status.PUBLISHED
        if going_public and self.instance is not None and not self.instance.is_published:
            self.films_to_publish = unpublished_films(self.instance)
            if self.films_to_publish and not confirmed:
                error = UnpublishedFilmsError(self.films_to_publish)
                raise serializers.ValidationError(
                    {
                        "publish_films": [str(error)],
                        "unpublished_films": [
                            {
                                "slug": film.slug,
                                "title": film.title,
                                "verification": film.verification,
                            }
                            for film in self.films_to_publish
                        ],
                    }
                )
        return attrs

    @transaction.atomic
    def update(self, instance, validated_data):
        instance = super().update(instance, validated_data)
        publish_films(
            self.films_to_publish,
            by=self.context["request"].user,
            reason=f"Published with the list “{instance.title}”",
        )
        return instance


class CuratedListEntryWriteSerializer(StrictInputMixin, ModelCleanMixin, FieldsOnceModelSerializer):
    """Adding a film to a list or changing an entry; the list comes from the URL."""

    film = serializers.SlugRelatedField(slug_field="slug", queryset=Film.objects.all())

    class Meta:
        model = CuratedListEntry
        fields = ["id", "position", "film", "blurb", "fact", "verification", "verification_note"]
        validators = []
        extra_kwargs = {"position": {"min_value": 1, "max_value": SMALLINT_MAX}}

    def clean_exclude(self):
        return []
