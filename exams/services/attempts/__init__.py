"""An attempt's life, one module per step on the year-end exam's hot paths:

- `start`: check, draw, freeze (the start storm);
- `save`: one answer at a time, and the attempt token (the answer storm);
- `grade`: submit, the deadline, key corrections (the submit storm);
- `errors`: the refusals all three raise.

Each module's docstring names its speed tricks, the figure that keeps each (`make
bench-tricks`, `make bench`), the invariant each relies on and the test that guards it.
The deadline rule itself is the model's (`Attempt.is_running`, `Attempt.is_overdue`,
`running_sql`). The names below are the app's way in."""

from .errors import AttemptElsewhere, AttemptError, AttemptTimeUp
from .grade import (
    DEADLINE_SUBMIT_ACTION,
    attempt_grade,
    attempt_grade_if_overdue,
    attempt_regrade,
    attempts_close_overdue,
    certificate_code_new,
)
from .save import (
    SaveResult,
    answer_from_page,
    answer_validate,
    attempt_answer_save,
    attempt_token_make,
    attempt_token_read,
)
from .start import attempt_start, attempt_start_check

__all__ = [
    "DEADLINE_SUBMIT_ACTION",
    "AttemptElsewhere",
    "AttemptError",
    "AttemptTimeUp",
    "SaveResult",
    "answer_from_page",
    "answer_validate",
    "attempt_answer_save",
    "attempt_grade",
    "attempt_grade_if_overdue",
    "attempt_regrade",
    "attempt_start",
    "attempt_start_check",
    "attempt_token_make",
    "attempt_token_read",
    "attempts_close_overdue",
    "certificate_code_new",
]
