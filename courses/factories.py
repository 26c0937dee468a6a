"""Test factories for the catalog: the catalog page under the home page, courses under it,
lessons under a course, and enrolments."""

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory
from wagtail_factories import PageFactory

from accounts.factories import InstitutionFactory, RetireeFactory
from accounts.services import ensure_role_groups
from home.services import ensure_home_page

from .models import Category, CourseIndexPage, CoursePage, Enrollment, LessonPage, Term
from .workflow import ensure_course_workflow, grant_instructors_their_course


class CategoryFactory(DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("name",)

    name = "书画"


def this_term() -> Term:
    """The term around today (a course's schedule and reminders are counted within it)."""
    today = timezone.localdate()
    term, _ = Term.objects.get_or_create(
        name="测试学期",
        defaults={
            "starts_on": today - datetime.timedelta(days=60),
            "ends_on": today + datetime.timedelta(days=120),
        },
    )
    return term


class CatalogPageFactory(PageFactory):
    """课程中心, with the course review workflow, as the site has it."""

    class Meta:
        model = CourseIndexPage
        skip_postgeneration_save = True

    parent = factory.LazyFunction(ensure_home_page)
    title = "课程中心"
    slug = "courses"

    @factory.post_generation
    def workflow(page: CourseIndexPage, create: bool, extracted, **kwargs) -> None:
        if create:
            ensure_role_groups()
            ensure_course_workflow(page)


def catalog_page() -> CourseIndexPage:
    return CourseIndexPage.objects.first() or CatalogPageFactory()


class CoursePageFactory(PageFactory):
    """A course open for enrolment now, on Wednesdays 9:00–10:30, 20 seats, open to other
    institutions. instructors=[...] makes them its teachers with their page rights."""

    class Meta:
        model = CoursePage
        skip_postgeneration_save = True

    parent = factory.LazyFunction(catalog_page)
    title = factory.Sequence(lambda n: f"测试课程{n}")
    summary = factory.LazyAttribute(lambda course: f"{course.title}的简介。")
    category = factory.SubFactory(CategoryFactory)
    term = factory.LazyFunction(this_term)
    weekday = 2
    starts_at = datetime.time(9, 0)
    ends_at = datetime.time(10, 30)
    mode = CoursePage.Mode.BLENDED
    institution = factory.SubFactory(InstitutionFactory)
    capacity = 20
    enrollment_opens = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=30))
    enrollment_closes = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=60))
    open_to_other_institutions = True

    @factory.post_generation
    def instructors(course: CoursePage, create: bool, extracted, **kwargs) -> None:
        if create and extracted:
            course.instructors.set(extracted)
            course.save()
            grant_instructors_their_course(course)


class LessonPageFactory(PageFactory):
    class Meta:
        model = LessonPage

    parent = factory.SubFactory(CoursePageFactory)
    title = factory.Sequence(lambda n: f"第{n}课")
    body = factory.LazyAttribute(lambda lesson: [("text", f"<p>{lesson.title}的讲解。</p>")])


class EnrollmentFactory(DjangoModelFactory):
    class Meta:
        model = Enrollment

    course = factory.SubFactory(CoursePageFactory)
    retiree = factory.SubFactory(RetireeFactory)
    status = Enrollment.Status.ENROLLED
    queued_at = factory.LazyFunction(timezone.now)
