"""关怀名单: who is on it, what takes them off, who sees whom."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import RetireeProfile, User
from courses.models import LessonPage, LessonProgress
from notices.models import NoticePage, NoticeReceipt
from staff.models import CareContact
from staff.selectors import care_list

NOW = timezone.now()


def days_ago(days: int) -> datetime.datetime:
    return NOW - datetime.timedelta(days=days)


@pytest.fixture
def quiet_people(demo_people):
    """Everyone active today, except 张建国 (高龄, quiet 30 days), 李秀英 (独居, quiet 20 days)
    and 王德胜 (no care flag, quiet 60 days), all of 第一军休所."""
    User.objects.update(last_login=NOW, date_joined=days_ago(400))
    # The demo's own reading and watching happened long ago.
    LessonProgress.objects.update(updated_at=days_ago(100))
    NoticeReceipt.objects.filter(read_at__isnull=False).update(read_at=days_ago(100))
    RetireeProfile.objects.update(**{field: False for field, _ in RetireeProfile.CARE_FLAGS})
    people = {}
    for login, quiet, flag in [
        ("13900000001", 30, "very_old"),
        ("13900000002", 20, "living_alone"),
        ("13900000003", 60, None),
    ]:
        user = User.objects.get(username=login)
        User.objects.filter(pk=user.pk).update(last_login=days_ago(quiet))
        if flag:
            RetireeProfile.objects.filter(user=user).update(**{flag: True})
        people[login] = user
    return people


def names(rows) -> list[str]:
    return [row.profile.user.name for row in rows]


def test_quiet_people_with_care_flags_longest_quiet_first(quiet_people):
    rows = care_list(User.objects.get(username="jxs1"))
    assert names(rows) == ["张建国", "李秀英"]  # 王德胜 has no care flag
    assert [row.quiet_days for row in rows] == [30, 20]
    assert rows[0].profile.user.phone == "13900000001"


def test_the_number_of_days_is_chosen(quiet_people):
    staff = User.objects.get(username="jxs1")
    assert names(care_list(staff, quiet_days=25)) == ["张建国"]
    assert names(care_list(staff, quiet_days=31)) == []


@pytest.mark.parametrize("sign_of_life", ["lesson", "notice", "live", "login"])
def test_any_sign_of_life_takes_someone_off(quiet_people, sign_of_life):
    zhang = quiet_people["13900000001"]
    if sign_of_life == "lesson":
        LessonProgress.objects.create(lesson=LessonPage.objects.first(), retiree=zhang)
    elif sign_of_life == "notice":
        NoticeReceipt.objects.update_or_create(
            notice=NoticePage.objects.first(), retiree=zhang, defaults={"read_at": days_ago(2)}
        )
    elif sign_of_life == "live":
        from rooms.models import Presence, Room

        Presence.objects.create(
            room=Room.objects.create(), user=zhang, channel_name="x", joined_at=days_ago(3)
        )
    else:
        User.objects.filter(pk=zhang.pk).update(last_login=days_ago(1))
    assert names(care_list(User.objects.get(username="jxs1"))) == ["李秀英"]


def test_a_recorded_contact_clears_until_quiet_again(quiet_people, client_as):
    staff = client_as("jxs1")
    zhang = quiet_people["13900000001"]
    response = staff.post(
        reverse("care_contact", args=[zhang.pk]) + "?days=14",
        {"method": "phone", "contacted_on": timezone.localdate().isoformat(), "note": "身体还好"},
    )
    assert response["Location"] == reverse("care_list") + "?days=14"
    page = staff.get(response["Location"]).content.decode()
    assert "已记下：电话联系了张建国" in page
    assert 'data-retiree="13900000001"' not in page and 'data-retiree="13900000002"' in page

    # Eighteen days after that call, with no other sign of life, he is back on the list.
    CareContact.objects.filter(retiree=zhang).update(contacted_on=days_ago(18).date())
    rows = care_list(User.objects.get(username="jxs1"))
    assert names(rows) == ["李秀英", "张建国"]
    assert rows[1].last_contact.note == "身体还好" and rows[1].last_contact.method == "phone"


def test_ones_own_households_come_first(quiet_people):
    staff = User.objects.get(username="jxs1")
    RetireeProfile.objects.filter(user__username="13900000002").update(assigned_staff=staff)
    rows = care_list(staff)
    assert names(rows) == ["李秀英", "张建国"] and rows[0].mine and not rows[1].mine


def test_bad_input_is_refused_in_chinese_and_writes_nothing(quiet_people, client_as):
    staff = client_as("jxs1")
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = staff.post(
        reverse("care_contact", args=[quiet_people["13900000001"].pk]),
        {"method": "phone", "contacted_on": tomorrow},
        follow=True,
    )
    assert "没有记下：联系日期不能是以后的日子。" in response.content.decode()
    bad_method = staff.post(
        reverse("care_contact", args=[quiet_people["13900000001"].pk]),
        {"method": "letter", "contacted_on": "2026-11-01"},
        follow=True,
    )
    assert "没有记下" in bad_method.content.decode()
    assert CareContact.objects.count() == 0
    assert staff.get(reverse("care_list") + "?days=abc").status_code == 200


def test_staff_see_and_touch_only_their_subtree(quiet_people, client_as):
    other = client_as("jxs2")  # 第二军休所
    assert 'data-retiree="13900000001"' not in other.get(reverse("care_list")).content.decode()
    refused = other.post(
        reverse("care_contact", args=[quiet_people["13900000001"].pk]),
        {"method": "visit", "contacted_on": "2026-11-01"},
    )
    assert refused.status_code == 404 and CareContact.objects.count() == 0
    center = client_as("zhongxin")  # the center sees both of its institutions
    assert 'data-retiree="13900000001"' in center.get(reverse("care_list")).content.decode()
    retiree = client_as("13900000002")
    assert retiree.get(reverse("care_list")).status_code in (302, 403)
