"""Who may enter a live class or a study circle and who runs it. HTTP views, the admin and
the consumers all ask here."""

from accounts.models import User
from accounts.permissions import manages_institution
from courses.models import Enrollment

from .models import Circle, CircleMember, LiveClass


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


def membership(user: User, circle: Circle) -> CircleMember | None:
    """The user's active membership of the circle, if any."""
    if not (user.is_authenticated and user.is_active):
        return None
    return CircleMember.objects.filter(
        circle=circle, user=user, status=CircleMember.Status.ACTIVE
    ).first()


def in_circle_scope(user: User, circle: Circle) -> bool:
    """The circle is open to people of its institution and the institutions below it."""
    institution = user.institution
    return bool(institution and institution.path.startswith(circle.institution.path))


def moderates_circle(user: User, circle: Circle) -> bool:
    """圈主, 副圈主 and the circle's teachers; staff of the circle's institution or above."""
    member = membership(user, circle)
    return bool(member and member.moderates) or manages_institution(user, circle.institution)


def may_enter_circle(user: User, circle: Circle) -> bool:
    return membership(user, circle) is not None or manages_institution(user, circle.institution)


def may_apply(user: User, circle: Circle) -> bool:
    return (
        user.is_authenticated
        and user.is_retiree
        and circle.kind == Circle.Kind.INTEREST
        and in_circle_scope(user, circle)
    )
