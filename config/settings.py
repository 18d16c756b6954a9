"""Settings for the cross-sell tracker, read from the environment.

Defaults serve one user on one machine (SQLite, tasks run in-process, e-mail to
the console). Production selects PostgreSQL, Redis and Celery workers through
the variables documented in README.md; see config/env.py for the validation.
"""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from config.env import (
    env,
    read,
    read_bool,
    read_choice,
    read_database,
    read_int,
    read_mailer,
    read_rate,
    read_time_zone,
    read_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = read_bool("DEBUG", default=True)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "development-only-secret-key-never-use-in-production-0123456789"

ALLOWED_HOSTS = read(
    "ALLOWED_HOSTS", env.list, default=["127.0.0.1", "localhost"] if DEBUG else []
)
if not DEBUG and not ALLOWED_HOSTS:
    # Without it every request would answer 400 Bad Request.
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off")
CSRF_TRUSTED_ORIGINS = read("CSRF_TRUSTED_ORIGINS", env.list, default=[])

INSTALLED_APPS = [
    "config.apps.SuperuserAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "accounts",
    "tracker",
    "scorecards",
]
# The demo, the benchmarks and the load test: tools for developers, left out of production.
DEVTOOLS = read_bool("DEVTOOLS", default=DEBUG)
if DEVTOOLS:
    INSTALLED_APPS.append("devtools")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Marks each change this request makes as made through a page or the API.
    "accounts.history.via.HistoryViaMiddleware",
    # A signed-in person's saved language wins over the cookie and the browser's.
    "accounts.language.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Judges the body's size before the CSRF check or a parser reads it.
    "config.request_limits.RequestBodyLimitMiddleware",
    # A NUL character in a query string: no search or filter can hold it (PostgreSQL refuses it).
    "config.request_limits.QueryTextMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "builtins": ["accounts.templatetags.formatting"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "core.context_processors.program",
                "core.context_processors.charts",
            ],
        },
    },
]

