from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.models import User


def test_login_by_mobile_number_lands_on_me(cast, client, password):
    response = client.post(
        reverse("accounts:login"), {"username": "13500000002", "password": password}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("home:me")
    html = response.content.decode()
    assert "您好，高秀兰" in html
    assert "测试一所" in html
    assert "010-68001101" in html  # the 军休所's duty phone


def test_login_by_account_name(cast, client, password):
    response = client.post(
        reverse("accounts:login"), {"username": "staff_first", "password": password}
    )
    assert response.status_code == 302
    assert client.get(reverse("home:me")).context["user"].username == "staff_first"


def test_wrong_password_explains_in_chinese_and_keeps_what_was_typed(cast, client):
    response = client.post(
        reverse("accounts:login"), {"username": "13500000002", "password": "not-it"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "手机号（账号）或密码不对" in html
    assert 'value="13500000002"' in html
    assert "请改正下面的问题" in html


def test_empty_form_names_each_missing_field(cast, client):
    html = client.post(reverse("accounts:login"), {}).content.decode()
    assert "请填写手机号或账号。" in html
    assert "请填写密码。" in html


def test_me_requires_login(cast, client):
    response = client.get(reverse("home:me"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_staff_me_links_to_the_workspace_and_retiree_me_does_not(cast, client_as):
    assert "进入工作台" in client_as("staff_first").get(reverse("home:me")).content.decode()
    assert "进入工作台" not in client_as("13500000001").get(reverse("home:me")).content.decode()


def test_logout_is_a_post(cast, client_as):
    client = client_as("13500000001")
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("home:me")).status_code == 302


def test_elder_mode_before_login_is_remembered_by_the_browser(cast, client):
    assert 'class="standard-mode"' in client.get("/").content.decode()
    response = client.post(reverse("accounts:elder_mode"), {"enabled": "1", "next": "/"})
    assert response["Location"] == "/"
    assert 'class="elder-mode"' in client.get("/").content.decode()


def test_elder_mode_chosen_before_login_carries_over_to_the_account(cast, client, password):
    client.post(reverse("accounts:elder_mode"), {"enabled": "1", "next": "/"})
    client.post(reverse("accounts:login"), {"username": "13500000003", "password": password})
    assert User.objects.get(username="13500000003").elder_mode


def test_elder_mode_is_remembered_per_account_across_browsers(cast, client_as):
    first_browser = client_as("13500000001")
    first_browser.post(reverse("accounts:elder_mode"), {"enabled": "1", "next": "/me/"})
    second_browser = client_as("13500000001")  # no cookie from the first
    assert 'class="elder-mode"' in second_browser.get(reverse("home:me")).content.decode()
    second_browser.post(reverse("accounts:elder_mode"), {"enabled": "0"})
    assert not User.objects.get(username="13500000001").elder_mode


def test_elder_mode_switch_refuses_foreign_redirects(cast, client):
    response = client.post(
        reverse("accounts:elder_mode"), {"enabled": "1", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_pages_are_chinese_even_when_the_browser_asks_for_english(cast, client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-CN"' in html


def test_there_is_no_language_switch(cast, client):
    html = client.get("/").content.decode()
    assert "English" not in html and 'lang="en"' not in html


def test_first_visit_guide_shows_three_steps_until_dismissed_on_any_device(cast, client_as):
    html = client_as("13500000002").get(reverse("home:me")).content.decode()
    assert "第一次来？三步就会用" in html
    for step in ("选课学习", "上直播课", "看通知"):
        assert step in html
    assert client_as("13500000002").get(reverse("home:guide_done")).status_code == 405
    response = client_as("13500000002").post(reverse("home:guide_done"))
    assert response.status_code == 302 and response["Location"] == reverse("home:me")
    assert "三步就会用" not in client_as("13500000002").get(reverse("home:me")).content.decode()
    assert "三步就会用" not in client_as("staff_first").get(reverse("home:me")).content.decode()


def test_help_page_gives_ones_own_duty_phone_and_every_page_links_to_it(cast, client_as):
    page = client_as("13500000007").get(reverse("home:help")).content.decode()  # 测试二所
    assert "010-68001202" in page and "长辈模式" in page
    assert 'href="/help/"' in client_as("13500000007").get(reverse("home:me")).content.decode()
    assert settings.PLATFORM_HELP_PHONE in Client().get(reverse("home:help")).content.decode()


def test_elder_mode_gives_a_retiree_the_four_things_they_do(cast, client_as):
    def nav_of(login: str) -> str:
        html = client_as(login).get(reverse("home:me")).content.decode()
        return html[html.index('class="main-nav"') : html.index("</nav>")]

    standard = nav_of("13500000002")
    assert "首页" in standard and "课程</a>" in standard and "我的课程" not in standard
    User.objects.filter(username__in=["13500000002", "staff_first"]).update(elder_mode=True)
    elder = nav_of("13500000002")
    labels = [label for label in ("我的课程", "今日直播", "学习圈", "通知") if label in elder]
    assert labels == ["我的课程", "今日直播", "学习圈", "通知"]
    assert "首页" not in elder and 'aria-current="page">我的课程' in elder
    assert "首页" in nav_of("staff_first")  # staff keep the whole navigation
