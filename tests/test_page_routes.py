"""A renamed, unpublished, moved or deleted page, or a change to what a page shows, is seen on
the next request (no process keeps pages of its own)."""

from urllib.parse import unquote

from courses.models import Category, CoursePage, LessonMedia, LessonPage


def test_a_page_follows_every_change(demo_site, client):
    lesson = LessonPage.objects.get(title="横与竖")
    old_url = lesson.url
    assert client.get(old_url).status_code == 200

    lesson.slug = "heng-he-shu"
    lesson.save_revision().publish()
    assert client.get(old_url).status_code == 404
    new_url = LessonPage.objects.get(pk=lesson.pk).url
    assert client.get(new_url).status_code == 200

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
