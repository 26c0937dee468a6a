"""A refused login must not tell whether the account exists, nor whether it still has its
roster-issued initial password (hashed cheaply): every refusal runs the site's default
password hasher exactly once, and the database is asked the same number of questions.
Counting the hasher's runs, not the time, keeps this test steady on a busy machine."""

from unittest import mock

import pytest
from django.contrib.auth.hashers import get_hasher, make_password
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.factories import PASSWORD
from accounts.models import User
from tests.accounts.test_login_throttle import (
    fail_from_many_addresses,
    try_admin_password,
    try_password,
)


def default_hasher_runs(login) -> int:
    """How many times `login()` ran the default hasher (the first of PASSWORD_HASHERS, MD5
    under the tests' settings). Its verify() calls encode(), so counting encode() counts
    checks and new hashes alike; the cheap initial-password hasher is not counted."""
    default = get_hasher()
    hasher_class = type(default)
    with mock.patch.object(
        hasher_class, "encode", autospec=True, side_effect=hasher_class.encode
    ) as encode:
        login()
    return sum(1 for call in encode.call_args_list if call.args[0].algorithm == default.algorithm)


@pytest.fixture
def initial_password_account(cast) -> User:
    """An account as a roster import leaves it: an initial password, cheaply hashed."""
    account = User.objects.get(username="13500000003")
    account.password = make_password("12345678", hasher="pbkdf2_sha256_initial")
    account.save(update_fields=["password"])
    return account


REFUSALS = {
    "unknown number": "13811112222",
    "wrong password": "13500000002",
    "wrong initial password": "13500000003",
    "account name without a password": "jxs-no-password",
}


@pytest.mark.parametrize("refusal", REFUSALS)
def test_every_refusal_runs_the_default_hasher_once(initial_password_account, refusal):
    if refusal == "account name without a password":
        User.objects.create(username="jxs-no-password", password=make_password(None))
    username = REFUSALS[refusal]
    assert default_hasher_runs(lambda: try_password(Client(), username, "wrong")) == 1
    assert default_hasher_runs(lambda: try_admin_password(Client(), username, "wrong")) == 1


def test_a_locked_or_slowed_login_runs_the_default_hasher_once(cast):
    fail_from_many_addresses("13500000002")
    assert default_hasher_runs(lambda: try_password(Client(), "13500000002", PASSWORD)) == 1
    for _ in range(3):
        try_password(Client(), "13500000004", "wrong", "10.3.3.3")
    slowed = default_hasher_runs(lambda: try_password(Client(), "13500000004", "x", "10.3.3.3"))
    assert slowed == 1


def test_a_right_initial_password_is_checked_cheaply_and_hashed_again_once(
    initial_password_account,
):
    assert default_hasher_runs(lambda: try_password(Client(), "13500000003", "12345678")) == 1
    initial_password_account.refresh_from_db()
    assert initial_password_account.password.startswith(get_hasher().algorithm + "$")


def test_refusals_ask_the_database_the_same_number_of_questions(initial_password_account):
    try_password(Client(), "13811110000", "wrong")  # the site and home page are cached now
    counts = {}
    for refusal, username in REFUSALS.items():
        if refusal == "account name without a password":
            continue
        with CaptureQueriesContext(connection) as queries:
            try_password(Client(), username, "wrong", address="10.4.4.4")
        counts[refusal] = len(queries)
    assert len(set(counts.values())) == 1, counts
