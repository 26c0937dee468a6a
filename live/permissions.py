"""Who may enter a live class and who runs it. HTTP views, the admin and the consumers all
ask here."""

from accounts.models import User
from accounts.permissions import manages_institution
from courses.models import Enrollment

from .models import LiveClass


def teaches(user: User, live_class: LiveClass) -> bool:
    """Runs the room: the class's instructor, the course's instructors, staff of the course's
    institution (or above it), platform administrators."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.pk == live_class.instructor_id or user.is_platform_admin:
        return True
    if live_class.course.instructors.filter(pk=user.pk).exists():
        return True
    return manages_institution(user, live_class.course.institution)


def may_enter(user: User, live_class: LiveClass) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    if teaches(user, live_class):
        return True
    return Enrollment.objects.filter(
        course_id=live_class.course_id, retiree=user, status=Enrollment.Status.ENROLLED
    ).exists()
