"""make backup / make restore: a populated site goes into one archive and comes back whole,
on SQLite and on PostgreSQL (CI runs this file in both passes)."""

import tarfile

import pytest
from django.contrib.auth import authenticate
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from wagtail.models import Page

from accounts.models import Institution, RetireeProfile, User
from courses.models import CoursePage, Enrollment, LessonPage
from home.backup import read_backup, write_backup
from notices.models import NoticePage, NoticeReceipt
from tests.conftest import load_demo_site

MODELS = [User, RetireeProfile, Institution, Page, CoursePage, LessonPage, Enrollment,
          NoticePage, NoticeReceipt]  # fmt: skip


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def whole_site(demo_database, transactional_db):
    """Committed, as on a real server: restoring replaces the database in a transaction of
    its own (on PostgreSQL, TRUNCATE cannot run inside a test's pending transaction)."""
    load_demo_site()


@pytest.fixture
def media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage"}}  # fmt: skip
    return settings.MEDIA_ROOT


def test_a_populated_site_round_trips(whole_site, client, media_root, tmp_path):
    default_storage.save("lessons/讲义.txt", ContentFile("横平竖直".encode()))
    before = counts()
    archive = tmp_path / "backup.tar.gz"
    written = write_backup(archive)
    assert written["media"] == 1 and written["objects"] > 100

    # Things go wrong after the backup.
    CoursePage.objects.get(title="书法入门").delete()
    User.objects.filter(username="13900000001").update(name="改坏了")
    default_storage.delete("lessons/讲义.txt")

    restored = read_backup(archive)
    assert restored == written
    assert counts() == before
    assert User.objects.get(username="13900000001").name == "张建国"
    assert CoursePage.objects.filter(title="书法入门", live=True).exists()
    assert authenticate(username="13900000001", password="junxiu2026") is not None
    with default_storage.open("lessons/讲义.txt") as handle:
        assert handle.read().decode() == "横平竖直"
    assert not any(Page.find_problems())  # the page tree is whole
    assert client.get("/").status_code == 200
    assert client.get(CoursePage.objects.get(title="书法入门").url).status_code == 200


def test_the_commands_and_a_file_that_is_not_a_backup(whole_site, media_root, tmp_path):
    archive = tmp_path / "site.tar.gz"
    call_command("backup", str(archive))
    assert tarfile.is_tarfile(archive)
    call_command("restore", str(archive))
    assert User.objects.filter(username="jxs1").exists()

    stranger = tmp_path / "other.tar.gz"
    tarfile.open(stranger, "w:gz").close()  # a valid archive with nothing of ours in it
    with pytest.raises(CommandError, match="这不是本平台的备份文件"):
        call_command("restore", str(stranger))
    with pytest.raises(CommandError, match="找不到备份文件"):
        call_command("restore", str(tmp_path / "missing.tar.gz"))
    assert User.objects.filter(username="jxs1").exists()  # nothing lost by a bad restore