DATABASES = {
    "default": read_database("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = read_int("CONN_MAX_AGE", default=0)
# A reused connection that the server dropped is replaced before the request uses it.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Django's backend, refreshing the planner's statistics as connections close.
    DATABASES["default"]["ENGINE"] = "core.db.sqlite3"
    # In memory, as Django does for its own SQLite backend (pytest-django would otherwise
    # name a file per test worker after the database's path).
    DATABASES["default"].setdefault("TEST", {}).setdefault("NAME", ":memory:")
    # WAL lets the in-process worker write while pages read.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
    # Covering indexes (INCLUDE) serve PostgreSQL; SQLite keeps their key columns only,
    # which is all a single-user database needs.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]

CACHES = {"default": read("CACHE_URL", env.cache_url, default="locmemcache://")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Every password check counts failures and refuses while locked out (accounts.login_throttle).
AUTHENTICATION_BACKENDS = ["accounts.login_throttle.ThrottledModelBackend"]
LOGIN_FAILURE_LIMIT = read_int("LOGIN_FAILURE_LIMIT", default=5, minimum=1)
LOGIN_FAILURE_WINDOW_MINUTES = read_int("LOGIN_FAILURE_WINDOW_MINUTES", default=15, minimum=1)
LOGIN_LOCKOUT_MINUTES = read_int("LOGIN_LOCKOUT_MINUTES", default=15, minimum=1)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
# Each language's own name, so that a reader finds theirs whatever is active.
LANGUAGES = [
    ("en", "English"),
    ("ru", "Русский"),
    ("it", "Italiano"),
    ("zh-hans", "简体中文"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# One date format per language, and Chinese digit grouping by three
# (config/formats/<language>/formats.py).
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = read_time_zone("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Fixed at start-up: the test runner turns DEBUG off later, and a fresh checkout
# has no collected static files to index.
WHITENOISE_AUTOREFRESH = DEBUG
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

# Uploads: CRM exports can be large, but never unbounded.
IMPORT_MAX_UPLOAD_MB = read_int("IMPORT_MAX_UPLOAD_MB", default=50, minimum=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# E-mail
# Development prints mail to the console; production defaults to Django's SMTP on localhost.
MAILERS = {"default": read_mailer("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://")}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="cross-sell-tracker@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where the app is reached: the links in digests and monthly scorecard e-mails.
SITE_URL = read_url("SITE_URL", default="http://127.0.0.1:8000", schemes={"http", "https"})
SITE_URL = SITE_URL.rstrip("/")

# Celery: with no broker, tasks run eagerly in the web process.
CELERY_BROKER_URL = read_url("CELERY_BROKER_URL", default="", schemes={"redis", "rediss", "amqp"})
CELERY_RESULT_BACKEND = read_url(
    "CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL, schemes={"redis", "rediss", "rpc"}
)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
# A task whose worker dies is delivered again instead of being lost.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redis hands an unacknowledged task (its worker died) to another worker after
# this many seconds; it must exceed the longest task, or a slow task runs twice.
VISIBILITY_TIMEOUT_SECONDS = read_int("CELERY_VISIBILITY_TIMEOUT", default=3600, minimum=1)
# An import or export queued or running with no sign of life for this long is
# failed, so its owner can start it again instead of waiting on a lost task.
JOB_STALLED_AFTER_MINUTES = read_int("JOB_STALLED_AFTER_MINUTES", default=20, minimum=1)
# Sending a task while the broker is down fails within seconds instead of hanging
# the request: a few quick retries cover a broker restart.
BROKER_TIMEOUT_SECONDS = 5
CELERY_BROKER_CONNECTION_TIMEOUT = BROKER_TIMEOUT_SECONDS
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": VISIBILITY_TIMEOUT_SECONDS,
    "socket_connect_timeout": BROKER_TIMEOUT_SECONDS,
    "socket_timeout": 2 * BROKER_TIMEOUT_SECONDS,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 3,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = BROKER_TIMEOUT_SECONDS
CELERY_REDIS_SOCKET_TIMEOUT = 2 * BROKER_TIMEOUT_SECONDS
# Nothing waits for a task's return value: jobs record their outcome in the database.
# Without this every web process would also subscribe to each result in Redis, and a
# Redis outage would break sending tasks until the process restarts. A caller that
# wants the value asks with apply_async(..., ignore_result=False).
CELERY_TASK_IGNORE_RESULT = True
# Deployments (or test runs) that share one Redis keep their tasks apart by queue name.
CELERY_TASK_DEFAULT_QUEUE = read("CELERY_QUEUE", env.str, default="celery")
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # "format" is a field name here (an export's format), not a choice of renderer.
    "URL_FORMAT_OVERRIDE": None,
    "EXCEPTION_HANDLER": "core.api.errors.exception_handler",
    # DRF's, with a limit on how deep JSON may nest (a deep body exhausts the parser).
    "DEFAULT_PARSER_CLASSES": [
        "core.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": read_rate("API_THROTTLE_ANON", default="60/minute"),
        "user": read_rate("API_THROTTLE_USER", default="2000/minute"),
        "token": read_rate("API_THROTTLE_TOKEN", default="10/minute"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Cross-sell program tracker API",
    "DESCRIPTION": (
        "Map the merged companies' accounts and products, track cross-sell "
        "opportunities and quotas, and read six-C scorecards."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a "status"; each choice set gets its own schema name.
    "ENUM_NAME_OVERRIDES": {
        "AccountStatusEnum": "accounts.models.UnifiedAccount.Status",
        "ExportStatusEnum": "scorecards.models.ExportJob.Status",
    },
}

# Security: defaults here make `manage.py check --deploy` clean with DEBUG off.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
# The language chosen without signing in (on the sign-in page) lasts a year.
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SAMESITE = "Lax"
# A working day; a session left open on a shared machine does not outlive it by weeks.
SESSION_COOKIE_AGE = read_int("SESSION_COOKIE_AGE", default=12 * 60 * 60, minimum=300)
CSRF_COOKIE_SECURE = not DEBUG
# No script reads the token from the cookie: forms carry it, the API docs get it rendered.
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = read_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Load balancers probe over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_HSTS_SECONDS = read_int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = read_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = read_bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if read_bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    # plotly.js sets inline styles on the elements it draws.
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
    "base-uri": ["'self'"],
    "object-src": ["'none'"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "structured": {
            "format": "%(asctime)s level=%(levelname)s logger=%(name)s %(message)s",
        },
        "json": {"()": "config.log_format.JsonFormatter"},
    },
    # LOG_FORMAT=json: one JSON object a line, with the fields of events (core.events).
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json"
            if read_choice("LOG_FORMAT", default="TEXT", choices={"TEXT", "JSON"}) == "JSON"
            else "structured",
        }
    },
    "root": {
        "handlers": ["console"],
        "level": read_choice(
            "LOG_LEVEL", default="INFO", choices={"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}
        ),
    },
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="demo")
