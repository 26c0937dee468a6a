from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from .models import User


class PhoneOrAccountNameBackend(ModelBackend):
    """Log in with a mobile number or a staff-issued account name, plus password."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        identifier = (username or kwargs.get(User.USERNAME_FIELD) or "").strip()
        if not identifier or password is None:
            return None
        user = User.objects.filter(Q(username=identifier) | Q(phone=identifier)).first()
        if user is None:
            # Spend the same time as a real check so that timing does not reveal accounts.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id):
        """The user of every logged-in request, with the institution every page shows (the
        duty phone in the footer) and a retiree's profile (我的, lessons) in the same query."""
        user = (
            User._default_manager.select_related("institution", "retiree_profile")
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None
