from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone

from home.backup import write_backup


class Command(BaseCommand):
    help = "把数据库和上传的文件备份成一个 .tar.gz 文件。"

    def add_arguments(self, parser):
        parser.add_argument(
            "archive", nargs="?", help="备份文件路径（默认 backups/日期时间.tar.gz）"
        )

    def handle(self, *args, archive=None, **options):
        target = Path(archive or f"backups/junxiu-{timezone.localtime():%Y%m%d-%H%M%S}.tar.gz")
        target.parent.mkdir(parents=True, exist_ok=True)
        counts = write_backup(target)
        self.stdout.write(f"已备份 {counts['objects']} 条数据、{counts['media']} 个文件到 {target}")
