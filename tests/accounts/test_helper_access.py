"""代为操作: only with recorded consent, everything done is in the audit log, staff and the
retiree see it, revoking ends it at once."""

import pytest
from django.urls import reverse

from accounts.models import HelperAction, HelperConsent, User
from courses.factories import CoursePageFactory
from courses.models import Enrollment


def consent_form(retiree: User, phone: str = "13655550001", name: str = "张小军") -> dict:
    return {
        "retiree": retiree.pk, "helper_phone": phone, "helper_name": name,
        "relation": "儿子", "given": "written", "note": "签字同意书已存档",
    }  # fmt: skip


@pytest.fixture
def zhang(cast) -> User:
    return User.objects.get(username="13500000001")  # 测试一所


@pytest.fixture
def son(zhang, client_as):
    """Staff of 测试一所 record consent for 林志远's son, who has no account yet."""
    response = client_as("staff_first").post(
        reverse("helper_consents"), consent_form(zhang), follow=True
    )
    page = response.content.decode()
    assert "已登记：张小军可以代林志远操作。已为张小军开了家属账号" in page
    son = User.objects.get(username="13655550001")
    assert son.role == "family" and son.must_change_password
    User.objects.filter(pk=son.pk).update(must_change_password=False)
    return son


def test_acting_for_a_retiree_is_recorded_and_seen_by_both(zhang, son, places, client, client_as):
    client.force_login(son)
    helping = client.get(reverse("accounts:helping")).content.decode()
    assert "代林志远操作" in helping
    client.post(reverse("accounts:start_helping", args=[zhang.pk]))
    me = client.get(reverse("home:me")).content.decode()
    assert "正在<strong>代林志远操作</strong>" in me and "您好，林志远" in me

    course = CoursePageFactory(institution=places["first"], open_to_other_institutions=False)
    client.post(reverse("courses:enroll", args=[course.pk]))
    assert Enrollment.objects.filter(course=course, retiree=zhang).exists()
    client.post(reverse("accounts:elder_mode"), {"enabled": "1", "next": "/me/"})
    assert User.objects.get(pk=zhang.pk).elder_mode
    client.post(reverse("accounts:stop_helping"))
    assert "您好，张小军" in client.get(reverse("home:me")).content.decode()

    log = list(HelperAction.objects.filter(retiree=zhang).order_by("at", "pk"))
    assert [a.action for a in log] == ["开始代为操作", "报名课程", "切换长辈模式", "结束代为操作"]
    assert {a.helper_name for a in log} == {"张小军"}

    own_page = client_as("13500000001").get(reverse("home:me")).content.decode()
    assert "别人代您做过的事" in own_page and "张小军 报名课程" in own_page
    staff_page = client_as("staff_first").get(reverse("helper_consents")).content.decode()
    assert "报名课程" in staff_page and "张小军" in staff_page
    other_staff = client_as("staff_second").get(reverse("helper_consents")).content.decode()
    assert "张小军" not in other_staff  # 测试二所 sees neither the consent nor the log


def test_no_consent_no_helping(zhang, cast, client_as):
    stranger = client_as("13500000002")
    assert "还没有长辈授权您" in stranger.get(reverse("accounts:helping")).content.decode()
    assert stranger.post(reverse("accounts:start_helping", args=[zhang.pk])).status_code == 404
    assert "正在<strong>代" not in stranger.get(reverse("home:me")).content.decode()


def test_revoking_ends_helping_on_the_next_request(zhang, son, client, client_as):
    client.force_login(son)
    client.post(reverse("accounts:start_helping", args=[zhang.pk]))
    consent = HelperConsent.objects.get(helper=son, revoked_at=None)
    client_as("staff_first").post(reverse("revoke_consent", args=[consent.pk]))
    page = client.get(reverse("home:me"), follow=True).content.decode()
    assert "代为操作已经结束" in page and "您好，张小军" in page
    assert client.post(reverse("accounts:start_helping", args=[zhang.pk])).status_code == 404


def test_a_helper_cannot_set_the_retirees_password_or_use_the_admin_as_them(zhang, son, client):
    User.objects.filter(pk=zhang.pk).update(must_change_password=True)
    client.force_login(son)
    client.post(reverse("accounts:start_helping", args=[zhang.pk]))
    response = client.post(
        reverse("accounts:first_password"),
        {"new_password": "20261128", "new_password_again": "20261128"},
    )
    assert response["Location"] == reverse("home:me")
    assert not User.objects.get(pk=zhang.pk).check_password("20261128")
    assert client.get("/admin/").status_code == 302  # the son, not 林志远, and no admin access


def test_staff_record_only_for_their_own_retirees_with_clear_errors(cast, client_as):
    staff = client_as("staff_first")
    other_institutes = User.objects.get(username="13500000011")  # 测试二所
    response = staff.post(reverse("helper_consents"), consent_form(other_institutes))
    assert response.status_code == 400 and "请选一位军休干部" in response.content.decode()
    zhang = User.objects.get(username="13500000001")
    bad_phone = staff.post(reverse("helper_consents"), consent_form(zhang, phone="12345"))
    assert "请填写11位手机号码" in bad_phone.content.decode()
    staff.post(reverse("helper_consents"), consent_form(zhang))
    again = staff.post(reverse("helper_consents"), consent_form(zhang))
    assert "张小军已经可以代林志远操作了" in again.content.decode()
    myself = staff.post(reverse("helper_consents"), consent_form(zhang, phone="13500000001"))
    assert "不能自己代自己操作" in myself.content.decode()
    # A staff member of the institution can be the helper too (包户).
    staff_first = User.objects.get(username="staff_first")
    User.objects.filter(pk=staff_first.pk).update(phone="13655550009")
    staff.post(reverse("helper_consents"), consent_form(zhang, phone="13655550009", name="周敏"))
    assert HelperConsent.objects.filter(helper=staff_first, retiree=zhang, revoked_at=None).exists()
    assert (
        client_as("staff_second")
        .post(reverse("revoke_consent", args=[HelperConsent.objects.first().pk]), follow=True)
        .status_code
        == 200
    )
    assert HelperConsent.objects.filter(revoked_at=None).count() == 2
