"""Login throttling: repeated wrong passwords lock the account name for a while with a plain
Chinese message and the duty phone; staff unlock or reset; many failures from one address
lock that address."""

from django.test import override_settings
from django.urls import reverse

from accounts.models import FailedLogin, User

LOGIN = reverse("accounts:login")


def try_password(client, username: str, password: str, address: str = "10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(demo_people, client):
    for _ in range(5):
        page = try_password(client, "13900000001", "wrong").content.decode()
        assert "手机号（账号）或密码不对" in page
    locked = try_password(client, "13900000001", "junxiu2026").content.decode()
    assert "密码错了好几次，为了保护您的账号，先锁住15分钟" in locked
    assert "010-65551101" in locked  # 第一军休所's duty phone
    assert "_auth_user_id" not in client.session
    # Someone else's account is not affected.
    assert try_password(client, "13900000002", "junxiu2026")["Location"] == "/me/"


def test_a_lock_wears_off(demo_people, client):
    for _ in range(5):
        try_password(client, "13900000001", "wrong")
    FailedLogin.objects.update(at="2020-01-01T00:00Z")
    assert try_password(client, "13900000001", "junxiu2026")["Location"] == "/me/"


def test_a_good_login_starts_the_count_again(demo_people, client):
    for _ in range(4):
        try_password(client, "13900000001", "wrong")
    try_password(client, "13900000001", "junxiu2026")
    assert FailedLogin.objects.filter(identifier="13900000001").count() == 0


@override_settings(LOGIN_ADDRESS_FAILURE_LIMIT=8)
def test_many_failures_from_one_address_lock_that_address(demo_people, client):
    for number in range(8):
        try_password(client, f"1390000{number:04d}", "wrong", address="10.9.9.9")
    page = try_password(client, "13900000002", "junxiu2026", address="10.9.9.9").content.decode()
    assert "先锁住" in page
    assert try_password(client, "13900000002", "junxiu2026", "10.0.0.2")["Location"] == "/me/"


def test_staff_unlock_and_reset_for_their_own_retirees_only(demo_people, client, client_as):
    for _ in range(5):
        try_password(client, "13900000001", "wrong")
    staff = client_as("jxs1")
    page = staff.get(reverse("login_help")).content.decode()
    assert 'data-user="13900000001"' in page
    assert (
        'data-user="13900000001"'
        not in client_as("jxs2").get(reverse("login_help")).content.decode()
    )
    zhang = User.objects.get(username="13900000001")
    refused = client_as("jxs2").post(reverse("unlock_account", args=[zhang.pk]), follow=True)
    assert "这位军休干部不归您管理" in refused.content.decode()
    assert (
        "已为张建国解锁"
        in staff.post(reverse("unlock_account", args=[zhang.pk]), follow=True).content.decode()
    )
    assert try_password(client, "13900000001", "junxiu2026")["Location"] == "/me/"

    reset = staff.post(reverse("reset_password"), {"phone": "13900000001"}, follow=True)
    text = reset.content.decode()
    assert "已为张建国重设密码：新密码" in text
    new_password = text.split("新密码 ")[1][:8]
    zhang.refresh_from_db()
    assert zhang.check_password(new_password) and zhang.must_change_password
    other = client_as("jxs2").post(reverse("reset_password"), {"phone": "13900000001"}, follow=True)
    assert "您管理的军休干部里没有" in other.content.decode()
