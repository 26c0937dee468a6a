"""The Wagtail admin speaks Chinese to staff and instructors (issue 20): the words Wagtail's own
zh_Hans catalog leaves in English come from locale/zh_Hans (LOCALE_PATHS)."""

import json
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from courses.models import CourseIndexPage, LessonPage
from notices.models import NoticePage

# English the admin showed staff and instructors before the project catalog (found by walking
# /admin/ in Chromium as jxs1 and liushuwen).
FOUND_IN_ENGLISH = [
    "Pages",
    "Documents",
    "Images",
    "Search all pages",
    "New:",
    "Saved",
    "Words",
    "Reading time",
    "Readability",
    "Content metrics",
    "Choose parent",
    "Create a new",
    "Exploring",
    "Date updated",
    "Edited by",
    "Has child pages",
    "Anyone can edit",
    "Choose when this page should go live",
    "Autosave is paused",
    "Show keyboard shortcuts",
    "Save changes",
    "Theme preferences",
    "To be created by",
    "Grid layout",
    "Oldest",
    "Sort by",
]

# Latin words that may stay:
# - keys as printed on the keyboard, in the keyboard shortcuts dialog;
# - "JavaScript", the browser setting named in the notice shown when scripts are off;
# - file formats (Wagtail's upload hints and our labels) and the tools our own labels name.
ALLOWED_WORDS = {
    "Ctrl",
    "Alt",
    "Shift",
    "Esc",
    "JavaScript",
    "Excel",
    "HLS",
    "OBS",
    *("xlsx", "csv", "WebVTT", "WebM", "OGG", "WAV"),
    *("AVIF", "GIF", "JPEG", "JPG", "PNG", "WEBP"),
}
VOID_TAGS = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
SHOWN_ATTRIBUTES = {"placeholder", "title"}


class VisibleText(HTMLParser):
    """Text a person sees: element text and <template> contents (dialogs shown later), the
    placeholders and tooltips (title) on screen, without scripts, styles, elements marked
    hidden or other attributes. JSON props (the sidebar's menu) give their labels."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.json_script = False
        self.hidden: list[str] = []  # open elements marked hidden, and those inside them

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID_TAGS:
            if not self.hidden and ("hidden", None) not in attrs:
                self.parts.extend(shown_attributes(attrs))
            return
        if self.hidden or any(name == "hidden" for name, _ in attrs):
            self.hidden.append(tag)
            return
        self.parts.extend(shown_attributes(attrs))
        if tag in {"script", "style"}:
            self.skip += 1
            self.json_script = tag == "script" and ("type", "application/json") in attrs

    def handle_endtag(self, tag: str) -> None:
        if self.hidden:
            if tag in self.hidden:
                del self.hidden[len(self.hidden) - 1 - self.hidden[::-1].index(tag) :]
            return
        if tag in {"script", "style"} and self.skip:
            self.skip -= 1
            self.json_script = False

    def handle_data(self, data: str) -> None:
        if self.hidden:
            return
        if not self.skip:
            self.parts.append(data)
        elif self.json_script:
            self.parts.extend(json_labels(json.loads(data)))


def shown_attributes(attrs: list[tuple[str, str | None]]) -> list[str]:
    return [value for name, value in attrs if name in SHOWN_ATTRIBUTES and value]


def json_labels(value) -> list[str]:
    if isinstance(value, dict):
        found = [value["label"]] if isinstance(value.get("label"), str) else []
        return found + [label for item in value.values() for label in json_labels(item)]
    if isinstance(value, list):
        return [label for item in value for label in json_labels(item)]
    return []


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts))


def english_words(text: str, login: str) -> list[str]:
    text = text.replace(login, "")  # the account menu shows the login name
    return [word for word in re.findall(r"[A-Za-z]{3,}", text) if word not in ALLOWED_WORDS]


def staff_pages() -> list[str]:
    notice = NoticePage.objects.filter(title__startswith="第一军休所").first()  # jxs1's own
    notice_index = notice.get_parent()
    return [
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_explore", args=[notice_index.pk]),
        reverse("wagtailadmin_pages:edit", args=[notice.pk]),
        reverse("wagtailadmin_pages:add", args=["notices", "noticepage", notice_index.pk]),
        reverse("wagtailadmin_pages:history", args=[notice.pk]),
        reverse("wagtailadmin_pages:search") + "?q=通知",
        reverse("wagtaildocs:index"),
        reverse("wagtaildocs:add_multiple"),
        "/admin/retirees/",
        "/admin/retirees/new/",
        reverse("roster_upload"),
        reverse("care_list"),
        reverse("term_report"),
        reverse("login_help"),
        reverse("personal_data_log"),
        reverse("notice_followup_list"),
        "/admin/live-classes/",
        "/admin/live-classes/new/",
        "/admin/study-circles/",
        reverse("circle_reports"),
        reverse("wagtailadmin_account"),
    ]


def instructor_pages() -> list[str]:
    course_index = CourseIndexPage.objects.first()
    lesson = LessonPage.objects.live().first()
    return [
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_explore", args=[course_index.pk]),
        reverse("wagtailadmin_explore", args=[lesson.get_parent().pk]),
        reverse("wagtailadmin_pages:edit", args=[lesson.pk]),
        reverse("wagtaildocs:index"),
        reverse("wagtailimages:index"),
        reverse("wagtailimages:add_multiple"),
        "/admin/snippets/courses/lessonmedia/",
        "/admin/snippets/courses/lessonmedia/add/",
        "/admin/live-classes/",
    ]


def english_on_pages(client, login: str, paths: list[str]) -> dict[str, list[str]]:
    found = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, (login, path, response.status_code)
        words = english_words(visible_text(response.content.decode()), login)
        if words:
            found[path] = sorted(set(words))
    return found


@pytest.mark.parametrize(
    ("login", "pages"), [("jxs1", staff_pages), ("liushuwen", instructor_pages)]
)
def test_admin_pages_show_no_english(demo_site, client_as, login, pages):
    client = client_as(login)
    assert english_on_pages(client, login, pages()) == {}


def test_the_words_found_in_english_are_chinese_now(demo_site, client_as):
    staff, instructor = client_as("jxs1"), client_as("liushuwen")
    texts = " ".join(
        visible_text(client.get(path).content.decode())
        for client, path in [(staff, path) for path in staff_pages()[:4]]
        + [(instructor, reverse("wagtailimages:index"))]
    )
    left = [phrase for phrase in FOUND_IN_ENGLISH if phrase in texts]
    assert left == []
    assert "搜索全部页面" in staff.get(reverse("wagtailadmin_home")).content.decode()


def test_admin_script_catalog_is_chinese(demo_site, client_as):
    """Words the admin's scripts show (autosave, the menu's "(New)", content checks)."""
    catalog = client_as("jxs1").get(reverse("wagtailadmin_javascript_catalog")).content.decode()
    for english, chinese in [
        ("(New)", "（新）"),
        ("Autosave in progress…", "正在自动保存…"),
        ("Insert a block", "插入内容块"),
    ]:
        assert json.dumps(english) + ": " + json.dumps(chinese) in catalog


def test_the_admin_login_page_is_chinese(demo_site, client):
    html = client.get(reverse("wagtailadmin_login")).content.decode()
    assert english_words(visible_text(html), "") == []
    assert "密码" in html and "军休老年大学在线" in html
