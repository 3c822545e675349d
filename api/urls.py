"""/api/v1/: the catalogue and lists API, its OpenAPI schema and its docs (served offline)."""

from django.urls import include, path, re_path
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework.routers import DefaultRouter

from api import changes, list_views, picture_views, views

app_name = "api"

router = DefaultRouter()
router.APIRootView = views.APIRootView
router.register("films", views.FilmViewSet, basename="film")
router.register("people", views.PersonViewSet, basename="person")
router.register("awards", views.AwardViewSet, basename="award")
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("studios", views.StudioViewSet, basename="studio")
router.register("places", views.PlaceViewSet, basename="place")
router.register("countries", views.CountryViewSet, basename="country")
router.register("genres", views.GenreViewSet, basename="genre")
router.register("lists", list_views.CuratedListViewSet, basename="list")

entries = list_views.CuratedListEntryViewSet

# Swagger UI and ReDoc inject styles and start a web worker: their pages alone allow that.
DOCS_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF, "data:"],
    "worker-src": [CSP.SELF, "blob:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
}

urlpatterns = [
    path("films/export.csv", views.FilmExportView.as_view(), name="film-export"),
    path(
        "lists/<str:slug>/export.csv",
        list_views.CuratedListExportView.as_view(),
        name="list-export",
    ),
    path(
        "lists/<str:list_slug>/entries/",
        entries.as_view({"post": "create"}),
        name="list-entry-list",
    ),
    path(
        "lists/<str:list_slug>/entries/<str:pk>/",
        entries.as_view({"put": "update", "patch": "partial_update", "delete": "destroy"}),
        name="list-entry-detail",
    ),
    path("search/", views.SearchView.as_view(), name="search"),
    # An object's pictures (editors upload there too), and what renditions exist.
    path(
        "films/<str:slug>/pictures/",
        picture_views.FilmPicturesView.as_view(),
        name="film-pictures",
    ),
    path(
        "people/<str:slug>/pictures/",
        picture_views.PersonPicturesView.as_view(),
        name="person-pictures",
    ),
    path(
        "lists/<str:slug>/pictures/",
        picture_views.ListCoversView.as_view(),
        name="list-pictures",
    ),
    path(
        "pictures/configuration/",
        picture_views.PictureConfigurationView.as_view(),
        name="picture-configuration",
    ),
    path("changes/", changes.ChangesView.as_view(), name="changes"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/",
        csp_override(DOCS_CSP)(SpectacularSwaggerSplitView.as_view(url_name="api:schema")),
        name="docs",
    ),
    path(
        "redoc/",
        csp_override(DOCS_CSP)(SpectacularRedocView.as_view(url_name="api:schema")),
        name="redoc",
    ),
    path("", include(router.urls)),
    re_path(r"^(?P<path>.*)$", views.not_found),
]
