"""URLs for practice, the mistake book, daily practice, certificates and error reports."""

from django.urls import path

from exams import views_practice as views

urlpatterns = [
    path(
        "attempts/<int:attempt_id>/practice/check/",
        views.practice_check,
        name="practice_check",
    ),
    path(
        "attempts/<int:attempt_id>/practice/checked/",
        views.practice_checked,
        name="practice_checked",
    ),
    path("attempts/<int:attempt_id>/report/", views.question_report, name="question_report"),
    path("attempts/<int:attempt_id>/certificate/", views.certificate, name="certificate"),
    path(
        "attempts/<int:attempt_id>/certificate/image/",
        views.certificate_image,
        name="certificate_image",
    ),
    path("certificates/", views.certificate_list, name="certificate_list"),
    path("certificates/<str:code>/", views.certificate_check, name="certificate_verify"),
    path("mistakes/", views.mistake_book, name="mistake_book"),
    path("mistakes/practice/", views.mistake_practice, name="mistake_practice"),
    path("mistakes/<int:question_id>/", views.mistake_question, name="mistake_question"),
    path("daily/", views.daily, name="daily_practice"),
    path("daily/<int:position>/", views.daily_answer, name="daily_answer"),
]
