"""Kinoteka settings, read from the environment.

With no environment at all this is a development setup on an SQLite file in the
project. Production (DJANGO_DEBUG=false) refuses to start without a secret key
and allowed hosts.
"""

import re
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from corsheaders.defaults import default_headers
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", default=True)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY is required when DJANGO_DEBUG=false.")
    # Development only: a fixed, obviously insecure key so sessions survive restarts.
    SECRET_KEY = "django-insecure-kinoteka-development-only"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must name at least one host in production.")

INSTALLED_APPS = [
    "modeltranslation",  # before the admin: translation fields of the data, side by side
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",  # its translations: the admin's "4 weeks ago" in Russian
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",  # sitemap.xml of the public site
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "knox",  # API tokens: stored hashed, expiring (core/tokens.py)
    "drf_spectacular",  # OpenAPI schema
    "drf_spectacular_sidecar",  # Swagger UI / ReDoc assets served offline
    "corsheaders",  # CORS on /api/
    "simple_history",
    "adminsortable2",  # drag-and-drop ordering of list entries in admin
    "axes",  # admin login throttling
    # Kinoteka's floors, lowest first (docs/architecture.md).
    "core",
    "catalogue",
    "lists",
    "imagekit",  # renditions of pictures (pictures/renditions.py)
    "pictures",  # posters, stills, portraits and covers
    "pages",  # the public site: its template tags
    "api",  # REST API v1: registers its kinds of read document when ready
    "ops",  # /healthz, backup and restore, seed and bench commands
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",  # SECURE_CSP below
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.languages.LanguageMiddleware",  # after sessions, before CommonMiddleware (Django's order)
    "corsheaders.middleware.CorsMiddleware",  # before CommonMiddleware: its redirects need CORS too
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After the user is known, before CSRF reads a form: an oversized body is a 413 unread.
    "core.limits.RequestBodyLimitMiddleware",
    "core.limits.ControlCharacterQueryMiddleware",  # a NUL in a site address is a 400
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a locked-out login into a 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

# The public site's pages are Jinja2 (templates/jinja2/, pages/templating.py): compiled to
# Python once (a 100-card list page: 90 → 68 ms of CPU; docs/performance.md). The
# admin and the editors' own pages keep Django's engine (templates/).
CONTEXT_PROCESSORS = [
    "django.template.context_processors.request",
    "django.template.context_processors.i18n",  # LANGUAGE_CODE, LANGUAGES
    "django.contrib.auth.context_processors.auth",
    "django.contrib.messages.context_processors.messages",
    # {{ csp_nonce }} for inline <script>/<style>, e.g. JSON-LD (SECURE_CSP).
    "django.template.context_processors.csp",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "pages.templating.environment",
            "context_processors": CONTEXT_PROCESSORS,
        },
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": CONTEXT_PROCESSORS,
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# The embedded default is an SQLite file in the project; DATABASE_URL selects
# PostgreSQL (production), e.g. postgres://postgres@127.0.0.1:5432/kinoteka.
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=60,
        conn_health_checks=True,
    )
}

# A database that stops answering must not hold a worker until gunicorn kills it: PostgreSQL
# gives up connecting after DJANGO_DB_CONNECT_TIMEOUT seconds (libpq's floor is 2) and
# cancels any statement running longer than DJANGO_DB_STATEMENT_TIMEOUT_MS (0: no limit;
# management commands that need longer set their own with SET statement_timeout).
DB_CONNECT_TIMEOUT = env_int("DJANGO_DB_CONNECT_TIMEOUT", default=3, minimum=1)
DB_STATEMENT_TIMEOUT_MS = env_int("DJANGO_DB_STATEMENT_TIMEOUT_MS", default=30_000, minimum=0)
# Parallel workers PostgreSQL may start for one query. A page's queries are short and many run
# at once: at 100,000 films, on 2 cores, parallel counts halved the browse page's throughput
# and slowed even a lone request (docs/performance.md). Raise it for a database host with
# cores to spare.
DB_PARALLEL_WORKERS = env_int("DJANGO_DB_PARALLEL_WORKERS", default=0, minimum=0)


def with_timeouts(database):
    """`database` with the connect and statement timeouts and the parallel workers a query may
    use, when it is PostgreSQL."""
    if "postgresql" in database.get("ENGINE", ""):
        database.setdefault("OPTIONS", {}).update(
            connect_timeout=DB_CONNECT_TIMEOUT,
            options=(
                f"-c statement_timeout={DB_STATEMENT_TIMEOUT_MS}"
                f" -c max_parallel_workers_per_gather={DB_PARALLEL_WORKERS}"
            ),
        )
    return database


