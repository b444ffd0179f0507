"""Production: every secret from the environment; refuses to start without a secret key."""

import copy
import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import SECRET_KEY, env_bool

if not SECRET_KEY:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is not set: production settings refuse to start without it."
    )

DEBUG = False
SERVE_MEDIA = env_bool("SERVE_MEDIA", False)
# TLS usually ends at nginx or the load balancer, which tells us the original scheme.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = True

# A copy, so that the additions below never leak into the base module's dict.
CONTENT_SECURITY_POLICY = copy.deepcopy(CONTENT_SECURITY_POLICY)  # noqa: F405

# Media on S3-compatible object storage (the `s3` extra) when a bucket is named; the local
# disk at MEDIA_ROOT otherwise. Several app servers need one of: this, or a shared disk.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL") or None
    AWS_S3_REGION_NAME = os.environ.get("AWS_S3_REGION_NAME") or None
    # Keys come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (boto3 reads them itself,
    # or an instance role supplies them), never from this file.
    AWS_S3_CUSTOM_DOMAIN = os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None
    # Private bucket, signed URLs that expire: evidence files and exam images are not
    # public. With a CDN domain in front, URLs are plain and the CDN controls access.
    AWS_DEFAULT_ACL = None
    AWS_QUERYSTRING_AUTH = AWS_S3_CUSTOM_DOMAIN is None
    AWS_QUERYSTRING_EXPIRE = 6 * 3600
    AWS_S3_FILE_OVERWRITE = False
    AWS_S3_OBJECT_PARAMETERS = {"CacheControl": "private, max-age=86400"}
    STORAGES = {
        **STORAGES,  # noqa: F405
        "default": {"BACKEND": "storages.backends.s3.S3Storage"},
    }
    # Lesson videos, images and PDFs now come from the bucket's (or the CDN's) origin.
    _media_origin = (
        f"https://{AWS_S3_CUSTOM_DOMAIN}" if AWS_S3_CUSTOM_DOMAIN else AWS_S3_ENDPOINT_URL
    ) or f"https://{AWS_STORAGE_BUCKET_NAME}.s3.amazonaws.com"
    for _directive in ("img-src", "media-src", "connect-src"):
        CONTENT_SECURITY_POLICY["DIRECTIVES"][_directive] = [
            *CONTENT_SECURITY_POLICY["DIRECTIVES"][_directive],
            _media_origin,
        ]

# Behind TLS every subresource must be HTTPS too; a stray http:// link is upgraded.
CONTENT_SECURITY_POLICY["DIRECTIVES"]["upgrade-insecure-requests"] = True
