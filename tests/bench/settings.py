"""`make bench`: the production settings, plus the floor view's URL (tests/bench/urls.py);
the middleware, database and cache configuration are production's, unchanged."""

from lms.settings.production import *  # noqa: F403

ROOT_URLCONF = "tests.bench.urls"
