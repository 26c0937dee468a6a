"""Test factories for notices: a notice of an institution, in that institution's notice index
(made as the site makes it), published through a revision as an editor would."""

import factory
from wagtail_factories import PageFactory

from accounts.factories import InstitutionFactory

from .models import NoticePage
from .services import ensure_notice_index


class NoticePageFactory(PageFactory):
    """notice = NoticePageFactory(institution=place); audience_institutions=[...] and
    audience_retirees=[...] choose its readers; published=False leaves it a draft."""

    class Meta:
        model = NoticePage
        skip_postgeneration_save = True

    institution = factory.SubFactory(InstitutionFactory)
    parent = factory.LazyAttribute(lambda notice: ensure_notice_index(notice.institution))
    title = factory.Sequence(lambda n: f"测试通知{n}")
    category = NoticePage.Category.ANNOUNCEMENT
    body = factory.LazyAttribute(lambda notice: f"<p>{notice.title}的正文。</p>")

    @factory.post_generation
    def audience_institutions(notice: NoticePage, create: bool, extracted, **kwargs) -> None:
        if create and extracted:
            notice.audience_institutions.set(extracted)

    @factory.post_generation
    def audience_retirees(notice: NoticePage, create: bool, extracted, **kwargs) -> None:
        if create and extracted:
            notice.audience_retirees.set(extracted)

    @factory.post_generation
    def published(notice: NoticePage, create: bool, extracted, **kwargs) -> None:
        if create:
            revision = notice.save_revision()
            if extracted is not False:
                revision.publish()
            notice.refresh_from_db()
