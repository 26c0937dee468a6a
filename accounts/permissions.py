"""Who may see and change whom. HTTP views, the Wagtail admin and consumers all ask here."""

from django.core.exceptions import PermissionDenied

from .models import Institution, User


def staff_scope(user: User) -> Institution | None:
    """The institution whose subtree a staff member manages, or None for non-staff."""
    if user.is_authenticated and user.is_active and user.is_institution_staff:
        return user.institution
    return None


def manages_institution(user: User, institution: Institution | None) -> bool:
    """True when the user is a platform administrator, or staff of this institution or of
    one above it."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_platform_admin:
        return True
    scope = staff_scope(user)
    return bool(scope and institution and institution.path.startswith(scope.path))


def can_manage_retirees(user: User) -> bool:
    """May open the retiree pages of the staff workspace at all."""
    return (
        user.is_authenticated
        and user.is_active
        and (user.is_platform_admin or staff_scope(user) is not None)
    )


def can_see_personal_data(viewer: User, person: User) -> bool:
    """Phone numbers, addresses and care flags: the person themself, or staff of their
    institution's tree (PIPL: nobody else)."""
    if not viewer.is_authenticated:
        return False
    if viewer.pk == person.pk:
        return True
    return manages_institution(viewer, person.institution)


def require_retiree_manager(user: User) -> None:
    """The guard of every staff workspace view: PermissionDenied for anyone else."""
    if not can_manage_retirees(user):
        raise PermissionDenied
