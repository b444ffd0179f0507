"""URLs of training sessions and QR check-in."""

urlpatterns = []
