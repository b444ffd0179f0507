"""Bench only: the exam hot paths' speed tricks switched off, one at a time, for
`python -m tests.bench.tricks` to measure each against the code without it.

`BENCH_TRICK_OFF=<name>` in a bench server's environment adds this app to the bench
settings (tests/bench/settings.py); its `ready()` replaces the trick by what the code
would do without it, before gunicorn forks its workers."""

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


SWITCHES = {
    "draw_cache": _draw_cache_off,
    "splice": _splice_off,
}


class TrickOff(AppConfig):
    name = "tests.bench"
    label = "bench_tricks"
    # Given: `tests` is a namespace package, whose path Django will not guess.
    path = os.path.dirname(__file__)

    def ready(self):
        SWITCHES[os.environ[ENVIRONMENT]]()
