"""Courses and lessons in the site's search: what of them is searchable, and keeping the index
in step when they are published, unpublished, moved or deleted."""

from collections.abc import Iterable

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.http import urlencode
from wagtail.models import ReferenceIndex
from wagtail.signals import page_published, page_unpublished, post_page_move

from search.registry import Document, Kind, register
from search.services import index_document, remove_from_index, schedule_reindex
from search.text import strip_html

from .models import Category, CourseIndexPage, CoursePage, LessonMedia, LessonPage

CAPTION_BYTES_MAX = 2_000_000


def course_document(course: CoursePage) -> Document:
    instructors = " ".join(person.get_full_name() for person in course.instructors.all())
    return Document(
        kind="course",
        object_id=course.pk,
        url=course.url or "",
        title=course.title,
        summary=course.summary,
        body=" ".join(
            [course.category.name, strip_html(course.syllabus), instructors, course.location]
        ),
        keywords=course.category.name,
        published_at=course.first_published_at,
        institution_path=course.institution.path,
    )


def captions_text(media: LessonMedia) -> str:
    """The words of a WebVTT file, without its header, cue numbers and timings."""
    if not media.captions:
        return ""
    try:
        with media.captions.open("rb") as handle:
            raw = handle.read(CAPTION_BYTES_MAX).decode("utf-8", errors="ignore")
    except OSError:
        return ""  # a missing file must not stop publishing
    lines = []
    for line in raw.splitlines():
        line = line.strip()
        if not line or line.startswith("WEBVTT") or "-->" in line or line.isdigit():
            continue
        lines.append(line)
    return " ".join(lines)


def lesson_body(lesson: LessonPage) -> str:
    parts = []
    for block in lesson.body:
        if block.block_type == "text":
            parts.append(strip_html(block.value.source))
        elif block.block_type == "handout":
            parts.append(block.value["title"])
        elif block.block_type == "image":
            parts.append(block.value["description"])
        elif block.block_type == "media" and block.value["media"]:
            media = block.value["media"]
            parts += [media.title, media.transcript, captions_text(media)]
    return " ".join(part for part in parts if part)


def lesson_document(lesson: LessonPage) -> Document:
    course = lesson.course
    return Document(
        kind="lesson",
        object_id=lesson.pk,
        url=lesson.url or "",
        title=lesson.title,
        summary=lesson.summary or f"《{course.title}》的一课",
        body=f"{course.title} {lesson_body(lesson)}",
        published_at=lesson.first_published_at,
        institution_path=course.institution.path,
    )


def searchable_courses():
    return CoursePage.objects.live().public().select_related("category", "institution")


def searchable_lessons():
    return LessonPage.objects.live().public()


def all_documents() -> Iterable[Document]:
    for course in searchable_courses().prefetch_related("instructors"):
        yield course_document(course)


def all_lesson_documents() -> Iterable[Document]:
    courses = {
        course.path: course
        for course in CoursePage.objects.live().select_related(*CoursePage.related_on_route)
    }
    for lesson in searchable_lessons():
        course = courses.get(lesson.path[: -lesson.steplen])
        if course is not None:
            lesson.course = course  # the parent, already at hand (a cached_property)
            yield lesson_document(lesson)


def category_suggestions() -> list[tuple[str, str]]:
    catalog = CourseIndexPage.objects.live().first()
    if catalog is None:
        return []
    return [
        (name, f"{catalog.url}?{urlencode({'category': pk})}")
        for pk, name in Category.objects.values_list("pk", "name")
    ]


def reindex_page(page, *, with_lessons: bool = False) -> None:
    """The page as it is live in the database (the instance at hand may carry a draft)."""
    if isinstance(page, CoursePage):
        course = searchable_courses().filter(pk=page.pk).first()
        if course is None:
            remove_from_index(kind="course", object_id=page.pk)
        else:
            index_document(document=course_document(course))
        if with_lessons:
            for lesson in LessonPage.objects.child_of(page):
                reindex_page(lesson)
    elif isinstance(page, LessonPage):
        lesson = searchable_lessons().filter(pk=page.pk).first()
        # A lesson of a course taken down is not offered either.
        if lesson is None or not lesson.course.live:
            remove_from_index(kind="lesson", object_id=page.pk)
        else:
            index_document(document=lesson_document(lesson))


def reindex_course(object_id: int) -> None:
    page = CoursePage.objects.filter(pk=object_id).first()
    if page is None:
        remove_from_index(kind="course", object_id=object_id)
    else:
        reindex_page(page)


def reindex_lesson(object_id: int) -> None:
    page = LessonPage.objects.filter(pk=object_id).first()
    if page is None:
        remove_from_index(kind="lesson", object_id=object_id)
    else:
        reindex_page(page)


def schedule_page(page, *, with_lessons: bool = False) -> None:
    """The index follows in a task worker (at once under the immediate backend)."""
    if isinstance(page, CoursePage):
        schedule_reindex(kind="course", object_id=page.pk)
        if with_lessons:
            for pk in LessonPage.objects.child_of(page).values_list("pk", flat=True):
                schedule_reindex(kind="lesson", object_id=pk)
    elif isinstance(page, LessonPage):
        schedule_reindex(kind="lesson", object_id=page.pk)


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
def page_changed(sender, instance=None, **kwargs) -> None:
    if isinstance(instance, CoursePage | LessonPage):
        schedule_page(instance.specific, with_lessons=True)


@receiver(post_save, sender=CoursePage)
@receiver(post_save, sender=LessonPage)
def page_saved(sender, instance, raw=False, **kwargs) -> None:
    """Pages made live in code (add_child of a live page) are never "published". Rows loaded
    from a backup (raw) bring their index entries with them."""
    if not raw:
        schedule_page(instance)


@receiver(post_delete, sender=CoursePage)
def course_deleted(sender, instance, **kwargs) -> None:
    remove_from_index(kind="course", object_id=instance.pk)


@receiver(post_delete, sender=LessonPage)
def lesson_deleted(sender, instance, **kwargs) -> None:
    remove_from_index(kind="lesson", object_id=instance.pk)


@receiver(post_save, sender=Category)
def category_renamed(sender, instance: Category, created: bool, raw=False, **kwargs) -> None:
    if not (created or raw):
        for pk in searchable_courses().filter(category=instance).values_list("pk", flat=True):
            schedule_reindex(kind="course", object_id=pk)


@receiver(post_save, sender=LessonMedia)
def media_changed(sender, instance: LessonMedia, created: bool, raw=False, **kwargs) -> None:
    """A new transcript or captions file: the lessons that show this media again."""
    if created or raw:
        return
    ids = [
        int(reference.object_id)
        for reference in ReferenceIndex.get_references_to(instance)
        if reference.object_id.isdigit()
    ]
    for pk in LessonPage.objects.filter(pk__in=ids).values_list("pk", flat=True):
        schedule_reindex(kind="lesson", object_id=pk)


register(
    Kind(
        name="course",
        label="课程",
        unit="门",
        documents=all_documents,
        suggestions=category_suggestions,
        reindex=reindex_course,
    )
)
register(
    Kind(
        name="lesson",
        label="课",
        unit="节",
        documents=all_lesson_documents,
        reindex=reindex_lesson,
    )
)
