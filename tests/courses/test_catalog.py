import datetime

import pytest
from django.utils import timezone

from accounts.factories import InstitutionFactory, RetireeFactory
from core.humanize import human_datetime, human_time
from courses.caching import forget_catalog
from courses.factories import CategoryFactory, CoursePageFactory
from courses.models import Category, CoursePage

CATALOG = "/courses/"


def titles(response) -> list[str]:
    return [course.title for course in response.context["courses"]]


@pytest.fixture
def courses(db) -> dict[str, CoursePage]:
    """Six courses of two institutes, in two categories, online, offline and blended."""
    east, west = InstitutionFactory(name="东城军休所"), InstitutionFactory(name="西城军休所")
    painting, singing = CategoryFactory(name="书画"), CategoryFactory(name="声乐器乐")
    made = {}
    for title, summary, category, mode, place in [
        ("书法基础", "从握笔讲起，练好楷书笔画。", painting, "blended", east),
        ("国画山水", "用笔墨画山水，兼讲书法题款。", painting, "blended", west),
        ("楷书临帖", "临摹名帖，适合学过书法的学员。", painting, "offline", east),
        ("合唱团", "学唱经典军旅歌曲。", singing, "offline", west),
        ("葫芦丝", "十节课学会吹一首曲子。", singing, "online", east),
        ("太极拳", "动作舒缓，强身健体。", singing, "offline", west),
    ]:
        made[title] = CoursePageFactory(
            title=title, summary=summary, category=category, mode=mode, institution=place
        )
    return made


def test_search_finds_chinese_words_inside_titles_and_descriptions(courses, client):
    found = titles(client.get(CATALOG, {"q": "书法"}))
    assert "书法基础" in found  # in the title
    assert "国画山水" in found  # "兼讲书法题款" in the summary
    assert "楷书临帖" in found  # "适合学过书法的学员"
    assert "合唱团" not in found


def test_search_with_nothing_found_says_so(courses, client):
    html = client.get(CATALOG, {"q": "滑翔伞"}).content.decode()
    assert "没有找到符合条件的课程" in html


@pytest.mark.parametrize(
    ("params", "expected", "excluded"),
    [
        ({"mode": "online"}, "葫芦丝", "书法基础"),
        ({"mode": "offline"}, "合唱团", "葫芦丝"),
        ({"category": "书画"}, "国画山水", "合唱团"),
        ({"institution": "西城军休所"}, "合唱团", "书法基础"),
    ],
)
def test_filters(courses, client, params, expected, excluded):
    if "category" in params:
        params = {"category": Category.objects.get(name=params["category"]).pk}
    if "institution" in params:
        params = {"institution": CoursePage.objects.get(title=expected).institution_id}
    found = titles(client.get(CATALOG, params))
    assert expected in found and excluded not in found


def test_open_for_enrollment_filter(courses, client):
    closed = courses["书法基础"]
    closed.enrollment_closes = timezone.now() - datetime.timedelta(days=1)
    closed.save()
    found = titles(client.get(CATALOG, {"open": "1"}))
    assert "书法基础" not in found and "合唱团" in found


def test_bad_filter_values_are_ignored_not_errors(courses, client):
    response = client.get(CATALOG, {"category": "abc", "mode": "<script>", "page": "999"})
    assert response.status_code == 200
    assert len(titles(response)) > 0


def add_courses(count: int, template: CoursePage) -> None:
    for number in range(count):
        CoursePageFactory(
            title=f"加开课程{number}",
            summary="加开",
            category=template.category,
            weekday=number % 7,
            institution=template.institution,
        )


