"""关怀名单: who is on it, what takes them off, who sees whom."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import RetireeProfile, User
from courses.factories import LessonPageFactory
from courses.models import LessonProgress
from notices.factories import NoticePageFactory
from notices.models import NoticeReceipt
from staff.models import CareContact
from staff.selectors import care_list

NOW = timezone.now()


def days_ago(days: int) -> datetime.datetime:
    return NOW - datetime.timedelta(days=days)


@pytest.fixture
def quiet_people(cast):
    """Everyone active today, except 林志远 (高龄, quiet 30 days), 高秀兰 (独居, quiet 20 days)
    and 马德才 (no care flag, quiet 60 days), all of 测试一所."""
    User.objects.update(last_login=NOW, date_joined=days_ago(400))
    # Any reading and watching happened long ago.
    LessonProgress.objects.update(updated_at=days_ago(100))
    NoticeReceipt.objects.filter(read_at__isnull=False).update(read_at=days_ago(100))
    RetireeProfile.objects.update(**{field: False for field, _ in RetireeProfile.CARE_FLAGS})
    people = {}
    for login, quiet, flag in [
        ("13500000001", 30, "very_old"),
        ("13500000002", 20, "living_alone"),
        ("13500000003", 60, None),
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
    rows = care_list(User.objects.get(username="staff_first"))
    assert names(rows) == ["林志远", "高秀兰"]  # 马德才 has no care flag
    assert [row.quiet_days for row in rows] == [30, 20]
    assert rows[0].profile.user.phone == "13500000001"


def test_the_number_of_days_is_chosen(quiet_people):
    staff = User.objects.get(username="staff_first")
    assert names(care_list(staff, quiet_days=25)) == ["林志远"]
    assert names(care_list(staff, quiet_days=31)) == []


@pytest.mark.parametrize("sign_of_life", ["lesson", "notice", "live", "login"])
def test_any_sign_of_life_takes_someone_off(quiet_people, sign_of_life):
    zhang = quiet_people["13500000001"]
    if sign_of_life == "lesson":
        LessonProgress.objects.create(lesson=LessonPageFactory(), retiree=zhang)
    elif sign_of_life == "notice":
        NoticeReceipt.objects.update_or_create(
            notice=NoticePageFactory(institution=zhang.institution),
            retiree=zhang,
            defaults={"read_at": days_ago(2)},
        )
    elif sign_of_life == "live":
        from rooms.models import Presence, Room

        Presence.objects.create(
            room=Room.objects.create(), user=zhang, channel_name="x", joined_at=days_ago(3)
        )
    else:
        User.objects.filter(pk=zhang.pk).update(last_login=days_ago(1))
    assert names(care_list(User.objects.get(username="staff_first"))) == ["高秀兰"]


def test_a_recorded_contact_clears_until_quiet_again(quiet_people, client_as):
    staff = client_as("staff_first")
    zhang = quiet_people["13500000001"]
    response = staff.post(
        reverse("care_contact", args=[zhang.pk]) + "?days=14",
        {"method": "phone", "contacted_on": timezone.localdate().isoformat(), "note": "身体还好"},
    )
    assert response["Location"] == reverse("care_list") + "?days=14"
    page = staff.get(response["Location"]).content.decode()
    assert "已记下：电话联系了林志远" in page
    assert 'data-retiree="13500000001"' not in page and 'data-retiree="13500000002"' in page

    # Eighteen days after that call, with no other sign of life, he is back on the list.
    CareContact.objects.filter(retiree=zhang).update(contacted_on=days_ago(18).date())
    rows = care_list(User.objects.get(username="staff_first"))
    assert names(rows) == ["高秀兰", "林志远"]
    assert rows[1].last_contact.note == "身体还好" and rows[1].last_contact.method == "phone"


def test_ones_own_households_come_first(quiet_people):
    staff = User.objects.get(username="staff_first")
    RetireeProfile.objects.filter(user__username="13500000002").update(assigned_staff=staff)
    rows = care_list(staff)
    assert names(rows) == ["高秀兰", "林志远"] and rows[0].mine and not rows[1].mine


def test_bad_input_is_refused_in_chinese_and_writes_nothing(quiet_people, client_as):
    staff = client_as("staff_first")
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = staff.post(
        reverse("care_contact", args=[quiet_people["13500000001"].pk]),
        {"method": "phone", "contacted_on": tomorrow},
        follow=True,
    )
    assert "没有记下：联系日期不能是以后的日子。" in response.content.decode()
    bad_method = staff.post(
        reverse("care_contact", args=[quiet_people["13500000001"].pk]),
        {"method": "letter", "contacted_on": "2026-11-01"},
        follow=True,
    )
    assert "没有记下" in bad_method.content.decode()
    assert CareContact.objects.count() == 0
    assert staff.get(reverse("care_list") + "?days=abc").status_code == 200


def test_staff_see_and_touch_only_their_subtree(quiet_people, client_as):
    other = client_as("staff_second")  # 测试二所
    assert 'data-retiree="13500000001"' not in other.get(reverse("care_list")).content.decode()
    refused = other.post(
        reverse("care_contact", args=[quiet_people["13500000001"].pk]),
        {"method": "visit", "contacted_on": "2026-11-01"},
    )
    assert refused.status_code == 404 and CareContact.objects.count() == 0
    center = client_as("staff_center")  # the center sees both of its institutions
    assert 'data-retiree="13500000001"' in center.get(reverse("care_list")).content.decode()
    retiree = client_as("13500000002")
    assert retiree.get(reverse("care_list")).status_code in (302, 403)
