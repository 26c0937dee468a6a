"""Settings for 军休老年大学在线, read from the environment.

With no environment at all the site runs embedded: SQLite, the in-memory channel layer, local
memory cache and files under media/. DATABASE_URL, REDIS_URL and AWS_STORAGE_BUCKET_NAME switch
each concern to its scaled backend; README.md lists every variable.
"""

import json
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("生产模式（DJANGO_DEBUG=0）必须设置 SECRET_KEY 环境变量。")
    SECRET_KEY = "dev-only-insecure-key-change-me-in-production-0123456789abcdef"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
# Addresses of our own reverse proxies: only a request from one of them has its visitor's
# address believed from X-Forwarded-For (accounts.addresses.client_address).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "daphne",
    # Our apps, listed before Wagtail and Django so that their templates take precedence.
    "core",
    "search",
    "accounts",
    "rooms",
    "courses",
    "notices",
    "live",
    "circles",
    "home",
    "staff",
    "wagtail.contrib.forms",
    "wagtail.contrib.frontend_cache",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "channels",
    "storages",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.FirstPasswordMiddleware",
    "accounts.middleware.HelperModeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "core.refusals.RefusalMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # site/ is the site's face: base templates and shared components, no Python.
        "DIRS": [BASE_DIR / "site" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.elder_mode",
                "accounts.context_processors.institution_contact",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------

# WAL lets readers and the one writer work at the same time; IMMEDIATE transactions plus a
# busy timeout make concurrent writers wait, not fail ("database is locked").
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}
# Persistent connections suit gunicorn's worker processes (the production topology sets
# CONN_MAX_AGE); under Daphne (ASGI) Django's documentation asks for 0: each request runs on
# a thread of its own whose connection would otherwise stay open.
CONN_MAX_AGE = int(os.environ.get("CONN_MAX_AGE", "0"))
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=CONN_MAX_AGE, conn_health_checks=True
        )
    }
    if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        DATABASES["default"]["OPTIONS"] = SQLITE_OPTIONS
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            "OPTIONS": SQLITE_OPTIONS,
            "CONN_MAX_AGE": CONN_MAX_AGE,
            "CONN_HEALTH_CHECKS": True,
            # A file, not memory, so that a Daphne process started by the browser tests
            # sees the same test database.
            # (TEST_SQLITE_PATH: two test runs side by side, each on its own file.)
            "TEST": {
                "NAME": os.environ.get("TEST_SQLITE_PATH", str(BASE_DIR / ".test-db.sqlite3"))
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Channels and cache ---------------------------------------------------------------------

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                # socket_timeout None keeps idle consumers open (channels_redis issue 422).
                "hosts": [{"address": REDIS_URL, "socket_timeout": None}],
                "prefix": os.environ.get("CHANNELS_PREFIX", "junxiu"),
                # One hub channel per process carries a whole room's traffic (rooms/fanout.py).
                "capacity": 1000,
            },
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_PREFIX", "junxiu"),
            # While Redis is away (a restart) reads miss and writes are dropped, so pages are
            # built afresh instead of failing.
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
            },
        }
    }
else:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels.layers.InMemoryChannelLayer",
            "CONFIG": {"capacity": 1000},
        }
    }
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Live classes ---------------------------------------------------------------------------

# 出勤 / 迟到 / 早退 / 缺勤: late after this many minutes, early leave when leaving this many
# minutes before the end, absent when present for less than this fraction of the class.
LIVE_ATTENDANCE = {
    "late_after_minutes": int(os.environ.get("LIVE_LATE_AFTER_MINUTES", "10")),
    "early_leave_minutes": int(os.environ.get("LIVE_EARLY_LEAVE_MINUTES", "10")),
    "absent_below_fraction": float(os.environ.get("LIVE_ABSENT_BELOW_FRACTION", "0.2")),
}

