"""Settings shared by every environment; everything secret or site-specific comes from the
environment (see README, "Configuration")."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "lms.accounts",
    "lms.home",
    "lms.evaluation",
    "courses",
    "exams",
    "lms.imports",
    "wagtail.contrib.forms",
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
    "wagtailmedia",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # Outermost, so that it also sees a database error raised inside another middleware
    # (loading the session's user) and answers 503 instead of 500.
    "lms.middleware_db.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "lms.accounts.middleware.AccountGateMiddleware",
    "lms.admin_guards.ChooserIdGuardMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "lms.urls"
WSGI_APPLICATION = "lms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lms.home.context_processors.site_preferences",
                "lms.home.context_processors.bottom_nav",
            ],
        },
    },
]


def default_sqlite_url() -> str:
    """The embedded database; its folder is git-ignored, so a fresh clone has to make it."""
    folder = BASE_DIR / "var"
    folder.mkdir(exist_ok=True)
    return f"sqlite:///{folder / 'db.sqlite3'}"


DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or default_sqlite_url(),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        # Off by default: the check is a SELECT 1 before each request's first query, 39% of
        # an answer save's time under load. Instead each request polls its connection's
        # socket and drops one the server has ended (lms/middleware_db.py).
        conn_health_checks=env_bool("DB_CONN_HEALTH_CHECKS", False),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
    # Sessions live in Redis so that any app server can answer any request.
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "lms.accounts.backends.PhoneOrUsernameBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    "lms.accounts.hashers.OneTimePasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# allauth: sign in by phone number or username (one field); no public sign-up.
ACCOUNT_ADAPTER = "lms.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_FORMS = {"login": "lms.accounts.forms.LoginForm"}
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_SESSION_REMEMBER = None
# Failed sign-ins per client address (lms.client_ip, so behind nginx per cadre, not per
# nginx); per account there is no lockout a stranger could trigger, but a growing wait
# (lms/accounts/sign_in_delay.py): SIGN_IN_FREE_FAILURES, then 2, 4, 8… seconds, at most
# SIGN_IN_DELAY_MAX.
ACCOUNT_RATE_LIMITS = {"login_failed": "20/m/ip"}
SIGN_IN_FREE_FAILURES = 4
SIGN_IN_DELAY_MAX = 60
# Proxies (addresses or networks, comma-separated) whose X-Forwarded-For is believed.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "干部学法"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# Ours first; then locale_vendor/, the admin strings that Wagtail's own zh_Hans catalogue
# leaves untranslated and django-filter's, which ships as zh_CN: a name Django never looks
# up for zh-hans, so the admin's filters ("Any", "Yes", "Unknown") stayed English.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_vendor"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# Every township keeps China's time: no list of 600 English zone names in the preferences.
WAGTAIL_USER_TIME_ZONES = [TIME_ZONE]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "lms" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or BASE_DIR / "media")
# Django serves /media/ itself unless nginx or object storage does (production).
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)
# Rosters and question banks are uploaded whole; larger files are refused with a message.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

WAGTAIL_SITE_NAME = "干部学法"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# Our view at /admin/login/: signs in through allauth, or tells a signed-in cadre or unit
# leader where their work is (lms/accounts/views.py).
WAGTAILADMIN_LOGIN_URL = "admin_sign_in"
# The admin reaches nothing outside the site: township networks are often offline or
# filtered, and staff read no English release notes or guides.
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# Uploads: what each kind of file may be and how large (lms/uploads.py holds the
# validators; nginx's client_max_body_size in deploy/nginx.conf matches the largest).
UPLOAD_LIMITS_MB = {"image": 10, "document": 50, "video": 1024, "audio": 200, "evidence": 5}
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp", "gif"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = UPLOAD_LIMITS_MB["image"] * 1024 * 1024
# A phone photo is at most ~50 megapixels; anything larger is a decompression bomb.
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 60_000_000
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "vtt"]
# Bounds on an imported spreadsheet (questions, roster), checked before it is opened and
# while it is read (lms/spreadsheet_limits.py); each refusal names its limit.
IMPORT_LIMITS = {
    "cell_chars": 5000,
    "columns": 50,
    "rows": 20000,
    "xlsx_entries": 100,
    "xlsx_uncompressed_mb": 20,
}
WAGTAILDOCS_DOCUMENT_FORM_BASE = "lms.uploads.DocumentForm"
WAGTAILIMAGES_IMAGE_FORM_BASE = "lms.uploads.ImageForm"
WAGTAILMEDIA = {
    "MEDIA_FORM_BASE": "lms.uploads.MediaForm",
    # What phones play natively; other formats must be converted before upload.
    "VIDEO_EXTENSIONS": ["mp4", "m4v", "webm", "mov"],
    "AUDIO_EXTENSIONS": ["mp3", "m4a", "aac", "ogg"],
}

# Content-Security-Policy. Our pages load only their own scripts (lms/static/js), so
# scripts are 'self' (plus a per-request nonce for a template that must inline one).
# Styles allow 'unsafe-inline' because progress bars set `style="width: N%"`: an
# injected style cannot run code, every value is auto-escaped, and a nonce cannot cover
# style attributes. Wagtail's admin needs inline scripts and styles of its own and is
# excluded; it is reachable only by trainers and HR, who sign in with MFA.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, UNSAFE_INLINE],
        # data: for the TOTP QR code that allauth's MFA page shows as a data URI.
        "img-src": [SELF, "data:"],
        "media-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        # Wagtail's page preview frames our pages from the admin, on the same origin.
        "frame-ancestors": [SELF],
    },
}

# Files served at the site's root (favicon.ico), by WhiteNoise like the static files.
WHITENOISE_ROOT = BASE_DIR / "lms" / "static_root"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# An import larger than this (rows of a sheet, or bytes of any file) runs as a background
# task with a progress page instead of in the request (lms/imports).
IMPORT_BACKGROUND_ROWS = int(os.environ.get("IMPORT_BACKGROUND_ROWS", "2000"))
IMPORT_BACKGROUND_BYTES = int(os.environ.get("IMPORT_BACKGROUND_BYTES", str(1024 * 1024)))

SITE_TITLE = _("Cadre legal training")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Each inline task logs its start and end at INFO; that drowns the demo's output.
    "loggers": {"django_tasks": {"level": "WARNING"}, "wagtail": {"level": "WARNING"}},
}
