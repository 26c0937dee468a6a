"""CSRF secrets and masks as Django makes them, from one read of os.urandom each.

Django's get_random_string makes one system call per character: a new visitor's page cost two
32-character strings (the secret and its mask), about a tenth of the server's time for an
uncached page under load (py-spy, bench/pages.py). Django's CSRF middleware is pointed at
random_csrf_string in AccountsConfig.ready, so Django's own _mask_cipher_secret is quick too;
home.page_cache uses both for pages it serves itself."""

import os

from django.middleware import csrf
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH

CSRF_CHARACTERS = set(CSRF_ALLOWED_CHARS)


def random_csrf_string() -> str:
    """What Django's _get_new_csrf_string gives, from one read of os.urandom instead of a
    system call per character. Unbiased: bytes at or above the last whole multiple of 62 are
    dropped."""
    base = len(CSRF_ALLOWED_CHARS)
    limit = 256 - 256 % base
    picked: list[str] = []
    while len(picked) < CSRF_SECRET_LENGTH:
        picked += [CSRF_ALLOWED_CHARS[b % base] for b in os.urandom(48) if b < limit]
    return "".join(picked[:CSRF_SECRET_LENGTH])


def usable_csrf_secret(value: str | None) -> bool:
    return bool(value) and len(value) == CSRF_SECRET_LENGTH and set(value) <= CSRF_CHARACTERS


def make_django_use_random_csrf_string() -> None:
    """Django's CSRF middleware makes every secret and mask with _get_new_csrf_string; same
    characters, same length, same distribution from here. tests/test_csrf_tokens.py checks
    that Django still makes them there."""
    csrf._get_new_csrf_string = random_csrf_string
