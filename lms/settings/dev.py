"""Local development and the demo: `make run`."""

from .base import *  # noqa: F403
from .base import env_bool, env_list

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production"  # noqa: F405
# The demo runs tasks in the request so that nothing else needs starting.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# `make run HOST=0.0.0.0` is for phones on the same network, which use this machine's address.
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "*")
# DEBUG shows tracebacks for 500s, but a wrong address still gets the site's own 404.
MIDDLEWARE = [*MIDDLEWARE, "lms.error_pages.SiteNotFoundMiddleware"]  # noqa: F405
