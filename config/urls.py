"""Root URLs: the editors' admin, the API and the public site."""

from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.generic import TemplateView

from catalogue.sitemaps import SITEMAPS
from ops.views import bench_ceiling, healthz

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),  # load-balancer probe (ops app)
    path("bench/ceiling", bench_ceiling, name="bench-ceiling"),  # make bench only (issue 9)
    # Public site (issue 6): sitemap.xml and robots.txt at the root, where crawlers look.
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
    path("api/v1/", include("catalogue.api.urls")),  # REST API, schema and docs (issue 7)
    path("", include("lists.urls")),
    path("", include("catalogue.urls")),
]
