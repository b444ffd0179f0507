"""Computing cadres' years from the ledger's sources, in batches of a fixed number of
queries, and keeping the live YearResult rows up to date."""

from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime, time, timedelta

from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from courses.audience import meant_for
from courses.models import CoursePage, StudyCredit, TrainingAttendance, TrainingSession
from exams.selectors.counted import counted_results
from lms.accounts.models import User
from lms.accounts.roles import Role

from ..models import BonusAward, BonusRule, EvaluationYear, YearResult
from .scoring import (
    KIND_ANNUAL,
    KIND_QUIZ,
    AwardFact,
    CadreFacts,
    CadreYear,
    CreditFact,
    ExamFact,
    RuleSpec,
    Scheme,
    cadre_year_score,
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
    return Scheme(
        year=evaluation_year.year,
        required_credit_hours=evaluation_year.required_credit_hours,
        study_weight=evaluation_year.study_weight,
        exam_weight=evaluation_year.exam_weight,
        quiz_share=evaluation_year.quiz_share,
        bonus_cap=evaluation_year.bonus_cap,
        top_band_requires_pass=evaluation_year.top_band_requires_pass,
        bands=bands,
        rules=rules,
    )


def evaluated_cadres():
    """Who is evaluated: active members of the Cadre role who belong to a unit."""
    return (
        User.active.filter(unit__isnull=False, groups__name=Role.CADRE)
        .select_related("unit")
        .order_by("pk")
    )


def _audience(model, owner_field: str, rows) -> dict[int, tuple[list[str], list[str]]]:
    """{row id: (unit paths, categories)} for courses or sessions: one query."""
    audience = {pk: ([], categories) for pk, categories in rows}
    through = model.audience_units.through
    for owner_id, path in through.objects.filter(
        **{f"{owner_field}__in": list(audience)}
    ).values_list(owner_field, "orgunit__path"):
        audience[owner_id][0].append(path)
    return audience


def _end_of(day) -> datetime:
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


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
            rows = (
                CoursePage.objects.live()
                .filter(year=evaluation_year.year, is_required=True)
                .values_list("pk", "audience_categories")
            )
            self.courses = _audience(CoursePage, "coursepage_id", rows)
        self.sessions = {}
        if BonusRule.Kind.ALL_TRAINING in kinds:
            now = now or timezone.now()
            start = timezone.make_aware(datetime(evaluation_year.year, 1, 1))
            rows = TrainingSession.objects.filter(
                starts_at__gte=start,
                starts_at__lt=timezone.make_aware(datetime(evaluation_year.year + 1, 1, 1)),
                ends_at__lte=now,
            ).values_list("pk", "audience_categories")
            self.sessions = _audience(TrainingSession, "trainingsession_id", rows)

    def facts_for(self, cadres: list) -> dict[int, CadreFacts]:
        """Every fact the formula needs for these cadres, in at most five queries."""
        year = self.scheme.year
        ids = [cadre.pk for cadre in cadres]
        facts = {pk: CadreFacts(cadre_id=pk) for pk in ids}
        credits = StudyCredit.objects.filter(year=year, user_id__in=ids).order_by("earned_at", "pk")
        for pk, user_id, title, hours, earned_at in credits.values_list(
            "pk", "user_id", "title", "credit_hours", "earned_at"
        ):
            facts[user_id].credits.append(CreditFact(pk, title, hours, earned_at))
        for result in counted_results(year=year, user_ids=ids, kinds=[KIND_ANNUAL, KIND_QUIZ]):
            facts[result.user_id].exams.append(
                ExamFact(
                    attempt_id=result.attempt_id,
                    kind=result.exam_kind,
                    title=result.exam_title,
                    score=result.score,
                    max_score=result.max_score,
                    passed=result.passed,
                )
            )
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
        done: dict[int, dict[int, datetime]] = defaultdict(dict)
        for user_id, course_id, earned_at in StudyCredit.objects.filter(
            user_id__in=[cadre.pk for cadre in cadres],
            course_id__in=list(self.courses),
            earned_at__lt=_end_of(latest),
        ).values_list("user_id", "course_id", "earned_at"):
            done[user_id][course_id] = earned_at
        for cadre in cadres:
            required = [pk for pk, aud in self.courses.items() if meant_for(*aud, cadre)]
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
        attended = defaultdict(set)
        for user_id, session_id in TrainingAttendance.objects.filter(
            user_id__in=[cadre.pk for cadre in cadres], session_id__in=list(self.sessions)
        ).values_list("user_id", "session_id"):
            attended[user_id].add(session_id)
        for cadre in cadres:
            meant = {pk for pk, aud in self.sessions.items() if meant_for(*aud, cadre)}
            if meant and meant <= attended[cadre.pk]:
                facts[cadre.pk].rules_met.update(rule.id for rule in self.training_rules)

    def score(self, cadres: list) -> list[CadreYear]:
        facts = self.facts_for(cadres)
        return [cadre_year_score(scheme=self.scheme, facts=facts[cadre.pk]) for cadre in cadres]


def _batches(users, size: int) -> Iterator[list]:
    """Cadres (with their unit) in batches of `size`, from a queryset or a list of users
    or ids: one query per batch."""
    if isinstance(users, list | tuple | set):
        ids = sorted({getattr(user, "pk", user) for user in users})
        for start in range(0, len(ids), size):
            yield list(
                User.objects.filter(pk__in=ids[start : start + size])
                .select_related("unit")
                .order_by("pk")
            )
        return
    users = users.select_related("unit").order_by("pk")
    last_pk = 0
    while True:
        batch = list(users.filter(pk__gt=last_pk)[:size])
        if not batch:
            return
        yield batch
        last_pk = batch[-1].pk


def year_results_iter(*, year, users=None, batch_size: int = BATCH_SIZE):
    """(cadre, CadreYear) for each cadre, computed batch by batch: a fixed number of
    queries per batch, whatever the number of cadres."""
    context = _YearContext(evaluation_year_get(year))
    for batch in _batches(evaluated_cadres() if users is None else users, batch_size):
        yield from zip(batch, context.score(batch), strict=True)


def year_result_compute(*, year, users=None) -> list[CadreYear]:
    """The year of each cadre (every evaluated cadre if `users` is None), from the ledger:
    the one function views, commands and tasks use. Reads only."""
    return [result for _cadre, result in year_results_iter(year=year, users=users)]


def _result_values(cadre, result: CadreYear) -> dict:
    unit = cadre.unit
    values = {name: getattr(result, name) for name in CadreYear.STORED_FIELDS}
    values.update(
        unit_id=cadre.unit_id,
        unit_name=unit.name if unit else "",
        unit_path=unit.path if unit else "",
        position=cadre.position,
        category=cadre.category,
    )
    return values


def _rank_rows(evaluation_year, finalisation=None, unit_ids=None) -> set[int]:
    """Give live (or one finalisation's) rows their rank in unit: 1 + the number of rows of
    the same unit with a higher total (1, 2, 2, 4). One UPDATE with a correlated count,
    plus a read before and after; returns the cadres whose rank changed."""
    rows = YearResult.objects.filter(evaluation_year=evaluation_year, finalisation=finalisation)
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=unit_ids)
    before = dict(rows.values_list("cadre_id", "rank_in_unit").iterator(chunk_size=5000))
    higher = (
        YearResult.objects.filter(
            evaluation_year=evaluation_year,
            finalisation=finalisation,
            unit_id=OuterRef("unit_id"),
            total__gt=OuterRef("total"),
        )
        .order_by()
        .values("unit_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    rows.update(rank_in_unit=Coalesce(Subquery(higher), 0) + 1)
    after = rows.values_list("cadre_id", "rank_in_unit").iterator(chunk_size=5000)
    return {cadre_id for cadre_id, rank in after if before.get(cadre_id) != rank}


def year_results_refresh(*, year, users=None, batch_size: int = BATCH_SIZE) -> int:
    """Recompute live results and store what changed; returns how many cadres' results
    changed (created, updated, re-ranked or removed). For every evaluated cadre when
    `users` is None (then results of people no longer evaluated are removed). A finalised
    year changes nothing: its frozen results stand until it is reopened."""
    evaluation_year = evaluation_year_get(year)
    if evaluation_year.is_finalised:
        return 0
    now = timezone.now()
    changed_ids: set[int] = set()
    unit_ids: set[int | None] = set()
    live = YearResult.objects.filter(evaluation_year=evaluation_year, finalisation=None)
    fields = [
        *CadreYear.STORED_FIELDS,
        "unit_id",
        "unit_name",
        "unit_path",
        "position",
        "category",
        "computed_at",
    ]
    context = _YearContext(evaluation_year, now=now)
    with transaction.atomic():
        source = evaluated_cadres() if users is None else users
        for batch in _batches(source, batch_size):
            results = context.score(batch)
            existing = {row.cadre_id: row for row in live.filter(cadre__in=[c.pk for c in batch])}
            new, updated = [], []
            for cadre, result in zip(batch, results, strict=True):
                values = _result_values(cadre, result)
                row = existing.get(cadre.pk)
                if row is None:
                    new.append(
                        YearResult(
                            evaluation_year=evaluation_year, cadre=cadre, computed_at=now, **values
                        )
                    )
                elif any(getattr(row, k) != v for k, v in values.items()):
                    unit_ids.add(row.unit_id)
                    for key, value in values.items():
                        setattr(row, key, value)
                    row.computed_at = now
                    updated.append(row)
                else:
                    continue
                unit_ids.add(cadre.unit_id)
                changed_ids.add(cadre.pk)
            YearResult.objects.bulk_create(new, batch_size=batch_size)
            YearResult.objects.bulk_update(updated, fields, batch_size=batch_size)
        if users is None:
            gone = live.exclude(cadre__in=evaluated_cadres().values("pk"))
            for cadre_id, unit_id in gone.values_list("cadre_id", "unit_id"):
                changed_ids.add(cadre_id)
                unit_ids.add(unit_id)
            gone.delete()
        changed_ids |= _rank_rows(evaluation_year, unit_ids=None if users is None else unit_ids)
    return len(changed_ids)
