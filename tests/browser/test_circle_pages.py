"""A study circle in two browsers: two retirees chat, one records a voice message with the
(fake) microphone and the other plays it, the 圈主 deletes a message and it vanishes from the
other's screen; every circle page is elder-friendly at 1280 and 390 px."""

import re

from accounts.demo import demo_institutions
from accounts.models import User
from circles.models import Circle, CircleMember
from circles.services import appoint, send_circle_chat, set_membership
from tests.browser.conftest import FAKE_SPEECH, assert_elder_friendly, run_outside_browser_loop

LEADER, MEMBER = "13900000001", "13900000002"  # 张建国 (圈主) and 李秀英, 第一军休所


def make_chorus() -> Circle:
    circle = Circle.objects.create(
        name="合唱爱好者",
        description="喜欢唱歌的老战友。",
        institution=demo_institutions()["first"],
    )
    leader = User.objects.get(username=LEADER)
    appoint(circle, leader, CircleMember.Role.LEADER)
    set_membership(circle, User.objects.get(username=MEMBER), role="member", status="active")
    send_circle_chat(circle, leader, "欢迎大家来合唱圈！", "")
    return circle


def enter(window, login: str, password: str, circle_id: int):
    window.log_in(login, password)
    page = window.open(f"/circles/{circle_id}/")
    page.wait_for_selector("#circle-chat[data-connection=open]")
    return page


def say(page, text: str) -> None:
    page.get_by_label("打字发消息").fill(text)
    page.get_by_role("button", name="发送").click()


def message(page, text: str):
    return page.locator("[data-room=chat] .chat-text", has_text=text)


def test_two_retirees_chat_send_a_voice_message_and_the_leader_deletes(open_window, password):
    circle = run_outside_browser_loop(make_chorus)
    leader_window, member_window = open_window(1280), open_window(390)
    leader_window.page.context.add_init_script(FAKE_SPEECH)
    leader = enter(leader_window, LEADER, password, circle.pk)
    member = enter(member_window, MEMBER, password, circle.pk)
    message(member, "欢迎大家来合唱圈！").wait_for()  # history is there on arrival
    shown_time = member.locator(".chat-time").first.inner_text().strip()
    assert re.fullmatch(r"今天 (凌晨|上午|中午|下午|晚上)\d{1,2}:\d\d", shown_time), shown_time

    say(member, "这周三几点练歌？")
    message(leader, "这周三几点练歌？").wait_for()
    say(leader, "下午两点，活动室。")
    message(member, "下午两点，活动室。").wait_for()
    assert member.get_by_role("log", name="聊天记录").is_visible()

    # The member's connection drops; she types meanwhile; the leader goes on talking.
    member.evaluate("window.circleChat.drop()")
    member.wait_for_selector("#circle-chat[data-connection=closed]")
    say(member, "我这边网断了一下")
    say(leader, "大家带上歌谱")
    member.wait_for_selector("#circle-chat[data-connection=open]")
    message(member, "大家带上歌谱").wait_for()
    message(leader, "我这边网断了一下").wait_for()
    for page in (leader, member):
        texts = page.locator("[data-room=chat] .chat-text").all_inner_texts()
        assert texts.count("大家带上歌谱") == 1 and texts.count("我这边网断了一下") == 1, texts

    # A voice message: press once to start, once to send (for shaky hands).
    member.get_by_role("button", name="录语音").click()
    member.get_by_text("正在录音：2 秒").wait_for()
    member.get_by_role("button", name="说完了，发送").click()
    member.get_by_text("语音已发出").wait_for()
    play = leader.get_by_role("button", name="听李秀英的语音")
    play.click()
    leader.wait_for_function(
        "(() => { const a = document.querySelector('.voice-message audio');"
        " return a && !a.paused && a.currentTime > 0.2; })()"
    )

    # 朗读 on a text message: Mandarin, through the browser's speech synthesis.
    leader.get_by_role("button", name="朗读李秀英的这条消息").first.click()
    leader.wait_for_function("window.spoken.length >= 1")
    assert leader.evaluate("window.spoken[0]") == {
        "text": "这周三几点练歌？",
        "lang": "zh-CN",
        "rate": 0.85,
    }

    assert_elder_friendly(member_window, "circle-chat-member")
    assert_elder_friendly(leader_window, "circle-chat-leader")

    # The 圈主 deletes a message: it vanishes from the other screen at once.
    leader.get_by_role("button", name="删除李秀英的这条消息").first.click()
    message(member, "这周三几点练歌？").wait_for(state="detached")
    member.get_by_text("（这条消息已被删除）").wait_for()


def test_a_refused_microphone_is_explained(open_window, password):
    circle = run_outside_browser_loop(make_chorus)
    window = open_window(390)
    window.page.context.add_init_script(
        "navigator.mediaDevices.getUserMedia = () =>"
        " Promise.reject(new DOMException('denied', 'NotAllowedError'));"
    )
    page = enter(window, MEMBER, password, circle.pk)
    page.get_by_role("button", name="录语音").click()
    page.get_by_text("没能打开麦克风").wait_for()
    assert page.get_by_role("button", name="录语音").get_attribute("aria-pressed") == "false"


def test_circle_pages_are_elder_friendly(open_window, password):
    circle = run_outside_browser_loop(make_chorus)
    for width in (1280, 390):
        window = open_window(width)
        window.log_in(LEADER, password)
        page = window.open("/circles/")
        page.get_by_role("link", name="进入合唱爱好者").wait_for()
        assert_elder_friendly(window, "circle-list")
        page = window.open(f"/circles/{circle.pk}/works/")
        page.get_by_label("作品名称").fill("我唱的《歌唱祖国》")
        page.get_by_role("button", name="发布作品").click()  # no file chosen: told so, nothing lost
        page.get_by_text("请至少选一张照片").first.wait_for()
        assert page.get_by_label("作品名称").input_value() == "我唱的《歌唱祖国》"
        assert_elder_friendly(window, "circle-works")
        window.open(f"/circles/{circle.pk}/members/")
        assert_elder_friendly(window, "circle-members")


def test_the_chat_in_elder_mode(open_window, password):
    circle = run_outside_browser_loop(make_chorus)
    window = open_window(390)
    page = enter(window, MEMBER, password, circle.pk)
    page.get_by_role("button", name="开启长辈模式").click()
    page.wait_for_selector("html.elder-mode")
    page.wait_for_selector("#circle-chat[data-connection=open]")
    message(page, "欢迎大家来合唱圈！").wait_for()
    navigation = page.get_by_role("navigation", name="主导航")
    assert navigation.get_by_role("link", name="学习圈").is_visible()
    assert_elder_friendly(window, "circle-chat-elder", elder=True)
