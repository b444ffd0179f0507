"""Who a course or training session is meant for: units (with their subunits) and cadre
categories. Empty means everyone."""

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


def meant_for(unit_paths, categories, user) -> bool:
    """The rule of `audience_q` for one user, on an audience already read: no unit listed,
    or the user's unit is one of them or below one; no category listed, or the user's."""
    unit = getattr(user, "unit", None)
    return meant_for_place(
        unit_paths,
        categories,
        unit_path=unit.path if unit is not None else "",
        category=getattr(user, "category", ""),
    )


def meant_for_place(unit_paths, categories, *, unit_path: str, category: str) -> bool:
    """`meant_for` on a unit path and a category already read (a year result keeps both)."""
    if unit_paths and not any(unit_path.startswith(path) for path in unit_paths):
        return False
    return not categories or category in categories


def ancestor_paths(unit) -> list[str]:
    """ "/1/4/9/" -> ["/1/", "/1/4/", "/1/4/9/"]: the unit and every unit above it."""
    if unit is None or not unit.path:
        return []
    parts = [part for part in unit.path.split("/") if part]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def audience_q(user, *, through, owner_field: str, categories_field="audience_categories"):
    """A filter for rows whose audience includes this user: no unit listed, or a listed
    unit that is the user's own or above it; and no category listed, or the user's.

    `through` is the many-to-many table to units; `owner_field` its column naming the row.
    Built from EXISTS subqueries so that the rows are not multiplied by the join.
    """
    listed = through.objects.filter(**{owner_field: OuterRef("pk")})
    unit_ok = ~Exists(listed)
    paths = ancestor_paths(getattr(user, "unit", None))
    if paths:
        unit_ok |= Exists(listed.filter(orgunit__path__in=paths))
    category_ok = Q(**{categories_field: ""})
    if getattr(user, "category", ""):
        category_ok |= Q(**{f"{categories_field}__contains": f",{user.category},"})
    return unit_ok & category_ok
