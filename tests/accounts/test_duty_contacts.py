"""值班电话 and 值班安排: kept by staff, shown to their retirees, inherited down the tree."""

from django.urls import reverse

from accounts.models import Institution
from notices.factories import NoticePageFactory


def save(client, place: Institution, phone: str, roster: str):
    return client.post(
        reverse("save_duty_contact", args=[place.pk]),
        {f"{place.pk}-duty_phone": phone, f"{place.pk}-duty_roster": roster},
        follow=True,
    )


def test_staff_set_the_duty_contact_their_retirees_see(cast, client_as):
    staff = client_as("staff_first")
    first = Institution.objects.get(name="测试一所")
    page = save(
        staff, first, "010-68880000", "周一至周五：周敏 010-68880000\n周末：孙刚 13800001234"
    )
    assert "已保存测试一所的值班电话和值班安排" in page.content.decode()

    retiree = client_as("13500000001")  # 测试一所
    help_page = retiree.get(reverse("home:help")).content.decode()
    assert "010-68880000" in help_page and "<li>周末：孙刚 13800001234</li>" in help_page
    assert "周一至周五：周敏 010-68880000" in retiree.get(reverse("home:me")).content.decode()
    # 测试一所服务站 has none of its own: its retirees see 测试一所's.
    station_retiree = client_as("13500000012")
    assert "010-68880000" in station_retiree.get(reverse("home:help")).content.decode()


def test_bad_phone_is_refused_and_nothing_changes(cast, client_as):
    first = Institution.objects.get(name="测试一所")
    page = save(client_as("staff_first"), first, "call me", "随便").content.decode()
    assert "测试一所没有保存" in page and "请填写电话号码" in page
    first.refresh_from_db()
    assert first.duty_phone == "010-68001101" and "随便" not in first.duty_roster


def test_staff_keep_only_their_own_subtree(cast, client_as):
    second = Institution.objects.get(name="测试二所")
    staff = client_as("staff_first")
    assert "测试二所" not in staff.get(reverse("duty_contacts")).content.decode()
    assert save(staff, second, "010-11112222", "").status_code == 404
    assert client_as("13500000001").get(reverse("duty_contacts")).status_code in (302, 403)


def test_a_notice_gives_its_institutions_phone(places, client_as):
    notice = NoticePageFactory(institution=places["first"])
    page = client_as("13500000001").get(notice.url).content.decode()
    assert 'href="tel:010-68001101"' in page
