"""Backup and restore of a whole site: the database as Django fixtures (the same archive
restores into SQLite or PostgreSQL) and every media file, in one .tar.gz."""

import io
import json
import tarfile
import tempfile
from pathlib import Path

from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction
from wagtail.models import Page, PageLogEntry

# Rebuilt by migrations and post_migrate, or worthless elsewhere.
EXCLUDED = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "wagtailsearch.indexentry",
    "accounts.failedlogin",
    "wagtailcore.pagelogentry",  # written separately, below
]
DATA = "database.json"
MEDIA = "media/"


def media_names(folder: str = "") -> list[str]:
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:  # nothing uploaded yet
        return []
    names = [f"{folder}{name}" for name in files]
    for sub in folders:
        names += media_names(f"{folder}{sub}/")
    return names


def write_backup(target: Path) -> dict:
    """→ {"objects": n, "media": n}."""
    data = io.StringIO()
    call_command(
        "dumpdata", natural_foreign=True, natural_primary=False, exclude=EXCLUDED,
        stdout=data, verbosity=0,
    )  # fmt: skip
    objects = json.loads(data.getvalue())
    # Wagtail keeps the log of a deleted page pointing at nothing; such entries cannot be
    # written with natural keys, and are left out.
    logs = PageLogEntry.objects.filter(page_id__in=Page.objects.values("pk"))
    objects += json.loads(serializers.serialize("json", logs, use_natural_foreign_keys=True))
    content = json.dumps(objects, ensure_ascii=False).encode()
    names = media_names()
    with tarfile.open(target, "w:gz") as archive:
        add(archive, DATA, content)
        for name in names:
            with default_storage.open(name) as handle:
                add(archive, MEDIA + name, handle.read())
    return {"objects": len(objects), "media": len(names)}


def add(archive: tarfile.TarFile, name: str, content: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(content)
    archive.addfile(info, io.BytesIO(content))


def read_backup(source: Path) -> dict:
    """Replace everything in the database with the archive's contents, and put its media
    files back. All of the database or none of it."""
    with tarfile.open(source, "r:gz") as archive:
        members = {m.name: m for m in archive.getmembers() if m.isfile()}
        if DATA not in members:
            raise ValueError("这不是本平台的备份文件（里面没有 database.json）。")
        data = archive.extractfile(members[DATA]).read()
        with tempfile.TemporaryDirectory() as folder:
            fixture = Path(folder) / DATA
            fixture.write_bytes(data)
            with transaction.atomic():
                call_command("flush", interactive=False, verbosity=0)
                call_command("loaddata", str(fixture), verbosity=0)
        media = [name for name in members if name.startswith(MEDIA)]
        for name in media:
            relative = name[len(MEDIA) :]
            if default_storage.exists(relative):
                default_storage.delete(relative)
            default_storage.save(relative, ContentFile(archive.extractfile(members[name]).read()))
    return {"objects": len(json.loads(data)), "media": len(media)}
