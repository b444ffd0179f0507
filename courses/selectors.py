"""Reads of the courses app: what a cadre may see, the catalogue, a course's outline."""

from courses.audience import audience_q
from courses.models import CoursePage
from lms.accounts.roles import Role, user_has_role


def sees_every_course(user) -> bool:
    return user.is_superuser or user_has_role(user, Role.TRAINER, Role.HR, Role.ADMIN)


def courses_visible_to(user):
    """Live courses meant for this user's unit and category (staff see every live course)."""
    courses = CoursePage.objects.live()
    if sees_every_course(user):
        return courses
    return courses.filter(
        audience_q(user, through=CoursePage.audience_units.through, owner_field="coursepage_id")
    )


def course_is_visible_to(*, course, user) -> bool:
    return course.live and courses_visible_to(user).filter(pk=course.pk).exists()


def catalogue_for(*, user, index, params):
    return {}


def course_outline(*, course, user):
    return {}


def lesson_study_context(*, lesson, user):
    return {}
