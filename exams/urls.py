"""Site URLs of the exams app: exams and attempts, then practice, the mistake book, daily
practice, certificates and error reports."""

from django.urls import path

from exams.views import attempts, practice

urlpatterns = [
    path("", attempts.exam_list, name="exam_list"),
    path("<int:exam_id>/", attempts.exam_detail, name="exam_detail"),
    path("<int:exam_id>/start/", attempts.exam_start, name="exam_start"),
    path("attempts/<int:attempt_id>/", attempts.attempt_page, name="attempt_page"),
    path("attempts/<int:attempt_id>/submit/", attempts.attempt_submit, name="attempt_submit"),
    path("attempts/<int:attempt_id>/result/", attempts.attempt_result, name="attempt_result"),
    path("attempts/<int:attempt_id>/review/", attempts.attempt_review, name="attempt_review"),
    path("api/attempts/<int:attempt_id>/answers/", attempts.api_answer, name="api_answer"),
    path("attempts/<int:attempt_id>/takeover/", attempts.attempt_takeover, name="attempt_takeover"),
    path(
        "api/attempts/<int:attempt_id>/leaves/",
        attempts.api_attempt_leave,
        name="api_attempt_leave",
    ),
    path(
        "attempts/<int:attempt_id>/practice/check/",
        practice.practice_check,
        name="practice_check",
    ),
    path(
        "attempts/<int:attempt_id>/practice/checked/",
        practice.practice_checked,
        name="practice_checked",
    ),
    path("attempts/<int:attempt_id>/report/", practice.question_report, name="question_report"),
    path("attempts/<int:attempt_id>/certificate/", practice.certificate, name="certificate"),
    path(
        "attempts/<int:attempt_id>/certificate/image/",
        practice.certificate_image,
        name="certificate_image",
    ),
    path("certificates/", practice.certificate_list, name="certificate_list"),
    path("certificates/<str:code>/", practice.certificate_check, name="certificate_verify"),
    path("mistakes/", practice.mistake_book, name="mistake_book"),
    path("mistakes/practice/", practice.mistake_practice, name="mistake_practice"),
    path("mistakes/<int:question_id>/", practice.mistake_question, name="mistake_question"),
    path("daily/", practice.daily, name="daily_practice"),
    path("daily/<int:position>/", practice.daily_answer, name="daily_answer"),
]