with_timeouts(DATABASES["default"])

# --- Read replica (docs/scaling.md) -------------------------------------------------------
# DATABASE_REPLICA_URL adds a `replica` alias: reads go there, writes to `default`
# (core/db_router.py). Tests mirror it onto the default test database.
if env_str("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = with_timeouts(
        {
            **dj_database_url.parse(
                env_str("DATABASE_REPLICA_URL"), conn_max_age=60, conn_health_checks=True
            ),
            "TEST": {"MIRROR": "default"},
        }
    )
    DATABASE_ROUTERS = ["core.db_router.PrimaryReplicaRouter"]
# --- end of read replica --------------------------------------------------------------------

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The site in English (unprefixed URLs) and Russian (/ru/…): core/languages.py.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ru", "Русский")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
# Translated data (genre, country, studio and place names, award categories, synopses, lists):
# a column per language on the same row (catalogue/translation.py, lists/translation.py), so
# no join and no extra query. A text missing in the reader's language falls back to the other
# one, shown with its own `lang` (core.languages.translated_text).
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("en", "ru")}
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_URL = "media/"
MEDIA_ROOT = BASE_DIR / "media"
# Pictures go to an S3-compatible bucket when one is named (see "Pictures" below).

# --- REST API v1 (README "API") ---------------------------------------------------------------
# Anonymous clients are throttled per address; DJANGO_API_THROTTLE_ANON is "N/period"
# (period: sec, min, hour, day) or "off" (load tests and benchmarks).
API_THROTTLE_ANON = env_str("DJANGO_API_THROTTLE_ANON", "120/min").strip().lower()
if API_THROTTLE_ANON in ("off", "none", ""):
    API_THROTTLE_ANON = None
elif not re.fullmatch(r"\d+/(s|sec|second|m|min|minute|h|hour|d|day)", API_THROTTLE_ANON):
    raise ImproperlyConfigured(
        f"DJANGO_API_THROTTLE_ANON must look like 120/min or be off, not {API_THROTTLE_ANON!r}."
    )

REST_FRAMEWORK = {
    # django-filter's backend, with blank numbers and choices refused (api/filters.py).
    "DEFAULT_FILTER_BACKENDS": [
        "api.filters.StrictFilterBackend",
        "api.filters.UpdatedSinceFilterBackend",  # updated_since= on timestamped collections
    ],
    # Token first: an anonymous write is answered 401 with WWW-Authenticate: Token.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Reads for everyone; writes need the model permissions (the Editors group has them).
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.ModelPermissionsOrAnonReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.AnonymousRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": API_THROTTLE_ANON},
    "DEFAULT_SCHEMA_CLASS": "api.schema.AutoSchema",
    # Every error as {"type", "errors": [{"code", "detail", "attr"}]} (api/errors.py).
    "EXCEPTION_HANDLER": "drf_standardized_errors.handler.exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.SafeJSONParser",  # deep nesting: 400, not RecursionError
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
}

# API tokens (django-rest-knox): `Authorization: Token <token>`. Only a digest is stored;
# a token works for KINOTEKA_API_TOKEN_DAYS days; an editor holds at most 10 at a time.
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=env_int("KINOTEKA_API_TOKEN_DAYS", default=90, minimum=1)),
    "TOKEN_LIMIT_PER_USER": 10,
    "AUTO_REFRESH": False,
    "AUTH_HEADER_PREFIX": "Token",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Kinoteka API",
    "DESCRIPTION": (
        "Soviet and Russian films, the people who made them, their awards and curated lists. "
        "Reads are open to everyone (anonymous clients are rate limited); writes need an "
        "editor's token or session. Every claim carries its verification status."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.add_headers_and_examples",  # errors, headers, parameter examples
    ],
    "ENUM_NAME_OVERRIDES": {
        "VerificationEnum": "core.models.Verification",
        "CreditRoleEnum": "catalogue.models.CreditRole",
        "AwardOutcomeEnum": "catalogue.models.AwardOutcome",
        "LocationKindEnum": "catalogue.models.LocationKind",
        "OrganisationKindEnum": "catalogue.models.Organisation.Kind",
        "SourceKindEnum": "catalogue.models.Source.Kind",
        "PictureKindEnum": "pictures.choices.PictureKind",
        "LicenceEnum": "pictures.choices.Licence",
    },
}

# CSV exports stream; a visitor's holds at most this many rows (editors' hold every row).
EXPORT_ANONYMOUS_ROWS = env_int("KINOTEKA_EXPORT_ANONYMOUS_ROWS", default=1000, minimum=1)

