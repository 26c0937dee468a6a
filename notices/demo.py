"""Demo notices of every category, at every level of the tree, some already read."""

import datetime

from django.utils import timezone

from accounts.models import Institution, Notification, User

from .models import NoticePage, NoticeReceipt
from .services import ensure_notice_index, ensure_notice_indexes

# slug, institution key, category, title, summary, body, pinned, needs acknowledgement, days ago
DEMO_NOTICES = [
    (
        "health-check-2026",
        "center",
        "policy",
        "关于做好2026年度军休干部健康体检工作的通知",
        "今年体检12月10日开始，各军休所统一组织，行动不便的可以预约上门抽血。",
        "<p>各军休所、服务站：</p><p>为做好军休干部健康保障工作，中心决定于2026年12月10日至12月25日"
        "组织年度健康体检。体检医院为市第三医院干部保健科，各军休所统一安排车辆接送。</p>"
        "<h2>需要您做的</h2><ol><li>体检前一天晚上10点以后不要吃东西、不要喝水。</li>"
        "<li>带好医保卡和身份证。</li><li>行动不便、卧床的同志，请打军休所电话预约上门抽血。</li></ol>"
        "<p>请各单位把通知传达到每一位军休干部，对高龄、独居、行动不便的同志要逐一电话告知。</p>",
        True,
        True,
        3,
    ),
    (
        "meeting-spirit-2026",
        "department",
        "meeting",
        "传达学习全市退役军人工作会议精神",
        "会议对做好军休服务、关爱高龄和困难军休干部提出了具体要求。",
        "<p>11月20日，全市退役军人工作会议召开。会议要求，各级军休服务机构要把军休干部的满意度"
        "作为衡量工作的主要标准，坚持线上线下相结合办好老年大学，对高龄、独居、患病的军休干部"
        "做到定人包户、经常走访。</p><p>各军休所将在12月上旬组织集中学习，不方便到场的同志可以在"
        "本平台收看录像。</p>",
        False,
        True,
        7,
    ),
    (
        "winter-heating",
        "first",
        "announcement",
        "冬季供暖和防滑安全提示",
        "供暖已经开始，家里暖气不热请打值班电话；雪天出门请走防滑通道。",
        "<p>各位老首长、老同志：</p><p>本年度供暖已于11月15日开始。家里暖气不热、漏水，请打军休所"
        "值班电话，工作人员会联系物业上门。</p><p>雪天路滑，出门请慢行，院内已经铺好防滑垫。"
        "需要代买菜、代取药的，也可以打值班电话。</p>",
        False,
        False,
        10,
    ),
    (
        "finance-q3",
        "first",
        "finance",
        "第一军休所2026年第三季度服务经费使用情况公示",
        "第三季度服务经费收支明细，欢迎监督。",
        "<p>根据财务公开的要求，现将第一军休所2026年第三季度服务经费使用情况公示如下：</p>"
        "<ul><li>文体活动经费：18,600元（老年大学教材、书画用品、合唱团服装）</li>"
        "<li>走访慰问经费：24,000元（慰问高龄、患病军休干部60人次）</li>"
        "<li>设施维护经费：9,850元（活动室空调维修、院内扶手加装）</li></ul>"
        "<p>公示期为10天。有疑问请找所里财务室，电话见页面下方。</p>",
        False,
        False,
        14,
    ),
    (
        "service-guide",
        "second",
        "service",
        "第二军休所服务项目和办事指南",
        "哪些事可以找军休所、找谁、带什么，一张表说清楚。",
        "<p>第二军休所为大家提供这些服务：</p><ol><li>医疗报销：每月5日、20日上午收单，带好发票和病历。</li>"
        "<li>代办事项：代取药、代缴费、代办证件，提前一天打电话。</li>"
        "<li>上门服务：高龄、行动不便的同志，每月至少上门走访一次。</li>"
        "<li>老年大学：线上课程在本平台报名，线下课程在所里活动室。</li></ol>",
        False,
        False,
        20,
    ),
    (
        "calligraphy-exhibition",
        "center",
        "activity",
        "“老兵心向党”书画作品展征集作品",
        "12月20日前把作品交到所里，或者在学习圈里上传照片。",
        "<p>中心将于明年元旦举办“老兵心向党”书画作品展，现向全体军休干部征集书法、绘画、摄影作品。"
        "</p><p>交作品的办法：把作品交到所在军休所，或者拍好照片在本平台学习圈的“作品展示”里上传。"
        "截止日期是12月20日。</p>",
        False,
        False,
        1,
    ),
]


def load_demo_notices(places: dict[str, Institution]) -> None:
    ensure_notice_indexes()
    now = timezone.now()
    morning = timezone.localtime(now).replace(hour=9, minute=30, second=0, microsecond=0)
    for slug, place, category, title, summary, body, pinned, ack, days_ago in DEMO_NOTICES:
        index = ensure_notice_index(places[place])
        if NoticePage.objects.filter(slug=slug).exists():
            continue
        notice = index.add_child(
            instance=NoticePage(
                title=title,
                slug=slug,
                category=category,
                summary=summary,
                body=body,
                pinned=pinned,
                requires_acknowledgement=ack,
            )
        )
        notice.save_revision().publish()
        published = morning - datetime.timedelta(days=days_ago)
        NoticePage.objects.filter(pk=notice.pk).update(
            first_published_at=published, last_published_at=published
        )
    # The demo retirees have read the older notices and some acknowledged them; a few have
    # not, so that the follow-up report has someone to call.
    retirees = list(User.objects.filter(role=User.Role.RETIREE).order_by("username"))
    for notice in NoticePage.objects.filter(slug__in=[row[0] for row in DEMO_NOTICES]):
        if notice.slug == "calligraphy-exhibition":
            continue
        for position, retiree in enumerate(retirees):
            if position % 4 == 1:
                continue  # not read yet
            NoticeReceipt.objects.filter(notice=notice, retiree=retiree, read_at=None).update(
                read_at=notice.first_published_at + datetime.timedelta(hours=position + 1),
                acknowledged_at=notice.first_published_at + datetime.timedelta(hours=position + 1)
                if notice.requires_acknowledgement and position % 3
                else None,
            )
        # Their reminders are read exactly where the notice is (one meaning of 已读).
        readers = NoticeReceipt.objects.filter(notice=notice, read_at__isnull=False)
        Notification.objects.filter(
            kind="notice",
            url=notice.url,
            read_at=None,
            user__in=readers.values("retiree"),
        ).update(read_at=now)
