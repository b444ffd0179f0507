"""Who gets what at every URL of ours: one row per URL pattern, one status per role.

To add a URL: add a row here under its URL name (or its route when it has none) with
the HTTP method, the URL's arguments (names from the `matrix_objects` fixture in
tests/security/conftest.py, or literal values) and the status each role must get:
anonymous, the cadre who owns the objects, another cadre, a unit leader of another unit,
a trainer, HR. test_access_matrix.py fails for every URL pattern without a row.
Statuses: 200 shown, 302 redirected (sign-in for anonymous, or onward), 403 refused,
404 "does not exist for you", 405 wrong method.
"""

from django.urls import reverse

ROLES = ("anon", "cadre", "other_cadre", "other_leader", "trainer", "hr")

# name: (method, {url kwarg: objects key or literal}, (anon, cadre, other, leader, trainer, hr))
MATRIX = {
    "home": ("GET", {}, (302, 200, 200, 200, 200, 200)),
    "practice_hub": ("GET", {}, (302, 200, 200, 200, 200, 200)),
    "me": ("GET", {}, (302, 200, 200, 200, 200, 200)),
    "credit_list": ("GET", {}, (302, 200, 200, 200, 200, 200)),
    "certificate_list": ("GET", {}, (302, 200, 200, 200, 200, 200)),
    "certificate_image": (
        "GET",
        {"attempt_id": "graded_attempt_id"},
        (302, 404, 404, 404, 404, 404),
    ),
    "text_size": ("POST", {}, (302, 302, 302, 302, 302, 302)),
    "set_language": ("POST", {}, (302, 302, 302, 302, 302, 302)),
    "unit_cadres": ("GET", {}, (302, 403, 403, 200, 403, 200)),
    "cadre_reset_password": ("POST", {"pk": "cadre_pk"}, (302, 403, 403, 404, 403, 200)),
    "law_list": ("GET", {}, (200, 200, 200, 200, 200, 200)),
    "law_detail": ("GET", {"slug": "law_slug"}, (200, 200, 200, 200, 200, 200)),
    "training_list": ("GET", {}, (302, 200, 200, 200, 200, 200)),
    "training_detail": ("GET", {"pk": "session_pk"}, (302, 200, 404, 404, 200, 200)),
    "training_qr": ("GET", {"pk": "session_pk"}, (302, 403, 404, 404, 200, 200)),
    "training_qr_count": ("GET", {"pk": "session_pk"}, (302, 403, 404, 404, 200, 200)),
    "training_qr_renew": ("POST", {"pk": "session_pk"}, (302, 403, 404, 404, 302, 302)),
    "training_checkin": (
        "GET",
        {"pk": "session_pk", "token": "checkin_token"},
        (302, 200, 403, 403, 403, 403),
    ),
    "study_heartbeat": ("POST", {}, (401, 400, 400, 400, 400, 400)),
    "site_search": ("GET", {}, (302, 200, 200, 200, 200, 200)),
    "exam_list": ("GET", {}, (302, 200, 200, 200, 200, 200)),
    "exam_detail": ("GET", {"exam_id": "exam_id"}, (302, 200, 200, 200, 200, 200)),
    "exam_start": ("POST", {"exam_id": "exam_id"}, (302, 200, 200, 200, 200, 200)),
    "attempt_page": ("GET", {"attempt_id": "attempt_id"}, (302, 200, 404, 404, 404, 404)),
    "attempt_submit": ("POST", {"attempt_id": "attempt_id"}, (302, 302, 404, 404, 404, 404)),
    "attempt_result": ("GET", {"attempt_id": "graded_attempt_id"}, (302, 200, 404, 404, 404, 404)),
    "attempt_review": ("GET", {"attempt_id": "graded_attempt_id"}, (302, 200, 404, 404, 404, 404)),
    "api_answer": ("POST", {"attempt_id": "attempt_id"}, (403, 403, 403, 403, 403, 403)),
    "attempt_takeover": ("POST", {"attempt_id": "attempt_id"}, (302, 302, 404, 404, 404, 404)),
    "api_attempt_leave": ("POST", {"attempt_id": "attempt_id"}, (403, 403, 403, 403, 403, 403)),
    "practice_check": ("POST", {"attempt_id": "attempt_id"}, (302, 400, 400, 400, 400, 400)),
    "practice_checked": ("GET", {"attempt_id": "attempt_id"}, (302, 403, 404, 404, 404, 404)),
    "question_report": (
        "POST",
        {"attempt_id": "graded_attempt_id"},
        (302, 302, 302, 302, 302, 302),
    ),
    "certificate": ("GET", {"attempt_id": "graded_attempt_id"}, (302, 404, 404, 404, 404, 404)),
    "certificate_verify": ("GET", {"code": "code"}, (404, 404, 404, 404, 404, 404)),
    "mistake_book": ("GET", {}, (302, 200, 200, 200, 200, 200)),
    "mistake_practice": ("POST", {}, (302, 302, 302, 302, 302, 302)),
    "mistake_question": ("GET", {"question_id": "question_id"}, (302, 200, 404, 404, 404, 404)),
    "daily_practice": ("GET", {}, (302, 200, 200, 200, 200, 200)),
    "daily_answer": ("POST", {"position": 1}, (302, 404, 404, 404, 404, 404)),
    "evaluation_mine": ("GET", {}, (302, 200, 200, 200, 200, 200)),
    "evaluation_year": ("GET", {"year": "year"}, (302, 200, 200, 200, 200, 200)),
    "evaluation_units": ("GET", {}, (302, 403, 403, 200, 403, 200)),
    "evaluation_units_export": ("GET", {}, (302, 403, 403, 404, 403, 404)),
    "evaluation_award_propose": ("GET", {"cadre_pk": "cadre_pk"}, (302, 403, 403, 403, 403, 200)),
    "evaluation_award_evidence": ("GET", {"pk": "missing_pk"}, (302, 404, 404, 404, 404, 404)),
    "media": ("GET", {"path": "nothing-here.mp4"}, (404, 404, 404, 404, 404, 404)),
    "wagtail_serve": ("GET", {"path": "course_path"}, (302, 200, 200, 200, 200, 200)),
}

