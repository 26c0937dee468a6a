from asgiref.sync import sync_to_async
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.db.models import Q

from .addresses import client_address
from .hashers import check_password_evenly, run_default_hasher
from .models import User
from .selectors import login_refusal
from .services import forget_failed_logins, record_failed_login


class PhoneOrAccountNameBackend(ModelBackend):
    """Log in with a mobile number or a staff-issued account name, plus password. Every login
    page (ours, Wagtail's admin) comes through here, so all of them count failures and honour
    the lock. Every refusal costs the same (one run of the default hasher, the same queries),
    so that its time does not tell whether an account exists or what its password is like."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        identifier = (username or kwargs.get(User.USERNAME_FIELD) or "").strip()
        if not identifier or password is None:
            return None
        address = client_address(request)
        refusal = login_refusal(identifier, address)
        user = User.objects.filter(Q(username=identifier) | Q(phone=identifier)).first()
        if refusal is not None:
            run_default_hasher(password)
            # Not counted as a failure: trying again while locked must not prolong the lock.
            raise PermissionDenied
        if check_password_evenly(user, password) and self.user_can_authenticate(user):
            forget_failed_logins(user)
            return user
        record_failed_login(identifier, address)
        return None

    async def aauthenticate(self, request, username=None, password=None, **kwargs):
        # ModelBackend's own would skip the lock and the phone number.
        return await sync_to_async(self.authenticate)(
            request, username=username, password=password, **kwargs
        )

    def get_user(self, user_id):
        """The user of every logged-in request, with the institution every page shows (the
        duty phone in the footer) and a retiree's profile (我的, lessons) in the same query."""
        user = (
            User.objects.select_related("institution", "retiree_profile").filter(pk=user_id).first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None
