"""Django settings for Taizhang, read from the environment.

- ``DATABASE_URL``: any URL dj-database-url understands; default an SQLite file
  ``var/taizhang.sqlite3`` (WAL, immediate transactions, busy timeout).
- ``TAIZHANG_VAR_DIR``: where the SQLite file, the generated secret key, uploads and collected
  static files live; default ``./var``.
- ``SECRET_KEY``: default a random key generated once into ``var/secret_key``.
- ``DEBUG``: off unless ``DEBUG=1``. ``ALLOWED_HOSTS``: comma-separated, default local hosts.
- ``HUEY_REDIS_URL``: run background jobs on Redis (e.g. ``redis://127.0.0.1:6379/0``, needs
  the ``redis`` extra); default huey's SQLite storage ``var/huey.sqlite3`` (no server).
  ``HUEY_IMMEDIATE=1`` runs tasks inline (the default under pytest). ``HUEY_WORKERS``.
- ``EMAIL_HOST`` (+ ``EMAIL_PORT``, ``EMAIL_HOST_USER``, ``EMAIL_HOST_PASSWORD``,
  ``EMAIL_USE_TLS``/``EMAIL_USE_SSL``): SMTP for reminder e-mails; without it e-mails are
  printed by the worker (console backend). ``DEFAULT_FROM_EMAIL``.
- ``TAIZHANG_BASE_URL``: the site's address used in e-mails, robot messages and feeds.
- ``TAIZHANG_FOUR_EYES``: on unless ``0``: the one who claims a measure complete or submits
  work does not verify, close or approve it himself (``core.foureyes``).
- ``TAIZHANG_MAX_UPLOAD_MB`` (default 20): the largest uploaded file; a request body over it
  + 1 MB is refused with 413 before it is read (``core.bodylimit``).
- ``TAIZHANG_MAX_REQUESTS`` / ``TAIZHANG_MAX_REQUESTS_JITTER`` (1000 / 100): ``taizhang serve``
  replaces a web worker after that many requests.
- ``TAIZHANG_BACKGROUND_IMPORT_ROWS`` (2000): a confirmed import of at least that many rows
  runs as a background job with a progress page (``core.jobs``).
- ``TAIZHANG_BACKGROUND_EXPORT_ROWS`` (5000): an Excel export of more rows runs as a background
  job with the same page (``core.export_jobs``). ``TAIZHANG_JOB_KEEP_DAYS`` (7): finished jobs'
  files (imports, exports, reports) older than that are removed every day at 03:20.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("TAIZHANG_VAR_DIR", Path.cwd() / "var")).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def _env_flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


SECRET_KEY = _secret_key()
DEBUG = _env_flag("DEBUG")
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "treebeard",
    "auditlog",
    "axes",
    "django_filters",
    "django_tables2",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "huey.contrib.djhuey",
    "health_check",
    "taizhang.core",
    "taizhang.orgs",
    "taizhang.plans",
    "taizhang.records",
    "taizhang.rectification",
    "taizhang.notify",
    "taizhang.compliance",
    "taizhang.democratic",
    "taizhang.evaluation",
    "taizhang.rolemodels",
    "taizhang.institutions",
    "taizhang.volunteering",
    "taizhang.surveys",
    "taizhang.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "taizhang.core.sessions.IdleSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "taizhang.core.bodylimit.RefusedBodyMiddleware",  # BodyLimit's 413 page in the site's layout
    "taizhang.orgs.accounts.ForcePasswordChangeMiddleware",  # one-time passwords (issue 12 §2)
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "taizhang.urls"
WSGI_APPLICATION = "taizhang.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "taizhang.core.context_processors.navigation",
            ],
        },
    },
]

_default_sqlite = f"sqlite:///{VAR_DIR / 'taizhang.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL") or _default_sqlite)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers run beside the writer; IMMEDIATE takes the write lock at BEGIN so
        # two writers wait (up to `timeout` seconds) instead of failing with "database is locked".
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["TEST"] = {"NAME": None}  # in-memory test database
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Not a check: deletes the user's API tokens when the new password is saved.
    {"NAME": "taizhang.core.tokens.RevokeTokensOnPasswordChange"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# django-axes: lock an account+IP after 5 failed logins for one hour.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# A failed login is recorded even while a long write holds the database, or given up with a
# warning: never a 500 (core.lockout).
AXES_HANDLER = "taizhang.core.lockout.BusyTolerantHandler"

LANGUAGE_CODE = "zh-hans"
# Chinese is the default (no cookie, no Accept-Language → zh-hans); English comes from the
# catalogue in locale/en (msgids are the Chinese strings). A user switches with the form in
# the header (django.views.i18n.set_language, remembered in the django_language cookie).
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]  # vendor assets copied from npm at set-up
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns on every start when it is missing
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
# Uploads: a file over 2.5 MB is spooled to disk, not memory; the fields of a form (or a JSON
# body) may be 5 MB; an uploaded file at most TAIZHANG_MAX_UPLOAD_BYTES (20 MB). A request body over
# TAIZHANG_MAX_REQUEST_BYTES (the upload limit + 1 MB of other fields) is refused with 413
# by the WSGI wrapper (core.bodylimit) before it is read.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2621440
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
TAIZHANG_MAX_UPLOAD_BYTES = int(os.environ.get("TAIZHANG_MAX_UPLOAD_MB", "20")) * 1024 * 1024
TAIZHANG_MAX_REQUEST_BYTES = TAIZHANG_MAX_UPLOAD_BYTES + 1024 * 1024
# A confirmed import of at least this many rows runs as a background job with a progress page
# (core.jobs) instead of in the web request.
TAIZHANG_BACKGROUND_IMPORT_ROWS = int(os.environ.get("TAIZHANG_BACKGROUND_IMPORT_ROWS", "2000"))
TAIZHANG_BACKGROUND_EXPORT_ROWS = int(os.environ.get("TAIZHANG_BACKGROUND_EXPORT_ROWS", "5000"))
TAIZHANG_JOB_KEEP_DAYS = int(os.environ.get("TAIZHANG_JOB_KEEP_DAYS", "7"))
# An organization filter of more organizations than this in the user's scope is a search box
# over /orgs/choose/ instead of a select of them all (core.widgets.ChooserSelect, issue 14).
TAIZHANG_CHOOSER_THRESHOLD = int(os.environ.get("TAIZHANG_CHOOSER_THRESHOLD", "200"))
# Guests (列席: 入党积极分子, 群众) a branch activity's 观看人数/听课人数 may count beyond its members:
# at most this many, or as many as the members when that is more ([U] a practice figure,
# domain-rules §4 应到/实到/列席; see core.limits.member_bound).
TAIZHANG_GUEST_ALLOWANCE = int(os.environ.get("TAIZHANG_GUEST_ALLOWANCE", "20"))
# `taizhang serve`: each gunicorn worker is replaced after this many requests (plus up to
# TAIZHANG_MAX_REQUESTS_JITTER, so they do not all restart at once): memory a large request
# left behind is returned to the system.
TAIZHANG_MAX_REQUESTS = int(os.environ.get("TAIZHANG_MAX_REQUESTS", "1000"))
TAIZHANG_MAX_REQUESTS_JITTER = int(os.environ.get("TAIZHANG_MAX_REQUESTS_JITTER", "100"))
# What an Office Open XML file (.xlsx/.docx) may unpack to before any importer parses it
# (core.reading.ooxml, issue 16 §3): entries, total and per-XML-part unpacked bytes, and the
# unpacked/packed ratio once it unpacks to over TAIZHANG_OOXML_RATIO_FLOOR_BYTES. The CLI
# import commands may widen them for one run (--max-mb, --max-ratio).
TAIZHANG_OOXML_MAX_ENTRIES = int(os.environ.get("TAIZHANG_OOXML_MAX_ENTRIES", "2000"))
TAIZHANG_OOXML_MAX_UNPACKED_BYTES = int(os.environ.get("TAIZHANG_OOXML_MAX_UNPACKED_MB", "100")) * 1024 * 1024
TAIZHANG_OOXML_MAX_PART_BYTES = int(os.environ.get("TAIZHANG_OOXML_MAX_PART_MB", "50")) * 1024 * 1024
TAIZHANG_OOXML_MAX_RATIO = float(os.environ.get("TAIZHANG_OOXML_MAX_RATIO", "100"))
TAIZHANG_OOXML_RATIO_FLOOR_BYTES = 10 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
# A session ends after TAIZHANG_SESSION_IDLE_HOURS without a request (default 8): its expiry
# is pushed forward by core.sessions.IdleSessionMiddleware at most every
# TAIZHANG_SESSION_REFRESH_SECONDS (not SESSION_SAVE_EVERY_REQUEST, one write per page).
SESSION_COOKIE_AGE = int(float(os.environ.get("TAIZHANG_SESSION_IDLE_HOURS", "8")) * 3600)
TAIZHANG_SESSION_REFRESH_SECONDS = int(os.environ.get("TAIZHANG_SESSION_REFRESH_SECONDS", "300"))
# API tokens (core.tokens) expire this many days after they are issued.
TAIZHANG_TOKEN_DAYS = int(os.environ.get("TAIZHANG_TOKEN_DAYS", "30"))
# Four eyes (core.foureyes, issue 12 §4): claimant ≠ verifier / closer, submitter ≠ approver.
TAIZHANG_FOUR_EYES = _env_flag("TAIZHANG_FOUR_EYES", True)

# TAIZHANG_HTTPS=1: the site is served over HTTPS by a reverse proxy (README "HTTPS"), which
# passes X-Forwarded-Proto. Cookies are Secure, HTTP is redirected (except /health/ for a
# local monitor) and browsers are told to use HTTPS only (HSTS, TAIZHANG_HSTS_SECONDS).
TAIZHANG_HTTPS = _env_flag("TAIZHANG_HTTPS")
if TAIZHANG_HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("TAIZHANG_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_flag("TAIZHANG_HSTS_SUBDOMAINS")
    # An intranet host name cannot be on the browsers' HSTS preload list (that needs a public
    # domain), and includeSubDomains would force HTTPS on every other intranet site under the
    # same domain: both stay the operator's choice, so their deploy warnings are silenced.
    SILENCED_SYSTEM_CHECKS = ["security.W021"] + ([] if SECURE_HSTS_INCLUDE_SUBDOMAINS else ["security.W005"])
X_FRAME_OPTIONS = "DENY"

# Content Security Policy (django-csp): scripts only from this site, never inline or eval'd
# (page behaviour lives in static files; core/tests/test_csp.py fails on an inline script or
# handler in a template). Inline styles stay allowed: Tabler, ECharts and Redoc set them from
# script. Images and workers from data:/blob: are the QR codes, charts and the API docs.
from csp.constants import NONE, SELF, UNSAFE_INLINE  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "worker-src": [SELF, "blob:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an expired or revoked token answers 401 with WWW-Authenticate.
        "taizhang.core.tokens.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "taizhang.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Taizhang API",
    "DESCRIPTION": "台账 REST API: every endpoint is scoped to the caller's organizations.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Offline docs: Swagger UI / Redoc assets from drf-spectacular-sidecar, never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "CampaignStatusEnum": "taizhang.plans.models.CampaignStatus",
        "AssignmentStatusEnum": "taizhang.plans.models.AssignmentStatus",
        "AttendanceStatusEnum": "taizhang.records.models.AttendanceStatus",
        "SuggestionStatusEnum": "taizhang.records.models.SuggestionStatus",
        "MeetingKindEnum": "taizhang.records.models.MeetingKind",
        "StudyKindEnum": "taizhang.records.models.StudyKind",
        "LectureKindEnum": "taizhang.records.models.LectureKind",
        "MotionKindEnum": "taizhang.records.models.MotionKind",
    },
}

# bootstrap5.html with the body rows rendered in Python (core.tables.render_rows, issue 14)
DJANGO_TABLES2_TEMPLATE = "core/includes/table.html"
# Every filter's empty choice reads 全部 (All), not django-filter's "---------" (issue 15 §2).
FILTERS_EMPTY_CHOICE_LABEL = gettext_lazy("全部")
AUDITLOG_INCLUDE_ALL_MODELS = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Background jobs (DESIGN.md "Background work"): huey on its SQLite storage by default (no
# extra server), on Redis when HUEY_REDIS_URL is set; `taizhang worker` runs the consumer.
# Tasks run inline ("immediate", in-memory storage) under pytest or with HUEY_IMMEDIATE=1.
# utc=False: periodic schedules read local time, which Django sets to TIME_ZONE.
HUEY_REDIS_URL = os.environ.get("HUEY_REDIS_URL", "")
HUEY = {
    "name": "taizhang",
    "huey_class": "huey.RedisHuey" if HUEY_REDIS_URL else "huey.SqliteHuey",
    **({"url": HUEY_REDIS_URL} if HUEY_REDIS_URL else {"filename": str(VAR_DIR / "huey.sqlite3")}),
    "immediate": _env_flag("HUEY_IMMEDIATE", default="PYTEST_VERSION" in os.environ),
    "utc": False,
    "results": False,
    "consumer": {
        "workers": int(os.environ.get("HUEY_WORKERS", "2")),
        "worker_type": "thread",
        "periodic": True,
        "check_worker_health": True,
    },
}

# E-mail: SMTP when EMAIL_HOST is set, else printed to the worker's console. Tests: locmem.
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = _env_flag("EMAIL_USE_TLS")
    EMAIL_USE_SSL = _env_flag("EMAIL_USE_SSL")
    EMAIL_TIMEOUT = 20
else:
    EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "台账 <taizhang@localhost>")
TAIZHANG_BASE_URL = os.environ.get("TAIZHANG_BASE_URL", "http://127.0.0.1:8000")

# Reminders (notify app). The daily run's local time; only on working days; how far back
# overdue deadlines and returns are still reminded of; delivery attempts and their spacing.
NOTIFY_REMINDER_TIME = os.environ.get("NOTIFY_REMINDER_TIME", "08:30")
NOTIFY_WORKDAYS_ONLY = True
NOTIFY_LOOKBACK_DAYS = 30
NOTIFY_MAX_ATTEMPTS = 4
NOTIFY_RETRY_DELAY = 300  # seconds before a failed e-mail / webhook delivery is retried
NOTIFY_WEBHOOK_TIMEOUT = 10  # seconds
# Hosts a group robot may post to (anything else is refused: no posting to intranet
# addresses on an org manager's say); an intranet relay is added here by the operator.
NOTIFY_WEBHOOK_HOSTS = {
    "wecom": ["qyapi.weixin.qq.com"],
    "dingtalk": ["oapi.dingtalk.com"],
}
# Daily backup by the worker (core.tasks): local time, and how many archives var/backups keeps.
TAIZHANG_BACKUP_TIME = os.environ.get("TAIZHANG_BACKUP_TIME", "02:30")
TAIZHANG_BACKUP_KEEP = int(os.environ.get("TAIZHANG_BACKUP_KEEP", "7"))
# Calendar feeds: deadlines up to this many days in the past are still listed.
NOTIFY_FEED_PAST_DAYS = 60
