"""Trees kept as a parent link plus a materialised path.

A node's path spells the keys of its ancestors and itself from the root down: "/1/4/9/"
for units (ids, wrapped in separators), "2021年新法 / 行政处罚法" for question categories
(names). "This node and everything below it" is then one prefix query on an indexed column
(LIKE 'prefix%', which PostgreSQL answers from the pattern index Django adds beside an
indexed CharField's own), ancestors are read off the path, and the depth is its length.

The path is the parent link's shadow: save() recomputes it from the parent's path, and a
node that moves or is renamed takes its subtree along in one UPDATE. A node cannot be moved
under itself or below itself (clean() says so to a form; save() refuses it outright).
"""

from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Concat, Substr


def parent_field(verbose_name) -> models.ForeignKey:
    """The parent link of a tree model; a node with children cannot be deleted."""
    return models.ForeignKey(
        "self",
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )


class MaterialisedPathMixin(models.Model):
    """For a model with a `parent = parent_field(...)` and an indexed path CharField.

    A subclass names its path field (and a depth field, if it stores one), says how a path
    is spelled (`path_separator`; `path_wrapped` for "/1/4/" rather than "a / b") and gives
    `path_segment()`, its own part of the path.
    """

    path_field: ClassVar[str] = "path"
    depth_field: ClassVar[str | None] = None
    path_separator: ClassVar[str] = "/"
    path_wrapped: ClassVar[bool] = True
    # What clean() says of a parent inside the node itself, in the model's own words.
    cycle_message: ClassVar[str]

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self._placed_below_itself():
            raise ValidationError({"parent": self.cycle_message})
        old_path = self.tree_path
        new_path = self._path_now()
        with transaction.atomic():
            if new_path is not None:
                written = self._set_path(new_path)
                if kwargs.get("update_fields") is not None:
                    kwargs["update_fields"] = {*kwargs["update_fields"], *written}
            super().save(*args, **kwargs)
            if new_path is None:
                # The path holds the id, known only now that the row exists.
                new_path = self._path_now()
                written = self._set_path(new_path)
                type(self)._base_manager.filter(pk=self.pk).update(**written)
            if old_path and old_path != new_path:
                self._move_descendants(old_path, new_path)

    def clean(self):
        super().clean()
        if self._placed_below_itself():
            raise ValidationError({"parent": self.cycle_message})

    def path_segment(self) -> str | None:
        """This node's part of the path; None while it cannot be known (an id before the
        row exists)."""
        raise NotImplementedError

    # --- spelling ---------------------------------------------------------------------

    @classmethod
    def path_join(cls, parent_path: str | None, segment: str) -> str:
        sep = cls.path_separator
        if cls.path_wrapped:
            return f"{parent_path or sep}{segment}{sep}"
        return f"{parent_path}{sep}{segment}" if parent_path else segment

    @classmethod
    def path_segments(cls, path: str) -> list[str]:
        if cls.path_wrapped:
            path = path.removeprefix(cls.path_separator).removesuffix(cls.path_separator)
        return path.split(cls.path_separator) if path else []

    @classmethod
    def descendants_prefix(cls, path: str) -> str:
        """What the path of every node below the one with this path starts with."""
        return path if cls.path_wrapped else f"{path}{cls.path_separator}"

    @property
    def tree_path(self) -> str:
        return getattr(self, self.path_field)

    @property
    def tree_depth(self) -> int:
        """0 for a root."""
        return len(self.path_segments(self.tree_path)) - 1

    # --- queries ----------------------------------------------------------------------

    def subtree_q(self, via: str = "") -> Q:
        """This node and every node below it, as a filter on this model or, through `via`
        (e.g. "unit" on a model with a `unit` foreign key), on a model that points at it."""
        field = f"{via}__{self.path_field}" if via else self.path_field
        below = self.descendants_prefix(self.tree_path)
        condition = Q(**{f"{field}__startswith": below})
        return condition if self.path_wrapped else condition | Q(**{field: self.tree_path})

    def descendants_q(self, via: str = "") -> Q:
        field = f"{via}__{self.path_field}" if via else self.path_field
        below = Q(**{f"{field}__startswith": self.descendants_prefix(self.tree_path)})
        return below & ~Q(**{field: self.tree_path}) if self.path_wrapped else below

    def subtree(self) -> models.QuerySet:
        """This node and every node below it."""
        return type(self)._default_manager.filter(self.subtree_q())

    def descendants(self) -> models.QuerySet:
        return type(self)._default_manager.filter(self.descendants_q())

    def ancestors(self) -> models.QuerySet:
        """The nodes above this one, the root first."""
        segments = self.path_segments(self.tree_path)
        paths, path = [], None
        for segment in segments[:-1]:
            path = self.path_join(path, segment)
            paths.append(path)
        return (
            type(self)
            ._default_manager.filter(**{f"{self.path_field}__in": paths})
            .order_by(self.path_field)
        )

    # --- keeping the path true --------------------------------------------------------

    def _placed_below_itself(self) -> bool:
        if not (self.pk and self.parent_id and self.tree_path):
            return False
        if self.parent_id == self.pk:
            return True
        parent_path = getattr(self.parent, self.path_field)
        return parent_path.startswith(self.descendants_prefix(self.tree_path))

    def _path_now(self) -> str | None:
        segment = self.path_segment()
        if segment is None:
            return None
        parent_path = getattr(self.parent, self.path_field) if self.parent_id else None
        return self.path_join(parent_path, segment)

    def _set_path(self, path: str) -> dict:
        values = {self.path_field: path}
        if self.depth_field:
            values[self.depth_field] = len(self.path_segments(path)) - 1
        for name, value in values.items():
            setattr(self, name, value)
        return values

    def _move_descendants(self, old_path: str, new_path: str) -> None:
        """Give every node below the old path the new one, in one UPDATE."""
        field = self.path_field
        below = self.descendants_prefix(old_path)
        values = {field: Concat(Value(new_path), Substr(field, len(old_path) + 1))}
        if self.depth_field:
            shift = len(self.path_segments(new_path)) - len(self.path_segments(old_path))
            values[self.depth_field] = F(self.depth_field) + shift
        (
            type(self)
            ._base_manager.filter(**{f"{field}__startswith": below})
            # SQLite's LIKE ignores the case of ASCII letters; the move must not.
            .alias(_head=Substr(field, 1, len(below)))
            .filter(_head=below)
            .exclude(pk=self.pk)
            .update(**values)
        )
