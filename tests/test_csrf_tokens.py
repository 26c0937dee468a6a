"""CSRF secrets and tokens made from one read of os.urandom (accounts.csrf_tokens), by this
site's page cache and by Django's own CSRF middleware."""

import re

from django.middleware import csrf
from django.middleware.csrf import _mask_cipher_secret, _unmask_cipher_token, get_token
from django.test import Client, RequestFactory

from accounts.csrf_tokens import random_csrf_string, usable_csrf_secret


def test_the_tokens_made_here_are_ones_django_accepts():
    secret = random_csrf_string()
    assert usable_csrf_secret(secret)
    tokens_made = {_mask_cipher_secret(secret) for _ in range(50)}
    assert len(tokens_made) == 50  # a fresh mask each time
    assert {_unmask_cipher_token(token) for token in tokens_made} == {secret}
    assert len({random_csrf_string() for _ in range(100)}) == 100


def test_django_makes_new_secrets_and_masks_here_not_a_system_call_per_character(monkeypatch):
    def one_call_per_character(*args, **kwargs):
        raise AssertionError("Django's get_random_string was used")

    monkeypatch.setattr(csrf, "get_random_string", one_call_per_character)
    request = RequestFactory().get("/")
    token = get_token(request)
    secret = request.META["CSRF_COOKIE"]
    assert usable_csrf_secret(secret)
    assert _unmask_cipher_token(token) == secret
    assert get_token(request) != token  # masked afresh each time it is asked for


def test_a_form_with_a_token_django_made_is_accepted(demo_people):
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get("/courses/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"', page)[1]
    switched = visitor.post(
        "/accounts/elder-mode/", {"csrfmiddlewaretoken": token, "enabled": "1", "next": "/"}
    )
    assert switched.status_code == 302
    assert switched.cookies["elder_mode"].value == "1"
