"""`make bench`: the production settings, plus the floor view's URL (tests/bench/urls.py);
the middleware, database and cache configuration are production's, unchanged. With
BENCH_TRICK_OFF=<name>, one speed trick of the exam's hot paths is switched off
(tests/bench/switches.py)."""

import os

from lms.settings.production import *  # noqa: F403

ROOT_URLCONF = "tests.bench.urls"

if os.environ.get("BENCH_TRICK_OFF"):
    INSTALLED_APPS = [*INSTALLED_APPS, "tests.bench.switches.TrickOff"]  # noqa: F405
