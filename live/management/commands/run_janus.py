"""Starts Janus from our trimmed configuration (config/janus/): only VideoRoom and the HTTP
transport, secrets from Django's settings. `make run` runs it beside Daphne."""

import os
import shutil
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from live.janus import render_config


class Command(BaseCommand):
    help = "按本站的精简配置启动 Janus 媒体服务器（只有 VideoRoom 和 HTTP）。"

    def add_arguments(self, parser):
        parser.add_argument("--ip", default="127.0.0.1", help="Janus API 监听的地址")
        parser.add_argument("--port", type=int, default=8088)
        parser.add_argument("--admin-port", type=int, default=7088)
        parser.add_argument(
            "--runtime-dir",
            default=str(Path(settings.BASE_DIR) / ".janus"),
            help="写入配置的目录（含密钥，只有本用户可读）",
        )

    def handle(self, *args, ip: str, port: int, admin_port: int, runtime_dir: str, **options):
        janus = shutil.which("janus")
        if not janus:
            raise CommandError("没有安装 Janus（Debian 软件包 janus），视频功能不可用。")
        if not (settings.JANUS_TOKEN_SECRET and settings.JANUS_ADMIN_KEY):
            raise CommandError("请先设置 JANUS_TOKEN_SECRET 和 JANUS_ADMIN_KEY。")
        config = render_config(
            dest=Path(runtime_dir), http_ip=ip, http_port=port, admin_port=admin_port
        )
        # exec: Janus takes this process's place, so the caller's kill reaches Janus itself.
        command = [janus, "-C", str(config), "-F", str(config.parent), "-o"]
        if ip not in ("0.0.0.0", "127.0.0.1"):
            # Janus guesses its address by routing to the internet; where there is no such route
            # (a network namespace, a closed network) it must be told.
            command += ["--interface", ip]
        os.execv(janus, command)
