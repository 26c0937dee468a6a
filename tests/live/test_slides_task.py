"""课件 rendering runs as a task: a PDF that turns out broken is told to the teacher once,
however often the task runs, and the kept upload is removed."""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from accounts.models import Notification, User
from live.tasks import render_slides


def test_a_broken_pdf_is_told_to_the_teacher_once(live_class, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    teacher = User.objects.get(username="liushuwen")
    for _ in range(2):  # the worker may take the same task twice
        name = default_storage.save("live/slides/incoming/broken", ContentFile(b"%PDF-1.4 junk"))
        render_slides.call(live_class.pk, teacher.pk, "b1", [name])
        assert not default_storage.exists(name)
    told = Notification.objects.filter(user=teacher, kind="slides", about="slides:b1")
    assert [n.text for n in told] == ["课件没能放好：这个 PDF 打不开，请换一个文件。"]
    live_class.refresh_from_db()
    assert live_class.slide_images == []