# STUN/TURN servers for the browser-to-browser video of small classes, as the JSON list that
# RTCPeerConnection takes, e.g. [{"urls": "turn:turn.example.cn:3478", "username": "…",
# "credential": "…"}]. Empty works on one network (and in the tests).
LIVE_ICE_SERVERS = json.loads(os.environ.get("LIVE_ICE_SERVERS", "[]"))
# The instructor's browser sends one stream per participant: classes bigger than this use an
# HLS address from a streaming service instead.
LIVE_WEBRTC_MAX_PARTICIPANTS = int(os.environ.get("LIVE_WEBRTC_MAX_PARTICIPANTS", "30"))
# A broadcast is framed once and written to each Daphne connection directly (rooms/fanout.py:
# a room of a thousand in a tenth of the time); off, every socket gets Channels' public send.
LIVE_DIRECT_FANOUT = env_bool("LIVE_DIRECT_FANOUT", True)
# Each Daphne process marks its sockets' presence rows as seen this often; a row not seen for
# LIVE_PRESENCE_STALE_SECONDS belonged to a process that died (SIGKILL, power) and is closed.
LIVE_PRESENCE_HEARTBEAT_SECONDS = float(os.environ.get("LIVE_PRESENCE_HEARTBEAT_SECONDS", "30"))
LIVE_PRESENCE_STALE_SECONDS = float(os.environ.get("LIVE_PRESENCE_STALE_SECONDS", "90"))

# --- Files ----------------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "site" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", str(BASE_DIR / "media")))
# Behind nginx (the launcher sets /protected-media/): Django checks who may have a file and
# answers with X-Accel-Redirect to this internal location; nginx sends the bytes with ranges.
MEDIA_X_ACCEL_PREFIX = os.environ.get("MEDIA_X_ACCEL_PREFIX", "")

AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    MEDIA_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY") or None,
            "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            "file_overwrite": False,
            "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", True),
        },
    }
else:
    MEDIA_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}

STORAGES = {
    "default": MEDIA_STORAGE,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "core.storage.StaticFilesStorage"
    },
}
# In debug WhiteNoise serves straight from the apps' static folders, so no collectstatic.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# --- Accounts -------------------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["accounts.backends.PhoneOrAccountNameBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home:me"
LOGOUT_REDIRECT_URL = "/"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "accounts.hashers.InitialPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 6},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Five wrong passwords for an account name, from anywhere, lock it for 15 minutes (staff can
# unlock at once); accounts.backends enforces it on every login page, Wagtail's included.
# After LOGIN_ADDRESS_FAILURE_LIMIT wrong passwords for one account name from one address, that
# pair waits 30 seconds before its next try, twice as long after each further failure. An
# address is never locked as a whole: behind a proxy every visitor may share one.
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("LOGIN_ADDRESS_FAILURE_LIMIT", "3"))
LOGIN_LOCK_MINUTES = int(os.environ.get("LOGIN_LOCK_MINUTES", "15"))
# Retirees must never be logged out in the middle of learning (ours: at least 30 days).
SESSION_COOKIE_AGE = 60 * 60 * 24 * 45
# Sessions are kept in the database and read through the cache (one query less per page;
# the database still answers when the cache is empty or Redis is away).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_SAVE_EVERY_REQUEST = False

# --- Language and time ----------------------------------------------------------------------

LANGUAGE_CODE = "zh-hans"
# Chinese only, whatever the browser asks for: many retirees' tablets are set to English
# without their knowing it.
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
# Our catalog fills the admin words Wagtail's own zh_Hans catalogs leave in English; Django
# reads LOCALE_PATHS before the apps' catalogs, so ours wins where both have a word.
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

# --- Wagtail --------------------------------------------------------------------------------

