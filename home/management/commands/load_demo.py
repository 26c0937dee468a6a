from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.demo import DEMO_PASSWORD, demo_institutions, load_demo_people
from circles.demo import load_demo_circles
from courses.demo import load_demo_courses
from courses.generated_media import ffmpeg_available
from home.services import ensure_home_page
from live.demo import load_demo_live_classes
from notices.demo import load_demo_notices
from staff.demo import load_demo_care_list


class Command(BaseCommand):
    help = "载入演示数据（机构、工作人员、教师、军休干部和首页）。可重复运行，不会重复创建。"

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help="不打印演示账号。")

    @transaction.atomic
    def handle(self, *args, **options):
        home = ensure_home_page()
        logins = load_demo_people()
        load_demo_courses(home, demo_institutions(), with_media=ffmpeg_available())
        load_demo_notices(demo_institutions())
        load_demo_live_classes()
        load_demo_circles(demo_institutions())
        load_demo_care_list()
        if options["quiet_logins"]:
            return
        self.stdout.write(f"\n演示账号（密码都是 {DEMO_PASSWORD}）：")
        for login in logins:
            self.stdout.write(
                f"  {login.role:<8} {login.name:<6} 登录名 {login.login:<12} {login.institution}"
            )
        self.stdout.write("")
