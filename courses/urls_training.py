"""URLs of training sessions and QR check-in."""

from django.urls import path

from courses.views import training

urlpatterns = [
    path("", training.training_list, name="training_list"),
    path("<int:pk>/", training.training_detail, name="training_detail"),
    path("<int:pk>/qr/", training.training_qr, name="training_qr"),
    path("<int:pk>/qr/count/", training.training_qr_count, name="training_qr_count"),
    path("<int:pk>/qr/renew/", training.training_qr_renew, name="training_qr_renew"),
    path(
        "<int:pk>/checkin/<str:token>/",
        training.training_checkin_page,
        name="training_checkin",
    ),
]
