"""Who a course, training session or exam is meant for: its audience, a list of units
(each with the units below it) and a list of cadre categories.

The rule, written once: a place (a unit's path and a cadre category) is in an audience when
- no unit is listed, or a listed unit is the place's unit or one above it; and
- no category is listed, or the place's category is.

`Audience` holds one audience and reads the rule three ways: `includes` in Python on an
audience already loaded, `rows_including` in SQL for the rows whose audience includes a
place, `members_q` in SQL for the users one audience includes. `Audience.load` reads the
audiences of many rows in one query. tests/courses/test_audience.py holds the three to
agreeing on generated cases.
"""

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from django import forms
from django.db import models
from django.db.models import Exists, OuterRef, Q

from lms.accounts.models import CadreCategory
from lms.accounts.roles import Role, user_has_role


class CategorySetField(models.CharField):
    """A set of cadre categories stored as ",a,b," so "contains ,a," is one LIKE query that
    works the same on SQLite and PostgreSQL."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def from_db_value(self, value, expression, connection):
        return self.to_python(value)

    def to_python(self, value):
        if isinstance(value, list | tuple | set):
            return [item for item in value if item]
        return [item for item in (value or "").split(",") if item]

    def get_prep_value(self, value):
        items = self.to_python(value)
        return f",{','.join(sorted(items))}," if items else ""

    def value_to_string(self, obj):
        return self.get_prep_value(self.value_from_object(obj))

    def formfield(self, **kwargs):
        return forms.TypedMultipleChoiceField(
            choices=CadreCategory.choices,
            required=False,
            label=self.verbose_name,
            help_text=self.help_text,
            widget=forms.CheckboxSelectMultiple,
        )

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        return name, path, args, kwargs


def sees_every_audience(user) -> bool:
    """Trainers, HR and administrators see every course and session, whatever its audience."""
    return user_has_role(user, *Role.SEES_ALL_AUDIENCES)


@lru_cache(maxsize=4096)
def unit_and_above(unit_path: str) -> frozenset[str]:
    """ "/1/4/9/" -> {"/1/", "/1/4/", "/1/4/9/"}: the unit and every unit above it, the
    units whose listing puts this unit in an audience (cached: there are few units)."""
    parts = [part for part in unit_path.split("/") if part]
    return frozenset("/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts)))


def ancestor_paths(unit) -> list[str]:
    """`unit_and_above` for a unit (None has none), from the top down."""
    return sorted(unit_and_above(unit.path), key=len) if unit is not None else []


def place_of(user) -> tuple[str, str]:
    """(unit path, category) of a user; a user without a unit has the empty path."""
    unit = getattr(user, "unit", None)
    return (unit.path if unit is not None else ""), (getattr(user, "category", "") or "")


def _stored(category: str) -> str:
    # How CategorySetField stores a set: ",a,b,", so one listed category is ",a,".
    return f",{category},"


@dataclass(frozen=True)
class Audience:
    """One row's audience: the paths of the units listed and the categories listed."""

    unit_paths: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()

    def __post_init__(self):
        object.__setattr__(self, "unit_paths", tuple(sorted(self.unit_paths)))
        object.__setattr__(self, "categories", tuple(sorted(self.categories)))

    def includes(self, unit_path: str, category: str) -> bool:
        """The rule, in Python."""
        if self.unit_paths and unit_and_above(unit_path).isdisjoint(self.unit_paths):
            return False
        return not self.categories or category in self.categories

    def includes_user(self, user) -> bool:
        return self.includes(*place_of(user))

    def members_q(self, prefix: str = "") -> Q:
        """The rule in SQL, from the audience's side: the users (`prefix` leads to a user)
        it includes. A listed unit is above a user's unit when the unit's path starts
        with the listed one's."""
        members = Q()
        if self.unit_paths:
            units = Q()
            for path in self.unit_paths:
                units |= Q(**{f"{prefix}unit__path__startswith": path})
            members &= units
        if self.categories:
            members &= Q(**{f"{prefix}category__in": self.categories})
        return members

    @staticmethod
    def rows_including(
        unit_path: str,
        category: str,
        *,
        through,
        owner_field: str,
        categories_field: str = "audience_categories",
    ) -> Q:
        """The rule in SQL, from the place's side: the rows whose audience includes it.

        `through` is the rows' many-to-many table to units, `owner_field` its column naming
        the row. EXISTS subqueries, so that the rows are not multiplied by the join.
        """
        listed = through.objects.filter(**{owner_field: OuterRef("pk")})
        units_ok = ~Exists(listed)
        if unit_path:
            above = sorted(unit_and_above(unit_path))
            units_ok |= Exists(listed.filter(orgunit__path__in=above))
        categories_ok = Q(**{categories_field: ""})
        if category:
            categories_ok |= Q(**{f"{categories_field}__contains": _stored(category)})
        return units_ok & categories_ok

    @classmethod
    def load(cls, model, rows) -> dict[int, "Audience"]:
        """{pk: Audience} for rows of `model` given as (pk, categories) pairs, reading the
        units listed in one query."""
        rows = list(rows)
        field = model._meta.get_field("audience_units")
        owner = field.m2m_column_name()
        paths = defaultdict(list)
        listed = field.remote_field.through.objects.filter(
            **{f"{owner}__in": [pk for pk, _categories in rows]}
        )
        for owner_id, path in listed.values_list(owner, "orgunit__path"):
            paths[owner_id].append(path)
        return {pk: cls(tuple(paths[pk]), tuple(categories)) for pk, categories in rows}


def meant_for(unit_paths, categories, user) -> bool:
    """`Audience.includes` for one user, for callers that hold the two lists."""
    return Audience(tuple(unit_paths), tuple(categories)).includes_user(user)


def audience_q(user, *, through, owner_field: str, categories_field="audience_categories"):
    """`Audience.rows_including` the user's place: the rows meant for this user."""
    return Audience.rows_including(
        *place_of(user),
        through=through,
        owner_field=owner_field,
        categories_field=categories_field,
    )
