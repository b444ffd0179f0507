"""The site's URLs plus the floor: a bare view doing one indexed upsert, the most a
Django view can do per request on this machine, to compare the answer save against."""

import json

from django.db import connection
from django.http import JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def floor(request, attempt_id):
    # The table is made by tests/bench/run.py (FLOOR_TABLE), like an indexed answer table.
    payload = json.loads(request.body)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_floor VALUES (%s, %s, %s::jsonb, %s, now())"
            " ON CONFLICT (attempt_id, position) DO UPDATE SET answer = EXCLUDED.answer,"
            " answer_seq = EXCLUDED.answer_seq, answered_at = EXCLUDED.answered_at",
            [attempt_id, payload["position"], json.dumps(payload["answer"]), payload["seq"]],
        )
    return JsonResponse({"ok": True})


urlpatterns = [
    path("bench/floor/<int:attempt_id>/", floor),
    path("", include("lms.urls")),
]
