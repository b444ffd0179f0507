"""Site URLs of the exams app."""

from django.urls import include, path

from exams import views

urlpatterns = [
    path("", views.exam_list, name="exam_list"),
    path("<int:exam_id>/", views.exam_detail, name="exam_detail"),
    path("<int:exam_id>/start/", views.exam_start, name="exam_start"),
    path("attempts/<int:attempt_id>/", views.attempt_page, name="attempt_page"),
    path("attempts/<int:attempt_id>/submit/", views.attempt_submit, name="attempt_submit"),
    path("attempts/<int:attempt_id>/result/", views.attempt_result, name="attempt_result"),
    path("attempts/<int:attempt_id>/review/", views.attempt_review, name="attempt_review"),
    path("api/attempts/<int:attempt_id>/answers/", views.api_answer, name="api_answer"),
    path("attempts/<int:attempt_id>/takeover/", views.attempt_takeover, name="attempt_takeover"),
    path(
        "api/attempts/<int:attempt_id>/leaves/", views.api_attempt_leave, name="api_attempt_leave"
    ),
    path("", include("exams.urls_extra")),
]
