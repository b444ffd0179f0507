"""Small pieces of the ORM that listings in every app build their one query from."""

from django.db.models import Count, IntegerField, Subquery
from django.db.models.functions import Coalesce


def count_per(queryset, outer: str):
    """How many rows of `queryset` (already filtered on an OuterRef) belong to each outer
    row, grouped by its `outer` column; 0 where none."""
    rows = queryset.order_by().values(outer).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)