# Cross-origin reads only, and only of the API.
CORS_ALLOW_ALL_ORIGINS = True
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
# A browser client may read the caching, paging and throttling headers, and revalidate.
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Link", "Retry-After", "Location"]
CORS_ALLOW_HEADERS = [
    *default_headers,
    "if-none-match",
    "if-modified-since",
    "if-match",
    "idempotency-key",
]
# --- end of REST API v1 ----------------------------------------------------------------------

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Security hardening (docs/security.md) ---------------------------------------------
# Load balancers probe /healthz over plain HTTP; a redirect would read as "down".
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Content-Security-Policy on every response, public site and admin alike. No
# 'unsafe-inline': an inline <script> or <style> (JSON-LD included) runs only with
# nonce="{{ csp_nonce }}", so injected markup cannot execute. Inline style="" attributes
# and on*= handlers are blocked too; put styles in static CSS and scripts in static JS.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Admin login throttling (django-axes): the 6th wrong password for a username from one
# address within the cool-off is refused with 429, even if it is the right one. Keyed on
# username *and* address so a stranger cannot lock an editor out from everywhere.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out credentials
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The address is the real client's, never the proxy's (core/network.py, TRUSTED_PROXIES).
AXES_CLIENT_IP_CALLABLE = "core.network.client_address"

# How many proxies of our own stand in front of Django (a TLS terminator: 1). Their hops of
# X-Forwarded-For are believed, nothing a client wrote; 0 (the default) ignores the header.
# One rule for the API throttle and the login lockout: core/network.py.
TRUSTED_PROXIES = env_int("DJANGO_TRUSTED_PROXIES", default=0, minimum=0)
# Only a proxy of our own may say the visitor came over HTTPS: with none, anyone could send
# X-Forwarded-Proto and be taken for a secure request.
if TRUSTED_PROXIES > 0:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Request bodies (core/limits.py): a visitor may send a login form or a search, not a file;
# an editor up to 20 MiB (pictures; the importer takes documents of at most 1 MB). Form
# fields are held in memory up to DATA_UPLOAD_MAX_MEMORY_SIZE (more is a 400), files up to
# FILE_UPLOAD_MAX_MEMORY_SIZE (larger ones, editors' only, go to a temporary file).
ANONYMOUS_BODY_MAX_BYTES = env_int("DJANGO_ANONYMOUS_BODY_MAX_BYTES", default=64 * 1024)
REQUEST_BODY_MAX_BYTES = env_int("DJANGO_REQUEST_BODY_MAX_BYTES", default=20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # Django's default, written out: 2.5 MiB
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# --- end of security hardening -----------------------------------------------------------

# --- Performance (docs/performance.md) ------------------------------------------------------
# /bench/ceiling answers only when this is on: `make bench` sets it for its own gunicorn.
KINOTEKA_BENCH_CEILING = env_bool("KINOTEKA_BENCH_CEILING", default=False)

# REDIS_URL (e.g. redis://127.0.0.1:6379/0) turns on Redis: it becomes the default cache
# (shared API throttle counts) and the "responses" cache of whole visitor pages and API
# reads (core/response_cache.py), invalidated on every catalogue write. Without it,
# each process keeps its own default cache and nothing is served from a cache.
REDIS_URL = env_str("REDIS_URL")
RESPONSE_CACHE_SECONDS = env_int("KINOTEKA_RESPONSE_CACHE_SECONDS", default=600, minimum=1)
# Whole pages and API reads are stored for visitors unless this is false; counts (the browse
# page's facets, the films a filter matches) are kept in Redis until the next write either way.
# The bench's live pass turns pages off to measure what a page nobody asked for costs.
RESPONSE_CACHE_PAGES = env_bool("KINOTEKA_RESPONSE_CACHE_PAGES", default=True)
# How often (at most one query per period, site-wide) a process looks in the database for
# writes that missed the cache while Redis was out; also the longest a process that never
# saw a short outage may serve a page cached before such a write (core/response_cache.py).
RESPONSE_CACHE_OUTAGE_CHECK_SECONDS = env_int(
    "KINOTEKA_RESPONSE_CACHE_OUTAGE_CHECK_SECONDS", default=5, minimum=1
)
# Set to a new value on each deploy (a commit hash, a version) so cached pages rendered by the
# previous release are not served by this one.
RESPONSE_CACHE_RELEASE = env_str("KINOTEKA_RELEASE", "")
# Visitors' reads of a film, person or list in the API come from its read document, stored
# in the database and deleted by the writes that change it (core/read_documents.py); false:
# always built live (the bench measures both).
READ_DOCUMENTS = env_bool("KINOTEKA_READ_DOCUMENTS", default=True)
# Visitors' filtered film listings (browse, the API's film list) are counted and paged from an
# in-memory index of the published films, one per process, rebuilt after writes
# (discovery/film_index.py): "background" builds it in a thread and answers by SQL meanwhile,
# "inline" builds it in the request (tests), "off" always answers by SQL. It needs REDIS_URL.
FILM_INDEX = env_str("KINOTEKA_FILM_INDEX", "background")
if FILM_INDEX not in ("background", "inline", "off"):
    raise ImproperlyConfigured("KINOTEKA_FILM_INDEX is background, inline or off")
# The longest a read document is served after it was built: a backstop, as writes delete
# the documents they change at once.
READ_DOCUMENT_HOURS = env_int("KINOTEKA_READ_DOCUMENT_HOURS", default=24, minimum=1)
# Without Redis the API throttle's counts live in files on the host (DJANGO_THROTTLE_CACHE_DIR),
# so all the workers of a node share one budget per client instead of one each.
THROTTLE_CACHE_DIR = env_str(
    "DJANGO_THROTTLE_CACHE_DIR", str(Path(tempfile.gettempdir()) / "kinoteka-throttle")
)
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "throttle": {
        "BACKEND": "core.cache.SharedFileCache",
        "LOCATION": THROTTLE_CACHE_DIR,
        "OPTIONS": {"MAX_ENTRIES": 50_000},  # one file per client address
    },
}
# After a Redis failure, skip Redis for this long (each process on its own): core/cache.py.
CACHE_BREAKER_SECONDS = env_int("KINOTEKA_CACHE_BREAKER_SECONDS", default=15, minimum=1)
if REDIS_URL:
    CACHES = {
        alias: {
            "BACKEND": "core.cache.RedisCache",  # Django's, reusing its client
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"kinoteka:{alias}",
            # A hung Redis costs at most this per call, then the breaker skips it
            # (core/cache.py); Redis answers in well under a millisecond when healthy.
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
        for alias in ("default", "responses", "throttle")
    }
# --- end of performance ---------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "WARNING")},
}

