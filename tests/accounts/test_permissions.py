"""Staff of one 军休所 never see or change another's people: not in lists, not by guessing
ids, not in the admin."""

import pytest
from django.urls import reverse

from accounts.models import RetireeProfile, User
from accounts.permissions import can_see_personal_data, manages_institution

# 测试一所 (with its 测试一所服务站) and 测试二所 are siblings under the same 中心.
FIRST_RETIREE = "13500000001"  # 林志远, 测试一所
STATION_RETIREE = "13500000004"  # 何淑贞, 测试一所服务站 under 测试一所
SECOND_RETIREE = "13500000007"  # 韩卫国, 测试二所


def profile_of(login: str) -> RetireeProfile:
    return RetireeProfile.objects.get(user__username=login)


@pytest.fixture
def first_staff(cast, client_as):
    return client_as("staff_first")


def test_staff_list_shows_only_their_subtree(first_staff):
    page = first_staff.get(reverse("retirees:index"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "林志远" in html  # own 军休所
    assert "何淑贞" in html  # own 服务站
    assert "韩卫国" not in html and "宋玉洁" not in html  # the sibling 军休所


@pytest.mark.parametrize("view", ["edit", "inspect", "history", "delete"])
def test_staff_cannot_open_another_institutions_retiree(first_staff, view):
    other = profile_of(SECOND_RETIREE)
    response = first_staff.get(reverse(f"retirees:{view}", args=[other.pk]))
    assert response.status_code in (403, 404)
    assert "韩卫国" not in response.content.decode()


def test_staff_cannot_change_another_institutions_retiree_by_post(first_staff):
    other = profile_of(SECOND_RETIREE)
    response = first_staff.post(
        reverse("retirees:edit", args=[other.pk]),
        {"name": "被改名", "phone": "13500000007", "notes": "x"},
    )
    assert response.status_code in (403, 404)
    other.refresh_from_db()
    assert other.user.name == "韩卫国"


def test_staff_edits_their_own_retiree_and_care_flags(first_staff):
    own = profile_of(FIRST_RETIREE)
    edit_url = reverse("retirees:edit", args=[own.pk])
    assert first_staff.get(edit_url).status_code == 200
    response = first_staff.post(
        edit_url,
        {
            "name": "林志远",
            "phone": "13500000001",
            "institution": own.user.institution_id,
            "retirement": "tuixiu",
            "rank": "officer",
            "birth_year": "1941",
            "address": "海淀区万寿路甲12号院3号楼",
            "emergency_contact_name": "张晓梅",
            "emergency_contact_phone": "13611110001",
            "very_old": "on",
            "living_alone": "on",
            "notes": "每周三上午方便接电话",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    own.refresh_from_db()
    assert own.living_alone and own.very_old and not own.disabled
    assert own.notes == "每周三上午方便接电话"


def test_staff_cannot_move_a_retiree_into_another_institution(first_staff):
    own = profile_of(FIRST_RETIREE)
    second_institute = profile_of(SECOND_RETIREE).user.institution
    response = first_staff.post(
        reverse("retirees:edit", args=[own.pk]),
        {
            "name": "林志远",
            "phone": "13500000001",
            "institution": second_institute.pk,
            "retirement": "tuixiu",
            "rank": "officer",
        },
    )
    assert response.status_code == 200  # the form comes back with an error
    own.refresh_from_db()
    assert own.user.institution != second_institute


def test_staff_registers_a_new_retiree_and_gets_an_initial_password(first_staff, client):
    station = profile_of(STATION_RETIREE).user.institution
    response = first_staff.post(
        reverse("retirees:add"),
        {
            "name": "钱学军",
            "phone": "13500000099",
            "institution": station.pk,
            "retirement": "tuixiu",
            "rank": "nco",
        },
        follow=True,
    )
    assert response.status_code == 200
    message = next(str(m) for m in response.context["messages"])
    password = message.split("初始密码是 ")[1].split("，")[0]
    assert len(password) == 8 and password.isdigit()
    new = User.objects.get(phone="13500000099")
    assert new.role == User.Role.RETIREE and new.institution == station
    assert client.login(username="13500000099", password=password)


def test_center_staff_sees_both_institutes(cast, client_as):
    html = client_as("staff_center").get(reverse("retirees:index")).content.decode()
    assert "林志远" in html and "韩卫国" in html


@pytest.mark.parametrize("login", [FIRST_RETIREE, "teacher_huang"])
def test_retirees_and_instructors_have_no_retiree_admin(cast, client_as, login):
    response = client_as(login).get(reverse("retirees:index"))
    assert response.status_code in (302, 403)


def test_staff_cannot_use_wagtails_own_user_admin(first_staff):
    # The generic user list would show every person on the platform.
    response = first_staff.get(reverse("wagtailusers_users:index"))
    assert response.status_code in (302, 403)


def test_personal_data_rules(cast):
    staff_a = User.objects.get(username="staff_first")
    staff_b = User.objects.get(username="staff_second")
    retiree_a = User.objects.get(username=FIRST_RETIREE)
    retiree_b = User.objects.get(username=SECOND_RETIREE)
    instructor = User.objects.get(username="teacher_huang")
    assert can_see_personal_data(staff_a, retiree_a)
    assert not can_see_personal_data(staff_b, retiree_a)
    assert can_see_personal_data(retiree_a, retiree_a)
    assert not can_see_personal_data(retiree_b, retiree_a)
    assert not can_see_personal_data(instructor, retiree_a)
    assert manages_institution(staff_a, User.objects.get(username=STATION_RETIREE).institution)
    assert not manages_institution(staff_a, retiree_b.institution)
