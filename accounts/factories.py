"""Test factories for people and the institution tree: each test builds exactly the rows it
needs (factory_boy), instead of leaning on the demo site's names and phone numbers."""

import factory
from django.contrib.auth.models import Group
from factory.django import DjangoModelFactory
from wagtail_factories.factories import MP_NodeFactory

from .models import Institution, RetireeProfile, User
from .services import ROLE_GROUPS, ensure_role_groups

PASSWORD = "junxiu-test-2026"


class InstitutionFactory(MP_NodeFactory):
    """A 军休所 at the root unless given a parent. When the site's home page exists, the
    institution gets its notice index and publishers group (as on a real site); a test that
    needs them without a page of its own calls ensure_home_page() first."""

    class Meta:
        model = Institution

    parent = None
    name = factory.Sequence(lambda n: f"测试{n}号军休所")
    kind = Institution.Kind.INSTITUTE
    duty_phone = factory.Sequence(lambda n: f"010-6{n % 10_000_000:07d}")
    address = factory.Sequence(lambda n: f"测试路{n}号")


def institution_tree(prefix: str = "测试") -> dict[str, Institution]:
    """部门 → 中心 → 一所 (→ 一所服务站) and 二所: the shape every scoping rule is about.
    Keys: department, center, first, second, station."""
    department = InstitutionFactory(
        name=f"{prefix}退役军人事务局", kind=Institution.Kind.DEPARTMENT
    )
    center = InstitutionFactory(
        parent=department, name=f"{prefix}军休服务管理中心", kind=Institution.Kind.CENTER
    )
    first = InstitutionFactory(parent=center, name=f"{prefix}一所")
    second = InstitutionFactory(parent=center, name=f"{prefix}二所")
    station = InstitutionFactory(
        parent=first, name=f"{prefix}一所服务站", kind=Institution.Kind.STATION, duty_phone=""
    )
    return {
        "department": department,
        "center": center,
        "first": first,
        "second": second,
        "station": station,
    }


class UserFactory(DjangoModelFactory):
    """Anyone; the role's group is given as the site's own services give it."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Sequence(lambda n: f"用户{n}")
    role = User.Role.RETIREE
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def role_group(user: User, create: bool, extracted, **kwargs) -> None:
        if create:
            # The groups are made (with their permissions) once per test, not per person.
            group = Group.objects.filter(name=ROLE_GROUPS[user.role][0]).first()
            user.groups.add(group or ensure_role_groups()[user.role])


class RetireeProfileFactory(DjangoModelFactory):
    class Meta:
        model = RetireeProfile

    user = factory.SubFactory("accounts.factories.RetireeFactory", retiree_profile=None)
    retirement = RetireeProfile.Retirement.TUIXIU
    rank = RetireeProfile.Rank.OFFICER
    birth_year = 1945
    address = factory.Sequence(lambda n: f"测试路{n}号院")
    emergency_contact_name = factory.Sequence(lambda n: f"家属{n}")
    emergency_contact_phone = factory.Sequence(lambda n: f"136{n % 100_000_000:08d}")


class RetireeFactory(UserFactory):
    """A 军休干部 who logs in with a mobile number, with a profile. Profile fields go as
    retiree_profile__very_old=True and so on."""

    name = factory.Sequence(lambda n: f"学员{n}")
    phone = factory.Sequence(lambda n: f"137{n % 100_000_000:08d}")
    username = factory.SelfAttribute("phone")
    role = User.Role.RETIREE
    institution = factory.SubFactory(InstitutionFactory)
    retiree_profile = factory.RelatedFactory(RetireeProfileFactory, factory_related_name="user")


class StaffFactory(UserFactory):
    """机构工作人员 of one institution (and of everything below it)."""

    username = factory.Sequence(lambda n: f"staff{n}")
    name = factory.Sequence(lambda n: f"工作人员{n}")
    role = User.Role.STAFF
    institution = factory.SubFactory(InstitutionFactory)


class InstructorFactory(UserFactory):
    username = factory.Sequence(lambda n: f"teacher{n}")
    name = factory.Sequence(lambda n: f"教师{n}")
    role = User.Role.INSTRUCTOR


class AdminFactory(UserFactory):
    username = factory.Sequence(lambda n: f"admin{n}")
    name = "平台管理员"
    role = User.Role.ADMIN
    is_superuser = True
    is_staff = True
