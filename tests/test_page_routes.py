"""Pages are found by their address once and then remembered in each process
(accounts.page_base.live_page_at) while nothing they show changes; a renamed, unpublished,
moved or deleted page, or a change to what a page is loaded with, is seen at once."""

from urllib.parse import unquote

from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.page_base import live_page_at
from courses.models import Category, CoursePage, LessonMedia, LessonPage


def routing_queries(client, path: str) -> tuple[int, int]:
    """→ (status, queries that looked for a page by its address)."""
    with CaptureQueriesContext(connection) as queries:
        status = client.get(path).status_code
    wheres = [query["sql"].partition(" WHERE ")[2] for query in queries.captured_queries]
    return status, sum('"url_path" = ' in where for where in wheres)


def test_a_page_is_found_once_and_follows_every_change(demo_site, client):
    lesson = LessonPage.objects.get(title="横与竖")
    old_url = lesson.url
    assert routing_queries(client, old_url) == (200, 1)
    assert routing_queries(client, old_url) == (200, 0)  # remembered

    lesson.slug = "heng-he-shu"
    lesson.save_revision().publish()
    assert routing_queries(client, old_url)[0] == 404
    new_url = LessonPage.objects.get(pk=lesson.pk).url
    assert routing_queries(client, new_url) == (200, 1)

    lesson.unpublish()
    assert client.get(new_url).status_code == 404
    lesson.refresh_from_db()
    lesson.save_revision().publish()
    assert client.get(new_url).status_code == 200

    other_course = CoursePage.objects.exclude(pk=lesson.get_parent().pk).first()
    lesson.move(other_course, pos="last-child")
    moved_url = LessonPage.objects.get(pk=lesson.pk).url
    assert client.get(moved_url).status_code == 200
    old_address = client.get(new_url)  # Wagtail leaves a redirect where a moved page was
    assert (old_address.status_code, unquote(old_address.url)) == (301, unquote(moved_url))

    LessonPage.objects.get(pk=lesson.pk).delete()
    assert client.get(moved_url).status_code == 404


def test_what_a_page_is_loaded_with_is_seen_at_once(demo_site, client):
    course = CoursePage.objects.get(title="书法入门")
    assert course.category.name in client.get(course.url).content.decode()
    course.category.name = "书画艺术（新）"
    course.category.save()
    assert "书画艺术（新）" in client.get(course.url).content.decode()

    course.term.name = "2026年冬季学期（改）"
    course.term.save()
    assert "2026年冬季学期（改）" in client.get(course.url).content.decode()

    Category.objects.create(name="新类别")
    course.category = Category.objects.get(name="新类别")
    course.save_revision().publish()
    assert "新类别" in client.get(course.url).content.decode()


def test_a_changed_lesson_video_is_seen_at_once(demo_site, client_as):
    lesson = LessonPage.objects.get(title="横与竖")
    media = LessonMedia.objects.create(
        title="运笔示范", file="lessons/media/demo.webm", transcript="第一版文字稿"
    )
    lesson.body = [("media", {"media": media}), *[(b.block_type, b.value) for b in lesson.body]]
    lesson.save_revision().publish()
    retiree = client_as("13900000001")
    assert "第一版文字稿" in retiree.get(lesson.url).content.decode()
    media.transcript = "第二版文字稿"
    media.save()
    assert "第二版文字稿" in retiree.get(lesson.url).content.decode()


def test_each_request_gets_its_own_copy_of_a_remembered_page(demo_site):
    url_path = CoursePage.objects.get(title="书法入门").url_path
    first = live_page_at(url_path, "generation-1")
    first.title = "只在这个请求里改过"
    second = live_page_at(url_path, "generation-1")
    assert second.title == "书法入门"
    assert second is not first
    assert second.category == first.category
