"""Site URLs of the courses app: law library, study, training sessions."""

from django.urls import include, path

from courses.views import credits, study

urlpatterns = [
    path("laws/", include("courses.urls_laws")),
    path("training/", include("courses.urls_training")),
    path("study/credits/", credits.credit_list, name="credit_list"),
    path("study/heartbeat/", study.heartbeat, name="study_heartbeat"),
    path("search/", study.search, name="site_search"),
]
