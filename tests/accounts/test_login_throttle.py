"""Login throttling: wrong passwords for an account name, from anywhere, lock it for a while
with a plain Chinese message and the duty phone; staff unlock or reset. Repeated failures for
one account name from one address make that pair wait a little, while other accounts from the
same address (many visitors share one behind a proxy) log in as usual. Every way in (the
site's login page, Wagtail's admin login) shares the count and the lock."""

import datetime

from asgiref.sync import async_to_sync
from django.contrib.auth import aauthenticate, authenticate
from django.db.models import F
from django.test import Client, override_settings
from django.urls import reverse

from accounts.factories import PASSWORD
from accounts.models import FailedLogin, User

LOGIN = reverse("accounts:login")
ADMIN_LOGIN = reverse("wagtailadmin_login")
LOCKED = "密码错了好几次，为了保护您的账号，先锁住15分钟"
WRONG = "手机号（账号）或密码不对"


def try_password(client, username: str, password: str, address: str = "10.0.0.1", **headers):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address, **headers
    )


def try_admin_password(client, username: str, password: str, address: str = "10.0.0.1"):
    return client.post(
        ADMIN_LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address
    )


def fail_from_many_addresses(username: str, times: int = 5, login=try_password) -> None:
    """Wrong passwords from as many addresses, so that only the account's lock applies."""
    for number in range(times):
        login(Client(), username, "wrong", address=f"10.0.1.{number}")


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(cast, client):
    for number in range(5):
        page = try_password(client, "13500000001", "wrong", f"10.0.1.{number}").content.decode()
        assert WRONG in page
    locked = try_password(client, "13500000001", PASSWORD).content.decode()
    assert LOCKED in locked
    assert "010-68001101" in locked  # 测试一所's duty phone
    assert "_auth_user_id" not in client.session
    # Someone else's account is not affected.
    assert try_password(client, "13500000002", PASSWORD)["Location"] == "/me/"


def test_a_lock_wears_off(cast, client):
    fail_from_many_addresses("13500000001")
    FailedLogin.objects.update(at="2020-01-01T00:00Z")
    assert try_password(client, "13500000001", PASSWORD)["Location"] == "/me/"


def test_a_good_login_starts_the_count_again(cast, client):
    fail_from_many_addresses("13500000001", times=4)
    try_password(client, "13500000001", PASSWORD)
    assert FailedLogin.objects.filter(identifier="13500000001").count() == 0


def test_the_admin_login_counts_failures_and_honours_the_lock(cast, client):
    fail_from_many_addresses("staff_first", times=20, login=try_admin_password)
    try_admin_password(client, "staff_first", PASSWORD, address="10.0.2.1")
    assert "_auth_user_id" not in client.session
    page = try_admin_password(client, "staff_first", PASSWORD, address="10.0.2.1").content.decode()
    assert LOCKED in page
    # The site's login page sees the same lock, with the 军休所's duty phone.
    page = try_password(client, "staff_first", PASSWORD, address="10.0.2.2").content.decode()
    assert LOCKED in page and "010-68001101" in page
    assert "_auth_user_id" not in client.session


def test_admin_login_failures_count_towards_the_site_lock(cast, client):
    fail_from_many_addresses("staff_first", times=5, login=try_admin_password)
    assert LOCKED in try_password(client, "staff_first", PASSWORD).content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lock_holds_for_any_caller_of_authenticate(cast):
    fail_from_many_addresses("13500000001")
    right = {"username": "13500000001", "password": PASSWORD}
    assert authenticate(None, **right) is None
    assert async_to_sync(aauthenticate)(None, **right) is None


def test_failures_from_one_address_do_not_stop_other_accounts(cast, client):
    """Behind `make run` or a proxy every visitor has the same address."""
    for number in range(30):
        try_password(Client(), "13500000001", "wrong", address="10.9.9.9")
        try_password(Client(), f"1380000{number:04d}", "wrong", address="10.9.9.9")
    assert try_password(client, "13500000002", PASSWORD, "10.9.9.9")["Location"] == "/me/"


