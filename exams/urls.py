"""Site URLs of the exams app."""

urlpatterns = []