WAGTAIL_SITE_NAME = "军休老年大学在线"
WAGTAILADMIN_BASE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAIL_CONTENT_LANGUAGES = [("zh-hans", "简体中文")]
WAGTAILADMIN_PERMITTED_LANGUAGES = [("zh-hans", "简体中文")]
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "txt", "csv"]
# Documents always go through Wagtail's view, where notices.wagtail_hooks checks who the
# notice is addressed to; core.media sends the file (X-Accel-Redirect behind nginx).
WAGTAILDOCS_SERVE_METHOD = "serve_view"
SENDFILE_BACKEND = "core.media"
# Everyone works in Beijing time: no list of 400 English time-zone names on the account page.
WAGTAIL_USER_TIME_ZONES = ["Asia/Shanghai"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
# Pages a visitor without an account sees like any other (core.pages.SitePage) may be
# kept by nginx (the production topology) or a CDN; publishing purges them there. nginx takes
# Wagtail's PURGE request from loopback as "fetch this page again" (config/nginx.conf.template).
FRONTEND_CACHE_URL = os.environ.get("FRONTEND_CACHE_URL", "")
WAGTAILFRONTENDCACHE = (
    {
        "nginx": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": FRONTEND_CACHE_URL,
        }
    }
    if FRONTEND_CACHE_URL
    else {}
)
# The admin login shows the same plain lock messages as the site's.
WAGTAILADMIN_USER_LOGIN_FORM = "accounts.forms.AdminLoginForm"
WAGTAIL_FINISH_WORKFLOW_ACTION = "courses.publishing.publish_approved"
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- Security -------------------------------------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"  # Wagtail previews set SAMEORIGIN on their own views
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # Off only where the site is reached over plain HTTP (config/serve.py on this machine).
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)

# Content-Security-Policy (django-csp): the site's own pages run only our own script files (no
# inline script anywhere; tests/test_security_headers.py checks every template) and load
# nothing from other hosts except where media is configured to live (an S3 bucket's or CDN's
# origin, a streaming service for HLS classes) and the hosts lesson embeds may show. The
# Wagtail admin, which needs inline scripts, keeps its own rules.
CSP_MEDIA_ORIGINS = env_list("CSP_MEDIA_ORIGINS", [])
if AWS_STORAGE_BUCKET_NAME:
    for address in (os.environ.get("AWS_S3_ENDPOINT_URL"), os.environ.get("AWS_S3_CUSTOM_DOMAIN")):
        if address:
            CSP_MEDIA_ORIGINS.append(address if "://" in address else f"https://{address}")
    if not os.environ.get("AWS_S3_ENDPOINT_URL"):
        CSP_MEDIA_ORIGINS.append("https://*.amazonaws.com")
CSP_FRAME_ORIGINS = env_list("CSP_FRAME_ORIGINS", [])
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:", *CSP_MEDIA_ORIGINS],
        "media-src": [SELF, "blob:", *CSP_MEDIA_ORIGINS],
        "connect-src": [SELF, *CSP_MEDIA_ORIGINS],
        "worker-src": [SELF, "blob:"],
        "font-src": [SELF],
        "frame-src": [SELF, *CSP_FRAME_ORIGINS],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Camera and microphone for this site's live classes only (django-permissions-policy).
PERMISSIONS_POLICY = {"camera": ["self"], "microphone": ["self"], "geolocation": []}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# The help line shown in the footer to visitors who are not logged in.
PLATFORM_HELP_PHONE = os.environ.get("PLATFORM_HELP_PHONE", "010-12345678")
# Largest lesson video or audio an instructor may upload, in MB.
LESSON_MEDIA_MAX_MB = int(os.environ.get("LESSON_MEDIA_MAX_MB", "1024"))

# --- Background work ------------------------------------------------------------------------

# django-tasks with its database backend: the queue is a table in the project's database, so
# `make run` needs nothing more and workers on any machine take tasks from PostgreSQL safely
# (`manage.py worker`, core/management/commands/worker.py). Wagtail's own background work
# (search and reference index) goes the same way.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A failed task is tried again this many times in all, waiting TASK_RETRY_DELAY seconds, then
# twice that, and so on; after the last try staff see it under 设置 → 后台任务 with 重试.
TASK_MAX_ATTEMPTS = int(os.environ.get("TASK_MAX_ATTEMPTS", "4"))
TASK_RETRY_DELAY = float(os.environ.get("TASK_RETRY_DELAY", "30"))
# A worker marks itself alive this often; a task whose worker has been silent for
# TASK_WORKER_LOST_AFTER seconds (killed, machine gone) is put back in the queue.
TASK_HEARTBEAT_SECONDS = float(os.environ.get("TASK_HEARTBEAT_SECONDS", "10"))
TASK_WORKER_LOST_AFTER = float(os.environ.get("TASK_WORKER_LOST_AFTER", "60"))
# Notifications to a notice's audience are stored (and pushed) this many people at a time,
# each batch in its own transaction.
ANNOUNCE_BATCH_SIZE = int(os.environ.get("ANNOUNCE_BATCH_SIZE", "1000"))

