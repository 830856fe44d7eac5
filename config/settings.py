"""Pathwise settings: one module, driven by environment variables with embedded defaults."""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


DEBUG = env_bool("DEBUG", False)
# The embedded key is public: with it anyone could forge sessions, reset and invitation links.
# It only ever serves DEBUG=1 (make run); anything else must set SECRET_KEY or does not start.
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it to 50+ random characters "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))'), or DEBUG=1 on a laptop."
        )
    SECRET_KEY = "django-insecure-pathwise-local-development-key-only"  # noqa: S105 (public on purpose)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_htmx",
    "nested_admin",
    "axes",
    "django_ratelimit",
    "accounts",
    "catalog",
    "roadmap",
    "mentoring",
    "reminders",
    "jobs",
    # The JSON API (issue 16): django-ninja's app only serves its docs page's static files and template.
    "ninja",
    "api",
    "sharing",
]

MIDDLEWARE = [
    # First, so every response (redirects and static files too) carries the id and is logged.
    "config.middleware.RequestIdMiddleware",
    # Outside the rest: every /api/ error (the NUL filter's and the resolver's too) is problem+json.
    "api.middleware.ProblemDetailsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads the session or a form: PostgreSQL cannot take a NUL in a query.
    "config.middleware.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.middleware.PrivateCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Axes last: it must see the outcome of authentication.
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
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
    {
        # The plan page's content and fragments (*.jinja beside the Django templates): config/jinja.py.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "config.jinja.environment",
            # The apps' helpers that the Jinja2 templates call (config/jinja.py imports no app).
            "globals": {
                "status_buttons": "roadmap.templatetags.plan.status_buttons",
                "unread_counts": "mentoring.selectors.comments.request_unread",
                "focus_line": "jobs.focus.focus_line",
            },
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
if IS_POSTGRES and not env_bool("DB_JIT", False):
    # Page queries are short: PostgreSQL's JIT compiles for longer than they run (the mentor
    # dashboard's grouped query at 200 mentees: ~40 ms without JIT, ~600 ms with it). DB_JIT=1 restores it.
    _db_options = DATABASES["default"].setdefault("OPTIONS", {})
    _db_options["options"] = f"{_db_options.get('options', '')} -c jit=off".strip()

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # Pages read the cache (the plan page) and compute afresh when it fails: fail fast.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "roadmap:plan"
LOGOUT_REDIRECT_URL = "home"

# Failed-login throttling (django-axes): lock the username+IP pair, not a whole office's IP.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
# A very long attempted username would not fit axes' 255-character column (a 500 on PostgreSQL).
AXES_USERNAME_CALLABLE = "accounts.throttling.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
# The client address: X-Forwarded-For only from the PROXY_COUNT trusted proxies BEHIND_PROXY declares.
BEHIND_PROXY = env_bool("BEHIND_PROXY")
PROXY_COUNT = env_int("PROXY_COUNT", 1)
AXES_CLIENT_IP_CALLABLE = "accounts.throttling.client_ip"
# Password spraying (a few guesses at each of many accounts) stays under the per-account limit:
# failed log-ins are also counted per client address, across accounts, in the cache.
LOGIN_FAILURES_PER_IP = env_str("LOGIN_FAILURES_PER_IP", "30/h")

# Rate limits (django-ratelimit) count in the default cache: Redis in production, shared by workers.
RATELIMIT_USE_CACHE = "default"
RATELIMIT_ENABLE = env_bool("RATELIMIT_ENABLE", True)
RATELIMIT_IP_META_KEY = "accounts.throttling.client_ip"
# Status changes per learner: room for fast clicking through a plan, not for a script.
STEP_STATUS_RATE = env_str("STEP_STATUS_RATE", "120/m")
# Changes that re-plan (choices, including, pinning, moving, hiding, focus, pace): each rebuilds the plan.
PLAN_CHANGE_RATE = env_str("PLAN_CHANGE_RATE", "30/m")
# Job ads analysed or saved per learner (each analysis runs the matcher over up to 20,000 characters).
JOB_AD_RATE = env_str("JOB_AD_RATE", "20/m")
# API requests per personal access token (or per session user, or per client IP on the public catalog).
API_RATE = env_str("API_RATE", "300/m")
# The largest API request body: notes (20,000 characters) fit with room; anything bigger is a 413.
API_MAX_BODY_BYTES = env_int("API_MAX_BODY_BYTES", 128 * 1024)
# django-ratelimit 4.1 predates Django's own RedisCache (W001 "not officially supported"); it needs
# atomic add/incr, which RedisCache gives. Without REDIS_URL (make run, make test) the local-memory
# cache is per process (E003): fine for one process there.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"] + ([] if REDIS_URL else ["django_ratelimit.E003"])

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Hashed, compressed names in production (STATIC_MANIFEST=1 after collectstatic); plain elsewhere.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("STATIC_MANIFEST")
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not env_bool("STATIC_MANIFEST")

# Mail (Django 6.1 MAILERS). EMAIL_URL=smtp://user:pass@host:port; console when unset.
EMAIL_URL = env_str("EMAIL_URL")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Pathwise <noreply@pathwise.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL


def _mailer_from_url(url: str) -> dict[str, object]:
    from urllib.parse import unquote, urlsplit

    if not url:
        return {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    parts = urlsplit(url)
    if parts.scheme == "console":
        return {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parts.scheme == "locmem":
        return {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    return {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": parts.hostname or "localhost",
            "port": parts.port or 25,
            "username": unquote(parts.username or ""),
            "password": unquote(parts.password or ""),
            "use_tls": parts.scheme == "smtp+tls",
            "use_ssl": parts.scheme == "smtps",
            "timeout": env_int("EMAIL_TIMEOUT", 10),
        },
    }


MAILERS = {"default": _mailer_from_url(EMAIL_URL)}

# Celery: Redis as broker; with no broker configured tasks run in-process.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
# In-process tasks still pass through a producer: an in-memory one keeps kombu from seeking a broker.
CELERY_BROKER_URL = CELERY_BROKER_URL or "memory://localhost/"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "UTC"
# Unacknowledged tasks (a worker died) go back to the queue after this many seconds.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600)}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "celery")
# Reminder rows still queued, never tried, this many seconds after their sweep lost their task (a
# killed worker's reserved tasks come back only after the visibility timeout): beat checks every
# REMINDER_REQUEUE_EVERY seconds and queues them again (reminders.services.stale_requeue).
REMINDER_REQUEUE_AFTER = env_int("REMINDER_REQUEUE_AFTER", 300)
REMINDER_REQUEUE_EVERY = env_int("REMINDER_REQUEUE_EVERY", 60)
# Sweeps are idempotent (reminders.services): a late or repeated run sends nothing twice, and an
# expired one is simply dropped because the next run picks up whatever is due.
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    "reminders-requeue": {
        "task": "reminders.tasks.reminders_requeue",
        "schedule": float(REMINDER_REQUEUE_EVERY),  # seconds
        "options": {"expires": REMINDER_REQUEUE_EVERY},
    },
    "reminders": {
        "task": "reminders.tasks.reminders_sweep",
        "schedule": crontab(minute="*/15"),
        "options": {"expires": 14 * 60},
    },
    "nudges": {
        "task": "reminders.tasks.nudges_sweep",
        "schedule": crontab(minute=5),
        "options": {"expires": 55 * 60},
    },
    # Daily, but each mentor gets one digest per ISO week: a missed Monday is caught up on Tuesday.
    "mentor-digests": {
        "task": "reminders.tasks.digests_sweep",
        "schedule": crontab(minute=10, hour=7),
        "options": {"expires": 23 * 3600},
    },
    # Mentoring news for those who chose a daily summary; a repeated run sends no summary twice.
    "mentoring-summaries": {
        "task": "mentoring.tasks.summaries_sweep",
        "schedule": crontab(minute=20, hour=7),
        "options": {"expires": 23 * 3600},
    },
}
# A failing mail server is retried REMINDER_MAX_RETRIES times, waiting about
# REMINDER_RETRY_BACKOFF seconds, then twice as long each time (at most 10 minutes).
REMINDER_MAX_RETRIES = env_int("REMINDER_MAX_RETRIES", 5)
REMINDER_RETRY_BACKOFF = env_int("REMINDER_RETRY_BACKOFF", 30)
# A sweep with more sends than this hands them to the workers in batches of this size.
REMINDER_FAN_OUT = env_int("REMINDER_FAN_OUT", 500)

# Account mails (address verification, mentor invitations, password reset) are Celery tasks
# retried like reminders (REMINDER_MAX_RETRIES, REMINDER_RETRY_BACKOFF); a verification link lasts:
EMAIL_VERIFY_MAX_AGE_DAYS = env_int("EMAIL_VERIFY_MAX_AGE_DAYS", 3)
# Rate limits ("count/period", period s, m, h or d), counted in the default cache (Redis in
# production). Over a limit the form says so with status 429. RATELIMIT_ENABLE=0 turns them off.
RATE_SIGNUP = env_str("RATE_SIGNUP", "5/h")  # sign-ups per client IP
RATE_SIGNUP_PER_ADDRESS = env_str("RATE_SIGNUP_PER_ADDRESS", "3/h")  # attempts per e-mail address
RATE_PASSWORD_RESET = env_str("RATE_PASSWORD_RESET", "5/h")  # reset requests per client IP
RATE_PASSWORD_RESET_PER_ADDRESS = env_str("RATE_PASSWORD_RESET_PER_ADDRESS", "3/h")  # per address
RATE_INVITE = env_str("RATE_INVITE", "10/h")  # mentor invitations per client IP
RATE_INVITE_PER_USER = env_str("RATE_INVITE_PER_USER", "10/h")  # per sending account
RATE_INVITE_PER_ADDRESS = env_str("RATE_INVITE_PER_ADDRESS", "3/h")  # per invited address
RATE_VERIFY_RESEND = env_str("RATE_VERIFY_RESEND", "3/h")  # verification mails per account

# Product knobs.
STALLED_AFTER_DAYS = env_int("STALLED_AFTER_DAYS", 14)
NUDGE_AFTER_DAYS = env_int("NUDGE_AFTER_DAYS", 7)
REVIEW_OVERDUE_DAYS = env_int("REVIEW_OVERDUE_DAYS", 14)
MENTOR_INVITE_MAX_AGE_DAYS = env_int("MENTOR_INVITE_MAX_AGE_DAYS", 14)

# Security. Production turns these on through the environment (see README "Operations").
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
# Probes speak plain http to the web process itself (docker-compose healthcheck, load balancers).
SECURE_REDIRECT_EXEMPT = [r"^healthz"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Logs: one JSON object per line on stderr (LOG_FORMAT=json, the default unless DEBUG), request and
# task ids included; LOG_FORMAT=plain for people reading a terminal.
LOG_FORMAT = env_str("LOG_FORMAT", "plain" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "config.logging.JsonFormatter"},
    },
    # Every handler redacts secret URL parts (feed and card tokens, signed links): config.logging.
    "filters": {"redact_secrets": {"()": "config.logging.RedactSecrets"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["redact_secrets"]}
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own handlers on "django" (an unfiltered console under DEBUG, mail to ADMINS, of whom
        # there are none) are dropped: its lines reach the root handler, once and redacted.
        "django": {"handlers": [], "level": "INFO"},
        "django.db.backends": {"level": "WARNING"},
        # The access line of config.middleware replaces runserver's and gunicorn's own; runserver's
        # 4xx/5xx lines still come, through our handler (not Python's unfiltered last resort).
        "django.server": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "pathwise.access": {"level": env_str("ACCESS_LOG_LEVEL", "INFO")},
    },
}

# Badges (sharing.keys): the private Ed25519 key that signs them, a JWK or PEM, from the environment in
# production; with DEBUG and none set, one is made once and kept in BADGE_KEY_FILE.
BADGE_SIGNING_KEY = env_str("BADGE_SIGNING_KEY", "")
BADGE_KEY_FILE = BASE_DIR / "var" / "badge_signing_key.jwk"
