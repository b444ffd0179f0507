"""URLs of the public law library."""

urlpatterns = []