# --- Pictures (docs/pictures.md) ----------------------------------------------------------------
# Uploaded pictures and their renditions live in the `default` storage: MEDIA_ROOT on this
# machine, or, when KINOTEKA_MEDIA_BUCKET is set, an S3-compatible bucket that several web
# machines share (django-storages). KINOTEKA_MEDIA_URL is the public address of the bucket
# (or of a CDN in front of it); files are public and their URLs unsigned, so pages are cacheable.
MEDIA_BUCKET = env_str("KINOTEKA_MEDIA_BUCKET")
if MEDIA_BUCKET:
    MEDIA_URL = env_str("KINOTEKA_MEDIA_URL")
    if not MEDIA_URL:
        raise ImproperlyConfigured("KINOTEKA_MEDIA_URL is required with KINOTEKA_MEDIA_BUCKET.")
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_BUCKET,
            "endpoint_url": env_str("KINOTEKA_MEDIA_ENDPOINT") or None,
            "region_name": env_str("KINOTEKA_MEDIA_REGION") or None,
            "access_key": env_str("KINOTEKA_MEDIA_ACCESS_KEY") or None,
            "secret_key": env_str("KINOTEKA_MEDIA_SECRET_KEY") or None,
            "custom_domain": re.sub(r"^https?://", "", MEDIA_URL).rstrip("/"),
            "url_protocol": "http:" if MEDIA_URL.startswith("http://") else "https:",
            "querystring_auth": False,
            "file_overwrite": True,  # names are content hashes: same name, same bytes
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }
    # The pages' <img> come from the media host: the CSP must allow it.
    SECURE_CSP["img-src"] = [*SECURE_CSP["img-src"], re.match(r"^https?://[^/]+", MEDIA_URL)[0]]
elif env_str("KINOTEKA_MEDIA_URL"):
    MEDIA_URL = env_str("KINOTEKA_MEDIA_URL")
IMAGEKIT_CACHEFILE_DIR = "pictures/renditions"
# Renditions are made when a picture is stored (pictures/services.py), never while a page
# renders: a page only reads the names the picture row keeps.
IMAGEKIT_DEFAULT_CACHEFILE_STRATEGY = "imagekit.cachefiles.strategies.Optimistic"
PICTURES_MAX_UPLOAD_BYTES = env_int("KINOTEKA_PICTURE_MAX_MB", default=15, minimum=1) * 1024 * 1024
PICTURES_MAX_PIXELS = 40_000_000
# --- end of pictures ------------------------------------------------------------------------------
