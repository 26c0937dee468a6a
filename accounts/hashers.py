from typing import TYPE_CHECKING

from django.contrib.auth.hashers import (
    PBKDF2PasswordHasher,
    get_hasher,
    identify_hasher,
    make_password,
)

if TYPE_CHECKING:  # models cannot be imported while PASSWORD_HASHERS is read
    from django.contrib.auth.base_user import AbstractBaseUser


class InitialPasswordHasher(PBKDF2PasswordHasher):
    """For the initial passwords of a roster import only: thousands are hashed at once, each
    is used once and must be replaced at first login, when Django re-hashes the new password
    with the preferred (slow) hasher. Never the first entry of PASSWORD_HASHERS."""

    algorithm = "pbkdf2_sha256_initial"
    iterations = 10_000


def run_default_hasher(password: str) -> None:
    """Spend what one password check with the default hasher costs, so that a refusal takes
    as long whether or not the account exists."""
    make_password(password)


def check_password_evenly(user: "AbstractBaseUser | None", password: str) -> bool:
    """user.check_password, running the default hasher exactly once whatever the account: no
    account (user None), a usual password, or an initial one, which is checked cheaply and,
    when right, hashed again with the default hasher by Django."""
    if user is None:
        run_default_hasher(password)
        return False
    try:
        cheap = identify_hasher(user.password).algorithm != get_hasher().algorithm
    except ValueError:  # no usable password: Django's check runs the default hasher itself
        cheap = False
    matches = user.check_password(password)
    if cheap and not matches:
        run_default_hasher(password)
    return matches
