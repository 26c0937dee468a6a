"""Who may see, join and run a study circle. HTTP views, the admin and the consumer all ask
here."""

from accounts.models import User
from accounts.permissions import manages_institution

from .models import Circle, CircleMember


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
