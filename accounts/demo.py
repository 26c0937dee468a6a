"""Demo people and institutions, in Chinese, so a newcomer sees a living site."""

from dataclasses import dataclass

from .models import Institution, RetireeProfile, User
from .services import save_retiree, save_user_with_role

DEMO_PASSWORD = "junxiu2026"


@dataclass(frozen=True)
class DemoLogin:
    role: str
    name: str
    login: str
    institution: str


def child_institution(parent: Institution | None, name: str, kind: str, **fields) -> Institution:
    """Find or create an institution by name under its parent (the root when parent is None)."""
    siblings = parent.get_children() if parent else Institution.get_root_nodes()
    node = siblings.filter(name=name).first()
    if node is None:
        node = Institution(name=name, kind=kind, **fields)
        node = parent.add_child(instance=node) if parent else Institution.add_root(instance=node)
        return node
    for field, value in fields.items():
        setattr(node, field, value)
    node.kind = kind
    node.save()
    return node


def demo_institutions() -> dict[str, Institution]:
    department = child_institution(
        None, "北京市退役军人事务局", Institution.Kind.DEPARTMENT, duty_phone="010-65550000"
    )
    center = child_institution(
        department,
        "北京市军队离退休干部服务管理中心",
        Institution.Kind.CENTER,
        duty_phone="010-65551000",
    )
    first = child_institution(
        center,
        "第一军休所",
        Institution.Kind.INSTITUTE,
        duty_phone="010-65551101",
        address="海淀区万寿路甲12号",
        duty_roster=(
            "周一至周五 上午8:30到下午5:30：王丽 010-65551101\n"
            "周六、周日和节假日：值班室 010-65551100"
        ),
    )
    second = child_institution(
        center,
        "第二军休所",
        Institution.Kind.INSTITUTE,
        duty_phone="010-65551202",
        address="丰台区东大街8号",
    )
    station = child_institution(
        first,
        "万寿路服务站",
        Institution.Kind.STATION,
        duty_phone="",
        address="海淀区万寿路28号院",
    )
    return {
        "department": department,
        "center": center,
        "first": first,
        "second": second,
        "station": station,
    }


def password_for(username: str) -> str | None:
    """New demo accounts get the demo password; existing ones keep theirs (idempotent)."""
    return None if User.objects.filter(username=username).exists() else DEMO_PASSWORD


# name, phone, institution key, retirement, rank, birth year, care flags, emergency contact
DEMO_RETIREES = [
    (
        "张建国",
        "13900000001",
        "first",
        "tuixiu",
        "officer",
        1941,
        ["very_old"],
        ("张晓梅", "13911110001"),
    ),
    (
        "李秀英",
        "13900000002",
        "first",
        "lixiu",
        "officer",
        1932,
        ["very_old", "living_alone"],
        ("李卫红", "13911110002"),
    ),
    ("王德胜", "13900000003", "first", "tuixiu", "nco", 1950, [], ("王芳", "13911110003")),
    (
        "赵淑芬",
        "13900000004",
        "station",
        "tuixiu",
        "officer",
        1946,
        ["empty_nest"],
        ("赵磊", "13911110004"),
    ),
    (
        "孙振华",
        "13900000005",
        "station",
        "tuixiu",
        "officer",
        1939,
        ["very_old", "seriously_ill"],
        ("孙丽", "13911110005"),
    ),
    ("周桂兰", "13900000006", "first", "tuixiu", "nco", 1953, [], ("周强", "13911110006")),
    ("吴卫东", "13900000007", "second", "tuixiu", "officer", 1948, [], ("吴静", "13911110007")),
    (
        "郑玉珍",
        "13900000008",
        "second",
        "lixiu",
        "officer",
        1929,
        ["very_old", "disabled"],
        ("郑海", "13911110008"),
    ),
    ("冯志刚", "13900000009", "second", "tuixiu", "nco", 1955, [], ("冯雪", "13911110009")),
    (
        "陈凤英",
        "13900000010",
        "second",
        "tuixiu",
        "officer",
        1944,
        ["living_alone"],
        ("陈刚", "13911110010"),
    ),
    (
        "褚国庆",
        "13900000011",
        "second",
        "tuixiu",
        "officer",
        1949,
        ["dementia"],
        ("褚红", "13911110011"),
    ),
    ("卫兰芳", "13900000012", "station", "tuixiu", "nco", 1952, [], ("卫东", "13911110012")),
]

ADDRESSES = {
    "first": "海淀区万寿路甲12号院",
    "station": "海淀区万寿路28号院",
    "second": "丰台区东大街8号院",
}


def load_demo_people() -> list[DemoLogin]:
    """Create (or bring back to their demo state) the demo institutions and people."""
    places = demo_institutions()
    logins: list[DemoLogin] = []

    staff = [
        ("jxs1", "王丽", places["first"]),
        ("jxs2", "李强", places["second"]),
        ("zhongxin", "陈静", places["center"]),
    ]
    for username, name, place in staff:
        save_user_with_role(
            role=User.Role.STAFF,
            name=name,
            username=username,
            institution=place,
            password=password_for(username),
            keep_password=True,
        )
        logins.append(DemoLogin("机构工作人员", name, username, place.name))

    for username, name in [("liushuwen", "刘书文"), ("zhouyaqin", "周雅琴")]:
        save_user_with_role(
            role=User.Role.INSTRUCTOR,
            name=name,
            username=username,
            institution=places["center"],
            password=password_for(username),
            keep_password=True,
        )
        logins.append(DemoLogin("授课教师", name, username, places["center"].name))

    save_user_with_role(
        role=User.Role.ADMIN,
        name="平台管理员",
        username="admin",
        institution=None,
        password=password_for("admin"),
        keep_password=True,
    )
    logins.append(DemoLogin("平台管理员", "平台管理员", "admin", "全部"))

    for name, phone, place_key, retirement, rank, birth_year, flags, contact in DEMO_RETIREES:
        care = {field: field in flags for field, _ in RetireeProfile.CARE_FLAGS}
        save_retiree(
            name=name,
            phone=phone,
            institution=places[place_key],
            password=password_for(phone),
            keep_password=True,
            retirement=retirement,
            rank=rank,
            birth_year=birth_year,
            address=ADDRESSES[place_key],
            emergency_contact_name=contact[0],
            emergency_contact_phone=contact[1],
            **care,
        )
        logins.append(DemoLogin("军休干部", name, phone, places[place_key].name))
    return logins
