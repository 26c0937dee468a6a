import time

from django.core.management.base import BaseCommand

from search.registry import KINDS
from search.services import rebuild_index


class Command(BaseCommand):
    help = "重建全站搜索索引（课程、课时、通知、学习圈）。"

    def add_arguments(self, parser):
        parser.add_argument("kinds", nargs="*", help="只重建这些类型，例如 course notice")

    def handle(self, *args, kinds=None, **options):
        started = time.monotonic()
        written = rebuild_index(kinds=kinds or None)
        for name, count in written.items():
            self.stdout.write(f"{KINDS[name].label}：{count} 条")
        self.stdout.write(f"用时 {time.monotonic() - started:.1f} 秒")
