import pytest

from accounts.demo import demo_institutions
from accounts.models import Institution
from notices.models import NoticePage
from notices.services import ensure_notice_index


@pytest.fixture
def places(demo_people) -> dict[str, Institution]:
    """部门 → 中心 → 第一军休所 (→ 万寿路服务站) and 第二军休所, with the demo people, and no
    notices but the test's own (the demo's are loaded once for the whole run)."""
    NoticePage.objects.all().delete()
    return demo_institutions()


@pytest.fixture
def publish(places):
    """publish("center", "标题", audience=..., ...) → a live notice of that institution."""

    def make(place: str, title: str, *, institutions=(), retirees=(), publish=True, **fields):
        index = ensure_notice_index(places[place])
        fields.setdefault("category", NoticePage.Category.ANNOUNCEMENT)
        fields.setdefault("body", f"<p>{title}的正文。</p>")
        notice = index.add_child(instance=NoticePage(title=title, **fields))
        notice.audience_institutions.set([places[key] for key in institutions])
        notice.audience_retirees.set(retirees)
        revision = notice.save_revision()
        if publish:
            revision.publish()
        notice.refresh_from_db()
        return notice

    return make