def test_catalog_query_count_does_not_grow_with_courses(
    courses, client_as, django_assert_max_num_queries
):
    client = client_as(RetireeFactory(institution=courses["书法基础"].institution))
    client.get(CATALOG)  # warm the site and session caches
    forget_catalog()  # measure the catalog as rendered, not as cached
    # The course list is one query whatever its length.
    with django_assert_max_num_queries(15) as before:
        client.get(CATALOG)
    rendered = len(before.captured_queries)
    add_courses(25, courses["书法基础"])
    client.get(CATALOG)  # new pages make the site's cached root page stale: warm it again
    forget_catalog()
    with django_assert_max_num_queries(rendered) as after:
        response = client.get(CATALOG, {"page": "2"})
    assert len(titles(response)) == 12
    assert len(after.captured_queries) == rendered


def test_the_catalog_is_served_from_cache_until_a_course_changes(
    courses, client, django_assert_max_num_queries
):
    def main_part(html: str) -> str:  # the page around it carries a fresh CSRF token each time
        return html[html.index("<main") : html.index("</main>")]

    first = client.get(CATALOG).content.decode()
    with django_assert_max_num_queries(8):  # Wagtail's routing and the session; no course query
        cached = client.get(CATALOG).content.decode()
    assert main_part(cached) == main_part(first)
    # Each query string is its own entry: a search is not answered with the full list.
    assert "找到 1 门课" in client.get(CATALOG, {"q": "太极"}).content.decode()

    course = courses["书法基础"]
    course.title = "书法基础（新）"
    course.save_revision().publish()
    assert "书法基础（新）" in client.get(CATALOG).content.decode()
    course.unpublish()
    assert "书法基础（新）" not in client.get(CATALOG).content.decode()


def test_pagination_keeps_the_filters(courses, client):
    add_courses(20, courses["书法基础"])
    html = client.get(CATALOG, {"q": "加开"}).content.decode()
    assert "第 1 页，共 2 页" in html
    assert "q=%E5%8A%A0%E5%BC%80&amp;page=2" in html


def test_an_address_with_more_than_a_search_is_served_the_same_cached_catalog(
    courses, client, django_assert_max_num_queries
):
    add_courses(20, courses["书法基础"])
    searched = client.get(CATALOG, {"q": "加开"}).content.decode()
    # WeChat adds ?from=… to a shared link; a visitor may add anything. Neither renders anew,
    # and the page links carry the search only.
    with django_assert_max_num_queries(8):  # no course query: the body comes from the cache
        shared = client.get(CATALOG, {"from": "groupmessage", "q": "加开", "page": "x"})
    html = shared.content.decode()
    assert html[html.index("<main") : html.index("</main>")].count("course-card-title") == 12
    assert 'href="?q=%E5%8A%A0%E5%BC%80&amp;page=2"' in html
    assert "groupmessage" not in html[html.index("<main") : html.index("</main>")]
    assert "第 1 页，共 2 页" in searched


def test_course_page_shows_schedule_in_plain_words(client, db):
    course = CoursePageFactory(weekday=2, starts_at=datetime.time(9), ends_at=datetime.time(10, 30))
    html = client.get(course.url).content.decode()
    assert "每周三 上午9:00到上午10:30" in html
    assert "登录后报名" in html


def test_human_dates_and_times():
    now = timezone.make_aware(datetime.datetime(2026, 11, 28, 10, 0))
    at = lambda *args: timezone.make_aware(datetime.datetime(*args))  # noqa: E731
    assert human_datetime(at(2026, 11, 28, 15, 0), now) == "今天 下午3:00"
    assert human_datetime(at(2026, 11, 29, 9, 0), now) == "明天 上午9:00"
    assert human_datetime(at(2026, 11, 30, 19, 30), now) == "后天 晚上7:30"
    assert human_datetime(at(2026, 12, 3, 12, 15), now) == "12月3日 星期四 中午12:15"
    assert human_datetime(at(2027, 3, 5, 8, 0), now) == "2027年3月5日 星期五 上午8:00"
    assert human_time(datetime.time(0, 30)) == "凌晨0:30"
    # A moment stored in UTC is told in Beijing time (07:00 UTC is 下午3:00 in Shanghai).
    utc_moment = datetime.datetime(2026, 11, 28, 7, 0, tzinfo=datetime.UTC)
    assert human_time(utc_moment) == "下午3:00"
