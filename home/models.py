from django.db import models
from django.http import Http404
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.url_routing import RouteResult

from core.pages import SitePage, live_page_at


class HomePage(SitePage):
    """The front door of the senior university."""

    shared_cache_seconds = 300

    headline = models.CharField("欢迎语", max_length=80, default="欢迎来到军休老年大学在线")
    introduction = RichTextField("简介", blank=True, features=["bold", "link", "ol", "ul"])

    content_panels = [*Page.content_panels, FieldPanel("headline"), FieldPanel("introduction")]

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    def route(self, request, path_components):
        """Find the page for a URL by its stored url_path (core.pages.live_page_at:
        two queries), instead of Wagtail's query per path segment (a 服务站's notice is seven
        levels deep) and one more for the page. Same
        answer as Wagtail's walk: no page in this project routes its own sub-paths, and only
        the page found has to be live."""
        if not path_components:
            return super().route(request, path_components)
        url_path = self.url_path + "/".join(path_components) + "/"
        page = live_page_at(url_path)
        if page is None:
            raise Http404
        return RouteResult(page)

    class Meta:
        verbose_name = "首页"
        verbose_name_plural = "首页"
