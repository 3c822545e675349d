"""Root URLs: the editors' admin, the API, operations and the public site."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps
from django.urls import include, path
from django.views.generic import TemplateView

from api.token_views import own_tokens
from core.response_cache import cache_public_page
from ops.views import bench_ceiling, healthz
from pages.sitemaps import SITEMAPS
from pages.urls import catalogue_patterns, list_patterns

urlpatterns = [
    # An editor's own API tokens, inside the admin (its login, its look).
    path("admin/tokens/", admin.site.admin_view(own_tokens), name="admin-own-tokens"),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),  # load-balancer probe
    path("bench/ceiling", bench_ceiling, name="bench-ceiling"),  # make bench only
    # sitemap.xml and robots.txt at the root, where crawlers look.
    # The index names one file per section and page (pages/sitemaps.py).
    path(
        "sitemap.xml",
        cache_public_page(sitemaps.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<slug:section>.xml",
        cache_public_page(sitemaps.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
    path("api/v1/", include("api.urls")),  # REST API, schema and docs
]
# The public site in each language: English unprefixed, Russian under /ru/ (core/languages.py).
urlpatterns += i18n_patterns(
    path("", include((list_patterns, "lists"))),
    path("", include((catalogue_patterns, "catalogue"))),
    prefix_default_language=False,
)

# Development serves uploaded pictures itself (static() adds nothing unless DEBUG is on and
# MEDIA_URL is local); production serves them from the web server or the media bucket.
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
