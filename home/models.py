from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    """The front door of the senior university."""

    headline = models.CharField("欢迎语", max_length=80, default="欢迎来到军休老年大学在线")
    introduction = RichTextField("简介", blank=True, features=["bold", "link", "ol", "ul"])

    content_panels = [*Page.content_panels, FieldPanel("headline"), FieldPanel("introduction")]

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = "首页"
