"""/api/v1/{films,people,lists}/<slug>/pictures/: an object's pictures, and an editor's upload;
/api/v1/pictures/configuration/: the widths, formats and licences (like TMDB's /configuration)."""

from django.core.exceptions import ValidationError as ModelValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from api.picture_serializers import PictureSerializer, PictureUploadSerializer
from api.writes import answered_once
from discovery.visibility import visible_films, visible_lists, visible_people
from pictures.choices import Licence
from pictures.models import FilmPicture, ListCover, PersonPicture
from pictures.renditions import FORMATS, WIDTHS
from pictures.services import PictureRejected, add_picture
from pictures.validation import (
    ACCEPTED_FORMATS,
    MINIMUM_SIZES,
    max_pixels,
    max_upload_bytes,
)


class OwnerPicturesView(APIView):
    """The pictures of one object, primary first; POST (multipart) adds one."""

    parser_classes = [MultiPartParser]
    picture_model = None

    def get_queryset(self):
        # The model permissions (api.permissions) are those of the picture model.
        return self.picture_model.objects.all()

    def get_owner(self, slug):
        raise NotImplementedError

    @extend_schema(responses=PictureSerializer(many=True))
    def get(self, request, slug):
        owner = self.get_owner(slug)
        pictures = self.get_queryset().filter(**{self.picture_model.owner_field: owner})
        data = PictureSerializer(
            pictures.in_display_order(), many=True, context={"request": request}
        ).data
        return Response(data)

    @extend_schema(request=PictureUploadSerializer, responses={201: PictureSerializer})
    def post(self, request, slug):
        # Its 201 has no ETag: a picture has no API address of its own to revalidate.
        return answered_once(request, lambda: self.upload(request, slug), etag=False)

    def upload(self, request, slug):
        owner = self.get_owner(slug)
        upload = PictureUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        fields = dict(upload.validated_data)
        file = fields.pop("file")
        try:
            picture = add_picture(owner, file, **fields)
        except PictureRejected as error:
            raise ValidationError({"file": [str(error)]}) from error
        except ModelValidationError as error:
            raise ValidationError(error.message_dict) from error
        data = PictureSerializer(picture, context={"request": request}).data
        return Response(data, status=status.HTTP_201_CREATED)


class FilmPicturesView(OwnerPicturesView):
    picture_model = FilmPicture

    def get_owner(self, slug):
        # A film not yet published has no pictures to show a visitor (not even a 200).
        return get_object_or_404(visible_films(self.request.user), slug=slug)


class PersonPicturesView(OwnerPicturesView):
    picture_model = PersonPicture

    def get_owner(self, slug):
        # A person known only through unpublished films is not found by a visitor.
        return get_object_or_404(visible_people(self.request.user), slug=slug)


class ListCoversView(OwnerPicturesView):
    picture_model = ListCover

    def get_owner(self, slug):
        return get_object_or_404(visible_lists(self.request.user), slug=slug)


class PictureConfigurationView(APIView):
    """What renditions exist and what may be uploaded: a client builds its URLs from this."""

    def get_queryset(self):
        return FilmPicture.objects.none()

    @extend_schema(responses=dict)
    def get(self, request):
        return Response(
            {
                "rendition_widths": {kind.value: list(widths) for kind, widths in WIDTHS.items()},
                "rendition_formats": FORMATS,
                "upload_formats": ACCEPTED_FORMATS,
                "max_upload_bytes": max_upload_bytes(),
                "max_pixels": max_pixels(),
                "min_sizes": {
                    kind.value: {"width": width, "height": height}
                    for kind, (width, height) in MINIMUM_SIZES.items()
                },
                "licences": [{"value": value, "label": label} for value, label in Licence.choices],
            }
        )