# Prefixes that belong to packages with many URLs of their own (Wagtail's admin and
# documents, allauth): a few representative checks each instead of one row per URL.
NAMESPACES = {
    "admin/": [
        ("GET", "/admin/", (302, 302, 302, 302, 200, 200)),
        ("GET", "/admin/pages/", (302, 302, 302, 302, 302, 302)),
        # Ours (admin_sign_in): allauth's sign-in, or "where your work is", or on to the admin.
        ("GET", "/admin/login/", (302, 403, 403, 403, 302, 302)),
        ("POST", "/admin/login/", (405, 405, 405, 405, 405, 405)),
        # A chooser's chosen/ with an id that is not a number does not exist (not a 500).
        ("GET", "/admin/exams/questions/chosen/x/", (404, 404, 404, 404, 404, 404)),
        ("GET", "/admin/images/chooser/chosen/x/", (404, 404, 404, 404, 404, 404)),
        ("GET", "/admin/documents/chooser/chosen/x/", (404, 404, 404, 404, 404, 404)),
        ("GET", "/admin/images/chooser/chosen-multiple/?id=x", (404, 404, 404, 404, 404, 404)),
        # The exam's integrity tools: the trainer's attempt list, an attempt's history and
        # release, a key correction; HR and trainers set exam slots; an import's progress
        # page and JSON only for whoever started it ({…}: matrix_objects). HR is sent to
        # the dashboard (302) where Wagtail refuses a page.
        ("GET", "/admin/exams/attempts/", (302, 302, 302, 302, 200, 302)),
        ("GET", "/admin/exams/attempts/history/{attempt_id}/", (302, 302, 302, 302, 200, 302)),
        ("GET", "/admin/exams/attempts/release/{attempt_id}/", (302, 302, 302, 302, 200, 302)),
        ("POST", "/admin/exams/attempts/release/{attempt_id}/", (302, 302, 302, 302, 302, 302)),
        (
            "GET",
            "/admin/exams/papers/stats/{exam_id}/regrade/{question_id}/",
            (302, 302, 302, 302, 200, 302),
        ),
        ("GET", "/admin/exams/slots/", (302, 302, 302, 302, 200, 200)),
        ("GET", "/admin/exams/slots/new/", (302, 302, 302, 302, 200, 200)),
        ("GET", "/admin/imports/", (302, 302, 302, 302, 200, 200)),
        ("GET", "/admin/imports/{import_job_id}/", (302, 302, 302, 302, 200, 404)),
        ("GET", "/admin/imports/{import_job_id}/status/", (302, 302, 302, 302, 200, 404)),
    ],
    "accounts/": [
        ("GET", "/accounts/login/", (200, 302, 302, 302, 302, 302)),
        ("GET", "/accounts/signup/", (403, 403, 403, 403, 403, 403)),
        ("GET", "/accounts/password/change/", (302, 200, 200, 200, 200, 200)),
        ("GET", "/accounts/2fa/", (302, 200, 200, 200, 200, 200)),
        # No e-mail here: allauth's e-mail pages do not exist, its reset pages lead to help.
        ("GET", "/accounts/email/", (404, 404, 404, 404, 404, 404)),
        ("GET", "/accounts/confirm-email/", (404, 404, 404, 404, 404, 404)),
        ("GET", "/accounts/confirm-email/some-key/", (404, 404, 404, 404, 404, 404)),
        ("GET", "/accounts/login/code/confirm/", (404, 404, 404, 404, 404, 404)),
        ("GET", "/accounts/password/reset/done/", (302, 302, 302, 302, 302, 302)),
        ("GET", "/accounts/password/reset/key/1-abc/", (302, 302, 302, 302, 302, 302)),
        ("GET", "/accounts/password/set/", (302, 302, 302, 302, 302, 302)),
    ],
    "documents/": [("GET", "/documents/999999/missing.pdf", (404, 404, 404, 404, 404, 404))],
    "_util/": [("GET", "/_util/login/", (200, 200, 200, 200, 200, 200))],
}


def url_of(name: str, args: dict, objects: dict) -> str:
    values = {key: objects.get(value, value) for key, value in args.items()}
    if name == "wagtail_serve":
        return values["path"]
    if name == "media":
        return "/media/" + values["path"]
    return reverse(name, kwargs=values)
