from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from home.backup import read_backup


class Command(BaseCommand):
    help = "用备份文件恢复数据库和上传的文件（会替换现有的全部数据）。"

    def add_arguments(self, parser):
        parser.add_argument("archive", help="make backup 写出的 .tar.gz 文件")

    def handle(self, *args, archive, **options):
        source = Path(archive)
        if not source.exists():
            raise CommandError(f"找不到备份文件 {source}")
        try:
            counts = read_backup(source)
        except ValueError as problem:
            raise CommandError(str(problem)) from problem
        self.stdout.write(f"已恢复 {counts['objects']} 条数据、{counts['media']} 个文件。")
