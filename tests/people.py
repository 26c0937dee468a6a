"""A small cast built with factories, for tests about scoping along the institution tree
(roll-ups, audiences, staff isolation): 中心 → 一所 (→ 一所服务站) and 二所, twelve retirees
with care flags, staff of each level, two instructors and an administrator. Every name and
number here is the tests' own; none is the demo site's."""

import pytest

from accounts.factories import (
    PASSWORD,
    AdminFactory,
    InstructorFactory,
    RetireeFactory,
    StaffFactory,
    institution_tree,
)
from accounts.models import Institution, User
from home.services import ensure_home_page

# username (= phone for retirees), name, institution key, retirement, rank, birth year, flags
RETIREES = [
    ("13500000001", "林志远", "first", "tuixiu", "officer", 1941, ["very_old"]),
    ("13500000002", "高秀兰", "first", "lixiu", "officer", 1932, ["very_old", "living_alone"]),
    ("13500000003", "马德才", "first", "tuixiu", "nco", 1950, []),
    ("13500000004", "何淑贞", "station", "tuixiu", "officer", 1946, ["empty_nest"]),
    ("13500000005", "罗振邦", "station", "tuixiu", "officer", 1939, ["very_old", "seriously_ill"]),
    ("13500000006", "钱桂芝", "first", "tuixiu", "nco", 1953, []),
    ("13500000007", "韩卫国", "second", "tuixiu", "officer", 1948, []),
    ("13500000008", "宋玉洁", "second", "lixiu", "officer", 1929, ["very_old", "disabled"]),
    ("13500000009", "曹志明", "second", "tuixiu", "nco", 1955, []),
    ("13500000010", "许凤霞", "second", "tuixiu", "officer", 1944, ["living_alone"]),
    ("13500000011", "邓国华", "second", "tuixiu", "officer", 1949, ["dementia"]),
    ("13500000012", "唐兰英", "station", "tuixiu", "nco", 1952, []),
]
STAFF = [("staff_first", "周敏", "first"), ("staff_second", "孙刚", "second"),
         ("staff_center", "郑洁", "center")]  # fmt: skip
INSTRUCTORS = [("teacher_huang", "黄文清"), ("teacher_wu", "吴雅韵")]
ADMIN = "site_admin"
DUTY_PHONES = {"department": "010-68000000", "center": "010-68001000",
               "first": "010-68001101", "second": "010-68001202", "station": ""}  # fmt: skip


def build_cast() -> tuple[dict[str, Institution], dict[str, User]]:
    """(institutions by key, people by username). The home page comes first, so each
    institution gets its notice index and its staff their publishing rights."""
    ensure_home_page()
    places = institution_tree()
    for key, phone in DUTY_PHONES.items():
        places[key].duty_phone = phone
    places[
        "first"
    ].duty_roster = (
        "周一至周五 上午8:30到下午5:30：周敏 010-68001101\n周六、周日和节假日：值班室 010-68001100"
    )
    for place in places.values():
        place.save()
    people: dict[str, User] = {}
    for username, name, place, retirement, rank, birth_year, flags in RETIREES:
        care = {f"retiree_profile__{flag}": True for flag in flags}
        people[username] = RetireeFactory(
            phone=username,
            name=name,
            institution=places[place],
            retiree_profile__retirement=retirement,
            retiree_profile__rank=rank,
            retiree_profile__birth_year=birth_year,
            retiree_profile__emergency_contact_name=f"{name[0]}家属",
            retiree_profile__emergency_contact_phone="1361111" + username[-4:],
            **care,
        )
    for username, name, place in STAFF:
        people[username] = StaffFactory(username=username, name=name, institution=places[place])
    for username, name in INSTRUCTORS:
        people[username] = InstructorFactory(
            username=username, name=name, institution=places["center"]
        )
    people[ADMIN] = AdminFactory(username=ADMIN)
    return places, people


@pytest.fixture
def cast(db) -> tuple[dict[str, Institution], dict[str, User]]:
    return build_cast()


@pytest.fixture
def places(cast) -> dict[str, Institution]:
    """部门 → 中心 → 一所 (→ 一所服务站) and 二所."""
    return cast[0]


@pytest.fixture
def people(cast) -> dict[str, User]:
    return cast[1]


@pytest.fixture
def password() -> str:
    """The cast's password (factories give everyone the same)."""
    return PASSWORD
