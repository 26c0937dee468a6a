from django.core.management import call_command
from django.utils import timezone

from accounts.models import Institution, RetireeProfile, User
from courses.models import Category, CoursePage, LessonPage
from home.models import HomePage
from live.models import LiveClass
from staff.selectors import care_list


def snapshot():
    return {
        "institutions": list(Institution.objects.order_by("path").values_list("path", "name")),
        "users": list(
            User.objects.order_by("username").values_list(
                "username", "password", "role", "institution_id"
            )
        ),
        "profiles": RetireeProfile.objects.count(),
        "home_pages": HomePage.objects.count(),
        "courses": list(CoursePage.objects.order_by("path").values_list("path", "title")),
        "lessons": LessonPage.objects.count(),
        "categories": list(Category.objects.values_list("name", flat=True)),
    }


def test_load_demo_twice_changes_nothing(db, capsys):
    call_command("load_demo")
    first = snapshot()
    printed = capsys.readouterr().out
    call_command("load_demo", "--quiet-logins")
    assert snapshot() == first

    assert first["home_pages"] == 1
    assert first["profiles"] == 12
    assert len(first["courses"]) == 12 and first["lessons"] >= 24
    assert {"书画", "声乐器乐", "健康养生", "智能手机与网络"} <= set(first["categories"])
    kinds = set(Institution.objects.values_list("kind", flat=True))
    assert kinds == {"department", "center", "institute", "station"}
    assert Institution.objects.filter(kind="institute").count() == 2
    assert User.objects.filter(role="instructor").count() == 2
    # The class running now has video on, so a newcomer teacher finds the camera button.
    running = LiveClass.objects.filter(starts_at__lte=timezone.now()).order_by("starts_at").last()
    assert running.video == LiveClass.Video.WEBRTC
    # 关怀名单 shows staff of each 军休所 someone who has gone quiet.
    for staff, name in (("jxs1", "孙振华"), ("jxs2", "褚国庆")):
        quiet = care_list(User.objects.get(username=staff))
        assert name in [row.profile.user.name for row in quiet], staff
    # The printed logins are the ones that work.
    assert "13900000001" in printed and "jxs1" in printed and "junxiu2026" in printed


def test_demo_accounts_log_in_with_the_printed_password(demo_people, client, password):
    assert client.login(username="13900000001", password=password)
    assert client.login(username="jxs1", password=password)
    assert not client.login(username="13900000001", password="wrong-password")
