"""今日直播, the room page's door, 我的, and the admin pages for scheduling and attendance."""

import datetime
from io import BytesIO
from unittest.mock import patch

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image

from accounts.models import PersonalDataAccess
from live.models import LiveClass
from tests.live.conftest import make_class


def test_today_lists_the_class_with_one_big_button(live_class, client_as):
    html = client_as("13900000001").get("/live/").content.decode()
    assert "楷书横画" in html
    assert f'href="/live/{live_class.pk}/">进入课堂</a>' in html
    assert "楷书横画" in client_as("13900000001").get("/me/").content.decode()
    assert "楷书横画" not in client_as("13900000007").get("/live/").content.decode()


def test_the_button_waits_until_fifteen_minutes_before(live_class, client_as):
    # At ten in the morning (Beijing), so that "in 40 minutes" is still today whenever the
    # test runs (it failed once at 23:39, when the class moved to tomorrow's list).
    morning = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate(), datetime.time(10, 0))
    )
    LiveClass.objects.filter(pk=live_class.pk).update(
        starts_at=morning + datetime.timedelta(minutes=40),
        ends_at=morning + datetime.timedelta(minutes=100),
    )
    retiree = client_as("13900000001")
    with patch("django.utils.timezone.now", return_value=morning):
        html = retiree.get("/live/").content.decode()
    assert 'aria-disabled="true">进入课堂' in html
    assert "上课前 15 分钟" in html


def test_the_room_page_is_closed_to_others_with_a_clear_message(live_class, client_as, client):
    assert client_as("13900000001").get(f"/live/{live_class.pk}/").status_code == 200
    refused = client_as("13900000007").get(f"/live/{live_class.pk}/")
    assert refused.status_code == 403
    assert "只对报名了《书法入门》的学员开放" in refused.content.decode()
    assert client.get(f"/live/{live_class.pk}/").status_code == 302  # to the login page


def test_scheduling_and_attendance_are_scoped(live_class, client_as):
    own = client_as("jxs1")  # 书法入门 is 第一军休所's
    assert "楷书横画" in own.get("/admin/live-classes/").content.decode()
    other = client_as("jxs2")
    assert "楷书横画" not in other.get("/admin/live-classes/").content.decode()
    attendance = reverse("live_class_attendance", args=[live_class.pk])
    assert other.get(attendance).status_code == 404
    assert other.get(f"/admin/live-classes/edit/{live_class.pk}/").status_code == 404
    assert client_as("zhouyaqin").get(attendance).status_code == 404

    export = own.get(attendance + "?format=xlsx")
    rows = list(load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[1] == ("姓名", "手机号", "出勤情况", "在课堂分钟数", "进入时间", "离开时间")
    assert {row[0] for row in rows[2:]} == {"张建国", "李秀英"}
    assert {row[2] for row in rows[2:]} == {"缺勤"}
    assert {row[1] for row in rows[2:]} == {"13900000001", "13900000002"}
    assert rows[0][0].endswith("（王丽 于 " + rows[0][0].split("王丽 于 ")[1])  # who and when
    assert PersonalDataAccess.objects.get().action == "export"


def test_the_instructor_sees_who_came_but_not_their_phone_numbers(live_class, client_as):
    attendance = reverse("live_class_attendance", args=[live_class.pk])
    page = client_as("liushuwen").get(attendance).content.decode()
    assert "张建国" in page and "13900000001" not in page
    export = client_as("liushuwen").get(attendance + "?format=xlsx")
    rows = list(load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True))
    assert {row[0] for row in rows[2:]} == {"张建国", "李秀英"}
    assert {row[1] for row in rows[2:]} == {None}
    assert not PersonalDataAccess.objects.exists()


