"""Computing cadres' years from the ledger's sources, in batches of a fixed number of
queries, and keeping the live YearResult rows up to date: `year_compute` (what the
`compute_year` command, the task and every refresh run) and `year_compute_iter` (the same
computation, read only)."""

from collections.abc import Iterator
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from courses.selectors import course_credit_times, credits_of_year_for, required_courses_of_year
from courses.selectors_training import sessions_attended, sessions_of_year
from exams.selectors.counted import counted_results
from lms.accounts.models import User
from lms.accounts.roles import Role

from ..models import BonusAward, BonusRule, EvaluationYear, YearResult
from .results import RESULT_COLUMNS, result_row, result_values, results_rank
from .year_score import (
    EXAM_KINDS,
    SCHEME_YEAR_FIELDS,
    AwardFact,
    CadreFacts,
    CadreYear,
    CreditFact,
    ExamFact,
    RuleSpec,
    Scheme,
    year_compute_cadre,
)

BATCH_SIZE = 1000


def evaluation_year_get(year) -> EvaluationYear:
    if isinstance(year, EvaluationYear):
        return year
    return EvaluationYear.objects.get(year=int(year))


def scheme_of(evaluation_year: EvaluationYear) -> Scheme:
    """The scheme as plain values: two queries (bands, rules)."""
    bands = tuple(
        (band.name, band.min_score)
        for band in evaluation_year.grade_bands.order_by("-min_score", "pk")
    )
    rules = tuple(
        RuleSpec(
            id=rule.pk,
            kind=rule.kind,
            points=rule.points,
            title=str(rule.title),
            min_exam_score=rule.min_exam_score,
            deadline=rule.deadline,
        )
        for rule in evaluation_year.bonus_rules.order_by("pk")
    )
    copied = {name: getattr(evaluation_year, name) for name in SCHEME_YEAR_FIELDS}
    return Scheme(**copied, bands=bands, rules=rules)


def evaluated_cadres():
    """Who is evaluated: active members of the Cadre role who belong to a unit."""
    return (
        User.active.filter(unit__isnull=False, groups__name=Role.CADRE)
        .select_related("unit")
        .order_by("pk")
    )


def _end_of(day) -> datetime:
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def _exam_fact(result) -> ExamFact:
    return ExamFact(
        result.attempt_id,
        result.exam_kind,
        result.exam_title,
        result.score,
        result.max_score,
        result.passed,
    )


class _YearContext:
    """What every batch of the year shares: the scheme, the year's required courses and
    past training sessions with their audiences (a fixed number of queries, once)."""

    def __init__(self, evaluation_year: EvaluationYear, now=None):
        self.evaluation_year = evaluation_year
        self.scheme = scheme_of(evaluation_year)
        kinds = {rule.kind for rule in self.scheme.rules}
        self.course_rules = [
            r for r in self.scheme.rules if r.kind == BonusRule.Kind.COURSES_BY_DATE
        ]
        self.training_rules = [
            r for r in self.scheme.rules if r.kind == BonusRule.Kind.ALL_TRAINING
        ]
        self.courses = {}
        if BonusRule.Kind.COURSES_BY_DATE in kinds:
            self.courses = {
                course.pk: course.audience
                for course in required_courses_of_year(evaluation_year.year)
            }
        self.sessions = {}
        if BonusRule.Kind.ALL_TRAINING in kinds:
            self.sessions = sessions_of_year(
                year=evaluation_year.year, ended_by=now or timezone.now()
            )

    def facts_for(self, cadres: list) -> dict[int, CadreFacts]:
        """Every fact the formula needs for these cadres, in at most five queries."""
        year = self.scheme.year
        ids = [cadre.pk for cadre in cadres]
        facts = {pk: CadreFacts(cadre_id=pk) for pk in ids}
        for credit in credits_of_year_for(year=year, user_ids=ids):
            facts[credit.user_id].credits.append(
                CreditFact(credit.pk, credit.title, credit.credit_hours, credit.earned_at)
            )
        for result in counted_results(year=year, user_ids=ids, kinds=list(EXAM_KINDS)):
            facts[result.user_id].exams.append(_exam_fact(result))
        awards = BonusAward.objects.filter(
            evaluation_year=self.evaluation_year,
            cadre_id__in=ids,
            status=BonusAward.Status.APPROVED,
        ).order_by("decided_at", "pk")
        for pk, cadre_id, kind, points, reason in awards.values_list(
            "pk", "cadre_id", "kind", "points", "reason"
        ):
            facts[cadre_id].awards.append(AwardFact(pk, kind, points, reason))
        self._course_rules_met(cadres, facts)
        self._training_rules_met(cadres, facts)
        return facts

    def _course_rules_met(self, cadres, facts):
        if not self.course_rules:
            return
        latest = max(rule.deadline for rule in self.course_rules)
        done = course_credit_times(
            user_ids=[cadre.pk for cadre in cadres],
            course_ids=list(self.courses),
            before=_end_of(latest),
        )
        for cadre in cadres:
            required = [pk for pk, aud in self.courses.items() if aud.includes_user(cadre)]
            if not required:
                continue  # no required course: nothing to have completed, no bonus
            mine = done.get(cadre.pk, {})
            for rule in self.course_rules:
                deadline = _end_of(rule.deadline)
                if all(pk in mine and mine[pk] < deadline for pk in required):
                    facts[cadre.pk].rules_met.add(rule.id)

    def _training_rules_met(self, cadres, facts):
        if not self.training_rules:
            return
        attended = sessions_attended(
            user_ids=[cadre.pk for cadre in cadres], session_ids=list(self.sessions)
        )
        for cadre in cadres:
            meant = {pk for pk, aud in self.sessions.items() if aud.includes_user(cadre)}
            if meant and meant <= attended[cadre.pk]:
                facts[cadre.pk].rules_met.update(rule.id for rule in self.training_rules)

    def score(self, cadres: list) -> list[CadreYear]:
        facts = self.facts_for(cadres)
        return [year_compute_cadre(scheme=self.scheme, facts=facts[cadre.pk]) for cadre in cadres]