def test_repeated_failures_for_one_account_from_one_address_must_wait(cast, client):
    for _ in range(3):
        assert WRONG in try_password(client, "13500000001", "wrong").content.decode()
    page = try_password(client, "13500000001", PASSWORD).content.decode()
    assert "请等 30 秒再试" in page
    assert "_auth_user_id" not in client.session
    # Other accounts from that address, and this account from elsewhere, are not held up.
    assert try_password(Client(), "13500000002", PASSWORD)["Location"] == "/me/"
    assert try_password(Client(), "13500000001", PASSWORD, "10.0.0.2")["Location"] == "/me/"

    # After the wait the pair may try again; a further failure makes the next wait longer.
    for _ in range(3):
        try_password(client, "13500000001", "wrong")
    FailedLogin.objects.update(at=F("at") - datetime.timedelta(seconds=31))
    assert WRONG in try_password(client, "13500000001", "wrong").content.decode()
    assert "请等 60 秒再试" in try_password(client, "13500000001", "wrong").content.decode()


def test_a_forwarded_address_is_ignored_unless_a_trusted_proxy_sent_it(cast, client):
    forwarded = {"HTTP_X_FORWARDED_FOR": "10.5.5.5"}
    try_password(client, "13500000001", "wrong", "127.0.0.1", **forwarded)
    assert FailedLogin.objects.get().address == "127.0.0.1"


@override_settings(TRUSTED_PROXIES=["127.0.0.1"])
def test_a_trusted_proxy_gives_the_visitor_address(cast, client):
    try_password(client, "13500000001", "wrong", "127.0.0.1", HTTP_X_FORWARDED_FOR="10.5.5.5")
    # A list (a proxy that appends) counts its last entry, the one our proxy saw.
    forwarded = {"HTTP_X_FORWARDED_FOR": "1.2.3.4, 10.6.6.6"}
    try_password(client, "13500000002", "wrong", "127.0.0.1", **forwarded)
    # Anyone else sending the header is not believed.
    try_password(client, "13500000003", "wrong", "10.7.7.7", HTTP_X_FORWARDED_FOR="10.5.5.5")
    assert dict(FailedLogin.objects.values_list("identifier", "address")) == {
        "13500000001": "10.5.5.5",
        "13500000002": "10.6.6.6",
        "13500000003": "10.7.7.7",
    }


def test_staff_unlock_and_reset_for_their_own_retirees_only(cast, client, client_as):
    fail_from_many_addresses("13500000001")
    staff = client_as("staff_first")
    page = staff.get(reverse("login_help")).content.decode()
    assert 'data-user="13500000001"' in page
    assert (
        'data-user="13500000001"'
        not in client_as("staff_second").get(reverse("login_help")).content.decode()
    )
    zhang = User.objects.get(username="13500000001")
    refused = client_as("staff_second").post(
        reverse("unlock_account", args=[zhang.pk]), follow=True
    )
    assert "这位军休干部不归您管理" in refused.content.decode()
    assert (
        "已为林志远解锁"
        in staff.post(reverse("unlock_account", args=[zhang.pk]), follow=True).content.decode()
    )
    assert try_password(client, "13500000001", PASSWORD)["Location"] == "/me/"

    reset = staff.post(reverse("reset_password"), {"phone": "13500000001"}, follow=True)
    text = reset.content.decode()
    assert "已为林志远重设密码：新密码" in text
    new_password = text.split("新密码 ")[1][:8]
    zhang.refresh_from_db()
    assert zhang.check_password(new_password) and zhang.must_change_password
    other = client_as("staff_second").post(
        reverse("reset_password"), {"phone": "13500000001"}, follow=True
    )
    assert "您管理的军休干部里没有" in other.content.decode()
