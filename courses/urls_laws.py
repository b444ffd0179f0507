"""URLs of the public law library."""

from django.urls import path

from courses.views import laws

urlpatterns = [
    path("", laws.law_list, name="law_list"),
    path("<slug:slug>/", laws.law_detail, name="law_detail"),
]
