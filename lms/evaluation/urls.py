"""Site URLs of the annual evaluation."""

urlpatterns = []
