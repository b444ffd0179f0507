"""Sign-in by mobile phone number or by username, with one password field."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from .phones import MOBILE_RE, phone_normalize


class PhoneOrUsernameBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        User = get_user_model()
        phone = phone_normalize(username)
        user = None
        if MOBILE_RE.match(phone):
            user = User.objects.filter(phone=phone).first()
        if user is None:
            user = User.objects.filter(username__iexact=username.strip()).first()
        if user is None:
            # Spend the same time as a real check so response time does not reveal accounts.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id):
        # With the unit: nearly every page checks the cadre's audience by their unit.
        User = get_user_model()
        user = User._default_manager.select_related("unit").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
