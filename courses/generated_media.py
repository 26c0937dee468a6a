"""Short generated lesson clips (ffmpeg's test pattern and a tone) with Chinese captions, for
the demo data and the browser tests: no large binaries in the repository."""

import shutil
import subprocess
import tempfile
from pathlib import Path

from django.core.files.base import ContentFile

from .models import LessonMedia

CAPTIONS = """WEBVTT

00:00:00.000 --> 00:00:03.000
同志们好，今天我们学习用手机视频通话。

00:00:03.000 --> 00:00:06.000
先打开微信，找到要通话的亲人。
"""

TRANSCRIPT = "同志们好，今天我们学习用手机视频通话。先打开微信，找到要通话的亲人。"


def ffmpeg_available() -> bool:
    return shutil.which("ffmpeg") is not None


def generate_clip(seconds: int = 6) -> bytes:
    """A small seekable WebM (VP8 + Opus), a few dozen KB."""
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "clip.webm"
        subprocess.run(
            [
                "ffmpeg",
                "-loglevel",
                "error",
                "-y",
                "-f",
                "lavfi",
                "-i",
                f"testsrc=duration={seconds}:size=320x240:rate=15",
                "-f",
                "lavfi",
                "-i",
                f"sine=frequency=440:duration={seconds}",
                "-c:v",
                "libvpx",
                "-b:v",
                "150k",
                "-c:a",
                "libopus",
                "-shortest",
                str(target),
            ],
            check=True,
        )
        return target.read_bytes()


def create_generated_media(title: str, seconds: int = 6) -> LessonMedia:
    media = LessonMedia(title=title, kind=LessonMedia.Kind.VIDEO, transcript=TRANSCRIPT)
    media.file.save("generated-clip.webm", ContentFile(generate_clip(seconds)), save=False)
    media.captions.save("generated-captions.vtt", ContentFile(CAPTIONS.encode()), save=False)
    media.save()
    return media