def test_an_instructor_schedules_a_class_for_their_own_course_only(live_class, client_as):
    teacher = client_as("liushuwen")
    form = teacher.get("/admin/live-classes/new/").content.decode()
    assert "书法入门" in form and "老年合唱" not in form
    local = timezone.localtime() + datetime.timedelta(days=1)
    response = teacher.post(
        "/admin/live-classes/new/",
        {
            "course": live_class.course_id,
            "title": "行书入门",
            "starts_at": local.strftime("%Y-%m-%d 09:00"),
            "ends_at": local.strftime("%Y-%m-%d 08:00"),
            "instructor": live_class.instructor_id,
            "video": "webrtc",
            "hls_url": "",
        },
    )
    assert "结束时间要晚于开始时间" in response.content.decode()
    assert not LiveClass.objects.filter(title="行书入门").exists()


def test_a_second_class_gets_its_own_room(live_class):
    other = make_class(title="第二节")
    assert other.room_id != live_class.room_id


def two_page_pdf() -> bytes:
    pages = [Image.new("RGB", (800, 600), colour) for colour in ("white", "lightyellow")]
    buffer = BytesIO()
    pages[0].save(buffer, format="PDF", save_all=True, append_images=pages[1:])
    return buffer.getvalue()


def test_the_teacher_uploads_a_pdf_and_its_pages_become_images(
    live_class, client_as, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    url = reverse("live:upload_slides", args=[live_class.pk])
    upload = SimpleUploadedFile("第一课.pdf", two_page_pdf(), content_type="application/pdf")
    response = client_as("liushuwen").post(url, {"slides": upload}, follow=True)
    # The worker renders it (at once here: the tests run tasks inside the request).
    assert "课件收到了，正在转换" in response.content.decode()
    live_class.refresh_from_db()
    assert len(live_class.slide_images) == 2 and live_class.current_slide == 0
    stored = sorted(p.name for p in (tmp_path / "live" / "slides" / str(live_class.pk)).iterdir())
    assert len(stored) == 2 and all(name.endswith(".png") for name in stored)
    with Image.open(tmp_path / "live" / "slides" / str(live_class.pk) / stored[0]) as page:
        assert page.width == 1600


def test_slides_refuse_what_is_not_a_pdf_or_an_image(live_class, client_as, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    url = reverse("live:upload_slides", args=[live_class.pk])
    fake = SimpleUploadedFile(
        "课件.pdf", b"MZ\x90\x00 not really a pdf", content_type="application/pdf"
    )
    response = client_as("liushuwen").post(url, {"slides": fake}, follow=True)
    assert "只能上传 PDF 或图片" in response.content.decode()
    live_class.refresh_from_db()
    assert live_class.slide_images == []
    retiree = client_as("13900000001").post(
        url, {"slides": SimpleUploadedFile("a.pdf", two_page_pdf())}
    )
    assert retiree.status_code == 404


def test_a_retiree_rates_the_class_once_and_it_feeds_the_course_figures(live_class, client_as):
    from courses.models import ClassRating
    from courses.selectors import satisfaction_of

    retiree = client_as("13900000001")
    room = retiree.get(f"/live/{live_class.pk}/").content.decode()
    assert 'data-room="rating" aria-labelledby="rating-title" hidden' in room  # not ended yet
    LiveClass.objects.filter(pk=live_class.pk).update(state=LiveClass.State.ENDED)
    assert (
        "hidden"
        not in retiree.get(f"/live/{live_class.pk}/")
        .content.decode()
        .split('data-room="rating"')[1][:40]
    )

    url = reverse("live:rate", args=[live_class.pk])
    assert "请选一个星级" in retiree.post(url, {}, follow=True).content.decode()
    assert "谢谢您的评价" in retiree.post(url, {"stars": "4"}, follow=True).content.decode()
    assert "已经评过了" in retiree.post(url, {"stars": "1"}, follow=True).content.decode()
    assert list(ClassRating.objects.values_list("stars", flat=True)) == [4]
    assert 'data-room="rating"' not in retiree.get(f"/live/{live_class.pk}/").content.decode()
    client_as("13900000002").post(url, {"stars": "5"})
    figures = satisfaction_of(live_class.course)
    assert (figures.class_ratings, figures.class_average) == (2, 4.5)
    assert client_as("liushuwen").post(url, {"stars": "5"}).status_code == 404
    assert client_as("13900000007").post(url, {"stars": "5"}).status_code == 404


def upload_recording(client, live_class, content: bytes, upload_id: str = "a" * 32) -> dict:
    chunk = 2 * 1024 * 1024
    pieces = [content[i : i + chunk] for i in range(0, len(content), chunk)]
    for index, piece in enumerate(pieces):
        url = reverse("live:recording_chunk", args=[live_class.pk, upload_id, index])
        response = client.post(url, piece, content_type="application/octet-stream")
        assert response.status_code == 200, response.content.decode()
    finish = reverse("live:recording_finish", args=[live_class.pk, upload_id])
    return client.post(finish, {"chunks": len(pieces)}).json()


def test_a_recording_uploaded_in_chunks_becomes_a_draft_replay_lesson(
    live_class, client_as, settings, tmp_path
):
    from accounts.models import Notification
    from courses.models import LessonPage
    from live.tasks import finish_recording

    settings.MEDIA_ROOT = tmp_path
    webm = b"\x1a\x45\xdf\xa3" + bytes(range(256)) * 20000  # 5 MB: three chunks
    reply = upload_recording(client_as("liushuwen"), live_class, webm)
    # A worker joins it (at once here: the tests run tasks inside the request) and tells
    # the teacher, once, however often it runs.
    assert "正在整理" in reply["message"]
    lesson = LessonPage.objects.get(title="课后回放：楷书横画")
    told = Notification.objects.get(kind="recording", user__username="liushuwen")
    assert told.text.startswith("录像已保存为草稿课时“课后回放：楷书横画”")
    assert not lesson.live and lesson.get_parent().specific == live_class.course
    media = lesson.body[0].value["media"]
    with media.file.open("rb") as stored:
        assert stored.read() == webm
    assert not list((tmp_path / "live" / "recordings").rglob("*.part"))  # chunks cleaned up
    finish_recording.call(live_class.pk, told.user_id, "a" * 32, 3)  # taken again: no second
    assert LessonPage.objects.filter(title="课后回放：楷书横画").count() == 1


def test_a_recording_that_is_incomplete_or_not_video_is_refused(
    live_class, client_as, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    teacher = client_as("liushuwen")
    finish = reverse("live:recording_finish", args=[live_class.pk, "b" * 32])
    assert "没有传完整" in teacher.post(finish, {"chunks": 2}).json()["error"]
    reply = upload_recording(teacher, live_class, b"MZ" + b"\x00" * 1000, upload_id="c" * 32)
    assert "不是它的扩展名所说的" in reply["error"]
    chunk = reverse("live:recording_chunk", args=[live_class.pk, "d" * 32, 0])
    assert (
        client_as("13900000001")
        .post(chunk, b"x", content_type="application/octet-stream")
        .status_code
        == 404
    )
    bad_id = reverse("live:recording_chunk", args=[live_class.pk, "not-hex", 0])
    assert teacher.post(bad_id, b"x", content_type="application/octet-stream").status_code == 400


def test_browser_video_is_offered_only_to_small_classes(live_class, client_as, settings):
    settings.LIVE_WEBRTC_MAX_PARTICIPANTS = 10  # 书法入门 takes 20
    local = timezone.localtime() + datetime.timedelta(days=1)
    response = client_as("liushuwen").post(
        "/admin/live-classes/new/",
        {
            "course": live_class.course_id,
            "title": "大班课",
            "starts_at": local.strftime("%Y-%m-%d 09:00"),
            "ends_at": local.strftime("%Y-%m-%d 10:00"),
            "instructor": live_class.instructor_id,
            "video": "webrtc",
            "hls_url": "",
        },
    )
    assert "浏览器直播只适合 10 人以内的小班" in response.content.decode()
    assert not LiveClass.objects.filter(title="大班课").exists()


def test_me_shows_the_next_live_class_of_each_course(live_class, client_as):
    html = client_as("13900000001").get("/me/").content.decode()
    assert "直播课：楷书横画" in html
