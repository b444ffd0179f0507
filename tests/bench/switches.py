"""Bench only: the exam hot paths' speed tricks switched off, one at a time, for
`python -m tests.bench.tricks` to measure each against the code without it.

`BENCH_TRICK_OFF=<name>` in a bench server's environment adds this app to the bench
settings (tests/bench/settings.py); its `ready()` replaces the trick by what the code
would do without it, before gunicorn forks its workers. The foreign keys the attempts do
without are a database matter: the runner adds them with `FOREIGN_KEYS_ADD`."""

import os
import threading

from django.apps import AppConfig

ENVIRONMENT = "BENCH_TRICK_OFF"


def _draw_cache_off():
    """The exam's plan read from the database at each start (once, not by each step)."""
    from django.core.signals import request_started

    from exams.services import draw

    local = threading.local()

    def forget(**_kwargs):
        local.plans = {}

    def exam_plan(exam_id):
        plans = getattr(local, "plans", None)
        if plans is None:
            plans = local.plans = {}
        if exam_id not in plans:
            plans[exam_id] = draw._plan_read(exam_id)
        return plans[exam_id]

    request_started.connect(forget, weak=False, dispatch_uid="bench-draw-cache-off")
    draw.exam_plan = exam_plan


def _splice_off():
    """Every question block through the template."""
    from django.template.loader import get_template

    from exams import attempt_blocks
    from exams.views import attempts

    def question_blocks(questions):
        template = get_template(attempt_blocks.TEMPLATE)
        return [template.render({"q": question}) for question in questions]

    attempts.question_blocks = question_blocks


def _pg_start_off():
    """The attempt saved, then its items in a multi-row insert, in a transaction (SQLite's
    way) on PostgreSQL too."""
    from exams.services.attempts import start

    start._attempt_insert = start._attempt_insert_portable


SWITCHES = {
    "draw_cache": _draw_cache_off,
    "splice": _splice_off,
    "pg_start": _pg_start_off,
}

# The attempts' foreign keys as a migration would make them (Django's are deferrable).
_FOREIGN_KEYS = [
    ("exams_attempt", "exam_id", "exams_exam"),
    ("exams_attemptitem", "question_id", "exams_question"),
    ("exams_attemptitem", "version_id", "exams_questionversion"),
]
FOREIGN_KEYS_ADD = ";".join(
    f"ALTER TABLE {table} ADD CONSTRAINT bench_{column}_fk FOREIGN KEY ({column})"
    f" REFERENCES {target} (id) DEFERRABLE INITIALLY DEFERRED"
    for table, column, target in _FOREIGN_KEYS
)
FOREIGN_KEYS_DROP = ";".join(
    f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS bench_{column}_fk"
    for table, column, _target in _FOREIGN_KEYS
)


class TrickOff(AppConfig):
    name = "tests.bench"
    label = "bench_tricks"
    # Given: `tests` is a namespace package, whose path Django will not guess.
    path = os.path.dirname(__file__)

    def ready(self):
        SWITCHES[os.environ[ENVIRONMENT]]()
