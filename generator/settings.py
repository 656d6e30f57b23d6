"""Settings, read from the environment (twelve-factor).

Local defaults need nothing set: SQLite in ./db.sqlite3, DEBUG on, localhost only. Production sets
HOSTPOLICY_ENV=production, which turns DEBUG off, requires a real SECRET_KEY and ALLOWED_HOSTS, and
switches on the secure-cookie, HSTS and redirect settings that `manage.py check --deploy` looks for.
"""
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env") if (BASE_DIR / ".env").exists() else None

PRODUCTION = env.str("HOSTPOLICY_ENV", default="development") == "production"

DEBUG = env.bool("DEBUG", default=not PRODUCTION)
if PRODUCTION:
    SECRET_KEY = env.str("SECRET_KEY")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
else:
    # A fixed key is fine for local use only; production refuses to start without SECRET_KEY.
    SECRET_KEY = env.str("SECRET_KEY", default="django-insecure-local-development-key-not-for-production-use")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "generator",
]

# PDFs are rendered by a task worker (`manage.py db_worker`, started by `make run`; see
# generator.tasks). The default queue is a table in the database, so nothing else needs to run;
# HOSTPOLICY_TASKS_BACKEND can name another django-tasks backend when the deployment grows.
TASKS = {"default": {"BACKEND": env.str("HOSTPOLICY_TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")}}

MIDDLEWARE = [
    # Outermost, so that every response carries them: static files (served by WhiteNoise below),
    # the 400 page of a bad Host header and the 503 page included.
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A database that is locked, read-only or down: a 503 page that keeps what was typed.
    "generator.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "generator.urls"
WSGI_APPLICATION = "generator.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    }
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one request writes; a writer waits up to the busy timeout for
    # the lock (and then gets a 503 page, not a 500) instead of failing at once. IMMEDIATE takes
    # the write lock when a transaction starts, so two writers never deadlock on an upgrade.
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": env.float("HOSTPOLICY_SQLITE_BUSY_TIMEOUT", default=10.0),
        "transaction_mode": "IMMEDIATE",
    })

# The cache lives in the database (`manage.py createcachetable`, run by `make migrate`), so every
# web worker and the task worker share it with nothing else to run: the rate-limit counters use it.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "hostpolicy_cache",
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
}

# A TLS proxy is in front (it sets X-Forwarded-Proto and appends the client to X-Forwarded-For).
HOSTPOLICY_BEHIND_PROXY = env.bool("HOSTPOLICY_BEHIND_PROXY", default=False)

# Per-client limits on what stores data (generator.ratelimits): "N/s", "N/m", "N/h" or "N/d".
RATELIMIT_ENABLE = env.bool("HOSTPOLICY_RATELIMIT_ENABLE", default=True)
# The counters live in the database: when it cannot be written, the request goes on (and meets
# the 503 page if it needs the database itself) rather than being refused as over the limit.
RATELIMIT_FAIL_OPEN = True
HOSTPOLICY_RATE_NEW_DRAFTS = env.str("HOSTPOLICY_RATE_NEW_DRAFTS", default="30/h")  # start and upload
HOSTPOLICY_RATE_STEP_POSTS = env.str("HOSTPOLICY_RATE_STEP_POSTS", default="120/m")  # step saves, publish
# Subscribing to a public policy's changes (generator.public): per client, and per address.
HOSTPOLICY_RATE_SUBSCRIBE = env.str("HOSTPOLICY_RATE_SUBSCRIBE", default="10/h")
HOSTPOLICY_RATE_SUBSCRIBE_PER_ADDRESS = env.str("HOSTPOLICY_RATE_SUBSCRIBE_PER_ADDRESS", default="3/d")
# An address not confirmed within this many days is deleted.
HOSTPOLICY_SUBSCRIBE_CONFIRM_DAYS = env.int("HOSTPOLICY_SUBSCRIBE_CONFIRM_DAYS", default=7)
# "Today" for the public side (which version is in force, notice periods): the real date unless set
# to YYYY-MM-DD (tests move the clock this way; generator.public.clock).
HOSTPOLICY_TODAY = env.str("HOSTPOLICY_TODAY", default="")
if HOSTPOLICY_TODAY:
    import datetime as _datetime

    _datetime.date.fromisoformat(HOSTPOLICY_TODAY)  # a wrong date stops the start, not a page later
# Drafts untouched this many days and never published are deleted by `manage.py expire_drafts`.
HOSTPOLICY_DRAFT_EXPIRY_DAYS = env.int("HOSTPOLICY_DRAFT_EXPIRY_DAYS", default=90)

# Email (notices of policy changes, subscription confirmations) through Django's email framework,
# configured by one URL: smtp://user:password@host:587 (smtp+tls://, smtp+ssl:// for TLS), or
# consolemail:// (the default: printed by the server, for `make run`).
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="HostPolicy <no-reply@localhost>")

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
if PRODUCTION:
    # collectstatic writes here; WhiteNoise serves the compressed, hashed copies.
    STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
else:
    # Locally WhiteNoise serves straight from static/, so no collectstatic step is needed.
    WHITENOISE_USE_FINDERS = True
    WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Rendered PDFs, keyed by a hash of their HTML, so an unchanged policy is not rendered again.
HOSTPOLICY_CACHE_DIR = Path(env.str("HOSTPOLICY_CACHE_DIR", default=str(BASE_DIR / "var" / "cache")))
# At most this many cached PDFs; the least recently downloaded go first.
HOSTPOLICY_PDF_CACHE_MAX_FILES = env.int("HOSTPOLICY_PDF_CACHE_MAX_FILES", default=1000)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Uploaded answers files are small; refuse anything larger before parsing it.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# No inline script or style anywhere: every script and stylesheet is a file under static/.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # X-Forwarded-Proto is believed only when a proxy in front sets it (and strips it from clients):
    # otherwise anyone could claim https and skip the redirect.
    if HOSTPOLICY_BEHIND_PROXY:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Secret links never reach a log line (generator.logs): every handler redacts draft tokens.
    "filters": {"redact_tokens": {"()": "generator.logs.RedactTokens"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact_tokens"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's own loggers (request errors, runserver's access lines) go through the same handler.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "fontTools": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
    },
}

# Django's form renderer, with the plainest widgets written out in Python (generator/web/form_renderer.py).
FORM_RENDERER = "generator.web.form_renderer.WizardFormRenderer"