# --- Reminders ------------------------------------------------------------------------------

# 上课提醒: the evening before (Beijing time) and a quarter of an hour before the start.
CLASS_REMINDER_EVENING_HOUR = int(os.environ.get("CLASS_REMINDER_EVENING_HOUR", "19"))
CLASS_REMINDER_MINUTES_BEFORE = int(os.environ.get("CLASS_REMINDER_MINUTES_BEFORE", "15"))
# 未读提醒: a notice needing 我已阅读并知悉 still unacknowledged after this many days.
UNREAD_REMINDER_DAYS = int(os.environ.get("UNREAD_REMINDER_DAYS", "3"))
# The periodic jobs `manage.py scheduler` enqueues.
PERIODIC_JOBS = "config.schedule.JOBS"

# --- Web Push (手机提醒) ----------------------------------------------------------------------

# VAPID keys (`vapid --gen` of py-vapid, or any P-256 key pair): the public key base64url
# (uncompressed point), the private key base64url (raw 32 bytes) or PEM. Without them 我的
# says 手机提醒 is not available and nothing is pushed.
VAPID_PUBLIC_KEY = os.environ.get("VAPID_PUBLIC_KEY", "")
VAPID_PRIVATE_KEY = os.environ.get("VAPID_PRIVATE_KEY", "")
VAPID_SUBJECT = os.environ.get("VAPID_SUBJECT", "mailto:admin@example.org")
# No push between these hours, Beijing time (the stored notification waits on 我的).
PUSH_QUIET_FROM_HOUR = 21
PUSH_QUIET_UNTIL_HOUR = 7

# Janus (VideoRoom) carries the live classes' camera, screen and voice when JANUS_URL is set
# (the address browsers reach, e.g. https://live.example.cn/janus); JANUS_SERVER_URL is
# Django's own way there when it differs. Janus checks tokens Django signs with
# JANUS_TOKEN_SECRET (live/janus.py); JANUS_ADMIN_KEY lets only Django create rooms. Without
# JANUS_URL the room says in words that video is not available on this server.
JANUS_URL = os.environ.get("JANUS_URL", "")
# Without Janus, small classes fall back to the teacher's browser sending to each participant
# (the mesh, capped at LIVE_WEBRTC_MAX_PARTICIPANTS); off, the room says video is unavailable.
LIVE_MESH_FALLBACK = env_bool("LIVE_MESH_FALLBACK", True)
JANUS_SERVER_URL = os.environ.get("JANUS_SERVER_URL", "")
JANUS_TOKEN_SECRET = os.environ.get("JANUS_TOKEN_SECRET", "")
JANUS_ADMIN_KEY = os.environ.get("JANUS_ADMIN_KEY", "")
JANUS_ADMIN_SECRET = os.environ.get("JANUS_ADMIN_SECRET", "")
JANUS_RTP_PORTS = os.environ.get("JANUS_RTP_PORTS", "20000-40000")
JANUS_ROOM_OFFSET = int(os.environ.get("JANUS_ROOM_OFFSET", "100000"))
# A page's token lasts a class and some (Janus checks it on every request, keepalives too).
JANUS_TOKEN_SECONDS = int(os.environ.get("JANUS_TOKEN_SECONDS", str(3 * 3600)))
if JANUS_URL:
    # The room page talks to Janus's HTTP API itself.
    _janus = urlsplit(JANUS_URL)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["connect-src"].append(
        f"{_janus.scheme}://{_janus.netloc}"
    )
