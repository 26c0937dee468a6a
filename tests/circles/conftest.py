import pytest

from accounts.demo import demo_institutions
from accounts.models import User
from circles.models import Circle, CircleMember
from circles.services import appoint, create_class_circle, set_membership
from courses.models import CoursePage
from tests.live.conftest import join  # noqa: F401  (the socket fixture, shared)

LEADER, MEMBER, STATION_RETIREE, OTHER_INSTITUTE = (
    "13900000001",  # 张建国, 第一军休所
    "13900000002",  # 李秀英, 第一军休所
    "13900000012",  # 卫兰芳, 万寿路服务站 (under 第一军休所)
    "13900000007",  # 吴卫东, 第二军休所
)


def person(login: str) -> User:
    return User.objects.get(username=login)


@pytest.fixture
def chorus(demo_people) -> Circle:
    """合唱爱好者: an interest circle of 第一军休所, 张建国 圈主, 李秀英 a member."""
    circle = Circle.objects.create(name="合唱爱好者", institution=demo_institutions()["first"])
    appoint(circle, person(LEADER), CircleMember.Role.LEADER)
    set_membership(circle, person(MEMBER), role="member", status="active")
    return circle


@pytest.fixture
def calligraphy_course(demo_site) -> CoursePage:
    return CoursePage.objects.get(title="书法入门")


@pytest.fixture
def class_circle(calligraphy_course) -> Circle:
    return create_class_circle(calligraphy_course)
