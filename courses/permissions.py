from accounts.models import User

from .models import CoursePage


def course_open_to_institution_of(course: CoursePage, retiree: User) -> bool:
    """A course is for its own institution's tree, and for everyone else only when the
    course says so."""
    if course.open_to_other_institutions:
        return True
    institution = retiree.institution
    return bool(institution and institution.path.startswith(course.institution.path))
