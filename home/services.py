from django.db import transaction
from wagtail.models import Collection, Locale, Page, Site, WorkflowPage

from .models import HomePage

HOME_INTRODUCTION = (
    "<p>这是军休干部自己的老年大学。在家里用电脑、平板或手机就能上课、看通知、和老战友们交流；"
    "到军休所上课的，也能在这里报名和回看。</p>"
)


@transaction.atomic
def ensure_home_page() -> HomePage:
    """Make the site's page tree exist: root, one HomePage, the default Site pointing at
    it, and the root collection. Replaces Wagtail's default welcome page. Safe to run
    any number of times."""
    Locale.objects.get_or_create(language_code="zh-hans")
    if Collection.get_first_root_node() is None:  # images and documents live in collections
        Collection.add_root(name="Root")
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title="Root", slug="root"))

    # Wagtail's default "Moderators approval" workflow sits on the root page. Notices are
    # published by their institution's staff directly; courses have their own review.
    WorkflowPage.objects.filter(page=root).delete()

    home = HomePage.objects.first()
    if home is None:
        for placeholder in root.get_children().filter(slug="home"):
            placeholder.delete()
        home = root.add_child(
            instance=HomePage(
                title="首页",
                slug="home",
                headline="欢迎来到军休老年大学在线",
                introduction=HOME_INTRODUCTION,
            )
        )

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            site_name="军休老年大学在线",
            root_page=home,
            is_default_site=True,
        )
    elif site.root_page_id != home.pk or site.site_name != "军休老年大学在线":
        site.root_page = home
        site.site_name = "军休老年大学在线"
        site.save()
    return home
