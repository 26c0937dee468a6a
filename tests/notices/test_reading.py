"""Opening, acknowledging and the pages a retiree reads notices on."""

import pytest
from django.urls import reverse

from accounts.models import Notification, User
from notices.models import NoticePage, NoticeReceipt
from notices.services import NoticeRefused, acknowledge_notice, record_notice_read


def person(login: str) -> User:
    return User.objects.get(username=login)


def test_reading_is_recorded_once_with_the_first_time(publish):
    notice = publish("center", "体检通知")
    first = record_notice_read(notice, person("13500000001"))
    again = record_notice_read(notice, person("13500000001"))
    assert first.read_at is not None
    assert again.read_at == first.read_at
    assert NoticeReceipt.objects.filter(notice=notice, read_at__isnull=False).count() == 1


def test_reading_is_not_recorded_for_someone_outside_the_audience(publish):
    notice = publish("first", "测试一所的通知")
    assert record_notice_read(notice, person("13500000007")) is None  # 测试二所
    assert not NoticeReceipt.objects.filter(retiree__username="13500000007").exists()


def test_acknowledgement_is_recorded_once(publish):
    notice = publish("center", "需确认的通知", requires_acknowledgement=True)
    first = acknowledge_notice(notice, person("13500000001"))
    again = acknowledge_notice(notice, person("13500000001"))
    assert first.acknowledged_at is not None and first.read_at is not None
    assert again.acknowledged_at == first.acknowledged_at


def test_acknowledgement_refused_when_not_addressed_or_not_required(publish):
    private = publish("first", "测试一所的通知", requires_acknowledgement=True)
    with pytest.raises(NoticeRefused, match="不是发给您的"):
        acknowledge_notice(private, person("13500000007"))
    plain = publish("center", "不需确认的通知")
    with pytest.raises(NoticeRefused, match="不需要确认"):
        acknowledge_notice(plain, person("13500000001"))


def test_publishing_reminds_the_audience_once(publish):
    notice = publish("first", "供暖通知")
    reminded = Notification.objects.filter(kind="notice", url=notice.url)
    audience = set(reminded.values_list("user__username", flat=True))
    assert "13500000004" in audience  # 测试一所服务站
    assert "13500000007" not in audience  # 测试二所
    count = reminded.count()
    notice.save_revision().publish()  # an edit republished: nobody is reminded twice
    assert reminded.count() == count


def test_list_marks_unread_in_words_and_opening_clears_it(publish, client_as):
    notice = publish("center", "重阳节活动预告", category=NoticePage.Category.ACTIVITY)
    retiree = client_as("13500000001")
    listing = retiree.get("/notices/").content.decode()
    assert "重阳节活动预告" in listing and "未读" in listing

    page = retiree.get(notice.url)
    assert page.status_code == 200
    assert "活动预告" in page.content.decode()
    assert "未读" not in retiree.get("/notices/").content.decode()
    # The reminder banner for it is gone too.
    assert not Notification.objects.filter(
        user__username="13500000001", url=notice.url, read_at__isnull=True
    ).exists()


def test_a_notice_for_others_is_not_found(publish, client_as):
    notice = publish("first", "测试一所的通知")
    assert client_as("13500000007").get(notice.url).status_code == 404


def test_anonymous_visitors_are_asked_to_log_in(publish, client):
    notice = publish("center", "中心的通知")
    response = client.get(notice.url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_acknowledge_button(publish, client_as):
    notice = publish("center", "会议精神传达", requires_acknowledgement=True)
    retiree = client_as("13500000001")
    assert "我已阅读并知悉" in retiree.get(notice.url).content.decode()
    response = retiree.post(reverse("notices:acknowledge", args=[notice.pk]), follow=True)
    html = response.content.decode()
    assert "您已阅读并知悉这条通知" in html
    assert "我已阅读并知悉</button>" not in html
    receipt = NoticeReceipt.objects.get(notice=notice, retiree__username="13500000001")
    assert receipt.acknowledged_at is not None


def test_acknowledging_someone_elses_notice_is_not_found(publish, client_as):
    notice = publish("first", "测试一所的通知", requires_acknowledgement=True)
    response = client_as("13500000007").post(reverse("notices:acknowledge", args=[notice.pk]))
    assert response.status_code == 404


def test_me_counts_unread_notices(publish, client_as):
    publish("center", "通知一")
    publish("center", "通知二")
    html = client_as("13500000001").get("/me/").content.decode()
    assert "您有 2 条通知没有读" in html
