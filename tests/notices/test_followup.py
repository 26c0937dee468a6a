"""通知送达情况: roll-up along the tree, who to call, conveyance, export, isolation, and
publishing rights in the Wagtail admin."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from accounts.models import User
from notices.models import NoticeIndexPage, NoticePage
from notices.selectors import follow_up
from notices.services import (
    NoticeRefused,
    acknowledge_notice,
    record_conveyance,
    record_notice_read,
)


def person(login: str) -> User:
    return User.objects.get(username=login)


@pytest.fixture
def center_notice(publish):
    """A 中心 notice to all 12 retirees of the cast (测试一所 4, its 测试一所服务站 3, 测试二所 5):
    13500000001 read it only; 02, 04 and 07 acknowledged; 08 was told by phone."""
    notice = publish("center", "体检通知", requires_acknowledgement=True)
    record_notice_read(notice, person("13500000001"))
    for login in ("13500000002", "13500000004", "13500000007"):
        acknowledge_notice(notice, person(login))
    record_conveyance(notice, person("13500000008"), person("staff_second"), "phone", "女儿代接")
    return notice


def figures(notice, viewer: str) -> dict[str, tuple[int, int, int, int, int]]:
    return {
        row.institution.name: (row.audience, row.read, row.acknowledged, row.conveyed, row.reached)
        for row in follow_up(notice, person(viewer)).rows
    }


def test_rolls_up_along_the_tree_for_the_center(center_notice):
    assert figures(center_notice, "staff_center") == {
        "测试军休服务管理中心": (12, 4, 3, 1, 4),
        "测试一所": (7, 3, 2, 0, 2),
        "测试一所服务站": (3, 1, 1, 0, 1),
        "测试二所": (5, 1, 1, 1, 2),
    }
    assert figures(center_notice, "site_admin") == figures(center_notice, "staff_center")


def test_staff_of_an_institute_see_only_their_subtree(center_notice):
    assert figures(center_notice, "staff_first") == {
        "测试一所": (7, 3, 2, 0, 2),
        "测试一所服务站": (3, 1, 1, 0, 1),
    }
    second = follow_up(center_notice, person("staff_second"))
    assert {row.institution.name for row in second.rows} == {"测试二所"}
    assert {p.institution.name for p in second.not_reached} == {"测试二所"}


def test_not_reached_lists_care_flagged_people_first_with_their_phones(center_notice):
    people = follow_up(center_notice, person("staff_first")).not_reached
    names = [p.name for p in people]
    # 林志远 read but did not acknowledge; 马德才 and 钱桂芝 have no care flags, so come last.
    assert set(names) == {"林志远", "罗振邦", "马德才", "钱桂芝", "唐兰英"}
    assert set(names[:2]) == {"林志远", "罗振邦"}
    zhang = next(p for p in people if p.name == "林志远")
    assert zhang.phone == "13500000001"
    assert zhang.care_flags == ["高龄"]
    assert zhang.read_at is not None


def test_conveyance_counts_as_reached_and_is_refused_outside_the_subtree(center_notice):
    record_conveyance(
        center_notice, person("13500000005"), person("staff_first"), "visit", "上门讲了"
    )
    assert figures(center_notice, "staff_first")["测试一所服务站"][4] == 2
    with pytest.raises(NoticeRefused):
        record_conveyance(center_notice, person("13500000005"), person("staff_second"), "phone")


def test_followup_pages_and_export(center_notice, client_as):
    staff = client_as("staff_first")
    listing = staff.get(reverse("notice_followup_list")).content.decode()
    assert "体检通知" in listing and "2 / 7" in listing
    detail = staff.get(reverse("notice_followup_detail", args=[center_notice.pk])).content.decode()
    assert "罗振邦" in detail and "韩卫国" not in detail

    export = staff.get(reverse("notice_followup_export", args=[center_notice.pk]))
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0].startswith("通知：体检通知　（周敏 于 ")
    assert rows[1] == (
        "姓名",
        "手机号",
        "所属机构",
        "关怀标记",
        "阅读情况",
        "紧急联系人",
        "告知结果",
    )
    by_name = {row[0]: row for row in rows[2:]}
    assert set(by_name) == {"林志远", "罗振邦", "马德才", "钱桂芝", "唐兰英"}
    assert by_name["罗振邦"][1:4] == ("13500000005", "测试一所服务站", "重病、高龄")
    assert by_name["林志远"][4].endswith("已读，未确认")
    assert by_name["马德才"][4] == "未读"


def test_staff_record_a_phone_call_from_the_page(center_notice, client_as):
    staff = client_as("staff_first")
    url = reverse("notice_conveyed", args=[center_notice.pk, person("13500000003").pk])
    response = staff.post(url, {"method": "phone", "note": "本人接的电话"}, follow=True)
    assert "已记下：马德才 已电话告知" in response.content.decode()
    assert "马德才" not in [
        p.name for p in follow_up(center_notice, person("staff_first")).not_reached
    ]
    missing = staff.post(url, {"method": ""}, follow=True)
    assert "请选择告知方式" in missing.content.decode()


def test_staff_cannot_reach_other_institutions_by_id(center_notice, publish, client_as):
    first_only = publish("first", "测试一所的通知")
    other = client_as("staff_second")
    for name in ("notice_followup_detail", "notice_followup_export"):
        assert other.get(reverse(name, args=[first_only.pk])).status_code == 404
    convey = reverse("notice_conveyed", args=[center_notice.pk, person("13500000001").pk])
    assert other.post(convey, {"method": "phone"}).status_code == 404
    # Wagtail sends refused admin users back to the dashboard, and the others to its login.
    refused = client_as("teacher_huang").get(reverse("notice_followup_list"))
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")
    retiree = client_as("13500000001").get(reverse("notice_followup_list"))
    assert retiree.status_code == 302 and "体检通知" not in retiree.content.decode()


def notice_form(title: str, **fields) -> dict:
    data = {
        "title": title,
        "slug": "",
        "category": "announcement",
        "summary": "",
        "body": rich_text("<p>正文</p>"),
        "attachments": inline_formset([]),
        "audience": "subtree",
        "action-publish": "发布",
    }
    data.update(fields)
    return nested_form_data(data)


def index_of(name: str) -> NoticeIndexPage:
    return NoticeIndexPage.objects.get(institution__name=name)


def test_staff_publish_only_under_their_own_institution(places, client_as):
    staff = client_as("staff_first")
    own = reverse("wagtailadmin_pages:add", args=["notices", "noticepage", index_of("测试一所").pk])
    above = reverse(
        "wagtailadmin_pages:add",
        args=["notices", "noticepage", index_of("测试军休服务管理中心").pk],
    )
    sibling = reverse(
        "wagtailadmin_pages:add", args=["notices", "noticepage", index_of("测试二所").pk]
    )
    assert staff.post(above, notice_form("越级发布")).status_code in (302, 403)
    assert staff.post(sibling, notice_form("替别人发布")).status_code in (302, 403)
    assert not NoticePage.objects.filter(title__in=["越级发布", "替别人发布"]).exists()

    response = staff.post(own, notice_form("本所通知", slug="own-notice"))
    assert response.status_code == 302
    notice = NoticePage.objects.get(title="本所通知")
    assert notice.live and notice.institution.name == "测试一所"


def test_audience_outside_the_subtree_is_refused_in_the_editor(places, client_as):
    staff = client_as("staff_first")
    url = reverse("wagtailadmin_pages:add", args=["notices", "noticepage", index_of("测试一所").pk])
    sibling = places["second"].pk
    response = staff.post(
        url,
        notice_form(
            "发给隔壁", slug="next-door", audience="institutions", audience_institutions=[sibling]
        ),
    )
    assert response.status_code == 200  # the form again, with the error
    assert not NoticePage.objects.filter(title="发给隔壁").exists()
    empty = staff.post(url, notice_form("没选人", slug="nobody", audience="retirees"))
    assert "请至少选择一位军休干部" in empty.content.decode()
