import pytest

from notices.models import NoticePage
from notices.services import ensure_notice_index
from tests.people import cast, people, places  # noqa: F401  (fixtures)


@pytest.fixture
def publish(places):  # noqa: F811  (the fixture imported above)
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
