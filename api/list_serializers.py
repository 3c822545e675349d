"""Serializers of curated lists in the API: rows, detail with ordered entries, writes."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.picture_serializers import PictureSerializer
from api.serializers import (
    SMALLINT_MAX,
    FilmSummarySerializer,
    IdentifierField,
    PersonSummarySerializer,
    StrictInputMixin,
)
from catalogue.models import Film, Source
from core.serializers import ModelCleanMixin
from lists.models import CuratedList, CuratedListEntry


class CuratedListListSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:list-detail", lookup_field="slug")
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


class CuratedListEntrySerializer(serializers.ModelSerializer):
    """A ranked entry: the source's blurb and fact verbatim, with the editors' verdict."""

    film = EntryFilmSerializer()

    class Meta:
        model = CuratedListEntry
        fields = ["id", "position", "film", "blurb", "fact", "verification", "verification_note"]


class SourceSummarySerializer(serializers.ModelSerializer):
    document_url = serializers.CharField(source="url", help_text="The document's own address.")

    class Meta:
        model = Source
        fields = ["slug", "title", "kind", "document_url", "publisher"]


class CuratedListDetailSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:list-detail", lookup_field="slug")
    source = SourceSummarySerializer(allow_null=True)
    entries = CuratedListEntrySerializer(many=True)
    pictures = PictureSerializer(many=True, source="covers")

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


class CuratedListWriteSerializer(StrictInputMixin, ModelCleanMixin, serializers.ModelSerializer):
    """Creating or changing a list's own fields (editors)."""

    slug = serializers.SlugField(max_length=120, required=False)
    url = serializers.HyperlinkedIdentityField(view_name="api:list-detail", lookup_field="slug")

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
        ]
        validators = []
        extra_kwargs = {"slug": {"validators": []}}


class CuratedListEntryWriteSerializer(
    StrictInputMixin, ModelCleanMixin, serializers.ModelSerializer
):
    """Adding a film to a list or changing an entry; the list comes from the URL."""

    film = serializers.SlugRelatedField(slug_field="slug", queryset=Film.objects.all())

    class Meta:
        model = CuratedListEntry
        fields = ["id", "position", "film", "blurb", "fact", "verification", "verification_note"]
        validators = []
        extra_kwargs = {"position": {"min_value": 1, "max_value": SMALLINT_MAX}}

    def clean_exclude(self):
        return []
