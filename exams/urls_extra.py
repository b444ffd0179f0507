"""URLs for practice, the mistake book, daily practice, certificates and error reports."""

urlpatterns = []
