"""Root URLs: the editors' admin, the API and the public site."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("lists.urls")),
    path("", include("catalogue.urls")),
]
