"""One env-driven settings module (BEYONDREACH_* variables), after healthchecks.

Every secret can also be read from a file named by the same variable with ``_FILE``
appended, so that secrets never have to sit in the environment of every process.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from beyondreach.core import legacy

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("BEYONDREACH_VAR_DIR", BASE_DIR.parent.parent / "var"))


def envstr(name: str, default: str = "") -> str:
    """Read BEYONDREACH_<name>, or the file named by BEYONDREACH_<name>_FILE."""
    path = os.environ.get(f"BEYONDREACH_{name}_FILE")
    if path:
        return Path(path).read_text().strip()
    return os.environ.get(f"BEYONDREACH_{name}", default)


def envbool(name: str, default: bool) -> bool:
    return envstr(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    return int(envstr(name, str(default)))


def refuse_old_prefix() -> None:
    """Variables under the name before the rename would be ignored, and the server would
    start without the database or keys they name: refuse, and say what to rename."""
    old = sorted(k for k in os.environ if k.startswith(legacy.OLD_ENV_PREFIX))
    if old:
        raise ImproperlyConfigured(
            f"Rename {', '.join(old)} to BEYONDREACH_...: the variables' prefix changed with "
            "the product's name (docs/deployment.md)."
        )


refuse_old_prefix()
DEBUG = envbool("DEBUG", False)
SECRET_KEY = envstr("SECRET_KEY")
if not SECRET_KEY and (VAR_DIR / "secret.key").exists():
    SECRET_KEY = (VAR_DIR / "secret.key").read_text().strip()  # made by `beyondreach init`
# No fallback: without a key, serving and the worker refuse to start (core/secret_key.py).
ALLOWED_HOSTS = [
    h for h in envstr("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h
]
CSRF_TRUSTED_ORIGINS = [o for o in envstr("CSRF_TRUSTED_ORIGINS").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "beyondreach.core",
    "beyondreach.vocab",
    "beyondreach.cases",
    "beyondreach.sharing",
    "beyondreach.reports",
    "beyondreach.outbox",
    "beyondreach.alerts",
    "beyondreach.referrals",
    "beyondreach.statistics",
    "beyondreach.interchange",
    "beyondreach.screening",
    "beyondreach.accountability",
]

# Sessions name their backend: a session made under another backend's path logs out once.
AUTHENTICATION_BACKENDS = ["beyondreach.core.backends.UserBackend"]

MIDDLEWARE = [
    "beyondreach.core.middleware.security_headers",
    "django.middleware.security.SecurityMiddleware",
    "beyondreach.reports.middleware.public_hosts_only_report",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "beyondreach.core.middleware.session_expiry",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "beyondreach.urls"
WSGI_APPLICATION = "beyondreach.wsgi.application"
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
            ]
        },
    }
]

DATABASE_URL = envstr("DATABASE_URL", f"sqlite:///{VAR_DIR / 'beyondreach.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the worker and the web server write without blocking readers;
        # secure_delete overwrites deleted rows, so even ciphertext does not linger.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA secure_delete=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A filtered incident page reads about 1,500 index entries and stops after 51 rows. For
    # rarer filters PostgreSQL chose to start two parallel workers for it: 13-15 ms instead
    # of 1-2 ms serially, at 1M incidents (bench/README.md). Ten times the default setup
    # cost keeps such short queries serial; scans large enough to gain still go parallel.
    # Behind a pooler that drops startup options, set it on the database instead:
    # ALTER DATABASE ... SET parallel_setup_cost = 10000 (docs/deployment.md).
    pg_options = DATABASES["default"].setdefault("OPTIONS", {})
    pg_options["options"] = f"-c parallel_setup_cost={envint('PG_PARALLEL_SETUP_COST', 10000)}"
    # A pool of open connections per process (psycopg_pool through Django): opening one
    # costs 10-20 ms (bench/README.md), paid only when the pool grows. As large as
    # waitress's threads (cli.waitress_options), so a request never waits for another's
    # connection. Django refuses a pool with persistent connections, hence CONN_MAX_AGE 0:
    # a request hands its connection back to the pool. BEYONDREACH_PG_POOL=0 for an external
    # pooler (PgBouncer).
    if envbool("PG_POOL", True):
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        pg_options["pool"] = {
            "min_size": envint("PG_POOL_MIN", 2),
            "max_size": envint("PG_POOL_MAX", 8),
            "timeout": envint("PG_POOL_TIMEOUT", 10),  # seconds to wait for a free connection
        }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "incident-list"

# Sessions: idle expiry by cookie age refreshed on each request; absolute expiry
# enforced by beyondreach.core.middleware.session_expiry.
SESSION_COOKIE_AGE = envint("SESSION_IDLE_SECONDS", 30 * 60)
# The idle expiry slides forward when the session is saved, which core.middleware's
# session_expiry does at most once a minute for an active user, not on every request.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_IDLE_REFRESH_SECONDS = envint("SESSION_IDLE_REFRESH_SECONDS", 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ABSOLUTE_SECONDS = envint("SESSION_ABSOLUTE_SECONDS", 10 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Strict"
CSRF_COOKIE_SAMESITE = "Strict"
# A browser-session cookie, not Django's one year: a seized phone must not show, months
# later, that the public reporting form was opened (docs/reporting.md).
CSRF_COOKIE_AGE = None
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", not DEBUG and "sqlite" not in DATABASE_URL)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = envbool("SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = envint("HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = envbool("HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
# same-origin, not no-referrer: with no-referrer Chromium sends "Origin: null" on form posts,
# which Django's CSRF check rightly refuses. Other hosts still get no referrer at all.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if envbool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOCKOUT_FAILURES = envint("LOCKOUT_FAILURES", 5)
LOCKOUT_SECONDS = envint("LOCKOUT_SECONDS", 15 * 60)

# Keys: the master key wraps every organisation's data key and lives outside the database.
MASTER_KEY = envstr("MASTER_KEY")
MASTER_KEY_PATH = Path(os.environ.get("BEYONDREACH_MASTER_KEY_PATH", VAR_DIR / "master.key"))

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("es", "Español"),
    ("fr", "Français"),
    ("ru", "Русский"),
    ("ar", "العربية"),
    ("zh-hans", "中文"),
    ("fa", "فارسی"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Nothing identifying is cached: a dummy cache keeps no bytes anywhere.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

# Uploads are kept in memory only, never in a temporary file in clear: the import API and
# pages seal a file the moment it arrives (the reporting form installs its own handler).
FILE_UPLOAD_HANDLERS = ["django.core.files.uploadhandler.MemoryFileUploadHandler"]
FILE_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024
TASKS = {"default": {"BACKEND": envstr("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

# Logs carry no IP address, user agent, query string or personal data: see core/logging.py.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"scrub": {"()": "beyondreach.core.logging.ScrubFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["scrub"]}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        # Pillow, pypdf and mutagen log what they parse at DEBUG: EXIF tags (a photo's
        # author, GPS position), document titles. Never below WARNING, whatever LOG_LEVEL.
        "PIL": {"level": "WARNING"},
        "pypdf": {"level": "WARNING"},
        "mutagen": {"level": "WARNING"},
    },
}

NINJA_PAGINATION_PER_PAGE = 50
API_PAGE_MAX = 200
# The privacy loss an organisation's published statistics may spend in all, over every
# publication with differential privacy (statistics/publish.py). Each table spends its epsilon
# and republishing spends again: fresh noise on the same incidents averages out.
STATISTICS_EPSILON_BUDGET = float(envstr("STATISTICS_EPSILON_BUDGET", "10"))

# The reporting channel (docs/reporting.md).
# Hosts that serve only the public reporting pages, e.g. the onion address.
REPORTS_PUBLIC_HOSTS = [h for h in envstr("REPORTS_PUBLIC_HOSTS").split(",") if h]
# Where the quick-exit button leads: a harmless page nobody would question.
REPORTS_QUICK_EXIT_URL = envstr("REPORTS_QUICK_EXIT_URL", "https://www.wikipedia.org/")
# Argon2id work factors (opslimit, memlimit in bytes), libsodium's "moderate" and
# "interactive" levels: a passphrase guards the reports key, a codename (90 bits) one report.
REPORTS_PASSPHRASE_COST = (3, 256 * 1024 * 1024)
REPORTS_CODENAME_COST = (2, 64 * 1024 * 1024)

# Outgoing mail: alerts and reminders, sent by the worker through the outbox (docs/alerts.md).
EMAIL_BACKEND = envstr("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = envstr("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = envstr("EMAIL_USER")
EMAIL_HOST_PASSWORD = envstr("EMAIL_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_STARTTLS", False)
EMAIL_USE_SSL = envbool("EMAIL_SSL", False)
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = envstr("EMAIL_FROM", "beyondreach@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address staff open Beyond Reach at; links in alerts and reminders start with it.
SITE_URL = envstr("SITE_URL", "http://127.0.0.1:8000")

# The outbox (beyondreach.outbox): retries with exponential backoff, then "failed".
OUTBOX_SEND_TIMEOUT = envint("OUTBOX_SEND_TIMEOUT", 10)  # seconds per HTTP or SMTP exchange
OUTBOX_LEASE_SECONDS = envint("OUTBOX_LEASE_SECONDS", 300)  # a claimed message is due again after
OUTBOX_RETRY_BASE_SECONDS = envint("OUTBOX_RETRY_BASE_SECONDS", 30)
OUTBOX_RETRY_CAP_SECONDS = envint("OUTBOX_RETRY_CAP_SECONDS", 6 * 60 * 60)
OUTBOX_MAX_ATTEMPTS = envint("OUTBOX_MAX_ATTEMPTS", 12)  # retries over about 15 hours
OUTBOX_SWEEP_SECONDS = envint("OUTBOX_SWEEP_SECONDS", 60)  # retries are picked up within this
OUTBOX_KEEP_DAYS = envint("OUTBOX_KEEP_DAYS", 30)  # then a sent or failed message is erased
# Webhooks go to public https addresses only, unless this allows http and local addresses
# (a receiver inside the organisation's network; tests).
WEBHOOK_ALLOW_LOCAL = envbool("WEBHOOK_ALLOW_LOCAL", DEBUG)

# Alerts (beyondreach.alerts): urgency window, digest hour (TIME_ZONE), reminder days.
ALERTS_URGENT_DAYS = envint("ALERTS_URGENT_DAYS", 7)
ALERTS_DIGEST_HOUR = envint("ALERTS_DIGEST_HOUR", 7)
ALERTS_REMINDER_DAYS = tuple(
    int(d) for d in envstr("ALERTS_REMINDER_DAYS", "7,1").split(",") if d.strip()
)