def _batches(users, size: int, among=None) -> Iterator[tuple[list[int] | None, list]]:
    """(the ids asked for, the users among `among` with those ids, with their unit) batch by
    batch, one query each, from a queryset (ids asked: None) or a list of users or ids."""
    if isinstance(users, list | tuple | set):
        among = User.objects.all() if among is None else among
        ids = sorted({getattr(user, "pk", user) for user in users})
        for start in range(0, len(ids), size):
            wanted = ids[start : start + size]
            yield wanted, list(among.filter(pk__in=wanted).select_related("unit").order_by("pk"))
        return
    users = users.select_related("unit").order_by("pk")
    last_pk = 0
    while True:
        batch = list(users.filter(pk__gt=last_pk)[:size])
        if not batch:
            return
        yield None, batch
        last_pk = batch[-1].pk


def year_compute_iter(*, year, users=None, batch_size: int = BATCH_SIZE):
    """(cadre, CadreYear) for each evaluated cadre, or for each of `users` (users or ids,
    evaluated or not, as a cadre's own page asks), computed batch by batch: a fixed number
    of queries per batch, whatever the number of cadres. Reads only."""
    context = _YearContext(evaluation_year_get(year))
    for _wanted, batch in _batches(evaluated_cadres() if users is None else users, batch_size):
        yield from zip(batch, context.score(batch), strict=True)


class _Store:
    """Writing one year's live rows: what changed, and the units whose ranks may move."""

    def __init__(self, evaluation_year, now, batch_size):
        self.evaluation_year, self.now, self.batch_size = evaluation_year, now, batch_size
        self.live = YearResult.objects.filter(evaluation_year=evaluation_year, finalisation=None)
        self.changed_ids: set[int] = set()
        self.unit_ids: set[int | None] = set()

    def write(self, batch, results) -> None:
        existing = {row.cadre_id: row for row in self.live.filter(cadre__in=[c.pk for c in batch])}
        new, updated = [], []
        for cadre, result in zip(batch, results, strict=True):
            row = existing.get(cadre.pk)
            if row is None:
                new.append(result_row(self.evaluation_year, cadre, result, computed_at=self.now))
            else:
                values = result_values(cadre, result)
                if all(getattr(row, k) == v for k, v in values.items()):
                    continue
                self.unit_ids.add(row.unit_id)
                for key, value in values.items():
                    setattr(row, key, value)
                row.computed_at = self.now
                updated.append(row)
            self.unit_ids.add(cadre.unit_id)
            self.changed_ids.add(cadre.pk)
        YearResult.objects.bulk_create(new, batch_size=self.batch_size)
        fields = [*RESULT_COLUMNS, "computed_at"]
        YearResult.objects.bulk_update(updated, fields, batch_size=self.batch_size)

    def remove(self, rows) -> None:
        """Remove the live results of people who are no longer evaluated."""
        gone = list(rows.values_list("cadre_id", "unit_id"))
        if not gone:
            return
        for cadre_id, unit_id in gone:
            self.changed_ids.add(cadre_id)
            self.unit_ids.add(unit_id)
        rows.delete()


def year_compute(*, year, users=None, batch_size: int = BATCH_SIZE) -> int:
    """Recompute live results and store what changed; returns how many cadres' results
    changed (created, updated, re-ranked or removed). For every evaluated cadre when
    `users` is None, else for those of `users` (users or ids); the live result of anyone
    among them who is no longer evaluated (left, deactivated, no longer a cadre) is
    removed. A finalised year changes nothing: its frozen results stand until it is
    reopened."""
    evaluation_year = evaluation_year_get(year)
    if evaluation_year.is_finalised:
        return 0
    now = timezone.now()
    store = _Store(evaluation_year, now, batch_size)
    context = _YearContext(evaluation_year, now=now)
    cadres = evaluated_cadres()
    if users is not None and not isinstance(users, list | tuple | set):
        users = list(users.values_list("pk", flat=True))  # a queryset: its ids
    with transaction.atomic():
        source = cadres if users is None else users
        for wanted, batch in _batches(source, batch_size, among=cadres):
            store.write(batch, context.score(batch))
            if wanted is not None and len(batch) < len(wanted):
                left = set(wanted) - {cadre.pk for cadre in batch}
                store.remove(store.live.filter(cadre__in=left))
        if users is None:
            store.remove(store.live.exclude(cadre__in=cadres.values("pk")))
        ranked = results_rank(evaluation_year, unit_ids=None if users is None else store.unit_ids)
    return len(store.changed_ids | ranked)
