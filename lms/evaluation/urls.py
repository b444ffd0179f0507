"""Site URLs of the annual evaluation."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.evaluation_mine, name="evaluation_mine"),
    path("<int:year>/", views.evaluation_mine, name="evaluation_year"),
    path("units/", views.unit_overview_view, name="evaluation_units"),
    path("units/export/", views.unit_export, name="evaluation_units_export"),
    path("awards/propose/<int:cadre_pk>/", views.award_propose, name="evaluation_award_propose"),
    path("awards/<int:pk>/evidence/", views.award_evidence, name="evaluation_award_evidence"),
]
