"""Law study models: the law library, course pages, study progress, training sessions."""

from .laws import Law, LawArticle, LawCategory, LawKind, LawStatus
from .pages import CourseIndexPage, CoursePage, LessonPage
from .progress import LessonProgress, StudyCredit, StudyPresence
from .training import TrainingAttendance, TrainingSession

__all__ = [
    "CourseIndexPage",
    "CoursePage",
    "Law",
    "LawArticle",
    "LawCategory",
    "LawKind",
    "LawStatus",
    "LessonPage",
    "LessonProgress",
    "StudyCredit",
    "StudyPresence",
    "TrainingAttendance",
    "TrainingSession",
]
