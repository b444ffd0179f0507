"""What an attempt's services refuse with: a message for the cadre and the HTTP status."""

from django.utils.translation import gettext as _


class AttemptError(Exception):
    """A refusal with a message for the cadre and the HTTP status that fits."""

    status = 400
    # A word for the page's script where the message alone is not enough ("elsewhere").
    code = ""

    def __init__(self, message: str, status: int | None = None):
        self.message = message
        if status is not None:
            self.status = status
        super().__init__(message)


class AttemptElsewhere(AttemptError):
    """The attempt runs on another device now (exams/services/integrity.py): this one's
    page stops saving and says so."""

    status = 409
    code = "elsewhere"

    def __init__(self):
        super().__init__(_("This exam is in progress on another device."))


class AttemptTimeUp(AttemptError):
    """An answer that arrived after the attempt's deadline, or after it was submitted. The
    attempt is not graded by saying so: grading an overdue attempt is its own step
    (`grade.attempt_grade_if_overdue`), taken by whoever holds the refusal."""

    status = 409

    def __init__(self):
        super().__init__(_("Time is up: this answer arrived after the deadline and was not saved."))
