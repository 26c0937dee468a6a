"""A live class in three browsers: the instructor starts it, uploads and turns slides, opens a
poll; retirees chat, raise hands and vote; one retiree's socket drops and every message is
there, once, after it recovers."""

import json
from io import BytesIO

from PIL import Image

from courses.models import LessonPage
from tests.browser.conftest import assert_elder_friendly, run_outside_browser_loop
from tests.live.conftest import make_class
from tests.servers import wait_until


def slides_pdf() -> bytes:
    pages = [Image.new("RGB", (800, 600), colour) for colour in ("white", "lightyellow")]
    buffer = BytesIO()
    pages[0].save(buffer, format="PDF", save_all=True, append_images=pages[1:])
    return buffer.getvalue()


# A live camera picture has no captions yet (WCAG 1.2.4, captions for live audio): the slides
# and the chat carry the class in text meanwhile. Recorded as open work in issue 5.
LIVE_VIDEO_GAP = {"video-caption": "no live captions for the instructor's camera yet"}


def enter(window, login: str, password: str, class_id: int):
    window.log_in(login, password)
    page = window.open(f"/live/{class_id}/")
    page.wait_for_selector("#live-room[data-connection=open]")
    return page


def chat_texts(page) -> list[str]:
    return page.locator("[data-room=chat] .chat-text").all_inner_texts()


def say(page, text: str) -> None:
    page.get_by_label("说点什么").fill(text)
    page.get_by_role("button", name="发送").click()


def test_a_live_class_in_three_browsers(open_window, password):
    live_class = run_outside_browser_loop(make_class)
    teacher_window, a_window, b_window = open_window(1280), open_window(390), open_window(1280)
    sent_by_teacher = []
    teacher_window.page.on(
        "websocket",
        lambda socket: socket.on("framesent", lambda frame: sent_by_teacher.append(frame)),
    )
    teacher = enter(teacher_window, "liushuwen", password, live_class.pk)
    a = enter(a_window, "13900000001", password, live_class.pk)  # 张建国, on a phone
    b = enter(b_window, "13900000002", password, live_class.pk)  # 李秀英

    # Video from the instructor's (synthetic) camera, browser to browser over WebRTC.
    teacher.get_by_role("button", name="打开摄像头直播").click()
    teacher.get_by_text("正在直播").wait_for()
    for page in (a, b):
        page.get_by_role("button", name="播放老师的视频和声音").click()
        page.wait_for_function(
            "(() => { const v = document.querySelector('[data-room=video]');"
            " return v.videoWidth > 0 && v.currentTime > 0.2; })()"
        )
    # Offers and ICE candidates go without ids: nothing waits for their acks (issue 21 item 17).
    signals = [json.loads(f) for f in sent_by_teacher if '"rtc.signal"' in f]
    assert {s["data"]["kind"] for s in signals} >= {"ready", "offer", "ice"}
    assert not [s for s in signals if "id" in s]

    teacher.get_by_role("button", name="开始上课").click()
    a.locator("[data-room=state]", has_text="正在上课").wait_for()
    teacher.locator("[data-room=presence]", has_text="在线 3 人").wait_for()

    teacher.locator("#slides-file").set_input_files(
        files=[{"name": "第一课.pdf", "mimeType": "application/pdf", "buffer": slides_pdf()}]
    )
    teacher.get_by_role("button", name="上传课件", exact=True).click()
    # Without reloading: the video goes on.
    teacher.get_by_text("课件已经放好，大家看到的是第 1 页。").wait_for()
    for page in (a, teacher):
        page.locator("[data-room=slide-page]", has_text="第 1 页，共 2 页").wait_for()
    teacher.get_by_role("button", name="下一页").click()
    b.locator("[data-room=slide-page]", has_text="第 2 页，共 2 页").wait_for()
    assert b.get_by_role("img", name="课件第 2 页").is_visible()

    teacher.get_by_label("问题").fill("今天的课听懂了吗？")
    teacher.get_by_label("选项（每行一个，2 到 6 个）").fill("听懂了\n还要再讲一遍")
    teacher.get_by_role("button", name="发起投票").click()
    a.get_by_role("button", name="听懂了").click()
    b.locator(".poll-count").first.filter(has_text="1 票").wait_for()
    teacher.locator("[data-room=poll-total]", has_text="共 1 人投票").wait_for()

    say(a, "老师好！")
    b.locator("[data-room=chat] .chat-text", has_text="老师好！").wait_for()
    assert b.get_by_role("log", name="聊天记录").get_by_text("老师好！").is_visible()

    a.get_by_role("button", name="举手").click()
    teacher.get_by_text("有人举手：张建国").wait_for()
    teacher.get_by_role("button", name="请张建国发言").click()
    b.locator("[data-room=called]", has_text="老师请 张建国 发言").wait_for()
    a.locator("[data-room=called]", has_text="老师请您发言了").wait_for()

    # 李秀英's connection drops. She types while it is down; 张建国 keeps talking.
    # The page may reconnect before a poll would see it closed: record every state it shows.
    b.evaluate(
        """() => {
        const room = document.querySelector("#live-room");
        window.connectionStates = [];
        new MutationObserver(() => window.connectionStates.push(room.dataset.connection))
          .observe(room, {attributes: true, attributeFilter: ["data-connection"]});
      }"""
    )
    b.evaluate("window.liveRoom.drop()")
    b.wait_for_function("window.connectionStates.includes('closed')")
    say(b, "我刚才掉线了")
    say(a, "第二条")
    say(a, "第三条")
    b.wait_for_selector("#live-room[data-connection=open]")
    for text in ("第二条", "第三条", "我刚才掉线了"):
        b.locator("[data-room=chat] .chat-text", has_text=text).wait_for()
    a.locator("[data-room=chat] .chat-text", has_text="我刚才掉线了").wait_for()
    for page in (a, b):
        texts = chat_texts(page)
        for text in ("老师好！", "第二条", "第三条", "我刚才掉线了"):
            assert texts.count(text) == 1, texts
        assert texts.index("第二条") < texts.index("第三条")

    assert_elder_friendly(a_window, "live-room-retiree", known_gaps=LIVE_VIDEO_GAP)
    assert_elder_friendly(b_window, "live-room-retiree", known_gaps=LIVE_VIDEO_GAP)
    assert_elder_friendly(teacher_window, "live-room-teacher", known_gaps=LIVE_VIDEO_GAP)

    # Stopping the broadcast uploads its recording as a draft 课后回放 lesson.
    teacher.get_by_role("button", name="停止直播").click()
    teacher.get_by_text("录像传好了，正在整理成草稿课时").wait_for()
    # A worker turns the upload into the lesson (at once here, or soon through the topology).
    replays = LessonPage.objects.filter(title="课后回放：楷书横画")
    wait_until(lambda: run_outside_browser_loop(replays.exists), "the replay lesson to be made")
    replay = run_outside_browser_loop(replays.get)
    assert not replay.live and replay.get_parent().title == "书法入门"

    # 下课: each retiree is asked once for stars.
    teacher.get_by_role("button", name="下课").click()
    a.get_by_role("heading", name="下课了，给这节课打个分吧").wait_for()
    assert_elder_friendly(a_window, "live-room-rating", known_gaps=LIVE_VIDEO_GAP)
    a.get_by_label("5 星").check()
    a.get_by_role("button", name="提交评价").click()
    a.get_by_text("谢谢您的评价！").wait_for()

    # The instructor's view on a phone, too.
    phone = open_window(390)
    enter(phone, "liushuwen", password, live_class.pk)
    assert_elder_friendly(phone, "live-room-teacher", known_gaps=LIVE_VIDEO_GAP)


