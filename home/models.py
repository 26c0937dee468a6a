from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import Http404
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.url_routing import RouteResult

from accounts.page_base import SitePage


class HomePage(SitePage):
    """The front door of the senior university."""

    same_for_every_visitor = True

    headline = models.CharField("欢迎语", max_length=80, default="欢迎来到军休老年大学在线")
    introduction = RichTextField("简介", blank=True, features=["bold", "link", "ol", "ul"])

    content_panels = [*Page.content_panels, FieldPanel("headline"), FieldPanel("introduction")]

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    def route(self, request, path_components):
        """Find the page for a URL in one query by its stored url_path, instead of Wagtail's
        one query per path segment (a 服务站's notice is seven levels deep). Same answer as
        Wagtail's walk: no page in this project routes its own sub-paths, and only the page
        found has to be live."""
        if not path_components:
            return super().route(request, path_components)
        url_path = self.url_path + "/".join(path_components) + "/"
        found = Page.objects.live().filter(url_path=url_path).values_list("pk", "content_type")
        if not found:
            raise Http404
        pk, content_type = found[0]
        model = ContentType.objects.get_for_id(content_type).model_class()
        related = getattr(model, "related_on_route", ())
        return RouteResult(model.objects.select_related(*related).get(pk=pk))

    class Meta:
        verbose_name = "首页"
