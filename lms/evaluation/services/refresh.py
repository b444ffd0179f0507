"""Refreshing live results once a transaction commits, however many changes it made.

Whatever changes something a live result depends on says so with `year_refresh_later`:
a whole year (its scheme, or an exam that counts toward it), or some cadres (in one year,
or in every open year when which one is not known without a query). The marks of one
transaction are gathered; when it commits, one task per open year recomputes what they
name. A roster import of a thousand cadres, or a key correction that regrades every
attempt of an exam, is one task rather than a thousand. Outside a transaction the refresh
is queued at once.
"""

import threading
import weakref
from collections import defaultdict

from django.db import transaction

_state = threading.local()


class _Pending:
    """The marks of one transaction. Only its on-commit callbacks hold it: when the
    transaction rolls back they are dropped, and so is it."""

    def __init__(self):
        self.years: set[int] = set()  # whole years, by number
        self.year_ids: set[int] = set()  # whole years, by EvaluationYear id
        self.cadres: dict[int | None, set[int]] = defaultdict(set)  # None: every open year
        self.flushed = False

    def flush(self) -> None:
        # Every mark registers this callback; the first to run does the work.
        if self.flushed:
            return
        self.flushed = True
        from ..models import EvaluationYear
        from ..tasks import year_compute_task

        open_years = EvaluationYear.objects.filter(status=EvaluationYear.Status.OPEN)
        every = self.cadres.get(None, set())
        for pk, year in sorted(open_years.values_list("pk", "year"), key=lambda row: row[1]):
            if year in self.years or pk in self.year_ids:
                year_compute_task.enqueue(year=year)
            elif cadre_ids := self.cadres.get(year, set()) | every:
                year_compute_task.enqueue(year=year, user_ids=sorted(cadre_ids))


def _pending() -> _Pending:
    held = getattr(_state, "pending", None)
    pending = held() if held is not None else None
    if pending is None or pending.flushed:
        pending = _Pending()
        _state.pending = weakref.ref(pending)
    return pending


def year_refresh_later(*, year: int | None = None, evaluation_year_id=None, cadre_ids=()):
    """Refresh live results after the commit: these cadres in `year` (in every open year
    when `year` is None); without cadres, the whole year, given by number or by id. A
    finalised year is left alone."""
    pending = _pending()
    if cadre_ids:
        pending.cadres[year].update(cadre_ids)
    elif year is not None:
        pending.years.add(year)
    elif evaluation_year_id is not None:
        pending.year_ids.add(evaluation_year_id)
    transaction.on_commit(pending.flush, robust=True)
