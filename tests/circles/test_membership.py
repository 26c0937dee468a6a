"""Who is in a circle: class circles follow enrollment, interest circles are applied to and
approved by the 圈主, and a circle scoped to one 军休所 is invisible to another."""

import pytest

from circles import services as circle_services
from circles.models import Circle, CircleMember
from circles.permissions import may_enter_circle, moderates_circle
from circles.selectors import circles_of, circles_to_join
from core.refusals import Refused
from courses.services import enroll_retiree, withdraw_retiree
from tests.circles.conftest import LEADER, MEMBER, OTHER_INSTITUTE, STATION_RETIREE, person

pytestmark = pytest.mark.django_db


def status_of(circle: Circle, login: str) -> str | None:
    member = CircleMember.objects.filter(circle=circle, user=person(login)).first()
    return member and f"{member.role}/{member.status}"


def test_a_class_circle_follows_enrollment(calligraphy_course):
    enroll_retiree(retiree=person(MEMBER), course=calligraphy_course)
    circle = circle_services.create_class_circle(calligraphy_course)
    assert status_of(circle, MEMBER) == "member/active"
    assert status_of(circle, "liushuwen") == "instructor/active"
    assert moderates_circle(person("liushuwen"), circle)

    enroll_retiree(retiree=person(LEADER), course=calligraphy_course)  # after the circle exists
    assert status_of(circle, LEADER) == "member/active"
    withdraw_retiree(retiree=person(LEADER), course=calligraphy_course)
    assert status_of(circle, LEADER) == "member/left"
    assert not may_enter_circle(person(LEADER), circle)
    enroll_retiree(retiree=person(LEADER), course=calligraphy_course)  # came back
    assert may_enter_circle(person(LEADER), circle)
    assert circle_services.create_class_circle(calligraphy_course) == circle  # one per course


def test_a_class_circle_cannot_be_applied_to_or_left_by_a_student(calligraphy_course):
    enroll_retiree(retiree=person(MEMBER), course=calligraphy_course)
    circle = circle_services.create_class_circle(calligraphy_course)
    with pytest.raises(Refused):
        circle_services.apply_to_join(circle, person(STATION_RETIREE))
    with pytest.raises(Refused, match="退出这门课"):
        circle_services.leave_circle(circle, person(MEMBER))


def test_an_interest_circle_is_applied_to_and_the_leader_approves(chorus, client_as):
    applicant = person(STATION_RETIREE)  # 万寿路服务站 is under 第一军休所: in scope
    assert [row.circle for row in circles_to_join(applicant)] == [chorus]

    page = client_as(STATION_RETIREE).get(f"/circles/{chorus.pk}/")
    assert page.status_code == 200 and "申请加入" in page.content.decode()
    response = client_as(STATION_RETIREE).post(f"/circles/{chorus.pk}/apply/")
    assert response.status_code == 302
    assert status_of(chorus, STATION_RETIREE) == "member/pending"
    assert not may_enter_circle(applicant, chorus)
    assert "等待圈主同意" in client_as(STATION_RETIREE).get("/circles/").content.decode()

    # A member who is not the leader cannot decide; the leader can, from the members page.
    with pytest.raises(Refused):
        circle_services.decide_application(chorus, person(MEMBER), applicant.pk, True)
    members_page = client_as(LEADER).get(f"/circles/{chorus.pk}/members/").content.decode()
    assert "卫兰芳" in members_page and "同意" in members_page
    client_as(LEADER).post(f"/circles/{chorus.pk}/members/{applicant.pk}/", {"decision": "approve"})
    assert status_of(chorus, STATION_RETIREE) == "member/active"
    assert [row.circle for row in circles_of(applicant)] == [chorus]
    assert client_as(STATION_RETIREE).get(f"/circles/{chorus.pk}/").status_code == 200


def test_the_leader_can_turn_an_application_down(chorus, client_as):
    circle_services.apply_to_join(chorus, person(STATION_RETIREE))
    applicant = person(STATION_RETIREE)
    client_as(LEADER).post(f"/circles/{chorus.pk}/members/{applicant.pk}/", {"decision": "reject"})
    assert status_of(chorus, STATION_RETIREE) == "member/rejected"
    assert not may_enter_circle(applicant, chorus)
    # They may ask again.
    circle_services.apply_to_join(chorus, applicant)
    assert status_of(chorus, STATION_RETIREE) == "member/pending"


def test_another_institutes_retiree_cannot_see_or_apply(chorus, client_as):
    outsider = person(OTHER_INSTITUTE)  # 第二军休所
    assert circles_to_join(outsider) == []
    assert client_as(OTHER_INSTITUTE).get(f"/circles/{chorus.pk}/").status_code == 404
    assert client_as(OTHER_INSTITUTE).post(f"/circles/{chorus.pk}/apply/").status_code == 404
    assert client_as(OTHER_INSTITUTE).get(f"/circles/{chorus.pk}/messages/").status_code == 404
    assert status_of(chorus, OTHER_INSTITUTE) is None
    # Staff: their own institution's circles only.
    assert moderates_circle(person("jxs1"), chorus)
    assert not may_enter_circle(person("jxs2"), chorus)
    assert client_as("jxs2").get(f"/circles/{chorus.pk}/").status_code == 404


def test_members_leave_and_the_leader_hands_over_first(chorus, client_as):
    response = client_as(MEMBER).post(f"/circles/{chorus.pk}/leave/")
    assert response.status_code == 302
    assert status_of(chorus, MEMBER) == "member/left"
    assert client_as(MEMBER).get(f"/circles/{chorus.pk}/members/").status_code == 404
    with pytest.raises(Refused, match="另选圈主"):
        circle_services.leave_circle(chorus, person(LEADER))


def test_staff_create_a_circle_and_appoint_its_leader_in_the_workspace(demo_people, client_as):
    from accounts.demo import demo_institutions

    first = demo_institutions()["first"]
    staff = client_as("jxs1")
    response = staff.post(
        "/admin/study-circles/new/",
        {
            "name": "太极拳",
            "description": "早上一起练太极。",
            "kind": "interest",
            "institution": first.pk,
            "leader": person(MEMBER).pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    circle = Circle.objects.get(name="太极拳")
    assert status_of(circle, MEMBER) == "leader/active"
    # Another leader later: the first becomes a deputy.
    staff.post(
        f"/admin/study-circles/edit/{circle.pk}/",
        {
            "name": "太极拳",
            "kind": "interest",
            "institution": first.pk,
            "leader": person(LEADER).pk,
        },
    )
    assert status_of(circle, LEADER) == "leader/active"
    assert status_of(circle, MEMBER) == "deputy/active"
    # 第二军休所's staff do not find it, by list or by id.
    other = client_as("jxs2")
    assert "太极拳" not in other.get("/admin/study-circles/").content.decode()
    assert other.get(f"/admin/study-circles/edit/{circle.pk}/").status_code == 404