def test_the_teachers_buttons_and_status_lines_follow_the_room(open_window, password):
    """Issue 21 item 12: once the class is on, 开始上课 gives way to 下课; once the camera is
    on, 打开摄像头直播 gives way to 停止直播; "课件已经放好…第 1 页" goes when the page turns."""
    live_class = run_outside_browser_loop(make_class)
    window = open_window(1280)
    teacher = enter(window, "liushuwen", password, live_class.pk)
    start = teacher.get_by_role("button", name="开始上课")
    end = teacher.get_by_role("button", name="下课")
    assert start.is_visible() and not end.is_visible()

    start.click()
    end.wait_for()
    assert not start.is_visible()
    teacher.reload()  # the page drawn by the server says the same
    teacher.wait_for_selector("#live-room[data-connection=open]")
    assert end.is_visible() and not start.is_visible()

    teacher.get_by_label("同时录像").uncheck()
    teacher.get_by_role("button", name="打开摄像头直播").click()
    teacher.get_by_role("button", name="停止直播").wait_for()
    assert not teacher.get_by_role("button", name="打开摄像头直播").is_visible()
    assert not teacher.get_by_role("button", name="共享屏幕").is_visible()

    teacher.locator("#slides-file").set_input_files(
        files=[{"name": "第一课.pdf", "mimeType": "application/pdf", "buffer": slides_pdf()}]
    )
    teacher.get_by_role("button", name="上传课件", exact=True).click()
    teacher.get_by_text("课件已经放好，大家看到的是第 1 页。").wait_for()
    teacher.locator("[data-room=slide-page]", has_text="第 1 页，共 2 页").wait_for()
    assert not teacher.get_by_role("button", name="上一页").is_visible()
    teacher.get_by_role("button", name="下一页").click()
    teacher.locator("[data-room=slide-page]", has_text="第 2 页，共 2 页").wait_for()
    assert teacher.get_by_text("第 1 页").count() == 0
    assert not teacher.get_by_role("button", name="下一页").is_visible()
    assert teacher.get_by_role("button", name="上一页").is_visible()

    teacher.get_by_role("button", name="停止直播").click()
    teacher.get_by_role("button", name="打开摄像头直播").wait_for()
    end.click()
    start.wait_for()
    assert not end.is_visible()
    assert_elder_friendly(window, "live-room-teacher-after", known_gaps=LIVE_VIDEO_GAP)
